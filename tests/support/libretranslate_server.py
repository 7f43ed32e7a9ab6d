"""A LibreTranslate-compatible HTTP server on 127.0.0.1, for tests and the benchmark.

It speaks the part of the LibreTranslate API that deep-translator uses: `POST /translate`
(parameters q, source, target, format, api_key in the query string, a form body or JSON) and
`GET /languages`. Translations come from a glossary; any other text is answered as
"[<target>] <text>", which keeps placeholder tokens intact.

Faults are injected on demand, each for the next n matching requests (optionally only for one
text): an HTTP status (429, 500, ...), a delay (to trigger client timeouts) or a dropped
connection. `latency` delays every request (the benchmark's 50 ms). Every request is counted
per (target, text) at the server, which is what the tests assert on.

    with LibreTranslateServer(glossary={("ru", "Yes"): "Да"}) as server:
        server.fail(429, times=2)
        ...  # LIBRETRANSLATE_URL=server.url
        assert server.translated[("ru", "Yes")] == 1
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

DEFAULT_LANGUAGES = ["en", "ar", "de", "es", "fr", "ja", "ru", "tr", "zh-Hans", "zh-Hant"]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A client that timed out or was interrupted has closed its socket: expected here.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class _Fault:
    kind: str  # "status", "delay" or "drop"
    value: float
    remaining: int
    text: str | None
    retry_after: str | None = None


class LibreTranslateServer:
    def __init__(self, glossary: dict[tuple[str, str], str] | None = None, *, languages: list[str] | None = None,
                 api_key: str | None = None, latency: float = 0.0):
        self.glossary = dict(glossary or {})
        self.languages = list(languages or DEFAULT_LANGUAGES)
        self.api_key = api_key  # when set, requests with another key get 403
        self.latency = latency
        self.attempts: Counter = Counter()  # (target, text) -> requests received
        self.translated: Counter = Counter()  # (target, text) -> successful answers
        self.request_lines: list[str] = []  # method and path (with query string) of every request
        self.request_bodies: list[str] = []
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="libretranslate", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/"

    def __enter__(self) -> "LibreTranslateServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # Fault injection -----------------------------------------------------------------------------

    def fail(self, status: int, times: int = 1, *, text: str | None = None, retry_after: str | None = None) -> None:
        """Answer the next `times` translate requests (for `text`, or any) with HTTP `status`."""
        self._add(_Fault("status", status, times, text, retry_after))

    def slow(self, seconds: float, times: int = 1, *, text: str | None = None) -> None:
        self._add(_Fault("delay", seconds, times, text))

    def drop(self, times: int = 1, *, text: str | None = None) -> None:
        """Close the connection without answering."""
        self._add(_Fault("drop", 0, times, text))

    def _add(self, fault: _Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def _take_fault(self, text: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.remaining > 0 and fault.text in (None, text):
                    fault.remaining -= 1
                    return fault
        return None

    @property
    def total_translated(self) -> int:
        return sum(self.translated.values())

    def translate(self, target: str, text: str) -> str:
        return self.glossary.get((target, text), f"[{target}] {text}")


def _handler_for(server: LibreTranslateServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real server behind a proxy would
        # Headers and body go out in separate writes; without TCP_NODELAY, Nagle + delayed ACK
        # add ~40 ms to every keep-alive answer, which would distort the benchmark.
        disable_nagle_algorithm = True

        def log_message(self, *args) -> None:  # quiet
            pass

        def _reply(self, status: int, payload: object, headers: dict | None = None) -> None:
            body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _params(self) -> dict[str, str]:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8") if length else ""
            with server._lock:
                server.request_lines.append(f"{self.command} {self.path}")
                server.request_bodies.append(raw)
            params = {name: values[0] for name, values in parse_qs(urlsplit(self.path).query).items()}
            if raw and "json" in (self.headers.get("Content-Type") or ""):
                params.update(json.loads(raw))
            elif raw:
                params.update({name: values[0] for name, values in parse_qs(raw, keep_blank_values=True).items()})
            return params

        def do_GET(self) -> None:
            self._params()
            if urlsplit(self.path).path == "/languages":
                self._reply(200, [{"code": code, "name": code, "targets": server.languages}
                                  for code in server.languages])
            else:
                self._reply(404, {"error": "Not Found"})

        def do_POST(self) -> None:
            params = self._params()
            path = urlsplit(self.path).path
            if path == "/languages":
                self.do_GET()
                return
            if path != "/translate":
                self._reply(404, {"error": "Not Found"})
                return
            text, target = params.get("q", ""), params.get("target", "")
            with server._lock:
                server.attempts[(target, text)] += 1
            if server.latency:
                time.sleep(server.latency)
            fault = server._take_fault(text)
            if fault is not None and fault.kind == "drop":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault is not None and fault.kind == "delay":
                time.sleep(fault.value)
            if fault is not None and fault.kind == "status":
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                self._reply(int(fault.value), {"error": f"injected HTTP {int(fault.value)}"}, headers)
                return
            if server.api_key is not None and params.get("api_key") != server.api_key:
                self._reply(403, {"error": "Invalid API key"})
                return
            if target not in server.languages or params.get("source") not in server.languages:
                self._reply(400, {"error": f"{target} is not supported"})
                return
            with server._lock:
                server.translated[(target, text)] += 1
            self._reply(200, {"translatedText": server.translate(target, text)})

    return Handler


@pytest.fixture
def libre_server():
    """A running LibreTranslateServer with an empty glossary (tests add entries and faults)."""
    with LibreTranslateServer() as server:
        yield server
