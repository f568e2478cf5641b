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
    assert result["created"] == sorted(SITE) and result["updated"] == []
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
    assert result["updated"] == ["css/site.css", "index.html"] and result["created"] == []
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
    assert result["created"] == ["new.txt"] and result["updated"] == ["index.html"]
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
    # The filters cover the container's side too: what include leaves out is outside the task, never deleted.
    assert result["deleted"] == [] and result["extra"] == []
    assert sorted(objects(sim)) == ["www/.env", "www/.git/config", "www/css/site.css", "www/img/logo.svg",
                                    "www/index.html"]


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
    ({"max_deletions": -1}, "max_deletions: must be a number of objects (0 or more), a share"),
    ({"max_deletions": "101%"}, "max_deletions: must be"),
    ({"max_deletions": "some"}, "max_deletions: must be"),
    ({"max_deletions": "\u00b2"}, "max_deletions: must be"),
    ({"max_deletions": "\u00b2%"}, "max_deletions: must be"),
    ({"max_deletions": "\u0663"}, "max_deletions: must be"),
    ({"max_deletions": True}, "max_deletions: must be"),
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


# -- what a run may delete ------------------------------------------------------------------

def plant(sim, path):
    """Put an object the API could never have accepted into CONTAINER, as a hostile API would list it."""
    from scaleway_sim.objects import StoredObject

    store, organization = sim.running.sim.store, sim.organization_id()
    with store.lock:
        record = store.containers.names[organization, CONTAINER]
        record.objects[path] = StoredObject(store.stamp(), record, path)


@pytest.mark.parametrize("prefix, planted", [
    ("www", "www/../../../../servers/%s"),
    (None, "../servers/%s"),
    (None, "www//x%s"),
    ("www", "www/ok/\x07%s"),
])
def test_a_listed_path_that_breaks_the_rules_fails_the_task_before_any_write(sim, tmp_path, prefix, planted):
    write_tree(tmp_path, {"new.html": "new"})
    sim.create("/containers", "container", {"name": CONTAINER})
    sim.create("/containers/%s/objects" % sim.named("/containers", "containers", CONTAINER)[0]["id"], "object",
               {"path": (prefix + "/" if prefix else "") + "old.html", "content": ""})
    path = planted % "0a4d6c8e-6d2b-4c1e-9f4b-3a7c2e9d1b5f"
    plant(sim, path)
    sim.forget_requests()
    for check_mode in (True, False):
        failed, result = sync(sim, tmp_path, prefix=prefix, delete=True, max_deletions="all",
                              _ansible_check_mode=check_mode)
        assert failed, result
        assert result["msg"].startswith("objects[].path: %r must not contain" % path), result["msg"]
        assert "listed by the API in container" in result["msg"] and "check api_url" in result["msg"]
        assert result["deleted"] == [] and result["uploaded"] == []
    assert writes(sim) == []


def test_a_listed_path_outside_the_prefix_is_never_looked_at(sim, tmp_path):
    write_tree(tmp_path, {"new.html": "new"})
    sim.create("/containers", "container", {"name": CONTAINER})
    sim.create("/containers/%s/objects" % sim.named("/containers", "containers", CONTAINER)[0]["id"], "object",
               {"path": "www/old.html", "content": ""})
    plant(sim, "../servers/0a4d6c8e-6d2b-4c1e-9f4b-3a7c2e9d1b5f")
    sim.forget_requests()
    failed, result = sync(sim, tmp_path, prefix="www", delete=True, max_deletions="all")
    assert not failed, result
    assert result["extra"] == ["www/old.html"] and result["deleted"] == ["www/old.html"]
    assert sorted((method, path.rsplit("/objects", 1)[-1]) for method, path in writes(sim)) == [
        ("DELETE", "/www/old.html"), ("POST", "")]


def test_deleting_with_no_file_selected_needs_allow_empty_source(sim, tmp_path):
    site = tmp_path / "site"
    write_tree(site, SITE)
    assert not sync(sim, site)[0]
    empty = tmp_path / "empty"
    empty.mkdir()
    sim.forget_requests()
    failed, result = sync(sim, empty, delete=True)
    assert failed and result["msg"].startswith("src: %s holds no file to publish, so delete=true would delete all 4 "
                                               "objects" % empty), result["msg"]
    assert "'css/site.css', 'img/logo.svg'" in result["msg"] and "allow_empty_source=true" in result["msg"]
    failed, result = sync(sim, empty, delete=True, include=["*.html", "*.svg"], _ansible_check_mode=True)
    assert failed and result["msg"].startswith("include: no file of %s matches ['*.html', '*.svg'], so delete=true "
                                               "would delete all 2 objects the task covers ('img/logo.svg', "
                                               "'index.html')" % empty), result["msg"]
    assert writes(sim) == []
    # Without delete there is nothing to guard: the objects are only listed as extra.
    failed, result = sync(sim, empty)
    assert not failed and result["extra"] == sorted(SITE) and result["changed"] is False
    failed, result = sync(sim, empty, delete=True, allow_empty_source=True)
    assert not failed, result
    assert result["deleted"] == sorted(SITE) and objects(sim) == {}


