#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: scaleway_organization
short_description: Manage Scaleway organizations
version_added: 0.1.0
description:
  - Create, update and delete organizations of the Scaleway v1 API - their name, postal address and
    contact lists.
  - An organization is found by O(id) when it is given, else by O(name) among the organizations the token's
    user belongs to. When more than one has the name, the task fails and lists their ids; O(id) selects one.
  - Options left out are left as they are; only the fields that differ are sent.
  - A second run with nothing to change sends only reads - one (by id), or one page of 500 organizations
    (by name). The requests of every task are in R(What each task costs,ansible_collections.scaleway_v1.cloud.docsite.guide_requests).
options:
  name:
    description:
      - Name of the organization.
      - Required to create one. With O(id), a different name renames the organization; without O(id) it is
        how the organization is found, so renaming needs O(id).
    type: str
  id:
    description:
      - Id (UUID) of an existing organization. The API chooses ids, so an organization is never created with
        O(id); an unknown id fails with O(state=present) and changes nothing with O(state=absent).
    type: str
  state:
    description:
      - V(present) creates the organization or updates it to match the options; V(absent) deletes it.
      - The API refuses to delete an organization that still owns servers, volumes, tags or containers.
        The module counts them first (one request per kind, also in check mode) and fails with what the
        organization still owns, before anything is deleted.
      - With V(absent), an object another run deleted after this task found it (the API answers its
        C(DELETE) with its own 404) counts as deleted; the task succeeds with C(changed=false).
    type: str
    choices: [present, absent]
    default: present
  address_line1:
    description:
      - First line of the postal address. Required to create an organization.
    type: str
  address_line2:
    description:
      - Second line of the postal address. V("") clears it.
    type: str
  address_zip:
    description:
      - Postal code. Required to create an organization.
    type: str
  address_city:
    description:
      - City. Required to create an organization.
    type: str
  address_state:
    description:
      - State or region. V("") clears it.
    type: str
  address_country:
    description:
      - Country. Required to create an organization.
    type: str
  technical_contacts:
    description:
      - Ids of the technical contacts.
      - The order does not matter - the list is compared with the current one as a set of ids (duplicates
        counted), and sent in the order given when it differs. V([]) removes every contact.
    type: list
    elements: str
  administrative_contacts:
    description:
      - Ids of the administrative contacts, compared like O(technical_contacts).
    type: list
    elements: str
  billing_contacts:
    description:
      - Ids of the billing contacts, compared like O(technical_contacts).
    type: list
    elements: str
notes:
  - The fields needed to create an organization (O(name), O(address_line1), O(address_zip), O(address_city),
    O(address_country)) are checked once the module knows the organization does not exist yet, before any
    write; every missing one is named.
  - The user who creates an organization becomes a member of it. From then on the token's user belongs to
    more than one organization, so other modules of this collection need their C(organization) option to
    create resources.
  - If the answer to a create is lost, the module looks the organization up by name before trying again, so a
    retry never makes a duplicate.
extends_documentation_fragment:
  - scaleway_v1.cloud.scaleway
  - scaleway_v1.cloud.scaleway.attributes
attributes:
  check_mode:
    description: In check mode nothing is written; the result and the diff show what would change.
    support: full
  diff_mode:
    description: The diff shows the name, the address fields and the contact lists before and after.
    support: full
seealso:
  - module: scaleway_v1.cloud.scaleway_organization_info
author: scaleway_v1.cloud contributors (@scaleway-v1)
"""

EXAMPLES = r"""
- name: Create an organization (the user of the token becomes a member)
  scaleway_v1.cloud.scaleway_organization:
    name: acme
    address_line1: 8 rue de la Ville l'Eveque
    address_zip: "75008"
    address_city: Paris
    address_country: FR
  register: acme

- name: Set its contacts, selected by id (the order of the ids does not matter)
  scaleway_v1.cloud.scaleway_organization:
    id: "{{ acme.organization.id }}"
    technical_contacts:
      - 3b0f6c1e-2d4a-4e8b-9f7c-1a2b3c4d5e6f
    billing_contacts:
      - 7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b
      - 3b0f6c1e-2d4a-4e8b-9f7c-1a2b3c4d5e6f

- name: Delete an organization that owns nothing any more
  scaleway_v1.cloud.scaleway_organization:
    name: acme-old-subsidiary
    state: absent
"""

RETURN = r"""
organization:
  description:
    - The organization as the API returns it after the task.
    - V(null) when it is absent, and in check mode when it would be created.
  returned: always
  type: dict
  contains:
    id:
      description: Id of the organization.
      type: str
      sample: 0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0
    name:
      description: Name of the organization.
      type: str
      sample: acme
    address_line1:
      description: First line of the postal address.
      type: str
      sample: 8 rue de la Ville l'Eveque
    address_line2:
      description: Second line of the postal address.
      type: str
      sample: ""
    address_zip:
      description: Postal code.
      type: str
      sample: "75008"
    address_city:
      description: City.
      type: str
      sample: Paris
    address_state:
      description: State or region.
      type: str
      sample: ""
    address_country:
      description: Country.
      type: str
      sample: FR
    technical_contacts:
      description: Ids of the technical contacts.
      type: list
      elements: str
      sample: ["3b0f6c1e-2d4a-4e8b-9f7c-1a2b3c4d5e6f"]
    administrative_contacts:
      description: Ids of the administrative contacts.
      type: list
      elements: str
      sample: []
    billing_contacts:
      description: Ids of the billing contacts.
      type: list
      elements: str
      sample: ["7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b"]
    level:
      description: Level of the organization.
      type: str
      sample: basic
    creation_date:
      description: When the organization was created (ISO 8601, UTC).
      type: str
      sample: "2026-01-15T09:30:00Z"
    modification_date:
      description: When the organization was last changed (ISO 8601, UTC).
      type: str
      sample: "2026-01-15T09:35:12Z"
