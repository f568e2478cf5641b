# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Parallel paging of plugins/plugin_utils/inventory_fetch.py (used by the inventory plugin)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import threading
from concurrent.futures import Future

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.lists import FIRST_BATCH, LIST_READ_ATTEMPTS, ListNotWhole
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.pages import Page
from ansible_collections.scaleway_v1.cloud.plugins.plugin_utils.inventory_fetch import (
    FetchError,
    ParallelFetcher,
    TagMetadata,
    describe_request,
    gather,
    plural,
)
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.fakes import (
    FakeAPI,
    FakePagingClient,
    api_error,
    new_id,
)


def items(count, prefix="item"):
    return [{"id": new_id(), "name": "%s-%03d" % (prefix, index), "creation_date": "2026-01-15T09:30:00Z"}
            for index in range(count)]


def names(listed):
    return [item["name"] for item in listed]


@pytest.mark.parametrize("count, pages", [(0, 1), (1, 1), (3, 1), (4, 2), (10, 4), (11, 4)])
def test_list_all_reads_each_page_once_in_order(count, pages):
    listed = items(count)
    api = FakeAPI(servers=listed)
    with ParallelFetcher(FakePagingClient(api), max_workers=4, limit=3) as fetcher:
        result = fetcher.list_all("/servers", "servers")
    assert names(result) == names(listed)
    assert sorted(api.pages_of("/servers")) == list(range(1, pages + 1))
    assert api.pages_of("/servers")[0] == 1
    assert set(call[2] for call in api.calls) == {3}
    assert fetcher.warnings == []


def test_pages_after_the_first_are_read_at_the_same_time_by_clients_of_their_own():
    api = FakeAPI(servers=items(12))
    release = threading.Event()
    started = []
    original = api.page

    def slow_page(path, key, params, number, limit):
        if number > 1:
            started.append(number)
            # Every page after the first waits until three of them are in flight at once.
            if len(started) >= 3:
                release.set()
            assert release.wait(5), "pages 2 to 4 were not requested at the same time"
        return original(path, key, params, number, limit)

    api.page = slow_page
    main_client = FakePagingClient(api)
    with ParallelFetcher(main_client, max_workers=3, limit=3) as fetcher:
        result = fetcher.list_all("/servers", "servers")
    assert names(result) == ["item-%03d" % index for index in range(12)]
    assert sorted(started) == [2, 3, 4]
    workers = [client for client in api.clients if client is not main_client]
    assert 1 <= len(workers) <= 3
    assert all(client.closed for client in workers)
    assert not main_client.closed


def test_max_workers_bounds_the_threads():
    api = FakeAPI(servers=items(40))
    with ParallelFetcher(FakePagingClient(api), max_workers=2, limit=2) as fetcher:
        fetcher.list_all("/servers", "servers")
    assert len(api.threads) <= 2
    assert len(api.clients) <= 3


def test_one_worker_reads_sequentially():
    api = FakeAPI(servers=items(7))
    with ParallelFetcher(FakePagingClient(api), max_workers=1, limit=2) as fetcher:
        fetcher.list_all("/servers", "servers")
    assert api.pages_of("/servers") == [1, 2, 3, 4]
    assert len(api.threads) == 1


@pytest.mark.parametrize("count, reads", [(5, [1, 2, 3]), (2, [1])])
def test_without_a_last_link_the_total_still_gives_the_page_count(count, reads):
    """rel="next" and X-Total-Count: ceil(total / limit) pages, read once each (Page.page_count)."""
    listed = items(count)
    api = FakeAPI(servers=listed)
    api.link_last = False
    with ParallelFetcher(FakePagingClient(api), max_workers=3, limit=2) as fetcher:
        result = fetcher.list_all("/servers", "servers")
    assert names(result) == names(listed)
    assert sorted(api.pages_of("/servers")) == reads


def test_a_last_link_that_contradicts_the_total_fails_naming_the_list_after_one_request():
    api = FakeAPI(servers=items(3))
    original = api.page

    def lying(path, key, params, number, limit):
        page = original(path, key, params, number, limit)
        page.links["last"] = "https://api.example.test/v1%s?page=1000000000&limit=%d" % (path, limit)
        return page

    api.page = lying
    with ParallelFetcher(FakePagingClient(api), max_workers=3, limit=2) as fetcher:
        with pytest.raises(FetchError) as err:
            fetcher.list_all("/servers", "servers")
    assert "GET /servers" in str(err.value) and 'rel="last" at page 1000000000' in str(err.value)
    # An answer that is not the API's, never a list that changed (the inventory's cache_fallback tells them apart).
    assert not isinstance(err.value.cause, ListNotWhole)
    assert api.pages_of("/servers") == [1]


@pytest.mark.parametrize("workers", [0, -1])
def test_max_workers_must_be_positive(workers):
    with pytest.raises(ValueError, match="max_workers must be at least 1"):
        ParallelFetcher(FakePagingClient(FakeAPI()), max_workers=workers)


