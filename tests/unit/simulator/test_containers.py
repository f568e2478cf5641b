"""Containers and the objects in them."""

import base64
import hashlib

import pytest

from sim_helpers import error_of, quote_path

MIB = 1024 * 1024


def _b64(data):
    return base64.b64encode(data).decode("ascii")


@pytest.fixture(name="container")
def fixture_container(api):
    return api.create("containers", {"name": "assets"}, "container")


def test_container_crud_and_unique_names(api, container):
    assert (container["objects_count"], container["size"]) == (0, 0)
    assert api.ok("GET", f"/containers/{container['id']}")["container"] == container
    error_of(api.post("/containers", {"name": "assets"}), 400, "conflict", "name")
    other = api.create("containers", {"name": "logs"}, "container")
    error_of(api.put(f"/containers/{other['id']}", {"name": "assets"}), 400, "conflict", "name")
    renamed = api.ok("PUT", f"/containers/{other['id']}", {"name": "archive"})["container"]
    assert renamed["name"] == "archive"
    # The old name is free again.
    api.create("containers", {"name": "logs"}, "container")
    assert [c["name"] for c in api.ok("GET", "/containers?name=archive")["containers"]] == ["archive"]
    error_of(api.put(f"/containers/{other['id']}", {"objects_count": 1}), 400, param="objects_count")
    api.ok("DELETE", f"/containers/{other['id']}", status=204)
    error_of(api.get(f"/containers/{other['id']}"), 404, "unknown_resource")


def test_object_create_get_with_and_without_content(api, container):
    data = b"hello world\n"
    base = f"/containers/{container['id']}/objects"
    created = api.ok("POST", base, {"path": "a/b c.txt", "content": _b64(data), "metadata": {"owner": "ops"}}, 201)["object"]
    assert created["path"] == "a/b c.txt" and created["container"] == container["id"]
    assert created["size"] == len(data) and created["checksum"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert created["content_type"] == "application/octet-stream" and created["metadata"] == {"owner": "ops"}
    assert "content" not in created
    url = f"{base}/{quote_path('a/b c.txt')}"
    assert url.endswith("/objects/a/b%20c.txt")
    assert "content" not in api.ok("GET", url)["object"]
    assert api.ok("GET", url + "?include_content=false")["object"] == created
    assert base64.b64decode(api.ok("GET", url + "?include_content=true")["object"]["content"]) == data
    error_of(api.get(url + "?include_content=yes"), 400, param="include_content")
    summary = api.ok("GET", f"/containers/{container['id']}")["container"]
    assert (summary["objects_count"], summary["size"]) == (1, len(data))


def test_object_update_and_delete(api, container):
    base = f"/containers/{container['id']}/objects"
    api.ok("POST", base, {"path": "x.bin", "content": _b64(b"12345")}, 201)
    api.ok("POST", base, {"path": "empty"}, 201)
    updated = api.ok("PUT", f"{base}/x.bin", {"content": _b64(b"12"), "content_type": "text/plain", "metadata": {"a": "1"}})["object"]
    assert (updated["size"], updated["content_type"], updated["metadata"]) == (2, "text/plain", {"a": "1"})
    assert updated["checksum"] == "sha256:" + hashlib.sha256(b"12").hexdigest()
    assert api.ok("PUT", f"{base}/x.bin", {"metadata": {}})["object"]["metadata"] == {}
    assert api.ok("GET", f"/containers/{container['id']}")["container"]["size"] == 2
    error_of(api.put(f"{base}/x.bin", {"path": "y.bin"}), 400, param="path")
    assert api.put(f"{base}/x.bin", {"path": "x.bin"}).status == 200
    error_of(api.put(f"{base}/x.bin", {"size": 2}), 400, param="size")
    error_of(api.delete(f"/containers/{container['id']}"), 402, "not_empty")
    api.ok("DELETE", f"{base}/x.bin", status=204)
    api.ok("DELETE", f"{base}/empty", status=204)
    error_of(api.get(f"{base}/x.bin"), 404, "unknown_resource")
    assert api.ok("GET", f"/containers/{container['id']}")["container"]["size"] == 0
    api.ok("DELETE", f"/containers/{container['id']}", status=204)


def test_object_body_validation(api, container):
    base = f"/containers/{container['id']}/objects"
    api.ok("POST", base, {"path": "taken"}, 201)
    error_of(api.post(base, {"path": "taken"}), 400, "conflict", "path")
    error_of(api.post(base, {"path": "p", "content": "not base64!"}), 400, param="content")
    error_of(api.post(base, {"path": "p", "metadata": {"a": 1}}), 400, param="metadata")
    error_of(api.post(base, {"path": "p", "checksum": "sha256:0"}), 400, param="checksum")
    error_of(api.post(base, {"content": ""}), 400, param="path")
    error_of(api.post("/containers/nope/objects", {"path": "p"}), 404, "unknown_resource")


@pytest.mark.parametrize("path", ["", "/abs", "a//b", "a/./b", "a/../b", "..", "dir/", "tab\there", "del\x7f", "x" * 1025, "é" * 513])
def test_bad_object_paths_are_400_in_body_and_url(api, container, path):
    base = f"/containers/{container['id']}/objects"
    error_of(api.post(base, {"path": path}), 400, param="path")
    if path:
        error_of(api.get(f"{base}/{quote_path(path)}"), 400, param="path")


def test_longest_path_and_non_ascii_paths_work(api, container):
    base = f"/containers/{container['id']}/objects"
    for path in ("x" * 1024, "é" * 512, "dir/ünïcode ? # %.txt"):
        api.ok("POST", base, {"path": path}, 201)
        assert api.ok("GET", f"{base}/{quote_path(path)}")["object"]["path"] == path
    error_of(api.get(f"{base}/%FF"), 400, param="path")


def test_largest_object_is_accepted_and_one_byte_more_refused(api, container):
    base = f"/containers/{container['id']}/objects"
    # Zero bytes encode as "AAAA" per 3 bytes: big bodies without spending the test's time encoding them.
    largest = "AAAA" * (32 * MIB // 3) + "AAA="
    created = api.ok("POST", base, {"path": "big", "content": largest}, 201)["object"]
    assert created["size"] == 32 * MIB and created["checksum"] == "sha256:" + hashlib.sha256(bytes(32 * MIB)).hexdigest()
    one_more = "AAAA" * ((32 * MIB + 1) // 3)
    error_of(api.post(base, {"path": "bigger", "content": one_more}), 400, param="content")
    error_of(api.post(base, {"path": "bigger", "content": one_more + "AAAA"}), 400, param="content")


def test_object_list_is_paginated_by_10(api, container):
    base = f"/containers/{container['id']}/objects"
    for index in range(12):
        api.ok("POST", base, {"path": f"o{index:02d}"}, 201)
    answer = api.get(base)
    assert [o["path"] for o in answer.json()["objects"]] == [f"o{index:02d}" for index in range(10)]
    assert answer.headers["X-Total-Count"] == "12"
    assert [o["path"] for o in api.ok("GET", base + "?page=2")["objects"]] == ["o10", "o11"]
