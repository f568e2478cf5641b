# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""scaleway_server_fleet's real main() against the in-process simulator: plan, cap, waits, faults, races."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import threading
import time

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils import connection
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client_pool import ClientPool
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.fleet import Lists
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.fleet_run import create_named
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import VOLUMES
from ansible_collections.scaleway_v1.cloud.plugins.modules import scaleway_server_fleet
from ansible_collections.scaleway_v1.cloud.plugins.modules.scaleway_server_fleet import ScalewayServerFleet
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.modules.simulator_fixture import (
    TOKEN,
    QuickClient,
    SimulatorUnderTest,
    _module_args,
    run_module,
)

IMAGE = "3f0c2e1a-7b4d-4c8e-9a61-2d5b8e7f9c10"
WEB = dict(name="web", commercial_type="VC1S", image=IMAGE, tags=["web"],
           volumes=[dict(suffix="data", size="10GB")], state="running")


@pytest.fixture(name="sim")
def fixture_sim():
    running = SimulatorUnderTest()
    yield running
    running.shutdown()


def run(sim, check=False, diff=False, **args):
    args = sim.module_args(**args)
    if check:
        args["_ansible_check_mode"] = True
    if diff:
        args["_ansible_diff"] = True
    failed, result = run_module(scaleway_server_fleet, args)
    assert TOKEN not in json.dumps(result)
    return failed, result


def succeed(sim, **args):
    failed, result = run(sim, **args)
    assert not failed, result.get("msg")
    return result


def writes(sim):
    return [(method, path) for method, path, _status, _lost in sim.requests() if method != "GET"]


def names(sim, path="/servers", key="servers"):
    return sorted(item["name"] for item in sim.every(path, key))


def test_cold_then_no_change(sim):
    sim.forget_requests()
    result = succeed(sim, count=4, **WEB)
    log = sim.requests()
    # Per member: a volume, the server, its tag, its poweron; the tag itself once for the fleet.
    assert len(writes(sim)) == 1 + 4 * 4
    # Each kind created is read once after its creates (the plan's read before), never once per name.
    reads = [path for method, path, _status, _lost in log if method == "GET"]
    assert reads.count("/volumes") == 2 and reads.count("/tags") == 2
    assert set(reads) == {"/servers", "/volumes", "/tags"}
    assert result["changed"]
    assert result["created"] == ["web-1", "web-2", "web-3", "web-4"]
    assert [server["name"] for server in result["servers"]] == ["web-1", "web-2", "web-3", "web-4"]
    assert set(server["state"] for server in result["servers"]) == {"running"}
    assert result["servers"][2]["volumes"][0]["name"] == "web-3-data"
    assert result["servers"][2]["volumes"][0]["size"] == 10 * 1000 ** 3
    assert result["servers"][0]["tags"] == ["default", "web"]
    assert names(sim, "/volumes", "volumes") == ["web-%d-data" % i for i in range(1, 5)]
    assert [tag["name"] for tag in sim.every("/tags", "tags")].count("web") == 1
    sim.forget_requests()
    again = succeed(sim, count=4, **WEB)
    assert not again["changed"] and again["created"] == [] and again["deleted"] == []
    log = sim.requests()
    assert [method for method, _p, _s, _l in log] == ["GET"] * 3
    assert sorted(path for _m, path, _s, _l in log) == ["/servers", "/tags", "/volumes"]


def reads_after_the_last_write(sim):
    log = sim.requests()
    last_write = max(index for index, entry in enumerate(log) if entry[0] != "GET")
    return [(method, path) for method, path, _s, _l in log[last_write + 1:]]


