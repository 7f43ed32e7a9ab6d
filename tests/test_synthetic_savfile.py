"""Tests for builder.synthetic.savfile.rewrite_sav (deterministic, legacy-encoded .sav)."""

from __future__ import annotations

import struct
import time
import zlib
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from builder.synthetic.savfile import FIXED_CREATED, rewrite_sav

CURLY_APOSTROPHE = "\u2019"  # ’ : 0x92 in windows-1252, not representable in latin-1
LONG_LABEL = " ".join(["How much do you trust the national government in Côte d’Ivoire to do what is right"] * 2)
assert len(LONG_LABEL) > 120

COUNTRY_LABELS = {1.0: "Côte d’Ivoire", 2.0: "Brasil", 3.0: "España"}
ANSWER_LABELS = {1.0: "Sim", 2.0: "Não", 98.0: "Não sabe", 99.0: f"Don{CURLY_APOSTROPHE}t know"}

# pyreadstat options for the three kinds of data section: plain, bytecode
# ("row") compression and zlib (.zsav) compression.
COMPRESSIONS = {
    "uncompressed": {},
    "bytecode": {"row_compress": True},
    "zsav": {"compress": True},
}



@pytest.fixture(params=list(COMPRESSIONS))
def compression(request) -> str:
    return request.param


def survey_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "country_of_residence": [1.0, 2.0, 3.0, 1.0, 2.0],
            "q1": [1.0, 2.0, 98.0, 99.0, None],
            "weight": [0.5, 1.25, 1.0, 2.0, 0.75],
        }
    )


def write_sample(path: Path, compression: str, df: pd.DataFrame | None = None) -> Path:
    pyreadstat.write_sav(
        survey_frame() if df is None else df,
        path,
        file_label="Synthetic Global Attitudes – échantillon",
        column_labels={
            "country_of_residence": LONG_LABEL,
            "q1": f"Q1. Don{CURLY_APOSTROPHE}t know / Não sabe",
            "weight": "Poids",
        },
        variable_value_labels={"country_of_residence": COUNTRY_LABELS, "q1": ANSWER_LABELS},
        missing_ranges={"q1": [98.0, 99.0]},
        note=["Données synthétiques – Côte d’Ivoire"],
        **COMPRESSIONS[compression],
    )
    return path


def read(path: Path, **kwargs):
    return pyreadstat.read_sav(str(path), **kwargs)


def assert_same_contents(original: Path, rewritten: Path, **read_kwargs) -> None:
    for user_missing in (False, True):
        expected_df, expected = read(original, user_missing=user_missing)
        actual_df, actual = read(rewritten, user_missing=user_missing, **read_kwargs)
        pd.testing.assert_frame_equal(actual_df, expected_df)
        assert actual.column_names == expected.column_names
        assert actual.column_labels == expected.column_labels
        assert actual.variable_value_labels == expected.variable_value_labels
        assert actual.missing_ranges == expected.missing_ranges
        assert actual.notes == expected.notes
        assert actual.file_label == expected.file_label


@pytest.mark.parametrize("encoding", [None, "windows-1252"])
def test_rewrite_preserves_data_and_dictionary(tmp_path, compression, encoding):
    original = write_sample(tmp_path / "original.sav", compression)
    rewritten = tmp_path / "rewritten.sav"
    rewrite_sav(original, rewritten, encoding=encoding)

    assert_same_contents(original, rewritten)
    _, meta = read(rewritten, user_missing=True)  # missing_ranges is only filled then
    assert meta.column_names == ["country_of_residence", "q1", "weight"]
    assert meta.column_labels[0] == LONG_LABEL
    assert meta.variable_value_labels["q1"][99.0] == f"Don{CURLY_APOSTROPHE}t know"
    assert meta.missing_ranges == {"q1": [{"lo": 98.0, "hi": 98.0}, {"lo": 99.0, "hi": 99.0}]}
    assert meta.creation_time == FIXED_CREATED
    assert meta.file_encoding == (encoding or "UTF-8")


def test_without_encoding_only_the_timestamp_changes(tmp_path, compression):
    original = write_sample(tmp_path / "original.sav", compression)
    rewritten = tmp_path / "rewritten.sav"
    rewrite_sav(original, rewritten)
    before, after = original.read_bytes(), rewritten.read_bytes()
    assert len(before) == len(after)
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert changed and all(92 <= i < 109 for i in changed)  # header date + time fields
    assert after[92:109] == b"01 Jan 0000:00:00"


def test_windows_1252_bytes(tmp_path, compression):
    original = write_sample(tmp_path / "original.sav", compression)
    rewritten = tmp_path / "cp1252.sav"
    rewrite_sav(original, rewritten, encoding="windows-1252")
    raw = rewritten.read_bytes()
    assert b"Don\x92t know" in raw
    assert CURLY_APOSTROPHE.encode("utf-8") not in raw
    assert "Côte d’Ivoire".encode("cp1252") in raw and "Côte".encode("utf-8") not in raw
    assert "Não sabe".encode("cp1252") in raw
    assert b"windows-1252" in raw and b"UTF-8" not in raw
    assert struct.pack("<i", 1252) in raw  # integer-info character code


