# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pages: pagination of the API's lists (Page, the Link header, page numbers and their bounds).

ScalewayClient.get_page() reads one page into a Page; Page.page_count() checks
what the headers say against X-Total-Count and MAX_PAGES; lists.read_whole()
(the client's list() and paginate(), the inventory's parallel reads, the event
source) follows them and uses a list only when it is whole.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from urllib.parse import parse_qsl, urlsplit

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayAPIError

PAGE_LIMIT = 500
# The most pages one list may have (2000 x 500 items), whatever its headers say.
MAX_PAGES = 2000

_LINK_RE = re.compile(r'<([^>]*)>\s*;\s*rel="?([a-zA-Z]+)"?')


def parse_link_header(value):
    """Map each rel of an RFC 8288 Link header to its URL."""
    return dict((rel, url) for url, rel in _LINK_RE.findall(value or ""))


def page_of(url):
    """The page number a pagination link points at, or None."""
    if not url:
        return None
    for key, value in parse_qsl(urlsplit(url).query):
        if key == "page":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class Page:
    """One page of a list: its items and what the headers say about the rest.

    ``number`` is the page asked for, ``limit`` its size and ``path`` the list (named in errors).
    """

    def __init__(self, items, links, total, path=None, number=1, limit=PAGE_LIMIT, date=None):
        self.items = items
        self.links = links
        self.total = total
        self.path = path
        self.number = number
        self.limit = limit
        # The answer's HTTP Date: lists.py tells by it whether the list changed while it was read.
        self.date = date

    @property
    def last_page(self):
        """The page ``rel="last"`` points at, as the API sent it (unchecked; see page_count)."""
        return page_of(self.links.get("last"))

    @property
    def next_page(self):
        return page_of(self.links.get("next"))

    @property
    def has_next(self):
        return "next" in self.links

    def max_pages(self):
        """The most pages the list can have: ceil(X-Total-Count / limit), at least 1, never over MAX_PAGES."""
        if self.total is None:
            return MAX_PAGES
        return min(MAX_PAGES, max(1, -(-self.total // max(1, self.limit))))

    def _contradiction(self, what):
        if self.total is None:
            bound = "without X-Total-Count the client reads at most %d pages" % MAX_PAGES
        else:
            bound = "X-Total-Count %d at limit %d makes %d page(s)" % (
                self.total, self.limit, max(1, -(-self.total // max(1, self.limit))))
            if self.max_pages() == MAX_PAGES:
                bound += "; the client reads at most %d pages" % MAX_PAGES
        return ScalewayAPIError("GET", self.path, "the list's Link header %s, but %s: this answer is not "
                                "the API's" % (what, bound), status=200)

    def page_count(self):
        """How many pages the list has, from this page's headers, checked; None when they do not say.

        ``rel="last"`` must agree with X-Total-Count and the page size (and stay
        within MAX_PAGES); without ``rel="last"``, a page without ``rel="next"``
        is the last one, and a list with ``rel="next"`` has ceil(total/limit)
        pages when X-Total-Count is known, else None (follow ``rel="next"``
        with ``paginate()``, which applies the same bounds). A ``rel="next"``
        past those bounds, or not pointing at the following page, raises
        ScalewayAPIError naming the list, as does a ``rel="last"`` that
        contradicts X-Total-Count. lists.read_once reads pages 2 to
        page_count() of page 1 (the inventory in parallel), and stops at an
        empty page or a repeated one whatever the count.
        """
        allowed = self.max_pages()
        following = self.next_page
        if self.has_next and following != self.number + 1:
            raise self._contradiction('has rel="next" to page %s after page %d' % (following, self.number))
        if following is not None and following > allowed:
            raise self._contradiction('has rel="next" to page %d' % following)
        last = self.last_page
        if last is not None:
            fewest = 0 if self.total is None else -(-self.total // max(1, self.limit))
            if last > allowed or last < fewest:
                raise self._contradiction('has rel="last" at page %d' % last)
            return max(1, last)
        if following is None:
            return self.number
        return None if self.total is None else allowed
