# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""scaleway_tag_info: filters, the metadata each tag carries (read only when incomplete), the servers of each tag.

Also the tag helpers of module_utils/tags.py that it uses: metadata_of, tag_view and attached_servers.
Each test's script is every request the task may make, so the scripts are the request counts.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import ScalewayClient
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.tags import (
    METADATA_INCOMPLETE,
    METADATA_NOT_EMBEDDED,
    metadata_of,
    metadata_path,
    tag_view,
)
from ansible_collections.scaleway_v1.cloud.plugins.modules import scaleway_tag_info
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.modules import test_scaleway_tag
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.modules.test_scaleway_tag import (
    API,
    ORG,
    OTHER_ID,
    TAG_ID,
    ScriptedApi,
    entries,
    page,
    run_module,
    tag,
)

SERVER_A = "4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d"
SERVER_B = "5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e"
IDLE_ID = "8e9f0a1b-2c3d-4e4f-9a5b-6c7d8e9f0a1b"


def carrying(tag_dict, metadata=None, count=None):
    """``tag_dict`` as the API returns it now: with its metadata (``count`` entries in all, default those given)."""
    embedded = [{"key": key, "value": value} for key, value in (metadata or {}).items()]
    return dict(tag_dict, metadatas=embedded, metadatas_count=len(embedded) if count is None else count)


def bare(tag_dict):
    """``tag_dict`` as an API from before tags carried their metadata returns it."""
    return dict((field, value) for field, value in tag_dict.items() if field not in ("metadatas", "metadatas_count"))


def server(server_id, name, tags):
    return {"id": server_id, "name": name, "organization": ORG,
            "tags": [{"id": item["id"], "name": item["name"]} for item in tags]}


def run(api, **params):
    return run_module(scaleway_tag_info.ScalewayTagInfo, api, params)


@pytest.fixture(name="warnings")
def fixture_warnings(monkeypatch):
    """The warnings the module gives (the shared FakeModule fails on any warning otherwise)."""
    given = []
    monkeypatch.setattr(test_scaleway_tag.FakeModule, "warn", lambda module, message: given.append(message))
    return given


# -- metadata: carried by the tags, read only when needed -------------------------------------------

def test_a_page_of_tags_with_their_metadata_is_one_get():
    api = ScriptedApi([
        ("GET", "/tags", 200, page("tags", [carrying(tag(), {"role": "web"}), carrying(tag(name="db", tag_id=OTHER_ID))])),
    ])
    failed, result = run(api)
    assert not failed and not result["changed"]
    assert [(item["name"], item["metadata"]) for item in result["tags"]] == [("web", {"role": "web"}), ("db", {})]
    assert "attached_servers" not in result["tags"][0]
    # The API's partial fields are not returned: metadata has all of it.
    assert not set(result["tags"][0]) & {"metadatas", "metadatas_count"}
    assert api.calls[0][2] == {"page": 1, "limit": 500}


def test_a_tag_by_id_is_one_get():
    api = ScriptedApi([("GET", "/tags/%s" % TAG_ID, 200, {"tag": carrying(tag(), {"a": "1"})})])
    failed, result = run(api, id=TAG_ID)
    assert [item["metadata"] for item in result["tags"]] == [{"a": "1"}]


def test_only_a_tag_with_more_entries_than_it_carries_reads_its_metadata():
    first_100 = dict(("k%03d" % number, "v") for number in range(100))
    whole = dict(first_100, k100="v")
    api = ScriptedApi([
        ("GET", "/tags", 200, page("tags", [carrying(tag(), first_100, count=101),
                                            carrying(tag(name="db", tag_id=OTHER_ID), {"b": "2"})])),
        ("GET", metadata_path(TAG_ID), 200, entries(whole)),
    ])
    failed, result = run(api)
    assert [item["metadata"] for item in result["tags"]] == [whole, {"b": "2"}]


def test_an_api_without_embedded_metadata_costs_a_read_per_tag_and_one_warning(warnings):
    api = ScriptedApi([
        ("GET", "/tags", 200, page("tags", [bare(tag()), bare(tag(name="db", tag_id=OTHER_ID))])),
        ("GET", metadata_path(TAG_ID), 200, entries({"role": "web"})),
        ("GET", metadata_path(OTHER_ID), 200, entries({})),
    ])
    failed, result = run(api)
    assert [(item["name"], item["metadata"]) for item in result["tags"]] == [("web", {"role": "web"}), ("db", {})]
    assert len(warnings) == 1 and "without their metadata" in warnings[0]


