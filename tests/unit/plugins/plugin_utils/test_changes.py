# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The comparison and the arguments of the event source (plugins/plugin_utils/changes.py), without an API."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import ScalewayClient
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayAPIError, ScalewayInputError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.lists import ListNotWhole
from ansible_collections.scaleway_v1.cloud.plugins.plugin_utils.changes import ChangeWatcher, compare
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.fakes import API, FAKE_DATE, FakeSession, make_response

TOKEN = "scw-secret-4f9d2c7ab1e84d06a3c5e7f9b2d4c6e8"


def server(ident, state="running", tags=(), modified="2026-01-01T00:00:00+00:00"):
    return {"id": ident, "name": "srv-" + ident, "organization": "org", "state": state, "tags": list(tags),
            "modification_date": modified}


def test_a_new_object_is_created_without_before():
    events = compare("server", {}, {"a": server("a")})
    assert events == [{"scaleway": {"resource": "server", "change": "created", "id": "a", "name": "srv-a",
                                    "organization": "org", "after": server("a")}}]


def test_a_gone_object_is_deleted_without_after():
    events = compare("server", {"a": server("a")}, {})
    assert events == [{"scaleway": {"resource": "server", "change": "deleted", "id": "a", "name": "srv-a",
                                    "organization": "org", "before": server("a")}}]


def test_an_update_names_the_fields_that_differ_and_never_modification_date():
    before = server("a", state="running", tags=["web"])
    after = server("a", state="stopped", tags=["web", "db"], modified="2026-01-02T00:00:00+00:00")
    [event] = compare("server", {"a": before}, {"a": after})
    assert event["scaleway"]["change"] == "updated"
    assert event["scaleway"]["fields"] == ["state", "tags"]
    assert event["scaleway"]["before"] == before and event["scaleway"]["after"] == after


def test_a_field_that_appears_or_disappears_is_named():
    before, after = server("a"), dict(server("a"), public_ip={"address": "192.0.2.1"})
    assert compare("server", {"a": before}, {"a": after})[0]["scaleway"]["fields"] == ["public_ip"]
    assert compare("server", {"a": after}, {"a": before})[0]["scaleway"]["fields"] == ["public_ip"]


def test_nothing_but_modification_date_is_no_event():
    assert compare("server", {"a": server("a")}, {"a": server("a", modified="2030-01-01T00:00:00Z")}) == []


def test_a_tag_metadata_change_names_metadatas():
    before = {"id": "t", "name": "web", "metadatas": [{"key": "k", "value": "1"}], "metadatas_count": 1}
    after = dict(before, metadatas=[{"key": "k", "value": "2"}])
    assert compare("tag", {"t": before}, {"t": after})[0]["scaleway"]["fields"] == ["metadatas"]


def test_events_come_created_and_updated_in_list_order_then_deleted():
    before = {"a": server("a"), "b": server("b")}
    after = {"c": server("c"), "a": server("a", state="stopped")}
    assert [(event["scaleway"]["change"], event["scaleway"]["id"]) for event in compare("server", before, after)] \
        == [("created", "c"), ("updated", "a"), ("deleted", "b")]


class ScriptedClient:
    """Stands in for ScalewayClient: ``lists`` maps a path to what each read gives (a list, or an exception)."""

    def __init__(self, **settings):
        self.settings = settings
        self.script = []
        self.closed = False
        ScriptedClient.last = self

    def get_page(self, path, key, page=1):
        raise AssertionError("replaced by read in these tests")

    def redact(self, text):
        return ("%s" % (text,)).replace(TOKEN, "********")

    def close(self):
        self.closed = True


def watcher(monkeypatch, script, **args):
    made = ChangeWatcher(dict(args, api_token=TOKEN), {}, client_class=ScriptedClient)
    answers = iter(script)

    def read(resource):
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return dict((item["id"], item) for item in answer)

    monkeypatch.setattr(made, "read", read)
    return made


def changes(events):
    return [(event["scaleway"]["change"], event["scaleway"].get("id")) for event in events]


def outage():
    return ScalewayAPIError("GET", "/servers", "no answer from the API", attempts=6)


def test_the_first_whole_list_is_the_baseline_and_emits_nothing(monkeypatch):
    source = watcher(monkeypatch, [[server("a")], [server("a"), server("b")]])
    assert source.poll() == []
    assert changes(source.poll()) == [("created", "b")]


def test_emit_existing_gives_one_created_event_per_object_of_the_first_list(monkeypatch):
    source = watcher(monkeypatch, [[server("a"), server("b")], [server("a"), server("b")]], emit_existing=True)
    assert changes(source.poll()) == [("created", "a"), ("created", "b")]
    assert source.poll() == []


