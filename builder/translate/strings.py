"""Questions as strings: one row per (question, field, position, language), the unit of translation.

A question contributes its text (field `question`, position 0) and each option (field
`option`, position = index). Translating strings rather than whole questions is what lets a
repeated option label ("Very favorable") be sent once for the whole dataset.
"""

from __future__ import annotations

import json

import pandas as pd

from builder.errors import DataError
from builder.translate.placeholders import mask, needs_translation
from builder.translate.quality import placeholders_kept

STRING_KEY = ["question_id", "field", "position", "language"]
METHOD_RANK = {"official": 0, "human": 1, "machine": 2}  # lower wins


def english_strings(questions: pd.DataFrame) -> pd.DataFrame:
    """question_id, question_order, field, position, english: the question text and each option."""
    base = questions[["question_id", "question", "options"]].reset_index(drop=True)
    base["question_order"] = range(len(base))
    texts = base[["question_id", "question_order"]].assign(field="question", position=0, english=base["question"])
    options = base[["question_id", "question_order", "options"]].explode("options").dropna(subset=["options"])
    options["position"] = options.groupby("question_order").cumcount()
    options = options.rename(columns={"options": "english"}).assign(field="option")
    strings = pd.concat([texts, options], ignore_index=True)
    strings["english"] = strings["english"].astype(str)
    strings["position"] = strings["position"].astype("int64")
    return strings[["question_id", "question_order", "field", "position", "english"]]


def for_languages(strings: pd.DataFrame, languages: list[str]) -> pd.DataFrame:
    """Every English string once per target language (adds language, language_order)."""
    targets = pd.DataFrame({"language": languages, "language_order": range(len(languages))})
    return strings.merge(targets, how="cross")


def _curated_by_question(curated: pd.DataFrame, strings: pd.DataFrame) -> pd.DataFrame:
    """Curated entries keyed by question_id, as one row per string (options exploded by position)."""
    by_id = curated[curated["question_id"] != ""].rename(columns={"target_language": "language"})
    questions = by_id[by_id["field"] == "question"].assign(position=0)
    options = by_id[by_id["field"] == "options"].copy()
    options["translation"] = options["translation"].map(json.loads)
    # Distinct positions, not rows: `strings` holds every option once per target language.
    english_counts = (strings[strings["field"] == "option"].groupby("question_id")["position"].nunique()
                      .reindex(strings["question_id"].unique(), fill_value=0))
    options = options[options["question_id"].isin(english_counts.index)]
    counts = options["translation"].map(len)
    expected = options["question_id"].map(english_counts)
    wrong = options[counts != expected]
    if len(wrong):
        first = wrong.iloc[0]
        raise DataError(f"curated {first['method']} options for {first['question_id']} ({first['language']}) "
                        f"have {len(first['translation'])} entries, the English has {english_counts[first['question_id']]}",
                        file=first["origin"])
    options = options.explode("translation").dropna(subset=["translation"])
    options["position"] = options.groupby(["method", "language", "question_id"]).cumcount()
    options["field"] = "option"
    return pd.concat([questions, options], ignore_index=True)


def apply_curated(strings: pd.DataFrame, curated: pd.DataFrame) -> pd.DataFrame:
    """Fill translation / method / created_at from curated entries where any applies.

    Precedence: official before human; within one method, an entry for this question_id
    before an entry for the same English text.
    """
    columns = [*STRING_KEY, "translation", "method", "created_at", "rank"]
    by_question = _curated_by_question(curated, strings)
    by_question = by_question.merge(strings[STRING_KEY], on=STRING_KEY)
    by_question["rank"] = by_question["method"].map(METHOD_RANK).astype("int64") * 2
    by_text = curated[curated["question_id"] == ""].rename(
        columns={"target_language": "language", "source_text": "english"})
    by_text = strings[[*STRING_KEY, "english"]].merge(by_text[["language", "english", "translation", "method",
                                                               "created_at"]], on=["language", "english"])
    by_text["rank"] = by_text["method"].map(METHOD_RANK).astype("int64") * 2 + 1
    candidates = pd.concat([by_question[columns], by_text[columns]], ignore_index=True)
    best = candidates.sort_values("rank", kind="stable").drop_duplicates(STRING_KEY)
    return strings.merge(best.drop(columns="rank"), on=STRING_KEY, how="left")


def add_masks(strings: pd.DataFrame) -> pd.DataFrame:
    """masked, placeholders, translatable (has letters once masked), computed once per distinct English."""
    unique = pd.Series(strings["english"].unique())
    masks = unique.map(mask)
    by_english = pd.DataFrame({
        "english": unique,
        "masked": masks.map(lambda masked: masked.text),
        "placeholders": masks.map(lambda masked: masked.placeholders),
    })
    by_english["translatable"] = by_english["masked"].map(needs_translation)
    return strings.merge(by_english, on="english", how="left")


def curated_placeholders_ok(strings: pd.DataFrame) -> pd.Series:
    """For curated strings: does every English placeholder appear verbatim in the translation?"""
    return pd.Series(
        [placeholders_kept(translation, placeholders)
         for translation, placeholders in zip(strings["translation"], strings["placeholders"])],
        index=strings.index, dtype=bool,
    )
