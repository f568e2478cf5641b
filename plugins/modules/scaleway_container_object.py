#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: scaleway_container_object
short_description: Upload, download and delete objects in a Scaleway container
version_added: 0.1.0
description:
  - Manages one object of a Scaleway v1 container, addressed by its O(path).
  - "Upload: with O(src) (a file) or O(content) (a string), the object gets that content. Uploads are
    idempotent by checksum: the module computes the SHA-256 of the local data and compares it with the
    object's C(checksum), so an unchanged file costs one read of the object (plus one of the containers when
    O(container) is a name) and is never sent again."
  - The requests of every task (create, update, delete, check mode) are in
    R(What each task costs,ansible_collections.scaleway_v1.cloud.docsite.guide_requests).
  - "Download: with O(dest), the object is written to that local file. The transfer is skipped when O(dest)
    already has the object's checksum. The file is written to a temporary file beside O(dest) and then
    moved into place, so a reader never sees a partial file."
  - "Metadata and content type only: with O(state=present) and none of O(src), O(content), O(dest), the
    module changes O(metadata) and O(content_type) of an existing object and fails if there is none."
  - O(state=absent) deletes the object. A missing object, or a missing container, is already absent.
  - "Another run may create the same object at the same time: when the API answers the upload's POST with
    C(conflict), the object that run made is compared like an existing one and replaced only when it differs."
  - Paths are checked against the API's rules before any request, so an invalid path sends nothing.
options:
  container:
    description:
      - The container, by id or by name. A value shaped like a UUID is taken as an id.
      - The container must exist for O(state=present); create it with M(scaleway_v1.cloud.scaleway_container).
    type: str
    required: true
  organization:
    description:
      - The organization (id or name) whose container named O(container) is meant, for a name that exists in
        several organizations.
      - When O(container) is an id, that container must belong to this organization, else the task fails naming
        O(organization) (whether or not the object exists), before any write; the container is then read before the object (one more request).
    type: str
  path:
    description:
      - The object's path in the container, for example V(site/index.html). Spaces, unicode and C(/) are allowed.
      - It must be 1 to 1024 bytes of UTF-8, must not start with C(/), must not contain an empty, C(.) or C(..)
        segment, nor control characters.
    type: str
    required: true
  state:
    description:
      - V(present) makes sure the object exists (uploaded from O(src) or O(content), or downloaded to O(dest)).
      - V(absent) deletes it.
      - With V(absent), an object another run deleted after this task found it (the API answers its
        C(DELETE) with its own 404) counts as deleted; the task succeeds with C(changed=false).
    type: str
    choices: [present, absent]
    default: present
  src:
    description:
      - A local file whose content the object should have.
      - The file is read on the host the module runs on, the managed host of the task; with
        C(connection=local) or C(delegate_to=localhost), that is the controller.
      - At most 32 MiB (33554432 bytes), the API's limit for one object; a larger file fails before any upload.
      - Mutually exclusive with O(content) and O(dest).
    type: path
  content:
    description:
      - The content the object should have, as a string (stored as UTF-8).
      - At most 32 MiB once encoded. Mutually exclusive with O(src) and O(dest).
    type: str
  dest:
    description:
      - Download the object to this local file on the host the module runs on.
      - The file is only written when it is missing or its SHA-256 differs from the object's checksum; the
        downloaded data is checked against that checksum before it replaces O(dest).
      - The directory of O(dest) must exist. An existing file keeps its owner and mode.
      - Needs O(state=present). Mutually exclusive with O(src), O(content), O(metadata) and O(content_type),
        because a download changes nothing in the container.
    type: path
  content_type:
    description:
      - The object's media type, for example V(text/html).
      - When not set, a new object gets the API's default V(application/octet-stream) and an existing object
        keeps its content type. The type is never guessed from the path.
    type: str
  metadata:
    description:
      - Metadata of the object, a dict of string keys to string values.
      - When not set, the object's metadata is left as it is.
      - See O(purge_metadata) for what happens to keys not listed here.
    type: dict
  purge_metadata:
    description:
      - When V(true) and O(metadata) is set, the object's metadata becomes exactly O(metadata); keys not
        listed are removed.
      - When V(false), the keys of O(metadata) are added or changed and other keys are kept.
    type: bool
    default: true
