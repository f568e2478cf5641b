# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Many servers in one task: the members, their input checks, and a plan made from three lists.

The fleet reads the servers, volumes and tags of each organization once (pages
of 500), plans every member from those lists without another request, refuses a
plan that deletes more than ``max_deletions`` before any write, and hands the plan
to ``fleet_run`` which acts through a ClientPool and waits by reading the list.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.checks import check_id, check_text, check_texts
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.common import parse_size
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayInputError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import SETTLE_WAITS, ambiguity, created_together
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import SERVER_TAGS, SERVERS, TAGS, VOLUMES
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.servers import (
    DEFAULT_COMMERCIAL_TYPE,
    DEFAULT_TAG,
    POWER_TARGETS,
    attached_volumes,
    power_action,
    server_path,
    tag_changes,
    tags_after,
)

# Deletions a run may make unless max_deletions allows more: none, so that no value of count (a typo
# included) and no state=absent deletes a member the user did not allow in the same task.
DEFAULT_MAX_DELETIONS = 0
# The lists a fleet reads, by their envelope key.
LISTS = {"servers": SERVERS, "volumes": VOLUMES, "tags": TAGS}


class Member:
    """One server of the fleet: what the user asked for, then its plan."""

    def __init__(self, name, where, state, organization=None, image=None, commercial_type=None, volumes=None,
                 tags=None, purge_tags=True, force=False, delete_volumes=False, server=None):
        self.name = name
        # The option prefix messages name: "servers[3]" in a list, "" when the fleet's own options apply.
        self.where = where
        self.state = state
        self.organization = organization
        self.image = image
        self.commercial_type = commercial_type
        # None leaves the volumes alone; else a list of {"name", "size", "type", "option"} in mount order.
        self.volumes = volumes
        self.tags = tags
        self.purge_tags = purge_tags
        self.force = force
        self.delete_volumes = delete_volumes
        # The exact server (as listed) a member past a fleet's count was planned from: it, not its name, is deleted.
        self.server = server
        # The plan (plan_member fills it).
        self.current = None
        # Every URL the member's writes use, built from the listed ids before the first write (_plan_paths).
        self.path = None
        self.detach_paths = []
        self.volume_paths = []
        self.changes = {}
        self.new_volumes = []
        self.volume_ids = None
        self.to_attach = []
        self.to_detach = []
        self.action = None
        self.delete = None
        self.own_volumes = []
        self.planned = None
        # What happened (fleet_run fills it).
        self.created = False
        self.wrote = False

    def option(self, field):
        return "%s.%s" % (self.where, field) if self.where else field

    @property
    def changing(self):
        if self.state == "absent":
            return self.delete is not None
        pending = (self.changes, self.new_volumes, self.to_attach, self.to_detach)
        return self.current is None or self.action is not None or any(bool(part) for part in pending)


def _checked(member, check, *args):
    """Run ``check``; a failure also names the member, so the user finds the entry at once."""
    try:
        return check(*args)
    except ScalewayInputError as exc:
        raise ScalewayInputError(exc.option, "%s (server %r)" % (exc.message, member.name))


def check_members(members):
    """Every check that needs no request, on every member, before the first request of the task."""
    names = {}
    volume_names = {}
    for member in members:
        _checked(member, check_text, member.option("name"), member.name, "name")
        if member.name in names:
            raise ScalewayInputError(member.option("name"), "server %r is listed twice (also %s)"
                                     % (member.name, names[member.name]))
        names[member.name] = member.option("name")
        # Ids in lower case, as they are compared and sent.
        member.image = _checked(member, check_id, member.option("image"), member.image, "an image")
        _checked(member, check_text, member.option("commercial_type"), member.commercial_type,
                 "commercial_type")
        _checked(member, check_texts, member.option("tags"), member.tags, "name")
        for volume in member.volumes or []:
            _checked(member, check_text, volume["option"] + ".name", volume["name"], "name")
            if volume["size"] is not None:
                volume["size"] = _checked(member, parse_size, volume["size"], volume["option"] + ".size")
            if volume["name"] in volume_names:
                raise ScalewayInputError(volume["option"] + ".name", "volume %r is listed twice (also %s)"
                                         % (volume["name"], volume_names[volume["name"]]))
            volume_names[volume["name"]] = volume["option"]


