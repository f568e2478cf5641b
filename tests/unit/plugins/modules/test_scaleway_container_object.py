# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayAPIError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.objects import object_url, sha256_bytes
from ansible_collections.scaleway_v1.cloud.plugins.modules import scaleway_container_object as module
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.fakes import (
    CONTAINER_ID,
    Failed,
    FakeClient,
    make,
    ORG_ID,
    OTHER_ORG_ID,
)

URL = object_url(CONTAINER_ID, "site/index.html")


def params(**overrides):
    values = dict(container=CONTAINER_ID, organization=None, path="site/index.html", state="present", src=None,
                  content=None, dest=None, content_type=None, metadata=None, purge_metadata=True)
    values.update(overrides)
    return values


def stored(data=b"hello", content_type="text/html", metadata=None):
    return {"id": "o1", "path": "site/index.html", "container": CONTAINER_ID, "size": len(data),
            "checksum": sha256_bytes(data), "content_type": content_type, "metadata": metadata or {}}


def run(client, check_mode=False, diff=False, **overrides):
    instance = make(module.ScalewayContainerObject, params(**overrides), client, check_mode=check_mode, diff=diff)
    instance.perform()
    return instance.result


def test_wanted_metadata():
    assert module.wanted_metadata({"a": "1"}, None, True) is None
    assert module.wanted_metadata({"a": "1", "b": "2"}, {"a": "9"}, True) == {"a": "9"}
    assert module.wanted_metadata({"a": "1", "b": "2"}, {"a": "9"}, False) == {"a": "9", "b": "2"}
    assert module.wanted_metadata(None, {"a": "9"}, False) == {"a": "9"}


def test_unchanged_content_costs_one_get_and_no_write():
    client = FakeClient(resources={URL: stored()})
    result = run(client, content="hello", content_type="text/html", metadata={})
    assert result["changed"] is False
    assert client.calls == [("GET", URL, None)]


def test_changed_content_is_sent_base64_with_only_what_changed():
    client = FakeClient(resources={URL: stored()})
    result = run(client, content=u"héllo")
    assert result["changed"] is True
    assert client.writes() == [("PUT", URL, {"content": base64.b64encode(u"héllo".encode("utf-8")).decode()})]


def test_changed_src_file_is_sent(tmp_path):
    local = tmp_path / "page.html"
    local.write_bytes(b"new page")
    client = FakeClient(resources={URL: stored()})
    run(client, src=str(local))
    assert client.writes() == [("PUT", URL, {"content": base64.b64encode(b"new page").decode()})]


def test_a_stored_checksum_that_differs_from_the_upload_fails_loudly():
    class Corrupting(FakeClient):
        def update(self, path, key, body):
            return dict(super(Corrupting, self).update(path, key, body), checksum="sha256:00")

    with pytest.raises(Failed) as err:
        run(Corrupting(resources={URL: stored()}), content="other")
    assert err.value.result["changed"] is True
    assert "checksum sha256:00" in err.value.result["msg"]


def test_metadata_only_change_sends_no_content():
    client = FakeClient(resources={URL: stored(metadata={"a": "1", "b": "2"})})
    result = run(client, metadata={"c": "3"}, purge_metadata=False, diff=True)
    assert client.writes() == [("PUT", URL, {"metadata": {"a": "1", "b": "2", "c": "3"}})]
    assert result["diff"]["before"]["metadata"] == {"a": "1", "b": "2"}
    assert result["diff"]["after"]["metadata"] == {"a": "1", "b": "2", "c": "3"}


def test_check_mode_update_writes_nothing_and_predicts_the_diff():
    client = FakeClient(resources={URL: stored()})
    result = run(client, check_mode=True, diff=True, content="changed", metadata={"k": "v"})
    assert result["changed"] is True
    assert client.writes() == []
    assert result["diff"]["after"] == {"path": "site/index.html", "checksum": sha256_bytes(b"changed"),
                                       "content_type": "text/html", "metadata": {"k": "v"}}
    assert result["diff"]["before"]["checksum"] == sha256_bytes(b"hello")


