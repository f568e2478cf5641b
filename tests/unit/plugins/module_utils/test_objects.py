# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib
import os
import re

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import ScalewayClient
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayInputError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.objects import (
    MAX_OBJECT_SIZE,
    StoredMismatch,
    check_metadata,
    check_object_path,
    container_and_object,
    existing_file_checksum,
    find_container,
    find_or_create_container,
    list_objects,
    listed_object_urls,
    local_file_checksum,
    object_changes,
    object_url,
    object_view,
    require_container,
    same_checksum,
    sha256_bytes,
    sha256_file,
    store_object,
)
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.fakes import (
    CONTAINER_ID,
    ORG_ID,
    OTHER_ORG_ID,
    FakeClient,
)
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.modules.simulator_fixture import (
    LOST_KINDS,
    TOKEN,
    SimulatorUnderTest,
)


class Owner:
    """What find_container needs of a ScalewayModule: its client (and, to create, where copies are reported)."""

    def __init__(self, client):
        self.client = client
        self.reports = []

    def report_copies(self, message, ids):
        self.reports.append((message, ids))


def test_checksum_of_a_file_equals_checksum_of_its_bytes(tmp_path):
    data = os.urandom(3 * 1024 * 1024 + 17)  # more than one read chunk, not a multiple of it
    target = tmp_path / "blob"
    target.write_bytes(data)
    expected = "sha256:" + hashlib.sha256(data).hexdigest()
    assert sha256_bytes(data) == expected
    assert sha256_file(str(target)) == expected
    assert local_file_checksum(str(target)) == expected


def test_same_checksum_ignores_case_and_never_matches_nothing():
    assert same_checksum("sha256:ABC", "sha256:abc")
    assert not same_checksum(None, None)
    assert not same_checksum("sha256:abc", None)
    assert not same_checksum("sha256:abc", "sha256:abd")


def test_object_url_quotes_each_segment_and_keeps_slashes():
    assert object_url(CONTAINER_ID, u"dossier/été/a b.txt") == (
        "/containers/%s/objects/dossier/%%C3%%A9t%%C3%%A9/a%%20b.txt" % CONTAINER_ID)
    assert object_url(CONTAINER_ID, "a?b#c%d") == "/containers/%s/objects/a%%3Fb%%23c%%25d" % CONTAINER_ID


@pytest.mark.parametrize("path", ["/a", "a//b", "a/../b", "a/./b", "a\nb", "a\x00", "", "x" * 1025])
def test_invalid_paths_name_the_option(path):
    with pytest.raises(ScalewayInputError) as err:
        check_object_path(path)
    assert err.value.option == "path"
    assert str(err.value).startswith("path: ")


def test_file_at_the_cap_is_accepted_and_one_byte_more_is_refused(tmp_path):
    at_cap = tmp_path / "at-cap"
    with open(str(at_cap), "wb") as handle:
        handle.truncate(MAX_OBJECT_SIZE)
    assert local_file_checksum(str(at_cap)).startswith("sha256:")
    over = tmp_path / "over"
    with open(str(over), "wb") as handle:
        handle.truncate(MAX_OBJECT_SIZE + 1)
    with pytest.raises(ScalewayInputError) as err:
        local_file_checksum(str(over), "src")
    assert str(err.value) == "src: is 33554433 bytes, more than the API's limit of 33554432 bytes (32 MiB) for one object"


def test_unusable_sources_name_src(tmp_path):
    with pytest.raises(ScalewayInputError, match="^src: .* does not exist"):
        local_file_checksum(str(tmp_path / "missing"))
    with pytest.raises(ScalewayInputError, match="^src: .* is a directory"):
        local_file_checksum(str(tmp_path))


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_unreadable_source_names_src(tmp_path):
    secret = tmp_path / "secret"
    secret.write_bytes(b"x")
    secret.chmod(0)
    with pytest.raises(ScalewayInputError, match="^src: cannot read"):
        local_file_checksum(str(secret))


