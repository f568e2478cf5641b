# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one HTTP client of the collection.

Everything that speaks to the Scaleway v1 API goes through ScalewayClient:
modules (through the base class in base.py) and the inventory plugin. It
owns keep-alive, authentication, timeouts, retries with backoff, pagination,
waiting and the translation of every failure into ScalewayAPIError.

Whatever answers at ``api_url`` is untrusted input: it may be slow, broken,
hostile or not the API at all. The client never follows a redirect (the token
goes to ``api_url`` and nowhere else), bounds the time and the size of every
answer, the number of pages of every list and every wait, and turns any answer
it cannot use into a ScalewayAPIError that says why, never a traceback.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import errno
import http.client
import ipaddress
import json
import math
import os
import random
import re
import socket
import threading
import time
from urllib.parse import parse_qsl, urljoin, urlsplit

try:
    import requests

    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised by the module when requests is missing
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

COLLECTION_NAME = "scaleway_v1.cloud"
# Kept equal to galaxy.yml's version by a unit test.
COLLECTION_VERSION = "0.1.0"

DEFAULT_API_URL = "https://api.scaleway.com/v1"
DEFAULT_TIMEOUT = 30
DEFAULT_RETRIES = 5
PAGE_LIMIT = 500

# Answers that say "try again later": the request was not (or may not have been) carried out.
RETRY_STATUSES = frozenset((429, 500, 502, 503, 504))
# The longest retry wait the client accepts: a longer wait the API asks for fails at once.
MAX_RETRY_WAIT = 60.0
# The wait before the one retry of a refused connection or a failed name lookup.
QUICK_RETRY_WAIT = 0.5
# An answer larger than this is not the API's: the largest object (32 MiB, base64 in JSON) fits.
MAX_BODY_BYTES = 64 * 1024 * 1024
# The most pages one list may have (2000 x 500 items), whatever its headers say.
MAX_PAGES = 2000
# Text from the API (an error message, a body that is not JSON) is cut to this many characters.
MAX_ERROR_TEXT = 500
# A POST whose answer timed out: how long lookup() is polled, as a multiple of api_timeout.
LOST_POST_WINDOW = 2
# The polls of that window: the first after LOST_POST_POLL seconds, then 1.5 times longer, up to 5 s.
LOST_POST_POLL = 0.5
LOST_POST_POLL_MAX = 5.0
# How long after api_timeout an attempt is abandoned when the library has not ended it itself.
ATTEMPT_GRACE = 0.1
REDACTED = "********"
# Said of an answer that does not have the shape of the contract's answers.
NOT_THE_API_HINT = "if %s is not the Scaleway v1 API, fix api_url (SCW_API_URL): it must end in /v1"
_BODY_CHUNK = 64 * 1024

_LINK_RE = re.compile(r'<([^>]*)>\s*;\s*rel="?([a-zA-Z]+)"?')


def cut_text(text, limit=MAX_ERROR_TEXT):
    """``text`` (any value) as a string of at most about ``limit`` characters, saying how much was cut."""
    text = "%s" % (text,)
    if len(text) <= limit:
        return text
    return "%s... (%d more characters cut)" % (text[:limit], len(text) - limit)


class ScalewayAPIError(Exception):
    """A request that failed: an error answer from the API, or no usable answer at all.

    ``status`` is None when no answer came (connection refused or dropped, timeout).
    ``ambiguous`` is True when a write may or may not have been carried out.
    ``hint`` says what to do about it, when the client knows (which setting to fix, when to retry).
    """

    def __init__(self, method, path, message, status=None, error_type=None, code=None, param=None,
                 attempts=1, ambiguous=False, hint=None):
        self.method = method
        self.path = path
        self.status = status
        self.type = error_type
        self.message = message
        self.code = code
        self.param = param
        self.attempts = attempts
        self.ambiguous = ambiguous
        self.hint = hint
        super(ScalewayAPIError, self).__init__(self._describe())

    def _kind(self):
        kind = self.type or ""
        if self.code:
            kind = "%s/%s" % (kind or "error", self.code)
        return kind

    def _describe(self):
        kind = self._kind()
        answer = "HTTP %s%s: %s" % (self.status, " " + kind if kind else "", self.message)
        if self.param:
            answer += " (param: %s)" % self.param
        if self.status is None:
            text = "%s %s failed: %s" % (self.method, self.path, self.message)
        elif self.status == 401:
            text = "%s %s failed: the API refused the token (%s): check api_token (SCW_TOKEN)" % (
                self.method, self.path, answer)
        else:
            text = "%s %s failed with %s" % (self.method, self.path, answer)
        if self.attempts > 1:
            text += " after %d attempts" % self.attempts
        if self.hint:
            text += "; %s" % self.hint
        if self.ambiguous:
            text += "; the API may or may not have carried out this write"
        return text

    def to_dict(self):
        """The fields a module puts into its failure result."""
        return {
            "status": self.status,
            "type": self.type,
            "message": self.message,
            "code": self.code,
            "param": self.param,
            "method": self.method,
            "path": self.path,
            "attempts": self.attempts,
            "ambiguous": self.ambiguous,
        }


