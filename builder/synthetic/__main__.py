"""Write the bundled synthetic sample: `python -m builder.synthetic [--out raw]`.

Writes raw/sample/*.sav|csv and raw/catalogs/*_synthetic.yaml, byte-identical on every run,
and prints each file's sha256 for raw/manifest.yaml (which this never rewrites: maintainers
keep their real files listed there).
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import textwrap
from pathlib import Path

import pyreadstat

from builder.files import sha256_file, write_text_atomic
from builder.synthetic import pew, wvs
from builder.synthetic.common import SYNTHETIC_NOTE, Sample, catalog_yaml
from builder.synthetic.savfile import rewrite_sav

PEW_SAV = "sample/pew_gas_synthetic.sav"
WVS_CSV = "sample/wvs7_synthetic.csv"
WVS_SAV = "sample/wvs7_synthetic.sav"
PEW_CATALOG = "catalogs/pew_gas_synthetic.yaml"
WVS_CATALOG = "catalogs/wvs7_synthetic.yaml"


def write_sav(sample: Sample, path: Path, *, encoding: str | None, country_labels: dict, extra_labels: dict | None = None) -> None:
    """Write with pyreadstat, then fix the timestamp (and encoding) so the bytes are stable."""
    responses = sample.responses
    value_labels = {item.variable: item.file_value_labels for item in sample.items}
    value_labels[sample.country_variable] = country_labels
    column_labels = {item.variable: item.file_label or item.question for item in sample.items}
    column_labels.update(extra_labels or {})
    with tempfile.TemporaryDirectory() as folder:
        plain = Path(folder) / "plain.sav"
        pyreadstat.write_sav(
            responses,
            plain,
            file_label="SYNTHETIC sample - not survey data",
            column_labels={name: column_labels.get(name, name) for name in responses.columns},
            variable_value_labels=value_labels,
            missing_ranges=sample.user_missing or None,
            note=textwrap.wrap(SYNTHETIC_NOTE, 80),  # SPSS document lines hold 80 characters
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        rewrite_sav(plain, path, encoding=encoding)


def write_wvs_csv(sample: Sample, path: Path) -> None:
    """Semicolons, a UTF-8 BOM and a quoted header, like the real per-country WVS files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sample.responses.to_csv(path, sep=";", index=False, encoding="utf-8-sig", quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")


def write_all(root: Path) -> dict[str, str]:
    """Write every sample file under `root` (normally raw/); returns path -> sha256."""
    pew_sample = pew.pew_sample()
    write_sav(pew_sample, root / PEW_SAV, encoding="windows-1252", country_labels=pew_sample.country_labels,
              extra_labels={"Country": "Country", "WEIGHT": "Weight"})
    write_text_atomic(root / PEW_CATALOG, catalog_yaml("pew_gas", pew.ITEMS, description="Synthetic Pew Global Attitudes-style wave"))

    wvs_sample = wvs.wvs_sample()
    write_wvs_csv(wvs_sample, root / WVS_CSV)
    write_sav(wvs_sample, root / WVS_SAV, encoding=None, country_labels=wvs.COUNTRY_NAMES,
              extra_labels={"B_COUNTRY": "ISO 3166-1 numeric country code", "W_WEIGHT": "Calibration weights"})
    edition = {"edition_check": [{"variable": "Q1", "code": 1, "label": "Very important"}]}
    write_text_atomic(root / WVS_CATALOG, catalog_yaml("wvs", wvs.ITEMS, description="Synthetic World Values Survey wave 7-style file", extra=edition))
    return {name: sha256_file(root / name) for name in (PEW_SAV, WVS_CSV, WVS_SAV, PEW_CATALOG, WVS_CATALOG)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("raw"), help="folder holding sample/ and catalogs/")
    args = parser.parse_args()
    for name, digest in write_all(args.out).items():
        print(f"{digest}  {args.out / name}")


if __name__ == "__main__":
    main()