changed:
  description: Whether the organization was (or, in check mode, would be) changed.
  returned: always
  type: bool
  sample: true
owned:
  description:
    - What the organization still owns, kind to count, when a deletion was refused because of it.
  returned: on failure to delete an organization that is not empty
  type: dict
  sample: {"servers": 2, "volumes": 2, "tags": 1}
unattributed_copies:
  description: Ids of other organizations of this name that appeared during the create and were left in place, with a warning,
    because this task cannot prove it made them (it deletes only its own); see the reliability guide.
  returned: when a create left such copies
  type: list
  elements: str
diff:
  description: Name, address fields and contact lists before and after, when run with C(--diff).
  returned: when diff mode is on
  type: dict
  sample: {"before": {"name": "acme", "address_city": "Lyon"}, "after": {"name": "acme", "address_city": "Paris"}}
"""

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.base import ScalewayResourceModule
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.checks import check_text
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayAPIError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.common import dict_changes
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import CONTAINERS, ORGANIZATIONS, SERVERS, TAGS, VOLUMES

TEXT_FIELDS = ("name", "address_line1", "address_line2", "address_zip", "address_city", "address_state",
               "address_country")
CONTACT_FIELDS = ("technical_contacts", "administrative_contacts", "billing_contacts")
REQUIRED_TO_CREATE = ("name", "address_line1", "address_zip", "address_city", "address_country")
# What an organization can own: the API refuses to delete it while any exists.
OWNED_KINDS = (SERVERS, VOLUMES, TAGS, CONTAINERS)


def contact_changes(current, wanted):
    """The contact lists of ``wanted`` that differ from ``current`` regardless of order (None: leave)."""
    return dict((field, wanted[field]) for field in CONTACT_FIELDS
                if wanted.get(field) is not None and sorted(wanted[field]) != sorted(current.get(field) or []))


def describe_owned(owned):
    """``{"servers": 2, "tags": 1}`` as "2 servers, 1 tag"."""
    return ", ".join("%d %s" % (count, kind if count != 1 else kind[:-1]) for kind, count in owned.items())


class ScalewayOrganization(ScalewayResourceModule):
    resource = "organization"
    kind = ORGANIZATIONS
    owned = False
    list_params = {"name": None}
    argument_spec = dict(
        name=dict(type="str"),
        id=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        address_line1=dict(type="str"),
        address_line2=dict(type="str"),
        address_zip=dict(type="str"),
        address_city=dict(type="str"),
        address_state=dict(type="str"),
        address_country=dict(type="str"),
        technical_contacts=dict(type="list", elements="str"),
        administrative_contacts=dict(type="list", elements="str"),
        billing_contacts=dict(type="list", elements="str"),
    )
    module_kwargs = dict(supports_check_mode=True, required_one_of=[("id", "name")])

    def validate(self):
        super(ScalewayOrganization, self).validate()
        for field in TEXT_FIELDS[1:]:
            check_text(field, self.params[field])

    def diff_view(self, obj):
        return dict((field, obj.get(field)) for field in TEXT_FIELDS + CONTACT_FIELDS)

    def create_body(self):
        missing = [field for field in REQUIRED_TO_CREATE if not self.params[field]]
        if missing:
            self.fail("organization %r does not exist; to create it, set %s" % (self.params["name"], ", ".join(missing)))
        return dict((key, self.params[key]) for key in TEXT_FIELDS + CONTACT_FIELDS if self.params[key] is not None)

    def plan_create(self, body):
        return self.diff_view(body)

    def _update(self):
        changes = dict_changes(self.current, dict((field, self.params[field]) for field in TEXT_FIELDS))
        changes.update(contact_changes(self.current, self.params))
        if not changes:
            return False
        if self.module.check_mode:
            self.planned_view = self.diff_view(dict(self.current, **changes))
        else:
            self.current = self.client.update(self.object_path(self.current["id"]), "organization", changes)
        return True

    def _delete(self):
        self._refuse_if_owning()
        try:
            return super(ScalewayOrganization, self)._delete()
        except ScalewayAPIError as exc:
            if exc.status == 402 and exc.code == "not_empty":
                # Something was created between the count and the delete: report it the same way.
                self._refuse_if_owning()
            raise

    def _owned(self):
        """Kind to count of what the organization owns: one item per kind is enough to read X-Total-Count."""
        owned = {}
        params = {"organization": self.current["id"]}
        for kind in OWNED_KINDS:
            path, key = kind.path, kind.plural
            page = self.client.get_page(path, key, params=params, limit=1)
            count = page.total
            if count is None:
                count = sum(1 for _item in self.client.paginate(path, key, params=params))
            if count:
                owned[key] = count
        return owned

    def _refuse_if_owning(self):
        owned = self._owned()
        if owned:
            self.fail("organization %r (%s) still owns %s; delete them before deleting the organization"
                      % (self.current.get("name"), self.current["id"], describe_owned(owned)), owned=owned)


def main():
    ScalewayOrganization.run()


if __name__ == "__main__":
    main()
