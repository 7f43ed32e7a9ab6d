"""Read the needed columns of a raw survey file (SPSS, Stata or CSV) plus its labels.

Every reader returns the same `RawColumns`: numeric codes as float64 (NaN = system-missing),
the file's value and variable labels where the format has them, and provenance. Variable names
are matched case-insensitively (Pew spells `CONFID_TRUMP` and `confid_trump` in different
waves). SPSS user-missing values are read as their codes, never turned into NaN, because Pew
declares "Refused" as user-missing in some files and it is an answer we report.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyreadstat

from builder.errors import DataError, UsageError

BOM = b"\xef\xbb\xbf"
# Answer codes read from a CSV come as int32 with this value for an empty cell (system-missing):
# survey codes are whole numbers, and integer lookups are 4x faster than float ones (tabulate.py).
MISSING_CODE = np.iinfo(np.int32).min
DELIMITERS = ",;\t|"


@dataclass
class RawColumns:
    # actual file variable name -> values (float64, or object for strings); for CSV an
    # ArrowColumns, which converts each column when it is looked up (so look up once, use, drop)
    columns: Mapping[str, np.ndarray]
    value_labels: dict[str, dict[float, str]] = field(default_factory=dict)
    variable_labels: dict[str, str] = field(default_factory=dict)
    n_rows: int = 0
    n_columns: int = 0
    reader: str = ""


@dataclass
class FileInfo:
    """What a file holds before reading any data: its variable names and labels."""

    names: list[str]
    value_labels: dict[str, dict[float, str]] = field(default_factory=dict)
    variable_labels: dict[str, str] = field(default_factory=dict)
    n_rows: int | None = None


def match_columns(wanted: list[str], available: list[str], file: object) -> dict[str, str]:
    """Map each wanted name to the file's spelling, ignoring case; missing or ambiguous -> error."""
    by_folded: dict[str, list[str]] = {}
    for name in available:
        by_folded.setdefault(name.casefold(), []).append(name)
    matched = {}
    for name in wanted:
        if name in available:
            matched[name] = name
            continue
        candidates = by_folded.get(name.casefold(), [])
        if not candidates:
            raise DataError("variable not found in the file", file=file, variable=name)
        if len(candidates) > 1:
            raise DataError(f"matches several variables ({', '.join(candidates)})", file=file, variable=name)
        matched[name] = candidates[0]
    return matched


def _readstat_error(error: Exception, path: Path, kind: str) -> DataError:
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    hint = ""
    if "convert" in message.lower() or "encoding" in message.lower() or "character set" in message.lower():
        hint = "; set reader: {encoding: windows-1252} (or the file's encoding) in the manifest"
    return DataError(f"unreadable {kind} file ({message}){hint}", file=path)


def _readstat(path: Path, fmt: str, **kwargs):
    reader = pyreadstat.read_sav if fmt == "sav" else pyreadstat.read_dta
    kind = "SPSS" if fmt == "sav" else "Stata"
    if not path.is_file():
        raise UsageError("file not found", file=path)
    try:
        return reader(str(path), **kwargs)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, UnicodeDecodeError, ValueError) as error:
        raise _readstat_error(error, path, kind) from None


def sniff_csv(path: Path, options: dict) -> tuple[str, str, list[str]]:
    """(encoding, delimiter, header names) of a CSV; a UTF-8 BOM and the delimiter are detected."""
    if not path.is_file():
        raise UsageError("file not found", file=path)
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
    encoding = options.get("encoding") or ("utf-8-sig" if head.startswith(BOM) else "utf-8")
    try:
        first_line = head.decode(encoding if encoding != "utf-8-sig" else "utf-8-sig", errors="strict").splitlines()[0]
    except (UnicodeDecodeError, IndexError, LookupError) as error:
        raise DataError(f"cannot read the CSV header ({error}); set reader: {{encoding: ...}} in the manifest", file=path) from None
    delimiter = options.get("delimiter")
    if delimiter is None:
        counts = {candidate: first_line.count(candidate) for candidate in DELIMITERS}
        delimiter = max(counts, key=counts.get)
        if counts[delimiter] == 0:
            delimiter = ","
    names = next(csv.reader([first_line], delimiter=delimiter))
    if len(names) == 1:
        seen = [candidate for candidate in DELIMITERS if candidate in first_line]
        if seen:
            raise DataError(f"the header is one column when split on {delimiter!r}; the file seems to use {seen[0]!r}", file=path)
    return encoding, delimiter, [name.strip() for name in names]


def file_info(path: Path, fmt: str, options: dict | None = None) -> FileInfo:
    """Variable names and labels without reading the data."""
    options = options or {}
    if fmt == "csv":
        _, _, names = sniff_csv(path, options)
        return FileInfo(names=names)
    _, meta = _readstat(path, fmt, metadataonly=True, encoding=options.get("encoding"))
    return FileInfo(
        names=list(meta.column_names),
        value_labels={name: dict(value_labels) for name, value_labels in meta.variable_value_labels.items()},
        variable_labels={name: label for name, label in meta.column_names_to_labels.items() if label},
        n_rows=meta.number_rows,
    )


@dataclass
class NativeRead:
    """What the reading library returned, before `read_columns` converts it to RawColumns."""

    data: object  # a pyarrow Table (CSV) or the pandas DataFrame pyreadstat returns
    meta: object | None  # pyreadstat's metadata (None for CSV)
    n_columns: int
    reader: str


def read_native(path: Path, fmt: str, columns: list[str], options: dict | None = None, text_columns: tuple = (),
                code_columns: tuple = ()) -> NativeRead:
    """The one library call that reads `columns`: the part of ingest no code of ours can speed up.

    The ingest benchmark times exactly this as its floor (benchmarks/ingest_bench.py), so a
    change of reader or reader options here moves the floor with it.
    """
    options = options or {}
    path = Path(path)
    if fmt == "csv":
        return _read_csv_table(path, columns, options, text_columns, code_columns)
    data, meta = _readstat(path, fmt, usecols=columns, user_missing=True, encoding=options.get("encoding"))
    function = "read_sav" if fmt == "sav" else "read_dta"
    return NativeRead(data, meta, meta.number_columns, f"pyreadstat.{function} {pyreadstat.__version__}")


def read_columns(path: Path, fmt: str, columns: list[str], options: dict | None = None, text_columns: tuple = (),
                 code_columns: tuple = ()) -> RawColumns:
    """Read `columns` (the file's own spellings) as float64 arrays; `text_columns` may hold text.

    From a CSV, `code_columns` come as int32 with MISSING_CODE for empty cells (a code that is
    not a whole number is a parse error naming the column); SPSS and Stata give float64 always.
    """
    path = Path(path)
    native = read_native(path, fmt, columns, options, text_columns, code_columns)
    if fmt == "csv":
        return _csv_columns(native, columns, text_columns)
    data, meta = native.data, native.meta
    arrays = {}
    for name in columns:
        series = data[name]
        if name not in text_columns and series.dtype.kind not in "fiub":
            raise DataError(f"expected numeric codes, found {series.dtype} values", file=path, variable=name)
        arrays[name] = series.to_numpy(dtype=np.float64) if series.dtype.kind in "fiub" else series.to_numpy(dtype=object)
    return RawColumns(
        columns=arrays,
        value_labels={name: dict(meta.variable_value_labels.get(name, {})) for name in columns},
        variable_labels={name: meta.column_names_to_labels.get(name) or "" for name in columns},
        n_rows=meta.number_rows if meta.number_rows is not None else len(data),
        n_columns=native.n_columns,
        reader=native.reader,
    )


