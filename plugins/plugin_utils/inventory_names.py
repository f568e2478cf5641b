# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which names data from the API may take in an inventory (controller-only: it reads ansible-core's own lists).

The API is untrusted input. A tag's metadata becomes group variables, so a
metadata key must never become a variable that Ansible gives meaning to:
``ansible_*`` (connection, become and shell settings such as
``ansible_ssh_common_args`` or ``ansible_connection``), the names ansible-core
reserves for playbook keywords (``environment``, ``become``, ``omit`` ...), and
the magic variables it sets itself (``hostvars``, ``groups``,
``inventory_hostname``, ``playbook_dir`` ...). Every list is taken from
ansible-core at run time, so a new name of a later release is covered too.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.utils.vars import validate_variable_name
from ansible.vars.reserved import get_reserved_names

# Groups that `ansible-inventory --list` and every inventory already use: a tag group of one of these
# names would merge with them or be hidden (`_meta` is the key of --list's host variables).
RESERVED_GROUPS = ("all", "ungrouped", "_meta")

_INVALID_NAME_CHARS = re.compile(r"^[^A-Za-z_]|[^A-Za-z0-9_]")


def _ansible_variable_names():
    names = set(get_reserved_names())
    names.update(C.INTERNAL_STATIC_VARS)
    for variables in C.MAGIC_VARIABLE_MAPPING.values():
        names.update(variables)
    # The connection plugins' option variables that do not start with ansible_ are inventory_hostname
    # (checked on ansible-core 2.19 and 2.21), which INTERNAL_STATIC_VARS holds.
    return frozenset(name.lower() for name in names)


ANSIBLE_VARIABLE_NAMES = _ansible_variable_names()


def is_ansible_variable(name):
    """Whether ``name`` is a variable that Ansible gives meaning to: ``ansible_*`` or a reserved or magic name.

    Compared without regard to case, so that ``ANSIBLE_CONNECTION`` is refused as well.
    """
    name = ("%s" % (name,)).lower()
    return name.startswith("ansible_") or name in ANSIBLE_VARIABLE_NAMES


def safe_variable_name(key):
    """A metadata key as a variable name: other characters than ASCII letters, digits and _ (and a leading
    digit) become _, the way tag names become group names; None when even that is no valid name."""
    name = _INVALID_NAME_CHARS.sub("_", "%s" % (key,))
    try:
        validate_variable_name(name)
    except AnsibleError:
        return None
    return name
