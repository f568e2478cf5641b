"""Fixtures for the simulator's tests: one in-process simulator per session, reset before each test."""

import os
import sys

import pytest

# The helpers module sits next to this file; importing it also makes the simulator importable.
HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

# pylint: disable=wrong-import-position
from sim_helpers import DEFAULT_FIXTURES, TENANT_FIXTURES, TEST_DELAY, Client
from scaleway_sim.httpserver import start_server


@pytest.fixture(name="server", scope="session")
def fixture_server():
    running = start_server("127.0.0.1", 0, delay=TEST_DELAY)
    yield running
    running.shutdown()


@pytest.fixture(name="api")
def fixture_api(server):
    """A client as demo-token on a simulator reset to the default fixtures."""
    client = Client(server.port)
    client.ok("POST", "/_sim/fixtures", DEFAULT_FIXTURES, 200)
    yield client
    client.close()


@pytest.fixture(name="tenants")
def fixture_tenants(server):
    """Clients for alice (alpha), bob (beta) and carol (alpha and gamma), with the organizations' ids."""
    loader = Client(server.port)
    described = loader.ok("POST", "/_sim/fixtures", TENANT_FIXTURES, 200)
    loader.close()
    orgs = {org["name"]: org["id"] for user in described["users"] for org in user["organizations"]}
    clients = {name: Client(server.port, f"{name}-token") for name in ("alice", "bob", "carol")}
    yield clients, orgs
    for client in clients.values():
        client.close()
