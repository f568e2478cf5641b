# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The event source extensions/eda/plugins/event_source/scaleway_changes.py, run against the API simulator.

The source is loaded the way ansible-rulebook loads it (``runpy.run_path``) and its ``main(queue, args)``
coroutine runs on an asyncio queue, with short intervals.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import asyncio
import json
import logging
import os
import threading
import time

import pytest

from ansible_collections.scaleway_v1.cloud.plugins.module_utils import connection
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import ScalewayClient
from ansible_collections.scaleway_v1.cloud.plugins.plugin_utils import changes as changes_mod
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.modules.simulator_fixture import (
    TOKEN,
    SimulatorUnderTest,
)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
SOURCE = os.path.join(ROOT, "extensions", "eda", "plugins", "event_source", "scaleway_changes.py")
INTERVAL = 0.3


@pytest.fixture
def sim():
    running = SimulatorUnderTest()
    running.api.ok("POST", "/_sim/config", {"transition_delay": 0}, 200)
    yield running
    running.shutdown()


@pytest.fixture
def quick(monkeypatch):
    """The real client, its retry waits cut to 10 ms (the source passes its own stoppable sleep)."""
    class QuickClient(ScalewayClient):
        def __init__(self, *args, **kwargs):
            inner = kwargs["sleep"]
            kwargs["sleep"] = lambda seconds: inner(min(seconds, 0.01))
            super(QuickClient, self).__init__(*args, **kwargs)

    # The source builds its client with connection.client_from_options, as the modules and the inventory do.
    monkeypatch.setattr(connection, "ScalewayClient", QuickClient)


def load_source():
    """The source's globals, as ``runpy.run_path`` gives them to ansible-rulebook.

    run_path itself cannot be used here: the collection loader that the unit tests run under claims
    every path below ``ansible_collections`` as an import location, so run_path looks for a package.
    """
    namespace = {"__name__": "<run_path>", "__file__": SOURCE}
    with open(SOURCE, encoding="utf-8") as handle:
        exec(compile(handle.read(), SOURCE, "exec"), namespace)  # pylint: disable=exec-used
    return namespace


def source_main():
    main = load_source()["main"]
    assert asyncio.iscoroutinefunction(main)
    return main


class Running:
    """The source's main() on an event loop in a thread of its own; ``events`` fills as it emits."""

    def __init__(self, args):
        self.events = []
        self.args = args
        self.loop = asyncio.new_event_loop()
        self.task = None
        self.error = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        main = source_main()
        events = self.events

        class Queue:
            async def put(self, event):
                events.append(event)

        async def start():
            self.task = asyncio.ensure_future(main(Queue(), self.args))
            try:
                await self.task
            except asyncio.CancelledError:
                pass

        try:
            self.loop.run_until_complete(start())
            # As asyncio.run does: wait for the thread of a read still running.
            self.loop.run_until_complete(self.loop.shutdown_default_executor())
        except Exception as exc:  # pylint: disable=broad-except
            self.error = exc
        finally:
            self.loop.close()

    def wait_for(self, predicate, timeout):
        end = time.time() + timeout
        while time.time() < end:
            if predicate(self.events):
                return True
            time.sleep(0.02)
        return predicate(self.events)

    def stop(self):
        """Cancel the source; return the seconds until it and its reads ended."""
        started = time.time()
        while self.task is None and self.thread.is_alive():
            time.sleep(0.01)
        self.loop.call_soon_threadsafe(self.task.cancel)
        self.thread.join(30)
        assert not self.thread.is_alive()
        return time.time() - started


def args_for(sim, **more):
    return dict({"api_url": sim.url, "api_token": TOKEN, "interval": INTERVAL, "api_timeout": 2}, **more)


def server_polls(sim):
    return sum(1 for method, path, dummy, dummy2 in sim.requests() if method == "GET" and path == "/servers")


def of(events, change, ident=None):
    return [event for event in events if event["scaleway"]["change"] == change
            and (ident is None or event["scaleway"].get("id") == ident)]


