# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Paths: the one rule for every URL path built from a value (an option or an API answer).

A value is exactly one percent-encoded path segment, or it is refused before
anything is sent: ``.``, ``..``, empty, a control character, or text that is not
UTF-8 raise ScalewayInputError naming the option or the API field it came from
(``/``, ``?``, ``#`` and ``%`` are encoded, so they stay inside the segment). An
object path is several segments joined by ``/`` and follows the object-path rules
(common.object_path_error) whether it comes from an option or from the API.

``api_path()`` is the only builder (resources.py calls it); ``request_path_error()``,
which transport.py applies to every request, is the client's last line of defence: it refuses any path with an empty, ``.`` or
``..`` segment (the HTTP stack removes dot segments: ``/tags/ID/metadatas/..``
would be sent as ``/tags/ID/``) or a raw ``?``, ``#`` or control character. The
rules the API itself applies are in docs/docsite/rst/guide_api.rst.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from urllib.parse import quote, unquote

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.common import object_path_error
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayInputError, cut_text

# The fixed names of the API's paths (``servers``, ``organizations/summary``): code, never a value.
_NAME_RE = re.compile(r"^[a-z_]+(/[a-z_]+)*$")


def _has_control(text):
    return any(ord(char) < 32 or ord(char) == 127 for char in text)


def segment_error(value):
    """Why ``value`` cannot be one path segment, or None when it can."""
    if not isinstance(value, str):
        return "must be a string, got %s" % type(value).__name__
    if value == "":
        return "must not be empty"
    if value in (".", ".."):
        return "%r cannot be one segment of a URL (it would name another resource)" % value
    if _has_control(value):
        return "must not contain control characters"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid UTF-8"
    return None


def segment(value, source):
    """``value`` as one percent-encoded path segment; ScalewayInputError naming ``source`` when it cannot be."""
    error = segment_error(value)
    if error:
        raise ScalewayInputError(source, "%s (got %s)" % (error, cut_text(repr(value), 100)))
    return quote(value.encode("utf-8"), safe="")


def object_path(value, source):
    """An object path as URL segments (``/`` kept), checked with the object-path rules, naming ``source``."""
    error = object_path_error(value)
    if error:
        raise ScalewayInputError(source, "%s %s" % (cut_text(repr(value), 100), error))
    return quote(value.encode("utf-8"), safe="/")


class ObjectPath:
    """A value of api_path() that is an object path (several segments) rather than one segment."""

    def __init__(self, value, source):
        self.value = value
        self.source = source


def api_path(*parts):
    """``/name/value/...``: each part a fixed name of the API (str), a ``(value, source)`` pair or an ObjectPath."""
    built = []
    for part in parts:
        if isinstance(part, ObjectPath):
            built.append(object_path(part.value, part.source))
        elif isinstance(part, tuple):
            built.append(segment(*part))
        elif isinstance(part, str) and _NAME_RE.match(part):
            built.append(part)
        else:
            raise TypeError("api_path() takes fixed names and (value, source) pairs, got %r" % (part,))
    return "/" + "/".join(built)


def item_path(list_path, value, source):
    """One object of the list at ``list_path`` (a path of resources.py): ``value`` is one more segment."""
    return "%s/%s" % (list_path, segment(value, source))


def request_path_error(path):
    """Why the client must not send ``path`` (a path under api_url), or None when it may."""
    if not isinstance(path, str) or not path.startswith("/"):
        return "it does not start with '/'"
    if "?" in path or "#" in path:
        return "it holds a raw '?' or '#'"
    if _has_control(path):
        return "it holds a control character"
    for part in path[1:].split("/"):
        if unquote(part) in ("", ".", ".."):
            return "it has an empty, '.' or '..' segment"
    return None
