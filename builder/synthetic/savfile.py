"""Post-process SPSS ``.sav`` files written by pyreadstat.

pyreadstat (ReadStat) always writes UTF-8 and stamps the current date/time
into the file header.  The synthetic sample needs byte-identical output on
every run and also legacy-encoded files like older Pew Global Attitudes
releases.  :func:`rewrite_sav` walks the dictionary records of the SPSS
system-file format (header, type 2/3/4/6/7 records, the 999 terminator),
rewrites what is needed, and copies the data section unchanged.
"""

from __future__ import annotations

import codecs
import os
import struct
from datetime import datetime
from pathlib import Path

FIXED_CREATED = datetime(2000, 1, 1, 0, 0, 0)

# Header: magic(4) product(60) layout(4) case_size(4) compression(4)
# weight_index(4) ncases(4) bias(8) date(9) time(8) file_label(64) pad(3).
HEADER_SIZE = 176
LAYOUT_CODE_OFFSET = 64
COMPRESSION_OFFSET = 72
CREATION_DATE_OFFSET, CREATION_DATE_SIZE = 92, 9  # "dd mmm yy"
CREATION_TIME_OFFSET, CREATION_TIME_SIZE = 101, 8  # "hh:mm:ss"
FILE_LABEL_OFFSET, FILE_LABEL_SIZE = 109, 64
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

VARIABLE, VALUE_LABELS, VALUE_LABEL_VARS, DOCUMENT = 2, 3, 4, 6
EXTENSION, END_OF_DICTIONARY = 7, 999
INTEGER_INFO, ENCODING_NAME, LONG_STRING_VALUE_LABELS = 3, 20, 21
# Extension subtypes whose payload is plain text in the file's encoding:
# 7/19 multiple-response sets, 10 product info, 13 long variable names,
# 14 very long string widths, 17/18 file and variable attributes.
TEXT_SUBTYPES = {7, 10, 13, 14, 17, 18, 19}
ZLIB_COMPRESSED = 2  # .zsav: the data section holds absolute file offsets

# Python codec name -> (Windows code page for the integer-info record,
# name for the subtype 20 encoding record), as SPSS writes them.
CHARSETS = {
    "utf-8": (65001, "UTF-8"),
    "cp1252": (1252, "windows-1252"),
    "iso8859-1": (28591, "ISO-8859-1"),
    "iso8859-15": (28605, "ISO-8859-15"),
    "ascii": (20127, "US-ASCII"),
}
# Code page written when the encoding must not be revealed: 20127 claims
# 7-bit US-ASCII.  ReadStat maps it to iconv's "US-ASCII", so any byte
# >= 0x80 makes the read fail unless the caller passes encoding=.  Observed
# with pyreadstat 1.3.7 for the other candidates: 2, 3 and 1252 map to
# WINDOWS-1252 (read correctly, nothing to test); 1 is EBCDIC (everything
# mangled, even ASCII names); 28591 silently drops/garbles cp1252-only
# characters such as U+2019; 65001 fails like 20127 but claims UTF-8;
# unknown codes raise "File has an unsupported character set"; 0 raises
# SystemError from a failed UnicodeDecodeError.
UNDECLARED_CHARACTER_CODE = 20127


def rewrite_sav(
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    declare_encoding: bool = True,
    created: datetime = FIXED_CREATED,
    file_label: str | None = None,
) -> None:
    """Copy the pyreadstat-written ``src`` to ``dst``, made deterministic.

    * The header's creation date/time become ``created`` (seconds precision),
      so two runs produce byte-identical files.
    * ``file_label`` replaces the 64-byte header label; ``None`` keeps it.
    * ``encoding`` (a Python codec name: "windows-1252", "latin-1", ...)
      re-encodes every dictionary text from UTF-8: the file label, variable
      names and labels, value labels, documents, long variable names and
      other text extension records; lengths and padding are recomputed.
      The integer-info character code and the subtype 20 encoding record are
      set to match.  ``None`` keeps the UTF-8 texts as they are.
      String *data* values are copied untouched, so a file holding a string
      variable is refused (ValueError) unless the encoding is UTF-8.
    * ``declare_encoding=False`` drops the subtype 20 encoding record and
      sets the character code to 20127 (US-ASCII), as with legacy files
      that never stated their code page.  With pyreadstat 1.3.7,
      ``pyreadstat.read_sav(dst)`` on such a file with non-ASCII text raises
      ``pyreadstat.ReadstatError`` "Unable to convert string to the
      requested encoding (invalid byte sequence)"; ``read_sav(dst,
      encoding="windows-1252")`` reads it correctly (so does
      ``metadataonly=True``: same error without encoding=).  A file whose
      dictionary text is pure ASCII reads fine either way.  With
      ``encoding=None`` the texts stay UTF-8 and need ``encoding="utf-8"``.

    Uncompressed, bytecode-compressed (``row_compress=True``) and zlib
    ``.zsav`` (``compress=True``) files are supported; the data section is
    copied byte for byte (for .zsav only its file offsets are shifted).
    Only files in pyreadstat's UTF-8 are accepted as input.
    """
    target = codecs.lookup(encoding).name if encoding else "utf-8"
    if target not in CHARSETS:
        raise ValueError(f"unsupported encoding {encoding!r}; known: {sorted(CHARSETS)}")
    data = Path(src).read_bytes()
    dictionary, data_start = _rewrite_dictionary(data, target, declare_encoding)
    header = _rewrite_header(data[:HEADER_SIZE], target, created, file_label)
    rest = data[data_start:]  # the data section, copied unchanged
    order = _byte_order(data)
    (compression,) = struct.unpack_from(order + "i", data, COMPRESSION_OFFSET)
    if compression == ZLIB_COMPRESSED:
        rest = _shift_zsav_offsets(rest, HEADER_SIZE + len(dictionary) - data_start, order)
    Path(dst).write_bytes(header + dictionary + rest)


