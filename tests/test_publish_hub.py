"""`builder push --repo-id`: the consumer contract, with the real huggingface_hub and datasets clients
against the Hub emulator (tests/support/hub_emulator.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import datasets
import httpx2
import pytest
from datasets.info import DatasetInfosDict
from huggingface_hub import CommitOperationAdd, DatasetCard, HfApi
from huggingface_hub.utils._http import close_session

from builder import tables
from builder.errors import BuilderError
from builder.publish import features, goqa_config
from tests.support.hub_client_env import hub, hub_env, subprocess_env, use_hub_emulator  # noqa: F401 - fixtures
from tests.support.hub_emulator import READ_TOKEN, WRITE_TOKEN
from tests.support.publish_build import (  # noqa: F401 - fixtures
    change_build, expected_changelog, expected_rows, ingested_project, release_project, run_push,
)

REPO = "tester/global-opinions"
DECLARED = {"en": features.ENGLISH, "ru": features.TRANSLATED, "zh-Hans": features.TRANSLATED, "long": features.LONG,
            "goqa": goqa_config.FEATURES}
SPLITS = {config: ("train",) if config == "goqa" else ("pew_gas", "wvs") for config in DECLARED}


def remote_state(hub, repo: str = REPO) -> tuple:
    """Everything a push could change: files at main, refs, the history."""
    return hub.files(repo), hub.refs(repo), [commit.oid for commit in hub.commits(repo)]


def writes(hub, since: int = 0) -> list:
    return [r for r in hub.request_log[since:] if r.method in ("POST", "PUT", "DELETE")
            and not r.path.endswith(("/paths-info/main", "/api/validate-yaml"))]


def line_of(output: str, prefix: str) -> str:
    return next(line for line in output.splitlines() if line.startswith(prefix))


def assert_one_line_error(result, exit_code: int, *fragments: str) -> None:
    assert result.exit_code == exit_code, result.output
    assert result.stdout == "" or not result.stdout.startswith("committed")
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    for token in (WRITE_TOKEN, READ_TOKEN, "hf_not_a_valid_token"):
        assert token not in result.output


def load_all(revision: str) -> dict:
    return {config: datasets.load_dataset(REPO, config, revision=revision) for config in DECLARED}


def test_every_config_and_split_loads_pinned_with_the_declared_features_and_the_built_rows(hub, hub_env, release_project):
    result = run_push("--version", "1.0.0", "--repo-id", REPO)

    assert result.exit_code == 0, result.output
    oid = line_of(result.stdout, "committed ").split()[1]
    assert result.stdout.splitlines()[-1] == "tagged v1.0.0"
    assert hub.refs(REPO) == {"branches": {"main": oid}, "tags": {"v1.0.0": oid}}
    assert len([r for r in hub.request_log if r.method == "POST" and "/commit/" in r.path]) == 1  # one atomic commit
    assert set(hub.files(REPO, "v1.0.0")) == {".gitattributes", "README.md", "LICENSE.md", "release.json",
                                               *(f"data/{c}/{s}-00000-of-00001.parquet" for c in DECLARED for s in SPLITS[c])}

    card = DatasetCard(hub.files(REPO, "v1.0.0")["README.md"].decode())
    declared = {name: info.features for name, info in DatasetInfosDict.from_dataset_card_data(card.data).items()}
    assert declared == DECLARED
    expected = expected_rows(release_project / "build")
    for config, loaded in load_all("v1.0.0").items():
        assert set(loaded) == set(SPLITS[config])
        for split, rows in expected[config].items():
            assert loaded[split].features == declared[config]
            assert loaded[split].to_list() == rows, (config, split)
    default = datasets.load_dataset(REPO, revision="v1.0.0")  # no config named: `en`, the default
    assert default["wvs"].to_list() == expected["en"]["wvs"]


def test_a_new_version_leaves_the_old_one_loadable_and_says_what_changed(hub, hub_env, release_project):
    build_dir = release_project / "build"
    v1_rows = expected_rows(build_dir)
    v1 = line_of(run_push("--version", "1.0.0", "--repo-id", REPO).stdout, "committed ").split()[1]
    change_build(build_dir)

    result = run_push("--version", "1.1.0", "--repo-id", REPO, "--message", "Second release")

    assert result.exit_code == 0, result.output
    assert "plan for tester/global-opinions (branch main), v1.1.0 (after v1.0.0):" in result.stdout
    assert "  change  data/en/wvs-00000-of-00001.parquet" in result.stdout.splitlines()
    v11 = line_of(result.stdout, "committed ").split()[1]
    assert hub.refs(REPO)["tags"] == {"v1.0.0": v1, "v1.1.0": v11}
    history = hub.commits(REPO)
    assert [c.oid for c in history[:2]] == [v11, v1] and history[0].title == "Second release"
    assert "1 question(s) added, 1 removed, 8 changed" in history[0].description

    release = json.loads(hub.files(REPO, "v1.1.0")["release.json"])
    assert release["changelog"] == expected_changelog()
    assert "- Countries removed: DEU (Germany)" in hub.files(REPO, "v1.1.0")["README.md"].decode().splitlines()
    old, new = load_all("v1.0.0"), load_all("v1.1.0")
    v11_rows = expected_rows(build_dir)
    for config in DECLARED:
        for split in SPLITS[config]:
            assert old[config][split].to_list() == v1_rows[config][split]
            assert new[config][split].to_list() == v11_rows[config][split]
    assert old["en"]["wvs"].to_list() != new["en"]["wvs"].to_list()


def test_stale_files_are_deleted_in_the_same_commit(hub, hub_env, release_project):
    run_push("--version", "1.0.0", "--repo-id", REPO)
    (release_project / "build" / "translations.parquet").unlink()  # the language configs go away
    commits_before = len(hub.commits(REPO))

    result = run_push("--version", "2.0.0", "--repo-id", REPO)

    assert result.exit_code == 0, result.output
    assert "  delete  data/zh-Hans/wvs-00000-of-00001.parquet" in result.stdout.splitlines()
    assert len(hub.commits(REPO)) == commits_before + 1
    assert not [path for path in hub.files(REPO, "v2.0.0") if path.startswith(("data/ru/", "data/zh-Hans/"))]
    assert "data/ru/wvs-00000-of-00001.parquet" in hub.files(REPO, "v1.0.0")
    assert list(datasets.load_dataset(REPO, "ru", revision="v1.0.0")) == ["pew_gas", "wvs"]


def test_an_existing_tag_is_refused_and_nothing_changes_remotely(hub, hub_env, release_project):
    run_push("--version", "1.0.0", "--repo-id", REPO)
    change_build(release_project / "build")
    before, requests = remote_state(hub), len(hub.request_log)

    again = run_push("--version", "1.0.0", "--repo-id", REPO)
    assert_one_line_error(again, 2, "v1.0.0 is already published on tester/global-opinions with other content",
                          "a tag never moves: publish a version above v1.0.0")
    lower = run_push("--version", "0.9.0", "--repo-id", REPO)
    assert_one_line_error(lower, 2, "0.9.0 is below the latest release v1.0.0")
    assert remote_state(hub) == before and writes(hub, requests) == []


def test_identical_content_makes_no_new_commit(hub, hub_env, release_project):
    run_push("--version", "1.0.0", "--repo-id", REPO)
    before, requests = remote_state(hub), len(hub.request_log)

    again = run_push("--version", "1.0.0", "--repo-id", REPO)
    assert again.exit_code == 0, again.output
    assert again.stdout == "v1.0.0 is already published on tester/global-opinions with exactly these files: nothing to do\n"
    same_data = run_push("--version", "1.0.1", "--repo-id", REPO)
    assert same_data.exit_code == 0, same_data.output
    assert same_data.stdout == "nothing to publish: the data is identical to v1.0.0 on tester/global-opinions\n"
    assert remote_state(hub) == before and writes(hub, requests) == []


def test_a_server_error_during_the_commit_leaves_the_remote_unchanged_and_untagged(hub, hub_env, release_project):
    run_push("--version", "1.0.0", "--repo-id", REPO)
    change_build(release_project / "build")
    before = remote_state(hub)
    hub.fail_next("POST", r"/commit/main$", status=500)

    failed = run_push("--version", "1.1.0", "--repo-id", REPO)

    assert_one_line_error(failed, 1, "the Hub answered HTTP 500 while committing", "nothing was published")
    assert remote_state(hub) == before and "v1.1.0" not in hub.refs(REPO)["tags"]
    retried = run_push("--version", "1.1.0", "--repo-id", REPO)  # the same command, once the Hub is well
    assert retried.exit_code == 0 and "v1.1.0" in hub.refs(REPO)["tags"]


def test_a_failed_tag_is_finished_by_running_the_command_again(hub, hub_env, release_project):
    hub.fail_next("POST", r"/tag/", status=503)
    failed = run_push("--version", "1.0.0", "--repo-id", REPO)
    oid = line_of(failed.stdout, "committed ").split()[1] if "committed" in failed.stdout else hub.refs(REPO)["branches"]["main"]
    assert_one_line_error(failed, 1, f"{oid} is on main but not tagged: run the same command again to tag it")
    assert hub.refs(REPO)["tags"] == {}

    again = run_push("--version", "1.0.0", "--repo-id", REPO)

    assert again.exit_code == 0, again.output
    assert f"nothing to commit: main already holds these files at {oid}" in again.stdout
    assert hub.refs(REPO) == {"branches": {"main": oid}, "tags": {"v1.0.0": oid}}


def test_a_dry_run_prints_the_plan_and_changes_nothing(hub, hub_env, release_project):
    first = run_push("--version", "1.0.0", "--repo-id", REPO, "--dry-run")
    assert first.exit_code == 0, first.output
    assert "  add     data/en/pew_gas-00000-of-00001.parquet" in first.stdout.splitlines()
    assert "tester/global-opinions does not exist yet: it would be created (public)" in first.stdout
    assert first.stdout.splitlines()[-1] == "dry run: nothing was changed"
    assert REPO not in hub.repos and writes(hub) == []

    run_push("--version", "1.0.0", "--repo-id", REPO)
    change_build(release_project / "build")
    before, requests = remote_state(hub), len(hub.request_log)
    planned = run_push("--version", "1.1.0", "--repo-id", REPO, "--dry-run")
    assert planned.exit_code == 0, planned.output
    assert "  change  README.md" in planned.stdout.splitlines() and "committed" not in planned.stdout
    assert remote_state(hub) == before and writes(hub, requests) == []


def test_branch_private_and_message(hub, hub_env, release_project):
    result = run_push("--version", "1.0.0", "--repo-id", REPO, "--branch", "staging", "--private", "--message", "Try")
    assert result.exit_code == 0, result.output
    refs = hub.refs(REPO)
    assert refs["tags"]["v1.0.0"] == refs["branches"]["staging"] != refs["branches"]["main"]
    assert "README.md" not in hub.files(REPO, "main") and hub.repos[REPO].private
    assert hub.commits(REPO, "staging")[0].title == "Try"
    assert datasets.load_dataset(REPO, "en", revision="v1.0.0")["wvs"].num_rows == 7  # the owner sees a private repo


def test_bad_input_is_one_line_and_publishes_nothing(hub, hub_env, release_project, monkeypatch):
    assert_one_line_error(run_push("--version", "1.0", "--repo-id", REPO), 2, "'1.0' is not a semantic version")
    assert_one_line_error(run_push("--version", "1.0.0", "--repo-id", "no-namespace"), 2,
                          "'no-namespace' is not a repo id of the form ORG/NAME")
    assert hub.request_log == []  # refused before any request

    monkeypatch.setenv("HF_TOKEN", "hf_not_a_valid_token")
    assert_one_line_error(run_push("--version", "1.0.0", "--repo-id", REPO), 2,
                          "the Hub refused the token while reading the repo's tags (HTTP 401",
                          "set HF_TOKEN to a valid token or run `hf auth login`")
    monkeypatch.delenv("HF_TOKEN")  # and no token saved by `hf auth login` in this HF_HOME
    assert_one_line_error(run_push("--version", "1.0.0", "--repo-id", REPO), 2, "no Hugging Face token: set HF_TOKEN")

    monkeypatch.setenv("HF_TOKEN", WRITE_TOKEN)
    assert_one_line_error(run_push("--version", "1.0.0", "--repo-id", "nobody/opinions"), 2,
                          "no permission while creating the repo (HTTP 403: You don't have the rights to create a repo under 'nobody')")
    hub.add_repo(REPO)
    before = remote_state(hub)
    monkeypatch.setenv("HF_TOKEN", READ_TOKEN)  # a valid token without write access
    assert_one_line_error(run_push("--version", "1.0.0", "--repo-id", REPO), 2,
                          "no permission while committing (HTTP 403: You don't have the rights to write to tester/global-opinions)")
    assert remote_state(hub) == before and set(hub.repos) == {REPO}


def test_a_private_repo_the_token_cannot_see_is_refused(hub, hub_env, release_project, monkeypatch):
    hub.add_repo("tester/secret", private=True)
    before = remote_state(hub, "tester/secret")
    monkeypatch.setenv("HF_TOKEN", READ_TOKEN)  # the repo looks missing to this token, so push tries to create it
    assert_one_line_error(run_push("--version", "1.0.0", "--repo-id", "tester/secret"), 2,
                          "no permission while creating the repo (HTTP 403")
    assert remote_state(hub, "tester/secret") == before


def rewrite_table(build_dir, name: str, edit) -> None:
    """Edit one build table in place, keeping its build_id (as a bad ingest would leave it)."""
    frame = tables.read_table(build_dir, name)
    edit(frame)
    tables.write_table(build_dir, name, frame, tables.build_id_of(tables.table_path(build_dir, name)))


def test_an_invalid_build_is_refused_before_any_request(hub, hub_env, release_project):
    rewrite_table(release_project / "build", "distributions",
                  lambda frame: frame.__setitem__("probabilities", [[0.9, 0.9], *frame["probabilities"][1:]]))

    result = run_push("--version", "1.0.0", "--repo-id", REPO)

    assert_one_line_error(result, 1, "build: the build has 1 validation failure(s), first: probabilities must sum to 1",
                          "(distributions, pew_gas_synthetic.Q1, probabilities); run `builder validate` for the report; "
                          "nothing was published")
    assert hub.request_log == []


def test_stale_translations_fail_validation(hub, hub_env, release_project):
    def reword_first_question(frame):
        frame.loc[0, "question"] = "A changed question nobody translated again"

    rewrite_table(release_project / "build", "questions", reword_first_question)

    result = run_push("--version", "1.0.0", "--repo-id", REPO)

    assert_one_line_error(result, 1, "the build has 2 validation failure(s), first: source_sha256_current (translations, ")
    assert hub.request_log == []


def test_a_network_failure_is_one_line(hub, hub_env, release_project):
    hub.stop()
    close_session()  # the stopped server still answers on connections already open: drop them

    result = run_push("--version", "1.0.0", "--repo-id", REPO)

    assert_one_line_error(result, 1, f"cannot reach the Hub at {hub_env.endpoint} while reading the repo's tags "
                                     "(ConnectError: [Errno 111] Connection refused); nothing was published")


def test_the_builder_cli_pushes_in_a_child_process(hub, release_project, tmp_path):
    """The real `builder push` in a subprocess: HF_ENDPOINT, HF_TOKEN and HF_HOME from the environment."""
    command = [sys.executable, "-c", "from builder.cli import main; from builder.publish.commands import push; "
               "main.add_command(push) if 'push' not in main.commands else None; main()", "push"]
    env = subprocess_env(hub, tmp_path / "child")
    env["PYTHONPATH"] = os.pathsep.join([str(release_project.parent), env.get("PYTHONPATH", "")])

    first = subprocess.run([*command, "--version", "1.0.0", "--repo-id", REPO], env=env, cwd=release_project,
                           capture_output=True, text=True, timeout=120)
    again = subprocess.run([*command, "--version", "1.0.0", "--repo-id", REPO], env=env, cwd=release_project,
                           capture_output=True, text=True, timeout=120)

    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[-1] == "tagged v1.0.0" and first.stdout.splitlines()[-2].startswith("committed ")
    assert again.returncode == 0 and "already published" in again.stdout, again.stderr
    assert WRITE_TOKEN not in first.stdout + first.stderr + again.stdout + again.stderr
    assert hub.foreign_requests == []
    with use_hub_emulator(hub, tmp_path / "parent"):
        loaded = datasets.load_dataset(REPO, "en", revision="v1.0.0")
    assert loaded["pew_gas"].to_list() == expected_rows(release_project / "build")["en"]["pew_gas"]


def test_a_concurrent_push_is_refused_by_the_parent_commit(hub, hub_env, release_project):
    from builder.publish.card import find_template
    from builder.publish.hub import HubTarget
    from builder.publish.inputs import read_build
    from builder.publish.push import prepare_release, publish_release
    from builder.publish.versions import parse_version

    target = HubTarget(REPO)
    hub.add_repo(REPO)
    release = prepare_release(target, read_build(release_project / "build"), parse_version("1.0.0"),
                              find_template(release_project))
    # someone else commits between our plan and our commit:
    HfApi().create_commit(REPO, [CommitOperationAdd("NOTES.md", b"meanwhile\n")], commit_message="x", repo_type="dataset")
    before = remote_state(hub)

    with pytest.raises(BuilderError) as refused:
        publish_release(target, release)

    assert str(refused.value).startswith("tester/global-opinions changed while committing (HTTP 412: another commit "
                                         "landed on main since the plan was made); nothing was published: run the command again")
    assert remote_state(hub) == before


def test_a_dry_run_needs_no_token_for_a_public_repo(hub, hub_env, release_project, monkeypatch):
    run_push("--version", "1.0.0", "--repo-id", REPO)
    change_build(release_project / "build")
    monkeypatch.delenv("HF_TOKEN")

    result = run_push("--version", "1.1.0", "--repo-id", REPO, "--dry-run")

    assert result.exit_code == 0, result.output
    assert "  change  release.json" in result.stdout.splitlines()


def test_private_does_not_change_an_existing_repo(hub, hub_env, release_project):
    hub.add_repo(REPO)
    result = run_push("--version", "1.0.0", "--repo-id", REPO, "--private")
    assert result.exit_code == 0, result.output
    assert ("note: tester/global-opinions exists; --private applies to a new repo and its visibility is unchanged"
            in result.stdout.splitlines())
    assert hub.repos[REPO].private is False


def test_a_network_drop_during_the_commit_says_how_to_finish(hub, hub_env, release_project, monkeypatch):
    def dropped(*args, **kwargs):
        raise httpx2.ReadTimeout("The read operation timed out")

    monkeypatch.setattr(HfApi, "create_commit", dropped)
    result = run_push("--version", "1.0.0", "--repo-id", REPO)
    assert_one_line_error(result, 1, "while committing (ReadTimeout: The read operation timed out); the commit may or "
                                     "may not have reached the Hub: run the same command again")
