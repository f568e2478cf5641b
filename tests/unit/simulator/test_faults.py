"""Injected faults on /v1: error answers, drops, latency, lost writes; reproducible with a seed."""

import http.client
import time

import pytest

from sim_helpers import error_of


def _faults(api, settings):
    return api.ok("POST", "/_sim/faults", settings, 200)


def _log(api):
    return api.ok("GET", "/_sim/requests")["requests"]


def _server_names(api):
    _faults(api, {})
    return [server["name"] for server in api.ok("GET", "/servers")["servers"]]


def test_error_rate_answers_with_the_statuses_before_anything_changes(api):
    _faults(api, {"error_rate": 1, "statuses": [503]})
    answer = api.post("/servers", {"name": "web"})
    error_of(answer, 503)
    assert "X-RateLimit-Limit" in answer.headers
    # Control endpoints are never faulted.
    assert api.get("/_sim/requests").status == 200
    assert _server_names(api) == []


def test_injected_429_carries_retry_after_and_rate_limited(api):
    _faults(api, {"error_rate": 1, "statuses": [429]})
    answer = api.get("/servers")
    error_of(answer, 429, "rate_limited")
    assert int(answer.headers["Retry-After"]) >= 1


def test_drop_closes_the_connection_without_an_answer(api):
    _faults(api, {"drop_rate": 1})
    with pytest.raises(http.client.RemoteDisconnected):
        api.post("/servers", {"name": "web"})
    assert _log(api) == [{"method": "POST", "path": "/v1/servers", "query": "", "status": None}]
    assert _server_names(api) == []


def test_latency_is_added_to_every_answer(api):
    _faults(api, {"latency_ms": 80})
    started = time.monotonic()
    assert api.get("/servers").status == 200
    assert time.monotonic() - started >= 0.08
    started = time.monotonic()
    api.get("/_sim/requests")
    assert time.monotonic() - started < 0.08


def test_lost_writes_are_carried_out_and_their_answers_lost(api):
    _faults(api, {"lost_write_rate": 1, "seed": 7})
    outcomes = []
    for index in range(8):
        try:
            outcomes.append(api.post("/servers", {"name": f"s{index}"}).status)
        except http.client.RemoteDisconnected:
            outcomes.append(None)
    assert set(outcomes) == {502, None}
    assert api.get("/servers").status == 200
    log = _log(api)
    assert [entry["status"] for entry in log[:8]] == outcomes
    assert all(entry["lost_write"] for entry in log[:8]) and "lost_write" not in log[8]
    assert _server_names(api) == [f"s{index}" for index in range(8)]


def test_a_failed_write_is_not_reported_as_lost(api):
    _faults(api, {"lost_write_rate": 1})
    error_of(api.post("/servers", {}), 400, param="name")
    assert "lost_write" not in _log(api)[0]


def test_a_seed_makes_the_sequence_reproducible(api):
    def run():
        _faults(api, {"error_rate": 0.5, "statuses": [500, 502, 503, 504, 429], "seed": 42})
        return [api.get("/servers").status for attempt in range(30)]

    first = run()
    assert first == run()
    assert 200 in first and len(set(first)) > 2


def test_empty_settings_turn_faults_off(api):
    _faults(api, {"error_rate": 1, "drop_rate": 0.5, "latency_ms": 5, "seed": 1})
    settings = _faults(api, {})
    assert settings == {"error_rate": 0, "drop_rate": 0, "lost_write_rate": 0, "statuses": [500, 502, 503, 504],
                        "latency_ms": 0, "seed": None}
    assert api.ok("GET", "/_sim/faults") == settings
    assert all(api.get("/servers").status == 200 for attempt in range(5))


@pytest.mark.parametrize("settings, param", [
    ({"error_rate": 1.5}, "error_rate"),
    ({"drop_rate": "0.1"}, "drop_rate"),
    ({"lost_write_rate": -0.1}, "lost_write_rate"),
    ({"error_rate": 0.1, "statuses": [404]}, "statuses"),
    ({"error_rate": 0.1, "statuses": []}, "statuses"),
    ({"latency_ms": -1}, "latency_ms"),
    ({"seed": "abc"}, "seed"),
    ({"chaos": True}, "chaos"),
])
def test_bad_fault_settings_are_400(api, settings, param):
    error_of(api.post("/_sim/faults", settings), 400, param=param)


def test_reset_turns_faults_off(api):
    _faults(api, {"error_rate": 1})
    api.ok("POST", "/_sim/reset", status=200)
    assert api.get("/servers").status == 200
