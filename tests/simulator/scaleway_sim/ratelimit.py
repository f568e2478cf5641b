"""Per-token rate limits in fixed windows, reported on every /v1 answer."""

import math
import threading

from .errors import ApiError

# Large enough that tests and benchmarks never meet it; POST /_sim/config lowers it.
DEFAULT_LIMIT = 100000
DEFAULT_WINDOW = 60


class RateLimiter:
    def __init__(self):
        self.lock = threading.Lock()
        self.limit = DEFAULT_LIMIT
        self.window = DEFAULT_WINDOW
        self.windows = {}

    def reset(self):
        with self.lock:
            self.limit = DEFAULT_LIMIT
            self.window = DEFAULT_WINDOW
            self.windows.clear()

    def configure(self, limit=None, window=None):
        """Change the limit and/or window; counting starts again."""
        with self.lock:
            if limit is not None:
                self.limit = limit
            if window is not None:
                self.window = window
            self.windows.clear()

    def current(self):
        with self.lock:
            return {"rate_limit": self.limit, "rate_window": self.window}

    def hit(self, key, now):
        """Count a request for `key`; return its X-RateLimit-* headers and the 429 to answer when over the limit."""
        with self.lock:
            start, count = self.windows.get(key, (now, 0))
            if now >= start + self.window:
                start, count = now, 0
            count += 1
            self.windows[key] = (start, count)
            reset = start + self.window
            headers = {
                "X-RateLimit-Limit": str(self.limit),
                "X-RateLimit-Remaining": str(max(0, self.limit - count)),
                "X-RateLimit-Reset": str(math.ceil(reset)),
            }
            if count <= self.limit:
                return headers, None
            retry_after = max(1, math.ceil(reset - now))
            return headers, ApiError(429, f"rate limit of {self.limit} requests per {self.window} s exceeded", "rate_limited",
                                     headers={"Retry-After": str(retry_after)})
