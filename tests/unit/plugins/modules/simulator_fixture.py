# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run a module's real ``main()`` in-process against the API simulator, with faults aimed at chosen requests.

A module of its own rather than conftest.py, so that the tests import it the same way under plain
pytest and under ansible-test units (which imports test files as collection packages and forks per test).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import json
import re
import threading
import time

from ansible.module_utils import basic

from ansible_collections.scaleway_v1.cloud.plugins.module_utils import connection
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import ScalewayClient
# Importing sim_helpers also puts tests/simulator on sys.path, for the scaleway_sim imports below.
from ansible_collections.scaleway_v1.cloud.tests.unit.simulator.sim_helpers import Client

from scaleway_sim import fixtures as sim_fixtures
from scaleway_sim.faults import Decision
from scaleway_sim.httpserver import start_server

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core before 2.19 reads the arguments from basic._ANSIBLE_ARGS
    patch_module_args = None

# Long and unusual, so that a plain substring search finds any leak of it.
TOKEN = "scw-secret-4f9d2c7ab1e84d06a3c5e7f9b2d4c6e8"
ORGANIZATION = "demo"
# An image id, and a count fleet of servers web-N each with a 10 GB volume and the tag web, running.
IMAGE = "3f0c2e1a-7b4d-4c8e-9a61-2d5b8e7f9c10"
WEB_FLEET = dict(name="web", commercial_type="VC1S", image=IMAGE, tags=["web"],
                 volumes=[dict(suffix="data", size="10GB")], state="running")
# Seconds each power transition takes in the simulator: short, so waits for a state are quick.
TRANSITION_DELAY = 0.05
# The most any sleep of the client may take in these tests (see QuickClient).
MAX_SLEEP = 0.01

# What an aimed fault does to a request: lose the answer of a write the simulator carried out
# (a 502, or a connection closed without an answer), or refuse it before anything changes.
LOST_502 = "lost-502"
LOST_DROP = "lost-drop"
LOST_KINDS = (LOST_502, LOST_DROP)


def refused(status):
    return "refused-%d" % status


class AnsibleExitJson(Exception):
    """exit_json was called; ``result`` is what the module returned."""

    def __init__(self, result):
        super(AnsibleExitJson, self).__init__(result.get("msg"))
        self.result = result


class AnsibleFailJson(Exception):
    """fail_json was called; ``result`` is what the module returned, ``msg`` included."""

    def __init__(self, result):
        super(AnsibleFailJson, self).__init__(result.get("msg"))
        self.result = result


def _exit_json(module, **result):
    raise AnsibleExitJson(result)


def _fail_json(module, **result):
    result["failed"] = True
    raise AnsibleFailJson(result)


