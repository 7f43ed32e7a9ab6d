"""From translated strings to table rows: one row per question x language.

Row-level fields are derived from the row's strings (question text and options):

- `method`: the lowest precedence among them (machine < human < official), so `human` means
  every string is at least human. Strings copied as is (no letters) do not count; a row of
  copied strings only is `machine` (produced automatically).
- `provider` / `provider_version`: set when any string is machine-translated; the version is
  that of the most recent machine string. Null for rows made of curated strings only.
- `translated_at`: the latest `created_at` in the memory among the row's machine strings (not
  the clock), so a rebuild from the same memory gives the same value. Null for rows made of
  curated strings only: their provenance is the curated file, and an import time would make
  two fresh builds of the same inputs differ.
- `flags`: the sorted union of the strings' flags (see quality.py).
"""

from __future__ import annotations

import itertools

import pandas as pd

from builder.translate.quality import string_flags
from builder.translate.strings import METHOD_RANK
from builder.translate.table import COLUMNS, METHODS, source_sha256

_ROW = ["question_order", "language_order"]


def rows(strings: pd.DataFrame, questions: pd.DataFrame, provider) -> pd.DataFrame:
    strings = strings.sort_values([*_ROW, "field", "position"], ascending=[True, True, False, True], kind="stable")
    strings = strings.assign(flags=string_flags(strings),
                             created_at=pd.to_datetime(strings["created_at"], utc=True, format="ISO8601"),
                             rank=strings["method"].map(METHOD_RANK))
    grouped = strings.groupby(_ROW, sort=True)

    table = strings[strings["field"] == "question"].set_index(_ROW)[["question_id", "language", "translation"]]
    table = table.rename(columns={"translation": "question"})
    options = strings[strings["field"] == "option"].groupby(_ROW)["translation"].agg(list)
    table["options"] = options.reindex(table.index)
    table["options"] = table["options"].map(lambda value: value if isinstance(value, list) else [])

    worst = grouped["rank"].max()
    table["method"] = worst.map(lambda rank: METHOD_RANK_NAMES.get(rank, "machine"))
    machine = strings[strings["method"] == "machine"].sort_values("created_at", kind="stable")
    latest_machine = machine.groupby(_ROW)["provider_version"].last()
    table["provider_version"] = latest_machine.reindex(table.index)
    table["provider"] = table["provider_version"].notna().map({True: provider.name, False: None})
    table["translated_at"] = machine.groupby(_ROW)["created_at"].max().reindex(table.index)
    table["flags"] = grouped["flags"].agg(lambda lists: sorted(set(itertools.chain.from_iterable(lists))))

    english = questions.set_index("question_id")
    hashes = pd.Series([source_sha256(question, options) for question, options in
                        zip(english["question"], english["options"])], index=english.index)
    table["source_sha256"] = table["question_id"].map(hashes)
    table["backtranslation_similarity"] = float("nan")
    table = table.reset_index(drop=True)
    table["provider"] = table["provider"].astype(object)
    return table[COLUMNS]


METHOD_RANK_NAMES = {rank: name for name, rank in METHOD_RANK.items()}
assert set(METHOD_RANK_NAMES.values()) == set(METHODS)
