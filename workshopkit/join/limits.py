"""Per-device flood limits: token buckets keyed by the phone's address."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """How much one device may send.

    ``post_*`` covers post-its and votes (writes); ``request_*`` covers every request. A bucket
    holds ``burst`` tokens and refills at ``refill_per_s``; an empty bucket answers 429.
    """

    post_burst: int = 20
    post_refill_per_s: float = 0.5
    request_burst: int = 120
    request_refill_per_s: float = 10.0
    max_body_bytes: int = 16 * 1024
    max_streams_per_client: int = 4
    # A client that sends its headers (or its body) too slowly, or opens a connection and says
    # nothing, is cut off after these many seconds; it never holds anyone else up meanwhile.
    header_timeout_s: float = 15.0
    body_timeout_s: float = 10.0
    # One header line (request line, cookie, ...) and how many header lines a request may have.
    max_header_line_bytes: int = 4096
    max_headers: int = 64
    # Open connections in all and from one address (a room of phones is a few hundred).
    max_connections: int = 2000
    max_connections_per_client: int = 600


class RateLimiter:
    """Token buckets, one per key; ``take`` answers 0 (go ahead) or seconds to wait."""

    MAX_KEYS = 10_000

    def __init__(self, burst: int, refill_per_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if burst < 1 or refill_per_s <= 0:
            raise ValueError("A rate limit needs a burst of at least 1 and a positive refill.")
        self.burst = float(burst)
        self.refill_per_s = float(refill_per_s)
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str) -> float:
        now = self._clock()
        tokens, last = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.refill_per_s)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > self.MAX_KEYS:
                self._prune(now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1.0 - tokens) / self.refill_per_s

    def _prune(self, now: float) -> None:
        """Forget devices whose buckets are full again: they are indistinguishable from new."""
        full_after = self.burst / self.refill_per_s
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < full_after}


def retry_after_header(wait_s: float) -> str:
    return str(max(1, math.ceil(wait_s)))
