"""The HTTP layer: reads a request off the socket, hands it to the simulator, writes the answer."""

import json
import sys
import traceback
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl

from . import control
from .errors import ApiError
from .response import JSON_TYPE, Response, from_error
from .simulator import Request

# A 32 MiB object is about 44.7 MB of base64 in JSON; anything much larger is refused unread.
MAX_BODY = 64 * 1024 * 1024
IDLE_TIMEOUT = 120


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "scaleway-sim"
    # Headers and body leave in one segment: no 40 ms stall from Nagle and delayed ACKs.
    disable_nagle_algorithm = True
    wbufsize = 256 * 1024
    timeout = IDLE_TIMEOUT

    def do_GET(self):
        self._serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def version_string(self):
        return self.server_version

    def handle_expect_100(self):
        accepted = super().handle_expect_100()
        self.wfile.flush()
        return accepted

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Quiet: the request log at /_sim/requests replaces an access log."""

    def _serve(self):
        raw_path, raw_query = self.path.partition("?")[::2]
        body, body_error = self._read_body()
        sim = self.server.sim
        try:
            if raw_path.startswith("/_sim/"):
                response = control.handle(sim, self.command, raw_path, body, body_error)
            elif raw_path == "/v1" or raw_path.startswith("/v1/"):
                response = sim.serve(self._api_request(raw_path, raw_query, body, body_error))
            else:
                response = from_error(ApiError(404, f"nothing at {raw_path}: the API is under /v1"))
        except Exception:  # pylint: disable=broad-exception-caught
            # A bug in the simulator: answer like a broken server would, and say why on stderr.
            traceback.print_exc(file=sys.stderr)
            response = from_error(ApiError(500, "internal simulator error"))
        if response is None:
            self.close_connection = True
            return
        self._send(response)

    def _api_request(self, raw_path, raw_query, body, body_error):
        host, port = self.server.server_address[:2]
        return Request(
            self.command, raw_path, raw_query, dict(parse_qsl(raw_query, keep_blank_values=True)), body,
            self.headers.get("X-Auth-Token"), "http://" + self.headers.get("Host", f"{host}:{port}"), body_error,
        )

    def _read_body(self):
        """The body by Content-Length; on a length we cannot honour, an error and a closed connection."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            return b"", ApiError(411, "chunked request bodies are not supported: send Content-Length")
        try:
            length = int(self.headers.get("Content-Length", "0"))
            if length < 0:
                raise ValueError(length)
        except ValueError:
            self.close_connection = True
            return b"", ApiError(400, "invalid Content-Length header")
        if length > MAX_BODY:
            self.close_connection = True
            return b"", ApiError(413, f"request body larger than {MAX_BODY} bytes")
        return self.rfile.read(length), None

    def _send(self, response: Response):
        body = b"" if response.payload is None else json.dumps(response.payload).encode("utf-8")
        self.send_response(response.status)
        if response.status != 204:
            if body:
                self.send_header("Content-Type", JSON_TYPE)
            self.send_header("Content-Length", str(len(body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if body:
            self.wfile.write(body)
