# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Transport: one HTTP exchange with whatever answers at api_url, and what its failures mean.

Sending one attempt within its time (``Transport._attempt``), reading the answer's
body within MAX_BODY_BYTES (Answer), pulling the error fields out of any body,
refusing redirects, and classifying an exchange that gave no usable answer
(_NoAnswer: refused, dns, timeout, dropped, tls, ...) with a message naming the
setting to fix. Whether to try again is retries.py's job.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import http.client
import json
import re
import socket
import threading
from urllib.parse import urljoin, urlsplit

try:
    import requests

    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised by the module when requests is missing
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayAPIError, cut_text
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.paths import request_path_error

# An answer larger than this is not the API's: the largest object (32 MiB, base64 in JSON) fits.
MAX_BODY_BYTES = 64 * 1024 * 1024
# How long after api_timeout an attempt is abandoned when the library has not ended it itself.
ATTEMPT_GRACE = 0.1
_BODY_CHUNK = 64 * 1024
# What an error shows of a body that is not the API's (a web server's HTML page), in characters.
EXCERPT_CHARS = 160
_TAG_RE = re.compile(r"<[^>]*>")
# OpenSSL's words when an https:// URL reaches a server that answers in plain HTTP.
_PLAIN_HTTP_MARKERS = ("WRONG_VERSION_NUMBER", "wrong version number", "RECORD_LAYER_FAILURE", "record layer failure",
                       "UNKNOWN_PROTOCOL", "unknown protocol", "PACKET_LENGTH_TOO_LONG", "packet length too long")


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
        return None, excerpt(answer.text()) or answer.reason or "no error body", None, None
    message = body.get("message")
    if not isinstance(message, str) or not message:
        message = answer.reason or "no error message"
    fields = [body.get(name) for name in ("type", "code", "param")]
    fields = [None if value is None else cut_text(value, 100) for value in fields]
    return fields[0], cut_text(message), fields[1], fields[2]


def excerpt(text, limit=EXCERPT_CHARS):
    """A short excerpt of a body that is not the API's (a web page): its text without tags, spaces collapsed."""
    return cut_text(" ".join(_TAG_RE.sub(" ", text).split()), limit)


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


def _read_body(response, cancelled):
    """The body of a streamed response, at most MAX_BODY_BYTES; stops when ``cancelled`` is set.

    A response made in memory (``raw`` is None, as test doubles make them) is taken as it is.
    """
    if response.raw is None:
        body = response.content or b""
    else:
        length = response.headers.get("Content-Length")
        # ASCII digits only: a Content-Length of "\u00b2" is a digit to isdigit() but not to int().
        if length is not None and length.isascii() and length.isdigit() and int(length) > MAX_BODY_BYTES:
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
    reader at once. Before the headers came there is no response yet, so nothing to shut down:
    that reader, a daemon thread nobody waits for, ends only when the server stops sending or
    closes. A server that drips its status line or headers a byte at a time within api_timeout
    restarts the read timeout with each byte and keeps the thread and its socket as long as it
    likes (the limitation guide_reliability states under "Time bounds").
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


class Transport:
    """The exchange part of ScalewayClient (a mixin: it uses the client's session, timeout and deadline)."""

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
        """One request, its whole answer within the attempt's time; an Answer, or raise _NoAnswer.

        The last line of defence of the URL rule (paths.py): a path with an empty, '.' or '..'
        segment, or a raw '?', '#' or control character, is never sent (the HTTP stack would
        reach another resource: ``/tags/ID/metadatas/..`` becomes ``/tags/ID/``).
        """
        refused = request_path_error(path)
        if refused:
            raise ScalewayAPIError(method, cut_text(repr(path), 200), "not sent: %s, so it could reach another "
                                   "resource than the one named" % refused)
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
            # A server that trickles its answer: give up on it. After the headers the worker stops at its next read;
            # before them it stops only when the server does (see _hang_up).
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
        elif kind == "tls" and any(marker in " ".join(str(item) for item in _chain(exc))
                                   for marker in _PLAIN_HTTP_MARKERS):
            # The scheme is the problem, not the certificate: never suggest turning TLS checks off.
            parts = urlsplit(self.api_url)
            message = ("%s does not speak TLS: it answered in plain HTTP; if it is a plain-HTTP endpoint, set api_url "
                       "(SCW_API_URL) to %s (%s)" % (parts.netloc, parts._replace(scheme="http").geturl(),
                                                     cut_text(detail, 200)))
        elif kind == "tls":
            message = ("TLS with %s failed (%s): if its certificate is not trusted, set ca_path (SCW_CA_BUNDLE) to "
                       "the CA bundle that signed it, or set validate_certs to false (insecure)" % (
                           urlsplit(self.api_url).hostname, detail))
        elif kind == "other":
            # No connection was made (no route to the host, network unreachable): the address is the first suspect.
            message = "could not connect to %s (%s); %s" % (self.api_url, detail, where)
        else:
            message = "no answer from the API (%s)" % detail
        return _NoAnswer(kind, message, sent)

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
