"""Tags, their attachment to servers, and their metadata entries."""

import itertools

from .errors import conflict, bad_request, unknown_reference, unknown_resource
from .fields import COMMON_READ_ONLY, NAME, ORGANIZATION, Field, length, validate
from .records import BY_CREATION, OwnedCollection, OwnedRecord

METADATA_KEY = Field("string", required=True, checks=(length(1, 128),))
METADATA_VALUE = Field("string", required=True, checks=(length(0, 4096),))
METADATA_CREATE = {"metadata_key": METADATA_KEY, "metadata_value": METADATA_VALUE}
# On update the key comes from the URL; the body may repeat it but not change it.
METADATA_UPDATE = {"metadata_key": Field("string", create_only=True), "metadata_value": METADATA_VALUE}
METADATA_READ_ONLY = ("key", "value")
ATTACH_FIELDS = {"tag_id": Field("string", required=True)}
# A tag as the API returns it carries this many of its metadata entries (docs/docsite/rst/guide_api.rst).
EMBEDDED_METADATA = 100


def check_metadata_key(key):
    """A key is one URL segment: '.' and '..' cannot be addressed, nor a key with a control character."""
    if key in (".", "..") or any(ord(char) < 32 or ord(char) == 127 for char in key):
        raise bad_request(f"metadata key {key!r} cannot be addressed: not '.' or '..', no control characters",
                          "metadata_key")


class Tag(OwnedRecord):
    __slots__ = ("name", "type", "servers", "metadata")

    def __init__(self, stamp, organization, name, kind):
        super().__init__(stamp, organization)
        self.name = name
        self.type = kind
        self.servers = {}
        self.metadata = {}


class MetadataEntry:
    __slots__ = ("metadata_key", "metadata_value")

    def __init__(self, key, value):
        self.metadata_key = key
        self.metadata_value = value


class Tags(OwnedCollection):
    singular = "tag"
    plural = "tags"
    page_size = 100
    fields = {"name": NAME, "type": Field("string", checks=(length(1, 255),)), "organization": ORGANIZATION}
    read_only = COMMON_READ_ONLY + ("servers", "metadatas", "metadatas_count")
    filters = {
        "name": lambda tag, value: tag.name == value,
        "server_id": lambda tag, value: value in tag.servers,
    }

    def create(self, user, body):
        values = self.validate(body)
        organization = self.owner(user, values)
        return self.add(Tag(self.store.stamp(), organization, values["name"], values.get("type", "user")))

    def create_default(self, organization):
        """The tag every new server gets, as the blueprint says."""
        return self.add(Tag(self.store.stamp(), organization, "default", "server"))

    def update(self, user, ident, body):
        tag = self.get(user, ident)
        tag.assign(self.validate(body, tag), ("name", "type"))
        return tag

    def delete(self, user, ident):
        tag = self.get(user, ident)
        for server in list(tag.servers.values()):
            self.detach(server, tag)
        self.remove(tag)

    # --- attachment to servers

    @staticmethod
    def attach(server, tag):
        server.tags[tag.id] = tag
        tag.servers[server.id] = server

    @staticmethod
    def detach(server, tag):
        del server.tags[tag.id]
        del tag.servers[server.id]
        server.touch()

    def detach_all(self, server):
        for tag in list(server.tags.values()):
            self.detach(server, tag)

    @staticmethod
    def of_server(server):
        return sorted(server.tags.values(), key=BY_CREATION)

    def attach_by_body(self, user, server, body):
        """Attach the tag named by `tag_id`; return it and whether it was newly attached."""
        tag_id = validate(body, ATTACH_FIELDS, ())["tag_id"]
        tag = self.items.get(tag_id)
        if tag is None or tag.organization not in user.org_ids:
            raise unknown_reference("tag_id", "tag", tag_id)
        if tag.organization != server.organization:
            raise bad_request(f"tag {tag_id!r} belongs to another organization than server {server.id!r}", "tag_id")
        if tag.id in server.tags:
            return tag, False
        self.attach(server, tag)
        server.touch()
        return tag, True

    def detach_by_id(self, server, tag_id):
        tag = server.tags.get(tag_id)
        if tag is None:
            raise unknown_resource("tag attached to this server", tag_id)
        self.detach(server, tag)

    # --- metadata entries

    def list_metadata(self, user, ident, query):
        entries = self.get(user, ident).metadata
        if "key" in query:
            entry = entries.get(query["key"])
            return [entry] if entry is not None else []
        return list(entries.values())

    def create_metadata(self, user, ident, body):
        tag = self.get(user, ident)
        values = validate(body, METADATA_CREATE, METADATA_READ_ONLY)
        key = values["metadata_key"]
        check_metadata_key(key)
        if key in tag.metadata:
            raise conflict(f"tag {tag.id!r} already has metadata {key!r}", "metadata_key")
        entry = tag.metadata[key] = MetadataEntry(key, values["metadata_value"])
        tag.touch()
        return entry

    def update_metadata(self, user, ident, key, body):
        entry = self._metadata(user, ident, key)
        values = validate(body, METADATA_UPDATE, METADATA_READ_ONLY, entry)
        if "metadata_value" not in values:
            raise bad_request("metadata_value is required", "metadata_value")
        entry.metadata_value = values["metadata_value"]
        self.items[ident].touch()
        return entry

    def delete_metadata(self, user, ident, key):
        self._metadata(user, ident, key)
        tag = self.items[ident]
        del tag.metadata[key]
        tag.touch()

    def _metadata(self, user, ident, key):
        check_metadata_key(key)
        entry = self.get(user, ident).metadata.get(key)
        if entry is None:
            raise unknown_resource("metadata", key)
        return entry

    @staticmethod
    def serialize_metadata(entry):
        return {"key": entry.metadata_key, "value": entry.metadata_value}

    def serialize(self, record):
        return {
            "id": record.id,
            "name": record.name,
            "type": record.type,
            "organization": record.organization,
            "servers": len(record.servers),
            # Dicts keep insertion order, and an update keeps a key's place: the order keys were created.
            "metadatas": [self.serialize_metadata(entry)
                          for entry in itertools.islice(record.metadata.values(), EMBEDDED_METADATA)],
            "metadatas_count": len(record.metadata),
            "creation_date": record.creation_date,
            "modification_date": record.modification_date,
        }
