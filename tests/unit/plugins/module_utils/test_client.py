# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re

import pytest
import requests

from ansible_collections.scaleway_v1.cloud.plugins.module_utils import client as client_mod, pages, retries
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import ScalewayClient
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import (
    REDACTED,
    ScalewayAPIError,
    ScalewayInputError,
    ScalewayWaitTimeout,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.lists import LIST_READ_ATTEMPTS, ListNotWhole
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.pages import parse_link_header
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.settings import plain_http_warning
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.fakes import API, FAKE_DATE, FakeSession, make_response

TOKEN = "tok-3f1c9d2e-secret-value"


class Recorder:
    def __init__(self):
        self.sleeps = []
        self.logs = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)


def make_client(script, retries=3, **kwargs):
    session = FakeSession(script)
    recorder = Recorder()
    client = ScalewayClient(api_url=API, api_token=TOKEN, retries=retries, session=session,
                            sleep=recorder.sleep, log=recorder.logs.append, clock=lambda: 1000.0, **kwargs)
    return client, session, recorder


def dropped():
    return requests.exceptions.ConnectionError(
        "('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))")


def refused():
    return requests.exceptions.ConnectionError(
        "HTTPConnectionPool(host='127.0.0.1', port=1): Max retries exceeded (Caused by NewConnectionError("
        "'Failed to establish a new connection: [Errno 111] Connection refused'))")


def link(page, last, limit=500, extra=""):
    parts = ['<%s/servers?page=1&limit=%d%s>; rel="first"' % (API, limit, extra)]
    if page > 1:
        parts.append('<%s/servers?page=%d&limit=%d%s>; rel="prev"' % (API, page - 1, limit, extra))
    if page < last:
        parts.append('<%s/servers?page=%d&limit=%d%s>; rel="next"' % (API, page + 1, limit, extra))
    parts.append('<%s/servers?page=%d&limit=%d%s>; rel="last"' % (API, last, limit, extra))
    return ", ".join(parts)


# Long before FAKE_DATE, the Date of the scripted list pages: nothing was created while they were read.
CREATED = "2026-01-15T09:30:00Z"


def servers_page(page, last, per_page=500):
    start = (page - 1) * per_page
    items = [{"id": "s-%05d" % i, "name": "srv%d" % i, "creation_date": CREATED} for i in range(start, start + per_page)]
    return make_response(200, {"servers": items}, {"Link": link(page, last), "X-Total-Count": str(last * per_page),
                                                   "Date": FAKE_DATE})


# -- session and headers ---------------------------------------------------------------------

def test_session_headers_timeout_and_verify():
    client, session, dummy = make_client([make_response(200, {"server": {"id": "a"}})], timeout=7,
                                         validate_certs=False)
    assert client.get("/servers/a", "server") == {"id": "a"}
    call = session.calls[0]
    assert call["url"] == API + "/servers/a"
    # api_timeout bounds the connection and each read; the client bounds the whole attempt itself.
    assert call["timeout"] == (7, 7)
    assert call["verify"] is False
    assert call["allow_redirects"] is False
    assert call["stream"] is True
    assert call["headers"]["X-Auth-Token"] == TOKEN
    assert re.match(r"^scaleway_v1\.cloud/\d+\.\d+\.\d+ ", call["headers"]["User-Agent"])


def test_collection_version_matches_galaxy_yml():
    galaxy = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "galaxy.yml")
    with open(galaxy) as handle:
        version = re.search(r"^version:\s*(\S+)", handle.read(), re.M).group(1)
    assert client_mod.COLLECTION_VERSION == version


def test_one_session_is_reused_for_all_calls():
    client, session, dummy = make_client([make_response(200, {"server": {"id": "a"}})] * 3)
    for dummy_i in range(3):
        client.get("/servers/a", "server")
    assert len(session.calls) == 3
    assert client.session is session


# -- pagination --------------------------------------------------------------------------------

def test_three_pages_of_500_make_exactly_three_gets():
    client, session, dummy = make_client([servers_page(1, 3), servers_page(2, 3), servers_page(3, 3)])
    items = client.list("/servers", "servers", params={"organization": "o1"})
    assert len(items) == 1500
    assert [item["id"] for item in items[:2]] == ["s-00000", "s-00001"]
    assert items[-1]["id"] == "s-01499"
    assert len(session.calls) == 3
    assert [call["params"]["page"] for call in session.calls] == [1, 2, 3]
    assert all(call["params"]["limit"] == 500 for call in session.calls)
    assert all(call["params"]["organization"] == "o1" for call in session.calls)


def test_paginate_yields_only_once_the_whole_list_is_read():
    """A caller that stops early never acts on a list that was not checked whole."""
    client, session, dummy = make_client([servers_page(1, 3), servers_page(2, 3), servers_page(3, 3)])
    first = next(iter(client.paginate("/servers", "servers")))
    assert first["id"] == "s-00000"
    assert len(session.calls) == 3


def test_pagination_never_follows_a_link_to_another_host():
    evil = ('<https://evil.example/v1/servers?page=2&limit=500>; rel="next", '
            '<https://evil.example/v1/servers?page=2&limit=500>; rel="last"')

    def first():
        return make_response(200, {"servers": [{"id": "1", "creation_date": CREATED}]},
                             {"Link": evil, "Date": FAKE_DATE})
    second = make_response(200, {"servers": [{"id": "2", "creation_date": CREATED}]}, {"Link": ""})
    # Without X-Total-Count, page 1 is read again at the end (lists.py: the whole-list rule).
    client, session, dummy = make_client([first(), second, first()])
    assert [item["id"] for item in client.list("/servers", "servers")] == ["1", "2"]
    assert len(session.calls) == 3 and all(call["url"].startswith(API) for call in session.calls)


def test_single_page_without_link_header():
    client, session, dummy = make_client([make_response(200, {"tags": [{"id": "t"}]})])
    assert client.list("/tags", "tags") == [{"id": "t"}]
    assert len(session.calls) == 1


def test_get_page_reports_last_page_and_total():
    client, dummy, dummy2 = make_client([servers_page(1, 20)])
    page = client.get_page("/servers", "servers")
    assert page.last_page == 20
    assert page.total == 10000
    assert page.has_next


def test_parse_link_header():
    links = parse_link_header(link(2, 3))
    assert set(links) == {"first", "prev", "next", "last"}
    assert links["next"].endswith("page=3&limit=500")


# -- errors --------------------------------------------------------------------------------

def test_error_carries_status_type_message_code_param():
    body = {"type": "invalid_request_error", "message": "size must be > 0", "code": None, "param": "size"}
    client, dummy, dummy2 = make_client([make_response(400, body)])
    with pytest.raises(ScalewayAPIError) as err:
        client.create("/volumes", "volume", {"name": "v", "size": 0})
    exc = err.value
    assert (exc.status, exc.type, exc.message, exc.param) == (400, "invalid_request_error", "size must be > 0", "size")
    assert "POST /volumes" in str(exc)
    assert "HTTP 400" in str(exc) and "param: size" in str(exc) and "size must be > 0" in str(exc)
    assert exc.to_dict()["param"] == "size"


