# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: tag_input_errors
short_description: Why tag entries would be refused by scaleway_tag, checked without a request
version_added: 0.1.0
author: scaleway_v1.cloud contributors (@scaleway-v1)
description:
  - Checks each entry of a list of tags (C(name), C(type), C(metadata)) with the same rule as
    M(scaleway_v1.cloud.scaleway_tag) applies before its first request - the API's length limits of the name and
    type, metadata keys of 1 to 128 characters that can be one segment of a URL (not C(.) or C(..)), and values
    that are strings of at most 4096 characters.
  - Returns one message per entry that breaks the rule, naming the entry as C(<option>[<index>].<field>), so that a
    role can refuse a whole list before it sends anything.
options:
  _input:
    description: The tag entries, each a dict with C(name) and, optionally, C(type) and C(metadata).
    type: list
    elements: dict
    required: true
  option:
    description: The name of the variable the entries come from, as the messages name it.
    type: str
    default: tags
seealso:
  - module: scaleway_v1.cloud.scaleway_tag
"""

EXAMPLES = r"""
- name: Refuse tag entries the API would refuse, before any request
  ansible.builtin.assert:
    that: errors | length == 0
    fail_msg: "{{ errors | join('; ') }}"
  vars:
    errors: "{{ my_tags | scaleway_v1.cloud.tag_input_errors('my_tags') }}"
"""

RETURN = r"""
_value:
  description: One message per entry that breaks the rule (empty when every entry is fine).
  type: list
  elements: str
  sample: ["my_tags[0].metadata: the value of key 'http_port' must be a string, got int 80; quote it"]
"""

import json
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.json import AnsibleJSONEncoder

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayInputError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.tags import check_tag_input


def tag_input_errors(entries, option="tags"):
    """The message of each entry of ``entries`` that scaleway_tag would refuse before any request."""
    if not isinstance(entries, (list, tuple)):
        raise AnsibleFilterError("tag_input_errors: %s must be a list, got %s" % (option, type(entries).__name__))
    errors = []
    for index, entry in enumerate(entries):
        where = "%s[%d]" % (option, index)
        if not isinstance(entry, Mapping):
            errors.append("%s: must be a dict, got %s" % (where, type(entry).__name__))
            continue
        # The entry as the module receives it: its arguments travel as JSON, so a key that YAML loaded as a
        # number, a boolean or a date arrives as text, and a date value as its ISO text.
        try:
            tag = json.loads(json.dumps(dict(entry), cls=AnsibleJSONEncoder))
        except (TypeError, ValueError) as exc:
            # Ansible could not send it to the module either (a date as a key, bytes).
            errors.append("%s: cannot be passed to scaleway_tag (%s)" % (where, exc))
            continue
        # As the module's argument spec would make them, the name and type are text.
        for field in ("name", "type"):
            if tag.get(field) is not None:
                tag[field] = "%s" % (tag[field],)
        try:
            check_tag_input(tag, where)
        except ScalewayInputError as exc:
            errors.append(str(exc))
    return errors


class FilterModule(object):
    def filters(self):
        return {"tag_input_errors": tag_input_errors}
