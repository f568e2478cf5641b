# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The request cost of every module, from the simulator's request log: the proof of the guide's table.

Each row runs one task through the module's real main() against the in-process simulator and compares
the requests it sent, as ``METHOD /path`` with every id written ``{id}``, to the row's exact list. The
rows are the table of docs/docsite/rst/guide_requests.rst, written out again by hand (the two share
nothing but the numbers), so a change of any module's cost fails here until the guide and this file
say the new cost. Power transitions end at once in these runs (``transition_delay`` 0), so each wait
for a state is the one read that shows it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import re
import time

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.lists import CREATION_MARGIN
from ansible_collections.scaleway_v1.cloud.plugins.modules import (
    scaleway_container,
    scaleway_container_info,
    scaleway_container_object,
    scaleway_container_object_info,
    scaleway_container_sync,
    scaleway_organization,
    scaleway_organization_info,
    scaleway_server,
    scaleway_server_fleet,
    scaleway_server_info,
    scaleway_tag,
    scaleway_tag_info,
    scaleway_volume,
    scaleway_volume_info,
)
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.modules.simulator_fixture import (
    ORGANIZATION,
    WEB_FLEET,
    SimulatorUnderTest,
)

UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
ADDRESS = dict(address_line1="1 rue de la Paix", address_zip="75002", address_city="Paris", address_country="FR")
FLEET = WEB_FLEET


@pytest.fixture(name="sim")
def fixture_sim():
    running = SimulatorUnderTest()
    running.api.ok("POST", "/_sim/config", {"transition_delay": 0}, 200)
    yield running
    running.shutdown()


def task(sim, module, check=False, **args):
    return sim.run(module, check=check, **args)


def prepare(sim, module, **args):
    return sim.succeed(module, **args)


def sent(sim):
    return ["%s %s" % (method, UUID.sub("{id}", path)) for method, path, _status, _lost in sim.requests()]


def writes(requests):
    return [request for request in requests if not request.startswith("GET ")]


# -- what exists before a row's task (its ids fill the row's "{...}" options) ----------------------

def own_organization(sim, _tmp):
    return dict(organization=sim.organization_id())


def server_off(sim, _tmp):
    return dict(server=prepare(sim, scaleway_server, name="s1")["server"]["id"])


def server_running(sim, _tmp):
    return dict(server=prepare(sim, scaleway_server, name="s1", state="running", tags=["web"])["server"]["id"])


def server_off_and_tag(sim, tmp):
    prepare(sim, scaleway_tag, name="web")
    return server_off(sim, tmp)


def volume(sim, _tmp):
    return dict(volume=prepare(sim, scaleway_volume, name="v1", size="1GB")["volume"]["id"])


def tag(sim, _tmp):
    return dict(tag=prepare(sim, scaleway_tag, name="t1", metadata={"a": "1", "b": "2"})["tag"]["id"])


def organization(sim, _tmp):
    return dict(organization=prepare(sim, scaleway_organization, name="o1", **ADDRESS)["organization"]["id"])


def container(sim, _tmp):
    return dict(container=prepare(sim, scaleway_container, name="c1")["container"]["id"])


def container_with_objects(sim, tmp):
    ids = container(sim, tmp)
    for path in ("a.txt", "b.txt"):
        prepare(sim, scaleway_container_object, container=ids["container"], path=path, content="x")
    return ids


def container_with_objects_and_organization(sim, tmp):
    return dict(container_with_objects(sim, tmp), **own_organization(sim, tmp))


def site(sim, tmp):
    for name in ("a.txt", "b.txt"):
        (tmp / name).write_text(name)
    return dict(src=str(tmp))


def site_synced(sim, tmp):
    ids = site(sim, tmp)
    prepare(sim, scaleway_container_sync, container="site", src=ids["src"])
    return ids


def site_one_file_changed(sim, tmp):
    ids = site_synced(sim, tmp)
    (tmp / "a.txt").write_text("changed")
    return ids


def site_one_file_added_one_removed(sim, tmp):
    ids = site_synced(sim, tmp)
    (tmp / "b.txt").unlink()
    (tmp / "c.txt").write_text("new")
    return ids


def fleet_of_four(sim, _tmp):
    prepare(sim, scaleway_server_fleet, count=4, **FLEET)
    return {}


# -- the table: (module, what, prepared by, options, check mode, exact requests) --------------------

