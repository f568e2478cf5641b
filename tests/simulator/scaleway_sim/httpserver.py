"""Start a simulator on a socket, in this process, for the command line and for tests."""

import socket
import socketserver
import threading
from http.server import ThreadingHTTPServer

from . import fixtures as fixture_docs
from .handler import Handler
from .simulator import Simulator

# Long enough to watch `starting` and `stopping`, short enough that a playbook waiting for `running` is quick.
DEFAULT_DELAY = 0.5


class SimHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address, sim):
        self.sim = sim
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)

    def server_bind(self):
        # HTTPServer.server_bind looks the host name up in DNS; that can take seconds and we never use it.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


class RunningSimulator:
    """A simulator serving on a background thread: `url` (ending in /v1), `port`, `sim`, `shutdown()`."""

    def __init__(self, httpd):
        self.httpd = httpd
        self.sim = httpd.sim
        self.host, self.port = httpd.server_address[:2]
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.base_url = f"http://{host}:{self.port}"
        self.url = self.base_url + "/v1"
        self.thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="scaleway-sim", daemon=True)
        self.thread.start()

    def shutdown(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def start_server(host="127.0.0.1", port=0, delay=DEFAULT_DELAY, fixtures=None):
    """Bind (port 0: any free port), start serving, return the running simulator. Raises OSError when the port is taken."""
    sim = Simulator(fixtures or fixture_docs.DEFAULT, delay)
    return RunningSimulator(SimHTTPServer((host, port), sim))
