#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: scaleway_server_info
short_description: List Scaleway servers, optionally with their sessions, actions and tags
version_added: 0.1.0
description:
  - Returns the servers of the Scaleway v1 API that match every filter given; with no filter, every server the
    token can see.
  - This module only reads; it never changes anything. It sends one read (a page per 500 servers, or one read by
    O(id)), plus one when O(organization) is a name; see R(What each task costs,ansible_collections.scaleway_v1.cloud.docsite.guide_requests).
  - Filters are sent to the API, which narrows the list, and checked again on each server, so they are exact
    (O(name) must match the whole name).
options:
  name:
    description:
      - Only the servers with exactly this name.
    type: str
  id:
    description:
      - Only the server with this id (a UUID; anything else fails before any request). An unknown id gives an
        empty list, not an error.
    type: str
  organization:
    description:
      - Only the servers of this organization, given by id or name (a name costs one extra request).
    type: str
  image:
    description:
      - Only the servers made from this image id.
    type: str
  ip:
    description:
      - Only the servers with this public or private address.
    type: str
  tags:
    description:
      - Only the servers that have every one of these tags (by name).
      - The API filters by one tag, so the first is sent to the API and the others are checked on the servers it
        returns.
    type: list
    elements: str
  include_sessions:
    description:
      - Add to each server a C(sessions) list with its sessions (C(/servers/{id}/sessions)). A session is opened
        by each C(poweron) and closed when the server is off again.
      - This costs one more request per server, so leave it off for long lists.
    type: bool
    default: false
  sessions_active:
    description:
      - With O(include_sessions=true), V(true) keeps only the open sessions and V(false) only the closed ones.
        When omitted, every session is returned.
    type: bool
  session_id:
    description:
      - With O(include_sessions=true), only this session of each server, read with one request per server
        (C(/servers/{id}/sessions/{session_id})); a server without it gets an empty C(sessions) list.
      - Usually given with O(id), to read one session of one server. A value that is not a UUID fails before
        any request.
    type: str
  include_actions:
    description:
      - Add to each server an C(actions) list with the power actions the API accepts for it now
        (C(/servers/{id}/action)), for example V([poweroff, reboot, terminate]) for a running server and
        V([]) while it is starting or stopping.
      - This costs one more request per server.
    type: bool
    default: false
  include_tags:
    description:
      - Add to each server an C(attached_tags) list with the full objects of the tags attached to it
        (C(/servers/{id}/tags)), with their type and organization besides the id and name that C(tags) always
        has. Tag metadata is shown by M(scaleway_v1.cloud.scaleway_tag_info).
      - This costs one more request per server.
    type: bool
    default: false
extends_documentation_fragment:
  - scaleway_v1.cloud.scaleway
  - scaleway_v1.cloud.scaleway.attributes
attributes:
  check_mode:
    support: full
    description: The module only reads, so it runs the same in check mode.
  diff_mode:
    support: N/A
    description: The module changes nothing, so there is no diff.
notes:
  - Lists are read in pages of 500 servers.
seealso:
  - module: scaleway_v1.cloud.scaleway_server
author: scaleway_v1.cloud contributors (@scaleway-v1)
"""

EXAMPLES = r"""
- name: Create a server to look at
  scaleway_v1.cloud.scaleway_server:
    name: app-1
    tags:
      - app
      - production
    state: running

- name: List every server the token can see
  scaleway_v1.cloud.scaleway_server_info:
  register: all_servers

- name: Find the production app servers, with their open sessions
  scaleway_v1.cloud.scaleway_server_info:
    tags:
      - app
      - production
    include_sessions: true
    sessions_active: true
  register: app_servers

- name: Show their names and when their current session started
  ansible.builtin.debug:
    msg: "{{ item.name }} has been up since {{ item.sessions[0].started_at }}"
  loop: "{{ app_servers.servers }}"
  loop_control:
    label: "{{ item.name }}"

- name: Read the current session of the first of them, the actions it accepts and its tags in full
  scaleway_v1.cloud.scaleway_server_info:
    id: "{{ app_servers.servers[0].id }}"
    include_sessions: true
    session_id: "{{ app_servers.servers[0].sessions[0].id }}"
    include_actions: true
    include_tags: true
  register: app_server_details

- name: Look up one server by name in the demo organization
  scaleway_v1.cloud.scaleway_server_info:
    name: app-1
    organization: demo
  register: app_1
