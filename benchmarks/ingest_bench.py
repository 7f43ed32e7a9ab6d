"""Ingest benchmark: wall time and peak RSS of ingesting every question column of full-size files.

    .venv/bin/python benchmarks/generate.py --scale 1 2 4       # once: writes benchmarks/data/
    .venv/bin/python benchmarks/ingest_bench.py                 # 1x, 2x, 4x; updates RESULTS.md

For each file (WVS7-shaped CSV and .sav, Pew-shaped .sav) and scale, three measurements, each
in a fresh child process so that its peak RSS is its own:

  floor    only the reader call ingest makes (`builder.readers.read_native`) on exactly the
           columns ingest reads (`Adapter.plan`): the part no code of ours can speed up. If
           ingest changes reader or reader options, the floor changes with it.
  ingest   `run_ingest` on a manifest listing just that file, writing the tables to a
           temporary build folder: checksum, catalog, read, checks, tabulation, Parquet.
  groupby  a straightforward pandas baseline: the same reader call, the columns as a pandas
           DataFrame, then per question `groupby([country, answer])[weight].sum()` (plus
           counts and squared weights) to the same distributions. Its output is checked
           against ingest's distributions table in the first repetition.

Wall time is measured inside the child around the work alone (after imports); peak RSS is
`ru_maxrss` of the child as returned by `os.wait4` (the child's own maximum, including any
processes it waited for), so it includes the interpreter and imported libraries (~150 MB).
Repetitions are interleaved (floor, ingest, groupby, floor, ...) after one untimed read of the
file, so every run finds it in the page cache; the table shows medians.

Targets (ingest issue, part 9): ingest within 1.5x of the floor; peak RSS under 1.5 GB on the
full WVS7 CSV; linear growth (time ratio per doubling of rows about 2, we accept <= 2.2).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent
REPO = ROOT.parent
sys.path.insert(0, str(REPO))

DATA = ROOT / "data"
RESULTS = ROOT / "RESULTS.md"
FILES = ("wvs7_bench.csv", "wvs7_bench.sav", "pew_bench.sav")
MODES = ("floor", "ingest", "groupby")
HEADING = "## Ingest"
START = "<!-- ingest-bench:start: written by benchmarks/ingest_bench.py, edits inside are overwritten -->"
END = "<!-- ingest-bench:end -->"
FLOOR_TARGET, RSS_TARGET_MB, GROWTH_TARGET = 1.5, 1500, 2.2


# ------------------------------------------------------------------------------- child side

def single_file_manifest(folder: Path, name: str) -> Path:
    """A manifest beside the generated one that lists only `name` (same entry, same sha256)."""
    import yaml

    document = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    entries = [entry for entry in document["files"] if entry["path"] == name]
    if not entries:
        raise SystemExit(f"{name} is not in {folder / 'manifest.yaml'}; run benchmarks/generate.py")
    path = folder / f"manifest.{name}.yaml"
    path.write_text(yaml.safe_dump({"files": entries}, sort_keys=False), encoding="utf-8")
    return path


def _setup(manifest: Path):
    from builder.catalog import load_catalog
    from builder.manifest import load_manifest
    from builder.sources import ADAPTERS

    (entry,) = load_manifest(manifest, set(ADAPTERS))
    adapter = ADAPTERS[entry.source]
    catalog = load_catalog(entry.catalog_file, source_defaults=adapter.code_defaults)
    return entry, adapter, catalog, adapter.plan(entry, catalog)


def run_floor(manifest: Path) -> dict:
    from builder import readers

    entry, _, _, plan = _setup(manifest)  # untimed: which columns ingest reads
    started, cpu = time.perf_counter(), time.process_time()
    native = readers.read_native(entry.file, entry.format, plan.columns, entry.reader,
                                 text_columns=plan.text_columns, code_columns=plan.code_columns)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"seconds": elapsed, "cpu_seconds": cpu, "reader": native.reader, "columns_read": len(plan.columns)}


def run_ingest(manifest: Path, build_dir: Path) -> dict:
    from builder.ingest import run_ingest as ingest

    started, cpu = time.perf_counter(), time.process_time()
    result = ingest(manifest, build_dir)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"seconds": elapsed, "cpu_seconds": cpu, "questions": len(result.questions), "distributions": len(result.distributions)}


def groupby_baseline(manifest: Path):
    """The straightforward pandas version: one groupby per question. Returns (frame, wall s, CPU s)."""
    import numpy as np
    import pandas as pd

    from builder import readers
    from builder.catalog import load_catalog
    from builder.countries import resolve_country
    from builder.labels import KINDS
    from builder.manifest import load_manifest
    from builder.sources import ADAPTERS

    (entry,) = load_manifest(manifest, set(ADAPTERS))
    adapter = ADAPTERS[entry.source]
    plan = adapter.plan(entry, load_catalog(entry.catalog_file, source_defaults=adapter.code_defaults))  # untimed

    started, cpu = time.perf_counter(), time.process_time()
    catalog = load_catalog(entry.catalog_file, source_defaults=adapter.code_defaults)
    native = readers.read_native(entry.file, entry.format, plan.columns, entry.reader,
                                 text_columns=plan.text_columns, code_columns=plan.code_columns)
    frame = native.data.to_pandas() if entry.format == "csv" else native.data
    country, weight = plan.country_variable, plan.weight_variable
    if native.meta is not None and native.meta.variable_value_labels.get(country) and entry.source == "pew_gas":
        keys = frame[country].map(native.meta.variable_value_labels[country])  # Pew: the label is the key
    else:
        keys = pd.to_numeric(frame[country]).astype("int64")  # WVS: ISO numeric code
    resolved = {key: resolve_country(key) for key in keys.unique()}
    frame = frame.assign(
        _code=keys.map({key: c.code for key, c in resolved.items()}),
        _frame=keys.map({key: c.sample_frame for key, c in resolved.items()}),
        _w2=frame[weight] ** 2,
    )
    frame = frame[frame[weight].notna()]  # oversample rows without a weight are dropped
    names = {(c.code, c.sample_frame): c.name for c in resolved.values()}

    results = []
    for item in catalog.items:
        column = plan.item_columns[item.variable]
        options = [option.code for option in item.options]
        by_kind = {kind: [code for code, (_, k) in item.non_substantive.items() if k == kind] for kind in KINDS}
        valid = options + list(item.non_substantive)
        # Only the columns this question needs: filtering the whole 600-column frame per
        # question would copy it every time and make the baseline a straw man.
        rows = frame.loc[frame[column].isin(valid), ["_code", "_frame", column, weight, "_w2"]]
        if item.countries:
            rows = rows[rows["_code"].isin(item.countries)]
        stats = rows.groupby(["_code", "_frame", column]).agg(w=(weight, "sum"), w2=("_w2", "sum"), n=(weight, "size"))
        w = stats["w"].unstack(column, fill_value=0.0).reindex(columns=valid, fill_value=0.0)
        w2 = stats["w2"].unstack(column, fill_value=0.0).reindex(columns=valid, fill_value=0.0)
        n = stats["n"].unstack(column, fill_value=0).reindex(columns=valid, fill_value=0)
        substantive = w[options].sum(axis=1)
        keep = (n[options].sum(axis=1) >= 1) & (substantive > 0)
        w, w2, n, substantive = w[keep], w2[keep], n[keep], substantive[keep]
        result = pd.DataFrame({
            "question_id": f"{entry.survey}.{item.item_id}",
            "country_code": w.index.get_level_values("_code"),
            "sample_frame": w.index.get_level_values("_frame"),
            "probabilities": list(w[options].div(substantive, axis=0).to_numpy()),
            **{f"{kind}_share": (w[codes].sum(axis=1) / w.sum(axis=1)).to_numpy() for kind, codes in by_kind.items()},
            "n": n[options].sum(axis=1).to_numpy(),
            "n_asked": n.sum(axis=1).to_numpy(),
            "effective_n": (substantive**2 / w2[options].sum(axis=1)).to_numpy(),
        })
        result["country"] = [names[key] for key in zip(result["country_code"], result["sample_frame"])]
        results.append(result)
    table = pd.concat(results, ignore_index=True)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    table["probabilities"] = table["probabilities"].map(np.asarray)
    return table, elapsed, cpu


def run_groupby(manifest: Path, output: Path | None) -> dict:
    table, elapsed, cpu = groupby_baseline(manifest)
    if output is not None:
        table.to_pickle(output)
    return {"seconds": elapsed, "cpu_seconds": cpu, "distributions": len(table)}


def child(args: argparse.Namespace) -> None:
    import resource

    # Every mode needs these; importing them first makes "RSS after imports" comparable.
    import builder.ingest  # noqa: F401  (pandas, numpy, pyarrow, pyreadstat, the adapters)

    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    manifest = Path(args.manifest)
    if args.child == "floor":
        result = run_floor(manifest)
    elif args.child == "ingest":
        result = run_ingest(manifest, Path(args.build_dir))
    else:
        result = run_groupby(manifest, Path(args.output) if args.output else None)
    result["rss_after_imports_mb"] = start_rss / 1024
    print(json.dumps(result))


# ------------------------------------------------------------------------------ parent side

def measure(mode: str, manifest: Path, extra: list[str]) -> dict:
    """Run one measurement in a fresh interpreter; peak RSS from os.wait4 (that child alone)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--manifest", str(manifest), *extra]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=REPO)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"{mode} failed on {manifest}:\n{stderr[-3000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["peak_rss_mb"] = usage.ru_maxrss / 1024  # KiB on Linux
    return result


def check_baseline(build_dir: Path, baseline: Path) -> str:
    """Do the groupby baseline and ingest give the same numbers? (floating-point tolerance)"""
    import numpy as np
    import pandas as pd
    import pyarrow.parquet as pq

    ours = pq.read_table(build_dir / "distributions.parquet").to_pandas()
    theirs = pd.read_pickle(baseline)
    key = ["question_id", "country_code", "sample_frame"]
    ours, theirs = (frame.sort_values(key, kind="stable").reset_index(drop=True) for frame in (ours, theirs))
    if len(ours) != len(theirs) or not ours[key + ["country"]].equals(theirs[key + ["country"]]):
        return f"DIFFERENT rows ({len(ours)} vs {len(theirs)})"
    worst = 0.0
    for column in ("dont_know_share", "refused_share", "dk_refused_share", "no_answer_share", "effective_n"):
        worst = max(worst, float(np.max(np.abs(ours[column].to_numpy() - theirs[column].to_numpy()) / np.maximum(1, np.abs(ours[column].to_numpy())))))
    for left, right in zip(ours["probabilities"], theirs["probabilities"]):
        if len(left) != len(right):
            return "DIFFERENT option counts"
        worst = max(worst, float(np.max(np.abs(np.asarray(left) - right))))
    if not (ours["n"].to_numpy() == theirs["n"].to_numpy()).all() or not (ours["n_asked"].to_numpy() == theirs["n_asked"].to_numpy()).all():
        return "DIFFERENT n"
    return f"same numbers (max difference {worst:.1e})" if worst < 1e-9 else f"DIFFERENT values (max difference {worst:.1e})"


def warm(path: Path) -> None:
    with open(path, "rb") as handle:
        while handle.read(1 << 24):
            pass


def bench_file(name: str, scale: int, repeat: int, modes: tuple[str, ...], check: bool, log) -> dict:
    folder = DATA / f"scale{scale}"
    manifest = single_file_manifest(folder, name)
    warm(folder / name)
    runs: dict[str, list[dict]] = {mode: [] for mode in modes}
    agreement = None
    with tempfile.TemporaryDirectory(prefix="ingest-bench-") as scratch:
        for repetition in range(repeat):
            build_dir, baseline = Path(scratch) / f"build{repetition}", Path(scratch) / f"baseline{repetition}.pkl"
            for mode in modes:
                extra = ["--build-dir", str(build_dir)] if mode == "ingest" else []
                if mode == "groupby" and check and repetition == 0:
                    extra = ["--output", str(baseline)]
                result = measure(mode, manifest, extra)
                runs[mode].append(result)
                log(f"  {name} x{scale} {mode:8s} rep {repetition + 1}/{repeat}: {result['seconds']:7.2f} s  {result['peak_rss_mb']:7.0f} MB")
            if check and repetition == 0 and {"ingest", "groupby"} <= set(modes):
                agreement = check_baseline(build_dir, baseline)
                log(f"  {name} x{scale} groupby baseline vs ingest: {agreement}")
    summary = {
        mode: {
            "seconds": statistics.median(run["seconds"] for run in results),
            "cpu_seconds": statistics.median(run["cpu_seconds"] for run in results),
            "peak_rss_mb": max(run["peak_rss_mb"] for run in results),
            "all_seconds": [round(run["seconds"], 3) for run in results],
        }
        for mode, results in runs.items()
    }
    info = runs[modes[0]][0]
    return {
        "file": name,
        "scale": scale,
        "size_mb": (folder / name).stat().st_size / 1e6,
        "repeat": repeat,
        "modes": summary,
        "reader": runs["floor"][0].get("reader") if "floor" in runs else None,
        "columns_read": runs["floor"][0].get("columns_read") if "floor" in runs else None,
        "rss_after_imports_mb": info.get("rss_after_imports_mb"),
        "baseline_check": agreement,
    }


# -------------------------------------------------------------------------------- reporting

def machine() -> str:
    import numpy
    import pandas
    import pyarrow
    import pyreadstat

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor())
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, numpy {numpy.__version__}, pandas {pandas.__version__}, "
        f"pyarrow {pyarrow.__version__}, pyreadstat {pyreadstat.__version__}"
    )


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a and b else "-"