def test_error_with_code_names_it():
    body = {"type": "invalid_request_error", "message": "server is running", "code": "invalid_state"}
    client, dummy, dummy2 = make_client([make_response(402, body)])
    with pytest.raises(ScalewayAPIError) as err:
        client.delete("/servers/abc")
    assert "invalid_request_error/invalid_state" in str(err.value)
    assert err.value.code == "invalid_state"


@pytest.mark.parametrize("response", [
    make_response(502, text="<html><body>Bad Gateway</body></html>"),
    make_response(500, text=""),
    make_response(400, body=["not", "an", "object"]),
    make_response(400, body={"message": 42}),
], ids=["html", "empty", "list", "bad-message"])
def test_non_json_or_odd_error_bodies_do_not_crash(response):
    client, dummy, dummy2 = make_client([response], retries=0)
    with pytest.raises(ScalewayAPIError) as err:
        client.get("/servers/x", "server")
    assert err.value.status == response.status_code
    assert err.value.message


def test_success_without_envelope_is_an_error():
    client, dummy, dummy2 = make_client([make_response(200, {"something": 1})])
    with pytest.raises(ScalewayAPIError) as err:
        client.get("/servers/x", "server")
    assert "'server'" in str(err.value)


def test_get_or_none_on_404():
    body = {"type": "invalid_request_error", "message": "not found", "code": "unknown_resource"}
    client, dummy, dummy2 = make_client([make_response(404, body)])
    assert client.get_or_none("/servers/x", "server") is None


# -- retries -------------------------------------------------------------------------------

def test_get_503_then_200_retries_once():
    client, session, recorder = make_client([make_response(503, {"type": "api_error", "message": "busy"}),
                                             make_response(200, {"server": {"id": "a"}})])
    assert client.get("/servers/a", "server")["id"] == "a"
    assert len(session.calls) == 2
    assert len(recorder.sleeps) == 1


def test_retry_after_is_honoured():
    slow = make_response(429, {"type": "invalid_request_error", "message": "slow", "code": "rate_limited"},
                         {"Retry-After": "7"})
    client, session, recorder = make_client([slow, make_response(200, {"server": {"id": "a"}})])
    client.get("/servers/a", "server")
    assert 7 <= recorder.sleeps[0] <= 7.25


def test_ratelimit_reset_is_honoured_without_retry_after():
    # clock() is 1000.0 in these tests
    slow = make_response(429, {"message": "slow"}, {"X-RateLimit-Reset": "1004", "X-RateLimit-Remaining": "0"})
    client, session, recorder = make_client([slow, make_response(200, {"server": {"id": "a"}})])
    client.get("/servers/a", "server")
    assert 4 <= recorder.sleeps[0] <= 4.25


def test_retry_wait_over_the_cap_fails_at_once_saying_when_to_retry():
    client, session, recorder = make_client([make_response(429, {"message": "slow", "code": "rate_limited"},
                                                           {"Retry-After": "3600"})])
    with pytest.raises(ScalewayAPIError) as err:
        client.get("/servers/a", "server")
    assert recorder.sleeps == []
    assert len(session.calls) == 1
    assert err.value.status == 429 and err.value.code == "rate_limited"
    assert "asks to wait 3600 s" in str(err.value)
    assert re.search(r"try again after \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", str(err.value))


def test_ratelimit_reset_far_ahead_fails_at_once():
    # clock() is 1000.0 in these tests
    slow = make_response(429, {"message": "slow"}, {"X-RateLimit-Reset": "1900", "X-RateLimit-Remaining": "0"})
    client, session, recorder = make_client([slow])
    with pytest.raises(ScalewayAPIError) as err:
        client.get("/servers/a", "server")
    assert recorder.sleeps == [] and "asks to wait 900 s" in str(err.value)


def test_retry_wait_at_the_cap_is_waited():
    client, session, recorder = make_client([make_response(429, {"message": "slow"}, {"Retry-After": "60"}),
                                             make_response(200, {"server": {"id": "a"}})])
    client.get("/servers/a", "server")
    assert recorder.sleeps == [retries.MAX_RETRY_WAIT]


def test_backoff_grows_exponentially_with_jitter():
    client, dummy, dummy2 = make_client([])
    for attempt in range(1, 6):
        full = min(client.backoff_max, client.backoff_base * 2 ** (attempt - 1))
        for dummy_i in range(20):
            assert full / 2 <= client._backoff(attempt) <= full


def test_retries_are_bounded_and_reported():
    busy = make_response(503, {"type": "api_error", "message": "busy"})
    client, session, recorder = make_client([busy] * 4, retries=3)
    with pytest.raises(ScalewayAPIError) as err:
        client.get("/servers", "servers")
    assert len(session.calls) == 4
    assert err.value.attempts == 4
    assert "after 4 attempts" in str(err.value)
    assert len(recorder.sleeps) == 3
    assert all(0 < wait <= client.backoff_max for wait in recorder.sleeps)


def test_dropped_connection_on_get_is_retried():
    client, session, dummy = make_client([dropped(), make_response(200, {"server": {"id": "a"}})])
    assert client.get("/servers/a", "server")["id"] == "a"
    assert len(session.calls) == 2


def test_put_after_dropped_answer_is_repeated():
    client, session, dummy = make_client([dropped(), make_response(200, {"server": {"id": "a", "name": "b"}})])
    assert client.update("/servers/a", "server", {"name": "b"})["name"] == "b"
    assert [call["method"] for call in session.calls] == ["PUT", "PUT"]


def test_4xx_is_not_retried():
    client, session, dummy = make_client([make_response(400, {"message": "bad", "param": "name"})])
    with pytest.raises(ScalewayAPIError):
        client.get("/servers", "servers")
    assert len(session.calls) == 1


# -- POST: never a duplicate ------------------------------------------------------------------

def test_lost_post_without_lookup_is_not_resent():
    client, session, dummy = make_client([dropped()])
    with pytest.raises(ScalewayAPIError) as err:
        client.create("/servers", "server", {"name": "web"})
    assert len(session.calls) == 1
    assert err.value.ambiguous
    assert "may or may not have carried out" in str(err.value)


def test_post_502_without_lookup_is_not_resent():
    client, session, dummy = make_client([make_response(502, {"type": "api_error", "message": "bad gateway"})])
    with pytest.raises(ScalewayAPIError) as err:
        client.create("/servers", "server", {"name": "web"})
    assert len(session.calls) == 1
    assert err.value.ambiguous and err.value.status == 502