def _byte_order(data: bytes) -> str:
    """struct prefix for the file's byte order, from the layout code (2 or 3)."""
    if data[:4] not in (b"$FL2", b"$FL3"):
        raise ValueError("not an SPSS system file")
    (layout,) = struct.unpack_from("<i", data, LAYOUT_CODE_OFFSET)
    return "<" if layout in (2, 3) else ">"


def _recode(raw: bytes, target: str) -> bytes:
    """Re-encode UTF-8 text into ``target`` (strict: unmappable text raises)."""
    return raw if target == "utf-8" else raw.decode("utf-8").encode(target)


def _fixed_field(text: bytes, size: int, what: str) -> bytes:
    """Space-pad ``text`` to exactly ``size`` bytes."""
    if len(text) > size:
        raise ValueError(f"{what} needs {len(text)} bytes, only {size} fit")
    return text.ljust(size, b" ")


def _rewrite_header(header: bytes, target: str, created: datetime, file_label: str | None) -> bytes:
    # The year has two digits; ReadStat reads 70-99 as 19xx and 00-69 as
    # 20xx, and pyreadstat 1.3.7 overflows (32-bit time) after 2037.
    if not 1970 <= created.year <= 2037:
        raise ValueError(f"created must lie in 1970..2037, got {created:%Y}")
    out = bytearray(header)
    # English month names, not strftime("%b"), which follows the locale.
    date = f"{created.day:02d} {MONTHS[created.month - 1]} {created.year % 100:02d}"
    clock = f"{created.hour:02d}:{created.minute:02d}:{created.second:02d}"
    out[CREATION_DATE_OFFSET : CREATION_DATE_OFFSET + CREATION_DATE_SIZE] = date.encode("ascii")
    out[CREATION_TIME_OFFSET : CREATION_TIME_OFFSET + CREATION_TIME_SIZE] = clock.encode("ascii")
    label_field = slice(FILE_LABEL_OFFSET, FILE_LABEL_OFFSET + FILE_LABEL_SIZE)
    if file_label is not None:
        label = file_label.encode(target)
    else:
        label = _recode(header[label_field].rstrip(b" "), target)
    out[label_field] = _fixed_field(label, FILE_LABEL_SIZE, "file label")
    return bytes(out)


class _RecordReader:
    """Sequential reader over the dictionary, in the file's byte order."""

    def __init__(self, data: bytes, byte_order: str) -> None:
        self.data, self.pos, self.order = data, HEADER_SIZE, byte_order

    def take(self, size: int) -> bytes:
        if self.pos + size > len(self.data):
            raise ValueError("truncated SPSS dictionary")
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk

    def int32(self) -> int:
        return struct.unpack(self.order + "i", self.take(4))[0]


