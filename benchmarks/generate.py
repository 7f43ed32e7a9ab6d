"""Write full-size synthetic survey files for the ingest benchmark (benchmarks/ingest_bench.py).

    .venv/bin/python benchmarks/generate.py --scale 1        # also --scale 2, --scale 4

Writes under benchmarks/data/ (git-ignored; never commit it):

    catalogs/wvs7_bench.yaml, catalogs/pew_bench.yaml   every question column, once for all scales
    scale<N>/wvs7_bench.csv     WVS7-shaped: 97,220*N rows x 613 columns, 66 countries,
                                `;`-separated, UTF-8 BOM, quoted header (like the real CSVs)
    scale<N>/wvs7_bench.sav     the same data as SPSS (row-compressed, value labels)
    scale<N>/pew_bench.sav      Pew-shaped: 40,000*N rows x 800 columns, 35 countries
    scale<N>/manifest.yaml      the three files with their sha256, for `run_ingest`

The shapes follow /work/shared/reference/survey-formats.md: WVS key columns (B_COUNTRY as
ISO numeric with 909 = Northern Ireland, B_COUNTRY_ALPHA, A_YEAR, D_INTERVIEW, W_WEIGHT,
S018, PWGHT), negative missing codes -1..-5 (whole countries coded -4 "not asked" for some
items), 0 as a real answer, 4-point, 10-point, yes/no and out-of-order scales and a
country-coded party item; Pew's wave-specific country codes with value labels, a `weight`
with empty oversample rows, 8/9 and 98/99 DK/Refused labels in all their spellings, long
lists where 8 and 9 are answers, user-missing 98/99, country-specific items and follow-ups
(system-missing when not asked). Every code in the data is in the catalog, so ingest takes
its normal path (no codes classified from file labels).

SYNTHETIC DATA: it says nothing about any country. Generation is vectorised numpy and
deterministic for a given scale (fixed seeds); pyreadstat.write_sav dominates its time.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyreadstat
import yaml

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))  # run as a script from anywhere

from builder.files import sha256_file, write_text_atomic  # noqa: E402
from builder.synthetic.common import ItemSpec, catalog_yaml  # noqa: E402

DATA = ROOT / "data"
NOTE = (
    "SYNTHETIC DATA made by benchmarks/generate.py for the ingest benchmark: shaped like the "
    "real files, but not survey data; it says nothing about any country."
)

WVS_ROWS, WVS_COLUMNS = 97_220, 613
PEW_ROWS, PEW_COLUMNS = 40_000, 800

# WVS7 participants as ISO 3166-1 numeric codes (909 = Northern Ireland, not an ISO code).
WVS_COUNTRIES = [
    20, 32, 36, 50, 51, 68, 76, 104, 124, 152, 156, 158, 170, 196, 203, 218, 231, 276, 300, 320,
    344, 360, 364, 368, 392, 398, 400, 404, 410, 417, 422, 434, 446, 458, 462, 484, 496, 499, 504,
    528, 554, 558, 566, 586, 604, 608, 630, 642, 643, 688, 702, 703, 704, 716, 762, 764, 788, 792,
    804, 818, 826, 840, 858, 860, 862, 909,
]
# Pew spells countries its own way; the integer codes are renumbered every wave.
PEW_COUNTRIES = [
    "Argentina", "Brazil", "Mexico", "Canada", "United States", "Britain", "France", "Germany",
    "Greece", "Hungary", "Italy", "Lithuania", "Netherlands", "Poland", "Russia", "Slovakia",
    "Spain", "Sweden", "Bulgaria", "Czech Rep.", "Ukraine", "Turkey", "Israel", "Lebanon",
    "Tunisia", "India (Current national sample)", "Indonesia", "Japan", "Philippines",
    "S. Korea", "Australia", "Kenya", "Nigeria", "South Africa", "Côte d’Ivoire",
]
PEW_ISO = {"Mexico": "MEX", "Indonesia": "IDN", "Brazil": "BRA", "Kenya": "KEN", "Japan": "JPN", "Poland": "POL"}
OVERSAMPLED = ("India (Current national sample)", "Britain", "South Africa")  # rows without weight

WVS_MISSING_LABELS = {-1: "Don't know", -2: "No answer", -3: "Not applicable", -4: "Not asked in survey", -5: "Missing; Not available"}
PEW_DK_VARIANTS = [
    {8: "Don't know (DO NOT READ)", 9: "Refused (DO NOT READ)"},
    {8: "DK", 9: "REF"},
    {8: "Don’t know", 9: "Refused"},
    {8: "Don't know (VOL)", 9: "Refused (VOL)"},
    {9: "DK/Refused"},
]
PEW_LONG_DK = {98: "Don't know (DO NOT READ)", 99: "Refused (DO NOT READ)"}


@dataclass
class Item:
    """One question column: its codes, labels and how the catalog describes it."""

    variable: str
    question: str
    options: dict[int, str]  # substantive code -> label, in scale order
    ordinal: list[float] | None = None
    stem: str | None = None
    non_substantive: dict[int, str] = field(default_factory=dict)  # in the data and the catalog (Pew)
    countries: list[str] | None = None  # country-specific (Pew): asked only there
    follow_up: bool = False  # Pew: asked of about half the respondents, system-missing otherwise
    user_missing: bool = False  # Pew: 98/99 declared SPSS user-missing
    party: bool = False  # WVS Q223-like: options are <ISO numeric>*1000+k, one set per country
    not_asked_countries: float = 0.03  # WVS: share of countries coded -4 for the whole item


# ---------------------------------------------------------------------------------- item plans

def _scale(k: int, first: int = 1, low: str = "", high: str = "") -> dict[int, str]:
    codes = list(range(first, first + k))
    labels = {code: str(code) for code in codes}
    if low:
        labels[codes[0]] = f"{low}"
    if high:
        labels[codes[-1]] = f"{high}"
    return labels


IMPORTANCE = {1: "Very important", 2: "Rather important", 3: "Not very important", 4: "Not at all important"}
AGREE4 = {1: "Strongly agree", 2: "Agree", 3: "Disagree", 4: "Strongly disagree"}
CONFIDENCE = {1: "A great deal", 2: "Quite a lot", 3: "Not very much", 4: "None at all"}
MENTIONED = {1: "Mentioned", 2: "Not mentioned"}
AGREE5 = {1: "Agree strongly", 2: "Agree", 3: "Neither agree nor disagree", 4: "Disagree", 5: "Disagree strongly"}
RELIGION = {0: "Do not belong to a denomination", 1: "Roman Catholic", 2: "Protestant", 3: "Orthodox (Russian/Greek/etc.)",
            4: "Jew", 5: "Muslim", 6: "Hindu", 7: "Buddhist", 8: "Other Christian", 9: "Other"}


def wvs_items(rng: np.random.Generator) -> list[Item]:
    """606 question columns (613 minus the 7 keys): Q1..Q290 and derived/recode variables."""
    n_items = WVS_COLUMNS - 7
    names = [f"Q{i}" for i in range(1, 291)] + [f"Y{i:03d}" for i in range(1, n_items - 290 + 1)]
    items = []
    for index, name in enumerate(names):
        kind = "importance" if index < 6 else ["agree4", "ten", "mentioned", "confidence", "three", "agree5", "zero_ten", "hard_to_say", "religion"][
            int(np.searchsorted([0.22, 0.42, 0.56, 0.70, 0.78, 0.88, 0.94, 0.97], rng.random(), side="right"))
        ]
        question = f"Synthetic benchmark question {name}: how would you answer item {index + 1}?"
        if kind == "importance":
            item = Item(name, f"Item {index + 1}", IMPORTANCE, [1, 2, 3, 4],
                        stem="For each of the following, indicate how important it is in your life. Would you say it is:")
        elif kind == "agree4":
            item = Item(name, question, AGREE4, [1, 2, 3, 4])
        elif kind == "confidence":
            item = Item(name, f"Organisation {index + 1}", CONFIDENCE, [1, 2, 3, 4],
                        stem="I am going to name a number of organizations. For each one, could you tell me how much confidence you have in them:")
        elif kind == "ten":
            item = Item(name, question, _scale(10, 1, "Not at all", "Completely"), list(range(1, 11)))
        elif kind == "mentioned":
            item = Item(name, f"Quality {index + 1}", MENTIONED,
                        stem="Here is a list of qualities that children can be encouraged to learn at home. Which, if any, do you consider to be especially important?")
        elif kind == "three":
            # Codes out of scale order, as in Q33_3 {1 Agree, 2 Disagree, 3 Neither}.
            item = Item(name, question, {1: "Agree", 3: "Neither", 2: "Disagree"}, [1, 2, 3])
        elif kind == "agree5":
            item = Item(name, question, AGREE5, [1, 2, 3, 4, 5])
        elif kind == "zero_ten":
            # 0 is a real answer ("It is against democracy"), as in Q241-Q249.
            item = Item(name, question, _scale(11, 0, "It is against democracy", "An essential characteristic of democracy"), list(range(0, 11)))
        elif kind == "hard_to_say":
            item = Item(name, question, {1: "Agree", 0: "Hard to say", 2: "Disagree"}, [1, 2, 3])  # 0 is an answer
        else:
            item = Item(name, question, RELIGION)
        items.append(item)
    items[0].question = "Family"  # Q1: the edition check (code 1 = "Very important")
    # Q223: the party one would vote for, coded <ISO numeric>*1000+k per country.
    items[222] = Item("Q223", "If there were a national election tomorrow, for which party on this list would you vote?", {}, party=True)
    items[222].options = {country * 1000 + k: f"{country:03d}: Party {k}" for country in WVS_COUNTRIES for k in range(1, 9)}
    return items


def pew_items(rng: np.random.Generator, n_items: int) -> list[Item]:
    items = []
    for index in range(n_items):
        name = f"Q{index + 1}" if index % 3 else f"item_{index + 1}"
        dk = PEW_DK_VARIANTS[index % len(PEW_DK_VARIANTS)]
        draw = rng.random()
        question = f"Synthetic benchmark question {index + 1}: what do you think about topic {index + 1}?"
        if draw < 0.35:
            item = Item(name, question, {1: "Very favorable", 2: "Somewhat favorable", 3: "Somewhat unfavorable", 4: "Very unfavorable"},
                        [1, 2, 3, 4], non_substantive=dk)
        elif draw < 0.60:
            item = Item(name, question, {1: "Yes", 2: "No"}, non_substantive=dk)
        elif draw < 0.70:
            item = Item(name, question, {1: "Better", 2: "Worse", 3: "About the same (VOL)"}, non_substantive=dk)
        elif draw < 0.78:
            item = Item(name, question, {1: "Very favorable", 2: "Somewhat favorable", 5: "Neither (VOL)", 3: "Somewhat unfavorable", 4: "Very unfavorable"},
                        [1, 2, 2.5, 3, 4], non_substantive=dk)
        elif draw < 0.84:
            item = Item(name, question, _scale(11, 0, "0 Worst possible", "10 Best possible"), list(range(0, 11)), non_substantive=PEW_LONG_DK)
        elif draw < 0.88:
            # A long list where 8 and 9 are answers and 98/99 are DK/Refused (declared user-missing).
            item = Item(name, question, {1: "Christian", 2: "Muslim", 3: "Hindu", 4: "Buddhist", 5: "Jewish", 6: "Sikh", 7: "Other religion",
                                         8: "No religion, not a believer, atheist, agnostic", 9: "Jehovah's Witness (VOL)"},
                        non_substantive=PEW_LONG_DK, user_missing=True)
        else:
            country = sorted(PEW_ISO)[index % len(PEW_ISO)]
            item = Item(f"Q{index + 1}{PEW_ISO[country]}", f"Do you have a favorable or unfavorable opinion of party {index + 1} in {country}?",
                        {1: "Favorable", 2: "Unfavorable"}, non_substantive=dk, countries=[PEW_ISO[country]])
        item.follow_up = draw > 0.95
        items.append(item)
    return items


# -------------------------------------------------------------------------------- generation

def country_sizes(rng: np.random.Generator, n_countries: int, total: int, low: float, high: float) -> np.ndarray:
    """Country sample sizes between roughly `low` and `high`, summing exactly to `total`."""
    raw = low + (high - low) * rng.random(n_countries) ** 2
    sizes = np.floor(raw / raw.sum() * total).astype(np.int64)
    sizes[: total - sizes.sum()] += 1
    return sizes


def draw_options(rng: np.random.Generator, group: np.ndarray, n_groups: int, codes: np.ndarray) -> np.ndarray:
    """One code per respondent, with group-specific uneven probabilities (inverse CDF, vectorised)."""
    probabilities = rng.random((n_groups, len(codes))) + 0.2 + rng.random((n_groups, 1))
    cdf = np.cumsum(probabilities / probabilities.sum(axis=1, keepdims=True), axis=1)
    cdf[:, -1] = 1.0
    position = (rng.random(len(group))[:, None] > cdf[group]).sum(axis=1)
    return codes[position]


def within_country_weights(rng: np.random.Generator, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Positive weights with mean 1 within each country (like W_WEIGHT and Pew's weight)."""
    weights = 0.3 + 1.7 * rng.random(len(group)) ** 1.5
    means = np.bincount(group, weights=weights, minlength=n_groups) / np.bincount(group, minlength=n_groups)
    return np.round(weights / means[group], 6)


