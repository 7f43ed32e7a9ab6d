"""Survey-family adapters. Each turns one raw file plus its catalog into a `Survey`: codes per
catalog variable, the country group and weight of every respondent, and provenance.

To add a family, write a module with an `Adapter` subclass and register it here.
"""

from __future__ import annotations

from builder.sources.base import Adapter, Survey
from builder.sources.pew import PewGlobalAttitudes
from builder.sources.wvs import WorldValuesSurvey

ADAPTERS: dict[str, Adapter] = {adapter.name: adapter for adapter in (PewGlobalAttitudes(), WorldValuesSurvey())}

__all__ = ["ADAPTERS", "Adapter", "Survey"]
