"""The Hugging Face Hub as a release target: a dataset repo, one commit and one tag per release.

huggingface_hub does the talking; this module adds the order of calls and the error messages:

    list_repo_refs    tags and branch heads (a missing repo is an empty target)
    list_repo_tree    the files at a revision, for the plan (git blob sha1, LFS sha256)
    hf_hub_download   the previous release's release.json, for the changelog
    create_repo       only when the repo does not exist yet (exist_ok: a race is harmless)
    create_commit     every add and delete in one commit, on top of the head the plan was made
                      against (`parent_commit`): a concurrent push makes it fail, not overwrite
    create_tag        on the oid create_commit returned, never on "the branch"

Every client exception becomes a one-line BuilderError that says what was being done and what
state the repo is left in. The token is never part of a message.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx2
from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi, get_token
from huggingface_hub.errors import (
    HfHubHTTPError, LocalEntryNotFoundError, OfflineModeIsEnabled, RemoteEntryNotFoundError, RepositoryNotFoundError,
)
from huggingface_hub.hf_api import RepoFile
from huggingface_hub.utils import are_progress_bars_disabled, disable_progress_bars, enable_progress_bars

from builder.errors import BuilderError, UsageError
from builder.publish.plan import Plan
from builder.publish.push import Published

REPO_ID = re.compile(r"^[\w.-]+/[\w.-]+$")
NOTHING_PUBLISHED = "nothing was published"


class HubTarget:
    """A dataset repo on the Hub (or on whatever HF_ENDPOINT points at)."""

    def __init__(self, repo_id: str, *, branch: str = "main", private: bool = False, require_token: bool = True):
        if not REPO_ID.match(repo_id or ""):
            raise UsageError(f"{repo_id!r} is not a repo id of the form ORG/NAME", variable="--repo-id")
        self.repo_id, self.branch, self.private = repo_id, branch, private
        self.name = repo_id
        self._token = get_token()  # HF_TOKEN, else the token saved by `hf auth login`
        if require_token and not self._token:
            raise UsageError("no Hugging Face token: set HF_TOKEN or run `hf auth login` (a token that may write "
                             f"to {repo_id.split('/')[0]}); {NOTHING_PUBLISHED}")
        self.api = HfApi(token=self._token)
        self.exists = False  # known after release_tags()
        self._branches: dict[str, str] = {}

    # ---- reading ------------------------------------------------------------------------------
    def release_tags(self) -> dict[str, str]:
        with self._errors("reading the repo's tags"):
            try:
                refs = self.api.list_repo_refs(self.repo_id, repo_type="dataset")
            except RepositoryNotFoundError:
                return {}  # a new repo: created when publishing (a dry run creates nothing)
        self.exists = True
        self._branches = {branch.name: branch.target_commit for branch in refs.branches}
        return {tag.name: tag.target_commit for tag in refs.tags}

    def head(self) -> str | None:
        # A branch that does not exist yet is made from main, so main's head is its parent.
        return self._branches.get(self.branch) or self._branches.get("main")

    def file_ids(self, revision: str) -> dict[str, str]:
        with self._errors("listing the repo's files"):
            entries = self.api.list_repo_tree(self.repo_id, recursive=True, revision=revision, repo_type="dataset")
            return {entry.path: entry.lfs.sha256 if entry.lfs else entry.blob_id
                    for entry in entries if isinstance(entry, RepoFile)}

    def read_file(self, revision: str, path: str) -> bytes | None:
        with self._errors(f"downloading {path}"), _without_progress_bars():
            try:
                local = self.api.hf_hub_download(self.repo_id, path, repo_type="dataset", revision=revision)
            except RemoteEntryNotFoundError:  # not LocalEntryNotFoundError: that one is a network failure
                return None
            return Path(local).read_bytes()

    # ---- writing ------------------------------------------------------------------------------
    def publish(self, files: dict[str, bytes], plan: Plan, head: str | None, tag: str, message: str,
                description: str) -> Published:
        if not self.exists:
            with self._errors("creating the repo"):
                self.api.create_repo(self.repo_id, repo_type="dataset", private=self.private, exist_ok=True)
                head = self.api.repo_info(self.repo_id, repo_type="dataset").sha  # the Hub's initial commit
        if self.branch not in self._branches:
            with self._errors(f"creating the branch {self.branch}"):
                self.api.create_branch(self.repo_id, branch=self.branch, revision=head, repo_type="dataset",
                                       exist_ok=True)
        oid = head
        if not plan.empty:  # (an empty plan: an earlier run committed these files but did not get to tag them)
            with _without_progress_bars():  # a release is a few MB; bars would cut into the CLI's lines
                oid = self._commit(files, plan, head, message, description)
        not_tagged = f"{oid} is on {self.branch} but not tagged: run the same command again to tag it"
        with self._errors(f"tagging {tag}", after=not_tagged, after_network=not_tagged):
            self.api.create_tag(self.repo_id, tag=tag, revision=oid, tag_message=message, repo_type="dataset")
        return Published(oid, committed=not plan.empty)

    def _commit(self, files: dict[str, bytes], plan: Plan, head: str, message: str, description: str) -> str:
        operations = [*(CommitOperationAdd(path, files[path]) for path in plan.added + plan.changed),
                      *(CommitOperationDelete(path) for path in plan.deleted)]
        after_network = ("the commit may or may not have reached the Hub: run the same command again "
                         "(it tags the commit if it landed, and commits otherwise)")
        with self._errors("committing", after_network=after_network):
            return self.api.create_commit(self.repo_id, operations, commit_message=message,
                                          commit_description=description, repo_type="dataset",
                                          revision=self.branch, parent_commit=head).oid

    # ---- errors -------------------------------------------------------------------------------
    @contextmanager
    def _errors(self, doing: str, after: str = NOTHING_PUBLISHED, after_network: str | None = None) -> Iterator[None]:
        """Turn the client's exceptions into one line: what failed, while doing what, and the state left."""
        try:
            yield
        except BuilderError:
            raise
        except OfflineModeIsEnabled:
            raise BuilderError(f"HF_HUB_OFFLINE is set, so the Hub cannot be reached ({doing}); {after}") from None
        except HfHubHTTPError as error:
            raise self._http_error(error, doing, after) from None
        except (httpx2.TransportError, LocalEntryNotFoundError) as error:
            reason = _first_line(error) if isinstance(error, httpx2.TransportError) else "no connection"
            raise BuilderError(f"cannot reach the Hub at {self.api.endpoint} while {doing} ({type(error).__name__}: "
                               f"{self._scrub(reason)}); {after_network or after}") from None

    def _http_error(self, error: HfHubHTTPError, doing: str, after: str) -> BuilderError:
        status = error.response.status_code if error.response is not None else None
        server = self._scrub(error.server_message or _first_line(error)).rstrip(".")
        if isinstance(error, RepositoryNotFoundError):
            return UsageError(f"{self.repo_id} not found while {doing}, or this token may not see it (HTTP {status}); {after}")
        if status == 401:
            return UsageError(f"the Hub refused the token while {doing} (HTTP 401: {server}): set HF_TOKEN to a valid "
                              f"token or run `hf auth login`; {after}")
        if status == 403:
            return UsageError(f"no permission while {doing} (HTTP 403: {server}): the token may not write to "
                              f"{self.repo_id}; {after}")
        if status == 412:
            return BuilderError(f"{self.repo_id} changed while {doing} (HTTP 412: another commit landed on "
                                f"{self.branch} since the plan was made); {after}: run the command again")
        return BuilderError(f"the Hub answered HTTP {status} while {doing}: {server}; {after}")

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text


@contextmanager
def _without_progress_bars() -> Iterator[None]:
    was_disabled = are_progress_bars_disabled()
    disable_progress_bars()
    try:
        yield
    finally:
        if not was_disabled:
            enable_progress_bars()


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
