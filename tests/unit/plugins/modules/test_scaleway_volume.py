# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import UnresolvedReference, resolve_reference
from ansible_collections.scaleway_v1.cloud.plugins.modules.scaleway_volume import ScalewayVolume
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.fakes import ORG_ID, ScriptedApi, run_module

V1 = "3f1c9d2e-1b2a-4c3d-8e9f-0a1b2c3d4e5f"

VOLUME = {"id": V1, "name": "data", "organization": ORG_ID, "size": 20000000000, "type": "l_ssd",
          "server": {"id": "s1", "name": "web"}, "state": "in_use", "base_volume": None,
          "creation_date": "2026-01-15T09:30:00Z"}


def run(api, check_mode=False, **params):
    return run_module(ScalewayVolume, api, params, check_mode=check_mode)


def test_an_unchanged_volume_costs_one_read():
    api = ScriptedApi([("GET", "/volumes", 200, {"volumes": [VOLUME]})])
    failed, result = run(api, name="data", size="20GB", type="l_ssd")
    assert not failed and not result["changed"] and result["volume"]["id"] == V1
    assert result["diff"] == {"before": {"name": "data", "organization": ORG_ID, "size": 20000000000, "type": "l_ssd"},
                              "after": {"name": "data", "organization": ORG_ID, "size": 20000000000, "type": "l_ssd"}}


def test_each_field_the_api_cannot_change_fails_naming_its_option_without_a_write():
    api = ScriptedApi([("GET", "/volumes/" + V1, 200, {"volume": VOLUME})])
    failed, result = run(api, id=V1, name="data-2", size=10 ** 9, type="b_ssd")
    assert failed and api.writes == []
    assert [part.split(":")[0] for part in result["msg"].split("; ")] == ["name", "size", "type"]
    assert "cannot change a volume's size (asked for 1000000000): to replace it, give another name" in result["msg"]
    assert "delete this volume first with state: absent (its data is lost)" in result["msg"]


def test_create_posts_then_looks_the_name_up_again():
    created = dict(VOLUME, server=None, state="available")
    api = ScriptedApi([
        ("GET", "/volumes", 200, {"volumes": []}),
        ("POST", "/volumes", 201, {"volume": created}),
        ("GET", "/volumes", 200, {"volumes": [created]}),
    ])
    failed, result = run(api, name="data", size="20 GB", organization=ORG_ID)
    assert not failed and result["changed"] and result["volume"]["id"] == V1
    assert api.calls[1][3] == {"name": "data", "size": 20000000000, "organization": ORG_ID}


def test_check_mode_plans_the_create_without_a_write():
    api = ScriptedApi([("GET", "/volumes", 200, {"volumes": []})])
    failed, result = run(api, check_mode=True, name="data", size="20GB")
    assert not failed and result["changed"] and result["volume"] is None
    assert result["diff"]["after"] == {"name": "data", "organization": None, "size": 20000000000, "type": "l_ssd"}


def test_a_size_with_its_unit_under_one_megabyte_is_taken_without_a_warning():
    api = ScriptedApi([("GET", "/volumes", 200, {"volumes": []})])
    warnings = []
    failed, result = run_module(ScalewayVolume, api, {"name": "data", "size": "512KB"}, check_mode=True,
                                warn=warnings.append)
    assert not failed and warnings == [] and result["diff"]["after"]["size"] == 512000


@pytest.mark.parametrize("size", ["20 parsecs", 0, "1.5B", True, 20, "512"])
def test_a_bad_size_fails_before_any_request_naming_the_option(size):
    api = ScriptedApi([])
    failed, result = run(api, name="data", size=size)
    assert failed and result["msg"].startswith("size: ") and api.calls == []


@pytest.mark.parametrize("option, value", [("size", "20GB"), ("type", "b_ssd"), ("base_volume", "data"),
                                           ("base_snapshot", "0e4f3a2b-1c5d-4e6f-8a7b-9c0d1e2f3a4b")])
