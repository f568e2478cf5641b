# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""scaleway_server's plan (tags, power, diff views) and the power helper it drives.

ServerPower runs on the real client over a fake session that plays a server's
power states, so waiting, settling and lost action answers are tested as the
module meets them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
import requests

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import ScalewayClient
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayWaitTimeout
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.servers import (
    new_server_view,
    server_view,
    tag_changes,
    tags_after,
    ServerPower,
    power_action,
    settled,
    tag_names,
    volume_ids,
)

API = "https://api.example.test/v1"
SERVER_ID = "9c1e4f52-3a7b-4d2e-8f61-0b5a7c3d2e14"


def tag(name, ident=None):
    return {"id": ident or "id-" + name, "name": name}


# -- plan ------------------------------------------------------------------------------------

@pytest.mark.parametrize("state, wanted, action", [
    ("off", "running", "poweron"),
    ("stopping", "running", "poweron"),
    ("starting", "running", None),
    ("running", "running", None),
    ("running", "stopped", "poweroff"),
    ("starting", "stopped", "poweroff"),
    ("stopping", "stopped", None),
    ("off", "stopped", None),
    ("running", "restarted", "reboot"),
    ("starting", "restarted", "reboot"),
    ("off", "restarted", "poweron"),
    ("stopping", "restarted", "poweron"),
])
def test_power_action_acts_on_the_state_a_transition_ends_in(state, wanted, action):
    assert power_action(state, wanted) == action


def test_settled_maps_transitions_to_their_end():
    assert [settled(s) for s in ("off", "starting", "running", "stopping")] == ["off", "running", "running", "off"]


def test_tags_none_leaves_them_alone():
    assert tag_changes([tag("web"), tag("x")], None, True) == ([], [])


def test_tags_attach_missing_once_and_purge_all_but_listed_and_default():
    attached = [tag("default"), tag("web"), tag("old")]
    to_attach, to_detach = tag_changes(attached, ["web", "db", "db", "cache"], True)
    assert to_attach == ["db", "cache"]
    assert to_detach == [tag("old")]


def test_tags_without_purge_never_detach():
    assert tag_changes([tag("default"), tag("old")], ["new"], False) == (["new"], [])


def test_tags_empty_list_purges_everything_but_default():
    attached = [tag("default"), tag("a"), tag("b")]
    assert tag_changes(attached, [], True) == ([], [tag("a"), tag("b")])


def test_two_attached_tags_with_one_name_are_both_purged_and_both_count_as_present():
    attached = [tag("dup", "1"), tag("dup", "2")]
    assert tag_changes(attached, [], True) == ([], attached)
    assert tag_changes(attached, ["dup"], True) == ([], [])


def test_tags_after_the_changes_are_sorted_names():
    assert tags_after(["default", "old", "web"], ["db"], [tag("old")]) == ["db", "default", "web"]


def test_server_view_lists_volumes_in_mount_order_and_sorted_tag_names():
    volumes = dict((str(position), {"id": "v%d" % position}) for position in range(12))
    server = {"name": "web", "state": "off", "image": None, "commercial_type": "VC1S", "organization": "org",
              "volumes": volumes, "tags": [tag("web"), tag("default")], "public_ip": None}
    assert volume_ids(server)[:3] == ["v0", "v1", "v2"]
    assert volume_ids(server)[-2:] == ["v10", "v11"]
    assert tag_names(server) == ["default", "web"]
    assert server_view(server) == {
        "name": "web", "state": "off", "image": None, "commercial_type": "VC1S",
        "volumes": ["v%d" % position for position in range(12)], "tags": ["default", "web"], "organization": "org"}


def test_a_new_server_view_is_what_the_api_creates():
    assert new_server_view({"name": "web", "organization": "org"}) == {
        "name": "web", "state": "off", "image": None, "commercial_type": "VC1S", "volumes": [],
        "tags": ["default"], "organization": "org"}
    assert new_server_view({"name": "web", "commercial_type": "GP1", "volumes": ["v1"]})["volumes"] == ["v1"]


# -- ServerPower over a fake API ---------------------------------------------------------------

class FakeServerAPI:
    """A session that serves one server whose GETs return ``states`` in turn (the last repeats).

    ``on_action`` maps an action to the states the following GETs return; ``lose``
    names actions whose first POST is carried out but whose answer is dropped.
    """

    def __init__(self, states, on_action=None, lose=(), gone_after=None):
        self.states = list(states)
        self.on_action = on_action or {}
        self.lose = set(lose)
        self.gone_after = gone_after
        self.calls = []
        self.actions = []
        self.headers = {}
        self.verify = True

    def request(self, method, url, params=None, json=None, **_settings):
        path = url[len(API):]
        self.calls.append("%s %s" % (method, path))
        if method == "POST" and path.endswith("/action"):
            action = json["action"]
            self.actions.append(action)
            self.states = list(self.on_action.get(action, self.states))
            if action in self.lose:
                self.lose.discard(action)
                raise requests.exceptions.ConnectionError(
                    "('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))")
            return respond(202, {"task": {"id": "t", "status": "pending"}})
        if method == "GET" and path == "/servers/" + SERVER_ID:
            state = self.states.pop(0) if len(self.states) > 1 else self.states[0]
            if state is None:
                return respond(404, {"type": "invalid_request_error", "message": "not found"})
            return respond(200, {"server": {"id": SERVER_ID, "name": "web", "state": state}})
        raise AssertionError("unexpected request %s %s" % (method, path))

    def close(self):
        pass


