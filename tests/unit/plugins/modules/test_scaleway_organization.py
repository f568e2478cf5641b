# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""scaleway_organization: create needs, order-insensitive contacts, and the refusal to delete a non-empty one."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scaleway_v1.cloud.plugins.modules import scaleway_organization
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.modules.test_scaleway_tag import (
    ORG,
    OTHER_ID,
    ScriptedApi,
    page,
    run_module,
)

ORG_PATH = "/organizations/%s" % ORG
ADDRESS = {"address_line1": "1 rue X", "address_zip": "75001", "address_city": "Paris", "address_country": "FR"}
CONTACT_A = "3b0f6c1e-2d4a-4e8b-9f7c-1a2b3c4d5e6f"
CONTACT_B = "7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b"


def organization(name="acme", org_id=ORG, **fields):
    org = {"id": org_id, "name": name, "address_line1": "1 rue X", "address_line2": "", "address_zip": "75001",
           "address_city": "Paris", "address_state": "", "address_country": "FR", "technical_contacts": [],
           "administrative_contacts": [], "billing_contacts": [], "level": "basic"}
    org.update(fields)
    return org


def run(api, check_mode=False, **params):
    return run_module(scaleway_organization.ScalewayOrganization, api, params, check_mode=check_mode)


def counts(servers=0, volumes=0, tags=0, containers=0):
    """The four one-item pages whose X-Total-Count tells what an organization owns."""
    return [("GET", "/" + kind, 200, page(kind, [{"id": "x"}] * min(1, number)), {"X-Total-Count": str(number)})
            for kind, number in (("servers", servers), ("volumes", volumes), ("tags", tags),
                                 ("containers", containers))]


def test_contacts_compare_regardless_of_order():
    current = {"billing_contacts": [CONTACT_A, CONTACT_B], "technical_contacts": []}
    wanted = {"billing_contacts": [CONTACT_B, CONTACT_A], "technical_contacts": None, "administrative_contacts": []}
    assert scaleway_organization.contact_changes(current, wanted) == {}
    wanted["technical_contacts"] = [CONTACT_A]
    assert scaleway_organization.contact_changes(current, wanted) == {"technical_contacts": [CONTACT_A]}


def test_describe_owned_is_plural_aware():
    assert scaleway_organization.describe_owned({"servers": 2, "tags": 1}) == "2 servers, 1 tag"


def test_create_sends_every_given_field():
    api = ScriptedApi([
        ("GET", "/organizations", 200, page("organizations", [organization("other", OTHER_ID)])),
        ("POST", "/organizations", 201, {"organization": organization(billing_contacts=[CONTACT_A])}),
        ("GET", "/organizations", 200, page("organizations", [organization("other", OTHER_ID),
                                                               organization(billing_contacts=[CONTACT_A])])),
    ])
    params = dict(ADDRESS, name="acme", billing_contacts=[CONTACT_A])
    failed, result = run(api, **params)
    assert not failed and result["changed"] and result["organization"]["id"] == ORG
    assert api.calls[1][3] == params
    # The organization list has no name filter: none is sent.
    assert "name" not in api.calls[0][2]


def test_create_without_the_address_fails_naming_every_missing_field_before_any_write():
    api = ScriptedApi([("GET", "/organizations", 200, page("organizations", []))])
    failed, result = run(api, name="acme", address_city="Paris")
    assert failed
    assert "address_line1, address_zip, address_country" in result["msg"]
    assert api.writes == []


def test_unchanged_organization_sends_one_read():
    api = ScriptedApi([("GET", ORG_PATH, 200, {"organization": organization(billing_contacts=[CONTACT_A, CONTACT_B])})])
    failed, result = run(api, id=ORG, name="acme", billing_contacts=[CONTACT_B, CONTACT_A], **ADDRESS)
    assert not failed and not result["changed"]


def test_update_sends_only_what_differs_and_contacts_in_the_order_given():
    api = ScriptedApi([
        ("GET", ORG_PATH, 200, {"organization": organization()}),
        ("PUT", ORG_PATH, 200, {"organization": organization("acme-sa", address_city="Lyon",
                                                             billing_contacts=[CONTACT_B, CONTACT_A])}),
    ])
    failed, result = run(api, id=ORG, name="acme-sa", address_city="Lyon", address_zip="75001",
                         billing_contacts=[CONTACT_B, CONTACT_A])
    assert api.calls[1][3] == {"name": "acme-sa", "address_city": "Lyon", "billing_contacts": [CONTACT_B, CONTACT_A]}
    assert result["diff"]["before"]["address_city"] == "Paris" and result["diff"]["after"]["address_city"] == "Lyon"


def test_check_mode_update_writes_nothing():
    api = ScriptedApi([("GET", ORG_PATH, 200, {"organization": organization()})])
    failed, result = run(api, check_mode=True, id=ORG, address_line2="Bat. B")
    assert not failed and result["changed"] and result["diff"]["after"]["address_line2"] == "Bat. B"
    assert api.writes == []


def test_two_organizations_with_the_name_fail_with_both_ids():
    api = ScriptedApi([("GET", "/organizations", 200,
                        page("organizations", [organization(), organization(org_id=OTHER_ID)]))])
    failed, result = run(api, name="acme", state="absent")
    assert failed and ORG in result["msg"] and OTHER_ID in result["msg"]


def test_delete_of_an_organization_that_owns_things_says_what_before_deleting():
    api = ScriptedApi([("GET", ORG_PATH, 200, {"organization": organization()})] + counts(servers=1, tags=1))
    failed, result = run(api, id=ORG, state="absent")
    assert failed
    assert "still owns 1 server, 1 tag" in result["msg"] and ORG in result["msg"]
    assert result["owned"] == {"servers": 1, "tags": 1}
    assert api.writes == []
    assert all(params["organization"] == ORG and params["limit"] == 1 for _m, _p, params, _b in api.calls[1:])


def test_check_mode_delete_also_refuses_a_non_empty_organization():
    api = ScriptedApi([("GET", ORG_PATH, 200, {"organization": organization()})] + counts(containers=1))
    failed, result = run(api, check_mode=True, id=ORG, state="absent")
    assert failed and "1 container" in result["msg"]


def test_delete_of_an_empty_organization():
    api = ScriptedApi([("GET", ORG_PATH, 200, {"organization": organization()})] + counts()
                      + [("DELETE", ORG_PATH, 204, None)])
    failed, result = run(api, id=ORG, state="absent")
    assert not failed and result["changed"] and result["organization"] is None


def test_resource_created_between_count_and_delete_is_reported_too():
    refused = {"type": "invalid_request_error", "message": "not empty", "code": "not_empty"}
    api = ScriptedApi([("GET", ORG_PATH, 200, {"organization": organization()})] + counts()
                      + [("DELETE", ORG_PATH, 402, refused)] + counts(volumes=2))
    failed, result = run(api, id=ORG, state="absent")
    assert failed and "still owns 2 volumes" in result["msg"]


def test_without_a_total_count_the_owned_resources_are_counted_by_listing_them():
    one = ("GET", "/servers", 200, page("servers", [{"id": "x"}]))
    api = ScriptedApi([("GET", ORG_PATH, 200, {"organization": organization()}), one,
                       ("GET", "/servers", 200, page("servers", [{"id": "x"}, {"id": "y"}]))] + counts()[1:])
    failed, result = run(api, id=ORG, state="absent")
    assert failed and result["owned"] == {"servers": 2}