def test_max_deletions_refuses_a_wipe_before_any_write_and_lists_it(sim, tmp_path):
    files = dict(("page%02d.html" % number, "p%d" % number) for number in range(30))
    write_tree(tmp_path, files)
    assert not sync(sim, tmp_path, max_parallel=16)[0]
    for number in range(20):
        os.remove(str(tmp_path / ("page%02d.html" % number)))
    write_tree(tmp_path, {"new.html": "new"})
    gone = ["page%02d.html" % number for number in range(20)]
    sim.forget_requests()
    # The default cap: 10 objects, or half of the 30 the task covers (15) when that is more.
    for check_mode in (True, False):
        failed, result = sync(sim, tmp_path, delete=True, _ansible_check_mode=check_mode)
        assert failed and result["msg"].startswith(
            "max_deletions: the plan deletes 20 objects, more than the default cap of 15 (10 objects, or 50% of the "
            "30 objects the task covers when that is more); nothing was written. It would delete 'page00.html', "
            "'page01.html'"), result["msg"]
        assert result["extra"] == gone and result["deleted"] == []
    failed, result = sync(sim, tmp_path, delete=True, max_deletions="60%")
    assert failed and "more than the cap of 18 (max_deletions=60% of the 30 objects" in result["msg"]
    failed, result = sync(sim, tmp_path, delete=True, max_deletions=19)
    assert failed and "more than max_deletions=19;" in result["msg"]
    assert writes(sim) == []
    # Within the cap, check mode and diff show the deletions; then the run makes them.
    failed, result = sync(sim, tmp_path, delete=True, max_deletions="20", _ansible_check_mode=True, _ansible_diff=True)
    assert not failed and result["deleted"] == gone and sorted(result["diff"]["before"]) == gone
    assert writes(sim) == []
    failed, result = sync(sim, tmp_path, delete=True, max_deletions="all")
    assert not failed and result["deleted"] == gone and result["created"] == ["new.html"]
    assert sorted(objects(sim)) == ["new.html"] + ["page%02d.html" % number for number in range(20, 30)]


def test_deleting_every_covered_object_needs_max_deletions_even_in_a_small_container(sim, tmp_path):
    site = tmp_path / "site"
    files = dict(("page%d.html" % number, "p%d" % number) for number in range(8))
    write_tree(site, files)
    assert not sync(sim, site)[0]
    # A wrong src that holds one unrelated file: 8 deletions are within the default cap of 10, but they are all.
    wrong = tmp_path / "wrong"
    write_tree(wrong, {"notes.txt": "unrelated"})
    sim.forget_requests()
    for check_mode in (True, False):
        failed, result = sync(sim, wrong, delete=True, _ansible_check_mode=check_mode)
        assert failed and result["msg"].startswith(
            "max_deletions: the plan deletes all 8 objects the task covers, since none of the 1 files selected in %s "
            "is one of them; nothing was written. It would delete 'page0.html', 'page1.html'" % wrong), result["msg"]
        assert "set max_deletions to 'all' (or to 8 or more)" in result["msg"]
        assert result["extra"] == sorted(files) and result["deleted"] == [] and result["changed"] is False
    # An explicit cap below the count still refuses with its own message.
    failed, result = sync(sim, wrong, delete=True, max_deletions=7)
    assert failed and "more than max_deletions=7;" in result["msg"]
    assert writes(sim) == []
    # One covered object kept is not a wipe: the default cap applies as before.
    write_tree(wrong, {"page0.html": "p0"})
    failed, result = sync(sim, wrong, delete=True, _ansible_check_mode=True)
    assert not failed and result["deleted"] == sorted(files)[1:], result
    os.remove(str(wrong / "page0.html"))
    # Said explicitly ('all', a number or a share that allows it), the wipe is made.
    for allowed in ("all", 8, "100%"):
        failed, result = sync(sim, wrong, delete=True, max_deletions=allowed, _ansible_check_mode=True)
        assert not failed and result["deleted"] == sorted(files), (allowed, result)
    assert writes(sim) == []
    failed, result = sync(sim, wrong, delete=True, max_deletions=8)
    assert not failed and result["deleted"] == sorted(files) and sorted(objects(sim)) == ["notes.txt"]


@pytest.mark.parametrize("args, option", [
    ({"max_deletions": 5}, "max_deletions"),
    ({"max_deletions": "all"}, "max_deletions"),
    ({"max_deletions": 0}, "max_deletions"),
    ({"allow_empty_source": True}, "allow_empty_source"),
])
def test_the_deletion_guards_without_delete_fail_before_any_request(sim, tmp_path, args, option):
    write_tree(tmp_path, SITE)
    sim.forget_requests()
    failed, result = sync(sim, tmp_path, **args)
    expected = ("%s: only applies with delete=true (without it nothing is deleted); set delete=true, or leave %s out"
                % (option, option))
    assert failed and result["msg"] == expected, result["msg"]
    assert sim.requests() == []
    # allow_empty_source=false is the default, so it is not an error without delete.
    failed, result = sync(sim, tmp_path, allow_empty_source=False)
    assert not failed, result


