"""Provider adapters: the real deep-translator clients against the loopback LibreTranslate server,
and `responses` for Google, MyMemory and DeepL with their real response shapes."""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import parse_qs

import pytest
import responses
from responses import matchers

from builder.errors import UsageError
from builder.translate.providers import (
    DeeplProvider, GoogleProvider, LibreProvider, MyMemoryProvider, TranslationFailure, make_provider, provider_name,
)
from builder.translate.throttle import RateLimiter, RetryPolicy
from tests.support.libretranslate_server import libre_server  # noqa: F401 - pytest fixture

SECRET = "sk-TOPSECRET-0123456789"


def no_wait_retry(delays: list, attempts: int = 5, base: float = 0.01) -> RetryPolicy:
    """Records each back-off delay instead of sleeping, so tests are fast and can check the delays."""
    return RetryPolicy(attempts=attempts, base=base, cap=30.0, sleep=delays.append)


def libre(server, delays=None, **env) -> LibreProvider:
    return LibreProvider({"LIBRETRANSLATE_URL": server.url, **env}, timeout=2.0,
                         retry=no_wait_retry(delays if delays is not None else []))


# LibreTranslate through the loopback server ----------------------------------------------------

def test_retries_429_and_500_with_exponential_backoff(libre_server):
    libre_server.glossary[("ru", "Yes")] = "Да"
    libre_server.fail(429, times=2, text="Yes")
    libre_server.fail(500, times=1, text="Yes")
    delays: list[float] = []
    provider = libre(libre_server, delays)

    assert provider.translate("Yes", "en", "ru") == "Да"

    assert libre_server.attempts[("ru", "Yes")] == 4
    assert libre_server.translated[("ru", "Yes")] == 1
    assert provider.stats.retries == 3 and provider.stats.requests == 4
    assert len(delays) == 3
    for attempt, delay in enumerate(delays, start=1):
        ceiling = 0.01 * 2 ** (attempt - 1)
        assert ceiling / 2 <= delay <= ceiling  # exponential, with jitter in the upper half


def test_dropped_connection_is_retried(libre_server):
    libre_server.drop(times=2, text="No")
    provider = libre(libre_server)
    assert provider.translate("No", "en", "tr") == "[tr] No"
    assert libre_server.attempts[("tr", "No")] == 3
    assert provider.stats.retries == 2


def test_slow_answer_hits_the_timeout_and_is_retried(libre_server):
    libre_server.slow(1.5, times=1, text="Maybe")
    provider = LibreProvider({"LIBRETRANSLATE_URL": libre_server.url}, timeout=0.3,
                             retry=RetryPolicy(base=0.001))
    started = time.monotonic()
    assert provider.translate("Maybe", "en", "ru") == "[ru] Maybe"
    assert time.monotonic() - started < 1.4  # gave up on the slow answer instead of waiting for it
    assert libre_server.attempts[("ru", "Maybe")] == 2


def test_retry_after_is_honoured(libre_server):
    libre_server.fail(429, times=1, retry_after="2")
    delays: list[float] = []
    libre(libre_server, delays).translate("Yes", "en", "ru")
    assert delays == [2.0]


def test_persistent_server_error_fails_after_all_attempts(libre_server):
    libre_server.fail(503, times=100)
    with pytest.raises(TranslationFailure) as failure:
        libre(libre_server).translate("Yes", "en", "ru")
    assert libre_server.attempts[("ru", "Yes")] == 5
    assert failure.value.message == "libre: server error (HTTP 503) (after 5 attempts)"
    assert not failure.value.fatal


def test_client_error_is_not_retried(libre_server):
    libre_server.fail(400, times=100)
    with pytest.raises(TranslationFailure, match=r"request refused \(HTTP 400\)$"):
        libre(libre_server).translate("Yes", "en", "ru")
    assert libre_server.attempts[("ru", "Yes")] == 1


def test_refused_key_is_fatal_and_never_shown(libre_server, caplog):
    caplog.set_level(logging.DEBUG)  # urllib3 logs request lines at DEBUG: they must hold no key
    libre_server.api_key = "the-right-key"
    provider = libre(libre_server, LIBRETRANSLATE_API_KEY=SECRET)
    with pytest.raises(TranslationFailure) as failure:
        provider.translate("Yes", "en", "ru")
    assert failure.value.fatal
    assert "authorization refused (HTTP 403)" in failure.value.message
    assert SECRET not in str(failure.value) and SECRET not in caplog.text
    # The key travelled in the form body, never in a URL.
    assert all(SECRET not in line for line in libre_server.request_lines)
    assert any(f"api_key={SECRET}" in body for body in libre_server.request_bodies)


