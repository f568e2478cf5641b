# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Turning what a user wrote in an option (an id or a name) into the API object it means.

Used where one resource points at another: a server's volumes and tags, a
volume's base volume. Failures name the option and list every candidate id,
so the user can pick one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayInputError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.common import is_uuid
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.paths import item_path
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import ORGANIZATION_SUMMARY


def find_named(client, path, key, name, organization=None, params=None):
    """Every object of the list at ``path`` named exactly ``name`` (in ``organization`` when given).

    The API's own ``name`` and ``organization`` filters narrow the list, with any
    other ``params`` (a None value leaves a filter out: the organization list has
    no name filter); the exact match is checked here because a filter may match
    more loosely.
    """
    query = {"name": name, "organization": organization}
    query.update(params or {})
    query = dict((field, value) for field, value in query.items() if value is not None)
    return [item for item in client.paginate(path, key, params=query) if item.get("name") == name]


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


def resolve_reference(client, path, singular, plural, reference, organization=None, option="id"):
    """The one object that ``reference`` (an id, else a name) designates, else UnresolvedReference.

    ``singular`` and ``plural`` are the envelope keys of one object and of the
    list. An id costs one GET; a name one list within the organization.
    """
    if is_uuid(reference):
        found = client.get_or_none(item_path(path, reference, option), singular)
        if found is None:
            raise UnresolvedReference(option, "no %s with id %s is visible to this token" % (singular, reference))
        if organization and found.get("organization") != organization:
            raise UnresolvedReference(option, "%s %s belongs to organization %s, not %s"
                                      % (singular, reference, found.get("organization"), organization))
        return found
    matches = find_named(client, path, plural, reference, organization)
    if not matches:
        where = " in organization %s" % organization if organization else ""
        raise UnresolvedReference(option, "no %s named %r%s is visible to this token" % (singular, reference, where))
    if len(matches) > 1:
        raise UnresolvedReference(option, ambiguity(plural, reference, matches))
    return matches[0]


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

    An id is taken as it is, without a request. Names are looked up in
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
            ids.append(reference)
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
