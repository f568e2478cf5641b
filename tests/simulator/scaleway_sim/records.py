"""What every stored resource has, and the base class of the collections owned by an organization."""

import heapq
import time
import uuid
from datetime import datetime, timezone
from operator import attrgetter

from .errors import unknown_resource
from .fields import validate, COMMON_READ_ONLY


def iso(timestamp):
    """ISO 8601 UTC with a fixed precision, so that every date has the same shape."""
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(timespec="microseconds")


class Record:
    """Fields every resource has. `seq` orders records by creation (dates are unique and increasing)."""

    __slots__ = ("id", "seq", "creation_date", "modification_date")

    def __init__(self, stamp):
        seq, timestamp = stamp
        self.id = str(uuid.uuid4())
        self.seq = seq
        self.creation_date = self.modification_date = iso(timestamp)

    def touch(self):
        self.modification_date = iso(time.time())

    def assign(self, values, names):
        """Copy the given names from validated values; touch and return True if anything changed."""
        changed = False
        for name in names:
            if name in values and getattr(self, name) != values[name]:
                setattr(self, name, values[name])
                changed = True
        if changed:
            self.touch()
        return changed


class OwnedRecord(Record):
    """A resource that belongs to exactly one organization."""

    __slots__ = ("organization",)

    def __init__(self, stamp, organization):
        super().__init__(stamp)
        self.organization = organization


BY_CREATION = attrgetter("seq")


class OwnedCollection:
    """The records of one resource type, indexed by id and by organization, in creation order.

    Subclasses set the names, page size, writable fields and list filters, and implement
    `serialize`; tenancy, lookup and filtering live here once.
    """

    singular = ""
    plural = ""
    page_size = 25
    fields = {}
    read_only = COMMON_READ_ONLY
    # query parameter -> test(record, value); `organization` is handled by the index
    filters = {}
    # query parameter -> the filter it stands for
    aliases = {}

    def __init__(self, store):
        self.store = store
        self.items = {}
        self.by_org = {}

    def add(self, record):
        self.items[record.id] = record
        self.by_org.setdefault(record.organization, {})[record.id] = record
        return record

    def remove(self, record):
        del self.items[record.id]
        del self.by_org[record.organization][record.id]

    def owns_any(self, org_id):
        return bool(self.by_org.get(org_id))

    def get(self, user, ident):
        """The record with that id if this user may see it; else 404, whether it exists or not."""
        record = self.items.get(ident)
        if record is None or record.organization not in user.org_ids:
            raise unknown_resource(self.singular, ident)
        return record

    def validate(self, body, record=None):
        return validate(body, self.fields, self.read_only, record)

    def list(self, user, query):
        """The visible records that pass the query's filters, in creation order."""
        query = {self.aliases.get(name, name): value for name, value in query.items()}
        tests = [(test, query[name]) for name, test in self.filters.items() if name in query]
        records = self._scope(user, query.get("organization"))
        if not tests:
            return list(records)
        return [record for record in records if all(test(record, value) for test, value in tests)]

    def _scope(self, user, organization):
        if organization is not None:
            if organization not in user.org_ids:
                return ()
            return self.by_org.get(organization, {}).values()
        groups = [self.by_org[org_id].values() for org_id in user.org_ids if org_id in self.by_org]
        if len(groups) == 1:
            return groups[0]
        return heapq.merge(*groups, key=BY_CREATION)

    def owner(self, user, values):
        """The organization a new record goes to: the one named in the body, or the user's only one."""
        return self.store.organizations.resolve(user, values.get("organization"))

    def serialize(self, record):
        raise NotImplementedError