SERVER_CREATE = ["GET /servers", "POST /servers", "GET /servers"]
ROWS = [
    (scaleway_server, "create", None, dict(name="s1"), False, SERVER_CREATE),
    (scaleway_server, "create running", None, dict(name="s1", state="running"), False,
     SERVER_CREATE + ["POST /servers/{id}/action", "GET /servers/{id}"]),
    (scaleway_server, "create with a volume by name", volume, dict(name="s1", volumes=["v1"]), False,
     ["GET /servers", "GET /volumes", "POST /servers", "GET /servers"]),
    (scaleway_server, "create with a new tag", None, dict(name="s1", tags=["web"]), False,
     ["GET /servers", "GET /tags", "POST /servers", "GET /servers", "POST /tags", "GET /tags",
      "POST /servers/{id}/tags", "GET /servers/{id}"]),
    (scaleway_server, "create with a new tag, organization by id", own_organization,
     dict(name="s1", tags=["web"], organization="{organization}"), False,
     ["GET /servers", "GET /tags", "POST /servers", "GET /servers", "POST /tags", "GET /tags",
      "POST /servers/{id}/tags", "GET /servers/{id}"]),
    (scaleway_server, "no change by name", server_running, dict(name="s1", state="running", tags=["web"]), False,
     ["GET /servers"]),
    (scaleway_server, "no change by id", server_off, dict(id="{server}"), False, ["GET /servers/{id}"]),
    (scaleway_server, "no change, organization by name", server_off, dict(name="s1", organization=ORGANIZATION),
     False, ["GET /organizations/summary", "GET /servers"]),
    (scaleway_server, "update: power", server_off, dict(name="s1", state="running"), False,
     ["GET /servers", "POST /servers/{id}/action", "GET /servers/{id}"]),
    (scaleway_server, "update: attach an existing tag", server_off_and_tag, dict(name="s1", tags=["web"]), False,
     ["GET /servers", "GET /tags", "POST /servers/{id}/tags", "GET /servers/{id}"]),
    (scaleway_server, "update: detach a tag", server_running, dict(name="s1", state="running", tags=[]), False,
     ["GET /servers", "DELETE /servers/{id}/tags/{id}", "GET /servers/{id}"]),
    (scaleway_server, "check: attach an existing tag", server_off_and_tag, dict(name="s1", tags=["web"]), True,
     ["GET /servers", "GET /tags"]),
    (scaleway_server, "delete (off)", server_off, dict(name="s1", state="absent"), False,
     ["GET /servers", "DELETE /servers/{id}"]),
    (scaleway_server, "delete (running)", server_running, dict(name="s1", state="absent"), False,
     ["GET /servers", "POST /servers/{id}/action", "GET /servers/{id}", "DELETE /servers/{id}"]),
    (scaleway_server, "delete with its volumes", server_off, dict(name="s1", state="absent", delete_volumes=True),
     False, ["GET /servers", "POST /servers/{id}/action", "GET /servers/{id}"]),
    (scaleway_server, "check: create", None, dict(name="s1"), True, ["GET /servers"]),
    (scaleway_server, "check: create with a tag", None, dict(name="s1", tags=["web"]), True,
     ["GET /servers", "GET /tags"]),
    (scaleway_server, "check: update", server_off, dict(name="s1", state="running"), True, ["GET /servers"]),
    (scaleway_server, "check: delete", server_running, dict(name="s1", state="absent"), True, ["GET /servers"]),

    (scaleway_volume, "create", None, dict(name="v1", size="1GB"), False, ["GET /volumes", "POST /volumes", "GET /volumes"]),
    (scaleway_volume, "no change by name", volume, dict(name="v1", size="1GB"), False, ["GET /volumes"]),
    (scaleway_volume, "no change by id", volume, dict(id="{volume}"), False, ["GET /volumes/{id}"]),
    (scaleway_volume, "no change, organization by name", volume, dict(name="v1", organization=ORGANIZATION), False,
     ["GET /organizations/summary", "GET /volumes"]),
    (scaleway_volume, "update: a size the API cannot change fails", volume, dict(name="v1", size="2GB"), None,
     ["GET /volumes"]),
    (scaleway_volume, "delete", volume, dict(name="v1", state="absent"), False, ["GET /volumes", "DELETE /volumes/{id}"]),
    (scaleway_volume, "check: create", None, dict(name="v1", size="1GB"), True, ["GET /volumes"]),
    (scaleway_volume, "check: delete", volume, dict(name="v1", state="absent"), True, ["GET /volumes"]),

    (scaleway_tag, "create", None, dict(name="t1"), False, ["GET /tags", "POST /tags", "GET /tags"]),
    (scaleway_tag, "create with 2 metadata entries", None, dict(name="t1", metadata={"a": "1", "b": "2"}), False,
     ["GET /tags", "POST /tags", "GET /tags", "POST /tags/{id}/metadatas", "POST /tags/{id}/metadatas", "GET /tags/{id}"]),
    (scaleway_tag, "no change by name", tag, dict(name="t1", metadata={"a": "1", "b": "2"}), False, ["GET /tags"]),
    (scaleway_tag, "no change by id", tag, dict(id="{tag}"), False, ["GET /tags/{id}"]),
    (scaleway_tag, "no change, organization by name", tag, dict(name="t1", organization=ORGANIZATION), False,
     ["GET /organizations/summary", "GET /tags"]),
    (scaleway_tag, "update: add, change and remove an entry", tag, dict(name="t1", metadata={"a": "9", "c": "3"}), False,
     ["GET /tags", "POST /tags/{id}/metadatas", "PUT /tags/{id}/metadatas/a", "DELETE /tags/{id}/metadatas/b",
      "GET /tags/{id}"]),
    (scaleway_tag, "delete", tag, dict(name="t1", state="absent"), False, ["GET /tags", "DELETE /tags/{id}"]),
    (scaleway_tag, "check: create", None, dict(name="t1", metadata={"a": "1"}), True, ["GET /tags"]),
    (scaleway_tag, "check: update", tag, dict(name="t1", metadata={"a": "9"}), True, ["GET /tags"]),
    (scaleway_tag, "check: delete", tag, dict(name="t1", state="absent"), True, ["GET /tags"]),

    (scaleway_organization, "create", None, dict(name="o1", **ADDRESS), False,
     ["GET /organizations", "POST /organizations", "GET /organizations"]),
    (scaleway_organization, "no change by name", organization, dict(name="o1", **ADDRESS), False, ["GET /organizations"]),
    (scaleway_organization, "no change by id", organization, dict(id="{organization}"), False, ["GET /organizations/{id}"]),
    (scaleway_organization, "update", organization, dict(name="o1", **dict(ADDRESS, address_city="Lyon")), False,
     ["GET /organizations", "PUT /organizations/{id}"]),
    (scaleway_organization, "delete", organization, dict(name="o1", state="absent"), False,
     ["GET /organizations", "GET /servers", "GET /volumes", "GET /tags", "GET /containers", "DELETE /organizations/{id}"]),
    (scaleway_organization, "check: create", None, dict(name="o1", **ADDRESS), True, ["GET /organizations"]),
    (scaleway_organization, "check: update", organization, dict(name="o1", **dict(ADDRESS, address_city="Lyon")), True,
     ["GET /organizations"]),
    (scaleway_organization, "check: delete", organization, dict(name="o1", state="absent"), True,
     ["GET /organizations", "GET /servers", "GET /volumes", "GET /tags", "GET /containers"]),

    (scaleway_container, "create", None, dict(name="c1"), False, ["GET /containers", "POST /containers", "GET /containers"]),
    (scaleway_container, "no change by name", container, dict(name="c1"), False, ["GET /containers"]),
    (scaleway_container, "no change by id", container, dict(id="{container}"), False, ["GET /containers/{id}"]),
    (scaleway_container, "no change, organization by name", container, dict(name="c1", organization=ORGANIZATION), False,
     ["GET /organizations/summary", "GET /containers"]),
    (scaleway_container, "delete (empty)", container, dict(name="c1", state="absent"), False,
     ["GET /containers", "DELETE /containers/{id}"]),
    (scaleway_container, "delete with objects, without force, fails", container_with_objects,
     dict(name="c1", state="absent"), None, ["GET /containers"]),
    (scaleway_container, "delete with 2 objects, force", container_with_objects, dict(name="c1", state="absent", force=True),
     False, ["GET /containers", "GET /containers/{id}/objects", "DELETE /containers/{id}/objects/a.txt",
             "DELETE /containers/{id}/objects/b.txt", "DELETE /containers/{id}"]),
    (scaleway_container, "check: create", None, dict(name="c1"), True, ["GET /containers"]),
    (scaleway_container, "check: delete (empty)", container, dict(name="c1", state="absent"), True, ["GET /containers"]),
    (scaleway_container, "check: delete with objects, force", container_with_objects,
     dict(name="c1", state="absent", force=True), True, ["GET /containers", "GET /containers/{id}/objects"]),

    (scaleway_container_object, "create, container by id", container, dict(container="{container}", path="n.txt", content="x"),
     False, ["GET /containers/{id}/objects/n.txt", "GET /containers/{id}", "POST /containers/{id}/objects"]),
    (scaleway_container_object, "create, container by name", container, dict(container="c1", path="n.txt", content="x"),
     False, ["GET /containers", "GET /containers/{id}/objects/n.txt", "POST /containers/{id}/objects"]),
    (scaleway_container_object, "no change, container by id", container_with_objects,
     dict(container="{container}", path="a.txt", content="x"), False, ["GET /containers/{id}/objects/a.txt"]),
    (scaleway_container_object, "no change, container by name", container_with_objects,
     dict(container="c1", path="a.txt", content="x"), False, ["GET /containers", "GET /containers/{id}/objects/a.txt"]),
    (scaleway_container_object, "no change, container by id, organization by id", container_with_objects_and_organization,
     dict(container="{container}", organization="{organization}", path="a.txt", content="x"), False,
     ["GET /containers/{id}", "GET /containers/{id}/objects/a.txt"]),
    (scaleway_container_object, "update", container_with_objects, dict(container="{container}", path="a.txt", content="y"),
     False, ["GET /containers/{id}/objects/a.txt", "PUT /containers/{id}/objects/a.txt"]),
    (scaleway_container_object, "delete", container_with_objects, dict(container="{container}", path="a.txt", state="absent"),
     False, ["GET /containers/{id}/objects/a.txt", "DELETE /containers/{id}/objects/a.txt"]),
    (scaleway_container_object, "update, container by name", container_with_objects,
     dict(container="c1", path="a.txt", content="y"), False,
     ["GET /containers", "GET /containers/{id}/objects/a.txt", "PUT /containers/{id}/objects/a.txt"]),
    (scaleway_container_object, "delete, container by name", container_with_objects,
     dict(container="c1", path="a.txt", state="absent"), False,
     ["GET /containers", "GET /containers/{id}/objects/a.txt", "DELETE /containers/{id}/objects/a.txt"]),
    (scaleway_container_object, "check: create, container by name", container,
     dict(container="c1", path="n.txt", content="x"), True, ["GET /containers", "GET /containers/{id}/objects/n.txt"]),
    (scaleway_container_object, "check: create", container, dict(container="{container}", path="n.txt", content="x"),
     True, ["GET /containers/{id}/objects/n.txt", "GET /containers/{id}"]),
    (scaleway_container_object, "check: update", container_with_objects,
     dict(container="{container}", path="a.txt", content="y"), True, ["GET /containers/{id}/objects/a.txt"]),
    (scaleway_container_object, "check: delete", container_with_objects,
     dict(container="{container}", path="a.txt", state="absent"), True, ["GET /containers/{id}/objects/a.txt"]),

    (scaleway_container_sync, "create the container and 2 objects", site, dict(container="site", src="{src}"), False,
     ["GET /containers", "POST /containers", "GET /containers", "POST /containers/{id}/objects",
      "POST /containers/{id}/objects"]),
    (scaleway_container_sync, "no change", site_synced, dict(container="site", src="{src}"), False,
     ["GET /containers", "GET /containers/{id}/objects"]),
    (scaleway_container_sync, "update 1 file", site_one_file_changed, dict(container="site", src="{src}"), False,
     ["GET /containers", "GET /containers/{id}/objects", "PUT /containers/{id}/objects/a.txt"]),
    (scaleway_container_sync, "add 1 file, delete 1 object", site_one_file_added_one_removed,
     dict(container="site", src="{src}", delete=True, max_deletions=1), False,
     ["GET /containers", "GET /containers/{id}/objects", "POST /containers/{id}/objects",
      "DELETE /containers/{id}/objects/b.txt"]),
    (scaleway_container_sync, "check: update 1 file", site_one_file_changed, dict(container="site", src="{src}"), True,
     ["GET /containers", "GET /containers/{id}/objects"]),

    (scaleway_server_fleet, "no change", fleet_of_four, dict(count=4, **FLEET), False,
     ["GET /servers", "GET /tags", "GET /volumes"]),
    (scaleway_server_fleet, "check: grow and change power", fleet_of_four, dict(FLEET, count=6, state="stopped"), True,
     ["GET /servers", "GET /tags", "GET /volumes"]),
    (scaleway_server_fleet, "delete 4", fleet_of_four, dict(count=0, max_deletions=4, **FLEET), False,
     ["GET /servers"] + ["POST /servers/{id}/action"] * 4 + ["GET /servers"]),
    (scaleway_server_fleet, "check: delete 4", fleet_of_four, dict(count=0, max_deletions=4, **FLEET), True,
     ["GET /servers"]),

    (scaleway_server_info, "list", server_off, {}, False, ["GET /servers"]),
    (scaleway_server_info, "by id", server_off, dict(id="{server}"), False, ["GET /servers/{id}"]),
    (scaleway_server_info, "organization by name", server_off, dict(organization=ORGANIZATION), False,
     ["GET /organizations/summary", "GET /servers"]),
    (scaleway_server_info, "include_actions", server_off, dict(include_actions=True), False,
     ["GET /servers", "GET /servers/{id}/action"]),
    (scaleway_server_info, "include_sessions", server_off, dict(include_sessions=True), False,
     ["GET /servers", "GET /servers/{id}/sessions"]),
    (scaleway_server_info, "include_tags", server_off, dict(include_tags=True), False,
     ["GET /servers", "GET /servers/{id}/tags"]),
    (scaleway_server_info, "check", server_off, {}, True, ["GET /servers"]),
    (scaleway_volume_info, "list", volume, {}, False, ["GET /volumes"]),
    (scaleway_volume_info, "by id", volume, dict(id="{volume}"), False, ["GET /volumes/{id}"]),
    (scaleway_volume_info, "organization by name", volume, dict(organization=ORGANIZATION), False,
     ["GET /organizations/summary", "GET /volumes"]),
    (scaleway_volume_info, "check", volume, {}, True, ["GET /volumes"]),
    (scaleway_tag_info, "list", tag, {}, False, ["GET /tags"]),
    (scaleway_tag_info, "by id", tag, dict(id="{tag}"), False, ["GET /tags/{id}"]),
    (scaleway_tag_info, "organization by name", tag, dict(organization=ORGANIZATION), False,
     ["GET /organizations/summary", "GET /tags"]),
    (scaleway_tag_info, "check", tag, {}, True, ["GET /tags"]),
    (scaleway_organization_info, "list", None, {}, False, ["GET /organizations"]),
    (scaleway_organization_info, "by id", organization, dict(id="{organization}"), False, ["GET /organizations/{id}"]),
    (scaleway_organization_info, "check", None, {}, True, ["GET /organizations"]),
    (scaleway_container_info, "list", container, {}, False, ["GET /containers"]),
    (scaleway_container_info, "by id", container, dict(id="{container}"), False, ["GET /containers/{id}"]),
    (scaleway_container_info, "organization by name", container, dict(organization=ORGANIZATION), False,
     ["GET /organizations/summary", "GET /containers"]),
    (scaleway_container_info, "include_objects", container, dict(include_objects=True), False,
     ["GET /containers", "GET /containers/{id}/objects"]),
    (scaleway_container_info, "check", container, {}, True, ["GET /containers"]),
    (scaleway_container_object_info, "container by id", container_with_objects, dict(container="{container}"), False,
     ["GET /containers/{id}", "GET /containers/{id}/objects"]),
    (scaleway_container_object_info, "container by name", container_with_objects, dict(container="c1"), False,
     ["GET /containers", "GET /containers/{id}/objects"]),
    (scaleway_container_object_info, "one path", container_with_objects, dict(container="{container}", path="a.txt"),
     False, ["GET /containers/{id}/objects/a.txt"]),
    (scaleway_container_object_info, "one path, container by name", container_with_objects,
     dict(container="c1", path="a.txt"), False, ["GET /containers", "GET /containers/{id}/objects/a.txt"]),
    (scaleway_container_object_info, "check", container_with_objects, dict(container="{container}"), True,
     ["GET /containers/{id}", "GET /containers/{id}/objects"]),
]
# Rows whose requests run in parallel: compared as counts, not in order.
UNORDERED = (scaleway_container_sync, scaleway_server_fleet)