def test_lost_post_found_by_lookup_is_not_resent():
    lookups = []

    def lookup():
        lookups.append(1)
        return {"id": "new", "name": "web"}

    client, session, dummy = make_client([dropped()])
    assert client.create("/servers", "server", {"name": "web"}, lookup=lookup) == {"id": "new", "name": "web"}
    assert [call["method"] for call in session.calls] == ["POST"]
    assert lookups == [1]


def test_lost_post_not_found_by_lookup_is_sent_again():
    client, session, dummy = make_client([make_response(502, {"message": "bad gateway"}),
                                          make_response(201, {"server": {"id": "new"}})])
    assert client.create("/servers", "server", {"name": "web"}, lookup=lambda: None) == {"id": "new"}
    assert [call["method"] for call in session.calls] == ["POST", "POST"]


def test_post_429_is_resent_without_lookup():
    client, session, dummy = make_client([make_response(429, {"message": "slow"}, {"Retry-After": "1"}),
                                          make_response(201, {"server": {"id": "new"}})])
    assert client.create("/servers", "server", {"name": "web"})["id"] == "new"
    assert len(session.calls) == 2


def test_post_refused_connection_is_resent_without_lookup():
    client, session, dummy = make_client([refused(), make_response(201, {"server": {"id": "new"}})])
    assert client.create("/servers", "server", {"name": "web"})["id"] == "new"
    assert len(session.calls) == 2


def test_idempotent_post_is_retried():
    client, session, dummy = make_client([dropped(), make_response(200, {"tag": {"id": "t"}})])
    client.call("POST", "/servers/s/tags", json={"tag_id": "t"}, idempotent=True)
    assert len(session.calls) == 2


def test_delete_404_after_lost_answer_counts_as_done():
    client, session, dummy = make_client([make_response(502, {"message": "bad gateway"}),
                                          make_response(404, {"type": "unknown_resource", "message": "not found"})])
    assert client.delete("/volumes/v") is True
    assert len(session.calls) == 2


@pytest.mark.parametrize("lost", ["502", "dropped"])
@pytest.mark.parametrize("not_found", [
    {"message": "not found", "code": "unknown_resource"}, "", "<html>404 Not Found</html>",
], ids=["json-without-type", "empty", "html"])
def test_delete_after_lost_answer_takes_only_the_apis_own_404_for_gone(lost, not_found):
    """A proxy's 404 proves nothing about the object: the delete fails naming api_url, never reports it deleted."""
    first = make_response(502, {"message": "bad gateway"}) if lost == "502" else dropped()
    answer = make_response(404, text=not_found) if isinstance(not_found, str) else make_response(404, not_found)
    client, session, dummy = make_client([first, answer])
    with pytest.raises(ScalewayAPIError) as err:
        client.delete("/volumes/v")
    assert err.value.status == 404 and err.value.ambiguous
    assert "api_url (SCW_API_URL)" in str(err.value) and len(session.calls) == 2


def test_delete_404_at_first_attempt_is_an_error():
    client, dummy, dummy2 = make_client([make_response(404, {"message": "not found", "code": "unknown_resource"})])
    with pytest.raises(ScalewayAPIError) as err:
        client.delete("/volumes/v")
    assert err.value.status == 404


# -- the token never leaks --------------------------------------------------------------------

def test_token_absent_from_exceptions_and_logs():
    echoing = make_response(401, {"type": "invalid_request_error", "message": "bad token %s" % TOKEN,
                                  "code": "invalid_token"})
    leaking = requests.exceptions.ConnectionError("failed with header X-Auth-Token: %s" % TOKEN)
    client, session, recorder = make_client([echoing, leaking, leaking], retries=1)
    messages = []
    for dummy_i in range(2):
        with pytest.raises(ScalewayAPIError) as err:
            client.get("/servers", "servers")
        messages.extend([str(err.value), repr(err.value), json.dumps(err.value.to_dict())])
    messages.extend(recorder.logs)
    assert recorder.logs, "the client should log each attempt"
    for text in messages:
        assert TOKEN not in text
    assert any(REDACTED in text for text in messages)


def test_redact_leaves_other_text_alone():
    client, dummy, dummy2 = make_client([])
    assert client.redact("nothing secret") == "nothing secret"


# -- waiting -------------------------------------------------------------------------------

class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_wait_for_returns_when_predicate_holds():
    clock = FakeClock()
    client = ScalewayClient(api_url=API, api_token=TOKEN, session=FakeSession([]), sleep=clock.sleep, clock=clock.clock)
    states = iter(["starting", "starting", "running"])
    assert client.wait_for(lambda: next(states), lambda s: s == "running", timeout=60, interval=1) == "running"
    assert clock.sleeps == [1, 1.5]


def test_wait_for_times_out_with_last_value_and_backs_off():
    clock = FakeClock()
    client = ScalewayClient(api_url=API, api_token=TOKEN, session=FakeSession([]), sleep=clock.sleep, clock=clock.clock)
    with pytest.raises(ScalewayWaitTimeout) as err:
        client.wait_for(lambda: "starting", lambda s: s == "running", timeout=30, interval=1, max_interval=4,
                        description="server web to be running")
    assert err.value.last == "starting"
    assert "server web to be running" in str(err.value)
    assert max(clock.sleeps) <= 4
    assert abs(sum(clock.sleeps) - 30) < 1e-9


@pytest.mark.parametrize("token", ["abc\n", "abc def", "a\tb", "a\x7fb"])
def test_token_with_spaces_or_control_characters_is_refused_without_echo(token):
    with pytest.raises(ValueError) as err:
        ScalewayClient(api_url=API, api_token=token, session=FakeSession([]))
    assert "api_token" in str(err.value)
    assert token not in str(err.value)


def test_redact_covers_the_escaped_form():
    client, dummy, dummy2 = make_client([])
    client._token = "tok\\value-1234"
    assert client.redact("header 'tok\\\\value-1234' refused") == "header '%s' refused" % REDACTED


def test_lost_post_whose_lookup_fails_says_the_write_is_in_doubt():
    def lookup():
        raise ScalewayAPIError("GET", "/volumes", "busy", status=503, attempts=4)

    client, session, dummy = make_client([dropped()])
    with pytest.raises(ScalewayAPIError) as err:
        client.create("/volumes", "volume", {"name": "v"}, lookup=lookup)
    assert str(err.value).startswith("POST /volumes failed")
    assert "GET /volumes" in str(err.value)
    assert err.value.ambiguous and "may or may not have carried out" in str(err.value)
    assert len(session.calls) == 1


def test_put_failing_after_lost_answers_is_reported_in_doubt():
    lost = make_response(502, {"type": "api_error", "message": "bad gateway"})
    client, session, dummy = make_client([lost, lost], retries=1)
    with pytest.raises(ScalewayAPIError) as err:
        client.update("/servers/a", "server", {"name": "b"})
    assert err.value.ambiguous and err.value.attempts == 2


