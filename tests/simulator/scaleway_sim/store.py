"""The simulator's state: users and every resource, behind one lock."""

import threading
import time

from .containers import Containers
from .errors import invalid_token
from .objects import Objects
from .organizations import Organizations
from .servers import Servers
from .tags import Tags
from .volumes import Volumes


class User:
    __slots__ = ("token", "org_ids")

    def __init__(self, token, org_ids):
        self.token = token
        self.org_ids = org_ids


class Store:
    """All state. Callers hold `lock` for a whole request and call `begin()` first.

    `now` is the clock for the current request: every state computed during one
    request uses the same instant, so an answer is consistent with itself.
    """

    def __init__(self, fixtures, transition_delay):
        self.lock = threading.RLock()
        self.fixtures = fixtures
        self.initial_delay = transition_delay
        self.reset()

    def reset(self, fixtures=None):
        """Back to the start state; with `fixtures`, those replace the ones loaded before."""
        if fixtures is not None:
            self.fixtures = fixtures
        self.transition_delay = self.initial_delay
        self.now = time.time()
        self._seq = 0
        self._last_time = 0.0
        self.organizations = Organizations(self)
        self.volumes = Volumes(self)
        self.tags = Tags(self)
        self.servers = Servers(self)
        self.containers = Containers(self)
        self.objects = Objects(self)
        self.snapshots = set(self.fixtures.snapshots)
        self.users = {}
        by_name = {}
        for token, names in self.fixtures.users:
            for name in names:
                if name not in by_name:
                    by_name[name] = self.organizations.add_fixture(name)
            self.users[token] = User(token, {by_name[name].id for name in names})

    def begin(self, token):
        """Start a request: fix its clock, finish due terminations, and return the token's user."""
        self.now = time.time()
        self.servers.settle()
        user = self.users.get(token)
        if user is None:
            raise invalid_token()
        return user

    def stamp(self):
        """(seq, time) for a new record; times strictly increase so creation order is also date order."""
        self._seq += 1
        self._last_time = max(time.time(), self._last_time + 1e-6)
        return self._seq, self._last_time

    def owns_resources(self, org_id):
        return any(collection.owns_any(org_id) for collection in (self.servers, self.volumes, self.tags, self.containers))

    def describe(self):
        """Users with their organizations' ids and names, and the snapshot ids: for tests to learn the ids."""
        return {
            "users": [
                {
                    "token": user.token,
                    "organizations": [{"id": org.id, "name": org.name} for org in self.organizations.items.values() if org.id in user.org_ids],
                }
                for user in self.users.values()
            ],
            "snapshots": sorted(self.snapshots),
        }