def test_a_started_first_page_is_used_not_read_again():
    api = FakeAPI(servers=items(5), tags=items(2, "tag"))
    with ParallelFetcher(FakePagingClient(api), max_workers=2, limit=2) as fetcher:
        first_servers = fetcher.page("/servers", "servers")
        first_tags = fetcher.page("/tags", "tags")
        tags = fetcher.list_all("/tags", "tags", first=first_tags)
        servers = fetcher.list_all("/servers", "servers", first=first_servers)
    assert names(tags) == ["tag-000", "tag-001"]
    assert len(servers) == 5
    assert sorted(api.pages_of("/servers")) == [1, 2, 3]
    assert api.pages_of("/tags") == [1]


@pytest.mark.parametrize("failing_page", [1, 3])
def test_a_failed_page_fails_the_read_and_names_the_request(failing_page):
    api = FakeAPI(servers=items(10))
    api.failures[("/servers", failing_page)] = api_error("/servers")
    with ParallelFetcher(FakePagingClient(api), max_workers=3, limit=2) as fetcher:
        with pytest.raises(FetchError) as caught:
            fetcher.list_all("/servers", "servers")
    message = str(caught.value)
    assert message.startswith("GET /servers?limit=2&page=%d: " % failing_page)
    assert "HTTP 503" in message and "after 6 attempts" in message
    assert caught.value.request == "GET /servers?limit=2&page=%d" % failing_page


def test_a_failed_metadata_read_names_its_tag():
    api = FakeAPI()
    api.failures[("/tags/abc/metadatas", 1)] = api_error("/tags/abc/metadatas", status=500, message="boom")
    with ParallelFetcher(FakePagingClient(api), max_workers=2) as fetcher:
        future = fetcher.every_item("/tags/abc/metadatas", "metadatas")
        with pytest.raises(FetchError, match=r"^GET /tags/abc/metadatas: GET /tags/abc/metadatas failed with HTTP 500"):
            gather([future])


def test_gather_cancels_what_has_not_started_after_a_failure():
    api = FakeAPI()
    gate = threading.Event()
    failed = Future()
    failed.set_exception(ZeroDivisionError("page 2"))
    with ParallelFetcher(FakePagingClient(api), max_workers=1) as fetcher:
        blocker = fetcher.submit("blocker", lambda client: gate.wait(5))
        queued = fetcher.submit("queued", lambda client: "never")
        with pytest.raises(ZeroDivisionError, match="page 2"):
            gather([failed, queued])
        gate.set()
        assert blocker.result() is True
    assert queued.cancelled()


def test_a_list_that_changed_while_read_is_read_again():
    listed = items(6)
    api = FakeAPI(servers=listed)
    # One server created between the first and the second page read.
    api.growth["/servers"] = [(1, items(1, "new"))]
    with ParallelFetcher(FakePagingClient(api), max_workers=1, limit=2) as fetcher:
        result = fetcher.list_all("/servers", "servers")
    assert names(result) == ["new-000"] + names(listed)
    # Pages 1-3 with totals 6, 7, 7; then the whole list again: 4 pages of a stable list.
    assert api.pages_of("/servers") == [1, 2, 3, 1, 2, 3, 4]
    assert fetcher.warnings == []


def test_a_delete_and_a_create_after_page_one_never_drop_a_server():
    """Issue 21 point 8: the total and the distinct count agree, but page 2 shifted; the list is read again."""
    listed = items(6)
    api = FakeAPI(servers=listed)
    skipped = listed[2]["name"]  # first of page 2; after the delete it is the last of page 1, already read

    def delete_and_create():
        servers = api.lists["/servers"]
        del servers[0]
        # Created now: in the second of the answers' Date, at the end of the list (creation order).
        servers.append({"id": new_id(), "name": "created-later", "creation_date": "2030-01-01T00:00:00Z"})

    api.before_read[2] = delete_and_create
    with ParallelFetcher(FakePagingClient(api), max_workers=1, limit=2) as fetcher:
        result = fetcher.list_all("/servers", "servers")
    assert skipped in names(result)
    assert names(result) == names(api.lists["/servers"])
    assert api.pages_of("/servers") == [1, 2, 3, 1, 2, 3]
    assert len(api.sleeps) == 1


def test_fewer_distinct_servers_than_the_total_fail_the_read():
    listed = items(4)
    api = FakeAPI(servers=listed + [dict(listed[0])])
    with pytest.raises(FetchError) as err:
        with ParallelFetcher(FakePagingClient(api), max_workers=2, limit=2) as fetcher:
            fetcher.list_all("/servers", "servers")
    assert "it listed 4 distinct objects where X-Total-Count is 5" in str(err.value)
    assert api.pages_of("/servers").count(1) == 3


