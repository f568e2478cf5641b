# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Creating a named object so that every run agrees on one: lost answers and concurrent creates.

The API lets several objects share a name, so two runs that create the same
volume at the same time would leave two, and the next run would fail on the
ambiguous name. ``create_once`` makes concurrent creates converge, and deletes
only what the run can prove it made:

- the POST carries a lookup, so a create whose answer was lost adopts what it
  finds of the name instead of sending it again (the client decides when a
  lookup is conclusive); the run then does not know the id of what it made;
- after the create, the name is looked up again; when other objects of that
  name and organization appeared meanwhile, the one that sorts first by
  (``creation_date``, ``id``) is the one every run keeps. A run whose new object
  lost, and which has its id from its own POST answer, deletes it (it was just
  made and nobody adopted it) and adopts the winner;
- any other copy of the name (made by another tool, or by a run whose POST
  answer was lost, this one included) is never deleted: after the losers of
  concurrent runs had time to delete theirs (``references.named_settled``), the
  copies still there are reported to the caller (``report``) with their ids;
- a create refused because another run got there first (a container's unique
  name: ``conflict``; a volume another run's new server took: ``invalid_state``)
  adopts the object of that name when there is one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import NOT_THE_API_HINT, ScalewayAPIError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.paths import item_path
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import created_at, find_named, named_settled

# Error codes that mean "someone else's create of this name won": adopt theirs.
LOST_RACE_CODES = ("conflict", "invalid_state")


def first_created(objects):
    """The object every concurrent run keeps: the first by (creation_date, id); None for none."""
    objects = [item for item in objects if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]]
    if not objects:
        return None
    return min(objects, key=_creation_order)


def _creation_order(item):
    """Sort key: the creation time as a point in time (whatever its written form), then the id.

    Objects whose date cannot be read sort after every dated one, by the text of their date.
    A date without a time zone is read as UTC (the API's dates are).
    """
    at = created_at(item)
    if at is None:
        return (1, 0.0, "%s" % (item.get("creation_date") or ""), item["id"].lower())
    return (0, at.timestamp(), "", item["id"].lower())


def create_once(client, path, singular, plural, body, organization=None, params=None, report=None):
    """POST ``body`` to ``path``; ``(object, wrote)``: the one object of its name every run converges on.

    ``wrote`` is False only when the API refused the create because another run
    had made the object (nothing was written). ``singular``/``plural`` are the
    envelope keys of one object and of the list; ``organization`` and ``params``
    narrow the name lookups as in ``find_named``.

    Only this run's own new object (its id read from this run's POST answer) is
    ever deleted, when it lost. Other copies of the name that stay are passed to
    ``report(message, ids)`` (``ScalewayModule.report_copies``: a warning and the
    ``unattributed_copies`` result key); every module caller passes it.
    """
    created, wrote, own = post_once(client, path, singular, plural, body, organization, params)
    if not wrote:
        return created, False
    organization = created_in(created, organization)
    named = find_named(client, path, plural, body["name"], organization, params=params)
    return keep_first(client, path, singular, plural, body["name"], created, own, named, organization, params,
                      report), True


def post_once(client, path, singular, plural, body, organization=None, params=None):
    """The create of ``create_once`` without the look at its name after it: ``(object, wrote, own)``.

    ``own`` is the object's id (lower case) when it came from this run's own POST
    answer, None when a lookup after a lost answer found the object (or nothing
    was written). A caller that creates many objects calls ``keep_first`` for each
    one written, once a read made after all the creates shows their names.
    """
    name = body["name"]

    def named():
        return find_named(client, path, plural, name, organization, params=params)

    adopted = []

    def lookup():
        found = first_created(named())
        if found is not None:
            adopted.append(found)
        return found

    try:
        created = client.create(path, singular, body, lookup=lookup)
    except ScalewayAPIError as exc:
        winner = first_created(named()) if exc.status in (400, 402) and exc.code in LOST_RACE_CODES else None
        if winner is None:
            raise
        return winner, False, None
    if not isinstance(created, dict) or not isinstance(created.get("id"), str) or not created["id"]:
        raise ScalewayAPIError("POST", path, "the API's answer describes no %s with an id" % singular,
                               hint=NOT_THE_API_HINT % client.api_url)
    # The id is this run's own only when it came from the POST answer, not from a lookup after a lost one.
    return created, True, None if adopted else created["id"].lower()


def created_in(created, organization):
    """The organization the lookups after a create search: ``organization``, else the created object's.

    Without one they would search every organization: another organization's
    object of the name is no copy of this one.
    """
    if organization is None and isinstance(created.get("organization"), str) and created["organization"]:
        return created["organization"]
    return organization


def keep_first(client, path, singular, plural, name, created, own, named, organization=None, params=None,
               report=None):
    """After the POST that made ``created`` (``own`` as ``post_once`` gives it): the object every run keeps.

    ``named`` are the objects named ``name`` in ``organization`` (``created_in``)
    that a read made after the POST shows. The first of them by (creation_date,
    id) wins; ``own`` is deleted when it lost, and nothing else ever is: the
    other copies still there once concurrent runs had time to delete theirs
    (``references.named_settled``) are passed to ``report`` as in ``create_once``.
    """
    present = dict((item["id"].lower(), item) for item in named if isinstance(item.get("id"), str))
    present.setdefault(created["id"].lower(), created)
    winner = first_created(present.values())
    keep = winner["id"].lower()
    deleted = own if own is not None and own != keep else None
    if deleted:
        # Already gone (the API's own 404: deleted by something else) is the same outcome.
        client.delete(item_path(path, deleted, "%s.id" % singular), missing_ok=True)
    copies = [ident for ident in present if ident not in (keep, own)]
    if copies:
        # Concurrent runs delete their own losing copies: look again (after a wait) while they may be doing so.
        # The read just made is the first look: the same request is not sent twice in a row.
        seen = [item for ident, item in present.items() if ident != deleted]
        copies = [item for item in named_settled(client, path, plural, name, organization, params=params,
                                                 first=seen)
                  if isinstance(item.get("id"), str) and item["id"].lower() not in (keep, own)]
    if copies and report is not None:
        report(copies_message(singular, name, winner, copies), [item["id"] for item in copies])
    return winner


def copies_message(singular, name, winner, copies):
    """The warning about ``copies`` of ``name`` that a create left in place because it cannot prove it made them."""
    return ("%s %r: %d other object(s) of this name (ids: %s) appeared while this task created the one it keeps "
            "(%s), and were left in place: this task cannot prove it made them (another tool, another run, or a "
            "create of its own whose answer was lost may have). Until one is left, a task that finds the %s by name "
            "fails as ambiguous; delete each copy that is nobody's by its id (id and state: absent)" % (
                singular, name, len(copies), ", ".join(item["id"] for item in copies), winner["id"], singular))
