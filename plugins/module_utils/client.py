# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one HTTP client of the collection.

Everything that speaks to the Scaleway v1 API goes through ScalewayClient:
modules (through the base class in base.py) and the inventory plugin. It
owns keep-alive, authentication, timeouts, retries with backoff, pagination,
waiting and the translation of every failure into ScalewayAPIError.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import random
import re
import time

try:
    from urllib.parse import parse_qsl, urlsplit
except ImportError:  # pragma: no cover - Python 2 is not supported, keeps sanity happy
    from urlparse import parse_qsl, urlsplit  # type: ignore

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
# Never sleep longer than this for one retry, whatever Retry-After asks.
MAX_RETRY_WAIT = 60.0
REDACTED = "********"

_LINK_RE = re.compile(r'<([^>]*)>\s*;\s*rel="?([a-zA-Z]+)"?')


class ScalewayAPIError(Exception):
    """A request that failed: an error answer from the API, or no usable answer at all.

    ``status`` is None when no answer came (connection refused or dropped, timeout).
    ``ambiguous`` is True when a write may or may not have been carried out.
    """

    def __init__(self, method, path, message, status=None, error_type=None, code=None, param=None,
                 attempts=1, ambiguous=False):
        self.method = method
        self.path = path
        self.status = status
        self.type = error_type
        self.message = message
        self.code = code
        self.param = param
        self.attempts = attempts
        self.ambiguous = ambiguous
        super(ScalewayAPIError, self).__init__(self._describe())

    def _describe(self):
        if self.status is None:
            text = "%s %s failed: no answer from the API (%s)" % (self.method, self.path, self.message)
        else:
            kind = self.type or "error"
            if self.code:
                kind = "%s/%s" % (kind, self.code)
            text = "%s %s failed with HTTP %s %s: %s" % (self.method, self.path, self.status, kind, self.message)
            if self.param:
                text += " (param: %s)" % self.param
        if self.attempts > 1:
            text += " after %d attempts" % self.attempts
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
    """wait_for ran out of time; ``last`` is the last value it saw."""

    def __init__(self, description, timeout, last):
        self.description = description
        self.timeout = timeout
        self.last = last
        super(ScalewayWaitTimeout, self).__init__(
            "timed out after %ss waiting for %s" % (timeout, description))


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
    """One page of a list: its items and what the headers say about the rest."""

    def __init__(self, items, links, total):
        self.items = items
        self.links = links
        self.total = total

    @property
    def last_page(self):
        return page_of(self.links.get("last"))

    @property
    def has_next(self):
        return "next" in self.links


