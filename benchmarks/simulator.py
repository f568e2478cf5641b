# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every benchmark needs: the API simulator on a free loopback port, and the collection on a path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIMULATOR = os.path.join(ROOT, "tests", "simulator", "run.py")


class Simulator:
    """The API simulator for the life of a `with` block; ``api_url`` ends in /v1, ``root`` does not."""

    def __init__(self, workdir, delay=None):
        self.log_path = os.path.join(workdir, "simulator.log")
        self.delay = delay
        self.process = None
        self.api_url = None
        self.root = None

    def __enter__(self):
        command = [sys.executable, SIMULATOR, "--host", "127.0.0.1", "--port", "0"]
        if self.delay is not None:
            command += ["--delay", str(self.delay)]
        with open(self.log_path, "w", encoding="utf-8") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # pylint: disable=consider-using-with
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.process.poll() is None:
            with open(self.log_path, encoding="utf-8") as log:
                for line in log:
                    if line.startswith("listening on "):
                        self.api_url = line.split()[-1]
                        self.root = self.api_url[: -len("/v1")]
                        return self
            time.sleep(0.05)
        self.__exit__()
        raise SystemExit("the simulator did not start; see " + self.log_path)

    def __exit__(self, *exc_info):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def control(self, method, path, body=None):
        """Call a /_sim control endpoint; the decoded answer, or None."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.root + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            raw = answer.read()
        return json.loads(raw) if raw else None

    def clear_log(self):
        self.control("DELETE", "/_sim/requests")

    def logged_requests(self):
        return len(self.control("GET", "/_sim/requests")["requests"])


def collections_dir(workdir):
    """ansible_collections/scaleway_v1/cloud as a link to this repository, for ANSIBLE_COLLECTIONS_PATH."""
    namespace = os.path.join(workdir, "collections", "ansible_collections", "scaleway_v1")
    os.makedirs(namespace)
    os.symlink(ROOT, os.path.join(namespace, "cloud"))
    return os.path.join(workdir, "collections")
