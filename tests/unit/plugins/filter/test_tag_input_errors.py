# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The tag_input_errors filter refuses exactly what scaleway_tag refuses before its first request, naming the entry."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.filter.tag_input_errors import FilterModule, tag_input_errors
from ansible_collections.scaleway_v1.cloud.plugins.modules import scaleway_tag
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.fakes import ScriptedApi, run_module


@pytest.mark.parametrize("entry, field", [
    ({"name": "web", "metadata": {"http_port": 80}}, "metadata"),
    ({"name": "web", "metadata": {"..": "up"}}, "metadata"),
    ({"name": "web", "metadata": {"k" * 129: "x"}}, "metadata"),
    ({"name": "web", "type": "x" * 256}, "type"),
    ({"name": "n" * 256}, "name"),
    ({"name": " "}, "name"),
])
def test_the_filter_gives_the_module_message_naming_the_entry(entry, field):
    failed, result = run_module(scaleway_tag.ScalewayTag, ScriptedApi([]), entry)
    assert failed and result["msg"].startswith(field + ": ")
    errors = tag_input_errors([{"name": "ok", "metadata": {"a": "1"}}, entry], "servers_tags")
    assert errors == ["servers_tags[1]." + result["msg"]]


def test_good_entries_and_odd_ones():
    assert tag_input_errors([{"name": "web", "type": "role", "metadata": {"port": "80"}}, {"name": "db"}]) == []
    assert tag_input_errors(["web"], "servers_tags") == ["servers_tags[0]: must be a dict, got str"]
    # As the module's argument spec would, a number given as the type is its text.
    assert tag_input_errors([{"name": "web", "type": 7}]) == []
    assert FilterModule().filters() == {"tag_input_errors": tag_input_errors}


def test_entries_are_judged_as_the_module_receives_them():
    # YAML loads `8080: http` with a number as key and `deployed: 2024-05-01` as a date; the module's
    # arguments travel as JSON, so scaleway_tag gets "8080" and "2024-05-01" and accepts them: so does the filter.
    entry = {"name": "web", "metadata": {8080: "http", "deployed": datetime.date(2024, 5, 1), True: "yes"}}
    assert tag_input_errors([entry]) == []
    # A number as a value stays a number on the way, and the module refuses it.
    assert tag_input_errors([{"name": "web", "metadata": {"port": 8080}}])[0].startswith("tags[0].metadata: ")


def test_an_entry_ansible_cannot_pass_to_the_module_is_a_message_not_a_traceback():
    errors = tag_input_errors([{"name": "web", "metadata": {datetime.date(2024, 5, 1): "x"}}], "servers_tags")
    assert len(errors) == 1 and errors[0].startswith("servers_tags[0]: cannot be passed to scaleway_tag (")
