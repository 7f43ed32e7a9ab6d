"""The release's value formats: parsed without eval, everything else refused, written back exactly."""

from collections import defaultdict

import pytest

from builder.goqa_format import FormatError, format_options, format_selections, parse_options, parse_selections

# Verbatim shapes from the release: a Pew row with DK/Refused, a ladder of floats, mixed labels
# and numbers, a label with an apostrophe (repr switches to double quotes), non-ASCII keys.
SELECTIONS = "defaultdict(<class 'list'>, {'Argentina': [0.094, 0.321, 0.151, 0.434], 'S. Korea': [0.2, 0.3, 0.4, 0.1], \"Côte d'Ivoire\": [1, 0, 0.0, 0]})"
OPTIONS = [
    ("['Very favorable', 'Somewhat favorable', 'Somewhat unfavorable', 'DK/Refused']", ["Very favorable", "Somewhat favorable", "Somewhat unfavorable", "DK/Refused"]),
    ("[0.0, 1.0, 2.0, 10.0]", [0.0, 1.0, 2.0, 10.0]),
    ("['Completely disagree', 2.0, 3.0, 'Completely agree']", ["Completely disagree", 2.0, 3.0, "Completely agree"]),
    ("[\"Don't know\", 'No answer']", ["Don't know", "No answer"]),
]


def test_selections_parse():
    parsed = parse_selections(SELECTIONS)
    assert parsed == {"Argentina": [0.094, 0.321, 0.151, 0.434], "S. Korea": [0.2, 0.3, 0.4, 0.1], "Côte d'Ivoire": [1.0, 0.0, 0.0, 0.0]}


@pytest.mark.parametrize("text, expected", OPTIONS)
def test_options_parse(text, expected):
    assert parse_options(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("{'Argentina': [0.5, 0.5]}", "must look like defaultdict"),
        ("defaultdict(<class 'list'>, {'A': [0.5, __import__('os').getpid()]})", "expected a number"),
        ("defaultdict(<class 'list'>, {'A': (0.5, 0.5)})", "expected a list of fractions"),
        ("defaultdict(<class 'list'>, {1: [0.5]})", "every country key must be a string"),
        ("defaultdict(<class 'list'>, {'A': [float('nan')]})", "expected a number"),
        ("defaultdict(<class 'list'>, {'A': [[0.5]]})", "expected a number"),
        ("defaultdict(<class 'list'>, {'A': [0.5], 'A': [0.5]})", "appears twice"),
        ("defaultdict(<class 'list'>, {'A': [0.5,)", "not a Python literal"),
        ("defaultdict(<class 'list'>, [('A', [1])])", "must hold a dict"),
    ],
)
def test_anything_else_is_refused(text, message):
    with pytest.raises(FormatError, match=message):
        parse_selections(text)


@pytest.mark.parametrize("text", ["('a', 'b')", "['a', b]", "['a', {'b': 1}]", "['a', None]", "[1e999]", "__import__('os')"])
def test_bad_options_are_refused(text):
    with pytest.raises(FormatError):
        parse_options(text)


def test_writing_matches_python_repr_and_round_trips():
    original = defaultdict(list)
    original["United Kingdom"] = [0.1, 0.2, 0.7000000000000001]
    original["India (Old national sample)"] = [1 / 3, 1 / 3, 1 / 3]
    text = format_selections(dict(original))
    assert text == repr(original)
    assert parse_selections(text) == dict(original)  # exact floats back
    for text, expected in OPTIONS:
        assert format_options(expected) == text.replace("[\"Don't know\", 'No answer']", repr(["Don't know", "No answer"]))
        assert parse_options(format_options(expected)) == expected
