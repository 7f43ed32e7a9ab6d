"""The real huggingface_hub and datasets clients against the Hub emulator (tests/support/hub_emulator.py).

These pin the publishing contract `builder push` relies on: one atomic commit with parent_commit,
release tags that never move, pinned loads returning the release's rows, and nothing sent to
huggingface.co.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import datasets
import httpx2
import huggingface_hub.constants
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi, HfFileSystem, get_session, hf_hub_download
from huggingface_hub.errors import (
    EntryNotFoundError, HfHubHTTPError, RepositoryNotFoundError, RevisionNotFoundError,
)

from tests.support.hub_client_env import (  # noqa: F401 - `hub` and `hub_env` are pytest fixtures
    RequestOutsideEmulator, hub, hub_env, subprocess_env, use_hub_emulator,
)
from tests.support.hub_emulator import READ_TOKEN, HubEmulator

REPO = "tester/global-opinions"

FEATURES = datasets.Features({
    "question_id": datasets.Value("string"),
    "question": datasets.Value("string"),
    "distributions": datasets.List({
        "country": datasets.Value("string"),
        "probabilities": datasets.List(datasets.Value("float64")),
    }),
})

PEW_ROWS = [
    {"question_id": "pew_gas_2019.fav_us", "question": "Opinion of the U.S.?",
     "distributions": [{"country": "France", "probabilities": [0.25, 0.75]},
                       {"country": "Kenya", "probabilities": [0.6, 0.4]}]},
    {"question_id": "pew_gas_2019.econ", "question": "Economic situation?", "distributions": []},
]
WVS_ROWS = [
    {"question_id": "wvs7.Q166", "question": "Believe in God?",
     "distributions": [{"country": "Japan", "probabilities": [0.1, 0.2, 0.7]}]},
]

CARD = textwrap.dedent("""\
    ---
    license: mit
    pretty_name: Global opinions (test)
    configs:
    - config_name: en
      default: true
      data_files:
      - split: pew_gas
        path: data/en/pew_gas-*.parquet
      - split: wvs
        path: data/en/wvs-*.parquet
    - config_name: wvs_only
      data_files:
      - split: wvs
        path: data/en/wvs-*.parquet
    ---
    # Global opinions (test)
    """)


def parquet_bytes(rows: list[dict]) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows, schema=FEATURES.arrow_schema), buffer)
    return buffer.getvalue()


def release_files(pew_rows=PEW_ROWS, wvs_rows=WVS_ROWS) -> dict[str, bytes]:
    return {
        "data/en/pew_gas-00000-of-00001.parquet": parquet_bytes(pew_rows),
        "data/en/wvs-00000-of-00001.parquet": parquet_bytes(wvs_rows),
        "README.md": CARD.encode(),
    }


def commit_files(api: HfApi, files: dict[str, bytes], parent_commit: str | None, message: str = "Release"):
    operations = [CommitOperationAdd(path_in_repo=path, path_or_fileobj=content) for path, content in files.items()]
    return api.create_commit(REPO, operations, commit_message=message, repo_type="dataset",
                             parent_commit=parent_commit)


def publish_v1(api: HfApi) -> str:
    """create repo -> one commit on top of the head it read -> tag v1.0.0 on the returned oid."""
    api.create_repo(REPO, repo_type="dataset")
    head = api.repo_info(REPO, repo_type="dataset").sha
    commit = commit_files(api, release_files(), parent_commit=head)
    api.create_tag(REPO, tag="v1.0.0", revision=commit.oid, repo_type="dataset", tag_message="first release")
    return commit.oid


def commit_posts(hub: HubEmulator) -> list:
    return [r for r in hub.request_log if r.method == "POST" and "/commit/" in r.path]


def test_release_is_one_commit_and_loads_pinned(hub, hub_env):
    api = HfApi()
    oid = publish_v1(api)

    assert len(commit_posts(hub)) == 1
    history = hub.commits(REPO)
    assert [c.oid for c in history][0] == oid and len(history) == 2  # the Hub's initial commit + ours
    assert hub.refs(REPO)["tags"] == {"v1.0.0": oid}
    assert {p: b for p, b in hub.files(REPO, "v1.0.0").items() if p != ".gitattributes"} == release_files()

    loaded = datasets.load_dataset(REPO, "en", revision="v1.0.0")
    assert set(loaded) == {"pew_gas", "wvs"}
    assert loaded["pew_gas"].features == FEATURES
    assert loaded["pew_gas"].to_list() == PEW_ROWS
    assert loaded["wvs"].to_list() == WVS_ROWS
    # `default: true` makes "en" the config loaded without a name; the other config is there too.
    assert datasets.load_dataset(REPO, revision="v1.0.0")["pew_gas"].to_list() == PEW_ROWS
    assert datasets.load_dataset(REPO, "wvs_only", revision=oid)["wvs"].to_list() == WVS_ROWS


def test_parquet_goes_to_lfs_and_the_card_stays_regular(hub, hub_env):
    api = HfApi()
    publish_v1(api)
    entries = {e.path: e for e in api.list_repo_tree(REPO, repo_type="dataset", recursive=True, revision="v1.0.0")}
    assert set(entries) == {".gitattributes", "README.md", "data", "data/en",
                            "data/en/pew_gas-00000-of-00001.parquet", "data/en/wvs-00000-of-00001.parquet"}
    parquet_entry = entries["data/en/pew_gas-00000-of-00001.parquet"]
    expected_sha256 = hashlib.sha256(release_files()["data/en/pew_gas-00000-of-00001.parquet"]).hexdigest()
    assert parquet_entry.lfs is not None and parquet_entry.lfs.sha256 == expected_sha256
    assert entries["README.md"].lfs is None
    assert len([r for r in hub.request_log if r.method == "PUT"]) == 2  # the two Parquet files, via LFS

    infos = api.get_paths_info(REPO, ["README.md", "data/en", "missing.txt"], repo_type="dataset")
    assert [info.path for info in infos] == ["README.md", "data/en"]
    siblings = api.dataset_info(REPO, revision="v1.0.0", files_metadata=True).siblings
    assert {s.rfilename: s.lfs is not None for s in siblings}["data/en/wvs-00000-of-00001.parquet"]


def test_new_release_leaves_the_old_tag_on_the_old_rows(hub, hub_env):
    api = HfApi()
    v1 = publish_v1(api)
    changed_pew = PEW_ROWS[:1]
    v11 = commit_files(api, release_files(pew_rows=changed_pew), parent_commit=v1, message="Release 1.1").oid
    api.create_tag(REPO, tag="v1.1.0", revision=v11, repo_type="dataset")

    assert datasets.load_dataset(REPO, "en", revision="v1.0.0")["pew_gas"].to_list() == PEW_ROWS
    assert datasets.load_dataset(REPO, "en", revision="v1.1.0")["pew_gas"].to_list() == changed_pew
    # Without a revision: main, after datasets has asked the (unreachable) dataset viewer about it.
    assert datasets.load_dataset(REPO, "en")["pew_gas"].to_list() == changed_pew
    streamed = datasets.load_dataset(REPO, "en", revision="v1.0.0", split="pew_gas", streaming=True)
    assert list(streamed) == PEW_ROWS
    refs = api.list_repo_refs(REPO, repo_type="dataset")
    assert {t.name: t.target_commit for t in refs.tags} == {"v1.0.0": v1, "v1.1.0": v11}
    assert [(b.name, b.target_commit) for b in refs.branches] == [("main", v11)]


def test_an_existing_tag_is_refused_and_never_moves(hub, hub_env):
    api = HfApi()
    v1 = publish_v1(api)
    newer = commit_files(api, {"NOTES.md": b"later\n"}, parent_commit=v1).oid

    with pytest.raises(HfHubHTTPError) as refused:
        api.create_tag(REPO, tag="v1.0.0", revision=newer, repo_type="dataset")
    assert refused.value.response.status_code == 409
    api.create_tag(REPO, tag="v1.0.0", revision=newer, repo_type="dataset", exist_ok=True)
    assert hub.refs(REPO)["tags"]["v1.0.0"] == v1


def test_a_stale_parent_commit_is_refused_and_changes_nothing(hub, hub_env):
    api = HfApi()
    api.create_repo(REPO, repo_type="dataset")
    stale = api.repo_info(REPO, repo_type="dataset").sha
    commit_files(api, {"NOTES.md": b"someone else was faster\n"}, parent_commit=stale)
    before_files, before_commits = hub.files(REPO), len(hub.commits(REPO))

    with pytest.raises(HfHubHTTPError) as refused:
        commit_files(api, release_files(), parent_commit=stale)
    assert refused.value.response.status_code == 412
    assert "A commit has happened since" in str(refused.value)
    assert hub.files(REPO) == before_files and len(hub.commits(REPO)) == before_commits


def test_a_server_error_during_the_commit_changes_nothing(hub, hub_env):
    api = HfApi()
    api.create_repo(REPO, repo_type="dataset")
    head = api.repo_info(REPO, repo_type="dataset").sha
    hub.fail_next("POST", r"/commit/main$", status=500)

    with pytest.raises(HfHubHTTPError) as failed:  # the commit call is not retried by the client
        commit_files(api, release_files(), parent_commit=head)
    assert failed.value.response.status_code == 500
    assert hub.files(REPO) == {".gitattributes": hub.files(REPO)[".gitattributes"]}
    assert hub.refs(REPO)["branches"] == {"main": head}

    # Trying again works, and the LFS objects uploaded the first time are not uploaded twice.
    puts_before = len([r for r in hub.request_log if r.method == "PUT"])
    commit_files(api, release_files(), parent_commit=head)
    assert len([r for r in hub.request_log if r.method == "PUT"]) == puts_before
    assert "README.md" in hub.files(REPO)


def test_an_identical_second_commit_makes_no_commit(hub, hub_env):
    api = HfApi()
    v1 = publish_v1(api)
    again = commit_files(api, release_files(), parent_commit=v1)
    assert again.oid == v1
    assert len(commit_posts(hub)) == 1 and len(hub.commits(REPO)) == 2


def test_deletions_and_downloads(hub, hub_env, tmp_path):
    api = HfApi()
    v1 = publish_v1(api)
    path = hf_hub_download(REPO, "data/en/wvs-00000-of-00001.parquet", repo_type="dataset", revision="v1.0.0",
                           cache_dir=tmp_path / "cache")
    assert Path(path).read_bytes() == release_files()["data/en/wvs-00000-of-00001.parquet"]

    api.create_commit(REPO, [CommitOperationDelete("data/en/wvs-00000-of-00001.parquet"),
                             CommitOperationDelete("data/", is_folder=True)],
                      commit_message="Drop data", repo_type="dataset", parent_commit=v1)
    assert set(hub.files(REPO)) == {".gitattributes", "README.md"}
    with pytest.raises(EntryNotFoundError):
        hf_hub_download(REPO, "data/en/wvs-00000-of-00001.parquet", repo_type="dataset", cache_dir=tmp_path / "c2")
    with pytest.raises(RevisionNotFoundError):
        hf_hub_download(REPO, "README.md", repo_type="dataset", revision="v9.9.9", cache_dir=tmp_path / "c3")
    with pytest.raises(RepositoryNotFoundError):
        hf_hub_download("tester/missing", "README.md", repo_type="dataset", cache_dir=tmp_path / "c4")
    with pytest.raises(datasets.exceptions.DatasetNotFoundError):
        datasets.load_dataset(REPO, "en", revision="v9.9.9")


def test_byte_ranges_are_served(hub, hub_env):
    hub.add_repo(REPO, {"numbers.bin": bytes(range(200))})
    with HfFileSystem().open(f"datasets/{REPO}/numbers.bin", "rb", block_size=16) as remote:
        remote.seek(100)
        assert remote.read(5) == bytes(range(100, 105))
    assert any(r.status == 206 for r in hub.request_log)


def test_writes_need_a_token_with_rights(hub, hub_env):
    anonymous, reader = HfApi(token=False), HfApi(token=READ_TOKEN)
    with pytest.raises(HfHubHTTPError) as no_token:
        anonymous.create_repo(REPO, repo_type="dataset")
    assert no_token.value.response.status_code == 401

    HfApi().create_repo(REPO, repo_type="dataset")
    head = hub.refs(REPO)["branches"]["main"]
    for api, status in ((anonymous, 401), (reader, 403)):
        with pytest.raises(HfHubHTTPError) as refused:
            api.create_commit(REPO, [CommitOperationAdd("README.md", CARD.encode())], commit_message="x",
                              repo_type="dataset", parent_commit=head)
        assert refused.value.response.status_code == status
    with pytest.raises(HfHubHTTPError) as refused_tag:
        reader.create_tag(REPO, tag="v0", repo_type="dataset")
    assert refused_tag.value.response.status_code == 403
    assert hub.refs(REPO) == {"branches": {"main": head}, "tags": {}}


def test_private_repos_are_hidden_from_others(hub, hub_env):
    HfApi().create_repo("tester/secret", repo_type="dataset", private=True)
    assert HfApi().dataset_info("tester/secret").private is True
    for token in (False, READ_TOKEN):
        with pytest.raises(RepositoryNotFoundError):
            HfApi(token=token).dataset_info("tester/secret")


def test_branches_and_unknown_routes(hub, hub_env):
    api = HfApi()
    v1 = publish_v1(api)
    api.create_branch(REPO, branch="staging", revision="v1.0.0", repo_type="dataset")
    staged = commit_files_to(api, "staging", {"STAGED.md": b"x\n"})
    assert hub.refs(REPO)["branches"] == {"main": v1, "staging": staged}
    assert "STAGED.md" not in hub.files(REPO, "main") and "STAGED.md" in hub.files(REPO, "staging")
    api.delete_branch(REPO, branch="staging", repo_type="dataset")
    api.delete_tag(REPO, tag="v1.0.0", repo_type="dataset")
    assert hub.refs(REPO) == {"branches": {"main": v1}, "tags": {}}
    assert [c.commit_id for c in api.list_repo_commits(REPO, repo_type="dataset")] == [c.oid for c in hub.commits(REPO)]
    assert get_session().get(f"{hub.url}/api/agent-harnesses").status_code == 404


def commit_files_to(api: HfApi, branch: str, files: dict[str, bytes]) -> str:
    operations = [CommitOperationAdd(path, content) for path, content in files.items()]
    return api.create_commit(REPO, operations, commit_message="Stage", repo_type="dataset", revision=branch).oid


def test_fault_injection_counts_down(hub, hub_env):
    hub.fail_next("GET", r"/refs$", status=503, times=2)
    session = get_session()
    statuses = [session.get(f"{hub.url}/api/datasets/{REPO}/refs").status_code for _ in range(3)]
    assert statuses == [503, 503, 401]  # then the normal answer: no such repo for this token (401/404)
    assert [r.status for r in hub.request_log] == statuses


def test_requests_for_other_hosts_fail_loudly(hub, tmp_path):
    endpoint_before = huggingface_hub.constants.ENDPOINT
    with pytest.raises(AssertionError, match="requests outside the Hub emulator"):
        with use_hub_emulator(hub, tmp_path):
            with pytest.raises(RequestOutsideEmulator):
                get_session().get("https://huggingface.co/api/datasets/x/y")
    # Everything patched is put back afterwards.
    assert huggingface_hub.constants.ENDPOINT == endpoint_before
    assert datasets.config.HF_ENDPOINT == endpoint_before


def test_a_child_process_loads_the_release_through_the_emulator(hub, tmp_path):
    with use_hub_emulator(hub, tmp_path / "parent"):
        publish_v1(HfApi())
    script = tmp_path / "client.py"
    script.write_text(textwrap.dedent(f"""\
        import json, datasets, huggingface_hub
        loaded = datasets.load_dataset({REPO!r}, "en", revision="v1.0.0")
        api = huggingface_hub.HfApi()  # token from HF_TOKEN; LFS rather than Xet from HF_HUB_DISABLE_XET
        commit = api.create_commit({REPO!r}, [huggingface_hub.CommitOperationAdd("data/extra.parquet", b"PAR1\\0")],
                                   commit_message="from the child", repo_type="dataset")
        api.create_tag({REPO!r}, tag="v1.1.0", revision=commit.oid, repo_type="dataset")
        try:  # anything meant for another host must not leave the machine
            huggingface_hub.get_session().get("https://huggingface.co/api/whoami-v2")
            reached = True
        except Exception:
            reached = False
        print(json.dumps({{"wvs": loaded["wvs"].to_list(), "reached_huggingface_co": reached}}))
        """))
    requests_before = len(hub.request_log)

    child = subprocess.run([sys.executable, str(script)], env=subprocess_env(hub, tmp_path / "child"),
                           cwd=tmp_path, capture_output=True, text=True, timeout=120)

    assert child.returncode == 0, child.stderr
    result = json.loads(child.stdout.strip().splitlines()[-1])
    assert result == {"wvs": WVS_ROWS, "reached_huggingface_co": False}
    assert hub.foreign_requests == ["CONNECT huggingface.co:443"]
    served = [r.path for r in hub.request_log[requests_before:] if r.status == 200]
    assert f"/datasets/{REPO}/resolve/v1.0.0/README.md" in served
    assert hub.files(REPO, "v1.1.0")["data/extra.parquet"] == b"PAR1\0"
    assert any(r.method == "PUT" for r in hub.request_log[requests_before:])  # the LFS upload, not Xet


def test_the_emulator_runs_as_a_script():
    repo_root = Path(__file__).resolve().parents[1]
    server = subprocess.Popen([sys.executable, "-m", "tests.support.hub_emulator", "--port", "0"], cwd=repo_root,
                              stdout=subprocess.PIPE, text=True)
    try:
        first_line = server.stdout.readline()
        url = first_line.split(" on ")[1].strip()
        assert httpx2.get(f"{url}/api/datasets/{REPO}", timeout=5).status_code == 401
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_repo_info_parses_the_card(hub, hub_env):
    hub.add_repo(REPO, {"README.md": b"---\nlicense: mit\nreleased: 2026-01-31\n---\n# card\n"})
    card = HfApi().dataset_info(REPO).card_data
    assert card.license == "mit" and str(card.to_dict()["released"]) == "2026-01-31"
