# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Lookups: turning what a user wrote in an option (an id or a name) into the API object it means.

Used where one resource points at another (a server's volumes and tags, a
volume's base volume, an object's container) and where a module finds the
object it manages by name. Failures name the option and list every candidate
id, so the user can pick one. A name found on several objects created together
may be concurrent creates still converging (see ``creation.create_once``):
``named_settled`` looks again before calling it ambiguous.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from datetime import datetime, timedelta, timezone

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayInputError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.common import is_uuid, same_id
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.paths import item_path
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import ORGANIZATION_SUMMARY


# Objects of one name created this many seconds apart or less may be concurrent creates still converging.
CONVERGING_WINDOW = 60
# The waits before each new look at such a name: 3 seconds at most in all.
SETTLE_WAITS = (1.0, 2.0)


def find_named(client, path, key, name, organization=None, params=None):
    """Every object of the list at ``path`` named exactly ``name`` (in ``organization`` when given).

    The API's own ``name`` and ``organization`` filters narrow the list, with any
    other ``params`` (a None value leaves a filter out: the organization list has
    no name filter); the exact match is checked here because a filter may match
    more loosely, and so is the organization (an id in any case).
    """
    query = {"name": name, "organization": organization}
    query.update(params or {})
    query = dict((field, value) for field, value in query.items() if value is not None)
    return [item for item in client.paginate(path, key, params=query)
            if item.get("name") == name and (organization is None or same_id(item.get("organization"), organization))]


def named_settled(client, path, plural, name, organization=None, params=None, first=None):
    """Every object named ``name`` (as ``find_named``), waiting out concurrent creates that are converging.

    Several objects of the name, all created within CONVERGING_WINDOW of each
    other, may be the copies of runs that are still deleting theirs: the name is
    looked up again after each of SETTLE_WAITS while that holds. Older twins are
    returned at once, so a truly ambiguous name costs no wait. ``first`` is the
    caller's own read of the name, when it has just made one: it is not sent again.
    """
    matches = first if first is not None else find_named(client, path, plural, name, organization, params=params)
    for wait in SETTLE_WAITS:
        if len(matches) < 2 or not created_together(matches) or client.past_deadline(wait):
            break
        client.sleep(wait)
        matches = find_named(client, path, plural, name, organization, params=params)
    return matches


def created_together(objects):
    """Whether every object's ``creation_date`` is within CONVERGING_WINDOW of the others (unreadable: False)."""
    dates = [created_at(item) for item in objects]
    if None in dates:
        return False
    times = [date.timestamp() for date in dates]
    return max(times) - min(times) <= CONVERGING_WINDOW


# An ISO 8601 date and time as the API writes it: any number of fraction digits, Z or an offset, or none.
_ISO_TIME = re.compile(r"^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(Z|[+-]\d\d:?\d\d)?$",
                       re.IGNORECASE)


def created_at(item):
    """An object's ``creation_date`` as a datetime, read the same way on every Python; None when unreadable.

    Never raises: an offset of 24 h or more, a 13th month, a 61st second are unreadable (None);
    client.get_page refuses a listed object whose creation_date is unreadable.
    """
    try:
        found = _ISO_TIME.match(("%s" % item["creation_date"]).strip())
    except (KeyError, TypeError):
        return None
    if not found:
        return None
    year, month, day, hour, minute, second, fraction, zone = found.groups()
    try:
        offset = timezone.utc
        if zone and zone.upper() != "Z":
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            # timezone() refuses an offset of 24 h or more (+99:00): unreadable, as a 13th month is.
            offset = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                        int((fraction or "0")[:6].ljust(6, "0")), tzinfo=offset)
    except ValueError:
        return None


def ambiguity(plural, name, matches, hint="give the id instead"):
    """Why ``name`` designates no single object: every id it matches, and what to do.

    Matches in several organizations are shown with theirs, and the hint says that
    setting the organization also chooses.
    """
    organizations = set(item.get("organization") for item in matches)
    if len(organizations) > 1:
        return "%d %s in different organizations are named %r (%s); set organization, or %s" % (
            len(matches), plural, name, ", ".join("id %s in organization %s" % (item.get("id"), item.get("organization"))
                                                  for item in matches), hint)
    return "%d %s are named %r (ids: %s); %s" % (
        len(matches), plural, name, ", ".join("%s" % (item.get("id"),) for item in matches), hint)


