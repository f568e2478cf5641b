# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The base of every ``_info`` module: get by id, else list with the API's filters, then match exactly.

An ``_info`` module declares what it lists and which of its options are the API's
filters or ids; ScalewayInfoModule checks the ids before any request, resolves the
organization, reads the objects, keeps those that match every filter exactly (an
API filter may match loosely, or be ignored by an older API) and returns them
under the plural key. A module adds only its own behaviour, through the hooks.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.base import ScalewayModule
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.checks import check_id
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.common import same_id
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayInputError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import get_or_list
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import OfKind


class ScalewayInfoModule(OfKind, ScalewayModule):
    """A module that reads a list of API objects and changes nothing.

    Class attributes:

    - ``kind``: the resource, a row of resources.py (``VOLUMES``): its list's path,
      the envelope keys ``singular`` and ``plural``; ``plural`` is also the result key.
    - ``filters``: option -> query parameter of the list, for the API's own filters
      (``dict(tags="tag", server="server_id")``). A list option sends its first item.
    - ``exact``: options whose value the object's field of the same name must equal.
    - ``listed_only``: filters the object does not show (so they cannot be checked
      here): with one of them set, an id is looked up in the filtered list.
    - ``id_options``: option -> what it identifies (``dict(id="a volume")``),
      checked to be an id before any request.
    - ``only_with``: option -> the bool option it needs true (a filter of an extra).
    - ``details``: bool option (default false) -> ``(field, method)``: with the
      option true, each returned item gets ``field`` set to ``method(item)``.
    - ``argument_spec``: the options besides those above: an option named in
      ``filters`` or ``id_options`` and not declared here is a string option, one
      named in ``details`` a bool defaulting to false.

    ``self.organization`` is the ``organization`` option resolved to an id (None
    when not set, or when the module has no such option).

    Hooks, in the order ``execute`` calls them: ``candidates()`` (what the API
    gives), ``matches(item)`` (the exact rule), ``with_details(items)`` (the
    items as returned, ``details`` added).
    """

    filters = {}
    exact = ("id", "name", "organization")
    listed_only = ()
    id_options = {}
    only_with = {}
    details = {}
    module_kwargs = dict(supports_check_mode=True)

    def __init_subclass__(cls, **kwargs):
        super(ScalewayInfoModule, cls).__init_subclass__(**kwargs)
        spec = dict((option, dict(type="str")) for option in list(cls.filters) + list(cls.id_options))
        spec.update((option, dict(type="bool", default=False)) for option in cls.details)
        spec.update(cls.argument_spec)
        cls.argument_spec = spec

    def __init__(self, module):
        super(ScalewayInfoModule, self).__init__(module)
        self.organization = None

    def validate(self):
        for option, what in sorted(self.id_options.items()):
            self.params[option] = check_id(option, self.params[option], what)
        for option, needed in sorted(self.only_with.items()):
            if self.params[option] is not None and not self.params[needed]:
                raise ScalewayInputError(option, "needs %s=true" % needed)

    def execute(self):
        self.organization = self.organization_id(self.params.get("organization"))
        items = [item for item in self.candidates() if self.matches(item)]
        self.result[self.plural] = self.with_details(items)

    def filter_value(self, option):
        """What the objects must have for ``option``: its value, or the organization's id; None: no filter."""
        return self.organization if option == "organization" else self.params.get(option)

    def fetch_by_id(self):
        """Whether to GET the object by id (one request) rather than list: an id is set and nothing needs the list."""
        return self.params.get("id") is not None and not any(
            self.filter_value(option) is not None for option in self.listed_only)

    def list_path(self):
        return self.path

    def query(self):
        """The API's own filters that are set, under the list's parameter names."""
        query = {}
        for option, parameter in self.filters.items():
            value = self.filter_value(option)
            if isinstance(value, list):
                # The API filters by one value; matches() checks the others.
                value = value[0] if value else None
            if value is not None:
                query[parameter] = value
        return query

    def candidates(self):
        """The objects the API gives: the one with the id (none on 404), else the filtered list."""
        ident = self.params.get("id") if self.fetch_by_id() else None
        return get_or_list(self.client, self.list_path(), self.singular, self.plural, ident, self.query())

    def matches(self, item):
        """Whether ``item`` has exactly the value of every ``exact`` option that is set (an id in any case)."""
        for option in self.exact:
            wanted = self.filter_value(option)
            if option == "organization" or option in self.id_options:
                if wanted is not None and not same_id(wanted, item.get(option)):
                    return False
            elif wanted not in (None, item.get(option)):
                return False
        return True

    def with_details(self, items):
        """The matching items as the module returns them: each with the ``details`` asked for."""
        for item in items:
            for option, (field, method) in self.details.items():
                if self.params[option]:
                    item[field] = getattr(self, method)(item)
        return items
