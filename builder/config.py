"""Project settings: `builder.yaml` at the project root, with defaults for anything missing.

The project root is the folder holding `builder.yaml` (searched from the current directory
upwards), so commands work from any subfolder. Paths in the settings are resolved against it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from builder.errors import UsageError
from builder.files import read_yaml

CONFIG_NAME = "builder.yaml"

DEFAULTS: dict = {
    "manifest": "raw/manifest.yaml",
    "build_dir": "build",
    "cache_dir": "cache",
    "translate": {
        "languages": ["zh-Hans", "ru", "tr"],
        "provider": "google",
        "curated": [],
        "workers": 4,
        "requests_per_second": 5,
    },
}


@dataclass
class Settings:
    root: Path
    values: dict = field(default_factory=dict)

    def path(self, key: str) -> Path:
        """A path setting resolved against the project root."""
        return (self.root / self.values[key]).resolve()

    @property
    def manifest(self) -> Path:
        return self.path("manifest")

    @property
    def build_dir(self) -> Path:
        return self.path("build_dir")

    @property
    def cache_dir(self) -> Path:
        return self.path("cache_dir")

    @property
    def translate(self) -> dict:
        return self.values["translate"]


def _merge(defaults: dict, overrides: dict) -> dict:
    merged = copy.deepcopy(defaults)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` holding builder.yaml, else `start` itself."""
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return start


def load_settings(root: Path | None = None) -> Settings:
    root = find_root(root)
    config_file = root / CONFIG_NAME
    overrides: dict = {}
    if config_file.is_file():
        overrides = read_yaml(config_file) or {}
        if not isinstance(overrides, dict):
            raise UsageError("expected a mapping of settings", file=config_file)
    return Settings(root=root, values=_merge(DEFAULTS, overrides))
