"""The /_sim control endpoints that tests use to drive the simulator. Never faulted, never logged."""

import json

from .errors import ApiError, bad_request
from .response import Response, from_error


def _body(raw):
    try:
        return json.loads(raw or b"{}")
    except ValueError as error:
        raise bad_request(f"the request body is not valid JSON: {error}") from None


ENDPOINTS = {
    ("POST", "/_sim/reset"): lambda sim, body: sim.reset(),
    ("POST", "/_sim/fixtures"): lambda sim, body: sim.load_fixtures(_body(body)),
    ("GET", "/_sim/requests"): lambda sim, body: {"requests": sim.log.snapshot()},
    ("DELETE", "/_sim/requests"): lambda sim, body: sim.log.clear(),
    ("GET", "/_sim/config"): lambda sim, body: sim.config(),
    ("POST", "/_sim/config"): lambda sim, body: sim.configure(_body(body)),
    ("GET", "/_sim/faults"): lambda sim, body: sim.faults.current(),
    ("POST", "/_sim/faults"): lambda sim, body: sim.faults.configure(_body(body)),
}


def handle(sim, method, path, body, body_error=None):
    """Answer a /_sim request: 200 with a JSON result, or 204 when there is nothing to say."""
    try:
        if body_error is not None:
            raise body_error
        endpoint = ENDPOINTS.get((method, path))
        if endpoint is None:
            allowed = [known_method for known_method, known_path in ENDPOINTS if known_path == path]
            if allowed:
                raise ApiError(405, f"{method} is not allowed on {path}", headers={"Allow": ", ".join(allowed)})
            raise ApiError(404, f"no control endpoint {method} {path}")
        result = endpoint(sim, body)
    except ApiError as error:
        return from_error(error)
    return Response(204) if result is None else Response(200, result)