def test_latin1(tmp_path, compression):
    original = write_sample(tmp_path / "original.sav", compression)
    with pytest.raises(UnicodeEncodeError):  # ’ has no latin-1 byte
        rewrite_sav(original, tmp_path / "bad.sav", encoding="latin-1")

    plain = tmp_path / "plain.sav"
    pyreadstat.write_sav(
        survey_frame(),
        plain,
        column_labels={"q1": "Não sabe / Côte"},
        variable_value_labels={"q1": {98.0: "Não sabe"}},
        **COMPRESSIONS[compression],
    )
    latin1 = tmp_path / "latin1.sav"
    rewrite_sav(plain, latin1, encoding="latin-1")
    assert b"N\xe3o sabe" in latin1.read_bytes()
    assert_same_contents(plain, latin1)
    assert read(latin1)[1].file_encoding == "ISO-8859-1"


def test_undeclared_encoding_needs_explicit_encoding(tmp_path, compression):
    original = write_sample(tmp_path / "original.sav", compression)
    undeclared = tmp_path / "undeclared.sav"
    rewrite_sav(original, undeclared, encoding="windows-1252", declare_encoding=False)
    raw = undeclared.read_bytes()
    assert b"windows-1252" not in raw and b"UTF-8" not in raw
    assert b"Don\x92t know" in raw

    message = r"^Unable to convert string to the requested encoding \(invalid byte sequence\)$"
    with pytest.raises(pyreadstat.ReadstatError, match=message):
        read(undeclared)
    assert_same_contents(original, undeclared, encoding="windows-1252")


def test_output_is_byte_deterministic(tmp_path, compression):
    first = write_sample(tmp_path / "first.sav", compression)
    time.sleep(1.1)  # ReadStat stamps the wall clock (seconds) into the header
    second = write_sample(tmp_path / "second.sav", compression)
    assert first.read_bytes() != second.read_bytes()

    for options in ({}, {"encoding": "windows-1252"}, {"encoding": "cp1252", "declare_encoding": False}):
        rewrite_sav(first, tmp_path / "a.sav", **options)
        rewrite_sav(second, tmp_path / "b.sav", **options)
        assert (tmp_path / "a.sav").read_bytes() == (tmp_path / "b.sav").read_bytes()


def test_user_missing_codes_survive(tmp_path, compression):
    original = write_sample(tmp_path / "original.sav", compression)
    rewritten = tmp_path / "rewritten.sav"
    rewrite_sav(original, rewritten, encoding="windows-1252", declare_encoding=False)
    with_codes, _ = read(rewritten, user_missing=True, encoding="windows-1252")
    assert with_codes["q1"].tolist()[:4] == [1.0, 2.0, 98.0, 99.0]
    as_nan, _ = read(rewritten, encoding="windows-1252")
    assert as_nan["q1"].isna().tolist() == [False, False, True, True, True]


def test_created_and_file_label(tmp_path, compression):
    original = write_sample(tmp_path / "original.sav", compression)
    rewritten = tmp_path / "rewritten.sav"
    created = datetime(2014, 7, 9, 13, 45, 30)
    rewrite_sav(original, rewritten, encoding="cp1252", created=created, file_label="Pew – été 2014")
    _, meta = read(rewritten)
    assert meta.creation_time == created
    assert meta.file_label == "Pew – été 2014"
    assert "Pew – été 2014".encode("cp1252") in rewritten.read_bytes()
    with pytest.raises(ValueError, match="created"):
        rewrite_sav(original, rewritten, created=datetime(2040, 1, 1))


def test_string_variables_are_refused_when_reencoding(tmp_path, compression):
    df = survey_frame().assign(comment=["a", "b", "c", "d", "e"])
    original = write_sample(tmp_path / "original.sav", compression, df=df)
    with pytest.raises(ValueError, match="string variables"):
        rewrite_sav(original, tmp_path / "cp1252.sav", encoding="windows-1252")
    rewrite_sav(original, tmp_path / "utf8.sav")  # no re-encoding: fine
    assert_same_contents(original, tmp_path / "utf8.sav")


def test_zsav_offsets_point_at_the_shifted_blocks(tmp_path):
    """Only .zsav data sections hold absolute file offsets; they must follow the dictionary."""
    original = write_sample(tmp_path / "original.zsav", "zsav")
    rewritten = tmp_path / "rewritten.zsav"
    rewrite_sav(original, rewritten, encoding="windows-1252", declare_encoding=False)
    raw = rewritten.read_bytes()
    assert len(raw) != len(original.read_bytes())  # the dictionary did shrink

    # The zlib header is the first thing after the 999 terminator and its filler.
    zheader_ofs = raw.index(struct.pack("<ii", 999, 0)) + 8
    own_ofs, ztrailer_ofs, ztrailer_len = struct.unpack_from("<3q", raw, zheader_ofs)
    assert own_ofs == zheader_ofs
    assert ztrailer_ofs + ztrailer_len == len(raw)
    (n_blocks,) = struct.unpack_from("<i", raw, ztrailer_ofs + 20)
    expected_compressed_ofs = zheader_ofs + 24
    for block in range(n_blocks):
        entry = ztrailer_ofs + 24 + 24 * block  # per block: 2 int64 offsets, 2 int32 sizes
        _, compressed_ofs, _, compressed_size = struct.unpack_from("<2q2i", raw, entry)
        assert compressed_ofs == expected_compressed_ofs
        zlib.decompress(raw[compressed_ofs : compressed_ofs + compressed_size])
        expected_compressed_ofs += compressed_size
