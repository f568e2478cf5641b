"""Servers: create, read, update, delete, volumes, addresses and list filters."""

import ipaddress

from sim_helpers import error_of

PUBLIC = (ipaddress.ip_network("203.0.113.0/24"), ipaddress.ip_network("198.51.100.0/24"))


def test_create_defaults_and_default_tag(api):
    server = api.create("servers", {"name": "web"}, "server")
    assert (server["state"], server["commercial_type"], server["image"], server["volumes"]) == ("off", "VC1S", None, {})
    assert [tag["name"] for tag in server["tags"]] == ["default"]
    tag = api.ok("GET", f"/tags/{server['tags'][0]['id']}")["tag"]
    assert (tag["type"], tag["servers"], tag["organization"]) == ("server", 1, server["organization"])
    assert any(ipaddress.ip_address(server["public_ip"]["address"]) in net for net in PUBLIC)
    assert ipaddress.ip_address(server["private_ip"]) in ipaddress.ip_network("10.0.0.0/8")
    assert api.ok("GET", f"/servers/{server['id']}")["server"] == server


def test_create_with_volumes_mounts_them_by_position(api):
    first = api.create("volumes", {"name": "root", "size": 10}, "volume")
    second = api.create("volumes", {"name": "data", "size": 20}, "volume")
    server = api.create("servers", {"name": "db", "image": "img-1", "commercial_type": "C2S",
                                    "volumes": [second["id"], first["id"]]}, "server")
    assert [server["volumes"][key]["id"] for key in ("0", "1")] == [second["id"], first["id"]]
    mounted = server["volumes"]["0"]
    assert mounted["state"] == "in_use" and mounted["server"] == {"id": server["id"], "name": "db"}
    assert api.ok("GET", f"/volumes/{first['id']}")["volume"]["server"]["id"] == server["id"]


def test_volumes_must_be_free_known_and_listed_once(api):
    volume = api.create("volumes", {"name": "root", "size": 10}, "volume")
    api.create("servers", {"name": "a", "volumes": [volume["id"]]}, "server")
    error_of(api.post("/servers", {"name": "b", "volumes": [volume["id"]]}), 402, "invalid_state", "volumes")
    error_of(api.post("/servers", {"name": "b", "volumes": ["no-such-volume"]}), 400, "unknown_resource", "volumes")
    other = api.create("volumes", {"name": "other", "size": 10}, "volume")
    error_of(api.post("/servers", {"name": "b", "volumes": [other["id"], other["id"]]}), 400, param="volumes")
    error_of(api.post("/servers", {"name": "b", "volumes": other["id"]}), 400, param="volumes")
    assert [s["name"] for s in api.ok("GET", "/servers")["servers"]] == ["a"]


def test_update_fields_and_volumes_while_off(api):
    old = api.create("volumes", {"name": "old", "size": 10}, "volume")
    new = api.create("volumes", {"name": "new", "size": 10}, "volume")
    server = api.create("servers", {"name": "web", "volumes": [old["id"]]}, "server")
    changes = {"name": "web2", "image": "img-2", "commercial_type": "VC1M", "volumes": [new["id"]]}
    updated = api.ok("PUT", f"/servers/{server['id']}", changes)["server"]
    assert (updated["name"], updated["image"], updated["commercial_type"]) == ("web2", "img-2", "VC1M")
    assert updated["volumes"]["0"]["id"] == new["id"] and updated["modification_date"] > server["modification_date"]
    assert api.ok("GET", f"/volumes/{old['id']}")["volume"]["state"] == "available"
    assert api.ok("PUT", f"/servers/{server['id']}", {"image": None})["server"]["image"] is None


def test_update_volumes_while_running_is_refused_unless_unchanged(api):
    api.ok("POST", "/_sim/config", {"transition_delay": 0}, 200)
    volume = api.create("volumes", {"name": "root", "size": 10}, "volume")
    spare = api.create("volumes", {"name": "spare", "size": 10}, "volume")
    server = api.create("servers", {"name": "web", "volumes": [volume["id"]]}, "server")
    api.ok("POST", f"/servers/{server['id']}/action", {"action": "poweron"}, 202)
    error_of(api.put(f"/servers/{server['id']}", {"volumes": [spare["id"]]}), 402, "invalid_state", "volumes")
    assert api.ok("PUT", f"/servers/{server['id']}", {"volumes": [volume["id"]], "name": "renamed"})["server"]["name"] == "renamed"


