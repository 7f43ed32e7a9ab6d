"""What the Hub emulator answers: one method per Hub endpoint, in the Hub's JSON and error shapes.

HubEndpoints holds the state (repos, tokens) and turns a request into a Reply; it knows nothing
about sockets or test controls (those are in hub_emulator.py), and the storage rules are in hub_store.py.
Access rules, as on huggingface.co: reads of a public repo need no token; a private repo looks
missing (RepoNotFound) to anyone who may not write it; writes need a token (401) allowed to write
the repo's namespace (403).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from email.message import Message
from typing import Any, Iterable, Mapping
from urllib.parse import parse_qs, unquote

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


class HubEndpoints:
    """The Hub's state and its endpoints. `tokens` maps each valid token to the namespaces it may write;
    the first one is the token's user name (used by create_repo without an organization)."""

    def __init__(self, tokens: Mapping[str, Iterable[str]] | None = None):
        self.tokens = {token: tuple(namespaces) for token, namespaces in (tokens or DEFAULT_TOKENS).items()}
        self.repos: dict[str, Repo] = {}
        self.base_url = ""  # set by the server once it knows its port; used in the URLs handed out
        self.lock = threading.RLock()  # handlers run in several server threads
        self._pending_uploads: dict[str, tuple[str, str, int]] = {}  # upload id -> (repo id, sha256, size)

    def new_repo(self, repo_id: str, private: bool, author: str) -> Repo:
        with self.lock:
            repo = self.repos[repo_id] = Repo(repo_id, private)
            # Like the Hub: a new repo starts with one commit holding the default .gitattributes.
            repo.add_commit("main", {".gitattributes": StoredFile(DEFAULT_GITATTRIBUTES.encode(), False)},
                            "initial commit", "", author)
            return repo

    def dispatch(self, method: str, path: str, query: dict[str, list[str]], headers: Message, body: bytes) -> Reply:
        """The reply to one request; HubError becomes the Hub's error answer, an unknown route a 404."""
        for methods, pattern, handler in _COMPILED_ROUTES:
            match = pattern.fullmatch(path)
            if match and method in methods:
                args = {key: unquote(value) for key, value in match.groupdict().items() if value is not None}
                try:
                    return getattr(self, f"_on_{handler}")(HubRequest(method, args, query, headers, body))
                except HubError as error:
                    return error.reply()
        return HubError(404, f"Not found: {method} {path}").reply()

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
        repo_id, url = f"{namespace}/{payload['name']}", f"{self.base_url}/datasets/{namespace}/{payload['name']}"
        if not self._may_write(request, namespace):
            raise HubError(403, f"You don't have the rights to create a repo under '{namespace}'")
        with self.lock:
            if repo_id in self.repos:
                raise HubError(409, "You already created this dataset repo", url=url)
            # huggingface_hub 2.x sends `visibility`; older clients sent `private`.
            private = bool(payload.get("private")) or payload.get("visibility") == "private"
            self.new_repo(repo_id, private, author=user)
        return Reply(json={"url": url, "name": repo_id, "id": repo_id})

    def _on_delete_repo(self, request: HubRequest) -> Reply:
        payload = request.json()
        request.args.update(namespace=payload.get("organization") or self._caller(request) or "", name=payload["name"])
        repo = self._writable_repo(request)
        with self.lock:
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
        if isinstance(card_data := readme_metadata(commit), dict):
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
        with self.lock:
            for announced in payload.get("objects", []):
                answer: dict[str, Any] = {"oid": announced["oid"], "size": announced["size"]}
                if announced["oid"] not in repo.lfs_objects:  # already stored: no `actions`, nothing to upload
                    upload_id = secrets.token_urlsafe(16)
                    self._pending_uploads[upload_id] = (repo.repo_id, announced["oid"], announced["size"])
                    answer |= {"authenticated": True,
                               "actions": {"upload": {"href": f"{self.base_url}/_emulator/lfs-upload/{upload_id}"}}}
                objects.append(answer)
        return Reply(json={"transfer": "basic", "objects": objects},
                     headers={"Content-Type": "application/vnd.git-lfs+json"})

    def _on_lfs_upload(self, request: HubRequest) -> Reply:
        # The upload URL is pre-signed, like the storage URLs the Hub hands out: no token needed.
        with self.lock:
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
        with self.lock:  # check, build and record in one step: a commit is atomic
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
                           "commitUrl": f"{self.base_url}/datasets/{repo.repo_id}/commit/{commit.oid}"})

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
        if not tag:
            raise HubError(400, "A tag name is required")
        with self.lock:
            commit = self._commit_at(repo, request.args["revision"])
            if tag in repo.tags:  # a release tag never moves, even with exist_ok=True on the client
                raise HubError(409, f"Tag {tag} already exists")
            repo.tags[tag] = commit.oid
        return Reply(json={"name": tag, "ref": f"refs/tags/{tag}", "targetCommit": commit.oid})

    def _on_delete_tag(self, request: HubRequest) -> Reply:
        repo = self._writable_repo(request)
        with self.lock:
            if repo.tags.pop(request.args["tag"], None) is None:
                raise HubError(404, f"Invalid rev id: {request.args['tag']}", "RevisionNotFound")
        return Reply()

    def _on_create_branch(self, request: HubRequest) -> Reply:
        repo = self._writable_repo(request)
        branch = request.args["branch"]
        with self.lock:
            commit = self._commit_at(repo, request.json().get("startingPoint") or "main")
            if branch in repo.branches:
                raise HubError(409, f"Reference refs/heads/{branch} already exists")
            repo.branches[branch] = commit.oid
        return Reply()

    def _on_delete_branch(self, request: HubRequest) -> Reply:
        repo = self._writable_repo(request)
        branch = request.args["branch"]
        with self.lock:
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


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(\r?\n|\Z)", re.DOTALL)


def card_metadata(readme: str) -> Any:
    """The YAML front matter of a dataset card, parsed (None without front matter)."""
    match = _FRONT_MATTER.match(readme)
    return yaml.safe_load(match.group(1)) if match else None


def readme_metadata(commit: Commit) -> Any:
    """The card metadata of a commit's README.md, or None (no README, no front matter, invalid YAML)."""
    try:
        return card_metadata(commit.files["README.md"].content.decode()) if "README.md" in commit.files else None
    except (UnicodeDecodeError, yaml.YAMLError):
        return None


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
