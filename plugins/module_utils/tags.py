# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Tags: their metadata read as a dict, validated and reconciled key by key, and the servers they are on.

Metadata entries live under ``/tags/{id}/metadatas`` as ``{"key", "value"}``
pairs, and a tag as the API returns it carries its first 100 of them;
modules and the inventory see them as one ``{key: value}`` dict.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.checks import check_text
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayInputError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.paths import segment_error
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import METADATAS, SERVERS

METADATA_KEY_MAX = 128
METADATA_VALUE_MAX = 4096
# A tag as the API returns it carries at most this many metadata entries (docs/docsite/rst/guide_api.rst).
EMBEDDED_METADATA_MAX = 100


def metadata_path(tag_id, key=None, source="metadata"):
    """The tag's metadata list, or the entry of ``key`` (one segment: ``source`` names where it came from)."""
    if key is None:
        return METADATAS.list_path((tag_id, "id"))
    return METADATAS.item_path((key, source), (tag_id, "id"))


def embedded_metadata(tag):
    """The whole metadata of ``tag`` as a dict when the tag itself carries it, else None.

    None means it must be read from ``/tags/{id}/metadatas``: the API did not
    embed it (an API without the field), or the tag has more entries than an
    answer embeds. Entries that are not ``{"key": str, "value": str}`` make it
    None too, so an odd answer costs a read rather than a wrong variable.
    """
    entries, count = tag.get("metadatas"), tag.get("metadatas_count")
    if not isinstance(entries, list) or not isinstance(count, int) or isinstance(count, bool):
        return None
    if count != len(entries) or count > EMBEDDED_METADATA_MAX:
        return None
    metadata = {}
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("key"), str) \
                or not isinstance(entry.get("value"), str):
            return None
        metadata[entry["key"]] = entry["value"]
    return metadata


def tag_metadata(client, tag_id):
    """The metadata of one tag as a dict (one paged list, 500 entries a page)."""
    return dict((entry["key"], entry["value"]) for entry in client.paginate(metadata_path(tag_id), "metadatas"))


# Why metadata_of had to read a tag's metadata: the tag carries only part of it (more entries than an
# answer embeds, or entries it cannot use), or none at all (an API from before tags carried it).
METADATA_INCOMPLETE = "incomplete"
METADATA_NOT_EMBEDDED = "not embedded"
# Said once per task when a tag came without its metadata (METADATA_NOT_EMBEDDED).
NOT_EMBEDDED_WARNING = ("the API at api_url sent tags without their metadata (an API older than its contract), "
                        "so it was read with one more request per tag")


def metadata_of(client, tag):
    """The whole metadata of ``tag`` (as the API returned it) as a dict, and why it had to be read.

    Returns ``(metadata, read)``: ``read`` is None when the tag carries all of it
    (no request), else METADATA_INCOMPLETE or METADATA_NOT_EMBEDDED, after one
    paged read of ``/tags/{id}/metadatas``.
    """
    metadata = embedded_metadata(tag)
    if metadata is not None:
        return metadata, None
    read = METADATA_NOT_EMBEDDED if tag.get("metadatas") is None else METADATA_INCOMPLETE
    return tag_metadata(client, tag["id"]), read


def tag_view(tag, metadata):
    """A tag as modules return it: the API's fields, and its whole metadata as one dict, ``metadata``.

    ``metadatas`` and ``metadatas_count`` are left out: they hold at most part of
    ``metadata``, and an older API does not send them.
    """
    view = dict((field, value) for field, value in tag.items() if field not in ("metadatas", "metadatas_count"))
    view["metadata"] = metadata
    return view


def attached_servers(client, tags, organization=None):
    """The servers each of ``tags`` is attached to: ``{tag id: [{"id", "name"}, ...]}``, every tag included.

    The API has no list of a tag's servers, so this lists the servers carrying
    each distinct tag name (``GET /servers?tag=NAME``, in ``organization`` when
    given) and keeps, for each tag, the servers whose ``tags`` hold its id (names
    need not be unique, ids are). A tag whose ``servers`` count is 0 costs nothing.
    """
    attached = dict((tag["id"], []) for tag in tags)
    servers = {}
    for name in sorted(set(tag["name"] for tag in tags if tag.get("servers") != 0)):
        query = dict((key, value) for key, value in (("tag", name), ("organization", organization)) if value)
        for server in client.paginate(SERVERS.path, SERVERS.plural, params=query):
            # A server carrying two of the names comes back once per name; keep it once.
            servers.setdefault(server["id"], server)
    for server in servers.values():
        for tag in server.get("tags") or []:
            if tag.get("id") in attached:
                attached[tag["id"]].append({"id": server["id"], "name": server.get("name")})
    return attached


