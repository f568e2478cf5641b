# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""scaleway_tag and the metadata helpers of module_utils/tags.py.

The module tests run the module class against a scripted API: every request
must be the next one of the script, so each test states exactly which calls a
task makes (and that check mode or a second run sends no write).
The harness (``ScriptedApi``, ``run_module``) is in tests/unit/plugins/fakes.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import ScalewayClient
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.tags import (
    MetadataPlan,
    metadata_error,
    metadata_path,
)
from ansible_collections.scaleway_v1.cloud.plugins.modules import scaleway_tag
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.fakes import (
    API,
    ORG_ID,
    OTHER_ID,
    TAG_ID,
    ScriptedApi,
    api_tag,
    entries,
    page,
    run_module,
)


def metadata_entry(key, value):
    return {"metadata": {"key": key, "value": value}}


# -- metadata validation ---------------------------------------------------------------------

@pytest.mark.parametrize("metadata, words", [
    ({"port": 8080}, ["metadata", "'port'", "must be a string", "int", "quote"]),
    ({"enabled": True}, ["'enabled'", "bool"]),
    ({"": "x"}, ["key ''", "1 to 128"]),
    ({"k" * 129: "x"}, ["1 to 128", "129"]),
    ({"big": "v" * 4097}, ["'big'", "4097", "4096"]),
    ({1: "one"}, ["key 1", "must be a string"]),
])
def test_metadata_error_names_the_key_and_the_rule(metadata, words):
    error = metadata_error(metadata)
    for word in words:
        assert word in error


def test_metadata_at_the_limits_is_accepted():
    assert metadata_error({"k" * 128: "v" * 4096, "empty": ""}) is None


# -- metadata reconciliation -------------------------------------------------------------------

def test_plan_creates_updates_and_purges_only_what_differs():
    plan = MetadataPlan({"keep": "1", "change": "old", "drop": "x"}, {"keep": "1", "change": "new", "add": "a"},
                        purge=True)
    assert (plan.create, plan.update, plan.delete) == ({"add": "a"}, {"change": "new"}, ["drop"])
    assert plan.result == {"keep": "1", "change": "new", "add": "a"}
    assert plan


def test_plan_without_purge_keeps_unlisted_keys():
    plan = MetadataPlan({"other": "x"}, {"add": "a"}, purge=False)
    assert plan.delete == []
    assert plan.result == {"other": "x", "add": "a"}


def test_plan_with_nothing_to_do_is_false():
    assert not MetadataPlan({"a": "1"}, {"a": "1"}, purge=True)
    assert not MetadataPlan({"a": "1"}, {}, purge=False)


def test_metadata_keys_are_percent_encoded_in_paths():
    assert metadata_path(TAG_ID, "a/b c") == "/tags/%s/metadatas/a%%2Fb%%20c" % TAG_ID


def make_client(api):
    return ScalewayClient(api_url=API, api_token="token-for-tests", retries=2, session=api, sleep=lambda s: None)


def test_apply_sends_one_write_per_changed_key():
    path = metadata_path(TAG_ID)
    api = ScriptedApi([
        ("POST", path, 201, metadata_entry("add", "a")),
        ("PUT", path + "/change", 200, metadata_entry("change", "new")),
        ("DELETE", path + "/drop", 204, None),
    ])
    plan = MetadataPlan({"change": "old", "drop": "x"}, {"change": "new", "add": "a"}, purge=True)
    assert plan.apply(make_client(api), TAG_ID) == {"change": "new", "add": "a"}
    assert api.calls[0][3] == {"metadata_key": "add", "metadata_value": "a"}
    assert api.calls[1][3] == {"metadata_value": "new"}


def test_apply_after_a_lost_post_looks_the_key_up_instead_of_sending_it_again():
    path = metadata_path(TAG_ID)
    api = ScriptedApi([
        ("POST", path, None, None),
        ("GET", path, 200, entries({"add": "a"})),
    ])
    plan = MetadataPlan({}, {"add": "a"}, purge=False)
    assert plan.apply(make_client(api), TAG_ID) == {"add": "a"}
    assert api.calls[1][2]["key"] == "add"


def test_apply_sets_our_value_when_the_lookup_finds_another_one():
    path = metadata_path(TAG_ID)
    api = ScriptedApi([
        ("POST", path, None, None),
        ("GET", path, 200, entries({"add": "theirs"})),
        ("PUT", path + "/add", 200, metadata_entry("add", "ours")),
    ])
    assert MetadataPlan({}, {"add": "ours"}, purge=False).apply(make_client(api), TAG_ID) == {"add": "ours"}


