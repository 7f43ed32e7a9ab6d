"""Point the real huggingface_hub and datasets clients at a HubEmulator, and keep them off the internet.

Both libraries read HF_ENDPOINT, HF_HOME, HF_HUB_DISABLE_XET, ... once, at import time, so:

* In this process (already imported): `use_hub_emulator(hub, tmp_path)` patches the module-level
  values for the duration of a `with` block, and installs an HTTP client that refuses any host but
  the emulator (raising RequestOutsideEmulator, and failing the block if that error was swallowed).
* In a child process: `subprocess_env(hub, tmp_path)` is an environment set before the import,
  with HTTP(S)_PROXY pointing at the emulator, which refuses and records (`hub.foreign_requests`)
  anything meant for another host.

Pytest fixtures `hub` and `hub_env` at the end wrap both for tests.
"""

from __future__ import annotations

import os
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import datasets.config
import httpx2
import huggingface_hub
import huggingface_hub.constants
import huggingface_hub.hf_api
import pytest
from huggingface_hub.utils._http import default_client_factory  # private, but the only way to keep its hooks

from tests.support.hub_emulator import WRITE_TOKEN, HubEmulator


class RequestOutsideEmulator(RuntimeError):
    """A client tried to reach a host other than the Hub emulator during a test."""


@dataclass
class HubClientEnv:
    endpoint: str
    token: str
    home: Path
    blocked_requests: list[str] = field(default_factory=list)  # URLs refused by the guard


def _environment_values(endpoint: str, home: Path, token: str) -> dict[str, str]:
    return {
        "HF_ENDPOINT": endpoint,
        "HF_TOKEN": token,
        "HF_HOME": str(home),
        "HF_HUB_DISABLE_XET": "1",  # hf_xet would upload through its own (unreachable) servers
        "HF_UPDATE_DOWNLOAD_COUNTS": "0",  # else load_dataset pings an S3 bucket
        "HF_HUB_OFFLINE": "0",
        "HF_DATASETS_OFFLINE": "0",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "HF_HUB_DISABLE_UPDATE_CHECK": "1",
        "HF_HUB_DISABLE_PROGRESS_BARS": "1",
        "HF_DATASETS_DISABLE_PROGRESS_BARS": "1",
    }