def test_the_read_that_shows_the_fleet_running_is_its_last_request(sim):
    # Transitions that end at once: the first read of the list after the power actions shows every
    # member running, and the result comes from it, with no second read of the list.
    sim.api.ok("POST", "/_sim/config", {"transition_delay": 0}, 200)
    sim.forget_requests()
    result = succeed(sim, count=3, **WEB)
    assert reads_after_the_last_write(sim) == [("GET", "/servers")]
    assert [server["state"] for server in result["servers"]] == ["running"] * 3
    assert [server["tags"] for server in result["servers"]] == [["default", "web"]] * 3
    sim.forget_requests()
    gone = succeed(sim, count=0, max_deletions=3, **WEB)
    assert gone["deleted"] == ["web-3", "web-2", "web-1"]
    assert reads_after_the_last_write(sim) == [("GET", "/servers")]


def test_without_wait_one_read_after_the_writes_gives_the_result(sim):
    sim.forget_requests()
    result = succeed(sim, count=2, wait=False, **WEB)
    # Nothing waited for: the result comes from one read of the list made after the power actions and
    # tags, so it shows the tags attached and the state the API reports, not a guess.
    assert reads_after_the_last_write(sim) == [("GET", "/servers")]
    assert [server["tags"] for server in result["servers"]] == [["default", "web"]] * 2
    assert set(server["state"] for server in result["servers"]) <= {"starting", "running"}


def test_scale_up_fills_the_lowest_free_indices_and_down_deletes_the_highest(sim):
    succeed(sim, count=2, **WEB)
    # web-2 goes away behind the fleet's back: it is the lowest free index.
    web_2 = sim.named("/servers", "servers", "web-2")[0]
    sim.api.ok("POST", "/servers/%s/action" % web_2["id"], {"action": "terminate"}, 202)
    for _attempt in range(200):
        if sim.get("/servers/%s" % web_2["id"], "server") is None:
            break
        time.sleep(0.02)
    grown = succeed(sim, count=4, **WEB)
    assert grown["created"] == ["web-2", "web-3", "web-4"]
    refused = run(sim, count=1, **WEB)
    assert refused[0]
    assert "max_deletions" in refused[1]["msg"] and "web-4, web-3, web-2" in refused[1]["msg"]
    sim.forget_requests()
    shrunk = succeed(sim, count=1, max_deletions=3, **WEB)
    assert shrunk["deleted"] == ["web-4", "web-3", "web-2"]
    assert names(sim) == ["web-1"]
    assert names(sim, "/volumes", "volumes") == ["web-1-data"]


def test_cap_refuses_before_any_write_and_absent_is_held_too(sim):
    succeed(sim, count=3, **WEB)
    sim.forget_requests()
    failed, result = run(sim, name="web", state="absent")
    assert failed and "web-3, web-2, web-1" in result["msg"] and "max_deletions" in result["msg"]
    assert writes(sim) == []
    gone = succeed(sim, name="web", state="absent", max_deletions=3)
    assert gone["deleted"] == ["web-3", "web-2", "web-1"] and gone["servers"] == []
    assert names(sim) == [] and names(sim, "/volumes", "volumes") == []


def test_check_mode_writes_nothing_and_returns_the_plan_with_a_diff_per_member(sim):
    succeed(sim, count=2, **WEB)
    sim.forget_requests()
    stopped = dict(WEB)
    stopped["state"] = "stopped"
    planned = succeed(sim, check=True, diff=True, count=3, **stopped)
    assert writes(sim) == []
    assert planned["changed"] and planned["created"] == ["web-3"]
    assert [server["state"] for server in planned["servers"]] == ["off"] * 3
    assert [entry["before_header"] for entry in planned["diff"]] == ["web-1", "web-2", "web-3"]
    assert planned["diff"][0]["before"]["state"] == "running" and planned["diff"][0]["after"]["state"] == "off"
    assert planned["diff"][2]["before"] == {} and planned["diff"][2]["after"]["volumes"] == ["web-3-data"]
    planned = succeed(sim, check=True, count=0, max_deletions=2, **WEB)
    assert planned["deleted"] == ["web-2", "web-1"] and writes(sim) == []


