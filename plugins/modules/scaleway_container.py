#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: scaleway_container
short_description: Create, rename and delete Scaleway object storage containers
version_added: 0.1.0
description:
  - Creates, renames and deletes containers of the Scaleway v1 API. A container holds objects,
    managed with M(scaleway_v1.cloud.scaleway_container_object).
  - A container is found by O(id) when given, else by O(name) within O(organization). Container names are
    unique within an organization; a name that exists in several organizations visible to the token is
    an error listing the ids, unless O(organization) or O(id) says which one is meant.
  - Renaming needs O(id) (the container to rename) and the new O(name).
  - A container cannot move to another organization; asking for that is an error naming O(organization).
  - A second run with nothing to change sends one read (the container by id, or the containers of that name),
    plus one when O(organization) is a name. The requests of every task are in
    R(What each task costs,ansible_collections.scaleway_v1.cloud.docsite.guide_requests).
options:
  name:
    description:
      - The name of the container.
      - Required to create a container. With O(id), the container is renamed to this name.
    type: str
  id:
    description:
      - The id of an existing container. When set, the container is found by id and O(name) is the name
        it should have.
      - With O(state=present), a container with this id must exist; a new container never gets an id
        chosen by the user.
    type: str
  organization:
    description:
      - The organization (id or name) the container belongs to.
      - When creating, it may be left out if the token's user belongs to exactly one organization.
      - When finding a container by O(name), it narrows the search to this organization.
      - A name costs one extra request to list the organizations; an id costs none.
    type: str
  state:
    description:
      - V(present) makes sure the container exists with this name.
      - V(absent) deletes it.
      - With V(absent), an object another run deleted after this task found it (the API answers its
        C(DELETE) with its own 404) counts as deleted; the task succeeds with C(changed=false).
    type: str
    choices: [present, absent]
    default: present
  force:
    description:
      - With O(state=absent), delete a container that still holds objects by deleting every object first.
      - When V(false), deleting a container that holds objects fails with an error saying how many it holds,
        and nothing is deleted.
      - "The objects are listed first and each is deleted by its path. A listing is untrusted: when a listed path
        breaks the API's rules for object paths (an empty, V(.) or V(..) segment, a leading C(/), control
        characters, not UTF-8, over 1024 bytes), as in V(www/../../servers/ID), the task fails naming the API field
        C(objects[].path) and that path before the first C(DELETE) (in check mode too), and neither the objects nor
        the container are deleted. This check cannot be turned off."
    type: bool
    default: false
extends_documentation_fragment:
  - scaleway_v1.cloud.scaleway
  - scaleway_v1.cloud.scaleway.attributes
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the container.
    support: full
  diff_mode:
    description: Returns the container's O(name) and O(organization) before and after the change.
    support: full
seealso:
  - module: scaleway_v1.cloud.scaleway_container_info
  - module: scaleway_v1.cloud.scaleway_container_object
author: scaleway_v1.cloud contributors (@scaleway-v1)
"""

EXAMPLES = r"""
- name: Create a container for the site's assets
  scaleway_v1.cloud.scaleway_container:
    name: website-assets
  register: assets

- name: Create a container in a given organization (by name or id)
  scaleway_v1.cloud.scaleway_container:
    name: website-logs
    organization: demo

- name: Give the container found by its id this name (renames it when its name differs)
  scaleway_v1.cloud.scaleway_container:
    id: "{{ assets.container.id }}"
    name: website-assets

- name: Store a file in the container
  scaleway_v1.cloud.scaleway_container_object:
    container: website-assets
    path: css/site.css
    content: "body { margin: 0 }"
    content_type: text/css

- name: Delete a container and every object it still holds
  scaleway_v1.cloud.scaleway_container:
    name: website-old
    state: absent
    force: true