def row_id(row):
    return "%s: %s" % (row[0].__name__.rsplit(".", 1)[-1], row[1])


def filled(options, ids):
    if isinstance(options, dict):
        return dict((key, filled(value, ids)) for key, value in options.items())
    if isinstance(options, list):
        return [filled(value, ids) for value in options]
    if isinstance(options, str):
        return options.format(**ids)
    return options


@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_the_cost_of_each_task_is_the_table_s(sim, tmp_path, row):
    module, what, prepared_by, options, check, expected = row
    ids = prepared_by(sim, tmp_path) if prepared_by else {}
    sim.forget_requests()
    # check None: a task that must fail, in normal mode.
    failed, result = task(sim, module, check=bool(check), **filled(options, ids))
    assert failed is (check is None), result.get("msg")
    requests = sent(sim)
    if module in UNORDERED:
        assert collections.Counter(requests) == collections.Counter(expected)
    else:
        assert requests == expected
    if check or not result.get("changed"):
        # Check mode and a run with nothing to change send only reads.
        assert writes(requests) == []
    if what.startswith("no change"):
        assert not result["changed"]


def test_a_second_run_of_each_create_is_its_no_change_row(sim, tmp_path):
    # The table's "no change" rows are the run after the "create" rows, not only a state prepared otherwise.
    for module, options, second in [
        (scaleway_server, dict(name="s1", state="running", tags=["web"]), ["GET /servers"]),
        (scaleway_volume, dict(name="v1", size="1GB"), ["GET /volumes"]),
        (scaleway_tag, dict(name="t1", metadata={"a": "1"}), ["GET /tags"]),
        (scaleway_container, dict(name="c1"), ["GET /containers"]),
        (scaleway_container_object, dict(container="c1", path="a.txt", content="x"),
         ["GET /containers", "GET /containers/{id}/objects/a.txt"]),
        # Last: a second organization makes the others need organization=.
        (scaleway_organization, dict(name="o1", **ADDRESS), ["GET /organizations"]),
    ]:
        prepare(sim, module, **options)
        sim.forget_requests()
        failed, result = task(sim, module, **options)
        assert not failed and not result["changed"]
        assert sent(sim) == second, module.__name__