def test_create_in_check_mode_predicts_the_default_content_type():
    client = FakeClient(resources={"/containers/%s" % CONTAINER_ID: {"id": CONTAINER_ID}})
    result = run(client, check_mode=True, diff=True, content="x")
    assert result["changed"] is True and result["object"] is None
    assert client.writes() == []
    assert result["diff"] == {"before": {}, "after": {
        "path": "site/index.html", "checksum": sha256_bytes(b"x"),
        "content_type": "application/octet-stream", "metadata": {}}}


def test_create_posts_path_content_and_options():
    client = FakeClient(resources={"/containers/%s" % CONTAINER_ID: {"id": CONTAINER_ID}})

    def create(path, key, body, lookup=None):
        client.calls.append(("POST", path, body))
        return dict(stored(b"x", "text/plain", {"k": "v"}), content=body["content"])

    client.create = create
    result = run(client, content="x", content_type="text/plain", metadata={"k": "v"})
    assert client.writes() == [("POST", "/containers/%s/objects" % CONTAINER_ID, {
        "path": "site/index.html", "content": "eA==", "content_type": "text/plain", "metadata": {"k": "v"}})]
    assert "content" not in result["object"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_without_src_or_content_a_missing_object_fails_unchanged_naming_src(check_mode):
    client = FakeClient(resources={"/containers/%s" % CONTAINER_ID: {"id": CONTAINER_ID}})
    with pytest.raises(Failed) as err:
        run(client, check_mode=check_mode, metadata={"a": "b"})
    assert err.value.result["msg"].startswith("src: there is no object 'site/index.html' in container %s, and "
                                              "without src or content it cannot be created; give src or content"
                                              % CONTAINER_ID), err.value.result["msg"]
    # Only reads were sent: nothing changed, whatever the mode.
    assert err.value.result["changed"] is False
    assert client.writes() == []


ORG_A, ORG_B = ORG_ID, OTHER_ORG_ID


@pytest.mark.parametrize("state, exists", [("absent", True), ("absent", False), ("present", True),
                                           ("present", False)])
def test_a_container_id_of_another_organization_fails_naming_organization_before_any_write(state, exists):
    resources = {"/containers/%s" % CONTAINER_ID: {"id": CONTAINER_ID, "organization": ORG_B}}
    if exists:
        resources[URL] = stored()
    client = FakeClient(resources=resources)
    content = "hello!" if state == "present" else None
    with pytest.raises(Failed) as err:
        run(client, state=state, organization=ORG_A, content=content)
    assert err.value.result["msg"] == "organization: container %s belongs to organization %s, not %s" % (
        CONTAINER_ID, ORG_B, ORG_A)
    assert err.value.result["changed"] is False and client.writes() == []
    if exists:
        # In the container's own organization, the object is deleted or updated as asked.
        result = run(client, state=state, organization=ORG_B, content=content)
        assert result["changed"] is True and len(client.writes()) == 1


def test_a_container_id_without_organization_costs_only_the_object_read():
    client = FakeClient(resources={URL: stored()})
    assert run(client, state="absent")["changed"] is True
    assert [call[:2] for call in client.calls] == [("GET", URL), ("DELETE", URL)]


@pytest.mark.parametrize("path", ["/a", "a//b", "a/../b", "a\tb"])
def test_invalid_path_sends_nothing(path):
    client = FakeClient()
    with pytest.raises(Failed) as err:
        run(client, path=path, content="x")
    assert err.value.result["msg"].startswith("path: ")
    assert client.calls == []


def test_missing_src_sends_nothing(tmp_path):
    client = FakeClient()
    with pytest.raises(Failed) as err:
        run(client, src=str(tmp_path / "nope"))
    assert err.value.result["msg"].startswith("src: ")
    assert client.calls == []


def test_absent_refuses_upload_options():
    with pytest.raises(Failed) as err:
        run(FakeClient(), state="absent", content="x")
    assert err.value.result["msg"] == "content: is not used with state=absent"


def test_absent_in_a_missing_container_is_already_done():
    client = FakeClient()
    result = run(client, state="absent")
    assert result["changed"] is False and client.writes() == []


def test_present_in_a_missing_container_names_container():
    with pytest.raises(Failed) as err:
        run(FakeClient(), content="x")
    assert err.value.result["msg"] == "container: no container with id %s is visible to this token" % CONTAINER_ID


def _with_content(data):
    return dict(stored(data), content=base64.b64encode(data).decode())


def test_download_skips_when_dest_has_the_same_checksum(tmp_path):
    dest = tmp_path / "index.html"
    dest.write_bytes(b"hello")
    client = FakeClient(resources={URL: stored()})
    result = run(client, dest=str(dest))
    assert result["changed"] is False
    assert client.calls == [("GET", URL, None)]


def test_download_writes_dest_and_reports_the_diff(tmp_path):
    dest = tmp_path / "index.html"
    dest.write_bytes(b"old")
    client = FakeClient(resources={URL: stored()})
    client.get = lambda path, key, params=None: _with_content(b"hello")
    result = run(client, dest=str(dest), diff=True)
    assert result["changed"] is True and dest.read_bytes() == b"hello"
    assert result["diff"] == {"before": {"dest": str(dest), "checksum": sha256_bytes(b"old")},
                              "after": {"dest": str(dest), "checksum": sha256_bytes(b"hello")}}
    assert "content" not in result["object"]
    assert list(tmp_path.iterdir()) == [dest]


def test_download_in_check_mode_writes_nothing(tmp_path):
    dest = tmp_path / "index.html"
    client = FakeClient(resources={URL: stored()})
    result = run(client, dest=str(dest), check_mode=True)
    assert result["changed"] is True and not dest.exists()
    assert client.calls == [("GET", URL, None)]


def test_download_refuses_content_that_does_not_match_its_checksum(tmp_path):
    dest = tmp_path / "index.html"
    client = FakeClient(resources={URL: stored()})
    client.get = lambda path, key, params=None: dict(stored(), content=base64.b64encode(b"tampered").decode())
    with pytest.raises(Failed) as err:
        run(client, dest=str(dest))
    assert "does not match its checksum" in err.value.result["msg"]
    assert err.value.result["changed"] is False
    assert list(tmp_path.iterdir()) == []


def _conflicting(client, existing):
    """Make the client's POST answer 400 conflict, as when another run created the object first."""

    def create(path, key, body, lookup=None):
        client.calls.append(("POST", path, body))
        client.resources[URL] = existing
        raise ScalewayAPIError("POST", path, "an object with this path already exists", status=400,
                               error_type="invalid_request_error", code="conflict", param="path")

    client.create = create


def test_an_object_created_meanwhile_with_the_same_content_is_left_alone():
    client = FakeClient(resources={"/containers/%s" % CONTAINER_ID: {"id": CONTAINER_ID}})
    _conflicting(client, stored(b"x", "application/octet-stream"))
    result = run(client, diff=True, content="x")
    assert [call[0] for call in client.writes()] == ["POST"]
    assert result["changed"] is False
    assert result["object"]["checksum"] == sha256_bytes(b"x")
    assert result["diff"]["before"] == result["diff"]["after"]


def test_an_object_created_meanwhile_with_other_content_is_replaced():
    client = FakeClient(resources={"/containers/%s" % CONTAINER_ID: {"id": CONTAINER_ID}})
    _conflicting(client, stored(b"theirs", "text/html"))
    result = run(client, diff=True, content="ours", content_type="text/html")
    assert [call[0] for call in client.writes()] == ["POST", "PUT"]
    assert client.writes()[1][2] == {"content": base64.b64encode(b"ours").decode("ascii")}
    assert result["changed"] is True
    assert result["object"]["checksum"] == sha256_bytes(b"ours")
    assert result["diff"]["before"]["checksum"] == sha256_bytes(b"theirs")
    assert result["diff"]["after"]["checksum"] == sha256_bytes(b"ours")


def test_another_post_error_is_not_taken_for_a_conflict():
    client = FakeClient(resources={"/containers/%s" % CONTAINER_ID: {"id": CONTAINER_ID}})

    def create(path, key, body, lookup=None):
        raise ScalewayAPIError("POST", path, "bad content", status=400, code=None, param="content")

    client.create = create
    instance = make(module.ScalewayContainerObject, params(content="x"), client)
    with pytest.raises(Failed) as err:
        instance.perform()
    assert err.value.result["api_error"]["param"] == "content" and "bad content" in err.value.result["msg"]
