"""The command line: run.py as a process, and populate.py."""

import json
import os
import re
import select
import signal
import socket
import subprocess
import sys

import pytest

from sim_helpers import SIMULATOR_DIR, Client

import populate  # pylint: disable=wrong-import-order

RUN = os.path.join(SIMULATOR_DIR, "run.py")
POPULATE = os.path.join(SIMULATOR_DIR, "populate.py")
LISTENING = re.compile(r"^listening on http://127\.0\.0\.1:(\d+)/v1$")


def _start(*args):
    return subprocess.Popen([sys.executable, RUN, "--port", "0", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _port_of(process):
    ready = select.select([process.stdout], [], [], 10)[0]
    assert ready, "run.py printed nothing"
    match = LISTENING.match(process.stdout.readline().rstrip("\n"))
    assert match, "unexpected first line"
    return int(match.group(1))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_run_prints_the_url_serves_and_exits_0_on_signal(signum):
    process = _start("--delay", "0")
    try:
        client = Client(_port_of(process))
        assert client.ok("GET", "/organizations")["organizations"][0]["name"] == "demo"
        client.close()
    finally:
        process.send_signal(signum)
        stderr = process.communicate(timeout=10)[1]
    assert process.returncode == 0, stderr
    assert stderr == ""


def test_run_fails_clearly_when_the_port_is_taken():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, RUN, "--port", str(port)], capture_output=True, text=True, timeout=10, check=False)
    assert result.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and result.stdout == ""


def test_run_loads_a_fixtures_file(tmp_path):
    path = tmp_path / "fixtures.json"
    path.write_text(json.dumps({"users": [{"token": "file-token", "organizations": ["from-file"]}]}), encoding="utf-8")
    process = _start("--fixtures", str(path))
    try:
        client = Client(_port_of(process), "file-token")
        assert client.ok("GET", "/organizations")["organizations"][0]["name"] == "from-file"
        assert client.get("/organizations", token="demo-token").status == 401
        client.close()
    finally:
        process.terminate()
        process.communicate(timeout=10)
    assert process.returncode == 0


@pytest.mark.parametrize("content, message", [("{", "not valid JSON"), ('{"users": 1}', "users must be a list"), (None, "No such file")])
def test_run_rejects_bad_fixtures_files(tmp_path, content, message):
    path = tmp_path / "fixtures.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = subprocess.run([sys.executable, RUN, "--port", "0", "--fixtures", str(path)], capture_output=True, text=True, timeout=10, check=False)
    assert result.returncode == 2 and "cannot load fixtures" in result.stderr and message in result.stderr


def test_run_rejects_a_negative_delay():
    result = subprocess.run([sys.executable, RUN, "--delay", "-1"], capture_output=True, text=True, timeout=10, check=False)
    assert result.returncode == 2 and "--delay" in result.stderr


def test_populate_spreads_tags_deterministically(server, api):
    summary = populate.populate(server.url, servers=7, tags=3, metadata=2, workers=3)
    assert summary["requests"] == 3 + 3 * 2 + 7 * 2 and summary["attachments"] == 7
    tag_ids = {tag["name"]: tag["id"] for tag in api.ok("GET", "/tags?limit=500")["tags"] if tag["type"] == "user"}
    assert sorted(tag_ids) == ["tag-0000", "tag-0001", "tag-0002"]
    for index in range(7):
        found = api.ok("GET", f"/servers?name=server-{index:05d}")["servers"]
        assert [tag["name"] for tag in found[0]["tags"]] == [f"tag-{index % 3:04d}", "default"]
    entries = api.ok("GET", f"/tags/{tag_ids['tag-0002']}/metadatas")["metadatas"]
    assert entries == [{"key": "key-0", "value": "value-2-0"}, {"key": "key-1", "value": "value-2-1"}]


def test_populate_command_line_reports_and_fails_clearly(server, api):
    del api
    result = subprocess.run([sys.executable, POPULATE, "--url", server.url, "--servers", "3", "--tags", "1"],
                            capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("created 3 servers, 1 tags, 0 metadata entries, 3 tag attachments\n7 requests in ")
    result = subprocess.run([sys.executable, POPULATE, "--url", server.url, "--token", "wrong", "--servers", "1"],
                            capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 1 and "POST /servers: HTTP 401" in result.stderr
