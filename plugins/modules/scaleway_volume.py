#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: scaleway_volume
short_description: Create and delete Scaleway volumes
version_added: 0.1.0
description:
  - Creates and deletes a block volume of the Scaleway v1 API. A new volume is empty (O(size)), a copy of
    another volume (O(base_volume)) or made from a snapshot (O(base_snapshot)).
  - The volume is found by O(id) when given, else by O(name) within O(organization). More than one volume of
    that name is an error that lists their ids; nothing is changed then.
  - The API cannot change a volume once it exists (no rename, no resize, no type change). When the existing
    volume differs from O(name), O(size) or O(type), the task fails with a message naming the option; it
    never deletes and recreates a volume, because that would lose its data.
  - To attach a volume to a server, list it in the O(scaleway_v1.cloud.scaleway_server#module:volumes) option
    of M(scaleway_v1.cloud.scaleway_server).
options:
  name:
    description:
      - Name of the volume. Used to find the volume when O(id) is not given, and required to create one.
    type: str
  id:
    description:
      - Id of an existing volume. The API assigns ids, so a volume cannot be created with a given id.
    type: str
  state:
    description:
      - V(present) creates the volume when it does not exist.
      - V(absent) deletes it. A volume attached to a server cannot be deleted; the task fails and names the
        server. Detach it first by changing the server's volumes.
      - With V(absent), an object another run deleted after this task found it (the API answers its
        C(DELETE) with its own 404) counts as deleted; the task succeeds with C(changed=false).
      - Each state takes only the options it uses. V(present) takes every option; V(absent) takes O(name),
        O(id) and O(organization), and O(size), O(type), O(base_volume) or O(base_snapshot) with it fails before
        any request, naming the option and the state, rather than being silently ignored.
    type: str
    default: present
    choices: [present, absent]
  organization:
    description:
      - Id or name of the organization the volume belongs to. A name costs one extra request.
      - May be left out when the token sees exactly one organization.
      - It is also where a O(base_volume) name is looked up.
    type: str
  size:
    description:
      - Size of a new volume, in bytes as an integer, or a string of a number and a unit. A unit is always of
        bytes, never bits, and its case does not matter. C(B) is bytes; C(K) or C(KB), C(M) or C(MB), C(G) or
        C(GB), C(T) or C(TB) are powers of 1000; C(KiB), C(MiB), C(GiB), C(TiB) are powers of 1024. So V(20GB),
        V(20G), V(20gb) and V(20Gb) are all 20000000000 bytes, and V(512 MiB) is 536870912 bytes. A fraction is
        accepted when it makes whole bytes (V(1.5GiB)).
      - A number without a unit (an integer, or a string of digits only) is bytes, and must be at
        least 1 MB (1000000 bytes). V(20) fails before any request, naming O(size) and suggesting V(20GB),
        because it is nearly always a size written without its unit. A size under 1 MB needs its unit
        (V(512KB), V(999999 B)).
      - For an existing volume, a different size is an error (the API cannot resize a volume); the message says
        how to replace it (a new O(name), or O(state=absent) first, which loses its data).
      - Mutually exclusive with O(base_volume) and O(base_snapshot); a copy has the size of its source.
    type: raw
  type:
    description:
      - Type of a new volume. When omitted, the API makes an C(l_ssd) volume.
      - For an existing volume, a different type is an error.
    type: str
    choices: [l_ssd, b_ssd]
  base_volume:
    description:
      - Name or id of the volume to copy into the new volume. A name must match exactly one volume of the
        organization.
      - Only used when the volume is created; an existing volume is not compared with it.
    type: str
  base_snapshot:
    description:
      - Id of the snapshot to make the new volume from. No endpoint lists snapshots, so the API checks it when
        the volume is created.
      - Only used when the volume is created; an existing volume is not compared with it.
    type: str
extends_documentation_fragment:
  - scaleway_v1.cloud.scaleway
  - scaleway_v1.cloud.scaleway.attributes
attributes:
  check_mode:
    support: full
    description: Makes no write request; reports the change and the diff that the task would make.
  diff_mode:
    support: full
    description: Shows the name, organization, size and type before and after.
notes:
  - A second run with the same options sends only GET requests, one (the volume by id, or the list of volumes with
    that name) plus one when O(organization) is given by name. The requests of every task are in
    R(What each task costs,ansible_collections.scaleway_v1.cloud.docsite.guide_requests).
  - A create request whose answer is lost is followed by a search for the volume by name before anything is sent
    again, so a flaky network never makes a duplicate volume. Runs that create the same volume at the same time
    converge on one (the first created). Each deletes only its own losing copy, and a copy it cannot prove it
    made is left in place and reported in RV(unattributed_copies); see the reliability guide.
seealso:
  - module: scaleway_v1.cloud.scaleway_volume_info
  - module: scaleway_v1.cloud.scaleway_server
author: scaleway_v1.cloud contributors (@scaleway-v1)
"""

EXAMPLES = r"""
- name: Create a 20 GB local SSD volume
  scaleway_v1.cloud.scaleway_volume:
    name: db-data
    size: 20GB
  register: db_data

- name: Create a 512 MiB block SSD volume in the demo organization
  scaleway_v1.cloud.scaleway_volume:
    name: db-wal
    size: 512 MiB
    type: b_ssd
    organization: demo

- name: Copy the data volume before an upgrade
  scaleway_v1.cloud.scaleway_volume:
    name: db-data-before-upgrade
    base_volume: "{{ db_data.volume.id }}"

- name: Delete a volume that is no longer used
  scaleway_v1.cloud.scaleway_volume:
    name: db-data-2019
    state: absent
"""

RETURN = r"""
volume:
  description:
    - The volume as the API returned it. V(null) when it is absent, or when check mode would create it.
  returned: always
  type: dict
  sample:
    id: 1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d
    name: db-data
    organization: 5a0b6c7d-1e2f-4a3b-8c4d-5e6f7a8b9c0d
    size: 20000000000
    type: l_ssd
    base_volume: null
    base_snapshot: null
    server: null
    state: available
    creation_date: "2026-01-01T10:00:00.000000Z"
    modification_date: "2026-01-01T10:00:00.000000Z"
  contains:
    id:
      description: Id of the volume.
      returned: success
      type: str
    name:
      description: Name of the volume.
      returned: success
      type: str
    organization:
      description: Id of the organization that owns the volume.
      returned: success
      type: str
    size:
      description: Size in bytes.
      returned: success
      type: int
    type:
      description: Volume type, C(l_ssd) or C(b_ssd).
      returned: success
      type: str
    base_volume:
      description: Id of the volume this one was copied from, or V(null).
      returned: success
      type: str
    base_snapshot:
      description: Id of the snapshot this volume was made from, or V(null).
      returned: success
      type: str
    server:
      description: The server the volume is attached to, as C({"id", "name"}), or V(null).
      returned: success
      type: dict
    state:
      description: C(available), or C(in_use) while attached to a server.
      returned: success
      type: str
    creation_date:
      description: When the volume was created (ISO 8601, UTC).
      returned: success
      type: str
    modification_date:
      description: When the volume was last modified (ISO 8601, UTC).
      returned: success
      type: str
unattributed_copies:
  description: Ids of other volumes of this name that appeared during the create and were left in place, with a warning,
    because this task cannot prove it made them (it deletes only its own); see the reliability guide.
  returned: when a create left such copies
  type: list
  elements: str
diff:
  description: The managed fields before and after the change.
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: Name, organization, size and type before the task; empty when the volume did not exist.
      returned: always
      type: dict
    after:
      description: The same fields after the task (in check mode, as the task would leave them); empty when
        the volume is absent. The size of a volume made from a snapshot is unknown in check mode (V(null)).
      returned: always
      type: dict
"""

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.base import ScalewayResourceModule
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.checks import check_state_options
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.common import parse_size
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import resolve_reference
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import VOLUMES

# What the API makes when type is not sent (only used to show a planned diff).
DEFAULT_TYPE = "l_ssd"
# The options a delete has no use for: set, they fail before any request.
UNUSED_OPTIONS = {"absent": ("size", "type", "base_volume", "base_snapshot")}
# How to get a volume of another size or type, since the API cannot change one.
REPLACE_HINT = (": to replace it, give another name for the new volume (and move the data over), or delete this "
                "volume first with state: absent (its data is lost) and run the task again")


class ScalewayVolume(ScalewayResourceModule):
    resource = "volume"
    kind = VOLUMES
    argument_spec = dict(
        name=dict(type="str"),
        id=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        organization=dict(type="str"),
        size=dict(type="raw"),
        type=dict(type="str", choices=["l_ssd", "b_ssd"]),
        base_volume=dict(type="str"),
        base_snapshot=dict(type="str"),
    )
    module_kwargs = dict(
        supports_check_mode=True,
        required_one_of=[("name", "id")],
        mutually_exclusive=[("size", "base_volume", "base_snapshot")],
    )

    def validate(self):
        super(ScalewayVolume, self).validate()
        check_state_options(self.params, self.argument_spec, UNUSED_OPTIONS)
        self.size = None
        if self.params["size"] is not None:
            self.size = parse_size(self.params["size"], "size")

    def diff_view(self, obj):
        return dict((key, obj.get(key)) for key in ("name", "organization", "size", "type"))

    def create_body(self):
        p = self.params
        if self.size is None and not p["base_volume"] and not p["base_snapshot"]:
            self.fail("size: creating volume %r needs size, base_volume or base_snapshot" % p["name"])
        body = dict((key, value) for key, value in (
            ("name", p["name"]), ("size", self.size), ("type", p["type"]), ("base_snapshot", p["base_snapshot"]))
            if value is not None)
        if p["base_volume"]:
            self.base = resolve_reference(self.client, VOLUMES.path, VOLUMES.singular, VOLUMES.plural, p["base_volume"],
                                          self.organization, option="base_volume")
            body["base_volume"] = self.base["id"]
        return body

    def plan_create(self, body):
        planned = dict(body, organization=self.organization, type=body.get("type", DEFAULT_TYPE))
        if "base_volume" in body:
            planned.update(size=self.base.get("size"), organization=self.base.get("organization"))
        return self.diff_view(planned)

    def _update(self):
        """The API has no update for volumes: every difference is one the module cannot make."""
        volume = self.current
        wanted = {"name": self.params["name"], "size": self.size, "type": self.params["type"]}
        conflicts = ["%s: %s has %s %r, and the API cannot change a volume's %s (asked for %r)%s"
                     % (option, self.describe(volume), option, volume.get(option), option, value,
                        REPLACE_HINT if option != "name" else "")
                     for option, value in sorted(wanted.items()) if value is not None and volume.get(option) != value]
        if conflicts:
            self.fail("; ".join(conflicts))
        return False

    def _delete(self):
        server = self.current.get("server")
        if server:
            self.fail("%s is attached to server %r (%s); detach it from that server first "
                      "(scaleway_v1.cloud.scaleway_server, option volumes)"
                      % (self.describe(self.current), server.get("name"), server.get("id")))
        return super(ScalewayVolume, self)._delete()


def main():
    ScalewayVolume.run()


if __name__ == "__main__":
    main()