def wvs_data(scale: int, items: list[Item]) -> tuple[dict[str, np.ndarray], np.ndarray]:
    rng = np.random.default_rng(7_000 + scale)
    sizes = country_sizes(rng, len(WVS_COUNTRIES), WVS_ROWS * scale, 447 * scale, 4018 * scale)
    group = np.repeat(np.arange(len(WVS_COUNTRIES)), sizes)
    country = np.array(WVS_COUNTRIES, dtype=np.int32)[group]
    n = len(group)
    serial = np.arange(n) - np.repeat(np.cumsum(sizes) - sizes, sizes) + 1
    columns: dict[str, np.ndarray] = {
        "B_COUNTRY": country,
        "B_COUNTRY_ALPHA": None,  # filled by the writers from `country`
        "A_YEAR": (2017 + np.floor(rng.random(len(WVS_COUNTRIES)) * 6)).astype(np.int32)[group],
        "D_INTERVIEW": (country.astype(np.int64) * 100_000 + serial).astype(np.int64),
        "W_WEIGHT": within_country_weights(rng, group, len(WVS_COUNTRIES)),
        "S018": np.round(1000.0 / sizes, 6)[group],
        "PWGHT": np.round(0.2 + 3 * rng.random(len(WVS_COUNTRIES)), 6)[group],
    }
    n_groups = len(WVS_COUNTRIES)
    for item in items:
        if item.party:
            # Each country answers from its own party list: code = ISO numeric * 1000 + k.
            values = (country * 1000 + draw_options(rng, group, n_groups, np.arange(1, 9, dtype=np.int32))).astype(np.int32)
        else:
            values = draw_options(rng, group, n_groups, np.array(list(item.options), dtype=np.int32))
        # Missing codes at country-specific rates: -1 DK, -2 no answer, -3 n/a, -5 missing.
        u = rng.random(n)
        rates = np.cumsum(np.stack([0.06 * rng.random(n_groups), 0.015 * rng.random(n_groups),
                                    0.02 * rng.random(n_groups) * (rng.random() < 0.3), np.full(n_groups, 0.003)]), axis=0)
        code = np.select([u < rates[0][group], u < rates[1][group], u < rates[2][group], u < rates[3][group]], [-1, -2, -3, -5], 0)
        values = np.where(code != 0, code, values).astype(np.int32)
        not_asked = rng.random(n_groups) < item.not_asked_countries
        values[not_asked[group]] = -4
        columns[item.variable] = values
    return columns, group


