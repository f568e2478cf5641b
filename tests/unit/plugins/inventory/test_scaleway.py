# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The scaleway inventory plugin: from API data to hosts, groups and variables, on a fake client."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re

import pytest
import yaml

from ansible.errors import AnsibleError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader

from ansible_collections.scaleway_v1.cloud.plugins.inventory import scaleway
from ansible_collections.scaleway_v1.cloud.plugins.module_utils import connection
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import ScalewayClient
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayAPIError, ScalewayInputError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import (
    UnresolvedReference,
    resolve_organizations,
)
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.lists import ListNotWhole
from ansible_collections.scaleway_v1.cloud.tests.unit.plugins.fakes import (
    API,
    FAKE_DATE,
    ORG,
    OTHER_ORG,
    TOKEN,
    FakeAPI,
    FakePagingClient,
    FakeSession,
    api_error,
    make_response,
    server,
    tag,
)

PLUGIN = "scaleway_v1.cloud.scaleway"


class RecordingDisplay:
    """Stands in for the plugin's Display: keeps warnings, drops verbose output."""

    def __init__(self):
        self.warnings = []

    def warning(self, message):
        self.warnings.append(message)

    def vvv(self, message, host=None):
        pass

    def vvvv(self, message, host=None):
        pass


class Built:
    def __init__(self, inventory, warnings):
        self.inventory = inventory
        self.warnings = warnings

    @property
    def hosts(self):
        return list(self.inventory.hosts)

    def hostvars(self, host):
        return self.inventory.get_host(host).vars

    def members(self, group):
        return [host.name for host in self.inventory.groups[group].hosts]

    def groupvars(self, group):
        return self.inventory.groups[group].vars

    def has_group(self, group):
        return group in self.inventory.groups


@pytest.fixture
def api(monkeypatch):
    fake = FakeAPI()
    monkeypatch.setattr(connection, "ScalewayClient", lambda **settings: FakePagingClient(fake, **settings))
    monkeypatch.delenv("SCW_TOKEN", raising=False)
    monkeypatch.delenv("SCW_API_URL", raising=False)
    return fake


@pytest.fixture
def build(tmp_path, api):
    """build(config, cache=False, name='scaleway.yml') parses an inventory file holding config."""

    def run(config=None, cache=False, name="scaleway.yml", token=True, before=None):
        document = {"plugin": PLUGIN}
        if token:
            document["api_token"] = TOKEN
        document.update(config or {})
        path = tmp_path / name
        path.write_text(yaml.safe_dump(document))
        plugin = inventory_loader.get(PLUGIN)
        plugin.display = RecordingDisplay()
        inventory = InventoryData()
        if before:
            # What an inventory source read before this one added.
            before(inventory)
        plugin.parse(inventory, DataLoader(), str(path), cache=cache)
        if plugin.get_option("cache"):
            plugin.update_cache_if_changed()
        return Built(inventory, plugin.display.warnings)

    return run


def load(api, servers=(), tags=(), metadata=None, organizations=()):
    api.lists["/servers"] = list(servers)
    api.lists["/tags"] = list(tags)
    api.lists["/organizations/summary"] = list(organizations)
    for tag_id, entries in (metadata or {}).items():
        api.lists["/tags/%s/metadatas" % tag_id] = [{"key": key, "value": value} for key, value in entries]


@pytest.fixture
def estate(api):
    """Two tagged servers, one without tags or addresses, and a tag attached to nothing."""
    web, db, spare = tag("web"), tag("db-servers"), tag("spare")
    defaults = [tag("default", tag_type="server") for dummy in range(3)]
    servers = [
        server("web-1", tags=[web, defaults[0]], public_ip="203.0.113.11", private_ip="10.0.0.11",
               volumes={"1": {"id": "vol-b", "name": "data", "size": 50, "type": "b_ssd", "server": None},
                        "0": {"id": "vol-a", "name": "root", "size": 20, "type": "l_ssd", "server": None}}),
        server("db-1", tags=[db, defaults[1]], state="off", public_ip=None, private_ip="10.0.0.12"),
        server("lonely", state="starting", public_ip=None, private_ip=None, image=None),
    ]
    load(api, servers, [web, db, spare] + defaults,
         metadata={web["id"]: [("http_port", "8080"), ("max-connections", "100")],
                   db["id"]: [("engine", "postgres")]})
    return {"servers": servers, "web": web, "db": db, "spare": spare}


# -- verify_file -------------------------------------------------------------------------------

@pytest.mark.parametrize("name, accepted", [
    ("scaleway.yml", True), ("scaleway.yaml", True), ("prod.scaleway.yml", True), ("a.b.scaleway.yaml", True),
    ("myscaleway.yml", False), ("scaleway.json", False), ("hosts.yml", False), ("scaleway.yml.bak", False),
])
def test_verify_file_accepts_only_scaleway_config_names(tmp_path, name, accepted):
    path = tmp_path / name
    path.write_text("plugin: %s\n" % PLUGIN)
    plugin = inventory_loader.get(PLUGIN)
    plugin.display = RecordingDisplay()
    assert plugin.verify_file(str(path)) is accepted


def test_verify_file_rejects_a_missing_file(tmp_path):
    assert inventory_loader.get(PLUGIN).verify_file(str(tmp_path / "scaleway.yml")) is False


# -- servers as hosts ------------------------------------------------------------------------------

def test_every_server_is_a_host_of_the_parent_group_with_its_fields_as_variables(build, estate):
    built = build()
    assert built.hosts == ["web-1", "db-1", "lonely"]
    assert built.members("scaleway") == ["web-1", "db-1", "lonely"]
    web = estate["servers"][0]
    hostvars = built.hostvars("web-1")
    assert {key: value for key, value in hostvars.items() if key.startswith("scaleway_")} == {
        "scaleway_id": web["id"],
        "scaleway_name": "web-1",
        "scaleway_state": "running",
        "scaleway_organization": ORG,
        "scaleway_image": web["image"],
        "scaleway_commercial_type": "VC1S",
        "scaleway_public_ip": "203.0.113.11",
        "scaleway_private_ip": "10.0.0.11",
        "scaleway_tags": ["web", "default"],
        # The metadata of its tags, keys as the API has them.
        "scaleway_tag_metadata": {"http_port": "8080", "max-connections": "100"},
        # By mount position, nbd0 first, whatever the order of the answer's keys.
        "scaleway_volumes": [{"id": "vol-a", "name": "root", "size": 20, "type": "l_ssd"},
                             {"id": "vol-b", "name": "data", "size": 50, "type": "b_ssd"}],
    }
    assert hostvars["ansible_host"] == "203.0.113.11"
    assert built.warnings == []


def test_ansible_host_falls_back_to_the_private_address_and_is_absent_without_one(build, estate):
    built = build()
    assert built.hostvars("db-1")["ansible_host"] == "10.0.0.12"
    assert built.hostvars("db-1")["scaleway_public_ip"] is None
    assert "ansible_host" not in built.hostvars("lonely")
    assert built.hostvars("lonely")["scaleway_image"] is None


def test_prefer_private_ip(build, estate):
    built = build({"prefer_private_ip": True})
    assert built.hostvars("web-1")["ansible_host"] == "10.0.0.11"
    assert built.hostvars("db-1")["ansible_host"] == "10.0.0.12"


def test_image_given_as_an_object_becomes_its_id(build, api):
    load(api, [dict(server("s"), image={"id": "img-1", "name": "ubuntu"})])
    assert build().hostvars("s")["scaleway_image"] == "img-1"


def test_vars_prefix_and_parent_group_options(build, estate):
    built = build({"vars_prefix": "scw_", "parent_group": "cloud"})
    assert built.hostvars("web-1")["scw_name"] == "web-1"
    assert not any(key.startswith("scaleway_") for key in built.hostvars("web-1"))
    assert built.members("cloud") == ["web-1", "db-1", "lonely"]
    assert not built.has_group("scaleway")


def test_an_empty_parent_group_puts_hosts_in_no_parent_group(build, estate):
    built = build({"parent_group": ""})
    assert built.hosts == ["web-1", "db-1", "lonely"]
    assert not built.has_group("scaleway")


@pytest.mark.parametrize("prefix, names", [
    # name and tags are names ansible-core reserves (playbook keywords); ansible_* are connection settings.
    ("", "name, tags"),
    ("ansible_", "ansible_id, ansible_name, ansible_state"),
    ("Ansible_", "Ansible_id, Ansible_name"),
])
def test_a_vars_prefix_that_makes_names_ansible_gives_meaning_to_is_refused(build, estate, api, prefix, names):
    with pytest.raises(AnsibleError, match=r"vars_prefix: %r makes %s.*names that Ansible gives meaning to"
                                           % (prefix, names)):
        build({"vars_prefix": prefix})
    assert api.calls == []


