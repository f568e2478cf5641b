# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""scaleway_container_sync run in-process against the API simulator: what it writes, and when it refuses."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import os
import re

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.paths import object_path
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.objects import MAX_OBJECT_SIZE, sha256_bytes
from ansible_collections.scaleway_v1.cloud.plugins.modules import scaleway_container_sync as module
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.modules.simulator_fixture import (  # also puts scaleway_sim on sys.path
    LOST_KINDS,
    TOKEN,
    SimulatorUnderTest,
    refused,
    run_module,
)

from scaleway_sim.faults import Decision

CONTAINER = "sync-unit"


@pytest.fixture(name="sim")
def fixture_sim():
    running = SimulatorUnderTest()
    yield running
    running.shutdown()


def write_tree(root, files):
    for relative, data in files.items():
        target = root.joinpath(*relative.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def sync(sim, tree, **args):
    """Run the module on the directory ``tree`` (``src`` in ``args`` wins) into CONTAINER unless told otherwise."""
    args.setdefault("container", CONTAINER)
    args.setdefault("src", str(tree))
    return run_module(module, sim.module_args(**args))


def writes(sim):
    return [(method, path) for method, path, _status, _lost in sim.requests() if method != "GET"]


def objects(sim):
    container = sim.named("/containers", "containers", CONTAINER)[0]
    return dict((item["path"], item) for item in sim.every("/containers/%s/objects" % container["id"], "objects"))


SITE = {"index.html": "<h1>hi</h1>", "css/site.css": "body{}", "notes été/a b.txt": "naïve", "img/logo.svg": "<svg/>"}


# -- helpers --------------------------------------------------------------------------------

@pytest.mark.parametrize("path, patterns, expected", [
    ("a/b/c.html", ["*.html"], True),
    ("c.html", ["*.html"], True),
    ("drafts/x.html", ["drafts/*"], True),
    ("other/drafts/x.html", ["drafts/*"], False),
    ("css/a/b.css", ["css/*.css"], True),
    ("index.HTML", ["*.html"], False),
    ("index.html", [], False),
])
def test_patterns_match_the_relative_path_or_without_a_slash_the_name(path, patterns, expected):
    assert module.matches(path, patterns) is expected


@pytest.mark.parametrize("name, expected", [
    ("index.html", "text/html"),
    ("site.css", "text/css"),
    ("logo.png", "image/png"),
    ("site.tar.gz", "application/gzip"),
    ("README", "application/octet-stream"),
    ("data.unknownextension", "application/octet-stream"),
])
def test_content_types_are_guessed_from_python_s_own_table(name, expected):
    assert module.guess_content_type(name) == expected


# -- runs -----------------------------------------------------------------------------------

def test_cold_then_no_change_then_exactly_the_changed_writes(sim, tmp_path):
    write_tree(tmp_path, SITE)
    failed, result = sync(sim, tmp_path)
    assert not failed, result
    assert result["changed"] is True
    assert result["uploaded"] == sorted(SITE)
    assert result["container"]["name"] == CONTAINER
    stored = objects(sim)
    assert sorted(stored) == sorted(SITE)
    assert stored["notes été/a b.txt"]["checksum"] == sha256_bytes(SITE["notes été/a b.txt"].encode("utf-8"))
    assert stored["index.html"]["content_type"] == "text/html"
    assert stored["img/logo.svg"]["content_type"] == "image/svg+xml"

    sim.forget_requests()
    failed, result = sync(sim, tmp_path)
    assert not failed and result["changed"] is False
    assert result["unchanged"] == sorted(SITE) and result["uploaded"] == []
    assert [(method, path.split("?")[0]) for method, path, _s, _l in sim.requests()] == [
        ("GET", "/containers"), ("GET", "/containers/%s/objects" % result["container"]["id"])]

    # Same size, other content: only the checksum tells.
    write_tree(tmp_path, {"index.html": "<h1>HI</h1>", "css/site.css": "body{margin:0}"})
    os.remove(str(tmp_path / "img" / "logo.svg"))
    sim.forget_requests()
    failed, result = sync(sim, tmp_path, delete=True)
    assert not failed, result
    assert result["uploaded"] == ["css/site.css", "index.html"]
    assert result["deleted"] == ["img/logo.svg"] and result["extra"] == ["img/logo.svg"]
    base = "/containers/%s/objects/" % result["container"]["id"]
    assert sorted(writes(sim)) == [("DELETE", base + "img/logo.svg"), ("PUT", base + "css/site.css"),
                                   ("PUT", base + "index.html")]


def test_check_mode_and_diff_write_nothing(sim, tmp_path):
    write_tree(tmp_path, SITE)
    sync(sim, tmp_path)
    write_tree(tmp_path, {"index.html": "<h1>changed</h1>", "new.txt": "new"})
    os.remove(str(tmp_path / "css" / "site.css"))
    sim.forget_requests()
    failed, result = sync(sim, tmp_path, delete=True, _ansible_check_mode=True, _ansible_diff=True)
    assert not failed, result
    assert writes(sim) == []
    assert result["changed"] is True
    assert result["uploaded"] == ["index.html", "new.txt"] and result["deleted"] == ["css/site.css"]
    assert sorted(result["diff"]["before"]) == ["css/site.css", "index.html"]
    assert sorted(result["diff"]["after"]) == ["index.html", "new.txt"]
    assert result["diff"]["after"]["new.txt"] == {"size": 3, "checksum": sha256_bytes(b"new"), "content_type": "text/plain"}


def test_check_mode_with_a_missing_container_plans_every_file(sim, tmp_path):
    write_tree(tmp_path, SITE)
    failed, result = sync(sim, tmp_path, _ansible_check_mode=True)
    assert not failed and result["changed"] is True
    assert result["container"] is None
    assert result["uploaded"] == sorted(SITE)
    assert writes(sim) == []


def test_prefix_hidden_include_exclude_and_links(sim, tmp_path):
    write_tree(tmp_path, dict(SITE, **{".env": "x", ".git/config": "y", "a.swp": "z"}))
    os.symlink("index.html", str(tmp_path / "link.html"))
    os.symlink("css", str(tmp_path / "linked"))
    os.mkfifo(str(tmp_path / "pipe"))
    failed, result = sync(sim, tmp_path, prefix="/www/", exclude=["*.swp", "notes*/*"])
    assert not failed, result
    assert result["uploaded"] == ["www/css/site.css", "www/img/logo.svg", "www/index.html"]
    failed, result = sync(sim, tmp_path, prefix="www", include=["*.css", ".*"], hidden=True, delete=True)
    assert not failed, result
    # ".*" matches ".git/config" too: "*" matches "/" in a pattern.
    assert result["uploaded"] == ["www/.env", "www/.git/config"]
    assert result["unchanged"] == ["www/css/site.css"]
    assert result["deleted"] == ["www/img/logo.svg", "www/index.html"]


def test_content_types_and_metadata_are_managed_without_resending_content(sim, tmp_path):
    write_tree(tmp_path, {"index.html": "<p>", "notes.txt": "n"})
    sync(sim, tmp_path)
    sim.forget_requests()
    failed, result = sync(sim, tmp_path, content_types={".HTML": "text/html; charset=utf-8"},
                          content_type="text/x-other", metadata={"owner": "web"})
    assert not failed, result
    assert result["uploaded"] == ["index.html", "notes.txt"]
    assert [method for method, _path in writes(sim)] == ["PUT", "PUT"]
    stored = objects(sim)
    assert stored["index.html"]["content_type"] == "text/html; charset=utf-8"
    assert stored["notes.txt"]["content_type"] == "text/x-other"
    assert stored["notes.txt"]["metadata"] == {"owner": "web"}


@pytest.mark.parametrize("kind", LOST_KINDS)
def test_lost_answers_make_one_object_each(sim, tmp_path, kind):
    write_tree(tmp_path, SITE)
    sim.create("/containers", "container", {"name": CONTAINER})
    sim.aim("POST", r"/containers/[^/]+/objects", kind, times=2)
    failed, result = sync(sim, tmp_path, max_parallel=2)
    assert not failed, result
    assert sorted(objects(sim)) == sorted(SITE)
    assert len(sim.lost_writes()) == 2


class FirstPasses:
    """An aim of the simulator fixture that lets the first matching request through untouched."""

    def __init__(self, method, pattern):
        self.method = method
        self.pattern = re.compile(pattern)
        self.passed = False

    def take(self, method, path):
        if not self.passed and method == self.method and self.pattern.fullmatch(path):
            self.passed = True
            return Decision()
        return None


def test_a_failed_write_names_the_file_and_request_and_reports_what_was_written(sim, tmp_path):
    write_tree(tmp_path, {"a.txt": "a", "b.txt": "b", "c.txt": "c"})
    sim.create("/containers", "container", {"name": CONTAINER})
    sim.forget_requests()
    sim.aim("POST", r"/containers/[^/]+/objects", refused(503), times=None)
    # The first upload passes, every later one gets a 503.
    sim._aims.insert(0, FirstPasses("POST", r"/containers/[^/]+/objects"))
    failed, result = sync(sim, tmp_path, max_parallel=1, api_retries=0)
    assert failed
    assert result["msg"].startswith("uploading the file %s to the object 'b.txt' failed: POST /containers/"
                                    % os.path.join(str(tmp_path), "b.txt"))
    assert "HTTP 503" in result["msg"] and "1 writes were not started" in result["msg"]
    assert result["api_error"]["status"] == 503
    assert result["uploaded"] == ["a.txt"] and result["changed"] is True
    assert TOKEN not in repr(result)


@pytest.mark.parametrize("args, message", [
    ({"src": "relative"}, "src: relative is not an absolute path"),
    ({"content_type": ""}, "content_type: must not be empty"),
    ({"content_type": "x" * 256}, "content_type: is 256 characters long"),
    ({"content_types": {"txt": 1}}, "content_types['txt']: must be a string"),
    ({"metadata": {"n": 1}}, "metadata: the value of 'n' must be a string"),
    ({"max_parallel": 0}, "max_parallel: must be at least 1"),
    ({"max_parallel": 65}, "max_parallel: must be at most 64"),
    ({"prefix": "a//b"}, "prefix: 'a//b' must not contain an empty"),
    ({"container": ""}, "container: must not be empty"),
])
def test_bad_options_fail_before_any_request(sim, tmp_path, args, message):
    write_tree(tmp_path, SITE)
    sim.forget_requests()
    failed, result = sync(sim, tmp_path, **args)
    assert failed and result["msg"].startswith(message), result["msg"]
    assert sim.requests() == []


def test_bad_files_fail_before_any_request_naming_the_file(sim, tmp_path):
    write_tree(tmp_path, SITE)
    big = tmp_path / "big.bin"
    with open(str(big), "wb") as handle:
        handle.truncate(MAX_OBJECT_SIZE + 1)
    sim.forget_requests()
    failed, result = sync(sim, tmp_path)
    assert failed and result["msg"].startswith("src: the file %s is 33554433 bytes" % big)
    os.remove(str(big))
    write_tree(tmp_path, {"tab\there.txt": "x"})
    failed, result = sync(sim, tmp_path)
    assert failed and "would be the object 'tab\\there.txt'" in result["msg"]
    failed, result = sync(sim, tmp_path / "index.html")
    assert failed and result["msg"].endswith("is not a directory")
    failed, result = sync(sim, tmp_path / "missing")
    assert failed and result["msg"].endswith("does not exist")
    assert sim.requests() == []


def test_an_upload_holds_the_file_as_read_and_checks_the_stored_checksum(sim, tmp_path):
    write_tree(tmp_path, {"a.bin": bytes(bytearray(range(256))) * 50})
    failed, result = sync(sim, tmp_path)
    assert not failed, result
    container = sim.named("/containers", "containers", CONTAINER)[0]
    stored = sim.get("/containers/%s/objects/%s?include_content=true" % (container["id"], object_path("a.bin", "path")),
                     "object")
    assert base64.b64decode(stored["content"]) == bytes(bytearray(range(256))) * 50
