# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""scaleway_server_fleet's real main() against the in-process simulator: plan, cap, waits, faults, races."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import threading

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.modules import scaleway_server_fleet
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.modules.simulator_fixture import (
    TOKEN,
    SimulatorUnderTest,
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
    result = succeed(sim, count=4, **WEB)
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