@pytest.mark.parametrize("prefix", ["9", "a-b", "my prefix "])
def test_a_vars_prefix_that_makes_no_variable_name_is_refused(build, estate, prefix):
    with pytest.raises(AnsibleError, match="vars_prefix: .* does not make valid variable names"):
        build({"vars_prefix": prefix})


# -- tags as groups ---------------------------------------------------------------------------------

def test_each_tag_is_a_group_of_its_servers_with_sanitised_names(build, estate):
    built = build()
    assert built.members("web") == ["web-1"]
    assert built.members("db_servers") == ["db-1"]
    # The automatic tag of every server is a tag like any other; its three copies make one group.
    assert built.members("default") == ["web-1", "db-1"]
    # A tag attached to no server is still a group, so a play that targets it finds no host instead of failing.
    assert built.has_group("spare") and built.members("spare") == []
    assert not built.has_group("lonely")


def test_group_prefix(build, estate):
    built = build({"group_prefix": "tag_"})
    assert built.members("tag_web") == ["web-1"]
    assert built.members("tag_db_servers") == ["db-1"]
    assert not built.has_group("web")


def test_tag_metadata_becomes_group_variables_with_sanitised_names(build, estate):
    built = build()
    assert built.groupvars("web") == {"http_port": "8080", "max_connections": "100"}
    assert built.groupvars("db_servers") == {"engine": "postgres"}
    assert built.groupvars("default") == {}


def test_metadata_values_are_plain_strings_never_templated(build, api):
    web = tag("web")
    load(api, [server("s", tags=[web])], [web], metadata={web["id"]: [("motd", "{{ lookup('env', 'HOME') }}")]})
    assert build().groupvars("web") == {"motd": "{{ lookup('env', 'HOME') }}"}


def test_tags_of_one_name_merge_and_the_later_tag_wins_a_conflict(build, api):
    older, newer = tag("web"), tag("web")
    load(api, [server("a", tags=[older]), server("b", tags=[newer])], [older, newer],
         metadata={older["id"]: [("http_port", "80"), ("team", "blue")],
                   newer["id"]: [("http_port", "8080"), ("team", "blue"), ("zone", "par1")]})
    built = build()
    assert built.members("web") == ["a", "b"]
    assert built.groupvars("web") == {"http_port": "8080", "team": "blue", "zone": "par1"}
    assert built.warnings == ["group web: tags %s and %s both set the variable http_port; the value of %s, read "
                              "later, is used" % (older["id"], newer["id"], newer["id"])]


def test_tags_whose_names_sanitise_alike_merge_into_one_group(build, api):
    dash, dot = tag("front-end"), tag("front.end")
    load(api, [server("a", tags=[dash]), server("b", tags=[dot])], [dash, dot])
    assert build().members("front_end") == ["a", "b"]


def test_a_metadata_key_that_cannot_be_a_variable_is_left_out_with_a_warning(build, api):
    web = tag("web")
    load(api, [server("s", tags=[web])], [web], metadata={web["id"]: [("True", "x"), ("ok", "y")]})
    built = build()
    assert built.groupvars("web") == {"ok": "y"}
    assert built.warnings == ["tag %s (web): metadata key 'True' cannot be made a variable name, so it is not a "
                              "variable of group web" % web["id"]]


@pytest.mark.parametrize("name, config", [
    ("all", {}), ("ungrouped", {}), ("_meta", {}), ("scaleway", {}), ("cloud", {"parent_group": "cloud"}),
])
def test_a_tag_whose_group_is_reserved_gets_a_prefix(build, api, name, config):
    reserved = tag(name)
    load(api, [server("s", tags=[reserved])], [reserved], metadata={reserved["id"]: [("kept", "1")]})
    built = build(config)
    assert built.warnings == ["the tag %r makes the group %r: %r is reserved (all, ungrouped, _meta and parent_group "
                              "are); set group_prefix to name every tag group alike" % (name, "tag_" + name, name)]
    assert built.members("tag_" + name) == ["s"]
    assert built.groupvars("tag_" + name) == {"kept": "1"}
    assert "kept" not in built.inventory.groups["all"].vars
    assert built.hostvars("s")["scaleway_tags"] == [name]
    assert build(dict(config, group_prefix="tag_")).warnings == []


def test_tag_groups_and_tag_metadata_hostvar_off_read_no_tag(build, estate, api):
    built = build({"tag_groups": False, "tag_metadata_hostvar": False})
    assert not built.has_group("web") and not built.has_group("default")
    assert built.hostvars("web-1")["scaleway_tags"] == ["web", "default"]
    assert set(api.paths()) == {"/servers"}


def test_tag_metadata_vars_off_reads_no_metadata(build, estate, api):
    built = build({"tag_metadata_vars": False})
    assert built.members("web") == ["web-1"]
    assert built.groupvars("web") == {}
    assert set(api.paths()) == {"/servers", "/tags"}


def test_a_server_tag_missing_from_the_tag_list_still_makes_a_group(build, api):
    late = tag("late")
    load(api, [server("s", tags=[late])], [])
    assert build().members("late") == ["s"]


def test_a_tag_attached_twice_by_name_is_listed_once(build, api):
    first, second = tag("web"), tag("web")
    load(api, [server("s", tags=[first, second])], [first, second])
    built = build()
    assert built.hostvars("s")["scaleway_tags"] == ["web"]
    assert built.members("web") == ["s"]


# -- hostnames --------------------------------------------------------------------------------------

def test_hostnames_preferences_in_order(build, estate):
    built = build({"hostnames": ["public_ip", "private_ip", "id"]})
    lonely = estate["servers"][2]
    assert built.hosts == ["203.0.113.11", "10.0.0.12", lonely["id"]]


def test_hostnames_template(build, estate):
    built = build({"hostnames": ["{{ scaleway_name }}.{{ scaleway_state }}.example.com"]})
    assert built.hosts == ["web-1.running.example.com", "db-1.off.example.com", "lonely.starting.example.com"]


def test_a_template_that_fails_falls_through_to_the_next_preference(build, estate):
    built = build({"hostnames": ["{{ scaleway_public_ip.replace('.', '-') }}", "name"]})
    # public_ip None: the method call fails for db-1 and lonely, so their names are used.
    assert built.hosts == ["203-0-113-11", "db-1", "lonely"]


def test_a_template_that_gives_none_falls_through_to_the_next_preference(build, estate):
    assert build({"hostnames": ["{{ scaleway_public_ip }}", "id"]}).hosts[0] == "203.0.113.11"
    assert build({"hostnames": ["{{ scaleway_public_ip }}", "name"]}).hosts == ["203.0.113.11", "db-1", "lonely"]


def test_a_template_that_fails_is_an_error_with_strict(build, estate):
    with pytest.raises(AnsibleError, match=r"hostnames: .* could not be evaluated for server .*\(db-1\)"):
        build({"hostnames": ["{{ scaleway_public_ip.replace('.', '-') }}", "name"], "strict": True})


def test_servers_without_a_name_are_left_out_with_one_warning(build, estate):
    built = build({"hostnames": ["public_ip"]})
    assert built.hosts == ["203.0.113.11"]
    db, lonely = estate["servers"][1:]
    assert built.warnings == [
        "2 servers were left out because none of the hostnames preferences (public_ip) gave them a name: "
        "%s (db-1), %s (lonely)" % (db["id"], lonely["id"])]


def test_a_long_list_of_skipped_servers_is_summarised(build, api):
    load(api, [server("s%02d" % index, public_ip=None) for index in range(12)])
    built = build({"hostnames": ["public_ip"]})
    assert built.hosts == []
    assert built.warnings[0].startswith("12 servers were left out")
    assert built.warnings[0].endswith(" and 2 more")


def test_duplicate_names_get_the_server_id_after_the_first(build, api):
    servers = [server("app"), server("app"), server("other"), server("app")]
    load(api, servers)
    built = build()
    second, third = servers[1]["id"], servers[3]["id"]
    assert built.hosts == ["app", "app_%s" % second, "other", "app_%s" % third]
    assert built.hostvars("app_%s" % second)["scaleway_id"] == second
    assert built.warnings == [
        "2 servers have a name that an older server already has, and were named <name>_<server id>: "
        "app -> app_%s, app -> app_%s" % (second, third)]


