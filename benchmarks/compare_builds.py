"""Check that two ingest builds hold the same tables (used before/after performance changes).

    .venv/bin/python benchmarks/compare_builds.py BUILD_A BUILD_B

Compares questions, distributions and sources Parquet tables with pandas (exact equality,
`ingested_at` aside), the Arrow schemas, the build_id metadata and ingest_report.json
(`ingested_at` aside). Exit status 1 and a description of the first difference otherwise.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

TABLES = ("questions", "distributions", "sources")


def compare(a: Path, b: Path) -> list[str]:
    problems = []
    for name in TABLES:
        left, right = pq.read_table(a / f"{name}.parquet"), pq.read_table(b / f"{name}.parquet")
        if left.schema != right.schema:
            problems.append(f"{name}: schemas differ\n{left.schema}\n---\n{right.schema}")
            continue
        if left.schema.metadata != right.schema.metadata:
            problems.append(f"{name}: metadata differ ({left.schema.metadata} vs {right.schema.metadata})")
        frames = [table.to_pandas().drop(columns=["ingested_at"], errors="ignore") for table in (left, right)]
        try:
            pd.testing.assert_frame_equal(*frames, check_exact=True)
        except AssertionError as error:
            problems.append(f"{name}: {error}")
    reports = []
    for folder in (a, b):
        report = json.loads((folder / "ingest_report.json").read_text(encoding="utf-8"))
        report.pop("ingested_at", None)
        reports.append(report)
    if reports[0] != reports[1]:
        problems.append("ingest_report.json differs")
    return problems


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    problems = compare(Path(sys.argv[1]), Path(sys.argv[2]))
    for problem in problems:
        print(problem)
    print("identical" if not problems else f"{len(problems)} difference(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
