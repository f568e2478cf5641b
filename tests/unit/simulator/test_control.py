"""The /_sim control endpoints: reset, fixtures, request log, configuration."""

import pytest

from sim_helpers import error_of


def test_reset_clears_resources_and_keeps_fixtures(api):
    api.ok("POST", "/_sim/fixtures", {"users": [{"token": "t1", "organizations": ["one"]}]}, 200)
    api.ok("POST", "/servers", {"name": "web"}, 201, token="t1")
    api.ok("POST", "/_sim/config", {"transition_delay": 3}, 200)
    described = api.ok("POST", "/_sim/reset", status=200)
    assert [org["name"] for org in described["users"][0]["organizations"]] == ["one"]
    assert api.ok("GET", "/_sim/requests")["requests"] == []
    assert api.ok("GET", "/_sim/config")["transition_delay"] == 0.05
    assert api.ok("GET", "/servers", token="t1")["servers"] == []


def test_fixtures_replace_users_tokens_and_organizations(api):
    described = api.ok("POST", "/_sim/fixtures", {
        "users": [{"token": "a", "organizations": ["shared", "own"]}, {"token": "b", "organizations": ["shared"]},
                  {"token": "c", "organizations": []}],
        "snapshots": ["s1"],
    }, 200)
    orgs = {user["token"]: user["organizations"] for user in described["users"]}
    assert [org["name"] for org in orgs["a"]] == ["shared", "own"] and orgs["b"] == orgs["a"][:1] and orgs["c"] == []
    assert described["snapshots"] == ["s1"]
    error_of(api.get("/servers"), 401, "invalid_token")
    server = api.ok("POST", "/servers", {"name": "x", "organization": orgs["b"][0]["id"]}, 201, token="a")["server"]
    assert api.ok("GET", f"/servers/{server['id']}", token="b")["server"]["name"] == "x"
    error_of(api.post("/servers", {"name": "x"}, token="c"), 400, param="organization")


@pytest.mark.parametrize("document", [
    [],
    {},
    {"users": {}},
    {"users": [{"token": "", "organizations": []}]},
    {"users": [{"token": "a"}]},
    {"users": [{"token": "a", "organizations": "x"}]},
    {"users": [{"token": "a", "organizations": []}, {"token": "a", "organizations": []}]},
    {"users": [{"token": "a", "organizations": [], "admin": True}]},
    {"users": [], "snapshots": [1]},
    {"users": [], "images": []},
])
def test_bad_fixtures_are_400_and_change_nothing(api, document):
    error_of(api.post("/_sim/fixtures", document), 400)
    assert api.get("/servers").status == 200


def test_request_log_in_order_without_control_requests(api):
    api.get("/servers?name=a%20b&limit=5")
    api.post("/tags", {"name": "t"})
    api.get("/nothing")
    api.get("/servers", token="bad")
    assert api.ok("GET", "/_sim/requests")["requests"] == [
        {"method": "GET", "path": "/v1/servers", "query": "name=a%20b&limit=5", "status": 200},
        {"method": "POST", "path": "/v1/tags", "query": "", "status": 201},
        {"method": "GET", "path": "/v1/nothing", "query": "", "status": 404},
        {"method": "GET", "path": "/v1/servers", "query": "", "status": 401},
    ]
    api.ok("DELETE", "/_sim/requests", status=204)
    assert api.ok("GET", "/_sim/requests")["requests"] == []


def test_config_sets_the_transition_delay(api):
    assert api.ok("POST", "/_sim/config", {"transition_delay": 10}, 200)["transition_delay"] == 10
    server = api.create("servers", {"name": "web"}, "server")
    api.ok("POST", f"/servers/{server['id']}/action", {"action": "poweron"}, 202)
    assert api.ok("GET", f"/servers/{server['id']}")["server"]["state"] == "starting"
    api.ok("POST", "/_sim/config", {"transition_delay": 0}, 200)
    server = api.create("servers", {"name": "fast"}, "server")
    api.ok("POST", f"/servers/{server['id']}/action", {"action": "poweron"}, 202)
    assert api.ok("GET", f"/servers/{server['id']}")["server"]["state"] == "running"
    assert api.ok("GET", "/_sim/config") == {"transition_delay": 0, "rate_limit": 100000, "rate_window": 60}


@pytest.mark.parametrize("settings, param", [
    ({"transition_delay": -1}, "transition_delay"),
    ({"transition_delay": "1"}, "transition_delay"),
    ({"rate_limit": 0}, "rate_limit"),
    ({"rate_limit": 1.5}, "rate_limit"),
    ({"rate_window": 0}, "rate_window"),
    ({"speed": 1}, "speed"),
])
def test_bad_config_is_400(api, settings, param):
    error_of(api.post("/_sim/config", settings), 400, param=param)


def test_unknown_control_endpoints(api):
    error_of(api.request("GET", "/_sim/reset"), 405)
    error_of(api.request("POST", "/_sim/restart"), 404)
    error_of(api.request("POST", "/_sim/faults", raw_body=b"{"), 400)
