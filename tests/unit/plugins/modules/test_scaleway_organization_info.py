# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""scaleway_organization_info: full details or summary, filtered by id or name."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scaleway_v1.cloud.plugins.modules import scaleway_organization_info
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.modules.test_scaleway_tag import (
    ORG,
    OTHER_ID,
    ScriptedApi,
    page,
    run_module,
)


def run(api, **params):
    return run_module(scaleway_organization_info.ScalewayOrganizationInfo, api, params)


def summary(org_id, name):
    return {"id": org_id, "name": name, "level": "basic"}


def test_full_details_by_default():
    full = dict(summary(ORG, "demo"), address_city="Paris")
    api = ScriptedApi([("GET", "/organizations", 200, page("organizations", [full]))])
    failed, result = run(api)
    assert not failed and not result["changed"] and result["organizations"] == [full]


def test_summary_filtered_by_name():
    api = ScriptedApi([("GET", "/organizations/summary", 200,
                        page("organizations", [summary(ORG, "demo"), summary(OTHER_ID, "acme")]))])
    failed, result = run(api, summary=True, name="acme")
    assert result["organizations"] == [summary(OTHER_ID, "acme")]


def test_id_reads_one_organization_and_checks_the_name_too():
    api = ScriptedApi([("GET", "/organizations/%s" % ORG, 200, {"organization": summary(ORG, "demo")})])
    failed, result = run(api, id=ORG, name="other")
    assert not failed and result["organizations"] == []


def test_unknown_id_gives_an_empty_list():
    api = ScriptedApi([("GET", "/organizations/%s" % ORG, 404, {"type": "invalid_request_error", "message": "no"})])
    assert run(api, id=ORG) == (False, {"changed": False, "organizations": []})
