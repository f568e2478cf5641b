# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayAPIError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.objects import object_url
from ansible_collections.scaleway_v1.cloud.plugins.modules import scaleway_container as module
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.fakes import (
    CONTAINER_ID,
    ORG_ID,
    OTHER_ORG_ID,
    Failed,
    FakeClient,
    make,
)

URL = "/containers/%s" % CONTAINER_ID
OBJECTS = URL + "/objects"


def container(name="web", objects_count=0, organization=ORG_ID):
    return {"id": CONTAINER_ID, "name": name, "organization": organization, "objects_count": objects_count}


def run(client, check_mode=False, diff=False, **overrides):
    values = dict(name=None, id=None, organization=None, state="present", force=False)
    values.update(overrides)
    instance = make(module.ScalewayContainer, values, client, check_mode=check_mode, diff=diff)
    instance.perform()
    return instance.result


def test_existing_container_by_name_is_one_get():
    client = FakeClient(lists={"/containers": [container()]})
    result = run(client, name="web")
    assert result["changed"] is False and result["container"]["id"] == CONTAINER_ID
    assert client.calls == [("GET", "/containers", {"name": "web"})]


def test_create_sends_the_organization_when_given():
    client = FakeClient()
    run(client, name="web", organization=ORG_ID)
    assert client.writes() == [("POST", "/containers", {"name": "web", "organization": ORG_ID})]


def test_create_in_check_mode_writes_nothing():
    client = FakeClient()
    result = run(client, name="web", check_mode=True, diff=True)
    assert result["changed"] is True and client.writes() == []
    assert result["diff"] == {"before": {}, "after": {"name": "web", "organization": None}}


def test_rename_by_id():
    client = FakeClient(resources={URL: container()})
    result = run(client, id=CONTAINER_ID, name="web2", diff=True)
    assert client.writes() == [("PUT", URL, {"name": "web2"})]
    assert result["diff"]["before"]["name"] == "web" and result["diff"]["after"]["name"] == "web2"


def test_unknown_id_with_state_present_names_id():
    with pytest.raises(Failed) as err:
        run(FakeClient(), id=CONTAINER_ID, name="web")
    assert err.value.result["msg"].startswith("id: no container with id %s" % CONTAINER_ID)


def test_moving_to_another_organization_is_refused():
    client = FakeClient(resources={URL: container()})
    with pytest.raises(Failed) as err:
        run(client, id=CONTAINER_ID, organization=OTHER_ORG_ID)
    assert err.value.result["msg"].startswith("organization: container 'web' (%s) belongs to organization %s"
                                              % (CONTAINER_ID, ORG_ID))
    assert client.writes() == []


def test_non_empty_container_without_force_says_how_many_objects():
    client = FakeClient(resources={URL: container(objects_count=3)})
    with pytest.raises(Failed) as err:
        run(client, id=CONTAINER_ID, state="absent")
    assert err.value.result["msg"] == ("container web (%s) holds 3 objects; set force=true to delete them with "
                                       "the container" % CONTAINER_ID)
    assert client.writes() == []


def test_force_deletes_every_object_then_the_container():
    paths = ["a", u"b/été c"]
    client = FakeClient(resources={URL: container(objects_count=2)},
                        lists={OBJECTS: [{"path": path} for path in paths]})
    result = run(client, id=CONTAINER_ID, state="absent", force=True)
    assert result["changed"] is True and result["deleted_objects"] == 2
    assert client.writes() == [("DELETE", object_url(CONTAINER_ID, path), None) for path in paths] + [
        ("DELETE", URL, None)]


def test_force_in_check_mode_counts_but_deletes_nothing():
    client = FakeClient(resources={URL: container(objects_count=2)}, lists={OBJECTS: [{"path": "a"}, {"path": "b"}]})
    result = run(client, id=CONTAINER_ID, state="absent", force=True, check_mode=True)
    assert result["changed"] is True and result["deleted_objects"] == 2 and client.writes() == []


def test_force_tolerates_an_object_deleted_meanwhile():
    class Racing(FakeClient):
        def delete(self, path, missing_ok=False):
            super(Racing, self).delete(path)
            if path.endswith("/a"):
                # What the client does with the API's 404: False with missing_ok, else the error.
                if missing_ok:
                    return False
                raise ScalewayAPIError("DELETE", path, "gone", status=404, error_type="invalid_request_error")
            return True

    client = Racing(resources={URL: container(objects_count=2)}, lists={OBJECTS: [{"path": "a"}, {"path": "b"}]})
    result = run(client, id=CONTAINER_ID, state="absent", force=True)
    assert result["deleted_objects"] == 1 and client.writes()[-1] == ("DELETE", URL, None)


def test_empty_container_is_deleted_without_listing_objects():
    client = FakeClient(resources={URL: container()})
    run(client, id=CONTAINER_ID, state="absent")
    assert client.calls == [("GET", URL, None), ("DELETE", URL, None)]


def test_absent_and_unknown_is_unchanged():
    client = FakeClient()
    assert run(client, name="web", state="absent")["changed"] is False
    assert client.writes() == []


@pytest.mark.parametrize("check_mode", [False, True])
def test_force_refuses_an_api_listed_path_that_leaves_the_container_and_deletes_nothing(check_mode):
    hostile = "www/../../../../servers/5c2a1d7e-8b3f-4e6a-9d0c-1f2e3a4b5c6d"
    client = FakeClient(resources={URL: container(objects_count=2)}, lists={OBJECTS: [{"path": "a"}, {"path": hostile}]})
    with pytest.raises(Failed) as err:
        run(client, id=CONTAINER_ID, state="absent", force=True, check_mode=check_mode)
    assert err.value.result["msg"].startswith("objects[].path: %r must not contain an empty, '.' or '..' segment, "
                                              "listed by the API in container %s" % (hostile, CONTAINER_ID))
    assert "check api_url" in err.value.result["msg"]
    assert client.writes() == [] and err.value.result["changed"] is False
