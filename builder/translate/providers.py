"""One adapter per machine-translation provider, over deep-translator.

An adapter turns "translate this English string into `ru`" into deep-translator calls with a
timeout (see `transport`), retries with back-off on 429, 5xx, timeouts and dropped
connections, waits for the provider's rate limiter, and reports a failure as a
`TranslationFailure` whose message never contains a key (`fatal` when no other string can
succeed either: refused key, exhausted quota).

A fresh deep-translator object is built for every call: their `translate` methods keep
per-request state on the instance (`_url_params`), so one shared object is not thread-safe.
Construction is cheap and makes no network call for these four providers.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from importlib.metadata import version as package_version
from typing import Iterable, Mapping

import requests
from deep_translator import DeeplTranslator, GoogleTranslator, LibreTranslator, MyMemoryTranslator
from deep_translator import constants as dt_constants
from deep_translator import exceptions as dt_errors

from builder.errors import UsageError
from builder.translate import transport
from builder.translate.languages import provider_code
from builder.translate.throttle import RateLimiter, RetryPolicy

log = logging.getLogger("builder.translate")
transport.install()

DEEP_TRANSLATOR_VERSION = package_version("deep-translator")
PROVIDER_ENV = "BUILDER_TRANSLATE_PROVIDER"


class TranslationFailure(Exception):
    """One string could not be translated. `fatal`: the provider will fail every other string too."""

    def __init__(self, message: str, *, fatal: bool = False):
        super().__init__(message)
        self.message = message
        self.fatal = fatal


@dataclass
class _Problem:
    message: str
    retry: bool
    fatal: bool = False


@dataclass
class CallStats:
    """Counted across threads: HTTP requests made and retries waited for."""

    requests: int = 0
    retries: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, requests_made: int, retried: bool) -> None:
        with self._lock:
            self.requests += requests_made
            self.retries += int(retried)


class Provider:
    """Base adapter: subclasses say which translator, which codes, which secrets, which rewrite."""

    name = ""
    translator_class: type = object
    max_chars: int | None = None
    inspect_json = False
    key_env: str | None = None  # environment variable holding the provider's key, if it takes one

    def __init__(self, env: Mapping[str, str] | None = None, *, timeout: float = 10.0,
                 retry: RetryPolicy | None = None, requests_per_second: float = 0):
        self.env = dict(os.environ if env is None else env)
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.rate_limiter = RateLimiter(requests_per_second)
        self.stats = CallStats()
        self._codes: dict[str, str] = {}

    # What subclasses describe ------------------------------------------------------------------

    @property
    def version(self) -> str:
        return f"deep-translator {DEEP_TRANSLATOR_VERSION} {self.translator_class.__name__}"

    @property
    def key(self) -> str:
        return self.env.get(self.key_env, "") if self.key_env else ""

    def secrets(self) -> list[str]:
        """Values that must never appear in output: the key, when there is one."""
        return [self.key] if self.key else []

    def check_ready(self) -> None:
        """Raise UsageError when a key or URL is missing (before any call)."""

    def language_codes(self) -> Iterable[str]:
        raise NotImplementedError

    def make_translator(self, source_code: str, target_code: str):
        return self.translator_class(source=source_code, target=target_code)

    def rewrite(self, request: transport.Request) -> transport.Request:
        return request

    def problem_in_body(self, record: transport.CallRecord) -> _Problem | None:
        return None

    # The call ----------------------------------------------------------------------------------

    def code_for(self, tag: str) -> str:
        if tag not in self._codes:
            self._codes[tag] = provider_code(tag, self.language_codes(), provider=self.name)
        return self._codes[tag]

    def translate(self, text: str, source_tag: str, target_tag: str) -> str:
        """Translate one string, retrying transient failures; raise TranslationFailure otherwise."""
        source_code, target_code = self.code_for(source_tag), self.code_for(target_tag)
        for attempt in range(1, self.retry.attempts + 1):
            self.rate_limiter.wait()
            result, problem = None, None
            with transport.call_context(self.timeout, self.rewrite, inspect_json=self.inspect_json) as record:
                try:
                    result = self.make_translator(source_code, target_code).translate(text)
                except Exception as error:  # noqa: BLE001 - every failure is classified below
                    problem = self._classify(error, record)
            if problem is None:
                problem = self.problem_in_body(record)
            if problem is None and not isinstance(result, str):
                problem = _Problem("no translation in the response", retry=True)
            last_try = attempt == self.retry.attempts
            self.stats.add(record.requests_sent, retried=problem is not None and problem.retry and not last_try)
            if problem is None:
                return result
            message = transport.scrub(f"{self.name}: {problem.message}", self.secrets())
            if not problem.retry or last_try:
                suffix = f" (after {attempt} attempts)" if problem.retry else ""
                raise TranslationFailure(message + suffix, fatal=problem.fatal)
            delay = self.retry.delay(attempt, record.retry_after)
            log.info("%s; retry %d/%d in %.2fs", message, attempt, self.retry.attempts - 1, delay)
            self.retry.sleep(delay)
        raise AssertionError("unreachable: the loop returns or raises")

    def _classify(self, error: Exception, record: transport.CallRecord) -> _Problem:
        if isinstance(error, requests.Timeout):
            return _Problem(f"timed out after {self.timeout:g}s", retry=True)
        if isinstance(error, requests.ConnectionError):
            return _Problem("connection failed or dropped", retry=True)
        if isinstance(error, requests.RequestException):
            return _Problem(f"HTTP error {type(error).__name__}", retry=True)
        if isinstance(error, (dt_errors.NotValidLength, dt_errors.NotValidPayload)):
            limit = f" (limit {self.max_chars} characters)" if self.max_chars else ""
            return _Problem(f"text refused as too long or invalid{limit}", retry=False)
        if isinstance(error, dt_errors.LanguageNotSupportedException):
            return _Problem("language not supported", retry=False, fatal=True)
        if isinstance(error, dt_errors.ApiKeyException):
            return _Problem("API key missing", retry=False, fatal=True)
        return self._problem_for_status(record.status, type(error).__name__)

    def _problem_for_status(self, status: int | None, what: str) -> _Problem:
        if status in (401, 403):
            return _Problem(f"authorization refused (HTTP {status}): check the API key", retry=False, fatal=True)
        if status == 456:
            return _Problem("quota exceeded (HTTP 456)", retry=False, fatal=True)
        if status == 429:
            return _Problem("rate limited (HTTP 429)", retry=True)
        if status is not None and status >= 500:
            return _Problem(f"server error (HTTP {status})", retry=True)
        if status is not None and status >= 400:
            return _Problem(f"request refused (HTTP {status})", retry=False)
        # 2xx but deep-translator found no translation in the body (Google does this now and then)
        return _Problem(f"no translation in the response ({what})", retry=True)


class GoogleProvider(Provider):
    name = "google"
    translator_class = GoogleTranslator
    max_chars = 5000

    def language_codes(self) -> Iterable[str]:
        return dt_constants.GOOGLE_LANGUAGES_TO_CODES.values()


class MyMemoryProvider(Provider):
    name = "mymemory"
    translator_class = MyMemoryTranslator
    max_chars = 500
    inspect_json = True  # MyMemory reports quota and errors inside a 200 answer

    def language_codes(self) -> Iterable[str]:
        return dt_constants.MY_MEMORY_LANGUAGES_TO_CODES.values()

    def problem_in_body(self, record: transport.CallRecord) -> _Problem | None:
        body = record.json_body if isinstance(record.json_body, dict) else {}
        if body.get("quotaFinished"):
            return _Problem("daily quota used up (quotaFinished)", retry=False, fatal=True)
        try:
            status = int(body.get("responseStatus", 200))
        except (TypeError, ValueError):
            status = 200
        return None if 200 <= status < 300 else self._problem_for_status(status, "responseStatus")


class DeeplProvider(Provider):
    name = "deepl"
    translator_class = DeeplTranslator
    key_env = "DEEPL_API_KEY"

    def check_ready(self) -> None:
        if not self.key:
            raise UsageError(f"provider deepl needs the environment variable {self.key_env}", variable="--provider")

    def language_codes(self) -> Iterable[str]:
        return dt_constants.DEEPL_LANGUAGE_TO_CODE.values()

    def make_translator(self, source_code: str, target_code: str):
        # Free-plan keys end in ":fx" and must use the free endpoint; deep-translator assumes free.
        return DeeplTranslator(source=source_code, target=target_code, api_key=self.key,
                               use_free_api=self.key.endswith(":fx"))

    def rewrite(self, request: transport.Request) -> transport.Request:
        # deep-translator sends GET ?auth_key=...; DeepL now wants POST with the key in a header.
        body = {name: value for name, value in request.params.items() if name != "auth_key"}
        return transport.Request(method="POST", url=request.url, data=body, proxies=request.proxies,
                                 headers={**request.headers, "Authorization": f"DeepL-Auth-Key {self.key}"})


class LibreProvider(Provider):
    name = "libre"
    translator_class = LibreTranslator
    url_env, key_env = "LIBRETRANSLATE_URL", "LIBRETRANSLATE_API_KEY"
    # deep-translator refuses an empty api_key even for servers that need none; this stand-in
    # satisfies it and `rewrite` removes it before the request leaves.
    NO_KEY = "builder-no-key"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._server_codes: list[str] | None = None

    @property
    def url(self) -> str:
        url = self.env.get(self.url_env, "").strip()
        return url if not url or url.endswith("/") else url + "/"

    def check_ready(self) -> None:
        if not self.url:
            raise UsageError(f"provider libre needs the environment variable {self.url_env} "
                             "(the LibreTranslate server, e.g. http://localhost:5000/)", variable="--provider")

    def language_codes(self) -> Iterable[str]:
        """The server's own list (GET /languages); deep-translator's hard-coded 17 if it cannot answer."""
        if self._server_codes is None:
            try:
                with transport.call_context(self.timeout):
                    response = transport.send("GET", self.url + "languages")
                response.raise_for_status()
                self._server_codes = [entry["code"] for entry in response.json()]
            except (requests.RequestException, ValueError, KeyError, TypeError) as error:
                log.warning("libre: cannot read the server's language list (%s); using deep-translator's",
                            transport.scrub(type(error).__name__, self.secrets()))
                self._server_codes = list(dt_constants.LIBRE_LANGUAGES_TO_CODES.values())
        return self._server_codes

    def make_translator(self, source_code: str, target_code: str):
        translator = LibreTranslator(source="en", target="en", api_key=self.key or self.NO_KEY, custom_url=self.url)
        # Set the codes afterwards: the constructor only accepts deep-translator's hard-coded
        # list, which lacks codes real servers use (e.g. zh-Hans).
        translator.source, translator.target = source_code, target_code
        return translator

    def rewrite(self, request: transport.Request) -> transport.Request:
        # Form body instead of query string: the key (and the text) stay out of the URL.
        body = {name: value for name, value in request.params.items()
                if not (name == "api_key" and value == self.NO_KEY)}
        return transport.Request(method="POST", url=request.url, data=body, headers=request.headers,
                                 proxies=request.proxies)


PROVIDERS: dict[str, type[Provider]] = {
    "google": GoogleProvider,
    "mymemory": MyMemoryProvider,
    "deepl": DeeplProvider,
    "libre": LibreProvider,
}
ALIASES = {"libretranslate": "libre", "my-memory": "mymemory"}


def provider_name(flag: str | None, env: Mapping[str, str], configured: str | None) -> str:
    """The provider to use: --provider, else $BUILDER_TRANSLATE_PROVIDER, else builder.yaml."""
    name = (flag or env.get(PROVIDER_ENV) or configured or "google").strip().lower()
    name = ALIASES.get(name, name)
    if name not in PROVIDERS:
        raise UsageError(f"unknown provider {name!r}; choose one of {', '.join(PROVIDERS)}", variable="--provider")
    return name


def make_provider(name: str, env: Mapping[str, str] | None = None, **options) -> Provider:
    """An adapter by name (see PROVIDERS); options: timeout, retry, requests_per_second."""
    return PROVIDERS[provider_name(name, {}, None)](env, **options)