# -- the module ------------------------------------------------------------------------------

def tag_path(tag_id=TAG_ID):
    return "/tags/%s" % tag_id


def test_create_with_metadata():
    api = ScriptedApi([
        ("GET", "/tags", 200, page("tags", [])),
        ("POST", "/tags", 201, {"tag": api_tag()}),
        # The name again after the create: concurrent runs converge on the first tag of that name.
        ("GET", "/tags", 200, page("tags", [api_tag()])),
        ("POST", metadata_path(TAG_ID), 201, metadata_entry("a", "1")),
        ("POST", metadata_path(TAG_ID), 201, metadata_entry("b", "2")),
        # A metadata write changes the tag's modification_date: one read returns the tag as it now is.
        ("GET", tag_path(), 200, {"tag": api_tag(metadata={"a": "1", "b": "2"})}),
    ])
    params = {"name": "web", "organization": ORG_ID, "metadata": {"b": "2", "a": "1"}}
    failed, result = run_module(scaleway_tag.ScalewayTag, api, params)
    assert not failed and result["changed"]
    assert result["tag"]["metadata"] == {"a": "1", "b": "2"}
    assert api.calls[0][2]["organization"] == ORG_ID and api.calls[0][2]["name"] == "web"
    # No type given: the API chooses it.
    assert api.calls[1][3] == {"name": "web", "organization": ORG_ID}
    assert result["diff"] == {"before": {}, "after": {"name": "web", "type": "user", "metadata": {"a": "1", "b": "2"}}}


def test_unchanged_tag_costs_one_read_and_no_write():
    """The tag list carries each tag's metadata (docs/docsite/rst/guide_api.rst): one GET for the whole task."""
    api = ScriptedApi([("GET", "/tags", 200, page("tags", [api_tag(metadata={"a": "1"})]))])
    failed, result = run_module(scaleway_tag.ScalewayTag, api, {"name": "web", "metadata": {"a": "1"}, "type": "user"})
    assert not failed and not result["changed"]
    assert result["tag"]["metadata"] == {"a": "1"}
    assert len(api.calls) == 1


@pytest.mark.parametrize("listed, warned", [
    (api_tag(metadata=None), 1),  # an API that does not embed metadata: said once
    (dict(api_tag(metadata={"a": "1"}), metadatas_count=101), 0),  # more entries than an answer embeds
])
def test_metadata_is_read_when_the_tag_does_not_carry_all_of_it(listed, warned):
    api = ScriptedApi([
        ("GET", "/tags", 200, page("tags", [listed])),
        ("GET", metadata_path(TAG_ID), 200, entries({"a": "1"})),
    ])
    warnings = []
    failed, result = run_module(scaleway_tag.ScalewayTag, api, {"name": "web", "metadata": {"a": "1"}},
                                warn=warnings.append)
    assert not failed and not result["changed"] and result["tag"]["metadata"] == {"a": "1"}
    assert "metadatas" not in result["tag"] and "metadatas_count" not in result["tag"]
    assert api.writes == [] and len(warnings) == warned


def test_check_mode_reports_the_change_without_writing():
    api = ScriptedApi([
        ("GET", tag_path(), 200, {"tag": api_tag(metadata={"a": "1", "gone": "x"})}),
    ])
    failed, result = run_module(scaleway_tag.ScalewayTag, api, {"id": TAG_ID, "name": "www", "metadata": {"a": "2"}},
                                check_mode=True)
    assert not failed and result["changed"]
    assert result["diff"]["after"] == {"name": "www", "type": "user", "metadata": {"a": "2"}}
    assert result["diff"]["before"]["metadata"] == {"a": "1", "gone": "x"}
    assert api.writes == []


def test_check_mode_create_writes_nothing():
    api = ScriptedApi([("GET", "/tags", 200, page("tags", []))])
    failed, result = run_module(scaleway_tag.ScalewayTag, api, {"name": "web", "metadata": {"a": "1"}},
                                check_mode=True)
    assert not failed and result["changed"] and result["tag"] is None
    assert result["diff"]["after"] == {"name": "web", "type": "user", "metadata": {"a": "1"}}


