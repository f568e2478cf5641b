"""The one exception type of the API and constructors for its error cases (docs/docsite/rst/guide_api.rst, "Errors")."""


class ApiError(Exception):
    """An error answer: HTTP status plus the contract's body fields."""

    def __init__(self, status, message, code=None, param=None, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.param = param
        self.headers = headers or {}

    def body(self):
        """The contract's error body; `code` and `param` are always present, null when not applicable."""
        return {
            "type": "api_error" if self.status >= 500 else "invalid_request_error",
            "message": self.message,
            "code": self.code,
            "param": self.param,
        }


def bad_request(message, param=None, code=None):
    return ApiError(400, message, code, param)


def unknown_resource(kind, ident):
    return ApiError(404, f"{kind} {ident!r} not found", "unknown_resource")


def unknown_reference(param, kind, ident):
    """An id in the request body that names nothing this token can see: a bad parameter, not a 404."""
    return ApiError(400, f"{param}: {kind} {ident!r} not found", "unknown_resource", param)


def invalid_state(message, param=None):
    return ApiError(402, message, "invalid_state", param)


def not_empty(message):
    return ApiError(402, message, "not_empty")


def conflict(message, param):
    return ApiError(400, message, "conflict", param)


def invalid_token():
    return ApiError(401, "missing or unknown X-Auth-Token", "invalid_token")
