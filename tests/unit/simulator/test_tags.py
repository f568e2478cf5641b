"""Tags, attaching them to servers, and tag metadata."""

import pytest

from sim_helpers import error_of, quote_path


@pytest.fixture(name="tag")
def fixture_tag(api):
    return api.create("tags", {"name": "frontend"}, "tag")


def test_create_get_update(api, tag):
    assert (tag["type"], tag["servers"]) == ("user", 0)
    assert api.ok("GET", f"/tags/{tag['id']}")["tag"] == tag
    updated = api.ok("PUT", f"/tags/{tag['id']}", {"name": "web", "type": "role"})["tag"]
    assert (updated["name"], updated["type"]) == ("web", "role")
    error_of(api.put(f"/tags/{tag['id']}", {"servers": 3}), 400, param="servers")
    error_of(api.put(f"/tags/{tag['id']}", {"type": ""}), 400, param="type")
    error_of(api.post("/tags", {"type": "role"}), 400, param="name")
    error_of(api.post("/tags", {"name": 7}), 400, param="name")


def test_names_need_not_be_unique_and_filter_exactly(api, tag):
    twin = api.create("tags", {"name": "frontend", "type": "other"}, "tag")
    api.create("tags", {"name": "frontend-2"}, "tag")
    assert [t["id"] for t in api.ok("GET", "/tags?name=frontend")["tags"]] == [tag["id"], twin["id"]]
    assert api.ok("GET", f"/tags?organization={tag['organization']}&name=frontend-2")["tags"][0]["name"] == "frontend-2"


def test_attach_detach_and_server_tags(api, tag):
    server = api.create("servers", {"name": "web"}, "server")
    path = f"/servers/{server['id']}/tags"
    assert api.ok("POST", path, {"tag_id": tag["id"]}, 201)["tag"]["servers"] == 1
    assert api.ok("POST", path, {"tag_id": tag["id"]}, 200)["tag"]["servers"] == 1
    listed = api.ok("GET", path)["tags"]
    assert [t["name"] for t in listed] == ["frontend", "default"]
    assert [t["name"] for t in api.ok("GET", f"/servers/{server['id']}")["server"]["tags"]] == ["frontend", "default"]
    assert [t["id"] for t in api.ok("GET", f"/tags?server_id={server['id']}&name=frontend")["tags"]] == [tag["id"]]
    api.ok("DELETE", f"{path}/{tag['id']}", status=204)
    error_of(api.delete(f"{path}/{tag['id']}"), 404, "unknown_resource")
    assert api.ok("GET", f"/tags/{tag['id']}")["tag"]["servers"] == 0
    assert [t["name"] for t in api.ok("GET", path)["tags"]] == ["default"]


def test_attach_needs_a_visible_tag_of_the_same_organization(tenants):
    clients, orgs = tenants
    carol = clients["carol"]
    server = carol.create("servers", {"name": "web", "organization": orgs["alpha"]}, "server")
    elsewhere = carol.create("tags", {"name": "t", "organization": orgs["gamma"]}, "tag")
    path = f"/servers/{server['id']}/tags"
    error_of(carol.post(path, {"tag_id": elsewhere["id"]}), 400, param="tag_id")
    error_of(carol.post(path, {"tag_id": "nope"}), 400, "unknown_resource", "tag_id")
    error_of(carol.post(path, {}), 400, param="tag_id")
    error_of(carol.post("/servers/nope/tags", {"tag_id": elsewhere["id"]}), 404, "unknown_resource")
    error_of(carol.get("/servers/nope/tags"), 404, "unknown_resource")


def test_delete_detaches_from_every_server(api, tag):
    servers = [api.create("servers", {"name": f"s{i}"}, "server") for i in range(2)]
    for server in servers:
        api.ok("POST", f"/servers/{server['id']}/tags", {"tag_id": tag["id"]}, 201)
    assert api.ok("GET", "/servers?tag=frontend")["servers"]
    api.ok("DELETE", f"/tags/{tag['id']}", status=204)
    error_of(api.get(f"/tags/{tag['id']}"), 404, "unknown_resource")
    assert api.ok("GET", "/servers?tag=frontend")["servers"] == []
    assert all(len(s["tags"]) == 1 for s in api.ok("GET", "/servers")["servers"])