"""

RETURN = r"""
container:
  description:
    - The container after the task; null when it was deleted or is absent, or when check mode would have
      created it.
  returned: always
  type: dict
  contains:
    id:
      description: The container's id.
      type: str
      sample: 0a4d6c8e-6d2b-4c1e-9f4b-3a7c2e9d1b5f
    name:
      description: The container's name.
      type: str
      sample: website-assets
    organization:
      description: The id of the organization that owns the container.
      type: str
      sample: 5c2a1d7e-8b3f-4e6a-9d0c-1f2e3a4b5c6d
    objects_count:
      description: How many objects the container holds.
      type: int
      sample: 3
    size:
      description: The total size of the container's objects, in bytes.
      type: int
      sample: 10240
    creation_date:
      description: When the container was created (ISO 8601, UTC).
      type: str
      sample: "2026-01-15T10:04:05.000000Z"
    modification_date:
      description: When the container last changed (ISO 8601, UTC).
      type: str
      sample: "2026-01-15T10:04:05.000000Z"
deleted_objects:
  description: How many objects O(force=true) deleted (or would delete, in check mode) before the container.
  returned: when O(state=absent), O(force=true) and the container held objects
  type: int
  sample: 3
unattributed_copies:
  description: Ids of other containers of this name that appeared during the create and were left in place, with a warning,
    because this task cannot prove it made them (it deletes only its own); see the reliability guide.
  returned: when a create left such copies
  type: list
  elements: str
diff:
  description: The container's name and organization before and after the task.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"name": "website-assets", "organization": "5c2a1d7e-8b3f-4e6a-9d0c-1f2e3a4b5c6d"},
           "after": {"name": "website-static", "organization": "5c2a1d7e-8b3f-4e6a-9d0c-1f2e3a4b5c6d"}}
"""

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.base import ScalewayResourceModule
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.objects import listed_object_urls, objects_url
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import CONTAINERS, OBJECTS


class ScalewayContainer(ScalewayResourceModule):
    resource = "container"
    kind = CONTAINERS
    argument_spec = dict(
        name=dict(type="str"),
        id=dict(type="str"),
        organization=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        force=dict(type="bool", default=False),
    )
    module_kwargs = dict(
        supports_check_mode=True,
        required_one_of=[("name", "id")],
    )

    def diff_view(self, obj):
        return {"name": obj.get("name"), "organization": obj.get("organization")}

    def create_body(self):
        return {"name": self.params["name"]}

    def plan_create(self, body):
        return {"name": body["name"], "organization": self.organization}

    def _update(self):
        name = self.params["name"]
        if name is None or name == self.current.get("name"):
            return False
        if self.module.check_mode:
            self.planned_view = dict(self.diff_view(self.current), name=name)
            return True
        self.current = self.client.update(self.object_path(self.current["id"]), "container", {"name": name})
        return True

    def _delete(self):
        # objects_count comes with the GET, so an empty container costs no listing.
        if self.current.get("objects_count"):
            self._empty(self.current["id"])
        return super(ScalewayContainer, self)._delete()

    def _empty(self, container_id):
        if not self.params["force"]:
            count = self.current["objects_count"]
            self.fail("container %s (%s) holds %d object%s; set force=true to delete %s with the container"
                      % (self.current.get("name"), container_id, count, "" if count == 1 else "s",
                         "it" if count == 1 else "them"))
        # Collect every path before deleting: deleting while paging would shift the pages.
        paths = [obj.get("path") for obj in self.client.paginate(objects_url(container_id), OBJECTS.plural)]
        # Every listed path is checked (one URL each, within the container) before the first DELETE, in check mode
        # too, so check mode predicts the refusal.
        urls = listed_object_urls(container_id, paths)
        if self.module.check_mode:
            self.result["deleted_objects"] = len(urls)
            return
        self.result["deleted_objects"] = 0
        for url in urls:
            if not self.client.delete(url, missing_ok=True):
                # Deleted by someone else since the listing: the goal is reached all the same.
                continue
            # Each DELETE is a change already made: a failure part-way must still report changed=true.
            self.result["changed"] = True
            self.result["deleted_objects"] += 1


def main():
    ScalewayContainer.run()


if __name__ == "__main__":
    main()