def pew_data(scale: int, items: list[Item], codes: dict[str, int]) -> tuple[dict[str, np.ndarray], list[str]]:
    rng = np.random.default_rng(9_000 + scale)
    labels = list(codes)
    sizes = country_sizes(rng, len(labels), PEW_ROWS * scale, 700 * scale, 2400 * scale)
    group = np.repeat(np.arange(len(labels)), sizes)
    n = len(group)
    weights = within_country_weights(rng, group, len(labels))
    oversample = np.isin(group, [labels.index(label) for label in OVERSAMPLED]) & (rng.random(n) < 0.08)
    weights[oversample] = np.nan  # oversample rows: no weight, dropped by ingest
    columns: dict[str, np.ndarray] = {
        "psraid": np.arange(1, n + 1, dtype=np.float64) + 100_000,
        "country": np.array([codes[label] for label in labels], dtype=np.float64)[group],
        "weight": weights,
        "int_date": 20190500 + np.floor(rng.random(n) * 28) + 1,
        "survey_lang": np.floor(rng.random(len(labels)) * 40 + 1)[group],
    }
    iso_of_group = np.array([PEW_ISO.get(label, "") for label in labels], dtype=object)
    for item in items:
        values = draw_options(rng, group, len(labels), np.array(list(item.options), dtype=np.float64))
        if item.non_substantive:
            replace = rng.random(n) < 0.02 + 0.08 * rng.random(len(labels))[group]
            values[replace] = draw_options(rng, group[replace], len(labels), np.array(list(item.non_substantive), dtype=np.float64))
        if item.countries:
            values[iso_of_group[group] != item.countries[0]] = np.nan  # empty everywhere else
        if item.follow_up:
            values[rng.random(n) < 0.5] = np.nan  # asked only after some answer to the previous item
        columns[item.variable] = values
    return columns, labels


