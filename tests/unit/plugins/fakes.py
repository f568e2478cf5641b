# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The test doubles of the unit tests, in one place.

- ``make_response``, ``FakeSession``: a ``requests`` session answering a script of
  responses (or exceptions), for the client's own tests.
- ``ScriptedApi``: a session answering a script of (method, path, status, body),
  so that a module test states exactly which requests a task makes; ``run_module``
  runs one task of a module class against it.
- ``FakeModule``, ``Failed``: the part of AnsibleModule the module classes use.
- ``FakeClient``, ``make``: a client double answering from fixed resources, for
  module tests that need no HTTP at all.
- ``FakeAPI``, ``FakePagingClient``: an in-memory paged API (Link, X-Total-Count,
  tags carrying their metadata) and the client methods the inventory uses.
The in-process simulator for end-to-end module tests is ``modules/simulator_fixture.py``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import itertools
import json
import shutil
import threading
import uuid
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime

import requests

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import ScalewayClient
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import REDACTED, ScalewayAPIError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.pages import PAGE_LIMIT, Page
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.objects import sha256_bytes
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.tags import EMBEDDED_METADATA_MAX

API = "https://api.example.test/v1"
# Ids the module tests use: the organization, a container, a tag and another object of the same kind.
ORG_ID = "5c2a1d7e-8b3f-4e6a-9d0c-1f2e3a4b5c6d"
OTHER_ORG_ID = "7d3b2e8f-9c4a-4f7b-8e1d-2a3b4c5d6e7f"
CONTAINER_ID = "0a4d6c8e-6d2b-4c1e-9f4b-3a7c2e9d1b5f"
TAG_ID = "6c2b1d7e-1a43-4d9f-8a6b-3f0c9e2d4b71"
OTHER_ID = "7d3c2e8f-2b54-4e0a-9b7c-4a1d0f3e5c82"


# -- HTTP sessions ------------------------------------------------------------------------------

def make_response(status, body=None, headers=None, text=None):
    response = requests.Response()
    response.status_code = status
    response.reason = {200: "OK", 201: "Created", 204: "No Content", 404: "Not Found", 429: "Too Many Requests",
                       500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}.get(status, "")
    if text is not None:
        response._content = text.encode("utf-8")
    elif body is not None:
        response._content = json.dumps(body).encode("utf-8")
        response.headers["Content-Type"] = "application/json"
    else:
        response._content = b""
    response.headers.update(headers or {})
    return response


class FakeSession:
    """Answers requests from a script; records every call. An exception in the script is raised."""

    def __init__(self, script):
        self.script = list(script)
        self.calls = []
        self.headers = {}
        self.verify = True

    def request(self, method, url, params=None, json=None, timeout=None, verify=None, allow_redirects=True,
                stream=False):
        self.calls.append({"method": method, "url": url, "params": dict(params or {}), "json": json,
                           "timeout": timeout, "verify": verify, "headers": dict(self.headers),
                           "allow_redirects": allow_redirects, "stream": stream})
        if not self.script:
            raise AssertionError("unexpected request %s %s" % (method, url))
        answer = self.script.pop(0)
        if callable(answer):
            answer = answer(method, url, params)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def close(self):
        pass


class ScriptedApi:
    """A requests session that answers a script of (method, path, status, body[, headers]); anything else fails.

    A ``status`` of None drops the connection after the request was sent (a lost answer).
    """

    def __init__(self, script):
        self.script = list(script)
        self.calls = []
        self.headers = {}
        self.verify = True

    def request(self, method, url, params=None, json=None, **_settings):
        path = url[len(API):]
        # requests leaves parameters whose value is None out of the query string.
        query = dict((key, value) for key, value in (params or {}).items() if value is not None)
        self.calls.append((method, path, query, json))
        assert self.script, "unexpected request %s %s" % (method, path)
        expected = self.script.pop(0)
        assert (method, path) == expected[:2], "expected %s %s, got %s %s" % (expected[0], expected[1], method, path)
        if expected[2] is None:
            raise requests.exceptions.ConnectionError("('Connection aborted.', RemoteDisconnected('closed'))")
        return make_response(*expected[2:])

    @property
    def writes(self):
        return [(method, path) for method, path, _params, _body in self.calls if method != "GET"]


# -- answers as the API gives them ----------------------------------------------------------------

def page(key, items):
    return {key: items}


def entries(metadata):
    """A page of a tag's metadata entries."""
    return page("metadatas", [{"key": key, "value": value} for key, value in metadata.items()])


def api_tag(name="web", tag_id=TAG_ID, kind="user", servers=0, metadata=(), created="2026-01-15T09:30:00Z"):
    """A tag as the API returns it, carrying its metadata; ``metadata=None``: an API that does not embed it."""
    found = {"id": tag_id, "name": name, "type": kind, "organization": ORG_ID, "servers": servers,
             "creation_date": created, "modification_date": created}
    if metadata is not None:
        found.update(metadatas=entries(dict(metadata))["metadatas"], metadatas_count=len(dict(metadata)))
    return found


