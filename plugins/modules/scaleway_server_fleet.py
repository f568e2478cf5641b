#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: scaleway_server_fleet
short_description: Converge many Scaleway servers, with their volumes, tags and power state, in one task
version_added: 0.1.0
description:
  - Manages a fleet of servers of the Scaleway v1 API in one task, either B(by count) (O(name) and O(count), that is
    the members C(<name>-1) to C(<name>-<count>)) or B(by list) (O(servers), each entry converged as
    M(scaleway_v1.cloud.scaleway_server) would).
  - The module reads the servers, volumes and tags of the organization once (pages of 500), plans every
    member from those lists, then sends the writes and power actions in parallel (O(max_workers) at a time),
    and waits for the power states by reading the server list, not one server at a time. A hundred servers
    cost about what the API itself costs, instead of a task each.
  - Every input check is made before the first request, for every member; an error names the member and the
    option (for example C(servers[36].image)), and nothing is written.
  - A run that would delete more servers than O(max_deletions) allows fails before any write and lists them.
  - Every delete is aimed at the server the plan listed, by its id. A name that matches several servers, volumes
    or tags (among the servers to keep or to delete) fails before any write, naming the option and the ids.
  - Every URL of the task is built before its first write; an id of the API's lists that cannot be one URL
    segment (a server, a tag to detach, a volume to delete) fails the task with nothing written.
  - Every create goes through the collection's create-once rule, so neither a lost answer nor two runs of the
    same fleet at the same time ever make a second server or volume; see the fleet guide.
