#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: scaleway_tag
short_description: Manage Scaleway tags and their metadata
version_added: 0.1.0
description:
  - Create, update and delete tags of the Scaleway v1 API, and reconcile each tag's metadata key by key.
  - A tag is found by O(id) when it is given, else by O(name) within O(organization). Tag names need not be
    unique in the API; when more than one tag has the name, the task fails and lists their ids, and O(id)
    selects one.
  - Attaching tags to servers is done by M(scaleway_v1.cloud.scaleway_server) (its C(tags) and C(purge_tags)
    options); this module manages the tag itself.
  - The dynamic inventory turns every tag into a group and its metadata into that group's variables.
  - A second run with nothing to change sends only reads - one for the tag (by id, or one page of 500 tags
    by name), which carries its metadata (only a tag of more than 100 entries costs one more read for them) -
    plus one to resolve O(organization) when it is given by name.
options:
  name:
    description:
      - Name of the tag.
      - Required to create a tag. With O(id), a different name renames the tag; without O(id) it is how the
        tag is found, so renaming needs O(id).
    type: str
  id:
    description:
      - Id (UUID) of an existing tag. The API chooses ids, so a tag is never created with O(id); an unknown
        id fails with O(state=present) and changes nothing with O(state=absent).
    type: str
  state:
    description:
      - V(present) creates the tag or updates it to match the options; V(absent) deletes it.
      - Deleting a tag detaches it from every server first (the API does this).
      - With V(absent), an object another run deleted after this task found it (the API answers its
        C(DELETE) with its own 404) counts as deleted; the task succeeds with C(changed=false).
    type: str
    choices: [present, absent]
    default: present
  organization:
    description:
      - Organization of the tag, by id or by name (a name costs one extra request to list organizations).
      - When finding by O(name), only tags of this organization are considered; without it, every tag the
        token can see. When creating, the tag is created in it; it may be left out when the token's user
        belongs to exactly one organization.
      - A tag found by O(id) in another organization fails; this module does not move tags between organizations.
    type: str
  type:
    description:
      - Type of the tag, a free string.
      - When creating without it, the API sets V(user). On an existing tag it is only compared when set.
    type: str
  metadata:
    description:
      - Metadata of the tag, a dict of string keys to string values. Keys are 1 to 128 characters long,
        values up to 4096 characters; values must be strings, so quote numbers and booleans.
      - A key is one segment of the URL that addresses it (V(a/b) included), so the keys V(.) and V(..)
        and keys with a control character are refused before any request. A tag that already holds such
        a key (written by another tool) fails the task naming C(metadatas[].key) instead of purging it.
      - Reconciled key by key - new keys are created, changed values updated and, with O(purge_metadata),
        keys that are not listed deleted; nothing else is sent.
      - Leave it out to keep the metadata as it is.
    type: dict
  purge_metadata:
    description:
      - Whether metadata keys that are not in O(metadata) are deleted.
      - With V(false), keys are only added or updated. Has no effect when O(metadata) is not set.
    type: bool
    default: true
notes:
  - Metadata keys and values and the form of O(id) are checked before any request.
  - If the answer to a create is lost, the module looks the tag (or the metadata key) up before trying
    again, so a retry never makes a duplicate.
  - The requests of every task (create, update, delete, check mode) are in
    R(What each task costs,ansible_collections.scaleway_v1.cloud.docsite.guide_requests).
extends_documentation_fragment:
  - scaleway_v1.cloud.scaleway
  - scaleway_v1.cloud.scaleway.attributes
attributes:
  check_mode:
    description: In check mode nothing is written; the result and the diff show what would change.
    support: full
  diff_mode:
    description: The diff shows the name, type and metadata of the tag before and after.
    support: full
seealso:
  - module: scaleway_v1.cloud.scaleway_tag_info
  - module: scaleway_v1.cloud.scaleway_server
author: scaleway_v1.cloud contributors (@scaleway-v1)
"""

EXAMPLES = r"""
- name: Create a tag with metadata (the inventory turns it into a group with these variables)
  scaleway_v1.cloud.scaleway_tag:
    name: web
    organization: demo
    metadata:
      role: frontend
      http_port: "8080"
  register: web_tag

- name: Manage the same tag by id (a different name here would rename it)
  scaleway_v1.cloud.scaleway_tag:
    id: "{{ web_tag.tag.id }}"
    name: web
    metadata:
      role: frontend
      http_port: "8080"

- name: Create a tag of another type and add a key without removing the keys set elsewhere
  scaleway_v1.cloud.scaleway_tag:
    name: backup
    type: policy
    metadata:
      schedule: daily
    purge_metadata: false

- name: Delete a tag (it is detached from its servers first)
  scaleway_v1.cloud.scaleway_tag:
    name: obsolete
    state: absent
