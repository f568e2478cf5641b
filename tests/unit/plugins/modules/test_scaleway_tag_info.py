# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""scaleway_tag_info: filters, metadata per tag, and the servers of each tag."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.tags import metadata_path
from ansible_collections.scaleway_v1.cloud.plugins.modules import scaleway_tag_info
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.modules.test_scaleway_tag import (
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


def server(server_id, name, tags):
    return {"id": server_id, "name": name, "organization": ORG,
            "tags": [{"id": item["id"], "name": item["name"]} for item in tags]}


def run(api, **params):
    return run_module(scaleway_tag_info.ScalewayTagInfo, api, params)


def test_every_tag_with_its_metadata():
    api = ScriptedApi([
        ("GET", "/tags", 200, page("tags", [tag(), tag(name="db", tag_id=OTHER_ID)])),
        ("GET", metadata_path(TAG_ID), 200, entries({"role": "web"})),
        ("GET", metadata_path(OTHER_ID), 200, entries({})),
    ])
    failed, result = run(api)
    assert not failed and not result["changed"]
    assert [(item["name"], item["metadata"]) for item in result["tags"]] == [("web", {"role": "web"}), ("db", {})]
    assert "attached_servers" not in result["tags"][0]
    assert api.calls[0][2] == {"page": 1, "limit": 500}


def test_name_filter_is_exact_and_sent_to_the_api():
    api = ScriptedApi([
        ("GET", "/tags", 200, page("tags", [tag(name="web-old", tag_id=OTHER_ID), tag()])),
        ("GET", metadata_path(TAG_ID), 200, entries({})),
    ])
    failed, result = run(api, name="web", organization=ORG)
    assert [item["id"] for item in result["tags"]] == [TAG_ID]
    assert api.calls[0][2]["name"] == "web" and api.calls[0][2]["organization"] == ORG


def test_include_servers_maps_servers_to_tag_ids_not_names():
    web, web_twin, db = tag(servers=1), tag(tag_id=OTHER_ID, servers=1), tag(name="db", tag_id=IDLE_ID, servers=0)
    unlisted = tag(name="default", tag_id="9f0a1b2c-3d4e-4f5a-8b6c-7d8e9f0a1b2c", servers=1)
    api = ScriptedApi([
        ("GET", "/tags", 200, page("tags", [web, web_twin, db])),
        ("GET", metadata_path(TAG_ID), 200, entries({})),
        ("GET", metadata_path(OTHER_ID), 200, entries({})),
        ("GET", metadata_path(IDLE_ID), 200, entries({})),
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
    web, db = tag(servers=1), tag(name="db", tag_id=OTHER_ID, servers=1)
    both = server(SERVER_A, "web-1", [web, db])
    api = ScriptedApi([
        ("GET", "/tags", 200, page("tags", [web, db])),
        ("GET", metadata_path(TAG_ID), 200, entries({})),
        ("GET", metadata_path(OTHER_ID), 200, entries({})),
        ("GET", "/servers", 200, page("servers", [both])),
        ("GET", "/servers", 200, page("servers", [both])),
    ])
    failed, result = run(api, include_servers=True)
    assert [item["attached_servers"] for item in result["tags"]] == [[{"id": SERVER_A, "name": "web-1"}]] * 2


def test_server_filter_uses_server_id():
    api = ScriptedApi([
        ("GET", "/tags", 200, page("tags", [tag(), tag(name="db", tag_id=OTHER_ID)])),
        ("GET", metadata_path(OTHER_ID), 200, entries({})),
    ])
    failed, result = run(api, server=SERVER_A, id=OTHER_ID)
    assert api.calls[0][2]["server_id"] == SERVER_A
    assert [item["id"] for item in result["tags"]] == [OTHER_ID]


def test_unknown_id_gives_an_empty_list():
    api = ScriptedApi([("GET", "/tags/%s" % TAG_ID, 404, {"type": "invalid_request_error", "message": "no"})])
    failed, result = run(api, id=TAG_ID)
    assert not failed and result["tags"] == []


def test_server_name_is_refused_before_any_request():
    api = ScriptedApi([])
    failed, result = run(api, server="web-1")
    assert failed and result["msg"].startswith("server ")
    assert api.calls == []
