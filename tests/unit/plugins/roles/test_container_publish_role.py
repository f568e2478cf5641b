# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The container_publish role's one table of names: every option it passes maps to the variable behind it.

Controller tests (they template the role's message as Ansible does), so not under tests/unit/plugins/modules,
where only module_utils can be imported.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import yaml
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

from ansible_collections.scaleway_v1.cloud.plugins.modules import scaleway_container_sync

ROLE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "roles", "container_publish")


def load(*parts):
    with open(os.path.join(ROLE, *parts)) as handle:
        return yaml.safe_load(handle)


def sync_task():
    for task in load("tasks", "main.yml"):
        for inner in [task] + task.get("block", []):
            if "scaleway_v1.cloud.scaleway_container_sync" in inner:
                return inner["scaleway_v1.cloud.scaleway_container_sync"]
    raise AssertionError("the role runs no scaleway_container_sync task")


def test_the_table_holds_every_option_the_role_passes_and_names_a_role_variable():
    table = load("vars", "main.yml")["__container_publish_variables"]
    passed = sync_task()
    assert sorted(table) == sorted(passed)
    assert set(table) <= set(scaleway_container_sync.ScalewayContainerSync.argument_spec)
    options = load("meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    for option, variable in table.items():
        assert variable in options, variable
        # The variable (or the role's table built from it) is what the task passes for the option.
        assert variable in passed[option] or "__" + variable in passed[option], (option, passed[option])


def test_plain_words_are_options_of_the_table():
    values = load("vars", "main.yml")
    assert set(values["__container_publish_plain_words"]) <= set(values["__container_publish_variables"])


def role_message(module_message):
    """The role's failure message for a module failure with ``module_message``, templated as the role does."""
    template = [task for task in load("tasks", "main.yml")
                if "container_publish_message" in task.get("vars", {})][0]["vars"]["container_publish_message"]
    values = dict(load("vars", "main.yml"), container_publish_sync={"msg": module_message, "failed": True})
    return Templar(loader=DataLoader(), variables=values).template(trust_as_template(template))


def test_the_role_names_its_variables_and_leaves_paths_and_quoted_names_alone():
    listing = "max_deletions: the plan deletes all 3 objects the task covers: 'src', 'src.zip', 'max_parallel.txt'"
    assert role_message(listing) == ("container_publish_max_deletions: the plan deletes all 3 objects the task "
                                     "covers: 'src', 'src.zip', 'max_parallel.txt'")
    assert role_message("max_parallel: must be at most 64, got 100") == (
        "container_publish_max_parallel: must be at most 64, got 100")
    assert role_message("no file selected; check src, or set allow_empty_source=true") == (
        "no file selected; check container_publish_src, or set container_publish_allow_empty_source=true")
