# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Many independent API calls at once, through clones of one ScalewayClient.

A requests.Session is not meant to be shared between threads, so each worker
thread gets its own clone of the client (its own keep-alive session) on first
use. Every request still goes through the client: its retries, timeouts,
lost-write rules and token redaction apply unchanged. After the first failure
no new call starts, so a failed run stops soon and reports what it did.

Used as a context manager (``with ClientPool(client, 8) as pool:``), the pool
keeps its clones (and their open connections) from one ``run`` to the next and
closes them at the end of the block; otherwise each ``run`` closes its own.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
from concurrent.futures import ThreadPoolExecutor


class ThreadClients:
    """One clone of ``client`` per thread, made on the thread's first ``get()``; ``close()`` closes them all.

    The one home of per-thread clones: ClientPool (modules) and the
    inventory's ParallelFetcher both take their workers' clients from here.
    ``spare`` is a list of clones no thread uses: a thread takes one of them
    before it makes a new clone.
    """

    def __init__(self, client, spare=None):
        self.client = client
        self._local = threading.local()
        self._clones = []
        self._lock = threading.Lock()
        self._spare = spare

    def get(self):
        """This thread's own clone of the client."""
        clone = getattr(self._local, "client", None)
        if clone is None:
            with self._lock:
                clone = self._spare.pop() if self._spare else None
            if clone is None:
                clone = self.client.clone()
            self._local.client = clone
            with self._lock:
                self._clones.append(clone)
        return clone

    def release(self):
        """Every clone handed out, for another ThreadClients' ``spare`` (once no thread uses them)."""
        with self._lock:
            clones, self._clones = self._clones, []
        return clones

    def close(self):
        for clone in self.release():
            clone.close()


class PoolOutcome:
    """What ``ClientPool.run`` did: ``done`` ``(item, result)``, ``failed`` ``(item, exception)``,
    ``skipped`` (items never started because an earlier call failed), each in the order of the items."""

    def __init__(self):
        self.done = []
        self.failed = []
        self.skipped = []


class ClientPool:
    """Runs ``call(client, item)`` for many items on up to ``workers`` threads."""

    def __init__(self, client, workers):
        if int(workers) < 1:
            raise ValueError("workers must be at least 1, got %r" % (workers,))
        self.client = client
        self.workers = int(workers)
        # Clones no thread uses, kept between runs inside a ``with`` block (None outside one).
        self._spare = None

    def __enter__(self):
        self._spare = []
        return self

    def __exit__(self, *exc_info):
        spare, self._spare = self._spare, None
        for clone in spare:
            clone.close()

    def run(self, call, items):
        """Call ``call(client, item)`` for every item, each thread with its own client clone.

        An exception of a call is kept in the outcome, not raised; once one call
        failed, the calls not started yet are skipped. Returns a PoolOutcome.
        """
        clients = ThreadClients(self.client, self._spare)
        stop = threading.Event()
        skipped = object()

        def work(item):
            if stop.is_set():
                return skipped, None
            try:
                return call(clients.get(), item), None
            except Exception as exc:  # pylint: disable=broad-except
                # Reported with the item it belongs to; the caller decides what it means.
                stop.set()
                return None, exc

        outcome = PoolOutcome()
        try:
            with ThreadPoolExecutor(max_workers=min(self.workers, max(1, len(items)))) as executor:
                futures = [(item, executor.submit(work, item)) for item in items]
                for item, future in futures:
                    result, error = future.result()
                    if error is not None:
                        outcome.failed.append((item, error))
                    elif result is skipped:
                        outcome.skipped.append(item)
                    else:
                        outcome.done.append((item, result))
        finally:
            if self._spare is None:
                clients.close()
            else:
                self._spare.extend(clients.release())
        return outcome