def test_get_failure_is_never_in_doubt():
    busy = make_response(503, {"type": "api_error", "message": "busy"})
    client, dummy, dummy2 = make_client([busy, busy], retries=1)
    with pytest.raises(ScalewayAPIError) as err:
        client.get("/servers/a", "server")
    assert not err.value.ambiguous


# -- settings are checked before any request ----------------------------------------------------

@pytest.mark.parametrize("api_url", ["", "api.example.test/v1", "ftp://api.example.test/v1", "https://",
                                     "http:///v1", "https://api.example.test:99999/v1",
                                     "https://user:pass@api.example.test/v1"])
def test_bad_api_url_is_refused_naming_the_option(api_url):
    with pytest.raises(ScalewayInputError) as err:
        ScalewayClient(api_url=api_url, api_token=TOKEN, session=FakeSession([]))
    assert err.value.option == "api_url"
    assert "SCW_API_URL" in str(err.value)


@pytest.mark.parametrize("api_url", ["HTTPS://API.example.test/v1/", "http://127.0.0.1:8080/v1", "http://[::1]/v1"])
def test_good_api_url_is_kept_without_its_trailing_slash(api_url):
    client = ScalewayClient(api_url=api_url, api_token=TOKEN, session=FakeSession([]))
    assert client.api_url == api_url.rstrip("/")


@pytest.mark.parametrize("token", [None, ""])
def test_missing_token_is_refused(token):
    with pytest.raises(ScalewayInputError) as err:
        ScalewayClient(api_url=API, api_token=token, session=FakeSession([]))
    assert str(err.value) == "api_token: no API token; set api_token or the SCW_TOKEN environment variable"


@pytest.mark.parametrize("token", ["tok-\u20ac-secret-1234", "tok-\u00a0-secret-1234", "tok-\x85-secret-1234",
                                   "tok-\u65e5\u672c-secret"])
def test_token_that_cannot_go_in_a_header_is_refused_without_echo(token):
    with pytest.raises(ScalewayInputError) as err:
        ScalewayClient(api_url=API, api_token=token, session=FakeSession([]))
    assert err.value.option == "api_token"
    assert token not in str(err.value)


def test_latin1_token_is_accepted():
    client = ScalewayClient(api_url=API, api_token="tok-\u00e9t\u00e9-1234", session=FakeSession([]))
    assert client.session.headers["X-Auth-Token"] == "tok-\u00e9t\u00e9-1234"


@pytest.mark.parametrize("option, kwargs", [
    ("api_timeout", {"timeout": 0}), ("api_timeout", {"timeout": -1}), ("api_timeout", {"timeout": float("nan")}),
    ("api_timeout", {"timeout": float("inf")}), ("api_timeout", {"timeout": "30"}), ("api_timeout", {"timeout": True}),
    ("api_retries", {"retries": -1}), ("api_retries", {"retries": 1.5}), ("api_retries", {"retries": "3"}),
    ("api_retries", {"retries": None}),
])
def test_bad_timeout_or_retries_is_refused_naming_the_option(option, kwargs):
    with pytest.raises(ScalewayInputError) as err:
        ScalewayClient(api_url=API, api_token=TOKEN, session=FakeSession([]), **kwargs)
    assert err.value.option == option


def test_ca_path_that_is_not_a_readable_file_is_refused(tmp_path):
    for path in (str(tmp_path / "missing.pem"), str(tmp_path)):
        with pytest.raises(ScalewayInputError) as err:
            ScalewayClient(api_url=API, api_token=TOKEN, session=FakeSession([]), ca_path=path)
        assert err.value.option == "ca_path" and "SCW_CA_BUNDLE" in str(err.value)


