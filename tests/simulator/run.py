#!/usr/bin/env python
"""Run the Scaleway v1 API simulator until SIGTERM or SIGINT.

    python3 tests/simulator/run.py [--host 127.0.0.1] [--port 8080] [--delay SECONDS] [--fixtures FILE]

Prints `listening on http://HOST:PORT/v1` once it accepts connections (with --port 0, the port it got).
"""

import argparse
import signal
import sys
import threading

from scaleway_sim import fixtures
from scaleway_sim.httpserver import DEFAULT_DELAY, start_server


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Serve the Scaleway v1 API as docs/docsite/rst/guide_api.rst describes it on a local port, for tests and offline playbooks."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8080, help="port to bind, 0 for any free port (default: %(default)s)")
    parser.add_argument("--delay", type=float, default=DEFAULT_DELAY,
                        help="seconds each server power transition takes (default: %(default)s)")
    parser.add_argument("--fixtures", metavar="FILE",
                        help='JSON file {"users": [{"token": ..., "organizations": [names]}], "snapshots": [ids]} '
                             "(default: token demo-token in organization demo)")
    args = parser.parse_args(argv)
    if args.delay < 0:
        parser.error("--delay must be >= 0")
    return args


def main(argv=None):
    args = parse_args(argv)
    loaded = None
    if args.fixtures:
        try:
            loaded = fixtures.load(args.fixtures)
        except (OSError, fixtures.FixtureError) as error:
            sys.stderr.write(f"run.py: cannot load fixtures: {error}\n")
            return 2
    try:
        server = start_server(args.host, args.port, delay=args.delay, fixtures=loaded)
    except OSError as error:
        sys.stderr.write(f"run.py: cannot listen on {args.host}:{args.port}: {error.strerror or error}\n")
        return 1
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    sys.stdout.write(f"listening on {server.url}\n")
    sys.stdout.flush()
    stop.wait()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