@pytest.mark.parametrize("entry", ["hostname", "dns_name", "{ scaleway_name }"])
def test_an_unknown_hostnames_entry_is_refused(build, estate, entry):
    with pytest.raises(AnsibleError, match=r"hostnames\[1\]: .* is not one of name, id, public_ip, private_ip nor a "
                                           r"Jinja template"):
        build({"hostnames": ["name", entry]})


def test_an_empty_hostnames_list_is_refused(build, estate):
    with pytest.raises(AnsibleError, match="hostnames must hold at least one preference"):
        build({"hostnames": []})


# -- filters ------------------------------------------------------------------------------------

@pytest.fixture
def two_orgs(api):
    web = tag("web")
    blue = tag("web", organization=OTHER_ORG)
    servers = [
        server("a", tags=[web], state="running"),
        server("b", tags=[blue], state="off", organization=OTHER_ORG),
        server("c", tags=[web, tag("db")], state="off"),
    ]
    load(api, servers, [web, blue], organizations=[{"id": ORG, "name": "prod", "level": "basic"},
                                                   {"id": OTHER_ORG, "name": "lab", "level": "basic"}])
    return servers


def test_organizations_by_id_do_not_read_the_organization_list(build, two_orgs, api):
    built = build({"organizations": [OTHER_ORG.upper()]})
    assert built.hosts == ["b"]
    assert "/organizations/summary" not in api.paths()
    # Tags of other organizations make no group.
    assert built.members("web") == ["b"]


def test_organizations_by_name(build, two_orgs, api):
    assert build({"organizations": ["prod"]}).hosts == ["a", "c"]
    assert "/organizations/summary" in api.paths()


def test_an_unknown_organization_name_is_an_error_that_lists_the_known_ones(build, two_orgs):
    with pytest.raises(AnsibleError, match=r"organizations: no organization named 'qa' is visible to this token "
                                           r"\(visible: lab, prod\)"):
        build({"organizations": ["qa"]})


def test_an_ambiguous_organization_name_is_an_error(build, api):
    load(api, [], [], organizations=[{"id": ORG, "name": "twin"}, {"id": OTHER_ORG, "name": "twin"}])
    with pytest.raises(AnsibleError, match=r"^organizations: 2 organizations are named 'twin' \(ids: %s, %s\); give "
                                           r"the id instead\. %s$" % (ORG, OTHER_ORG, re.escape(scaleway.MAKE_FATAL))):
        build({"organizations": ["twin"]})


def test_states(build, two_orgs):
    assert build({"states": ["off"]}).hosts == ["b", "c"]
    assert build({"states": ["running", "off"]}).hosts == ["a", "b", "c"]


def test_an_unknown_state_is_refused(build, two_orgs):
    with pytest.raises(AnsibleError, match="stopped"):
        build({"states": ["stopped"]})


def test_tags_any_and_all(build, two_orgs):
    assert build({"tags": ["db", "web"]}).hosts == ["a", "b", "c"]
    assert build({"tags": ["db", "web"], "tags_match": "all"}).hosts == ["c"]
    assert build({"tags": ["nothing"]}).hosts == []


def test_include_and_exclude_filters(build, two_orgs):
    built = build({"include_filters": ["scaleway_state == 'off'", "scaleway_name == 'a'"],
                   "exclude_filters": ["'db' in scaleway_tags"]})
    assert built.hosts == ["a", "b"]


def test_filters_see_ansible_host(build, estate):
    assert build({"include_filters": ["ansible_host is defined and ansible_host is match('10\\\\.')"]}).hosts == ["db-1"]


def test_a_filter_that_cannot_be_evaluated_names_itself_and_the_server(build, two_orgs):
    with pytest.raises(AnsibleError, match=r"exclude_filters\[0\] 'no_such_var == 1' could not be evaluated for "
                                           r"server .* \(a\)"):
        build({"exclude_filters": ["no_such_var == 1"]})


# -- constructed features ---------------------------------------------------------------------------

def test_compose_groups_and_keyed_groups(build, estate):
    built = build({
        "compose": {"ansible_host": "scaleway_private_ip", "tag_count": "scaleway_tags | length"},
        "groups": {"reachable": "scaleway_public_ip is not none"},
        "keyed_groups": [{"key": "scaleway_state", "prefix": "state"},
                         {"key": "scaleway_tags", "prefix": "tag", "separator": "-"}],
    })
    assert built.hostvars("web-1")["ansible_host"] == "10.0.0.11"
    assert built.hostvars("web-1")["tag_count"] == 2
    assert built.members("reachable") == ["web-1"]
    assert built.members("state_running") == ["web-1"]
    assert built.members("state_off") == ["db-1"]
    assert built.members("tag_web") == ["web-1"]
    assert built.members("tag_default") == ["web-1", "db-1"]


def test_keyed_groups_without_leading_separator(build, estate):
    built = build({"keyed_groups": [{"key": "scaleway_commercial_type"}], "leading_separator": False})
    assert built.members("VC1S") == ["web-1", "db-1", "lonely"]


def test_compose_sees_group_vars_only_through_hostvars_so_strict_reports_an_undefined_one(build, estate):
    with pytest.raises(AnsibleError, match="Could not set port"):
        build({"compose": {"port": "http_port"}, "strict": True})


# -- connection options -------------------------------------------------------------------------------

def test_connection_options_reach_the_client(build, estate, api):
    build({"api_url": "https://api.example.test/v1/", "api_timeout": 7, "api_retries": 2, "validate_certs": False})
    settings = api.clients[0].settings
    assert settings["api_url"] == "https://api.example.test/v1/"
    assert settings["api_token"] == TOKEN
    assert (settings["timeout"], settings["retries"], settings["validate_certs"]) == (7, 2, False)


def test_token_and_url_from_the_environment(build, estate, api, monkeypatch):
    monkeypatch.setenv("SCW_TOKEN", "from-env-token")
    monkeypatch.setenv("SCW_API_URL", "http://127.0.0.1:9/v1")
    build(token=False)
    assert api.clients[0].settings["api_token"] == "from-env-token"
    assert api.clients[0].settings["api_url"] == "http://127.0.0.1:9/v1"


def test_token_and_url_may_be_templates(build, estate, api):
    build({"api_token": "{{ 'tok-' ~ 'templated' }}", "api_url": "{{ 'https://api.example.test' }}/v1"})
    assert api.clients[0].settings["api_token"] == "tok-templated"
    assert api.clients[0].settings["api_url"] == "https://api.example.test/v1"


def test_a_missing_token_is_an_error(build, estate, api):
    with pytest.raises(AnsibleError, match="api_token is required: set it in the inventory file or in the SCW_TOKEN"):
        build(token=False)
    assert api.calls == []


def test_plain_http_to_a_remote_host_warns(build, estate):
    assert build({"api_url": "http://api.example.test/v1"}).warnings == [
        "api_url http://api.example.test/v1 is plain HTTP: the API token is sent unencrypted"]
    assert build({"api_url": "http://127.0.0.1:8080/v1"}).warnings == []


def test_max_workers_below_one_is_refused(build, estate, api):
    with pytest.raises(AnsibleError, match="max_workers must be at least 1, got 0"):
        build({"max_workers": 0})
    assert api.calls == []


def test_an_input_error_of_the_client_is_an_ansible_error_with_its_message(build, estate, api, monkeypatch):
    def refuse(**settings):
        raise ScalewayInputError("api_timeout", "must be at least 1, got %r" % settings["timeout"])

    monkeypatch.setattr(connection, "ScalewayClient", refuse)
    with pytest.raises(AnsibleError, match=r"^api_timeout: must be at least 1, got 0\. %s$" % re.escape(scaleway.MAKE_FATAL)):
        build({"api_timeout": 0})
    assert api.calls == []


def test_a_token_the_client_refuses_is_an_error_without_the_token(build, estate, api, monkeypatch):
    # The real client constructor checks the token before anything is sent.
    monkeypatch.setattr(connection, "ScalewayClient", ScalewayClient)
    with pytest.raises(AnsibleError) as caught:
        build({"api_token": "tok secret\nvalue"})
    assert "api_token" in str(caught.value) and "secret" not in str(caught.value)


def _client_checks(**settings):
    try:
        ScalewayClient(api_url="https://api.example.test/v1", api_token="x" * 8, **settings).close()
    except ValueError:
        return True
    return False


