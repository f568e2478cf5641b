"""Typed reading of query parameters."""

from .errors import bad_request

TRUE = ("true", "1")
FALSE = ("false", "0")


def flag(query, name, default=None):
    """A boolean query parameter: true/false (any case) or 1/0, else 400 naming it."""
    if name not in query:
        return default
    value = query[name].lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise bad_request(f"{name} must be true or false", name)


def integer(query, name, default, low, high=None):
    """An integer query parameter within [low, high], else 400 naming it."""
    if name not in query:
        return default
    try:
        value = int(query[name])
    except ValueError:
        value = None
    if value is None or value < low or (high is not None and value > high):
        bounds = f"{low}..{high}" if high is not None else f"at least {low}"
        raise bad_request(f"{name} must be an integer, {bounds}", name)
    return value
