# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scaleway_v1.cloud.plugins.modules import scaleway_container_info as module
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.fakes import (
    CONTAINER_ID,
    ORG_ID,
    OTHER_ORG_ID,
    FakeClient,
    make,
)

WEB = {"id": CONTAINER_ID, "name": "web", "organization": ORG_ID}
LOGS = {"id": "2", "name": "logs", "organization": OTHER_ORG_ID}


def run(client, **overrides):
    values = dict(id=None, name=None, organization=None, include_objects=False)
    values.update(overrides)
    instance = make(module.ScalewayContainerInfo, values, client, check_mode=True)
    instance.perform()
    return instance.result


def test_lists_everything_without_filters():
    client = FakeClient(lists={"/containers": [WEB, LOGS]})
    assert run(client) == {"changed": False, "containers": [WEB, LOGS]}
    assert client.calls == [("GET", "/containers", {})]


def test_filters_are_sent_and_applied_exactly():
    # Whatever the API's filter does, only exact matches come back.
    client = FakeClient(lists={"/containers": [WEB, LOGS, dict(WEB, id="3", name="web2")]})
    assert run(client, name="web", organization=ORG_ID)["containers"] == [WEB]
    assert client.calls == [("GET", "/containers", {"name": "web", "organization": ORG_ID})]


def test_unknown_id_gives_an_empty_list():
    assert run(FakeClient(), id=CONTAINER_ID)["containers"] == []


def test_id_and_a_name_that_does_not_match_gives_nothing():
    client = FakeClient(resources={"/containers/%s" % CONTAINER_ID: WEB})
    assert run(client, id=CONTAINER_ID, name="other")["containers"] == []


def test_include_objects_lists_each_container_without_content():
    client = FakeClient(lists={
        "/containers": [dict(WEB)],
        "/containers/%s/objects" % CONTAINER_ID: [{"path": "a", "content": "eA=="}],
    })
    containers = run(client, include_objects=True)["containers"]
    assert containers[0]["objects"] == [{"path": "a"}]
    assert client.writes() == []
