"""Item catalogs: which variables of a raw file become questions, and how to read their codes.

A catalog is a YAML file, one per source wave (format in docs/catalogs.md). For each item it
gives the full question text (a file's variable label is often truncated), the substantive
options in scale order with their codes, the non-substantive codes, the codes that mean "not
asked", ordinal positions and flags. It is the authority on codes: a code in the data that the
catalog does not account for is an error (see builder/tabulate.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from builder import countries, labels, text
from builder.errors import UsageError
from builder.files import read_yaml

SCALE_TYPES = ("ordinal", "nominal", "binary")
ITEM_KEYS = {
    "variable", "id", "question", "stem", "battery", "options", "ordinal", "non_substantive",
    "not_asked", "scale_type", "countries", "flags", "file_label", "note",
}
CATALOG_KEYS = {"source", "description", "synthetic", "defaults", "batteries", "edition_check", "items"}
FLAG = re.compile(r"^[a-z][a-z0-9_]*$")
ITEM_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Option:
    code: int
    label: str
    ordinal: float | None = None


@dataclass
class CatalogItem:
    variable: str
    item_id: str
    question: str
    options: list[Option]
    non_substantive: dict[int, tuple[str, str]]  # code -> (label, kind)
    not_asked: dict[int, str]  # code -> label
    scale_type: str
    countries: list[str] | None = None  # country-specific item: only these ISO codes
    flags: list[str] = field(default_factory=list)

    @property
    def option_codes(self) -> list[int]:
        return [option.code for option in self.options]


@dataclass
class EditionCheck:
    """A label the file must carry, e.g. WVS Q1 code 1 = 'Very important' (not the inverted edition)."""

    variable: str
    code: int
    label: str


@dataclass
class Catalog:
    path: Path
    source: str
    items: list[CatalogItem]
    edition_checks: list[EditionCheck] = field(default_factory=list)


def _code(value: object, where: str, path: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value:
        raise UsageError(f"{where}: code {value!r} is not an integer", file=path)
    return int(value)


def _code_map(raw: object, where: str, path: Path) -> dict[int, object]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise UsageError(f"{where}: expected a mapping of code -> label", file=path)
    return {_code(code, where, path): value for code, value in raw.items()}


def _non_substantive(raw: object, where: str, path: Path) -> dict[int, tuple[str, str]]:
    """{98: "Don't know"} or {98: {label: "No sabe", kind: dont_know}}: kind from the label text."""
    result = {}
    for code, value in _code_map(raw, where, path).items():
        if isinstance(value, dict):
            label, kind = str(value.get("label", "")), value.get("kind") or labels.non_substantive_kind(str(value.get("label", "")))
        else:
            label, kind = str(value), labels.non_substantive_kind(str(value))
        if kind not in labels.KINDS:
            raise UsageError(
                f"{where}: cannot tell what kind of non-substantive answer {label!r} (code {code}) is; "
                f"write {{label: ..., kind: one of {', '.join(labels.KINDS)}}}",
                file=path,
            )
        result[code] = (text.normalise_text(label), kind)
    return result


def _item(raw: object, index: int, catalog: dict, path: Path) -> CatalogItem:
    if not isinstance(raw, dict) or "variable" not in raw:
        raise UsageError(f"items[{index}]: expected a mapping with a 'variable'", file=path)
    variable = str(raw["variable"])
    where = variable
    unknown = sorted(set(raw) - ITEM_KEYS)
    if unknown:
        raise UsageError(f"{where}: unknown key(s) {', '.join(unknown)}", file=path)
    item_id = str(raw.get("id", variable))
    if not ITEM_ID.match(item_id):
        raise UsageError(f"{where}: id {item_id!r} must be letters, digits and underscores", file=path)
    if not raw.get("question"):
        raise UsageError(f"{where}: no question text", file=path)
    stem = raw.get("stem")
    if "battery" in raw:
        batteries = catalog.get("batteries") or {}
        if raw["battery"] not in batteries:
            raise UsageError(f"{where}: unknown battery {raw['battery']!r}", file=path)
        stem = batteries[raw["battery"]]
    question = text.join_battery(stem, raw["question"])

    option_labels = _code_map(raw.get("options"), where, path)
    if len(option_labels) < 2:
        raise UsageError(f"{where}: needs at least two substantive options", file=path)
    ordinal = raw.get("ordinal")
    if ordinal is None:
        ordinal = [None] * len(option_labels)
    if not isinstance(ordinal, list) or len(ordinal) != len(option_labels):
        raise UsageError(f"{where}: ordinal must list one position (or null) per option", file=path)
    if any(value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))) for value in ordinal):
        raise UsageError(f"{where}: ordinal positions must be numbers or null", file=path)
    options = [
        Option(code, text.normalise_text(str(label)), None if position is None else float(position))
        for (code, label), position in zip(option_labels.items(), ordinal)
    ]
    if len({option.label for option in options}) != len(options):
        raise UsageError(f"{where}: two options share a label", file=path)

    defaults = catalog.get("defaults") or {}
    non_substantive = {
        **_non_substantive(defaults.get("non_substantive"), "defaults", path),
        **_non_substantive(raw.get("non_substantive"), where, path),
    }
    not_asked = {
        code: str(label)
        for code, label in {
            **_code_map(defaults.get("not_asked"), "defaults", path),
            **_code_map(raw.get("not_asked"), where, path),
        }.items()
    }
    substantive_codes = set(option_labels)
    for code in substantive_codes:
        # An item may list as an option a code that the defaults call non-substantive (WVS Q289's 0).
        non_substantive.pop(code, None)
        not_asked.pop(code, None)
    overlap = set(non_substantive) & set(not_asked)
    if overlap:
        raise UsageError(f"{where}: code(s) {sorted(overlap)} are both non-substantive and not asked", file=path)

    has_ordinal = any(option.ordinal is not None for option in options)
    scale_type = raw.get("scale_type") or ("ordinal" if has_ordinal else "binary" if len(options) == 2 else "nominal")
    if scale_type not in SCALE_TYPES:
        raise UsageError(f"{where}: scale_type must be one of {', '.join(SCALE_TYPES)}", file=path)
    if scale_type == "ordinal" and not has_ordinal:
        raise UsageError(f"{where}: an ordinal scale needs ordinal positions", file=path)

    item_countries = raw.get("countries")
    if item_countries is not None:
        item_countries = [item_countries] if isinstance(item_countries, str) else list(item_countries)
        bad = [code for code in item_countries if not countries.is_valid_code(code)]
        if bad:
            raise UsageError(f"{where}: countries {bad} are not ISO 3166-1 alpha-3 codes", file=path)

    flags = set(raw.get("flags") or [])
    bad_flags = [flag for flag in flags if not isinstance(flag, str) or not FLAG.match(flag)]
    if bad_flags:
        raise UsageError(f"{where}: flags must be lower_snake_case words, got {bad_flags}", file=path)
    if text.placeholders(question):
        flags.add("placeholder")
    if item_countries:
        flags.add("country_specific")

    return CatalogItem(
        variable=variable,
        item_id=item_id,
        question=question,
        options=options,
        non_substantive=non_substantive,
        not_asked=not_asked,
        scale_type=scale_type,
        countries=item_countries,
        flags=sorted(flags),
    )


def load_catalog(path: Path, *, source_defaults: dict | None = None) -> Catalog:
    """Read and check a catalog. `source_defaults` (an adapter's standard codes, e.g. WVS -1..-5)
    sit under the catalog's own `defaults`, which sit under each item's settings."""
    path = Path(path)
    raw = read_yaml(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("items"), list):
        raise UsageError("expected a mapping with a list 'items:'", file=path)
    unknown = sorted(set(raw) - CATALOG_KEYS)
    if unknown:
        raise UsageError(f"unknown key(s) {', '.join(unknown)}", file=path)
    defaults = dict(source_defaults or {})
    for key, value in (raw.get("defaults") or {}).items():
        defaults[key] = {**(defaults.get(key) or {}), **(value or {})}
    raw = {**raw, "defaults": defaults}
    items = [_item(item, index, raw, path) for index, item in enumerate(raw["items"])]
    for attribute in ("variable", "item_id"):
        seen = set()
        for item in items:
            key = getattr(item, attribute).lower() if attribute == "variable" else item.item_id
            if key in seen:
                raise UsageError(f"{getattr(item, attribute)}: listed twice", file=path)
            seen.add(key)
    checks = []
    for check in raw.get("edition_check") or []:
        if not isinstance(check, dict) or set(check) != {"variable", "code", "label"}:
            raise UsageError("edition_check entries need variable, code and label", file=path)
        checks.append(EditionCheck(str(check["variable"]), _code(check["code"], "edition_check", path), str(check["label"])))
    return Catalog(path=path, source=str(raw.get("source", "")), items=items, edition_checks=checks)