def _rewrite_dictionary(data: bytes, target: str, declare_encoding: bool) -> tuple[bytes, int]:
    """Return the rewritten records after the header, and where the data starts."""
    order = _byte_order(data)
    reader, out = _RecordReader(data, order), bytearray()

    def int32(value: int) -> bytes:
        return struct.pack(order + "i", value)

    while True:
        record_type = reader.int32()
        if record_type == VARIABLE:
            # type (0 numeric, >0 string width, -1 continuation), has_label,
            # n_missing, print format, write format, then an 8-byte name.
            raw_fields = reader.take(20)
            width, has_label, n_missing = struct.unpack(order + "3i", raw_fields[:12])
            if width > 0 and target != "utf-8":
                raise ValueError("string variables hold text data that would not be re-encoded")
            name = reader.take(8)
            if width >= 0:  # a continuation record's name is filler
                name = _fixed_field(_recode(name.rstrip(b" "), target), 8, "short variable name")
            out += int32(VARIABLE) + raw_fields + name
            if has_label:
                raw_len = reader.int32()
                label = _recode(reader.take(raw_len), target)
                reader.take(-raw_len % 4)  # labels are padded to a multiple of 4
                out += int32(len(label)) + label + b" " * (-len(label) % 4)
            out += reader.take(8 * abs(n_missing))  # numeric missing values
        elif record_type == VALUE_LABELS:
            count = reader.int32()
            out += int32(VALUE_LABELS) + int32(count)
            for _ in range(count):
                value = reader.take(8)
                raw_len = reader.take(1)[0]
                label = _recode(reader.take(raw_len), target)
                reader.take(-(raw_len + 1) % 8)  # length byte + label fill 8-byte units
                if len(label) > 255:
                    raise ValueError("value label longer than 255 bytes")
                out += value + bytes([len(label)]) + label + b" " * (-(len(label) + 1) % 8)
            if reader.int32() != VALUE_LABEL_VARS:
                raise ValueError("value labels not followed by a type 4 record")
            n_vars = reader.int32()
            out += int32(VALUE_LABEL_VARS) + int32(n_vars) + reader.take(4 * n_vars)
        elif record_type == DOCUMENT:
            n_lines = reader.int32()
            out += int32(DOCUMENT) + int32(n_lines)
            for _ in range(n_lines):  # fixed 80-byte lines
                line = _recode(reader.take(80).rstrip(b" "), target)
                out += _fixed_field(line, 80, "document line")
        elif record_type == EXTENSION:
            subtype, size, count = struct.unpack(order + "3i", reader.take(12))
            payload = reader.take(size * count)
            if subtype == INTEGER_INFO:
                payload = _set_character_code(payload, order, target, declare_encoding)
            elif subtype == ENCODING_NAME:
                if payload.upper() not in (b"UTF-8", b"UTF8"):
                    raise ValueError(f"expected a UTF-8 file, it declares {payload!r}")
                if not declare_encoding:
                    continue  # drop the record
                payload = CHARSETS[target][1].encode("ascii")
                size, count = 1, len(payload)
            elif subtype == LONG_STRING_VALUE_LABELS and target != "utf-8":
                raise ValueError("long string value labels cannot be re-encoded")
            elif subtype in TEXT_SUBTYPES and size == 1:
                payload = _recode(payload, target)
                count = len(payload)
            out += int32(EXTENSION) + struct.pack(order + "3i", subtype, size, count) + payload
        elif record_type == END_OF_DICTIONARY:
            out += int32(END_OF_DICTIONARY) + reader.take(4)  # filler
            return bytes(out), reader.pos
        else:
            raise ValueError(f"unknown record type {record_type} at byte {reader.pos - 4}")


def _set_character_code(payload: bytes, order: str, target: str, declare_encoding: bool) -> bytes:
    """Integer-info record: 8 int32s, the last is the character code."""
    fields = list(struct.unpack(order + "8i", payload))
    if fields[7] != CHARSETS["utf-8"][0]:
        raise ValueError(f"expected a UTF-8 file, character code is {fields[7]}")
    fields[7] = CHARSETS[target][0] if declare_encoding else UNDECLARED_CHARACTER_CODE
    return struct.pack(order + "8i", *fields)


def _shift_zsav_offsets(rest: bytes, shift: int, order: str) -> bytes:
    """Move the absolute file offsets of a .zsav data section by ``shift`` bytes.

    The zlib header holds (zheader_ofs, ztrailer_ofs, ztrailer_len); the
    trailer holds bias, zero, block_size, n_blocks and then, per block,
    (uncompressed_ofs, compressed_ofs, uncompressed_size, compressed_size).
    """
    if shift == 0:
        return rest
    out = bytearray(rest)
    zheader_ofs, ztrailer_ofs, ztrailer_len = struct.unpack_from(order + "3q", out, 0)
    struct.pack_into(order + "3q", out, 0, zheader_ofs + shift, ztrailer_ofs + shift, ztrailer_len)
    trailer = ztrailer_ofs - zheader_ofs  # position of the trailer inside ``rest``
    (n_blocks,) = struct.unpack_from(order + "i", out, trailer + 20)
    for block in range(n_blocks):
        entry = trailer + 24 + 24 * block
        uncompressed_ofs, compressed_ofs = struct.unpack_from(order + "2q", out, entry)
        struct.pack_into(order + "2q", out, entry, uncompressed_ofs + shift, compressed_ofs + shift)
    return bytes(out)