class ScalewayInputError(ValueError):
    """Input that cannot work, found before any request: ``option`` names the setting to fix.

    Raised by the client for its own settings (api_url, api_token, ...) and by
    a module's ``validate()`` step; the module reports ``str(exc)``, which
    starts with the option's name, and never the option's value when it is secret.
    """

    def __init__(self, option, message):
        self.option = option
        self.message = message
        super(ScalewayInputError, self).__init__("%s: %s" % (option, message))


def is_loopback_host(host):
    """Whether ``host`` (a URL's host, brackets removed) is this machine: ``localhost`` or a loopback address."""
    host = (host or "").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def plain_http_warning(api_url, option="api_url"):
    """The warning to show when ``api_url`` sends the token unencrypted to another machine, else None."""
    parts = urlsplit(api_url or "")
    if parts.scheme.lower() != "http" or is_loopback_host(parts.hostname):
        return None
    return "%s %s is plain HTTP: the API token is sent unencrypted" % (option, api_url)


class ScalewayWaitTimeout(Exception):
    """wait_for ran out of time; ``last`` is the last value it saw.

    ``option`` names the setting whose deadline ended the wait, when it was the client's deadline.
    """

    def __init__(self, description, timeout, last, option=None):
        self.description = description
        self.timeout = timeout
        self.last = last
        self.option = option
        if option:
            text = "gave up waiting for %s: the next check would pass the time %s allows" % (description, option)
        else:
            text = "timed out after %ss waiting for %s" % (timeout, description)
        super(ScalewayWaitTimeout, self).__init__(text)


def parse_link_header(value):
    """Map each rel of an RFC 8288 Link header to its URL."""
    return dict((rel, url) for url, rel in _LINK_RE.findall(value or ""))