def test_an_option_a_delete_does_not_use_fails_before_any_request(option, value):
    api = ScriptedApi([])
    failed, result = run(api, name="data", state="absent", **{option: value})
    assert failed and result["msg"] == "%s: is not used with state=absent" % option and api.calls == []


def test_an_attached_volume_is_not_deleted():
    api = ScriptedApi([("GET", "/volumes", 200, {"volumes": [VOLUME]})])
    failed, result = run(api, name="data", state="absent")
    assert failed and "attached to server 'web' (s1)" in result["msg"] and api.writes == []


# -- base_volume: a name or an id, resolved within the organization ------------------------------

class FakeClient:
    """Answers GET by id and the filtered list of volumes from a fixed set; records the requests."""

    def __init__(self, volumes):
        self.volumes = volumes
        self.requests = []

    def get_or_none(self, path, key):
        self.requests.append(("GET", path))
        return next((volume for volume in self.volumes if path == "/volumes/" + volume["id"]), None)

    def paginate(self, path, key, params):
        self.requests.append(("LIST", path, tuple(sorted(params.items()))))
        # The API's name filter may match loosely; resolve_reference must check the exact name.
        for volume in self.volumes:
            if params["name"] in volume["name"] and params.get("organization") in (None, volume["organization"]):
                yield volume


ID_1 = "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d"
ID_2 = "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f"
ID_3 = "3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a"
VOLUMES = [
    {"id": ID_1, "name": "db", "organization": "org-a"},
    {"id": ID_2, "name": "db", "organization": "org-b"},
    {"id": ID_3, "name": "db-old", "organization": "org-a"},
]


def resolve(reference, organization=None):
    client = FakeClient(VOLUMES)
    return resolve_reference(client, "/volumes", "volume", "volumes", reference, organization,
                             option="base_volume"), client.requests


def failure(reference, organization=None):
    with pytest.raises(UnresolvedReference) as caught:
        resolve(reference, organization)
    return str(caught.value)


def test_a_name_is_looked_up_within_the_organization_exactly():
    found, requests = resolve("db", "org-a")
    assert found["id"] == ID_1
    assert requests == [("LIST", "/volumes", (("name", "db"), ("organization", "org-a")))]


def test_an_id_costs_one_get():
    found, requests = resolve(ID_3)
    assert found["id"] == ID_3
    assert requests == [("GET", "/volumes/" + ID_3)]


def test_a_name_shared_by_two_volumes_lists_their_ids():
    assert failure("db") == ("base_volume: 2 volumes in different organizations are named 'db' (id %s in organization "
                             "org-a, id %s in organization org-b); set organization, or give the id instead"
                             % (ID_1, ID_2))


def test_unknown_names_and_ids_name_the_option():
    assert failure("nothing", "org-a") == ("base_volume: no volume named 'nothing' in organization org-a is visible "
                                           "to this token")
    assert failure("4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b").startswith("base_volume: no volume with id ")


def test_an_id_from_another_organization_is_refused():
    assert failure(ID_2, "org-a") == "base_volume: volume %s belongs to organization org-b, not org-a" % ID_2


def test_an_upper_case_id_is_sent_in_lower_case_and_deleted():
    """On main the GET of the upper-case id answered 404 and the task reported ok while the volume stayed."""
    detached = dict(VOLUME, server=None, state="available")
    api = ScriptedApi([("GET", "/volumes/" + V1, 200, {"volume": detached}), ("DELETE", "/volumes/" + V1, 204, None)])
    failed, result = run(api, id=V1.upper(), state="absent")
    assert not failed and result["changed"] and api.writes == [("DELETE", "/volumes/" + V1)]


def test_an_upper_case_id_finds_the_volume_and_the_organization_matches_in_any_case():
    api = ScriptedApi([("GET", "/volumes/" + V1, 200, {"volume": VOLUME})])
    failed, result = run(api, id=V1.upper(), organization=ORG_ID.upper(), size="20GB")
    assert not failed and not result["changed"] and result["volume"]["id"] == V1 and api.writes == []


def test_an_upper_case_reference_is_resolved_in_lower_case():
    found, requests = resolve(ID_3.upper())
    assert found["id"] == ID_3 and requests == [("GET", "/volumes/" + ID_3)]


