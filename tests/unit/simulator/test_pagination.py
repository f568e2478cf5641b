"""Pagination: page and limit, Link and X-Total-Count, default page sizes, order."""

import re

import pytest

from sim_helpers import error_of

LINK = re.compile(r'<([^>]*)>; rel="(\w+)"')


def _links(answer):
    return {rel: url for url, rel in LINK.findall(answer.headers["Link"])}


@pytest.fixture(name="seven")
def fixture_seven(api):
    return [api.create("servers", {"name": f"s{index}"}, "server")["id"] for index in range(7)]


def test_pages_links_and_total(api, server, seven):
    base = f"http://127.0.0.1:{server.port}/v1/servers"
    first = api.get("/servers?limit=3")
    assert [s["id"] for s in first.json()["servers"]] == seven[:3]
    assert first.headers["X-Total-Count"] == "7"
    assert _links(first) == {"first": base + "?page=1&limit=3", "next": base + "?page=2&limit=3", "last": base + "?page=3&limit=3"}
    middle = api.get("/servers?limit=3&page=2")
    assert [s["id"] for s in middle.json()["servers"]] == seven[3:6]
    assert _links(middle)["prev"] == base + "?page=1&limit=3" and _links(middle)["next"] == base + "?page=3&limit=3"
    last = api.get("/servers?page=3&limit=3")
    assert [s["id"] for s in last.json()["servers"]] == seven[6:]
    assert "next" not in _links(last) and _links(last)["prev"] == base + "?page=2&limit=3"


def test_links_keep_other_parameters_and_the_requests_host(api, seven):
    del seven
    answer = api.get("/servers?name=s1&limit=1", headers={"Host": "sim.example:9999"})
    assert answer.headers["X-Total-Count"] == "1"
    assert _links(answer) == {rel: "http://sim.example:9999/v1/servers?name=s1&page=1&limit=1" for rel in ("first", "last")}


def test_page_past_the_last_is_empty(api, seven):
    del seven
    answer = api.get("/servers?page=5&limit=3")
    assert answer.status == 200 and answer.json() == {"servers": []}
    assert answer.headers["X-Total-Count"] == "7"
    assert "page=3" in _links(answer)["prev"] and "next" not in _links(answer)


def test_empty_list_has_one_page(api):
    answer = api.get("/volumes")
    assert answer.json() == {"volumes": []} and answer.headers["X-Total-Count"] == "0"
    assert set(_links(answer)) == {"first", "last"}


@pytest.mark.parametrize("query, param", [("limit=0", "limit"), ("limit=501", "limit"), ("limit=x", "limit"),
                                          ("limit=-1", "limit"), ("page=0", "page"), ("page=one", "page")])
def test_bad_page_parameters_are_400(api, query, param):
    error_of(api.get("/servers?" + query), 400, param=param)


def test_limit_500_is_allowed(api, seven):
    assert len(api.ok("GET", "/servers?limit=500")["servers"]) == len(seven)


@pytest.mark.parametrize("plural, singular, body, size", [
    ("containers", "container", None, 10),
    ("volumes", "volume", {"size": 1}, 25),
    ("tags", "tag", {}, 100),
])
def test_default_page_sizes(api, plural, singular, body, size):
    for index in range(size + 1):
        api.create(plural, {"name": f"n{index:03d}", **(body or {})}, singular)
    answer = api.get("/" + plural)
    assert len(answer.json()[plural]) == size and answer.headers["X-Total-Count"] == str(size + 1)
    assert f"limit={size}" in _links(answer)["next"]


def test_other_default_page_sizes(api, seven):
    """Servers, sessions, server tags and metadata pages are 100 long, organizations 25."""
    del seven
    assert "limit=100" in api.get("/servers").headers["Link"]
    server_id = api.ok("GET", "/servers")["servers"][0]["id"]
    assert "limit=100" in api.get(f"/servers/{server_id}/sessions").headers["Link"]
    assert "limit=100" in api.get(f"/servers/{server_id}/tags").headers["Link"]
    tag_id = api.ok("GET", f"/servers/{server_id}/tags")["tags"][0]["id"]
    assert "limit=100" in api.get(f"/tags/{tag_id}/metadatas").headers["Link"]
    assert "limit=25" in api.get("/organizations").headers["Link"]
    assert "limit=25" in api.get("/organizations/summary").headers["Link"]


def test_order_is_creation_then_id(api, seven):
    listed = api.ok("GET", "/servers")["servers"]
    assert [s["id"] for s in listed] == seven
    keys = [(s["creation_date"], s["id"]) for s in listed]
    assert keys == sorted(keys) and len({s["creation_date"] for s in listed}) == 7