def respond(status, body):
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode("utf-8")
    response.headers["Content-Type"] = "application/json"
    return response


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def power_for(api, state, timeout=300):
    clock = FakeClock()
    client = ScalewayClient(api_url=API, api_token="token-1234", session=api, sleep=clock.sleep, clock=clock)
    return ServerPower(client, {"id": SERVER_ID, "name": "web", "state": state}, timeout, 1.0)


def gets(api):
    return [call for call in api.calls if call.startswith("GET")]


def test_start_sends_poweron_and_waits_for_running():
    api = FakeServerAPI(["off"], on_action={"poweron": ["starting", "starting", "running"]})
    power = power_for(api, "off")
    assert power.apply("running", wait=True) is True
    assert api.actions == ["poweron"]
    assert power.server["state"] == "running"
    assert power.acted


def test_a_stopping_server_is_awaited_before_poweron():
    api = FakeServerAPI(["stopping", "off"], on_action={"poweron": ["running"]})
    power = power_for(api, "stopping")
    power.apply("running", wait=True)
    assert api.calls == ["GET /servers/" + SERVER_ID, "GET /servers/" + SERVER_ID, "POST /servers/%s/action" % SERVER_ID,
                         "GET /servers/" + SERVER_ID]


def test_a_starting_server_needs_no_action_and_no_request_without_wait():
    api = FakeServerAPI(["starting"])
    power = power_for(api, "starting")
    assert power.apply("running", wait=False) is False
    assert api.calls == []
    assert not power.acted


def test_without_wait_one_get_returns_the_state_after_the_action():
    api = FakeServerAPI(["running"], on_action={"poweroff": ["stopping", "off"]})
    power = power_for(api, "running")
    power.apply("stopped", wait=False)
    assert api.actions == ["poweroff"]
    assert len(gets(api)) == 1
    assert power.server["state"] == "stopping"


def test_someone_else_reaching_the_target_during_the_transition_means_no_action():
    api = FakeServerAPI(["off"])
    power = power_for(api, "starting")
    # starting -> off (someone powered it off meanwhile): stopped needs nothing more.
    assert power.apply("stopped", wait=True) is False
    assert api.actions == []


def test_a_lost_poweron_answer_is_not_sent_again_when_the_server_is_starting():
    api = FakeServerAPI(["off"], on_action={"poweron": ["starting", "running"]}, lose=["poweron"])
    power = power_for(api, "off")
    power.apply("running", wait=True)
    assert api.actions == ["poweron"]
    assert power.server["state"] == "running"


def test_a_lost_poweron_answer_is_sent_again_when_the_server_did_not_move():
    api = FakeServerAPI(["off"], lose=["poweron"], on_action={"poweron": ["off"]})
    power = power_for(api, "off")
    with pytest.raises(ScalewayWaitTimeout):
        power.apply("running", wait=True)
    # first POST lost and the server still off: sent again (then this fake never starts it)
    assert api.actions == ["poweron", "poweron"]


def test_a_lost_reboot_that_began_is_not_repeated():
    api = FakeServerAPI(["running"], on_action={"reboot": ["stopping", "starting", "running"]}, lose=["reboot"])
    power = power_for(api, "running")
    power.apply("restarted", wait=True)
    assert api.actions == ["reboot"]


def test_wait_timeout_reports_the_last_state():
    api = FakeServerAPI(["stopping"])
    power = power_for(api, "stopping", timeout=20)
    with pytest.raises(ScalewayWaitTimeout) as caught:
        power.apply("running", wait=True)
    assert caught.value.last["state"] == "stopping"
    assert "server 'web' (%s) to finish stopping" % SERVER_ID in str(caught.value)
    assert api.actions == []


def test_all_waits_of_a_task_share_one_deadline():
    api = FakeServerAPI(["stopping"] * 4 + ["off"], on_action={"poweron": ["starting"]})
    power = power_for(api, "stopping", timeout=20)
    with pytest.raises(ScalewayWaitTimeout) as caught:
        power.apply("running", wait=True)
    assert api.actions == ["poweron"]
    assert caught.value.last["state"] == "starting"
    assert "to be running" in str(caught.value)
    # settling took part of the 20 s; waiting for running got only the rest
    assert 1000.0 + 20 - 0.001 <= power.client.clock() <= 1000.0 + 20


