"""Volumes: create from a size, a volume or a snapshot; filters; delete."""

import pytest

from sim_helpers import error_of


def test_create_from_size_with_defaults(api):
    volume = api.create("volumes", {"name": "data", "size": 10 ** 9}, "volume")
    org_id = api.ok("GET", "/organizations")["organizations"][0]["id"]
    assert volume["organization"] == org_id
    assert (volume["size"], volume["type"], volume["state"], volume["server"]) == (10 ** 9, "l_ssd", "available", None)
    assert volume["base_volume"] is None and volume["base_snapshot"] is None
    assert api.ok("GET", f"/volumes/{volume['id']}")["volume"] == volume


def test_clone_takes_the_base_volume_size(api):
    base = api.create("volumes", {"name": "base", "size": 123, "type": "b_ssd"}, "volume")
    clone = api.create("volumes", {"name": "clone", "base_volume": base["id"]}, "volume")
    assert clone["size"] == 123 and clone["base_volume"] == base["id"] and clone["type"] == "l_ssd"


def test_snapshot_ids_come_from_the_fixtures(api):
    api.ok("POST", "/_sim/fixtures", {"users": [{"token": "demo-token", "organizations": ["demo"]}], "snapshots": ["snap-1"]}, 200)
    volume = api.create("volumes", {"name": "restored", "base_snapshot": "snap-1"}, "volume")
    assert volume["base_snapshot"] == "snap-1" and volume["size"] == 50 * 1000 ** 3
    error_of(api.post("/volumes", {"name": "x", "base_snapshot": "snap-2"}), 400, "unknown_resource", "base_snapshot")


@pytest.mark.parametrize("body, param, code", [
    ({"size": 1}, "name", None),
    ({"name": "x"}, "size", None),
    ({"name": "x", "size": 1, "base_volume": "v"}, "base_volume", None),
    ({"name": "x", "size": 0}, "size", None),
    ({"name": "x", "size": "10"}, "size", None),
    ({"name": "x", "size": True}, "size", None),
    ({"name": "x", "size": 1.5}, "size", None),
    ({"name": "x", "size": 1, "type": "ssd"}, "type", None),
    ({"name": "x", "base_volume": "no-such-volume"}, "base_volume", "unknown_resource"),
    ({"name": "x", "size": 1, "state": "available"}, "state", None),
    ({"name": "x", "size": 1, "server": None}, "server", None),
    ({"name": "x", "size": 1, "organization": "elsewhere"}, "organization", "unknown_resource"),
])
def test_create_rejects_bad_bodies_naming_the_field(api, body, param, code):
    assert error_of(api.post("/volumes", body), 400, code, param)


def test_list_filters_by_name_and_organization(tenants):
    clients, orgs = tenants
    carol = clients["carol"]
    carol.create("volumes", {"name": "a", "size": 1, "organization": orgs["alpha"]}, "volume")
    carol.create("volumes", {"name": "b", "size": 1, "organization": orgs["gamma"]}, "volume")
    carol.create("volumes", {"name": "a", "size": 2, "organization": orgs["gamma"]}, "volume")
    assert [v["size"] for v in carol.ok("GET", "/volumes?name=a")["volumes"]] == [1, 2]
    assert [v["name"] for v in carol.ok("GET", f"/volumes?organization={orgs['gamma']}")["volumes"]] == ["b", "a"]
    assert carol.ok("GET", f"/volumes?organization={orgs['gamma']}&name=a")["volumes"][0]["size"] == 2
    assert carol.ok("GET", "/volumes?name=c")["volumes"] == []


def test_delete_refuses_an_attached_volume(api):
    volume = api.create("volumes", {"name": "disk", "size": 1}, "volume")
    server = api.create("servers", {"name": "s", "volumes": [volume["id"]]}, "server")
    error_of(api.delete(f"/volumes/{volume['id']}"), 402, "invalid_state")
    api.ok("PUT", f"/servers/{server['id']}", {"volumes": []})
    api.ok("DELETE", f"/volumes/{volume['id']}", status=204)
    error_of(api.get(f"/volumes/{volume['id']}"), 404, "unknown_resource")
    error_of(api.delete(f"/volumes/{volume['id']}"), 404, "unknown_resource")


def test_volumes_cannot_be_updated(api):
    volume = api.create("volumes", {"name": "disk", "size": 1}, "volume")
    answer = api.put(f"/volumes/{volume['id']}", {"name": "other"})
    error_of(answer, 405)
    assert answer.headers["Allow"] == "GET, DELETE"
