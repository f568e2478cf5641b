# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The example rulebook under a real ansible-rulebook, against the API simulator.

A server created through the API is seen by the event source scaleway_v1.cloud.scaleway_changes,
and the rule's run_playbook action runs scaleway_v1.cloud.configure_new_server, whose task attaches
the tag `configured` with this collection's scaleway_server module: event, playbook, API, closed.

ansible-rulebook comes from the virtualenv SCW_EDA_VENV (tools/setup-venvs.sh makes .venv/eda from
tools/requirements-eda.txt); it needs Java 17 or newer (JAVA_HOME or java on PATH). The collection
is found the way users install it: a collections path (ANSIBLE_COLLECTIONS_PATH) holding
ansible_collections/scaleway_v1/cloud. Run by `tools/test.sh eda`.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV = os.environ.get("SCW_EDA_VENV") or os.path.join(ROOT, ".venv", "eda")
TOKEN = "scw-eda-secret-7c1f0e9d2b4a46f8a3e5c7d9b1f3a5c7"
INTERVAL = 1


def missing():
    """What this machine lacks to run ansible-rulebook, or None."""
    rulebook = os.path.join(VENV, "bin", "ansible-rulebook")
    if not os.access(rulebook, os.X_OK):
        return ("ansible-rulebook is not installed in %s: run tools/setup-venvs.sh (it installs "
                "tools/requirements-eda.txt there), or set SCW_EDA_VENV to a virtualenv that has it" % VENV)
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else shutil.which("java")
    if not java:
        return "ansible-rulebook needs Java 17 or newer: no java on PATH and no JAVA_HOME (apt-get install openjdk-17-jre-headless)"
    version = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    found = re.search(r'version "(\d+)', version)
    if not found or int(found.group(1)) < 17:
        return "ansible-rulebook needs Java 17 or newer; %s says: %s" % (java, version.strip().splitlines()[:1])
    return None


class Simulator:
    def __init__(self, folder):
        self.log = open(os.path.join(folder, "simulator.log"), "w+", encoding="utf-8")  # pylint: disable=consider-using-with
        fixtures = os.path.join(folder, "fixtures.json")
        with open(fixtures, "w", encoding="utf-8") as handle:
            json.dump({"users": [{"token": TOKEN, "organizations": ["demo"]}]}, handle)
        self.process = subprocess.Popen(
            ["timeout", "600", sys.executable, os.path.join(ROOT, "tests", "simulator", "run.py"), "--host",
             "127.0.0.1", "--port", "0", "--delay", "0.05", "--fixtures", fixtures],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.process.stdout.readline()
        found = re.search(r"listening on (http://\S+/v1)", line)
        assert found, "the simulator did not start: %r" % line
        self.url = found.group(1)

    def call(self, method, path, body=None, root=False):
        url = (self.url[:-len("/v1")] if root else self.url) + path
        request = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(),
                                         headers={"X-Auth-Token": TOKEN, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            text = answer.read()
            return json.loads(text) if text else None

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def wait_for(probe, timeout, interval=0.5):
    end = time.time() + timeout
    while time.time() < end:
        value = probe()
        if value:
            return value
        time.sleep(interval)
    return probe()


@pytest.fixture
def folder():
    path = tempfile.mkdtemp(prefix="scaleway-eda-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_the_example_rulebook_tags_a_new_server_configured(folder):
    lacking = missing()
    if lacking:
        pytest.fail(lacking)
    # The collection installed in a collections path, as ansible-galaxy would put it.
    collections = os.path.join(folder, "collections")
    os.makedirs(os.path.join(collections, "ansible_collections", "scaleway_v1"))
    os.symlink(ROOT, os.path.join(collections, "ansible_collections", "scaleway_v1", "cloud"))
    with open(os.path.join(folder, "inventory.ini"), "w", encoding="utf-8") as handle:
        handle.write("localhost ansible_connection=local ansible_python_interpreter=%s\n"
                     % os.path.join(VENV, "bin", "python"))
    with open(os.path.join(folder, "vars.yml"), "w", encoding="utf-8") as handle:
        handle.write("scaleway_interval: %d\n" % INTERVAL)
    sim = Simulator(folder)
    output_path = os.path.join(folder, "ansible-rulebook.log")
    rulebook = None
    try:
        env = dict(os.environ, SCW_API_URL=sim.url, SCW_TOKEN=TOKEN, ANSIBLE_COLLECTIONS_PATH=collections,
                   PATH=os.path.join(VENV, "bin") + os.pathsep + os.environ.get("PATH", ""),
                   ANSIBLE_LOCAL_TEMP=os.path.join(folder, "tmp"), HOME=os.environ.get("HOME", folder))
        with open(output_path, "w", encoding="utf-8") as output:
            rulebook = subprocess.Popen(
                ["timeout", "300", os.path.join(VENV, "bin", "ansible-rulebook"), "-v",
                 "--rulebook", "scaleway_v1.cloud.scaleway_configure_new_servers",
                 "-i", os.path.join(folder, "inventory.ini"), "--vars", os.path.join(folder, "vars.yml")],
                cwd=folder, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)

            def polled():
                return any(entry["method"] == "GET" and entry["path"] == "/v1/servers"
                           for entry in sim.call("GET", "/_sim/requests", root=True)["requests"])

            assert wait_for(polled, 120), "the source never read /servers; ansible-rulebook said:\n" + read(output_path)
            server = sim.call("POST", "/servers", {"name": "eda-new-1"})["server"]

            def configured():
                tags = sim.call("GET", "/servers/%s/tags" % server["id"])["tags"]
                return [tag["name"] for tag in tags if tag["name"] == "configured"]

            assert wait_for(configured, 120), "the server was not tagged configured; ansible-rulebook said:\n" + \
                read(output_path)
            # One created event, one playbook run: the tag is attached once (no second attach request).
            time.sleep(2 * INTERVAL + 1)
            posts = [entry for entry in sim.call("GET", "/_sim/requests", root=True)["requests"]
                     if entry["method"] == "POST" and entry["path"] == "/v1/servers/%s/tags" % server["id"]]
            assert len(posts) == 1
    finally:
        if rulebook is not None and rulebook.poll() is None:
            os.killpg(rulebook.pid, signal.SIGINT)
            try:
                rulebook.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(rulebook.pid, signal.SIGKILL)
                rulebook.wait(10)
        sim.stop()
    text = read(output_path)
    assert "configure_new_server" in text or "Attach the tag configured" in text
    assert TOKEN not in text


def read(path):
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read()
