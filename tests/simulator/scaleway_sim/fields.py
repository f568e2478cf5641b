"""Validation of request bodies against the writable fields of a resource."""

from .errors import bad_request


def _is_integer(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_string_list(value):
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _is_string_map(value):
    return isinstance(value, dict) and all(isinstance(item, str) for item in value.values())


KINDS = {
    "string": (lambda value: isinstance(value, str), "a string"),
    "integer": (_is_integer, "an integer"),
    "number": (_is_number, "a number"),
    "string_list": (_is_string_list, "a list of strings"),
    "string_map": (_is_string_map, "an object of strings"),
}


class Field:
    """A writable body field: its JSON kind, whether create needs it, and extra checks.

    A check takes the value and returns a problem ("must be ...") or None.
    A create-only field may be sent on update only with its current value.
    """

    def __init__(self, kind, required=False, nullable=False, checks=(), create_only=False):
        self.kind = kind
        self.required = required
        self.nullable = nullable
        self.checks = checks
        self.create_only = create_only


def length(low, high):
    def check(value):
        if low <= len(value) <= high:
            return None
        return f"must be {low} to {high} characters long"
    return check


def one_of(*choices):
    def check(value):
        if value in choices:
            return None
        return "must be one of " + ", ".join(choices)
    return check


def at_least(low):
    def check(value):
        if value >= low:
            return None
        return f"must be at least {low}"
    return check


def validate(body, fields, read_only, record=None):
    """Check a request body and return it; `record` is the current object when updating.

    Raises a 400 naming the field for an unknown or read-only field, a wrong JSON
    type, a failed check, a changed create-only field or (on create) a missing one.
    """
    if not isinstance(body, dict):
        raise bad_request("the request body must be a JSON object")
    for name, value in body.items():
        field = fields.get(name)
        if field is None:
            if name in read_only:
                raise bad_request(f"{name} is read-only", name)
            raise bad_request(f"unknown field {name!r}", name)
        if value is None and field.nullable:
            continue
        test, label = KINDS[field.kind]
        if not test(value):
            raise bad_request(f"{name} must be {label}" + (" or null" if field.nullable else ""), name)
        for check in field.checks:
            problem = check(value)
            if problem:
                raise bad_request(f"{name} {problem}", name)
        if record is not None and field.create_only and value != getattr(record, name):
            raise bad_request(f"{name} cannot be changed after creation", name)
    if record is None:
        for name, field in fields.items():
            if field.required and name not in body:
                raise bad_request(f"{name} is required", name)
    return body


NAME = Field("string", required=True, checks=(length(1, 255),))
ORGANIZATION = Field("string", create_only=True)
COMMON_READ_ONLY = ("id", "creation_date", "modification_date")
