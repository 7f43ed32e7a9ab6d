"""The plan: a release's files against a target's (plan.py)."""

from __future__ import annotations

import hashlib

from builder.publish.plan import git_blob_sha1, make_plan


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_git_blob_ids_match_git():
    # `printf 'hello\n' | git hash-object --stdin`
    assert git_blob_sha1(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"


def test_files_are_added_changed_kept_or_deleted():
    files = {"README.md": b"card v2\n", "release.json": b"{}\n", "data/en/wvs-00000-of-00001.parquet": b"PAR1 new",
             "data/en/pew_gas-00000-of-00001.parquet": b"PAR1 same"}
    remote = {
        ".gitattributes": "anything",  # the Hub's own file: not ours, never deleted
        "NOTES.md": "written by hand",  # not ours either
        "README.md": git_blob_sha1(b"card v1\n"),  # a regular file: git blob sha1
        "data/en/pew_gas-00000-of-00001.parquet": sha256(b"PAR1 same"),  # an LFS file: sha256
        "data/en/wvs-00000-of-00001.parquet": sha256(b"PAR1 old"),
        "data/zh-Hans/wvs-00000-of-00001.parquet": sha256(b"PAR1 stale"),  # a config that is gone
        "LICENSE.md": git_blob_sha1(b"licence\n"),
    }
    plan = make_plan(files, remote)
    assert plan.added == ["release.json"]
    assert plan.changed == ["README.md", "data/en/wvs-00000-of-00001.parquet"]
    assert plan.deleted == ["LICENSE.md", "data/zh-Hans/wvs-00000-of-00001.parquet"]
    assert plan.unchanged == ["data/en/pew_gas-00000-of-00001.parquet"]
    assert not plan.empty
    assert plan.lines() == ["  add     release.json", "  change  README.md", "  change  data/en/wvs-00000-of-00001.parquet",
                            "  delete  LICENSE.md", "  delete  data/zh-Hans/wvs-00000-of-00001.parquet",
                            "  1 file(s) unchanged"]


def test_equal_files_make_an_empty_plan():
    files = {"README.md": b"card\n", "data/en/wvs-00000-of-00001.parquet": b"PAR1"}
    plan = make_plan(files, {"README.md": git_blob_sha1(b"card\n"), "data/en/wvs-00000-of-00001.parquet": sha256(b"PAR1"),
                             ".gitattributes": "x"})
    assert plan.empty and plan.unchanged == sorted(files)
