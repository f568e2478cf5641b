"""Users, tokens, organizations and snapshot ids that the simulator starts with."""

import json


class FixtureError(ValueError):
    """A fixtures document that does not have the documented shape."""


class Fixtures:
    """`users` is a list of (token, [organization name, ...]); an organization named by
    several users is one organization with several members."""

    def __init__(self, users, snapshots=()):
        self.users = users
        self.snapshots = list(snapshots)


DEFAULT = Fixtures([("demo-token", ["demo"])])


def _strings(value, where):
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise FixtureError(f"{where} must be a list of non-empty strings")
    return value


def _keys(value, where, allowed, required):
    if not isinstance(value, dict):
        raise FixtureError(f"{where} must be an object")
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise FixtureError(f"{where} has unknown keys: {', '.join(unknown)}")
    missing = [key for key in required if key not in value]
    if missing:
        raise FixtureError(f"{where} needs {', '.join(missing)}")


def parse(document):
    """Fixtures from `{"users": [{"token", "organizations": [names]}], "snapshots": [ids]}`."""
    _keys(document, "fixtures", ("users", "snapshots"), ("users",))
    if not isinstance(document["users"], list):
        raise FixtureError("users must be a list")
    users = []
    tokens = set()
    for index, user in enumerate(document["users"]):
        where = f"users[{index}]"
        _keys(user, where, ("token", "organizations"), ("token", "organizations"))
        token = user["token"]
        if not isinstance(token, str) or not token:
            raise FixtureError(f"{where}.token must be a non-empty string")
        if token in tokens:
            raise FixtureError(f"{where}.token is used twice")
        tokens.add(token)
        users.append((token, _strings(user["organizations"], f"{where}.organizations")))
    return Fixtures(users, _strings(document.get("snapshots", []), "snapshots"))


def load(path):
    """Fixtures from a JSON file; raises FixtureError (or OSError) with a readable message."""
    with open(path, encoding="utf-8") as handle:
        try:
            document = json.load(handle)
        except ValueError as error:
            raise FixtureError(f"{path} is not valid JSON: {error}") from None
    return parse(document)
