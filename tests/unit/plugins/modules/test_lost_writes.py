# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Lost writes, run through each managed module's real main() against the API simulator.

A lost write is one the API carried out whose answer never reached the client (a 502, or a
connection closed without an answer). The modules must not make a duplicate after it, must
repeat a PUT or DELETE safely, and once every attempt has failed must say which request failed
and how often it was tried, without the token. Each test checks the outcome with a fault-free
read of the simulator, and checks in the simulator's request log that the fault did happen.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import re

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.paths import object_path
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.objects import sha256_bytes
from ansible_collections.scaleway_v1.cloud.plugins.modules import (
    scaleway_container,
    scaleway_container_object,
    scaleway_organization,
    scaleway_server,
    scaleway_tag,
    scaleway_volume,
)
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.modules.simulator_fixture import (
    LOST_502,
    LOST_KINDS,
    TOKEN,
    SimulatorUnderTest,
    refused,
)

NAME = "lost-write-test"
RENAMED = "lost-write-renamed"
CONTAINER = "lost-write-bucket"
# A space and a non-ASCII letter, so the object's URL is percent-encoded.
OBJECT_PATH = "pages/read me \u00e9t\u00e9.txt"
CONTENT = "first version\n"
NEW_CONTENT = "second version\n"
SEED = 20260115
# api_retries for the tests where every attempt fails: 3 attempts in all.
RETRIES = 2


@pytest.fixture(name="sim")
def fixture_sim():
    running = SimulatorUnderTest()
    yield running
    running.shutdown()


def run(sim, module, **args):
    """Run one task; the token must be nowhere in its result, whatever happened."""
    return sim.run(module, **args)


def succeed(sim, module, **args):
    return sim.succeed(module, **args)


def count(requests, method, path):
    return len([entry for entry in requests if entry[:2] == (method, path)])


# -- one description per managed module ---------------------------------------------------------

class Case:
    """How to create, find, change and delete one module's resource, named NAME."""

    module = None
    key = None
    collection = None

    def __init__(self, sim):
        self.sim = sim

    @property
    def plural(self):
        return self.collection.rsplit("/", 1)[-1]

    def identity(self):
        """The options that name the resource (for state=absent)."""
        return dict(name=NAME)

    def create_args(self):
        return self.identity()

    def created(self):
        """Fields the created resource must have."""
        return dict(name=NAME)

    def find(self):
        """The resources named NAME, read without faults."""
        return self.sim.named(self.collection, self.plural, NAME)

    def item_path(self, item):
        return "%s/%s" % (self.collection, item["id"])

    def update(self, item):
        """(options of a task that changes ``item`` with a PUT, fields the item has afterwards)."""
        return dict(id=item["id"], name=RENAMED), dict(name=RENAMED)

    def create(self):
        """Create the resource with the module, fault-free, and return it as the API has it."""
        succeed(self.sim, self.module, **self.create_args())
        found = self.find()
        assert len(found) == 1
        return found[0]


class VolumeCase(Case):
    module = scaleway_volume
    key = "volume"
    collection = "/volumes"

    def create_args(self):
        return dict(name=NAME, size="1GB")

    def created(self):
        return dict(name=NAME, size=10 ** 9)

    # The API has no PUT for volumes.
    update = None


class ServerCase(Case):
    module = scaleway_server
    key = "server"
    collection = "/servers"

    def create_args(self):
        # Running, so that creating and deleting it each take a power action as well.
        return dict(name=NAME, state="running", wait_sleep=0.05)


class TagCase(Case):
    module = scaleway_tag
    key = "tag"
    collection = "/tags"

    def create_args(self):
        return dict(name=NAME, metadata={"role": "web"})


class ContainerCase(Case):
    module = scaleway_container
    key = "container"
    collection = "/containers"


class OrganizationCase(Case):
    module = scaleway_organization
    key = "organization"
    collection = "/organizations"

    def create_args(self):
        return dict(name=NAME, address_line1="1 rue de la Paix", address_zip="75002", address_city="Paris",
                    address_country="FR")

    def created(self):
        return dict(name=NAME, address_city="Paris")

    def update(self, item):
        return dict(self.create_args(), address_city="Lyon"), dict(name=NAME, address_city="Lyon")


