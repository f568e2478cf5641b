# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drive the API simulator for the reliability tests and read what it holds.

    sim.py URL reset | clear-log
    sim.py URL faults JSON
    sim.py URL log-summary           -> JSON: requests, writes, faults seen, retries
    sim.py URL snapshot TOKEN FILE   -> the estate without ids and dates, for comparing runs;
                                        fails when any resource exists twice
    sim.py URL named TOKEN PATH KEY NAME -> JSON list of the ids of the items of list PATH
                                        (envelope KEY) named exactly NAME, in the API's order
"""

from __future__ import annotations

import json
import sys
import urllib.request


def call(url, method="GET", body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("X-Auth-Token", token)
    with urllib.request.urlopen(request, timeout=30) as answer:
        raw = answer.read()
    return json.loads(raw) if raw else {}


def listing(api, token, path, key):
    items, page = [], 1
    while True:
        batch = call("%s%s%spage=%d&limit=500" % (api, path, "&" if "?" in path else "?", page), token=token)[key]
        items.extend(batch)
        if len(batch) < 500:
            return items
        page += 1


def unique(kind, names):
    seen = set()
    for name in names:
        if name in seen:
            raise SystemExit("DUPLICATE: two %s named %r" % (kind, name))
        seen.add(name)


def snapshot(api, token):
    orgs = {org["id"]: org["name"] for org in listing(api, token, "/organizations", "organizations")}
    volumes = listing(api, token, "/volumes", "volumes")
    servers = listing(api, token, "/servers", "servers")
    tags = listing(api, token, "/tags", "tags")
    containers = listing(api, token, "/containers", "containers")
    for kind, items in (("organizations", [{"name": n} for n in orgs.values()]), ("volumes", volumes),
                        ("servers", servers), ("containers", containers)):
        unique(kind, [item["name"] for item in items])
    # Tag names may repeat in the API; every new server gets a tag 'default' of its own, so
    # there is one per server; the playbook makes every other tag once.
    unique("tags", ["%s/%s" % (tag["organization"], tag["name"]) for tag in tags if tag["name"] != "default"])
    if sum(1 for tag in tags if tag["name"] == "default") != len(servers):
        raise SystemExit("DUPLICATE: %d 'default' tags for %d servers"
                         % (sum(1 for tag in tags if tag["name"] == "default"), len(servers)))
    volume_names = {volume["id"]: volume["name"] for volume in volumes}
    state = {
        "organizations": sorted(orgs.values()),
        "volumes": sorted((v["name"], orgs.get(v["organization"]), v["size"], v["type"],
                           (v.get("server") or {}).get("name")) for v in volumes),
        "servers": sorted((s["name"], orgs.get(s["organization"]), s["state"], s.get("commercial_type"),
                           [volume_names.get(v["id"]) for position, v in sorted((s.get("volumes") or {}).items(), key=lambda kv: int(kv[0]))],
                           sorted(t["name"] for t in s.get("tags") or [])) for s in servers),
        "tags": sorted((t["name"], t.get("type"), orgs.get(t["organization"]), t.get("servers"),
                        sorted((m["key"], m["value"]) for m in
                               listing(api, token, "/tags/%s/metadatas" % t["id"], "metadatas"))) for t in tags),
        "containers": [],
    }
    for container in sorted(containers, key=lambda c: c["name"]):
        objects = listing(api, token, "/containers/%s/objects" % container["id"], "objects")
        unique("objects in %s" % container["name"], [obj["path"] for obj in objects])
        state["containers"].append((container["name"], sorted(
            (o["path"], o["checksum"], o.get("content_type"), sorted((o.get("metadata") or {}).items()))
            for o in objects)))
    return json.loads(json.dumps(state))


def log_summary(base):
    entries = call(base + "/_sim/requests")["requests"]
    retries = 0
    for before, after in zip(entries, entries[1:]):
        failed = before["status"] is None or before["status"] == 429 or before["status"] >= 500
        if failed and (before["method"], before["path"]) == (after["method"], after["path"]):
            retries += 1
    return {
        "requests": len(entries),
        "writes": sum(1 for e in entries if e["method"] in ("POST", "PUT", "DELETE")),
        "dropped": sum(1 for e in entries if e["status"] is None),
        "errors": sum(1 for e in entries if e["status"] is not None and (e["status"] == 429 or e["status"] >= 500)),
        "lost_writes": sum(1 for e in entries if e.get("lost_write")),
        "retries": retries,
    }


def main(argv):
    base, command = argv[1].rstrip("/"), argv[2]
    if base.endswith("/v1"):
        base = base[:-3]
    if command == "reset":
        call(base + "/_sim/reset", "POST", {})
    elif command == "clear-log":
        call(base + "/_sim/requests", "DELETE")
    elif command == "faults":
        call(base + "/_sim/faults", "POST", json.loads(argv[3]))
    elif command == "log-summary":
        print(json.dumps(log_summary(base)))
    elif command == "named":
        token, path, key, name = argv[3:7]
        print(json.dumps([item["id"] for item in listing(base + "/v1", token, path, key) if item.get("name") == name]))
    elif command == "snapshot":
        with open(argv[4], "w") as handle:
            json.dump(snapshot(base + "/v1", argv[3]), handle, indent=1, sort_keys=True)
    else:
        raise SystemExit("unknown command %s" % command)


if __name__ == "__main__":
    main(sys.argv)
