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
import json
import re
import sys
import threading
import traceback
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterable, Mapping, NamedTuple
from urllib.parse import parse_qs, urlsplit

from tests.support.hub_endpoints import READ_TOKEN, WRITE_TOKEN, HubEndpoints, HubError, Reply
from tests.support.hub_store import Commit, Repo, StoredFile, should_use_lfs

__all__ = ["HubEmulator", "LoggedRequest", "READ_TOKEN", "WRITE_TOKEN"]


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
    """The Hub's endpoints (hub_endpoints.py) served on 127.0.0.1, with controls for tests.

    `tokens` maps each valid token to the namespaces it may write; the first one is the token's
    user name. Default: WRITE_TOKEN (user "tester", also "test-org") and READ_TOKEN (user "reader").
    """

    def __init__(self, tokens: Mapping[str, Iterable[str]] | None = None, host: str = "127.0.0.1", port: int = 0):
        self.endpoints = HubEndpoints(tokens)
        self.host, self.port = host, port
        self.request_log: list[LoggedRequest] = []
        self.foreign_requests: list[str] = []  # requests for other hosts that reached us as a proxy
        self.internal_errors: list[str] = []  # tracebacks of emulator bugs (answered with 500)
        self._faults: list[_Fault] = []
        self._lock = self.endpoints.lock
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
        self.endpoints.base_url = self.url
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
    @property
    def repos(self) -> dict[str, Repo]:
        return self.endpoints.repos

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
            repo = self.endpoints.new_repo(repo_id, private, author)
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
        try:
            return self.endpoints.dispatch(method, path, query, headers, body)
        except Exception:  # an emulator bug: answer it loudly rather than leave a client hanging
            self.internal_errors.append(traceback.format_exc())
            print(self.internal_errors[-1], file=sys.stderr)
            return HubError(500, "Hub emulator internal error (see HubEmulator.internal_errors)").reply()

    def _proxied_elsewhere(self, method: str, target: str, host: str) -> Reply:
        # Subprocesses get HTTP(S)_PROXY pointing here (see hub_client_env.py): anything meant for
        # another host lands here instead of on the internet, and is recorded.
        if host == f"datasets-server.{self.host}":
            # datasets probes the dataset viewer at "datasets-server." + endpoint host; a fresh repo has none.
            return HubError(404, "The dataset viewer is not emulated").reply()
        with self._lock:
            self.foreign_requests.append(f"{method} {target}")
        return HubError(403, f"Hub emulator refused a request for another host: {target}").reply()


class _RequestHandler(BaseHTTPRequestHandler):
    """HTTP plumbing only: read the request, let HubEmulator.handle answer, write the reply."""

    protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects; every reply carries Content-Length

    def _serve(self) -> None:
        emulator: HubEmulator = self.server.emulator  # type: ignore[attr-defined]
        reply = emulator.handle(self.command, self.path, self.headers, self._read_body())
        # default=str: cardData may hold YAML dates
        payload = json.dumps(reply.json, default=str).encode() if reply.json is not None else reply.body
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
