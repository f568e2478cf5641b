"""Tenancy: a token sees and changes only what its organizations own; everything else is 404."""

import pytest

from sim_helpers import error_of


@pytest.fixture(name="owned")
def fixture_owned(tenants):
    """alice's server, volume, tag (with metadata) and container, all in organization alpha."""
    clients, orgs = tenants
    alice = clients["alice"]
    made = {
        "servers": alice.create("servers", {"name": "web"}, "server"),
        "volumes": alice.create("volumes", {"name": "disk", "size": 1}, "volume"),
        "tags": alice.create("tags", {"name": "t"}, "tag"),
        "containers": alice.create("containers", {"name": "c"}, "container"),
    }
    alice.ok("POST", f"/tags/{made['tags']['id']}/metadatas", {"metadata_key": "k", "metadata_value": "v"}, 201)
    alice.ok("POST", f"/containers/{made['containers']['id']}/objects", {"path": "o"}, 201)
    assert {item["organization"] for item in made.values()} == {orgs["alpha"]}
    return clients, orgs, made


@pytest.mark.parametrize("plural", ["servers", "volumes", "tags", "containers"])
def test_other_organizations_get_404_for_everything(owned, plural):
    clients, made = owned[0], owned[2]
    bob = clients["bob"]
    ident = made[plural]["id"]
    error_of(bob.get(f"/{plural}/{ident}"), 404, "unknown_resource")
    if plural != "volumes":
        error_of(bob.put(f"/{plural}/{ident}", {"name": "mine"}), 404, "unknown_resource")
    error_of(bob.delete(f"/{plural}/{ident}"), 404, "unknown_resource")
    assert bob.ok("GET", f"/{plural}")[plural] == []
    assert clients["alice"].ok("GET", f"/{plural}/{ident}")[plural[:-1]]["id"] == ident


def test_other_organizations_get_404_for_sub_resources(owned):
    clients, made = owned[0], owned[2]
    bob = clients["bob"]
    server, tag, container = made["servers"]["id"], made["tags"]["id"], made["containers"]["id"]
    for path in (f"/servers/{server}/action", f"/servers/{server}/sessions", f"/servers/{server}/tags",
                 f"/tags/{tag}/metadatas", f"/containers/{container}/objects", f"/containers/{container}/objects/o"):
        error_of(bob.get(path), 404, "unknown_resource")
    error_of(bob.post(f"/servers/{server}/action", {"action": "poweron"}), 404, "unknown_resource")
    error_of(bob.delete(f"/tags/{tag}/metadatas/k"), 404, "unknown_resource")
    error_of(bob.delete(f"/containers/{container}/objects/o"), 404, "unknown_resource")
    # bob's own server cannot take alice's tag or volume either: they are unknown to him.
    bobs = bob.create("servers", {"name": "b"}, "server")["id"]
    error_of(bob.post(f"/servers/{bobs}/tags", {"tag_id": tag}), 400, "unknown_resource", "tag_id")
    error_of(bob.put(f"/servers/{bobs}", {"volumes": [made["volumes"]["id"]]}), 400, "unknown_resource", "volumes")
    error_of(bob.post("/volumes", {"name": "x", "base_volume": made["volumes"]["id"]}), 400, "unknown_resource", "base_volume")


def test_organizations_are_visible_to_members_only(owned):
    clients, orgs = owned[:2]
    bob, carol = clients["bob"], clients["carol"]
    assert [org["name"] for org in bob.ok("GET", "/organizations")["organizations"]] == ["beta"]
    assert [org["name"] for org in carol.ok("GET", "/organizations/summary")["organizations"]] == ["alpha", "gamma"]
    error_of(bob.get(f"/organizations/{orgs['alpha']}"), 404, "unknown_resource")
    error_of(bob.delete(f"/organizations/{orgs['alpha']}"), 404, "unknown_resource")
    error_of(bob.post("/servers", {"name": "x", "organization": orgs["alpha"]}), 400, "unknown_resource", "organization")
    assert bob.ok("GET", f"/servers?organization={orgs['alpha']}")["servers"] == []


def test_a_member_of_two_organizations_sees_both_and_must_choose(owned):
    clients, orgs, made = owned
    carol = clients["carol"]
    assert carol.ok("GET", f"/servers/{made['servers']['id']}")["server"]["name"] == "web"
    error_of(carol.post("/servers", {"name": "x"}), 400, param="organization")
    mine = carol.create("servers", {"name": "x", "organization": orgs["gamma"]}, "server")
    assert [s["name"] for s in carol.ok("GET", "/servers")["servers"]] == ["web", "x"]
    error_of(clients["alice"].get(f"/servers/{mine['id']}"), 404, "unknown_resource")
