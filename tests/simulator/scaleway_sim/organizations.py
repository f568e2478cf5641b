"""Organizations: the tenants. A user sees only the organizations it is a member of."""

from .errors import bad_request, not_empty, unknown_reference, unknown_resource
from .fields import COMMON_READ_ONLY, NAME, Field, length, validate
from .records import Record

REQUIRED_TEXT = Field("string", required=True, checks=(length(1, 255),))
OPTIONAL_TEXT = Field("string", checks=(length(0, 255),))
CONTACTS = Field("string_list")

FIELDS = {
    "name": NAME,
    "address_line1": REQUIRED_TEXT,
    "address_line2": OPTIONAL_TEXT,
    "address_zip": REQUIRED_TEXT,
    "address_city": REQUIRED_TEXT,
    "address_state": OPTIONAL_TEXT,
    "address_country": REQUIRED_TEXT,
    "technical_contacts": CONTACTS,
    "administrative_contacts": CONTACTS,
    "billing_contacts": CONTACTS,
}
READ_ONLY = COMMON_READ_ONLY + ("level",)
# The API guide (docs/docsite/rst/guide_api.rst) names `level` only for the summary; every organization is at the one level the simulator knows.
LEVEL = "basic"


class Organization(Record):
    __slots__ = ("values",)

    def __init__(self, stamp, values):
        super().__init__(stamp)
        # Fields not given start empty, so that every organization has the same shape.
        self.values = {name: [] if field is CONTACTS else "" for name, field in FIELDS.items()}
        self.values.update(values)

    @property
    def name(self):
        return self.values["name"]


class Organizations:
    singular = "organization"
    plural = "organizations"
    page_size = 25

    def __init__(self, store):
        self.store = store
        self.items = {}

    def add_fixture(self, name):
        org = Organization(self.store.stamp(), {"name": name})
        self.items[org.id] = org
        return org

    def list(self, user, query=None):
        del query  # the blueprint defines no filter for organizations
        return [org for org in self.items.values() if org.id in user.org_ids]

    def get(self, user, ident):
        if ident not in user.org_ids or ident not in self.items:
            raise unknown_resource(self.singular, ident)
        return self.items[ident]

    def create(self, user, body):
        values = validate(body, FIELDS, READ_ONLY)
        org = Organization(self.store.stamp(), values)
        self.items[org.id] = org
        user.org_ids.add(org.id)
        return org

    def update(self, user, ident, body):
        org = self.get(user, ident)
        values = validate(body, FIELDS, READ_ONLY, org)
        if any(org.values[name] != value for name, value in values.items()):
            org.values.update(values)
            org.touch()
        return org

    def delete(self, user, ident):
        org = self.get(user, ident)
        if self.store.owns_resources(org.id):
            raise not_empty(f"organization {org.id!r} still owns servers, volumes, tags or containers")
        del self.items[org.id]
        for member in self.store.users.values():
            member.org_ids.discard(org.id)

    def resolve(self, user, org_id):
        """The organization a new resource goes to: the one named, or the user's only one."""
        if org_id is None:
            if len(user.org_ids) == 1:
                return next(iter(user.org_ids))
            raise bad_request(f"organization is required: this token belongs to {len(user.org_ids)} organizations", "organization")
        if org_id not in user.org_ids:
            raise unknown_reference("organization", "organization", org_id)
        return org_id

    @staticmethod
    def serialize(org):
        out = {"id": org.id}
        for name, value in org.values.items():
            out[name] = list(value) if isinstance(value, list) else value
        out["level"] = LEVEL
        out["creation_date"] = org.creation_date
        out["modification_date"] = org.modification_date
        return out

    @staticmethod
    def summarize(org):
        return {"id": org.id, "name": org.name, "level": LEVEL}