def test_existing_file_checksum(tmp_path):
    assert existing_file_checksum(str(tmp_path / "new.txt")) is None
    present = tmp_path / "old.txt"
    present.write_bytes(b"hello")
    assert existing_file_checksum(str(present)) == sha256_bytes(b"hello")
    with pytest.raises(ScalewayInputError, match="^dest: .* is a directory"):
        existing_file_checksum(str(tmp_path))
    with pytest.raises(ScalewayInputError, match="^dest: the directory .* does not exist"):
        existing_file_checksum(str(tmp_path / "nowhere" / "file"))


def test_metadata_values_must_be_strings():
    assert check_metadata(None) is None
    assert check_metadata({"a": "1"}) == {"a": "1"}
    with pytest.raises(ScalewayInputError) as err:
        check_metadata({"version": 2})
    assert str(err.value) == "metadata: the value of 'version' must be a string, got int 2; quote it in YAML"


def test_object_view_never_carries_content():
    assert object_view({"path": "a", "content": "aGk="}) == {"path": "a"}
    assert object_view(None) is None


def test_list_objects_filters_by_prefix_and_drops_content():
    client = FakeClient(lists={"/containers/%s/objects" % CONTAINER_ID: [
        {"path": "logs/a", "content": "eA=="}, {"path": "logs2/b"}, {"path": "img/c"}]})
    assert list_objects(client, CONTAINER_ID, prefix="logs/") == [{"path": "logs/a"}]
    assert [o["path"] for o in list_objects(client, CONTAINER_ID)] == ["logs/a", "logs2/b", "img/c"]


@pytest.mark.parametrize("path", [None, 7, ["logs/a"]])
def test_list_objects_with_a_prefix_refuses_a_listed_path_that_is_not_a_string(path):
    client = FakeClient(lists={"/containers/%s/objects" % CONTAINER_ID: [{"path": "logs/a"}, {"path": path}]})
    with pytest.raises(ScalewayInputError) as caught:
        list_objects(client, CONTAINER_ID, prefix="logs/")
    assert caught.value.option == "objects[].path"
    assert "must be a non-empty string" in str(caught.value) and CONTAINER_ID in str(caught.value)


def _containers(*items):
    return FakeClient(lists={"/containers": list(items)})


def test_find_container_by_name_passes_filters_and_matches_exactly():
    client = _containers({"id": "1", "name": "web", "organization": ORG_ID},
                         {"id": "2", "name": "web-old", "organization": ORG_ID})
    assert find_container(Owner(client), "web", ORG_ID)["id"] == "1"
    assert client.calls == [("GET", "/containers", {"name": "web", "organization": ORG_ID})]


def test_find_container_in_two_organizations_lists_both_ids():
    client = _containers({"id": "1", "name": "web", "organization": ORG_ID},
                         {"id": "2", "name": "web", "organization": OTHER_ORG_ID})
    with pytest.raises(ScalewayInputError) as err:
        find_container(Owner(client), "web", option="container")
    message = str(err.value)
    assert message.startswith("container: 2 containers in different organizations are named 'web'")
    assert "id 1 in organization %s" % ORG_ID in message and "id 2 in organization %s" % OTHER_ORG_ID in message
    assert "set organization" in message


def test_find_container_by_id_is_one_get():
    client = FakeClient(resources={"/containers/%s" % CONTAINER_ID: {"id": CONTAINER_ID}})
    assert find_container(Owner(client), CONTAINER_ID)["id"] == CONTAINER_ID
    assert client.calls == [("GET", "/containers/%s" % CONTAINER_ID, None)]


def test_find_container_by_upper_case_id_gets_it_in_lower_case_and_checks_its_organization():
    client = FakeClient(resources={"/containers/%s" % CONTAINER_ID: {"id": CONTAINER_ID, "organization": ORG_ID}})
    assert find_container(Owner(client), CONTAINER_ID.upper(), ORG_ID.upper())["id"] == CONTAINER_ID
    with pytest.raises(ScalewayInputError) as err:
        find_container(Owner(client), CONTAINER_ID, OTHER_ORG_ID)
    assert str(err.value) == "organization: container %s belongs to organization %s, not %s" % (
        CONTAINER_ID, ORG_ID, OTHER_ORG_ID)
    assert client.calls == [("GET", "/containers/%s" % CONTAINER_ID, None)] * 2


def test_require_container_names_the_option_and_the_organization():
    with pytest.raises(ScalewayInputError) as err:
        require_container(Owner(_containers()), "web", ORG_ID)
    assert str(err.value) == ("container: no container named 'web' in organization %s is visible to this token"
                              % ORG_ID)


