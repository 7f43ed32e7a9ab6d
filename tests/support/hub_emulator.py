"""A small Hugging Face Hub for tests: the real huggingface_hub and datasets clients talk to it on 127.0.0.1.

It answers the calls huggingface_hub 2.4 and datasets 5.2 make to create a dataset repo, commit files
(preupload, LFS batch + PUT, NDJSON commit), tag, branch, list and download, with the Hub's JSON
bodies and error headers, so the clients raise the same exceptions as against huggingface.co.
Everything lives in memory (storage rules: hub_store.py). Point the clients at it with hub_client_env.py.

    with HubEmulator() as hub:                       # serves on a free port of 127.0.0.1
        hub.url                                      # "http://127.0.0.1:<port>"
        hub.fail_next("POST", r"/commit/main$", status=500)
        ...                                          # use the clients
        hub.files("tester/opinions", "v1.0.0")       # {path: bytes} at that revision
        hub.request_log                              # [LoggedRequest(method, path, status, query), ...]

By hand: `python -m tests.support.hub_emulator --port 8765` (prints the environment to export).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import secrets
import sys
import threading
import traceback
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterable, Mapping, NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

import yaml

from tests.support.hub_store import (
    DEFAULT_GITATTRIBUTES, Commit, Repo, StoredFile, folder_oid, iso, list_tree, path_kind, should_use_lfs,
)

WRITE_TOKEN = "hf_emulator_write_token"  # user "tester", may write "tester/*" and "test-org/*"
READ_TOKEN = "hf_emulator_read_token"  # user "reader": valid, but may not write tester's repos
DEFAULT_TOKENS = {WRITE_TOKEN: ("tester", "test-org"), READ_TOKEN: ("reader",)}

_TRUE = {"1", "true", "True"}
_REPO = r"/(?P<namespace>[^/]+)/(?P<name>[^/]+)"
# (methods, path pattern, handler `_on_<name>`): patterns match the raw path; named groups are unquoted before use.
ROUTES = [
    ("POST", r"/api/repos/create", "create_repo"),
    ("DELETE", r"/api/repos/delete", "delete_repo"),
    ("GET", r"/api/whoami-v2", "whoami"),
    ("POST", r"/api/validate-yaml", "validate_yaml"),
    ("GET", rf"/api/datasets{_REPO}(?:/revision/(?P<revision>[^/]+))?", "repo_info"),
    ("GET", rf"/api/datasets{_REPO}/tree/(?P<revision>[^/]+)(?:/(?P<path>.*))?", "tree"),
    ("POST", rf"/api/datasets{_REPO}/paths-info/(?P<revision>[^/]+)", "paths_info"),
    ("POST", rf"/api/datasets{_REPO}/preupload/(?P<revision>[^/]+)", "preupload"),
    ("POST", rf"/api/datasets{_REPO}/commit/(?P<revision>[^/]+)", "commit"),
    ("GET", rf"/api/datasets{_REPO}/commits/(?P<revision>[^/]+)", "list_commits"),
    ("GET", rf"/api/datasets{_REPO}/refs", "refs"),
    ("POST", rf"/api/datasets{_REPO}/tag/(?P<revision>[^/]+)", "create_tag"),
    ("DELETE", rf"/api/datasets{_REPO}/tag/(?P<tag>[^/]+)", "delete_tag"),
    ("POST", rf"/api/datasets{_REPO}/branch/(?P<branch>[^/]+)", "create_branch"),
    ("DELETE", rf"/api/datasets{_REPO}/branch/(?P<branch>[^/]+)", "delete_branch"),
    ("POST", rf"/datasets{_REPO}\.git/info/lfs/objects/batch", "lfs_batch"),
    ("PUT", r"/_emulator/lfs-upload/(?P<upload_id>[^/]+)", "lfs_upload"),
    ("GET HEAD", rf"/datasets{_REPO}/resolve/(?P<revision>[^/]+)/(?P<path>.+)", "resolve"),
]
_COMPILED_ROUTES = [(methods.split(), re.compile(pattern), handler) for methods, pattern, handler in ROUTES]


class HubError(Exception):
    """An error answer in the Hub's shape: JSON {"error": message} plus X-Error-Message / X-Error-Code headers.

    huggingface_hub picks its exception from X-Error-Code: RepoNotFound, RevisionNotFound, EntryNotFound.
    """

    def __init__(self, status: int, message: str, code: str | None = None, **extra_json: Any):
        super().__init__(message)
        self.status, self.message, self.code, self.extra_json = status, message, code, extra_json

    def reply(self) -> Reply:
        headers = {"X-Error-Message": self.message.encode("ascii", "replace").decode()}
        if self.code:
            headers["X-Error-Code"] = self.code
        return Reply(self.status, {"error": self.message, **self.extra_json}, headers=headers)


@dataclass
class Reply:
    status: int = 200
    json: Any = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class HubRequest:
    method: str
    args: dict[str, str]  # the route's named groups, unquoted
    query: dict[str, list[str]]
    headers: Message
    body: bytes

    @property
    def token(self) -> str | None:
        authorization = self.headers.get("Authorization", "")
        return authorization.removeprefix("Bearer ").strip() or None

    @property
    def repo_id(self) -> str:
        return f"{self.args['namespace']}/{self.args['name']}"

    def json(self) -> Any:
        return json.loads(self.body or b"{}")

    def flag(self, name: str) -> bool:
        return self.query.get(name, [""])[0] in _TRUE


class LoggedRequest(NamedTuple):
    method: str
    path: str
    status: int
    query: str = ""


@dataclass
class _Fault:
    method: str
    path_pattern: re.Pattern
    status: int
    times_left: int
    message: str


class HubEmulator:
    """In-memory Hub on 127.0.0.1. `tokens` maps each valid token to the namespaces it may write;
    the first namespace is the token's user name (used by create_repo without an organization)."""

    def __init__(self, tokens: Mapping[str, Iterable[str]] | None = None, host: str = "127.0.0.1", port: int = 0):
        self.tokens = {token: tuple(namespaces) for token, namespaces in (tokens or DEFAULT_TOKENS).items()}
        self.host, self.port = host, port
        self.repos: dict[str, Repo] = {}
        self.request_log: list[LoggedRequest] = []
        self.foreign_requests: list[str] = []  # requests for other hosts that reached us as a proxy
        self.internal_errors: list[str] = []  # tracebacks of emulator bugs (answered with 500)
        self._faults: list[_Fault] = []
        self._pending_uploads: dict[str, tuple[str, str, int]] = {}  # upload id -> (repo id, sha256, size)
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- life cycle -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("HubEmulator is not started")
        return f"http://{self.host}:{self._server.server_address[1]}"

    def start(self) -> str:
        """Serve in a background thread; returns the base URL (also `self.url`)."""
        self._server = ThreadingHTTPServer((self.host, self.port), _RequestHandler)
        self._server.daemon_threads = True
        self._server.emulator = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="hub-emulator",
                                        daemon=True)  # short poll: stop() returns quickly
        self._thread.start()
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = None

    def __enter__(self) -> HubEmulator:
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # ---- test controls ----------------------------------------------------------------------
    def fail_next(self, method: str, path_regex: str, status: int = 500, times: int = 1,
                  message: str = "Injected failure") -> None:
        """Answer the next `times` requests whose method matches and whose path matches `path_regex`
        (re.search) with `status`, before any other processing: nothing is stored for them."""
        with self._lock:
            self._faults.append(_Fault(method.upper(), re.compile(path_regex), status, times, message))

    def files(self, repo_id: str, revision: str = "main") -> dict[str, bytes]:
        with self._lock:
            return {path: f.content for path, f in self._snapshot(repo_id, revision).files.items()}

    def refs(self, repo_id: str) -> dict[str, dict[str, str]]:
        with self._lock:
            repo = self.repos[repo_id]
            return {"branches": dict(repo.branches), "tags": dict(repo.tags)}

    def commits(self, repo_id: str, revision: str = "main") -> list[Commit]:
        """The history of `revision`, newest first; the last one is the repo's initial commit."""
        with self._lock:
            return self.repos[repo_id].history(self._snapshot(repo_id, revision))

    def add_repo(self, repo_id: str, files: Mapping[str, bytes] | None = None, private: bool = False,
                 author: str = "tester") -> str:
        """Create a repo without HTTP (initial commit, then one commit of `files` if given); returns its head."""
        with self._lock:
            repo = self._new_repo(repo_id, private, author)
            if files:
                snapshot = dict(repo.resolve("main").files)
                for path, content in files.items():
                    snapshot[path] = StoredFile(content, should_use_lfs(path, content[:512], len(content), snapshot))
                repo.add_commit("main", snapshot, "Add files", "", author)
            return repo.branches["main"]

    def _snapshot(self, repo_id: str, revision: str) -> Commit:
        commit = self.repos[repo_id].resolve(revision)
        if commit is None:
            raise KeyError(f"{repo_id} has no revision {revision!r}")
        return commit

    def _new_repo(self, repo_id: str, private: bool, author: str) -> Repo:
        repo = self.repos[repo_id] = Repo(repo_id, private)
        # Like the Hub: a new repo starts with one commit holding the default .gitattributes.
        repo.add_commit("main", {".gitattributes": StoredFile(DEFAULT_GITATTRIBUTES.encode(), False)},
                        "initial commit", "", author)
        return repo

    # ---- request handling -------------------------------------------------------------------
    def handle(self, method: str, target: str, headers: Message, body: bytes) -> Reply:
        """Answer one HTTP request (the handler thread only does the I/O) and log it."""
        split = urlsplit(target)
        if split.scheme and split.netloc != urlsplit(self.url).netloc:
            reply = self._proxied_elsewhere(method, target, split.hostname or "")
        else:
            reply = self._route(method, split.path, parse_qs(split.query), headers, body)
        with self._lock:
            self.request_log.append(LoggedRequest(method, split.path, reply.status, split.query))
        return reply

    def _route(self, method: str, path: str, query: dict, headers: Message, body: bytes) -> Reply:
        with self._lock:
            for fault in self._faults:
                if fault.method == method and fault.path_pattern.search(path) and fault.times_left > 0:
                    fault.times_left -= 1
                    return HubError(fault.status, fault.message).reply()
        for methods, pattern, handler in _COMPILED_ROUTES:
            match = pattern.fullmatch(path)
            if match and method in methods:
                args = {key: unquote(value) for key, value in match.groupdict().items() if value is not None}
                try:
                    return getattr(self, f"_on_{handler}")(HubRequest(method, args, query, headers, body))
                except HubError as error:
                    return error.reply()
                except Exception:  # an emulator bug: say so loudly rather than hang a client
                    self.internal_errors.append(traceback.format_exc())
                    print(self.internal_errors[-1], file=sys.stderr)
                    return HubError(500, "Hub emulator internal error (see HubEmulator.internal_errors)").reply()
        return HubError(404, f"Not found: {method} {path}").reply()

    def _proxied_elsewhere(self, method: str, target: str, host: str) -> Reply:
        # Subprocesses get HTTP(S)_PROXY pointing here (see hub_client_env.py): anything meant for
        # another host lands here instead of on the internet, and is recorded.
        if host == f"datasets-server.{self.host}":
            # datasets probes the dataset viewer at "datasets-server." + endpoint host; a fresh repo has none.
            return HubError(404, "The dataset viewer is not emulated").reply()
        with self._lock:
            self.foreign_requests.append(f"{method} {target}")
        return HubError(403, f"Hub emulator refused a request for another host: {target}").reply()

    # ---- access rules -----------------------------------------------------------------------
    def _caller(self, request: HubRequest) -> str | None:
        """The user behind the request's token; None without a token. An unknown token is refused."""
        if request.token is None:
            return None
        if request.token not in self.tokens:
            raise HubError(401, "Invalid credentials in Authorization header")
        return self.tokens[request.token][0]

    def _may_write(self, request: HubRequest, namespace: str) -> bool:
        return namespace in self.tokens.get(request.token or "", ())

    def _readable_repo(self, request: HubRequest) -> Repo:
        caller = self._caller(request)
        repo = self.repos.get(request.repo_id)
        if repo is None or (repo.private and not self._may_write(request, repo.namespace)):
            # As on the Hub, a private repo looks missing to whoever may not see it.
            raise HubError(401 if caller is None else 404, "Repository not found", "RepoNotFound")
        return repo

    def _writable_repo(self, request: HubRequest) -> Repo:
        if request.token is None:
            raise HubError(401, "Invalid username or password.")
        repo = self._readable_repo(request)
        if not self._may_write(request, repo.namespace):
            raise HubError(403, f"You don't have the rights to write to {repo.repo_id}")
        return repo

    @staticmethod
    def _commit_at(repo: Repo, revision: str) -> Commit:
        commit = repo.resolve(revision)
        if commit is None:
            raise HubError(404, f"Invalid rev id: {revision}", "RevisionNotFound")
        return commit

    # ---- repos ------------------------------------------------------------------------------
    def _on_create_repo(self, request: HubRequest) -> Reply:
        user = self._caller(request)
        if user is None:
            raise HubError(401, "Invalid username or password.")
        payload = request.json()
        if payload.get("type") != "dataset":
            raise HubError(400, "The Hub emulator only hosts dataset repos (repo_type='dataset')")
        namespace = payload.get("organization") or user
        repo_id, url = f"{namespace}/{payload['name']}", f"{self.url}/datasets/{namespace}/{payload['name']}"
        if not self._may_write(request, namespace):
            raise HubError(403, f"You don't have the rights to create a repo under '{namespace}'")
        with self._lock:
            if repo_id in self.repos:
                raise HubError(409, "You already created this dataset repo", url=url)
            # huggingface_hub 2.x sends `visibility`; older clients sent `private`.
            private = bool(payload.get("private")) or payload.get("visibility") == "private"
            self._new_repo(repo_id, private, author=user)
        return Reply(json={"url": url, "name": repo_id, "id": repo_id})

    def _on_delete_repo(self, request: HubRequest) -> Reply:
        payload = request.json()
        request.args.update(namespace=payload.get("organization") or self._caller(request) or "", name=payload["name"])
        repo = self._writable_repo(request)
        with self._lock:
            del self.repos[repo.repo_id]
        return Reply()

    def _on_whoami(self, request: HubRequest) -> Reply:
        user = self._caller(request)
        if user is None:
            raise HubError(401, "Invalid username or password.")
        orgs = [{"type": "org", "name": name} for name in self.tokens[request.token][1:]]
        auth = {"type": "access_token", "accessToken": {"displayName": "hub-emulator", "role": "write"}}
        return Reply(json={"type": "user", "name": user, "fullname": user, "orgs": orgs, "auth": auth})

    def _on_validate_yaml(self, request: HubRequest) -> Reply:
        errors = card_metadata_errors(request.json().get("content", ""))
        return Reply(400 if errors else 200, {"errors": [{"message": e} for e in errors], "warnings": []})

    def _on_repo_info(self, request: HubRequest) -> Reply:
        repo = self._readable_repo(request)
        commit = self._commit_at(repo, request.args.get("revision", "main"))
        siblings = []
        for path, stored in sorted(commit.files.items()):
            sibling: dict[str, Any] = {"rfilename": path}
            if request.flag("blobs"):  # files_metadata=True
                sibling |= {"size": stored.size, "blobId": stored.git_oid}
                if stored.is_lfs:
                    sibling["lfs"] = {"sha256": stored.sha256, "size": stored.size, "pointerSize": len(stored.lfs_pointer)}
            siblings.append(sibling)
        info = {
            "_id": hashlib.sha1(repo.repo_id.encode()).hexdigest()[:24], "id": repo.repo_id, "author": repo.namespace,
            "sha": commit.oid, "private": repo.private, "gated": False, "disabled": False, "downloads": 0, "likes": 0,
            "tags": [], "createdAt": iso(repo.created_at), "lastModified": iso(commit.date), "siblings": siblings,
        }
        card_data = card_metadata(commit.files["README.md"].content.decode()) if "README.md" in commit.files else None
        if isinstance(card_data, dict):
            info["cardData"] = card_data
        return Reply(json=info)

    # ---- listing ----------------------------------------------------------------------------
    def _on_tree(self, request: HubRequest) -> Reply:
        repo = self._readable_repo(request)
        commit = self._commit_at(repo, request.args["revision"])
        folder = request.args.get("path", "").strip("/")
        entries = list_tree(commit.files, folder, recursive=request.flag("recursive"))
        if entries is None:
            raise HubError(404, f"Entry not found: {folder}", "EntryNotFound")
        expand = request.flag("expand")
        return Reply(json=[self._entry(repo, commit, kind, path, expand) for kind, path in entries])

    def _on_paths_info(self, request: HubRequest) -> Reply:
        repo = self._readable_repo(request)
        commit = self._commit_at(repo, request.args["revision"])
        form = parse_qs(request.body.decode())  # form-encoded: paths=a&paths=b&expand=False
        expand = form.get("expand", [""])[0] in _TRUE
        entries = []
        for path in (p.strip("/") for p in form.get("paths", [])):
            if kind := path_kind(commit.files, path):  # missing paths are left out, not an error
                entries.append(self._entry(repo, commit, kind, path, expand))
        return Reply(json=entries)

    @staticmethod
    def _entry(repo: Repo, commit: Commit, kind: str, path: str, expand: bool) -> dict[str, Any]:
        if kind == "file":
            stored = commit.files[path]
            entry: dict[str, Any] = {"type": "file", "oid": stored.git_oid, "size": stored.size, "path": path}
            if stored.is_lfs:
                entry["lfs"] = stored.lfs_info()
        else:
            entry = {"type": "directory", "oid": folder_oid(commit.files, path), "size": 0, "path": path}
        if expand:
            last = repo.last_commit_touching(commit, path)
            entry["lastCommit"] = {"id": last.oid, "title": last.title, "date": iso(last.date)}
        return entry

    def _on_list_commits(self, request: HubRequest) -> Reply:
        repo = self._readable_repo(request)
        history = repo.history(self._commit_at(repo, request.args["revision"]))
        return Reply(json=[
            {"id": c.oid, "title": c.title, "message": c.description, "authors": [{"user": c.author}], "date": iso(c.date)}
            for c in history
        ])

    def _on_refs(self, request: HubRequest) -> Reply:
        repo = self._readable_repo(request)

        def listed(kind: str, refs: dict[str, str]) -> list[dict[str, str]]:
            return [{"name": name, "ref": f"refs/{kind}/{name}", "targetCommit": oid} for name, oid in sorted(refs.items())]

        body = {"branches": listed("heads", repo.branches), "tags": listed("tags", repo.tags), "converts": []}
        if request.flag("include_prs"):
            body["pullRequests"] = []
        return Reply(json=body)

    # ---- uploads and commits ----------------------------------------------------------------
    def _on_preupload(self, request: HubRequest) -> Reply:
        repo = self._writable_repo(request)
        commit = self._commit_at(repo, request.args["revision"])
        answers = []
        for announced in request.json().get("files", []):
            path, size = announced["path"], announced["size"]
            use_lfs = should_use_lfs(path, base64.b64decode(announced.get("sample", "")), size, commit.files)
            existing = commit.files.get(path)
            # `oid` of the current file lets the client skip unchanged files: sha256 for LFS, git sha1 otherwise.
            answers.append({"path": path, "uploadMode": "lfs" if use_lfs else "regular", "shouldIgnore": False,
                            "oid": existing.etag if existing else None})
        return Reply(json={"files": answers, "commitOid": commit.oid})

    def _on_lfs_batch(self, request: HubRequest) -> Reply:
        repo = self._writable_repo(request)
        payload = request.json()
        if payload.get("operation") != "upload":
            raise HubError(400, "The Hub emulator only serves LFS uploads")
        objects = []
        with self._lock:
            for announced in payload.get("objects", []):
                answer: dict[str, Any] = {"oid": announced["oid"], "size": announced["size"]}
                if announced["oid"] not in repo.lfs_objects:  # already stored: no `actions`, nothing to upload
                    upload_id = secrets.token_urlsafe(16)
                    self._pending_uploads[upload_id] = (repo.repo_id, announced["oid"], announced["size"])
                    answer |= {"authenticated": True,
                               "actions": {"upload": {"href": f"{self.url}/_emulator/lfs-upload/{upload_id}"}}}
                objects.append(answer)
        return Reply(json={"transfer": "basic", "objects": objects},
                     headers={"Content-Type": "application/vnd.git-lfs+json"})

    def _on_lfs_upload(self, request: HubRequest) -> Reply:
        # The upload URL is pre-signed, like the storage URLs the Hub hands out: no token needed.
        with self._lock:
            pending = self._pending_uploads.get(request.args["upload_id"])
            if pending is None:
                raise HubError(403, "Unknown or already used upload URL")
            repo_id, sha256, size = pending
            if hashlib.sha256(request.body).hexdigest() != sha256 or len(request.body) != size:
                raise HubError(400, "Uploaded bytes do not match the announced sha256 and size")
            self.repos[repo_id].lfs_objects[sha256] = request.body
            del self._pending_uploads[request.args["upload_id"]]
        return Reply(headers={"ETag": f'"{sha256[:32]}"'})

    def _on_commit(self, request: HubRequest) -> Reply:
        repo = self._writable_repo(request)
        if request.flag("create_pr"):
            raise HubError(400, "The Hub emulator does not support pull requests (create_pr)")
        lines = [json.loads(line) for line in request.body.splitlines() if line.strip()]
        if not lines or lines[0].get("key") != "header" or not lines[0]["value"].get("summary"):
            raise HubError(400, "A commit starts with a header line holding a non-empty summary")
        header, branch = lines[0]["value"], request.args["revision"]
        with self._lock:  # check, build and record in one step: a commit is atomic
            if branch not in repo.branches:
                raise HubError(404, f"Invalid rev id: {branch} (commits go to a branch)", "RevisionNotFound")
            head = repo.branches[branch]
            parent = header.get("parentCommit")
            if parent and not head.startswith(parent.lower()):
                raise HubError(412, "A commit has happened since. Please refresh and try again.")
            files = self._apply_operations(repo, dict(repo.commits[head].files), lines[1:])
            # A commit that changes nothing is still recorded: the client, not the Hub, skips unchanged files.
            commit = repo.add_commit(branch, files, header["summary"], header.get("description", ""),
                                     author=self._caller(request) or "")
        return Reply(json={"success": True, "commitOid": commit.oid, "hookOutput": "", "pullRequestUrl": None,
                           "commitUrl": f"{self.url}/datasets/{repo.repo_id}/commit/{commit.oid}"})

    @staticmethod
    def _apply_operations(repo: Repo, files: dict[str, StoredFile], operations: list[dict]) -> dict[str, StoredFile]:
        for operation in operations:
            key, value = operation.get("key"), operation.get("value", {})
            path = value.get("path", "")
            if key == "file":
                raw = value["content"]
                content = base64.b64decode(raw) if value.get("encoding") == "base64" else raw.encode()
                files[path] = StoredFile(content, is_lfs=False)
            elif key == "lfsFile":
                content = repo.lfs_objects.get(value["oid"])
                if content is None:
                    raise HubError(422, f"LFS object {value['oid']} for '{path}' was never uploaded")
                files[path] = StoredFile(content, is_lfs=True)
            elif key == "deletedFile":
                if files.pop(path, None) is None:
                    raise HubError(404, f"A file with this name doesn't exist: {path}", "EntryNotFound")
            elif key == "deletedFolder":
                inside = [p for p in files if p.startswith(path.rstrip("/") + "/")]
                if not inside:
                    raise HubError(404, f"A folder with this name doesn't exist: {path}", "EntryNotFound")
                for inner_path in inside:
                    del files[inner_path]
            else:
                raise HubError(400, f"Unknown commit operation {key!r}")
        return files

    # ---- tags and branches ------------------------------------------------------------------
    def _on_create_tag(self, request: HubRequest) -> Reply:
        repo = self._writable_repo(request)
        tag = request.json().get("tag")
        with self._lock:
            commit = self._commit_at(repo, request.args["revision"])
            if tag in repo.tags:  # a release tag never moves, even with exist_ok=True on the client
                raise HubError(409, f"Tag {tag} already exists")
            repo.tags[tag] = commit.oid
        return Reply(json={"name": tag, "ref": f"refs/tags/{tag}", "targetCommit": commit.oid})

    def _on_delete_tag(self, request: HubRequest) -> Reply:
        repo = self._writable_repo(request)
        with self._lock:
            if repo.tags.pop(request.args["tag"], None) is None:
                raise HubError(404, f"Invalid rev id: {request.args['tag']}", "RevisionNotFound")
        return Reply()

    def _on_create_branch(self, request: HubRequest) -> Reply:
        repo = self._writable_repo(request)
        branch = request.args["branch"]
        with self._lock:
            commit = self._commit_at(repo, request.json().get("startingPoint") or "main")
            if branch in repo.branches:
                raise HubError(409, f"Reference refs/heads/{branch} already exists")
            repo.branches[branch] = commit.oid
        return Reply()

    def _on_delete_branch(self, request: HubRequest) -> Reply:
        repo = self._writable_repo(request)
        branch = request.args["branch"]
        with self._lock:
            if branch == "main":
                raise HubError(403, "Cannot delete the default branch")
            if repo.branches.pop(branch, None) is None:
                raise HubError(404, f"Invalid rev id: {branch}", "RevisionNotFound")
        return Reply()

    # ---- downloads --------------------------------------------------------------------------
    def _on_resolve(self, request: HubRequest) -> Reply:
        repo = self._readable_repo(request)
        commit = self._commit_at(repo, request.args["revision"])
        stored = commit.files.get(request.args["path"])
        if stored is None:
            raise HubError(404, "Entry not found", "EntryNotFound")
        headers = {"X-Repo-Commit": commit.oid, "ETag": f'"{stored.etag}"', "Accept-Ranges": "bytes",
                   "Content-Type": "application/octet-stream"}
        if "Range" not in request.headers:
            return Reply(body=stored.content, headers=headers)
        span = byte_range(request.headers["Range"], stored.size)
        if span is None:
            raise HubError(416, "Requested range not satisfiable")
        start, end = span
        headers["Content-Range"] = f"bytes {start}-{end}/{stored.size}"
        return Reply(206, body=stored.content[start:end + 1], headers=headers)