def test_no_key_configured_sends_no_key(libre_server):
    libre(libre_server).translate("Yes", "en", "ru")
    body = parse_qs(libre_server.request_bodies[-1])
    assert "api_key" not in body and body["q"] == ["Yes"] and body["format"] == ["text"]


def test_libre_uses_the_servers_language_codes(libre_server):
    provider = libre(libre_server)
    assert provider.code_for("zh-Hans") == "zh-Hans"  # the server lists zh-Hans (deep-translator knows only zh)
    provider.translate("Yes", "en", "zh-Hans")
    assert libre_server.translated[("zh-Hans", "Yes")] == 1
    libre_server.languages = ["en", "ru"]
    with pytest.raises(UsageError, match="'tr' is not supported by provider 'libre'"):
        libre(libre_server).code_for("tr")


@responses.activate
def test_libre_falls_back_to_deep_translators_list_without_languages_endpoint():
    responses.add(responses.GET, "http://mt.test/languages", status=404)
    provider = LibreProvider({"LIBRETRANSLATE_URL": "http://mt.test"})
    assert provider.url == "http://mt.test/"
    assert provider.code_for("zh-Hans") == "zh"


def test_libre_without_url_is_a_usage_error():
    with pytest.raises(UsageError, match="LIBRETRANSLATE_URL"):
        LibreProvider({}).check_ready()


# Google ------------------------------------------------------------------------------------

GOOGLE_URL = "https://translate.google.com/m"


def google_page(translation: str) -> str:
    """The mobile page deep-translator scrapes: the translation sits in div.result-container."""
    return (
        '<!DOCTYPE html><html lang="en-US"><head><meta charset="UTF-8"><title>Google Translate</title></head>'
        '<body><div class="root-container"><form action="/m"><input type="text" name="q" class="input-field">'
        f'</form><div class="result-container">{translation}</div><div class="links-container"></div>'
        "</div></body></html>"
    )


@responses.activate
def test_google_maps_zh_hans_and_retries_a_429():
    query = matchers.query_param_matcher({"tl": "zh-CN", "sl": "en", "q": "Very favorable"})
    responses.add(responses.GET, GOOGLE_URL, status=429, body="Too Many Requests", match=[query])
    responses.add(responses.GET, GOOGLE_URL, body=google_page("非常有利"), match=[query])
    provider = GoogleProvider({}, timeout=4.0, retry=no_wait_retry([]))
    assert provider.translate("Very favorable", "en", "zh-Hans") == "非常有利"
    assert len(responses.calls) == 2
    assert all(call.request.req_kwargs["timeout"] == 4.0 for call in responses.calls)


@responses.activate
def test_google_page_without_a_translation_is_retried_then_reported():
    responses.add(responses.GET, GOOGLE_URL, body="<html><body>unexpected page</body></html>")
    with pytest.raises(TranslationFailure, match=r"no translation in the response \(TranslationNotFound\) \(after 3"):
        GoogleProvider({}, retry=no_wait_retry([], attempts=3)).translate("Yes", "en", "ru")
    assert len(responses.calls) == 3


# MyMemory ----------------------------------------------------------------------------------

MYMEMORY_URL = "http://api.mymemory.translated.net/get"


def mymemory_answer(translation: str, *, status: int = 200, quota_finished: bool = False) -> dict:
    return {
        "responseData": {"translatedText": translation, "match": 0.85},
        "quotaFinished": quota_finished, "mtLangSupported": None, "responseDetails": "",
        "responseStatus": status, "responderId": None, "exception_code": None,
        "matches": [{"id": "744925371", "segment": "Yes", "translation": translation, "source": "en-US",
                     "target": "ru-RU", "quality": "74", "reference": None, "usage-count": 2, "subject": "",
                     "created-by": "MateCat", "last-updated-by": "MateCat", "create-date": "2023-05-01 10:00:00",
                     "last-update-date": "2023-05-01 10:00:00", "match": 0.85}],
    }


@responses.activate
def test_mymemory_translates_with_its_own_codes():
    responses.add(responses.GET, MYMEMORY_URL, json=mymemory_answer("Да"),
                  match=[matchers.query_param_matcher({"langpair": "en-US|ru-RU", "q": "Yes"})])
    assert MyMemoryProvider({}).translate("Yes", "en", "ru") == "Да"