def test_create_power_change_and_delete_each_give_exactly_one_event(sim, quick):
    running = Running(args_for(sim))
    try:
        assert running.wait_for(lambda events: server_polls(sim) >= 1, 5), "no first poll"
        created_at = time.time()
        server = sim.api.create("servers", {"name": "web-1"}, "server")
        assert running.wait_for(lambda events: of(events, "created"), INTERVAL + 2)
        assert time.time() - created_at <= INTERVAL + 2
        [created] = of(running.events, "created")
        assert created["scaleway"]["id"] == server["id"] and created["scaleway"]["name"] == "web-1"
        assert created["scaleway"]["resource"] == "server" and "before" not in created["scaleway"]
        assert created["scaleway"]["after"]["id"] == server["id"]

        sim.api.ok("POST", "/servers/%s/action" % server["id"], {"action": "poweron"}, 202)
        assert running.wait_for(lambda events: of(events, "updated"), INTERVAL + 2)
        polls = server_polls(sim)
        running.wait_for(lambda events: server_polls(sim) >= polls + 2, 5)
        [updated] = of(running.events, "updated")
        assert "state" in updated["scaleway"]["fields"]
        assert updated["scaleway"]["before"]["state"] != updated["scaleway"]["after"]["state"] == "running"

        sim.api.ok("POST", "/servers/%s/action" % server["id"], {"action": "poweroff"}, 202)
        assert running.wait_for(lambda events: len(of(events, "updated")) == 2, INTERVAL + 2)
        sim.api.ok("DELETE", "/servers/%s" % server["id"], status=204)
        assert running.wait_for(lambda events: of(events, "deleted"), INTERVAL + 2)
        polls = server_polls(sim)
        running.wait_for(lambda events: server_polls(sim) >= polls + 2, 5)
        [deleted] = of(running.events, "deleted")
        assert deleted["scaleway"]["id"] == server["id"] and "after" not in deleted["scaleway"]
        assert len(of(running.events, "created")) == 1 and len(of(running.events, "updated")) == 2
    finally:
        running.stop()
    assert running.error is None


def test_a_poll_of_1000_servers_and_1000_tags_costs_4_requests(sim):
    store = sim.running.sim.store
    with store.lock:
        user = store.users[TOKEN]
        for index in range(1000):
            store.servers.create(user, {"name": "s%04d" % index})  # each server also gets its `default` tag
    # Objects created in the two seconds before a multi-page read make it read again (lists.py): wait them out.
    time.sleep(2.1)
    source = changes_mod.ChangeWatcher(args_for(sim, resources=["servers", "tags"]), {})
    try:
        sim.forget_requests()
        assert source.poll() == []
        log = sim.requests()
        assert [(method, path) for method, path, dummy, dummy2 in log] == [("GET", "/servers")] * 2 + [
            ("GET", "/tags")] * 2
        assert len(source.known["servers"]) == 1000 and len(source.known["tags"]) == 1000
        sim.forget_requests()
        assert source.poll() == []
        assert len(sim.requests()) == 4
    finally:
        source.close()


def test_under_faults_and_a_list_changing_between_page_reads_no_false_created_or_deleted(sim, quick, caplog):
    """20 % error answers, and a delete plus a create before some reads of page 2 of a 600-server list."""
    caplog.set_level(logging.DEBUG)
    store = sim.running.sim.store
    user = store.users[TOKEN]
    with store.lock:
        for index in range(600):
            store.servers.create(user, {"name": "s%04d" % index})
    time.sleep(2.1)  # older than the whole-list rule's window, which the quick client's short sleeps do not wait out
    deleted_ids, created_ids = set(), set()
    serve = sim.running.sim.serve
    shifts = {"page 2 reads": 0}

    def shifting(request):
        if request.path == "/v1/servers" and "page=2" in (request.raw_query or "") and request.method == "GET":
            shifts["page 2 reads"] += 1
            if shifts["page 2 reads"] % 2:
                # The first server of page 1 (already read) goes, a new one comes: page 2 shifts by one.
                with store.lock:
                    first = min(store.servers.items.values(), key=lambda server: server.seq)
                    store.servers.delete(user, first.id)
                    deleted_ids.add(first.id)
                    created_ids.add(store.servers.create(user, {"name": "new-%d" % shifts["page 2 reads"]}).id)
        return serve(request)

    running = Running(args_for(sim, api_retries=3))
    try:
        # The first poll (two pages) is the baseline; the shifts start after it.
        assert running.wait_for(lambda events: server_polls(sim) >= 2, 10)
        sim.running.sim.serve = shifting
        sim.faults(error_rate=0.2, statuses=[500, 503, 429], seed=7)
        running.wait_for(lambda events: shifts["page 2 reads"] >= 12, 30)
        sim.api.ok("POST", "/_sim/faults", {}, 200)
        sim.running.sim.serve = serve
        time.sleep(2.1)  # the last created servers are older than the whole-list rule's window
        stable = server_polls(sim)
        # Two polls (of two pages each) without faults or shifts: everything real has been reported by then.
        assert running.wait_for(lambda events: server_polls(sim) >= stable + 4, 20)
    finally:
        running.stop()
    assert running.error is None
    created = [event["scaleway"]["id"] for event in of(running.events, "created")]
    deleted = [event["scaleway"]["id"] for event in of(running.events, "deleted")]
    # Counted: each object that was really created or deleted gives one event, and no other object any.
    assert sorted(created) == sorted(created_ids - deleted_ids)
    assert sorted(deleted) == sorted(deleted_ids - created_ids)
    assert len(created_ids) >= 6
    assert of(running.events, "updated") == []
    text = json.dumps(running.events) + "\n".join(record.getMessage() for record in caplog.records)
    assert TOKEN not in text