@pytest.mark.skipif(not _client_checks(timeout=0), reason="this ScalewayClient does not check api_timeout yet")
@pytest.mark.parametrize("option, value", [("api_timeout", 0), ("api_retries", -1)])
def test_out_of_range_connection_numbers_are_refused_by_the_client(build, estate, api, monkeypatch, option, value):
    def checked(**settings):
        ScalewayClient(**settings).close()
        return FakePagingClient(api, **settings)

    monkeypatch.setattr(connection, "ScalewayClient", checked)
    with pytest.raises(AnsibleError, match="^%s: " % option):
        build({option: value})
    assert api.calls == []


# -- fetching ------------------------------------------------------------------------------------

def test_pages_are_read_in_parallel_and_the_order_is_kept(build, api):
    tags = [tag("t%02d" % index) for index in range(3)]
    servers = [server("s%04d" % index, tags=[tags[index % 3]]) for index in range(1201)]
    load(api, servers, tags, metadata=dict((t["id"], [("n", t["name"])]) for t in tags))
    built = build({"max_workers": 4})
    assert built.hosts == ["s%04d" % index for index in range(1201)]
    assert sorted(api.pages_of("/servers")) == [1, 2, 3]
    assert set(call[2] for call in api.calls) == {500}
    # The tags carry their metadata: no request of their own.
    assert [path for path in api.paths() if path.endswith("/metadatas")] == []
    assert built.groupvars("t01") == {"n": "t01"}
    assert 1 <= len(api.threads) <= 4
    assert all(client.closed for client in api.clients)


def test_a_failed_request_fails_the_whole_inventory_and_names_the_request(build, api):
    load(api, [server("s%04d" % index) for index in range(1001)])
    api.failures[("/servers", 3)] = api_error("/servers", message="try again later (token %s)" % TOKEN)
    inventory_hosts = []
    with pytest.raises(AnsibleError) as caught:
        inventory_hosts = build().hosts
    message = str(caught.value)
    assert message.startswith("the Scaleway inventory could not be read, no host of this source was added. "
                              "GET /servers?limit=500&page=3: GET /servers failed with HTTP 503")
    assert TOKEN not in message and "********" in message
    assert inventory_hosts == []


def test_a_failed_metadata_read_fails_the_inventory(build, estate, api):
    api.embed_metadata = False
    path = "/tags/%s/metadatas" % estate["db"]["id"]
    api.failures[(path, 1)] = api_error(path, status=500)
    with pytest.raises(AnsibleError, match="GET %s: GET %s failed with HTTP 500" % (path, path)):
        build()


# -- cache --------------------------------------------------------------------------------------

@pytest.fixture
def cache_config(tmp_path):
    return {"cache": True, "cache_plugin": "ansible.builtin.jsonfile", "cache_connection": str(tmp_path / "cache")}


def cache_files(config):
    folder = config["cache_connection"]
    return [os.path.join(folder, name) for name in os.listdir(folder)]


def test_a_cached_run_sends_no_request_and_gives_the_same_inventory(build, estate, api, cache_config):
    first = build(cache_config, cache=True)
    requests = len(api.calls)
    assert requests > 0
    second = build(cache_config, cache=True)
    assert len(api.calls) == requests
    assert second.hosts == first.hosts
    assert second.hostvars("web-1") == first.hostvars("web-1")
    assert second.groupvars("web") == first.groupvars("web")
    assert second.members("default") == first.members("default")


def test_the_cache_holds_api_data_and_no_option_or_token(build, estate, cache_config):
    build(dict(cache_config, api_url="https://api.example.test/v1"), cache=True)
    (path,) = cache_files(cache_config)
    with open(path) as handle:
        text = handle.read()
    assert TOKEN not in text and "api.example.test" not in text
    data = json.loads(json.loads(text)["__payload__"]) if "__payload__" in text else json.loads(text)
    assert sorted(data) == ["format", "metadata", "organizations", "servers", "source", "tags", "written"]
    # What is kept of the api_url and the token (for cache_fallback) is one hash.
    assert data["source"] == scaleway.source_fingerprint("https://api.example.test/v1", TOKEN)
    assert data["source"] != scaleway.source_fingerprint("https://api.example.test/v1", "another-token")
    assert [entry["name"] for entry in data["servers"]] == ["web-1", "db-1", "lonely"]


def test_a_cached_run_needs_no_token(build, estate, api, cache_config):
    build(cache_config, cache=True)
    assert build(cache_config, cache=True, token=False).hosts == ["web-1", "db-1", "lonely"]
    with pytest.raises(AnsibleError, match="api_token is required"):
        build(cache_config, cache=False, token=False)


def test_a_flushed_cache_reads_the_api_again(build, estate, api, cache_config):
    build(cache_config, cache=True)
    requests = len(api.calls)
    build(cache_config, cache=False)
    assert len(api.calls) == 2 * requests


def test_a_cache_without_a_part_the_configuration_needs_is_read_again(build, estate, api, cache_config):
    build(dict(cache_config, tag_groups=False, tag_metadata_hostvar=False), cache=True)
    assert set(api.paths()) == {"/servers"}
    built = build(cache_config, cache=True)
    assert "/tags" in api.paths()
    assert built.groupvars("web") == {"http_port": "8080", "max_connections": "100"}
    calls = len(api.calls)
    build(cache_config, cache=True)
    assert len(api.calls) == calls


def test_a_cache_entry_of_another_format_is_read_again(build, estate, api, cache_config, monkeypatch):
    build(cache_config, cache=True)
    calls = len(api.calls)
    monkeypatch.setattr(scaleway, "CACHE_FORMAT", scaleway.CACHE_FORMAT + 1)
    build(cache_config, cache=True)
    assert len(api.calls) == 2 * calls


def test_cache_off_never_writes(build, estate, api, tmp_path):
    build({"cache_connection": str(tmp_path / "cache"), "cache_plugin": "ansible.builtin.jsonfile"})
    assert not os.path.exists(str(tmp_path / "cache"))


# -- API data never sets a variable Ansible gives meaning to (issue 12.1) -------------------------------

HOSTILE_METADATA = [
    ("ansible_ssh_common_args", "-o ProxyCommand=\"sh -c 'id > pwned'\""),
    ("ansible_connection", "local"),
    ("ANSIBLE_BECOME", "true"),
    ("ansible-user", "root"),
    ("environment", "x"),
    ("hostvars", "x"),
    ("inventory_hostname", "x"),
    ("omit", "x"),
    ("playbook_dir", "x"),
    ("http_port", "8080"),
]


def test_metadata_that_would_set_ansible_variables_is_dropped_with_one_warning_per_tag(build, api):
    web, db = tag("web"), tag("db")
    load(api, [server("s", tags=[web, db])], [web, db],
         metadata={web["id"]: HOSTILE_METADATA, db["id"]: [("ansible_port", "2222"), ("engine", "postgres")]})
    built = build()
    assert built.groupvars("web") == {"http_port": "8080"}
    assert built.groupvars("db") == {"engine": "postgres"}
    assert not any(key.lower().startswith("ansible_") and key != "ansible_host" for key in built.hostvars("s"))
    assert built.warnings == [
        "tag %s (web): the metadata keys 'ansible_ssh_common_args', 'ansible_connection', 'ANSIBLE_BECOME', "
        "'ansible-user', 'environment', 'hostvars', 'inventory_hostname', 'omit', 'playbook_dir' are not variables of "
        "group web: they would set variables that Ansible gives meaning to (ansible_*, reserved and magic variables); "
        "set such variables with compose, or list the keys in allow_metadata_vars to trust everyone who can write "
        "this tag" % web["id"],
        "tag %s (db): the metadata key 'ansible_port' is not a variable of group db: it would set a variable that "
        "Ansible gives meaning to (ansible_*, reserved and magic variables); set such variables with compose, or "
        "list the key in allow_metadata_vars to trust everyone who can write this tag" % db["id"],
    ]


def test_allow_metadata_vars_lets_only_the_listed_keys_through(build, api):
    web = tag("web")
    load(api, [server("s", tags=[web])], [web],
         metadata={web["id"]: [("ansible_user", "deploy"), ("ansible-port", "2222"), ("ansible_connection", "local")]})
    built = build({"allow_metadata_vars": ["ansible_user", "ansible_port"]})
    assert built.groupvars("web") == {"ansible_user": "deploy", "ansible_port": "2222"}
    assert len(built.warnings) == 1 and "'ansible_connection'" in built.warnings[0]


