"""``planned_changes`` of github_repo_collaborator's list mode (plugins/module_utils/_planned.py), in-process.

``Planned`` on a GitHubModule built from the option (``base_module`` of tests/unit/conftest.py). What the
planned access does to a real list is covered through the module in
tests/unit/plugins/modules/test_github_repo_collaborator_list.py and, across the role's sections, by
tests/integration/test_role_cross_section.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.orgcode.github.plugins.module_utils._planned import Planned
from ansible_collections.orgcode.github.plugins.module_utils.github_module import ModuleFailure

SPEC = dict(planned_changes=dict(type="dict"), exclusive=dict(type="bool", default=False))


@pytest.fixture
def planned(base_module):
    def make(option, check=True):
        return Planned.of(base_module(spec=SPEC, check=check, planned_changes=option))
    return make


def test_a_real_run_ignores_the_option_and_reads_what_earlier_tasks_left(planned, server):
    assert planned({"removed": ["alice"], "roles": {"bob": "admin"}}, check=False) is None
    assert server.requests == []


@pytest.mark.parametrize("option", [None, {}, {"converted": [], "removed": [], "roles": {}, "team_access": {}}])
def test_nothing_planned_is_no_plan(planned, option):
    assert planned(option) is None


def test_logins_are_compared_as_github_does_and_a_gone_login_has_no_role_or_team(planned, server):
    plan = planned({"converted": ["@Bob"], "removed": ["ALICE"], "roles": {"Bob": "admin", "Dave": "admin",
                                                                           "erin": "member"},
                    "team_access": {"alice": "push", "Dave": "pull", "dave": "maintain"}})
    assert plan.gone == {"bob", "alice"}
    assert plan.roles == {"dave": "admin", "erin": "member"}
    assert plan.team == {"dave": "maintain"}  # the higher of the two teams' roles
    assert server.requests == []  # reads happen only once the repository is read


def test_owners_after_the_earlier_tasks(planned):
    plan = planned({"removed": ["carol"], "roles": {"dave": "admin", "octo-admin": "member"}})
    assert plan.owners({"octo-admin", "carol", "second-owner"}) == {"dave", "second-owner"}


def test_the_new_base_permission_and_team_grants(planned):
    plan = planned({"default_repository_permission": "write",
                    "team_grants": {" Widget-Makers ": "PUSH", "readers": "security-auditor"}})
    assert plan.base == "write"
    assert plan.grants == [("widget-makers", "write"), ("readers", "security-auditor")]


@pytest.mark.parametrize("option, message", [
    ({"roles": {"dave": "owner"}}, "planned_changes.roles.dave: must be admin or member, got 'owner'"),
    ({"team_access": {"dave": "none"}}, "planned_changes.team_access.dave: must be a repository role"),
    ({"team_access": {"dave": 3}}, "planned_changes.team_access.dave: must be a repository role"),
    ({"team_grants": {"widget-makers": ""}}, "planned_changes.team_grants.widget-makers: must be a repository role"),
    ({"team_grants": {" ": "read"}}, "planned_changes.team_grants. : must be a repository role"),
])
def test_a_bad_plan_fails_naming_the_entry_before_any_request(planned, server, option, message):
    with pytest.raises(ModuleFailure) as info:
        planned(option)
    assert info.value.msg.startswith(message), info.value.msg
    assert server.requests == []