class ObjectCase(Case):
    module = scaleway_container_object
    key = "object"

    def __init__(self, sim):
        super(ObjectCase, self).__init__(sim)
        container = sim.create("/containers", "container", {"name": CONTAINER})
        self.collection = "/containers/%s/objects" % container["id"]

    def identity(self):
        return dict(container=CONTAINER, path=OBJECT_PATH)

    def create_args(self):
        return dict(self.identity(), content=CONTENT)

    def created(self):
        return dict(path=OBJECT_PATH, checksum=sha256_bytes(CONTENT.encode("utf-8")))

    def find(self):
        return [item for item in self.sim.every(self.collection, "objects") if item["path"] == OBJECT_PATH]

    def item_path(self, item):
        return "%s/%s" % (self.collection, object_path(item["path"], "path"))

    def update(self, item):
        return (dict(self.identity(), content=NEW_CONTENT),
                dict(path=OBJECT_PATH, checksum=sha256_bytes(NEW_CONTENT.encode("utf-8"))))


CASES = [VolumeCase, ServerCase, TagCase, ContainerCase, ObjectCase, OrganizationCase]
UPDATE_CASES = [case for case in CASES if case.update is not None]


def case_id(case):
    return case.module.__name__.rsplit(".", 1)[-1]


def assert_has(item, fields):
    assert dict((key, item.get(key)) for key in fields) == fields


# -- every module --------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", LOST_KINDS)
@pytest.mark.parametrize("case_class", CASES, ids=case_id)
def test_create_with_lost_answer_makes_exactly_one(sim, case_class, kind):
    case = case_class(sim)
    sim.aim("POST", re.escape(case.collection), kind)

    result = succeed(sim, case.module, **case.create_args())

    found = case.find()
    assert len(found) == 1
    assert_has(found[0], case.created())
    assert result["changed"] is True
    assert result[case.key]["id"] == found[0]["id"]
    assert_has(result[case.key], case.created())
    # The lookup found the resource: the POST was not sent a second time.
    assert sim.lost_writes() == [("POST", case.collection)]
    assert count(sim.requests(), "POST", case.collection) == 1


@pytest.mark.parametrize("kind", LOST_KINDS)
@pytest.mark.parametrize("case_class", UPDATE_CASES, ids=case_id)
def test_put_with_lost_answer_is_repeated(sim, case_class, kind):
    case = case_class(sim)
    item = case.create()
    total = len(sim.every(case.collection, case.plural))
    args, expected = case.update(item)
    sim.forget_requests()
    sim.aim("PUT", re.escape(case.item_path(item)), kind)

    result = succeed(sim, case.module, **args)

    assert result["changed"] is True
    assert result[case.key]["id"] == item["id"]
    assert_has(result[case.key], expected)
    assert_has(sim.get(case.item_path(item), case.key), expected)
    assert len(sim.every(case.collection, case.plural)) == total
    requests = sim.requests()
    assert sim.lost_writes() == [("PUT", case.item_path(item))]
    assert count(requests, "PUT", case.item_path(item)) == 2


@pytest.mark.parametrize("kind", LOST_KINDS)
@pytest.mark.parametrize("case_class", CASES, ids=case_id)
def test_delete_with_lost_answer_takes_404_as_done(sim, case_class, kind):
    case = case_class(sim)
    item = case.create()
    sim.forget_requests()
    sim.aim("DELETE", re.escape(case.item_path(item)), kind)

    result = succeed(sim, case.module, state="absent", **case.identity())

    assert result["changed"] is True
    assert result[case.key] is None
    assert sim.get(case.item_path(item), case.key) is None
    deletes = [status for method, path, status, _lost in sim.requests()
               if (method, path) == ("DELETE", case.item_path(item))]
    assert deletes == [502 if kind == LOST_502 else None, 404]


@pytest.mark.parametrize("case_class", CASES, ids=case_id)
def test_every_answer_lost_with_random_faults(sim, case_class):
    """The simulator's own lost_write_rate at 1.0: the answer of every write is lost, 502 or drop as the seed draws."""
    case = case_class(sim)
    sim.faults(lost_write_rate=1.0, seed=SEED)

    created = succeed(sim, case.module, **case.create_args())
    again = succeed(sim, case.module, **case.create_args())
    deleted = succeed(sim, case.module, state="absent", **case.identity())

    assert created["changed"] is True
    assert_has(created[case.key], case.created())
    assert again["changed"] is False
    assert again[case.key]["id"] == created[case.key]["id"]
    assert deleted["changed"] is True
    assert ("POST", case.collection) in sim.lost_writes()
    assert ("DELETE", case.item_path(created[case.key])) in sim.lost_writes()
    assert case.find() == []


