# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayInputError

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.base import scaleway_argument_spec
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.common import (
    dict_changes,
    is_uuid,
    object_path_error,
    parse_size,
)


@pytest.mark.parametrize("value, expected", [
    (1000000, 1000000),
    (20000000000, 20000000000),
    ("1000000", 1000000),
    ("1B", 1),
    ("512KB", 512000),
    ("999999 B", 999999),
    ("20GB", 20 * 1000 ** 3),
    ("20 gb", 20 * 1000 ** 3),
    ("512 MiB", 512 * 1024 ** 2),
    ("1.5GiB", 3 * 1024 ** 3 // 2),
    ("10k", 10000),
    ("2TB", 2 * 1000 ** 4),
])
def test_parse_size(value, expected):
    assert parse_size(value) == expected


@pytest.mark.parametrize("value, suggestion", [(20, "'20GB'"), ("20", "'20GB'"), (" 512 ", "'512GB'"), (999999, "'999999GB'")])
def test_a_size_without_a_unit_under_one_megabyte_is_refused_suggesting_the_unit(value, suggestion):
    """On main, size: 20 made a 20-byte volume (with a warning) that the API can never resize."""
    with pytest.raises(ScalewayInputError) as err:
        parse_size(value, option="size")
    message = str(err.value)
    assert message.startswith("size: %r has no unit" % (value,)) and suggestion in message and "'512KB'" in message


def test_parse_size_is_exact_for_large_values():
    assert parse_size("9007199254740993") == 9007199254740993
    assert parse_size("8000000 TB") == 8 * 10 ** 18


@pytest.mark.parametrize("value", [0, -5, "0GB", "-1GB", "twenty", "20 parsecs", "1.5B", True, "", "GB", "20 Gbit",
                                   "99999999999999999999999999999 TB", 2 ** 63])
def test_parse_size_rejects_and_names_the_option(value):
    with pytest.raises(ScalewayInputError) as err:
        parse_size(value, option="size")
    assert err.value.option == "size" and str(err.value).startswith("size: ")


@pytest.mark.parametrize("value", ["20G", "20g", "20gb", "20Gb", "20 GB", " 20GB "])
def test_every_documented_spelling_of_a_decimal_unit_is_bytes(value):
    assert parse_size(value) == 20 * 1000 ** 3


def test_is_uuid():
    assert is_uuid("3f1c9d2e-1b2a-4c3d-8e9f-0a1b2c3d4e5f")
    assert not is_uuid("web-1")
    assert not is_uuid(None)


@pytest.mark.parametrize("path", ["a", "a/b c.txt", u"dossier/été.txt", "x" * 1024, "a/.b/c..d"])
def test_valid_object_paths(path):
    assert object_path_error(path) is None


@pytest.mark.parametrize("path, reason", [
    ("", "non-empty"),
    ("/a", "start with '/'"),
    ("a//b", "empty"),
    ("a/./b", "'.'"),
    ("a/../b", "'..'"),
    ("a/", "empty"),
    ("a\nb", "control"),
    ("a\x7fb", "control"),
    ("x" * 1025, "1024"),
    (u"\u00e9" * 513, "1024"),
])
def test_invalid_object_paths(path, reason):
    assert reason in object_path_error(path)


def test_dict_changes_ignores_unset_options():
    assert dict_changes({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == {"b": 3}


def test_argument_spec_token_is_no_log_and_from_env():
    spec = scaleway_argument_spec()
    assert spec["api_token"]["no_log"] is True
    assert spec["api_token"]["fallback"][1] == ["SCW_TOKEN"]
    assert spec["api_url"]["fallback"][1] == ["SCW_API_URL"]
    assert spec["validate_certs"]["default"] is True
    assert spec["ca_path"]["fallback"][1] == ["SCW_CA_BUNDLE"]
    # Not required by the argument spec: the client's message names api_token and SCW_TOKEN.
    assert not spec["api_token"].get("required")
