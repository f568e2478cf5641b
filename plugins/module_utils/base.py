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

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import (
    DEFAULT_API_URL,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    ScalewayAPIError,
    ScalewayClient,
    ScalewayInputError,
    ScalewayWaitTimeout,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.common import is_uuid
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import ambiguity_message, find_named

try:
    from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION
except ImportError:  # pragma: no cover
    ANSIBLE_VERSION = "unknown"


def scaleway_argument_spec():
    """The connection options every module takes (documented in the scaleway doc fragment)."""
    return dict(
        api_url=dict(type="str", default=DEFAULT_API_URL, fallback=(env_fallback, ["SCW_API_URL"])),
        api_token=dict(type="str", required=True, no_log=True, fallback=(env_fallback, ["SCW_TOKEN"])),
        api_timeout=dict(type="int", default=DEFAULT_TIMEOUT),
        api_retries=dict(type="int", default=DEFAULT_RETRIES),
        validate_certs=dict(type="bool", default=True),
    )


def is_loopback_url(url):
    host = url.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1]
    if host.startswith("["):
        host = host[1:].split("]", 1)[0]
    else:
        host = host.split(":", 1)[0]
    return host in ("localhost", "::1") or host.startswith("127.")


class ScalewayModule:
    """Base of every module: the AnsibleModule, the client, the result and its key.

    Subclasses set ``resource`` (the result key) and ``module_spec`` (extra
    argument spec and AnsibleModule keyword arguments), and implement ``execute``.
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
        api_url = self.params["api_url"]
        if api_url.startswith("http://") and not is_loopback_url(api_url):
            self.module.warn("api_url %s is plain HTTP: the API token is sent unencrypted" % api_url)
        for option in ("api_timeout", "api_retries"):
            if self.params[option] < (1 if option == "api_timeout" else 0):
                self.module.fail_json(msg="%s must be %s, got %s" % (
                    option, "at least 1" if option == "api_timeout" else "0 or more", self.params[option]))
        try:
            return ScalewayClient(
                api_url=api_url,
                api_token=self.params["api_token"],
                timeout=self.params["api_timeout"],
                retries=self.params["api_retries"],
                validate_certs=self.params["validate_certs"],
                user_agent_extra="ansible-core/%s" % ANSIBLE_VERSION,
                log=self.module.debug,
            )
        except ValueError as exc:
            # The message names the option and never contains its value.
            self.module.fail_json(msg=str(exc))

    # -- entry point ------------------------------------------------------------------------

    @classmethod
    def run(cls):
        module = cls.build_module()
        if not HAS_REQUESTS:
            module.fail_json(msg=missing_required_lib("requests"), exception=str(REQUESTS_IMPORT_ERROR))
        instance = cls(module)
        try:
            # Input that cannot work is refused before the first request, so nothing is ever half done.
            instance.validate()
            instance.execute()
        except ScalewayInputError as exc:
            instance.fail(str(exc))
        except ScalewayAPIError as exc:
            instance.fail_api(exc)
        except ScalewayWaitTimeout as exc:
            instance.fail(str(exc))
        module.exit_json(**instance.result)

    def validate(self):
        """Check the options without asking the API; raise ScalewayInputError naming the option."""

    def execute(self):
        raise NotImplementedError

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

    def set_diff(self, before, after):
        if self.module._diff:
            self.result["diff"] = {"before": before, "after": after}

    # -- finding things ---------------------------------------------------------------------

    def organization_id(self, value, option="organization"):
        """Resolve an organization given by id or name to its id; None stays None.

        A UUID is used as is (no request); a name costs one list of organizations.
        """
        if value is None or is_uuid(value):
            return value
        # The organization list has no name filter.
        matches = find_named(self.client, "/organizations", "organizations", value, params={"name": None})
        if not matches:
            self.fail("%s: no organization named %r is visible to this token" % (option, value))
        if len(matches) > 1:
            self.fail(ambiguity_message(option, "organizations", value, matches))
        return matches[0]["id"]

    def find_one(self, path, key, name, params=None, option="name", describe=None):
        """The one resource of a list whose ``name`` is exactly ``name``, or None.

        ``params`` narrows the list (the API's own filters, e.g. name and
        organization); the exact match is checked here. More than one match
        fails with every id, so the user can pick one with ``id``.
        """
        matches = find_named(self.client, path, key, name, params=params)
        if len(matches) > 1:
            self.fail(ambiguity_message(option, describe or key, name, matches, hint="set id to choose one"))
        return matches[0] if matches else None


class ScalewayResourceModule(ScalewayModule):
    """A resource the module manages: find it, compare, then create, update or delete it.

    Subclasses implement ``_get`` (current object or None), ``_create``,
    ``_update`` (return True when something changed) and ``_delete``, and
    ``diff_view`` (the managed fields of an object, for the diff). They read
    ``self.module.check_mode`` before every write. ``self.current`` holds the
    object as the API last returned it (None when absent). In check mode, where
    ``self.current`` cannot show the change, they set ``self.planned_view`` to
    the diff view the change would produce.
    """

    def __init__(self, module):
        super(ScalewayResourceModule, self).__init__(module)
        self.current = None
        self.planned_view = None

    def diff_view(self, obj):
        raise NotImplementedError

    def execute(self):
        self.current = self._get()
        before = self.diff_view(self.current) if self.current else {}
        state = self.params.get("state") or "present"
        if state == "absent":
            if self.current is not None:
                self._delete()
                self.result["changed"] = True
            after = {}
            self.current = None
        else:
            if self.current is None:
                self._create()
                self.result["changed"] = True
            elif self._update():
                self.result["changed"] = True
            after = self._after_view()
        self.result[self.resource] = self.current
        self.set_diff(before, after)

    def _after_view(self):
        if self.planned_view is not None:
            return self.planned_view
        return self.diff_view(self.current) if self.current else {}

    def _get(self):
        raise NotImplementedError

    def _create(self):
        raise NotImplementedError

    def _update(self):
        raise NotImplementedError

    def _delete(self):
        raise NotImplementedError
