# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Retries: when a failed request is tried again, after how long, and what a lost write does.

The one retry rule (``Retries._send``): which answers and failures are retried
(_Failure), the backoff with jitter, Retry-After / X-RateLimit-Reset and their
bound (MAX_RETRY_WAIT), and the POST whose answer was lost: looked up, or polled
for LOST_POST_WINDOW x api_timeout, never simply sent again.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import math

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import (
    NOT_THE_API_HINT,
    ScalewayAPIError,
    is_api_not_found,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.transport import _error_fields, _NoAnswer

# Answers that say "try again later": the request was not (or may not have been) carried out.
RETRY_STATUSES = frozenset((429, 500, 502, 503, 504))
# The longest retry wait the client accepts: a longer wait the API asks for fails at once.
MAX_RETRY_WAIT = 60.0
# The wait before the one retry of a refused connection or a failed name lookup.
QUICK_RETRY_WAIT = 0.5
# A POST whose answer timed out: how long lookup() is polled, as a multiple of api_timeout.
LOST_POST_WINDOW = 2
# The polls of that window: the first after LOST_POST_POLL seconds, then 1.5 times longer, up to 5 s.
LOST_POST_POLL = 0.5
LOST_POST_POLL_MAX = 5.0
# How many retries a failure of this kind gets at most, whatever api_retries says.
_RETRY_CAP = {"refused": 1, "dns": 1, "tls": 0, "too-large": 0, "invalid": 0}


def _retry_time(seconds):
    """'after <UTC time>' that many seconds from now; 'later' for a wait no date can hold."""
    try:
        until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    except (OverflowError, ValueError):
        return "later"
    return "after %s" % until.strftime("%Y-%m-%d %H:%M:%S UTC")


class _Failure:
    """One failed attempt: what went wrong, whether to retry, and the error to raise."""

    def __init__(self, client, method, path, attempts, answer=None, kind=None, message=None, sent=False,
                 status=None):
        self.client = client
        self.method = method
        self.path = path
        self.attempts = attempts
        self.answer = answer
        self.kind = kind or "answer"
        self.message = message
        self.sent = sent
        self.status = answer.status if answer is not None else status
        self.ambiguous = False

    @property
    def retryable(self):
        if self.answer is not None:
            return self.answer.status in RETRY_STATUSES
        return self.kind not in ("tls", "too-large", "invalid", "deadline")

    @property
    def in_progress(self):
        """Whether the API may still be carrying the request out: no answer in time, or a gateway's 504.

        A 504 with the API's own error body is the API's answer, given before it changed anything
        (as every 5xx of the API): it is a 500 like any other. One without it comes from a gateway
        in front of the API that gave up waiting, while the API may still be working.
        """
        if self.kind == "timeout":
            return True
        return self.status == 504 and self.answer is not None and _error_fields(self.answer)[0] is None

    @property
    def doubtful(self):
        """Whether a write may have been carried out: a 5xx answer, or no answer after it was sent."""
        if self.answer is not None:
            return self.answer.status in RETRY_STATUSES and self.answer.status != 429
        return self.sent

    def error(self, hint=None):
        if self.answer is None:
            return ScalewayAPIError(self.method, self.path, self.message, status=self.status,
                                    attempts=self.attempts, ambiguous=self.ambiguous, hint=hint)
        error_type, message, code, param = (None if field is None else self.client.redact(field)
                                            for field in _error_fields(self.answer))
        # Not the API's error body: most likely not the API (a web server's 404 page puts the fix first).
        not_the_api = hint is None and error_type is None
        if not_the_api:
            hint = NOT_THE_API_HINT % self.client.api_url
        return ScalewayAPIError(self.method, self.path, message, status=self.answer.status,
                                error_type=error_type, code=code, param=param, attempts=self.attempts,
                                ambiguous=self.ambiguous, hint=hint,
                                hint_first=not_the_api and self.answer.status == 404)


class Retries:
    """The retry part of ScalewayClient (a mixin: it uses the client's attempts, clock, sleep and deadline)."""

    # -- retries ----------------------------------------------------------------------------

    def _backoff(self, attempt):
        """Exponential backoff with equal jitter: half fixed, half random."""
        delay = min(self.backoff_max, self.backoff_base * (2 ** (attempt - 1)))
        return delay / 2 + self._random.uniform(0, delay / 2)

    def _server_wait(self, answer):
        """The wait the API asks for (Retry-After, else X-RateLimit-Reset when exhausted), or None."""
        retry_after = answer.headers.get("Retry-After")
        if retry_after is not None:
            try:
                wait = float(retry_after)
                if math.isfinite(wait):
                    return max(0.0, wait)
            except ValueError:
                pass
        if answer.status == 429 or answer.headers.get("X-RateLimit-Remaining") == "0":
            reset = answer.headers.get("X-RateLimit-Reset")
            if reset is not None:
                try:
                    wait = float(reset) - self.clock()
                    if math.isfinite(wait):
                        return max(0.0, wait)
                except ValueError:
                    pass
        return None

    def _retry_wait(self, attempt, failure):
        """The wait before the next attempt; a wait the API asks for over MAX_RETRY_WAIT raises ``failure``."""
        if failure.kind in ("refused", "dns"):
            return QUICK_RETRY_WAIT
        wait = self._backoff(attempt)
        if failure.answer is not None:
            asked = self._server_wait(failure.answer)
            if asked is not None:
                if asked > MAX_RETRY_WAIT:
                    raise failure.error(hint="the API asks to wait %d s before a retry, more than the %d s the "
                                        "client waits: try again %s" % (
                                            math.ceil(asked), MAX_RETRY_WAIT, _retry_time(asked)))
                # Honour the server, plus a little jitter so parallel workers do not return together.
                wait = min(MAX_RETRY_WAIT, asked + self._random.uniform(0, 0.25))
        return wait

    # -- requests ---------------------------------------------------------------------------

    def _send(self, method, path, params, body, lookup, idempotent):
        """request(), returning (Answer or None, what lookup found or None)."""
        method = method.upper()
        if idempotent is None:
            idempotent = method != "POST"
        write = method != "GET"
        attempts = 0
        unclear = False
        while True:
            attempts += 1
            try:
                answer = self._attempt(method, path, params, body)
            except _NoAnswer as exc:
                failure = _Failure(self, method, path, attempts, kind=exc.kind, message=exc.message,
                                   sent=exc.sent, status=exc.status)
            else:
                if 200 <= answer.status < 300:
                    return answer, None
                if 300 <= answer.status < 400:
                    raise self._redirect_error(method, path, answer, attempts, unclear)
                failure = _Failure(self, method, path, attempts, answer=answer)
                if method == "DELETE" and unclear and is_api_not_found(failure.error()):
                    # An earlier DELETE was carried out but its answer was lost. Only the API's own 404 says so:
                    # another server's 404 (a proxy's page) proves nothing, and fails below naming api_url.
                    return answer, None
            # The one decision: fail now, or wait and (after a lookup for a POST in doubt) try again.
            doubtful = write and failure.doubtful
            failure.ambiguous = unclear or doubtful
            if doubtful and not idempotent and lookup is not None and failure.in_progress:
                # Not a retry: the API may still be carrying it out, so only looking can tell.
                return None, self._poll_lookup(lookup, failure)
            if not failure.retryable or attempts > min(self.retries, _RETRY_CAP.get(failure.kind, self.retries)):
                raise failure.error()
            if doubtful and not idempotent and lookup is None:
                raise failure.error()
            wait = self._retry_wait(attempts, failure)
            if self.past_deadline(wait):
                raise failure.error(hint="the next retry (in %.1f s) would pass the time %s allows" % (
                    wait, self.deadline_option))
            self.sleep(wait)
            unclear = unclear or doubtful
            if doubtful and not idempotent:
                found = self._look_up(lookup, failure)
                if found is not None:
                    return None, found

    @staticmethod
    def _look_up(lookup, failure):
        """Ask the caller whether a POST in doubt was carried out: what it made, or None to send it again."""
        try:
            return lookup()
        except ScalewayAPIError as exc:
            failure.ambiguous = True
            raise failure.error(hint="its answer was lost, and looking for what it made failed: %s" % exc)

    def _poll_lookup(self, lookup, failure):
        """A POST that timed out: poll ``lookup()`` for its window; what it finds, else raise (ambiguous)."""
        window = LOST_POST_WINDOW * self.timeout
        remaining = self._remaining()
        if remaining is not None:
            window = max(0.0, min(window, remaining))
        started = self.clock()
        end = started + window
        delay = LOST_POST_POLL
        # Counted as well as timed, so that the polls end even with a clock that stands still.
        planned = 0.0
        while True:
            left = min(end - self.clock(), window - planned)
            if left <= 0:
                break
            pause = min(delay, left)
            self.sleep(pause)
            planned += pause
            delay = min(LOST_POST_POLL_MAX, delay * 1.5)
            found = self._look_up(lookup, failure)
            if found is not None:
                return found
        raise failure.error(hint="nothing it would have made was found for %.1f s after it: the object may exist "
                            "all the same, and a second run will find and adopt it" % max(planned, self.clock() - started))