def test_rename_by_id_and_purge():
    api = ScriptedApi([
        ("GET", tag_path(), 200, {"tag": api_tag(metadata={"a": "1", "gone": "x"})}),
        ("PUT", tag_path(), 200, {"tag": api_tag(name="www", metadata={"a": "1", "gone": "x"})}),
        ("DELETE", metadata_path(TAG_ID, "gone"), 204, None),
        ("GET", tag_path(), 200, {"tag": api_tag(name="www", metadata={"a": "1"})}),
    ])
    failed, result = run_module(scaleway_tag.ScalewayTag, api, {"id": TAG_ID, "name": "www", "metadata": {"a": "1"}})
    assert not failed and result["changed"]
    assert api.calls[1][3] == {"name": "www"}
    assert result["tag"]["name"] == "www" and result["tag"]["metadata"] == {"a": "1"}


def test_a_rename_with_metadata_changes_reads_a_large_tag_s_metadata_once():
    """A tag with more entries than an answer embeds: its metadata list is read after the writes, not after the PUT."""
    large = dict(api_tag(metadata={"a": "1"}), metadatas_count=101)
    api = ScriptedApi([
        ("GET", tag_path(), 200, {"tag": large}),
        ("GET", metadata_path(TAG_ID), 200, entries({"a": "1"})),
        ("PUT", tag_path(), 200, {"tag": dict(large, name="www")}),
        ("PUT", metadata_path(TAG_ID, "a"), 200, metadata_entry("a", "2")),
        ("GET", tag_path(), 200, {"tag": dict(large, name="www")}),
        ("GET", metadata_path(TAG_ID), 200, entries({"a": "2"})),
    ])
    failed, result = run_module(scaleway_tag.ScalewayTag, api, {"id": TAG_ID, "name": "www", "metadata": {"a": "2"}})
    assert not failed and result["changed"], result.get("msg")
    assert result["tag"]["name"] == "www" and result["tag"]["metadata"] == {"a": "2"}
    assert [call[:2] for call in api.calls].count(("GET", metadata_path(TAG_ID))) == 2


def test_purge_false_only_adds():
    api = ScriptedApi([
        ("GET", "/tags", 200, page("tags", [api_tag(metadata={"other": "x"})])),
        ("POST", metadata_path(TAG_ID), 201, metadata_entry("a", "1")),
        ("GET", tag_path(), 200, {"tag": api_tag(metadata={"other": "x", "a": "1"})}),
    ])
    params = {"name": "web", "metadata": {"a": "1"}, "purge_metadata": False}
    failed, result = run_module(scaleway_tag.ScalewayTag, api, params)
    assert not failed and result["tag"]["metadata"] == {"other": "x", "a": "1"}


def test_metadata_left_out_is_left_alone():
    api = ScriptedApi([
        ("GET", "/tags", 200, page("tags", [api_tag(metadata={"other": "x"})])),
    ])
    failed, result = run_module(scaleway_tag.ScalewayTag, api, {"name": "web"})
    assert not failed and not result["changed"]


def test_two_tags_with_the_name_fail_with_both_ids():
    # Created a day apart: no concurrent create can explain them, so no second look.
    twins = [api_tag(), api_tag(tag_id=OTHER_ID, created="2026-01-16T09:30:00Z")]
    api = ScriptedApi([("GET", "/tags", 200, page("tags", twins))])
    failed, result = run_module(scaleway_tag.ScalewayTag, api, {"name": "web", "metadata": {"a": "1"}})
    assert failed
    assert TAG_ID in result["msg"] and OTHER_ID in result["msg"] and "id" in result["msg"]
    assert api.writes == []


def test_bad_metadata_fails_before_any_request():
    api = ScriptedApi([])
    failed, result = run_module(scaleway_tag.ScalewayTag, api, {"name": "web", "metadata": {"port": 80}})
    assert failed and "'port'" in result["msg"]
    assert api.calls == []


def test_unknown_id_fails_naming_id():
    api = ScriptedApi([("GET", tag_path(), 404, {"type": "invalid_request_error", "message": "unknown tag"})])
    failed, result = run_module(scaleway_tag.ScalewayTag, api, {"id": TAG_ID, "name": "web"})
    assert failed and result["msg"].startswith("id:")


def test_unknown_id_is_already_absent():
    api = ScriptedApi([("GET", tag_path(), 404, {"type": "invalid_request_error", "message": "unknown tag"})])
    failed, result = run_module(scaleway_tag.ScalewayTag, api, {"id": TAG_ID, "state": "absent"})
    assert not failed and not result["changed"]


def test_tag_of_another_organization_is_not_moved():
    other_org = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
    api = ScriptedApi([("GET", tag_path(), 200, {"tag": api_tag()})])
    failed, result = run_module(scaleway_tag.ScalewayTag, api, {"id": TAG_ID, "organization": other_org})
    assert failed and result["msg"].startswith("organization:")
    assert api.writes == []