@pytest.mark.parametrize("case_class", CASES, ids=case_id)
def test_every_attempt_failing_names_request_and_attempts(sim, case_class):
    case = case_class(sim)
    sim.forget_requests()
    sim.faults(error_rate=1.0, statuses=[503], seed=SEED)

    failed, result = run(sim, case.module, api_retries=RETRIES, **case.create_args())

    assert failed
    error = result["api_error"]
    assert (error["status"], error["attempts"]) == (503, RETRIES + 1)
    assert "%s %s failed with HTTP 503" % (error["method"], error["path"]) in result["msg"]
    assert "after %d attempts" % (RETRIES + 1) in result["msg"]
    # The first request of the task failed, so it was the only one sent, as often as allowed.
    assert sim.requests() == [(error["method"], error["path"], 503, False)] * (RETRIES + 1)
    assert result["changed"] is False
    assert case.find() == []


@pytest.mark.parametrize("case_class", CASES, ids=case_id)
def test_create_refused_on_every_attempt_is_never_duplicated(sim, case_class):
    """A POST answered 503 each time: a lookup before each new attempt, then a failure that says it may have happened."""
    case = case_class(sim)
    sim.forget_requests()
    sim.aim("POST", re.escape(case.collection), refused(503), times=None)

    failed, result = run(sim, case.module, api_retries=RETRIES, **case.create_args())

    assert failed
    assert result["api_error"]["method"] == "POST"
    assert result["api_error"]["path"] == case.collection
    assert result["api_error"]["attempts"] == RETRIES + 1
    assert result["msg"].startswith("POST %s failed with HTTP 503" % case.collection)
    assert "after %d attempts" % (RETRIES + 1) in result["msg"]
    assert "may or may not have carried out this write" in result["msg"]
    requests = sim.requests()
    posts = [index for index, entry in enumerate(requests) if entry[:2] == ("POST", case.collection)]
    assert len(posts) == RETRIES + 1
    assert all(requests[index - 1][0] == "GET" for index in posts[1:])
    assert case.find() == []


@pytest.mark.parametrize("case_class", UPDATE_CASES, ids=case_id)
def test_put_lost_on_every_attempt_fails_without_duplicate(sim, case_class):
    """Each PUT is carried out and its answer lost: the failure names the PUT and its attempts."""
    case = case_class(sim)
    item = case.create()
    total = len(sim.every(case.collection, case.plural))
    args, _expected = case.update(item)
    sim.forget_requests()
    sim.aim("PUT", re.escape(case.item_path(item)), LOST_502, times=None)

    failed, result = run(sim, case.module, api_retries=RETRIES, **args)

    assert failed
    assert result["api_error"]["attempts"] == RETRIES + 1
    assert result["msg"].startswith("PUT %s failed with HTTP 502" % case.item_path(item))
    assert "after %d attempts" % (RETRIES + 1) in result["msg"]
    assert count(sim.requests(), "PUT", case.item_path(item)) == RETRIES + 1
    assert len(sim.every(case.collection, case.plural)) == total


@pytest.mark.parametrize("case_class", CASES, ids=case_id)
def test_delete_refused_on_every_attempt_names_it_and_keeps_the_resource(sim, case_class):
    case = case_class(sim)
    item = case.create()
    sim.forget_requests()
    sim.aim("DELETE", re.escape(case.item_path(item)), refused(503), times=None)

    failed, result = run(sim, case.module, api_retries=RETRIES, state="absent", **case.identity())

    assert failed
    assert result["api_error"]["attempts"] == RETRIES + 1
    assert result["msg"].startswith("DELETE %s failed with HTTP 503" % case.item_path(item))
    assert "after %d attempts" % (RETRIES + 1) in result["msg"]
    assert count(sim.requests(), "DELETE", case.item_path(item)) == RETRIES + 1
    assert [found["id"] for found in case.find()] == [item["id"]]


def test_token_with_a_line_break_stays_out_of_the_failure(sim):
    """A token pasted with its trailing line break (a YAML block scalar, a file read as is).

    requests would refuse such a header value and quote it, escaped, in its exception: the
    module refuses the token first, naming the option without echoing it (the run() helper
    asserts the token is nowhere in the result), and sends nothing.
    """
    failed, result = run(sim, scaleway_volume, name=NAME, size="1GB", api_token=TOKEN + "\n", api_retries=RETRIES)

    assert failed
    assert result["msg"].startswith("api_token: must not contain") and "SCW_TOKEN" in result["msg"]
    assert sim.requests() == []
    assert VolumeCase(sim).find() == []


