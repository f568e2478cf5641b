"""The log of /v1 requests that tests read to count calls."""

import threading
from collections import deque

# Bounded so that a simulator left running for days does not grow without end.
MAX_ENTRIES = 100000


class RequestLog:
    def __init__(self):
        self.lock = threading.Lock()
        self.entries = deque(maxlen=MAX_ENTRIES)

    def add(self, request, status, lost_write=False):
        """status None: the connection was dropped without an answer."""
        entry = {"method": request.method, "path": request.path, "query": request.raw_query, "status": status}
        if lost_write:
            entry["lost_write"] = True
        with self.lock:
            self.entries.append(entry)

    def snapshot(self):
        with self.lock:
            return list(self.entries)

    def clear(self):
        with self.lock:
            self.entries.clear()
