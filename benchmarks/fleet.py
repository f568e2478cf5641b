#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fleets: scaleway_server_fleet against two raw parallel clients and a loop of single-server tasks.

For each simulator latency (default 0 and 50 ms added to every answer) and each fleet size N (default 20
and 100 servers, each with a 1 GB data volume and the tag web, running), against one API simulator with
its default transition delay, reset before each way:
  - raw list: `requests` with --workers threads (one Session each), the strictest floor of any client: a
    cold build (the tag, then per server a volume, the server with it, the tag attached, poweron; then the
    server list read every 0.25 s until every one runs), a no-change pass (one read of the server list,
    which carries volumes and tags), scale up by 10, scale down by 10 (terminate the 10 highest, read the
    list until they are gone) and a teardown (terminate every server);
  - raw server: the raw floor of issue 22's table (4.6 s cold and teardown for 100 servers there): the
    same requests, but each of the --workers threads builds one server and waits for it (a read of that
    server every 0.25 s) before it takes the next; the teardown terminates a server and reads it until
    it is gone. No change is the same one list read;
  - module: one `ansible-playbook` run of one scaleway_server_fleet task per pass (max_workers=--workers;
    the ansible-playbook wall time, start-up included);
  - module alone: the same module file run by Python with the same arguments (`python -m`, no
    ansible-playbook): the module's own cost, its imports included, without Ansible's start-up;
  - loop: what a user writes without the module, a loop of scaleway_volume + scaleway_server tasks over the
    servers (the loop's wall time). It takes minutes at 100 servers, so it runs only for N <= --loop-max
    (default 20), said so in the table.
Requests are counted from the simulator's request log. It also times an `ansible-playbook` run with no
task and one with one `ansible.builtin.ping` task (the median of 3 each): the start-up every module task
pays before its first request. It prints one table per latency, the module's time over each raw floor,
and checks the targets at the largest N: module cold and teardown each within 2x the raw server floor of
the same run (issue 22's target); the no-change module run sends only reads, at most ceil(N/500) pages
per listed resource. --check exits 1 on a miss.

Usage: python benchmarks/fleet.py [--sizes 20 100] [--latencies 0 50] [--workers 16] [--loop-max 20] [--check]
(run it with the tools virtualenv: bash tools/setup-venvs.sh; .venv/tools/bin/python benchmarks/fleet.py)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from simulator import Simulator, collections_dir

TOKEN = "demo-token"
IMAGE = "3f0c2e1a-7b4d-4c8e-9a61-2d5b8e7f9c10"
SIZE = 10 ** 9
STEP = 10
# No pass may take longer than this (seconds): a bound, not a target.
PASS_LIMIT = 900
PASSES = ("cold", "no change", "up 10", "down 10", "teardown")


class Raw:
    """The floor: plain requests, one Session per thread, no retries, no checks."""

    def __init__(self, api_url, workers):
        self.api_url = api_url
        self.workers = workers
        self.local = threading.local()

    def session(self):
        if getattr(self.local, "session", None) is None:
            self.local.session = requests.Session()
            self.local.session.headers.update({"X-Auth-Token": TOKEN})
        return self.local.session

    def call(self, method, path, body=None, params=None):
        answer = self.session().request(method, self.api_url + path, json=body, params=params, timeout=60)
        answer.raise_for_status()
        return answer.json() if answer.content else None

    def servers(self):
        found, page = [], 1
        while True:
            items = self.call("GET", "/servers", params={"limit": 500, "page": page})["servers"]
            found += items
            if len(items) < 500:
                return found
            page += 1

    def parallel(self, call, items):
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            return list(pool.map(call, items))

    def make(self, name, tag_id):
        """The volume, the server with it, the tag attached and poweron; the server's id."""
        volume = self.call("POST", "/volumes", {"name": name + "-data", "size": SIZE})["volume"]
        server = self.call("POST", "/servers", {"name": name, "image": IMAGE, "commercial_type": "VC1S",
                                                "volumes": [volume["id"]]})["server"]
        self.call("POST", "/servers/%s/tags" % server["id"], {"tag_id": tag_id})
        self.call("POST", "/servers/%s/action" % server["id"], {"action": "poweron"})
        return server["id"]

    def build(self, names, tag_id):
        self.parallel(lambda name: self.make(name, tag_id), names)
        self.wait(lambda servers: all(s["state"] == "running" for s in servers if s["name"] in names))

    def wait(self, done, interval=0.25):
        while not done(self.servers()):
            time.sleep(interval)

    def cold(self, count):
        tag = self.call("POST", "/tags", {"name": "web"})["tag"]
        self.tag_id = tag["id"]
        self.build(["web-%d" % i for i in range(1, count + 1)], tag["id"])

    def no_change(self, _count):
        self.servers()

    def up(self, count):
        self.servers()
        self.build(["web-%d" % i for i in range(count + 1, count + STEP + 1)], self.tag_id)

    def terminate(self, names):
        targets = [s for s in self.servers() if s["name"] in names]
        self.parallel(lambda s: self.call("POST", "/servers/%s/action" % s["id"], {"action": "terminate"}), targets)
        self.wait(lambda servers: not any(s["name"] in names for s in servers))

    def down(self, count):
        self.terminate(set("web-%d" % i for i in range(count + 1, count + STEP + 1)))

    def teardown(self, count):
        self.terminate(set("web-%d" % i for i in range(1, count + 1)))

    def run(self, name, count):
        {"cold": self.cold, "no change": self.no_change, "up 10": self.up, "down 10": self.down,
         "teardown": self.teardown}[name](count)


class RawPerServer(Raw):
    """The floor of issue 22's table: each thread builds (or terminates) one server and waits for it."""

    def until(self, done, interval=0.25):
        while not done():
            time.sleep(interval)

    def state(self, server_id):
        answer = self.session().get(self.api_url + "/servers/" + server_id, timeout=60)
        if answer.status_code == 404:
            return None
        answer.raise_for_status()
        return answer.json()["server"]["state"]

    def build(self, names, tag_id):
        def one(name):
            server_id = self.make(name, tag_id)
            self.until(lambda: self.state(server_id) == "running")
        self.parallel(one, names)

    def terminate(self, names):
        def one(server):
            self.call("POST", "/servers/%s/action" % server["id"], {"action": "terminate"})
            self.until(lambda: self.state(server["id"]) is None)
        self.parallel(one, [s for s in self.servers() if s["name"] in names])


def fleet_task(count, workers, state="running", max_deletions=0):
    return {"scaleway_v1.cloud.scaleway_server_fleet": {
        "name": "web", "count": count, "image": IMAGE, "commercial_type": "VC1S", "tags": ["web"],
        "volumes": [{"suffix": "data", "size": SIZE}], "state": state, "max_deletions": max_deletions,
        "max_workers": workers}}


def module_plays(count, workers):
    return {
        "cold": [fleet_task(count, workers)],
        "no change": [fleet_task(count, workers)],
        "up 10": [fleet_task(count + STEP, workers)],
        "down 10": [fleet_task(count, workers, max_deletions=STEP)],
        "teardown": [fleet_task(0, workers, max_deletions=count)],
    }


def loop_tasks(first, last, state="running"):
    items = {"loop": "{{ range(%d, %d) | list }}" % (first, last + 1)}
    if state == "absent":
        return [dict(items, **{"scaleway_v1.cloud.scaleway_server": {
            "name": "web-{{ item }}", "state": "absent", "delete_volumes": True}})]
    return [dict(items, **{"scaleway_v1.cloud.scaleway_volume": {"name": "web-{{ item }}-data", "size": SIZE}}),
            dict(items, **{"scaleway_v1.cloud.scaleway_server": {
                "name": "web-{{ item }}", "image": IMAGE, "commercial_type": "VC1S", "tags": ["web"],
                "volumes": ["web-{{ item }}-data"], "state": "running"}})]


def loop_plays(count):
    return {
        "cold": loop_tasks(1, count),
        "no change": loop_tasks(1, count),
        "up 10": loop_tasks(1, count + STEP),
        "down 10": loop_tasks(count + 1, count + STEP, "absent"),
        "teardown": loop_tasks(1, count, "absent"),
    }


def run_playbook(workdir, sim, tasks):
    path = os.path.join(workdir, "play.yml")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump([{"hosts": "localhost", "connection": "local", "gather_facts": False, "tasks": tasks}], handle)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(workdir, "collections"), SCW_API_URL=sim.api_url,
               SCW_TOKEN=TOKEN, ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", path]
    result = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            check=False, timeout=PASS_LIMIT)
    if result.returncode != 0:
        print(result.stdout[-4000:])
        raise SystemExit("ansible-playbook failed")


def run_alone(workdir, sim, tasks):
    """Each task's module file run by this Python with its arguments: the module's cost without ansible-playbook."""
    env = dict(os.environ, PYTHONPATH=os.path.join(workdir, "collections"), SCW_API_URL=sim.api_url, SCW_TOKEN=TOKEN)
    for task in tasks:
        (name, args), = task.items()
        path = os.path.join(workdir, "args.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"ANSIBLE_MODULE_ARGS": args}, handle)
        module = "ansible_collections.scaleway_v1.cloud.plugins.modules." + name.split(".")[-1]
        result = subprocess.run([sys.executable, "-m", module, path], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, check=False, timeout=PASS_LIMIT)
        if result.returncode != 0:
            print(result.stdout[-4000:])
            raise SystemExit("the module failed")


class Tasks:
    """A way that runs one list of tasks per pass with ``runner(tasks)``."""

    def __init__(self, plays, runner):
        self.plays = plays
        self.runner = runner

    def run(self, name, _count):
        self.runner(self.plays[name])


def counted(sim, action):
    """(seconds, requests, writes, pages per listed path) of ``action()``, from the simulator's log."""
    sim.clear_log()
    start = time.monotonic()
    action()
    seconds = time.monotonic() - start
    log = sim.control("GET", "/_sim/requests")["requests"]
    writes = [entry for entry in log if entry["method"] != "GET"]
    pages = {}
    for entry in log:
        if entry["method"] == "GET" and entry["path"].count("/") == 2:
            pages[entry["path"]] = pages.get(entry["path"], 0) + 1
    return seconds, len(log), len(writes), pages


def measure(sim, workdir, count, workers, loop_max, latency):
    rows = {}
    ways = [("raw list", lambda: Raw(sim.api_url, workers)),
            ("raw server", lambda: RawPerServer(sim.api_url, workers)),
            ("module", lambda: Tasks(module_plays(count, workers), lambda tasks: run_playbook(workdir, sim, tasks))),
            ("module alone", lambda: Tasks(module_plays(count, workers), lambda tasks: run_alone(workdir, sim, tasks)))]
    if count <= loop_max:
        ways.append(("loop", lambda: Tasks(loop_plays(count), lambda tasks: run_playbook(workdir, sim, tasks))))
    for way, make in ways:
        sim.control("POST", "/_sim/reset")
        # A reset turns faults off: the latency is set again after it.
        sim.control("POST", "/_sim/faults", {"latency_ms": latency} if latency else {})
        runner = make()
        for name in PASSES:
            rows[(way, name)] = counted(sim, lambda name=name: runner.run(name, count))
            seconds, requests = rows[(way, name)][:2]
            print("  N=%d %-12s %-9s %6.2f s %5d requests" % (count, way, name, seconds, requests), flush=True)
    return rows


def startup(sim, workdir, tasks):
    """Seconds of an ansible-playbook run of ``tasks`` (the median of 3)."""
    times = []
    for _run in range(3):
        start = time.monotonic()
        run_playbook(workdir, sim, tasks)
        times.append(time.monotonic() - start)
    return sorted(times)[1]


WAYS = ("raw list", "raw server", "module", "module alone", "loop")


def table(latency, results, loop_max, bare, ping):
    print("\n### %d ms of simulator latency\n" % latency)
    print("ansible-playbook with no task: %.2f s; with one ansible.builtin.ping task (start-up of any module "
          "task): %.2f s\n" % (bare, ping))
    print("| N | way | " + " | ".join(PASSES) + " | requests (cold / no change / teardown) |")
    print("|---|---|" + "---|" * len(PASSES) + "---|")
    for count, rows in results:
        for way in WAYS:
            if (way, "cold") not in rows:
                print("| %d | loop | not run (N > %d: minutes) |%s" % (count, loop_max, " |" * len(PASSES)))
                continue
            cells = ["%.2f s" % rows[(way, name)][0] for name in PASSES]
            print("| %d | %s | %s | %d / %d / %d |" % (count, way, " | ".join(cells), rows[(way, "cold")][1],
                                                       rows[(way, "no change")][1], rows[(way, "teardown")][1]))
    count, rows = results[-1]
    for floor in ("raw server", "raw list"):
        print("\nN=%d, module over %s: %s" % (count, floor, ", ".join(
            "%s %.2fx" % (name, rows[("module", name)][0] / rows[(floor, name)][0]) for name in ("cold", "teardown"))))


def check(results):
    """Issue 22's targets at the largest N: within 2x its raw floor (raw server); reads only when nothing changes."""
    misses = []
    count, rows = results[-1]
    for name in ("cold", "teardown"):
        if rows[("module", name)][0] > 2 * rows[("raw server", name)][0]:
            misses.append("module %s %.2f s > 2x raw server %.2f s" % (
                name, rows[("module", name)][0], rows[("raw server", name)][0]))
    _seconds, _requests, writes, pages = rows[("module", "no change")]
    if writes:
        misses.append("the no-change module run wrote %d times" % writes)
    if any(number > math.ceil(count / 500.0) for number in pages.values()):
        misses.append("the no-change module run read %r pages" % pages)
    return misses


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 100])
    parser.add_argument("--latencies", type=int, nargs="+", default=[0, 50], help="ms added to every answer")
    parser.add_argument("--workers", type=int, default=16, help="threads of the raw client and max_workers (16)")
    parser.add_argument("--loop-max", type=int, default=20, help="largest N the single-task loop runs at (20)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed at the largest N")
    args = parser.parse_args()
    misses = []
    with tempfile.TemporaryDirectory() as workdir:
        collections_dir(workdir)
        with Simulator(workdir) as sim:
            for latency in args.latencies:
                results = [(count, measure(sim, workdir, count, args.workers, args.loop_max, latency))
                           for count in args.sizes]
                table(latency, results, args.loop_max, startup(sim, workdir, []),
                      startup(sim, workdir, [{"ansible.builtin.ping": {}}]))
                misses += ["%d ms: %s" % (latency, miss) for miss in check(results)]
            sim.control("POST", "/_sim/faults", {})
    for miss in misses:
        print("MISSED: " + miss)
    if args.check and misses:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
