# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""scaleway_changes: an ansible-rulebook event source that turns the API's lists into change events.

Every ``interval`` seconds it reads the whole list of each watched resource
through the collection's own client (its retries, timeouts, refused
redirects, token redaction and bounded pagination) and compares it with the
last whole list of that resource. The work is in
``plugins/plugin_utils/changes.py``; this file only runs it off the event
loop and puts the events on the queue. The guide ``guide_events.rst`` says
what each event carries.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
short_description: Events when servers, volumes, tags or containers are created, changed or deleted
description:
  - Polls the list of each resource in O(resources) every O(interval) seconds and emits one event per object
    created, updated or deleted since the last poll whose list was whole.
  - A poll that fails, or whose list changed while it was read, emits nothing about that resource; an outage emits
    one C(unavailable) event when it starts and one C(available) event when it ends. A tag deleted between the
    tag list and the read of its metadata makes that poll's tag list not whole (no event about tags, no outage).
  - A token the API refuses (HTTP 401 or 403) stops the source with an error naming O(api_token).
  - One poll costs the list pages of each resource, ceil(N/500) requests (tags carry their metadata).
options:
  api_url:
    description: The API's URL, ending in C(/v1). Falls back to E(SCW_API_URL).
    type: str
    default: https://api.scaleway.com/v1
  api_token:
    description: The API token. Falls back to E(SCW_TOKEN). It never appears in an event or a log line.
    type: str
  api_timeout:
    description: Seconds each request may take.
    type: float
    default: 30
  api_retries:
    description: Retries of a failed read (429, 5xx, a dropped connection), with backoff.
    type: int
    default: 5
  validate_certs:
    description: Whether to check the API's TLS certificate.
    type: bool
    default: true
  ca_path:
    description: A CA bundle to check the API's certificate with. Falls back to E(SCW_CA_BUNDLE).
    type: path
  resources:
    description: What to watch.
    type: list
    elements: str
    choices: [servers, volumes, tags, containers]
    default: [servers]
  organizations:
    description: Organizations (ids or names) whose objects are watched; all that the token sees when empty.
    type: list
    elements: str
    default: []
  interval:
    description: Seconds between the end of one poll and the start of the next.
    type: float
    default: 30
  emit_existing:
    description:
      - When false, the first whole list of each resource is the baseline and emits nothing.
      - When true, one C(created) event is emitted for each object of that first list.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Configure new servers
  hosts: localhost
  sources:
    - scaleway_v1.cloud.scaleway_changes:
        resources: [servers]
        interval: 30
  rules:
    - name: A server was created
      condition: event.scaleway.change == "created"
      action:
        run_playbook:
          name: configure.yml
"""

import asyncio
import logging
import os
import sys

LOGGER = logging.getLogger("scaleway_v1.cloud.scaleway_changes")


def _collections_root(path):
    """The folder that holds ``ansible_collections`` above ``path``, or None."""
    for candidate in (os.path.abspath(path), os.path.realpath(path)):
        folder = os.path.dirname(candidate)
        while folder != os.path.dirname(folder):
            if os.path.basename(folder) == "ansible_collections":
                return os.path.dirname(folder)
            folder = os.path.dirname(folder)
    return None


def _changes():
    """The collection's plugin_utils.changes, importable also where ansible-rulebook loads this file by its path.

    ansible-rulebook runs a collection's source with runpy, outside Ansible's
    collection loader, so ``ansible_collections`` is importable only when the
    folder above it is on sys.path: add the one this file is installed under.
    """
    try:
        # pylint: disable-next=import-outside-toplevel
        from ansible_collections.scaleway_v1.cloud.plugins.plugin_utils import changes
    except ImportError:
        root = _collections_root(__file__)
        if root is None or root in sys.path:
            raise
        sys.path.append(root)
        # pylint: disable-next=import-outside-toplevel
        from ansible_collections.scaleway_v1.cloud.plugins.plugin_utils import changes
    return changes


async def main(queue, args):
    """Poll every ``interval`` seconds and put each change event on ``queue``, until cancelled."""
    changes = _changes()
    watcher = changes.ChangeWatcher(args, os.environ, log=LOGGER.debug, warn=LOGGER.warning)
    try:
        while True:
            # The client blocks: run it in a thread. Cancelling stops it within one request timeout.
            for event in await asyncio.to_thread(watcher.poll):
                await queue.put(event)
            await asyncio.sleep(watcher.interval)
    finally:
        watcher.close()


if __name__ == "__main__":
    # A test harness, as ansible.eda sources have: print the events of the API that SCW_API_URL and SCW_TOKEN name.
    import json

    class MockQueue:
        """Prints each event as one JSON line."""

        async def put(self, event):
            print(json.dumps(event, sort_keys=True))

    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main(MockQueue(), json.loads(sys.argv[1]) if len(sys.argv) > 1 else {"interval": 5}))