def test_bad_input_in_member_37_fails_before_any_request(sim):
    servers = [dict(name="app-%d" % i, image=IMAGE) for i in range(1, 41)]
    servers[36]["image"] = "not-an-id"
    sim.forget_requests()
    failed, result = run(sim, servers=servers)
    assert failed
    assert result["msg"].startswith("servers[36].image:") and "app-37" in result["msg"]
    assert sim.requests() == []


@pytest.mark.parametrize("servers, option", [
    ([dict(name="a"), dict(name="a")], "servers[1].name"),
    ([dict(name="a", volumes=[dict(name="v", size="ten")])], "servers[0].volumes[0].size"),
    ([dict(name="a", tags=[""])], "servers[0].tags[0]"),
])
def test_bad_entries_name_the_option(sim, servers, option):
    failed, result = run(sim, servers=servers)
    assert failed and result["msg"].startswith(option + ":"), result["msg"]
    assert sim.requests() == []


def test_missing_size_and_running_volume_change_fail_before_any_write(sim):
    succeed(sim, servers=[dict(name="db-1", state="running", volumes=[dict(name="db-1-data", size="1GB")])])
    sim.forget_requests()
    failed, result = run(sim, servers=[dict(name="db-2", volumes=[dict(name="db-2-data")]),
                                       dict(name="db-1", volumes=[dict(name="db-1-data"),
                                                                  dict(name="db-1-logs", size="1GB")])])
    assert failed and result["msg"].startswith("servers[0].volumes[0].size:")
    failed, result = run(sim, servers=[dict(name="db-1", volumes=[dict(name="db-1-data"),
                                                                  dict(name="db-1-logs", size="1GB")])])
    assert failed and result["msg"].startswith("servers[0].volumes:") and "force" in result["msg"]
    assert writes(sim) == []
    two_volumes = [dict(name="db-1-data"), dict(name="db-1-logs", size="1GB")]
    forced = succeed(sim, servers=[dict(name="db-1", force=True, volumes=two_volumes)])
    assert forced["servers"][0]["state"] == "running"
    assert [v["name"] for v in forced["servers"][0]["volumes"]] == ["db-1-data", "db-1-logs"]


def test_list_mode_deletes_named_entries_keeping_volumes_unless_asked(sim):
    succeed(sim, servers=[dict(name=n, state="running", volumes=[dict(name=n + "-data", size="1GB")])
                          for n in ("a", "b")])
    failed, result = run(sim, servers=[dict(name="a", state="absent"), dict(name="b", state="absent",
                                                                            delete_volumes=True)])
    assert failed and "max_deletions" in result["msg"]
    done = succeed(sim, max_deletions=2, servers=[dict(name="a", state="absent"),
                                                  dict(name="b", state="absent", delete_volumes=True)])
    assert [s["state"] for s in done["servers"]] == ["absent", "absent"] and done["deleted"] == ["a", "b"]
    assert names(sim) == [] and names(sim, "/volumes", "volumes") == ["a-data"]


@pytest.mark.parametrize("faults", [dict(error_rate=0.2, statuses=[500, 503, 429]), dict(lost_write_rate=0.3)])
def test_faults_never_make_a_second_copy(sim, faults):
    sim.faults(seed=7, **faults)
    succeed(sim, count=6, api_retries=8, **WEB)
    assert names(sim) == ["web-%d" % i for i in range(1, 7)]
    assert names(sim, "/volumes", "volumes") == ["web-%d-data" % i for i in range(1, 7)]
    assert [tag["name"] for tag in sim.every("/tags", "tags")].count("web") == 1
    sim.faults(seed=8, **faults)
    succeed(sim, count=2, max_deletions=4, api_retries=8, **WEB)
    assert names(sim) == ["web-1", "web-2"]


