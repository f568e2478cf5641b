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
  - Cost - one list of tags (a page per 500 tags, or one read with O(id)), as each tag carries its metadata. Only
    a tag with more than 100 metadata entries costs one more request, for its whole metadata list. An API that
    sends tags without their metadata costs one metadata list per tag, and the module warns once.
    O(include_servers) adds one list of servers per distinct tag name (see there). The requests of every
    module are in R(What each task costs,ansible_collections.scaleway_v1.cloud.docsite.guide_requests).
options:
  id:
    description:
      - Only the tag with this id (a UUID; anything else fails before any request). An unknown id gives an
        empty list.
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
      description:
        - Metadata of the tag, key to value, all of it.
        - The API's own C(metadatas) and C(metadatas_count) fields are not returned; they hold at most the first
          100 entries of this dict.
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

from ansible_collections.scaleway_v1.cloud.plugins.module_utils import tags as tag_utils
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.info import ScalewayInfoModule
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import TAGS


class ScalewayTagInfo(ScalewayInfoModule):
    kind = TAGS
    filters = dict(name="name", organization="organization", server="server_id")
    # A tag does not list its servers: the API's server_id filter is the only check of server.
    listed_only = ("server",)
    id_options = dict(id="a tag", server="a server")
    argument_spec = dict(include_servers=dict(type="bool", default=False))

    def with_details(self, items):
        views, reads = [], set()
        for tag in items:
            metadata, read = tag_utils.metadata_of(self.client, tag)
            views.append(tag_utils.tag_view(tag, metadata))
            reads.add(read)
        if tag_utils.METADATA_NOT_EMBEDDED in reads:
            self.module.warn(tag_utils.NOT_EMBEDDED_WARNING)
        if self.params["include_servers"]:
            attached = tag_utils.attached_servers(self.client, views, self.organization)
            for view in views:
                view["attached_servers"] = attached[view["id"]]
        return views


def main():
    ScalewayTagInfo.run()


if __name__ == "__main__":
    main()