def test_an_outage_gives_one_unavailable_and_one_available_event_and_no_deleted(sim, quick, caplog):
    caplog.set_level(logging.DEBUG)
    for index in range(3):
        sim.api.create("servers", {"name": "s%d" % index}, "server")
    running = Running(args_for(sim, api_retries=1))
    try:
        assert running.wait_for(lambda events: server_polls(sim) >= 1, 5)
        sim.faults(error_rate=1.0, statuses=[503])
        assert running.wait_for(lambda events: of(events, "unavailable"), 5)
        polls = server_polls(sim)
        assert running.wait_for(lambda events: server_polls(sim) >= polls + 4, 10)
        sim.api.ok("POST", "/_sim/faults", {}, 200)
        assert running.wait_for(lambda events: of(events, "available"), 5)
    finally:
        running.stop()
    assert [event["scaleway"]["change"] for event in running.events] == ["unavailable", "available"]
    unavailable = running.events[0]["scaleway"]
    assert "503" in unavailable["error"] and unavailable["resource"] == "server"
    assert running.events[1]["scaleway"]["since"] == unavailable["since"]
    text = json.dumps(running.events) + "\n".join(record.getMessage() for record in caplog.records)
    assert TOKEN not in text
    assert "the API cannot be read" in text


def test_emit_existing_and_organizations_by_name(sim, quick):
    server = sim.api.create("servers", {"name": "old"}, "server")
    running = Running(args_for(sim, emit_existing=True, organizations=["demo"]))
    try:
        assert running.wait_for(lambda events: of(events, "created"), 5)
    finally:
        running.stop()
    assert [event["scaleway"]["id"] for event in of(running.events, "created")] == [server["id"]]


def test_cancelling_stops_the_source_within_one_request_timeout(sim):
    """A read held by a slow API (5 s per answer) is given up on cancel: within api_timeout (1 s)."""
    running = Running(args_for(sim, api_timeout=1, api_retries=5))
    try:
        assert running.wait_for(lambda events: server_polls(sim) >= 1, 5)
        sim.faults(latency_ms=5000)
        time.sleep(INTERVAL + 0.3)  # the next poll has started and waits for its answer
    finally:
        took = running.stop()
        sim.api.ok("POST", "/_sim/faults", {}, 200)
    assert took < 1 + 0.5


def test_a_bad_argument_fails_the_source_before_any_request(sim):
    sim.forget_requests()
    running = Running(args_for(sim, resources=["images"]))
    running.thread.join(10)
    assert "resources" in "%s" % (running.error,)
    assert sim.requests() == []


def test_the_collections_root_is_found_above_the_installed_file():
    changes = load_source()
    assert changes["_collections_root"]("/x/ansible_collections/scaleway_v1/cloud/extensions/eda/plugins/"
                                        "event_source/scaleway_changes.py") == "/x"
    assert changes["_collections_root"]("/nowhere/scaleway_changes.py") is None