# ---- helpers ------------------------------------------------------------------------------------
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(\r?\n|\Z)", re.DOTALL)


def card_metadata(readme: str) -> Any:
    """The YAML front matter of a dataset card, parsed (None without front matter)."""
    match = _FRONT_MATTER.match(readme)
    return yaml.safe_load(match.group(1)) if match else None


def card_metadata_errors(readme: str) -> list[str]:
    """What /api/validate-yaml reports. Only syntax and shape are checked, not the Hub's full schema."""
    try:
        metadata = card_metadata(readme)
    except yaml.YAMLError as error:
        return [f"Invalid YAML in the dataset card metadata: {error}"]
    if metadata is not None and not isinstance(metadata, dict):
        return ["The dataset card metadata must be a YAML mapping"]
    return []


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single `Range: bytes=a-b` / `a-` / `-n`; None when not satisfiable."""
    match = re.fullmatch(r"bytes=(\d*)-(\d*)", header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # "-n": the last n bytes
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    return (start, end) if start <= end else None


class _RequestHandler(BaseHTTPRequestHandler):
    """HTTP plumbing only: read the request, let HubEmulator.handle answer, write the reply."""

    protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects; every reply carries Content-Length

    def _serve(self) -> None:
        emulator: HubEmulator = self.server.emulator  # type: ignore[attr-defined]
        reply = emulator.handle(self.command, self.path, self.headers, self._read_body())
        payload = json.dumps(reply.json).encode() if reply.json is not None else reply.body
        self.send_response(reply.status)
        headers = {"Content-Type": "application/json; charset=utf-8"} if reply.json is not None else {}
        for name, value in {**headers, **reply.headers, "Content-Length": str(len(payload))}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _serve

    def do_CONNECT(self) -> None:
        # An HTTPS request for another host, sent through us as a proxy (subprocess guard): refuse and record.
        emulator: HubEmulator = self.server.emulator  # type: ignore[attr-defined]
        with emulator._lock:
            emulator.foreign_requests.append(f"CONNECT {self.path}")
            emulator.request_log.append(LoggedRequest("CONNECT", self.path, 403))
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()  # the CRLF closing each chunk
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):  # optional trailers
                pass
            return b"".join(chunks)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def log_message(self, format: str, *args: Any) -> None:
        pass  # HubEmulator.request_log keeps the record


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve an in-memory Hugging Face Hub on 127.0.0.1 (for manual tests).")
    parser.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (0: any free port)")
    args = parser.parse_args(argv)
    with HubEmulator(port=args.port) as hub:
        print(f"Hub emulator on {hub.url}\nTokens: {WRITE_TOKEN} (writes tester/*, test-org/*), {READ_TOKEN}")
        print(f"Before starting a client:\n  export HF_ENDPOINT={hub.url} HF_TOKEN={WRITE_TOKEN} "
              "HF_HUB_DISABLE_XET=1 HF_UPDATE_DOWNLOAD_COUNTS=0 HF_HOME=$(mktemp -d)", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopped")


if __name__ == "__main__":
    main()