def page_of(url):
    """The page number a pagination link points at, or None."""
    if not url:
        return None
    for key, value in parse_qsl(urlsplit(url).query):
        if key == "page":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class Page:
    """One page of a list: its items and what the headers say about the rest.

    ``number`` is the page asked for, ``limit`` its size and ``path`` the list (named in errors).
    """

    def __init__(self, items, links, total, path=None, number=1, limit=PAGE_LIMIT, date=None):
        self.items = items
        self.links = links
        self.total = total
        self.path = path
        self.number = number
        self.limit = limit
        # The answer's HTTP Date: lists.py tells by it whether the list changed while it was read.
        self.date = date

    @property
    def last_page(self):
        """The page ``rel="last"`` points at, as the API sent it (unchecked; see page_count)."""
        return page_of(self.links.get("last"))

    @property
    def next_page(self):
        return page_of(self.links.get("next"))

    @property
    def has_next(self):
        return "next" in self.links

    def max_pages(self):
        """The most pages the list can have: ceil(X-Total-Count / limit), at least 1, never over MAX_PAGES."""
        if self.total is None:
            return MAX_PAGES
        return min(MAX_PAGES, max(1, -(-self.total // max(1, self.limit))))

    def _contradiction(self, what):
        if self.total is None:
            bound = "without X-Total-Count the client reads at most %d pages" % MAX_PAGES
        else:
            bound = "X-Total-Count %d at limit %d makes %d page(s)" % (
                self.total, self.limit, max(1, -(-self.total // max(1, self.limit))))
            if self.max_pages() == MAX_PAGES:
                bound += "; the client reads at most %d pages" % MAX_PAGES
        return ScalewayAPIError("GET", self.path, "the list's Link header %s, but %s: this answer is not "
                                "the API's" % (what, bound), status=200)

    def page_count(self):
        """How many pages the list has, from this page's headers, checked; None when they do not say.

        ``rel="last"`` must agree with X-Total-Count and the page size (and stay
        within MAX_PAGES); without ``rel="last"``, a page without ``rel="next"``
        is the last one, and a list with ``rel="next"`` has ceil(total/limit)
        pages when X-Total-Count is known, else None (follow ``rel="next"``
        with ``paginate()``, which applies the same bounds). A ``rel="next"``
        past those bounds, or not pointing at the following page, raises
        ScalewayAPIError naming the list, as does a ``rel="last"`` that
        contradicts X-Total-Count. The inventory reads pages 2 to page_count()
        of page 1 in parallel.
        """
        allowed = self.max_pages()
        following = self.next_page
        if self.has_next and following != self.number + 1:
            raise self._contradiction('has rel="next" to page %s after page %d' % (following, self.number))
        if following is not None and following > allowed:
            raise self._contradiction('has rel="next" to page %d' % following)
        last = self.last_page
        if last is not None:
            fewest = 0 if self.total is None else -(-self.total // max(1, self.limit))
            if last > allowed or last < fewest:
                raise self._contradiction('has rel="last" at page %d' % last)
            return max(1, last)
        if following is None:
            return self.number
        return None if self.total is None else allowed


class Answer:
    """An HTTP answer read in full: ``status``, ``reason``, ``headers`` and the ``body`` bytes."""

    def __init__(self, status, reason, headers, body, url=None):
        self.status = status
        self.reason = reason or ""
        self.headers = headers
        self.body = body
        self.url = url

    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        """The decoded body; ValueError when it is not JSON (too deeply nested included)."""
        try:
            return json.loads(self.body)
        except RecursionError:
            raise ValueError("JSON nested too deeply")


def _error_fields(answer):
    """Pull type/message/code/param out of an error answer; tolerate any body, cut long text."""
    try:
        body = answer.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        text = answer.text().strip()
        return None, cut_text(text or answer.reason or "no error body"), None, None
    message = body.get("message")
    if not isinstance(message, str) or not message:
        message = answer.reason or "no error message"
    fields = [body.get(name) for name in ("type", "code", "param")]
    fields = [None if value is None else cut_text(value, 100) for value in fields]
    return fields[0], cut_text(message), fields[1], fields[2]


class _NoAnswer(Exception):
    """No usable HTTP answer.

    ``kind``: refused, dns, connect-timeout, timeout, dropped, tls, too-large or other.
    ``sent``: whether the request may have reached the API.
    """

    def __init__(self, kind, message, sent, status=None):
        self.kind = kind
        self.message = message
        self.sent = sent
        self.status = status
        super(_NoAnswer, self).__init__(message)


# How many retries a failure of this kind gets at most, whatever api_retries says.
_RETRY_CAP = {"refused": 1, "dns": 1, "tls": 0, "too-large": 0, "invalid": 0}


def _chain(exc):
    """``exc`` and every exception it wraps (cause, context, urllib3's reason, exception arguments)."""
    seen = []
    todo = [exc]
    while todo and len(seen) < 20:
        current = todo.pop(0)
        if not isinstance(current, BaseException) or any(current is known for known in seen):
            continue
        seen.append(current)
        todo.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
        todo.extend(current.args)
    return seen


def _classify(exc):
    """(kind, sent) of an exception raised while asking the API."""
    chain = _chain(exc)
    text = " ".join(str(item) for item in chain)
    if isinstance(exc, requests.exceptions.SSLError):
        return "tls", False
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "connect-timeout", False
    if isinstance(exc, requests.exceptions.Timeout) or "Read timed out" in text:
        return "timeout", True
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader,
                        requests.exceptions.InvalidSchema, requests.exceptions.MissingSchema)):
        return "invalid", False
    if any(isinstance(item, socket.gaierror) for item in chain) or any(marker in text for marker in (
            "Failed to resolve", "Name or service not known", "nodename nor servname",
            "Temporary failure in name resolution", "getaddrinfo failed")):
        return "dns", False
    if any(isinstance(item, ConnectionRefusedError) for item in chain) or "Connection refused" in text \
            or ("[Errno %d]" % errno.ECONNREFUSED) in text:
        return "refused", False
    if isinstance(exc, requests.exceptions.ConnectionError) and "Failed to establish a new connection" in text:
        return "other", False
    # The connection was open: whatever happened, the request may have reached the API.
    return "dropped", True


class ScalewayClient:
    """A keep-alive session to the API with retries, pagination and waiting.

    ``sleep`` and ``clock`` exist so tests run without real sleeping; ``log``
    receives one line per attempt (never the token).

    Settings are checked here, before any request; each bad one raises
    ScalewayInputError naming its option (never quoting the token):
    ``api_url`` an http(s) URL with a host, ``api_token`` given and made of
    printable latin-1 characters only (it travels in a header),
    ``timeout`` (api_timeout) a finite number of seconds > 0, ``retries``
    (api_retries) an integer >= 0, ``ca_path`` a readable CA bundle file.

    Bounds, whatever answers at api_url:

    - Each attempt (connect, headers and body) ends within ``timeout``
      seconds (plus ATTEMPT_GRACE, 0.1 s, for the library to end it
      itself); an answer over MAX_BODY_BYTES (64 MiB) is refused.
    - A call makes at most ``retries`` + 1 attempts (a refused connection or
      a failed name lookup: 2, a TLS failure: 1), so it takes at most
      (retries + 1) x timeout plus the retry waits, each at most
      MAX_RETRY_WAIT (60 s): a longer wait asked by the API (Retry-After,
      X-RateLimit-Reset) fails at once, saying when to retry. A POST whose
      answer timed out adds its lookup window, LOST_POST_WINDOW (2) x
      api_timeout (see request()).
    - ``set_deadline(seconds, option)`` bounds everything after it: no
      attempt, retry wait, lookup poll or ``wait_for`` goes past the deadline;
      when the next one would, the call fails at once naming ``option``.
    - A list is read for at most ``Page.max_pages()`` pages (ceil(total /
      limit), never over MAX_PAGES = 2000).
    - Redirects are never followed: a 3xx fails, naming where it pointed.
    """

    def __init__(self, api_url=DEFAULT_API_URL, api_token=None, timeout=DEFAULT_TIMEOUT,
                 validate_certs=True, retries=DEFAULT_RETRIES, backoff_base=0.5, backoff_max=16.0,
                 user_agent_extra=None, log=None, sleep=time.sleep, clock=time.time, session=None,
                 ca_path=None):
        if not HAS_REQUESTS:
            raise RuntimeError("the Python library 'requests' is required")
        # Everything clone() needs to make the same client again, in one place.
        self._settings = dict(
            api_url=api_url, api_token=api_token, timeout=timeout, validate_certs=validate_certs,
            retries=retries, backoff_base=backoff_base, backoff_max=backoff_max,
            user_agent_extra=user_agent_extra, log=log, sleep=sleep, clock=clock, ca_path=ca_path)
        self.api_url = _checked_api_url(api_url)
        self._token = _checked_token(api_token)
        self.timeout = _checked_timeout(timeout)
        self.retries = _checked_retries(retries)
        self.ca_path = _checked_ca_path(ca_path)
        self.validate_certs = bool(validate_certs)
        # requests adds REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE only when verify is True: keep True without ca_path.
        self.verify = (self.ca_path or True) if self.validate_certs else False
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.log = log
        self.sleep = sleep
        self.clock = clock
        self.deadline = None
        self.deadline_option = None
        self._random = random.Random()
        self.user_agent = "%s/%s python-requests/%s" % (COLLECTION_NAME, COLLECTION_VERSION, requests.__version__)
        if user_agent_extra:
            self.user_agent += " " + user_agent_extra
        self.session = session or requests.Session()
        self.session.headers.update({
            "X-Auth-Token": self._token,
            "User-Agent": self.user_agent,
            "Accept": "application/json",
        })
        self.session.verify = self.verify

    def clone(self):
        """A new client with the same settings and deadline, and its own session (one per worker thread)."""
        twin = ScalewayClient(**self._settings)
        twin.deadline, twin.deadline_option = self.deadline, self.deadline_option
        return twin

    def close(self):
        self.session.close()

    # -- deadline ---------------------------------------------------------------------------

    def set_deadline(self, seconds, option):
        """Let nothing this client does go past ``seconds`` from now; ``option`` names the setting.

        ``seconds=None`` removes the deadline.
        """
        if seconds is None:
            self.deadline, self.deadline_option = None, None
        else:
            self.deadline, self.deadline_option = self.clock() + seconds, option

    def _remaining(self):
        """Seconds left before the deadline, or None without one."""
        return None if self.deadline is None else self.deadline - self.clock()

    def past_deadline(self, seconds):
        """Whether waiting ``seconds`` more would pass the deadline (never without one)."""
        remaining = self._remaining()
        return remaining is not None and seconds > remaining

    def _deadline_hint(self):
        return "the time %s allows is used up" % self.deadline_option

    # -- safety -----------------------------------------------------------------------------

    def redact(self, text):
        """Remove the token from any text that may reach a user."""
        text = "%s" % (text,)
        if self._token and len(self._token) >= 4:
            for form in (self._token, repr(self._token)[1:-1]):
                text = text.replace(form, REDACTED)
        return text

    def _log(self, line):
        if self.log is not None:
            self.log(self.redact(line))

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

    def url(self, path):
        return self.api_url + path

    def _exchange(self, method, url, params, json_body, budget, outcome, cancelled):
        """Ask the API and read the whole answer into ``outcome`` (run in a worker thread)."""
        try:
            response = self.session.request(
                method, url, params=params, json=json_body, timeout=(budget, budget), verify=self.verify,
                allow_redirects=False, stream=True)
            outcome["response"] = response
            outcome["answer"] = Answer(response.status_code, response.reason, response.headers,
                                       _read_body(response, cancelled), url=url)
        # Whatever it is, the waiting thread reports it (or raises it again when it is not a transport failure).
        except Exception as exc:  # pylint: disable=broad-exception-caught
            outcome["error"] = exc
        finally:
            response = outcome.get("response")
            if response is not None and response.raw is not None:
                response.close()

    def _attempt(self, method, path, params, json_body):
        """One request, its whole answer within the attempt's time; an Answer, or raise _NoAnswer."""
        budget = self.timeout
        remaining = self._remaining()
        if remaining is not None:
            if remaining <= 0:
                raise _NoAnswer("deadline", "not sent: %s" % self._deadline_hint(), False)
            budget = min(budget, remaining)
        started = self.clock()
        outcome = {}
        cancelled = threading.Event()
        worker = threading.Thread(target=self._exchange, name="scaleway-request", daemon=True,
                                  args=(method, self.url(path), params, json_body, budget, outcome, cancelled))
        worker.start()
        worker.join(budget + ATTEMPT_GRACE)
        if worker.is_alive():
            # A server that trickles its answer: give up on it; the worker stops at its next read.
            cancelled.set()
            _hang_up(outcome.get("response"))
            self._log("%s %s -> no complete answer within %ss" % (method, path, budget))
            raise _NoAnswer("timeout", "no complete answer within api_timeout (%ss)" % _seconds(budget), True)
        if "error" in outcome:
            exc = outcome["error"]
            self._log("%s %s -> no answer: %s" % (method, path, exc))
            if isinstance(exc, _NoAnswer):
                raise exc
            if not isinstance(exc, (requests.exceptions.RequestException, OSError, http.client.HTTPException)):
                # Not a failure of the exchange but of the program: let it show as such.
                raise exc
            raise self._no_answer(exc, budget)
        answer = outcome["answer"]
        self._log("%s %s -> %s (%.3fs)" % (method, path, answer.status, self.clock() - started))
        return answer

    def _no_answer(self, exc, budget):
        """The _NoAnswer for an exception of requests, with a message a newcomer can act on."""
        kind, sent = _classify(exc)
        detail = cut_text(self.redact("%s: %s" % (exc.__class__.__name__, exc)))
        where = "check api_url (SCW_API_URL)"
        if kind == "refused":
            message = "could not connect to %s: connection refused; %s" % (self.api_url, where)
        elif kind == "dns":
            message = "could not connect to %s: cannot resolve host %s; %s" % (
                self.api_url, urlsplit(self.api_url).hostname, where)
        elif kind == "connect-timeout":
            message = "could not connect to %s within api_timeout (%ss); %s" % (self.api_url, _seconds(budget), where)
        elif kind == "timeout":
            message = "no answer from the API within api_timeout (%ss)" % _seconds(budget)
        elif kind == "tls":
            message = ("TLS with %s failed (%s): if its certificate is not trusted, set ca_path (SCW_CA_BUNDLE) to "
                       "the CA bundle that signed it, or set validate_certs to false (insecure)" % (
                           urlsplit(self.api_url).hostname, detail))
        else:
            message = "no answer from the API (%s)" % detail
        return _NoAnswer(kind, message, sent)

    def request(self, method, path, params=None, json=None, lookup=None, idempotent=None):
        """Send one API call with retries; return the Answer of a 2xx, or None when ``lookup`` found the write.

        Retried: 429 (always: nothing was carried out), and for idempotent calls
        (GET, PUT, DELETE by default) 500/502/503/504 and missing answers; a
        refused connection or a failed name lookup once, quickly; a TLS
        failure, a redirect or any other answer never.

        A POST that may have been carried out is never sent again until it is
        certain it was not:

        - answered 500/502/503/504 by the API (the API finished with it) or
          dropped after it was sent: after the backoff ``lookup()`` is called
          once; what it finds is adopted (``request`` returns None, ``create``
          returns it); if it finds nothing (None) the POST is sent again;
        - timed out (no answer within api_timeout) or answered 504 without the
          API's error body (a gateway in front of it gave up waiting): the API
          may still be working on it, so ``lookup()`` is polled for LOST_POST_WINDOW x api_timeout
          (never past the deadline), after 0.5 s then 1.5 times longer each
          time up to 5 s; a find is adopted, and nothing found at the end
          raises ScalewayAPIError(ambiguous=True): the object may exist, and a
          second run will find and adopt it;
        - without ``lookup`` it raises ScalewayAPIError(ambiguous=True).

        A DELETE that answers 404 after an unclear first attempt counts as done.
        """
        answer, dummy = self._send(method, path, params, json, lookup, idempotent)
        return answer

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
                if answer.status == 404 and method == "DELETE" and unclear:
                    # An earlier DELETE was carried out but its answer was lost.
                    return answer, None
                if 300 <= answer.status < 400:
                    raise self._redirect_error(method, path, answer, attempts, unclear)
                failure = _Failure(self, method, path, attempts, answer=answer)
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

    def _redirect_error(self, method, path, answer, attempts, unclear):
        try:
            target = urlsplit(urljoin(answer.url or self.api_url, answer.headers.get("Location") or ""))
            # Scheme, host and port only: a user name or password in the Location is never repeated.
            where = "%s://%s%s" % (target.scheme, target.hostname, ":%d" % target.port if target.port else "") \
                if target.hostname else "an unnamed location"
        except ValueError:
            where = "a malformed location"
        where = self.redact(where)
        return ScalewayAPIError(
            method, path, "the answer was a redirect to %s, not the API's answer (the client follows no "
            "redirect, so the token went nowhere else)" % cut_text(where, 200), status=answer.status,
            attempts=attempts, ambiguous=unclear,
            hint="api_url (SCW_API_URL) must be the API's own URL, %s is not" % self.api_url)

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

    def _json(self, answer, method, path):
        if answer.status == 204 or not answer.body:
            return {}
        try:
            return answer.json()
        except ValueError as exc:
            raise ScalewayAPIError(method, path, "the API answered HTTP %s with a body that is not JSON (%s)"
                                   % (answer.status, cut_text(exc, 100)), status=answer.status)

    def call(self, method, path, params=None, json=None, lookup=None, idempotent=None):
        """``request`` that returns the decoded JSON body ({} for 204).

        When a POST's answer was lost and ``lookup`` found that it was carried
        out there is no body: call returns None (``create`` returns the find).
        """
        answer = self.request(method, path, params=params, json=json, lookup=lookup, idempotent=idempotent)
        return None if answer is None else self._json(answer, method, path)

    # -- resources ---------------------------------------------------------------------------

    def get(self, path, key, params=None):
        """GET one resource and unwrap its envelope ``{key: {...}}``."""
        answer = self.request("GET", path, params=params)
        return self._unwrap(answer, key, "GET", path)

    def get_or_none(self, path, key, params=None):
        """Like get, but None when the API answers 404 (unknown or not visible).

        Only the API's own error answer (a JSON body with its ``type``) means
        "not found": a 404 page of another server at api_url is an error.
        """
        try:
            return self.get(path, key, params=params)
        except ScalewayAPIError as exc:
            if exc.status == 404 and exc.type is not None:
                return None
            raise

    def create(self, path, key, body, lookup=None):
        """POST a new resource and return it; ``lookup()`` finds it (or returns None) if the answer is lost."""
        answer, found = self._send("POST", path, None, body, lookup, None)
        if answer is None:
            return found
        return self._unwrap(answer, key, "POST", path)

    def update(self, path, key, body):
        """PUT changes to a resource and return it."""
        return self._unwrap(self.request("PUT", path, json=body), key, "PUT", path)

    def delete(self, path):
        self.call("DELETE", path)

    def _unwrap(self, answer, key, method, path):
        body = self._json(answer, method, path)
        if not isinstance(body, dict) or not isinstance(body.get(key), dict):
            raise ScalewayAPIError(method, path, "the answer has no %r object" % key, status=answer.status,
                                   hint=NOT_THE_API_HINT % self.api_url)
        return body[key]

    # -- lists -------------------------------------------------------------------------------

    def get_page(self, path, key, params=None, page=1, limit=PAGE_LIMIT):
        """One page of a list; every item must be an object."""
        query = dict(params or {})
        query.update(page=page, limit=limit)
        answer = self.request("GET", path, params=query)
        body = self._json(answer, "GET", path)
        items = body.get(key) if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise ScalewayAPIError("GET", path, "the answer has no %r list" % key, status=answer.status,
                                   hint=NOT_THE_API_HINT % self.api_url)
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise ScalewayAPIError("GET", path, "item %d of the %r list is not an object but %s" % (
                    index, key, type(item).__name__), status=answer.status)
        total = answer.headers.get("X-Total-Count")
        try:
            total = int(total) if total is not None else None
        except ValueError:
            total = None
        if total is not None and total < 0:
            total = None
        return Page(items, parse_link_header(answer.headers.get("Link")), total, path=path, number=page, limit=limit,
                    date=answer.headers.get("Date"))

    def paginate(self, path, key, params=None, limit=PAGE_LIMIT):
        """Yield every item of a list, once the whole list is read (``list()``)."""
        yield from self.list(path, key, params=params, limit=limit)

    def list(self, path, key, params=None, limit=PAGE_LIMIT):
        """Every item of a list, read whole or not at all: the rule and its bounds are in lists.py."""
        from ansible_collections.scaleway_v1.cloud.plugins.module_utils.lists import read_whole
        return read_whole(self, path, key, params=params, limit=limit)

    # -- waiting -----------------------------------------------------------------------------

    def wait_for(self, fetch, predicate, timeout, interval=1.0, max_interval=10.0, description="a condition"):
        """Call ``fetch()`` until ``predicate(value)`` holds; return that value.

        Polls start at ``interval`` seconds and grow by half each time up to
        ``max_interval``, so a long wait does not hammer the API's rate limit.
        Raises ScalewayWaitTimeout after ``timeout`` seconds, or at once when
        the next poll would pass the client's deadline (naming its option).
        """
        end = self.clock() + timeout
        delay = max(0.01, interval)
        while True:
            value = fetch()
            if predicate(value):
                return value
            remaining = end - self.clock()
            if remaining <= 0:
                raise ScalewayWaitTimeout(description, timeout, value)
            pause = min(delay, remaining)
            if self.past_deadline(pause):
                raise ScalewayWaitTimeout(description, timeout, value, option=self.deadline_option)
            self.sleep(pause)
            delay = min(max_interval, delay * 1.5)


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
        if hint is None and error_type is None:
            hint = NOT_THE_API_HINT % self.client.api_url
        return ScalewayAPIError(self.method, self.path, message, status=self.answer.status,
                                error_type=error_type, code=code, param=param, attempts=self.attempts,
                                ambiguous=self.ambiguous, hint=hint)


def _read_body(response, cancelled):
    """The body of a streamed response, at most MAX_BODY_BYTES; stops when ``cancelled`` is set.

    A response made in memory (``raw`` is None, as test doubles make them) is taken as it is.
    """
    if response.raw is None:
        body = response.content or b""
    else:
        length = response.headers.get("Content-Length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
            body = None
        else:
            chunks = []
            size = 0
            for chunk in response.iter_content(_BODY_CHUNK):
                if cancelled.is_set():
                    raise _NoAnswer("timeout", "cancelled", True)
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    break
                chunks.append(chunk)
            body = b"".join(chunks) if size <= MAX_BODY_BYTES else None
    if body is None or len(body) > MAX_BODY_BYTES:
        raise _NoAnswer("too-large", "the answer (HTTP %s) is larger than %d MiB: not an answer of the API" % (
            response.status_code, MAX_BODY_BYTES // (1024 * 1024)), True, status=response.status_code)
    return body


def _hang_up(response):
    """End the connection of a response another thread is reading, without waiting for that thread.

    Closing the response would wait for the reader's lock; shutting the socket down wakes the
    reader at once. Before the headers came there is no response yet: that reader ends at its
    next read timeout (api_timeout), a daemon thread nobody waits for.
    """
    connection = getattr(getattr(response, "raw", None), "connection", None)
    sock = getattr(connection, "sock", None)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _seconds(value):
    return ("%.3f" % value).rstrip("0").rstrip(".")


# -- settings ----------------------------------------------------------------------------------

def _checked_api_url(api_url):
    if api_url is None:
        return DEFAULT_API_URL
    hint = "give the API's http(s) URL, such as %s (option api_url, or SCW_API_URL)" % DEFAULT_API_URL
    if not isinstance(api_url, str):
        raise ScalewayInputError("api_url", "not a URL; " + hint)
    try:
        parts = urlsplit(api_url.strip())
        # Reading the port is what checks it: urlsplit only parses it on demand.
        if parts.port is not None and not 0 < parts.port < 65536:
            raise ValueError("port %s" % parts.port)
    except ValueError as exc:
        raise ScalewayInputError("api_url", "%r is not a valid URL (%s); %s" % (cut_text(api_url, 200), exc, hint))
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ScalewayInputError("api_url", "%r is not an http(s) URL with a host; %s" % (cut_text(api_url, 200), hint))
    if parts.username is not None or parts.password is not None:
        raise ScalewayInputError("api_url", "must not hold a user name or password (the token is api_token); " + hint)
    return api_url.strip().rstrip("/")


def _checked_token(api_token):
    if not api_token:
        raise ScalewayInputError("api_token", "no API token; set api_token or the SCW_TOKEN environment variable")
    if not isinstance(api_token, str):
        raise ScalewayInputError("api_token", "must be a string")
    for char in api_token:
        code = ord(char)
        if code < 33 or 127 <= code < 161 or code > 255:
            # requests would refuse the header (quoting the token) or fail to encode it.
            raise ScalewayInputError(
                "api_token", "must not contain spaces, line breaks, control characters or characters outside "
                "latin-1 (it is sent in an HTTP header); check api_token (SCW_TOKEN)")
    return api_token


def _checked_timeout(timeout):
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not math.isfinite(timeout) \
            or timeout <= 0:
        raise ScalewayInputError("api_timeout", "must be a number of seconds greater than 0, got %r" % (timeout,))
    return timeout


def _checked_retries(retries):
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ScalewayInputError("api_retries", "must be a whole number, 0 or more, got %r" % (retries,))
    return retries


def _checked_ca_path(ca_path):
    if ca_path is None or ca_path == "":
        return None
    if not isinstance(ca_path, str) or not os.path.isfile(ca_path) or not os.access(ca_path, os.R_OK):
        raise ScalewayInputError("ca_path", "%r is not a readable file; give the path of a CA bundle in PEM "
                                 "format (option ca_path, or SCW_CA_BUNDLE)" % (ca_path,))
    return ca_path