def test_an_incomplete_tag_is_read_without_a_warning(warnings):
    api = ScriptedApi([
        ("GET", "/tags", 200, page("tags", [carrying(tag(), {"a": "1"}, count=2)])),
        ("GET", metadata_path(TAG_ID), 200, entries({"a": "1", "b": "2"})),
    ])
    failed, result = run(api)
    assert result["tags"][0]["metadata"] == {"a": "1", "b": "2"} and warnings == []


@pytest.mark.parametrize("answer, read", [
    (carrying(tag(), {"a": "1"}), None),
    (carrying(tag(), {"a": "1"}, count=150), METADATA_INCOMPLETE),
    (dict(carrying(tag()), metadatas=[{"key": "a", "value": 1}], metadatas_count=1), METADATA_INCOMPLETE),
    (bare(tag()), METADATA_NOT_EMBEDDED),
])
def test_metadata_of_reads_only_what_the_tag_does_not_carry(answer, read):
    api = ScriptedApi([("GET", metadata_path(TAG_ID), 200, entries({"a": "1"}))] if read else [])
    client = ScalewayClient(api_url=API, api_token="token-for-tests", retries=0, session=api)
    assert metadata_of(client, answer) == ({"a": "1"}, read)
    assert not api.script


def test_tag_view_replaces_the_embedded_entries_by_the_dict():
    view = tag_view(carrying(tag(), {"a": "1"}), {"a": "1"})
    assert view == dict(bare(tag()), metadata={"a": "1"})


# -- filters -----------------------------------------------------------------------------------------

def test_name_filter_is_exact_and_sent_to_the_api():
    api = ScriptedApi([
        ("GET", "/tags", 200, page("tags", [carrying(tag(name="web-old", tag_id=OTHER_ID)), carrying(tag())])),
    ])
    failed, result = run(api, name="web", organization=ORG)
    assert [item["id"] for item in result["tags"]] == [TAG_ID]
    assert api.calls[0][2]["name"] == "web" and api.calls[0][2]["organization"] == ORG


def test_server_filter_uses_server_id_and_the_list_even_with_an_id():
    api = ScriptedApi([
        ("GET", "/tags", 200, page("tags", [carrying(tag()), carrying(tag(name="db", tag_id=OTHER_ID))])),
    ])
    failed, result = run(api, server=SERVER_A, id=OTHER_ID)
    assert api.calls[0][2]["server_id"] == SERVER_A
    assert [item["id"] for item in result["tags"]] == [OTHER_ID]


def test_unknown_id_gives_an_empty_list():
    api = ScriptedApi([("GET", "/tags/%s" % TAG_ID, 404, {"type": "invalid_request_error", "message": "no"})])
    failed, result = run(api, id=TAG_ID)
    assert not failed and result["tags"] == []


# -- attached servers ----------------------------------------------------------------------------------

def test_include_servers_maps_servers_to_tag_ids_not_names():
    web, web_twin = carrying(tag(servers=1)), carrying(tag(tag_id=OTHER_ID, servers=1))
    db = carrying(tag(name="db", tag_id=IDLE_ID, servers=0))
    unlisted = tag(name="default", tag_id="9f0a1b2c-3d4e-4f5a-8b6c-7d8e9f0a1b2c", servers=1)
    api = ScriptedApi([
        ("GET", "/tags", 200, page("tags", [web, web_twin, db])),
        # One list per distinct name; the db tag is on no server, so it costs nothing.
        ("GET", "/servers", 200, page("servers", [server(SERVER_A, "web-1", [web]),
                                                  server(SERVER_B, "web-2", [web_twin, unlisted])])),
    ])
    failed, result = run(api, include_servers=True)
    attached = dict((item["id"], item["attached_servers"]) for item in result["tags"])
    assert attached == {TAG_ID: [{"id": SERVER_A, "name": "web-1"}],
                        OTHER_ID: [{"id": SERVER_B, "name": "web-2"}],
                        IDLE_ID: []}
    assert api.calls[-1][2]["tag"] == "web"


def test_a_server_listed_under_two_names_is_counted_once():
    web, db = carrying(tag(servers=1)), carrying(tag(name="db", tag_id=OTHER_ID, servers=1))
    both = server(SERVER_A, "web-1", [web, db])
    api = ScriptedApi([
        ("GET", "/tags", 200, page("tags", [web, db])),
        ("GET", "/servers", 200, page("servers", [both])),
        ("GET", "/servers", 200, page("servers", [both])),
    ])
    failed, result = run(api, include_servers=True, organization=ORG)
    assert [item["attached_servers"] for item in result["tags"]] == [[{"id": SERVER_A, "name": "web-1"}]] * 2
    assert [call[2]["organization"] for call in api.calls] == [ORG] * 3
