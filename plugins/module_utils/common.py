# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure helpers shared by modules and the inventory plugin (no HTTP, no Ansible objects)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from decimal import Decimal

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayInputError

_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")
_SIZE_UNITS = {
    "": 1, "b": 1,
    "k": 1000, "kb": 1000, "m": 1000 ** 2, "mb": 1000 ** 2, "g": 1000 ** 3, "gb": 1000 ** 3,
    "t": 1000 ** 4, "tb": 1000 ** 4,
    "kib": 1024, "mib": 1024 ** 2, "gib": 1024 ** 3, "tib": 1024 ** 4,
}
MAX_OBJECT_PATH_BYTES = 1024
# A size without a unit below this many bytes is refused: it is nearly always a size written without its unit.
MIN_BARE_SIZE = 1000 ** 2
# The largest size the API's JSON integers carry safely (a signed 64-bit integer).
MAX_SIZE_BYTES = 2 ** 63 - 1


def is_uuid(value):
    return isinstance(value, str) and bool(_UUID_RE.match(value))


def same_id(first, second):
    """Whether two ids (UUIDs, from an option or the API) are the same: case does not matter, None is no id."""
    return isinstance(first, str) and isinstance(second, str) and first.lower() == second.lower()


def parse_size(value, option="size"):
    """Bytes from an integer or a string: a number and an optional unit, always of bytes, never bits.

    Units (case does not matter, a space before the unit is allowed): ``B``;
    ``K``/``KB``, ``M``/``MB``, ``G``/``GB``, ``T``/``TB`` are powers of 1000;
    ``KiB``, ``MiB``, ``GiB``, ``TiB`` powers of 1024. So ``20G``, ``20gb`` and
    ``20Gb`` all mean 20,000,000,000 bytes. A number without a unit (an integer
    or a string) is bytes, and must be at least MIN_BARE_SIZE (1 MB): ``20`` is
    refused, suggesting ``20GB``; a smaller size needs its unit (``512KB``).
    Raises ScalewayInputError naming the option.
    """
    if isinstance(value, bool):
        raise ScalewayInputError(option, "must be a number of bytes or a string such as '20GB', got %r" % (value,))
    unit = ""
    if isinstance(value, int):
        size = value
    else:
        match = _SIZE_RE.match("%s" % (value,))
        unit = match.group(2).lower() if match else None
        if not match or unit not in _SIZE_UNITS:
            raise ScalewayInputError(option, "cannot read %r as a size; use bytes or a number with a unit such as "
                                     "'20GB', '512 MiB' (units: B, K/KB, M/MB, G/GB, T/TB, KiB, MiB, GiB, TiB)"
                                     % (value,))
        exact = Decimal(match.group(1)) * _SIZE_UNITS[unit]
        if exact != exact.to_integral_value():
            raise ScalewayInputError(option, "%r is not a whole number of bytes" % (value,))
        size = int(exact)
    if size <= 0:
        raise ScalewayInputError(option, "must be greater than 0 bytes, got %r" % (value,))
    if size > MAX_SIZE_BYTES:
        raise ScalewayInputError(option, "%r is more than the largest size the API takes (%d bytes)"
                                 % (value, MAX_SIZE_BYTES))
    if not unit and size < MIN_BARE_SIZE:
        suggestion = "%sGB" % ("%s" % value).strip()
        raise ScalewayInputError(option, "%r has no unit, so it would be %d bytes: write the unit, for example %r; "
                                 "a number without a unit is bytes and must be at least %d (1 MB), and a size under "
                                 "1 MB needs its unit (such as '512KB')" % (value, size, suggestion, MIN_BARE_SIZE))
    return size


def object_path_error(path):
    """Why ``path`` is not a valid object path (docs/docsite/rst/guide_api.rst), or None when it is."""
    if not isinstance(path, str) or path == "":
        return "must be a non-empty string"
    encoded = path.encode("utf-8", "surrogateescape")
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid UTF-8"
    if len(encoded) > MAX_OBJECT_PATH_BYTES:
        return "is %d bytes long in UTF-8, the limit is %d" % (len(encoded), MAX_OBJECT_PATH_BYTES)
    if path.startswith("/"):
        return "must not start with '/'"
    if any(ord(char) < 32 or ord(char) == 127 for char in path):
        return "must not contain control characters"
    for segment in path.split("/"):
        if segment in ("", ".", ".."):
            return "must not contain an empty, '.' or '..' segment"
    return None


def dict_changes(current, wanted):
    """The keys of ``wanted`` whose value differs from ``current`` (None in wanted means 'leave')."""
    return dict((key, value) for key, value in wanted.items()
                if value is not None and current.get(key) != value)
