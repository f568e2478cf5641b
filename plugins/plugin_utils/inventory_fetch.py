# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Parallel reads of paginated lists through ScalewayClient.

A list's first page tells, through its ``Link rel="last"`` header, how many
pages there are; the remaining pages are then read at the same time by a
bounded pool of worker threads. Each worker thread has its own clone of the
client (``client_pool.ThreadClients``: its own keep-alive session, since a
requests.Session is not meant to be shared between threads); every request
still goes through the client, so its retries, timeouts and token redaction
apply unchanged. Results keep the API's order, and the first failed request
fails the whole read. A list is used only when it is whole (the rule of
``module_utils/lists.py``): a list that keeps changing fails the read.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from concurrent.futures import ThreadPoolExecutor

from urllib.parse import urlencode

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client_pool import ThreadClients
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayAPIError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.lists import read_whole
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.pages import PAGE_LIMIT
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.tags import embedded_metadata, metadata_path


class FetchError(Exception):
    """A read that failed; the message names the request (method, path, query) and the API's answer."""

    def __init__(self, request, cause):
        self.request = request
        self.cause = cause
        super(FetchError, self).__init__("%s: %s" % (request, cause))


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
        self._clients = ThreadClients(client)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        self._executor.shutdown(wait=True)
        self._clients.close()

    def _run(self, request, call, args):
        try:
            return call(self._clients.get(), *args)
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
        The list must be whole (``lists.read_whole``: the page count from page
        1's checked headers, one total, as many distinct items as that total,
        no shift); a list that changed while it was read is read again, and one
        that keeps changing fails the read naming the list and the reason.
        When nothing changes it costs one request per page.
        """
        def read_pages(numbers):
            return gather([self.page(path, key, params, number) for number in numbers])

        first_page = first.result() if first is not None else None
        try:
            return read_whole(self.client, path, key, params=params, limit=self.limit, read_pages=read_pages,
                              first=first_page)
        except ScalewayAPIError as exc:
            raise FetchError(describe_request(path, params), exc)


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


def _get_page(client, path, key, params, number, limit):
    return client.get_page(path, key, params=params, page=number, limit=limit)


def _every_item(client, path, key, params, limit):
    return client.list(path, key, params=params, limit=limit)
