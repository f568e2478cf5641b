# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The client over real sockets, against small servers on 127.0.0.1 that misbehave on purpose.

Each server runs in threads of the test process, answers with raw bytes (so it can trickle,
redirect or send too much), records what it received, and stops when the test ends; every
loop of it is bounded in time. The client's own sleeps are recorded, not slept, except where
a test needs the real clock to pass (a POST slower than api_timeout).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import json
import socket
import threading
import time

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils import retries, transport
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import ScalewayClient
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayAPIError

TOKEN = "tok-7e2a91c4-transport-secret"
# No server thread lives longer than this, whatever the client does.
SERVER_LIFETIME = 10.0


class RawServer:
    """A TCP server on 127.0.0.1: ``respond(server, conn, request)`` writes the answer bytes itself."""

    def __init__(self, respond):
        self.respond = respond
        self.requests = []
        self.stopped = threading.Event()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.url = "http://127.0.0.1:%d/v1" % self.port
        self.started = time.time()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def alive(self):
        return not self.stopped.is_set() and time.time() - self.started < SERVER_LIFETIME

    def _accept(self):
        while self.alive():
            try:
                conn, dummy = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        conn.settimeout(2.0)
        try:
            while self.alive():
                request = read_request(conn)
                if request is None:
                    return
                self.requests.append(request)
                if not self.respond(self, conn, request):
                    return
        except OSError:
            pass
        finally:
            conn.close()

    def stop(self):
        self.stopped.set()
        self.listener.close()
        self.thread.join(2)


