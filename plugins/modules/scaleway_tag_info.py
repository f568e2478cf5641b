#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: scaleway_tag_info
short_description: List Scaleway tags with their metadata and servers
version_added: 0.1.0
description:
  - List the tags of the Scaleway v1 API that the token can see, each with its metadata as a dict and, on
    request, the servers it is attached to.
  - This module changes nothing.
  - The filters combine (a tag must match all of them); with none, every visible tag is returned.
  - Cost - one list of tags (a page per 500 tags, or one read with O(id)), then one metadata list per tag;
    O(include_servers) adds one list of servers per distinct tag name (see there).
options:
  id:
    description:
      - Only the tag with this id (UUID). An unknown id gives an empty list.
    type: str
  name:
    description:
      - Only tags with exactly this name.
    type: str
  organization:
    description:
      - Only tags of this organization, by id or by name (a name costs one extra request).
    type: str
  server:
    description:
      - Only tags attached to this server, given by its id (UUID); server names are not accepted because
        they need not be unique. Uses the API's C(server_id) filter of the tag list.
    type: str
  include_servers:
    description:
      - Add to each tag the list of servers it is attached to, as RV(tags[].attached_servers).
      - The API has no list of the servers of a tag, so the module lists the servers carrying each distinct
        tag name (C(GET /servers?tag=NAME)) and keeps, for each tag, the servers whose C(tags) contain its id
        (names need not be unique, ids are). Tags whose C(servers) count is 0 need no request.
    type: bool
    default: false
extends_documentation_fragment:
  - scaleway_v1.cloud.scaleway
  - scaleway_v1.cloud.scaleway.attributes
attributes:
  check_mode:
    description: The module only reads, so it runs the same in check mode.
    support: full
  diff_mode:
    description: The module changes nothing, so there is no diff.
    support: N/A
seealso:
  - module: scaleway_v1.cloud.scaleway_tag
author: scaleway_v1.cloud contributors (@scaleway-v1)
"""

EXAMPLES = r"""
- name: List every tag with its metadata
  scaleway_v1.cloud.scaleway_tag_info:
  register: all_tags

- name: Find the tags named web and the servers they are attached to
  scaleway_v1.cloud.scaleway_tag_info:
    name: web
    include_servers: true
  register: web_tags

- name: Show the tags of every server that carries a web tag
  scaleway_v1.cloud.scaleway_tag_info:
    server: "{{ item }}"
  loop: "{{ web_tags.tags | map(attribute='attached_servers') | flatten | map(attribute='id') | unique }}"

- name: List the tags of the demo organization
  scaleway_v1.cloud.scaleway_tag_info:
    organization: demo
"""

RETURN = r"""
tags:
  description: The tags that match the filters, in the API's order (creation time).
  returned: always
  type: list
  elements: dict
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
    attached_servers:
      description: The servers the tag is attached to, each as its id and name.
      returned: when O(include_servers=true)
      type: list
      elements: dict
      sample: [{"id": "4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d", "name": "web-1"}]
    creation_date:
      description: When the tag was created (ISO 8601, UTC).
      type: str
      sample: "2026-01-15T09:30:00Z"
    modification_date:
      description: When the tag was last changed (ISO 8601, UTC).
      type: str
      sample: "2026-01-15T09:35:12Z"
"""

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.base import ScalewayModule
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.common import is_uuid, quote_segment
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.tags import tag_metadata


class ScalewayTagInfo(ScalewayModule):
    resource = "tags"
    argument_spec = dict(
        id=dict(type="str"),
        name=dict(type="str"),
        organization=dict(type="str"),
        server=dict(type="str"),
        include_servers=dict(type="bool", default=False),
    )
    module_kwargs = dict(supports_check_mode=True)

    def execute(self):
        for option in ("id", "server"):
            value = self.params[option]
            if value is not None and not is_uuid(value):
                self.fail("%s must be an id (a UUID), got %r" % (option, value))
        organization = self.organization_id(self.params["organization"])
        tags = [tag for tag in self._candidates(organization) if self._matches(tag, organization)]
        for tag in tags:
            tag["metadata"] = tag_metadata(self.client, tag["id"])
        if self.params["include_servers"]:
            self._add_attached_servers(tags, organization)
        self.result["tags"] = tags

    def _candidates(self, organization):
        """The tags the API gives for the filters; ``_matches`` then checks each filter exactly."""
        tag_id = self.params["id"]
        if tag_id and not self.params["server"]:
            tag = self.client.get_or_none("/tags/%s" % quote_segment(tag_id), "tag")
            return [tag] if tag else []
        query = {"name": self.params["name"], "organization": organization, "server_id": self.params["server"]}
        query = dict((key, value) for key, value in query.items() if value is not None)
        return self.client.paginate("/tags", "tags", params=query)

    def _matches(self, tag, organization):
        wanted = {"id": self.params["id"], "name": self.params["name"], "organization": organization}
        return all(value is None or tag.get(field) == value for field, value in wanted.items())

    def _add_attached_servers(self, tags, organization):
        for tag in tags:
            tag["attached_servers"] = []
        by_id = dict((tag["id"], tag) for tag in tags)
        names = sorted(set(tag["name"] for tag in tags if tag.get("servers") != 0))
        servers = {}
        for name in names:
            query = {"tag": name}
            if organization:
                query["organization"] = organization
            for server in self.client.paginate("/servers", "servers", params=query):
                # A server carrying two of the tags comes back once per name; keep it once.
                servers.setdefault(server["id"], server)
        for server in servers.values():
            for attached in server.get("tags") or []:
                tag = by_id.get(attached.get("id"))
                if tag is not None:
                    tag["attached_servers"].append({"id": server["id"], "name": server.get("name")})


def main():
    ScalewayTagInfo.run()


if __name__ == "__main__":
    main()
