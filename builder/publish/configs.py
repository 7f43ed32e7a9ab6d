"""The configs of the published dataset, made from the build tables.

A config is a name, its `datasets.Features` and its rows per split. Each entry of
`CONFIG_MAKERS` is a plain function `Build -> list[Config]`; to publish another config (say
`goqa`, the original release's four string columns), write one such function and append it.

Splits are the survey families (`source`: `pew_gas`, `wvs`, ...). Rows are sorted by
question_id and each question's selections by (country_code, sample_frame), so equal builds
give equal files.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

from datasets import Features

from builder.errors import DataError
from builder.publish import features, goqa_config
from builder.publish.inputs import Build

SPLIT_NAME = re.compile(r"^\w+(\.\w+)*$")  # what the Hub and `datasets` accept as a split name
LONG_SELECTION_COLUMNS = ("country_code", "country", "sample_frame", "n", "effective_n")


@dataclass(frozen=True)
class Config:
    name: str
    description: str
    features: Features
    splits: dict[str, list[dict]]  # split name -> rows, in the order they are written
    default: bool = False

    @property
    def rows(self) -> int:
        return sum(len(rows) for rows in self.splits.values())


def split_by_source(rows: list[dict]) -> dict[str, list[dict]]:
    """Group rows by their `source` into splits, in name order, keeping the rows' order."""
    splits: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        splits[row["source"]].append(row)
    for name in splits:
        if not SPLIT_NAME.match(name):
            raise DataError(f"source {name!r} cannot name a split (letters, digits and _ only, no dashes)")
    return {name: splits[name] for name in sorted(splits)}


def _questions_in_order(build: Build) -> list[dict]:
    return sorted(build.questions, key=lambda question: question["question_id"])


def english_rows(build: Build) -> list[dict]:
    """One row per question: its columns and its `selections`, sorted by question_id."""
    return [{**{name: question[name] for name in features.QUESTION}, "selections": build.selections[question["question_id"]]}
            for question in _questions_in_order(build)]


def english_configs(build: Build) -> list[Config]:
    return [Config("en", "Questions in English, each with every country's answers.", features.ENGLISH,
                   split_by_source(english_rows(build)), default=True)]


def translation_columns(translation: dict, question: dict) -> dict:
    """The columns a translated config adds to, or replaces in, an English row."""
    return {
        "question": translation["question"],
        "options": list(translation["options"]),
        "language": translation["language"],
        "question_en": question["question"],
        "options_en": question["options"],
        "translation_method": translation["method"],
        "translation_provider": translation["provider"],
        "translation_flags": translation["flags"],
    }


def translated_configs(build: Build) -> list[Config]:
    """One config per language of the translations table, named by its BCP 47 tag (`zh-Hans`).

    A question without a translation in a language is left out of that language's config.
    """
    english = {row["question_id"]: row for row in english_rows(build)} if build.translations else {}
    by_language: dict[str, list[dict]] = defaultdict(list)
    for translation in build.translations:
        row = english[translation["question_id"]]
        by_language[translation["language"]].append({**row, **translation_columns(translation, row)})
    configs = []
    for language in sorted(by_language):
        rows = [{name: row[name] for name in features.TRANSLATED}
                for row in sorted(by_language[language], key=lambda row: row["question_id"])]
        configs.append(Config(language, f"Questions translated into {language}, with the English beside them.",
                              features.TRANSLATED, split_by_source(rows)))
    return configs


def long_configs(build: Build) -> list[Config]:
    """One row per question x country x sample frame x option."""
    rows = []
    for question in _questions_in_order(build):
        about_question = {name: question[name] for name in features.LONG_QUESTION_COLUMNS}
        codes, ordinal = question["option_codes"], question["ordinal"]
        for selection in build.selections[question["question_id"]]:
            about_country = {name: selection[name] for name in LONG_SELECTION_COLUMNS}
            for index, (option, probability) in enumerate(zip(question["options"], selection["probabilities"])):
                rows.append({**about_question, **about_country, "option_index": index, "option": option,
                             "option_code": codes[index] if codes is not None else None,
                             "ordinal": ordinal[index] if ordinal is not None else None,
                             "probability": probability})
    return [Config("long", "One row per question, country and option: flat columns for analysis.",
                   features.LONG, split_by_source(rows))]


def goqa_configs(build: Build) -> list[Config]:
    """The original release's four string columns (builder/publish/goqa_config.py), split `train`."""
    return [Config("goqa", "The original GlobalOpinionQA release's four string columns, built from these tables.",
                   goqa_config.FEATURES, {"train": goqa_config.goqa_rows(build)})]


CONFIG_MAKERS: list[Callable[[Build], list[Config]]] = [english_configs, translated_configs, long_configs, goqa_configs]


def make_configs(build: Build) -> list[Config]:
    """Every config, in card order, checked: unique names and exactly one default."""
    configs = [config for maker in CONFIG_MAKERS for config in maker(build)]
    names = [config.name for config in configs]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise DataError(f"two configs are named {duplicated[0]!r}")
    if sum(config.default for config in configs) != 1:
        raise DataError("exactly one config must be the default")
    return configs
