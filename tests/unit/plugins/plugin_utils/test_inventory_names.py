# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which names API data may take: plugins/plugin_utils/inventory_names.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible import constants as C
from ansible.vars.reserved import get_reserved_names

from ansible_collections.scaleway_v1.cloud.plugins.plugin_utils.inventory_names import (
    RESERVED_GROUPS,
    is_ansible_variable,
    safe_variable_name,
)


def ansible_core_names():
    """Every name the running ansible-core reserves or sets itself, read from ansible-core."""
    names = set(get_reserved_names()) | set(C.INTERNAL_STATIC_VARS)
    for variables in C.MAGIC_VARIABLE_MAPPING.values():
        names.update(variables)
    return sorted(names)


@pytest.mark.parametrize("name", ansible_core_names())
def test_every_name_ansible_core_gives_meaning_to_is_refused(name):
    assert is_ansible_variable(name)
    assert is_ansible_variable(name.upper())


@pytest.mark.parametrize("name", ["ansible_ssh_common_args", "ansible_connection", "Ansible_Become_Password",
                                  "ansible_python_interpreter", "ansible_facts", "ansible_anything_new"])
def test_every_ansible_prefixed_name_is_refused_in_any_case(name):
    assert is_ansible_variable(name)


@pytest.mark.parametrize("name", ["http_port", "engine", "max_connections", "zone", "ansible", "my_ansible_user"])
def test_ordinary_names_are_allowed(name):
    assert not is_ansible_variable(name)


def test_the_reserved_groups_include_the_key_of_the_host_variables_in_a_listing():
    assert set(RESERVED_GROUPS) == {"all", "ungrouped", "_meta"}


@pytest.mark.parametrize("key, name", [
    ("max-connections", "max_connections"), ("1st", "_st"), ("ansible-connection", "ansible_connection"),
    ("True", None), ("", None),
])
def test_safe_variable_name(key, name):
    assert safe_variable_name(key) == name