# -- sub-writes of one task ----------------------------------------------------------------------

def metadata_entries(sim, tag_id):
    return sim.every("/tags/%s/metadatas" % tag_id, "metadatas")


@pytest.mark.parametrize("kind", LOST_KINDS)
def test_tag_metadata_post_lost(sim, kind):
    sim.aim("POST", r"/tags/[^/]+/metadatas", kind)

    result = succeed(sim, scaleway_tag, name=NAME, metadata={"port": "8080", "role": "web"})

    tags = sim.named("/tags", "tags", NAME)
    assert len(tags) == 1
    metadata_path = "/tags/%s/metadatas" % tags[0]["id"]
    assert result["changed"] is True
    assert result["tag"]["metadata"] == {"port": "8080", "role": "web"}
    assert metadata_entries(sim, tags[0]["id"]) == [{"key": "port", "value": "8080"}, {"key": "role", "value": "web"}]
    assert sim.lost_writes() == [("POST", metadata_path)]
    assert count(sim.requests(), "POST", metadata_path) == 2


@pytest.mark.parametrize("kind", LOST_KINDS)
def test_tag_metadata_put_and_delete_lost(sim, kind):
    created = succeed(sim, scaleway_tag, name=NAME, metadata={"port": "8080", "role": "web"})
    metadata_path = "/tags/%s/metadatas" % created["tag"]["id"]
    sim.forget_requests()
    sim.aim("PUT", re.escape(metadata_path + "/role"), kind)
    sim.aim("DELETE", re.escape(metadata_path + "/port"), kind)

    result = succeed(sim, scaleway_tag, name=NAME, metadata={"role": "db"})

    assert result["changed"] is True
    assert result["tag"]["metadata"] == {"role": "db"}
    assert metadata_entries(sim, created["tag"]["id"]) == [{"key": "role", "value": "db"}]
    requests = sim.requests()
    assert sim.lost_writes() == [("PUT", metadata_path + "/role"), ("DELETE", metadata_path + "/port")]
    assert count(requests, "PUT", metadata_path + "/role") == 2
    assert [status for method, path, status, _lost in requests
            if (method, path) == ("DELETE", metadata_path + "/port")][1:] == [404]


@pytest.mark.parametrize("kind", LOST_KINDS)
def test_server_create_tag_create_and_attach_lost(sim, kind):
    """Three lost answers in one task: the server's POST, its new tag's POST and the attach."""
    sim.aim("POST", r"/servers", kind)
    sim.aim("POST", r"/tags", kind)
    sim.aim("POST", r"/servers/[^/]+/tags", kind)

    result = succeed(sim, scaleway_server, name=NAME, tags=["web"])

    servers = sim.named("/servers", "servers", NAME)
    assert len(servers) == 1
    server_id = servers[0]["id"]
    tags = sim.named("/tags", "tags", "web")
    assert len(tags) == 1
    attached = sim.every("/servers/%s/tags" % server_id, "tags")
    assert sorted(tag["name"] for tag in attached) == ["default", "web"]
    assert tags[0]["servers"] == 1
    assert result["changed"] is True
    assert result["server"]["id"] == server_id
    assert sorted(tag["name"] for tag in result["server"]["tags"]) == ["default", "web"]
    requests = sim.requests()
    assert sim.lost_writes() == [("POST", "/servers"), ("POST", "/tags"), ("POST", "/servers/%s/tags" % server_id)]
    assert count(requests, "POST", "/servers") == 1
    assert count(requests, "POST", "/tags") == 1
    # Attaching is safe to repeat (an attached tag answers 200), so the client sent it again.
    assert count(requests, "POST", "/servers/%s/tags" % server_id) == 2


def sessions(sim, server_id):
    return sim.every("/servers/%s/sessions" % server_id, "sessions")


