# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Benchmark probe: per task, the requests the simulator logged and the wall time.

Tasks run one after the other on localhost, so the simulator's request log
between a task's start and its end belongs to that task. Writes one JSON line
per task result to the file named by BENCH_OUT; BENCH_SIM_URL is the
simulator's root URL (without /v1).
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: bench_probe
type: aggregate
short_description: Records per-task request counts and durations for the benchmarks
description:
  - Used by the scripts under benchmarks/ only.
requirements:
  - enable in configuration
"""

import json
import os
import time
import urllib.request

from ansible.plugins.callback import CallbackBase


def _log_length(sim_url):
    with urllib.request.urlopen(sim_url + "/_sim/requests", timeout=30) as answer:
        return json.loads(answer.read())["requests"]


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_probe"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.sim_url = os.environ["BENCH_SIM_URL"].rstrip("/")
        self.out = open(os.environ["BENCH_OUT"], "a", encoding="utf-8")  # pylint: disable=consider-using-with
        self.seen = 0
        self.started = 0.0
        self.task = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.task = task
        self.seen = len(_log_length(self.sim_url))
        self.started = time.perf_counter()

    def _record(self, result, status):
        elapsed = time.perf_counter() - self.started
        entries = _log_length(self.sim_url)[self.seen:]
        self.seen += len(entries)
        item = result._result.get("item")
        record = {
            "task": self.task.get_name(),
            "module": self.task.action,
            "bench": self.task.vars.get("bench"),
            "floor": self.task.vars.get("bench_floor"),
            "item": item if isinstance(item, (str, int)) else None,
            "status": status,
            "changed": bool(result._result.get("changed")),
            "seconds": round(elapsed, 4),
            "reads": sum(1 for e in entries if e["method"] == "GET"),
            "writes": sum(1 for e in entries if e["method"] != "GET"),
            "requests": ["%s %s" % (e["method"], e["path"]) for e in entries],
        }
        self.out.write(json.dumps(record) + "\n")
        self.out.flush()
        self.started = time.perf_counter()

    def v2_runner_on_ok(self, result):
        if "results" not in result._result:  # a loop's summary: its items were recorded one by one
            self._record(result, "ok")

    def v2_runner_item_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")

    def v2_playbook_on_stats(self, stats):
        self.out.close()
