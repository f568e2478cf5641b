# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Carrying out a fleet's plan: writes in parallel through a ClientPool, waits by reading the server list.

Each member moves by ``advance``: it does every write it can without waiting
(create its volumes and itself, change it, attach tags, send one power action)
and returns what it waits for next (a state, the end of a transition, being
gone) or None when it is done. The fleet then reads the server list, not one
server at a time, and advances the members whose wait is over, all under one
deadline (``wait_timeout``). Before that, ``create_named`` makes the new tags,
then the new volumes, then the new servers, each kind as ``creation.create_once``
would but with one read of the list after all the creates of that kind instead of
one read of each name; every power action goes through ``ServerPower.act`` (a
lost answer is looked up, never sent twice), every request through a clone of
the one client.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import is_api_not_found
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client_pool import ClientPool
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.common import same_id
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.creation import created_in, keep_first, post_once
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayAPIError, ScalewayWaitTimeout
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.fleet import (
    Lists,
    check_count_organization,
    check_deletions,
    doomed_by_count,
    member_view,
    new_tags,
    plan_member,
    raise_first,
    read_settled,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import find_named, resolve_organizations
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import SERVER_TAGS, SERVERS, TAGS, VOLUMES
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.servers import (
    POWER_TARGETS,
    TRANSITIONS,
    ServerPower,
    attached_volumes,
    power_action,
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
        # Whether ``member.current`` misses a write sent since the last read of the server list.
        self.stale = False
        # A running server that force stopped for its volumes is started again.
        self.wanted = member.state if member.state in POWER_TARGETS else None

    # -- steps ------------------------------------------------------------------------------------

    def advance(self, client):
        member = self.member
        if member.state == "absent":
            return self._remove(client)
        # create_members made it and its new volumes.
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
            member.current = client.update(member.path, "server", changes)
            member.wrote = self.changes_done = True
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

    def tag(self, client):
        """Attach and detach the member's tags (any power state will do: FleetRun calls it after the actions)."""
        member = self.member
        path = SERVER_TAGS.list_path((member.current["id"], "id"))
        for name in member.to_attach:
            tag = self.tags[(member.organization, name)]
            # Attaching an attached tag answers 200 without a change, so a repeat is safe.
            client.call("POST", path, json={"tag_id": tag["id"]}, idempotent=True)
            member.wrote = True
        for detach_path in member.detach_paths:
            # Already detached (another run was first): gone all the same. Built in the plan, before any write.
            client.delete(detach_path, missing_ok=True)
            member.wrote = True
        self.stale = self.stale or bool(member.to_attach or member.to_detach)

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
        self.member.wrote = self.stale = True
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
        for path in [member.path] + member.volume_paths:
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
        """Advance every member, attach the tags while the power actions run, then wait for the goals.

        The first read of the server list comes ``interval`` seconds after the last
        actions were sent; each later pause is a fifth of the time waited since then
        (never under ``interval``, never over MAX_POLL), so a wait ends at most a
        fifth late without reading the list every ``interval`` through a long one.
        """
        goals = self._advance(self.runs)
        since = self.client.clock()
        outcome = self.pool.run(lambda client, run: run.tag(client), [
            run for run in self.runs if run.member.state != "absent" and (run.member.to_attach or run.member.to_detach)])
        raise_first(outcome)
        while goals:
            delay = min(MAX_POLL, max(self.interval, (self.client.clock() - since) / 5.0))
            if self.client.past_deadline(delay):
                names = ", ".join(sorted(run.member.name for run in goals))
                raise ScalewayWaitTimeout("servers %s to reach their state" % names, None, None,
                                          option=self.client.deadline_option)
            self.client.sleep(delay)
            self._update(self._servers())
            ready = [run for run, goal in goals.items() if reached(goal, run.member.current)]
            for run in ready:
                del goals[run]
            following = self._advance(ready)
            if following:
                # New actions were sent: their wait starts now.
                since = self.client.clock()
            goals.update(following)

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

    def _update(self, servers):
        """Every member as ``servers`` (a read of the list) shows it."""
        for run in self.runs:
            if run.member.current is not None:
                run.member.current = servers.get(run.member.current["id"])
            run.stale = False

    def refresh(self):
        """After writes: the members as the server list shows them now (one read per organization).

        No read when the last one already shows every write (it came after the last action and tag).
        """
        if any(run.stale for run in self.runs):
            self._update(self._servers())


def create_named(pool, lists, kind, items, request, adopt, report):
    """Create one object of ``kind`` (a resource of resources.py) per item, as ``creation.create_once`` would.

    ``request(item)`` gives ``(organization, body)``. Every POST is sent first (in
    parallel, each with its lookup for a lost answer); then the list of ``kind``
    is read once and ``creation.keep_first`` applies create_once's rule to each
    object made, from that read, instead of one read of each name: concurrent runs
    converge on the first object of each name, a run's own losing copy is deleted,
    and any other copy is passed to ``report(message, ids)`` (called from this
    thread). When that read fails (a list another run keeps shifting, an error that
    outlasted the retries), each object made is looked up by its name instead, as
    create_once does (one read per object made), so that a run still deletes its own
    losing copies. ``adopt(item, object, wrote)`` receives the object kept, for every
    item whose POST was carried out, even when another one failed; then the first
    failure is raised.
    """
    def post(client, item):
        organization, body = request(item)
        return post_once(client, kind.path, kind.singular, kind.plural, body, organization)

    whole = []

    def named(item, found, client=None):
        """The objects of the item's name in the created object's organization: from the read of the whole
        list, or (``client``, when that read failed) from a read of the name."""
        organization, body = request(item)
        where = created_in(found, organization)
        if client is not None and not whole:
            return where, find_named(client, kind.path, kind.plural, body["name"], where)
        return where, [other for other in lists.named(organization, kind.plural, body["name"])
                       if where is None or same_id(other.get("organization"), where)]

    copies = []

    def keep(client, made):
        item, found, own = made
        where, present = named(item, found, client)
        return keep_first(client, kind.path, kind.singular, kind.plural, request(item)[1]["name"], found, own,
                          present, where, report=lambda message, ids: copies.append((message, ids)))

    def rivalled(item, found):
        """Whether the read shows another object of the name (else keep_first would keep ``found`` as it is)."""
        mine = found["id"].lower()
        return any(("%s" % other.get("id")).lower() != mine for other in named(item, found)[1])

    posted = pool.run(post, items)
    for item, (found, wrote, _own) in posted.done:
        adopt(item, found, wrote)
    made = [(item, found, own) for item, (found, wrote, own) in posted.done if wrote]
    if made:
        # Even after a failed POST: the objects made converge with those of concurrent runs.
        try:
            lists.read([kind.plural])
            whole.append(True)
        except ScalewayAPIError:
            # ListNotWhole is one: each object made is then looked up by its name (in keep).
            pass
        kept = pool.run(keep, [entry for entry in made if not whole or rivalled(entry[0], entry[1])])
        for (item, _found, _own), winner in kept.done:
            adopt(item, winner, True)
        for message, ids in copies:
            report(message, ids)
        raise_first(posted)
        raise_first(kept)
    raise_first(posted)


def create_members(module, pool, lists, tags, members):
    """The tags the members attach that do not exist, then the members' new volumes, then the new members.

    Each kind through ``create_named``: its creates in parallel, then one read of its list.
    """
    def adopt_tag(key, tag, wrote):
        tags[key] = tag
        module.result["changed"] = module.result["changed"] or wrote

    report = module.report_copies
    create_named(pool, lists, TAGS, new_tags(members, lists), _tag_request, adopt_tag, report)
    members = [member for member in members if member.state != "absent"]
    create_named(pool, lists, VOLUMES, [(member, index) for member in members
                                        for index, volume in enumerate(member.volumes or []) if volume in member.new_volumes],
                 _volume_request, _adopt_volume, report)
    for member in members:
        member.new_volumes = []
    create_named(pool, lists, SERVERS, [member for member in members if member.current is None],
                 _server_request, _adopt_server, report)


def _with_organization(organization, body):
    if organization:
        body["organization"] = organization
    return organization, body


def _tag_request(key):
    organization, name = key
    return _with_organization(organization, {"name": name})


def _volume_request(item):
    member, index = item
    volume = member.volumes[index]
    body = {"name": volume["name"], "size": volume["size"]}
    if volume["type"]:
        body["type"] = volume["type"]
    return _with_organization(member.organization, body)


def _adopt_volume(item, volume, wrote):
    member, index = item
    member.volume_ids[index] = volume["id"]
    member.wrote = member.wrote or wrote


def _server_request(member):
    body = dict((key, value) for key, value in (
        ("name", member.name), ("image", member.image), ("commercial_type", member.commercial_type))
        if value is not None)
    if member.volumes is not None:
        body["volumes"] = member.volume_ids
    return _with_organization(member.organization, body)


def _adopt_server(member, server, wrote):
    member.current = server
    member.created = member.created or wrote
    member.wrote = member.wrote or wrote


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
    client.set_deadline(p["wait_timeout"], "wait_timeout")
    _resolve_organizations(module, members)
    by_count = p["servers"] is None
    organizations = _distinct([p["organization"]] if by_count else [] + [m.organization for m in members])
    # One set of client clones (and their connections) for every read and write of the task.
    with ClientPool(client, p["max_workers"]) as pool:
        _act(module, members, pool, organizations, by_count)


def _act(module, members, pool, organizations, by_count):
    p = module.params
    client = module.client
    check_mode = module.module.check_mode
    wanted = ["servers"]
    if any(member.volumes is not None for member in members):
        wanted.append("volumes")
    if any(member.tags is not None for member in members):
        wanted.append("tags")
    doomed_of = (lambda lists: doomed_by_count(p, lists)) if by_count else None
    lists = read_settled(client, Lists(pool, organizations, wanted), members, doomed_of)
    if by_count:
        check_count_organization(p, lists)
    doomed = doomed_of(lists) if by_count else []
    every = members + doomed
    for member in every:
        plan_member(member, lists)
    check_deletions(every, p["max_deletions"])
    tags = dict(((organization, tag["name"]), tag) for organization in organizations
                for tag in lists.of(organization, "tags"))
    changing = [member for member in every if member.changing]
    try:
        if changing and not check_mode:
            create_members(module, pool, lists, tags, changing)
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
