# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one HTTP client of the collection: ScalewayClient.

Everything that speaks to the Scaleway v1 API goes through ScalewayClient:
modules (through the base class in base.py) and the inventory plugin. This file
owns the client's shape: its session and authentication, the deadline, token
redaction, the calls (get, create, update, delete, lists) and waiting. Its parts
live beside it, one job per file: errors.py (the exceptions), settings.py (the
checks of its settings), transport.py (one exchange and its failures),
retries.py (the retry rule and lost writes), pages.py (pagination), lists.py
(whole lists: a list is used whole or not at all), paths.py (the URL rule: each
value one segment; the transport refuses any other path).

Whatever answers at ``api_url`` is untrusted input: it may be slow, broken,
hostile or not the API at all. The client never follows a redirect (the token
goes to ``api_url`` and nowhere else), bounds the time and the size of every
answer, the number of pages of every list and every wait, and turns any answer
it cannot use into a ScalewayAPIError that says why, never a traceback.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random
import time

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import (
    NOT_THE_API_HINT,
    REDACTED,
    ScalewayAPIError,
    ScalewayWaitTimeout,
    cut_text,
    is_api_not_found,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.common import is_uuid, same_id
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.lists import read_whole
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.pages import PAGE_LIMIT, Page, parse_link_header
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import created_at
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.retries import Retries
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.settings import (
    DEFAULT_API_URL,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    checked_api_url,
    checked_ca_path,
    checked_retries,
    checked_timeout,
    checked_token,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.transport import HAS_REQUESTS, Transport, requests

COLLECTION_NAME = "scaleway_v1.cloud"
# Kept equal to galaxy.yml's version by a unit test.
COLLECTION_VERSION = "0.1.0"


class ScalewayClient(Transport, Retries):
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
        self.api_url = checked_api_url(api_url)
        self._token = checked_token(api_token)
        self.timeout = checked_timeout(timeout)
        self.retries = checked_retries(retries)
        self.ca_path = checked_ca_path(ca_path)
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

        A DELETE that answers the API's own 404 (``is_api_not_found``) after an
        unclear first attempt counts as done; another 404 there is an error
        naming api_url, and the write is ambiguous.
        """
        answer, dummy = self._send(method, path, params, json, lookup, idempotent)
        return answer

    def _json(self, answer, method, path):
        if answer.status == 204 or not answer.body:
            return {}
        try:
            return answer.json()
        except ValueError as exc:
            raise ScalewayAPIError(method, path, "the API answered HTTP %s with a body that is not JSON (%s)"
                                   % (answer.status, cut_text(exc, 100)), status=answer.status,
                                   hint=NOT_THE_API_HINT % self.api_url)

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
        return self._named(self._unwrap(answer, key, "GET", path), key, "GET", path, answer)

    def get_or_none(self, path, key, params=None):
        """Like get, but None when the API answers 404 (unknown or not visible).

        Only the API's own error answer (a JSON body with its ``type``) means
        "not found": a 404 page of another server at api_url is an error.
        """
        try:
            return self.get(path, key, params=params)
        except ScalewayAPIError as exc:
            if is_api_not_found(exc):
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
        answer = self.request("PUT", path, json=body)
        return self._named(self._unwrap(answer, key, "PUT", path), key, "PUT", path, answer)

    def delete(self, path, missing_ok=False):
        """DELETE a resource; True when this call deleted it.

        With ``missing_ok``, the API's own 404 (its JSON error body, as in
        get_or_none) means the resource is already gone, deleted by another run:
        False, not an error. Any other 404 (a web server's page) still fails.
        """
        try:
            self.call("DELETE", path)
        except ScalewayAPIError as exc:
            if missing_ok and is_api_not_found(exc):
                return False
            raise
        return True

    def _unwrap(self, answer, key, method, path):
        body = self._json(answer, method, path)
        if not isinstance(body, dict) or not isinstance(body.get(key), dict):
            raise ScalewayAPIError(method, path, "the answer has no %r object" % key, status=answer.status,
                                   hint=NOT_THE_API_HINT % self.api_url)
        return body[key]

    def _named(self, found, key, method, path, answer):
        """``found``, when it is the object the path names by id: what a task does next is aimed at that id.

        For a resource path ``/<resource>/<id>``, an answer about another object (another ``id``) is not
        the API's. Deeper paths name by other means (an object in a container by its path) and are left.
        """
        parts = path.strip("/").split("/")
        asked = parts[-1]
        if len(parts) == 2 and is_uuid(asked) and "id" in found and not same_id(found["id"], asked):
            raise ScalewayAPIError(method, path, "the answer is about %s %s, not the one the path names" % (
                key, cut_text(found["id"], 60)), status=answer.status, hint=NOT_THE_API_HINT % self.api_url)
        return found

    # -- lists -------------------------------------------------------------------------------

    def get_page(self, path, key, params=None, page=1, limit=PAGE_LIMIT):
        """One page of a list: at most ``limit`` items, each an object whose ``creation_date``, if any, is readable.

        Any other page is not the API's answer: ScalewayAPIError naming api_url.
        """
        query = dict(params or {})
        query.update(page=page, limit=limit)
        answer = self.request("GET", path, params=query)
        body = self._json(answer, "GET", path)
        items = body.get(key) if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise ScalewayAPIError("GET", path, "the answer has no %r list" % key, status=answer.status,
                                   hint=NOT_THE_API_HINT % self.api_url)
        if len(items) > limit:
            # Refused before anything else is done with them: the API never sends more than the limit asked for.
            raise ScalewayAPIError("GET", path, "page %d of the %r list holds %d items where the client asked for "
                                   "at most %d" % (page, key, len(items), limit), status=answer.status,
                                   hint=NOT_THE_API_HINT % self.api_url)
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise ScalewayAPIError("GET", path, "item %d of the %r list is not an object but %s" % (
                    index, key, type(item).__name__), status=answer.status)
            if item.get("creation_date") is not None and created_at(item) is None:
                raise ScalewayAPIError("GET", path, "item %d of the %r list has a creation_date that is not an ISO "
                                       "8601 time: %s" % (index, key, cut_text(item["creation_date"], 100)),
                                       status=answer.status, hint=NOT_THE_API_HINT % self.api_url)
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