def markdown(results: list[dict], command: str, started: datetime, elapsed: float) -> str:
    lines = [
        "### Latest run",
        "",
        f"- Command: `{command}`",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC (took {elapsed / 60:.1f} min)",
        f"- Machine: {machine()}",
        "- Wall time is the median of the repetitions (reps), measured in the child around the work"
        " (CPU: `time.process_time()` of the same span, all threads; less disturbed by other load);"
        " peak RSS is the child's `ru_maxrss` from `os.wait4` (includes ~"
        f"{statistics.median(r['rss_after_imports_mb'] for r in results if r['rss_after_imports_mb']):.0f} MB of interpreter and libraries).",
        "",
        "| file | rows | size | reps | floor s | ingest s | groupby s | ingest / floor | ingest / groupby | ingest / floor (CPU) | floor RSS | ingest RSS | groupby RSS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = {"wvs7_bench.csv": 97_220, "wvs7_bench.sav": 97_220, "pew_bench.sav": 40_000}
    for r in results:
        m = r["modes"]
        get = lambda mode, key: m.get(mode, {}).get(key)  # noqa: E731
        fmt_s = lambda mode: f"{get(mode, 'seconds'):.2f}" if get(mode, "seconds") is not None else "-"  # noqa: E731
        fmt_mb = lambda mode: f"{get(mode, 'peak_rss_mb'):,.0f} MB" if get(mode, "peak_rss_mb") is not None else "-"  # noqa: E731
        lines.append(
            f"| {r['file']} | {rows[r['file']] * r['scale']:,} ({r['scale']}x) | {r['size_mb']:.0f} MB | {r['repeat']} | {fmt_s('floor')} | {fmt_s('ingest')} | {fmt_s('groupby')} "
            f"| {ratio(get('ingest', 'seconds'), get('floor', 'seconds'))} | {ratio(get('ingest', 'seconds'), get('groupby', 'seconds'))} "
            f"| {ratio(get('ingest', 'cpu_seconds'), get('floor', 'cpu_seconds'))} | {fmt_mb('floor')} | {fmt_mb('ingest')} | {fmt_mb('groupby')} |"
        )
    lines += ["", "Growth: ratio per doubling of the rows of wall time, CPU time and (ingest) peak RSS; 2.00 is linear.", "",
              "| file | mode | 1x s | 2x s | 4x s | 2x / 1x | 4x / 2x | CPU 2x / 1x | CPU 4x / 2x | RSS 2x / 1x | RSS 4x / 2x |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    by_file: dict[str, dict[int, dict]] = {}
    for r in results:
        by_file.setdefault(r["file"], {})[r["scale"]] = r
    growth_ok = []
    for name, scales in by_file.items():
        for mode in MODES:
            seconds = {scale: scales[scale]["modes"].get(mode, {}).get("seconds") for scale in (1, 2, 4) if scale in scales}
            if len([s for s in seconds.values() if s]) < 2:
                continue
            rss = {scale: scales[scale]["modes"].get(mode, {}).get("peak_rss_mb") for scale in (1, 2, 4) if scale in scales}
            cpu = {scale: scales[scale]["modes"].get(mode, {}).get("cpu_seconds") for scale in (1, 2, 4) if scale in scales}
            cells = [f"{seconds[s]:.2f}" if seconds.get(s) else "-" for s in (1, 2, 4)]
            steps = [ratio(seconds.get(b), seconds.get(a)) for a, b in ((1, 2), (2, 4))]
            cpu_steps = [ratio(cpu.get(b), cpu.get(a)) for a, b in ((1, 2), (2, 4))]
            rss_steps = [ratio(rss.get(b), rss.get(a)) for a, b in ((1, 2), (2, 4))] if mode == "ingest" else ["", ""]
            if mode == "ingest":
                growth_ok += [float(step) <= GROWTH_TARGET for step in steps if step != "-"]
            lines.append(f"| {name} | {mode} | {' | '.join(cells)} | {' | '.join(steps)} | {' | '.join(cpu_steps)} | {' | '.join(rss_steps)} |")
    checks = [f"{r['file']} {r['scale']}x: {r['baseline_check']}" for r in results if r.get("baseline_check")]
    lines += ["", "Groupby baseline vs ingest distributions (first repetition): " + ("; ".join(checks) if checks else "not checked"), ""]
    readers = sorted({f"{r['file'].rsplit('.', 1)[1]}: {r['reader']} ({r['columns_read']} columns)" for r in results if r.get("reader")})
    lines += ["Floor reader call (`builder.readers.read_native`): " + "; ".join(readers), ""]

    ones = [r for r in results if r["scale"] == 1]
    floor_ratios: dict[str, list[float]] = {}
    for r in results:
        if {"ingest", "floor"} <= set(r["modes"]):
            floor_ratios.setdefault(r["file"], []).append(r["modes"]["ingest"]["seconds"] / r["modes"]["floor"]["seconds"])
    csv = next((r for r in ones if r["file"] == "wvs7_bench.csv" and "ingest" in r["modes"]), None)
    lines += ["Targets:", ""]
    if floor_ratios:
        verdicts = [
            f"{name} {'met' if max(values) <= FLOOR_TARGET else 'MISSED'} ({min(values):.2f}-{max(values):.2f}x)"
            for name, values in floor_ratios.items()
        ]
        lines.append(f"- ingest within {FLOOR_TARGET}x of the floor: " + "; ".join(verdicts))
    if csv:
        peak = csv["modes"]["ingest"]["peak_rss_mb"]
        lines.append(f"- peak RSS under {RSS_TARGET_MB:,} MB on the full WVS7 CSV: {'met' if peak < RSS_TARGET_MB else 'MISSED'} ({peak:,.0f} MB)")
    if growth_ok:
        lines.append(f"- linear growth (ingest time ratio per doubling <= {GROWTH_TARGET}): {'met' if all(growth_ok) else 'MISSED'}")
    return "\n".join(lines) + "\n"


def update_results(block: str, path: Path = RESULTS) -> None:
    """Replace our block inside the `## Ingest` section; leave every other section untouched."""
    marked = f"{START}\n{block}{END}\n"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n\nOne section per benchmark; each script rewrites only its own block.\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        text = before + marked + ("\n" + after if after else "")
    else:
        lines = text.splitlines(keepends=True)
        heading = next((i for i, line in enumerate(lines) if line.strip() == HEADING), None)
        if heading is None:
            text = text.rstrip("\n") + f"\n\n{HEADING}\n\n{marked}"
        else:
            lines.insert(heading + 1, f"\n{marked}")
            text = "".join(lines)
    tmp = path.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 2, 4], choices=[1, 2, 4])
    parser.add_argument("--files", nargs="+", default=list(FILES), choices=FILES)
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    parser.add_argument("--repeat", type=int, default=3, help="repetitions at 1x (median reported; default 3)")
    parser.add_argument("--repeat-large", type=int, default=3, help="repetitions at 2x and 4x (default 3; 1 for a quick look)")
    parser.add_argument("--no-check", action="store_true", help="skip comparing the groupby baseline with ingest")
    parser.add_argument("--no-write", action="store_true", help="print the table, leave RESULTS.md alone")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--report-only", type=Path, metavar="JSON", help="rebuild the Markdown from a --json file of an earlier run, measure nothing")
    # Internal: one measurement in a fresh process.
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--manifest", help=argparse.SUPPRESS)
    parser.add_argument("--build-dir", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    if args.report_only:
        saved = json.loads(args.report_only.read_text(encoding="utf-8"))
        block = markdown(saved["results"], saved["command"], datetime.fromisoformat(saved["started"]), saved.get("elapsed", 0.0))
        print(block)
        if not args.no_write:
            update_results(block)
        return

    missing = [DATA / f"scale{scale}" / "manifest.yaml" for scale in args.scales if not (DATA / f"scale{scale}" / "manifest.yaml").exists()]
    if missing:
        raise SystemExit(f"no benchmark data ({missing[0]}); run: .venv/bin/python benchmarks/generate.py --scale {' '.join(map(str, args.scales))}")
    started, clock = datetime.now(timezone.utc), time.perf_counter()
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    results = []
    for name in args.files:
        for scale in sorted(args.scales):
            repeat = args.repeat if scale == 1 else args.repeat_large
            results.append(bench_file(name, scale, repeat, tuple(args.modes), not args.no_check, log))
    command = " ".join([".venv/bin/python", "benchmarks/ingest_bench.py", *map(shlex.quote, sys.argv[1:])])
    elapsed = time.perf_counter() - clock
    block = markdown(results, command, started, elapsed)
    print(block)
    if args.json:
        args.json.write_text(json.dumps({"command": command, "started": started.isoformat(), "elapsed": elapsed, "results": results}, indent=2))
    if not args.no_write:
        update_results(block)
        log(f"updated {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
