"""The HTTP layer under deep-translator: a timeout on every call, the real status code, no keys in URLs.

deep-translator calls the module functions `requests.get` / `requests.post` directly, with no
timeout, and turns every HTTP failure into an exception that has lost the status code (so a
400 cannot be told from a 503). We replace the `requests` name inside its provider modules
with `_Requests` below: the translator code runs unchanged, but each request goes through
`send()`, which

- applies the timeout of the current call (`call_context`), or `DEFAULT_TIMEOUT` outside one;
- records the status code and `Retry-After` of the response, so the adapter can decide what
  is worth retrying;
- lets the current provider rewrite the request first (`rewrite`): DeepL's key moves from the
  query string to the `Authorization` header (DeepL refuses query-string keys since January
  2026), LibreTranslate's parameters move into the form body, so no key is ever part of a URL
  (URLs end up in exception messages and urllib3's debug log).

Patching is done once, on import of `builder.translate.providers`, and only touches the
deep-translator modules named in `PATCHED_MODULES`.
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib
import re
import threading
from dataclasses import dataclass, field
from typing import Callable, Iterator

import requests

DEFAULT_TIMEOUT = 30.0
PATCHED_MODULES = ("deep_translator.google", "deep_translator.mymemory", "deep_translator.deepl", "deep_translator.libre")


@dataclass
class Request:
    """One outgoing request, as deep-translator built it; a provider's `rewrite` may change it."""

    method: str
    url: str
    params: dict = field(default_factory=dict)
    data: dict | None = None
    headers: dict = field(default_factory=dict)
    proxies: dict | None = None


@dataclass
class CallRecord:
    """What happened on the wire during one adapter call (the last response wins)."""

    status: int | None = None
    retry_after: float | None = None
    json_body: object = None
    requests_sent: int = 0


@dataclass
class _CallSettings:
    timeout: float
    rewrite: Callable[[Request], Request] | None
    record: CallRecord
    inspect_json: bool


_current_call: contextvars.ContextVar[_CallSettings | None] = contextvars.ContextVar("translate_call", default=None)
_sessions = threading.local()  # one requests.Session per thread: keep-alive without sharing a Session


def _session() -> requests.Session:
    if not hasattr(_sessions, "session"):
        _sessions.session = requests.Session()
    return _sessions.session


@contextlib.contextmanager
def call_context(
    timeout: float, rewrite: Callable[[Request], Request] | None = None, *, inspect_json: bool = False
) -> Iterator[CallRecord]:
    """Run deep-translator calls inside with this timeout and rewrite; yields the CallRecord."""
    settings = _CallSettings(timeout=timeout, rewrite=rewrite, record=CallRecord(), inspect_json=inspect_json)
    token = _current_call.set(settings)
    try:
        yield settings.record
    finally:
        _current_call.reset(token)


def _parse_retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None  # an HTTP date: rare for translation APIs, back-off covers it


def send(method: str, url: str, params: dict | None = None, data: dict | None = None, headers: dict | None = None,
         proxies: dict | None = None, **_ignored) -> requests.Response:
    settings = _current_call.get()
    request = Request(method=method, url=url, params=dict(params or {}), data=data,
                      headers=dict(headers or {}), proxies=proxies)
    if settings is None:
        response = _session().request(request.method, request.url, params=request.params, data=request.data,
                                      headers=request.headers, proxies=request.proxies, timeout=DEFAULT_TIMEOUT)
        return response
    if settings.rewrite is not None:
        request = settings.rewrite(request)
    settings.record.requests_sent += 1
    response = _session().request(request.method, request.url, params=request.params or None, data=request.data,
                                  headers=request.headers or None, proxies=request.proxies, timeout=settings.timeout)
    settings.record.status = response.status_code
    settings.record.retry_after = _parse_retry_after(response.headers.get("Retry-After"))
    if settings.inspect_json:
        try:
            settings.record.json_body = response.json()
        except ValueError:
            settings.record.json_body = None
    return response


class _Requests:
    """Stands in for the `requests` module inside deep-translator's provider modules."""

    exceptions = requests.exceptions

    @staticmethod
    def get(url, params=None, **kwargs):
        return send("GET", url, params=params, **kwargs)

    @staticmethod
    def post(url, params=None, data=None, **kwargs):
        return send("POST", url, params=params, data=data, **kwargs)


def install() -> None:
    """Route deep-translator's HTTP calls through `send` (idempotent)."""
    for name in PATCHED_MODULES:
        module = importlib.import_module(name)
        module.requests = _Requests


# Secrets -------------------------------------------------------------------------------------

_URL_QUERY = re.compile(r"(https?://[^\s?'\"]+)\?[^\s'\"]*")


def scrub(text: object, secrets: list[str]) -> str:
    """`text` with every secret value and every URL query string replaced, for messages and logs."""
    cleaned = _URL_QUERY.sub(r"\1?…", str(text))
    for secret in secrets:
        if secret:
            cleaned = cleaned.replace(secret, "***")
    return cleaned
