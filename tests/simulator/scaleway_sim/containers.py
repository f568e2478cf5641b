"""Containers: named object stores, unique by name within an organization."""

from .errors import conflict, not_empty
from .fields import COMMON_READ_ONLY, NAME, ORGANIZATION
from .records import OwnedCollection, OwnedRecord


class Container(OwnedRecord):
    __slots__ = ("name", "objects", "size")

    def __init__(self, stamp, organization, name):
        super().__init__(stamp, organization)
        self.name = name
        self.objects = {}
        self.size = 0


class Containers(OwnedCollection):
    singular = "container"
    plural = "containers"
    page_size = 10
    fields = {"name": NAME, "organization": ORGANIZATION}
    read_only = COMMON_READ_ONLY + ("objects_count", "size")
    filters = {"name": lambda container, value: container.name == value}

    def __init__(self, store):
        super().__init__(store)
        self.names = {}

    def create(self, user, body):
        values = self.validate(body)
        organization = self.owner(user, values)
        self._check_free(organization, values["name"])
        container = self.add(Container(self.store.stamp(), organization, values["name"]))
        self.names[organization, container.name] = container
        return container

    def update(self, user, ident, body):
        container = self.get(user, ident)
        values = self.validate(body, container)
        name = values.get("name", container.name)
        if name != container.name:
            self._check_free(container.organization, name)
            del self.names[container.organization, container.name]
            self.names[container.organization, name] = container
            container.name = name
            container.touch()
        return container

    def delete(self, user, ident):
        container = self.get(user, ident)
        if container.objects:
            raise not_empty(f"container {container.id!r} still holds {len(container.objects)} objects")
        del self.names[container.organization, container.name]
        self.remove(container)

    def _check_free(self, organization, name):
        if (organization, name) in self.names:
            raise conflict(f"a container named {name!r} already exists in this organization", "name")

    def serialize(self, record):
        return {
            "id": record.id,
            "name": record.name,
            "organization": record.organization,
            "objects_count": len(record.objects),
            "size": record.size,
            "creation_date": record.creation_date,
            "modification_date": record.modification_date,
        }