def test_object_in_a_container_given_by_id_costs_one_get():
    url = object_url(CONTAINER_ID, "a b")
    client = FakeClient(resources={url: {"path": "a b"}})
    assert container_and_object(Owner(client), CONTAINER_ID, "a b") == (CONTAINER_ID, {"path": "a b"})
    assert client.calls == [("GET", url, None)]


def test_missing_object_in_a_container_given_by_id_checks_the_container():
    client = FakeClient()
    assert container_and_object(Owner(client), CONTAINER_ID, "a") == (None, None)
    assert [call[1] for call in client.calls] == [object_url(CONTAINER_ID, "a"), "/containers/%s" % CONTAINER_ID]


def test_object_in_a_container_given_by_name():
    client = FakeClient(lists={"/containers": [{"id": CONTAINER_ID, "name": "web", "organization": ORG_ID}]})
    assert container_and_object(Owner(client), "web", "a") == (CONTAINER_ID, None)
    assert [call[1] for call in client.calls] == ["/containers", object_url(CONTAINER_ID, "a")]


# -- concurrent writers, against the simulator ---------------------------------------------------

@pytest.fixture(name="sim")
def fixture_sim():
    running = SimulatorUnderTest()
    yield running
    running.shutdown()


def _client(sim):
    return ScalewayClient(api_url=sim.url, api_token=TOKEN, retries=2, sleep=lambda seconds: None)


def _writes(sim):
    return [(method, path) for method, path, _status, _lost in sim.requests() if method != "GET"]


def test_object_changes_compares_only_what_is_given():
    obj = {"checksum": "sha256:AB", "content_type": "text/html", "metadata": {}}
    assert object_changes(obj, "sha256:ab", "text/html", {}) == {}
    assert object_changes(obj) == {}
    assert object_changes(obj, "sha256:cd", None, None) == {"checksum": "sha256:cd"}
    assert object_changes(obj, None, "text/css", {"a": "1"}) == {"content_type": "text/css", "metadata": {"a": "1"}}
    assert object_changes({"checksum": "sha256:ab"}, None, None, {}) == {}


def test_find_or_create_container_creates_once_then_finds(sim):
    owner = Owner(_client(sim))
    created, fresh = find_or_create_container(owner, "race")
    assert fresh is True and created["name"] == "race"
    found, fresh = find_or_create_container(owner, "race")
    assert fresh is False and found["id"] == created["id"]
    assert len(sim.named("/containers", "containers", "race")) == 1


def test_find_or_create_container_writes_nothing_in_check_mode(sim):
    sim.forget_requests()
    assert find_or_create_container(Owner(_client(sim)), "later", check_mode=True) == (None, True)
    assert _writes(sim) == []


def test_find_or_create_container_refuses_an_unknown_id(sim):
    with pytest.raises(ScalewayInputError, match="no container with id"):
        find_or_create_container(Owner(_client(sim)), CONTAINER_ID)
    assert _writes(sim) == []


def test_a_container_created_meanwhile_is_adopted(sim):
    owner = Owner(_client(sim))
    theirs = sim.create("/containers", "container", {"name": "race"})
    calls = []
    real_find = find_container

    def late_find(scw, value, organization_id=None, option="container"):
        # The first lookup runs before the other run's create: it sees nothing.
        calls.append(value)
        return None if len(calls) == 1 else real_find(scw, value, organization_id, option)

    import ansible_collections.scaleway_v1.cloud.plugins.module_utils.objects as objects_module
    saved = objects_module.find_container
    objects_module.find_container = late_find
    try:
        found, created = find_or_create_container(owner, "race")
    finally:
        objects_module.find_container = saved
    assert created is False and found["id"] == theirs["id"]
    assert len(sim.named("/containers", "containers", "race")) == 1


def test_store_object_creates_then_does_nothing(sim):
    client = _client(sim)
    container = sim.create("/containers", "container", {"name": "files"})
    stored, written = store_object(client, container["id"], "a b/é.txt", b"one", "text/plain", {"k": "v"})
    assert written is True
    assert stored["checksum"] == sha256_bytes(b"one") and stored["metadata"] == {"k": "v"}
    sim.forget_requests()
    again, written = store_object(client, container["id"], "a b/é.txt", b"one", "text/plain", {"k": "v"}, current=stored)
    assert written is False and again == stored
    assert sim.requests() == []


