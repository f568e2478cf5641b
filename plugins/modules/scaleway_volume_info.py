#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: scaleway_volume_info
short_description: List Scaleway volumes
version_added: 0.1.0
description:
  - Returns the volumes of the Scaleway v1 API that match every filter given; with no filter, every volume the
    token can see.
  - This module only reads; it never changes anything. It sends one read (a page per 500 volumes, or one read by
    O(id)), plus one when O(organization) is a name; see R(What each task costs,ansible_collections.scaleway_v1.cloud.docsite.guide_requests).
  - Filters are sent to the API and checked again on each volume, so O(name) must match the whole name.
options:
  name:
    description:
      - Only the volumes with exactly this name.
    type: str
  id:
    description:
      - Only the volume with this id (a UUID; anything else fails before any request). An unknown id gives an
        empty list, not an error.
    type: str
  organization:
    description:
      - Only the volumes of this organization, given by id or name (a name costs one extra request).
    type: str
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
  - Lists are read in pages of 500 volumes.
seealso:
  - module: scaleway_v1.cloud.scaleway_volume
author: scaleway_v1.cloud contributors (@scaleway-v1)
"""

EXAMPLES = r"""
- name: Create a volume to look at
  scaleway_v1.cloud.scaleway_volume:
    name: logs
    size: 10GB

- name: List every volume the token can see
  scaleway_v1.cloud.scaleway_volume_info:
  register: all_volumes

- name: Find the volumes named logs in the demo organization
  scaleway_v1.cloud.scaleway_volume_info:
    name: logs
    organization: demo
  register: logs

- name: Report the volumes that no server uses
  ansible.builtin.debug:
    msg: "{{ all_volumes.volumes | selectattr('server', 'none') | map(attribute='name') | list }}"
"""

RETURN = r"""
volumes:
  description: The volumes that match, in the API's order (creation time). Empty when none match.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d
      name: logs
      organization: 5a0b6c7d-1e2f-4a3b-8c4d-5e6f7a8b9c0d
      size: 10000000000
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
      returned: always
      type: str
    name:
      description: Name of the volume.
      returned: always
      type: str
    organization:
      description: Id of the organization that owns the volume.
      returned: always
      type: str
    size:
      description: Size in bytes.
      returned: always
      type: int
    type:
      description: Volume type, C(l_ssd) or C(b_ssd).
      returned: always
      type: str
    base_volume:
      description: Id of the volume this one was copied from, or V(null).
      returned: always
      type: str
    base_snapshot:
      description: Id of the snapshot this volume was made from, or V(null).
      returned: always
      type: str
    server:
      description: The server the volume is attached to, as C({"id", "name"}), or V(null).
      returned: always
      type: dict
    state:
      description: C(available), or C(in_use) while attached to a server.
      returned: always
      type: str
    creation_date:
      description: When the volume was created (ISO 8601, UTC).
      returned: always
      type: str
    modification_date:
      description: When the volume was last modified (ISO 8601, UTC).
      returned: always
      type: str
"""

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.info import ScalewayInfoModule
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import VOLUMES


class ScalewayVolumeInfo(ScalewayInfoModule):
    kind = VOLUMES
    filters = dict(name="name", organization="organization")
    id_options = dict(id="a volume")


def main():
    ScalewayVolumeInfo.run()


if __name__ == "__main__":
    main()
