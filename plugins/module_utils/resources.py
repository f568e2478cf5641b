# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Resources: the table of the API's resources, each with its path, singular and plural key.

Every path the collection requests is built here from this table, through
paths.api_path(): a value (an id, a metadata key, an object path) is one segment
(an object path: segments joined by ``/``) or the request is refused naming where
the value came from. No other file writes a resource path. The envelopes and
endpoints are described in docs/docsite/rst/guide_api.rst.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.paths import ObjectPath, api_path


class Resource:
    """One kind of the API's objects: ``name`` in its path, its envelope keys, the resource it lives under.

    ``singular`` is the key of one object (``{"volume": {...}}``), ``plural`` the key of a list.
    A value is a ``(value, source)`` pair: ``source`` names the option or API field it came from.
    """

    def __init__(self, name, singular, plural=None, parent=None, object_paths=False):
        self.name = name
        self.singular = singular
        self.plural = plural or name
        self.parent = parent
        self.object_paths = object_paths

    @property
    def path(self):
        """The list path of a top-level resource (``/volumes``)."""
        return self.list_path()

    def _names(self, parents):
        chain = []
        resource = self
        while resource is not None:
            chain.insert(0, resource)
            resource = resource.parent
        if len(parents) != len(chain) - 1:
            raise TypeError("%s needs %d parent value(s), got %d" % (self.name, len(chain) - 1, len(parents)))
        parts = []
        for resource, parent in zip(chain, parents):
            parts.extend((resource.name, parent))
        parts.append(self.name)
        return parts

    def list_path(self, *parents):
        """The list's path: ``SESSIONS.list_path((server_id, "id"))`` is ``/servers/<id>/sessions``."""
        return api_path(*self._names(parents))

    def item_path(self, value, *parents):
        """One object's path: ``VOLUMES.item_path((volume_id, "id"))``; parents after the value."""
        item = ObjectPath(*value) if self.object_paths else value
        return api_path(*self._names(parents) + [item])


ORGANIZATIONS = Resource("organizations", "organization")
# The organizations of this token's user (id, name, level): the one list every token can read.
ORGANIZATION_SUMMARY = Resource("organizations/summary", None, "organizations")
VOLUMES = Resource("volumes", "volume")
SERVERS = Resource("servers", "server")
# A server's actions: the list is {"actions": [...]}, a POST answers {"task": {...}}.
SERVER_ACTIONS = Resource("action", "task", "actions", parent=SERVERS)
SESSIONS = Resource("sessions", "session", parent=SERVERS)
SERVER_TAGS = Resource("tags", "tag", parent=SERVERS)
TAGS = Resource("tags", "tag")
METADATAS = Resource("metadatas", "metadata", parent=TAGS)
CONTAINERS = Resource("containers", "container")
OBJECTS = Resource("objects", "object", parent=CONTAINERS, object_paths=True)


class OfKind:
    """For a class that declares ``kind`` (a Resource of this table): its ``path``, ``singular`` and ``plural``."""

    kind = None

    @property
    def path(self):
        return self.kind.path

    @property
    def singular(self):
        return self.kind.singular

    @property
    def plural(self):
        return self.kind.plural
