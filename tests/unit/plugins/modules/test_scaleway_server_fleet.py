# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""scaleway_server_fleet's real main() against the in-process simulator: plan, cap, waits, faults, races."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

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
    IMAGE,
    WEB_FLEET,
    SimulatorUnderTest,
    _module_args,
)

WEB = WEB_FLEET


@pytest.fixture(name="sim")
def fixture_sim():
    running = SimulatorUnderTest()
    yield running
    running.shutdown()


def run(sim, check=False, diff=False, **args):
    return sim.run(scaleway_server_fleet, check=check, diff=diff, **args)


def succeed(sim, **args):
    return sim.succeed(scaleway_server_fleet, **args)


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
    # Each server the cap refuses to delete is listed with its id, the highest index first.
    listed = ", ".join("%s (id %s)" % (name, sim.named("/servers", "servers", name)[0]["id"])
                       for name in ("web-4", "web-3", "web-2"))
    assert refused[1]["msg"].startswith("max_deletions: this run would delete 3 servers (%s), " % listed)
    sim.forget_requests()
    shrunk = succeed(sim, count=1, max_deletions=3, **WEB)
    assert shrunk["deleted"] == ["web-4", "web-3", "web-2"]
    assert names(sim) == ["web-1"]
    assert names(sim, "/volumes", "volumes") == ["web-1-data"]


def test_cap_refuses_before_any_write_and_absent_is_held_too(sim):
    succeed(sim, count=3, **WEB)
    sim.forget_requests()
    failed, result = run(sim, name="web", state="absent")
    listed = ", ".join("%s (id %s)" % (name, sim.named("/servers", "servers", name)[0]["id"])
                       for name in ("web-3", "web-2", "web-1"))
    assert failed and result["msg"].startswith("max_deletions: this run would delete 3 servers (%s), " % listed)
    assert writes(sim) == []
    gone = succeed(sim, name="web", state="absent", max_deletions=3)
    assert gone["deleted"] == ["web-3", "web-2", "web-1"] and gone["servers"] == []
    assert names(sim) == [] and names(sim, "/volumes", "volumes") == []


@pytest.mark.parametrize("option, value", [("count", 3), ("count", 0), ("image", IMAGE), ("tags", ["web"])])
def test_absent_by_count_refuses_the_options_of_members_before_any_request(sim, option, value):
    # state=absent deletes every member: a count (3 of them? down to 3?) or a spec would be ignored.
    sim.forget_requests()
    failed, result = run(sim, name="web", state="absent", max_deletions=3, **{option: value})
    assert failed and result["msg"] == "%s: is not used with state=absent" % option
    assert sim.requests() == []


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


# -- every delete is aimed: a member past the count is the server it was planned from ----------------

def second_organization(sim):
    """A second organization the token sees; returns its id and the first one's."""
    other = sim.create("/organizations", "organization", dict(
        name="other", address_line1="1 rue", address_zip="75001", address_city="Paris", address_country="FR"))
    return sim.organization_id(), other["id"]


def server_in(sim, name, organization=None):
    body = {"name": name}
    if organization:
        body["organization"] = organization
    return sim.create("/servers", "server", body)


def test_a_name_in_two_organizations_is_refused_before_any_delete(sim):
    first, other = second_organization(sim)
    ids = sorted([server_in(sim, "web-1", first)["id"], server_in(sim, "web-1", other)["id"]])
    sim.forget_requests()
    failed, result = run(sim, name="web", state="absent", max_deletions=2)
    assert failed, result
    assert result["msg"].startswith("name: 2 servers in different organizations are named 'web-1'")
    assert all(ident in result["msg"] for ident in ids)
    assert writes(sim) == []
    assert sorted(server["id"] for server in sim.named("/servers", "servers", "web-1")) == ids


def test_a_name_twice_among_the_servers_to_delete_is_refused_naming_the_ids(sim):
    ids = sorted(server_in(sim, "web-%d" % index)["id"] for index in (1, 2, 2))
    twins = [server["id"] for server in sim.named("/servers", "servers", "web-2")]
    message = "name: 2 servers are named 'web-2' (ids: %s); remove or rename the others; nothing was deleted" % (
        ", ".join(twins))
    sim.forget_requests()
    # web-2 is past the count (and all are past it with state=absent): one name cannot aim two deletes.
    for args in (dict(WEB, count=1, volumes=None, tags=None), dict(name="web", state="absent")):
        failed, result = run(sim, max_deletions=3, **args)
        assert failed and result["msg"] == message, result
    assert writes(sim) == []
    assert sorted(server["id"] for server in sim.every("/servers", "servers")) == ids


def test_a_count_fleet_without_organization_is_in_one_organization(sim):
    first, other = second_organization(sim)
    web_1 = server_in(sim, "web-1", first)
    web_2 = server_in(sim, "web-2", other)
    sim.forget_requests()
    failed, result = run(sim, name="web", state="absent", max_deletions=2)
    assert failed and result["msg"].startswith(
        "organization: the servers of fleet 'web' are in several organizations (web-1 (id %s, organization %s), "
        "web-2 (id %s, organization %s))" % (web_1["id"], first, web_2["id"], other)), result["msg"]
    assert writes(sim) == []
    # Given the organization, only its member is deleted, that very server.
    done = succeed(sim, name="web", state="absent", max_deletions=2, organization=first)
    assert done["deleted"] == ["web-1"]
    assert [server["id"] for server in sim.every("/servers", "servers")] == [web_2["id"]]
    assert writes(sim) == [("POST", "/servers/%s/action" % web_1["id"])]