def test_store_object_on_a_path_taken_meanwhile_compares_then_puts_only_what_differs(sim):
    client = _client(sim)
    container = sim.create("/containers", "container", {"name": "files"})
    objects = "/containers/%s/objects" % container["id"]
    sim.create(objects, "object", {"path": "same.txt", "content": base64.b64encode(b"data").decode(),
                                   "content_type": "text/plain"})
    sim.create(objects, "object", {"path": "other.txt", "content": base64.b64encode(b"theirs").decode(),
                                   "content_type": "text/plain"})
    sim.forget_requests()
    # Believed absent (listed before the other run wrote it): the POST meets a conflict.
    same, written = store_object(client, container["id"], "same.txt", b"data", "text/plain")
    assert written is False and same["checksum"] == sha256_bytes(b"data")
    other, written = store_object(client, container["id"], "other.txt", b"ours", "text/plain")
    assert written is True and other["checksum"] == sha256_bytes(b"ours")
    assert _writes(sim) == [("POST", objects), ("POST", objects), ("PUT", objects + "/other.txt")]


def test_store_object_recreates_an_object_deleted_meanwhile(sim):
    client = _client(sim)
    container = sim.create("/containers", "container", {"name": "files"})
    listed = {"path": "gone.txt", "checksum": sha256_bytes(b"old"), "content_type": "text/plain", "metadata": {}}
    sim.forget_requests()
    stored, written = store_object(client, container["id"], "gone.txt", b"new", "text/plain", current=listed)
    assert written is True and stored["checksum"] == sha256_bytes(b"new")
    objects = "/containers/%s/objects" % container["id"]
    assert _writes(sim) == [("PUT", objects + "/gone.txt"), ("POST", objects)]


@pytest.mark.parametrize("kind", LOST_KINDS)
def test_store_object_with_a_lost_answer_makes_one_object(sim, kind):
    client = _client(sim)
    container = sim.create("/containers", "container", {"name": "files"})
    objects = "/containers/%s/objects" % container["id"]
    sim.aim("POST", re.escape(objects), kind)
    stored, written = store_object(client, container["id"], "lost.txt", b"data", "text/plain")
    assert written is True and stored["checksum"] == sha256_bytes(b"data")
    assert [item["path"] for item in sim.every(objects, "objects")] == ["lost.txt"]
    assert sim.lost_writes() == [("POST", objects)]


def test_store_object_refuses_an_answer_with_another_checksum():
    class Liar(FakeClient):
        def create(self, path, key, body, lookup=None):
            self.calls.append(("POST", path, body))
            return dict(body, checksum=sha256_bytes(b"something else"))

        def update(self, path, key, body):
            self.calls.append(("PUT", path, body))
            return dict(body, checksum=sha256_bytes(b"something else"))

    with pytest.raises(StoredMismatch, match="with checksum"):
        store_object(Liar(), CONTAINER_ID, "a.txt", b"data")


def test_listed_paths_become_urls_in_order():
    assert listed_object_urls(CONTAINER_ID, [u"www/a b/\u00e9.txt", "a"]) == [
        "/containers/%s/objects/www/a%%20b/%%C3%%A9.txt" % CONTAINER_ID, "/containers/%s/objects/a" % CONTAINER_ID]


@pytest.mark.parametrize("path, problem", [
    ("www/../../servers/x", "must not contain an empty, '.' or '..' segment"),
    ("/servers/x", "must not start with '/'"),
    ("x\n", "must not contain control characters"),
    (None, "must be a non-empty string"),
])
def test_one_listed_path_that_breaks_the_rule_refuses_them_all(path, problem):
    with pytest.raises(ScalewayInputError) as err:
        listed_object_urls(CONTAINER_ID, ["a", path])
    assert err.value.option == "objects[].path"
    assert str(err.value).startswith("objects[].path: %r %s, listed by the API in container %s; "
                                     % (path, problem, CONTAINER_ID)), str(err.value)
    assert "check api_url" in str(err.value)
