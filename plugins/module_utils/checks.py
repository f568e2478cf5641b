# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Input checks made before the first request, each raising ScalewayInputError naming the option.

The string limits are the API's own (docs/docsite/rst/guide_api.rst): checking them
here means a task that would be refused part-way fails before it writes anything.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayInputError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.common import is_uuid

# (shortest, longest) in characters, per API field.
NAME = (1, 255)
LIMITS = {
    "name": NAME,
    "image": NAME,
    "commercial_type": (1, 64),
    "tag_type": NAME,
    "content_type": NAME,
    "address_line1": NAME,
    "address_zip": NAME,
    "address_city": NAME,
    "address_country": NAME,
    "address_line2": (0, 255),
    "address_state": (0, 255),
}


def check_id(option, value, what):
    """``value`` (when set) must be an id (the API's ids are UUIDs); returns it in lower case, as ids are sent.

    A UUID is the same id in any case: callers keep the returned value, so that
    it is compared and put in URLs in one form.
    """
    if value is None:
        return None
    if not is_uuid(value):
        raise ScalewayInputError(option, "%s is not %s id (a UUID)" % (_shown(value), what))
    return value.lower()


def check_text(option, value, field=None):
    """``value`` (when set) must fit the API's limits for ``field`` (default: the option's name)."""
    if value is None:
        return
    low, high = LIMITS[field or option]
    if low and not value.strip():
        raise ScalewayInputError(option, "must not be empty")
    if len(value) > high:
        raise ScalewayInputError(option, "is %d characters long, the API takes at most %d" % (len(value), high))


def check_texts(option, values, field=None):
    """Each of a list option's strings must fit the API's limits; the message names the item."""
    for index, value in enumerate(values or []):
        check_text("%s[%d]" % (option, index), value, field or option)


def check_number(option, value, minimum, inclusive=True):
    """``value`` (when set) must be a finite number at least (or, not inclusive, more than) ``minimum``."""
    if value is None:
        return
    if isinstance(value, float) and not math.isfinite(value):
        raise ScalewayInputError(option, "must be a finite number, got %s" % value)
    if value < minimum or (not inclusive and value == minimum):
        raise ScalewayInputError(option, "must be %s %s, got %s" % (
            "at least" if inclusive else "more than", minimum, value))


def check_state_options(params, spec, unused):
    """Refuse an option that has no meaning for the chosen ``state``, naming the option and the state.

    ``unused`` maps a state to the options it does not use; ``spec`` is the module's argument spec. An
    option counts as set when its value is neither None nor its default, so a task may still spell a
    default out; any other value would be silently ignored, so it fails before the first request.
    """
    state = params["state"]
    for option in unused.get(state, ()):
        value = params.get(option)
        if value is not None and value != spec[option].get("default"):
            raise ScalewayInputError(option, "is not used with state=%s" % state)


def _shown(value, limit=60):
    """``value`` quoted for a message, cut so that a huge input does not flood the output."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "...' (%d characters)" % len(value)
