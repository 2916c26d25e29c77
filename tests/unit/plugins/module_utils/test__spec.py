"""Key and type checks naming positions (plugins/module_utils/_spec.py), against the role's own argument spec.

The spec is roles/org_config/meta/argument_specs.yml, the same file ansible-doc renders: the checks give the
position Ansible's automatic role validation leaves out (``found in org_config_teams -> members``), and accept
and refuse the same values it does.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
from pathlib import Path

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.orgcode.github.plugins.module_utils._spec import (
    check_entries,
    check_options,
    check_value,
    check_variables,
)

ROOT = Path(__file__).resolve().parents[4]
SPEC = yaml.safe_load((ROOT / "roles" / "org_config" / "meta" / "argument_specs.yml").read_text())[
    "argument_specs"]["main"]["options"]
SAMPLE = yaml.safe_load((ROOT / "playbooks" / "vars" / "apply.yml").read_text())
TEAMS = SPEC["org_config_teams"]["options"]


def four_teams():
    return [{"name": "Platform"}, {"name": "Web"}, {"name": "Data", "members": [{"login": "ana"}]},
            {"name": "Release Managers", "members": [{"login": "mona", "role": "maintainer"},
                                                     {"login": "lisa", "rol": "maintainer"}]}]


def test_an_unknown_key_deep_in_a_list_is_named_with_its_position_and_a_suggestion():
    assert check_entries(four_teams(), TEAMS, "org_config_teams") == [
        "org_config_teams[3].members[1].rol: unknown key; did you mean role? (keys: login, role)"]


def test_unknown_keys_without_a_close_match_and_with_other_case():
    errors = check_entries([{"login": "ana", "zzz": 1, "State": "absent"}], SPEC["org_config_members"]["options"],
                           "org_config_members")
    assert errors == [
        "org_config_members[0].zzz: unknown key (keys: login, role, state)",
        "org_config_members[0].State: unknown key; did you mean state? (keys: login, role, state)"]


def test_required_keys_types_and_choices_are_named_with_their_position():
    hooks = [
        {"url": "https://ci.example/hook", "events": ["push", {"name": "x"}], "active": "maybe"},
        {"events": "push", "content_type": "xml", "hook_id": "twelve"},
        {"url": "https://ok.example/hook", "insecure_ssl": "yes", "hook_id": "12", "active": 0},
    ]
    assert check_entries(hooks, SPEC["org_config_hooks"]["options"], "org_config_hooks") == [
        "org_config_hooks[0].events[1]: must be of type str, got dict",
        "org_config_hooks[0].active: must be of type bool, got str 'maybe'",
        "org_config_hooks[1].url: is required",
        "org_config_hooks[1].hook_id: must be of type int, got str 'twelve'",
        "org_config_hooks[1].content_type: must be one of json, form, got str 'xml'",
    ]


def test_a_no_log_value_is_never_shown():
    secret = "do-not-show-0042"
    errors = check_entries([{"url": "https://h.example/x", "secret": {"value": secret}}],
                           SPEC["org_config_hooks"]["options"], "org_config_hooks")
    assert errors == ["org_config_hooks[0].secret: must be of type str, got dict (value hidden)"]
    errors = check_value([secret, {"a": 1}], dict(type="list", elements="int", no_log=True), "tokens")
    assert errors == ["tokens[0]: must be of type int, got str (value hidden)",
                      "tokens[1]: must be of type int, got dict (value hidden)"]
    assert not any(secret in error for error in errors)


def test_null_is_accepted_where_the_option_is_optional_and_refused_where_required():
    assert check_entries([{"name": "Web", "parent_team": None, "description": None}], TEAMS, "org_config_teams") == []
    assert check_entries([{"name": "Web", "members": [{"login": None}]}], TEAMS, "org_config_teams") == [
        "org_config_teams[0].members[0].login: is required, got null"]


def test_entries_and_lists_of_the_wrong_shape():
    assert check_entries({"login": "ana"}, SPEC["org_config_members"]["options"], "org_config_members") == [
        "org_config_members: must be a list, got dict"]
    assert check_entries(["ana", 3], SPEC["org_config_members"]["options"], "org_config_members") == [
        "org_config_members[0]: must be a dictionary, got str 'ana'",
        "org_config_members[1]: must be a dictionary, got int 3"]
    assert check_entries([{"name": "Web", "members": "ana"}], TEAMS, "org_config_teams") == [
        "org_config_teams[0].members: must be a list, got str 'ana'"]
    assert check_entries(None, TEAMS, "org_config_teams") == []


def test_nested_dict_options_and_aliases():
    assert check_options({"tokn": "x", "timeout": "ten"}, SPEC["org_config_connection"]["options"],
                         "org_config_connection") == [
        "org_config_connection.tokn: unknown key; did you mean token? (keys: api_url, api_version, app_id, "
        "app_installation_id, app_private_key, app_private_key_path, timeout, token, validate_certs)",
        "org_config_connection.timeout: must be of type int, got str 'ten'"]
    spec = {"owner": {"type": "str", "aliases": ["org"], "required": True}, "repo": {"type": "str"}}
    assert check_options({"org": "acme"}, spec, "entry") == []
    assert check_options({"repo": "x"}, spec, "entry") == ["entry.owner: is required"]


def test_a_long_bad_value_is_cut():
    [error] = check_value("x" * 500, {"type": "int"}, "org_config_max_removals")
    assert len(error) < 140 and error.endswith("...")


def test_the_sample_description_passes():
    assert check_variables(SAMPLE, SPEC) == []


def test_every_variable_is_checked_and_a_missing_required_one_is_named():
    variables = dict(SAMPLE, org_config_members_exclusive="perhaps")
    del variables["org_config_org"]
    assert check_variables(variables, SPEC) == [
        "org_config_org: is required",
        "org_config_members_exclusive: must be of type bool, got str 'perhaps'"]


def _cases():
    """Descriptions Ansible's role validation accepts or refuses, each with one change from the sample."""
    def change(edit):
        variables = copy.deepcopy(SAMPLE)
        edit(variables)
        return variables
    return {
        "sample": change(lambda v: None),
        "bool as text": change(lambda v: v["org_config_hooks"][0].update(active="yes")),
        "int as text": change(lambda v: v.update(org_config_max_removals="25")),
        "float as int": change(lambda v: v.update(org_config_write_delay=0)),
        "str as int": change(lambda v: v["org_config_members"][0].update(login=12345)),
        "bad bool": change(lambda v: v["org_config_hooks"][0].update(active="maybe")),
        "bad int": change(lambda v: v.update(org_config_max_removals="ten")),
        "bad choice": change(lambda v: v["org_config_members"][0].update(role="owner")),
        "deep choice": change(lambda v: v["org_config_teams"][0]["members"][0].update(role="owner")),
        "deep unknown key": change(lambda v: v["org_config_teams"][1]["members"][0].update(rol="maintainer")),
        "missing required": change(lambda v: v["org_config_repo_collaborators"][0].pop("login")),
        "unknown setting": change(lambda v: v["org_config_settings"].update(colour="blue")),
        "entry not a dict": change(lambda v: v["org_config_outside_collaborators"].append("tom-qa")),
        "null parent": change(lambda v: v["org_config_teams"][1].update(parent_team=None)),
    }


@pytest.mark.parametrize("name, variables", sorted(_cases().items()), ids=sorted(_cases()))
def test_accepts_and_refuses_what_ansible_role_validation_does(name, variables):
    ansible_errors = ArgumentSpecValidator(copy.deepcopy(SPEC)).validate(copy.deepcopy(variables)).error_messages
    ours = check_variables(variables, SPEC)
    assert bool(ours) == bool(ansible_errors), (ours, ansible_errors)
    assert len(ours) <= 1  # one change, one error