def members_by_count(params):
    """The members 1..count named ``<name>-<index>``, each with the fleet's own options."""
    volumes = params.get("volumes")
    members = []
    for index in range(1, params["count"] + 1):
        name = "%s-%d" % (params["name"], index)
        members.append(Member(
            name, "", params["state"], params.get("organization"),
            params.get("image"), params.get("commercial_type"),
            None if volumes is None else [
                dict(name="%s-%s" % (name, volume["suffix"]), size=volume.get("size"), type=volume.get("type"),
                     option="volumes[%d]" % position) for position, volume in enumerate(volumes)],
            params.get("tags"), params["purge_tags"]))
    return members


def members_by_list(params):
    """One member per entry of ``servers``; an entry's own value wins over the fleet's option of that name."""
    members = []
    for index, entry in enumerate(params["servers"]):
        where = "servers[%d]" % index

        def pick(field, entry=entry):
            value = entry.get(field)
            return params.get(field) if value is None else value

        volumes = entry.get("volumes")
        members.append(Member(
            entry["name"], where, pick("state"), pick("organization"), pick("image"), pick("commercial_type"),
            None if volumes is None else [
                dict(name=volume["name"], size=volume.get("size"), type=volume.get("type"),
                     option="%s.volumes[%d]" % (where, position)) for position, volume in enumerate(volumes)],
            pick("tags"), pick("purge_tags"), bool(entry.get("force")), bool(entry.get("delete_volumes"))))
    return members


def count_pattern(name):
    return re.compile(r"^%s-([1-9][0-9]*)$" % re.escape(name))


class Lists:
    """The servers, volumes and tags of the organizations a fleet touches, each read once."""

    def __init__(self, pool, organizations, wanted=("servers", "volumes", "tags")):
        self.pool = pool
        self.organizations = list(organizations)
        self.wanted = [plural for plural in LISTS if plural in wanted]
        self.items = {}
        # {(organization, plural): {name: [items]}}, made from the last read of each list.
        self.by_name = {}

    def read(self, plurals=None):
        """Read the lists (all of them, or ``plurals``) in parallel; an error of any read is raised."""
        jobs = [(organization, plural) for organization in self.organizations for plural in plurals or self.wanted]

        def read_one(client, job):
            organization, plural = job
            query = {"organization": organization} if organization else None
            return client.list(LISTS[plural].path, plural, params=query)

        outcome = self.pool.run(read_one, jobs)
        raise_first(outcome)
        for (organization, plural), items in outcome.done:
            self.items[(organization, plural)] = items
            index = self.by_name[(organization, plural)] = {}
            for item in items:
                index.setdefault(item.get("name"), []).append(item)
        return self

    def of(self, organization, plural):
        return self.items.get((organization, plural), [])

    def named(self, organization, plural, name):
        return list(self.by_name.get((organization, plural), {}).get(name, []))


def raise_first(outcome):
    """Raise the first failure of a ClientPool run, if there was one."""
    if outcome.failed:
        raise outcome.failed[0][1]


def twins(lists, members):
    """Every (member, option, what, name, matches) where one name matches several servers, volumes or tags."""
    found = []
    for member in members:
        named = [("servers", member.option("name"), member.name)]
        named += [("volumes", volume["option"], volume["name"]) for volume in member.volumes or []]
        named += [("tags", member.option("tags"), name) for name in member.tags or []]
        for plural, option, name in named:
            matches = lists.named(member.organization, plural, name)
            if len(matches) > 1:
                found.append((member, option, plural, name, matches))
    return found


def read_settled(client, lists, members, doomed=None):
    """Read the lists; while a name matches copies made together (concurrent runs converging), read again.

    ``doomed(lists)`` gives the members the lists would have deleted (a fleet by count past its count): their
    names are checked too, so that no delete is aimed at a name. Twins older than
    references.CONVERGING_WINDOW apart are truly ambiguous and fail at once, naming the ids.
    """
    lists.read()
    for wait in SETTLE_WAITS + (None,):
        found = twins(lists, members + (doomed(lists) if doomed else []))
        if not found:
            return lists
        if wait is None or not all(created_together(entry[-1]) for entry in found) or client.past_deadline(wait):
            member, option, plural, name, matches = found[0]
            message = ambiguity(plural, name, matches, hint="remove or rename the others")
            if plural != "servers":
                message = "%s (server %r)" % (message, member.name)
            elif member.state == "absent" and member.server is not None:
                message += "; nothing was deleted"
            raise ScalewayInputError(option, message)
        client.sleep(wait)
        lists.read()
    return lists


def _count_members(params, lists):
    """(index, server) of every listed server named ``<name>-<index>``."""
    pattern = count_pattern(params["name"])
    found = []
    for server in lists.of(params.get("organization"), "servers"):
        matched = pattern.match(server.get("name") or "")
        if matched:
            found.append((int(matched.group(1)), server))
    return found


def doomed_by_count(params, lists):
    """Members of a count fleet past ``count`` (all of them with state=absent), the highest index first.

    Each is bound to the listed server it was planned from (``Member.server``): that server is the one deleted.
    """
    keep = 0 if params["state"] == "absent" else params["count"]
    found = [(index, server) for index, server in _count_members(params, lists) if index > keep]
    found.sort(key=lambda pair: (-pair[0], "%s" % (pair[1].get("id"),)))
    return [Member(server["name"], "", "absent", params.get("organization"), delete_volumes=True, server=server)
            for _index, server in found]


def check_count_organization(params, lists):
    """A fleet by count lives in one organization: without ``organization``, its servers must all be in one.

    Without the option the lists span every organization the token sees; members found in several of them
    fail before any write, naming each server with its id and organization.
    """
    if params.get("organization"):
        return
    servers = [server for _index, server in sorted(_count_members(params, lists), key=lambda pair: pair[0])]
    if len(set(server.get("organization") for server in servers)) > 1:
        raise ScalewayInputError("organization", "the servers of fleet %r are in several organizations (%s); a fleet "
                                 "by count is in one organization: set organization to choose it"
                                 % (params["name"], ", ".join(_described(server, True) for server in servers)))


def _described(server, with_organization):
    """A server as a refusal lists it: its name and id, and its organization when several are involved."""
    if with_organization:
        return "%s (id %s, organization %s)" % (server.get("name"), server.get("id"), server.get("organization"))
    return "%s (id %s)" % (server.get("name"), server.get("id"))


def plan_member(member, lists):
    """Fill the member's plan from the lists; input that the lists prove wrong raises before any write."""
    if member.server is not None:
        member.current = member.server
    else:
        found = lists.named(member.organization, "servers", member.name)
        member.current = found[0] if found else None
    member.before = member_view(member.current)
    if member.state == "absent":
        _plan_delete(member)
    else:
        _plan_keep(member, lists)
    _plan_paths(member)
    member.planned = planned_view(member)


def _plan_paths(member):
    """Build every URL the member's writes put a listed id in (server, tags to detach, volumes to delete).

    The ids come from the API's lists, which are untrusted: one that cannot be a single path segment fails
    the task here, before the fleet's first write.
    """
    server = member.current
    if server is None or not member.changing:
        return
    server_id = (server.get("id"), "servers[].id")
    try:
        member.path = server_path(*server_id)
        member.detach_paths = [SERVER_TAGS.item_path((tag.get("id"), "servers[].tags[].id"), server_id)
                               for tag in member.to_detach]
        member.volume_paths = [VOLUMES.item_path((volume.get("id"), "servers[].volumes[].id"))
                               for volume in member.own_volumes]
    except ScalewayInputError as exc:
        raise ScalewayInputError(exc.option, "%s, listed by the API for server %r; an API answer is untrusted, so "
                                 "nothing was written: check api_url and the server" % (exc.message, member.name))


def _plan_delete(member):
    server = member.current
    if server is None:
        return
    attached = attached_volumes(server)
    if member.delete_volumes and member.where:
        member.delete = "terminate"
        return
    if member.delete_volumes:
        # A count fleet deletes only the volumes named after the member (``<member>-...``): with terminate
        # when they are all it has, else by id once the server is gone.
        member.own_volumes = [volume for volume in attached if (volume.get("name") or "").startswith(member.name + "-")]
        member.delete = "terminate" if len(member.own_volumes) == len(attached) else "delete"
    else:
        member.delete = "delete"


