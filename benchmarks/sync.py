#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Publishing a directory: scaleway_container_sync against a raw parallel uploader and the old task loop.

For each size N (default 300 and 3,000 files of about 1 KiB), against a fresh API simulator (the cold
and no-change passes of raw and module run --runs times, interleaved, each into a new container; medians):
  - raw: `requests` with a pool of --workers threads (one Session each), the floor of any client:
    a cold upload (one POST per file), a no-change pass (the container lookup and the listing) and a
    pass that writes 2 changed files and deletes 1;
  - module: one `ansible-playbook` run of one scaleway_container_sync task for each of the same three
    passes (the ansible-playbook wall time, start-up included), plus a check-mode run of the last one;
  - old: the one-task-per-file path of the container_publish role before this module, a loop of
    scaleway_container_object tasks (only the upload loop: the old role's find, listing and planning
    tasks are left out, which favours it). At 300 files every file is uploaded; above --old-sample files
    a sample of --old-sample files is timed, and so is the same playbook with no file: the start-up plus
    the sample's time per task times N is reported (said so in the table).
It prints the times and request counts, and checks the targets at the smallest N: the no-change run sends at
most 3 requests, all reads; 2 changed + 1 removed cost exactly 3 writes; check mode writes nothing; the cold
module run takes at most one no-change module run plus 2x the raw cold upload. --check exits 1 on a miss.

Usage: python benchmarks/sync.py [--sizes 300 3000] [--workers 8] [--runs 3] [--old-sample 300] [--check]
(run it with the tools virtualenv: bash tools/setup-venvs.sh; .venv/tools/bin/python benchmarks/sync.py)
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from simulator import Simulator, collections_dir

TOKEN = "demo-token"
PLAY = """- name: Publish
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Publish the directory
      scaleway_v1.cloud.scaleway_container_sync:
        container: "{{ container }}"
        src: "{{ src }}"
        delete: true
        max_parallel: "{{ workers | int }}"
"""
OLD_PLAY = """- name: Publish file by file, as the container_publish role did
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Create the container
      scaleway_v1.cloud.scaleway_container:
        name: "{{ container }}"
    - name: Upload each file
      scaleway_v1.cloud.scaleway_container_object:
        container: "{{ container }}"
        path: "{{ item }}"
        src: "{{ src }}/{{ item }}"
        content_type: text/plain
      loop: "{{ lookup('ansible.builtin.file', files_list) | from_json }}"
"""


