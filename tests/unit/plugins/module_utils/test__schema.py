"""module_utils/_schema.py: the one schema of a description's sections, equal to what the role documents."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import yaml

from ansible_collections.orgcode.github.plugins.module_utils._rules import SETTINGS
from ansible_collections.orgcode.github.plugins.module_utils._schema import SECTIONS, check_sections

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))


def _without_docs(option):
    out = dict((k, v) for k, v in option.items() if k not in ("description", "version_added", "default"))
    if "options" in out:
        out["options"] = dict((name, _sub_option(sub)) for name, sub in option["options"].items())
    return out


def _sub_option(option):
    """A sub-option keeps its default (the schema applies it), not its description."""
    found = _without_docs(option)
    if "default" in option:
        found["default"] = option["default"]
    return found


def test_the_schema_is_the_roles_argument_spec():
    with open(os.path.join(ROOT, "roles", "org_config", "meta", "argument_specs.yml")) as handle:
        spec = yaml.safe_load(handle)["argument_specs"]["main"]["options"]
    for name, option in SECTIONS.items():
        documented = _without_docs(spec["org_config_" + name])
        if documented["type"] == "list":
            documented["elements"] = "dict"  # left out of the role's spec: Ansible's check cannot name positions
        assert option == documented, name
    assert sorted(SECTIONS["settings"]["options"]) == sorted(SETTINGS)


def test_errors_name_the_position_with_either_prefix():
    teams = [{"name": "Web", "members": [{"login": "alice"}, {"login": "bob", "rol": "maintainer"}]}]
    assert check_sections({"teams": teams}, "config.") == [
        "config.teams[0].members[1].rol: unknown key; did you mean role? (keys: login, role)"]
    assert check_sections({"teams": teams, "members": None}, "org_config_") == [
        "org_config_teams[0].members[1].rol: unknown key; did you mean role? (keys: login, role)"]
    assert check_sections({"hooks": [{"url": "https://x.example/", "active": "maybe"}]}, "config.")[0].startswith(
        "config.hooks[0].active: ")
