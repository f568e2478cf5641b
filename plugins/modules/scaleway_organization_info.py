#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: scaleway_organization_info
short_description: List Scaleway organizations, in full or as a summary
version_added: 0.1.0
description:
  - List the organizations of the Scaleway v1 API that the token's user belongs to, with their full details
    or, with O(summary=true), only their id, name and level.
  - This module changes nothing.
  - The filters combine; with none, every organization of the user is returned. One request (a page per 500
    organizations), or one read when O(id) is given without O(summary). The requests of every module are in
    R(What each task costs,ansible_collections.scaleway_v1.cloud.docsite.guide_requests).
options:
  id:
    description:
      - Only the organization with this id (a UUID; anything else fails before any request). An unknown id
        gives an empty list.
    type: str
  name:
    description:
      - Only organizations with exactly this name.
    type: str
  summary:
    description:
      - V(false) returns the full details (C(GET /organizations)); V(true) returns only C(id), C(name) and
        C(level) of each organization (C(GET /organizations/summary)).
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
  - module: scaleway_v1.cloud.scaleway_organization
author: scaleway_v1.cloud contributors (@scaleway-v1)
"""

EXAMPLES = r"""
- name: List the organizations of the token's user with their full details
  scaleway_v1.cloud.scaleway_organization_info:
  register: organizations

- name: Only ids, names and levels
  scaleway_v1.cloud.scaleway_organization_info:
    summary: true
  register: summary

- name: Find one organization by name
  scaleway_v1.cloud.scaleway_organization_info:
    name: demo
  register: demo

- name: Use its id, for example as the organization of new resources
  ansible.builtin.debug:
    msg: "demo is {{ demo.organizations[0].id }}"
"""

RETURN = r"""
organizations:
  description:
    - The organizations that match the filters, in the API's order (creation time).
    - With O(summary=true) each has only RV(organizations[].id), RV(organizations[].name) and
      RV(organizations[].level).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Id of the organization.
      type: str
      sample: 0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0
    name:
      description: Name of the organization.
      type: str
      sample: acme
    level:
      description: Level of the organization.
      type: str
      sample: basic
    address_line1:
      description: First line of the postal address.
      returned: when O(summary=false)
      type: str
      sample: 8 rue de la Ville l'Eveque
    address_line2:
      description: Second line of the postal address.
      returned: when O(summary=false)
      type: str
      sample: ""
    address_zip:
      description: Postal code.
      returned: when O(summary=false)
      type: str
      sample: "75008"
    address_city:
      description: City.
      returned: when O(summary=false)
      type: str
      sample: Paris
    address_state:
      description: State or region.
      returned: when O(summary=false)
      type: str
      sample: ""
    address_country:
      description: Country.
      returned: when O(summary=false)
      type: str
      sample: FR
    technical_contacts:
      description: Ids of the technical contacts.
      returned: when O(summary=false)
      type: list
      elements: str
      sample: []
    administrative_contacts:
      description: Ids of the administrative contacts.
      returned: when O(summary=false)
      type: list
      elements: str
      sample: []
    billing_contacts:
      description: Ids of the billing contacts.
      returned: when O(summary=false)
      type: list
      elements: str
      sample: []
    creation_date:
      description: When the organization was created (ISO 8601, UTC).
      returned: when O(summary=false)
      type: str
      sample: "2026-01-15T09:30:00Z"
    modification_date:
      description: When the organization was last changed (ISO 8601, UTC).
      returned: when O(summary=false)
      type: str
      sample: "2026-01-15T09:35:12Z"
"""

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.info import ScalewayInfoModule
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import ORGANIZATION_SUMMARY, ORGANIZATIONS


class ScalewayOrganizationInfo(ScalewayInfoModule):
    # The organization lists have no filters: id and name are matched on what they return.
    kind = ORGANIZATIONS
    id_options = dict(id="an organization")
    argument_spec = dict(
        name=dict(type="str"),
        summary=dict(type="bool", default=False),
    )

    def fetch_by_id(self):
        # The summary has no GET of one organization.
        return not self.params["summary"] and super(ScalewayOrganizationInfo, self).fetch_by_id()

    def list_path(self):
        return ORGANIZATION_SUMMARY.path if self.params["summary"] else self.path


def main():
    ScalewayOrganizationInfo.run()


if __name__ == "__main__":
    main()
