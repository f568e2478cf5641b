# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""creation.create_once: lost answers and concurrent creates converge on one object; only this run's own copy is deleted.

Also the lookups it relies on (``references.named_settled``, ``created_together``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import ScalewayClient
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayAPIError, ScalewayInputError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.creation import create_once, first_created
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import (
    SETTLE_WAITS,
    created_together,
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


def create(api, wrote=True, reports=None, sleeps=None):
    """create_once of the volume 'db'; what it reports goes to ``reports`` (a list of (message, ids))."""
    reported = reports if reports is not None else []
    found, made = create_once(client(api, sleeps), "/volumes", "volume", "volumes", {"name": "db", "size": 1}, ORG_ID,
                              report=lambda message, ids: reported.append((message, ids)))
    assert made is wrote
    if reports is None:
        assert reported == []
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


def test_without_an_organization_the_lookups_after_the_create_stay_in_the_created_object_s_organization():
    """Another organization's older object of the same name neither wins nor makes this run delete its own."""
    other_org = "0f1e2d3c-4b5a-4968-8776-655443322110"
    mine = volume(MINE, "2026-01-01T00:00:02Z")
    elsewhere = dict(volume(THEIRS, "2026-01-01T00:00:01Z"), organization=other_org)
    api = ScriptedApi([
        ("POST", "/volumes", 201, {"volume": mine}),
        # An API that ignores the organization filter: the check of each listed object's organization holds.
        ("GET", "/volumes", 200, {"volumes": [elsewhere, mine]}),
    ])
    reported = []
    found, made = create_once(client(api), "/volumes", "volume", "volumes", {"name": "db", "size": 1},
                              report=lambda message, ids: reported.append(ids))
    assert found["id"] == MINE and made is True
    assert api.writes == [("POST", "/volumes")] and reported == []
    assert api.calls[1][2] == {"name": "db", "organization": ORG_ID, "page": 1, "limit": 500}


def settle_looks(listed):
    """The looks ``named_settled`` makes at a name whose copies stay (one, then one after each wait)."""
    return [("GET", "/volumes", 200, {"volumes": listed})] * (1 + len(SETTLE_WAITS))


def test_the_winner_keeps_its_object_and_reports_a_later_copy_it_did_not_make():
    """Another actor's object of the name, created 10 s after this run's, is never deleted: it is reported."""
    mine, theirs = volume(MINE, "2026-01-01T00:00:01Z"), volume(THEIRS, "2026-01-01T00:00:11Z")
    api = ScriptedApi([
        ("POST", "/volumes", 201, {"volume": mine}),
        ("GET", "/volumes", 200, {"volumes": [theirs, mine]}),
    ] + settle_looks([theirs, mine]))
    reports, sleeps = [], []
    assert create(api, reports=reports, sleeps=sleeps)["id"] == MINE
    assert api.writes == [("POST", "/volumes")]
    assert [ids for message, ids in reports] == [[THEIRS]] and sleeps == list(SETTLE_WAITS)
    message = reports[0][0]
    assert THEIRS in message and MINE in message and "left in place" in message and "state: absent" in message


def test_a_losing_copy_its_run_deletes_meanwhile_is_not_reported():
    """Two runs of the same task: the other run, whose object lost, deletes it; this run waits for that."""
    mine, theirs = volume(MINE, "2026-01-01T00:00:01Z"), volume(THEIRS, "2026-01-01T00:00:01.300000Z")
    api = ScriptedApi([
        ("POST", "/volumes", 201, {"volume": mine}),
        # The read after the POST is the first look: the next one comes only after the wait.
        ("GET", "/volumes", 200, {"volumes": [theirs, mine]}),
        ("GET", "/volumes", 200, {"volumes": [mine]}),
    ])
    sleeps = []
    assert create(api, sleeps=sleeps)["id"] == MINE
    assert api.writes == [("POST", "/volumes")] and sleeps == [SETTLE_WAITS[0]]


def test_creation_dates_are_compared_as_times_whatever_their_written_form():
    """As text, '...01.400000Z' sorts before '...01Z'; as times it is 0.4 s later."""
    plain, fraction = volume(THEIRS, "2026-01-01T00:00:01Z"), volume(MINE, "2026-01-01T00:00:01.400000Z")
    assert first_created([fraction, plain]) is plain
    assert first_created([volume(MINE, "2026-01-01T01:00:00+01:00"), volume(THEIRS, "2026-01-01T00:00:00.5Z")])["id"] == MINE
    assert first_created([volume(MINE, "not a date"), volume(THEIRS, "2026-01-01T00:00:00Z")])["id"] == THEIRS


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


LOST = "5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f"
ERROR = {"type": "api_error", "message": "internal"}


def test_a_copy_whose_answer_was_lost_is_reported_not_deleted():
    """This run's POST was carried out but answered 502; its lookup found the other run's, older, object.

    Nothing tells this run that LOST is its own: it keeps the winner and reports LOST, and so does the other run.
    """
    theirs, lost = volume(THEIRS, "2026-01-01T00:00:01Z"), volume(LOST, "2026-01-01T00:00:01.400000Z")
    api = ScriptedApi([
        ("POST", "/volumes", 502, ERROR),
        ("GET", "/volumes", 200, {"volumes": [theirs, lost]}),  # the lookup after the lost answer
        ("GET", "/volumes", 200, {"volumes": [theirs, lost]}),  # the look after the create
    ] + settle_looks([theirs, lost]))
    reports = []
    assert create(api, reports=reports)["id"] == THEIRS
    assert api.writes == [("POST", "/volumes")]
    assert [ids for message, ids in reports] == [[LOST]]


def test_alone_a_create_whose_answer_was_lost_adopts_what_it_made_and_reports_nothing():
    lost = volume(LOST, "2026-01-01T00:00:01Z")
    api = ScriptedApi([
        ("POST", "/volumes", 502, ERROR),
        ("GET", "/volumes", 200, {"volumes": [lost]}),
        ("GET", "/volumes", 200, {"volumes": [lost]}),
    ])
    assert create(api)["id"] == LOST
    assert api.writes == [("POST", "/volumes")]


def test_an_adopted_object_is_never_deleted_even_when_it_loses():
    """A lost answer adopted LOST (the only one then); an older object shows up later: LOST is reported, not deleted."""
    older, lost = volume(THEIRS, "2026-01-01T00:00:00Z"), volume(LOST, "2026-01-01T00:00:01Z")
    api = ScriptedApi([
        ("POST", "/volumes", 502, ERROR),
        ("GET", "/volumes", 200, {"volumes": [lost]}),
        ("GET", "/volumes", 200, {"volumes": [older, lost]}),
    ] + settle_looks([older, lost]))
    reports = []
    assert create(api, reports=reports)["id"] == THEIRS
    assert api.writes == [("POST", "/volumes")] and [ids for message, ids in reports] == [[LOST]]


def test_this_run_deletes_its_own_losing_copy_and_reports_a_third_that_stays():
    mine, theirs, other = (volume(MINE, "2026-01-01T00:00:02Z"), volume(THEIRS, "2026-01-01T00:00:01Z"),
                           volume(LOST, "2026-01-01T00:00:03Z"))
    api = ScriptedApi([
        ("POST", "/volumes", 201, {"volume": mine}),
        ("GET", "/volumes", 200, {"volumes": [theirs, mine, other]}),
        ("DELETE", "/volumes/" + MINE, 404, {"type": "unknown_resource", "message": "not found"}),
    ] + settle_looks([theirs, other]))
    reports = []
    assert create(api, reports=reports)["id"] == THEIRS
    assert api.writes == [("POST", "/volumes"), ("DELETE", "/volumes/" + MINE)]
    assert [ids for message, ids in reports] == [[LOST]]


def test_only_this_run_s_own_object_is_deleted_when_the_order_is_not_known():
    """The same date as the winner's sorts by id; a copy 5 minutes later is no concurrent run's: no wait for it."""
    mine = volume(MINE, "2026-01-01T00:00:01Z")
    same, late = volume(THEIRS, "2026-01-01T00:00:01Z"), volume(LOST, "2026-01-01T00:05:00Z")
    api = ScriptedApi([
        ("POST", "/volumes", 201, {"volume": mine}),
        ("GET", "/volumes", 200, {"volumes": [mine, same, late]}),
        # THEIRS sorts first by id at the same date: this run's object lost and is deleted, nothing else is.
        ("DELETE", "/volumes/" + MINE, 204, None),
        ("GET", "/volumes", 200, {"volumes": [same, late]}),
    ])
    reports, sleeps = [], []
    assert create(api, reports=reports, sleeps=sleeps)["id"] == THEIRS
    assert api.writes == [("POST", "/volumes"), ("DELETE", "/volumes/" + MINE)]
    assert [ids for message, ids in reports] == [[LOST]] and sleeps == []


def test_an_own_losing_copy_whose_id_is_not_one_segment_is_never_deleted():
    """An id from the POST answer that would name another URL ('..') is refused before any DELETE, naming it."""
    mine, theirs = volume("..", "2026-01-01T00:00:02Z"), volume(THEIRS, "2026-01-01T00:00:01Z")
    api = ScriptedApi([
        ("POST", "/volumes", 201, {"volume": mine}),
        ("GET", "/volumes", 200, {"volumes": [theirs, mine]}),
    ])
    with pytest.raises(ScalewayInputError) as err:
        create(api)
    assert str(err.value).startswith("volume.id: ") and api.writes == [("POST", "/volumes")]


def test_a_web_server_s_404_to_the_own_copy_delete_still_fails():
    """Only the API's own 404 means 'already gone'; a page from something else is not the API."""
    mine, theirs = volume(MINE, "2026-01-01T00:00:02Z"), volume(THEIRS, "2026-01-01T00:00:01Z")
    api = ScriptedApi([
        ("POST", "/volumes", 201, {"volume": mine}),
        ("GET", "/volumes", 200, {"volumes": [theirs, mine]}),
        ("DELETE", "/volumes/" + MINE, 404, None, None, "<html><h1>Not Found</h1></html>"),
    ])
    with pytest.raises(ScalewayAPIError) as err:
        create(api)
    assert err.value.status == 404 and "api_url (SCW_API_URL)" in str(err.value)


@pytest.mark.parametrize("answer", [{"volume": {"name": "db"}}, {"volume": {"id": 7, "name": "db"}}])
def test_a_created_object_without_an_id_is_not_the_api_s_answer(answer):
    api = ScriptedApi([("POST", "/volumes", 201, answer)])
    with pytest.raises(ScalewayAPIError) as err:
        create(api)
    assert "describes no volume with an id" in str(err.value) and "api_url (SCW_API_URL)" in str(err.value)
    assert api.writes == [("POST", "/volumes")] and len(api.calls) == 1


def test_twins_cost_no_wait_past_the_deadline():
    twins = [volume(MINE, "2026-01-01T00:00:02Z"), volume(THEIRS, "2026-01-01T00:00:01Z")]
    api = ScriptedApi([("GET", "/volumes", 200, {"volumes": twins})])
    sleeps = []
    bounded = client(api, sleeps)
    bounded.set_deadline(0.5, "wait_timeout")
    assert len(named_settled(bounded, "/volumes", "volumes", "db", ORG_ID)) == 2 and sleeps == []


@pytest.mark.parametrize("written, seconds", [
    ("2026-01-01T00:00:01Z", 1.0),
    ("2026-01-01T00:00:01.4Z", 1.4),
    ("2026-01-01T00:00:01.400000Z", 1.4),
    ("2026-01-01T00:00:01.123456789Z", 1.123456),
    ("2026-01-01T01:00:01+01:00", 1.0),
    ("2026-01-01T00:00:01", 1.0),
    ("2026-01-01 00:00:01z", 1.0),
])
def test_creation_dates_read_alike_on_every_python(written, seconds):
    """The modules run on Python 3.9+, whose fromisoformat reads fewer forms than 3.11's: the parse is the collection's."""
    base = volume(THEIRS, "2026-01-01T00:00:00Z")
    assert created_together([base, volume(MINE, written)])
    assert first_created([volume(MINE, written), base])["id"] == THEIRS
    plus = volume(LOST, "2026-01-01T00:00:%09.6fZ" % (seconds + 0.00001))
    assert first_created([plus, volume(MINE, written)])["id"] == MINE


def test_dates_that_are_not_times_are_unreadable():
    for written in ("2026-13-01T00:00:00Z", "2026-01-01", "yesterday", 1767225600, None):
        assert not created_together([volume(MINE, written), volume(THEIRS, "2026-01-01T00:00:00Z")])