def test_a_container_id_of_another_organization_fails_naming_organization_before_any_write(sim, tmp_path):
    write_tree(tmp_path, SITE)
    assert not sync(sim, tmp_path)[0]
    container_id = sim.named("/containers", "containers", CONTAINER)[0]["id"]
    other = "7d3b2e8f-9c4a-4f7b-8e1d-2a3b4c5d6e7f"
    sim.forget_requests()
    failed, result = sync(sim, tmp_path, container=container_id, organization=other, delete=True)
    assert failed and result["msg"] == "organization: container %s belongs to organization %s, not %s" % (
        container_id, sim.organization_id(), other), result["msg"]
    assert writes(sim) == []


def test_what_hidden_and_exclude_leave_out_is_never_deleted(sim, tmp_path):
    write_tree(tmp_path, {"index.html": "i", ".well-known/security.txt": "s", "notes.txt": "n", "old.html": "o"})
    assert not sync(sim, tmp_path, hidden=True)[0]
    os.remove(str(tmp_path / "old.html"))
    write_tree(tmp_path, {"secret.key": "k"})
    failed, result = sync(sim, tmp_path, delete=True, exclude=["*.txt", "*.key"])
    assert not failed, result
    # The hidden file's object and the excluded file's object are outside the task; only old.html goes.
    assert result["deleted"] == ["old.html"] and result["extra"] == ["old.html"]
    assert sorted(objects(sim)) == [".well-known/security.txt", "index.html", "notes.txt"]


def swap_after(monkeypatch, step, swap):
    """Run ``swap()`` right after the module's ``step`` (a method name), between the scan and the read."""
    original = getattr(module.ScalewayContainerSync, step)

    def wrapped(self, *args):
        answer = original(self, *args)
        swap()
        return answer

    monkeypatch.setattr(module.ScalewayContainerSync, step, wrapped)


def test_a_file_swapped_for_a_link_after_the_scan_is_never_read(sim, tmp_path, monkeypatch):
    site, secret = tmp_path / "site", tmp_path / "secret"
    write_tree(site, {"a.txt": "public", "b.txt": "b"})
    secret.write_bytes(b"root:x:0:0")

    def swap():
        os.remove(str(site / "a.txt"))
        os.symlink(str(secret), str(site / "a.txt"))

    swap_after(monkeypatch, "_plan", swap)
    failed, result = sync(sim, site, max_parallel=1)
    assert failed and result["msg"].startswith("the file %s is no longer the file the scan found: it is now a symbolic "
                                               "link; it was not uploaded" % (site / "a.txt")), result["msg"]
    stored = objects(sim)
    assert "a.txt" not in stored and all(item["size"] != len(b"root:x:0:0") for item in stored.values())


@pytest.mark.parametrize("step, renamed, replacement, message", [
    # Before the upload: another file of the same size put in its place, then the file itself grown.
    ("_plan", True, b"PUBLIC", "it is now another file (device and inode differ); it was not uploaded"),
    ("_plan", False, b"longer!", "its size changed from 6 to 7 bytes; it was not uploaded"),
    # Before the plan hashes it (its object has its size): refused before any write.
    ("_local_files", True, b"PUBLIC", "it is now another file (device and inode differ); nothing was written"),
])
def test_a_file_replaced_after_the_scan_fails_naming_it(sim, tmp_path, monkeypatch, step, renamed, replacement,
                                                        message):
    site = tmp_path / "site"
    write_tree(site, {"a.txt": "public"})
    sim.create("/containers", "container", {"name": CONTAINER})
    if step == "_local_files":
        assert not sync(sim, site)[0]
        write_tree(site, {"a.txt": "PUBLIC"})

    def swap():
        if renamed:
            staged = tmp_path / "staged"
            staged.write_bytes(replacement)
            os.rename(str(staged), str(site / "a.txt"))
        else:
            (site / "a.txt").write_bytes(replacement)

    swap_after(monkeypatch, step, swap)
    sim.forget_requests()
    failed, result = sync(sim, site)
    assert failed and message in result["msg"] and str(site / "a.txt") in result["msg"], result["msg"]
    assert writes(sim) == []


def test_a_file_name_that_is_not_utf8_is_named_with_escapes(sim, tmp_path):
    write_tree(tmp_path, {"index.html": "i"})
    with open(os.path.join(bytes(tmp_path), b"caf\xff.txt"), "wb") as handle:
        handle.write(b"x")
    failed, result = sync(sim, tmp_path)
    assert failed and result["msg"] == (
        "src: the name of the file %s/caf\\xff.txt is not valid UTF-8 (the bytes shown as \\xNN), and an object "
        "path must be: rename or exclude it" % tmp_path)
    result["msg"].encode("utf-8")
    assert sim.requests() == []
    # Left out by a pattern, it is not an error.
    assert not sync(sim, tmp_path, exclude=["caf*"])[0]
