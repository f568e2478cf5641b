# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Whole lists: the one rule that decides whether a list read page by page can be used.

A list of more than one page is read with one request per page, and the
list may change between those requests. A read is *whole*, the list as it
was when its first page was answered, when:

1. every page reports the same ``X-Total-Count``;
2. the distinct objects listed (by ``id``) number that total;
3. the list did not shift under the read. The API orders a list by creation
   time, then id, so an object created after page 1 was answered is listed
   at the end, and a delete moves every later object one place back. Within
   one total (1.), a delete that made a later page skip an object needs a
   create to keep the total, and what the later pages then list is that
   new object (or, when 2. holds, nothing is missing). So: no listed
   object may be created at or after page 1's answer, told by comparing
   each ``creation_date`` with page 1's HTTP ``Date`` header (second
   resolution, less CREATION_MARGIN for the time between reading the list
   and stamping the answer: an object created in the seconds around the
   read is suspect). That check costs no request.

   That shortcut needs 1.: a delete without a create also shifts the pages,
   and only a total tells it. When page 1 has no ``X-Total-Count`` (or one
   the client could not read), no ``Date``, or a listed object has no
   ``creation_date`` (a tag's metadata entries), pages 1 to n-1 are read
   once more at the end and must list the same ids: objects are only ever
   added at the end, so an unchanged beginning means no later page shifted
   (n-1 more requests). An empty page that ended the read counts
   as a page here (the list may have shrunk). The same second read judges a
   read that lists an object stamped later than page 1's answer plus
   CREATION_MARGIN (a clock ahead of the API's: waiting would not help), and
   the last read allowed when objects are still created around it.

When nothing changed, a read costs exactly one request per page
(ceil(N / limit)); a one-page list is one answer, whole when 2. holds.
A read that is not whole is read again, at most LIST_READ_ATTEMPTS times in
all (after objects created around the read, first waiting until they are
CREATION_MARGIN + 1 seconds older than the read, at most SETTLE_WAIT_MAX
seconds); then it fails, naming the list and the reason. A part of a list
is never used as the whole, so no caller reads "missing" as "deleted".
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import math
from email.utils import parsedate_tz, mktime_tz

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayAPIError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.pages import PAGE_LIMIT
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import created_at

# A read that is not whole is made this many times in all before the run fails.
LIST_READ_ATTEMPTS = 3
# Seconds an API may take between reading a list and stamping its answer's Date.
CREATION_MARGIN = 1
# The longest wait before reading again a list whose objects were created around the read.
SETTLE_WAIT_MAX = 2
# With a page count, the pages after page 1 are read FIRST_BATCH at a time (in parallel when the caller can),
# then twice as many each time: a read that ends early (ends_read) asks for fewer pages past the one that ended it
# than FIRST_BATCH plus the pages it used.
FIRST_BATCH = 8


class ListNotWhole(ScalewayAPIError):
    """A list that was not whole in LIST_READ_ATTEMPTS reads in a row; ``reason`` says why the last one was not."""

    def __init__(self, path, attempts, reason):
        self.reason = reason
        self.attempts = attempts
        super(ListNotWhole, self).__init__(
            "GET", path, "the list changed while it was read (%s), so it is not used: a part of a list is never "
            "used as the whole" % reason, status=200, attempts=attempts,
            hint="run it again when the objects change less often")


def http_date_seconds(value):
    """The seconds since the epoch of an HTTP ``Date`` header value, or None."""
    if not value:
        return None
    try:
        parsed = parsedate_tz(value)
        return None if parsed is None else int(mktime_tz(parsed))
    except (TypeError, ValueError, OverflowError):
        return None


def created_seconds(item):
    """The whole seconds since the epoch of an object's ``creation_date`` (read by references.created_at), or None."""
    at = created_at(item) if isinstance(item, dict) else None
    return None if at is None else int(math.floor(at.timestamp()))


def identity(item):
    """What tells a listed object apart: its ``id``; a metadata entry its ``key``; else the object itself."""
    if isinstance(item, dict):
        if item.get("id") is not None:
            return ("id", "%s" % (item["id"],))
        if "key" in item:
            return ("key", "%s" % (item["key"],))
    return ("item", json.dumps(item, sort_keys=True, default=str))


def unique(items):
    """``items`` without repeats of an identity already seen (the first one is kept)."""
    seen = set()
    result = []
    for item in items:
        key = identity(item)
        if key not in seen:
            seen.add(key)
            result.append(item)
    return result


def read_pages_in_turn(client, path, key, params=None, limit=PAGE_LIMIT):
    """A ``read_pages(numbers)`` that reads the pages one after the other through ``client``.

    Each page is read only when the caller comes to it, so a read that ends at a page (ends_read) asks for no more.
    """
    def read_pages(numbers):
        return (client.get_page(path, key, params=params, page=number, limit=limit) for number in numbers)
    return read_pages


def read_once(read_pages, first=None):
    """The pages of one read of a list: page 1 (``first`` when already read) and the pages after it, in order.

    With a page count (``Page.page_count``: from ``rel="last"`` or
    X-Total-Count, checked against the total, the page size and MAX_PAGES)
    pages 2 to n are read in calls of ``read_pages`` (which may read them in
    parallel) of FIRST_BATCH pages, then twice as many each call; without it,
    ``rel="next"`` is followed one page at a time, within the same bounds,
    until a page without it. Either way the read stops at an empty page or at
    a page that repeats the one before (ends_read), whatever the total or the
    Link header say: a list that stops before its total is then not whole
    (why_not_whole), never taken as the whole. A link gives only a page
    number: every request goes to the client's own api_url, so the token
    never follows a link elsewhere.
    """
    if first is None:
        first = next(iter(read_pages([1])))
    count = first.page_count()
    pages = [first]
    batch = FIRST_BATCH
    while pages[-1].items:
        if count is None:
            numbers = [] if pages[-1].next_page is None else [pages[-1].next_page]
        else:
            numbers = list(range(len(pages) + 1, min(count, len(pages) + batch) + 1))
            batch *= 2
        if not numbers:
            break
        for following in read_pages(numbers):
            following.page_count()
            if ends_read(pages[-1], following):
                if not following.items:
                    # Kept: a page announced but empty may be a list that shrank during the read (why_not_whole).
                    pages.append(following)
                return pages
            pages.append(following)
    return pages


def ends_read(previous, page):
    """Whether ``page``, read after ``previous``, ends a read: it is empty, or lists the same objects (by identity)."""
    return not page.items or [identity(item) for item in page.items] == [identity(item) for item in previous.items]


def why_not_whole(pages, read_pages, last=False):
    """``(reason, wait)`` when these pages are not one whole list, else ``(None, 0)``.

    ``read_pages`` reads pages again for the check without ``Date``,
    ``creation_date`` or ``X-Total-Count`` (see the module's description);
    ``wait`` is how long to wait before the next read (objects created around
    this one). ``last`` is true on the last read allowed: objects still created
    around it are then judged by reading pages 1 to n-1 again, as is a read
    listing an object stamped later than page 1's answer (clock skew).
    """
    totals = sorted(set(page.total for page in pages if page.total is not None))
    if len(totals) > 1:
        return "its pages reported totals %s" % ", ".join("%d" % total for total in totals), 0
    listed = unique(item for page in pages for item in page.items)
    total = pages[0].total
    if total is not None and len(listed) != total:
        return "it listed %d distinct objects where X-Total-Count is %d" % (len(listed), total), 0
    if len(pages) == 1:
        return None, 0
    answered = http_date_seconds(getattr(pages[0], "date", None))
    created = [created_seconds(item) for item in listed]
    if total is not None and answered is not None and None not in created:
        recent = [stamp for stamp in created if stamp >= answered - CREATION_MARGIN]
        skewed = any(stamp > answered + CREATION_MARGIN for stamp in recent)
        if recent and not skewed and not last:
            wait = min(SETTLE_WAIT_MAX, max(1, max(recent) + CREATION_MARGIN + 1 - answered))
            return ("%d listed object%s created in the seconds around its first page's answer: its pages may "
                    "have shifted" % (len(recent), " was" if len(recent) == 1 else "s were")), wait
        if not recent:
            return None, 0
    again = read_pages(range(1, len(pages)))
    if [[identity(item) for item in page.items] for page in again] != [
            [identity(item) for item in page.items] for page in pages[:-1]]:
        return "its first pages changed while it was read", 0
    return None, 0


def read_whole(client, path, key, params=None, limit=PAGE_LIMIT, read_pages=None, first=None,
               attempts=LIST_READ_ATTEMPTS):
    """Every object of a list, read whole (see the module's description), each once, in the API's order.

    ``read_pages(numbers)`` returns those pages (client Pages) of the list, as
    a list or an iterable that reads each when it comes to it; by default they
    are read in turn through ``client``, whose ``sleep`` and
    deadline also bound the waits between reads. ``first`` is page 1 when the
    caller has read it already. Raises ListNotWhole (a ScalewayAPIError naming
    the list and the reason) after ``attempts`` reads that were not whole; any
    error of a request is raised as it is.
    """
    if read_pages is None:
        read_pages = read_pages_in_turn(client, path, key, params=params, limit=limit)
    made = 0
    while True:
        pages = read_once(read_pages, first)
        first = None
        made += 1
        reason, wait = why_not_whole(pages, read_pages, last=made >= attempts)
        if reason is None:
            return unique(item for page in pages for item in page.items)
        if made >= attempts or (wait and client.past_deadline(wait)):
            raise ListNotWhole(path, made, reason)
        if wait:
            client.sleep(wait)
