# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Creating a named object so that every run agrees on one: lost answers and concurrent creates.

The API lets several objects share a name, so two runs that create the same
volume at the same time would leave two, and the next run would fail on the
ambiguous name. ``create_once`` makes concurrent creates converge:

- the POST carries a lookup, so a create whose answer was lost adopts what it
  made instead of sending it again (the client decides when a lookup is conclusive);
- after the create, the name is looked up again; when other objects of that
  name and organization appeared meanwhile, the one that sorts first by
  (``creation_date``, ``id``) is the one every run keeps: a run whose new object
  lost deletes it (it was just made and nobody adopted it) and adopts the winner;
  it also deletes the other losers created after the winner and within
  CONVERGING_WINDOW of it: a copy whose POST answer was lost (its run adopted
  the winner through its lookup, never knowing it had made one) is left to
  nobody else;
- a create refused because another run got there first (a container's unique
  name: ``conflict``; a volume another run's new server took: ``invalid_state``)
  adopts the object of that name when there is one;
- a run that finds (rather than creates) may see the copies of concurrent runs
  before the losers have deleted theirs: ``named_settled`` looks again, after 1
  then 2 seconds, while the objects of a name were all created within
  CONVERGING_WINDOW of each other, before the caller calls the name ambiguous.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from datetime import datetime, timedelta, timezone

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import NOT_THE_API_HINT, ScalewayAPIError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.paths import item_path
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import find_named

# Error codes that mean "someone else's create of this name won": adopt theirs.
LOST_RACE_CODES = ("conflict", "invalid_state")
# Objects of one name created this many seconds apart or less may be concurrent creates still converging.
CONVERGING_WINDOW = 60
# The waits before each new look at such a name: 3 seconds at most in all.
SETTLE_WAITS = (1.0, 2.0)


def first_created(objects):
    """The object every concurrent run keeps: the first by (creation_date, id); None for none."""
    objects = [item for item in objects if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]]
    if not objects:
        return None
    return min(objects, key=_creation_order)


def _creation_order(item):
    """Sort key: the creation time as a point in time (whatever its written form), then the id.

    Objects whose date cannot be read sort after every dated one, by the text of their date.
    """
    at = _created_at(item)
    if at is None:
        return (1, 0.0, "%s" % (item.get("creation_date") or ""), item["id"])
    return (0, _timestamp(at), "", item["id"])


def _timestamp(moment):
    """Seconds since the epoch (a date without a time zone was read as UTC: the API's dates are)."""
    return moment.timestamp()


def create_once(client, path, singular, plural, body, organization=None, params=None):
    """POST ``body`` to ``path``; ``(object, wrote)``: the one object of its name every run converges on.

    ``wrote`` is False only when the API refused the create because another run
    had made the object (nothing was written). ``singular``/``plural`` are the
    envelope keys of one object and of the list; ``organization`` and ``params``
    narrow the name lookups as in ``find_named``.
    """
    name = body["name"]

    def named():
        return find_named(client, path, plural, name, organization, params=params)

    try:
        created = client.create(path, singular, body, lookup=lambda: first_created(named()))
    except ScalewayAPIError as exc:
        winner = first_created(named()) if exc.status in (400, 402) and exc.code in LOST_RACE_CODES else None
        if winner is None:
            raise
        return winner, False
    if not isinstance(created, dict) or not isinstance(created.get("id"), str) or not created["id"]:
        raise ScalewayAPIError("POST", path, "the API's answer describes no %s with an id" % singular,
                               hint=NOT_THE_API_HINT % client.api_url)
    present = dict((item["id"], item) for item in named() if isinstance(item.get("id"), str))
    present.setdefault(created["id"], created)
    winner = first_created(present.values())
    losers = later_copies(winner, present.values())
    if winner["id"] != created["id"] and created["id"] not in [loser["id"] for loser in losers]:
        losers.append(created)
    for loser in losers:
        try:
            client.delete(item_path(path, loser["id"], "%s.id" % singular), missing_ok=True)
        except ScalewayAPIError as exc:
            # Another run deleted its own copy first: it is gone all the same.
            if not (exc.status == 404 and exc.type is not None):
                raise
    return winner, True


def later_copies(winner, objects):
    """The objects, other than ``winner``, created after it and within CONVERGING_WINDOW of it.

    Each of them was made by a run that has adopted, or will adopt, the winner:
    a copy that sorts after the winner is never what any run keeps. One whose
    date equals the winner's is left alone (which run sees which first is not
    known), and so is any object whose date cannot be read.
    """
    start = _created_at(winner)
    copies = []
    for item in objects:
        at = _created_at(item)
        if item["id"] == winner["id"] or start is None or at is None:
            continue
        if 0 < _timestamp(at) - _timestamp(start) <= CONVERGING_WINDOW:
            copies.append(item)
    return copies


# An ISO 8601 date and time as the API writes it: any number of fraction digits, Z or an offset, or none.
_ISO_TIME = re.compile(r"^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(Z|[+-]\d\d:?\d\d)?$",
                       re.IGNORECASE)


def _created_at(item):
    """An object's ``creation_date`` as a datetime, read the same way on every Python; None when unreadable."""
    try:
        found = _ISO_TIME.match(("%s" % item["creation_date"]).strip())
    except (KeyError, TypeError):
        return None
    if not found:
        return None
    year, month, day, hour, minute, second, fraction, zone = found.groups()
    offset = timezone.utc
    if zone and zone.upper() != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                        int((fraction or "0")[:6].ljust(6, "0")), tzinfo=offset)
    except ValueError:
        return None


def named_settled(client, path, plural, name, organization=None, params=None):
    """Every object named ``name`` (as ``find_named``), waiting out concurrent creates that are converging.

    Several objects of the name, all created within CONVERGING_WINDOW of each
    other, may be the copies of runs that are still deleting theirs: the name is
    looked up again after each of SETTLE_WAITS while that holds. Older twins are
    returned at once, so a truly ambiguous name costs no wait.
    """
    matches = find_named(client, path, plural, name, organization, params=params)
    for wait in SETTLE_WAITS:
        if len(matches) < 2 or not created_together(matches) or client.past_deadline(wait):
            break
        client.sleep(wait)
        matches = find_named(client, path, plural, name, organization, params=params)
    return matches


def created_together(objects):
    """Whether every object's ``creation_date`` is within CONVERGING_WINDOW of the others (unreadable: False)."""
    dates = [_created_at(item) for item in objects]
    if None in dates:
        return False
    times = [_timestamp(date) for date in dates]
    return max(times) - min(times) <= CONVERGING_WINDOW