@responses.activate
def test_mymemory_error_inside_a_200_answer_is_retried():
    responses.add(responses.GET, MYMEMORY_URL, json=mymemory_answer("TOO MANY REQUESTS", status=429))
    responses.add(responses.GET, MYMEMORY_URL, json=mymemory_answer("Да"))
    provider = MyMemoryProvider({}, retry=no_wait_retry([]))
    assert provider.translate("Yes", "en", "ru") == "Да"
    assert provider.stats.retries == 1


@responses.activate
def test_mymemory_quota_is_fatal_at_once():
    warning = "MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY"
    responses.add(responses.GET, MYMEMORY_URL, json=mymemory_answer(warning, status=429, quota_finished=True))
    with pytest.raises(TranslationFailure, match="quota") as failure:
        MyMemoryProvider({}, retry=no_wait_retry([])).translate("Yes", "en", "ru")
    assert failure.value.fatal and len(responses.calls) == 1


# DeepL -------------------------------------------------------------------------------------

@responses.activate
def test_deepl_key_goes_in_the_authorization_header_only():
    responses.add(responses.POST, "https://api-free.deepl.com/v2/translate",
                  json={"translations": [{"detected_source_language": "EN", "text": "Да"}]})
    key = f"{SECRET}:fx"  # a free-plan key: the free endpoint
    assert DeeplProvider({"DEEPL_API_KEY": key}).translate("Yes", "en", "ru") == "Да"
    request = responses.calls[0].request
    assert request.method == "POST"
    assert request.headers["Authorization"] == f"DeepL-Auth-Key {key}"
    assert SECRET not in request.url and SECRET not in request.body
    assert parse_qs(request.body) == {"source_lang": ["en"], "target_lang": ["ru"], "text": ["Yes"]}


@responses.activate
def test_deepl_pro_key_uses_the_pro_endpoint_and_refusal_hides_the_key():
    responses.add(responses.POST, "https://api.deepl.com/v2/translate", status=403, json={"message": "Forbidden"})
    with pytest.raises(TranslationFailure) as failure:
        DeeplProvider({"DEEPL_API_KEY": SECRET}).translate("Yes", "en", "ru")
    assert failure.value.fatal and SECRET not in str(failure.value)  # deep-translator's own message has the key


def test_deepl_without_key_and_unsupported_language_are_usage_errors():
    with pytest.raises(UsageError, match="DEEPL_API_KEY"):
        DeeplProvider({}).check_ready()
    with pytest.raises(UsageError, match="'zh-Hant' is not supported by provider 'deepl'"):
        DeeplProvider({"DEEPL_API_KEY": "k"}).code_for("zh-Hant")


# Choosing a provider, rate limit ---------------------------------------------------------------

def test_provider_choice_order_and_unknown_name():
    assert provider_name(None, {}, "google") == "google"
    assert provider_name(None, {"BUILDER_TRANSLATE_PROVIDER": "mymemory"}, "google") == "mymemory"
    assert provider_name("LibreTranslate", {"BUILDER_TRANSLATE_PROVIDER": "mymemory"}, "google") == "libre"
    with pytest.raises(UsageError, match="unknown provider 'bing'"):
        make_provider("bing")


def test_rate_limiter_spaces_calls_evenly():
    now = [100.0]
    slept: list[float] = []
    limiter = RateLimiter(per_second=4, clock=lambda: now[0], sleep=slept.append)
    for _ in range(4):
        limiter.wait()
    assert slept == pytest.approx([0.25, 0.5, 0.75])  # first call at once, then one every 1/4 s


def test_rate_limit_holds_across_worker_threads(libre_server):
    from concurrent.futures import ThreadPoolExecutor

    provider = LibreProvider({"LIBRETRANSLATE_URL": libre_server.url}, requests_per_second=40)
    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda number: provider.translate(f"text {number}", "en", "ru"), range(21)))
    assert time.monotonic() - started >= 0.5  # 21 calls at 40/s: 20 intervals of 25 ms
    assert libre_server.total_translated == 21


def test_backoff_is_capped():
    policy = RetryPolicy(base=1.0, cap=5.0, random=lambda: 1.0)
    assert [policy.delay(attempt) for attempt in (1, 2, 3, 4, 5)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert json.dumps(policy.delay(1, retry_after=100.0)) == "5.0"