def test_terminate_waits_until_the_server_is_gone():
    api = FakeServerAPI(["running"], on_action={"terminate": ["stopping", "off", None]})
    power = power_for(api, "running")
    power.terminate(wait=True)
    assert api.actions == ["terminate"]
    assert power.acted


def test_a_lost_terminate_answer_counts_as_done_once_the_server_is_gone():
    api = FakeServerAPI(["off"], on_action={"terminate": [None]}, lose=["terminate"])
    power = power_for(api, "off")
    power.terminate(wait=False)
    assert api.actions == ["terminate"]


# -- the module's main() against the API simulator ---------------------------------------------

@pytest.fixture(name="sim")
def fixture_sim():
    from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.modules.simulator_fixture import SimulatorUnderTest

    running = SimulatorUnderTest()
    yield running
    running.shutdown()


def run_server(sim, **args):
    from ansible_collections.scaleway_v1.cloud.plugins.modules import scaleway_server
    from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.modules.simulator_fixture import run_module

    return run_module(scaleway_server, sim.module_args(**args))


def running_server(sim, **args):
    """web-1, running, with two volumes; the request log emptied after it."""
    for name in ("web-1-data", "web-1-logs"):
        sim.create("/volumes", "volume", {"name": name, "size": 1000000000})
    failed, result = run_server(sim, name="web-1", state="running", wait_sleep=0.05, **args)
    assert not failed, result["msg"]
    assert result["server"]["state"] == "running"
    sim.forget_requests()
    return result["server"]


def writes(sim):
    return [(method, path) for method, path, _status, _lost in sim.requests() if method != "GET"]


@pytest.mark.parametrize("args", [
    dict(volumes=["web-1-data", "web-1-logs"], force=True),
    dict(state="absent"),
    dict(state="absent", delete_volumes=True),
], ids=["force-volumes", "absent", "terminate"])
def test_wait_timeout_0_fails_before_any_request(sim, args):
    """0 left no time to wait for the poweroff it sent: the server was left off, its volumes unchanged."""
    server = running_server(sim)
    failed, result = run_server(sim, name="web-1", wait_timeout=0, **args)
    assert failed and result["msg"] == "wait_timeout: must be more than 0, got 0", result["msg"]
    assert sim.requests() == []
    assert sim.get("/servers/%s" % server["id"], "server")["state"] == "running"


@pytest.mark.parametrize("args, option", [
    (dict(state="absent", volumes=["boot"], delete_volumes=True), "volumes"),
    (dict(state="absent", volumes=[]), "volumes"),
    (dict(state="absent", tags=["web"]), "tags"),
    (dict(state="absent", image="3f0c2e1a-7b4d-4c8e-9a61-2d5b8e7f9c10"), "image"),
    (dict(state="absent", commercial_type="VC1M"), "commercial_type"),
    (dict(state="absent", force=True), "force"),
    (dict(state="absent", purge_tags=False), "purge_tags"),
    (dict(state="running", delete_volumes=True), "delete_volumes"),
    (dict(delete_volumes=True), "delete_volumes"),
])
def test_an_option_the_state_does_not_use_fails_before_any_request(sim, args, option):
    server = running_server(sim)
    failed, result = run_server(sim, name="web-1", **args)
    assert failed and result["msg"] == "%s: is not used with state=%s" % (option, args.get("state", "present"))
    assert sim.requests() == []
    assert sim.get("/servers/%s" % server["id"], "server") is not None


def test_options_at_their_default_are_accepted_with_any_state(sim):
    server = running_server(sim)
    failed, result = run_server(sim, name="web-1", state="running", delete_volumes=False)
    assert not failed and not result["changed"], result
    failed, result = run_server(sim, name="web-1", state="absent", force=False, purge_tags=True, wait_sleep=0.05)
    assert not failed and result["changed"] and sim.get("/servers/%s" % server["id"], "server") is None


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_listed_tag_id_that_is_no_url_segment_fails_before_the_first_write(sim, check_mode):
    """The detach URL is built from tags[].id: '..' would name the server itself. Nothing is sent."""
    from scaleway_sim.tags import Tag

    server = running_server(sim)
    store, organization = sim.running.sim.store, sim.organization_id()
    with store.lock:
        hostile = Tag(store.stamp(), organization, "old", "user")
        hostile.id = ".."
        store.tags.add(hostile)
        store.tags.attach(store.servers.items[server["id"]], hostile)
    sim.forget_requests()
    failed, result = run_server(sim, id=server["id"], name="web-1-renamed", tags=["web"], state="stopped",
                                volumes=["web-1-data"], _ansible_check_mode=check_mode)
    assert failed and result["msg"].startswith("tags[].id: '..' cannot be one segment"), result["msg"]
    assert writes(sim) == [] and not result["changed"]
    after = sim.get("/servers/%s" % server["id"], "server")
    assert (after["name"], after["state"], after["volumes"]) == ("web-1", "running", {})
