"""Volumes: block devices owned by an organization, attached to at most one server."""

from .errors import bad_request, invalid_state, unknown_reference
from .fields import COMMON_READ_ONLY, NAME, ORGANIZATION, Field, at_least, one_of
from .records import OwnedCollection, OwnedRecord

# No endpoint describes snapshots, so a volume made from one gets this size (50 GB).
SNAPSHOT_VOLUME_SIZE = 50 * 1000 ** 3
SOURCES = ("size", "base_volume", "base_snapshot")


class Volume(OwnedRecord):
    __slots__ = ("name", "size", "type", "base_volume", "base_snapshot", "server")

    def __init__(self, stamp, organization, values, size):
        super().__init__(stamp, organization)
        self.name = values["name"]
        self.size = size
        self.type = values.get("type", "l_ssd")
        self.base_volume = values.get("base_volume")
        self.base_snapshot = values.get("base_snapshot")
        self.server = None


class Volumes(OwnedCollection):
    singular = "volume"
    plural = "volumes"
    page_size = 25
    fields = {
        "name": NAME,
        "organization": ORGANIZATION,
        "size": Field("integer", checks=(at_least(1),)),
        "type": Field("string", checks=(one_of("l_ssd", "b_ssd"),)),
        "base_volume": Field("string", nullable=True),
        "base_snapshot": Field("string", nullable=True),
    }
    read_only = COMMON_READ_ONLY + ("server", "state")
    filters = {"name": lambda volume, value: volume.name == value}

    def create(self, user, body):
        values = self.validate(body)
        given = [name for name in SOURCES if values.get(name) is not None]
        if len(given) != 1:
            raise bad_request("give exactly one of size, base_volume, base_snapshot", given[1] if given else "size")
        organization = self.owner(user, values)
        if "base_volume" in given:
            base = self.items.get(values["base_volume"])
            if base is None or base.organization not in user.org_ids:
                raise unknown_reference("base_volume", "volume", values["base_volume"])
            size = base.size
        elif "base_snapshot" in given:
            if values["base_snapshot"] not in self.store.snapshots:
                raise unknown_reference("base_snapshot", "snapshot", values["base_snapshot"])
            size = SNAPSHOT_VOLUME_SIZE
        else:
            size = values["size"]
        return self.add(Volume(self.store.stamp(), organization, values, size))

    def delete(self, user, ident):
        volume = self.get(user, ident)
        if volume.server is not None:
            raise invalid_state(f"volume {volume.id!r} is attached to server {volume.server.id!r}")
        self.remove(volume)

    def attachable(self, user, ident, organization, server=None):
        """The volume a server of that organization may mount: visible, same organization, not on another server."""
        volume = self.items.get(ident)
        if volume is None or volume.organization not in user.org_ids:
            raise unknown_reference("volumes", "volume", ident)
        if volume.organization != organization:
            raise bad_request(f"volume {ident!r} belongs to another organization than the server", "volumes")
        if volume.server is not None and volume.server is not server:
            raise invalid_state(f"volume {ident!r} is attached to server {volume.server.id!r}", "volumes")
        return volume

    def serialize(self, record):
        server = record.server
        return {
            "id": record.id,
            "name": record.name,
            "organization": record.organization,
            "size": record.size,
            "type": record.type,
            "base_volume": record.base_volume,
            "base_snapshot": record.base_snapshot,
            "server": None if server is None else {"id": server.id, "name": server.name},
            "state": "available" if server is None else "in_use",
            "creation_date": record.creation_date,
            "modification_date": record.modification_date,
        }
