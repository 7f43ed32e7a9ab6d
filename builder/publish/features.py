"""The typed columns of each published config, as `datasets.Features`.

One declaration serves twice: `features.arrow_schema` is the schema the Parquet files are
written with, and `features._to_yaml_list()` is what the card's `dataset_info` declares, so what
`load_dataset` returns is exactly what the card says.

Nested records use `datasets.List({...})` (a list of structs). `datasets.Sequence({...})` is
not used: it turns a list of dicts into a dict of lists.
"""

from __future__ import annotations

from datasets import Features, List, Value

STRING, INT64, FLOAT64 = Value("string"), Value("int64"), Value("float64")

# A survey question with its provenance and answer scale: the columns of build/questions.parquet.
QUESTION = {
    "question_id": STRING,
    "source": STRING,
    "survey": STRING,
    "wave": STRING,
    "year_start": INT64,
    "year_end": INT64,
    "source_file": STRING,
    "variable": STRING,
    "question": STRING,
    "options": List(STRING),
    "option_codes": List(INT64),
    "ordinal": List(FLOAT64),
    "scale_type": STRING,
    "non_substantive": List({"code": INT64, "label": STRING, "kind": STRING}),
    "flags": List(STRING),
}

# One country's answers to a question: a row of build/distributions.parquet without the
# question_id (the enclosing row has it) and the weight variable (per source, in the card).
SELECTION = {
    "country_code": STRING,
    "country": STRING,
    "sample_frame": STRING,
    "source_country": STRING,
    "probabilities": List(FLOAT64),
    "dont_know_share": FLOAT64,
    "refused_share": FLOAT64,
    "dk_refused_share": FLOAT64,
    "no_answer_share": FLOAT64,
    "n": INT64,
    "n_asked": INT64,
    "effective_n": FLOAT64,
}

ENGLISH = Features({**QUESTION, "selections": List(SELECTION)})

# A translated config: the same rows with the question and options in another language, the
# English kept beside them, and how the translation was made.
TRANSLATION = {
    "language": STRING,
    "question_en": STRING,
    "options_en": List(STRING),
    "translation_method": STRING,
    "translation_provider": STRING,
    "translation_flags": List(STRING),
}
TRANSLATED = Features({**QUESTION, **TRANSLATION, "selections": List(SELECTION)})

# One row per question x country x sample frame x option: flat columns for analysis and the
# Hub's viewer, which computes statistics only on flat columns.
LONG_QUESTION_COLUMNS = ("question_id", "source", "survey", "wave", "year_start", "year_end", "question", "scale_type")
LONG = Features({
    **{name: QUESTION[name] for name in LONG_QUESTION_COLUMNS},
    "country_code": STRING,
    "country": STRING,
    "sample_frame": STRING,
    "option_index": INT64,
    "option": STRING,
    "option_code": INT64,
    "ordinal": FLOAT64,
    "probability": FLOAT64,
    "n": INT64,
    "effective_n": FLOAT64,
})

# What each column means, shown in the card next to its type.
DESCRIPTIONS = {
    "question_id": "stable id `<survey>.<item>`",
    "source": "survey family (`pew_gas`, `wvs`); also the split",
    "survey": "survey id from the manifest",
    "wave": "wave as the survey names it",
    "year_start": "first fieldwork year",
    "year_end": "last fieldwork year",
    "source_file": "raw file the question was read from (see Provenance)",
    "variable": "variable name in the raw file",
    "question": "question text (translated in a language config)",
    "options": "substantive answer options, in scale order (translated in a language config)",
    "option_codes": "raw code of each option (null when the source has none)",
    "ordinal": "scale position (of each option); null when off the scale",
    "scale_type": "`ordinal`, `nominal` or `binary`",
    "non_substantive": "answers reported as shares instead of options: code, label, kind",
    "flags": "e.g. `placeholder`, `country_specific`, `depends_on_previous`, `synthetic`",
    "selections": "one record per country and sample frame, sorted by country_code",
    "language": "BCP 47 tag of the translation",
    "question_en": "the English question",
    "options_en": "the English options",
    "translation_method": "`official`, `human` or `machine`",
    "translation_provider": "machine translation provider (null for official and human)",
    "translation_flags": "quality flags of the translation, e.g. `length_ratio`",
    "country_code": "ISO 3166-1 alpha-3 (documented extra codes for territories)",
    "country": "English short name",
    "sample_frame": "`national`, `non_national`, `old_national` or `current_national`",
    "source_country": "the country key in the raw file",
    "probabilities": "weighted share of each option among substantive answers; sums to 1",
    "dont_know_share": "weighted share of don't know among those asked",
    "refused_share": "weighted share of refusals among those asked",
    "dk_refused_share": "weighted share of a combined don't know / refused answer",
    "no_answer_share": "weighted share of no answer among those asked",
    "n": "unweighted respondents with a substantive answer",
    "n_asked": "unweighted respondents asked",
    "effective_n": "Kish effective sample size of the substantive answers",
    "option_index": "position of the option in `options` (0-based)",
    "option": "the answer option",
    "option_code": "raw code of the option",
    "probability": "weighted share of this option among substantive answers",
}


def type_name(feature) -> str:
    """A short type for the card: `string`, `list<float64>`, `list<struct>`."""
    if isinstance(feature, Value):
        return feature.dtype
    if isinstance(feature, List):
        inner = feature.feature
        return f"list<{'struct' if isinstance(inner, dict) else type_name(inner)}>"
    return "struct" if isinstance(feature, dict) else type(feature).__name__
