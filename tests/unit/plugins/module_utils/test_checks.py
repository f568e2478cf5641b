# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The input checks made before any request: each failure names the option, never floods the output."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.checks import (
    LIMITS,
    check_id,
    check_number,
    check_state_options,
    check_text,
    check_texts,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayInputError


def message(check, *args):
    with pytest.raises(ScalewayInputError) as err:
        check(*args)
    return err.value.option, str(err.value)


def test_ids_must_be_uuids_and_a_huge_value_is_cut_in_the_message():
    check_id("id", None, "a volume")
    check_id("id", "3f1c9d2e-1b2a-4c3d-8e9f-0a1b2c3d4e5f", "a volume")
    option, text = message(check_id, "id", "x" * 10 ** 6, "a volume")
    assert option == "id" and text.startswith("id: 'xxx") and "(1000000 characters)" in text and len(text) < 200


@pytest.mark.parametrize("field, longest", [("name", 255), ("commercial_type", 64), ("address_state", 255)])
def test_text_limits_are_the_contracts(field, longest):
    check_text(field, "x" * longest)
    option, text = message(check_text, field, "x" * (longest + 1))
    assert option == field and text == "%s: is %d characters long, the API takes at most %d" % (
        field, longest + 1, longest)


def test_empty_is_refused_only_where_the_api_needs_a_character():
    assert message(check_text, "name", "  ") == ("name", "name: must not be empty")
    check_text("address_line2", "")
    assert LIMITS["address_line2"] == (0, 255)


def test_a_field_checked_under_another_option_name():
    assert message(check_text, "type", "t" * 256, "tag_type")[0] == "type"


def test_each_list_item_is_named_by_its_position():
    check_texts("tags", None, "name")
    assert message(check_texts, "tags", ["web", "T" * 300], "name")[1].startswith("tags[1]: is 300 characters long")


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_numbers_must_be_finite(value):
    assert message(check_number, "wait_sleep", value, 0, False)[1].startswith("wait_sleep: must be a finite number")


def test_number_minimums():
    check_number("wait_timeout", 0, 0)
    assert message(check_number, "wait_timeout", -1, 0)[1] == "wait_timeout: must be at least 0, got -1"
    assert message(check_number, "wait_sleep", 0, 0, False)[1] == "wait_sleep: must be more than 0, got 0"


SPEC = dict(state=dict(default="present"), volumes=dict(type="list"), force=dict(type="bool", default=False),
            wait=dict(type="bool", default=True))


def test_state_options_refuse_a_value_the_state_would_ignore():
    unused = {"absent": ("volumes", "force", "wait")}
    params = dict(state="absent", volumes=None, force=False, wait=True)
    check_state_options(params, SPEC, unused)
    check_state_options(dict(params, state="present", volumes=["a"], force=True), SPEC, unused)
    assert message(check_state_options, dict(params, volumes=[]), SPEC, unused) == (
        "volumes", "volumes: is not used with state=absent")
    assert message(check_state_options, dict(params, force=True), SPEC, unused)[0] == "force"
    assert message(check_state_options, dict(params, wait=False), SPEC, unused)[0] == "wait"