"""

RETURN = r"""
tag:
  description:
    - The tag as the API returns it after the task, with its metadata as a dict.
    - V(null) when the tag is absent, and in check mode when it would be created.
  returned: always
  type: dict
  contains:
    id:
      description: Id of the tag.
      type: str
      sample: 6c2b1d7e-1a43-4d9f-8a6b-3f0c9e2d4b71
    name:
      description: Name of the tag.
      type: str
      sample: web
    type:
      description: Type of the tag.
      type: str
      sample: user
    organization:
      description: Id of the organization the tag belongs to.
      type: str
      sample: 0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0
    servers:
      description: Number of servers the tag is attached to.
      type: int
      sample: 2
    metadata:
      description: Metadata of the tag, key to value.
      type: dict
      sample: {"role": "frontend", "http_port": "8080"}
    creation_date:
      description: When the tag was created (ISO 8601, UTC).
      type: str
      sample: "2026-01-15T09:30:00Z"
    modification_date:
      description: When the tag was last changed (ISO 8601, UTC).
      type: str
      sample: "2026-01-15T09:35:12Z"
changed:
  description: Whether the tag or its metadata was (or, in check mode, would be) changed.
  returned: always
  type: bool
  sample: true
unattributed_copies:
  description: Ids of other tags of this name that appeared during the create and were left in place, with a warning,
    because this task cannot prove it made them (it deletes only its own); see the reliability guide.
  returned: when a create left such copies
  type: list
  elements: str
diff:
  description: Name, type and metadata of the tag before and after, when run with C(--diff).
  returned: when diff mode is on
  type: dict
  sample:
    before: {"name": "web", "type": "user", "metadata": {"role": "frontend"}}
    after: {"name": "web", "type": "user", "metadata": {"role": "frontend", "http_port": "8080"}}
"""

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.base import ScalewayResourceModule
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.common import dict_changes
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.tags import (
    METADATA_NOT_EMBEDDED,
    NOT_EMBEDDED_WARNING,
    MetadataPlan,
    check_tag_input,
    metadata_of,
    tag_view,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import TAGS

# The type the API gives a tag created without one.
DEFAULT_TAG_TYPE = "user"


class ScalewayTag(ScalewayResourceModule):
    resource = "tag"
    kind = TAGS
    argument_spec = dict(
        name=dict(type="str"),
        id=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        organization=dict(type="str"),
        type=dict(type="str"),
        metadata=dict(type="dict"),
        purge_metadata=dict(type="bool", default=True),
    )
    module_kwargs = dict(supports_check_mode=True, required_one_of=[("id", "name")])
    warned = False

    def validate(self):
        super(ScalewayTag, self).validate()
        check_tag_input(self.params)

    def diff_view(self, obj):
        return {"name": obj.get("name"), "type": obj.get("type"), "metadata": dict(obj.get("metadata") or {})}

    def loaded(self, obj):
        # The tag carries its metadata; only one with more entries than an answer embeds costs a read.
        metadata, read = metadata_of(self.client, obj)
        if read == METADATA_NOT_EMBEDDED and not self.warned:
            self.warned = True
            self.module.warn(NOT_EMBEDDED_WARNING)
        return tag_view(obj, metadata)

    def create_body(self):
        return dict((key, self.params[key]) for key in ("name", "type") if self.params[key] is not None)

    def plan_create(self, body):
        return {"name": body["name"], "type": body.get("type", DEFAULT_TAG_TYPE),
                "metadata": dict(self.params["metadata"] or {})}

    def _update(self):
        changes = dict_changes(self.current, {"name": self.params["name"], "type": self.params["type"]})
        wanted = self.params["metadata"]
        plan = MetadataPlan(self.current["metadata"], wanted or {}, purge=wanted is not None and self.params["purge_metadata"])
        if not changes and not plan:
            return False
        # Each listed key to delete goes into a URL: checked before the first write (the rename), and in check mode.
        deletes = plan.delete_paths(self.current["id"])
        if self.module.check_mode:
            self.planned_view = self.diff_view(dict(self.current, metadata=plan.result, **changes))
            return True
        path = self.object_path(self.current["id"])
        if changes:
            answer = self.client.update(path, "tag", changes)
            # With metadata writes to follow, the read after them gives the tag: its metadata is read once, there.
            self.current = answer if plan else self.loaded(answer)
        if plan:
            plan.apply(self.client, self.current["id"], deletes)
            # A metadata write changes the tag's modification_date: one read returns the tag as it now is.
            self.current = self.loaded(self.client.get(path, "tag"))
        return True


def main():
    ScalewayTag.run()


if __name__ == "__main__":
    main()
