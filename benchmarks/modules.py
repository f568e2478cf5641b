#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request counts and task time of every module, against the floor.

Runs benchmarks/playbooks/estate.yml against a fresh API simulator and prints:
  1. requests per task for a first run, a second (no-change) run and a check-mode run that asks for
     changes, against the floor of a no-change task (the fewest reads that prove nothing changed);
  2. the time of each module's no-change task repeated --loops times against ansible.builtin.uri doing
     one GET, and the ratio (target: 1.25x);
  3. the same no-change run with the simulator adding --latency-ms to every answer.
Exit status 1 when a no-change or check-mode run writes, or a no-change task exceeds its floor.

Usage: python benchmarks/modules.py [--loops 50] [--latency-ms 50]
(run it with the tools virtualenv: bash tools/setup-venvs.sh; .venv/tools/bin/python benchmarks/modules.py)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

from simulator import Simulator, collections_dir

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOK = os.path.join(HERE, "playbooks", "estate.yml")


def run_playbook(sim, workdir, label, extra_vars=None, check=False):
    out = os.path.join(workdir, label + ".jsonl")
    env = dict(os.environ)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": os.path.join(workdir, "collections"),
        "ANSIBLE_CALLBACKS_ENABLED": "bench_probe",
        "BENCH_SIM_URL": sim.root,
        "BENCH_OUT": out,
        "SCW_API_URL": sim.api_url,
        "SCW_TOKEN": "demo-token",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
    })
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), PLAYBOOK]
    for key, value in (extra_vars or {}).items():
        command += ["-e", "%s=%s" % (key, value)]
    if check:
        command.append("--check")
    result = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    if result.returncode != 0:
        print(result.stdout[-4000:])
        raise SystemExit("%s: ansible-playbook failed" % label)
    with open(out, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def by_bench(records):
    table = {}
    for record in records:
        if record["bench"]:
            table.setdefault(record["bench"], []).append(record)
    return table


def request_table(first, second, check):
    print("\n## Requests per task (floor = fewest reads that prove a no-change task)\n")
    print("| module | first run | no-change run | floor | check mode (changes asked) | verdict |")
    print("| --- | --- | --- | --- | --- | --- |")
    failures = []
    first, second, check = by_bench(first), by_bench(second), by_bench(check)
    for bench in second:
        if bench == "uri":
            continue
        one, two, chk = first[bench][0], second[bench][0], check[bench][0]
        verdict = "at floor"
        if two["writes"] or two["changed"]:
            verdict = "WRITES on a no-change run"
        elif two["reads"] > two["floor"]:
            verdict = "above floor"
        if chk["writes"]:
            verdict = "WRITES in check mode"
        if verdict != "at floor":
            failures.append((bench, verdict, two["requests"], chk["requests"]))
        print("| %s | %d reads, %d writes | %d reads, %d writes | %d | %d reads, %d writes%s | %s |" % (
            bench, one["reads"], one["writes"], two["reads"], two["writes"], two["floor"],
            chk["reads"], chk["writes"], ", would change" if chk["changed"] else "", verdict))
    return failures


def time_table(records, loops, title):
    table = by_bench(records)
    uri = statistics.median(r["seconds"] for r in table["uri"])
    print("\n## %s (median of %d runs of each no-change task)\n" % (title, loops))
    print("| module | median s | requests/task | vs uri |")
    print("| --- | --- | --- | --- |")
    for bench, runs in table.items():
        median = statistics.median(r["seconds"] for r in runs)
        print("| %s | %.3f | %d | %.2fx |" % (bench, median, runs[0]["reads"] + runs[0]["writes"], median / uri))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loops", type=int, default=50, help="repetitions of each no-change task for timing")
    parser.add_argument("--latency-ms", type=int, default=50, help="simulated latency of the last run")
    parser.add_argument("--delay", type=float, default=0.2, help="the simulator's power transition delay")
    args = parser.parse_args()
    failures = []
    with tempfile.TemporaryDirectory() as workdir, Simulator(workdir, args.delay) as sim:
        collections_dir(workdir)
        first = run_playbook(sim, workdir, "first")
        second = run_playbook(sim, workdir, "second")
        check = run_playbook(sim, workdir, "check", {"bench_variant": 2}, check=True)
        failures = request_table(first, second, check)
        timed = run_playbook(sim, workdir, "time", {"bench_loops": args.loops})
        time_table(timed, args.loops, "Task time")
        sim.control("POST", "/_sim/faults", {"latency_ms": args.latency_ms})
        slow = run_playbook(sim, workdir, "latency", {"bench_loops": 5})
        time_table(slow, 5, "Task time with %d ms of latency per request" % args.latency_ms)
    for bench, verdict, second_requests, check_requests in failures:
        print("\n%s: %s\n  no-change: %s\n  check mode: %s" % (bench, verdict, second_requests, check_requests))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
