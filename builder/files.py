"""File helpers shared by every stage: YAML with one-line errors, checksums, atomic writes."""

from __future__ import annotations

import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from builder.errors import UsageError

# libyaml's loader parses a full-size catalog (600 items) about 20x faster than the pure-Python
# one; PyYAML wheels ship it, but fall back rather than fail where they do not.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_text(path: Path, *, encoding: str = "utf-8", missing: str = "file not found") -> str:
    """A text file's content; a missing or unreadable file becomes a one-line UsageError."""
    try:
        return Path(path).read_text(encoding=encoding)
    except FileNotFoundError:
        raise UsageError(missing, file=path) from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read ({error})", file=path) from None


def read_yaml(path: Path) -> object:
    """Parse a YAML file; a missing file or a syntax error becomes a one-line UsageError."""
    path = Path(path)
    text = read_text(path)
    try:
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise UsageError(f"{where}invalid YAML: {problem}", file=path) from None


def sha256_file(path: Path, chunk_size: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(chunk_size), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target` atomically.

    On any failure the temporary file is removed and `target` is left as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(temporary)
    try:
        # mkstemp creates 0600 files; give the result the usual permissions (umask applies).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        yield temporary
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def write_bytes_atomic(target: Path, data: bytes) -> None:
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)


def write_text_atomic(target: Path, text: str) -> None:
    write_bytes_atomic(target, text.encode("utf-8"))


def write_parquet_atomic(target: Path, table: pa.Table) -> None:
    """Write a Parquet file atomically with fixed writer options (stable bytes for equal data)."""
    with atomic_path(target) as temporary:
        pq.write_table(table, temporary, compression="zstd", use_dictionary=True, write_statistics=True)
