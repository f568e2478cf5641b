# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Server lifecycle: reading a server's volumes and tags, power actions and waiting for a state.

The API accepts an action only in a stable state (``off`` or ``running``) and
answers it at once (202) while the server moves through ``starting`` or
``stopping``. ServerPower hides that: it waits for a transition in progress to
end before it acts, sends the action with a lookup (so a lost answer never
repeats a power cycle), and waits for the state the action leads to.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import SERVER_ACTIONS, SERVERS

# Each transitional state and the stable state it ends in.
TRANSITIONS = {"starting": "running", "stopping": "off"}

# What the module's state option asks of the power state.
POWER_TARGETS = {"running": "running", "stopped": "off", "restarted": "running"}

# States that show an action was carried out, for a POST whose answer was lost. A reboot
# that has already ended looks like no reboot at all: sending it again is harmless.
_STARTED_BY = {
    "poweron": ("starting", "running"),
    "poweroff": ("stopping", "off"),
    "reboot": ("stopping", "starting"),
    "terminate": ("stopping",),
}


def server_path(server_id, source="id"):
    return SERVERS.item_path((server_id, source))


def attached_volumes(server):
    """A server's volume objects in mount order (the API returns ``{"0": {...}, "1": {...}}``)."""
    volumes = server.get("volumes") or {}
    return [volumes[position] for position in sorted(volumes, key=int)]


def volume_ids(server):
    return [volume["id"] for volume in attached_volumes(server)]


def tag_names(server):
    return sorted(tag["name"] for tag in server.get("tags") or [])


# The tag the API attaches to every new server; purge_tags keeps it.
DEFAULT_TAG = "default"
# What the API gives a new server when commercial_type is not sent (only used to show a planned diff).
DEFAULT_COMMERCIAL_TYPE = "VC1S"


def server_view(server):
    """The managed fields of a server, for the diff."""
    return {
        "name": server.get("name"),
        "state": server.get("state"),
        "image": server.get("image"),
        "commercial_type": server.get("commercial_type"),
        "volumes": volume_ids(server),
        "tags": tag_names(server),
        "organization": server.get("organization"),
    }


def new_server_view(body):
    """The view of the server the API makes from a create ``body``, before the module's other changes."""
    return {"name": body["name"], "state": "off", "image": body.get("image"),
            "commercial_type": body.get("commercial_type", DEFAULT_COMMERCIAL_TYPE),
            "volumes": body.get("volumes", []), "tags": [DEFAULT_TAG], "organization": body.get("organization")}


def tag_changes(attached, wanted, purge):
    """(names to attach, attached tags to detach) that give a server the tags ``wanted``.

    ``attached`` are the server's tag objects; ``wanted`` None leaves the tags alone.
    """
    if wanted is None:
        return [], []
    present = set(tag["name"] for tag in attached)
    to_attach = []
    for name in wanted:
        if name not in present and name not in to_attach:
            to_attach.append(name)
    to_detach = []
    if purge:
        keep = set(wanted) | set([DEFAULT_TAG])
        to_detach = [tag for tag in attached if tag["name"] not in keep]
    return to_attach, to_detach


def tags_after(view_tags, to_attach, to_detach):
    """The sorted tag names of a server once the tag changes are made."""
    names = list(view_tags)
    for tag in to_detach:
        names.remove(tag["name"])
    return sorted(names + to_attach)


def settled(state):
    """The stable state a server in ``state`` is in or on its way to."""
    return TRANSITIONS.get(state, state)


def power_action(state, wanted):
    """The action that takes a server from ``state`` (once any transition ends) to ``wanted``.

    ``wanted`` is a state option value: running, stopped or restarted. None means no
    action: the server is, or is already on its way to, that state.
    """
    state = settled(state)
    if wanted == "restarted":
        return "reboot" if state == "running" else "poweron"
    if wanted == "running" and state == "off":
        return "poweron"
    if wanted == "stopped" and state == "running":
        return "poweroff"
    return None


def describe(server):
    return "server %r (%s)" % (server.get("name"), server.get("id"))


class ServerPower:
    """Power actions on one server and the waits that go with them.

    Every wait of one instance shares a single deadline, ``timeout`` seconds
    from its creation, so ``wait_timeout`` bounds all the waiting of a task.
    ``server`` is always the last state the API reported. A wait that runs out
    raises ScalewayWaitTimeout whose ``last`` is that server (None once gone).
    ``acted`` tells whether the API accepted an action, so a failure after it still
    reports the change.
    """

    def __init__(self, client, server, timeout, interval):
        self.client = client
        self.server = server
        self.path = server_path(server["id"])
        self.action_path = SERVER_ACTIONS.list_path((server["id"], "id"))
        self.deadline = client.clock() + timeout
        self.interval = interval
        self.acted = False

    def refresh(self):
        self.server = self.client.get(self.path, "server")
        return self.server

    def _fetch_or_none(self):
        found = self.client.get_or_none(self.path, "server")
        if found is not None:
            self.server = found
        return found

    def _wait(self, fetch, predicate, goal):
        remaining = max(0.0, self.deadline - self.client.clock())
        return self.client.wait_for(fetch, predicate, remaining, interval=self.interval,
                                    description="%s to %s" % (describe(self.server), goal))

    def wait_state(self, state):
        return self._wait(self.refresh, lambda server: server.get("state") == state, "be %s" % state)

    def settle(self):
        """Wait for a transition in progress to end: the API refuses every action meanwhile."""
        state = self.server.get("state")
        if state in TRANSITIONS:
            # Whatever it ends in: someone else may have sent another action meanwhile.
            self._wait(self.refresh, lambda server: server.get("state") not in TRANSITIONS, "finish %s" % state)
        return self.server

    def act(self, action):
        """POST one action; when its answer is lost, the server's state tells whether it began."""
        def lookup():
            current = self.client.get_or_none(self.path, "server")
            if current is None:
                # Only terminate makes a server disappear; for any other action the next
                # attempt reports the 404.
                return {"gone": True} if action == "terminate" else None
            return current if current.get("state") in _STARTED_BY[action] else None

        self.client.call("POST", self.action_path, json={"action": action}, lookup=lookup)
        self.acted = True

    def apply(self, wanted, wait):
        """Bring the server to the state option ``wanted``; True when an action was sent.

        With ``wait`` false the module still waits for a transition in progress
        when it must act after it, and returns the server as one GET sees it after
        the action.
        """
        target = POWER_TARGETS[wanted]
        action = power_action(self.server.get("state"), wanted)
        if action is None:
            if wait and self.server.get("state") != target:
                self.wait_state(target)
            return False
        if self.server.get("state") in TRANSITIONS:
            self.settle()
            # Someone else may have moved the server meanwhile.
            action = power_action(self.server.get("state"), wanted)
            if action is None:
                return False
        self.act(action)
        if wait:
            self.wait_state(target)
        else:
            self.refresh()
        return True

    def terminate(self, wait):
        """Delete the server and its volumes; with ``wait``, until a GET answers 404."""
        self.settle()
        self.act("terminate")
        if wait:
            self._wait(self._fetch_or_none, lambda server: server is None, "be deleted")
