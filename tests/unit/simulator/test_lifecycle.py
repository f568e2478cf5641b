"""Power actions, their transitions over time, sessions and terminate (transition delay 0.05 s)."""

import pytest

from sim_helpers import TEST_DELAY, error_of, wait_for


def _state(api, server_id):
    return api.ok("GET", f"/servers/{server_id}")["server"]["state"]


def _act(api, server_id, action):
    return api.ok("POST", f"/servers/{server_id}/action", {"action": action}, 202)["task"]


def _wait_state(api, server_id, state):
    wait_for(lambda: _state(api, server_id) == state)


@pytest.fixture(name="server_id")
def fixture_server_id(api):
    return api.create("servers", {"name": "web"}, "server")["id"]


def test_actions_depend_on_the_state(api, server_id):
    assert api.ok("GET", f"/servers/{server_id}/action")["actions"] == ["poweron", "terminate"]
    _act(api, server_id, "poweron")
    assert api.ok("GET", f"/servers/{server_id}/action")["actions"] == []
    _wait_state(api, server_id, "running")
    assert api.ok("GET", f"/servers/{server_id}/action")["actions"] == ["poweroff", "reboot", "terminate"]


def test_poweron_goes_through_starting_and_opens_a_session(api, server_id):
    task = _act(api, server_id, "poweron")
    assert task["description"] == "server_poweron" and task["status"] == "pending" and task["id"] and task["started_at"]
    assert _state(api, server_id) == "starting"
    error_of(api.post(f"/servers/{server_id}/action", {"action": "poweroff"}), 402, "invalid_state", "action")
    _wait_state(api, server_id, "running")
    sessions = api.ok("GET", f"/servers/{server_id}/sessions")["sessions"]
    assert len(sessions) == 1 and sessions[0]["active"] is True and sessions[0]["ended_at"] is None
    assert sessions[0]["server"] == {"id": server_id, "name": "web"}
    assert api.ok("GET", f"/servers/{server_id}/sessions/{sessions[0]['id']}")["session"] == sessions[0]


def test_poweroff_goes_through_stopping_and_closes_the_session(api, server_id):
    _act(api, server_id, "poweron")
    _wait_state(api, server_id, "running")
    _act(api, server_id, "poweroff")
    assert _state(api, server_id) == "stopping"
    assert api.ok("GET", f"/servers/{server_id}/sessions?active=true")["sessions"]
    _wait_state(api, server_id, "off")
    closed = api.ok("GET", f"/servers/{server_id}/sessions")["sessions"][0]
    assert closed["active"] is False and closed["ended_at"] >= closed["started_at"]
    assert api.ok("GET", f"/servers/{server_id}/sessions?active=true")["sessions"] == []
    assert api.ok("GET", f"/servers/{server_id}/sessions?active=false")["sessions"] == [closed]


def test_reboot_stops_and_starts_keeping_the_session(api, server_id):
    api.ok("POST", "/_sim/config", {"transition_delay": 0.1}, 200)
    _act(api, server_id, "poweron")
    _wait_state(api, server_id, "running")
    _act(api, server_id, "reboot")
    seen = set()
    wait_for(lambda: seen.add(_state(api, server_id)) or seen >= {"stopping", "starting", "running"})
    sessions = api.ok("GET", f"/servers/{server_id}/sessions")["sessions"]
    assert len(sessions) == 1 and sessions[0]["active"] is True


def test_each_boot_opens_a_new_session(api, server_id):
    api.ok("POST", "/_sim/config", {"transition_delay": 0}, 200)
    for action in ("poweron", "poweroff", "poweron"):
        _act(api, server_id, action)
    sessions = api.ok("GET", f"/servers/{server_id}/sessions")["sessions"]
    assert [session["active"] for session in sessions] == [False, True]


def test_bad_actions(api, server_id):
    error_of(api.post(f"/servers/{server_id}/action", {"action": "explode"}), 400, param="action")
    error_of(api.post(f"/servers/{server_id}/action", {}), 400, param="action")
    error_of(api.post(f"/servers/{server_id}/action", {"action": "poweron", "force": True}), 400, param="force")
    error_of(api.post(f"/servers/{server_id}/action", {"action": "reboot"}), 402, "invalid_state", "action")
    error_of(api.post("/servers/nope/action", {"action": "poweron"}), 404, "unknown_resource")
    error_of(api.get("/servers/nope/action"), 404, "unknown_resource")


def test_terminate_a_running_server_stops_it_then_deletes_it_and_its_volumes(api):
    volume = api.create("volumes", {"name": "root", "size": 1}, "volume")
    server_id = api.create("servers", {"name": "web", "volumes": [volume["id"]]}, "server")["id"]
    _act(api, server_id, "poweron")
    _wait_state(api, server_id, "running")
    _act(api, server_id, "terminate")
    assert _state(api, server_id) == "stopping"
    wait_for(lambda: api.get(f"/servers/{server_id}").status == 404, timeout=10 * TEST_DELAY)
    error_of(api.get(f"/volumes/{volume['id']}"), 404, "unknown_resource")


def test_terminate_an_off_server_deletes_it_at_once(api):
    volume = api.create("volumes", {"name": "root", "size": 1}, "volume")
    server = api.create("servers", {"name": "web", "volumes": [volume["id"]]}, "server")
    _act(api, server["id"], "terminate")
    error_of(api.get(f"/servers/{server['id']}"), 404, "unknown_resource")
    error_of(api.get(f"/volumes/{volume['id']}"), 404, "unknown_resource")
    error_of(api.get(f"/tags/{server['tags'][0]['id']}"), 404, "unknown_resource")


def test_session_lookups(api, server_id):
    error_of(api.get(f"/servers/{server_id}/sessions/nope"), 404, "unknown_resource")
    error_of(api.get(f"/servers/{server_id}/sessions?active=maybe"), 400, param="active")
    error_of(api.get("/servers/nope/sessions"), 404, "unknown_resource")
    other = api.create("servers", {"name": "other"}, "server")["id"]
    api.ok("POST", "/_sim/config", {"transition_delay": 0}, 200)
    _act(api, other, "poweron")
    session_id = api.ok("GET", f"/servers/{other}/sessions")["sessions"][0]["id"]
    error_of(api.get(f"/servers/{server_id}/sessions/{session_id}"), 404, "unknown_resource")
