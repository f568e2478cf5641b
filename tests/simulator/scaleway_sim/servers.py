"""Servers: their fields, volumes, power actions, sessions and termination."""

import heapq
import uuid

from . import power, sessions
from .addresses import AddressPool
from .errors import bad_request, invalid_state, unknown_resource
from .fields import COMMON_READ_ONLY, NAME, ORGANIZATION, Field, length, validate
from .query import flag
from .records import BY_CREATION, OwnedCollection, OwnedRecord, iso

ACTION_FIELDS = {"action": Field("string", required=True)}


class Server(OwnedRecord):
    __slots__ = ("name", "image", "commercial_type", "volumes", "tags", "default_tag", "public_ip", "private_ip", "steps", "sessions")

    def __init__(self, stamp, organization, values, addresses, now):
        super().__init__(stamp, organization)
        self.name = values["name"]
        self.image = values.get("image")
        self.commercial_type = values.get("commercial_type", "VC1S")
        self.volumes = []
        self.tags = {}
        self.default_tag = None
        self.public_ip, self.private_ip = addresses
        self.steps = power.initial_steps(now)
        self.sessions = {}


def _has_tag_named(server, name):
    return any(tag.name == name for tag in server.tags.values())


class Servers(OwnedCollection):
    singular = "server"
    plural = "servers"
    page_size = 100
    fields = {
        "name": NAME,
        "organization": ORGANIZATION,
        "image": Field("string", nullable=True, checks=(length(1, 255),)),
        "commercial_type": Field("string", checks=(length(1, 64),)),
        "volumes": Field("string_list"),
    }
    read_only = COMMON_READ_ONLY + ("state", "tags", "public_ip", "private_ip")
    aliases = {"organization_id": "organization", "image_id": "image"}
    filters = {
        "name": lambda server, value: server.name == value,
        "image": lambda server, value: server.image == value,
        "ip": lambda server, value: value in (server.public_ip, server.private_ip),
        "tag": _has_tag_named,
    }

    def __init__(self, store):
        super().__init__(store)
        self.addresses = AddressPool()
        # (due time, seq, server id) of terminations waiting for their server to be off
        self.terminations = []

    def state(self, server):
        return power.state_at(server.steps, self.store.now)

    def create(self, user, body):
        values = self.validate(body)
        organization = self.owner(user, values)
        volumes = self._attachable(user, values.get("volumes", []), organization)
        server = self.add(Server(self.store.stamp(), organization, values, self.addresses.allocate(), self.store.now))
        self._mount(server, volumes)
        server.default_tag = self.store.tags.create_default(organization)
        self.store.tags.attach(server, server.default_tag)
        return server

    def update(self, user, ident, body):
        server = self.get(user, ident)
        values = self.validate(body, server)
        if "volumes" in values:
            volumes = self._attachable(user, values["volumes"], server.organization, server)
            if volumes != server.volumes:
                if self.state(server) != "off":
                    raise invalid_state("volumes can change only while the server is off", "volumes")
                self._mount(server, volumes)
                server.touch()
        server.assign(values, ("name", "image", "commercial_type"))
        return server

    def delete(self, user, ident):
        server = self.get(user, ident)
        state = self.state(server)
        if state != "off":
            raise invalid_state(f"server {server.id!r} is {state}; only a server that is off can be deleted")
        self._destroy(server, delete_volumes=False)

    def actions(self, user, ident):
        return list(power.ACTIONS_BY_STATE[self.state(self.get(user, ident))])

    def run_action(self, user, ident, body):
        """Accept a power action and return its task; the steps happen later, one delay apart."""
        server = self.get(user, ident)
        action = validate(body, ACTION_FIELDS, ())["action"]
        if action not in power.PLANS:
            raise bad_request(f"unknown action {action!r}; actions are " + ", ".join(power.PLANS), "action")
        state = self.state(server)
        if action not in power.ACTIONS_BY_STATE[state]:
            raise invalid_state(f"cannot {action} server {server.id!r} while it is {state}", "action")
        now = self.store.now
        if action == "terminate" and state == "off":
            self._destroy(server, delete_volumes=True)
        else:
            server.steps = power.plan(action, now, self.store.transition_delay)
            done = server.steps[-1][1]
            if action == "poweron":
                sessions.open_session(self.store.stamp(), server)
            elif action != "reboot":
                sessions.close_sessions(server, done)
            if action == "terminate":
                heapq.heappush(self.terminations, (done, server.seq, server.id))
            server.touch()
        return {"id": str(uuid.uuid4()), "description": f"server_{action}", "status": "pending", "started_at": iso(now)}

    def settle(self):
        """Delete the terminated servers whose shutdown is over; called before every API request."""
        while self.terminations and self.terminations[0][0] <= self.store.now:
            server = self.items.get(heapq.heappop(self.terminations)[2])
            if server is not None:
                self._destroy(server, delete_volumes=True)

    def list_sessions(self, user, ident, query):
        server = self.get(user, ident)
        active = flag(query, "active")
        found = server.sessions.values()
        if active is None:
            return list(found)
        return [session for session in found if sessions.matches_active(session, active, self.store.now)]

    def get_session(self, user, ident, session_id):
        session = self.get(user, ident).sessions.get(session_id)
        if session is None:
            raise unknown_resource("session", session_id)
        return session

    def serialize_session(self, session):
        return sessions.serialize(session, self.store.now)

    def _attachable(self, user, ids, organization, server=None):
        if len(set(ids)) != len(ids):
            raise bad_request("volumes names a volume more than once", "volumes")
        return [self.store.volumes.attachable(user, ident, organization, server) for ident in ids]

    @staticmethod
    def _mount(server, volumes):
        for volume in server.volumes:
            if volume not in volumes:
                volume.server = None
                volume.touch()
        for volume in volumes:
            if volume.server is not server:
                volume.server = server
                volume.touch()
        server.volumes = volumes

    def _destroy(self, server, delete_volumes):
        """Remove a server: its tags are detached, and its own default tag goes with it unless another server holds it."""
        tags = self.store.tags
        tags.detach_all(server)
        if server.default_tag.id in tags.items and not server.default_tag.servers:
            tags.remove(server.default_tag)
        for volume in server.volumes:
            volume.server = None
            if delete_volumes:
                self.store.volumes.remove(volume)
            else:
                volume.touch()
        self.addresses.release(server.public_ip)
        self.remove(server)

    def serialize(self, record):
        volume = self.store.volumes.serialize
        return {
            "id": record.id,
            "name": record.name,
            "organization": record.organization,
            "image": record.image,
            "commercial_type": record.commercial_type,
            "state": self.state(record),
            "volumes": {str(index): volume(item) for index, item in enumerate(record.volumes)},
            "tags": [{"id": tag.id, "name": tag.name} for tag in sorted(record.tags.values(), key=BY_CREATION)],
            "public_ip": None if record.public_ip is None else {"address": record.public_ip},
            "private_ip": record.private_ip,
            "creation_date": record.creation_date,
            "modification_date": record.modification_date,
        }
