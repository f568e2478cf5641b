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

from datetime import datetime

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import ScalewayAPIError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.common import quote_segment
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import find_named

# Error codes that mean "someone else's create of this name won": adopt theirs.
LOST_RACE_CODES = ("conflict", "invalid_state")
# Objects of one name created this many seconds apart or less may be concurrent creates still converging.
CONVERGING_WINDOW = 60
# The waits before each new look at such a name: 3 seconds at most in all.
SETTLE_WAITS = (1.0, 2.0)


def first_created(objects):
    """The object every concurrent run keeps: the first by (creation_date, id); None for none."""
    objects = [item for item in objects if isinstance(item, dict) and item.get("id")]
    if not objects:
        return None
    return min(objects, key=lambda item: ("%s" % (item.get("creation_date") or ""), item["id"]))


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
    winner = first_created(named() + [created])
    if winner["id"] != created["id"]:
        client.delete("%s/%s" % (path, quote_segment(created["id"])))
    return winner, True


def named_settled(client, path, plural, name, organization=None, params=None):
    """Every object named ``name`` (as ``find_named``), waiting out concurrent creates that are converging.

    Several objects of the name, all created within CONVERGING_WINDOW of each
    other, may be the copies of runs that are still deleting theirs: the name is
    looked up again after each of SETTLE_WAITS while that holds. Older twins are
    returned at once, so a truly ambiguous name costs no wait.
    """
    matches = find_named(client, path, plural, name, organization, params=params)
    for wait in SETTLE_WAITS:
        if len(matches) < 2 or not created_together(matches):
            break
        client.sleep(wait)
        matches = find_named(client, path, plural, name, organization, params=params)
    return matches


def created_together(objects):
    """Whether every object's ``creation_date`` is within CONVERGING_WINDOW of the others (unreadable: False)."""
    try:
        dates = [datetime.fromisoformat(("%s" % item["creation_date"]).replace("Z", "+00:00")) for item in objects]
        return (max(dates) - min(dates)).total_seconds() <= CONVERGING_WINDOW
    except (KeyError, TypeError, ValueError):
        return False
