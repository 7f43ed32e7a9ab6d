"""The `goqa` config: our tables in the original GlobalOpinionQA release's format.

Four string columns, exactly as in `Anthropic/llm_global_opinions` (split `train`):
`question`; `selections`, the repr of a `defaultdict(list)` mapping country -> fractions;
`options`, a Python list repr; `source`, `GAS` or `WVS`. Existing evaluation code that parses
the original file runs unchanged on it, and builder/goqa_format.py parses it back to the same
numbers.

What differs from the original, on purpose: options are the substantive ones only and each
country's fractions are over them (our non-substantive policy, docs/method.md); countries are
keyed by our normalised names, with the sample frame as the release wrote it,
e.g. "India (Old national sample)".
"""

from __future__ import annotations

import re

from datasets import Features

from builder.goqa_format import format_options, format_selections
from builder.publish.features import STRING
from builder.publish.inputs import Build

FEATURES = Features({"question": STRING, "selections": STRING, "options": STRING, "source": STRING})
FRAME_SUFFIX = {
    "national": "",
    "non_national": " (Non-national sample)",
    "old_national": " (Old national sample)",
    "current_national": " (Current national sample)",
}
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def release_source(question: dict) -> str:
    """GAS for Pew questions, WVS for World Values Survey ones (imported rows keep theirs)."""
    if question["source"] == "goqa":
        return "WVS" if "source_wvs" in question["flags"] else "GAS"
    return {"pew_gas": "GAS", "wvs": "WVS"}[question["source"]]


def release_options(question: dict) -> list:
    """Option labels; numbers again where the release had numbers (ladder scales 0.0 ... 10.0)."""
    if "numeric_options" not in question["flags"]:
        return list(question["options"])
    return [(float(label) if "." in label else int(label)) if NUMBER.match(label) else label for label in question["options"]]


def country_key(selection: dict) -> str:
    return selection["country"] + FRAME_SUFFIX[selection["sample_frame"]]


def goqa_rows(build: Build) -> list[dict]:
    rows = []
    for question in sorted(build.questions, key=lambda question: question["question_id"]):
        selections = {country_key(s): list(s["probabilities"]) for s in build.selections[question["question_id"]]}
        rows.append({
            "question": question["question"],
            "selections": format_selections(selections),
            "options": format_options(release_options(question)),
            "source": release_source(question),
        })
    return rows