extends_documentation_fragment:
  - scaleway_v1.cloud.scaleway
  - scaleway_v1.cloud.scaleway.attributes
attributes:
  check_mode:
    description:
      - Can run in check mode and return changed status prediction without writing to the container or
        to O(dest); check mode downloads nothing.
    support: full
  diff_mode:
    description:
      - Returns the object's path, checksum, content type and metadata before and after the change;
        for a download, the checksum of O(dest) before and after.
    support: full
notes:
  - Content is sent and received base64-encoded inside JSON, so one transfer needs memory for the whole
    object (up to 32 MiB, about 43 MiB encoded). Checksums of O(src) and O(dest) are computed without
    reading the file into memory at once.
  - The module never returns an object's content.
seealso:
  - module: scaleway_v1.cloud.scaleway_container
  - module: scaleway_v1.cloud.scaleway_container_object_info
author: scaleway_v1.cloud contributors (@scaleway-v1)
"""

EXAMPLES = r"""
- name: Create the container
  scaleway_v1.cloud.scaleway_container:
    name: website

- name: Upload a page from a string; its metadata becomes exactly these keys
  scaleway_v1.cloud.scaleway_container_object:
    container: website
    path: pages/index.html
    content: "<h1>Welcome</h1>"
    content_type: text/html
    metadata:
      owner: web-team

- name: Download the page; skipped when the local file already has the same checksum
  scaleway_v1.cloud.scaleway_container_object:
    container: website
    path: pages/index.html
    dest: /tmp/index.html

- name: Upload a local file (read on the host the task runs on); an unchanged file is not sent again
  scaleway_v1.cloud.scaleway_container_object:
    container: website
    path: "archive/page d'accueil été.html"
    src: /tmp/index.html
    content_type: text/html

- name: Add a metadata key to the copy, keeping the keys it has
  scaleway_v1.cloud.scaleway_container_object:
    container: website
    path: "archive/page d'accueil été.html"
    metadata:
      archived: "2026-01-15"
    purge_metadata: false

- name: Delete an object (nothing to do when it does not exist)
  scaleway_v1.cloud.scaleway_container_object:
    container: website
    path: drafts/old page.html
    state: absent
"""

RETURN = r"""
object:
  description:
    - The object after the task, without its content; null when it was deleted or is absent, or when
      check mode would have created it.
  returned: always
  type: dict
  contains:
    id:
      description: The object's id.
      type: str
      sample: 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b
    path:
      description: The object's path in the container.
      type: str
      sample: pages/index.html
    container:
      description: The id of the container.
      type: str
      sample: 0a4d6c8e-6d2b-4c1e-9f4b-3a7c2e9d1b5f
    size:
      description: The content's size in bytes.
      type: int
      sample: 16
    checksum:
      description: The SHA-256 of the content, as C(sha256:<hex>).
      type: str
      sample: "sha256:1f8ac10f23c5b5bc1167bda84b833e5c057a77d2d3d7e1e8e2b1d4c0a2f3e4d5"
    content_type:
      description: The object's media type.
      type: str
      sample: text/html
    metadata:
      description: The object's metadata (strings).
      type: dict
      sample: {"owner": "web-team"}
    creation_date:
      description: When the object was created (ISO 8601, UTC).
      type: str
      sample: "2026-01-15T10:04:05.000000Z"
    modification_date:
      description: When the object last changed (ISO 8601, UTC).
      type: str
      sample: "2026-01-15T10:04:05.000000Z"
dest:
  description:
    - The local file the object was downloaded to (or already matched).
    - As with other modules that write files, the result then also carries the file's C(owner), C(group),
      C(mode), C(uid), C(gid), C(size) and C(state).
  returned: when O(dest) is set
  type: str
  sample: /tmp/index.html
