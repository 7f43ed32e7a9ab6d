"""The GlobalOpinionQA release's value formats: read them without `eval`, write them exactly.

`options` is a Python list repr (`['Yes', 'No']`, `[0.0, 1.0, ...]`, or both kinds mixed);
`selections` is the repr of a `defaultdict(list)` mapping country -> fractions:
`defaultdict(<class 'list'>, {'Argentina': [0.094, 0.321], ...})`.

The parser walks Python's syntax tree and accepts exactly these shapes: string keys, lists of
numbers, lists of strings or numbers. Anything else (calls, names, nested structures, NaN,
sets, tuples) is refused with a message saying what was found, so a crafted row can never run
code and a malformed one never half-parses.
"""

from __future__ import annotations

import ast
import math

SELECTIONS_PREFIX = "defaultdict(<class 'list'>, "
SELECTIONS_SUFFIX = ")"


class FormatError(ValueError):
    """A value that is not in the release's format."""


def _expression(text: str) -> ast.expr:
    try:
        return ast.parse(text.strip(), mode="eval").body
    except SyntaxError as error:
        raise FormatError(f"not a Python literal ({error.msg})") from None


def _number(node: ast.expr) -> int | float:
    """A finite int or float literal, optionally negated, keeping its type."""
    negative = isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
    if negative:
        node = node.operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float) and math.isfinite(node.value):
        return -node.value if negative else node.value
    raise FormatError(f"expected a number, found {ast.unparse(node)[:40]!r}")


def _option(node: ast.expr) -> str | int | float:
    """A label, or a number kept as the release wrote it (0 stays int, 0.0 float)."""
    if isinstance(node, ast.Constant) and type(node.value) in (str, int, float):
        if isinstance(node.value, str) or math.isfinite(node.value):
            return node.value
    if isinstance(node, ast.UnaryOp):
        return _number(node)
    raise FormatError(f"expected a label or a number, found {ast.unparse(node)[:40]!r}")


def parse_options(text: str) -> list[str | int | float]:
    """`['Agree', 'Disagree']` or `[0.0, 1.0]` -> the list; anything else raises FormatError."""
    node = _expression(text)
    if not isinstance(node, ast.List):
        raise FormatError(f"options must be a list, found {type(node).__name__}")
    return [_option(element) for element in node.elts]


def parse_selections(text: str) -> dict[str, list[float]]:
    """`defaultdict(<class 'list'>, {'Country': [fractions...], ...})` -> dict."""
    text = text.strip()
    if not (text.startswith(SELECTIONS_PREFIX) and text.endswith(SELECTIONS_SUFFIX)):
        raise FormatError("selections must look like defaultdict(<class 'list'>, {...})")
    node = _expression(text[len(SELECTIONS_PREFIX) : -len(SELECTIONS_SUFFIX)])
    if not isinstance(node, ast.Dict):
        raise FormatError(f"selections must hold a dict, found {type(node).__name__}")
    selections: dict[str, list[float]] = {}
    for key, value in zip(node.keys, node.values):
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            raise FormatError("every country key must be a string")
        if not isinstance(value, ast.List):
            raise FormatError(f"{key.value!r}: expected a list of fractions")
        if key.value in selections:
            raise FormatError(f"{key.value!r} appears twice")
        selections[key.value] = [float(_number(element)) for element in value.elts]
    return selections


def format_options(options: list) -> str:
    return repr(list(options))


def format_selections(selections: dict[str, list[float]]) -> str:
    """The exact repr a `defaultdict(list)` of Python floats prints."""
    return SELECTIONS_PREFIX + repr({country: [float(v) for v in values] for country, values in selections.items()}) + SELECTIONS_SUFFIX
