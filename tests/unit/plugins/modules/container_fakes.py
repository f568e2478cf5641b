# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Test doubles for the container modules: an AnsibleModule and a client that record what they are asked."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import shutil

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import ScalewayAPIError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.objects import sha256_bytes

CONTAINER_ID = "0a4d6c8e-6d2b-4c1e-9f4b-3a7c2e9d1b5f"
ORG_ID = "5c2a1d7e-8b3f-4e6a-9d0c-1f2e3a4b5c6d"
OTHER_ORG_ID = "7d3b2e8f-9c4a-4f7b-8e1d-2a3b4c5d6e7f"


class Failed(Exception):
    def __init__(self, result):
        self.result = result
        super(Failed, self).__init__(result.get("msg"))


class FakeModule:
    """The parts of AnsibleModule the modules use; fail_json raises so a test can inspect the failure."""

    def __init__(self, params, check_mode=False, diff=False):
        self.params = dict(api_url="http://127.0.0.1:1/v1", api_token="test-token", api_timeout=5,
                           api_retries=0, validate_certs=True, ca_path=None)
        self.params.update(params)
        self.check_mode = check_mode
        self._diff = diff

    def fail_json(self, **result):
        raise Failed(result)

    def warn(self, msg):
        raise AssertionError("unexpected warning: %s" % msg)

    def debug(self, msg):
        pass

    def atomic_move(self, src, dest):
        shutil.move(src, dest)


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

    def delete(self, path):
        self.calls.append(("DELETE", path, None))


def make(module_class, params, client, check_mode=False, diff=False):
    """An instance of a module class on a FakeModule, talking to ``client``."""
    instance = module_class(FakeModule(params, check_mode=check_mode, diff=diff))
    instance.client = client
    return instance
