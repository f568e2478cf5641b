# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""An in-memory API and a stand-in for ScalewayClient, for the inventory's unit tests.

FakeAPI answers list pages the way API-CONTRACT.md says (page/limit, ``Link`` with
rel="last", ``X-Total-Count``; tags carry ``metadatas`` and ``metadatas_count``) and records every call with the thread that made it.
FakeClient has the methods of ScalewayClient that the inventory uses.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import itertools
import threading
import uuid

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import (
    PAGE_LIMIT,
    REDACTED,
    Page,
    ScalewayAPIError,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.tags import EMBEDDED_METADATA_MAX

ORG = "5a1e7b2c-0000-4000-8000-000000000001"
OTHER_ORG = "5a1e7b2c-0000-4000-8000-000000000002"
TOKEN = "tok-9d8c7b6a-secret"
_ids = itertools.count(1)


def new_id():
    return str(uuid.UUID(int=next(_ids), version=4))


def tag(name, organization=ORG, tag_id=None, tag_type="user"):
    return {"id": tag_id or new_id(), "name": name, "type": tag_type, "organization": organization, "servers": 0}


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
        return Page(answer, links, len(items))

    def paths(self):
        return [call[0] for call in self.calls]

    def pages_of(self, path):
        return [call[1] for call in self.calls if call[0] == path]


class FakeClient:
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
        return FakeClient(self.api, **self.settings)

    def close(self):
        self.closed = True

    def redact(self, text):
        return ("%s" % (text,)).replace(self.settings.get("api_token") or TOKEN, REDACTED)


def api_error(path, status=503, message="the service is unavailable"):
    return ScalewayAPIError("GET", path, message, status=status, error_type="api_error", attempts=6)
