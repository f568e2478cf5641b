"""One simulator: its state, faults, rate limits and request log, and the path of a /v1 request through them."""

import time

from . import api, fixtures as fixture_docs
from .errors import ApiError, bad_request
from .faults import Faults, error_for
from .ratelimit import RateLimiter
from .requestlog import RequestLog
from .response import from_error
from .store import Store


class Request:
    """A /v1 request as read from the wire. `body_error` is set when the body could not be read."""

    __slots__ = ("method", "path", "raw_query", "query", "body", "body_error", "token", "base_url")

    def __init__(self, method, path, raw_query, query, body, token, base_url, body_error=None):
        self.method = method
        self.path = path
        self.raw_query = raw_query
        self.query = query
        self.body = body
        self.body_error = body_error
        self.token = token
        self.base_url = base_url


def _non_negative_number(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise bad_request(f"{name} must be a number >= 0", name)
    return value


def _positive_integer(value, name):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise bad_request(f"{name} must be an integer >= 1", name)
    return value


def _positive_number(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise bad_request(f"{name} must be a number > 0", name)
    return value


class Simulator:
    def __init__(self, fixtures=fixture_docs.DEFAULT, transition_delay=0.5):
        self.store = Store(fixtures, transition_delay)
        self.faults = Faults()
        self.limiter = RateLimiter()
        self.log = RequestLog()

    def reset(self, fixtures=None):
        """Back to the start state: resources, configuration, faults, rate counters and log."""
        with self.store.lock:
            self.store.reset(fixtures)
            description = self.store.describe()
        self.faults.configure({})
        self.limiter.reset()
        self.log.clear()
        return description

    def load_fixtures(self, document):
        try:
            loaded = fixture_docs.parse(document)
        except fixture_docs.FixtureError as error:
            raise bad_request(str(error)) from None
        return self.reset(loaded)

    def configure(self, settings):
        """Apply `transition_delay`, `rate_limit`, `rate_window` (any subset); return the configuration."""
        if not isinstance(settings, dict):
            raise bad_request("config must be a JSON object")
        unknown = sorted(set(settings) - {"transition_delay", "rate_limit", "rate_window"})
        if unknown:
            raise bad_request(f"unknown config setting {unknown[0]!r}", unknown[0])
        delay = settings.get("transition_delay")
        limit = settings.get("rate_limit")
        window = settings.get("rate_window")
        if delay is not None:
            _non_negative_number(delay, "transition_delay")
        if limit is not None:
            _positive_integer(limit, "rate_limit")
        if window is not None:
            _positive_number(window, "rate_window")
        if delay is not None:
            with self.store.lock:
                self.store.transition_delay = delay
        if limit is not None or window is not None:
            self.limiter.configure(limit, window)
        return self.config()

    def config(self):
        with self.store.lock:
            delay = self.store.transition_delay
        return {"transition_delay": delay, **self.limiter.current()}

    def serve(self, request):
        """Answer a /v1 request, or return None when the connection is to be dropped without an answer.

        Order: fault draw, rate limit count, injected error or 429, the endpoint itself,
        lost-write replacement, added latency; then the log entry.
        """
        decision = self.faults.decide(request.method)
        if decision.drop:
            self.log.add(request, None)
            return None
        rate_headers, over_limit = self.limiter.hit(request.token or "", time.time())
        if decision.status is not None:
            response = from_error(error_for(decision.status))
        elif over_limit is not None:
            response = from_error(over_limit)
        else:
            response = self._dispatch(request)
        lost = decision.lost_write and 200 <= response.status < 300
        if lost:
            if decision.lost_by_drop:
                self.log.add(request, None, lost_write=True)
                return None
            response = from_error(ApiError(502, "simulated lost answer: the write was carried out"))
        response.headers.update(rate_headers)
        if decision.latency:
            time.sleep(decision.latency)
        self.log.add(request, response.status, lost_write=lost)
        return response

    def _dispatch(self, request):
        try:
            if request.body_error is not None:
                raise request.body_error
            with self.store.lock:
                user = self.store.begin(request.token)
                return api.dispatch(self.store, user, request)
        except ApiError as error:
            return from_error(error)