def test_a_copy_another_tool_made_meanwhile_is_reported_not_deleted():
    """The task warns and returns the copy's id in unattributed_copies; it writes nothing but its own POST."""
    created = dict(VOLUME, server=None, state="available", creation_date="2026-01-15T09:30:00Z")
    theirs = dict(created, id=ID_1, creation_date="2026-01-15T09:30:10Z")
    listed = ("GET", "/volumes", 200, {"volumes": [created, theirs]})
    api = ScriptedApi([("GET", "/volumes", 200, {"volumes": []}), ("POST", "/volumes", 201, {"volume": created}),
                       listed, listed, listed])
    warnings = []
    failed, result = run_module(ScalewayVolume, api, {"name": "data", "size": "20GB"}, warn=warnings.append)
    assert not failed and result["changed"] and result["volume"]["id"] == V1
    assert result["unattributed_copies"] == [ID_1] and api.writes == [("POST", "/volumes")]
    assert len(warnings) == 1 and ID_1 in warnings[0] and "left in place" in warnings[0]


# -- two runs deleting the same volume ----------------------------------------------------------------

GONE = {"type": "invalid_request_error", "code": "unknown_resource", "message": "no volume %s" % V1}


def test_a_volume_deleted_by_another_run_between_find_and_delete_is_absent_unchanged():
    """Two concurrent state=absent runs: the second one's DELETE is answered the API's 404; it succeeds."""
    api = ScriptedApi([
        ("GET", "/volumes/" + V1, 200, {"volume": dict(VOLUME, server=None, state="available")}),
        ("DELETE", "/volumes/" + V1, 404, GONE),
    ])
    failed, result = run(api, id=V1, state="absent")
    assert not failed and result["changed"] is False and result["volume"] is None


def test_a_web_server_s_404_to_the_delete_still_fails_naming_api_url():
    api = ScriptedApi([
        ("GET", "/volumes/" + V1, 200, {"volume": dict(VOLUME, server=None, state="available")}),
        ("DELETE", "/volumes/" + V1, 404, None, None, "<html><h1>Not Found</h1></html>"),
    ])
    failed, result = run(api, id=V1, state="absent")
    assert failed and "api_url (SCW_API_URL)" in result["msg"]


# -- a newcomer's api_url, through the module's real main() ---------------------------------------

class _WebSite(BaseHTTPRequestHandler):
    """A web site (a console, a captive portal) where the API should be: 200 and HTML for every path."""

    def do_GET(self):
        body = b"<!doctype html><html><head><title>Console</title></head><body>Sign in</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def run_main(api_url):
    from ansible_collections.scaleway_v1.cloud.plugins.modules import scaleway_volume
    from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.modules.simulator_fixture import TOKEN, run_module as run_main_of

    return run_main_of(scaleway_volume, dict(api_url=api_url, api_token=TOKEN, api_retries=0, api_timeout=5,
                                             name="data", organization=ORG_ID))


def test_a_web_site_at_api_url_names_the_setting():
    site = ThreadingHTTPServer(("127.0.0.1", 0), _WebSite)
    serving = threading.Thread(target=site.serve_forever)
    serving.start()
    try:
        url = "http://127.0.0.1:%d" % site.server_address[1]
        failed, result = run_main(url)
    finally:
        site.shutdown()
        serving.join()
        site.server_close()
    assert failed and result["msg"].startswith("GET /volumes failed with HTTP 200: the API answered HTTP 200 with a "
                                               "body that is not JSON"), result["msg"]
    assert result["msg"].endswith("; if %s is not the Scaleway v1 API, fix api_url (SCW_API_URL): it must end in /v1"
                                  % url), result["msg"]


def test_an_address_where_nothing_listens_names_the_setting():
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    url = "http://127.0.0.1:%d/v1" % closed.getsockname()[1]
    closed.close()
    failed, result = run_main(url)
    assert failed and "could not connect to %s" % url in result["msg"], result["msg"]
    assert "check api_url (SCW_API_URL)" in result["msg"]