def read_request(conn):
    """(method, path, headers, body) of one HTTP/1.1 request, or None at the end of the connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    method, path, dummy = lines[0].split(" ", 2)
    headers = dict((name.strip().lower(), value.strip()) for name, value in
                   (line.split(":", 1) for line in lines[1:] if ":" in line))
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        body += conn.recv(65536)
    return {"method": method, "path": path, "headers": headers, "body": body}


def answer(conn, status, body=b"", headers=None):
    """Write one whole answer; True to keep the connection open."""
    lines = ["HTTP/1.1 %s X" % status, "Content-Length: %d" % len(body)]
    lines.extend("%s: %s" % item for item in (headers or {}).items())
    conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
    return True


def trickle(server, conn, data, interval=0.05):
    """Send ``data`` one byte at a time until the client hangs up or the server stops."""
    for byte in data:
        if not server.alive():
            return
        conn.sendall(bytes([byte]))
        time.sleep(interval)


@contextlib.contextmanager
def serving(respond):
    server = RawServer(respond)
    try:
        yield server
    finally:
        server.stop()


class Recorder:
    def __init__(self):
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)


def make_client(api_url, **kwargs):
    recorder = Recorder()
    kwargs.setdefault("sleep", recorder.sleep)
    client = ScalewayClient(api_url=api_url, api_token=TOKEN, **kwargs)
    return client, recorder


def timed(call):
    """(exception raised by ``call()``, seconds it took)."""
    started = time.time()
    with pytest.raises(ScalewayAPIError) as err:
        call()
    return err.value, time.time() - started


# -- every attempt is bounded as a whole -------------------------------------------------------

# What a server trickles, one byte every 0.05 s, for ever: the body after whole headers, or the headers.
TRICKLES = {
    "body": (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n",
             b'{"servers": [' + b" " * 999000),
    "headers": (b"HTTP/1.1 200 OK\r\n", b"X-Slow: " + b"a" * 60000),
}


@pytest.mark.parametrize("phase", sorted(TRICKLES))
def test_answer_trickled_forever_ends_at_the_attempt_timeout(phase):
    start, rest = TRICKLES[phase]

    def respond(server, conn, request):
        conn.sendall(start)
        trickle(server, conn, rest)
        return False

    with serving(respond) as server:
        client, recorder = make_client(server.url, timeout=0.5, retries=1)
        error, seconds = timed(lambda: client.get("/servers/a", "server"))
    assert "no complete answer within api_timeout (0.5s)" in str(error)
    assert error.attempts == 2 and len(server.requests) == 2
    # Two attempts of 0.5 s each (and a little grace), where the trickle would last for minutes.
    assert seconds < 2.5


@pytest.mark.parametrize("framing", ["content-length", "until-close"])
def test_answer_over_the_size_cap_is_refused(monkeypatch, framing):
    monkeypatch.setattr(transport, "MAX_BODY_BYTES", 4096)
    body = json.dumps({"servers": [{"id": "x" * 100}] * 100}).encode("utf-8")

    def respond(server, conn, request):
        if framing == "content-length":
            return answer(conn, 200, body)
        conn.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + body)
        return False

    with serving(respond) as server:
        client, recorder = make_client(server.url, retries=3)
        error, dummy = timed(lambda: client.list("/servers", "servers"))
    assert "larger than" in str(error) and error.status == 200
    assert len(server.requests) == 1


def test_a_content_length_that_only_python_calls_a_digit_is_no_traceback():
    """"\u00b2" (superscript two, sent as one Latin-1 byte) is a digit to str.isdigit() but not a number to int()."""
    def respond(server, conn, request):
        conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \xb2\r\n'
                     b'Connection: close\r\n\r\n{"server": {"id": "a"}}')
        return False

    with serving(respond) as server:
        client, recorder = make_client(server.url, retries=0)
        result = client.get("/servers/a", "server")
    # Read until the connection closes, within MAX_BODY_BYTES, as without a Content-Length.
    assert result == {"id": "a"}


# -- redirects: never followed, the token stays home ----------------------------------------------

@pytest.mark.parametrize("method, status", [("GET", 302), ("POST", 307), ("POST", 301)])
def test_redirect_is_not_followed_and_the_token_never_reaches_the_other_host(method, status):
    with serving(lambda server, conn, request: answer(conn, 201, b'{"volume": {"id": "v"}}')) as elsewhere:
        def respond(server, conn, request):
            return answer(conn, status, headers={"Location": elsewhere.url + request["path"][3:]})

        with serving(respond) as api:
            client, recorder = make_client(api.url, retries=3)
            if method == "GET":
                error, dummy = timed(lambda: client.get("/volumes/v", "volume"))
            else:
                error, dummy = timed(lambda: client.create("/volumes", "volume", {"name": "v"}, lookup=lambda: None))
    assert elsewhere.requests == []
    assert [request["method"] for request in api.requests] == [method]
    assert api.requests[0]["headers"]["x-auth-token"] == TOKEN
    assert error.status == status and not error.ambiguous
    assert "redirect to http://127.0.0.1:%d" % elsewhere.port in str(error)
    assert "api_url (SCW_API_URL) must be the API's own URL" in str(error)


# -- a POST slower than api_timeout is adopted, never sent twice ---------------------------------

def test_post_slower_than_the_timeout_is_found_and_not_sent_again():
    made = []

    def respond(server, conn, request):
        if request["method"] == "POST":
            # The API takes its time, then creates the volume: the client has given up on the answer by then.
            # It appears after 1.4 s: later than a single lookup after the backoff would look.
            time.sleep(1.4)
            made.append({"id": "v1", "name": "slow"})
            time.sleep(0.2)
            return answer(conn, 201, json.dumps({"volume": made[0]}).encode("utf-8"))
        return answer(conn, 200, json.dumps({"volumes": made}).encode("utf-8"),
                      {"X-Total-Count": str(len(made))})

    with serving(respond) as server:
        client = ScalewayClient(api_url=server.url, api_token=TOKEN, timeout=0.6, retries=3)

        def lookup():
            found = [item for item in client.list("/volumes", "volumes") if item["name"] == "slow"]
            return found[0] if found else None

        assert client.create("/volumes", "volume", {"name": "slow"}, lookup=lookup) == {"id": "v1", "name": "slow"}
    assert [request["method"] for request in server.requests].count("POST") == 1


# -- newcomer errors over real sockets ----------------------------------------------------------

def closed_port():
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def test_refused_connection_fails_after_one_quick_retry():
    api_url = "http://127.0.0.1:%d/v1" % closed_port()
    client, recorder = make_client(api_url, retries=5)
    error, dummy = timed(lambda: client.get("/servers", "servers"))
    assert str(error) == ("GET /servers failed: could not connect to %s: connection refused; check api_url "
                          "(SCW_API_URL) after 2 attempts" % api_url)
    assert recorder.sleeps == [retries.QUICK_RETRY_WAIT]


def test_failed_name_lookup_fails_after_one_quick_retry(monkeypatch):
    lookups = []

    def no_such_host(host, *args, **kwargs):
        lookups.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    # No name server is asked: the lookup itself fails here.
    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    client, recorder = make_client("https://api.scaleway.invalid/v1", retries=5)
    error, dummy = timed(lambda: client.get("/servers", "servers"))
    assert ("could not connect to https://api.scaleway.invalid/v1: cannot resolve host api.scaleway.invalid; "
            "check api_url (SCW_API_URL)") in str(error)
    assert error.attempts == 2 and recorder.sleeps == [retries.QUICK_RETRY_WAIT]
    assert set(lookups) == {"api.scaleway.invalid"}
