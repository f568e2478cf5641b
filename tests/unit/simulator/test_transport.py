"""Transport rules shared by every endpoint: auth, envelopes, errors, headers, bodies, rate limits."""

import http.client
import socket
import threading
import time

import pytest
from scaleway_sim.httpserver import start_server

from sim_helpers import Client, error_of


def test_answers_are_json_with_rate_limit_headers(api):
    for answer in (api.get("/servers"), api.get("/servers", token="nobody"), api.get("/servers/unknown")):
        assert answer.headers["Content-Type"] == "application/json; charset=utf-8"
        assert int(answer.headers["X-RateLimit-Limit"]) >= 1000
        assert int(answer.headers["X-RateLimit-Remaining"]) < int(answer.headers["X-RateLimit-Limit"])
        assert int(answer.headers["X-RateLimit-Reset"]) >= int(time.time())


def test_missing_or_unknown_token_is_401(api):
    error_of(api.get("/servers", token=""), 401, "invalid_token")
    error_of(api.get("/organizations", token="not-a-token"), 401, "invalid_token")


def test_error_body_has_null_code_and_param_when_none_apply(api):
    body = error_of(api.get("/no-such-thing"), 404)
    assert set(body) == {"type", "message", "code", "param"}


def test_unknown_method_on_known_path_is_405_with_allow(api):
    answer = api.request("PATCH", "/servers")
    error_of(answer, 405)
    assert answer.headers["Allow"] == "GET, POST"


def test_paths_outside_v1_are_404(api):
    error_of(api.get("/_nothing"), 404)
    error_of(api.request("GET", "/_sim/nothing"), 404)


def test_invalid_json_and_non_object_bodies_are_400(api):
    error_of(api.post("/servers", raw_body=b"{not json"), 400)
    error_of(api.post("/servers", raw_body=b"\xff\xfe"), 400)
    error_of(api.post("/servers", ["name"]), 400)


def test_unknown_and_read_only_fields_are_400_naming_the_field(api):
    error_of(api.post("/servers", {"name": "a", "colour": "blue"}), 400, param="colour")
    error_of(api.post("/servers", {"name": "a", "state": "running"}), 400, param="state")
    error_of(api.post("/servers", {"name": "a", "id": "x"}), 400, param="id")


def test_one_connection_serves_many_requests(api):
    api.get("/servers")
    connection = api.connection
    for attempt in range(5):
        assert api.get("/servers").status == 200
    assert api.connection is connection and connection.sock is not None


def test_rate_limit_answers_429_with_retry_after(api):
    api.ok("POST", "/_sim/config", {"rate_limit": 3, "rate_window": 30}, 200)
    remaining = [api.get("/servers").headers["X-RateLimit-Remaining"] for attempt in range(3)]
    assert remaining == ["2", "1", "0"]
    answer = api.get("/servers")
    error_of(answer, 429, "rate_limited")
    assert 1 <= int(answer.headers["Retry-After"]) <= 30
    assert answer.headers["X-RateLimit-Remaining"] == "0"
    # Limits count per token: another token still has its whole window.
    assert api.get("/servers", token="other").headers["X-RateLimit-Remaining"] == "2"


def test_rate_window_restarts_counting(api):
    api.ok("POST", "/_sim/config", {"rate_limit": 1, "rate_window": 0.2}, 200)
    assert api.get("/servers").status == 200
    assert api.get("/servers").status == 429
    time.sleep(0.21)
    assert api.get("/servers").status == 200


def _raw_exchange(port, data):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def test_unusable_content_length_or_chunked_body_closes_the_connection(server, api):
    del api
    reply = _raw_exchange(server.port, b"POST /v1/servers HTTP/1.1\r\nHost: x\r\nX-Auth-Token: demo-token\r\nContent-Length: abc\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 400 ") and b"Connection: close" in reply
    reply = _raw_exchange(server.port, b"POST /v1/servers HTTP/1.1\r\nHost: x\r\nX-Auth-Token: demo-token\r\n"
                                       b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 411 ")
    reply = _raw_exchange(server.port, b"POST /v1/servers HTTP/1.1\r\nHost: x\r\nX-Auth-Token: demo-token\r\n"
                                       b"Content-Length: 999999999\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 413 ")


def test_expect_100_continue_is_answered_before_the_body(server, api):
    del api
    body = b'{"name": "expectant"}'
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"POST /v1/servers HTTP/1.1\r\nHost: x\r\nX-Auth-Token: demo-token\r\nExpect: 100-continue\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(body))
        assert sock.recv(100).startswith(b"HTTP/1.1 100 Continue")
        sock.sendall(body)
        response = http.client.HTTPResponse(sock)
        response.begin()
        assert response.status == 201


def test_a_fresh_client_can_use_the_api(server, api):
    del api
    client = Client(server.port)
    assert client.ok("GET", "/organizations/summary")["organizations"][0]["name"] == "demo"
    client.close()


def test_concurrent_writers_neither_lose_nor_duplicate(server, api):
    def create(worker):
        client = Client(server.port)
        for index in range(40):
            client.ok("POST", "/servers", {"name": f"w{worker}-{index}"}, 201)
        client.close()

    threads = [threading.Thread(target=create, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    servers = api.ok("GET", "/servers?limit=500")["servers"]
    assert len({s["id"] for s in servers}) == len({s["name"] for s in servers}) == len({s["private_ip"] for s in servers}) == 160
    assert [s["creation_date"] for s in servers] == sorted(s["creation_date"] for s in servers)


def test_it_serves_on_ipv6_loopback_too():
    try:
        running = start_server("::1", 0)
    except OSError as error:
        pytest.skip(f"no IPv6 loopback here: {error}")
    try:
        assert running.url == f"http://[::1]:{running.port}/v1"
        connection = http.client.HTTPConnection("::1", running.port, timeout=5)
        connection.request("GET", "/v1/servers", headers={"X-Auth-Token": "demo-token"})
        response = connection.getresponse()
        assert response.status == 200 and f"<http://[::1]:{running.port}/v1/servers?" in response.headers["Link"]
        connection.close()
    finally:
        running.shutdown()
