"""Helpers for the simulator's tests: a keep-alive client and assertions on the API's errors (docs/docsite/rst/guide_api.rst).

A module of its own rather than conftest.py, so that tests import it the same way under plain
pytest and under ansible-test (which imports test files as collection packages).
"""

import http.client
import json
import os
import sys
import time
from urllib.parse import quote

SIMULATOR_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "simulator")
if SIMULATOR_DIR not in sys.path:
    sys.path.insert(0, SIMULATOR_DIR)

DEFAULT_FIXTURES = {"users": [{"token": "demo-token", "organizations": ["demo"]}]}
TENANT_FIXTURES = {
    "users": [
        {"token": "alice-token", "organizations": ["alpha"]},
        {"token": "bob-token", "organizations": ["beta"]},
        {"token": "carol-token", "organizations": ["alpha", "gamma"]},
    ],
    "snapshots": ["snap-1"],
}
# The transition delay the session's simulator starts with: short, so lifecycle tests wait little.
TEST_DELAY = 0.05


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<Answer {self.status} {self.body[:300]!r}>"


class Client:
    """A keep-alive JSON client. Paths starting with /_sim are sent as they are, others under /v1."""

    def __init__(self, port, token="demo-token"):
        self.port = port
        self.token = token
        self.connection = None

    def request(self, method, path, body=None, token=None, headers=None, raw_body=None):
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = dict(headers or {})
        token = self.token if token is None else token
        if token:
            sent["X-Auth-Token"] = token
        payload = raw_body if raw_body is not None else (None if body is None else json.dumps(body).encode("utf-8"))
        if payload is not None:
            sent.setdefault("Content-Type", "application/json")
        url = path if path.startswith("/_sim") else "/v1" + path
        try:
            self.connection.request(method, url, body=payload, headers=sent)
            response = self.connection.getresponse()
            return Answer(response.status, response.headers, response.read())
        except (OSError, http.client.HTTPException):
            self.close()
            raise

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.request("POST", path, body, **kwargs)

    def put(self, path, body=None, **kwargs):
        return self.request("PUT", path, body, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def ok(self, method, path, body=None, status=None, **kwargs):
        """Send and return the decoded body, failing the test unless the status is the expected one (any 2xx if None)."""
        answer = self.request(method, path, body, **kwargs)
        if status is None:
            assert 200 <= answer.status < 300, answer
        else:
            assert answer.status == status, answer
        return answer.json() if answer.body else None

    def create(self, plural, body, singular):
        return self.ok("POST", "/" + plural, body, 201)[singular]


def error_of(answer, status, code=None, param=None):
    """Assert an error answer's status and body, and return the body."""
    assert answer.status == status, answer
    body = answer.json()
    assert body["type"] == ("api_error" if status >= 500 else "invalid_request_error")
    assert body["code"] == code
    assert body["param"] == param
    assert body["message"]
    return body


def quote_path(path):
    return quote(path, safe="/")


def wait_for(probe, timeout=3.0):
    """Poll `probe` until it returns a truthy value; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.01)
