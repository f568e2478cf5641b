"""What a handler answers, before it becomes bytes on the wire."""

JSON_TYPE = "application/json; charset=utf-8"


class Response:
    __slots__ = ("status", "payload", "headers")

    def __init__(self, status, payload=None, headers=None):
        self.status = status
        self.payload = payload
        self.headers = headers if headers is not None else {}


def from_error(error):
    return Response(error.status, error.body(), dict(error.headers))
