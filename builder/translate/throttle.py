"""Retry back-off and a rate limiter shared by all worker threads of one provider."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class RetryPolicy:
    """Exponential back-off with jitter: attempt k (1-based) waits in [d/2, d], d = base * 2**(k-1), d <= cap.

    "Equal jitter" (half fixed, half random) rather than "full jitter" (anywhere in [0, d]):
    workers hit by the same 429 still spread out, yet a wait never collapses to zero.
    A server's Retry-After is honoured when it asks for longer (up to `cap`).
    """

    attempts: int = 5  # total tries per string, the first included
    base: float = 0.5  # seconds
    cap: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    random: Callable[[], float] = random.random

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        ceiling = min(self.cap, self.base * 2 ** (attempt - 1))
        delay = ceiling / 2 + self.random() * ceiling / 2
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.cap))
        return delay


@dataclass
class RateLimiter:
    """At most `per_second` calls start per second, across threads; `per_second` <= 0 means no limit.

    Each caller reserves the next free start time under a lock, then sleeps outside it, so the
    calls are evenly spaced (no bursts) and waiting threads do not block one another.
    """

    per_second: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _next_start: float = field(default=0.0, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def wait(self) -> None:
        if self.per_second <= 0:
            return
        with self._lock:
            now = self.clock()
            start = max(now, self._next_start)
            self._next_start = start + 1.0 / self.per_second
        if start > now:
            self.sleep(start - now)