# ---------------------------------------------------------------------------------- writers

def catalog_document(source: str, description: str, items: list[Item], extra: dict | None = None) -> str:
    """The catalog of these items, written as the bundled sample's catalogs are."""
    specs = [
        ItemSpec(variable=item.variable, question=item.question, options=item.options, ordinal=item.ordinal,
                 stem=item.stem, non_substantive=item.non_substantive, countries=item.countries,
                 flags=["depends_on_previous"] if item.follow_up else [])
        for item in items
    ]
    return catalog_yaml(source, specs, description=description, extra=extra, note=NOTE)


def write_wvs_csv(path: Path, columns: dict[str, np.ndarray], alpha: np.ndarray) -> None:
    """`;`-separated, UTF-8 BOM, quoted header, codes as integers (like the real per-country CSVs)."""
    arrays = {name: (pa.array(alpha) if name == "B_COUNTRY_ALPHA" else pa.array(values)) for name, values in columns.items()}
    table = pa.table(arrays)
    temporary = path.with_suffix(".csv.tmp")
    with open(temporary, "wb") as handle:
        handle.write(b"\xef\xbb\xbf")
        pacsv.write_csv(table, handle, pacsv.WriteOptions(delimiter=";", quoting_header="all_valid", batch_size=8192))
    temporary.replace(path)


