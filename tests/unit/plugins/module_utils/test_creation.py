# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""creation.create_once: lost answers and concurrent creates converge on one object."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import ScalewayAPIError, ScalewayClient
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.creation import create_once, first_created
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.modules.test_scaleway_tag import API, ScriptedApi

ORG = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
MINE = "9b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"
THEIRS = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"


def volume(ident, created):
    return {"id": ident, "name": "db", "organization": ORG, "creation_date": created}


def client(api):
    return ScalewayClient(api_url=API, api_token="token-for-tests", retries=2, session=api, sleep=lambda seconds: None)


def create(api):
    return create_once(client(api), "/volumes", "volume", "volumes", {"name": "db", "size": 1}, ORG)


def test_first_created_sorts_by_creation_date_then_id():
    early, late = volume(MINE, "2026-01-01T00:00:01Z"), volume(THEIRS, "2026-01-01T00:00:02Z")
    assert first_created([late, early]) is early
    assert first_created([volume(MINE, "2026-01-01T00:00:01Z"), volume(THEIRS, "2026-01-01T00:00:01Z")])["id"] == THEIRS
    assert first_created([]) is None


def test_alone_the_new_object_is_kept():
    mine = volume(MINE, "2026-01-01T00:00:02Z")
    api = ScriptedApi([("POST", "/volumes", 201, {"volume": mine}), ("GET", "/volumes", 200, {"volumes": [mine]})])
    assert create(api)["id"] == MINE
    assert api.writes == [("POST", "/volumes")]


def test_a_run_whose_object_lost_deletes_it_and_adopts_the_first():
    mine, theirs = volume(MINE, "2026-01-01T00:00:02Z"), volume(THEIRS, "2026-01-01T00:00:01Z")
    api = ScriptedApi([
        ("POST", "/volumes", 201, {"volume": mine}),
        ("GET", "/volumes", 200, {"volumes": [theirs, mine]}),
        ("DELETE", "/volumes/" + MINE, 204, None),
    ])
    assert create(api)["id"] == THEIRS
    assert api.calls[1][2] == {"name": "db", "organization": ORG, "page": 1, "limit": 500}


def test_the_winner_keeps_its_object_whatever_the_list_order():
    mine, theirs = volume(MINE, "2026-01-01T00:00:01Z"), volume(THEIRS, "2026-01-01T00:00:02Z")
    api = ScriptedApi([("POST", "/volumes", 201, {"volume": mine}), ("GET", "/volumes", 200, {"volumes": [theirs, mine]})])
    assert create(api)["id"] == MINE
    assert api.writes == [("POST", "/volumes")]


@pytest.mark.parametrize("status, code", [(400, "conflict"), (402, "invalid_state")])
def test_a_create_refused_because_another_run_won_adopts_its_object(status, code):
    theirs = volume(THEIRS, "2026-01-01T00:00:01Z")
    api = ScriptedApi([
        ("POST", "/volumes", status, {"type": "invalid_request_error", "message": "taken", "code": code}),
        ("GET", "/volumes", 200, {"volumes": [theirs]}),
    ])
    assert create(api)["id"] == THEIRS


def test_a_refused_create_with_nothing_to_adopt_is_the_error():
    api = ScriptedApi([
        ("POST", "/volumes", 400, {"type": "invalid_request_error", "message": "taken", "code": "conflict"}),
        ("GET", "/volumes", 200, {"volumes": []}),
    ])
    with pytest.raises(ScalewayAPIError) as err:
        create(api)
    assert err.value.status == 400 and err.value.code == "conflict"


def test_other_refusals_are_not_taken_for_a_lost_race():
    api = ScriptedApi([("POST", "/volumes", 400, {"type": "invalid_request_error", "message": "bad", "param": "size"})])
    with pytest.raises(ScalewayAPIError) as err:
        create(api)
    assert err.value.param == "size" and api.writes == [("POST", "/volumes")]