def test_ca_path_is_the_verify_of_every_request_unless_validate_certs_is_false(tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not checked by the client\n")
    client, session, dummy = make_client([make_response(200, {"server": {"id": "a"}})], ca_path=str(bundle))
    client.get("/servers/a", "server")
    assert session.calls[0]["verify"] == str(bundle)
    client, session, dummy = make_client([make_response(200, {"server": {"id": "a"}})], ca_path=str(bundle),
                                         validate_certs=False)
    client.get("/servers/a", "server")
    assert session.calls[0]["verify"] is False


class RecordingAdapter(requests.adapters.BaseAdapter):
    """A transport adapter that answers 200 and records what requests asked it to send with."""

    def __init__(self):
        super(RecordingAdapter, self).__init__()
        self.sent = []

    def send(self, request, **kwargs):
        self.sent.append(dict(kwargs, url=request.url, headers=dict(request.headers)))
        response = make_response(200, {"server": {"id": "a"}})
        response.request = request
        response.url = request.url
        return response

    def close(self):
        pass


def test_requests_ca_bundle_still_applies_without_ca_path(tmp_path, monkeypatch):
    bundle = tmp_path / "env-ca.pem"
    bundle.write_text("x\n")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    adapter = RecordingAdapter()
    session = requests.Session()
    session.mount("https://", adapter)
    client = ScalewayClient(api_url=API, api_token=TOKEN, session=session)
    client.get("/servers/a", "server")
    assert adapter.sent[0]["verify"] == str(bundle)
    assert adapter.sent[0]["stream"] is True


def test_tls_failure_is_not_retried_and_says_what_to_fix():
    failure = requests.exceptions.SSLError("HTTPSConnectionPool(host='api.example.test', port=443): Max retries "
                                           "exceeded (Caused by SSLError(SSLCertVerificationError(1, '[SSL: "
                                           "CERTIFICATE_VERIFY_FAILED] certificate verify failed')))")
    client, session, recorder = make_client([failure, make_response(201, {"volume": {"id": "v"}})], retries=5)
    with pytest.raises(ScalewayAPIError) as err:
        client.create("/volumes", "volume", {"name": "v"})
    assert len(session.calls) == 1 and recorder.sleeps == []
    message = str(err.value)
    assert "CERTIFICATE_VERIFY_FAILED" in message
    assert "set ca_path (SCW_CA_BUNDLE)" in message and "validate_certs to false (insecure)" in message
    assert not err.value.ambiguous


# -- newcomer errors --------------------------------------------------------------------------

@pytest.mark.parametrize("openssl", [
    "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1000)",
    "[SSL: RECORD_LAYER_FAILURE] record layer failure (_ssl.c:1010)",
])
def test_https_to_a_plain_http_endpoint_suggests_http_and_never_turning_tls_checks_off(openssl):
    failure = requests.exceptions.SSLError("HTTPSConnectionPool(host='127.0.0.1', port=8080): Max retries exceeded "
                                           "(Caused by SSLError(SSLError(1, '%s')))" % openssl)
    session = FakeSession([failure])
    client = ScalewayClient(api_url="https://127.0.0.1:8080/v1", api_token=TOKEN, session=session)
    with pytest.raises(ScalewayAPIError) as err:
        client.get("/servers", "servers")
    message = str(err.value)
    assert "does not speak TLS" in message
    assert "set api_url (SCW_API_URL) to http://127.0.0.1:8080/v1" in message
    assert "ca_path" not in message and "validate_certs" not in message
    assert message.index("api_url") < message.index(openssl.split("]")[0])


def test_a_web_server_s_404_page_puts_the_api_url_hint_first_and_cuts_the_page():
    page = "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>%s</body></html>" % (
        "<p>%s</p>" % ("lorem ipsum " * 400))
    client, session, dummy = make_client([make_response(404, text=page)])
    with pytest.raises(ScalewayAPIError) as err:
        client.get("/volumes/v", "volume")
    message = str(err.value)
    assert message.startswith("GET /volumes/v failed: if %s is not the Scaleway v1 API, fix api_url (SCW_API_URL)"
                              % API)
    assert "404 Not Found Not Found lorem ipsum" in message
    assert "<html>" not in message and "<h1>" not in message
    assert len(message) < 500


def test_refused_connection_gets_one_quick_retry_and_names_api_url():
    client, session, recorder = make_client([refused(), refused(), refused()], retries=5)
    with pytest.raises(ScalewayAPIError) as err:
        client.get("/servers", "servers")
    assert len(session.calls) == 2
    assert recorder.sleeps == [retries.QUICK_RETRY_WAIT]
    assert str(err.value) == ("GET /servers failed: could not connect to %s: connection refused; check api_url "
                              "(SCW_API_URL) after 2 attempts" % API)


def test_failed_name_lookup_names_the_host_and_api_url():
    error = requests.exceptions.ConnectionError(
        "HTTPSConnectionPool(host='api.example.test', port=443): Max retries exceeded with url: /v1/servers "
        "(Caused by NameResolutionError(\"Failed to resolve 'api.example.test' ([Errno -2] Name or service "
        "not known)\"))")
    client, session, recorder = make_client([error, error], retries=5)
    with pytest.raises(ScalewayAPIError) as err:
        client.get("/servers", "servers")
    assert len(session.calls) == 2
    assert ("could not connect to %s: cannot resolve host api.example.test; check api_url (SCW_API_URL)" % API
            in str(err.value))


@pytest.mark.parametrize("reason", ["[Errno 113] No route to host", "[Errno 101] Network is unreachable",
                                    "[WinError 10061] No connection could be made because the target machine "
                                    "actively refused it"])
def test_a_connection_that_could_not_be_made_names_api_url(reason):
    error = requests.exceptions.ConnectionError(
        "HTTPSConnectionPool(host='10.255.0.1', port=443): Max retries exceeded with url: /v1/volumes "
        "(Caused by NewConnectionError('Failed to establish a new connection: %s'))" % reason)
    client, session, dummy = make_client([error] * 5, retries=1)
    with pytest.raises(ScalewayAPIError) as err:
        client.get("/volumes", "volumes")
    assert str(err.value).startswith("GET /volumes failed: could not connect to %s (ConnectionError: " % API)
    assert reason in str(err.value) and "; check api_url (SCW_API_URL)" in str(err.value)
    assert err.value.status is None


def test_401_names_api_token_and_keeps_the_api_fields():
    body = {"type": "invalid_request_error", "message": "invalid token", "code": "invalid_token"}
    client, session, dummy = make_client([make_response(401, body)])
    with pytest.raises(ScalewayAPIError) as err:
        client.get("/servers", "servers")
    assert str(err.value) == ("GET /servers failed: the API refused the token (HTTP 401 invalid_request_error/"
                              "invalid_token: invalid token): check api_token (SCW_TOKEN)")
    assert err.value.to_dict()["status"] == 401 and err.value.to_dict()["code"] == "invalid_token"
    assert len(session.calls) == 1


# -- redirects (fake transport; the real one is in test_client_transport.py) -----------------

@pytest.mark.parametrize("method", ["GET", "POST"])
def test_redirect_is_an_error_naming_where_it_points(method):
    moved = make_response(302, headers={"Location": "https://elsewhere.example/v1/volumes"})
    client, session, recorder = make_client([moved], retries=5)
    with pytest.raises(ScalewayAPIError) as err:
        if method == "POST":
            client.create("/volumes", "volume", {"name": "v"}, lookup=lambda: None)
        else:
            client.get("/volumes/v", "volume")
    assert err.value.status == 302
    assert "redirect to https://elsewhere.example" in str(err.value)
    assert "api_url (SCW_API_URL) must be the API's own URL" in str(err.value)
    assert len(session.calls) == 1 and recorder.sleeps == []


# -- hostile or broken answers ---------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("[" * 100000 + "]" * 100000, "not JSON"),
    ("<html>welcome to the captive portal</html>", "not JSON"),
    ('{"servers": [{"id": "a"}, 3, "x"]}', "item 1 of the 'servers' list is not an object"),
    ('{"server": {"id": "a"}}', "has no 'servers' list"),
], ids=["nested", "html", "non-object-item", "no-envelope"])
def test_unusable_list_answers_are_clear_errors(text, expected):
    client, dummy, dummy2 = make_client([make_response(200, text=text)])
    with pytest.raises(ScalewayAPIError) as err:
        client.list("/servers", "servers")
    assert expected in str(err.value)
    assert err.value.status == 200
    assert "no answer" not in str(err.value)
    # A web site at api_url (a console, a captive portal) answers 200 with HTML: the setting to fix is named.
    if expected == "not JSON":
        assert "fix api_url (SCW_API_URL): it must end in /v1" in str(err.value)


def test_success_without_envelope_reports_its_status():
    client, dummy, dummy2 = make_client([make_response(201, {"something": 1})])
    with pytest.raises(ScalewayAPIError) as err:
        client.create("/volumes", "volume", {"name": "v"})
    assert err.value.status == 201
    assert str(err.value) == ("POST /volumes failed with HTTP 201: the answer has no 'volume' object; if %s is not "
                              "the Scaleway v1 API, fix api_url (SCW_API_URL): it must end in /v1" % API)


@pytest.mark.parametrize("method", ["get", "update"])
def test_an_answer_about_another_object_than_the_path_names_is_not_the_api_s(method):
    asked, other = "11111111-2222-4333-8444-555555555555", "99999999-2222-4333-8444-555555555555"
    client, dummy, dummy2 = make_client([make_response(200, {"server": {"id": other, "name": "web-1"}})])
    args = ("/servers/" + asked, "server") + (({"name": "web-1"},) if method == "update" else ())
    with pytest.raises(ScalewayAPIError) as err:
        getattr(client, method)(*args)
    assert "the answer is about server %s, not the one the path names" % other in str(err.value)
    assert "fix api_url (SCW_API_URL)" in str(err.value)
    # The same id in another case is the same object.
    client, dummy, dummy2 = make_client([make_response(200, {"server": {"id": asked.upper(), "name": "web-1"}})])
    assert getattr(client, method)(*args)["name"] == "web-1"
    # An object in a container is named by its path, which may end in a UUID; its own id is another one.
    client, dummy, dummy2 = make_client([make_response(200, {"object": {"id": other, "path": "backups/" + asked}})])
    path = "/containers/%s/objects/backups/%s" % (other, asked)
    assert getattr(client, method)(path, "object", *args[2:])["path"] == "backups/" + asked


