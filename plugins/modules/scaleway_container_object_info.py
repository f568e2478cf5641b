#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: scaleway_container_object_info
short_description: List the objects of a Scaleway container
version_added: 0.1.0
description:
  - Lists the objects of one container of the Scaleway v1 API, or shows one object, without their content.
  - To download an object, use M(scaleway_v1.cloud.scaleway_container_object) with
    O(scaleway_v1.cloud.scaleway_container_object#module:dest).
  - This module changes nothing. It reads the container and then its objects (a page per 500); with O(path), only
    the object, after a read of the containers when O(container) is a name. See
    R(What each task costs,ansible_collections.scaleway_v1.cloud.docsite.guide_requests).
options:
  container:
    description:
      - The container, by id or by name. A value shaped like a UUID is taken as an id.
      - An unknown container is an error.
    type: str
    required: true
  organization:
    description:
      - The organization (id or name) whose container named O(container) is meant, for a name that exists in
        several organizations.
      - When O(container) is an id, that container must belong to this organization, else the task fails naming
        O(organization); the container is then read before the object (one more request).
    type: str
  path:
    description:
      - Only the object at this exact path (one request). A path with no object gives an empty list.
      - The path is checked against the API's rules before any request.
      - Mutually exclusive with O(prefix).
    type: str
  prefix:
    description:
      - Only objects whose path starts with this string, for example V(logs/2026-01/).
      - The API has no such filter, so every object is listed (500 per request) and filtered by the module.
      - Mutually exclusive with O(path).
    type: str
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
  - module: scaleway_v1.cloud.scaleway_container_object
  - module: scaleway_v1.cloud.scaleway_container_info
author: scaleway_v1.cloud contributors (@scaleway-v1)
"""

EXAMPLES = r"""
- name: Create a container
  scaleway_v1.cloud.scaleway_container:
    name: reports

- name: Store two reports in it
  scaleway_v1.cloud.scaleway_container_object:
    container: reports
    path: "{{ item }}"
    content: "total: 42"
  loop:
    - 2026/01/summary.txt
    - 2026/02/summary.txt

- name: List every object of the container
  scaleway_v1.cloud.scaleway_container_object_info:
    container: reports
  register: all_reports

- name: List the objects under one prefix
  scaleway_v1.cloud.scaleway_container_object_info:
    container: reports
    prefix: 2026/01/
  register: january

- name: Show one object
  scaleway_v1.cloud.scaleway_container_object_info:
    container: reports
    path: 2026/02/summary.txt
  register: february

- name: Print its checksum
  ansible.builtin.debug:
    msg: "{{ february.objects[0].checksum }}"
"""

RETURN = r"""
objects:
  description: The objects that match, without content, in the API's order (creation time, then id).
  returned: always
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
      sample: 2026/02/summary.txt
    container:
      description: The id of the container.
      type: str
      sample: 0a4d6c8e-6d2b-4c1e-9f4b-3a7c2e9d1b5f
    size:
      description: The content's size in bytes.
      type: int
      sample: 9
    checksum:
      description: The SHA-256 of the content, as C(sha256:<hex>).
      type: str
      sample: "sha256:4d8f1c0b2a3e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a"
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

from ansible_collections.scaleway_v1.cloud.plugins.module_utils import objects
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.info import ScalewayInfoModule
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import OBJECTS


class ScalewayContainerObjectInfo(ScalewayInfoModule):
    # Objects are found by container and path; they have none of the fields the other lists filter on.
    kind = OBJECTS
    exact = ()
    argument_spec = dict(
        container=dict(type="str", required=True),
        organization=dict(type="str"),
        path=dict(type="str"),
        prefix=dict(type="str"),
    )
    module_kwargs = dict(supports_check_mode=True, mutually_exclusive=[("path", "prefix")])

    def validate(self):
        super(ScalewayContainerObjectInfo, self).validate()
        if self.params["path"] is not None:
            objects.check_object_path(self.params["path"])

    def candidates(self):
        container, path = self.params["container"], self.params["path"]
        if path is None:
            found = objects.require_container(self, container, self.organization)
            return objects.list_objects(self.client, found["id"], prefix=self.params["prefix"])
        container_id, obj = objects.container_and_object(self, container, path, self.organization)
        if container_id is None:
            raise objects.missing_container(container, self.organization)
        return [objects.object_view(obj)] if obj is not None else []


def main():
    ScalewayContainerObjectInfo.run()


if __name__ == "__main__":
    main()