diff:
  description:
    - For uploads and deletes, the object's path, checksum, content type and metadata before and after.
    - For downloads, O(dest) and its checksum before (null when it did not exist) and after.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"path": "pages/index.html", "checksum": "sha256:1f8a...", "content_type": "text/html",
                      "metadata": {"owner": "web-team"}},
           "after": {"path": "pages/index.html", "checksum": "sha256:9c2e...", "content_type": "text/html",
                     "metadata": {"owner": "web-team"}}}
"""

import base64
import binascii
import os
import tempfile

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.base import ScalewayResourceModule
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.checks import check_state_options, check_text
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayInputError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.objects import (
    DEFAULT_CONTENT_TYPE,
    check_metadata,
    check_object_path,
    check_size,
    container_and_object,
    create_object,
    encode_base64,
    existing_file_checksum,
    local_file_checksum,
    missing_container,
    object_url,
    object_view,
    read_base64,
    same_checksum,
    sha256_bytes,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import OBJECTS

# Options that only make sense when the object should exist.
PRESENT_ONLY = ("src", "content", "dest", "content_type", "metadata")


def wanted_metadata(current, metadata, purge):
    """The metadata the object should end up with, or None to leave it as it is."""
    if metadata is None:
        return None
    if purge:
        return dict(metadata)
    merged = dict(current or {})
    merged.update(metadata)
    return merged


class ScalewayContainerObject(ScalewayResourceModule):
    resource = "object"
    kind = OBJECTS
    # Found by path within its container, not by id or name: find() and create() are its own.
    owned = False
    argument_spec = dict(
        container=dict(type="str", required=True),
        organization=dict(type="str"),
        path=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        src=dict(type="path"),
        content=dict(type="str"),
        dest=dict(type="path"),
        content_type=dict(type="str"),
        metadata=dict(type="dict"),
        purge_metadata=dict(type="bool", default=True),
    )
    module_kwargs = dict(
        supports_check_mode=True,
        mutually_exclusive=[("src", "content", "dest"), ("dest", "metadata"), ("dest", "content_type")],
    )

    def __init__(self, module):
        super(ScalewayContainerObject, self).__init__(module)
        self.organization = None
        self.container_id = None
        self.local_checksum = None
        self.dest_checksum = None
        self.metadata = None
        # The object another run created between our lookup and our POST, and whether we then changed it.
        self.adopted = None
        self.adopted_changed = False

    def diff_view(self, obj):
        return {
            "path": obj.get("path"),
            "checksum": obj.get("checksum"),
            "content_type": obj.get("content_type"),
            "metadata": obj.get("metadata") or {},
        }

    def execute(self):
        self.organization = self.organization_id(self.params["organization"])
        if self.params["dest"]:
            self._download()
        else:
            super(ScalewayContainerObject, self).execute()
            if self.adopted is not None:
                self.result["changed"] = self.adopted_changed
                self.set_diff(self.diff_view(self.adopted), self._after_view())
        self.result["object"] = object_view(self.result.get("object"))

    def validate(self):
        """Everything that can be checked without a request, so bad input sends nothing."""
        params = self.params
        check_object_path(params["path"])
        if params["state"] == "absent":
            check_state_options(params, self.argument_spec, {"absent": PRESENT_ONLY})
            return
        check_text("content_type", params["content_type"])
        self.metadata = check_metadata(params["metadata"])
        if params["src"] is not None:
            self.local_checksum = local_file_checksum(params["src"], "src")
        elif params["content"] is not None:
            data = params["content"].encode("utf-8")
            check_size(len(data), "content")
            self.local_checksum = sha256_bytes(data)
        elif params["dest"] is not None:
            self.dest_checksum = existing_file_checksum(params["dest"], "dest")

    def _content_base64(self):
        if self.params["src"] is not None:
            return read_base64(self.params["src"], "src")
        return encode_base64(self.params["content"].encode("utf-8"))

    def _url(self):
        return object_url(self.container_id, self.params["path"])

    def _find(self):
        self.container_id, found = container_and_object(
            self, self.params["container"], self.params["path"], self.organization)
        return found

    def _require_container(self):
        if self.container_id is None:
            raise missing_container(self.params["container"], self.organization)

    # -- upload, update, delete ------------------------------------------------------------

    def find(self):
        found = self._find()
        if self.params["state"] == "present":
            self._require_container()
        return found

    def create(self):
        if self.local_checksum is None:
            # Only reads were sent: the failure reports changed=false, and names what to add.
            raise ScalewayInputError("src", "there is no object %r in container %s, and without src or content it "
                                     "cannot be created; give src or content (content_type and metadata alone only "
                                     "change an existing object)" % (self.params["path"], self.params["container"]))
        self.result["changed"] = True
        if self.module.check_mode:
            self.planned_view = {
                "path": self.params["path"],
                "checksum": self.local_checksum,
                "content_type": self.params["content_type"] or DEFAULT_CONTENT_TYPE,
                "metadata": self.metadata or {},
            }
            return
        body = {"path": self.params["path"], "content": self._content_base64()}
        if self.params["content_type"] is not None:
            body["content_type"] = self.params["content_type"]
        if self.metadata is not None:
            body["metadata"] = self.metadata
        self.current, created = create_object(self.client, self.container_id, body, self.local_checksum)
        if created:
            self._verify_stored()
            return
        # Another run created the object meanwhile: compare with it, as if it had been found first.
        self.adopted = self.current
        self.adopted_changed = self._update()

    def _update(self):
        current = self.current
        changes = {}
        if self.local_checksum is not None and not same_checksum(current.get("checksum"), self.local_checksum):
            changes["checksum"] = self.local_checksum
        content_type = self.params["content_type"]
        if content_type is not None and content_type != current.get("content_type"):
            changes["content_type"] = content_type
        metadata = wanted_metadata(current.get("metadata"), self.metadata, self.params["purge_metadata"])
        if metadata is not None and metadata != (current.get("metadata") or {}):
            changes["metadata"] = metadata
        if not changes:
            return False
        if self.module.check_mode:
            self.planned_view = self.diff_view(dict(current, **changes))
            return True
        body = dict(changes)
        if body.pop("checksum", None):
            body["content"] = self._content_base64()
        self.current = self.client.update(self._url(), "object", body)
        if "content" in body:
            self._verify_stored()
        return True

    def _verify_stored(self):
        stored = self.current.get("checksum")
        if not same_checksum(stored, self.local_checksum):
            self.fail("the API stored the object %r with checksum %s, but the uploaded content has %s"
                      % (self.params["path"], stored, self.local_checksum), changed=True,
                      object=object_view(self.current))

    def _delete(self):
        if self.module.check_mode:
            return True
        return self.client.delete(self._url(), missing_ok=True)

    # -- download --------------------------------------------------------------------------

    def _download(self):
        dest = self.params["dest"]
        found = self._find()
        self._require_container()
        if found is None:
            raise ScalewayInputError("path", "there is no object %r in container %s to download"
                                     % (self.params["path"], self.params["container"]))
        self.result.update(object=found, dest=dest)
        remote = found.get("checksum")
        if same_checksum(self.dest_checksum, remote):
            return
        self.result["changed"] = True
        self.set_diff({"dest": dest, "checksum": self.dest_checksum}, {"dest": dest, "checksum": remote})
        if self.module.check_mode:
            return
        full = self.client.get(self._url(), "object", params={"include_content": "true"})
        try:
            data = base64.b64decode(full.get("content") or "", validate=True)
        except (binascii.Error, TypeError) as exc:
            self.fail("the API answered object %r with content that is not base64: %s" % (self.params["path"], exc),
                      changed=False)
        if not same_checksum(sha256_bytes(data), full.get("checksum")):
            self.fail("the content downloaded for object %r does not match its checksum %s; %s was left as it was"
                      % (self.params["path"], full.get("checksum"), dest), changed=False)
        self._write_atomically(dest, data)
        self.result["object"] = full

    def _write_atomically(self, dest, data):
        # A temporary file in the same directory makes the final rename atomic (same filesystem).
        handle, temporary = tempfile.mkstemp(prefix=".ansible_tmp_", dir=os.path.dirname(os.path.abspath(dest)))
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            self.module.atomic_move(temporary, dest)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)


def main():
    ScalewayContainerObject.run()


if __name__ == "__main__":
    main()