def test_huge_error_text_is_cut():
    body = {"type": "invalid_request_error", "message": "x" * 100000, "param": "p" * 5000}
    client, dummy, dummy2 = make_client([make_response(400, body)])
    with pytest.raises(ScalewayAPIError) as err:
        client.get("/servers", "servers")
    assert len(err.value.message) < 600
    assert "(99500 more characters cut)" in err.value.message
    assert len(str(err.value)) < 1000


# -- lost POSTs ----------------------------------------------------------------------------------

def read_timeout():
    return requests.exceptions.ReadTimeout("HTTPSConnectionPool(host='api.example.test', port=443): "
                                           "Read timed out. (read timeout=10)")


def clocked_client(script, timeout=10, retries=3):
    clock = FakeClock()
    session = FakeSession(script)
    client = ScalewayClient(api_url=API, api_token=TOKEN, session=session, timeout=timeout, retries=retries,
                            sleep=clock.sleep, clock=clock.clock)
    return client, session, clock


def test_timed_out_post_is_looked_up_over_its_window_and_adopted():
    finds = iter([None, None, None, {"id": "new", "name": "web"}])
    client, session, clock = clocked_client([read_timeout()])
    created = client.create("/servers", "server", {"name": "web"}, lookup=lambda: next(finds))
    assert created == {"id": "new", "name": "web"}
    assert [call["method"] for call in session.calls] == ["POST"]
    assert clock.sleeps == [0.5, 0.75, 1.125, 1.6875]


def test_timed_out_post_never_found_is_not_resent_and_says_a_second_run_adopts_it():
    lookups = []
    client, session, clock = clocked_client([read_timeout()], timeout=10)
    with pytest.raises(ScalewayAPIError) as err:
        client.create("/servers", "server", {"name": "web"}, lookup=lambda: lookups.append(1))
    assert [call["method"] for call in session.calls] == ["POST"]
    assert err.value.ambiguous
    assert "may exist" in str(err.value) and "a second run will find and adopt it" in str(err.value)
    # The window: 2 x api_timeout, polls from 0.5 s growing by half up to 5 s.
    assert abs(sum(clock.sleeps) - 20) < 1e-9
    assert max(clock.sleeps) == 5.0 and clock.sleeps[:3] == [0.5, 0.75, 1.125]
    assert len(lookups) == len(clock.sleeps)


def test_timed_out_post_window_stops_at_the_deadline():
    client, session, clock = clocked_client([read_timeout()], timeout=10)
    client.set_deadline(3, "wait_timeout")
    with pytest.raises(ScalewayAPIError) as err:
        client.create("/servers", "server", {"name": "web"}, lookup=lambda: None)
    assert clock.now <= 3 + 1e-9
    assert err.value.ambiguous and len(session.calls) == 1


def test_dropped_post_is_looked_up_once_then_resent():
    lookups = []
    client, session, clock = clocked_client([dropped(), make_response(201, {"server": {"id": "new"}})])
    assert client.create("/servers", "server", {"name": "web"}, lookup=lambda: lookups.append(1))["id"] == "new"
    assert [call["method"] for call in session.calls] == ["POST", "POST"]
    assert len(lookups) == 1 and len(clock.sleeps) == 1


def test_call_returns_the_body_and_none_when_the_lookup_found_the_write():
    client, session, dummy = make_client([make_response(202, {"task": {"id": "t"}}), dropped()])
    assert client.call("POST", "/servers/s/action", json={"action": "poweron"}) == {"task": {"id": "t"}}
    assert client.call("POST", "/servers/s/action", json={"action": "poweron"}, lookup=lambda: {"id": "s"}) is None


# -- the deadline ------------------------------------------------------------------------------

def test_retry_wait_past_the_deadline_fails_at_once_naming_the_option():
    slow = make_response(429, {"message": "slow"}, {"Retry-After": "30"})
    client, session, clock = clocked_client([slow])
    client.set_deadline(20, "wait_timeout")
    with pytest.raises(ScalewayAPIError) as err:
        client.get("/servers/a", "server")
    assert clock.sleeps == []
    assert "would pass the time wait_timeout allows" in str(err.value)


def test_no_request_is_sent_past_the_deadline():
    client, session, clock = clocked_client([])
    client.set_deadline(5, "wait_timeout")
    clock.now += 6
    with pytest.raises(ScalewayAPIError) as err:
        client.get("/servers/a", "server")
    assert session.calls == [] and "wait_timeout" in str(err.value)


def test_attempt_budget_is_capped_by_the_deadline():
    client, session, clock = clocked_client([make_response(200, {"server": {"id": "a"}})], timeout=30)
    client.set_deadline(4, "wait_timeout")
    client.get("/servers/a", "server")
    assert session.calls[0]["timeout"] == (4, 4)


def test_wait_for_stops_before_its_poll_would_pass_the_deadline():
    client, session, clock = clocked_client([])
    client.set_deadline(10, "wait_timeout")
    with pytest.raises(ScalewayWaitTimeout) as err:
        client.wait_for(lambda: "starting", lambda s: s == "running", timeout=600, interval=1, max_interval=4,
                        description="server web to be running")
    assert clock.now <= 10
    assert err.value.option == "wait_timeout" and "wait_timeout" in str(err.value)
    assert err.value.last == "starting"


def test_set_deadline_none_removes_it():
    client, session, clock = clocked_client([make_response(200, {"server": {"id": "a"}})])
    client.set_deadline(1, "wait_timeout")
    client.set_deadline(None, None)
    clock.now += 100
    client.get("/servers/a", "server")


# -- clone ---------------------------------------------------------------------------------------

