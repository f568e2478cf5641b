# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The whole-list rule of plugins/module_utils/lists.py, against a list that changes between page reads."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import uuid
from datetime import datetime, timezone
from email.utils import formatdate

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.pages import Page
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.lists import (
    LIST_READ_ATTEMPTS,
    ListNotWhole,
    created_seconds,
    http_date_seconds,
    read_whole,
    unique,
)

START = 1800000000.0  # seconds since the epoch when the fake API starts


class ChangingList:
    """A list ordered by creation, answered page by page like the API; ``before[n]`` runs before request n (1-based).

    Its clock moves 0.01 s per request and with the client's sleep; each answer's Date is the clock's second.
    """

    def __init__(self, count, limit=5, age=3600):
        self.now = START
        self.limit = limit
        self.items = [self.make(self.now - age + index * 0.001) for index in range(count)]
        self.before = {}
        self.requests = []
        self.sleeps = []
        self.send_date = True
        self.send_total = True
        self.total_shift = 0
        self.deadline_left = None

    @staticmethod
    def make(when):
        return {"id": str(uuid.uuid4()),
                "creation_date": datetime.fromtimestamp(when, timezone.utc).isoformat(timespec="microseconds")}

    def create(self):
        self.items.append(self.make(self.now))

    def delete(self, index):
        del self.items[index]

    # -- the parts of ScalewayClient that read_whole uses ------------------------------------------------

    def get_page(self, path, key, params=None, page=1, limit=5):
        self.requests.append(page)
        action = self.before.get(len(self.requests))
        if action is not None:
            action()
        self.now += 0.01
        total = len(self.items) + self.total_shift
        last = max(1, -(-total // limit))
        links = {"first": "https://api.test/v1/servers?page=1", "last": "https://api.test/v1/servers?page=%d" % last}
        if not self.send_total:
            del links["last"]
        if page < last:
            links["next"] = "https://api.test/v1/servers?page=%d" % (page + 1)
        start = (page - 1) * limit
        items = [dict(item) for item in self.items[start:start + limit]]
        date = formatdate(int(self.now), usegmt=True) if self.send_date else None
        return Page(items, links, total if self.send_total else None, path=path, number=page, limit=limit, date=date)

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def past_deadline(self, seconds):
        return self.deadline_left is not None and seconds > self.deadline_left

    def read(self, **kwargs):
        return read_whole(self, "/servers", "servers", limit=self.limit, **kwargs)


def ids(items):
    return [item["id"] for item in items]


@pytest.mark.parametrize("count, pages", [(0, 1), (4, 1), (5, 1), (6, 2), (15, 3), (16, 4)])
def test_nothing_changes_one_request_per_page_and_no_wait(count, pages):
    api = ChangingList(count)
    assert ids(api.read()) == ids(api.items)
    assert api.requests == list(range(1, pages + 1))
    assert api.sleeps == []


def test_a_thousand_objects_in_pages_of_500_cost_two_requests():
    api = ChangingList(1000, limit=500)
    assert len(api.read()) == 1000
    assert api.requests == [1, 2]


def test_a_delete_and_a_create_after_page_one_keep_the_total_but_are_caught_by_the_creation_date():
    """Issue 21 point 8: page 2 shifts (a server skipped), the total and the distinct count still agree."""
    api = ChangingList(10)
    before = ids(api.items)
    skipped = before[5]  # first of page 2; after the delete it is the last of page 1, already read

    def delete_and_create():
        api.delete(0)
        api.create()

    api.before[2] = delete_and_create
    result = api.read()
    assert skipped in ids(result)
    assert before[0] not in ids(result)
    assert ids(result) == ids(api.items)
    # The first read (2 pages) was suspect; one wait of at most 2 s, then one whole read.
    assert api.requests == [1, 2, 1, 2]
    assert len(api.sleeps) == 1 and 0 < api.sleeps[0] <= 2


def test_the_shift_would_have_gone_unnoticed_by_totals_and_counts_alone():
    """What the creation date adds: the first read lists the total in distinct objects, yet misses one."""
    api = ChangingList(10)
    skipped = api.items[5]["id"]

    def delete_and_create():
        api.delete(0)
        api.create()

    api.before[2] = delete_and_create
    first = api.get_page("/servers", "servers", page=1)
    second = api.get_page("/servers", "servers", page=2)
    listed = unique(first.items + second.items)
    assert first.total == second.total == len(listed) == 10
    assert skipped not in ids(listed)


def test_an_object_created_just_before_the_read_is_waited_for_once_then_used():
    api = ChangingList(9)
    api.create()
    result = api.read()
    assert ids(result) == ids(api.items)
    assert api.requests == [1, 2, 1, 2]
    assert len(api.sleeps) == 1


def test_without_a_total_a_delete_after_page_one_is_caught_by_reading_page_one_again():
    """Old creation dates and a Date header prove nothing without X-Total-Count: b's delete shifts c onto page 1."""
    api = ChangingList(3, limit=2)
    api.send_total = False
    a, b, c = ids(api.items)
    api.before[2] = lambda: api.delete(1)
    result = api.read()
    assert ids(result) != [a, b]
    assert ids(result) == [a, c]
    # Page 1, page 2 (announced, now empty), page 1 again (changed); then one page, whole.
    assert api.requests == [1, 2, 1, 1]


def test_without_a_total_an_unchanged_list_costs_the_first_pages_again():
    api = ChangingList(5, limit=2)
    api.send_total = False
    assert ids(api.read()) == ids(api.items)
    assert api.requests == [1, 2, 3, 1, 2]


def test_an_object_dated_in_the_future_is_judged_by_reading_the_first_pages_again():
    """Clock skew: one object stamped 2099 must not make every read of the list fail."""
    api = ChangingList(10)
    api.items[3]["creation_date"] = "2099-01-01T00:00:00+00:00"
    assert ids(api.read()) == ids(api.items)
    assert api.requests == [1, 2, 1] and api.sleeps == []


def test_an_object_dated_in_the_future_still_catches_a_shift():
    api = ChangingList(10)
    api.items[3]["creation_date"] = "2099-01-01T00:00:00+00:00"
    skipped = api.items[5]["id"]

    def delete_and_create():
        api.delete(0)
        api.create()

    api.before[2] = delete_and_create
    result = api.read()
    assert skipped in ids(result) and ids(result) == ids(api.items)
    assert api.requests == [1, 2, 1, 1, 2, 1]


def test_objects_still_recent_on_the_last_read_are_judged_by_reading_the_first_pages_again():
    api = ChangingList(9)
    api.create()
    result = api.read(attempts=1)
    assert ids(result) == ids(api.items)
    assert api.requests == [1, 2, 1] and api.sleeps == []


def test_a_one_page_list_is_one_answer_and_needs_no_date():
    api = ChangingList(3)
    api.create()
    api.send_date = False
    assert len(api.read()) == 4
    assert api.requests == [1]


def test_500_distinct_objects_of_600_fail_after_the_bounded_reads():
    api = ChangingList(500, limit=500)
    api.total_shift = 100
    with pytest.raises(ListNotWhole) as err:
        api.read()
    # X-Total-Count 600 makes 2 pages; page 2 is empty: 2 requests per read.
    assert api.requests == [1, 2] * LIST_READ_ATTEMPTS
    message = str(err.value)
    assert message.startswith("GET /servers failed with HTTP 200: the list changed while it was read (it listed 500 "
                              "distinct objects where X-Total-Count is 600)")
    assert "after 3 attempts" in message and "run it again" in message


def test_totals_that_disagree_are_read_again():
    api = ChangingList(10)
    api.before[2] = lambda: api.delete(7)  # a delete alone: page 2 reports 9, page 1 reported 10
    result = api.read()
    assert ids(result) == ids(api.items) and len(result) == 9
    assert api.requests == [1, 2, 1, 2]
    assert api.sleeps == []


def test_a_total_that_never_settles_fails_naming_the_list_and_the_reason():
    api = ChangingList(10)
    for number in range(2, 40, 2):
        api.before[number] = lambda: api.delete(len(api.items) - 1)
    with pytest.raises(ListNotWhole) as err:
        api.read()
    assert api.requests == [1, 2] * LIST_READ_ATTEMPTS
    assert err.value.path == "/servers" and err.value.attempts == LIST_READ_ATTEMPTS
    assert "its pages reported totals" in err.value.reason


def test_objects_created_at_every_read_fail_after_the_bound():
    api = ChangingList(10)
    for number in range(1, 40):
        api.before[number] = api.create
    with pytest.raises(ListNotWhole):
        api.read()
    assert api.requests.count(1) == LIST_READ_ATTEMPTS


def test_a_wait_past_the_deadline_fails_at_once():
    api = ChangingList(9)
    api.create()
    api.deadline_left = 0.5
    with pytest.raises(ListNotWhole) as err:
        api.read()
    assert api.requests == [1, 2] and api.sleeps == []
    assert err.value.attempts == 1 and "created in the seconds around" in err.value.reason


def test_without_a_date_the_first_pages_are_read_again_at_the_end():
    api = ChangingList(15)
    api.send_date = False
    assert ids(api.read()) == ids(api.items)
    # Pages 1 to 3, then pages 1 and 2 again: n - 1 more requests.
    assert api.requests == [1, 2, 3, 1, 2]


def test_without_a_date_a_shift_of_the_last_page_is_caught_by_the_second_read_of_the_first_pages():
    api = ChangingList(15)
    api.send_date = False
    skipped = api.items[10]["id"]  # first of page 3

    def delete_and_create():
        api.delete(6)  # on page 2, already read
        api.create()

    api.before[3] = delete_and_create
    result = api.read()
    assert skipped in ids(result) and ids(result) == ids(api.items)
    assert api.requests == [1, 2, 3, 1, 2, 1, 2, 3, 1, 2]


def test_a_started_first_page_is_not_read_again():
    api = ChangingList(12)
    first = api.get_page("/servers", "servers", page=1)
    assert len(api.read(first=first)) == 12
    assert api.requests == [1, 2, 3]


@pytest.mark.parametrize("value, expected", [
    ("2026-12-06T01:42:32.123456+00:00", 1796521352),
    ("2026-12-06T01:42:32Z", 1796521352),
    ("2026-12-06T02:42:32+01:00", 1796521352),
    ("2026-12-06T01:42:32", 1796521352),
    ("2026-12-05T23:42:32.5-02:00", 1796521352),
    ("2026-12-06T02:42:32+01:00", 1796521352),
    ("2026-12-07T01:41:32+23:59", 1796521352),
    ("2020-01-01T00:00:00+99:00", None),
    ("2020-01-01T00:00:00+24:00", None),
    ("2020-01-01T00:00:00-2400", None),
    ("yesterday", None),
    (None, None),
    (1796521352, None),
])
def test_created_seconds(value, expected):
    assert created_seconds({"id": "x", "creation_date": value}) == expected


def test_http_date_seconds():
    assert http_date_seconds("Sun, 06 Dec 2026 01:42:32 GMT") == 1796521352
    assert http_date_seconds("not a date") is None
    assert http_date_seconds(None) is None


def test_unique_keeps_the_first_of_each_id_or_metadata_key():
    first, again, other = {"id": "a", "n": 1}, {"id": "a", "n": 2}, {"id": "b"}
    key, key_again = {"key": "k", "value": "1"}, {"key": "k", "value": "2"}
    assert unique([first, other, again, key, key_again]) == [first, other, key]
