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

from ansible_collections.scaleway_v1.cloud.plugins.module_utils import client as client_mod
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import (
    REDACTED,
    ScalewayAPIError,
    ScalewayClient,
    ScalewayWaitTimeout,
    parse_link_header,
)

TOKEN = "tok-3f1c9d2e-secret-value"
API = "https://api.example.test/v1"


def make_response(status, body=None, headers=None, text=None):
    response = requests.Response()
    response.status_code = status
    response.reason = {200: "OK", 201: "Created", 204: "No Content", 404: "Not Found", 429: "Too Many Requests",
                       500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}.get(status, "")
    if text is not None:
        response._content = text.encode("utf-8")
    elif body is not None:
        response._content = json.dumps(body).encode("utf-8")
        response.headers["Content-Type"] = "application/json"
    else:
        response._content = b""
    response.headers.update(headers or {})
    return response


class FakeSession:
    """Answers requests from a script; records every call. An exception in the script is raised."""

    def __init__(self, script):
        self.script = list(script)
        self.calls = []
        self.headers = {}
        self.verify = True

    def request(self, method, url, params=None, json=None, timeout=None, verify=None):
        self.calls.append({"method": method, "url": url, "params": dict(params or {}), "json": json,
                           "timeout": timeout, "verify": verify, "headers": dict(self.headers)})
        if not self.script:
            raise AssertionError("unexpected request %s %s" % (method, url))
        answer = self.script.pop(0)
        if callable(answer):
            answer = answer(method, url, params)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def close(self):
        pass


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


def servers_page(page, last, per_page=500):
    start = (page - 1) * per_page
    items = [{"id": "s-%05d" % i, "name": "srv%d" % i} for i in range(start, start + per_page)]
    return make_response(200, {"servers": items}, {"Link": link(page, last), "X-Total-Count": str(last * per_page)})


# -- session and headers ---------------------------------------------------------------------

def test_session_headers_timeout_and_verify():
    client, session, dummy = make_client([make_response(200, {"server": {"id": "a"}})], timeout=7,
                                         validate_certs=False)
    assert client.get("/servers/a", "server") == {"id": "a"}
    call = session.calls[0]
    assert call["url"] == API + "/servers/a"
    assert call["timeout"] == 7
    assert call["verify"] is False
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


def test_paginate_is_lazy():
    client, session, dummy = make_client([servers_page(1, 3), servers_page(2, 3)])
    first = next(iter(client.paginate("/servers", "servers")))
    assert first["id"] == "s-00000"
    assert len(session.calls) == 1


def test_pagination_never_follows_a_link_to_another_host():
    evil = ('<https://evil.example/v1/servers?page=2&limit=500>; rel="next", '
            '<https://evil.example/v1/servers?page=2&limit=500>; rel="last"')
    first = make_response(200, {"servers": [{"id": "1"}]}, {"Link": evil})
    second = make_response(200, {"servers": [{"id": "2"}]}, {"Link": ""})
    client, session, dummy = make_client([first, second])
    assert [item["id"] for item in client.list("/servers", "servers")] == ["1", "2"]
    assert all(call["url"].startswith(API) for call in session.calls)


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


def test_retry_wait_is_capped():
    client, session, recorder = make_client([make_response(429, {"message": "slow"}, {"Retry-After": "3600"}),
                                             make_response(200, {"server": {"id": "a"}})])
    client.get("/servers/a", "server")
    assert recorder.sleeps[0] == client_mod.MAX_RETRY_WAIT


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
                                          make_response(404, {"message": "not found", "code": "unknown_resource"})])
    client.delete("/volumes/v")
    assert len(session.calls) == 2


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