@pytest.mark.parametrize("kind", LOST_KINDS)
def test_server_power_actions_lost(sim, kind):
    """poweron then poweroff, each answer lost: each action sent once, the state reached, one session."""
    server = sim.create("/servers", "server", {"name": NAME})
    action_path = "/servers/%s/action" % server["id"]
    sim.forget_requests()
    sim.aim("POST", re.escape(action_path), kind)

    started = succeed(sim, scaleway_server, id=server["id"], state="running", wait_sleep=0.05)

    assert started["changed"] is True
    assert started["server"]["state"] == "running"
    assert sim.get("/servers/%s" % server["id"], "server")["state"] == "running"
    opened = sessions(sim, server["id"])
    assert [session["active"] for session in opened] == [True]
    assert sim.lost_writes() == [("POST", action_path)]
    assert count(sim.requests(), "POST", action_path) == 1

    sim.forget_requests()
    sim.aim("POST", re.escape(action_path), kind)

    stopped = succeed(sim, scaleway_server, id=server["id"], state="stopped", wait_sleep=0.05)

    assert stopped["changed"] is True
    assert stopped["server"]["state"] == "off"
    assert sim.get("/servers/%s" % server["id"], "server")["state"] == "off"
    closed = sessions(sim, server["id"])
    assert [(session["id"], session["active"]) for session in closed] == [(opened[0]["id"], False)]
    assert sim.lost_writes() == [("POST", action_path)]
    assert count(sim.requests(), "POST", action_path) == 1


@pytest.mark.parametrize("kind", LOST_KINDS)
def test_server_terminate_lost(sim, kind):
    """terminate of a running server, its answer lost: sent once, then the server and its volume are gone."""
    volume = sim.create("/volumes", "volume", {"name": NAME, "size": 10 ** 9})
    server = sim.create("/servers", "server", {"name": NAME, "volumes": [volume["id"]]})
    succeed(sim, scaleway_server, id=server["id"], state="running", wait_sleep=0.05)
    action_path = "/servers/%s/action" % server["id"]
    sim.forget_requests()
    sim.aim("POST", re.escape(action_path), kind)

    result = succeed(sim, scaleway_server, id=server["id"], state="absent", delete_volumes=True, wait_sleep=0.05)

    assert result["changed"] is True
    assert result["server"] is None
    assert sim.get("/servers/%s" % server["id"], "server") is None
    assert sim.get("/volumes/%s" % volume["id"], "volume") is None
    assert sim.lost_writes() == [("POST", action_path)]
    assert count(sim.requests(), "POST", action_path) == 1


@pytest.mark.parametrize("kind", LOST_KINDS)
def test_object_upload_lost_keeps_one_object_with_its_checksum(sim, kind, tmp_path):
    container = sim.create("/containers", "container", {"name": CONTAINER})
    objects_path = "/containers/%s/objects" % container["id"]
    data = bytes(bytearray(range(256))) * 400
    src = tmp_path / "upload.bin"
    src.write_bytes(data)
    sim.aim("POST", re.escape(objects_path), kind)

    result = succeed(sim, scaleway_container_object, container=CONTAINER, path=OBJECT_PATH, src=str(src))

    objects = [item for item in sim.every(objects_path, "objects") if item["path"] == OBJECT_PATH]
    assert len(objects) == 1
    stored = sim.get("%s/%s?include_content=true" % (objects_path, object_path(OBJECT_PATH, "path")), "object")
    assert base64.b64decode(stored["content"]) == data
    assert stored["checksum"] == sha256_bytes(data)
    assert result["changed"] is True
    assert result["object"]["checksum"] == sha256_bytes(data)
    assert "content" not in result["object"]
    assert sim.lost_writes() == [("POST", objects_path)]
    assert count(sim.requests(), "POST", objects_path) == 1


def test_container_force_delete_with_every_answer_lost(sim):
    container = sim.create("/containers", "container", {"name": CONTAINER})
    objects_path = "/containers/%s/objects" % container["id"]
    for path in ("a.txt", "b/c.txt"):
        sim.create(objects_path, "object", {"path": path, "content": "eA=="})
    sim.forget_requests()
    sim.faults(lost_write_rate=1.0, seed=SEED)

    result = succeed(sim, scaleway_container, name=CONTAINER, state="absent", force=True)

    assert result["changed"] is True
    assert result["deleted_objects"] == 2
    assert sim.get("/containers/%s" % container["id"], "container") is None
    deletes = [(path, status) for method, path, status, _lost in sim.requests() if method == "DELETE"]
    written = [objects_path + "/a.txt", objects_path + "/b/c.txt", "/containers/%s" % container["id"]]
    # Each DELETE was carried out and its answer lost; the repeat found nothing (404) and counted it as done.
    assert [path for path, status in deletes if status == 404] == written
    assert sorted(sim.lost_writes()) == sorted(("DELETE", path) for path in written)