def test_a_list_that_keeps_changing_is_an_error_never_a_part_taken_for_the_whole():
    listed = items(4)
    api = FakeAPI(servers=listed)
    # A server more after every other page read.
    api.growth["/servers"] = [(reads, items(1, "new%d" % reads)) for reads in range(1, 40, 2)]
    with pytest.raises(FetchError) as err:
        with ParallelFetcher(FakePagingClient(api), max_workers=1, limit=2) as fetcher:
            fetcher.list_all("/servers", "servers")
    assert re.match(
        r"GET /servers: GET /servers failed with HTTP 200: the list changed while it was read \(its pages reported "
        r"totals \d+(, \d+)+\), so it is not used: a part of a list is never used as the whole after 3 attempts; "
        r"run it again when the objects change less often$", str(err.value))
    assert isinstance(err.value.cause, ListNotWhole)
    assert api.pages_of("/servers").count(1) == 3


class SamePageClient:
    """A hostile API: X-Total-Count 1000000, rel="next" and rel="last" on every page, each page the same object."""

    def __init__(self, calls):
        self.calls = calls

    def get_page(self, path, key, params=None, page=1, limit=500):
        self.calls.append(page)
        links = {"next": "https://api.example.test/v1/servers?page=%d" % (page + 1),
                 "last": "https://api.example.test/v1/servers?page=2000"}
        return Page([{"id": "a"}], links, 1000000, path=path, number=page, limit=limit)

    def clone(self):
        return SamePageClient(self.calls)

    def close(self):
        pass


def test_a_total_of_a_million_with_the_same_page_everywhere_stops_at_the_first_batch_of_each_read():
    """The parallel read stops at the repeated page 2 too: FIRST_BATCH pages after page 1 per read, not 1999."""
    calls = []
    with pytest.raises(FetchError) as err:
        with ParallelFetcher(SamePageClient(calls), max_workers=4, limit=500) as fetcher:
            fetcher.list_all("/servers", "servers")
    assert isinstance(err.value.cause, ListNotWhole)
    assert "it listed 1 distinct objects where X-Total-Count is 1000000" in str(err.value)
    assert len(calls) == LIST_READ_ATTEMPTS * (1 + FIRST_BATCH)
    assert sorted(set(calls)) == list(range(1, FIRST_BATCH + 2))


def test_a_list_of_forty_pages_read_in_parallel_batches_costs_forty_requests():
    listed = items(40)
    api = FakeAPI(servers=listed)
    with ParallelFetcher(FakePagingClient(api), max_workers=4, limit=1) as fetcher:
        assert names(fetcher.list_all("/servers", "servers")) == names(listed)
    assert sorted(api.pages_of("/servers")) == list(range(1, 41))


def test_describe_request_sorts_the_query():
    assert describe_request("/servers", {"page": 2, "limit": 500}) == "GET /servers?limit=500&page=2"
    assert describe_request("/organizations/summary") == "GET /organizations/summary"


def tag_with(entries, embed=True, count=None):
    tag = {"id": new_id(), "name": "t"}
    if embed:
        tag["metadatas"] = [{"key": key, "value": value} for key, value in entries][:100]
        tag["metadatas_count"] = len(entries) if count is None else count
    return tag


def test_tag_metadata_comes_from_the_tags_and_costs_no_request():
    api = FakeAPI()
    tags = [tag_with([("a", "1"), ("b", "2")]), tag_with([])]
    with ParallelFetcher(FakePagingClient(api), max_workers=2) as fetcher:
        result = TagMetadata(fetcher, tags).result()
    assert result == {tags[0]["id"]: [["a", "1"], ["b", "2"]], tags[1]["id"]: []}
    assert api.calls == [] and fetcher.warnings == []


def test_tag_metadata_reads_only_incomplete_tags_and_warns_once_for_tags_without_the_field():
    big_entries = [("k%03d" % index, "v") for index in range(120)]
    big, old_one, old_two, small = tag_with(big_entries), tag_with([], embed=False), tag_with([], embed=False), \
        tag_with([("a", "1")])
    api = FakeAPI(metadata={big["id"]: big_entries, old_one["id"]: [("x", "y")]})
    with ParallelFetcher(FakePagingClient(api), max_workers=3) as fetcher:
        result = TagMetadata(fetcher, [big, old_one, old_two, small]).result()
    assert result[big["id"]] == [[key, value] for key, value in big_entries]
    assert result[old_one["id"]] == [["x", "y"]] and result[old_two["id"]] == []
    assert result[small["id"]] == [["a", "1"]]
    assert sorted(api.paths()) == sorted("/tags/%s/metadatas" % tag["id"] for tag in (big, old_one, old_two))
    assert fetcher.warnings == ["the API sent 2 tags without the 'metadatas' field, as an older API does: the metadata "
                                "of each such tag is read with a request of its own"]


def test_plural():
    assert [plural(count, "tag", "tags") for count in (0, 1, 2)] == ["tags", "tag", "tags"]