def subprocess_env(hub: HubEmulator, home: Path, token: str = WRITE_TOKEN,
                   base_env: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for a child process that imports huggingface_hub / datasets after it starts.

    Every inherited HF_* / HUGGINGFACE_* variable is dropped (a stray HF_HUB_CACHE or HF_TOKEN_PATH
    would win over HF_HOME). Proxies point at the emulator, so a request for any other host lands
    there and is refused and recorded in `hub.foreign_requests` instead of leaving the machine.
    """
    env = {name: value for name, value in (os.environ if base_env is None else base_env).items()
           if not name.startswith(("HF_", "HUGGINGFACE_", "TRANSFORMERS_OFFLINE"))
           and name.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
    env |= _environment_values(hub.url, home, token)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        env[name] = env[name.lower()] = hub.url
    env["NO_PROXY"] = env["no_proxy"] = hub.host  # only the emulator itself is reached directly
    return env


def _guarded_client_factory(hub: HubEmulator, blocked: list[str]):
    allowed = (hub.host, urlsplit(hub.url).port)
    viewer_host = f"datasets-server.{hub.host}"

    def refuse_other_hosts(request: httpx2.Request) -> None:
        if (request.url.host, request.url.port) == allowed:
            return
        if request.url.host == viewer_host:
            # datasets asks the dataset viewer about main-branch loads and copes when it is unreachable,
            # which is what happens in a subprocess too (that host name does not resolve).
            raise httpx2.ConnectError("the dataset viewer is not emulated", request=request)
        blocked.append(str(request.url))
        raise RequestOutsideEmulator(f"request outside the Hub emulator: {request.method} {request.url}")

    def factory() -> httpx2.Client:
        client = default_client_factory()
        client.event_hooks = {**client.event_hooks, "request": [*client.event_hooks["request"], refuse_other_hosts]}
        return client

    return factory


@contextmanager
def use_hub_emulator(hub: HubEmulator, home: Path, token: str = WRITE_TOKEN) -> Iterator[HubClientEnv]:
    """Point the already imported huggingface_hub and datasets at `hub`, with caches under `home`."""
    home = Path(home)
    env = HubClientEnv(hub.url, token, home)
    hub_home = home / "hub-cache-home"
    datasets_cache = home / "datasets"
    patches: list[tuple[Any, str, Any]] = [
        # huggingface_hub: endpoint (also baked into the URL template and the module-level HfApi)
        (huggingface_hub.constants, "ENDPOINT", hub.url),
        (huggingface_hub.constants, "HUGGINGFACE_CO_URL_TEMPLATE", hub.url + "/{repo_id}/resolve/{revision}/{filename}"),
        (huggingface_hub.hf_api.api, "endpoint", hub.url),
        (huggingface_hub.constants, "HF_HUB_DISABLE_XET", True),
        (huggingface_hub.constants, "HF_HUB_OFFLINE", False),
        (huggingface_hub.constants, "HF_HUB_DISABLE_TELEMETRY", True),
        # huggingface_hub: every path derived from HF_HOME
        (huggingface_hub.constants, "HF_HOME", str(hub_home)),
        (huggingface_hub.constants, "HF_HUB_CACHE", str(hub_home / "hub")),
        (huggingface_hub.constants, "HUGGINGFACE_HUB_CACHE", str(hub_home / "hub")),
        (huggingface_hub.constants, "HF_ASSETS_CACHE", str(hub_home / "assets")),
        (huggingface_hub.constants, "HF_XET_CACHE", str(hub_home / "xet")),
        (huggingface_hub.constants, "HF_TOKEN_PATH", str(hub_home / "token")),
        (huggingface_hub.constants, "HF_STORED_TOKENS_PATH", str(hub_home / "stored_tokens")),
        (huggingface_hub.constants, "AGENT_HARNESSES_PATH", str(hub_home / ".agent_harnesses.json")),
        (huggingface_hub.constants, "CHECK_FOR_UPDATE_DONE_PATH", str(hub_home / ".check_for_update_done")),
        # datasets: its own copies of the endpoint, switches and cache paths
        (datasets.config, "HF_ENDPOINT", hub.url),
        (datasets.config, "HUB_DATASETS_URL", hub.url + "/datasets/{repo_id}/resolve/{revision}/{path}"),
        (datasets.config, "HF_UPDATE_DOWNLOAD_COUNTS", False),
        (datasets.config, "HF_HUB_OFFLINE", False),
        (datasets.config, "HF_DATASETS_OFFLINE", False),
        (datasets.config, "HF_CACHE_HOME", str(hub_home)),
        (datasets.config, "HF_DATASETS_CACHE", datasets_cache),
        (datasets.config, "HF_MODULES_CACHE", home / "modules"),
        (datasets.config, "DOWNLOADED_DATASETS_PATH", datasets_cache / "downloads"),
        (datasets.config, "EXTRACTED_DATASETS_PATH", datasets_cache / "downloads" / "extracted"),
    ]
    saved_env = {name: os.environ.get(name) for name in _environment_values(hub.url, home, token)}
    with ExitStack() as restore:
        for module, name, value in patches:
            restore.callback(setattr, module, name, getattr(module, name))
            setattr(module, name, value)
        # Read at call time: the token, and the switches for code that reads os.environ directly.
        os.environ.update(_environment_values(hub.url, hub_home, token))
        restore.callback(_restore_environ, saved_env)
        # HfFileSystem instances (and their listings) are cached per endpoint and token: start clean.
        huggingface_hub.HfFileSystem.clear_instance_cache()
        restore.callback(huggingface_hub.HfFileSystem.clear_instance_cache)
        huggingface_hub.set_client_factory(_guarded_client_factory(hub, env.blocked_requests))
        restore.callback(huggingface_hub.set_client_factory, default_client_factory)
        yield env
        if env.blocked_requests:  # also caught when a library swallowed the RequestOutsideEmulator error
            raise AssertionError(f"requests outside the Hub emulator: {env.blocked_requests}")


def _restore_environ(saved: dict[str, str | None]) -> None:
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


# ---- pytest fixtures (import them into a conftest.py or a test module) --------------------------
@pytest.fixture
def hub() -> Iterator[HubEmulator]:
    """A fresh, started HubEmulator."""
    with HubEmulator() as emulator:
        yield emulator
    assert not emulator.internal_errors, emulator.internal_errors[0]


@pytest.fixture
def hub_env(hub: HubEmulator, tmp_path: Path) -> Iterator[HubClientEnv]:
    """huggingface_hub and datasets of this process pointed at `hub`, with a write token and empty caches."""
    with use_hub_emulator(hub, tmp_path / "hf-home") as env:
        yield env