# -- modules ------------------------------------------------------------------------------------

class Failed(Exception):
    """What ``FakeModule.fail_json`` raises; ``result`` is the failure result."""

    def __init__(self, result):
        self.result = result
        super(Failed, self).__init__(result.get("msg"))


class FakeModule:
    """The parts of AnsibleModule the module classes use; fail_json raises Failed.

    A warning fails the test unless ``warn`` (a callable) collects it.
    """

    def __init__(self, params, check_mode=False, diff=False, warn=None):
        self.params = dict(api_url="http://127.0.0.1:1/v1", api_token="test-token", api_timeout=5,
                           api_retries=0, validate_certs=True, ca_path=None)
        self.params.update(params)
        self.check_mode = check_mode
        self._diff = diff
        self._warn = warn

    def fail_json(self, **result):
        raise Failed(result)

    def warn(self, message):
        if self._warn is None:
            raise AssertionError("unexpected warning: %s" % message)
        self._warn(message)

    def debug(self, message):
        pass

    def atomic_move(self, src, dest):
        shutil.move(src, dest)


def run_module(cls, api, params, check_mode=False, diff=True, warn=None):
    """Run one task of module class ``cls`` against ``api``; return (failed, result). The script must be used up."""
    full = dict((name, spec.get("default")) for name, spec in cls.argument_spec.items())
    full.update(api_url=API, api_token="token-for-tests", api_timeout=30, api_retries=2, validate_certs=True,
                ca_path=None)
    full.update(params)
    instance = cls(FakeModule(full, check_mode=check_mode, diff=diff, warn=warn))
    instance.client = ScalewayClient(api_url=API, api_token="token-for-tests", retries=2, session=api,
                                     sleep=lambda seconds: None)
    try:
        instance.perform()
        outcome = (False, instance.result)
    except Failed as failed:
        outcome = (True, failed.result)
    assert not api.script, "requests not made: %s" % (api.script,)
    return outcome


class FakeClient:
    """Answers from ``resources`` (path -> resource) and ``lists`` (path -> items); records every call."""

    def __init__(self, resources=None, lists=None):
        self.resources = dict(resources or {})
        self.lists = dict(lists or {})
        self.calls = []

    def redact(self, text):
        return text

    def writes(self):
        return [call for call in self.calls if call[0] in ("POST", "PUT", "DELETE")]

    def get_or_none(self, path, key, params=None):
        self.calls.append(("GET", path, params))
        return self.resources.get(path)

    def get(self, path, key, params=None):
        found = self.get_or_none(path, key, params)
        if found is None:
            raise ScalewayAPIError("GET", path, "not found", status=404)
        return found

    def paginate(self, path, key, params=None):
        self.calls.append(("GET", path, params))
        return iter(self.lists.get(path, []))

    def list(self, path, key, params=None):
        return list(self.paginate(path, key, params))

    def create(self, path, key, body, lookup=None):
        self.calls.append(("POST", path, body))
        return dict(body, id="new")

    def update(self, path, key, body):
        self.calls.append(("PUT", path, body))
        updated = dict(self.resources[path], **body)
        if "content" in body:
            # Like the API: the stored checksum follows the content, which is not returned.
            updated["checksum"] = sha256_bytes(base64.b64decode(updated.pop("content")))
        return updated

    def delete(self, path, missing_ok=False):
        self.calls.append(("DELETE", path, None))
        return True


def make(module_class, params, client, check_mode=False, diff=False):
    """An instance of a module class on a FakeModule, talking to ``client``."""
    instance = module_class(FakeModule(params, check_mode=check_mode, diff=diff))
    instance.client = client
    return instance


# -- the inventory's paged API ----------------------------------------------------------------

ORG = "5a1e7b2c-0000-4000-8000-000000000001"
OTHER_ORG = "5a1e7b2c-0000-4000-8000-000000000002"
TOKEN = "tok-9d8c7b6a-secret"
_ids = itertools.count(1)


def new_id():
    return str(uuid.UUID(int=next(_ids), version=4))


def tag(name, organization=ORG, tag_id=None, tag_type="user"):
    return {"id": tag_id or new_id(), "name": name, "type": tag_type, "organization": organization, "servers": 0,
            "creation_date": "2026-01-01T00:00:00+00:00"}


def server(name, tags=(), state="running", public_ip="203.0.113.10", private_ip="10.1.2.3", organization=ORG,
           server_id=None, image="0ab1c2d3-0000-4000-8000-00000000000a", volumes=None):
    """An API server; ``tags`` are tag dicts (as made by tag()) attached in that order."""
    return {
        "id": server_id or new_id(),
        "name": name,
        "organization": organization,
        "image": image,
        "commercial_type": "VC1S",
        "state": state,
        "volumes": volumes if volumes is not None else {},
        "tags": [{"id": t["id"], "name": t["name"]} for t in tags],
        "public_ip": {"address": public_ip} if public_ip else None,
        "private_ip": private_ip,
        "creation_date": "2026-01-01T00:00:00+00:00",
        "modification_date": "2026-01-01T00:00:00+00:00",
    }