options:
  name:
    description:
      - Base name of a fleet by count. Its members are the servers of the organization named C(<name>-<index>),
        index from 1 (C(web-1), C(web-2), ...); other servers are never touched.
      - A fleet by count lives in one organization, O(organization). Without it, the servers of every
        organization the token sees are read, and the members found must all be in one of them; members in
        several organizations fail before any write, each listed with its id and organization.
      - Mutually exclusive with O(servers).
    type: str
  count:
    description:
      - How many members the fleet by count has. Missing members are created, the lowest free indices first;
        members with a higher index are deleted, the highest first (within O(max_deletions)).
      - Required with O(name) unless O(state=absent), which takes no O(count), O(image), O(commercial_type),
        O(tags) or O(volumes) (it deletes every member; a task that gives one of them fails before any request).
    type: int
  servers:
    description:
      - A fleet by list. Each entry is one server, found by its name within its organization. Servers that are
        not listed are left alone.
      - The fleet's O(state), O(organization), O(image), O(commercial_type), O(tags) and O(purge_tags) are the
        defaults of every entry that does not set its own.
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the server. Each name may appear once.
        type: str
        required: true
      state:
        description: As O(state), for this server. O(state=absent) deletes it (counted by O(max_deletions)).
        type: str
        choices: [present, running, stopped, absent]
      organization:
        description: Organization (id or name) of the server, its volumes and tags.
        type: str
      image:
        description: Id of the image (a UUID). When omitted, an existing server keeps its image.
        type: str
      commercial_type:
        description: Commercial type, such as C(VC1S). When omitted, the API chooses for a new server.
        type: str
      volumes:
        description:
          - The volumes of the server in mount order, each created when missing. The server gets exactly these;
            others attached to it are detached and kept. When omitted, the volumes are left alone.
          - The API changes volumes only while a server is off; on a running server this fails before any write
            unless O(servers[].force=true) or O(servers[].state=stopped).
        type: list
        elements: dict
        suboptions:
          name:
            description: Name of the volume, unique within the organization.
            type: str
            required: true
          size:
            description:
              - Size in bytes or with a unit (V(20GB), V(512 MiB)); needed to create the volume.
              - An existing volume of another size is an error (the API cannot resize a volume).
            type: raw
          type:
            description: Type of a new volume (the API's default is V(l_ssd)); an existing one of another type is an error.
            type: str
            choices: [l_ssd, b_ssd]
      tags:
        description: Names of the tags the server should have, created when missing. When omitted, left alone.
        type: list
        elements: str
      purge_tags:
        description: Detach the tags not in O(servers[].tags) (the API's C(default) tag is kept).
        type: bool
      force:
        description: Allow changing the volumes of a running server by stopping it and starting it again.
        type: bool
        default: false
      delete_volumes:
        description:
          - With O(servers[].state=absent), delete the volumes attached to the server too (the C(terminate)
            action). B(This destroys their data.) When false, the volumes are detached and kept.
        type: bool
        default: false
  state:
    description:
      - V(present) makes sure every member exists with its settings and leaves its power state alone (a new
        server is off).
      - V(running) and V(stopped) also power every member on or off.
      - V(absent) deletes every member of a fleet by count (held by O(max_deletions) like a scale-down), with
        its volumes named after it.
    type: str
    default: present
    choices: [present, running, stopped, absent]
  organization:
    description:
      - Organization (id or name) of the fleet. A name costs one request. May be left out when the token sees
        exactly one organization (see O(name) for a fleet by count without it).
    type: str
  image:
    description: Id of the image (a UUID) of every member. When omitted, new members have no image.
    type: str
  commercial_type:
    description: Commercial type of every member, such as C(VC1S). When omitted, the API chooses (C(VC1S)).
    type: str
  tags:
    description:
      - Names of the tags every member should have. A tag that does not exist is created once (type C(user)).
      - When omitted, the tags are left alone.
    type: list
    elements: str
  purge_tags:
    description: Detach the tags that are not in O(tags); the API's C(default) tag is kept. No effect without O(tags).
    type: bool
    default: true
  volumes:
    description:
      - For a fleet by count, the volumes of every member in mount order. The volume of member C(web-3) with
        suffix C(data) is named C(web-3-data); it is created when missing and deleted with its member.
    type: list
    elements: dict
    suboptions:
      suffix:
        description: Suffix of the volume's name, after the member's name and a C(-).
        type: str
        required: true
      size:
        description: Size in bytes or with a unit (V(20GB), V(512 MiB)).
        type: raw
        required: true
      type:
        description: Type of the volume (the API's default is V(l_ssd)).
        type: str
        choices: [l_ssd, b_ssd]
  max_deletions:
    description:
      - The most servers this run may delete. A plan that deletes more fails before any write, listing the
        servers it would delete with their ids (and organizations, when several are involved), and changes
        nothing.
      - The default, V(0), means that every deletion is allowed in the task itself - scaling C(count) down by
        10 needs O(max_deletions=10) (or more). A typo in O(count) (V(1) for V(10)) or an O(state=absent) can
        therefore never delete a server that the same task did not allow.
    type: int
    default: 0
  max_workers:
    description: How many requests the module sends at the same time (each worker has its own connection).
    type: int
    default: 8
  wait:
    description:
      - Wait until every member has reached its power state, and every C(terminate)d member is gone.
      - Even when false, the module waits for a server to be off before it changes its volumes or deletes it,
        because the API requires it.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds the whole task may take, every request and wait of every member together (one deadline for the
        fleet). When it runs out the task fails, naming the servers it was waiting for.
    type: int
    default: 600
  wait_sleep:
    description:
      - Seconds between the power actions (and tag changes) and the first read of the server list while
        waiting, and the shortest pause between two reads. A later pause is a fifth of the time waited since
        the last actions (so a wait ends at most a fifth late), up to 5 seconds. Each read is one list of the
        whole fleet, whatever the number of members.
    type: float
    default: 0.1
extends_documentation_fragment:
  - scaleway_v1.cloud.scaleway
  - scaleway_v1.cloud.scaleway.attributes
attributes:
  check_mode:
    support: full
    description: Reads the lists and returns the plan (C(servers), C(created), C(deleted)); sends no write.
  diff_mode:
    support: full
    description: One diff per member that changes, with its name, state, image, commercial type, volume names and tags.
notes:
  - "Requests: a run that changes nothing sends only reads, one page of 500 per listed resource and organization:
    ceil(N/500) pages of servers, of volumes (only when volumes are managed) and of tags (only when tags are
    managed); plus one when O(organization) is a name. Check mode sends the same reads (a plan that only
    deletes, the server list alone). The requests of every task are in
    R(What each task costs,ansible_collections.scaleway_v1.cloud.docsite.guide_requests)."
  - "A cold fleet of N servers, each with V volumes and T tags, costs N x (1 + V + T + 1) writes (the server,
    its volumes, its tags attached, its power action) and one create per missing tag; after the creates of
    each kind (tags, volumes, servers) one read of that list (a page per 500) checks every name at once for a
    concurrent run's copy (when that read fails, one read of each name created instead); plus one list read
    per poll while waiting."
seealso:
  - module: scaleway_v1.cloud.scaleway_server
  - module: scaleway_v1.cloud.scaleway_server_info
  - ref: ansible_collections.scaleway_v1.cloud.docsite.guide_fleet
    description: When to use this module, the role or scaleway_server; the deletion cap; the cost in requests.
author: scaleway_v1.cloud contributors (@scaleway-v1)
"""

EXAMPLES = r"""
- name: Run three web servers, each with a 10 GB data volume and the tag web
  scaleway_v1.cloud.scaleway_server_fleet:
    name: web
    count: 3
    commercial_type: VC1S
    image: 3f0c2e1a-7b4d-4c8e-9a61-2d5b8e7f9c10
    tags: [web]
    volumes:
      - {suffix: data, size: 10GB}
    state: running
  register: fleet

- name: Show the addresses of the web servers
  ansible.builtin.debug:
    msg: "{{ fleet.servers | map(attribute='public_ip') | list }}"

- name: Two named servers, one of them stopped, in one task
  scaleway_v1.cloud.scaleway_server_fleet:
    servers:
      - name: db-1
        commercial_type: VC1M
        volumes:
          - {name: db-1-data, size: 50GB, type: b_ssd}
        tags: [db]
        state: running
      - name: batch-1
        state: stopped

- name: Delete a retired fleet and the volumes named after its members, ten servers at most
  scaleway_v1.cloud.scaleway_server_fleet:
    name: old-web
    state: absent
    max_deletions: 10
"""

RETURN = r"""
servers:
  description:
    - The members in order (by index for a fleet by count, the order of O(servers) for a list), as they are
      after the task; in check mode, as the task would leave them.
    - A fleet by count lists the members it keeps; a deleted entry of a list has C(state=absent) and C(id=null).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Id of the server (V(null) when absent, or when check mode would create it).
      type: str
    name:
      description: Name of the server.
      type: str
    state:
      description: Power state (C(off), C(starting), C(running), C(stopping)), or C(absent).
      type: str
    organization:
      description: Id of the organization of the server.
      type: str
    image:
      description: Id of the image, or V(null).
      type: str
    commercial_type:
      description: Commercial type of the server.
      type: str
    public_ip:
      description: The public address, or V(null).
      type: str
    private_ip:
      description: The private address, or V(null).
      type: str
    volumes:
      description: The attached volumes in mount order, each with C(id), C(name), C(size) and C(type).
      type: list
      elements: dict
    tags:
      description: Names of the attached tags, sorted.
      type: list
      elements: str
    changed:
      description: Whether the task changed this server (or would, in check mode).
      type: bool
  sample:
    - id: 9c1e4f52-3a7b-4d2e-8f61-0b5a7c3d2e14
      name: web-1
      state: running
      organization: 5a0b6c7d-1e2f-4a3b-8c4d-5e6f7a8b9c0d
      image: 3f0c2e1a-7b4d-4c8e-9a61-2d5b8e7f9c10
      commercial_type: VC1S
      public_ip: 203.0.113.10
      private_ip: 10.1.2.3
      volumes:
        - {id: 1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d, name: web-1-data, size: 10000000000, type: l_ssd}
      tags: [default, web]
      changed: true
created:
  description: Names of the servers the task created (in check mode, would create).
  returned: always
  type: list
  elements: str
  sample: [web-4, web-5]
deleted:
  description: Names of the servers the task deleted (in check mode, would delete), the highest index first.
  returned: always
  type: list
  elements: str
  sample: [web-7, web-6]
diff:
  description: In diff mode, one entry per member that changes, with C(before) and C(after) views of it.
  returned: when diff mode is on
  type: list
  elements: dict
unattributed_copies:
  description: Ids of other servers, volumes or tags of a name the task created that appeared during the create
    and were left in place, with a warning, because this task cannot prove it made them (it deletes only its own);
    see the reliability guide.
  returned: when a create left such copies
  type: list
  elements: str
"""

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.base import ScalewayModule
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.checks import check_number, check_state_options
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayInputError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.fleet import (
    DEFAULT_MAX_DELETIONS,
    check_members,
    members_by_count,
    members_by_list,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.fleet_run import converge

_STATES = ["present", "running", "stopped", "absent"]
# A fleet by count with state=absent deletes every member: the options that describe members mean nothing there.
UNUSED_OPTIONS = {"absent": ("count", "image", "commercial_type", "tags", "volumes")}
_VOLUME_TYPES = ["l_ssd", "b_ssd"]


class ScalewayServerFleet(ScalewayModule):
    resource = "servers"
    argument_spec = dict(
        name=dict(type="str"),
        count=dict(type="int"),
        servers=dict(type="list", elements="dict", options=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", choices=_STATES),
            organization=dict(type="str"),
            image=dict(type="str"),
            commercial_type=dict(type="str"),
            volumes=dict(type="list", elements="dict", options=dict(
                name=dict(type="str", required=True),
                size=dict(type="raw"),
                type=dict(type="str", choices=_VOLUME_TYPES),
            )),
            tags=dict(type="list", elements="str"),
            purge_tags=dict(type="bool"),
            force=dict(type="bool", default=False),
            delete_volumes=dict(type="bool", default=False),
        )),
        state=dict(type="str", default="present", choices=_STATES),
        organization=dict(type="str"),
        image=dict(type="str"),
        commercial_type=dict(type="str"),
        tags=dict(type="list", elements="str"),
        purge_tags=dict(type="bool", default=True),
        volumes=dict(type="list", elements="dict", options=dict(
            suffix=dict(type="str", required=True),
            size=dict(type="raw", required=True),
            type=dict(type="str", choices=_VOLUME_TYPES),
        )),
        max_deletions=dict(type="int", default=DEFAULT_MAX_DELETIONS),
        max_workers=dict(type="int", default=8),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=600),
        wait_sleep=dict(type="float", default=0.1),
    )
    module_kwargs = dict(
        supports_check_mode=True,
        required_one_of=[("name", "servers")],
        mutually_exclusive=[("name", "servers"), ("count", "servers"), ("volumes", "servers")],
        required_by=dict(count="name"),
    )

    def validate(self):
        p = self.params
        if p["name"] is not None and p["count"] is None and p["state"] != "absent":
            raise ScalewayInputError("count", "is required with name unless state=absent")
        if p["name"] is not None:
            check_state_options(p, self.argument_spec, UNUSED_OPTIONS)
        check_number("count", p["count"], 0)
        check_number("max_deletions", p["max_deletions"], 0)
        check_number("max_workers", p["max_workers"], 1)
        check_number("wait_timeout", p["wait_timeout"], 0, inclusive=False)
        check_number("wait_sleep", p["wait_sleep"], 0, inclusive=False)
        if p["servers"] is not None:
            self.members = members_by_list(p)
        else:
            self.members = [] if p["state"] == "absent" else members_by_count(p)
        if p["name"] is not None:
            # The members' own names are checked below; the base name must be one on its own too.
            check_members(members_by_count(dict(p, count=1, state="present", volumes=None)))
        check_members(self.members)

    def execute(self):
        converge(self, self.members)


def main():
    ScalewayServerFleet.run()


if __name__ == "__main__":
    main()
