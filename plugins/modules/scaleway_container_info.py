#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: scaleway_container_info
short_description: List Scaleway object storage containers and, on request, their objects
version_added: 0.1.0
description:
  - Lists the containers of the Scaleway v1 API that the token can see, optionally only those matching
    O(id), O(name) or O(organization).
  - With O(include_objects=true), each container also lists its objects (their details, never their content).
  - One read (a page per 500 containers, or the container by O(id)), plus one when O(organization) is a name,
    plus one list of objects per container with O(include_objects=true); see
    R(What each task costs,ansible_collections.scaleway_v1.cloud.docsite.guide_requests).
  - This module changes nothing.
options:
  id:
    description:
      - Only the container with this id (a UUID; anything else fails before any request). An unknown id gives
        an empty list.
    type: str
  name:
    description:
      - Only containers with exactly this name (one per organization at most).
    type: str
  organization:
    description:
      - Only containers of this organization (id or name; a name costs one extra request).
    type: str
  include_objects:
    description:
      - Add to each container the list of its objects, fetched page by page (500 per request).
      - Objects are listed without their content; use M(scaleway_v1.cloud.scaleway_container_object) with
        O(scaleway_v1.cloud.scaleway_container_object#module:dest) to download one.
    type: bool
    default: false
extends_documentation_fragment:
  - scaleway_v1.cloud.scaleway
  - scaleway_v1.cloud.scaleway.attributes
attributes:
  check_mode:
    description: Can run in check mode; it changes nothing in any mode.
    support: full
  diff_mode:
    description: Returns no diff; it changes nothing.
    support: N/A
seealso:
  - module: scaleway_v1.cloud.scaleway_container
  - module: scaleway_v1.cloud.scaleway_container_object_info
author: scaleway_v1.cloud contributors (@scaleway-v1)
"""

EXAMPLES = r"""
- name: Make sure a container exists
  scaleway_v1.cloud.scaleway_container:
    name: backups

- name: Store one object in it
  scaleway_v1.cloud.scaleway_container_object:
    container: backups
    path: db/2026-01-15.sql
    content: "-- dump"

- name: List every container the token can see
  scaleway_v1.cloud.scaleway_container_info:
  register: all_containers

- name: Show one container by name, with its objects
  scaleway_v1.cloud.scaleway_container_info:
    name: backups
    include_objects: true
  register: backups

- name: Print the paths it holds
  ansible.builtin.debug:
    msg: "{{ backups.containers[0].objects | map(attribute='path') | list }}"
"""

RETURN = r"""
containers:
  description: The containers that match, in the API's order (creation time, then id).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The container's id.
      type: str
      sample: 0a4d6c8e-6d2b-4c1e-9f4b-3a7c2e9d1b5f
    name:
      description: The container's name.
      type: str
      sample: backups
    organization:
      description: The id of the organization that owns the container.
      type: str
      sample: 5c2a1d7e-8b3f-4e6a-9d0c-1f2e3a4b5c6d
    objects_count:
      description: How many objects the container holds.
      type: int
      sample: 1
    size:
      description: The total size of the container's objects, in bytes.
      type: int
      sample: 7
    creation_date:
      description: When the container was created (ISO 8601, UTC).
      type: str
      sample: "2026-01-15T10:04:05.000000Z"
    modification_date:
      description: When the container last changed (ISO 8601, UTC).
      type: str
      sample: "2026-01-15T10:04:05.000000Z"
    objects:
      description: The container's objects, without content.
      returned: when O(include_objects=true)
      type: list
      elements: dict
      contains:
        id:
          description: The object's id.
          type: str
          sample: 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b
        path:
          description: The object's path in the container.
          type: str
          sample: db/2026-01-15.sql
        container:
          description: The id of the container.
          type: str
          sample: 0a4d6c8e-6d2b-4c1e-9f4b-3a7c2e9d1b5f
        size:
          description: The content's size in bytes.
          type: int
          sample: 7
        checksum:
          description: The SHA-256 of the content, as C(sha256:<hex>).
          type: str
          sample: "sha256:2b6e5e4f0c5e1a3d8f7a9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e"
        content_type:
          description: The object's media type.
          type: str
          sample: application/octet-stream
        metadata:
          description: The object's metadata (strings).
          type: dict
          sample: {}
        creation_date:
          description: When the object was created (ISO 8601, UTC).
          type: str
          sample: "2026-01-15T10:04:05.000000Z"
        modification_date:
          description: When the object last changed (ISO 8601, UTC).
          type: str
          sample: "2026-01-15T10:04:05.000000Z"
"""

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.info import ScalewayInfoModule
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.objects import list_objects
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import CONTAINERS


class ScalewayContainerInfo(ScalewayInfoModule):
    kind = CONTAINERS
    filters = dict(name="name", organization="organization")
    id_options = dict(id="a container")
    details = dict(include_objects=("objects", "objects_of"))

    def objects_of(self, container):
        return list_objects(self.client, container["id"])


def main():
    ScalewayContainerInfo.run()


if __name__ == "__main__":
    main()