def test_two_runs_at_once_end_with_exactly_count_members(sim):
    # Two tasks in one process: each module is built here (argument parsing reads process-wide
    # state), then both run at the same time, each with its own client, as two playbooks would.
    saved = connection.ScalewayClient
    connection.ScalewayClient = QuickClient
    try:
        with _module_args(sim.module_args(count=5, **WEB)):
            tasks = [ScalewayServerFleet(ScalewayServerFleet.build_module()) for _index in range(2)]
    finally:
        connection.ScalewayClient = saved
    failures = []

    def fail_json(**result):
        failures.append(result.get("msg"))
        raise RuntimeError(result.get("msg"))

    def one(task):
        task.module.fail_json = fail_json
        try:
            task.perform()
        except RuntimeError:
            pass

    threads = [threading.Thread(target=one, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    assert [task.result["servers"] and len(task.result["servers"]) for task in tasks] == [5, 5]
    assert names(sim) == ["web-%d" % i for i in range(1, 6)]
    assert names(sim, "/volumes", "volumes") == ["web-%d-data" % i for i in range(1, 6)]
    assert set(s["state"] for s in sim.every("/servers", "servers")) == {"running"}


def test_creates_converge_on_the_first_copy_of_each_name_from_one_read(sim):
    # Another run made "db-1-data" after this run's plan read the lists: this run's own copy, made
    # later, is deleted and the other run's adopted; "db-2-data" has no rival and is kept.
    theirs = sim.create("/volumes", "volume", {"name": "db-1-data", "size": 10 ** 9})
    sim.forget_requests()
    client = QuickClient(api_url=sim.url, api_token=TOKEN)
    pool = ClientPool(client, 4)
    adopted = {}

    def request(name):
        return None, {"name": name, "size": 10 ** 9}

    def adopt(name, volume, wrote):
        adopted[name] = (volume["id"], wrote)

    reports = []
    create_named(pool, Lists(pool, [None], ["volumes"]), VOLUMES, ["db-1-data", "db-2-data"], request, adopt,
                 lambda message, ids: reports.append(ids))
    log = [(method, path) for method, path, _status, _lost in sim.requests()]
    volumes = sim.every("/volumes", "volumes")
    assert sorted(volume["name"] for volume in volumes) == ["db-1-data", "db-2-data"]
    assert adopted["db-1-data"] == (theirs["id"], True)
    assert adopted["db-2-data"] == ([v["id"] for v in volumes if v["name"] == "db-2-data"][0], True)
    assert [entry for entry in log if entry[0] == "GET"] == [("GET", "/volumes")]
    assert [entry[0] for entry in log].count("DELETE") == 1
    assert reports == []


def test_a_later_copy_this_run_did_not_make_is_reported_never_deleted(sim):
    # Between this run's creates and its read of the list, something else makes a second "db-1-data":
    # this run's own volume came first and is kept; the other copy is left in place and reported.
    client = QuickClient(api_url=sim.url, api_token=TOKEN)
    pool = ClientPool(client, 2)
    rivals = []

    class RivalBeforeTheRead(Lists):
        def read(self, plurals=None):
            if plurals and not rivals:
                rivals.append(sim.create("/volumes", "volume", {"name": "db-1-data", "size": 10 ** 9}))
            return super(RivalBeforeTheRead, self).read(plurals)

    adopted = {}
    reports = []
    create_named(pool, RivalBeforeTheRead(pool, [None], ["volumes"]), VOLUMES, ["db-1-data"],
                 lambda name: (None, {"name": name, "size": 10 ** 9}),
                 lambda name, volume, wrote: adopted.update({name: volume["id"]}),
                 lambda message, ids: reports.append((message, ids)))
    ids = sorted(volume["id"] for volume in sim.named("/volumes", "volumes", "db-1-data"))
    assert ids == sorted([adopted["db-1-data"], rivals[0]["id"]])
    assert [found for _message, found in reports] == [[rivals[0]["id"]]]
    assert "left in place" in reports[0][0]
