# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Carrying out a fleet's plan: writes in parallel through a ClientPool, waits by reading the server list.

Each member moves by ``advance``: it does every write it can without waiting
(create its volumes and itself, change it, attach tags, send one power action)
and returns what it waits for next (a state, the end of a transition, being
gone) or None when it is done. The fleet then reads the server list, not one
server at a time, and advances the members whose wait is over, all under one
deadline (``wait_timeout``). Every create goes through ``creation.create_once``,
every power action through ``ServerPower.act`` (a lost answer is looked up, never
sent twice), every request through a clone of the one client.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import is_api_not_found
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client_pool import ClientPool
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.creation import create_once
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayAPIError, ScalewayWaitTimeout
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.fleet import (
    Lists,
    check_deletions,
    doomed_by_count,
    member_view,
    new_tags,
    plan_member,
    raise_first,
    read_settled,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import resolve_organizations
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import SERVER_TAGS, SERVERS, TAGS, VOLUMES
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.servers import (
    POWER_TARGETS,
    TRANSITIONS,
    ServerPower,
    attached_volumes,
    power_action,
    server_path,
)

# What a member waits for: the end of a transition, a stable state, or being gone.
STABLE = "stable"
GONE = "gone"
# The longest pause between two reads of the server list while waiting.
MAX_POLL = 5.0


def _refused_state(exc):
    """The API refused an action in the state the server is in now (another run moved it meanwhile)."""
    return isinstance(exc, ScalewayAPIError) and exc.status == 402 and exc.code == "invalid_state"


class MemberRun:
    """The steps of one member; ``advance(client)`` is called again each time its wait is over."""

    def __init__(self, member, tags, wait):
        self.member = member
        self.tags = tags
        self.wait = wait
        self.changes_done = False
        self.tags_done = False
        # A running server that force stopped for its volumes is started again.
        self.wanted = member.state if member.state in POWER_TARGETS else None

    # -- steps ------------------------------------------------------------------------------------

    def advance(self, client):
        member = self.member
        if member.state == "absent":
            return self._remove(client)
        if member.new_volumes:
            self._create_volumes(client)
        if member.current is None:
            self._create_server(client)
        server = member.current
        if member.changes and not self.changes_done:
            if "volumes" in member.changes and server.get("state") != "off":
                if server.get("state") in TRANSITIONS:
                    return STABLE
                if self.wanted is None:
                    self.wanted = "running"
                return self._act(client, "poweroff") or "off"
            changes = dict(member.changes)
            if "volumes" in changes:
                changes["volumes"] = member.volume_ids
            member.current = client.update(server_path(server["id"]), "server", changes)
            member.wrote = self.changes_done = True
        if not self.tags_done:
            self._tag(client)
        if self.wanted:
            action = power_action(member.current.get("state"), self.wanted)
            if action is not None:
                if member.current.get("state") in TRANSITIONS:
                    return STABLE
                waiting = self._act(client, action)
                if waiting:
                    return waiting
            target = POWER_TARGETS[self.wanted]
            if self.wait and member.current.get("state") != target:
                return target
        return None

    def _create_volumes(self, client):
        member = self.member
        for volume in member.new_volumes:
            body = {"name": volume["name"], "size": volume["size"]}
            if volume["type"]:
                body["type"] = volume["type"]
            if member.organization:
                body["organization"] = member.organization
            found, wrote = create_once(client, VOLUMES.path, VOLUMES.singular, VOLUMES.plural, body,
                                       member.organization)
            member.volume_ids[member.volumes.index(volume)] = found["id"]
            member.wrote = member.wrote or wrote
        member.new_volumes = []

    def _create_server(self, client):
        member = self.member
        body = dict((key, value) for key, value in (
            ("name", member.name), ("image", member.image), ("commercial_type", member.commercial_type),
            ("organization", member.organization)) if value is not None)
        if member.volumes is not None:
            body["volumes"] = member.volume_ids
        member.current, wrote = create_once(client, SERVERS.path, SERVERS.singular, SERVERS.plural, body,
                                              member.organization)
        member.created = wrote
        member.wrote = member.wrote or wrote

    def _tag(self, client):
        member = self.member
        server_id = (member.current["id"], "id")
        path = SERVER_TAGS.list_path(server_id)
        for name in member.to_attach:
            tag = self.tags[(member.organization, name)]
            # Attaching an attached tag answers 200 without a change, so a repeat is safe.
            client.call("POST", path, json={"tag_id": tag["id"]}, idempotent=True)
            member.wrote = True
        for tag in member.to_detach:
            # Already detached (another run was first): gone all the same.
            client.delete(SERVER_TAGS.item_path((tag["id"], "tags[].id"), server_id), missing_ok=True)
            member.wrote = True
        self.tags_done = True

    def _act(self, client, action):
        """Send ``action``; None when accepted, STABLE when the server moved first (acted on again later)."""
        try:
            ServerPower(client, self.member.current, 0, 1).act(action)
        except ScalewayAPIError as exc:
            if _refused_state(exc):
                return STABLE
            if action == "terminate" and is_api_not_found(exc):
                return None
            raise
        self.member.wrote = True
        # The list shows the transition at the next read; until then, the state the action leads to.
        self.member.current = dict(self.member.current, state={"poweron": "starting", "reboot": "stopping"}.get(
            action, "stopping"))
        return None

    def _remove(self, client):
        member = self.member
        server = member.current
        if server is None:
            return None
        if server.get("state") in TRANSITIONS:
            return STABLE
        if member.delete == "terminate":
            waiting = self._act(client, "terminate")
            return waiting or (GONE if self.wait else None)
        if server.get("state") != "off":
            return self._act(client, "poweroff") or "off"
        # Already gone (another run was first): gone all the same.
        for path in [server_path(server["id"])] + [VOLUMES.item_path((volume["id"], "volumes[].id"))
                                                   for volume in member.own_volumes]:
            client.delete(path, missing_ok=True)
        member.wrote = True
        member.current = None
        return None


def reached(goal, server):
    if goal == GONE:
        return server is None
    if server is None:
        return True
    if goal == STABLE:
        return server.get("state") not in TRANSITIONS
    return server.get("state") == goal


class FleetRun:
    """Runs the member steps on the pool and waits for them by reading the server lists."""

    def __init__(self, client, pool, lists, runs, interval):
        self.client = client
        self.pool = pool
        self.lists = lists
        self.runs = runs
        self.interval = interval

    def carry_out(self):
        goals = self._advance(self.runs)
        delay = self.interval
        while goals:
            if self.client.past_deadline(delay):
                names = ", ".join(sorted(run.member.name for run in goals))
                raise ScalewayWaitTimeout("servers %s to reach their state" % names, None, None,
                                          option=self.client.deadline_option)
            self.client.sleep(delay)
            delay = min(MAX_POLL, delay * 1.5)
            servers = self._servers()
            ready = []
            for run, goal in goals.items():
                if run.member.current is not None:
                    run.member.current = servers.get(run.member.current["id"])
                if reached(goal, run.member.current):
                    ready.append(run)
            for run in ready:
                del goals[run]
            goals.update(self._advance(ready))

    def _advance(self, runs):
        outcome = self.pool.run(lambda client, run: run.advance(client), list(runs))
        raise_first(outcome)
        return dict((run, goal) for run, goal in outcome.done if goal)

    def _servers(self):
        """Every server of the fleet's organizations by id: one list read per organization."""
        self.lists.read(["servers"])
        found = {}
        for organization in self.lists.organizations:
            for server in self.lists.of(organization, "servers"):
                found[server["id"]] = server
        return found

    def refresh(self):
        """After writes: the members as the server list shows them now (one read per organization)."""
        servers = self._servers()
        for run in self.runs:
            if run.member.current is not None:
                run.member.current = servers.get(run.member.current["id"])


def create_tags(pool, wanted):
    """Create the tags no member found, once each; ``{(organization, name): tag}``."""
    def create(client, key):
        organization, name = key
        body = {"name": name}
        if organization:
            body["organization"] = organization
        return create_once(client, TAGS.path, TAGS.singular, TAGS.plural, body, organization)[0]

    outcome = pool.run(create, wanted)
    raise_first(outcome)
    return dict(outcome.done)


def member_result(member, check_mode):
    """A member in the module's ``servers`` result."""
    server = member.current
    if check_mode or server is None:
        view = member.planned or {}
        return {"id": server.get("id") if server else None, "name": member.name,
                "state": view.get("state", "absent"), "organization": member.organization,
                "image": view.get("image"), "commercial_type": view.get("commercial_type"),
                "public_ip": None, "private_ip": None,
                "volumes": [{"id": None, "name": name, "size": None, "type": None} for name in view.get("volumes", [])]
                if not server else _volumes(server),
                "tags": view.get("tags", []), "changed": member.changing if check_mode else member.wrote}
    return {"id": server["id"], "name": member.name, "state": server.get("state"),
            "organization": server.get("organization"), "image": server.get("image"),
            "commercial_type": server.get("commercial_type"),
            "public_ip": (server.get("public_ip") or {}).get("address"), "private_ip": server.get("private_ip"),
            "volumes": _volumes(server), "tags": member_view(server)["tags"], "changed": member.wrote}


def _volumes(server):
    return [dict((field, volume.get(field)) for field in ("id", "name", "size", "type"))
            for volume in attached_volumes(server)]


def converge(module, members):
    """Read, plan, check the deletion cap, then carry the plan out (or, in check mode, report it)."""
    p = module.params
    client = module.client
    check_mode = module.module.check_mode
    client.set_deadline(p["wait_timeout"], "wait_timeout")
    _resolve_organizations(module, members)
    by_count = p["servers"] is None
    organizations = _distinct([p["organization"]] if by_count else [] + [m.organization for m in members])
    pool = ClientPool(client, p["max_workers"])
    wanted = ["servers"]
    if any(member.volumes is not None for member in members):
        wanted.append("volumes")
    if any(member.tags is not None for member in members):
        wanted.append("tags")
    lists = read_settled(client, Lists(pool, organizations, wanted), members)
    doomed = doomed_by_count(p, lists) if by_count else []
    every = members + doomed
    for member in every:
        plan_member(member, lists)
    check_deletions(every, p["max_deletions"])
    tags = dict(((organization, tag["name"]), tag) for organization in organizations
                for tag in lists.of(organization, "tags"))
    changing = [member for member in every if member.changing]
    try:
        if changing and not check_mode:
            wanted_tags = new_tags(changing, lists)
            if wanted_tags:
                tags.update(create_tags(pool, wanted_tags))
                module.result["changed"] = True
            runs = [MemberRun(member, tags, p["wait"]) for member in changing]
            fleet = FleetRun(client, pool, lists, runs, p["wait_sleep"])
            fleet.carry_out()
            fleet.refresh()
    finally:
        _report(module, members, every, check_mode)


def _report(module, members, every, check_mode):
    result = module.result
    result["servers"] = [member_result(member, check_mode) for member in members]
    if check_mode:
        result["created"] = [m.name for m in every if m.state != "absent" and m.current is None]
        result["deleted"] = [m.name for m in every if m.delete is not None]
        result["changed"] = result["changed"] or any(m.changing for m in every)
    else:
        result["created"] = [m.name for m in every if m.created]
        result["deleted"] = [m.name for m in every if m.delete is not None and m.wrote]
        result["changed"] = result["changed"] or any(m.wrote for m in every)
    if module.module._diff:
        result["diff"] = [dict(before_header=m.name, after_header=m.name, before=m.before,
                               after=m.planned) for m in every if m.changing]


def _resolve_organizations(module, members):
    """Organization names become ids with one read of the organizations (none when every one is an id)."""
    p = module.params
    references = _distinct([p["organization"]] + [m.organization for m in members])
    references = [reference for reference in references if reference]
    ids = dict(zip(references, resolve_organizations(module.client, references))) if references else {}
    if p["organization"]:
        p["organization"] = ids[p["organization"]]
    for member in members:
        member.organization = ids.get(member.organization, member.organization)


def _distinct(values):
    seen = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen
