#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Time `ansible-inventory --list` with the scaleway inventory plugin against a static YAML file and its own floor.

For each size N it starts the API simulator, loads N servers and M tags with K metadata
entries each (tests/simulator/populate.py; every server also gets its own `default` tag, so
there are T = N + M tags), writes a static YAML inventory with the same hosts, groups and
variables (made from the plugin's own `--export` output, and checked equal to it), then times
`ansible-inventory -i X --list` --runs times in each mode, interleaved so that a load change
on the machine hits every mode alike:
  cold    the plugin, cache off: every run reads the API
  floor   the same with tag_metadata_vars: false: the same requests, no metadata variables;
          the floor of a cold run, since the tag list carries the metadata
  cached  the plugin, jsonfile cache filled beforehand: no request
  static  the YAML file, with Ansible's default inventory plugins (auto, yaml, ini, ...): what a
          user gets, where the auto plugin reads the file before the yaml plugin does
  yaml    the same file with only the yaml plugin enabled: the fastest a static file loads
It prints the median and fastest wall times, the CPU time of ansible-inventory, the requests
of a cold run (all must be GETs, and exactly ceil(N/500) + ceil(T/500)), and the ratios to
static, to yaml and to the floor (targets at the largest N: cold <= 1.3x static, cached <= 1.1x
static, cold <= 1.1x floor).
With --check it exits 1 when a target or the request formula is missed.

Usage: python benchmarks/inventory.py [--sizes 1000,10000] [--tags 20] [--metadata 3] [--runs 3]
(run it with the tools virtualenv: bash tools/setup-venvs.sh; .venv/tools/bin/python benchmarks/inventory.py)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml
from simulator import Simulator, collections_dir

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
POPULATE = os.path.join(ROOT, "tests", "simulator", "populate.py")
TOKEN = "demo-token"
MODES = ("cold", "floor", "cached", "static", "yaml")
# Ratios of the median wall time to the static file's, at the largest N.
TARGETS = {"cold": 1.3, "cached": 1.1}
# The ratio of the cold run to its floor (tag_metadata_vars: false), at the largest N.
FLOOR_TARGET = 1.1
PAGE_LIMIT = 500


def expected_requests(servers, tags):
    """What a cold run must cost: one request per page of 500 servers and of 500 tags (an empty list is one page)."""
    return max(1, math.ceil(servers / PAGE_LIMIT)) + max(1, math.ceil(tags / PAGE_LIMIT))


def total_count(api_url, path):
    """The X-Total-Count of a list of the simulator's API."""
    request = urllib.request.Request(api_url + path + "?limit=1", headers={"X-Auth-Token": TOKEN})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return int(answer.headers["X-Total-Count"])


def write_yaml(path, data):
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(data, handle, default_flow_style=False, sort_keys=False)


def plain(value):
    """ansible-inventory's JSON with its {"__ansible_unsafe": "..."} markers turned back into strings."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def static_inventory(exported):
    """A YAML inventory with the groups, hosts and variables of `ansible-inventory --list --export` output."""
    exported = plain(exported)
    hostvars = exported["_meta"]["hostvars"]
    placed = set()
    groups = {}
    for name in exported["all"].get("children", []):
        group = exported.get(name, {})
        hosts = {}
        for host in group.get("hosts", []):
            # Each host's variables are written once, at its first group.
            hosts[host] = None if host in placed else hostvars.get(host) or None
            placed.add(host)
        entry = {}
        if hosts:
            entry["hosts"] = hosts
        if group.get("vars"):
            entry["vars"] = group["vars"]
        groups[name] = entry or None
    return {"all": {"children": groups}}


class Runner:
    """Runs ansible-inventory --list with the collection on its path, timing each run."""

    def __init__(self, ansible_inventory, collections):
        self.command = ansible_inventory
        self.env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_INVENTORY_UNPARSED_FAILED="true")
        self.env.pop("ANSIBLE_CONFIG", None)

    def run(self, source, *args, **env):
        """(wall seconds, CPU seconds of the child, parsed JSON output)."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = subprocess.run([self.command, "-i", source, "--list"] + list(args), env=dict(self.env, **env),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if result.returncode != 0:
            raise SystemExit("ansible-inventory -i %s failed:\n%s" % (source, result.stderr[-4000:]))
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu, json.loads(result.stdout)


def measure(size, args, runner, workdir):
    """The figures of one size: {mode: {"wall": [...], "cpu": [...]}, "requests": n}."""
    folder = os.path.join(workdir, "n%d" % size)
    os.makedirs(folder)
    with Simulator(folder) as simulator:
        subprocess.run([sys.executable, POPULATE, "--url", simulator.api_url, "--token", TOKEN, "--servers", str(size),
                        "--tags", str(args.tags), "--metadata", str(args.metadata), "--workers", "4"],
                       check=True, stdout=subprocess.DEVNULL)
        config = {"plugin": "scaleway_v1.cloud.scaleway", "api_url": simulator.api_url, "api_token": TOKEN,
                  "max_workers": args.max_workers}
        sources = {
            "cold": os.path.join(folder, "cold.scaleway.yml"),
            "floor": os.path.join(folder, "floor.scaleway.yml"),
            "cached": os.path.join(folder, "cached.scaleway.yml"),
            "static": os.path.join(folder, "static.yml"),
        }
        sources["yaml"] = sources["static"]
        mode_env = {"yaml": {"ANSIBLE_INVENTORY_ENABLED": "ansible.builtin.yaml"}}
        write_yaml(sources["cold"], config)
        write_yaml(sources["floor"], dict(config, tag_metadata_vars=False))
        write_yaml(sources["cached"], dict(config, cache=True, cache_plugin="ansible.builtin.jsonfile",
                                           cache_connection=os.path.join(folder, "cache"), cache_timeout=86400))
        # One run exports the plugin's groups and variables for the static file and fills the cache.
        write_yaml(sources["static"], static_inventory(runner.run(sources["cached"], "--export")[2]))
        figures = {mode: {"wall": [], "cpu": []} for mode in MODES}
        figures["tags"] = total_count(simulator.api_url, "/tags")
        figures["expected"] = expected_requests(size, figures["tags"])
        figures["requests"] = {}
        outputs = {}
        for run in range(args.runs):
            for mode in MODES:
                simulator.clear_log()
                wall, cpu, output = runner.run(sources[mode], **mode_env.get(mode, {}))
                figures[mode]["wall"].append(wall)
                figures[mode]["cpu"].append(cpu)
                outputs[mode] = plain(output)
                logged = simulator.control("GET", "/_sim/requests")["requests"]
                if run == 0:
                    figures["requests"][mode] = len(logged)
                writes = [entry for entry in logged if entry["method"] != "GET"]
                if writes:
                    raise SystemExit("N=%d: the %s run sent %d requests that are not GETs" % (size, mode, len(writes)))
        for mode in ("cold", "cached", "yaml"):
            if outputs[mode] != outputs["static"]:
                raise SystemExit("N=%d: the %s inventory differs from the static file" % (size, mode))
        figures["hosts"] = len(outputs["static"]["_meta"]["hostvars"])
        figures["groups"] = len(outputs["static"]["all"]["children"])
    return figures


def report(results, args):
    print("\n## ansible-inventory --list: scaleway plugin against a static YAML file and its floor\n")
    print("%d runs per mode, interleaved; %d tags with %d metadata entries each, plus the automatic `default` tag "
          "of every server; max_workers %d. floor: cold with tag_metadata_vars: false.\n"
          % (args.runs, args.tags, args.metadata, args.max_workers))
    print("| servers | tags | mode | median s | fastest s | CPU s (median) | ratio to static | ratio to static (CPU) | "
          "ratio to yaml | ratio to floor | requests |")
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    missed = []
    for size, figures in results:
        static_wall = statistics.median(figures["static"]["wall"])
        static_cpu = statistics.median(figures["static"]["cpu"])
        yaml_wall = statistics.median(figures["yaml"]["wall"])
        floor_wall = statistics.median(figures["floor"]["wall"])
        for mode in MODES:
            wall = statistics.median(figures[mode]["wall"])
            cpu = statistics.median(figures[mode]["cpu"])
            ratio = wall / static_wall
            print("| %d | %d | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %d |" % (
                size, figures["tags"], mode, wall, min(figures[mode]["wall"]), cpu, ratio, cpu / static_cpu,
                wall / yaml_wall, wall / floor_wall, figures["requests"][mode]))
            if size == max(args.sizes) and mode in TARGETS and ratio > TARGETS[mode]:
                missed.append("%s at N=%d: %.2fx static (target %.1fx)" % (mode, size, ratio, TARGETS[mode]))
        cold_to_floor = statistics.median(figures["cold"]["wall"]) / floor_wall
        if size == max(args.sizes) and cold_to_floor > FLOOR_TARGET:
            missed.append("cold at N=%d: %.2fx the floor (target %.1fx)" % (size, cold_to_floor, FLOOR_TARGET))
        for mode in ("cold", "floor"):
            if figures["requests"][mode] != figures["expected"]:
                missed.append("%s at N=%d: %d requests, the formula ceil(N/500) + ceil(T/500) gives %d" % (
                    mode, size, figures["requests"][mode], figures["expected"]))
    print("\nHosts and groups per size: %s." % ", ".join(
        "N=%d: %d hosts, %d groups" % (size, figures["hosts"], figures["groups"]) for size, figures in results))
    print("Requests of a cold run against ceil(N/500) + ceil(T/500): %s." % ", ".join(
        "N=%d, T=%d: %d of %d" % (size, figures["tags"], figures["requests"]["cold"], figures["expected"])
        for size, figures in results))
    print("Targets at N=%d: cold <= %.1fx and cached <= %.1fx the static file, cold <= %.1fx the floor, the request "
          "formula at every N: %s." % (max(args.sizes), TARGETS["cold"], TARGETS["cached"], FLOOR_TARGET,
                                       "missed: " + "; ".join(missed) if missed else "met"))
    return missed


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="1000,10000", help="server counts, comma separated (default: %(default)s)")
    parser.add_argument("--tags", type=int, default=20, help="tags, each with --metadata entries (default: %(default)s)")
    parser.add_argument("--metadata", type=int, default=3, help="metadata entries per tag (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per mode and size (default: %(default)s)")
    parser.add_argument("--max-workers", type=int, default=8, help="the plugin's max_workers (default: %(default)s)")
    parser.add_argument("--ansible-inventory", default=None,
                        help="the ansible-inventory to time (default: the one beside this Python, else on PATH)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target or the request formula is missed")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(size) for size in args.sizes.split(",")]
    except ValueError:
        parser.error("--sizes must be integers separated by commas, not %r" % args.sizes)
    if min(args.sizes) < 1 or args.runs < 1 or args.tags < 0 or args.metadata < 0 or args.max_workers < 1:
        parser.error("--sizes, --runs and --max-workers must be >= 1, --tags and --metadata >= 0")
    beside = os.path.join(os.path.dirname(sys.executable), "ansible-inventory")
    args.ansible_inventory = args.ansible_inventory or (beside if os.path.exists(beside) else shutil.which("ansible-inventory"))
    if not args.ansible_inventory:
        parser.error("ansible-inventory not found: run with the tools virtualenv's Python or give --ansible-inventory")
    return args


def main(argv=None):
    args = parse_args(argv)
    workdir = tempfile.mkdtemp(prefix="scaleway-inventory-bench.")
    try:
        runner = Runner(args.ansible_inventory, collections_dir(workdir))
        results = []
        for size in args.sizes:
            print("N=%d: loading the simulator and timing %d runs per mode..." % (size, args.runs), file=sys.stderr)
            results.append((size, measure(size, args, runner, workdir)))
        missed = report(results, args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
