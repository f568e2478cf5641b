# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import UnresolvedReference, resolve_reference
from ansible_collections.scaleway_v1.cloud.plugins.modules.scaleway_volume import fixed_field_conflicts, volume_view

VOLUME = {"id": "v1", "name": "data", "organization": "org", "size": 20000000000, "type": "l_ssd",
          "server": {"id": "s1", "name": "web"}, "state": "in_use", "base_volume": None}


def test_view_holds_the_managed_fields_only():
    assert volume_view(VOLUME) == {"name": "data", "organization": "org", "size": 20000000000, "type": "l_ssd"}


def test_no_conflict_when_the_wanted_fields_match_or_are_left_out():
    assert fixed_field_conflicts(VOLUME, {"name": "data", "size": 20000000000, "type": None}) == []
    assert fixed_field_conflicts(VOLUME, {"name": None, "size": None, "type": None}) == []


def test_each_differing_field_is_a_conflict_named_by_its_option():
    conflicts = fixed_field_conflicts(VOLUME, {"name": "data-2", "size": 10, "type": "b_ssd"})
    assert conflicts == [("name", "data", "data-2"), ("size", 20000000000, 10), ("type", "l_ssd", "b_ssd")]


# -- base_volume: a name or an id, resolved within the organization ------------------------------

class FakeClient:
    """Answers GET by id and the filtered list of volumes from a fixed set; records the requests."""

    def __init__(self, volumes):
        self.volumes = volumes
        self.requests = []

    def get_or_none(self, path, key):
        self.requests.append(("GET", path))
        return next((volume for volume in self.volumes if path == "/volumes/" + volume["id"]), None)

    def paginate(self, path, key, params):
        self.requests.append(("LIST", path, tuple(sorted(params.items()))))
        # The API's name filter may match loosely; resolve_reference must check the exact name.
        for volume in self.volumes:
            if params["name"] in volume["name"] and params.get("organization") in (None, volume["organization"]):
                yield volume


ID_1 = "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d"
ID_2 = "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f"
ID_3 = "3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a"
VOLUMES = [
    {"id": ID_1, "name": "db", "organization": "org-a"},
    {"id": ID_2, "name": "db", "organization": "org-b"},
    {"id": ID_3, "name": "db-old", "organization": "org-a"},
]


def resolve(reference, organization=None):
    client = FakeClient(VOLUMES)
    return resolve_reference(client, "/volumes", "volume", "volumes", reference, organization,
                             option="base_volume"), client.requests


def failure(reference, organization=None):
    with pytest.raises(UnresolvedReference) as caught:
        resolve(reference, organization)
    return str(caught.value)


def test_a_name_is_looked_up_within_the_organization_exactly():
    found, requests = resolve("db", "org-a")
    assert found["id"] == ID_1
    assert requests == [("LIST", "/volumes", (("name", "db"), ("organization", "org-a")))]


def test_an_id_costs_one_get():
    found, requests = resolve(ID_3)
    assert found["id"] == ID_3
    assert requests == [("GET", "/volumes/" + ID_3)]


def test_a_name_shared_by_two_volumes_lists_their_ids():
    assert failure("db") == "base_volume: 2 volumes are named 'db' (ids: %s, %s); give the id instead" % (ID_1, ID_2)


def test_unknown_names_and_ids_name_the_option():
    assert failure("nothing", "org-a") == ("base_volume: no volume named 'nothing' in organization org-a is visible "
                                           "to this token")
    assert failure("4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b").startswith("base_volume: no volume with id ")


def test_an_id_from_another_organization_is_refused():
    assert failure(ID_2, "org-a") == "base_volume: volume %s belongs to organization org-b, not org-a" % ID_2
