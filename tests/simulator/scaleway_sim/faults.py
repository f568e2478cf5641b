"""Injected faults: error answers, dropped connections, latency and lost writes on /v1."""

import random
import threading

from .errors import ApiError, bad_request

WRITES = frozenset(("POST", "PUT", "DELETE"))
DEFAULT_STATUSES = (500, 502, 503, 504)
RATES = ("error_rate", "drop_rate", "lost_write_rate")
MAX_LATENCY_MS = 60000
# A fault-injected 429 asks the client to wait this long.
FAULT_RETRY_AFTER = 1


class Decision:
    """What happens to one request: dropped before anything changes, answered with an
    injected status, or carried out and then its answer lost (502 or dropped)."""

    __slots__ = ("drop", "status", "lost_write", "lost_by_drop", "latency")

    def __init__(self, drop=False, status=None, lost_write=False, lost_by_drop=False, latency=0.0):
        self.drop = drop
        self.status = status
        self.lost_write = lost_write
        self.lost_by_drop = lost_by_drop
        self.latency = latency


def _rate(settings, name):
    value = settings.get(name, 0)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise bad_request(f"{name} must be a number from 0 to 1", name)
    return value


def _statuses(settings):
    statuses = settings.get("statuses", list(DEFAULT_STATUSES))
    if not isinstance(statuses, list) or not statuses or not all(
        isinstance(status, int) and not isinstance(status, bool) and (status == 429 or 500 <= status <= 599) for status in statuses
    ):
        raise bad_request("statuses must be a non-empty list of 429 or 5xx status codes", "statuses")
    return statuses


def _latency(settings):
    value = settings.get("latency_ms", 0)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= MAX_LATENCY_MS:
        raise bad_request(f"latency_ms must be a number from 0 to {MAX_LATENCY_MS}", "latency_ms")
    return value


def _seed(settings):
    value = settings.get("seed")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise bad_request("seed must be an integer", "seed")
    return value


def error_for(status):
    """The answer that an injected status carries."""
    if status == 429:
        return ApiError(429, "rate limit exceeded (injected fault)", "rate_limited", headers={"Retry-After": str(FAULT_RETRY_AFTER)})
    return ApiError(status, f"simulated server fault {status}")


class Faults:
    """The fault settings and the one random generator that draws every decision, under a lock,
    so that a seed gives the same sequence of decisions for the same sequence of requests."""

    def __init__(self):
        self.lock = threading.Lock()
        self.settings = {}
        self.random = random.Random()
        self.configure({})

    def configure(self, settings):
        """Validate and apply settings (see README); `{}` turns every fault off. Returns them normalised."""
        if not isinstance(settings, dict):
            raise bad_request("faults must be a JSON object")
        unknown = sorted(set(settings) - {"statuses", "latency_ms", "seed", *RATES})
        if unknown:
            raise bad_request(f"unknown fault setting {unknown[0]!r}", unknown[0])
        normalised = {name: _rate(settings, name) for name in RATES}
        normalised.update(statuses=_statuses(settings), latency_ms=_latency(settings), seed=_seed(settings))
        with self.lock:
            self.settings = normalised
            self.random = random.Random(normalised["seed"])
        return dict(normalised)

    def current(self):
        with self.lock:
            return dict(self.settings)

    def decide(self, method):
        with self.lock:
            settings = self.settings
            draw = self.random.random
            decision = Decision(latency=settings["latency_ms"] / 1000.0)
            if settings["drop_rate"] and draw() < settings["drop_rate"]:
                decision.drop = True
                return decision
            if settings["error_rate"] and draw() < settings["error_rate"]:
                decision.status = self.random.choice(settings["statuses"])
                return decision
            if method in WRITES and settings["lost_write_rate"] and draw() < settings["lost_write_rate"]:
                decision.lost_write = True
                decision.lost_by_drop = draw() < 0.5
            return decision