"""

RETURN = r"""
servers:
  description: The servers that match, in the API's order (creation time). Empty when none match.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 9c1e4f52-3a7b-4d2e-8f61-0b5a7c3d2e14
      name: app-1
      organization: 5a0b6c7d-1e2f-4a3b-8c4d-5e6f7a8b9c0d
      image: null
      commercial_type: VC1S
      state: running
      volumes: {}
      tags:
        - id: 2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f
          name: default
        - id: 3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a
          name: app
      public_ip:
        address: 203.0.113.10
      private_ip: 10.1.2.3
      creation_date: "2026-01-01T10:00:00.000000Z"
      modification_date: "2026-01-01T10:00:05.000000Z"
      sessions:
        - id: 4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b
          server:
            id: 9c1e4f52-3a7b-4d2e-8f61-0b5a7c3d2e14
            name: app-1
          started_at: "2026-01-01T10:00:01.000000Z"
          ended_at: null
          active: true
  contains:
    id:
      description: Id of the server.
      returned: always
      type: str
    name:
      description: Name of the server.
      returned: always
      type: str
    organization:
      description: Id of the organization that owns the server.
      returned: always
      type: str
    image:
      description: Id of the server's image, or V(null).
      returned: always
      type: str
    commercial_type:
      description: Commercial type of the server.
      returned: always
      type: str
    state:
      description: Power state, one of C(off), C(starting), C(running), C(stopping).
      returned: always
      type: str
    volumes:
      description: The attached volumes keyed by mount position (C("0") is C(nbd0)), each a full volume object.
      returned: always
      type: dict
    tags:
      description: The attached tags, each with C(id) and C(name).
      returned: always
      type: list
      elements: dict
    public_ip:
      description: The public address as C({"address"}), or V(null).
      returned: always
      type: dict
    private_ip:
      description: The private address, or V(null).
      returned: always
      type: str
    creation_date:
      description: When the server was created (ISO 8601, UTC).
      returned: always
      type: str
    modification_date:
      description: When the server was last modified (ISO 8601, UTC).
      returned: always
      type: str
    sessions:
      description: The server's sessions, oldest first, filtered by O(sessions_active).
      returned: when O(include_sessions=true)
      type: list
      elements: dict
      contains:
        id:
          description: Id of the session.
          returned: always
          type: str
        server:
          description: The server, as C({"id", "name"}).
          returned: always
          type: dict
        started_at:
          description: When the session opened (ISO 8601, UTC).
          returned: always
          type: str
        ended_at:
          description: When the session closed, or V(null) while it is open.
          returned: always
          type: str
        active:
          description: Whether the session is open.
          returned: always
          type: bool
    actions:
      description: The actions the API accepts for the server now.
      returned: when O(include_actions=true)
      type: list
      elements: str
      sample: [poweroff, reboot, terminate]
    attached_tags:
      description: The tags attached to the server, in full.
      returned: when O(include_tags=true)
      type: list
      elements: dict
      contains:
        id:
          description: Id of the tag.
          returned: always
          type: str
        name:
          description: Name of the tag.
          returned: always
          type: str
        type:
          description: Type of the tag (C(server) for the tag the API makes with each server).
          returned: always
          type: str
        organization:
          description: Id of the organization the tag belongs to.
          returned: always
          type: str
        servers:
          description: How many servers the tag is attached to.
          returned: always
          type: int
"""

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.info import ScalewayInfoModule
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import get_or_list
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.servers import tag_names
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import SERVER_ACTIONS, SERVER_TAGS, SERVERS, SESSIONS


class ScalewayServerInfo(ScalewayInfoModule):
    kind = SERVERS
    filters = dict(name="name", organization="organization", image="image", ip="ip", tags="tag")
    exact = ScalewayInfoModule.exact + ("image",)
    id_options = dict(id="a server", session_id="a session")
    only_with = dict(sessions_active="include_sessions", session_id="include_sessions")
    details = dict(include_sessions=("sessions", "sessions_of"), include_actions=("actions", "actions_of"),
                   include_tags=("attached_tags", "attached_tags_of"))
    argument_spec = dict(
        tags=dict(type="list", elements="str"),
        sessions_active=dict(type="bool"),
    )

    def matches(self, item):
        ip, tags, public = self.params["ip"], self.params["tags"], item.get("public_ip") or {}
        wanted_ip = ip in (None, public.get("address"), item.get("private_ip"))
        return super(ScalewayServerInfo, self).matches(item) and set(tags or []).issubset(tag_names(item)) and wanted_ip

    def sessions_of(self, server):
        active = self.params["sessions_active"]
        sessions = get_or_list(self.client, SESSIONS.list_path((server["id"], "id")), SESSIONS.singular, SESSIONS.plural,
                               self.params["session_id"], {"active": None if active is None else str(active).lower()})
        return [session for session in sessions if active in (None, session.get("active"))]

    def actions_of(self, server):
        return self.client.call("GET", SERVER_ACTIONS.list_path((server["id"], "id"))).get(SERVER_ACTIONS.plural, [])

    def attached_tags_of(self, server):
        return self.client.list(SERVER_TAGS.list_path((server["id"], "id")), SERVER_TAGS.plural)


def main():
    ScalewayServerInfo.run()


if __name__ == "__main__":
    main()