def test_the_cap_lists_each_server_with_its_id_and_organization_when_several(sim):
    first, other = second_organization(sim)
    a, b = server_in(sim, "a", first), server_in(sim, "b", other)
    sim.forget_requests()
    failed, result = run(sim, max_deletions=1, servers=[dict(name="a", state="absent", organization=first),
                                                        dict(name="b", state="absent", organization=other)])
    assert failed and result["msg"].startswith(
        "max_deletions: this run would delete 2 servers (a (id %s, organization %s), b (id %s, organization %s)), "
        % (a["id"], first, b["id"], other)), result["msg"]
    assert writes(sim) == []


# -- every URL of the task is built before its first write ------------------------------------------

def plant_tag(sim, server_id, tag_id, name="old"):
    """Attach to the server a tag whose id the API could never have given, as a hostile API would list it."""
    from scaleway_sim.tags import Tag

    store = sim.running.sim.store
    with store.lock:
        server = store.servers.items[server_id]
        tag = Tag(store.stamp(), server.organization, name, "user")
        tag.id = tag_id
        store.tags.add(tag)
        store.tags.attach(server, tag)


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_hostile_tag_id_to_detach_fails_the_task_before_any_write(sim, check_mode):
    web_1 = server_in(sim, "web-1")
    plant_tag(sim, web_1["id"], "..")
    sim.forget_requests()
    # web-2 is to be created and web-1's tag "old" to be detached: nothing of it is sent.
    failed, result = run(sim, check=check_mode, name="web", count=2, tags=["web"])
    assert failed, result
    assert result["msg"].startswith("servers[].tags[].id: '..' cannot be one segment of a URL"), result["msg"]
    assert "listed by the API for server 'web-1'" in result["msg"] and "nothing was written" in result["msg"]
    assert writes(sim) == [] and not result["changed"]
    assert names(sim) == ["web-1"] and "web" not in [tag["name"] for tag in sim.every("/tags", "tags")]


# -- a run whose read after its creates fails still deletes its own losing copies ----------------------

def test_a_failed_read_after_the_creates_falls_back_to_a_read_of_each_name(sim):
    # Another run made "db-1-data" first; this run's plan did not see it. The read of the whole list after
    # this run's create fails (an error that outlasts the retries): each name made is read instead, so the
    # losing copy is deleted and the first one adopted, as create_once does.
    rival = sim.create("/volumes", "volume", {"name": "db-1-data", "size": 10 ** 9})
    client = QuickClient(api_url=sim.url, api_token=TOKEN, retries=1)
    adopted = {}

    class FailedRead(Lists):
        """The read of the whole list after the creates fails with every retry; later reads are answered."""

        def read(self, plurals=None):
            sim.aim("GET", "/volumes", "refused-503", times=None)
            try:
                return super(FailedRead, self).read(plurals)
            finally:
                sim.calm()

    with ClientPool(client, 2) as pool:
        sim.forget_requests()
        create_named(pool, FailedRead(pool, [None], ["volumes"]), VOLUMES, ["db-1-data"],
                     lambda name: (None, {"name": name, "size": 10 ** 9}),
                     lambda name, volume, wrote: adopted.update({name: volume["id"]}),
                     lambda message, ids: None)
    assert adopted == {"db-1-data": rival["id"]}
    assert [volume["id"] for volume in sim.named("/volumes", "volumes", "db-1-data")] == [rival["id"]]
    log = [(method, path, status) for method, path, status, _lost in sim.requests()]
    # The POST, the whole-list read that failed (with its retry), one read of the name, the losing copy's DELETE
    # (then the test's own read of the list).
    assert log[:4] == [("POST", "/volumes", 201)] + [("GET", "/volumes", 503)] * 2 + [("GET", "/volumes", 200)]
    assert log[4][0] == "DELETE" and log[4][1].startswith("/volumes/") and rival["id"] not in log[4][1]
    assert len(log) == 6


# -- a name shared by several objects names the entry's option ---------------------------------------

@pytest.mark.parametrize("path, key, name, option, member", [
    ("/servers", "server", "db-1", "servers[1].name", None),
    ("/volumes", "volume", "db-1-data", "servers[1].volumes[0]", "db-1"),
    ("/tags", "tag", "db", "servers[1].tags", "db-1"),
])
def test_a_shared_name_in_list_mode_names_the_entry_option(sim, path, key, name, option, member):
    body = {"name": name, "size": 10 ** 9} if key == "volume" else {"name": name}
    ids = [sim.create(path, key, body)["id"] for _copy in range(2)]
    sim.forget_requests()
    failed, result = run(sim, servers=[dict(name="web-1"), dict(name="db-1", tags=["db"], volumes=[
        dict(name="db-1-data", size="1GB")])])
    assert failed and result["msg"].startswith("%s: 2 %ss are named %r (ids: %s); remove or rename the others" % (
        option, key, name, ", ".join(ids))), result["msg"]
    assert result["msg"].endswith(" (server %r)" % member) if member else "(server" not in result["msg"]
    assert writes(sim) == []