def _plan_keep(member, lists):
    server = member.current or {}
    state = server.get("state", "off")
    if member.volumes is not None:
        member.volume_ids = [_volume_for(member, volume, server, lists) for volume in member.volumes]
        if server and (member.new_volumes or member.volume_ids != [v["id"] for v in attached_volumes(server)]):
            member.changes["volumes"] = member.volume_ids
    for field in ("image", "commercial_type"):
        value = getattr(member, field)
        if server and value is not None and server.get(field) != value:
            member.changes[field] = value
    if "volumes" in member.changes and state != "off" and member.state != "stopped" and not member.force:
        raise ScalewayInputError(member.option("volumes"), "server %r is %s and the API changes volumes only while "
                                 "a server is off; set state=stopped, or force=true to stop it, change the volumes "
                                 "and start it again" % (member.name, state))
    member.to_attach, member.to_detach = tag_changes(server.get("tags") or [], member.tags, member.purge_tags)
    wanted = member.state if member.state in POWER_TARGETS else None
    member.action = power_action(state, wanted) if wanted else None


def _volume_for(member, volume, server, lists):
    """The id of the volume ``volume`` names (None when it is to be created: then it joins ``new_volumes``)."""
    option = volume["option"]
    mine = [item for item in attached_volumes(server) if item.get("name") == volume["name"]]
    matches = mine or lists.named(member.organization, "volumes", volume["name"])
    if not matches:
        if volume["size"] is None:
            raise ScalewayInputError(option + ".size", "volume %r of server %r does not exist; give its size to "
                                     "create it" % (volume["name"], member.name))
        member.new_volumes.append(volume)
        return None
    found = matches[0]
    for field, wanted in (("size", volume["size"]), ("type", volume["type"])):
        if wanted is not None and found.get(field) != wanted:
            raise ScalewayInputError("%s.%s" % (option, field), "volume %r (%s) has %s %r, not %r; the API cannot "
                                     "change it" % (volume["name"], found["id"], field, found.get(field), wanted))
    holder = found.get("server")
    if holder and holder.get("id") != server.get("id"):
        raise ScalewayInputError(option + ".name", "volume %r (%s) is attached to server %r (%s); detach it there "
                                 "first" % (volume["name"], found["id"], holder.get("name"), holder.get("id")))
    return found["id"]


def member_view(server):
    """A server as the fleet shows it: its managed fields, volumes by name, tags by name."""
    if not server:
        return {}
    return {
        "name": server.get("name"),
        "state": server.get("state"),
        "image": server.get("image"),
        "commercial_type": server.get("commercial_type"),
        "volumes": [volume.get("name") for volume in attached_volumes(server)],
        "tags": sorted(tag.get("name") for tag in server.get("tags") or []),
    }


def planned_view(member):
    """The view the member would have after the plan (empty when it is to be deleted or stays absent)."""
    if member.state == "absent":
        return {}
    view = member_view(member.current) or {
        "name": member.name, "state": "off", "image": member.image,
        "commercial_type": member.commercial_type or DEFAULT_COMMERCIAL_TYPE, "volumes": [], "tags": [DEFAULT_TAG]}
    for field in ("image", "commercial_type"):
        if field in member.changes:
            view[field] = member.changes[field]
    if member.volumes is not None:
        view["volumes"] = [volume["name"] for volume in member.volumes]
    view["tags"] = tags_after(view["tags"], member.to_attach, member.to_detach)
    if member.state in POWER_TARGETS:
        view["state"] = POWER_TARGETS[member.state]
    return view


def check_deletions(members, max_deletions):
    """Refuse a plan that deletes more members than ``max_deletions`` allows, before any write."""
    doomed = [member.current for member in members if member.delete is not None]
    if len(doomed) > max_deletions:
        several = len(set(server.get("organization") for server in doomed)) > 1
        raise ScalewayInputError("max_deletions", "this run would delete %d servers (%s), more than max_deletions=%d "
                                 "allows; nothing was changed. Check count/state, or raise max_deletions to at least "
                                 "%d to delete them" % (len(doomed), ", ".join(_described(server, several)
                                                                               for server in doomed),
                                                        max_deletions, len(doomed)))


def new_tags(members, lists):
    """(organization, name) of every tag a member attaches that does not exist yet, once each."""
    wanted = []
    for member in members:
        for name in member.to_attach:
            key = (member.organization, name)
            if not lists.named(member.organization, "tags", name) and key not in wanted:
                wanted.append(key)
    return wanted
