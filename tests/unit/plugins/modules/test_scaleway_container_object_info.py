# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.objects import object_url
from ansible_collections.scaleway_v1.cloud.plugins.modules import scaleway_container_object_info as module
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.fakes import (
    CONTAINER_ID,
    ORG_ID,
    OTHER_ORG_ID,
    Failed,
    FakeClient,
    make,
)

OBJECTS = "/containers/%s/objects" % CONTAINER_ID
CONTAINERS = {"/containers": [{"id": CONTAINER_ID, "name": "web", "organization": ORG_ID}]}


def run(client, **overrides):
    values = dict(container="web", organization=None, path=None, prefix=None)
    values.update(overrides)
    instance = make(module.ScalewayContainerObjectInfo, values, client, check_mode=True)
    instance.perform()
    return instance.result


def test_prefix_filters_paths():
    client = FakeClient(lists=dict(CONTAINERS, **{OBJECTS: [{"path": "logs/a"}, {"path": "img/b"}]}))
    assert run(client, prefix="logs/")["objects"] == [{"path": "logs/a"}]


def test_one_path_in_a_container_given_by_id_is_one_get():
    url = object_url(CONTAINER_ID, u"été/a b")
    client = FakeClient(resources={url: {"path": u"été/a b", "content": "eA=="}})
    assert run(client, container=CONTAINER_ID, path=u"été/a b")["objects"] == [{"path": u"été/a b"}]
    assert client.calls == [("GET", url, None)]


def test_missing_path_gives_an_empty_list():
    assert run(FakeClient(lists=CONTAINERS), path="nothing")["objects"] == []


def test_invalid_path_sends_nothing():
    client = FakeClient(lists=CONTAINERS)
    with pytest.raises(Failed) as err:
        run(client, path="a//b")
    assert err.value.result["msg"].startswith("path: 'a//b' must not contain")
    assert client.calls == []


def test_unknown_container_is_an_error():
    with pytest.raises(Failed) as err:
        run(FakeClient(), container="nope")
    assert err.value.result["msg"] == "container: no container named 'nope' is visible to this token"


@pytest.mark.parametrize("path", [None, "a.txt", "missing.txt"])
def test_a_container_id_of_another_organization_fails_naming_organization(path):
    url = object_url(CONTAINER_ID, "a.txt")
    client = FakeClient(resources={"/containers/%s" % CONTAINER_ID: {"id": CONTAINER_ID, "organization": ORG_ID},
                                   url: {"path": "a.txt"}}, lists={OBJECTS: [{"path": "a.txt"}]})
    with pytest.raises(Failed) as err:
        run(client, container=CONTAINER_ID, organization=OTHER_ORG_ID, path=path)
    assert err.value.result["msg"] == "organization: container %s belongs to organization %s, not %s" % (
        CONTAINER_ID, ORG_ID, OTHER_ORG_ID)
    # Its own organization: the object is shown, after the container's read.
    assert run(client, container=CONTAINER_ID, organization=ORG_ID, path="a.txt")["objects"] == [{"path": "a.txt"}]