def test_an_allow_metadata_vars_entry_that_is_no_variable_name_is_refused(build, estate, api):
    with pytest.raises(AnsibleError, match=r"allow_metadata_vars\[1\]: 'ansible-user' is not a variable name"):
        build({"allow_metadata_vars": ["ansible_user", "ansible-user"]})
    assert api.calls == []


def test_compose_still_sets_ansible_variables(build, api):
    web = tag("web")
    load(api, [server("s", tags=[web])], [web], metadata={web["id"]: [("ansible_user", "root")]})
    assert build({"compose": {"ansible_user": "'deploy'"}}).hostvars("s")["ansible_user"] == "deploy"


@pytest.mark.parametrize("name", ["-oProxyCommand=touch /tmp/x", ".hidden", "web 1", "a;b", "$(id)", "web\n1", "`id`"])
def test_a_name_that_cannot_safely_be_a_host_name_gives_the_server_its_id(build, api, name):
    """Without an IP address Ansible connects by the host name: no name the API chose may read as an option."""
    odd = server(name, public_ip=None, private_ip=None)
    load(api, [odd, server("web-2", public_ip="203.0.113.2")])
    built = build()
    assert sorted(built.hosts) == sorted([odd["id"], "web-2"])
    assert built.hostvars(odd["id"])["scaleway_name"] == name
    assert built.warnings == [
        "1 server has a name that cannot safely be a host name (letters, digits, '_', '.', ':' and '-', with "
        "no '.' or '-' first), so it is named by its id instead: %r -> %s" % (name, odd["id"])]


def test_names_in_any_script_are_host_names(build, api):
    load(api, [server("serveur-été_1.paris"), server("サーバー")])
    assert sorted(build().hosts) == sorted(["serveur-été_1.paris", "サーバー"])


@pytest.mark.parametrize("field, value, said", [
    ("name", 42, "server %s: the API sent name 42, not a string"),
    ("id", None, "a server: the API sent id nothing, not a string"),
    ("tags", ["web"], "server %s: the API sent tags ['web'], not a list of objects"),
    ("tags", [{"id": "t"}], "server %s tag: the API sent name nothing, not a string"),
    ("state", {"x": 1}, "server %s: the API sent state {'x': 1}, not a string"),
])
def test_a_server_of_another_shape_fails_the_source_naming_api_url(build, api, field, value, said):
    odd = server("web-1")
    ident = odd["id"]
    odd[field] = value
    load(api, [odd])
    with pytest.raises(AnsibleError) as caught:
        build()
    text = str(caught.value)
    assert (said % ident if "%s" in said else said) in text
    assert "this is not an answer of the Scaleway v1 API: check api_url in the inventory file" in text


class SessionClient(ScalewayClient):
    """The real client, each clone on the same scripted session (no socket)."""

    session_of_test = None

    def __init__(self, **settings):
        super(SessionClient, self).__init__(session=SessionClient.session_of_test, **settings)

    def clone(self):
        return SessionClient(**self._settings)


@pytest.mark.parametrize("servers, said", [
    ([server("s-%d" % index) for index in range(501)], "holds 501 items where the client asked for at most 500"),
    ([dict(server("web-1"), creation_date="2020-01-01T00:00:00+99:00")],
     "has a creation_date that is not an ISO 8601 time"),
], ids=["more-items-than-the-limit", "creation-date-offset-of-99-hours"])
def test_a_page_the_client_refuses_fails_the_source_naming_api_url(build, monkeypatch, servers, said):
    """Read by the real client: a failed read naming api_url, never a traceback nor a part taken for the whole."""
    def answer(method, url, params):
        key = url[len(API) + 1:]
        listed = servers if key == "servers" else []
        return make_response(200, {key: listed}, {"X-Total-Count": str(len(listed)), "Date": FAKE_DATE})

    SessionClient.session_of_test = session = FakeSession([answer] * 10)
    monkeypatch.setattr(connection, "ScalewayClient", SessionClient)
    with pytest.raises(AnsibleError) as caught:
        build({"api_url": API})
    assert said in str(caught.value) and "api_url (SCW_API_URL)" in str(caught.value)
    assert sorted(call["url"] for call in session.calls) == [API + "/servers", API + "/tags"]


def test_an_address_that_is_not_an_ip_address_is_no_ansible_host(build, api):
    hostile = server("evil", public_ip="-oProxyCommand=id", private_ip=None)
    load(api, [hostile, server("good", public_ip="2001:db8::1")])
    built = build()
    assert "ansible_host" not in built.hostvars("evil")
    assert built.hostvars("evil")["scaleway_public_ip"] == "-oProxyCommand=id"
    assert built.hostvars("good")["ansible_host"] == "2001:db8::1"
    assert built.warnings == ["1 server has no ansible_host: the address the API sent is not an IP address: %s (evil)"
                              % hostile["id"]]


@pytest.mark.parametrize("address", ["::1% a b;c", "fe80::1%eth0", "fe80::1%25", " 10.0.0.1", "10.0.0.1\n",
                                     "２０３.0.113.1", "::1%$(id)"])
def test_an_address_with_a_zone_id_or_another_character_is_no_ansible_host(build, api, address):
    """ipaddress takes an IPv6 zone id of any text: ansible_host only ever holds a plain IP address."""
    hostile = server("evil", public_ip=address, private_ip=None)
    load(api, [hostile, server("good", public_ip="2001:db8::1")])
    built = build()
    assert "ansible_host" not in built.hostvars("evil")
    assert built.hostvars("good")["ansible_host"] == "2001:db8::1"
    assert built.warnings == ["1 server has no ansible_host: the address the API sent is not an IP address: %s (evil)"
                              % hostile["id"]]


@pytest.mark.parametrize("name", ["localhost", "127.0.0.1", "::1"])
def test_a_server_named_like_the_controller_gets_its_id(build, api, name):
    controller = server(name)
    load(api, [controller])
    built = build()
    assert built.hosts == ["%s_%s" % (name, controller["id"])]
    assert built.inventory.localhost is None
    assert built.warnings == ["1 server has a name that Ansible takes for the controller, and was named <name>_<server "
                              "id>: %s -> %s_%s" % (name, name, controller["id"])]


# -- hosts are always added as hosts (issue 12.12) -------------------------------------------------------

def test_a_tag_named_like_a_host_does_not_replace_that_host_in_its_groups(build, api):
    web, named_h2 = tag("web"), tag("h2")
    load(api, [server("h1", tags=[named_h2]), server("h2", tags=[web])], [web, named_h2])
    built = build()
    assert built.members("web") == ["h2"]
    assert built.inventory.groups["web"].child_groups == []
    assert built.members("tag_h2") == ["h1"]
    assert sorted(built.members("scaleway")) == ["h1", "h2"]


# -- a tag named like a host never takes the host's variables (issue 21.9) ------------------------------------

@pytest.mark.parametrize("order", ["tag first", "host first"])
def test_a_tag_named_like_a_host_is_renamed_and_the_host_keeps_its_variables(build, api, order):
    named_h2 = tag("h2")
    h1 = server("h1", tags=[named_h2], public_ip="203.0.113.1")
    h2 = server("h2", public_ip="203.0.113.2")
    # The tag list holds the tag (made first) or not (made when the server that carries it is added, after h2).
    servers, tags = ([h1, h2], [named_h2]) if order == "tag first" else ([h2, h1], [])
    load(api, servers, tags, metadata={named_h2["id"]: [("role", "cache")]})
    built = build({"compose": {"where": "scaleway_name"}})
    assert built.hostvars("h2")["ansible_host"] == "203.0.113.2"
    assert built.hostvars("h2")["scaleway_id"] == h2["id"]
    assert built.hostvars("h2")["where"] == "h2"
    assert not built.has_group("h2")
    assert built.members("tag_h2") == ["h1"]
    assert "ansible_host" not in built.groupvars("tag_h2")
    if order == "tag first":
        assert built.groupvars("tag_h2") == {"role": "cache"}
    # h1, a member of the tag's group, does not inherit h2's address.
    assert built.inventory.get_host("h1").get_vars()["ansible_host"] == "203.0.113.1"
    assert built.warnings == ["the tag 'h2' makes the group 'tag_h2': 'h2' is the name of a host, whose variables a "
                              "group of that name would take; set group_prefix to name every tag group alike"]


def test_a_tag_named_like_a_host_of_another_source_is_renamed(build, api):
    named = tag("bastion")
    load(api, [server("s", tags=[named])], [named])
    built = build(before=lambda inventory: inventory.add_host("bastion"))
    assert built.members("tag_bastion") == ["s"]
    assert not built.has_group("bastion")


