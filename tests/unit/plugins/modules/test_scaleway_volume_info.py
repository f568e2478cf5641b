# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""scaleway_volume_info, and the ScalewayInfoModule base that it is only a declaration of.

Run through the modules' real main() against the API simulator, so the request counts come from
the simulator's log. The bad-input test covers every _info module: checking ids is the base's rule.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.modules import (
    scaleway_container_info,
    scaleway_organization_info,
    scaleway_server_info,
    scaleway_tag_info,
    scaleway_volume_info,
)
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.modules import test_lost_writes
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.modules.simulator_fixture import ORGANIZATION, run_module

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
VOLUME = {"name": "logs", "size": 10 ** 9}


# The simulator fixture ``sim`` of the lost-write tests.
fixture_sim = test_lost_writes.fixture_sim


def read(sim, module, **args):
    """The result of one task of ``module``, which must succeed (without the token in it) and change nothing."""
    result = test_lost_writes.succeed(sim, module, **args)
    assert not result["changed"]
    return result


def succeed(sim, **args):
    return read(sim, scaleway_volume_info, **args)["volumes"]


def test_filters_are_sent_to_the_api_and_matched_exactly(sim):
    logs = sim.create("/volumes", "volume", VOLUME)
    sim.create("/volumes", "volume", dict(VOLUME, name="logs-old"))
    organization_id = sim.organization_id()
    sim.forget_requests()
    assert succeed(sim, name="logs", organization=organization_id) == [logs]
    assert succeed(sim, name="LOGS") == []
    assert succeed(sim, id=logs["id"], name="other") == []
    assert succeed(sim, id=UNKNOWN_ID) == []
    assert [entry[:2] for entry in sim.requests()] == [
        ("GET", "/volumes"), ("GET", "/volumes"), ("GET", "/volumes/" + logs["id"]), ("GET", "/volumes/" + UNKNOWN_ID)]


def test_an_organization_name_costs_one_list_of_organizations(sim):
    logs = sim.create("/volumes", "volume", VOLUME)
    sim.forget_requests()
    assert succeed(sim, organization=ORGANIZATION) == [logs]
    assert [entry[1] for entry in sim.requests()] == ["/organizations/summary", "/volumes"]


# With an organization given by name where the module has the option: its lookup would be a request.
@pytest.mark.parametrize("module, args, message", [
    (scaleway_volume_info, dict(id="logs", organization=ORGANIZATION), "id: 'logs' is not a volume id (a UUID)"),
    (scaleway_server_info, dict(id="web-1", organization=ORGANIZATION), "id: 'web-1' is not a server id (a UUID)"),
    (scaleway_server_info, dict(include_sessions=True, session_id="last"), "session_id: 'last' is not a session id"),
    (scaleway_server_info, dict(sessions_active=True, organization=ORGANIZATION),
     "sessions_active: needs include_sessions=true"),
    (scaleway_server_info, dict(session_id=UNKNOWN_ID), "session_id: needs include_sessions=true"),
    (scaleway_tag_info, dict(id="web", organization=ORGANIZATION), "id: 'web' is not a tag id (a UUID)"),
    (scaleway_tag_info, dict(server="web-1"), "server: 'web-1' is not a server id (a UUID)"),
    (scaleway_container_info, dict(id="backups", organization=ORGANIZATION),
     "id: 'backups' is not a container id (a UUID)"),
    (scaleway_organization_info, dict(id="demo"), "id: 'demo' is not an organization id (a UUID)"),
])
def test_bad_input_fails_naming_the_option_before_any_request(sim, module, args, message):
    sim.forget_requests()
    failed, result = run_module(module, sim.module_args(**args))
    assert failed and result["msg"].startswith(message)
    assert sim.requests() == []


def test_an_upper_case_id_finds_the_volume(sim):
    logs = sim.create("/volumes", "volume", VOLUME)
    organization_id = sim.organization_id()
    assert succeed(sim, id=logs["id"].upper()) == [logs]
    assert succeed(sim, organization=organization_id.upper(), name="logs") == [logs]