def _error_fields(response):
    """Pull type/message/code/param out of an error answer; tolerate any body."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        text = (response.text or "").strip()
        if len(text) > 200:
            text = text[:200] + "..."
        return None, text or (response.reason or "no error body"), None, None
    message = body.get("message")
    if not isinstance(message, str) or not message:
        message = response.reason or "no error message"
    return body.get("type"), message, body.get("code"), body.get("param")


class ScalewayClient:
    """A keep-alive session to the API with retries, pagination and waiting.

    ``sleep`` and ``clock`` exist so tests run without real sleeping; ``log``
    receives one line per attempt (never the token).
    """

    def __init__(self, api_url=DEFAULT_API_URL, api_token=None, timeout=DEFAULT_TIMEOUT,
                 validate_certs=True, retries=DEFAULT_RETRIES, backoff_base=0.5, backoff_max=16.0,
                 user_agent_extra=None, log=None, sleep=time.sleep, clock=time.time, session=None):
        if not HAS_REQUESTS:
            raise RuntimeError("the Python library 'requests' is required")
        self.api_url = (api_url or DEFAULT_API_URL).rstrip("/")
        self._token = api_token or ""
        if any(ord(char) < 33 or ord(char) == 127 for char in self._token):
            # requests would refuse the header and quote the token in its error message.
            raise ValueError("api_token must not contain spaces, line breaks or other control characters")
        self.timeout = timeout
        self.validate_certs = validate_certs
        self.retries = max(0, int(retries))
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.log = log
        self.sleep = sleep
        self.clock = clock
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
        self.session.verify = validate_certs

    def clone(self):
        """A new client with the same settings and its own session (one per worker thread)."""
        return ScalewayClient(
            api_url=self.api_url, api_token=self._token, timeout=self.timeout,
            validate_certs=self.validate_certs, retries=self.retries, backoff_base=self.backoff_base,
            backoff_max=self.backoff_max, log=self.log, sleep=self.sleep, clock=self.clock)

    def close(self):
        self.session.close()

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

    def _server_wait(self, response):
        """The wait the API asks for (Retry-After, else X-RateLimit-Reset when exhausted), or None."""
        retry_after = response.headers.get("Retry-After")
        if retry_after is not None:
            try:
                return max(0.0, float(retry_after))
            except ValueError:
                pass
        if response.status_code == 429 or response.headers.get("X-RateLimit-Remaining") == "0":
            reset = response.headers.get("X-RateLimit-Reset")
            if reset is not None:
                try:
                    return max(0.0, float(reset) - self.clock())
                except ValueError:
                    pass
        return None

    def _retry_wait(self, attempt, response=None):
        wait = self._backoff(attempt)
        if response is not None:
            asked = self._server_wait(response)
            if asked is not None:
                # Honour the server, plus a little jitter so parallel workers do not return together.
                wait = asked + self._random.uniform(0, 0.25)
        return min(wait, MAX_RETRY_WAIT)

    # -- requests ---------------------------------------------------------------------------

    def url(self, path):
        return self.api_url + path

    def _attempt(self, method, path, params, json_body):
        started = self.clock()
        try:
            response = self.session.request(
                method, self.url(path), params=params, json=json_body,
                timeout=self.timeout, verify=self.validate_certs)
        except requests.exceptions.RequestException as exc:
            self._log("%s %s -> no answer: %s" % (method, path, exc))
            raise _NoAnswer(self.redact(exc.__class__.__name__ + ": " + str(exc)), _sent(exc))
        self._log("%s %s -> %s (%.3fs)" % (method, path, response.status_code, self.clock() - started))
        return response

    def _error(self, method, path, response, attempts, ambiguous=False):
        error_type, message, code, param = _error_fields(response)
        return ScalewayAPIError(method, path, self.redact(message), status=response.status_code,
                                error_type=error_type, code=code, param=param,
                                attempts=attempts, ambiguous=ambiguous)

    def request(self, method, path, params=None, json=None, lookup=None, idempotent=None):
        """Send one API call with retries; return the ``requests.Response`` of a 2xx answer.

        Retried: 429 (always, nothing was carried out), and for idempotent calls
        (GET, PUT, DELETE by default) 500/502/503/504 and missing answers.
        A POST whose answer was lost or was a 5xx may have been carried out: it is
        never sent again blindly. When ``lookup`` is given it is called first; if it
        returns a value, the write happened and that value is returned instead of a
        response; if it returns None the POST is sent again. Without ``lookup`` the
        error is raised with ``ambiguous=True``.
        A DELETE that answers 404 after an unclear first attempt counts as done.
        """
        method = method.upper()
        if idempotent is None:
            idempotent = method != "POST"
        write = method != "GET"
        attempts = 0
        unclear = False
        while True:
            attempts += 1
            try:
                response = self._attempt(method, path, params, json)
            except _NoAnswer as exc:
                # A request that may have reached the API leaves a write in doubt.
                doubtful = write and exc.sent
                if attempts > self.retries or (doubtful and not idempotent and lookup is None):
                    raise ScalewayAPIError(method, path, exc.message, attempts=attempts, ambiguous=doubtful or unclear)
                unclear = unclear or doubtful
                self.sleep(self._retry_wait(attempts))
                if doubtful and not idempotent:
                    found = self._look_up(lookup, method, path, attempts)
                    if found is not None:
                        return found
                continue
            status = response.status_code
            if 200 <= status < 300:
                return response
            if status == 404 and method == "DELETE" and unclear:
                # An earlier DELETE was carried out but its answer was lost.
                return response
            if status not in RETRY_STATUSES:
                raise self._error(method, path, response, attempts, ambiguous=unclear)
            # 429 means nothing was done; a 5xx to a write may hide a write that was done.
            doubtful = write and status != 429
            if attempts > self.retries or (doubtful and not idempotent and lookup is None):
                raise self._error(method, path, response, attempts, ambiguous=doubtful or unclear)
            unclear = unclear or doubtful
            self.sleep(self._retry_wait(attempts, response))
            if doubtful and not idempotent:
                found = self._look_up(lookup, method, path, attempts)
                if found is not None:
                    return found

    @staticmethod
    def _look_up(lookup, method, path, attempts):
        """Ask the caller whether a POST in doubt was carried out: a Found, or None to send it again."""
        try:
            found = lookup()
        except ScalewayAPIError as exc:
            raise ScalewayAPIError(
                method, path, "its answer was lost, and looking for what it made failed: %s" % exc,
                attempts=attempts, ambiguous=True)
        return None if found is None else Found(found)

    def _json(self, response, method, path):
        if response.status_code == 204 or not response.content:
            return {}
        try:
            return response.json()
        except ValueError:
            raise ScalewayAPIError(method, path, "the API answered HTTP %s with a body that is not JSON"
                                   % response.status_code, status=response.status_code)

    def call(self, method, path, params=None, json=None, lookup=None, idempotent=None):
        """``request`` that returns the decoded JSON body ({} for 204), or the ``Found`` of a lookup."""
        response = self.request(method, path, params=params, json=json, lookup=lookup, idempotent=idempotent)
        if isinstance(response, Found):
            return response
        return self._json(response, method, path)

    # -- resources ---------------------------------------------------------------------------

    def get(self, path, key, params=None):
        """GET one resource and unwrap its envelope ``{key: {...}}``."""
        return self._unwrap(self.call("GET", path, params=params), key, "GET", path)

    def get_or_none(self, path, key, params=None):
        """Like get, but None when the API answers 404 (unknown or not visible)."""
        try:
            return self.get(path, key, params=params)
        except ScalewayAPIError as exc:
            if exc.status == 404:
                return None
            raise

    def create(self, path, key, body, lookup=None):
        """POST a new resource; ``lookup()`` finds it (or returns None) if the answer is lost."""
        result = self.call("POST", path, json=body, lookup=lookup)
        if isinstance(result, Found):
            return result.value
        return self._unwrap(result, key, "POST", path)

    def update(self, path, key, body):
        """PUT changes to a resource and return it."""
        return self._unwrap(self.call("PUT", path, json=body), key, "PUT", path)

    def delete(self, path):
        self.call("DELETE", path)

    @staticmethod
    def _unwrap(body, key, method, path):
        if not isinstance(body, dict) or not isinstance(body.get(key), dict):
            raise ScalewayAPIError(method, path, "the answer has no %r object" % key)
        return body[key]

    # -- lists -------------------------------------------------------------------------------

    def get_page(self, path, key, params=None, page=1, limit=PAGE_LIMIT):
        """One page of a list."""
        query = dict(params or {})
        query.update(page=page, limit=limit)
        response = self.request("GET", path, params=query)
        body = self._json(response, "GET", path)
        items = body.get(key) if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise ScalewayAPIError("GET", path, "the answer has no %r list" % key, status=response.status_code)
        total = response.headers.get("X-Total-Count")
        try:
            total = int(total) if total is not None else None
        except ValueError:
            total = None
        return Page(items, parse_link_header(response.headers.get("Link")), total)

    def paginate(self, path, key, params=None, limit=PAGE_LIMIT):
        """Yield every item of a list, page by page, following ``rel="next"``.

        The next page's number is read from the Link header, but the request is
        always made to our own api_url: the token never follows a link elsewhere.
        """
        page_number = 1
        while True:
            page = self.get_page(path, key, params=params, page=page_number, limit=limit)
            yield from page.items
            following = page_of(page.links.get("next"))
            if not page.items or following is None or following <= page_number:
                return
            page_number = following

    def list(self, path, key, params=None, limit=PAGE_LIMIT):
        """Every item of a list."""
        return list(self.paginate(path, key, params=params, limit=limit))

    # -- waiting -----------------------------------------------------------------------------

    def wait_for(self, fetch, predicate, timeout, interval=1.0, max_interval=10.0, description="a condition"):
        """Call ``fetch()`` until ``predicate(value)`` holds; return that value.

        Polls start at ``interval`` seconds and grow by half each time up to
        ``max_interval``, so a long wait does not hammer the API's rate limit.
        Raises ScalewayWaitTimeout after ``timeout`` seconds.
        """
        deadline = self.clock() + timeout
        delay = max(0.01, interval)
        while True:
            value = fetch()
            if predicate(value):
                return value
            remaining = deadline - self.clock()
            if remaining <= 0:
                raise ScalewayWaitTimeout(description, timeout, value)
            self.sleep(min(delay, remaining))
            delay = min(max_interval, delay * 1.5)


class Found:
    """What a POST's lookup found: the write had been carried out although its answer was lost."""

    def __init__(self, value):
        self.value = value


class _NoAnswer(Exception):
    """No HTTP answer; ``sent`` says whether the request may have reached the API."""

    def __init__(self, message, sent):
        self.message = message
        self.sent = sent
        super(_NoAnswer, self).__init__(message)


def _sent(exc):
    """False only when the request certainly never left (connection refused, connect timeout)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return False
    if isinstance(exc, requests.exceptions.ConnectionError):
        return _is_dropped(exc)
    return True


def _is_dropped(exc):
    """A connection that was open and then closed without an answer (RemoteDisconnected and kin)."""
    text = str(exc)
    return any(marker in text for marker in (
        "RemoteDisconnected", "Connection aborted", "Connection reset", "BadStatusLine",
        "IncompleteRead", "ProtocolError"))
