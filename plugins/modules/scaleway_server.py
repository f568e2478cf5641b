#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: scaleway_server
short_description: Create, update, power and delete Scaleway servers
version_added: 0.1.0
description:
  - Creates, updates and deletes a server of the Scaleway v1 API, and brings it to a power state.
  - The server is found by O(id) when given, else by O(name) within O(organization). More than one
    server of that name is an error that lists their ids; nothing is changed then.
  - Power changes use the server action endpoint (C(poweron), C(poweroff), C(reboot), C(terminate)).
    The API accepts no action while a server is C(starting) or C(stopping), so when the module has
    to act on such a server it first waits for that transition to end, even with O(wait=false).
  - A new server is created C(off), as the API does; use O(state=running) to start it.
options:
  name:
    description:
      - Name of the server.
      - Used to find the server when O(id) is not given, and required to create one.
      - With O(id), a different name renames the server.
    type: str
  id:
    description:
      - Id of an existing server. The API assigns ids, so a server cannot be created with a given id.
    type: str
  state:
    description:
      - V(present) makes sure the server exists with the given settings and leaves its power state alone.
      - V(running) and V(stopped) also power the server on or off (C(poweron), C(poweroff)).
      - V(restarted) always restarts the server, so it always reports a change. It sends C(reboot) to a
        running server and C(poweron) to a server that is off.
      - V(absent) deletes the server. A server that is not off is powered off first, and the module waits for
        that whatever O(wait) says, because the API deletes only a server that is off. Its volumes are
        detached and kept, unless O(delete_volumes=true).
      - Each state takes only the options it uses; another option set to anything but its default fails before
        any request, naming the option and the state, rather than being silently ignored. V(absent) takes
        O(name), O(id), O(organization), O(delete_volumes), O(wait), O(wait_timeout) and O(wait_sleep), and
        refuses O(image), O(commercial_type), O(volumes), O(force), O(tags) and O(purge_tags). Every other state
        takes every option but O(delete_volumes).
    type: str
    default: present
    choices: [present, absent, running, stopped, restarted]
  organization:
    description:
      - Id or name of the organization the server belongs to. A name costs one extra request.
      - May be left out when the token sees exactly one organization.
      - It is where a server is looked up by O(name) and where volume and tag names are resolved.
      - A server cannot move to another organization; an O(id) of a server in another organization fails.
    type: str
  image:
    description:
      - Id of the image (a UUID). The API has no list of images, so the module checks only that this is an
        id; the API decides whether it exists.
      - When omitted, a new server has no image and an existing server keeps its image.
    type: str
  commercial_type:
    description:
      - Commercial type (offer) of the server, such as C(VC1S) or C(VC1M).
      - When omitted, the API chooses for a new server (C(VC1S)) and an existing server keeps its type;
        the module sends and compares this field only when it is set.
    type: str
  volumes:
    description:
      - Names or ids of the volumes to attach, in mount order (the first is C(nbd0), and so on).
      - A name first matches a volume already attached to the server, else the one volume of that name in the
        organization. An unknown volume, a name shared by several volumes, a volume listed twice or a volume
        attached to another server is an error that names this option, before any change.
      - An empty list detaches every volume. When omitted, the volumes are left alone.
      - Not used with O(state=absent) (see O(delete_volumes)).
      - The API changes volumes only while the server is off. Changing them on a running server fails
        unless O(force=true), or O(state=stopped) which stops the server before the change.
    type: list
    elements: str
  force:
    description:
      - Allow changing O(volumes) of a running server. The module powers it off, waits until it is off, changes
        the volumes and powers it on again (with O(state=present) or O(state=running); with
        O(state=restarted) the power-on is the restart).
      - This interrupts whatever runs on the server.
    type: bool
    default: false
  tags:
    description:
      - Names of the tags the server should have.
      - A tag of that name in the server's organization is attached; when there is none, it is created first
        (with the API's default type, C(user)). Two tags of the same name in the organization are an error
        that lists their ids.
      - When omitted, the tags are left alone.
    type: list
    elements: str
  purge_tags:
    description:
      - Detach attached tags that are not listed in O(tags). Detaching does not delete the tag.
      - The C(default) tag that the API attaches to every new server is never detached.
      - Has no effect when O(tags) is omitted.
    type: bool
    default: true
  delete_volumes:
    description:
      - With O(state=absent), delete the server's volumes too, by the C(terminate) action.
      - Only used with O(state=absent); V(true) with another state fails before any request.
      - B(This destroys the data on every volume attached to the server) and cannot be undone.
      - When false, the server is deleted and its volumes are detached and kept.
    type: bool
    default: false
  wait:
    description:
      - Wait until the server reaches the state that O(state) asks for (C(running) or C(off)), or until it is
        gone after a C(terminate).
      - When false, the module returns once the API has accepted the action, with the server as it is then.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds all the waiting of the task may take together.
      - When the time runs out the task fails, says which state the server is in, and reports
        C(changed=true) with the server in the result when it created or changed it.
      - It bounds the whole task, not only the waits for a power state - no request, retry or wait that
        the API asks for (C(Retry-After)) carries the task past it; one that would fails at once, saying so.
      - Must be more than V(0). A task may have to wait for a poweroff whatever O(wait) says (to change
        O(volumes) with O(force=true), or to delete the server), and with no time for it would fail half done;
        V(0) therefore fails before any request. A task that waits for nothing ends within the bounds of its
        requests (O(api_timeout), O(api_retries)) well before this one.
    type: int
    default: 300
  wait_sleep:
    description:
      - Seconds before the first poll of the server while waiting; each later poll waits half as long again,
        up to 10 seconds, to spare the API's rate limit.
    type: float
    default: 1.0
extends_documentation_fragment:
  - scaleway_v1.cloud.scaleway
  - scaleway_v1.cloud.scaleway.attributes
attributes:
  check_mode:
    support: full
    description: Makes no write request; reports the change and the diff that the task would make.
  diff_mode:
    support: full
    description: Shows the name, state, image, commercial type, volume ids, tag names and organization before and after.
notes:
  - A second run with the same options sends only GET requests, one (the server by id, or the list of servers
    with that name), plus one when O(organization) is given by name. Volumes and tags are compared with what the
    server object already contains. The requests of every task (create, update, delete, check mode) are in
    R(What each task costs,ansible_collections.scaleway_v1.cloud.docsite.guide_requests).
  - A create request whose answer is lost is followed by a search for the server by name before anything is sent
    again, so a flaky network never makes a duplicate server. A lost power action is checked the same way
    against the server's state.
seealso:
  - module: scaleway_v1.cloud.scaleway_server_info
  - module: scaleway_v1.cloud.scaleway_volume
author: scaleway_v1.cloud contributors (@scaleway-v1)
"""

EXAMPLES = r"""
- name: Create a volume for the web server
  scaleway_v1.cloud.scaleway_volume:
    name: web-1-data
    size: 20GB

- name: Create the web server with that volume and two tags, and start it
  scaleway_v1.cloud.scaleway_server:
    name: web-1
    image: 3f0c2e1a-7b4d-4c8e-9a61-2d5b8e7f9c10
    commercial_type: VC1S
    volumes:
      - web-1-data
    tags:
      - web
      - production
    state: running
  register: web

- name: Create a worker that stays off; add its tag and keep tags attached by others
  scaleway_v1.cloud.scaleway_server:
    name: worker-1
    tags:
      - worker
    purge_tags: false
    state: stopped
  register: worker

- name: Make sure the worker is off, by id, without waiting for a shutdown to end
  scaleway_v1.cloud.scaleway_server:
    id: "{{ worker.server.id }}"
    state: stopped
    wait: false

- name: Restart the web server on demand and wait up to ten minutes for it to run again
  scaleway_v1.cloud.scaleway_server:
    id: "{{ web.server.id }}"
    state: restarted
    wait_timeout: 600
  # A restart always reports a change: run it when asked, not on every play.
  when: restart_web | default(false) | bool

- name: Delete a retired server and its volumes (this destroys the data on them)
  scaleway_v1.cloud.scaleway_server:
    name: web-0
    state: absent
    delete_volumes: true
"""

RETURN = r"""
server:
  description:
    - The server after the change, as the API returned it; after waiting, as the last poll saw it.
    - V(null) when it is absent, or when check mode would create it.
  returned: always
  type: dict
  sample:
    id: 9c1e4f52-3a7b-4d2e-8f61-0b5a7c3d2e14
    name: web-1
    organization: 5a0b6c7d-1e2f-4a3b-8c4d-5e6f7a8b9c0d
    image: 3f0c2e1a-7b4d-4c8e-9a61-2d5b8e7f9c10
    commercial_type: VC1S
    state: running
    volumes:
      "0":
        id: 1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d
        name: web-1-data
        size: 20000000000
        type: l_ssd
    tags:
      - id: 2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f
        name: default
      - id: 3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a
        name: web
    public_ip:
      address: 203.0.113.10
    private_ip: 10.1.2.3
    creation_date: "2026-01-01T10:00:00.000000Z"
    modification_date: "2026-01-01T10:00:05.000000Z"
  contains:
    id:
      description: Id of the server.
      returned: success
      type: str
    name:
      description: Name of the server.
      returned: success
      type: str
    organization:
      description: Id of the organization that owns the server.
      returned: success
      type: str
    image:
      description: Id of the server's image, or V(null).
      returned: success
      type: str
    commercial_type:
      description: Commercial type of the server.
      returned: success
      type: str
    state:
      description: Power state, one of C(off), C(starting), C(running), C(stopping).
      returned: success
      type: str
    volumes:
      description: The attached volumes keyed by mount position (C("0") is C(nbd0)), each a full volume object.
      returned: success
      type: dict
    tags:
      description: The attached tags, each with C(id) and C(name).
      returned: success
      type: list
      elements: dict
    public_ip:
      description: The public address as C({"address"}), or V(null).
      returned: success
      type: dict
    private_ip:
      description: The private address, or V(null).
      returned: success
      type: str
    creation_date:
      description: When the server was created (ISO 8601, UTC).
      returned: success
      type: str
    modification_date:
      description: When the server was last modified (ISO 8601, UTC).
      returned: success
      type: str
unattributed_copies:
  description: Ids of other servers (or tags it created to attach) of this name that appeared during the create and were left in place, with a warning,
    because this task cannot prove it made them (it deletes only its own); see the reliability guide.
  returned: when a create left such copies
  type: list
  elements: str
diff:
  description: The managed fields before and after the change.
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: Name, state, image, commercial_type, volumes (ids in mount order), tags (sorted names) and
        organization before the task; empty when the server did not exist.
      returned: always
      type: dict
    after:
      description: The same fields after the task (in check mode, as the task would leave them); empty when
        the server is absent.
      returned: always
      type: dict
"""

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.base import ScalewayResourceModule
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.checks import (
    check_id,
    check_number,
    check_state_options,
    check_text,
    check_texts,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.common import dict_changes, same_id
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.creation import create_once
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import (
    UnresolvedReference,
    ambiguity,
    named_settled,
    resolve_reference,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.servers import (
    POWER_TARGETS,
    ServerPower,
    attached_volumes,
    describe,
    new_server_view,
    power_action,
    server_path,
    server_view,
    settled,
    tag_changes,
    tags_after,
    volume_ids,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import SERVER_TAGS, SERVERS, TAGS, VOLUMES

# The options each state has no use for: set to anything but their default, they fail before any request.
_KEEPING = ("delete_volumes",)
UNUSED_OPTIONS = {
    "absent": ("image", "commercial_type", "volumes", "force", "tags", "purge_tags"),
    "present": _KEEPING,
    "running": _KEEPING,
    "stopped": _KEEPING,
    "restarted": _KEEPING,
}


class ScalewayServer(ScalewayResourceModule):
    resource = "server"
    kind = SERVERS
    argument_spec = dict(
        name=dict(type="str"),
        id=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "absent", "running", "stopped", "restarted"]),
        organization=dict(type="str"),
        image=dict(type="str"),
        commercial_type=dict(type="str"),
        volumes=dict(type="list", elements="str"),
        force=dict(type="bool", default=False),
        tags=dict(type="list", elements="str"),
        purge_tags=dict(type="bool", default=True),
        delete_volumes=dict(type="bool", default=False),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=300),
        wait_sleep=dict(type="float", default=1.0),
    )
    module_kwargs = dict(supports_check_mode=True, required_one_of=[("name", "id")])

    def __init__(self, module):
        super(ScalewayServer, self).__init__(module)
        self.created = False
        self.power = None
        # Said after a wait timeout: what the task had not done yet.
        self.pending = None
        self.tags_found = {}
        self.wanted_power = module.params["state"] if module.params["state"] in POWER_TARGETS else None

    def validate(self):
        super(ScalewayServer, self).validate()
        p = self.params
        p["image"] = check_id("image", p["image"], "an image")
        check_text("commercial_type", p["commercial_type"])
        check_texts("tags", p["tags"], "name")
        check_texts("volumes", p["volumes"], "name")
        check_state_options(p, self.argument_spec, UNUSED_OPTIONS)
        # 0 would leave a task no time to wait for a poweroff it sent: refused, never half done.
        check_number("wait_timeout", p["wait_timeout"], 0, inclusive=False)
        check_number("wait_sleep", p["wait_sleep"], 0, inclusive=False)

    def diff_view(self, obj):
        return server_view(obj)

    def execute(self):
        # No retry wait the API asks for (Retry-After) carries the task past its own bound.
        self.client.set_deadline(self.params["wait_timeout"], "wait_timeout")
        super(ScalewayServer, self).execute()

    # -- the steps ----------------------------------------------------------------------------

    def create_body(self):
        p = self.params
        # Tags are attached after the create, but a tag name shared by two tags must fail before it.
        self._find_tags(tag_changes([], p["tags"], p["purge_tags"])[0], self.organization)
        return dict((key, value) for key, value in (
            ("name", p["name"]), ("image", p["image"]), ("commercial_type", p["commercial_type"]),
            ("volumes", self._volume_ids(None, self.organization))) if value is not None)

    def plan_create(self, body):
        # A new server has only the default tag, which purge keeps: nothing to detach.
        to_attach = tag_changes([], self.params["tags"], self.params["purge_tags"])[0]
        return self._plan(new_server_view(body), {}, to_attach, [])

    def create(self):
        self.created = not self.module.check_mode
        super(ScalewayServer, self).create()

    def _update(self):
        p = self.params
        server = self.current
        current_fields = {"name": server.get("name"), "image": server.get("image"),
                          "commercial_type": server.get("commercial_type"), "volumes": volume_ids(server)}
        wanted_fields = {"name": p["name"], "image": p["image"], "commercial_type": p["commercial_type"],
                         "volumes": self._volume_ids(server, server.get("organization"))}
        changes = dict_changes(current_fields, wanted_fields)
        to_attach, to_detach = tag_changes(server.get("tags") or [], p["tags"], p["purge_tags"])
        found_tags = self._find_tags(to_attach, server.get("organization"))
        # Each tag id the API listed goes into a detach URL: checked now, before the first write (and in check mode).
        detach_paths = [SERVER_TAGS.item_path((tag["id"], "tags[].id"), (server["id"], "id")) for tag in to_detach]
        # A server that is stopping only needs the module to wait; a running one needs stopping.
        stop_first = "volumes" in changes and server.get("state") != "off"
        if stop_first and settled(server.get("state")) != "off" and p["state"] != "stopped":
            if not p["force"]:
                self.fail("volumes: %s is %s and the API changes volumes only while a server is off; stop it first "
                          "(state=stopped) or set force=true to stop it, change the volumes and start it again"
                          % (describe(server), server.get("state")))
            self.wanted_power = self.wanted_power or "running"
        action = power_action(server.get("state"), self.wanted_power) if self.wanted_power else None
        changed = bool(changes or to_attach or to_detach or action)
        if self.module.check_mode:
            self.planned_view = self._plan(server_view(server), changes, to_attach, to_detach)
            return changed
        self._carry_out(server, changes, to_attach, found_tags, detach_paths, stop_first)
        # What was done, which differs from the plan when someone else moved the server meanwhile.
        return self.result["changed"]

    def _delete(self):
        if self.module.check_mode:
            return
        power = self._power(self.current)
        if self.params["delete_volumes"]:
            self.pending = "The terminate action was accepted; the API has not finished deleting the server."
            power.terminate(self.params["wait"])
            return
        self.pending = "The server was not deleted: the API deletes only a server that is off."
        power.apply("stopped", wait=True)
        self._track(power.server)
        if self.client.delete(server_path(self.current["id"]), missing_ok=True):
            self._wrote(None)
            return True
        # Another run deleted it meanwhile: changed only when this run stopped it first.
        self._track(None)
        return power.acted

    # -- helpers ------------------------------------------------------------------------------

    def _carry_out(self, server, changes, to_attach, found_tags, detach_paths, stop_first):
        """Apply a plan to an existing server; ``self.result["changed"]`` records each write.

        ``detach_paths`` are the URLs of the tags to detach, built (and so checked) before the first write.
        """
        power = self._power(server)
        if stop_first:
            # The API changes volumes only while the server is off, so this waits whatever `wait` says.
            self.pending = "The volumes were not changed: the API changes them only while the server is off."
            power.apply("stopped", wait=True)
            self._track(power.server)
            self.pending = None
        if changes:
            self._wrote(self.client.update(server_path(server["id"]), "server", changes))
            power.server = self.current
        if to_attach or detach_paths:
            self._change_tags(server["id"], to_attach, found_tags, detach_paths)
        tagged = self.current
        if self.wanted_power:
            power.apply(self.wanted_power, self.params["wait"])
            self._track(power.server)
        if power.acted:
            self.result["changed"] = True
        if (to_attach or detach_paths) and self.current is tagged:
            # The server object still shows the tags from before; one read returns the truth.
            self._track(power.refresh())

    def _change_tags(self, server_id, to_attach, found_tags, detach_paths):
        # The id the task found the server by (its URLs were built before the first write), not an answer's.
        server = self.current
        path = SERVER_TAGS.list_path((server_id, "id"))
        for name in to_attach:
            tag = found_tags.get(name) or self._create_tag(name, server["organization"])
            # Attaching an attached tag answers 200 without a change, so a repeat is safe.
            self.client.call("POST", path, json={"tag_id": tag["id"]}, idempotent=True)
            self._wrote(server)
        for detach_path in detach_paths:
            if self.client.delete(detach_path, missing_ok=True):
                self._wrote(server)

    def _create_tag(self, name, organization):
        tag, wrote = create_once(self.client, TAGS.path, TAGS.singular, TAGS.plural, {"name": name, "organization": organization},
                                 organization, report=self.report_copies)
        self.result["changed"] = self.result["changed"] or wrote
        return tag

    def _find_tags(self, names, organization):
        """The existing tag of each name (None: to be created); a name shared by two tags fails.

        Each name is looked up once per task (create checks them before its POST, then attaches): a
        lookup in every visible organization (no organization given) also answers for each one of them.
        """
        for name in names:
            if (name, organization) not in self.tags_found and (name, None) in self.tags_found:
                anywhere = self.tags_found[(name, None)]
                self.tags_found[(name, organization)] = anywhere if anywhere and same_id(
                    anywhere.get("organization"), organization) else None
            if (name, organization) not in self.tags_found:
                matches = named_settled(self.client, TAGS.path, TAGS.plural, name, organization)
                if len(matches) > 1:
                    raise UnresolvedReference("tags", ambiguity("tags", name, matches))
                self.tags_found[(name, organization)] = matches[0] if matches else None
        return dict((name, self.tags_found[(name, organization)]) for name in names)

    def _volume_ids(self, server, organization):
        """The ids the volumes option names, checked to be attachable; None when it is omitted."""
        references = self.params["volumes"]
        if references is None:
            return None
        attached = attached_volumes(server) if server else []
        ids = []
        for reference in references:
            # Volumes the server already has need no request: a second run stays read-only and cheap.
            mine = [volume for volume in attached if same_id(reference, volume["id"]) or reference == volume.get("name")]
            if len(mine) == 1:
                volume = mine[0]
            else:
                volume = resolve_reference(self.client, VOLUMES.path, VOLUMES.singular, VOLUMES.plural, reference, organization,
                                           option="volumes")
            holder = volume.get("server")
            if holder and (server is None or holder.get("id") != server["id"]):
                self.fail("volumes: volume %r (%s) is attached to server %r (%s); detach it there first"
                          % (volume.get("name"), volume["id"], holder.get("name"), holder.get("id")))
            if volume["id"] in ids:
                self.fail("volumes: volume %r (%s) is listed more than once" % (volume.get("name"), volume["id"]))
            ids.append(volume["id"])
        return ids

    def _power(self, server):
        self.power = ServerPower(self.client, server, self.params["wait_timeout"], self.params["wait_sleep"])
        return self.power

    def _track(self, server):
        """Keep the latest server in the result, so a later failure still reports it."""
        self.current = server
        self.result["server"] = server

    def _wrote(self, server):
        """Record a write the API carried out, and the server it returned (None: it is gone)."""
        self.result["changed"] = True
        self._track(server)

    def fail(self, msg, **extra):
        # An accepted power action is a change even when what follows it fails.
        if self.power is not None and self.power.acted:
            self.result["changed"] = True
        super(ScalewayServer, self).fail(msg, **extra)

    def _plan(self, view, changes, to_attach, to_detach):
        planned = dict(view, **changes)
        planned["tags"] = tags_after(view["tags"], to_attach, to_detach)
        # The state a server is left in: the power target, else the state it is in or heading to.
        planned["state"] = POWER_TARGETS[self.wanted_power] if self.wanted_power else view["state"]
        return planned

    def timeout_message(self, exc):
        server = exc.last
        if server is not None:
            self._track(server)
        msg = "wait_timeout: gave up after %s seconds waiting for %s; its state is now %r." % (
            self.params["wait_timeout"], exc.description, server.get("state") if server else "deleted")
        if self.created:
            msg += " The server was created by this task (it is in the result)."
        if self.pending:
            msg += " " + self.pending
        return msg


def main():
    ScalewayServer.run()


if __name__ == "__main__":
    main()