def test_update_rejects_read_only_and_organization_changes(api):
    server = api.create("servers", {"name": "web"}, "server")
    for field in ("state", "tags", "public_ip", "private_ip", "creation_date"):
        error_of(api.put(f"/servers/{server['id']}", {field: server[field]}), 400, param=field)
    error_of(api.put(f"/servers/{server['id']}", {"organization": "another"}), 400, param="organization")
    assert api.put(f"/servers/{server['id']}", {"organization": server["organization"]}).status == 200
    error_of(api.put(f"/servers/{server['id']}", {"name": None}), 400, param="name")
    error_of(api.put("/servers/nope", {"name": "x"}), 404, "unknown_resource")


def test_delete_keeps_volumes_and_other_tags_but_not_the_default_tag(api):
    volume = api.create("volumes", {"name": "root", "size": 10}, "volume")
    server = api.create("servers", {"name": "web", "volumes": [volume["id"]]}, "server")
    user_tag = api.create("tags", {"name": "web"}, "tag")
    api.ok("POST", f"/servers/{server['id']}/tags", {"tag_id": user_tag["id"]}, 201)
    api.ok("DELETE", f"/servers/{server['id']}", status=204)
    error_of(api.get(f"/servers/{server['id']}"), 404, "unknown_resource")
    assert api.ok("GET", f"/volumes/{volume['id']}")["volume"]["state"] == "available"
    assert api.ok("GET", f"/tags/{user_tag['id']}")["tag"]["servers"] == 0
    error_of(api.get(f"/tags/{server['tags'][0]['id']}"), 404, "unknown_resource")
    error_of(api.delete(f"/servers/{server['id']}"), 404, "unknown_resource")


def test_a_default_tag_held_by_another_server_outlives_its_server(api):
    first = api.create("servers", {"name": "a"}, "server")
    second = api.create("servers", {"name": "b"}, "server")
    default_tag = first["tags"][0]["id"]
    api.ok("POST", f"/servers/{second['id']}/tags", {"tag_id": default_tag}, 201)
    api.ok("DELETE", f"/servers/{first['id']}", status=204)
    assert api.ok("GET", f"/tags/{default_tag}")["tag"]["servers"] == 1


def test_delete_refuses_a_server_that_is_not_off(api):
    server = api.create("servers", {"name": "web"}, "server")
    api.ok("POST", f"/servers/{server['id']}/action", {"action": "poweron"}, 202)
    error_of(api.delete(f"/servers/{server['id']}"), 402, "invalid_state")


def test_list_filters(tenants):
    clients, orgs = tenants
    carol = clients["carol"]
    web = carol.create("servers", {"name": "web", "image": "img-a", "organization": orgs["alpha"]}, "server")
    carol.create("servers", {"name": "db", "image": "img-b", "organization": orgs["gamma"]}, "server")
    tag = carol.create("tags", {"name": "frontend", "organization": orgs["alpha"]}, "tag")
    carol.ok("POST", f"/servers/{web['id']}/tags", {"tag_id": tag["id"]}, 201)

    def names(query):
        return [server["name"] for server in carol.ok("GET", "/servers?" + query)["servers"]]

    assert names("") == ["web", "db"]
    assert names("name=web") == ["web"] and names("name=we") == []
    assert names("image=img-b") == names("image_id=img-b") == ["db"]
    assert names(f"organization={orgs['gamma']}") == names(f"organization_id={orgs['gamma']}") == ["db"]
    assert names(f"ip={web['public_ip']['address']}") == names(f"ip={web['private_ip']}") == ["web"]
    assert names("tag=frontend") == ["web"] and names("tag=default") == ["web", "db"]
    assert names(f"organization={orgs['beta']}") == []


def test_public_addresses_run_out_and_come_back(api):
    created = [api.create("servers", {"name": f"s{index}"}, "server") for index in range(509)]
    addresses = [server["public_ip"]["address"] for server in created[:508]]
    assert len(set(addresses)) == 508 and created[508]["public_ip"] is None
    assert len({server["private_ip"] for server in created}) == 509
    api.ok("DELETE", f"/servers/{created[0]['id']}", status=204)
    assert api.create("servers", {"name": "again"}, "server")["public_ip"]["address"] == addresses[0]