def _read_csv_table(path: Path, columns: list[str], options: dict, text_columns: tuple, code_columns: tuple) -> NativeRead:
    encoding, delimiter, names = sniff_csv(path, options)
    reader = f"pyarrow.csv.read_csv {pa.__version__} (delimiter {delimiter!r}, {encoding})"
    try:
        table = _arrow_csv(path, columns, encoding, delimiter, text_columns, code_columns)
    except pa.ArrowInvalid as error:
        if not code_columns or "to int32" not in str(error):
            raise _csv_error(error, path, columns, names) from None
        # Codes written as decimals ("1.0", or "1.5", which tabulation will call unknown): read
        # them as floats. Slower, so only when the whole-number read fails.
        try:
            table = _arrow_csv(path, columns, encoding, delimiter, text_columns, ())
        except pa.ArrowInvalid as error:
            raise _csv_error(error, path, columns, names) from None
        reader += ", codes as decimals"
    return NativeRead(table, None, len(names), reader)


def _arrow_csv(path: Path, columns: list[str], encoding: str, delimiter: str, text_columns: tuple, code_columns: tuple) -> pa.Table:
    column_types = {
        name: pa.string() if name in text_columns else pa.int32() if name in code_columns else pa.float64() for name in columns
    }
    return pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(encoding="utf8" if encoding in ("utf-8", "utf-8-sig") else encoding),
        parse_options=pacsv.ParseOptions(delimiter=delimiter),
        # Only an empty cell is missing: Arrow's default would also read "NA", "n/a", "null" ... as
        # missing and silently turn a malformed code into "not asked".
        convert_options=pacsv.ConvertOptions(include_columns=columns, column_types=column_types, null_values=[""]),
    )


def _csv_error(error: Exception, path: Path, columns: list[str], names: list[str]) -> DataError:
    message = str(error).splitlines()[0]
    variable = next((name for name in columns if f"'{name}'" in message), None)
    number = re.search(r"column #(\d+)", message)  # Arrow names a column by its position
    if variable is None and number and int(number.group(1)) < len(names):
        variable = names[int(number.group(1))]
    return DataError(f"cannot parse the CSV ({message})", file=path, variable=variable)


def _csv_columns(native: NativeRead, columns: list[str], text_columns: tuple) -> RawColumns:
    table = native.data
    return RawColumns(
        columns=ArrowColumns(table, text_columns),
        n_rows=table.num_rows,
        n_columns=native.n_columns,
        reader=native.reader,
    )


class ArrowColumns(Mapping):
    """The columns of an Arrow table as numpy arrays, converted at each lookup and never kept.

    Ingest uses one item column at a time, so only one converted copy is alive at a time and
    its memory is reused for the next. Converting all ~600 columns up front doubled the peak
    RSS, and the copies, being fresh memory, cost more in page faults than the tabulation
    itself (WVS7-shaped CSV at 4x the rows: 3.5 s, against 0.6 s this way; benchmarks/).
    """

    def __init__(self, table: pa.Table, text_columns: tuple = ()):
        self._table = table
        self._names = set(table.column_names)
        self._text_columns = set(text_columns)

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self:
            raise KeyError(name)
        column = self._table.column(name)
        if pa.types.is_integer(column.type):  # answer codes: int32, MISSING_CODE for empty cells
            return column.fill_null(MISSING_CODE).to_numpy()
        values = column.to_numpy(zero_copy_only=False)
        return values.astype(object) if name in self._text_columns else values.astype(np.float64, copy=False)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self):
        return iter(self._table.column_names)

    def __len__(self) -> int:
        return self._table.num_columns


class ColumnView(Mapping):
    """`source` under other names (`names`: new name -> source name), looked up only on access,
    so the columns of an `ArrowColumns` stay unconverted until used."""

    def __init__(self, source: Mapping, names: dict[str, str]):
        self._source = source
        self._names = names

    def __getitem__(self, name: str) -> np.ndarray:
        return self._source[self._names[name]]

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)