def make_tree(root, count):
    """``count`` files of about 1 KiB in directories of 100; returns their relative paths."""
    paths = []
    for index in range(count):
        relative = "dir%03d/file%05d.txt" % (index // 100, index)
        target = os.path.join(root, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(("line %d of file %d\n" % (index, index)) * 50)
        paths.append(relative)
    return paths


def change_tree(root, paths):
    """Change 2 files (one keeps its size) and remove 1: the 3 writes of a small update."""
    with open(os.path.join(root, paths[0]), "a", encoding="utf-8") as handle:
        handle.write("changed\n")
    with open(os.path.join(root, paths[1]), "r+", encoding="utf-8") as handle:
        handle.write("L")
    os.remove(os.path.join(root, paths[2]))


class RawUploader:
    """The floor: plain requests, one Session per thread, no checks, no retries."""

    def __init__(self, api_url, workers):
        self.api_url = api_url
        self.workers = workers
        self.local = threading.local()

    def session(self):
        session = getattr(self.local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update({"X-Auth-Token": TOKEN})
            self.local.session = session
        return session

    def call(self, method, path, body=None, params=None):
        answer = self.session().request(method, self.api_url + path, json=body, params=params, timeout=60)
        answer.raise_for_status()
        return answer.json() if answer.content else None

    def container(self, name):
        found = self.call("GET", "/containers", params={"name": name, "limit": 500})["containers"]
        return found[0] if found else self.call("POST", "/containers", {"name": name})["container"]

    def listing(self, container_id):
        objects, page = [], 1
        while True:
            items = self.call("GET", "/containers/%s/objects" % container_id, params={"page": page, "limit": 500})["objects"]
            objects += items
            if len(items) < 500:
                return objects
            page += 1

    def parallel(self, calls):
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            for future in [pool.submit(*call) for call in calls]:
                future.result()

    def upload(self, container_id, root, relative, method="POST"):
        with open(os.path.join(root, relative), "rb") as handle:
            content = base64.b64encode(handle.read()).decode("ascii")
        if method == "POST":
            self.call("POST", "/containers/%s/objects" % container_id,
                      {"path": relative, "content": content, "content_type": "text/plain"})
        else:
            self.call("PUT", "/containers/%s/objects/%s" % (container_id, relative), {"content": content})

    def cold(self, name, root, paths):
        container_id = self.container(name)["id"]
        self.parallel([(self.upload, container_id, root, relative) for relative in paths])

    def no_change(self, name):
        self.listing(self.container(name)["id"])

    def small_update(self, name, root, paths):
        container_id = self.container(name)["id"]
        self.listing(container_id)
        self.parallel([(self.upload, container_id, root, paths[0], "PUT"), (self.upload, container_id, root, paths[1], "PUT"),
                       (self.call, "DELETE", "/containers/%s/objects/%s" % (container_id, paths[2]))])


def timed(call, *args):
    started = time.monotonic()
    call(*args)
    return time.monotonic() - started


def run_playbook(workdir, sim, play, extra, check=False):
    """Wall time of one ansible-playbook run; exits when it fails."""
    path = os.path.join(workdir, "old.yml" if play is OLD_PLAY else "sync.yml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(play)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(workdir, "collections"), SCW_API_URL=sim.api_url,
               SCW_TOKEN=TOKEN, ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", path,
               "-e", json.dumps(extra)]
    if check:
        command.append("--check")
    started = time.monotonic()
    result = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        print(result.stdout[-4000:])
        raise SystemExit("ansible-playbook failed")
    return elapsed


def requests_of(sim):
    """(reads, writes) the simulator logged since the last call, and empty its log."""
    logged = sim.control("GET", "/_sim/requests")["requests"]
    sim.clear_log()
    writes = [entry for entry in logged if entry["method"] != "GET"]
    return len(logged) - len(writes), len(writes)


def measure(size, workers, old_sample, runs, workdir):
    """Every figure for one size; the cold and no-change passes run ``runs`` times, interleaved (medians)."""
    row = {"size": size}
    root = os.path.join(workdir, "tree%d" % size)
    paths = make_tree(root, size)
    with Simulator(workdir) as sim:
        raw = RawUploader(sim.api_url, workers)
        raw_root = root + "-raw"
        subprocess.run(["cp", "-a", root, raw_root], check=True)
        raw_paths = sorted(paths)
        times = {"raw_cold": [], "raw_nochange": [], "module_cold": [], "module_nochange": []}
        for run in range(runs):
            # Each run publishes into a new container, so every cold pass starts from nothing.
            times["raw_cold"].append(timed(raw.cold, "raw%d" % run, raw_root, raw_paths))
            times["raw_nochange"].append(timed(raw.no_change, "raw%d" % run))
            sim.clear_log()
            extra = {"container": "module%d" % run, "src": root, "workers": workers}
            times["module_cold"].append(run_playbook(workdir, sim, PLAY, extra))
            row["module_cold_requests"] = requests_of(sim)
            times["module_nochange"].append(run_playbook(workdir, sim, PLAY, extra))
            row["module_nochange_requests"] = requests_of(sim)
        for key, values in times.items():
            row[key] = statistics.median(values)
        change_tree(raw_root, raw_paths)
        row["raw_update"] = timed(raw.small_update, "raw0", raw_root, raw_paths)
        sim.clear_log()
        change_tree(root, sorted(paths))
        run_playbook(workdir, sim, PLAY, extra, check=True)
        row["module_check_requests"] = requests_of(sim)
        row["module_update"] = run_playbook(workdir, sim, PLAY, extra)
        row["module_update_requests"] = requests_of(sim)

        sample = sorted(paths)[3:3 + min(old_sample, size)]
        files_list = os.path.join(workdir, "old-files-%d.json" % size)
        with open(files_list, "w", encoding="utf-8") as handle:
            json.dump(sample, handle)
        old = run_playbook(workdir, sim, OLD_PLAY, {"container": "old", "src": root, "files_list": files_list})
        row["old_sample"] = len(sample)
        if len(sample) < size:
            # Start-up once, the loop's time per task for every file.
            with open(files_list, "w", encoding="utf-8") as handle:
                json.dump([], handle)
            start_up = run_playbook(workdir, sim, OLD_PLAY, {"container": "old", "src": root, "files_list": files_list})
            old = start_up + (old - start_up) * size / len(sample)
        row["old_cold"] = old
        requests_of(sim)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000])
    parser.add_argument("--workers", type=int, default=8, help="threads of the raw uploader and max_parallel (8)")
    parser.add_argument("--old-sample", type=int, default=300,
                        help="files the old task loop uploads; its time is extrapolated to N above this (300)")
    parser.add_argument("--runs", type=int, default=3, help="cold and no-change passes per size, medians reported (3)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed at the smallest size")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as workdir:
        collections_dir(workdir)
        for size in sorted(args.sizes):
            print("measuring %d files ..." % size, file=sys.stderr)
            rows.append(measure(size, args.workers, args.old_sample, args.runs, workdir))

    print("\n## Publishing a directory (seconds; requests as reads/writes)\n")
    print("| files | pass | raw requests+threads (floor) | scaleway_container_sync task | old loop of object tasks | module requests |")
    print("| ---: | --- | ---: | ---: | ---: | --- |")
    for row in rows:
        old = "%.1f" % row["old_cold"]
        if row["old_sample"] < row["size"]:
            old += " (%d timed, extrapolated)" % row["old_sample"]
        cells = [
            ("cold", "%.2f" % row["raw_cold"], "%.2f" % row["module_cold"], old, row["module_cold_requests"]),
            ("no change", "%.2f" % row["raw_nochange"], "%.2f" % row["module_nochange"], "", row["module_nochange_requests"]),
            ("2 changed, 1 removed", "%.2f" % row["raw_update"], "%.2f" % row["module_update"], "",
             row["module_update_requests"]),
            ("same, check mode", "", "", "", row["module_check_requests"]),
        ]
        for label, raw, task, loop, (reads, writes) in cells:
            print("| %d | %s | %s | %s | %s | %d/%d |" % (row["size"], label, raw, task, loop, reads, writes))

    first = rows[0]
    bound = first["module_nochange"] + 2 * first["raw_cold"]
    checks = [
        ("no-change run: at most 3 requests, all reads", first["module_nochange_requests"][1] == 0
         and sum(first["module_nochange_requests"]) <= 3),
        ("2 changed + 1 removed: exactly 3 writes", first["module_update_requests"][1] == 3),
        ("check mode: no write", first["module_check_requests"][1] == 0),
        ("cold module run %.2f s <= no-change run + 2 x raw cold = %.2f s" % (first["module_cold"], bound),
         first["module_cold"] <= bound),
    ]
    print("\nTargets at %d files:" % first["size"])
    for label, ok in checks:
        print("- %s: %s" % (label, "met" if ok else "MISSED"))
    for row in rows:
        print("- %d files: the module's cold run is %.1fx faster than the old loop, %.2fx the raw floor"
              % (row["size"], row["old_cold"] / row["module_cold"], row["module_cold"] / row["raw_cold"]))
    if args.check and not all(ok for _label, ok in checks):
        sys.exit(1)


if __name__ == "__main__":
    main()
