"""github_team's action plugin (plugins/action/github_team.py): what it hands to the module.

The end-to-end cases (check mode, module_defaults of the group, templates) are in
tests/integration/test_github_team_parent_null.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.orgcode.github.plugins.action.github_team import module_args


def test_an_explicit_null_parent_team_becomes_the_modules_detach():
    assert module_args({"org": "acme", "name": "Web", "parent_team": None}) == {
        "org": "acme", "name": "Web", "parent_team": ""}


def test_other_arguments_pass_unchanged_and_the_task_args_are_not_modified():
    task_args = {"org": "acme", "name": "Web", "parent_team": "platform", "description": None}
    assert module_args(task_args) == task_args
    assert module_args({"org": "acme", "slug": "web"}) == {"org": "acme", "slug": "web"}  # not set: left
    assert module_args({"org": "acme", "name": "Web", "parent_team": ""})["parent_team"] == ""
    given = {"name": "Web", "parent_team": None}
    module_args(given)
    assert given == {"name": "Web", "parent_team": None}
    assert module_args(None) == {}