def find_metadata(client, tag_id, key):
    """The entry of ``key`` on the tag, or None (the list filtered by key)."""
    for entry in client.paginate(metadata_path(tag_id), "metadatas", params={"key": key}):
        if entry.get("key") == key:
            return entry
    return None


def metadata_error(metadata, option="metadata"):
    """Why ``metadata`` cannot be sent to the API (a message naming ``option`` and the key), or None."""
    problem = _metadata_problem(metadata)
    return None if problem is None else "%s: %s" % (option, problem)


def _metadata_problem(metadata):
    """Why ``metadata`` cannot be sent to the API (naming the key), or None.

    Values must already be strings: converting 8080 or true silently would store
    text the user did not write (true becomes "True"), so the user quotes them.
    """
    if not isinstance(metadata, dict):
        return "must be a dict of strings, got %s" % _kind(metadata)
    for key in sorted(metadata, key=lambda item: "%s" % (item,)):
        if not isinstance(key, str):
            return "key %r must be a string, got %s" % (key, _kind(key))
        if not 1 <= len(key) <= METADATA_KEY_MAX:
            return "key %r must be 1 to %d characters long, got %d" % (key, METADATA_KEY_MAX, len(key))
        problem = segment_error(key)
        if problem:
            # A key is one URL segment: '.', '..' and control characters cannot address one key.
            return "key %r cannot be used: %s" % (key, problem)
        value = metadata[key]
        if not isinstance(value, str):
            return "the value of key %r must be a string, got %s %r; quote it" % (key, _kind(value), value)
        if len(value) > METADATA_VALUE_MAX:
            return "the value of key %r is %d characters long, the limit is %d" % (key, len(value), METADATA_VALUE_MAX)
    return None


def _kind(value):
    """The plain type a value is (a templated value of a role is a subclass of it): ``int`` for 80."""
    for kind in (bool, int, float, str, bytes, list, dict):
        if isinstance(value, kind):
            return kind.__name__
    return type(value).__name__


def check_tag_input(tag, where=""):
    """The checks of a tag's ``name``, ``type`` and ``metadata`` (a dict of them) made before any request.

    The one rule for scaleway_tag and for the servers role's ``servers_tags`` (through the
    ``tag_input_errors`` filter); ``where`` prefixes the option a failure names (``servers_tags[2]``).
    """
    def option(field):
        return "%s.%s" % (where, field) if where else field

    check_text(option("name"), tag.get("name"), "name")
    check_text(option("type"), tag.get("type"), "tag_type")
    problem = _metadata_problem(tag.get("metadata") or {})
    if problem:
        raise ScalewayInputError(option("metadata"), problem)


class MetadataPlan:
    """What to send so that a tag's metadata ``current`` becomes ``wanted``.

    Keys of ``wanted`` missing from ``current`` are created, differing values
    are updated, and with ``purge`` the keys not in ``wanted`` are deleted.
    ``result`` is the metadata after the plan is carried out.
    """

    def __init__(self, current, wanted, purge):
        self.create = dict((key, value) for key, value in wanted.items() if key not in current)
        self.update = dict((key, value) for key, value in wanted.items()
                           if key in current and current[key] != value)
        self.delete = sorted(key for key in current if key not in wanted) if purge else []
        self.result = dict((key, value) for key, value in current.items() if key not in self.delete)
        self.result.update(wanted)

    def __bool__(self):
        return bool(self.create or self.update or self.delete)

    def delete_paths(self, tag_id):
        """The URL of each listed key to delete; a key that cannot be one segment (a listed ``..``) fails here.

        A caller that writes something else first (a rename) calls this before that write and passes the
        paths to ``apply``, so such a key fails the task with nothing sent.
        """
        return [metadata_path(tag_id, key, "metadatas[].key") for key in self.delete]

    def apply(self, client, tag_id, deletes=None):
        """Send the writes, key by key; return the metadata as the API now has it.

        Every key is made into its URL before the first write (``deletes``: the paths
        ``delete_paths`` made, else made now). A key the API says is already gone (its 404)
        counts as deleted.
        """
        result = {}
        updates = dict(self.update)
        if deletes is None:
            deletes = self.delete_paths(tag_id)
        for key in sorted(self.create):
            entry = client.create(metadata_path(tag_id), "metadata",
                                  {"metadata_key": key, "metadata_value": self.create[key]},
                                  lookup=lambda key=key: find_metadata(client, tag_id, key))
            result[key] = entry.get("value")
            if result[key] != self.create[key]:
                # The lookup after a lost answer found the key written by someone else: set our value.
                updates[key] = self.create[key]
        for key in sorted(updates):
            entry = client.update(metadata_path(tag_id, key), "metadata", {"metadata_value": updates[key]})
            result[key] = entry.get("value")
        for path in deletes:
            client.delete(path, missing_ok=True)
        merged = dict(self.result)
        merged.update(result)
        return merged