def test_a_failed_poll_emits_no_deleted_event_and_one_unavailable_then_one_available(monkeypatch):
    source = watcher(monkeypatch, [[server("a"), server("b")], outage(), outage(), [server("a"), server("b")]])
    source.poll()
    first = source.poll()
    assert changes(first) == [("unavailable", None)]
    assert first[0]["scaleway"]["resource"] == "server" and "no answer" in first[0]["scaleway"]["error"]
    assert source.poll() == []
    assert changes(source.poll()) == [("available", None)]


def test_the_poll_after_an_outage_is_compared_with_the_last_whole_list(monkeypatch):
    source = watcher(monkeypatch, [[server("a"), server("b")], outage(), [server("b"), server("c")]])
    source.poll()
    source.poll()
    assert changes(source.poll()) == [("available", None), ("created", "c"), ("deleted", "a")]


def test_a_list_that_is_not_whole_is_skipped_without_an_outage(monkeypatch):
    warnings = []
    not_whole = ListNotWhole("/servers", 3, "its pages reported totals 2, 3")
    source = watcher(monkeypatch, [[server("a"), server("b")], not_whole, [server("a"), server("b")]])
    source.warn = warnings.append
    source.poll()
    assert source.poll() == []
    assert source.poll() == []
    assert len(warnings) == 1 and "the servers list is skipped in this poll" in warnings[0]


def test_a_refused_token_fails_the_source(monkeypatch):
    source = watcher(monkeypatch, [ScalewayAPIError("GET", "/servers", "bad token", status=401)])
    with pytest.raises(ScalewayAPIError):
        source.poll()


def test_the_token_is_redacted_from_an_unavailable_event(monkeypatch):
    source = watcher(monkeypatch, [[server("a")], ScalewayAPIError("GET", "/servers", "echo " + TOKEN)])
    source.poll()
    assert TOKEN not in "%s" % (source.poll(),)


def failed_poll(session, resource):
    """One poll of ``resource`` by the real client on ``session``: (its events, the unavailable error, warnings)."""
    warnings = []
    source = ChangeWatcher({"api_url": API, "api_token": TOKEN, "resources": [resource]}, {}, warn=warnings.append,
                           client_class=lambda **settings: ScalewayClient(session=session, **settings))
    events = source.poll()
    assert changes(events) == [("unavailable", None)]
    return events, events[0]["scaleway"]["error"], warnings


def test_a_tag_id_no_url_can_take_is_a_failed_read_not_a_traceback():
    """The tag list is read by the real client; the one-segment rule refuses the id before its metadata is read."""
    hostile = {"id": "..", "name": "web", "organization": "org", "creation_date": "2026-01-15T09:30:00Z"}
    session = FakeSession([make_response(200, {"tags": [hostile]}, {"X-Total-Count": "1", "Date": FAKE_DATE})])
    events, error, warnings = failed_poll(session, "tags")
    assert events[0]["scaleway"]["resource"] == "tag"
    assert "GET /tags failed" in error and "the API sent a tag whose id is refused in a URL: '..' cannot" in error
    assert "fix api_url (SCW_API_URL)" in error
    assert len(session.calls) == 1 and len(warnings) == 1


CREATED = "2026-01-15T09:30:00Z"
HOSTILE_DATE = "2020-01-01T00:00:00+99:00"


@pytest.mark.parametrize("pages, said", [
    ([[{"id": "s-%d" % index} for index in range(501)]], "holds 501 items where the client asked for at most 500"),
    ([[{"id": "s", "creation_date": HOSTILE_DATE}]], "has a creation_date that is not an ISO 8601 time"),
    ([[{"id": "s-%d" % index, "creation_date": CREATED} for index in range(500)],
      [{"id": "last", "creation_date": HOSTILE_DATE}]], "has a creation_date that is not an ISO 8601 time"),
], ids=["more-items-than-the-limit", "creation-date-offset-of-99-hours", "that-date-on-page-2"])
def test_a_page_that_is_not_the_apis_is_a_failed_read_an_outage_not_a_traceback(pages, said):
    """The servers list is read by the real client: a page it refuses gives the unavailable event, naming api_url."""
    total = sum(len(items) for items in pages)

    def answer(method, url, params):
        number = params["page"]
        headers = {"X-Total-Count": str(total), "Date": FAKE_DATE}
        if number < len(pages):
            headers["Link"] = '<%s/servers?page=%d&limit=500>; rel="next"' % (API, number + 1)
        return make_response(200, {"servers": pages[number - 1]}, headers)

    session = FakeSession([answer] * 10)
    events, error, warnings = failed_poll(session, "servers")
    assert said in error and "fix api_url (SCW_API_URL)" in error
    assert len(session.calls) == len(pages) and len(warnings) == 1


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_token_stops_the_source_naming_api_token_not_an_outage(monkeypatch, status):
    refused = ScalewayAPIError("GET", "/servers", "forbidden", status=status, error_type="denied_authentication")
    source = watcher(monkeypatch, [[server("a")], refused])
    source.poll()
    with pytest.raises(ScalewayAPIError) as err:
        source.poll()
    assert err.value.status == status and "api_token (SCW_TOKEN)" in "%s" % (err.value,)
    assert source.outage is None


