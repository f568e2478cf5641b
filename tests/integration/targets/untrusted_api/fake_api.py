# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small hostile or broken stand-ins for the API, on 127.0.0.1 only (standard library only).

    fake_api.py --log FILE MODE [ARGS]

Prints ``listening on http://127.0.0.1:PORT/v1`` once it accepts connections and serves until killed.
Every request it gets is appended to FILE as one JSON line: {"event", "method", "path", "token"}
(``token``: whether an X-Auth-Token header came; its value is never written).

Modes:
    proxy UPSTREAM [--hold-post SECONDS] [--rate-limit REGEX]
        forward to UPSTREAM (the simulator's base URL, without /v1); hold every POST that long
        before forwarding it (and logging "forwarded" once its answer came), and answer requests
        whose "METHOD /path" matches REGEX with 429 and Retry-After: 3600 instead of forwarding
    redirect STATUS TARGET   answer everything with STATUS (302, 307, ...) to TARGET + the same path
    record                   answer everything 404: a server that must never be reached
    trickle                  200 with headers, then a body of one byte per second, without end
    endless                  every list page holds the same one item and links rel="next" to the page after
    last                     every list page holds one new item; Link rel="last" is page 1000000000,
                             X-Total-Count is 1
    rate-limited             everything is a 429 with Retry-After: 3600
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

LAST_PAGE = 1000000000
ORGANIZATION = "00000000-0000-4000-8000-00000000000f"
# No handler lives longer than this, whatever it was asked to do (the trickle, a held POST).
HANDLER_LIFETIME = 600


def fake_id(number):
    return "00000000-0000-4000-8000-%012x" % number


def fake_item(number):
    """One object that any list of the API could hold (a server, volume, tag, metadata, organization)."""
    return {
        "id": fake_id(number), "name": "fake-%d" % number, "organization": ORGANIZATION,
        "creation_date": "2026-01-01T00:00:00Z", "modification_date": "2026-01-01T00:00:00Z",
        "state": "running", "commercial_type": "VC1S", "image": None, "volumes": {}, "tags": [],
        "public_ip": None, "private_ip": None, "size": 1000000000, "type": "l_ssd", "server": None,
        "servers": 0, "metadatas": [], "metadatas_count": 0, "key": "k%d" % number, "value": "v",
        "level": "admin", "objects_count": 0,
    }


def list_key(path):
    """The envelope key of the list at ``path`` (/v1/servers -> servers, /v1/organizations/summary -> organizations)."""
    segments = [segment for segment in path.split("/") if segment]
    if segments[-1:] == ["summary"]:
        return segments[-2]
    return segments[-1] if segments else "items"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Quiet: the JSON lines of --log replace the access log."""

    def do_GET(self):
        self.server.record("received", self)
        body = self._read_body()
        getattr(self, "serve_" + self.server.mode.replace("-", "_"))(body)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _answer(self, status, payload=None, headers=None):
        data = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if payload is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status, message, code=None, headers=None):
        kind = "api_error" if status >= 500 else "invalid_request_error"
        self._answer(status, {"type": kind, "message": message, "code": code}, headers)

    # -- modes ---------------------------------------------------------------------------------

    def serve_record(self, body):
        self._error(404, "this server must never be reached")

    def serve_redirect(self, body):
        self.send_response(self.server.args.status)
        self.send_header("Location", self.server.args.target.rstrip("/") + self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def serve_rate_limited(self, body):
        self._rate_limited()

    def _rate_limited(self):
        self._error(429, "rate limit exceeded", "rate_limited", headers={
            "Retry-After": "3600", "X-RateLimit-Limit": "10", "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": str(int(time.time()) + 3600)})

    def serve_trickle(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        # 1 MiB: well under any cap on the size of an answer, and 12 days at this pace.
        self.send_header("Content-Length", str(1024 * 1024))
        self.end_headers()
        self.wfile.write(b"{")
        self.wfile.flush()
        started = time.time()
        try:
            while time.time() - started < HANDLER_LIFETIME:
                time.sleep(1)
                self.wfile.write(b" ")
                self.wfile.flush()
        except OSError:
            self.server.record("client left", self)
        self.close_connection = True

    def _page(self):
        query = dict(parse_qsl(urlsplit(self.path).query))
        try:
            return max(1, int(query.get("page", "1")))
        except ValueError:
            return 1

    def _link(self, page):
        base = "http://%s:%d%s" % (self.server.server_address[0], self.server.server_address[1],
                                   urlsplit(self.path).path)
        return '<%s?page=%d&limit=500>; rel="%s"' % (base, page, "%s")

    def serve_endless(self, body):
        if self.command != "GET":
            self._error(400, "read only")
            return
        page = self._page()
        links = [self._link(1) % "first", self._link(page + 1) % "next"]
        self._answer(200, {list_key(urlsplit(self.path).path): [fake_item(1)]}, {"Link": ", ".join(links)})

    def serve_last(self, body):
        if self.command != "GET":
            self._error(400, "read only")
            return
        page = self._page()
        links = [self._link(1) % "first", self._link(page + 1) % "next", self._link(LAST_PAGE) % "last"]
        self._answer(200, {list_key(urlsplit(self.path).path): [fake_item(page)]},
                     {"Link": ", ".join(links), "X-Total-Count": "1"})

    def serve_proxy(self, body):
        args = self.server.args
        if args.rate_limit and re.search(args.rate_limit, "%s %s" % (self.command, urlsplit(self.path).path)):
            self.server.record("rate limited", self)
            self._rate_limited()
            return
        if self.command == "POST" and args.hold_post:
            time.sleep(args.hold_post)
        upstream = urlsplit(args.upstream)
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
        headers = dict((name, value) for name, value in self.headers.items()
                       if name.lower() not in ("host", "connection", "content-length"))
        try:
            connection.request(self.command, self.path, body=body or None, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
        finally:
            connection.close()
        self.server.record("forwarded %d" % answer.status, self)
        try:
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in ("connection", "content-length", "transfer-encoding", "server", "date"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            # The client gave up waiting (its api_timeout): the write was carried out all the same.
            self.close_connection = True


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, args):
        super().__init__(("127.0.0.1", 0), Handler)
        self.args = args
        self.mode = args.mode
        self._lock = threading.Lock()

    def record(self, event, handler):
        line = json.dumps({"event": event, "method": handler.command, "path": handler.path,
                           "token": handler.headers.get("X-Auth-Token") is not None})
        with self._lock, open(self.args.log, "a") as log:
            log.write(line + "\n")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--log", required=True)
    modes = parser.add_subparsers(dest="mode", required=True)
    proxy = modes.add_parser("proxy")
    proxy.add_argument("upstream")
    proxy.add_argument("--hold-post", type=float, default=0.0)
    proxy.add_argument("--rate-limit", default=None)
    redirect = modes.add_parser("redirect")
    redirect.add_argument("status", type=int)
    redirect.add_argument("target")
    for mode in ("record", "trickle", "endless", "last", "rate-limited"):
        modes.add_parser(mode)
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    open(args.log, "a").close()
    server = FakeServer(args)
    sys.stdout.write("listening on http://127.0.0.1:%d/v1\n" % server.server_address[1])
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
