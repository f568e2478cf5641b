#!/usr/bin/env python
"""Load servers, tags and tag metadata into the simulator through its API.

    python3 tests/simulator/populate.py --url http://127.0.0.1:8080/v1 --servers 1000 --tags 20 --metadata 3

Creates M tags named tag-0000.. (each with K metadata entries key-0.. = value-<i>-<k>), then N servers
named server-00000.., and attaches to server number i (from 0) the tag number i mod M.
Each worker thread keeps one keep-alive connection.
"""

import argparse
import http.client
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit


class PopulateError(Exception):
    """The API refused a request; the message names it and quotes the answer."""


class Api:
    """A minimal JSON client: one keep-alive connection per thread."""

    def __init__(self, url, token):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PopulateError(f"--url must be an http(s) URL ending in /v1, not {url!r}")
        self.parts = parts
        self.base_path = parts.path.rstrip("/")
        self.headers = {"X-Auth-Token": token, "Content-Type": "application/json", "Accept": "application/json"}
        self.local = threading.local()
        self.requests = 0
        self.count_lock = threading.Lock()

    def _connection(self):
        connection = getattr(self.local, "connection", None)
        if connection is None:
            kind = http.client.HTTPSConnection if self.parts.scheme == "https" else http.client.HTTPConnection
            connection = self.local.connection = kind(self.parts.hostname, self.parts.port, timeout=60)
        return connection

    def call(self, method, path, body=None):
        connection = self._connection()
        payload = None if body is None else json.dumps(body).encode("utf-8")
        try:
            connection.request(method, self.base_path + path, body=payload, headers=self.headers)
            response = connection.getresponse()
            answer = response.read()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            self.local.connection = None
            raise PopulateError(f"{method} {path}: {error!r}") from None
        with self.count_lock:
            self.requests += 1
        if response.status >= 300:
            raise PopulateError(f"{method} {path}: HTTP {response.status} {answer.decode('utf-8', 'replace')}")
        return json.loads(answer) if answer else None


def populate(url, token="demo-token", servers=0, tags=0, metadata=0, workers=4):
    """Create the tags, their metadata and the servers; return a summary dict with the timing."""
    api = Api(url, token)
    started = time.monotonic()

    def make_tag(index):
        tag = api.call("POST", "/tags", {"name": f"tag-{index:04d}"})["tag"]
        for key in range(metadata):
            api.call("POST", f"/tags/{tag['id']}/metadatas", {"metadata_key": f"key-{key}", "metadata_value": f"value-{index}-{key}"})
        return tag["id"]

    def make_server(index):
        server = api.call("POST", "/servers", {"name": f"server-{index:05d}"})["server"]
        if tag_ids:
            api.call("POST", f"/servers/{server['id']}/tags", {"tag_id": tag_ids[index % len(tag_ids)]})

    with ThreadPoolExecutor(max_workers=workers) as pool:
        tag_ids = list(pool.map(make_tag, range(tags)))
        list(pool.map(make_server, range(servers)))
    seconds = time.monotonic() - started
    return {
        "servers": servers,
        "tags": tags,
        "metadata": tags * metadata,
        "attachments": servers if tags else 0,
        "requests": api.requests,
        "seconds": round(seconds, 3),
        "workers": workers,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description="Load servers and tags (with metadata) into the simulator through its API.")
    parser.add_argument("--url", required=True, help="API base URL, e.g. http://127.0.0.1:8080/v1")
    parser.add_argument("--token", default="demo-token", help="X-Auth-Token (default: %(default)s)")
    parser.add_argument("--servers", type=int, default=0, metavar="N", help="servers to create")
    parser.add_argument("--tags", type=int, default=0, metavar="M", help="tags to create; server i gets tag i mod M")
    parser.add_argument("--metadata", type=int, default=0, metavar="K", help="metadata entries per tag")
    parser.add_argument("--workers", type=int, default=4, metavar="W", help="client threads (default: %(default)s)")
    args = parser.parse_args(argv)
    if min(args.servers, args.tags, args.metadata) < 0 or args.workers < 1:
        parser.error("counts must be >= 0 and --workers >= 1")
    try:
        summary = populate(args.url, args.token, args.servers, args.tags, args.metadata, args.workers)
    except PopulateError as error:
        sys.stderr.write(f"populate.py: {error}\n")
        return 1
    rate = summary["requests"] / summary["seconds"] if summary["seconds"] else 0.0
    sys.stdout.write(
        f"created {summary['servers']} servers, {summary['tags']} tags, {summary['metadata']} metadata entries, "
        f"{summary['attachments']} tag attachments\n"
        f"{summary['requests']} requests in {summary['seconds']:.2f} s ({rate:.0f} requests/s, {summary['workers']} workers)\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
