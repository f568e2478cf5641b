# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the event source scaleway_v1.cloud.scaleway_changes does, apart from asyncio.

``ChangeWatcher.poll()`` reads the list of each watched resource through the
collection's client (whole lists only: ``module_utils/lists.py``) and
compares each whole list with the last whole list of that resource; it
returns the events to emit. It blocks: the source runs it off the event loop.

Never a false event: a resource whose read failed or was not whole gives no
event at all in that poll, and its next whole read is compared with its last
whole one. A failed read (no answer, an error answer after the client's
retries) starts an outage, reported once by an ``unavailable`` event; the
first poll whose reads all answer ends it with one ``available`` event.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import threading
import time

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import is_api_not_found
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.connection import client_from_options
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import (
    NOT_THE_API_HINT,
    ScalewayAPIError,
    ScalewayInputError,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.lists import ListNotWhole, read_whole
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import resolve_organizations
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import CONTAINERS, METADATAS, SERVERS, TAGS, VOLUMES
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.settings import (
    DEFAULT_API_URL,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.tags import embedded_metadata, metadata_path

# The resources a source can watch (entries of the resource table), by the name the `resources` argument gives.
WATCHABLE = dict((kind.name, kind) for kind in (SERVERS, VOLUMES, TAGS, CONTAINERS))
DEFAULT_INTERVAL = 30
# Fields that change with every write: a change of them alone is no event, and `fields` never names them.
IGNORED_FIELDS = frozenset(("modification_date",))


class SourceStopped(Exception):
    """The source was cancelled: a retry wait of its client ends early."""


class ChangeWatcher:
    """The state of one source: its client, its settings and the last whole list of each resource.

    ``args`` are the source's arguments as a rulebook gives them; every one
    is checked here, before any request, and a bad one raises ValueError
    naming it. ``environ`` gives the fallbacks SCW_API_URL, SCW_TOKEN and
    SCW_CA_BUNDLE, as for the modules.
    """

    def __init__(self, args, environ, log=None, warn=None, client_class=None):
        args = dict(args or {})
        known = ("api_url", "api_token", "api_timeout", "api_retries", "validate_certs", "ca_path", "resources",
                 "organizations", "interval", "emit_existing")
        unknown = sorted(name for name in args if name not in known)
        if unknown:
            raise ScalewayInputError(unknown[0], "is not an argument of scaleway_v1.cloud.scaleway_changes "
                                                 "(its arguments: %s)" % ", ".join(known))
        self.resources = _names(args.get("resources", [SERVERS.name]), "resources", WATCHABLE)
        self.organizations = _texts(args.get("organizations") or [], "organizations")
        self.interval = _positive(args.get("interval", DEFAULT_INTERVAL), "interval")
        self.emit_existing = _boolean(args.get("emit_existing", False), "emit_existing")
        self.stop = threading.Event()
        self.warn = warn or (lambda message: None)
        options = dict(
            api_url=args.get("api_url") or environ.get("SCW_API_URL") or DEFAULT_API_URL,
            api_token=args.get("api_token") or environ.get("SCW_TOKEN"),
            api_timeout=args.get("api_timeout", DEFAULT_TIMEOUT),
            api_retries=args.get("api_retries", DEFAULT_RETRIES),
            validate_certs=_boolean(args.get("validate_certs", True), "validate_certs"),
            ca_path=args.get("ca_path") or environ.get("SCW_CA_BUNDLE"))
        # As for the modules and the inventory: a token sent over plain HTTP is warned about.
        self.client = client_from_options(options, self.warn, log=log, user_agent_extra="event-source",
                                          sleep=self._sleep, client_class=client_class)
        self.organization_ids = None
        self.known = {}
        self.outage = None

    def _sleep(self, seconds):
        """The client's wait between retries: it ends as soon as the source is stopped."""
        if self.stop.wait(seconds):
            raise SourceStopped()

    def close(self):
        self.stop.set()
        self.client.close()

    def redact(self, text):
        return self.client.redact(text)

    # -- one poll ----------------------------------------------------------------------------------

    def _organization_filter(self):
        """The ids of the organizations argument (names read once, from /organizations/summary), or None for all."""
        if not self.organizations:
            return None
        if self.organization_ids is None:
            self.organization_ids = set(
                ident.lower() for ident in resolve_organizations(self.client, self.organizations, "organizations"))
        return self.organization_ids

    def _list(self, path, key):
        """A whole list (lists.read_whole), one page after the other, stopping between pages once stopped."""
        def read_pages(numbers):
            pages = []
            for number in numbers:
                if self.stop.is_set():
                    raise SourceStopped()
                pages.append(self.client.get_page(path, key, page=number))
            return pages
        return read_whole(self.client, path, key, read_pages=read_pages)

    def read(self, resource):
        """``{id: object}`` of one resource's whole list, in the organizations watched; raises when it cannot."""
        kind = WATCHABLE[resource]
        wanted = self._organization_filter()
        objects = {}
        for item in self._list(kind.path, kind.plural):
            if wanted is not None and ("%s" % (item.get("organization"),)).lower() not in wanted:
                continue
            if kind is TAGS and embedded_metadata(item) is None:
                # The tag carries only its first entries: read the rest, so `metadatas` is whole too.
                item = dict(item, metadatas=self._tag_metadata(item))
            objects["%s" % (item.get("id"),)] = item
        return objects

    def _tag_metadata(self, tag):
        """The whole metadata list of ``tag``; the API's own 404 (the tag was deleted after the tag list was read)
        makes the tag list of this poll not whole (ListNotWhole: no event about tags, no outage)."""
        path = self._metadata_path(tag)
        try:
            return self._list(path, METADATAS.plural)
        except ScalewayAPIError as exc:
            if isinstance(exc, ListNotWhole) or not is_api_not_found(exc):
                raise
            raise ListNotWhole(TAGS.path, 1, "the tag %s was deleted between the tag list and the read of its "
                                             "metadata" % (tag.get("id"),))

    def _metadata_path(self, tag):
        """The metadata list of ``tag`` as the tag list sent it; an id no URL can take makes the read fail.

        paths.py refuses an id that cannot be one segment (``..`` would read another
        resource): that is an answer the source cannot use, so it is a failed read
        naming the tag list and api_url (no event, no traceback), as the client
        reports an answer of another shape.
        """
        try:
            return metadata_path(tag.get("id"))
        except ScalewayInputError as exc:
            raise ScalewayAPIError("GET", TAGS.path, "the API sent a tag whose %s is refused in a URL: %s" % (
                exc.option, exc.message), status=200, hint=NOT_THE_API_HINT % self.client.api_url)

    def poll(self):
        """Read every watched resource once; return the events of this poll, in order."""
        events = []
        failure = None
        for resource in self.resources:
            try:
                current = self.read(resource)
            except ListNotWhole as exc:
                # The API answered: no outage, but no event either until a read is whole again.
                self.warn("the %s list is skipped in this poll: %s" % (resource, self.redact(exc)))
                continue
            except ScalewayAPIError as exc:
                if getattr(exc, "status", None) in (401, 403):
                    # A refused token is a setting to fix, not an outage to wait out (403 too, as the inventory).
                    raise refused_token(exc)
                failure = failure or (resource, exc)
                continue
            previous = self.known.get(resource)
            if previous is not None:
                events.extend(compare(WATCHABLE[resource].singular, previous, current))
            elif self.emit_existing:
                events.extend(compare(WATCHABLE[resource].singular, {}, current))
            self.known[resource] = current
        return self._availability(failure) + events

    def _availability(self, failure):
        """The ``unavailable`` event of an outage's first poll, the ``available`` event of its end, else none."""
        now = time.time()
        if failure is not None and self.outage is None:
            resource, exc = failure
            self.outage = now
            self.warn("the API cannot be read (%s): no event until it can" % self.redact(exc))
            return [{"scaleway": {"change": "unavailable", "resource": WATCHABLE[resource].singular,
                                  "error": self.redact(exc), "since": _iso(now)}}]
        if failure is None and self.outage is not None:
            started, self.outage = self.outage, None
            return [{"scaleway": {"change": "available", "since": _iso(started),
                                  "unavailable_seconds": round(now - started, 1)}}]
        return []


def refused_token(exc):
    """``exc`` (HTTP 401 or 403), as the error that stops the source, naming api_token (SCW_TOKEN)."""
    if "api_token" in "%s" % (exc,):
        return exc
    return ScalewayAPIError(exc.method, exc.path, exc.message, status=exc.status, error_type=exc.type, code=exc.code,
                            param=exc.param, attempts=exc.attempts,
                            hint="the API refused the token: check api_token (SCW_TOKEN)")


def compare(resource, before, after):
    """The events that turn ``before`` into ``after`` (each ``{id: object}`` of one whole list).

    ``created`` and ``updated`` follow the order of ``after``, then ``deleted``
    the order of ``before``. ``updated`` names in ``fields`` the top-level
    fields whose values differ, IGNORED_FIELDS left out.
    """
    events = []
    for ident, obj in after.items():
        old = before.get(ident)
        if old is None:
            events.append(_event(resource, "created", obj, after=obj))
            continue
        fields = sorted(name for name in set(old) | set(obj)
                        if name not in IGNORED_FIELDS and old.get(name) != obj.get(name))
        if fields:
            events.append(_event(resource, "updated", obj, before=old, after=obj, fields=fields))
    for ident, obj in before.items():
        if ident not in after:
            events.append(_event(resource, "deleted", obj, before=obj))
    return events


def _event(resource, change, obj, before=None, after=None, fields=None):
    body = {"resource": resource, "change": change, "id": obj.get("id"), "name": obj.get("name"),
            "organization": obj.get("organization")}
    if before is not None:
        body["before"] = before
    if after is not None:
        body["after"] = after
    if fields is not None:
        body["fields"] = fields
    return {"scaleway": body}


def _iso(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def _names(value, option, allowed):
    names = _texts(value, option)
    if not names:
        raise ScalewayInputError(option, "must name at least one of %s" % ", ".join(sorted(allowed)))
    for name in names:
        if name not in allowed:
            raise ScalewayInputError(option, "has %r; each must be one of %s" % (name, ", ".join(sorted(allowed))))
    return list(dict.fromkeys(names))


def _texts(value, option):
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) and item for item in value):
        raise ScalewayInputError(option, "must be a list of non-empty strings")
    return list(value)


def _positive(value, option):
    if isinstance(value, bool):
        raise ScalewayInputError(option, "must be a number of seconds, got %r" % (value,))
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ScalewayInputError(option, "must be a number of seconds, got %r" % (value,))
    if not math.isfinite(number) or number <= 0:
        raise ScalewayInputError(option, "must be a number of seconds greater than 0, got %r" % (value,))
    return number


def _boolean(value, option):
    if isinstance(value, bool):
        return value
    text = "%s" % (value,)
    if text.lower() in ("true", "yes", "on", "1"):
        return True
    if text.lower() in ("false", "no", "off", "0"):
        return False
    raise ScalewayInputError(option, "must be true or false, got %r" % (value,))