def test_a_cold_fleet_of_100_costs_one_tag_and_four_writes_per_server(sim):
    # Each server: its volume, itself, its tag attached, its power action; the tag once for the fleet.
    # Reads: the plan's three lists, one list of each kind after its creates, one list per poll.
    failed, result = task(sim, scaleway_server_fleet, count=100, **FLEET)
    assert not failed, result.get("msg")
    requests = sent(sim)
    counts = collections.Counter(writes(requests))
    assert counts == collections.Counter({"POST /tags": 1, "POST /volumes": 100, "POST /servers": 100,
                                          "POST /servers/{id}/tags": 100, "POST /servers/{id}/action": 100})
    reads = collections.Counter(request for request in requests if request.startswith("GET "))
    assert reads["GET /tags"] == 2 and reads["GET /volumes"] == 2
    # The transitions end at once here: the first read of the list after the actions shows the fleet running.
    assert reads["GET /servers"] == 3
    assert len(requests) == 401 + 7
    sim.forget_requests()
    failed, result = task(sim, scaleway_server_fleet, check=True, count=100, **FLEET)
    assert not failed and not result["changed"]
    assert sorted(sent(sim)) == ["GET /servers", "GET /tags", "GET /volumes"]


def test_a_list_costs_one_request_per_500_objects_and_a_name_one_page(sim):
    # 501 volumes: the list is two pages, whatever module reads it. They are made older than the
    # margin within which a list's new objects make it read again (lists.CREATION_MARGIN, in whole seconds).
    organization = sim.organization_id()
    for index in range(501):
        sim.api.create("volumes", {"name": "v%d" % index, "size": 10 ** 9,
                                   "organization": organization}, "volume")
    time.sleep(CREATION_MARGIN + 1.5)
    sim.forget_requests()
    failed, result = task(sim, scaleway_volume_info)
    assert not failed and len(result["volumes"]) == 501
    assert sent(sim) == ["GET /volumes", "GET /volumes"]
    sim.forget_requests()
    failed, result = task(sim, scaleway_volume, name="v500", size="1GB")
    assert not failed and not result["changed"]
    # A volume found by name: the API's name filter leaves one page, however many volumes there are.
    assert sent(sim) == ["GET /volumes"]
    assert "name=v500" in sim.api.ok("GET", "/_sim/requests")["requests"][0]["query"]