def test_clone_keeps_every_setting_and_the_deadline(tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("x\n")
    logs = []
    clock = FakeClock()
    client = ScalewayClient(api_url=API, api_token=TOKEN, timeout=7, retries=2, validate_certs=True,
                            backoff_base=0.1, backoff_max=2.0, user_agent_extra="inventory", log=logs.append,
                            sleep=clock.sleep, clock=clock.clock, ca_path=str(bundle), session=FakeSession([]))
    client.set_deadline(50, "wait_timeout")
    twin = client.clone()
    for name in ("api_url", "timeout", "retries", "validate_certs", "verify", "ca_path", "backoff_base",
                 "backoff_max", "user_agent", "log", "sleep", "clock", "deadline", "deadline_option"):
        assert getattr(twin, name) == getattr(client, name), name
    assert twin.session is not client.session
    assert twin.session.headers["X-Auth-Token"] == TOKEN


# -- pagination bounds ---------------------------------------------------------------------------

def list_page(ids, links=None, total=None):
    headers = {"Date": FAKE_DATE}
    if links:
        headers["Link"] = ", ".join('<%s/servers?page=%d&limit=500>; rel="%s"' % (API, number, rel)
                                    for rel, number in links.items())
    if total is not None:
        headers["X-Total-Count"] = str(total)
    return make_response(200, {"servers": [{"id": item, "creation_date": CREATED} for item in ids]}, headers)


def test_endless_next_repeating_the_same_page_stops_at_the_repeat():
    script = [lambda method, url, params: list_page(["a", "b"], {"next": params["page"] + 1})] * 5
    client, session, dummy = make_client(script)
    assert [item["id"] for item in client.list("/servers", "servers")] == ["a", "b"]
    assert len(session.calls) == 2


def test_empty_page_ends_the_list():
    """Without X-Total-Count the announced page 2 came empty: page 1 is read again, unchanged, so the list is whole."""
    client, session, dummy = make_client([list_page(["a"], {"next": 2}), list_page([], {"next": 3}),
                                          list_page(["a"], {"next": 2})])
    assert [item["id"] for item in client.list("/servers", "servers")] == ["a"]
    assert [call["params"]["page"] for call in session.calls] == [1, 2, 1]


def test_next_past_the_total_fails_naming_the_list():
    def full_page(method, url, params):
        return list_page(["p%d-%d" % (params["page"], i) for i in range(500)], {"next": params["page"] + 1},
                         total=1000)

    script = [full_page] * 5
    client, session, dummy = make_client(script)
    with pytest.raises(ScalewayAPIError) as err:
        client.list("/servers", "servers")
    assert len(session.calls) == 2
    assert err.value.path == "/servers"
    assert 'rel="next" to page 3' in str(err.value) and "X-Total-Count 1000 at limit 500 makes 2 page(s)" in str(
        err.value)


def test_without_total_a_list_is_capped_at_max_pages(monkeypatch):
    monkeypatch.setattr(pages, "MAX_PAGES", 5)
    script = [lambda method, url, params: list_page(["p%d" % params["page"]], {"next": params["page"] + 1})] * 10
    client, session, dummy = make_client(script)
    with pytest.raises(ScalewayAPIError) as err:
        client.list("/servers", "servers")
    assert len(session.calls) == 5
    assert "at most 5 pages" in str(err.value)


def test_next_that_skips_pages_is_refused():
    client, session, dummy = make_client([list_page(["a"], {"next": 1000000000})])
    with pytest.raises(ScalewayAPIError):
        client.list("/servers", "servers")
    assert len(session.calls) == 1


@pytest.mark.parametrize("links, total, expected", [
    ({"next": 2, "last": 20}, 10000, 20),
    ({}, None, 1),
    ({}, 0, 1),
    ({"last": 1}, 0, 1),
    ({"next": 2}, None, None),
    ({"next": 2}, 1200, 3),
    ({"last": 7}, None, 7),
])
def test_page_count(links, total, expected):
    client, dummy, dummy2 = make_client([list_page(["a"], links, total)])
    assert client.get_page("/servers", "servers").page_count() == expected


@pytest.mark.parametrize("links, total", [
    ({"next": 2, "last": 1000000000}, 1000),
    ({"next": 2, "last": 1000000000}, None),
    ({"next": 2, "last": 2}, 5000),
])
def test_page_count_refuses_a_last_page_that_contradicts_the_total(links, total):
    client, dummy, dummy2 = make_client([list_page(["a"], links, total)])
    page = client.get_page("/servers", "servers")
    with pytest.raises(ScalewayAPIError) as err:
        page.page_count()
    assert err.value.path == "/servers" and 'rel="last"' in str(err.value)


@pytest.mark.parametrize("links", [
    lambda number: {"next": number + 1},
    lambda number: {"next": number + 1, "last": 2000},
], ids=["next", "next-and-last"])
def test_a_total_never_skips_the_stop_at_a_repeated_page(links):
    """X-Total-Count 1000000 and rel="next" on every page, each the same object: every read stops at the repeat
    (page 2), and the list, short of its total, is not whole: never taken for the whole, never 2000 pages read."""
    script = [lambda method, url, params: list_page(["a"], links(params["page"]), total=1000000)] * 10000
    client, session, dummy = make_client(script)
    with pytest.raises(ListNotWhole) as err:
        client.list("/servers", "servers")
    assert "it listed 1 distinct objects where X-Total-Count is 1000000" in str(err.value)
    assert [call["params"]["page"] for call in session.calls] == [1, 2] * LIST_READ_ATTEMPTS


@pytest.mark.parametrize("total", [None, 1000000])
def test_a_last_link_never_skips_the_stop_at_an_empty_page(total):
    """rel="last" at page 2000 and page 1 empty: one request; without a total the list is empty, with one not whole."""
    script = [lambda method, url, params: list_page([], {"next": params["page"] + 1, "last": 2000}, total=total)] * 10
    client, session, dummy = make_client(script)
    if total is None:
        assert client.list("/servers", "servers") == []
        assert len(session.calls) == 1
    else:
        with pytest.raises(ListNotWhole):
            client.list("/servers", "servers")
        assert len(session.calls) == LIST_READ_ATTEMPTS


def test_a_known_page_count_still_stops_at_an_empty_page_and_the_short_list_is_not_whole():
    pages = {1: ["a", "b"], 2: [], 3: ["c", "d"], 4: ["e"]}
    script = [lambda method, url, params: list_page(pages[params["page"]], {"next": params["page"] + 1, "last": 4}
                                                    if params["page"] < 4 else {"last": 4}, total=7)] * 10
    client, session, dummy = make_client(script)
    with pytest.raises(ListNotWhole) as err:
        client.list("/servers", "servers", limit=2)
    assert "it listed 2 distinct objects where X-Total-Count is 7" in str(err.value)
    assert [call["params"]["page"] for call in session.calls] == [1, 2] * LIST_READ_ATTEMPTS


@pytest.mark.parametrize("count, limit", [(501, 500), (3, 2), (64 * 1024, 500)])
def test_a_page_of_more_items_than_the_limit_is_refused_at_once_naming_api_url(count, limit):
    answer = make_response(200, {"servers": [{}] * count}, {"X-Total-Count": str(count), "Date": FAKE_DATE})
    client, session, dummy = make_client([answer] * 3)
    with pytest.raises(ScalewayAPIError) as err:
        client.list("/servers", "servers", limit=limit)
    assert "holds %d items where the client asked for at most %d" % (count, limit) in str(err.value)
    assert "fix api_url (SCW_API_URL)" in str(err.value) and len(session.calls) == 1


@pytest.mark.parametrize("created", ["2020-01-01T00:00:00+99:00", "2020-01-01T00:00:00+24:00",
                                     "2020-01-01T00:00:00-24:00", "2026-13-01T00:00:00Z", "2026-01-01T00:00:61Z",
                                     "yesterday", 1796521352, ["2026-01-01T00:00:00Z"]])
@pytest.mark.parametrize("pages", [1, 2])
def test_a_creation_date_that_is_no_time_is_refused_naming_api_url(created, pages):
    """On any list, of one page or more (where lists.py compares the dates): an error, never a raw ValueError."""
    def answer(method, url, params):
        number = params["page"]
        items = [{"id": "s-%d" % number, "creation_date": created if number == pages else CREATED}]
        headers = {"X-Total-Count": str(pages), "Date": FAKE_DATE}
        if number < pages:
            headers["Link"] = '<%s/servers?page=%d&limit=1>; rel="next"' % (API, number + 1)
        return make_response(200, {"servers": items}, headers)

    client, session, dummy = make_client([answer] * 10)
    with pytest.raises(ScalewayAPIError) as err:
        client.list("/servers", "servers", limit=1)
    assert "has a creation_date that is not an ISO 8601 time" in str(err.value)
    assert "fix api_url (SCW_API_URL)" in str(err.value) and len(session.calls) == pages


# -- plain HTTP ----------------------------------------------------------------------------------

@pytest.mark.parametrize("api_url, warned", [
    ("HTTP://api.example.com/v1", True),
    ("http://127.attacker.example/v1", True),
    ("http://localhost.attacker.example/v1", True),
    ("http://127.0.0.1:8080/v1", False),
    ("http://[::1]/v1", False),
    ("http://localhost:8080/v1", False),
    ("https://api.example.com/v1", False),
    ("HTTPS://api.example.com/v1", False),
])
def test_plain_http_warning(api_url, warned):
    warning = plain_http_warning(api_url)
    if warned:
        assert warning == "api_url %s is plain HTTP: the API token is sent unencrypted" % api_url
    else:
        assert warning is None


def test_timed_out_post_is_looked_up_even_without_retries_left():
    client, session, clock = clocked_client([read_timeout()], retries=0)
    assert client.create("/servers", "server", {"name": "web"}, lookup=lambda: {"id": "new"}) == {"id": "new"}
    assert len(session.calls) == 1 and clock.sleeps == [0.5]


def test_timed_out_post_without_lookup_is_in_doubt_at_once():
    client, session, clock = clocked_client([read_timeout()])
    with pytest.raises(ScalewayAPIError) as err:
        client.create("/servers", "server", {"name": "web"})
    assert err.value.ambiguous and len(session.calls) == 1 and clock.sleeps == []


# -- answers no date, URL or error body can hold (red-team findings) ---------------------------

@pytest.mark.parametrize("headers", [{"Retry-After": "1e12"}, {"X-RateLimit-Reset": "1e13"}, {"Retry-After": "1e308"}])
def test_a_wait_no_date_can_hold_fails_cleanly(headers):
    client, session, recorder = make_client([make_response(429, {"type": "rate_limited", "message": "slow"}, headers)])
    with pytest.raises(ScalewayAPIError) as err:
        client.get("/volumes/v", "volume")
    assert "the client waits: try again later" in str(err.value)
    assert len(session.calls) == 1 and recorder.sleeps == []


def test_a_post_answered_504_is_polled_never_sent_again():
    """A gateway that gave up waiting: the API may still be making the object."""
    finds = iter([None, {"id": "new", "name": "web"}])
    client, session, clock = clocked_client([make_response(504, text="<html>Gateway Timeout</html>")])
    assert client.create("/servers", "server", {"name": "web"}, lookup=lambda: next(finds))["id"] == "new"
    assert [call["method"] for call in session.calls] == ["POST"]
    assert clock.sleeps == [0.5, 0.75]


def test_a_post_answered_504_by_the_api_itself_is_looked_up_once_then_sent_again():
    """The API's own 504 (its error body) comes before it changed anything, as its other 5xx do."""
    lookups = []
    own = make_response(504, {"type": "api_error", "message": "gateway timeout"})
    client, session, clock = clocked_client([own, make_response(201, {"server": {"id": "new"}})])
    assert client.create("/servers", "server", {"name": "web"}, lookup=lambda: lookups.append(1))["id"] == "new"
    assert [call["method"] for call in session.calls] == ["POST", "POST"] and len(lookups) == 1


def test_a_post_answered_504_and_never_found_is_in_doubt_not_resent():
    client, session, clock = clocked_client([make_response(504, text="Gateway Timeout")], timeout=2)
    with pytest.raises(ScalewayAPIError) as err:
        client.create("/servers", "server", {"name": "web"}, lookup=lambda: None)
    assert len(session.calls) == 1 and err.value.ambiguous and err.value.status == 504


def test_every_field_of_an_error_answer_is_redacted():
    echo = {"type": "invalid_request_error " + TOKEN, "message": "bad " + TOKEN, "code": TOKEN, "param": TOKEN}
    client, session, dummy = make_client([make_response(400, echo)])
    with pytest.raises(ScalewayAPIError) as err:
        client.get("/volumes/v", "volume")
    assert TOKEN not in str(err.value) and TOKEN not in repr(err.value.to_dict())


def test_a_redirect_never_repeats_a_user_name_or_password_of_its_location():
    moved = make_response(302, headers={"Location": "https://%s:secret@elsewhere.example:8443/v1" % TOKEN})
    client, session, dummy = make_client([moved])
    with pytest.raises(ScalewayAPIError) as err:
        client.get("/volumes/v", "volume")
    assert "redirect to https://elsewhere.example:8443" in str(err.value)
    assert TOKEN not in str(err.value) and "secret" not in str(err.value)


def test_a_404_that_is_not_the_api_s_error_is_no_absent_object():
    """With api_url lacking /v1, a web server's own 404 page must not make a resource look absent."""
    client, session, dummy = make_client([make_response(404, text="<html><h1>Not Found</h1></html>")])
    with pytest.raises(ScalewayAPIError) as err:
        client.get_or_none("/volumes/v", "volume")
    assert err.value.status == 404
    assert "fix api_url (SCW_API_URL): it must end in /v1" in str(err.value)


def test_the_api_s_own_404_is_an_absent_object():
    client, session, dummy = make_client([make_response(404, {"type": "unknown_resource", "message": "no volume"})])
    assert client.get_or_none("/volumes/v", "volume") is None


def test_a_list_without_its_envelope_names_api_url():
    client, session, dummy = make_client([make_response(200, {})])
    with pytest.raises(ScalewayAPIError) as err:
        client.get_page("/volumes", "volumes")
    assert "the answer has no 'volumes' list" in str(err.value) and "api_url (SCW_API_URL)" in str(err.value)