TAG_A = "0a0a0a0a-0000-4000-8000-00000000000a"
TAG_B = "0b0b0b0b-0000-4000-8000-00000000000b"


def tag_list(*idents):
    tags = [{"id": ident, "name": "tag-" + ident[:2], "organization": "org",
             "creation_date": "2026-01-15T09:30:00Z"} for ident in idents]
    return make_response(200, {"tags": tags}, {"X-Total-Count": "%d" % len(tags), "Date": FAKE_DATE})


def metadata_list(*entries):
    return make_response(200, {"metadatas": list(entries)}, {"X-Total-Count": "%d" % len(entries), "Date": FAKE_DATE})


def test_a_tag_deleted_before_its_metadata_is_read_skips_the_tags_of_that_poll_without_an_outage():
    """The API's own 404 on the metadata read: the tag list of that poll is not whole; the next poll tells the delete."""
    gone = make_response(404, {"type": "unknown_resource", "message": "tag not found"})
    session = FakeSession([
        tag_list(TAG_A, TAG_B), metadata_list({"key": "k", "value": "1"}), metadata_list(),
        tag_list(TAG_A, TAG_B), metadata_list({"key": "k", "value": "1"}), gone,
        tag_list(TAG_A), metadata_list({"key": "k", "value": "1"}),
    ])
    warnings = []
    source = ChangeWatcher({"api_url": API, "api_token": TOKEN, "resources": ["tags"]}, {}, warn=warnings.append,
                           client_class=lambda **settings: ScalewayClient(session=session, **settings))
    assert source.poll() == []
    assert source.poll() == []
    assert source.outage is None
    assert len(warnings) == 1 and "the tags list is skipped in this poll" in warnings[0]
    assert "the tag %s was deleted between the tag list and the read of its metadata" % TAG_B in warnings[0]
    assert changes(source.poll()) == [("deleted", TAG_B)]
    assert session.script == []


def test_a_web_server_s_404_on_a_metadata_read_is_still_an_outage():
    session = FakeSession([tag_list(TAG_A), make_response(404, text="<html>Not Found</html>")])
    source = ChangeWatcher({"api_url": API, "api_token": TOKEN, "resources": ["tags"]}, {}, warn=lambda text: None,
                           client_class=lambda **settings: ScalewayClient(session=session, **settings))
    assert changes(source.poll()) == [("unavailable", None)]


@pytest.mark.parametrize("args, option", [
    ({"resources": ["servers", "images"]}, "resources"),
    ({"resources": []}, "resources"),
    ({"resources": "servers,tags"}, "resources"),
    ({"interval": 0}, "interval"),
    ({"interval": "soon"}, "interval"),
    ({"interval": True}, "interval"),
    ({"emit_existing": "maybe"}, "emit_existing"),
    ({"validate_certs": "sure"}, "validate_certs"),
    ({"organizations": [""]}, "organizations"),
    ({"intervall": 5}, "intervall"),
])
def test_a_bad_argument_fails_before_any_request_naming_it(args, option):
    with pytest.raises(ScalewayInputError) as err:
        ChangeWatcher(dict(args, api_token=TOKEN), {}, client_class=ScriptedClient)
    assert err.value.option == option


def test_defaults_and_the_environment_fallbacks():
    source = ChangeWatcher({}, {"SCW_API_URL": "http://127.0.0.1:9/v1", "SCW_TOKEN": TOKEN,
                                "SCW_CA_BUNDLE": "/tmp/ca.pem"}, client_class=ScriptedClient)
    assert source.resources == ["servers"] and source.organizations == []
    assert source.interval == 30 and source.emit_existing is False
    settings = ScriptedClient.last.settings
    assert settings["api_url"] == "http://127.0.0.1:9/v1" and settings["api_token"] == TOKEN
    assert settings["ca_path"] == "/tmp/ca.pem" and settings["timeout"] == 30 and settings["retries"] == 5
    assert settings["validate_certs"] is True


def test_a_token_sent_over_plain_http_to_another_host_is_warned_about_as_for_the_modules():
    warnings = []
    ChangeWatcher({"api_url": "http://api.example.test/v1", "api_token": TOKEN}, {}, warn=warnings.append,
                  client_class=ScriptedClient)
    assert len(warnings) == 1 and "plain HTTP" in warnings[0] and TOKEN not in warnings[0]
    warnings = []
    ChangeWatcher({"api_url": "http://127.0.0.1:9/v1", "api_token": TOKEN}, {}, warn=warnings.append,
                  client_class=ScriptedClient)
    assert warnings == []
