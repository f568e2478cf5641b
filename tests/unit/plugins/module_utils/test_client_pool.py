# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client_pool import ClientPool


class CloningClient:
    """Records its clones, the thread each clone is used on, and whether it was closed."""

    def __init__(self):
        self.clones = []
        self.closed = False
        self.threads = set()

    def clone(self):
        clone = CloningClient()
        self.clones.append(clone)
        return clone

    def close(self):
        self.closed = True


def test_each_thread_uses_its_own_clone_and_every_clone_is_closed():
    client = CloningClient()

    def call(worker, item):
        worker.threads.add(threading.current_thread().ident)
        time.sleep(0.01)
        return item * 2

    outcome = ClientPool(client, 4).run(call, list(range(20)))
    assert outcome.done == [(item, item * 2) for item in range(20)]
    assert outcome.failed == [] and outcome.skipped == []
    assert 1 <= len(client.clones) <= 4
    assert all(len(clone.threads) == 1 for clone in client.clones)
    assert all(clone.closed for clone in client.clones)
    assert not client.closed


def test_after_a_failure_no_new_call_starts():
    started = []

    def call(worker, item):
        started.append(item)
        if item == 2:
            raise ValueError("item 2 broke")
        return item

    outcome = ClientPool(CloningClient(), 1).run(call, list(range(6)))
    assert [item for item, _result in outcome.done] == [0, 1]
    assert [(item, str(error)) for item, error in outcome.failed] == [(2, "item 2 broke")]
    assert outcome.skipped == [3, 4, 5]
    assert started == [0, 1, 2]


def test_no_items_and_bad_worker_counts():
    assert ClientPool(CloningClient(), 8).run(lambda worker, item: item, []).done == []
    with pytest.raises(ValueError, match="workers must be at least 1"):
        ClientPool(CloningClient(), 0)


def test_inside_a_with_block_the_clones_serve_every_run_one_thread_at_a_time_and_close_at_its_end():
    client = CloningClient()
    busy = set()
    overlaps = []
    lock = threading.Lock()

    def call(worker, item):
        with lock:
            if id(worker) in busy:
                overlaps.append(item)
            busy.add(id(worker))
        time.sleep(0.005)
        with lock:
            busy.discard(id(worker))
        return item

    with ClientPool(client, 3) as pool:
        for _run in range(3):
            assert len(pool.run(call, list(range(9))).done) == 9
        assert 1 <= len(client.clones) <= 3
        assert not any(clone.closed for clone in client.clones)
    assert overlaps == []
    assert all(clone.closed for clone in client.clones)
