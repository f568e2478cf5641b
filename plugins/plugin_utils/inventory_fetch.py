# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Parallel reads of paginated lists through ScalewayClient.

A list's first page tells, through its ``Link rel="last"`` header, how many
pages there are; the remaining pages are then read at the same time by a
bounded pool of worker threads. Each worker thread has its own clone of the
client (its own keep-alive session, since a requests.Session is not meant to
be shared between threads); every request still goes through the client, so
its retries, timeouts and token redaction apply unchanged. Results keep the
API's order, and the first failed request fails the whole read.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
from concurrent.futures import ThreadPoolExecutor

from urllib.parse import urlencode

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayAPIError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.pages import PAGE_LIMIT
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.tags import embedded_metadata, metadata_path

# A list whose pages disagree about its total changed while it was read: read it again this many times.
LIST_READ_ATTEMPTS = 3


class FetchError(Exception):
    """A read that failed; the message names the request (method, path, query) and the API's answer."""

    def __init__(self, request, cause):
        self.request = request
        self.cause = cause
        super(FetchError, self).__init__("%s: %s" % (request, cause))


class ListChanged(ScalewayAPIError):
    """A list that changed while it was read (its pages disagree about its total) every time it was read: not whole.

    Its own type, so that a caller tells it from an answer that is not the API's by type, never by its text.
    """


def describe_request(path, params=None):
    """``GET /path?query`` as a user would recognise it in an error message."""
    query = urlencode(sorted((params or {}).items()))
    return "GET %s%s" % (path, "?" + query if query else "")


class ParallelFetcher:
    """A bounded pool of worker threads, each reading through its own clone of ``client``.

    Use it as a context manager: leaving it waits for running requests, drops
    queued ones and closes the clones' sessions. ``warnings`` collects what a
    caller should show its user (tags whose metadata had to be read one by one).
    """

    def __init__(self, client, max_workers=8, limit=PAGE_LIMIT):
        if int(max_workers) < 1:
            raise ValueError("max_workers must be at least 1, got %r" % (max_workers,))
        self.client = client
        self.limit = limit
        self.warnings = []
        self._executor = ThreadPoolExecutor(max_workers=int(max_workers))
        self._local = threading.local()
        self._clones = []
        self._clones_lock = threading.Lock()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        self._executor.shutdown(wait=True)
        with self._clones_lock:
            for clone in self._clones:
                clone.close()
            self._clones = []

    def _worker_client(self):
        """This thread's own client, made on first use."""
        client = getattr(self._local, "client", None)
        if client is None:
            client = self.client.clone()
            self._local.client = client
            with self._clones_lock:
                self._clones.append(client)
        return client

    def _run(self, request, call, args):
        try:
            return call(self._worker_client(), *args)
        except ScalewayAPIError as exc:
            raise FetchError(request, exc)

    def submit(self, request, call, *args):
        """Run ``call(client, *args)`` on a worker; ``request`` names it in a FetchError."""
        return self._executor.submit(self._run, request, call, args)

    def page(self, path, key, params=None, number=1):
        """A future of one page (a client Page) of a list."""
        query = dict(params or {}, page=number, limit=self.limit)
        return self.submit(describe_request(path, query), _get_page, path, key, params, number, self.limit)

    def every_item(self, path, key, params=None):
        """A future of every item of a list, read sequentially by one worker (for short lists)."""
        return self.submit(describe_request(path, params), _every_item, path, key, params, self.limit)

    def list_all(self, path, key, params=None, first=None):
        """Every item of a list, in the API's order, reading the pages after the first in parallel.

        ``first`` is the future of page 1 when the caller already started it
        (so that the first pages of several lists are read at the same time).
        The page count is ``Page.page_count()`` of page 1 (a ``rel="last"`` that
        contradicts X-Total-Count fails naming the list); an answer with only
        ``rel="next"`` and no total is read on by following ``rel="next"``.
        Items are keyed by ``id``: when the list changes while it is read (an
        item created or deleted shifts the pages), its pages disagree about the
        total and the list is read again; if it keeps changing, the items read
        are used, each once, with a warning.
        """
        for dummy in range(LIST_READ_ATTEMPTS):
            first_page = (first or self.page(path, key, params)).result()
            first = None
            try:
                # The client's one rule: rel="last" checked against X-Total-Count, the page size and MAX_PAGES.
                last = first_page.page_count()
            except ScalewayAPIError as exc:
                raise FetchError(describe_request(path, params), exc)
            if last is None:
                # Only rel="next" and no total: follow it one page at a time, within the client's bounds.
                return unique_by_id(self.every_item(path, key, params).result())
            if last <= 1:
                return unique_by_id(first_page.items)
            pages = [first_page] + gather([self.page(path, key, params, number) for number in range(2, last + 1)])
            totals = set(page.total for page in pages if page.total is not None)
            items = unique_by_id(item for page in pages for item in page.items)
            if len(totals) <= 1:
                return items
        # Items may have moved between pages while they were read: some may be missing. A part is never the whole.
        raise FetchError(describe_request(path, params), ListChanged(
            "GET", path, "the list changed while it was read, %d times in a row (its pages reported totals %s): "
            "an inventory read from it could miss servers" % (LIST_READ_ATTEMPTS, ", ".join(
                "%d" % total for total in sorted(totals))), status=200,
            hint="run it again when the estate changes less"))