FAKE_DATE = "Tue, 01 Jan 2030 00:00:00 GMT"


class FakeAPI:
    """Lists held in memory, answered page by page; ``failures`` maps (path, page) to an exception to raise."""

    def __init__(self, servers=(), tags=(), metadata=None, organizations=()):
        self.lists = {
            "/servers": list(servers),
            "/tags": list(tags),
            "/organizations/summary": list(organizations),
        }
        for tag_id, entries in (metadata or {}).items():
            self.lists["/tags/%s/metadatas" % tag_id] = [{"key": key, "value": value} for key, value in entries]
        self.failures = {}
        # False: answer without the rel="last" link, as an API that only says rel="next" would.
        self.link_last = True
        # True: each tag of the tag list carries its metadata (its first 100 entries and metadatas_count), as the
        # API does; False: tags come without the fields, as an older API sends them.
        self.embed_metadata = True
        # Extra items that appear in a list after a given number of reads of it (a list changing while read).
        self.growth = {}
        # The HTTP Date of every answer: later than any creation_date of the fixtures (lists.py compares them).
        self.date = FAKE_DATE
        self.sleeps = []
        # Callables run before the given read (1-based count of all page reads), under the lock.
        self.before_read = {}
        self.calls = []
        self.threads = set()
        self.clients = []
        self._lock = threading.Lock()

    def page(self, path, key, params, number, limit):
        with self._lock:
            self.calls.append((path, number, limit, dict(params or {})))
            self.threads.add(threading.current_thread().name)
            reads = sum(1 for call in self.calls if call[0] == path)
            for after, items in self.growth.get(path, []):
                if reads == after + 1:
                    self.lists[path] = items + self.lists[path]
            action = self.before_read.get(len(self.calls))
            if action is not None:
                action()
        failure = self.failures.get((path, number))
        if failure is not None:
            raise failure
        items = self.lists.get(path, [])
        last = max(1, (len(items) + limit - 1) // limit)
        links = {"first": "https://api.example.test/v1%s?page=1&limit=%d" % (path, limit),
                 "last": "https://api.example.test/v1%s?page=%d&limit=%d" % (path, last, limit)}
        if number < last:
            links["next"] = "https://api.example.test/v1%s?page=%d&limit=%d" % (path, number + 1, limit)
        if not self.link_last:
            del links["last"]
        start = (number - 1) * limit
        answer = [dict(item) for item in items[start:start + limit]]
        if path == "/tags" and self.embed_metadata:
            for item in answer:
                entries = self.lists.get("/tags/%s/metadatas" % item["id"], [])
                item.update(metadatas=[dict(entry) for entry in entries[:EMBEDDED_METADATA_MAX]],
                            metadatas_count=len(entries))
        return Page(answer, links, len(items), path=path, number=number, limit=limit, date=self.date)

    def paths(self):
        return [call[0] for call in self.calls]

    def pages_of(self, path):
        return [call[1] for call in self.calls if call[0] == path]


class FakePagingClient:
    """The parts of ScalewayClient that the inventory uses, answering from a FakeAPI."""

    def __init__(self, api, **settings):
        self.api = api
        self.settings = settings
        self.api_url = settings.get("api_url")
        self.closed = False
        api.clients.append(self)

    def get_page(self, path, key, params=None, page=1, limit=PAGE_LIMIT):
        return self.api.page(path, key, params, page, limit)

    def list(self, path, key, params=None, limit=PAGE_LIMIT):
        items = []
        number = 1
        while True:
            page = self.get_page(path, key, params=params, page=number, limit=limit)
            items.extend(page.items)
            if not page.has_next:
                return items
            number += 1

    def clone(self):
        return FakePagingClient(self.api, **self.settings)

    def sleep(self, seconds):
        """The wait of lists.read_whole before reading again a list with objects created around a read.

        No real wait: the API's clock (the Date of its answers) moves on by ``seconds``.
        """
        self.api.sleeps.append(seconds)
        later = parsedate_to_datetime(self.api.date) + timedelta(seconds=seconds)
        self.api.date = format_datetime(later, usegmt=True)

    def past_deadline(self, seconds):
        return False

    def close(self):
        self.closed = True

    def redact(self, text):
        return ("%s" % (text,)).replace(self.settings.get("api_token") or TOKEN, REDACTED)


def api_error(path, status=503, message="the service is unavailable"):
    return ScalewayAPIError("GET", path, message, status=status, error_type="api_error", attempts=6)