def test_metadata_lifecycle(api, tag):
    path = f"/tags/{tag['id']}/metadatas"
    assert api.ok("POST", path, {"metadata_key": "env", "metadata_value": "prod"}, 201)["metadata"] == {"key": "env", "value": "prod"}
    api.ok("POST", path, {"metadata_key": "team/a b", "metadata_value": ""}, 201)
    error_of(api.post(path, {"metadata_key": "env", "metadata_value": "dev"}), 400, "conflict", "metadata_key")
    assert [m["key"] for m in api.ok("GET", path)["metadatas"]] == ["env", "team/a b"]
    assert api.ok("GET", path + "?key=env")["metadatas"] == [{"key": "env", "value": "prod"}]
    assert api.ok("GET", path + "?key=nope")["metadatas"] == []
    encoded = f"{path}/{quote_path('team/a b').replace('/', '%2F')}"
    assert api.ok("PUT", encoded, {"metadata_value": "x"})["metadata"] == {"key": "team/a b", "value": "x"}
    assert api.ok("PUT", f"{path}/env", {"metadata_key": "env", "metadata_value": "dev"})["metadata"]["value"] == "dev"
    api.ok("DELETE", encoded, status=204)
    error_of(api.delete(encoded), 404, "unknown_resource")
    error_of(api.put(encoded, {"metadata_value": "x"}), 404, "unknown_resource")
    assert api.ok("GET", path)["metadatas"] == [{"key": "env", "value": "dev"}]


@pytest.mark.parametrize("body, param", [
    ({"metadata_value": "v"}, "metadata_key"),
    ({"metadata_key": "k"}, "metadata_value"),
    ({"metadata_key": "", "metadata_value": "v"}, "metadata_key"),
    ({"metadata_key": "k" * 129, "metadata_value": "v"}, "metadata_key"),
    ({"metadata_key": "k", "metadata_value": "v" * 4097}, "metadata_value"),
    ({"metadata_key": "k", "metadata_value": 1}, "metadata_value"),
    ({"key": "k", "metadata_value": "v"}, "key"),
])
def test_metadata_validation(api, tag, body, param):
    error_of(api.post(f"/tags/{tag['id']}/metadatas", body), 400, param=param)


def test_metadata_update_validation(api, tag):
    path = f"/tags/{tag['id']}/metadatas"
    api.ok("POST", path, {"metadata_key": "k" * 128, "metadata_value": "v" * 4096}, 201)
    error_of(api.put(f"{path}/{'k' * 128}", {}), 400, param="metadata_value")
    error_of(api.put(f"{path}/{'k' * 128}", {"metadata_key": "other", "metadata_value": "v"}), 400, param="metadata_key")
    error_of(api.get("/tags/nope/metadatas"), 404, "unknown_resource")


def test_tags_carry_their_metadata_in_every_answer(api, tag):
    """docs/docsite/rst/guide_api.rst, Tags: list, info, POST and PUT answers embed metadatas and metadatas_count."""
    assert (tag["metadatas"], tag["metadatas_count"]) == ([], 0)
    path = f"/tags/{tag['id']}/metadatas"
    api.ok("POST", path, {"metadata_key": "b", "metadata_value": "1"}, 201)
    api.ok("POST", path, {"metadata_key": "a", "metadata_value": "2"}, 201)
    api.ok("PUT", f"{path}/b", {"metadata_value": "3"})
    expected = [{"key": "b", "value": "3"}, {"key": "a", "value": "2"}]
    assert api.ok("GET", f"/tags/{tag['id']}")["tag"]["metadatas"] == expected
    listed = [item for item in api.ok("GET", "/tags")["tags"] if item["id"] == tag["id"]]
    assert [(item["metadatas"], item["metadatas_count"]) for item in listed] == [(expected, 2)]
    updated = api.ok("PUT", f"/tags/{tag['id']}", {"type": "role"})["tag"]
    assert (updated["metadatas"], updated["metadatas_count"]) == (expected, 2)
    error_of(api.put(f"/tags/{tag['id']}", {"metadatas": []}), 400, param="metadatas")
    error_of(api.put(f"/tags/{tag['id']}", {"metadatas_count": 0}), 400, param="metadatas_count")