def write_sav(path: Path, columns: dict[str, np.ndarray], value_labels: dict, column_labels: dict, missing_ranges: dict | None = None) -> None:
    import pandas as pd

    frame = pd.DataFrame(columns, copy=False)
    temporary = path.with_suffix(".sav.tmp")
    pyreadstat.write_sav(
        frame,
        str(temporary),
        file_label="SYNTHETIC benchmark data - not survey data",
        column_labels={name: column_labels.get(name, name) for name in frame.columns},
        variable_value_labels=value_labels,
        missing_ranges=missing_ranges or None,
        row_compress=True,  # real SPSS releases are bytecode-compressed (WVS7 .sav ~176 MB)
        note=[NOTE[i: i + 80] for i in range(0, len(NOTE), 80)],
    )
    temporary.replace(path)


def manifest_text(scale: int, sums: dict[str, str]) -> str:
    entries = [
        {"path": "wvs7_bench.csv", "source": "wvs", "survey": "wvs7_bench", "wave": "7", "years": [2017, 2022],
         "catalog": "../catalogs/wvs7_bench.yaml", "synthetic": True, "sha256": sums["wvs7_bench.csv"]},
        {"path": "wvs7_bench.sav", "source": "wvs", "survey": "wvs7_bench_sav", "wave": "7", "years": [2017, 2022],
         "catalog": "../catalogs/wvs7_bench.yaml", "synthetic": True, "sha256": sums["wvs7_bench.sav"]},
        {"path": "pew_bench.sav", "source": "pew_gas", "survey": "pew_bench", "wave": "2019", "years": 2019,
         "catalog": "../catalogs/pew_bench.yaml", "synthetic": True, "sha256": sums["pew_bench.sav"]},
    ]
    return f"# {NOTE}\n# scale {scale}: written by benchmarks/generate.py\n" + yaml.safe_dump({"files": entries}, sort_keys=False)