class TagMetadata:
    """The metadata of a list of tags, each as ``[[key, value], ...]`` in the API's order.

    A tag that carries its whole metadata (``embedded_metadata``) costs no
    request; only the others (more than 100 entries, or an API that sends tags
    without their ``metadatas``) are read from ``/tags/{id}/metadatas``, on the
    fetcher's workers, from the moment this object is made. ``result()`` waits
    for those reads. An API that sent some tags without the field gets one
    warning in ``fetcher.warnings``, because each such tag costs a request.
    """

    def __init__(self, fetcher, tags):
        self._embedded = {}
        self._reads = {}
        self._order = []
        without_field = 0
        for tag in tags:
            tag_id = tag.get("id")
            self._order.append(tag_id)
            metadata = embedded_metadata(tag)
            if metadata is not None:
                self._embedded[tag_id] = [[key, value] for key, value in metadata.items()]
                continue
            if not isinstance(tag.get("metadatas"), list):
                without_field += 1
            self._reads[tag_id] = fetcher.every_item(metadata_path(tag_id), "metadatas")
        if without_field:
            fetcher.warnings.append(
                "the API sent %d %s without the 'metadatas' field, as an older API does: the metadata of each such "
                "tag is read with a request of its own" % (without_field, plural(without_field, "tag", "tags")))

    def result(self):
        """``{tag id: [[key, value], ...]}`` for every tag; the first failed read is raised (a FetchError)."""
        read = dict(zip(self._reads, gather(list(self._reads.values()))))
        result = {}
        for tag_id in self._order:
            if tag_id in self._embedded:
                result[tag_id] = self._embedded[tag_id]
            else:
                result[tag_id] = [[entry.get("key"), entry.get("value")] for entry in read[tag_id]
                                  if isinstance(entry, dict)]
        return result


def plural(count, one, many):
    """``one`` when ``count`` is 1, else ``many``."""
    return one if count == 1 else many


def gather(futures):
    """The results of ``futures`` in their order; the first failure cancels the rest and is raised."""
    try:
        return [future.result() for future in futures]
    except BaseException:
        for future in futures:
            future.cancel()
        raise


def unique_by_id(items):
    """``items`` without repeats of an ``id`` already seen (the first one is kept)."""
    seen = set()
    result = []
    for item in items:
        item_id = item.get("id") if isinstance(item, dict) else None
        if item_id is not None:
            if item_id in seen:
                continue
            seen.add(item_id)
        result.append(item)
    return result


def _get_page(client, path, key, params, number, limit):
    return client.get_page(path, key, params=params, page=number, limit=limit)


def _every_item(client, path, key, params, limit):
    return client.list(path, key, params=params, limit=limit)
