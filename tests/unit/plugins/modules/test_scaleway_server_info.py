# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.modules.scaleway_server_info import server_addresses, server_matches

SERVER = {
    "id": "s1", "name": "web-1", "organization": "org-a", "image": "img-1",
    "public_ip": {"address": "203.0.113.7"}, "private_ip": "10.0.0.7",
    "tags": [{"id": "t1", "name": "default"}, {"id": "t2", "name": "web"}, {"id": "t3", "name": "prod"}],
}


def test_addresses_are_public_then_private_and_skip_missing_ones():
    assert server_addresses(SERVER) == ["203.0.113.7", "10.0.0.7"]
    assert server_addresses({"public_ip": None, "private_ip": None}) == []


@pytest.mark.parametrize("filters", [
    {},
    {"name": "web-1"},
    {"organization": "org-a"},
    {"image": "img-1"},
    {"ip": "203.0.113.7"},
    {"ip": "10.0.0.7"},
    {"tags": ["web"]},
    {"tags": ["prod", "web"]},
    {"tags": []},
    {"name": "web-1", "organization": "org-a", "image": "img-1", "ip": "10.0.0.7", "tags": ["web", "prod"]},
])
def test_a_server_matches_when_every_filter_holds(filters):
    assert server_matches(SERVER, **filters)


@pytest.mark.parametrize("filters", [
    {"name": "web"},
    {"name": "web-10"},
    {"organization": "org-b"},
    {"image": "img-2"},
    {"ip": "203.0.113.70"},
    {"tags": ["web", "staging"]},
    {"name": "web-1", "tags": ["db"]},
])
def test_one_failing_filter_excludes_the_server(filters):
    assert not server_matches(SERVER, **filters)