def generate(scale: int, out: Path, log=print) -> dict[str, Path]:
    started = time.perf_counter()
    folder = out / f"scale{scale}"
    folder.mkdir(parents=True, exist_ok=True)
    (out / "catalogs").mkdir(parents=True, exist_ok=True)

    # Item plans are the same at every scale (seeded independently of the scale).
    wvs_plan = wvs_items(np.random.default_rng(20220701))
    pew_plan = pew_items(np.random.default_rng(20190601), PEW_COLUMNS - 5)
    write_text_atomic(out / "catalogs" / "wvs7_bench.yaml", catalog_document(
        "wvs", "Synthetic WVS7-shaped benchmark file (benchmarks/generate.py)", wvs_plan,
        {"edition_check": [{"variable": "Q1", "code": 1, "label": "Very important"}]}))
    write_text_atomic(out / "catalogs" / "pew_bench.yaml", catalog_document(
        "pew_gas", "Synthetic Pew Global Attitudes-shaped benchmark file (benchmarks/generate.py)", pew_plan))

    columns, group = wvs_data(scale, wvs_plan)
    assert len(columns) == WVS_COLUMNS, len(columns)
    from builder.countries import resolve_country

    alpha_of = np.array([resolve_country(code).code if code != 909 else "NIR" for code in WVS_COUNTRIES], dtype=object)
    alpha = alpha_of[group]
    log(f"scale {scale}: WVS data {len(group):,} x {len(columns)} drawn ({time.perf_counter() - started:.0f} s)")
    write_wvs_csv(folder / "wvs7_bench.csv", columns, alpha)
    log(f"scale {scale}: wrote wvs7_bench.csv ({time.perf_counter() - started:.0f} s)")
    sav_columns = {name: (alpha if name == "B_COUNTRY_ALPHA" else values) for name, values in columns.items()}
    wvs_labels = {item.variable: {**item.options, **WVS_MISSING_LABELS} for item in wvs_plan}
    wvs_labels["B_COUNTRY"] = {code: str(alpha_of[i]) for i, code in enumerate(WVS_COUNTRIES)}
    write_sav(folder / "wvs7_bench.sav", sav_columns, wvs_labels,
              {item.variable: item.question for item in wvs_plan} | {"B_COUNTRY": "ISO 3166-1 numeric country code", "W_WEIGHT": "Calibration weights"})
    del columns, sav_columns
    log(f"scale {scale}: wrote wvs7_bench.sav ({time.perf_counter() - started:.0f} s)")

    codes = dict(zip(PEW_COUNTRIES, np.random.default_rng(2019).permutation(np.arange(1, len(PEW_COUNTRIES) + 1)).tolist()))
    pew_columns, _ = pew_data(scale, pew_plan, codes)
    assert len(pew_columns) == PEW_COLUMNS, len(pew_columns)
    pew_labels = {item.variable: {**item.options, **item.non_substantive} for item in pew_plan}
    pew_labels["country"] = {code: label for label, code in codes.items()}
    write_sav(folder / "pew_bench.sav", pew_columns, pew_labels, {item.variable: f"{item.variable}. {item.question}"[:120] for item in pew_plan},
              missing_ranges={item.variable: [98, 99] for item in pew_plan if item.user_missing})
    del pew_columns
    log(f"scale {scale}: wrote pew_bench.sav ({time.perf_counter() - started:.0f} s)")

    files = {name: folder / name for name in ("wvs7_bench.csv", "wvs7_bench.sav", "pew_bench.sav")}
    write_text_atomic(folder / "manifest.yaml", manifest_text(scale, {name: sha256_file(path) for name, path in files.items()}))
    log(f"scale {scale}: done in {time.perf_counter() - started:.0f} s -> {folder}")
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, nargs="+", default=[1], choices=[1, 2, 4], help="row multiplier(s)")
    parser.add_argument("--out", type=Path, default=DATA, help="output folder (default benchmarks/data)")
    args = parser.parse_args()
    for scale in args.scale:
        generate(scale, args.out)


if __name__ == "__main__":
    main()
