# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""scaleway_server_info through its real main() against the API simulator: exact filters, sessions, actions, tags.

The request counts come from the simulator's log.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.scaleway_v1.cloud.plugins.modules import scaleway_server_info
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.modules import test_scaleway_volume_info as volume_tests

# The simulator fixture ``sim`` (that of the lost-write tests).
fixture_sim = volume_tests.fixture_sim


def servers(sim, **args):
    return volume_tests.read(sim, scaleway_server_info, **args)["servers"]


def names(sim, **args):
    return [server["name"] for server in servers(sim, **args)]


def tagged(sim, name, tag_names):
    server = sim.create("/servers", "server", {"name": name})
    for tag_name in tag_names:
        found = sim.named("/tags", "tags", tag_name) or [sim.create("/tags", "tag", {"name": tag_name})]
        sim.api.ok("POST", "/servers/%s/tags" % server["id"], {"tag_id": found[0]["id"]})
    return sim.get("/servers/" + server["id"], "server")


def running(sim, server):
    sim.api.ok("POST", "/servers/%s/action" % server["id"], {"action": "poweron"}, 202)
    deadline = time.time() + 5
    while sim.get("/servers/" + server["id"], "server")["state"] != "running":
        assert time.time() < deadline, "the server did not start"
        time.sleep(0.02)


def test_every_filter_is_exact_and_one_list(sim):
    web_1 = tagged(sim, "web-1", ["web", "prod"])
    tagged(sim, "web-10", ["web"])
    tagged(sim, "db-1", ["prod"])
    sim.forget_requests()
    assert names(sim) == ["web-1", "web-10", "db-1"]
    assert names(sim, name="web-1") == ["web-1"]
    assert names(sim, tags=["web"]) == ["web-1", "web-10"]
    # The API filters by the first tag; the module checks the others.
    assert names(sim, tags=["web", "prod"]) == ["web-1"]
    assert names(sim, ip=web_1["private_ip"]) == ["web-1"]
    assert names(sim, ip=web_1["public_ip"]["address"]) == ["web-1"]
    assert names(sim, ip="10.255.255.254") == []
    assert names(sim, image="no-such-image") == []
    log = sim.requests()
    assert [entry[:2] for entry in log] == [("GET", "/servers")] * 8
    assert names(sim, id=web_1["id"], name="web-10") == []
    assert sim.requests()[len(log):][0][:2] == ("GET", "/servers/" + web_1["id"])


def test_sessions_actions_and_tags_cost_one_request_each_per_server(sim):
    web = tagged(sim, "web-1", ["web"])
    running(sim, web)
    sim.forget_requests()
    server = servers(sim, id=web["id"], include_sessions=True, sessions_active=True, include_actions=True,
                     include_tags=True)[0]
    assert [session["active"] for session in server["sessions"]] == [True]
    assert server["actions"] == ["poweroff", "reboot", "terminate"]
    assert sorted(tag["name"] for tag in server["attached_tags"]) == ["default", "web"]
    assert [entry[1] for entry in sim.requests()] == [
        "/servers/" + web["id"], "/servers/%s/sessions" % web["id"], "/servers/%s/action" % web["id"],
        "/servers/%s/tags" % web["id"]]
    session_id = server["sessions"][0]["id"]
    assert servers(sim, id=web["id"], include_sessions=True, session_id=session_id, sessions_active=False)[0][
        "sessions"] == []
    found = servers(sim, id=web["id"], include_sessions=True, session_id=session_id)[0]["sessions"]
    assert [session["id"] for session in found] == [session_id]
