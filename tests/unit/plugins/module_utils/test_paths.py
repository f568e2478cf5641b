# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one URL rule (paths.py), the resource table (resources.py) and the client's last-line guard.

Each value put in a URL is one percent-encoded segment or is refused before anything is sent,
naming where it came from; the HTTP stack would otherwise turn ``/tags/ID/metadatas/..`` into
``/tags/ID/`` and a DELETE would reach the tag.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import ScalewayClient
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayAPIError, ScalewayInputError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.objects import container_url, object_url
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.paths import (
    api_path,
    object_path,
    request_path_error,
    segment,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import get_or_list
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import (
    METADATAS,
    OBJECTS,
    ORGANIZATION_SUMMARY,
    SERVERS,
    SESSIONS,
    VOLUMES,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.servers import server_path
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.tags import metadata_path
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.fakes import (
    API,
    CONTAINER_ID,
    TAG_ID,
    FakeSession,
    make_response,
)

HOSTILE_PATH = "www/../../../../servers/5c2a1d7e-8b3f-4e6a-9d0c-1f2e3a4b5c6d"


def client_of(script):
    session = FakeSession(script)
    return ScalewayClient(api_url=API, api_token="tok-3f1c9d2e-secret", session=session, sleep=lambda s: None), session


# -- one value, one segment ---------------------------------------------------------------------

@pytest.mark.parametrize("value", ["", ".", "..", "a\nb", "tab\t", "\x7f", u"\udcff", None, 12])
def test_a_value_that_cannot_be_one_segment_is_refused_naming_its_source(value):
    with pytest.raises(ScalewayInputError) as err:
        segment(value, "session_id")
    assert err.value.option == "session_id"


@pytest.mark.parametrize("value, encoded", [
    ("a/b", "a%2Fb"), ("a?b#c", "a%3Fb%23c"), ("50%", "50%25"), ("a/..", "a%2F.."), ("...", "..."),
    (u"été", "%C3%A9t%C3%A9"),
])
def test_any_other_value_is_exactly_one_encoded_segment(value, encoded):
    assert segment(value, "id") == encoded


def test_an_id_of_dots_or_with_a_slash_never_reaches_another_resource():
    for build in (server_path, lambda value: VOLUMES.item_path((value, "id")), container_url):
        with pytest.raises(ScalewayInputError):
            build("..")
        assert build("a/b").endswith("/a%2Fb")
    assert server_path("a/b") == "/servers/a%2Fb"


def test_a_metadata_key_of_dots_is_refused_and_a_slash_is_one_segment():
    for key in (".", ".."):
        with pytest.raises(ScalewayInputError) as err:
            metadata_path(TAG_ID, key, "metadatas[].key")
        assert err.value.option == "metadatas[].key"
    assert metadata_path(TAG_ID, "a/b") == "/tags/%s/metadatas/a%%2Fb" % TAG_ID


def test_an_object_path_listed_by_the_api_is_checked_naming_the_field():
    with pytest.raises(ScalewayInputError) as err:
        object_url(CONTAINER_ID, HOSTILE_PATH, "objects[].path")
    assert err.value.option == "objects[].path" and "'..'" in str(err.value)
    with pytest.raises(ScalewayInputError) as err:
        object_url(CONTAINER_ID, "a//b")
    assert err.value.option == "path"


def test_an_object_path_keeps_its_slashes_and_encodes_the_rest():
    assert object_path(u"a/b c/\u00e9t\u00e9%.txt", "path") == "a/b%20c/%C3%A9t%C3%A9%25.txt"
    assert object_url(CONTAINER_ID, "a?b#c") == "/containers/%s/objects/a%%3Fb%%23c" % CONTAINER_ID


def test_the_table_builds_every_path():
    assert VOLUMES.path == "/volumes" and (VOLUMES.singular, VOLUMES.plural) == ("volume", "volumes")
    assert ORGANIZATION_SUMMARY.path == "/organizations/summary"
    assert SESSIONS.list_path(("s1", "id")) == "/servers/s1/sessions"
    assert SESSIONS.item_path(("x1", "session_id"), ("s1", "id")) == "/servers/s1/sessions/x1"
    assert METADATAS.list_path((TAG_ID, "id")) == "/tags/%s/metadatas" % TAG_ID
    assert OBJECTS.item_path(("a/b", "path"), ("c1", "container")) == "/containers/c1/objects/a/b"
    assert SERVERS.item_path(("s1", "id")) == api_path("servers", ("s1", "id"))
    with pytest.raises(TypeError):
        api_path("servers", "s1/../x")


# -- the client's last line of defence ------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/tags/%s/metadatas/.." % TAG_ID, "/tags/%s/metadatas/." % TAG_ID, "/tags/%s/" % TAG_ID, "/tags//x",
    "/tags/%s/metadatas/%%2E%%2E" % TAG_ID, "/servers/a?b", "/servers/a#b", "/servers/a\nb", "servers",
])
def test_the_client_never_sends_a_path_that_could_reach_another_resource(path):
    client, session = client_of([make_response(204)])
    with pytest.raises(ScalewayAPIError) as err:
        client.delete(path)
    assert session.calls == []
    assert "not sent" in str(err.value)
    assert request_path_error(path)


def test_an_id_of_dots_sends_nothing():
    client, session = client_of([make_response(200, {"volume": {"id": "x"}})])
    with pytest.raises(ScalewayInputError) as err:
        get_or_list(client, VOLUMES.path, "volume", "volumes", "..")
    assert err.value.option == "id" and session.calls == []


# -- a DELETE answered with the API's own 404 -------------------------------------------------------

def test_the_api_s_own_404_on_delete_means_gone_with_missing_ok():
    body = {"type": "invalid_request_error", "code": "unknown_resource", "message": "no volume"}
    client, session = client_of([make_response(404, body), make_response(404, body)])
    assert client.delete("/volumes/v1", missing_ok=True) is False
    with pytest.raises(ScalewayAPIError) as err:
        client.delete("/volumes/v1")
    assert err.value.status == 404


def test_a_delete_that_worked_is_true():
    client, session = client_of([make_response(204)])
    assert client.delete("/volumes/v1", missing_ok=True) is True


def test_a_web_server_s_404_on_delete_is_still_an_error_naming_api_url():
    client, session = client_of([make_response(404, text="<html><h1>Not Found</h1></html>")])
    with pytest.raises(ScalewayAPIError) as err:
        client.delete("/volumes/v1", missing_ok=True)
    assert "api_url (SCW_API_URL)" in str(err.value)