def test_delete_shows_what_is_removed():
    api = ScriptedApi([
        ("GET", "/tags", 200, page("tags", [api_tag(metadata={"a": "1"})])),
        ("DELETE", tag_path(), 204, None),
    ])
    failed, result = run_module(scaleway_tag.ScalewayTag, api, {"name": "web", "state": "absent"})
    assert not failed and result["changed"] and result["tag"] is None
    assert result["diff"] == {"before": {"name": "web", "type": "user", "metadata": {"a": "1"}}, "after": {}}


def test_lost_create_answer_finds_the_tag_instead_of_a_duplicate():
    api = ScriptedApi([
        ("GET", "/tags", 200, page("tags", [])),
        ("POST", "/tags", None, None),
        ("GET", "/tags", 200, page("tags", [api_tag()])),
        ("GET", "/tags", 200, page("tags", [api_tag()])),
    ])
    failed, result = run_module(scaleway_tag.ScalewayTag, api, {"name": "web"})
    assert not failed and result["changed"] and result["tag"]["id"] == TAG_ID
    assert api.writes == [("POST", "/tags")]


@pytest.mark.parametrize("odd", [[{"value": "1"}], [{"key": ["a"], "value": "1"}]])
def test_metadata_entries_of_another_shape_fail_cleanly_naming_api_url(odd):
    """Entries without a usable key (not the contract's): a failure that says so, never a crash, no write."""
    api = ScriptedApi([
        ("GET", "/tags", 200, page("tags", [api_tag(metadata=None)])),
        ("GET", metadata_path(TAG_ID), 200, page("metadatas", odd)),
    ])
    failed, result = run_module(scaleway_tag.ScalewayTag, api, {"name": "web", "metadata": {"a": "1"}},
                                warn=lambda text: None)
    assert failed and result["msg"].startswith("an answer of the API did not have the expected shape ("), result["msg"]
    assert "fix api_url (SCW_API_URL)" in result["msg"] and "please report it" in result["msg"]
    assert "Traceback" in result["exception"] and api.writes == []


# -- keys that cannot be one URL segment ------------------------------------------------------------

@pytest.mark.parametrize("key", [".", "..", "a\nb"])
def test_a_metadata_option_key_that_cannot_be_addressed_fails_before_any_request(key):
    api = ScriptedApi([])
    failed, result = run_module(scaleway_tag.ScalewayTag, api, {"name": "web", "metadata": {key: "x"}})
    assert failed and result["msg"].startswith("metadata: key %r cannot be used" % key)
    assert api.calls == []


@pytest.mark.parametrize("key", [".", ".."])
def test_purging_a_listed_key_of_dots_never_sends_a_delete(key):
    """DELETE /tags/ID/metadatas/.. is sent as DELETE /tags/ID/ by the HTTP stack: the tag itself."""
    api = ScriptedApi([("GET", tag_path(), 200, {"tag": api_tag(metadata={key: "x", "a": "1"})})])
    failed, result = run_module(scaleway_tag.ScalewayTag, api, {"id": TAG_ID, "metadata": {"a": "1"}})
    assert failed and "metadatas[].key" in result["msg"]
    assert api.writes == []


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_listed_key_of_dots_fails_a_rename_before_the_rename_is_sent(check_mode):
    """The rename PUT comes before the metadata writes: a key that cannot be a URL must fail before either."""
    api = ScriptedApi([("GET", tag_path(), 200, {"tag": api_tag(metadata={"..": "x"})})])
    failed, result = run_module(scaleway_tag.ScalewayTag, api, {"id": TAG_ID, "name": "renamed", "metadata": {"a": "1"}},
                                check_mode=check_mode)
    assert failed and result["msg"].startswith("metadatas[].key: '..' cannot be one segment"), result["msg"]
    assert api.writes == [] and not result["changed"]


def test_a_key_already_deleted_by_another_run_counts_as_deleted():
    gone = {"type": "invalid_request_error", "code": "unknown_resource", "message": "no metadata 'old'"}
    api = ScriptedApi([
        ("GET", tag_path(), 200, {"tag": api_tag(metadata={"old": "x"})}),
        ("DELETE", metadata_path(TAG_ID, "old"), 404, gone),
        ("GET", tag_path(), 200, {"tag": api_tag(metadata={})}),
    ])
    failed, result = run_module(scaleway_tag.ScalewayTag, api, {"id": TAG_ID, "metadata": {}})
    assert not failed and result["tag"]["metadata"] == {}