class UnresolvedReference(ScalewayInputError):
    """A reference (option ``option``) that names nothing, or more than one thing."""


def find_reference(client, path, singular, plural, reference, organization=None, option="id",
                   hint="give the id instead", mismatch_option=None):
    """The one object that ``reference`` (an id, in any case, else a name) designates, or None when none does.

    ``singular`` and ``plural`` are the envelope keys of one object and of the
    list. An id costs one GET (sent in lower case); a name one list within the
    organization. A name that several objects share raises UnresolvedReference
    listing their ids (with ``hint``), and so does an object found by id in
    another organization than ``organization`` (naming ``mismatch_option`` when
    given, else ``option``).
    """
    if is_uuid(reference):
        found = client.get_or_none(item_path(path, reference.lower(), option), singular)
        if found is not None and organization and not same_id(found.get("organization"), organization):
            raise UnresolvedReference(mismatch_option or option, "%s %s belongs to organization %s, not %s"
                                      % (singular, reference.lower(), found.get("organization"), organization))
        return found
    matches = find_named(client, path, plural, reference, organization)
    if len(matches) > 1:
        raise UnresolvedReference(option, ambiguity(plural, reference, matches, hint=hint))
    return matches[0] if matches else None


def not_visible(singular, reference, organization=None, option="id"):
    """The UnresolvedReference for a ``reference`` (an id or a name) that designates nothing."""
    if is_uuid(reference):
        return UnresolvedReference(option, "no %s with id %s is visible to this token" % (singular, reference.lower()))
    where = " in organization %s" % organization if organization else ""
    return UnresolvedReference(option, "no %s named %r%s is visible to this token" % (singular, reference, where))


def resolve_reference(client, path, singular, plural, reference, organization=None, option="id"):
    """The one object that ``reference`` designates (as ``find_reference``), else UnresolvedReference."""
    found = find_reference(client, path, singular, plural, reference, organization, option)
    if found is None:
        raise not_visible(singular, reference, organization, option)
    return found


def get_or_list(client, path, singular, plural, ident=None, params=None):
    """What an _info module reports: the object ``ident`` (none when the API answers 404), else the list.

    ``params`` are the API's own filters; only non-None values are sent. The
    caller applies its exact filters to the result, whichever way it came.
    """
    if ident is not None:
        found = client.get_or_none(item_path(path, ident, "id"), singular)
        return [] if found is None else [found]
    query = dict((key, value) for key, value in (params or {}).items() if value is not None)
    return client.list(path, plural, params=query)


def resolve_organizations(client, references, option="organization", listed=None):
    """The ids of the organizations that ``references`` (each an id or a name) designate, in their order.

    An id is taken as it is (in lower case), without a request. Names are looked up in
    ``listed`` (organizations already read, each with ``id`` and ``name``) when
    given, else in one GET of ``/organizations/summary``. A name that matches no
    organization, or several, raises UnresolvedReference naming ``option``.
    """
    names = [reference for reference in references if not is_uuid(reference)]
    if names and listed is None:
        listed = client.list(ORGANIZATION_SUMMARY.path, ORGANIZATION_SUMMARY.plural)
    by_name = {}
    for organization in listed or []:
        by_name.setdefault(organization.get("name"), []).append(organization)
    ids = []
    for reference in references:
        if is_uuid(reference):
            ids.append(reference.lower())
            continue
        matches = by_name.get(reference, [])
        if not matches:
            visible = sorted("%s" % (name,) for name in by_name)
            raise UnresolvedReference(option, "no organization named %r is visible to this token (visible: %s)"
                                      % (reference, ", ".join(visible) or "none"))
        if len(matches) > 1:
            raise UnresolvedReference(option, ambiguity("organizations", reference, matches))
        ids.append(matches[0]["id"])
    return ids