class QuickClient(ScalewayClient):
    """The real client whose sleeps (retry backoff, polls of wait_for) last at most MAX_SLEEP.

    ``ScalewayClient.__init__`` binds ``sleep=time.sleep`` as a default argument when the class
    is defined, so patching ``time.sleep`` later would not reach it, and the modules build their
    client in ``connection.client_from_options`` without passing ``sleep``. The tests therefore
    put this subclass in place of the name ``ScalewayClient`` in ``connection``'s namespace: every other
    line of the client runs unchanged. A short real sleep, rather than none, keeps wait_for from
    spinning while the simulator's power transitions run on its own clock.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("sleep", lambda seconds: time.sleep(min(seconds, MAX_SLEEP)))
        super(QuickClient, self).__init__(*args, **kwargs)


@contextlib.contextmanager
def _module_args(args):
    if patch_module_args is not None:
        with patch_module_args(args):
            yield
        return
    saved = basic._ANSIBLE_ARGS
    basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode("utf-8")
    try:
        yield
    finally:
        basic._ANSIBLE_ARGS = saved


def run_module(module, args):
    """Run ``module.main()`` with ``args``; return ``(failed, result)``."""
    saved = (basic.AnsibleModule.exit_json, basic.AnsibleModule.fail_json, connection.ScalewayClient)
    basic.AnsibleModule.exit_json = _exit_json
    basic.AnsibleModule.fail_json = _fail_json
    connection.ScalewayClient = QuickClient
    try:
        with _module_args(args):
            module.main()
    except AnsibleExitJson as finished:
        return False, finished.result
    except AnsibleFailJson as finished:
        return True, finished.result
    finally:
        basic.AnsibleModule.exit_json, basic.AnsibleModule.fail_json, connection.ScalewayClient = saved
    raise AssertionError("%s.main() returned without exit_json or fail_json" % module.__name__)


class _Aim:
    """A fault for the next ``times`` requests (None: every one) of ``method`` on a path matching ``pattern``."""

    def __init__(self, method, pattern, fault, times):
        self.method = method
        self.pattern = re.compile(pattern)
        self.times = times
        self.hits = 0
        if fault in LOST_KINDS:
            self.decision = dict(lost_write=True, lost_by_drop=fault == LOST_DROP)
        elif fault.startswith("refused-"):
            self.decision = dict(status=int(fault.split("-")[1]))
        else:
            raise ValueError("unknown fault %r" % fault)

    def take(self, method, path):
        if method != self.method or not self.pattern.fullmatch(path):
            return None
        if self.times is not None and self.hits >= self.times:
            return None
        self.hits += 1
        return Decision(**self.decision)


class SimulatorUnderTest:
    """One simulator on 127.0.0.1 (any free port) with one user, TOKEN, in the organization ORGANIZATION.

    ``api`` is a keep-alive client as that user. Faults come two ways: ``faults()`` posts the
    simulator's own random fault settings (``/_sim/faults``), which apply to every request;
    ``aim()`` gives one chosen request the simulator's own fault decision (its lost write is
    carried out, then its answer replaced), where a rate would hit the wrong request or every
    retry too.
    """

    def __init__(self):
        self.running = start_server("127.0.0.1", 0, delay=TRANSITION_DELAY, fixtures=sim_fixtures.parse(
            {"users": [{"token": TOKEN, "organizations": [ORGANIZATION]}]}))
        self.url = self.running.url
        self.api = Client(self.running.port, TOKEN)
        self._aims = []
        self._request = threading.local()
        sim = self.running.sim
        self._serve = sim.serve
        self._decide = sim.faults.decide
        # Instance attributes shadow the methods: the handler calls sim.serve, which calls sim.faults.decide.
        sim.serve = self._serve_with_aims
        sim.faults.decide = self._decide_with_aims

    def _serve_with_aims(self, request):
        self._request.current = request
        try:
            return self._serve(request)
        finally:
            self._request.current = None

    def _decide_with_aims(self, method):
        path = self._request.current.path[len("/v1"):]
        for aim in self._aims:
            decision = aim.take(method, path)
            if decision is not None:
                return decision
        return self._decide(method)

    def shutdown(self):
        self.api.close()
        self.running.shutdown()

    # -- faults --------------------------------------------------------------------------

    def faults(self, **settings):
        """Set the simulator's random faults (no argument: off); return the settings it applies."""
        return self.api.ok("POST", "/_sim/faults", settings, 200)

    def aim(self, method, pattern, fault, times=1):
        """Give ``fault`` to the next ``times`` (None: all) requests ``method pattern`` (a regex on the path after /v1)."""
        aim = _Aim(method, pattern, fault, times)
        self._aims.append(aim)
        return aim

    def calm(self):
        """Every fault off, aimed ones included."""
        del self._aims[:]
        self.faults()

    # -- what happened -------------------------------------------------------------------

    def requests(self):
        """The request log: ``(method, path after /v1, status, lost_write)``, status None for a dropped connection."""
        return [(entry["method"], entry["path"][len("/v1"):], entry["status"], entry.get("lost_write", False))
                for entry in self.api.ok("GET", "/_sim/requests")["requests"]]

    def forget_requests(self):
        self.api.ok("DELETE", "/_sim/requests", status=204)

    def lost_writes(self):
        return [(method, path) for method, path, _status, lost in self.requests() if lost]

    # -- the state, read without faults ---------------------------------------------------

    def get(self, path, key):
        """One API resource, or None on 404; every fault is turned off first."""
        self.calm()
        answer = self.api.get(path)
        if answer.status == 404:
            return None
        assert answer.status == 200, answer
        return answer.json()[key]

    def every(self, path, key):
        """Every item of an API list (one page of up to 500), every fault turned off first."""
        self.calm()
        separator = "&" if "?" in path else "?"
        answer = self.api.ok("GET", path + separator + "limit=500")
        assert len(answer[key]) < 500, "more items than one page holds"
        return answer[key]

    def named(self, path, key, name):
        """The items of the list at ``path`` named ``name``, every fault turned off first."""
        return [item for item in self.every(path, key) if item.get("name") == name]

    def create(self, path, key, body):
        """Create a resource straight through the API, without faults."""
        self.calm()
        return self.api.create(path.lstrip("/"), body, key)

    def organization_id(self):
        return self.named("/organizations", "organizations", ORGANIZATION)[0]["id"]

    def module_args(self, **args):
        """``args`` plus the connection options for this simulator."""
        full = dict(api_url=self.url, api_token=TOKEN, api_retries=3, api_timeout=10)
        full.update(args)
        return full

    def run(self, module, check=False, diff=False, **args):
        """``module.main()`` against this simulator: ``(failed, result)``; the token is nowhere in the result."""
        args = self.module_args(**args)
        if check:
            args["_ansible_check_mode"] = True
        if diff:
            args["_ansible_diff"] = True
        failed, result = run_module(module, args)
        assert TOKEN not in json.dumps(result)
        return failed, result

    def succeed(self, module, **args):
        """The result of a run that must not fail."""
        failed, result = self.run(module, **args)
        assert not failed, result.get("msg")
        return result
