# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every module of the collection shares: the connection options, the client,
the result, error reporting, diffs and finding resources by id or name.

A module is a small subclass of ScalewayModule (info modules) or
ScalewayResourceModule (managed resources) and a ``main()`` that calls
``TheClass.run()``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import traceback

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import (
    NOT_THE_API_HINT,
    ScalewayAPIError,
    ScalewayInputError,
    ScalewayWaitTimeout,
    cut_text,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.settings import (
    DEFAULT_API_URL,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.transport import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.checks import check_id, check_text
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.common import same_id
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.connection import client_from_options
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.creation import create_once
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import OfKind
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import (
    UnresolvedReference,
    ambiguity,
    named_settled,
    resolve_organizations,
)

try:
    from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION
except ImportError:  # pragma: no cover
    ANSIBLE_VERSION = "unknown"


def scaleway_argument_spec():
    """The connection options every module takes (documented in the scaleway doc fragment)."""
    return dict(
        api_url=dict(type="str", default=DEFAULT_API_URL, fallback=(env_fallback, ["SCW_API_URL"])),
        # Not required here: the client's own check says where the token can come from (SCW_TOKEN).
        api_token=dict(type="str", no_log=True, fallback=(env_fallback, ["SCW_TOKEN"])),
        api_timeout=dict(type="int", default=DEFAULT_TIMEOUT),
        api_retries=dict(type="int", default=DEFAULT_RETRIES),
        validate_certs=dict(type="bool", default=True),
        ca_path=dict(type="path", fallback=(env_fallback, ["SCW_CA_BUNDLE"])),
    )


class ScalewayModule:
    """Base of every module: the AnsibleModule, the client, the result and its key.

    Subclasses set ``resource`` (the result key), ``argument_spec`` and
    ``module_kwargs`` (AnsibleModule keyword arguments), and implement
    ``validate`` (input checks, before any request) and ``execute``.
    """

    resource = None
    argument_spec = {}
    module_kwargs = {}

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.result = {"changed": False}
        self.client = self._make_client()

    @classmethod
    def build_module(cls):
        spec = scaleway_argument_spec()
        spec.update(copy.deepcopy(cls.argument_spec))
        return AnsibleModule(argument_spec=spec, **cls.module_kwargs)

    def _make_client(self):
        try:
            # The client checks its own settings (and never quotes the token in a message).
            return client_from_options(self.params, self.module.warn, log=self.module.debug,
                                       user_agent_extra="ansible-core/%s" % ANSIBLE_VERSION)
        except ScalewayInputError as exc:
            self.module.fail_json(msg=str(exc))

    # -- entry point ------------------------------------------------------------------------

    @classmethod
    def run(cls):
        module = cls.build_module()
        if not HAS_REQUESTS:
            module.fail_json(msg=missing_required_lib("requests"), exception=str(REQUESTS_IMPORT_ERROR))
        instance = cls(module)
        instance.perform()
        module.exit_json(**instance.result)

    def perform(self):
        """``validate`` then ``execute``; every known failure becomes the module's failure message."""
        try:
            # Input that cannot work is refused before the first request, so nothing is ever half done.
            self.validate()
            self.execute()
        except ScalewayInputError as exc:
            # Bad input, and references that name nothing or several things (UnresolvedReference).
            self.fail(str(exc))
        except ScalewayAPIError as exc:
            self.fail_api(exc)
        except ScalewayWaitTimeout as exc:
            self.fail(self.timeout_message(exc))
        except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
            # The client checks envelopes and list items; a field of another type than the contract's ends here.
            self.fail("an answer of the API did not have the expected shape (%s: %s): %s; if it is, this is a bug of "
                      "scaleway_v1.cloud, please report it with this message" % (
                          type(exc).__name__, cut_text("%s" % exc, 200), NOT_THE_API_HINT % self.client.api_url),
                      exception=self.client.redact(traceback.format_exc()))

    def validate(self):
        """Check the options without asking the API; raise ScalewayInputError naming the option."""

    def execute(self):
        raise NotImplementedError

    def timeout_message(self, exc):
        """What to say when a wait ran out (a hook: the server module says what it had not done)."""
        return str(exc)

    # -- reporting --------------------------------------------------------------------------

    def fail(self, msg, **extra):
        """Fail with what has been done so far (``changed`` and the resource stay in the result)."""
        result = dict(self.result)
        result.update(extra)
        self.module.fail_json(msg=self.client.redact(msg), **result)

    def fail_api(self, exc, context=None):
        msg = str(exc)
        if context:
            msg = "%s: %s" % (context, msg)
        self.fail(msg, api_error=exc.to_dict(), exception=self.client.redact(traceback.format_exc()))

    def report_copies(self, message, ids):
        """Copies of a name that a create left in place (``creation.create_once``): a warning and their ids."""
        self.module.warn(message)
        self.result.setdefault("unattributed_copies", []).extend(ids)

    def set_diff(self, before, after):
        if self.module._diff:
            self.result["diff"] = {"before": before, "after": after}

    # -- finding things ---------------------------------------------------------------------

    def organization_id(self, value, option="organization"):
        """Resolve an organization given by id or name to its id; None stays None.

        A UUID is used as is (no request); a name costs one read of the organizations' summary.
        """
        if value is None:
            return None
        return resolve_organizations(self.client, [value], option)[0]


class ScalewayResourceModule(OfKind, ScalewayModule):
    """A resource the module manages: find it, compare, then create, update or delete it.

    Subclasses declare ``kind`` (their row of resources.py: the list's path,
    the envelope keys ``singular`` and ``plural``), ``owned`` (False for what belongs to no organization) and
    implement ``diff_view`` (the managed fields, for the diff), ``create_body``
    (the POST body; reads only), ``plan_create`` (the diff view a create would
    give, for check mode), ``_update`` (True when something changed) and,
    when a DELETE is not all it takes, ``_delete``. They read
    ``self.module.check_mode`` before every write. ``self.current`` holds the
    object as the API last returned it (None when absent); where it cannot show
    a change made in check mode, ``self.planned_view`` holds the planned view.

    The find-and-create step is here, once: find by ``id`` (checking the
    organization) or else by ``name`` within the organization (more than one
    match fails listing the ids), and create through ``creation.create_once``
    (lost answers and concurrent runs converge on one object). A new object is
    then brought to the wanted state by ``_update``, like an existing one.
    """

    owned = True
    # The list has no name filter (organizations): a None value keeps find_named from adding one.
    list_params = None

    def __init__(self, module):
        super(ScalewayResourceModule, self).__init__(module)
        self.current = None
        self.planned_view = None
        self.organization = None

    def validate(self):
        self.params["id"] = check_id("id", self.params.get("id"), article(self.singular))
        check_text("name", self.params.get("name"))

    def describe(self, obj):
        return "%s %r (%s)" % (self.singular, obj.get("name"), obj.get("id"))

    def object_path(self, ident, source="id"):
        return self.kind.item_path((ident, source))

    def diff_view(self, obj):
        raise NotImplementedError

    def execute(self):
        if self.owned:
            self.organization = self.organization_id(self.params.get("organization"))
        self.current = self.find()
        before = self.diff_view(self.current) if self.current else {}
        if self.params.get("state") == "absent":
            if self.current is not None:
                # False: another run deleted it since it was found (the API answered 404); nothing changed.
                self.result["changed"] = self._delete() is not False
            self.current = None
            after = {}
        else:
            if self.current is None:
                self.create()
            elif self._update():
                self.result["changed"] = True
            after = self._after_view()
        self.result[self.resource] = self.current
        self.set_diff(before, after)

    def _after_view(self):
        if self.planned_view is not None:
            return self.planned_view
        return self.diff_view(self.current) if self.current else {}

    # -- find -----------------------------------------------------------------------------

    def loaded(self, obj):
        """``obj`` as the module works with it (a hook: a tag adds its metadata); called on what is found or made."""
        return obj

    def find(self):
        """The object the task is about, or None; ``id`` wins over ``name``."""
        found = self._find()
        return None if found is None else self.loaded(found)

    def _find(self):
        ident = self.params.get("id")
        if not ident:
            return self.find_named_one(self.params["name"])
        found = self.client.get_or_none(self.object_path(ident), self.singular)
        if found is None and self.params.get("state") != "absent":
            self.fail("id: no %s with id %s is visible to this token; to create one, give name without id "
                      "(the API chooses ids)" % (self.singular, ident))
        if found is not None and self.organization and not same_id(found.get("organization"), self.organization):
            self.fail("organization: %s belongs to organization %s, not %s; a %s cannot move to another "
                      "organization" % (self.describe(found), found.get("organization"), self.organization,
                                        self.singular))
        return found

    def find_named_one(self, name):
        """The one object named exactly ``name`` in the organization, or None; several fail with their ids."""
        matches = named_settled(self.client, self.path, self.plural, name, self.organization, params=self.list_params)
        if len(matches) > 1:
            raise UnresolvedReference("name", ambiguity(self.plural, name, matches, hint="set id to choose one"))
        return matches[0] if matches else None

    # -- create, update, delete -----------------------------------------------------------

    def create(self):
        body = self.create_body()
        if self.organization:
            body.setdefault("organization", self.organization)
        if self.module.check_mode:
            self.planned_view = self.plan_create(body)
            self.result["changed"] = True
            return
        found, wrote = create_once(self.client, self.path, self.singular, self.plural, body, self.organization,
                                   params=self.list_params, report=self.report_copies)
        self.current = self.loaded(found)
        # Kept in the result at once, so that a failure in what follows still reports the object.
        self.result[self.resource] = self.current
        if wrote:
            self.result["changed"] = True
        if self._update():
            self.result["changed"] = True

    def create_body(self):
        raise NotImplementedError

    def plan_create(self, body):
        raise NotImplementedError

    def _update(self):
        raise NotImplementedError

    def _delete(self):
        """Delete ``self.current``: True, or False when the API says it is already gone (never in check mode)."""
        if self.module.check_mode:
            return True
        return self.client.delete(self.object_path(self.current["id"]), missing_ok=True)


def article(noun):
    """``noun`` with its indefinite article, for messages ("an organization", "a volume")."""
    return ("an " if noun[:1] in "aeiou" else "a ") + noun
