# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: scaleway
short_description: Scaleway v1 servers as hosts, their tags as groups
version_added: 0.1.0
description:
  - Reads the servers visible to an API token from the Scaleway v1 API and makes each one a host.
  - Each tag becomes a group holding the servers it is attached to, and the tag's metadata becomes
    that group's variables. The automatic C(default) tag is a tag like any other.
  - Every host is in the group named by O(parent_group) and has its server's fields as variables
    under O(vars_prefix).
  - Lists are read 500 items a page. Once the first page tells how many pages there are
    (its C(Link rel="last") header), the other pages are read at the same time, up to O(max_workers)
    requests at once, each worker with its own keep-alive connection. A tag carries its metadata in
    the tag list, so metadata costs no request of its own, except for a tag with more than 100 entries
    (and for every tag when the API sends tags without their C(metadatas), as an older API does, with a
    warning); those reads are made in parallel too. Failed requests are retried like in the modules of
    this collection (O(api_retries)).
  - "A cold run of N servers and T tags therefore sends ceil(N/500) + ceil(T/500) requests (an empty list
    still costs its one page), plus one for the organizations when O(organizations) holds a name; all of them are C(GET)."
  - In the configuration file, O(api_url) and O(api_token) may be Jinja templates, for example a lookup or a
    vaulted variable given with C(-e).
  - If any request still fails, the inventory source fails with an error that names the request;
    a part of the inventory is never presented as the whole. So does a list that is not whole three reads in a
    row (its pages disagree about its total, it lists fewer distinct objects than its total, or objects were
    created while it was read), since servers may have moved between pages.
  - The configuration file must be named C(scaleway.yml) or C(scaleway.yaml), or end in
    C(.scaleway.yml) or C(.scaleway.yaml). A file with another name that names this plugin gives a
    warning that says so, and Ansible reports it as I(could not be verified by inventory plugin).
  - An option of the configuration file that the plugin does not know (a typo such as C(group_prefx)) gives a
    warning that names it and the closest known option.
  - A token the API refuses (HTTP 401 or 403) fails the source with an error that names O(api_token) and
    E(SCW_TOKEN); an API that cannot be reached, or an answer that is not the API's, names O(api_url) and
    E(SCW_API_URL). Each error of the source is one message, printed once by ansible-core (2.19 to 2.21).
  - By default Ansible (C(ansible-playbook) and C(ansible-inventory) alike) only warns about a source that fails and
    goes on without its hosts, so the error ends by saying how to stop instead, unless that is already set
    (C(any_unparsed_is_failed = true) in the C([inventory]) section of C(ansible.cfg), or
    C(ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true)).
  - "Host variables that come from the API hold the values as read:
    C(scaleway_id), C(scaleway_name), C(scaleway_state) (C(off), C(starting), C(running) or C(stopping)),
    C(scaleway_organization) (the organization's id), C(scaleway_image) (an image id or C(None)),
    C(scaleway_commercial_type), C(scaleway_public_ip) and C(scaleway_private_ip) (an address or C(None)),
    C(scaleway_tags) (the names of the server's tags, each once, in the order they were attached),
    C(scaleway_tag_metadata) (the metadata of the server's tags as one dictionary, see O(tag_metadata_hostvar))
    and C(scaleway_volumes) (a list of dictionaries with C(id), C(name), C(size) in bytes and C(type),
    in the order the volumes are mounted: C(nbd0) first).
    With another O(vars_prefix) the names change accordingly."
  - C(ansible_host) is the public address, else the private one (see O(prefer_private_ip)); a
    server with neither has no C(ansible_host), and an address that is not a plain IP address (only hex digits,
    C(.) and C(:); an IPv6 zone id such as C(%eth0) is refused) is not used, with a warning. O(compose) may set it
    to anything else.
  - "A host name is only ever made of letters (of any script), digits, C(_), C(.), C(:) and C(-), with no C(.)
    or C(-) first: Ansible connects to a host without C(ansible_host) by its name, and a name such as
    C(-oProxyCommand=...) could read as an option. A server whose name is not such a name (or that
    O(hostnames) would name so) is named by its id instead, with a warning. Ansible connects to a server
    without an IP address by that name, through your DNS; O(include_filters) with
    C(ansible_host is defined) leaves such servers out."
  - A server or tag whose fields do not have the API's types (a name that is not a string, no id, tags that
    are not objects) fails the source, naming the server or tag, the field and O(api_url).
  - "Data from the API never sets a variable that Ansible gives meaning to: C(ansible_*) (in any case), the names
    ansible-core reserves (such as C(environment), C(become), C(omit)) and its magic variables (such as
    C(hostvars), C(groups), C(inventory_hostname), C(playbook_dir)). See O(tag_metadata_vars) and
    O(allow_metadata_vars)."
author:
  - scaleway_v1.cloud contributors (@scaleway-v1)
requirements:
  - requests >= 2.25.0
extends_documentation_fragment:
  - scaleway_v1.cloud.scaleway
  - scaleway_v1.cloud.scaleway.plugins
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
options:
  plugin:
    description: Marks the file as a configuration of this plugin.
    type: str
    required: true
    choices: [scaleway_v1.cloud.scaleway]
  max_workers:
    description:
      - How many requests are sent at the same time when several pages or several tags' metadata are read.
      - Each worker keeps its own connection. V(1) reads everything one request at a time.
    type: int
    default: 8
  hostnames:
    description:
      - How each host is named, as an ordered list of preferences; the first one that gives a non-empty value wins.
      - V(name), V(id), V(public_ip) and V(private_ip) are the server's fields.
      - Anything else must be a Jinja template, evaluated with the host variables of the server
        (for example V({{ scaleway_name }}.{{ scaleway_organization }}.example.com)). A template that fails
        counts as giving no value, unless O(strict) is set, where it fails the inventory.
      - A server for which no preference gives a value is left out, with a warning that names it.
      - When two servers get the same name, the one created first keeps it and every later one is named
        C(<name>_<server id>), with a warning; the servers are read in the order they were created, so the names
        are stable from one run to the next.
      - A server whose name would be C(localhost), C(127.0.0.1) or C(::1), names that Ansible takes for the controller,
        is named C(<name>_<server id>) too, with a warning.
      - So is a server whose name would be the name of a group that exists when this source is read (C(all),
        C(ungrouped), O(parent_group), or a group of a source read before it), since that group would take its variables.
    type: list
    elements: str
    default: [name]
  prefer_private_ip:
    description: Set C(ansible_host) to the private address when the server has one, else to the public one.
    type: bool
    default: false
  parent_group:
    description:
      - The group that holds every host of this source.
      - An empty string puts the hosts in no parent group (they are still in C(all)).
    type: str
    default: scaleway
  vars_prefix:
    description:
      - Prefix of the host variables that hold the server's fields.
      - It must make valid variable names, for example V(scw_), that Ansible gives no meaning to, so V(ansible_)
        and V("") (which would make C(name) and C(tags), names Ansible reserves) are refused.
    type: str
    default: scaleway_
  tag_groups:
    description:
      - Make a group of each tag, named after the tag with O(group_prefix), holding the servers the tag is attached to.
      - Every tag of the selected organizations becomes a group, even one attached to no server, so a play
        that targets it runs on no host instead of failing to find the group.
      - A name that is not a valid group name is sanitised the standard way (invalid characters become C(_)).
        Several tags whose names give the same group (tag names need not be unique) make one group.
      - A tag whose group name would be C(all), C(ungrouped), C(_meta) (the key of the host variables in
        C(ansible-inventory --list)) or O(parent_group) is named with C(tag_) in front instead (the tag C(all)
        makes the group C(tag_all)), with a warning.
      - A tag whose group name would be the name of a host (of this source, or of a source read before it) is named
        with C(tag_) in front too, with a warning; whichever comes first in the API's lists, as ansible-core looks a name
        up among the groups before the hosts, so a group named like a host would take that host's variables
        (C(ansible_host) included) and give them to every member of the group. A server is always added to its tag
        groups as a host.
    type: bool
    default: true
  group_prefix:
    description: Prefix of the names of the groups made from tags, for example V(tag_).
    type: str
    default: ""
  tag_metadata_vars:
    description:
      - Make each tag's metadata the variables of the tag's group (one variable per metadata key).
      - When several tags make one group, their metadata is merged in the order the tags were created, so for
        a key that several of them set, the value of the most recently created tag wins; a warning names the key
        and the tags.
      - A metadata key that is not a valid variable name is made one the way tag names are made group names,
        characters other than ASCII letters, digits and C(_), and a leading digit, become C(_)
        (C(max-connections) becomes C(max_connections)). A key that still makes no valid name
        (such as C(True)) is left out, with a warning.
      - "A key that would make a variable Ansible gives meaning to is left out, with one warning per tag that names
        the tag and the keys: C(ansible_*) in any case (C(ansible_connection), C(ansible_ssh_common_args),
        C(ansible_become_password) ...), ansible-core's reserved names (C(environment), C(become), C(port),
        C(omit) ...) and its magic variables (C(hostvars), C(groups), C(inventory_hostname), C(playbook_dir) ...).
        Anyone who can write a tag's metadata could otherwise run commands on the controller or move plays onto
        it. To set such variables, use O(compose) (written by you, in the inventory file) or list the keys in
        O(allow_metadata_vars)."
      - Has no effect when O(tag_groups) is off.
    type: bool
    default: true
  tag_metadata_hostvar:
    description:
      - Give each host the variable C(<vars_prefix>tag_metadata) (C(scaleway_tag_metadata) by default), the metadata
        of the server's tags merged into one dictionary, keyed by the API's metadata keys as they are (not sanitised,
        C(max-connections) stays C(max-connections)). O(compose), O(groups), O(keyed_groups) and the filters can use it,
        for example O(keyed_groups) with C(key) set to C(scaleway_tag_metadata.role).
      - The tags are merged in the order they are attached to the server (the order of C(scaleway_tags)); for a key
        that two of them set, the value of the tag attached later wins, without a warning.
      - It is one variable of a fixed name, so no metadata key ever becomes a variable name, and the rules of
        O(tag_metadata_vars) and O(allow_metadata_vars) do not apply to its keys. Its values are data, never
        templated.
      - Needs the tag list, read with the tags' metadata (one request per 500 tags); with O(tag_groups) off, turn this
        off too to save that read.
    type: bool
    default: true
  allow_metadata_vars:
    description:
      - Metadata keys (as variable names, after the sanitising of O(tag_metadata_vars)) that may set a variable Ansible
        gives meaning to, for example V(ansible_user) or V(ansible_port).
      - "This trusts everyone who can write the metadata of a tag that the token sees: each of them can then set these
        variables on every host of the tag's group. Never list connection settings that run commands, such as
        C(ansible_ssh_common_args), C(ansible_ssh_extra_args), C(ansible_connection) or C(ansible_*_executable)."
      - The default, an empty list, lets no such key through. O(compose) is the way to set these variables from
        values you control.
    type: list
    elements: str
    default: []
  organizations:
    description:
      - Only servers (and tags) of these organizations, given by id or by name.
      - An empty list means every organization the token sees.
    type: list
    elements: str
    default: []
  tags:
    description:
      - Only servers that have these tags (by tag name), any or all of them according to O(tags_match).
      - An empty list means servers with or without tags.
    type: list
    elements: str
    default: []
  tags_match:
    description: Whether a server needs O(tags) C(any) one of them or C(all) of them.
    type: str
    choices: [any, all]
    default: any
  states:
    description: Only servers in one of these states. An empty list means every state.
    type: list
    elements: str
    choices: ['off', starting, running, stopping]
    default: []
  include_filters:
    description:
      - Jinja conditions (like a C(when)) evaluated with the host variables of each server;
        when this list is not empty, only servers for which at least one of them is true are kept.
      - Applied after O(organizations), O(tags) and O(states), before O(exclude_filters).
      - A condition that cannot be evaluated fails the inventory with an error that names it and the server.
    type: list
    elements: str
    default: []
  exclude_filters:
    description:
      - Jinja conditions evaluated with the host variables of each server; a server for which any of them
        is true is left out, even when O(include_filters) kept it.
    type: list
    elements: str
    default: []
  cache_fallback:
    description:
      - When the API cannot be read, use the last good cache entry of this inventory file instead of failing, with a
        warning that states how old it is, if it was written at most O(cache_fallback_max_age) seconds ago.
      - The API cannot be read when no answer comes (connection refused, a name that does not resolve, timeouts), when
        it still answers HTTP 429 or 5xx after the retries of O(api_retries), or when a list is not whole (it changed
        while it was read).
      - Never when the API refuses the token (HTTP 401 or 403), for another error answer or an answer that is not the
        API's (a wrong O(api_url)), for an error of the configuration, or when the entry was read from another
        O(api_url) or with another O(api_token) (the entry keeps one hash of both, never either of them), so
        another account's inventory is never shown. The error then says why the cache was not used.
      - Needs O(cache) on and a O(cache_plugin) that keeps data between runs, such as C(ansible.builtin.jsonfile)
        (else the source fails before any request, naming this option). The entry is used even after
        O(cache_timeout), as long as the cache plugin still holds it (C(ansible.builtin.jsonfile) keeps its files
        until the next write).
      - An entry used this way is not written again, so its age keeps growing until the API is read again.
    type: bool
    default: false
  cache_fallback_max_age:
    description:
      - The age, in seconds, of the oldest cache entry that O(cache_fallback) may use.
      - A server deleted, replaced or readdressed since the entry was written is shown as it was, so keep this short
        where addresses are reused.
    type: int
    default: 3600
notes:
  - "With O(cache) on, the servers, tags and metadata read from the API are stored by the cache plugin,
    never the options or the token; a run that finds them in the cache sends no request.
    C(ansible-inventory --flush-cache) or C(meta: refresh_inventory) reads the API again. Each entry also holds
    when it was written and one hash of the O(api_url) and O(api_token) it was read with, for O(cache_fallback)."
  - The host variables that come from the API are not templated, so a server name or a metadata value that
    contains C({{) is kept as it is (C(scaleway_tag_metadata) included).
seealso:
  - name: Scaleway v1 API contract
    description: The API this plugin reads, including pagination.
    link: https://github.com/scaleway-v1/ansible-collection-cloud/tree/main/docs/docsite
"""

EXAMPLES = r"""
# scaleway.yml: every server, named after its name, grouped by tag; the token comes from SCW_TOKEN.
plugin: scaleway_v1.cloud.scaleway

---
# prod.scaleway.yml: running servers of one organization that carry the tag 'web' or 'db'.
plugin: scaleway_v1.cloud.scaleway
api_token: "{{ lookup('ansible.builtin.env', 'SCW_PROD_TOKEN') }}"
organizations:
  - prod
states:
  - running
tags:
  - web
  - db
tags_match: any
group_prefix: tag_
prefer_private_ip: true

---
# Names from a template, falling back to the id; groups by commercial type and state.
plugin: scaleway_v1.cloud.scaleway
hostnames:
  - "{{ scaleway_name }}.{{ scaleway_organization[:8] }}.example.com"
  - id
keyed_groups:
  - key: scaleway_commercial_type
    prefix: type
  - key: scaleway_state
    prefix: state
groups:
  has_public_ip: scaleway_public_ip is not none
compose:
  ansible_user: "'root'"
  datacenter: scaleway_tags | select('match', '^dc-') | first | default('unknown')

---
# Group the servers by the 'role' key of their tags' metadata (role_web, role_db ...), and take a port from it.
plugin: scaleway_v1.cloud.scaleway
keyed_groups:
  - key: scaleway_tag_metadata.role
    prefix: role
compose:
  http_port: scaleway_tag_metadata['http-port'] | default(80) | int

---
# Cache for 5 minutes; when the API cannot be read, use the last good entry if it is at most 2 hours old.
plugin: scaleway_v1.cloud.scaleway
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/ansible-inventory
cache_timeout: 300
cache_fallback: true
cache_fallback_max_age: 7200

---
# Leave out servers named 'tmp-*' and any server without a public address; cache for 10 minutes.
plugin: scaleway_v1.cloud.scaleway
exclude_filters:
  - scaleway_name is match('tmp-')
  - scaleway_public_ip is none
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/ansible-inventory
cache_timeout: 600
"""

import datetime
import difflib
import hashlib
import ipaddress
import re
import time

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable, get_cache_plugin
from ansible.utils.vars import combine_vars, validate_variable_name

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.connection import client_from_options
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import (
    ScalewayAPIError,
    ScalewayInputError,
    cut_text,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.transport import HAS_REQUESTS
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.common import is_uuid
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.lists import ListNotWhole
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import (
    UnresolvedReference,
    resolve_organizations,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import ORGANIZATION_SUMMARY, SERVERS, TAGS
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.servers import attached_volumes
from ansible_collections.scaleway_v1.cloud.plugins.plugin_utils.inventory_fetch import (
    FetchError,
    ParallelFetcher,
    TagMetadata,
    plural,
)
from ansible_collections.scaleway_v1.cloud.plugins.plugin_utils.inventory_names import (
    RESERVED_GROUPS,
    is_ansible_variable,
    safe_variable_name,
)

HOSTNAME_FIELDS = ("name", "id", "public_ip", "private_ip")
# The server fields that become host variables, in the order they are shown.
HOST_FIELDS = ("id", "name", "state", "organization", "image", "commercial_type",
               "public_ip", "private_ip", "tags", "volumes")
# Every host variable named with vars_prefix: the fields, and the merged metadata of the host's tags.
PREFIXED_VARS = HOST_FIELDS + ("tag_metadata",)
# What a tag group whose name is reserved gets in front of it.
RESERVED_GROUP_PREFIX = "tag_"
# The lists an inventory reads; an answer to one of them that is not the API's points at a wrong api_url.
LIST_PATHS = (SERVERS.path, TAGS.path, ORGANIZATION_SUMMARY.path)
# Bumped whenever the cached data changes shape, so an old cache entry is read again from the API.
# 2: the entry carries when it was written and a fingerprint of the api_url and token it was read with (cache_fallback).
CACHE_FORMAT = 2
# How many names a warning lists before it says "and N more".
WARNING_EXAMPLES = 10
_CONFIG_NAME = re.compile(r"(^|\.)scaleway\.ya?ml$")
_NAMES_THIS_PLUGIN = re.compile(r"""^plugin\s*:\s*["']?scaleway_v1\.cloud\.scaleway["']?\s*(#.*)?$""", re.MULTILINE)


# Said at the end of every error of this source (unless any_unparsed_is_failed is already set).
MAKE_FATAL = ("To make an inventory source that fails stop the run instead of going on without its hosts, set "
              "any_unparsed_is_failed = true in the [inventory] section of ansible.cfg (or the environment variable "
              "ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true).")

NOT_THE_API = ("this is not an answer of the Scaleway v1 API: check api_url in the inventory file, or the SCW_API_URL "
               "environment variable when the file does not set it")


def _text(raw, field, what, required=False):
    """``raw[field]``: a string (non-empty when ``required``) or None; anything else is not the API's answer."""
    value = raw.get(field)
    if value is None and not required:
        return None
    if isinstance(value, str) and (value or not required):
        return value
    raise AnsibleError("%s: the API sent %s %s, not a string; %s" % (
        what, field, "nothing" if value is None else cut_text(repr(value), 100), NOT_THE_API))


def _reference(value, field, what, key):
    """A field the API sends as an object or as a plain string (``image``, ``public_ip``): its ``key``, or None."""
    if isinstance(value, dict):
        return _text(value, key, "%s %s" % (what, field))
    return _text({field: value}, field, what)


def normalize_server(raw):
    """The fields of an API server the inventory uses, in plain types (what the cache stores)."""
    server_id = _text(raw, "id", "a server", required=True)
    what = "server %s" % cut_text(server_id, 100)
    try:
        volumes = attached_volumes(raw)
    except (AttributeError, KeyError, TypeError, ValueError):
        raise AnsibleError("server %s: the API sent volumes that are not keyed by mount position (\"0\", \"1\", ...): "
                           "%s" % (describe_server(raw), cut_text(repr(raw.get("volumes")), 200)))
    tags = raw.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(tag, dict) for tag in tags):
        raise AnsibleError("%s: the API sent tags %s, not a list of objects; %s" % (
            what, cut_text(repr(tags), 100), NOT_THE_API))
    return {
        "id": server_id,
        "name": _text(raw, "name", what),
        "state": _text(raw, "state", what),
        "organization": _text(raw, "organization", what),
        "image": _reference(raw.get("image"), "image", what, "id"),
        "commercial_type": _text(raw, "commercial_type", what),
        "public_ip": _reference(raw.get("public_ip"), "public_ip", what, "address"),
        "private_ip": _text(raw, "private_ip", what),
        "tags": [{"id": _text(tag, "id", what + " tag"), "name": _text(tag, "name", what + " tag", required=True)}
                 for tag in tags],
        "volumes": [{"id": volume.get("id"), "name": volume.get("name"), "size": volume.get("size"),
                     "type": volume.get("type")} for volume in volumes if isinstance(volume, dict)],
    }


def normalize_tag(raw):
    tag_id = _text(raw, "id", "a tag", required=True)
    what = "tag %s" % cut_text(tag_id, 100)
    return {"id": tag_id, "name": _text(raw, "name", what, required=True),
            "organization": _text(raw, "organization", what)}


# The characters of an IPv4 or IPv6 address; ipaddress alone also takes an IPv6 zone id, of any text ("::1%a b;c").
_ADDRESS_CHARACTERS = re.compile(r"^[0-9A-Fa-f:.]+$")


def is_ip_address(value):
    """Whether ``value`` is a plain IP address, the only value ansible_host takes: a string of hex digits, dots and
    colons that ipaddress reads, without a zone id or any other character."""
    if not isinstance(value, str) or not _ADDRESS_CHARACTERS.match(value):
        return False
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def unique(values):
    """``values`` without repeats, in their first order."""
    seen = set()
    return [value for value in values if not (value in seen or seen.add(value))]


def summarize(names):
    """'a, b, c' with at most WARNING_EXAMPLES names, then 'and N more'."""
    text = ", ".join(names[:WARNING_EXAMPLES])
    if len(names) > WARNING_EXAMPLES:
        text += " and %d more" % (len(names) - WARNING_EXAMPLES)
    return text


def merged_metadata(tags, metadata):
    """The metadata of ``tags`` (a server's, in the order they are attached) as one dictionary of the API's keys
    and values: for a key that several tags set, the tag attached last wins. ``metadata`` is the cache's
    ``{tag id: [[key, value], ...]}``; a tag it does not hold adds nothing."""
    merged = {}
    for tag in tags:
        for key, value in metadata.get(tag["id"]) or ():
            if isinstance(key, str):
                merged[key] = value
    return merged


def describe_server(server):
    return "%s (%s)" % (server.get("id"), server.get("name"))


def setting_hint(error, api_url):
    """What a newcomer should check after ``error`` (a ScalewayAPIError), naming the setting; '' when unclear or
    when the client's own message already names it (so the message says it once)."""
    status = getattr(error, "status", None)
    text = "%s" % (error,)
    if status in (401, 403):
        if "api_token" in text:
            return ""
        return (" The API did not accept the token: check api_token in the inventory file, or the SCW_TOKEN "
                "environment variable when the file does not set it.")
    if "api_url" in text or (getattr(error, "hint", None) and status is not None):
        # The client already said what to do (the setting to fix, or when to try again).
        return ""
    if status is None:
        return (" No answer came from %s: check api_url in the inventory file, or the SCW_API_URL environment "
                "variable when the file does not set it (it must end in /v1)." % api_url)
    if getattr(error, "path", None) in LIST_PATHS and (status < 400 or status == 404):
        return (" The answer of %s is not the Scaleway v1 API's: check api_url in the inventory file, or the "
                "SCW_API_URL environment variable when the file does not set it (it must end in /v1)." % api_url)
    return ""


def sentence(text):
    """``text`` ending with a full stop."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


# The errors that say a list was not whole (it changed while it was read): the API answered, the estate moved.
# The one place to name such an exception: the shared whole-list rule (module_utils/lists.py) raises ListNotWhole.
LIST_NOT_WHOLE = (ListNotWhole,)


def api_unavailable(error):
    """Whether ``error`` (the cause of a failed read) says the API could not be read for now, as opposed to a
    setting that is wrong, decided by its type and status only: a list that is not whole (LIST_NOT_WHOLE), no
    answer (status None), or 429 or 5xx after the retries. Every other answer is a setting to fix, never a reason to
    use a cache instead: a refused token (401, 403), another 3xx or 4xx, and a 2xx the client could not use (an
    answer that is not the API's: not JSON, no list, a Link header that contradicts the total)."""
    if isinstance(error, LIST_NOT_WHOLE):
        return True
    if not isinstance(error, ScalewayAPIError):
        return False
    return error.status is None or error.status == 429 or error.status >= 500


def describe_age(seconds):
    """'45 s', '12 min', '3 h 5 min', '2 d 3 h'."""
    seconds = int(seconds)
    if seconds < 120:
        return "%d s" % seconds
    minutes = seconds // 60
    if minutes < 120:
        return "%d min" % minutes
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return "%d h %d min" % (hours, minutes)
    days, hours = divmod(hours, 24)
    return "%d d %d h" % (days, hours)


def utc_time(timestamp):
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def source_fingerprint(api_url, api_token):
    """What a cache entry keeps of the api_url and the api_token it was read with: one hash, never either of them.

    The token is hashed under a fixed label, with the URL, so the entry tells neither (and a token is a random
    uuid: its hash cannot be reversed); cache_fallback uses an entry only for the same API and the same token.
    """
    text = "scaleway_v1.cloud inventory cache source\0%s\0%s" % (("%s" % (api_url,)).rstrip("/"), api_token or "")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class InventorySourceError(AnsibleError):
    """An error of this inventory source, printed once.

    ansible-core (2.19 to 2.21) gives an inventory plugin's error the source as its origin and shows it chained
    under its own "Failed to parse inventory with 'auto' plugin." warning; because the two have different source
    contexts, it prints the message twice (a one-line summary, then the chain). This error has no source context
    of its own (the manager's next warning names the file), so the chain collapses into the one line.
    """

    @property
    def _formatted_source_context(self):
        return None

    @_formatted_source_context.setter
    def _formatted_source_context(self, value):
        pass


class ApiUnreadable(AnsibleError):
    """The API could not be read; ``cause`` is the client's error (what cache_fallback decides on), ``detail``
    the failed request and its error as a sentence."""

    def __init__(self, message, cause, detail):
        super(ApiUnreadable, self).__init__(message)
        self.cause = cause
        self.detail = detail


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = "scaleway_v1.cloud.scaleway"

    def verify_file(self, path):
        """Accept scaleway.yml/.yaml and *.scaleway.yml/.yaml; say so when a file of another name names this plugin."""
        if not super(InventoryModule, self).verify_file(path):
            return False
        name = path.replace("\\", "/").rsplit("/", 1)[-1]
        if _CONFIG_NAME.search(name):
            return True
        message = ("%s is not read by %s: its inventory files must be named scaleway.yml or scaleway.yaml, or end in "
                   ".scaleway.yml or .scaleway.yaml" % (path, self.NAME))
        if self._names_this_plugin(path):
            self.display.warning(message + "; rename it, for example to %s.scaleway.yml" % name.split(".", 1)[0])
        else:
            self.display.vvv(message)
        return False

    @staticmethod
    def _names_this_plugin(path):
        """Whether the file's first lines say ``plugin: scaleway_v1.cloud.scaleway`` (a misnamed configuration)."""
        try:
            with open(path, "rb") as handle:
                head = handle.read(8192).decode("utf-8", "replace")
        except (IOError, OSError):
            return False
        return bool(_NAMES_THIS_PLUGIN.search(head))

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache=cache)
        try:
            config = self._read_config_data(path)
            self._warn_unknown_options(path, config)
            self._check_options()
            data = self._data(path, cache)
            organizations = self._organization_ids(data)
            self._populate(data, organizations)
        except AnsibleError as exc:
            if getattr(exc, "obj", None) is not None:
                # An error that points into a file (a YAML error of the configuration): Ansible shows where.
                raise
            # One complete message, shown once, that says how to make it fatal; the cause is in the message.
            message = sentence("%s" % (exc,))
            if not C.config.get_config_value("INVENTORY_ANY_UNPARSED_IS_FAILED"):
                message += " " + MAKE_FATAL
            raise InventorySourceError(message) from None

    # -- options ------------------------------------------------------------------------------

    def _warn_unknown_options(self, path, config):
        """One warning naming the options of the file that this plugin does not know (typos are ignored otherwise)."""
        known = sorted(self._options)
        unknown = sorted("%s" % (key,) for key in config if key not in self._options)
        if not unknown:
            return
        described = []
        for key in unknown:
            close = difflib.get_close_matches(key, known, n=1)
            described.append("%s (did you mean %s?)" % (key, close[0]) if close else key)
        self.display.warning("%s: %s %s unknown to %s and ignored: %s" % (
            path, plural(len(unknown), "the option", "the options"), plural(len(unknown), "is", "are"),
            self.NAME, ", ".join(described)))

    def _check_options(self):
        """Fail on option values the config layer cannot check, naming the option."""
        # api_timeout and api_retries are checked by the client (see _client); max_workers is the plugin's own.
        if self.get_option("max_workers") < 1:
            raise AnsibleError("max_workers must be at least 1, got %r" % (self.get_option("max_workers"),))
        hostnames = self.get_option("hostnames")
        if not hostnames:
            raise AnsibleError("hostnames must hold at least one preference, for example [name]")
        for index, entry in enumerate(hostnames):
            if entry not in HOSTNAME_FIELDS and not self.templar.is_possibly_template(entry):
                raise AnsibleError("hostnames[%d]: %r is not one of %s nor a Jinja template such as "
                                   "'{{ scaleway_name }}.example.com'" % (index, entry, ", ".join(HOSTNAME_FIELDS)))
        prefix = self.get_option("vars_prefix")
        try:
            validate_variable_name(prefix + "id")
        except AnsibleError:
            raise AnsibleError("vars_prefix: %r does not make valid variable names (such as %r); use letters, "
                               "digits and underscores, not starting with a digit" % (prefix, prefix + "id"))
        meaningful = [prefix + field for field in PREFIXED_VARS if is_ansible_variable(prefix + field)]
        if meaningful:
            what = plural(len(meaningful), "a name", "names")
            raise AnsibleError("vars_prefix: %r makes %s, %s that Ansible gives meaning to; use another prefix, such "
                               "as scaleway_" % (prefix, ", ".join(meaningful), what))
        if self.get_option("cache_fallback"):
            if not self.get_option("cache"):
                raise AnsibleError("cache_fallback needs cache: true (and a cache_plugin that keeps data between runs, "
                                   "such as ansible.builtin.jsonfile)")
            if self.get_option("cache_plugin") in ("memory", "ansible.builtin.memory"):
                raise AnsibleError("cache_fallback needs a cache_plugin that keeps data between runs, such as "
                                   "ansible.builtin.jsonfile; %s keeps nothing" % self.get_option("cache_plugin"))
            if self.get_option("cache_fallback_max_age") < 1:
                raise AnsibleError("cache_fallback_max_age must be at least 1 (seconds), got %r"
                                   % (self.get_option("cache_fallback_max_age"),))
        for index, key in enumerate(self.get_option("allow_metadata_vars")):
            try:
                validate_variable_name(key)
            except AnsibleError:
                raise AnsibleError("allow_metadata_vars[%d]: %r is not a variable name" % (index, key))

    def _templated_option(self, name):
        """An option that may be a template (a lookup, a variable given with -e)."""
        self.templar.available_variables = self._vars
        value = self.templar.template(self.get_option(name))
        return value if value is None else "%s" % (value,)

    def _client(self):
        if not HAS_REQUESTS:
            raise AnsibleError("the scaleway_v1.cloud.scaleway inventory plugin needs the Python library 'requests' "
                               "on the controller (pip install requests)")
        api_url = self._templated_option("api_url")
        api_token = self._templated_option("api_token")
        if not api_token:
            raise AnsibleError("api_token is required: set it in the inventory file or in the SCW_TOKEN "
                               "environment variable")
        options = dict((name, self.get_option(name)) for name in ("api_timeout", "api_retries", "validate_certs", "ca_path"))
        options.update(api_url=api_url, api_token=api_token)
        try:
            client = client_from_options(options, self.display.warning, log=self.display.vvvv, user_agent_extra="inventory")
        except ValueError as exc:
            # ScalewayInputError names the option (api_timeout, api_token, ...) and never holds the token.
            raise AnsibleError("%s" % (exc,))
        # Which API and token the data comes from, as a cache entry keeps it (cache_fallback never uses another's).
        self._source = source_fingerprint(client.api_url, api_token)
        return client

    # -- data: from the cache or from the API -------------------------------------------------------

    def _needs(self):
        """Which parts of the API data this configuration uses."""
        groups = self.get_option("tag_groups")
        hostvar = self.get_option("tag_metadata_hostvar")
        return {
            "tags": groups or hostvar,
            "metadata": (groups and self.get_option("tag_metadata_vars")) or hostvar,
            "organizations": any(not is_uuid(entry) for entry in self.get_option("organizations")),
        }

    def _data(self, path, cache):
        """The API data, from the cache when the cache is on, holds it and was not flushed; else read."""
        needs = self._needs()
        use_cache = self.get_option("cache")
        if not use_cache:
            return self._fetch(needs)
        cache_key = self.get_cache_key(path)
        if cache:
            try:
                data = self._cache[cache_key]
            except KeyError:
                data = None
            if self._usable(data, needs):
                return data
        try:
            data = self._fetch(needs)
        except ApiUnreadable as exc:
            if self.get_option("cache_fallback"):
                return self._fallback(cache_key, needs, exc)
            raise
        data["written"] = time.time()
        data["source"] = self._source
        self._cache[cache_key] = data
        return data

    def _fallback(self, cache_key, needs, error):
        """The last good cache entry in place of an API that cannot be read (cache_fallback), with a warning that
        states its age; else ``error`` with the reason the entry was not used. The entry is not written again."""
        if not api_unavailable(error.cause):
            if getattr(error.cause, "status", None) in (401, 403):
                reason = "cache_fallback never uses the cache when the API refuses the token"
            else:
                reason = "cache_fallback uses the cache only when the API cannot be read, not for a setting to fix"
            raise AnsibleError("%s The last good cache was not used: %s." % (error, reason))
        data = self._last_good(cache_key)
        now = time.time()
        written = data.get("written") if isinstance(data, dict) else None
        limit = self.get_option("cache_fallback_max_age")
        if data is None:
            reason = "the cache holds no entry of this inventory file (it was never read with the cache on)"
        elif not self._usable(data, needs) or not isinstance(written, (int, float)):
            reason = ("its entry was written by another version of this plugin, or lacks a part this configuration "
                      "needs")
        elif data.get("source") != self._source:
            reason = "its entry was read from another api_url or with another api_token"
        elif written > now + 60:
            reason = "its entry says it was written at %s, later than now" % utc_time(written)
        elif now - written > limit:
            reason = "its entry was written %s ago (%s), more than cache_fallback_max_age (%d s)" % (
                describe_age(now - written), utc_time(written), limit)
        else:
            self.display.warning(
                "the Scaleway API could not be read, so this inventory is the last good one, written to the cache %s "
                "ago (%s, within cache_fallback_max_age: %d s); servers and tags that changed since are shown as they "
                "were. The error: %s" % (describe_age(max(0, now - written)), utc_time(written), limit, error.detail))
            return data
        raise AnsibleError("%s The last good cache was not used: %s." % (error, reason))

    def _last_good(self, cache_key):
        """The cache entry of this file as the cache plugin holds it, even past cache_timeout; None if none."""
        options = {"_timeout": 0}
        for name, option in (("_uri", "cache_connection"), ("_prefix", "cache_prefix")):
            if self.get_option(option) is not None:
                options[name] = self.get_option(option)
        try:
            return get_cache_plugin(self.get_option("cache_plugin"), **options).get(cache_key)
        except (AnsibleError, KeyError):
            return None

    @staticmethod
    def _usable(data, needs):
        """Whether cached data has the format of this version and every part this configuration needs."""
        if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
            return False
        missing = [part for part, needed in needs.items() if needed and data.get(part) is None]
        return isinstance(data.get("servers"), list) and not missing

    def _fetch(self, needs):
        client = self._client()
        data = {"format": CACHE_FORMAT, "servers": None, "tags": None, "metadata": None, "organizations": None}
        try:
            with ParallelFetcher(client, self.get_option("max_workers")) as fetcher:
                # The first pages of the lists are requested at once. The tag list is completed first, so that
                # the few metadata reads it may need join the queue before the other server pages.
                servers_first = fetcher.page(SERVERS.path, SERVERS.plural)
                tags_first = fetcher.page(TAGS.path, TAGS.plural) if needs["tags"] else None
                organizations = None
                if needs["organizations"]:
                    organizations = fetcher.every_item(ORGANIZATION_SUMMARY.path, ORGANIZATION_SUMMARY.plural)
                metadata = None
                if needs["tags"]:
                    tags = fetcher.list_all(TAGS.path, TAGS.plural, first=tags_first)
                    data["tags"] = [normalize_tag(tag) for tag in tags]
                    if needs["metadata"]:
                        # Each tag carries its metadata; only a tag with more than 100 entries costs a read.
                        metadata = self._tag_metadata(fetcher, tags, client)
                data["servers"] = [normalize_server(server)
                                   for server in fetcher.list_all(SERVERS.path, SERVERS.plural, first=servers_first)]
                if metadata is not None:
                    data["metadata"] = metadata.result()
                if organizations is not None:
                    data["organizations"] = [{"id": org.get("id"), "name": org.get("name")}
                                             for org in organizations.result()]
        except FetchError as exc:
            detail = sentence(client.redact(exc))
            raise ApiUnreadable("the Scaleway inventory could not be read, no host of this source was added. %s%s"
                                % (detail, setting_hint(exc.cause, client.api_url)), exc.cause, detail)
        finally:
            client.close()
        for warning in fetcher.warnings:
            self.display.warning(warning)
        return data

    @staticmethod
    def _tag_metadata(fetcher, tags, client):
        """TagMetadata of ``tags``; a tag id that cannot be one segment of its metadata URL fails the source."""
        try:
            return TagMetadata(fetcher, tags)
        except ScalewayInputError as exc:
            # paths.py refused the id (".." would read another resource): not an answer of the API.
            raise AnsibleError("the metadata of a tag cannot be read: the API sent a tag whose %s is refused in a "
                               "URL: %s; %s" % (exc.option, client.redact(exc.message), NOT_THE_API))

    def _organization_ids(self, data):
        """The ids of the organizations option (names resolved), or None for every organization."""
        wanted = self.get_option("organizations")
        if not wanted:
            return None
        try:
            ids = resolve_organizations(None, wanted, option="organizations", listed=data.get("organizations") or [])
        except UnresolvedReference as exc:
            raise AnsibleError("%s" % (exc,))
        return set(organization_id.lower() for organization_id in ids)

    # -- mapping ------------------------------------------------------------------------------

    def _populate(self, data, organizations):
        parent = self.get_option("parent_group")
        if parent:
            parent = self.inventory.add_group(parent)
        prefix = self.get_option("vars_prefix")
        # Tags are shown by name only; every other field as the cache holds it.
        var_names = [(field, prefix + field) for field in HOST_FIELDS if field != "tags"]
        # ansible-core's set_variable looks a name up among the groups first: a host named like a group (all,
        # ungrouped, parent_group or a group of another source) would give that group its variables.
        hostname_of = HostNames(self, self.get_option("hostnames"), groups=frozenset(self.inventory.groups))
        selected = ServerSelection(self, organizations)
        compose, groups, keyed_groups = (self.get_option(name) for name in ("compose", "groups", "keyed_groups"))
        strict = self.get_option("strict")
        prefer_private = self.get_option("prefer_private_ip")
        metadata_var = prefix + "tag_metadata" if self.get_option("tag_metadata_hostvar") else None
        metadata = data.get("metadata") or {}
        not_addresses = []
        # First every host's name, then the tag groups: a tag group named like a host is renamed whichever
        # comes first in the API's lists, so no host ever loses its variables to a group of its name.
        hosts = []
        for server in data["servers"]:
            if not selected.by_fields(server):
                continue
            hostvars = dict((name, server[field]) for field, name in var_names)
            hostvars[prefix + "tags"] = unique(tag["name"] for tag in server["tags"])
            if metadata_var:
                hostvars[metadata_var] = merged_metadata(server["tags"], metadata)
            address = (server["private_ip"] or server["public_ip"]) if prefer_private \
                else (server["public_ip"] or server["private_ip"])
            if address and is_ip_address(address):
                hostvars["ansible_host"] = address
            elif address:
                # Only an IP address becomes a connection setting: anything else from the API could be an option.
                not_addresses.append(describe_server(server))
            if not selected.by_conditions(server, hostvars):
                continue
            host = hostname_of(server, hostvars)
            if host is not None:
                hosts.append((host, server, hostvars))
        tag_groups = None
        if self.get_option("tag_groups"):
            taken = set(self.inventory.hosts).union(host for host, dummy, dummy in hosts)
            tag_groups = self._tag_groups(data, organizations, parent, taken)
        for host, server, hostvars in hosts:
            self.inventory.add_host(host, group=parent or None)
            for name, value in hostvars.items():
                self.inventory.set_variable(host, name, value)
            if tag_groups is not None:
                for tag in server["tags"]:
                    group = tag_groups.group_of(tag["name"])
                    if group:
                        # add_host, never add_child: add_child takes a name for a group first.
                        self.inventory.add_host(host, group=group)
        # The constructed features cost a templating pass per host: only pay for them when configured. Every
        # host's variables (compose included) are set before the first group is made from a template: a group
        # named from an API value (keyed_groups over tag metadata) that is also a host's name takes the variables
        # set on that name, so no variable is set on a name after the groups exist.
        if compose:
            for host, server, hostvars in hosts:
                self._set_composite_vars(compose, hostvars, host, strict=strict)
        for host, server, hostvars in hosts:
            if groups:
                self._add_host_to_composed_groups(groups, hostvars, host, strict=strict)
            if keyed_groups:
                self._add_host_to_keyed_groups(keyed_groups, hostvars, host, strict=strict)
        if not_addresses:
            self.display.warning("%d %s no ansible_host: the address the API sent is not an IP address: %s" % (
                len(not_addresses), plural(len(not_addresses), "server has", "servers have"),
                summarize(not_addresses)))
        hostname_of.warn()

    def _tag_groups(self, data, organizations, parent, hosts):
        groups = TagGroups(self, self.get_option("group_prefix"), reserved=RESERVED_GROUPS + ((parent,) if parent else ()),
                           allowed=self.get_option("allow_metadata_vars"), hosts=hosts)
        metadata = data.get("metadata") if self.get_option("tag_metadata_vars") else None
        for tag in data["tags"]:
            if organizations is None or (tag["organization"] or "").lower() in organizations:
                groups.add_tag(tag, metadata.get(tag["id"], []) if metadata is not None else [])
        groups.set_vars()
        return groups

    def template_variables(self, hostvars):
        """What templates of the configuration see: the host's variables, and the extra vars when asked."""
        if self.get_option("use_extra_vars"):
            return combine_vars(hostvars, self._vars)
        return hostvars


class ServerSelection:
    """The filters: organizations, states, tags (any/all), then include and exclude conditions."""

    def __init__(self, plugin, organizations):
        self.plugin = plugin
        self.organizations = organizations
        self.states = frozenset(plugin.get_option("states"))
        self.tags = frozenset(plugin.get_option("tags"))
        self.all_tags = plugin.get_option("tags_match") == "all"
        self.include = plugin.get_option("include_filters")
        self.exclude = plugin.get_option("exclude_filters")

    def by_fields(self, server):
        if self.organizations is not None and (server["organization"] or "").lower() not in self.organizations:
            return False
        if self.states and server["state"] not in self.states:
            return False
        if self.tags:
            names = set(tag["name"] for tag in server["tags"])
            if self.all_tags:
                return self.tags <= names
            return bool(self.tags & names)
        return True

    def by_conditions(self, server, hostvars):
        if self.include and not self._any_true("include_filters", self.include, server, hostvars):
            return False
        return not (self.exclude and self._any_true("exclude_filters", self.exclude, server, hostvars))

    def _any_true(self, option, conditions, server, hostvars):
        templar = self.plugin.templar
        templar.available_variables = self.plugin.template_variables(hostvars)
        for index, condition in enumerate(conditions):
            try:
                if templar.evaluate_conditional(condition):
                    return True
            except Exception as exc:
                raise AnsibleError("%s[%d] %r could not be evaluated for server %s: %s"
                                   % (option, index, condition, describe_server(server), exc))
        return False


# A host name the plugin gives: letters (of any script), digits, '_', '.', ':' and '-', with no '.' or '-' first.
SAFE_HOST_NAME = re.compile(r"^[\w:][\w.:-]*\Z")


class HostNames:
    """Names hosts by the hostnames preferences and keeps the names unique; remembers what to warn about.

    A name that Ansible takes for the controller (localhost, 127.0.0.1, ::1) is never given to a server, so
    that no server name can make a play run on the controller: it gets the server id like a duplicate.
    """

    def __init__(self, plugin, preferences, groups=()):
        self.plugin = plugin
        self.preferences = preferences
        self.strict = plugin.get_option("strict")
        self.groups = groups
        self.used = set()
        self.renamed = []
        self.controller_names = []
        self.group_names = []
        self.skipped = []
        self.unsafe = []

    def __call__(self, server, hostvars):
        name = self._preferred(server, hostvars)
        if name is None:
            self.skipped.append(describe_server(server))
            return None
        if not SAFE_HOST_NAME.match(name):
            # Ansible connects to a host without ansible_host by its name: a name the API chose must be one no
            # connection plugin can take for an option or a shell word.
            fallback = server["id"] if SAFE_HOST_NAME.match(server["id"]) else None
            self.unsafe.append("%r -> %s" % (cut_text(name, 60), fallback or "left out (its id is no safe name either)"))
            if fallback is None:
                return None
            name = fallback
        if name in C.LOCALHOST:
            renamed = "%s_%s" % (name, server["id"])
            self.controller_names.append("%s -> %s" % (name, renamed))
            name = renamed
        elif name in self.groups:
            renamed = "%s_%s" % (name, server["id"])
            self.group_names.append("%s -> %s" % (name, renamed))
            name = renamed
        elif name in self.used:
            renamed = "%s_%s" % (name, server["id"])
            self.renamed.append("%s -> %s" % (name, renamed))
            name = renamed
        self.used.add(name)
        return name

    def _preferred(self, server, hostvars):
        for preference in self.preferences:
            if preference in HOSTNAME_FIELDS:
                value = server[preference]
            else:
                value = self._template(preference, server, hostvars)
            if value is not None:
                value = ("%s" % (value,)).strip()
                if value:
                    return value
        return None

    def _template(self, template, server, hostvars):
        templar = self.plugin.templar
        templar.available_variables = self.plugin.template_variables(hostvars)
        try:
            return templar.template(template)
        except Exception as exc:
            if self.strict:
                raise AnsibleError("hostnames: %r could not be evaluated for server %s: %s"
                                   % (template, describe_server(server), exc))
            return None

    def warn(self):
        warn = self.plugin.display.warning
        if self.unsafe:
            count = len(self.unsafe)
            warn("%d %s a name that cannot safely be a host name (letters, digits, '_', '.', ':' and '-', with "
                 "no '.' or '-' first), so %s named by %s id instead: %s" % (
                     count, plural(count, "server has", "servers have"), plural(count, "it is", "they are"),
                     plural(count, "its", "their"), summarize(self.unsafe)))
        if self.skipped:
            count = len(self.skipped)
            warn("%d %s left out because none of the hostnames preferences (%s) gave %s a name: %s"
                 % (count, plural(count, "server was", "servers were"), ", ".join(self.preferences),
                    plural(count, "it", "them"), summarize(self.skipped)))
        if self.renamed:
            count = len(self.renamed)
            warn("%d %s a name that an older server already has, and %s named <name>_<server id>: %s"
                 % (count, plural(count, "server has", "servers have"), plural(count, "was", "were"),
                    summarize(self.renamed)))
        if self.controller_names:
            count = len(self.controller_names)
            warn("%d %s a name that Ansible takes for the controller, and %s named <name>_<server id>: %s"
                 % (count, plural(count, "server has", "servers have"), plural(count, "was", "were"),
                    summarize(self.controller_names)))
        if self.group_names:
            count = len(self.group_names)
            warn("%d %s the name of a group (all, ungrouped, parent_group or a group of another inventory source), "
                 "which would take %s variables, and %s named <name>_<server id>: %s"
                 % (count, plural(count, "server has", "servers have"), plural(count, "its", "their"),
                    plural(count, "was", "were"), summarize(self.group_names)))


class TagGroups:
    """Groups made from tags: names sanitised with a prefix, tags of the same name merged, metadata as vars.

    Metadata keys that would set a variable Ansible gives meaning to (is_ansible_variable) are dropped unless
    listed in ``allowed``, with one warning per tag.
    """

    def __init__(self, plugin, prefix, reserved, allowed=(), hosts=()):
        self.plugin = plugin
        self.prefix = prefix
        self.reserved = reserved
        self.allowed = frozenset(allowed)
        self.hosts = hosts
        self._groups = {}
        self._vars = {}
        self._setters = {}

    def group_of(self, tag_name):
        """The group of a tag name (made on first use); a reserved group name or a host's name gets
        RESERVED_GROUP_PREFIX (ansible-core's set_variable looks a name up among the groups first, so a group
        named like a host would take that host's variables)."""
        try:
            return self._groups[tag_name]
        except KeyError:
            pass
        sanitised = group = self.plugin._sanitize_group_name(self.prefix + tag_name)
        while group in self.reserved or group in self.hosts:
            group = RESERVED_GROUP_PREFIX + group
        if group != sanitised:
            if sanitised in self.hosts:
                why = "%r is the name of a host, whose variables a group of that name would take" % sanitised
            else:
                why = "%r is reserved (all, ungrouped, _meta and parent_group are)" % sanitised
            self.plugin.display.warning("the tag %r makes the group %r: %s; set group_prefix to name every tag "
                                        "group alike" % (tag_name, group, why))
        group = self.plugin.inventory.add_group(group)
        self._groups[tag_name] = group
        return group

    def add_tag(self, tag, metadata):
        """Make the tag's group and merge its metadata (tags come oldest first: a later value wins)."""
        group = self.group_of(tag["name"])
        variables = self._vars.setdefault(group, {})
        setters = self._setters.setdefault(group, {})
        dropped = []
        for key, value in metadata:
            name = safe_variable_name(key)
            if name is None:
                self.plugin.display.warning("tag %s (%s): metadata key %r cannot be made a variable name, so it is "
                                            "not a variable of group %s" % (tag["id"], tag["name"], key, group))
                continue
            if is_ansible_variable(name) and name not in self.allowed:
                dropped.append(key)
                continue
            if name in variables and variables[name] != value:
                self.plugin.display.warning(
                    "group %s: tags %s and %s both set the variable %s; the value of %s, read later, is used"
                    % (group, setters[name], tag["id"], name, tag["id"]))
            variables[name] = value
            setters[name] = tag["id"]
        if dropped:
            many = len(dropped) > 1
            self.plugin.display.warning(
                "tag %s (%s): the metadata %s %s %s of group %s: %s would set %s that Ansible gives meaning to "
                "(ansible_*, reserved and magic variables); set such variables with compose, or list the %s in "
                "allow_metadata_vars to trust everyone who can write this tag"
                % (tag["id"], tag["name"], "keys" if many else "key", ", ".join(repr(key) for key in dropped),
                   "are not variables" if many else "is not a variable", group, "they" if many else "it",
                   "variables" if many else "a variable", "keys" if many else "key"))

    def set_vars(self):
        for group, variables in self._vars.items():
            for key, value in variables.items():
                self.plugin.inventory.set_variable(group, key, value)
