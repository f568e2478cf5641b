# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""creation.create_once: lost answers and concurrent creates converge on one object."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import ScalewayAPIError, ScalewayClient
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.creation import (
    SETTLE_WAITS,
    create_once,
    created_together,
    first_created,
    named_settled,
)
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.fakes import API, ORG_ID, ScriptedApi

MINE = "9b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"
THEIRS = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"


def volume(ident, created):
    return {"id": ident, "name": "db", "organization": ORG_ID, "creation_date": created}


def client(api, sleeps=None):
    return ScalewayClient(api_url=API, api_token="token-for-tests", retries=2, session=api,
                          sleep=(sleeps.append if sleeps is not None else lambda seconds: None))


def create(api, wrote=True):
    found, made = create_once(client(api), "/volumes", "volume", "volumes", {"name": "db", "size": 1}, ORG_ID)
    assert made is wrote
    return found


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
    assert api.calls[1][2] == {"name": "db", "organization": ORG_ID, "page": 1, "limit": 500}


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
    assert create(api, wrote=False)["id"] == THEIRS


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


def test_twins_made_together_are_looked_at_again_until_the_losers_are_gone():
    """A run that finds (not creates) while concurrent runs converge sees their copies for a moment."""
    mine, theirs = volume(MINE, "2026-01-01T00:00:02.500000Z"), volume(THEIRS, "2026-01-01T00:00:01Z")
    api = ScriptedApi([
        ("GET", "/volumes", 200, {"volumes": [theirs, mine]}),
        ("GET", "/volumes", 200, {"volumes": [theirs]}),
    ])
    sleeps = []
    found = named_settled(client(api, sleeps), "/volumes", "volumes", "db", ORG_ID)
    assert [item["id"] for item in found] == [THEIRS] and sleeps == [SETTLE_WAITS[0]]


def test_twins_that_stay_are_returned_after_a_bounded_wait():
    twins = [volume(MINE, "2026-01-01T00:00:02Z"), volume(THEIRS, "2026-01-01T00:00:01Z")]
    api = ScriptedApi([("GET", "/volumes", 200, {"volumes": twins})] * (1 + len(SETTLE_WAITS)))
    sleeps = []
    assert len(named_settled(client(api, sleeps), "/volumes", "volumes", "db", ORG_ID)) == 2
    assert sleeps == list(SETTLE_WAITS) and sum(sleeps) <= 3


def test_old_twins_cost_no_wait():
    twins = [volume(MINE, "2026-01-01T00:00:00Z"), volume(THEIRS, "2026-01-03T00:00:00Z")]
    api = ScriptedApi([("GET", "/volumes", 200, {"volumes": twins})])
    sleeps = []
    assert len(named_settled(client(api, sleeps), "/volumes", "volumes", "db", ORG_ID)) == 2 and sleeps == []


def test_creation_dates_that_cannot_be_read_are_not_taken_for_twins():
    assert not created_together([{"creation_date": "yesterday"}, {"creation_date": "2026-01-01T00:00:00Z"}])
    assert not created_together([{"id": "x"}, {"id": "y"}])
    assert created_together([{"creation_date": "2026-01-01T00:00:00+00:00"}, {"creation_date": "2026-01-01T00:00:59Z"}])