@pytest.mark.parametrize("name, config", [("all", {}), ("ungrouped", {}), ("scaleway", {}), ("cloud", {"parent_group": "cloud"})])
def test_a_server_named_like_a_group_gets_its_id(build, api, name, config):
    named = server(name, public_ip="203.0.113.9")
    other = server("other", public_ip="203.0.113.8")
    load(api, [named, other])
    built = build(config)
    renamed = "%s_%s" % (name, named["id"])
    assert built.hosts == [renamed, "other"]
    assert built.hostvars(renamed)["ansible_host"] == "203.0.113.9"
    assert "ansible_host" not in built.groupvars(name)
    assert built.inventory.get_host("other").get_vars()["ansible_host"] == "203.0.113.8"
    assert built.warnings == ["1 server has the name of a group (all, ungrouped, parent_group or a group of another "
                              "inventory source), which would take its variables, and was named <name>_<server id>: "
                              "%s -> %s" % (name, renamed)]


# -- requests: the tag list carries the metadata (issue 13) ------------------------------------------------

def ceil_pages(count):
    return max(1, -(-count // 500))


@pytest.mark.parametrize("servers, tags", [(1, 1), (1000, 1020), (1201, 501)])
def test_a_cold_run_costs_one_request_per_page_of_servers_and_tags(build, api, servers, tags):
    tag_list = [tag("t%04d" % index) for index in range(tags)]
    load(api, [server("s%05d" % index, tags=[tag_list[index % tags]]) for index in range(servers)], tag_list,
         metadata=dict((t["id"], [("role", t["name"]), ("tier", "1")]) for t in tag_list))
    built = build()
    assert len(api.calls) == ceil_pages(servers) + ceil_pages(tags)
    assert built.groupvars("t0000") == {"role": "t0000", "tier": "1"}
    assert built.groupvars(tag_list[-1]["name"]) == {"role": tag_list[-1]["name"], "tier": "1"}
    assert built.warnings == []


def test_only_a_tag_with_more_than_100_entries_reads_its_metadata(build, api):
    big, small = tag("big"), tag("small")
    entries = [("key_%03d" % index, "v%d" % index) for index in range(150)]
    load(api, [server("s", tags=[big, small])], [big, small], metadata={big["id"]: entries, small["id"]: [("a", "b")]})
    built = build()
    assert [path for path in api.paths() if path.endswith("/metadatas")] == ["/tags/%s/metadatas" % big["id"]]
    assert built.groupvars("big") == dict(entries)
    assert built.groupvars("small") == {"a": "b"}
    assert built.warnings == []


def test_tags_without_their_metadata_are_read_one_by_one_with_one_warning(build, estate, api):
    api.embed_metadata = False
    built = build()
    assert built.groupvars("web") == {"http_port": "8080", "max_connections": "100"}
    assert sorted(path for path in api.paths() if path.endswith("/metadatas")) == sorted(
        "/tags/%s/metadatas" % entry["id"] for entry in api.lists["/tags"])
    assert built.warnings == ["the API sent 6 tags without the 'metadatas' field, as an older API does: the metadata "
                              "of each such tag is read with a request of its own"]


# -- errors a newcomer meets (issue 14) ----------------------------------------------------------------------

def test_a_refused_token_names_api_token_and_scw_token(build, estate, api):
    api.failures[("/servers", 1)] = ScalewayAPIError("GET", "/servers", "unknown token", status=401,
                                                     error_type="invalid_request_error", code="invalid_token")
    api.failures[("/tags", 1)] = api.failures[("/servers", 1)]
    with pytest.raises(AnsibleError) as caught:
        build()
    message = str(caught.value)
    assert "HTTP 401" in message
    # The setting is named once (the client's message already names it), and the message is one sentence set.
    assert message.count("api_token") == 1 and message.count("SCW_TOKEN") == 1
    assert "check api_token (SCW_TOKEN). " in message
    assert message.endswith(scaleway.MAKE_FATAL)
    assert TOKEN not in message


@pytest.mark.parametrize("error", [
    ScalewayAPIError("GET", "/servers", "ConnectionError: connection refused"),
    ScalewayAPIError("GET", "/servers", "the API answered HTTP 200 with a body that is not JSON", status=200),
    ScalewayAPIError("GET", "/servers", "not found", status=404),
])
def test_an_unreachable_api_names_api_url_and_scw_api_url(build, estate, api, error):
    api.failures[("/servers", 1)] = api.failures[("/tags", 1)] = error
    with pytest.raises(AnsibleError) as caught:
        build({"api_url": "https://api.example.test/v1"})
    assert "check api_url in the inventory file, or the SCW_API_URL environment variable" in str(caught.value)
    assert "https://api.example.test/v1" in str(caught.value)


def test_another_failure_names_no_setting(build, estate, api):
    api.failures[("/servers", 1)] = api.failures[("/tags", 1)] = api_error("/servers")
    with pytest.raises(AnsibleError) as caught:
        build()
    assert "check api_" not in str(caught.value)


def test_unknown_options_are_named_with_the_closest_known_one(build, estate):
    built = build({"group_prefx": "tag_", "zzz_unrelated": 1})
    assert built.members("web") == ["web-1"]
    assert len(built.warnings) == 1
    assert built.warnings[0].endswith(": the options are unknown to scaleway_v1.cloud.scaleway and ignored: "
                                      "group_prefx (did you mean group_prefix?), zzz_unrelated")


def test_a_known_option_gives_no_warning(build, estate):
    assert build({"group_prefix": "tag_", "max_workers": 2}).warnings == []


@pytest.mark.parametrize("name, content, warns", [
    ("inventory.yml", "---\n# my cloud\nplugin: 'scaleway_v1.cloud.scaleway'\n", True),
    ("hosts.yml", "plugin: amazon.aws.aws_ec2\n", False),
])
def test_a_misnamed_file_that_names_the_plugin_says_how_to_name_it(tmp_path, name, content, warns):
    path = tmp_path / name
    path.write_text(content)
    plugin = inventory_loader.get(PLUGIN)
    plugin.display = RecordingDisplay()
    assert plugin.verify_file(str(path)) is False
    expected = ["%s is not read by scaleway_v1.cloud.scaleway: its inventory files must be named scaleway.yml or "
                "scaleway.yaml, or end in .scaleway.yml or .scaleway.yaml; rename it, for example to "
                "inventory.scaleway.yml" % path]
    assert plugin.display.warnings == (expected if warns else [])


def test_one_renamed_server_is_told_in_the_singular(build, api):
    servers = [server("app"), server("app")]
    load(api, servers)
    assert build().warnings == ["1 server has a name that an older server already has, and was named <name>_<server "
                                "id>: app -> app_%s" % servers[1]["id"]]


# -- one place for each rule (issue 16) ------------------------------------------------------------------------

def test_ca_path_reaches_the_client_only_when_set(build, estate, api, monkeypatch, tmp_path):
    build()
    assert "ca_path" not in api.clients[0].settings
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    monkeypatch.setenv("SCW_CA_BUNDLE", str(bundle))
    build()
    assert api.clients[-1].settings["ca_path"] == str(bundle)


def test_volumes_not_keyed_by_mount_position_are_an_error_naming_the_server(build, api):
    odd = server("odd", volumes={"first": {"id": "vol-a"}})
    load(api, [odd])
    with pytest.raises(AnsibleError, match=r"server %s \(odd\): the API sent volumes that are not keyed by mount "
                                           r"position" % odd["id"]):
        build()


def test_resolve_organizations_takes_ids_as_they_are_and_names_from_the_list():
    listed = [{"id": ORG, "name": "prod"}, {"id": OTHER_ORG, "name": "lab"}]
    assert resolve_organizations(None, [OTHER_ORG, "prod"], listed=listed) == [OTHER_ORG, ORG]


def test_resolve_organizations_reads_the_summary_once_only_for_names():
    api = FakeAPI(organizations=[{"id": ORG, "name": "prod"}])
    client = FakePagingClient(api)
    assert resolve_organizations(client, [OTHER_ORG]) == [OTHER_ORG]
    assert api.calls == []
    assert resolve_organizations(client, ["prod", "prod"], option="organization") == [ORG, ORG]
    assert api.paths() == ["/organizations/summary"]
    with pytest.raises(UnresolvedReference, match=r"^organization: no organization named 'qa' is visible to this "
                                                  r"token \(visible: prod\)$"):
        resolve_organizations(client, ["qa"])


# -- tag metadata as data on each host (issue 24.5) ------------------------------------------------------------

@pytest.fixture
def metadata_estate(api):
    """A server with two tags that share the key 'role', one with a key no variable could be named."""
    first, second, plain = tag("first"), tag("second"), tag("plain")
    load(api, [server("s", tags=[first, second]), server("t", tags=[second, first]), server("u", tags=[plain]),
               server("v")], [first, second, plain],
         metadata={first["id"]: [("role", "web"), ("max-connections", "100"), ("ansible_connection", "local")],
                   second["id"]: [("role", "db"), ("motd", "{{ lookup('pipe', 'id') }}")]})
    return {"first": first, "second": second}


def test_the_tag_metadata_of_each_host_is_merged_and_the_tag_attached_later_wins(build, metadata_estate):
    built = build()
    assert built.hostvars("s")["scaleway_tag_metadata"] == {
        "role": "db", "max-connections": "100", "ansible_connection": "local", "motd": "{{ lookup('pipe', 'id') }}"}
    assert built.hostvars("t")["scaleway_tag_metadata"]["role"] == "web"
    assert built.hostvars("u")["scaleway_tag_metadata"] == {}
    assert built.hostvars("v")["scaleway_tag_metadata"] == {}
    # One variable of a fixed name: no API key became a variable, ansible_connection included.
    for host in ("s", "t"):
        assert "ansible_connection" not in built.hostvars(host) and "role" not in built.hostvars(host)
        assert "ansible_connection" not in built.inventory.get_host(host).get_vars()


def test_keyed_groups_and_compose_use_tag_metadata_as_data_never_templated(build, metadata_estate):
    built = build({
        "keyed_groups": [{"key": "scaleway_tag_metadata.role", "prefix": "role"}],
        "groups": {"limited": "'max-connections' in scaleway_tag_metadata"},
        "compose": {"motd": "scaleway_tag_metadata.motd | default('none')",
                    "connections": "scaleway_tag_metadata['max-connections'] | default(0) | int"},
    })
    assert built.members("role_db") == ["s"]
    assert built.members("role_web") == ["t"]
    # A host without the key is in no role group (strict is off).
    assert not [group for group in built.inventory.groups if group.startswith("role_") and group not in (
        "role_db", "role_web")]
    assert sorted(built.members("limited")) == ["s", "t"]
    assert built.hostvars("s")["motd"] == "{{ lookup('pipe', 'id') }}"
    assert built.hostvars("s")["connections"] == 100
    assert built.hostvars("u")["motd"] == "none"


def test_tag_metadata_hostvar_off_sets_no_variable(build, metadata_estate):
    built = build({"tag_metadata_hostvar": False})
    assert "scaleway_tag_metadata" not in built.hostvars("s")
    assert built.groupvars("first") == {"role": "web", "max_connections": "100"}


def test_tag_metadata_hostvar_reads_the_tag_list_even_without_tag_groups(build, metadata_estate, api):
    built = build({"tag_groups": False, "vars_prefix": "scw_"})
    assert built.hostvars("s")["scw_tag_metadata"]["role"] == "db"
    assert not built.has_group("first")
    assert set(api.paths()) == {"/servers", "/tags"}


def test_tag_metadata_hostvar_with_tag_metadata_vars_off(build, metadata_estate):
    built = build({"tag_metadata_vars": False})
    assert built.groupvars("first") == {}
    assert built.hostvars("s")["scaleway_tag_metadata"]["role"] == "db"


# -- one complete error message (issue 24.4) --------------------------------------------------------------------

def test_a_failed_source_is_reported_once_by_ansible(tmp_path, api, capfd):
    from ansible.inventory.manager import InventoryManager

    api.failures[("/servers", 1)] = api.failures[("/tags", 1)] = ScalewayAPIError(
        "GET", "/servers", "unknown token %s" % tmp_path.name, status=401, error_type="invalid_request_error")
    path = tmp_path / "scaleway.yml"
    path.write_text(yaml.safe_dump({"plugin": PLUGIN, "api_token": TOKEN}))
    capfd.readouterr()
    inventory = InventoryManager(loader=DataLoader(), sources=[str(path)])
    err = capfd.readouterr().err
    assert list(inventory.hosts) == []
    # ansible-core prints an error of another source context twice (a summary line, then the chain): not this one.
    assert err.count("the Scaleway inventory could not be read") == 1
    assert err.count("unknown token %s" % tmp_path.name) == 1
    assert err.count("ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED") == 1
    assert TOKEN not in err


def test_the_message_says_how_to_make_the_source_fatal_unless_it_is(build, estate, api, monkeypatch):
    api.failures[("/servers", 1)] = api.failures[("/tags", 1)] = api_error("/servers")
    with pytest.raises(AnsibleError) as caught:
        build()
    assert str(caught.value).endswith("after 6 attempts. " + scaleway.MAKE_FATAL)
    monkeypatch.setenv("ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED", "true")
    with pytest.raises(AnsibleError) as caught:
        build()
    assert str(caught.value).endswith("after 6 attempts.")


def test_an_unreachable_api_is_named_once_when_the_client_names_it(build, estate, api):
    api.failures[("/servers", 1)] = api.failures[("/tags", 1)] = ScalewayAPIError(
        "GET", "/servers", "could not connect to https://api.example.test/v1: connection refused",
        hint="check api_url (SCW_API_URL)")
    with pytest.raises(AnsibleError) as caught:
        build()
    message = str(caught.value)
    assert message.count("api_url") == 1 and message.count("SCW_API_URL") == 1
    assert "connection refused; check api_url (SCW_API_URL). To make" in message


# -- cache_fallback: the last good cache when the API cannot be read (issue 21) ------------------------------------

@pytest.fixture
def fallback_config(cache_config):
    return dict(cache_config, cache_fallback=True, cache_fallback_max_age=600)


def fail_reads(api, error):
    api.failures[("/servers", 1)] = api.failures[("/tags", 1)] = error


def test_the_last_good_cache_is_used_with_its_age_when_the_api_is_down(build, estate, api, fallback_config):
    first = build(fallback_config, cache=True)
    fail_reads(api, api_error("/servers", status=503))
    # A flushed cache (or meta: refresh_inventory) reads the API, which fails: the last good entry stands in.
    built = build(fallback_config, cache=False)
    assert built.hosts == first.hosts
    assert built.hostvars("web-1") == first.hostvars("web-1")
    assert built.groupvars("web") == first.groupvars("web")
    (warning,) = built.warnings
    assert re.match(r"the Scaleway API could not be read, so this inventory is the last good one, written to the "
                    r"cache \d+ s ago \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, within cache_fallback_max_age: 600 s\); "
                    r"servers and tags that changed since are shown as they were\. The error: .*HTTP 503", warning)


def test_the_fallback_reads_an_entry_past_cache_timeout(build, estate, api, fallback_config):
    config = dict(fallback_config, cache_timeout=60)
    build(config, cache=True)
    calls = len(api.calls)
    (path,) = cache_files(config)
    os.utime(path, (os.path.getmtime(path) - 300,) * 2)
    fail_reads(api, ScalewayAPIError("GET", "/servers", "ConnectionError: timed out"))
    built = build(config, cache=True)
    # The entry had expired, so the API was read (and failed); the entry was then used all the same.
    assert len(api.calls) > calls
    assert built.hosts == ["web-1", "db-1", "lonely"]
    assert len(built.warnings) == 1


def test_a_list_that_keeps_changing_falls_back(build, api, fallback_config):
    servers = [server("s%04d" % index) for index in range(1001)]
    load(api, servers)
    build(dict(fallback_config, tag_groups=False, tag_metadata_hostvar=False), cache=True)
    api.growth["/servers"] = [(reads, [server("new%02d" % reads)]) for reads in range(len(api.calls), 60)]
    built = build(dict(fallback_config, tag_groups=False, tag_metadata_hostvar=False), cache=False)
    assert len(built.hosts) == 1001
    assert "the list changed while it was read" in built.warnings[0]


def test_an_entry_older_than_the_limit_is_not_used(build, estate, api, fallback_config, monkeypatch):
    build(fallback_config, cache=True)
    fail_reads(api, api_error("/servers", status=502))
    later = scaleway.time.time() + 7200

    class Later:
        @staticmethod
        def time():
            return later

    monkeypatch.setattr(scaleway, "time", Later)
    with pytest.raises(AnsibleError) as caught:
        build(fallback_config, cache=False)
    assert re.search(r"HTTP 502 .*\. The last good cache was not used: its entry was written 2 h 0 min ago "
                     r"\(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\), more than cache_fallback_max_age \(600 s\)\. To make",
                     str(caught.value))


def test_a_refused_token_never_falls_back(build, estate, api, fallback_config):
    build(fallback_config, cache=True)
    fail_reads(api, ScalewayAPIError("GET", "/servers", "unknown token", status=401))
    with pytest.raises(AnsibleError, match=r"check api_token \(SCW_TOKEN\)\. The last good cache was not used: "
                                           r"cache_fallback never uses the cache when the API refuses the token\."):
        build(fallback_config, cache=False)
    fail_reads(api, api_error("/servers", status=403, message="forbidden"))
    with pytest.raises(AnsibleError, match="never uses the cache when the API refuses the token"):
        build(fallback_config, cache=False)


@pytest.mark.parametrize("error", [
    api_error("/servers", status=404, message="not found"),
    ScalewayAPIError("GET", "/servers", "the API answered HTTP 200 with a body that is not JSON", status=200,
                     hint="if https://api.example.test/v1 is not the Scaleway v1 API, fix api_url (SCW_API_URL)"),
])
def test_an_answer_that_points_at_a_setting_never_falls_back(build, estate, api, fallback_config, error):
    build(fallback_config, cache=True)
    fail_reads(api, error)
    with pytest.raises(AnsibleError, match="The last good cache was not used: cache_fallback uses the cache only when "
                                           "the API cannot be read, not for a setting to fix"):
        build(fallback_config, cache=False)


def test_a_cache_never_written_cannot_be_fallen_back_to(build, estate, api, fallback_config):
    fail_reads(api, api_error("/servers"))
    with pytest.raises(AnsibleError, match=r"The last good cache was not used: the cache holds no entry of this "
                                           r"inventory file \(it was never read with the cache on\)\."):
        build(fallback_config, cache=True)


@pytest.mark.parametrize("option, first, second", [
    ("api_url", "https://one.example.test/v1", "https://two.example.test/v1"),
    # Another account's inventory, cached at the same api_url, is never served.
    ("api_token", "token-of-account-one", "token-of-account-two"),
])
def test_an_entry_read_from_another_api_url_or_with_another_token_is_not_used(
        build, estate, api, fallback_config, option, first, second):
    build(dict(fallback_config, **{option: first}), cache=True)
    fail_reads(api, api_error("/servers"))
    with pytest.raises(AnsibleError, match="The last good cache was not used: its entry was read from another api_url "
                                           "or with another api_token"):
        build(dict(fallback_config, **{option: second}), cache=False)


def test_the_fallback_is_off_by_default(build, estate, api, cache_config):
    build(cache_config, cache=True)
    fail_reads(api, api_error("/servers"))
    with pytest.raises(AnsibleError) as caught:
        build(cache_config, cache=False)
    assert "cache" not in str(caught.value)


@pytest.mark.parametrize("config, said", [
    ({"cache_fallback": True}, "cache_fallback needs cache: true"),
    ({"cache_fallback": True, "cache": True}, "cache_fallback needs a cache_plugin that keeps data between runs"),
    ({"cache_fallback": True, "cache": True, "cache_plugin": "ansible.builtin.jsonfile", "cache_fallback_max_age": 0},
     "cache_fallback_max_age must be at least 1"),
])
def test_cache_fallback_settings_are_checked_before_any_request(build, estate, api, tmp_path, config, said):
    if config.get("cache_plugin"):
        config = dict(config, cache_connection=str(tmp_path / "cache"))
    with pytest.raises(AnsibleError, match=said):
        build(config)
    assert api.calls == []


# Words of a list that changed while it was read, and of an answer that names api_url: the type decides, not these.
CHANGED_TEXT = "the list changed while it was read, 3 times in a row"
API_URL_TEXT = "this answer is not the API's; if https://api.example.test/v1 is not the Scaleway v1 API, fix api_url"


@pytest.mark.parametrize("error, unavailable", [
    (ListNotWhole("/servers", 3, CHANGED_TEXT), True),
    (ListNotWhole("/servers", 3, API_URL_TEXT), True),
    (ScalewayAPIError("GET", "/servers", CHANGED_TEXT, status=200), False),
    (ScalewayAPIError("GET", "/servers", "item 0 of the 'servers' list is not an object but str", status=200), False),
    (ScalewayAPIError("GET", "/servers", "could not connect: connection refused", hint="check api_url"), True),
    (ScalewayAPIError("GET", "/servers", "slow down", status=429), True),
    (ScalewayAPIError("GET", "/servers", "internal error", status=500), True),
    # A gateway's 502 page is not the API's error body, so the client names api_url: still an outage.
    (ScalewayAPIError("GET", "/servers", "bad gateway", status=502, hint=API_URL_TEXT), True),
    (ScalewayAPIError("GET", "/servers", "unknown token", status=401), False),
    (ScalewayAPIError("GET", "/servers", "forbidden", status=403), False),
    (ScalewayAPIError("GET", "/servers", "not found", status=404), False),
    (ScalewayAPIError("GET", "/servers", "bad request", status=400), False),
    (ScalewayAPIError("GET", "/servers", "a redirect", status=301), False),
    (ScalewayInputError("id", "'..' cannot be one segment of a URL"), False),
])
def test_what_the_fallback_stands_in_for_is_decided_by_type_and_status_never_by_text(error, unavailable):
    assert scaleway.api_unavailable(error) is unavailable


def test_a_2xx_answer_the_client_could_not_use_never_falls_back_whatever_its_words(build, estate, api, fallback_config):
    build(fallback_config, cache=True)
    # Neither api_url nor "not the API" in its text: only its type and status say it is not a list that changed.
    fail_reads(api, ScalewayAPIError("GET", "/servers", "item 0 of the 'servers' list is not an object but str",
                                     status=200))
    with pytest.raises(AnsibleError, match="The last good cache was not used: cache_fallback uses the cache only when "
                                           "the API cannot be read, not for a setting to fix"):
        build(fallback_config, cache=False)


# -- a tag id that cannot be one segment of its metadata URL (the client refuses it before any request) ------------

@pytest.mark.parametrize("tag_id", ["..", ".", "a\nb"])
def test_a_tag_id_that_cannot_be_put_in_a_url_fails_the_source_naming_the_field_and_api_url(build, api, tag_id):
    hostile = tag("web", tag_id=tag_id)
    load(api, [server("web-1", tags=[hostile])], [hostile])
    api.embed_metadata = False
    with pytest.raises(AnsibleError) as caught:
        build({"api_url": "https://api.example.test/v1"})
    message = str(caught.value)
    assert message.startswith("the metadata of a tag cannot be read: the API sent a tag whose id is refused in a URL: ")
    assert repr(tag_id) in message and "\n" not in message
    assert message.count("check api_url in the inventory file, or the SCW_API_URL environment variable") == 1
    assert message.endswith(scaleway.MAKE_FATAL)
    assert TOKEN not in message
    # Refused before it was sent: no metadata read at all.
    assert [path for path in api.paths() if path.endswith("/metadatas")] == []


def test_a_tag_id_that_cannot_be_put_in_a_url_never_falls_back(build, api, fallback_config):
    good = tag("web")
    load(api, [server("web-1", tags=[good])], [good])
    api.embed_metadata = False
    build(fallback_config, cache=True)
    hostile = tag("web", tag_id="..")
    load(api, [server("web-1", tags=[hostile])], [hostile])
    with pytest.raises(AnsibleError) as caught:
        build(fallback_config, cache=False)
    assert "the API sent a tag whose id is refused in a URL" in str(caught.value)
    assert "last good" not in str(caught.value)


def test_a_keyed_group_named_like_a_later_host_takes_none_of_its_variables(build, api):
    # Server a's tag metadata role=db makes the group role_db; server role_db comes after it in the list.
    # Every host's variables are set before the first keyed group is made, so none lands on that group.
    web = tag("web")
    load(api, [server("a", tags=[web], public_ip="203.0.113.10"), server("role_db", public_ip="203.0.113.99")],
         [web], metadata={web["id"]: [("role", "db")]})
    built = build({"keyed_groups": [{"key": "scaleway_tag_metadata.role", "prefix": "role"}],
                   "compose": {"team": "'ops'"}})
    assert built.members("role_db") == ["a"]
    assert built.hostvars("role_db")["ansible_host"] == "203.0.113.99"
    assert built.hostvars("role_db")["team"] == "ops"
    assert built.hostvars("a")["ansible_host"] == "203.0.113.10"
    assert "ansible_host" not in built.inventory.groups["role_db"].get_vars()