def test_embedded_metadata_stops_at_100_entries(api, tag):
    path = f"/tags/{tag['id']}/metadatas"
    for number in range(102):
        api.ok("POST", path, {"metadata_key": f"k{number:03d}", "metadata_value": str(number)}, 201)
    shown = api.ok("GET", f"/tags/{tag['id']}")["tag"]
    assert shown["metadatas_count"] == 102
    assert [entry["key"] for entry in shown["metadatas"]] == [f"k{number:03d}" for number in range(100)]
    assert len(api.ok("GET", path)["metadatas"]) == 100  # the list's own page size
    assert len(api.ok("GET", path + "?limit=500")["metadatas"]) == 102


def test_metadata_writes_change_the_tags_modification_date(api, tag):
    path = f"/tags/{tag['id']}/metadatas"
    dates = [api.ok("GET", f"/tags/{tag['id']}")["tag"]["modification_date"]]
    api.ok("POST", path, {"metadata_key": "k", "metadata_value": "v"}, 201)
    dates.append(api.ok("GET", f"/tags/{tag['id']}")["tag"]["modification_date"])
    api.ok("PUT", f"{path}/k", {"metadata_value": "w"})
    dates.append(api.ok("GET", f"/tags/{tag['id']}")["tag"]["modification_date"])
    assert api.delete(f"{path}/k").status == 204
    dates.append(api.ok("GET", f"/tags/{tag['id']}")["tag"]["modification_date"])
    assert dates == sorted(dates) and len(set(dates)) == 4


@pytest.mark.parametrize("key", [".", "..", "a\nb", "tab\there", "del\x7f"])
def test_metadata_keys_that_cannot_be_one_segment_are_refused(api, tag, key):
    """docs/docsite/rst/guide_api.rst, Tag metadata: '.', '..' and control characters answer 400 metadata_key."""
    error_of(api.post(f"/tags/{tag['id']}/metadatas", {"metadata_key": key, "metadata_value": "v"}), 400,
             param="metadata_key")
    assert api.ok("GET", f"/tags/{tag['id']}/metadatas")["metadatas"] == []


@pytest.mark.parametrize("segment", ["..", ".", "%2E%2E", "%2e", "a%0Ab"])
def test_metadata_urls_of_such_keys_are_refused(api, tag, segment):
    path = f"/tags/{tag['id']}/metadatas"
    error_of(api.put(f"{path}/{segment}", {"metadata_value": "x"}), 400, param="metadata_key")
    error_of(api.delete(f"{path}/{segment}"), 400, param="metadata_key")
    # The tag is still there, untouched.
    assert api.ok("GET", f"/tags/{tag['id']}")["tag"]["id"] == tag["id"]


def test_a_key_with_a_slash_is_one_encoded_segment(api, tag):
    path = f"/tags/{tag['id']}/metadatas"
    api.ok("POST", path, {"metadata_key": "a/..", "metadata_value": "1"}, 201)
    assert api.ok("PUT", f"{path}/a%2F..", {"metadata_value": "2"})["metadata"] == {"key": "a/..", "value": "2"}
    # Not encoded, the slash makes two segments: no such endpoint.
    assert api.put(f"{path}/a/..", {"metadata_value": "3"}).status == 404
    api.ok("DELETE", f"{path}/a%2F..", status=204)
