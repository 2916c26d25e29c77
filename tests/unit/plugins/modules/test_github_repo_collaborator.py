"""github_repo_collaborator's behaviour (one user) in-process, against the simulator.

Each task's module runs in-process (the ``ansible`` fixture of tests/unit/conftest.py); the
end-to-end cases through ansible-playbook are in tests/integration/test_github_repo_collaborator.py.

The base state: acme/widgets (private) has direct collaborators outsider-olga (write) and Alice (admin,
a member), bob (a member) gets maintain through a team, frank has a pending invitation (write); acme's
base permission is read, Octo-Admin is the owner. acme/gadgets is public with outsider-oscar (read).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from helpers import collab, direct, invitations, widgets
from helpers import status_writes as writes

MEMBER_TOKEN = "ghp_test_member_token_0123456789abcdef"


def paths(sim):
    return [r["path"] for r in sim.requests()]


# -- invitations ---------------------------------------------------------------


def test_new_collaborator_is_invited_and_the_pending_invitation_is_seen_next_run(ansible, sim):
    first = ansible.play([collab("erin", permission="push")], diff=True)
    assert first.rc == 0 and first.changed == 1, first
    result = first.task("collab")["collaborator"]
    assert result["pending"] is True and result["role_name"] == "write" and result["permission"] == "write"
    assert result["username"] == "erin" and isinstance(result["invitation_id"], int)
    assert first.task("collab")["diff"] == {
        "before": {"state": "absent", "username": "erin"},
        "after": {"username": "erin", "state": "pending", "role_name": "write", "source": "invitation"}}
    assert writes(sim) == [("PUT", "/repos/acme/widgets/collaborators/erin", 201)]
    assert ("erin", "write", False) in invitations(sim)

    sim.clear_log()
    second = ansible.play([collab("erin", permission="write")])
    assert second.rc == 0 and second.changed == 0, second
    assert second.task("collab")["collaborator"]["invitation_id"] == result["invitation_id"]
    assert sim.writes() == []
    # role_name none: no direct grant to look for; the invitation list tells the rest.
    assert paths(sim) == ["/repos/acme/widgets/collaborators/erin/permission", "/repos/acme/widgets/invitations"]
    assert [i for i in invitations(sim) if i[0] == "erin"] == [("erin", "write", False)], "no second invitation"

    sim.accept_invitation("erin", repo="acme/widgets")
    sim.clear_log()
    accepted = ansible.play([collab("erin", permission="push")])
    assert accepted.rc == 0 and accepted.changed == 0, accepted
    assert accepted.task("collab")["collaborator"]["pending"] is False
    assert len(sim.requests()) == 1, "role_name equals the permission: one request"


def test_a_changed_permission_updates_the_pending_invitation_in_place(ansible, sim):
    run = ansible.play([collab("frank", permission="maintain")], diff=True)
    assert run.rc == 0 and run.changed == 1, run
    [(method, path, status)] = writes(sim)
    assert method == "PATCH" and path.startswith("/repos/acme/widgets/invitations/") and status == 200
    result = run.task("collab")
    assert result["collaborator"]["pending"] is True and result["collaborator"]["role_name"] == "maintain"
    assert result["diff"]["before"]["role_name"] == "write" and result["diff"]["after"]["role_name"] == "maintain"
    assert [i for i in invitations(sim) if i[0] == "frank"] == [("frank", "maintain", False)]

    again = ansible.play([collab("FRANK", permission="maintain")])
    assert again.rc == 0 and again.changed == 0, again
    assert len(sim.writes()) == 1


def test_absent_cancels_a_pending_invitation(ansible, sim):
    run = ansible.play([collab("frank", state="absent")])
    assert run.rc == 0 and run.changed == 1, run
    [(method, path, status)] = writes(sim)
    assert method == "DELETE" and path.startswith("/repos/acme/widgets/invitations/") and status == 204
    assert run.task("collab")["collaborator"] == {}
    assert [i for i in invitations(sim) if i[0] == "frank"] == []
    again = ansible.play([collab("frank", state="absent")])
    assert again.rc == 0 and again.changed == 0, again
    assert len(sim.writes()) == 1


def test_an_expired_invitation_counts_as_absent_and_is_replaced(ansible, sim, state):
    widgets(state)["invitations"].append({"login": "erin", "permissions": "read", "expired": True,
                                          "created_at": "2020-01-01T00:00:00Z"})
    sim.reset(state)
    gone = ansible.play([collab("erin", state="absent")])
    assert gone.rc == 0 and gone.changed == 0, gone
    assert sim.writes() == []

    check = ansible.play([collab("erin", permission="triage")], check=True, diff=True)
    assert check.rc == 0 and check.changed == 1, check
    assert sim.writes() == []
    assert check.task("collab")["diff"]["before"]["state"] == "absent"
    assert "expired" in check.task("collab")["diff"]["before"]["invitation"]

    run = ansible.play([collab("erin", permission="triage")])
    assert run.rc == 0 and run.changed == 1, run
    assert [(m, s) for m, _p, s in writes(sim)] == [("DELETE", 204), ("PUT", 201)]
    assert writes(sim)[0][1].startswith("/repos/acme/widgets/invitations/")
    assert [i for i in invitations(sim) if i[0] == "erin"] == [("erin", "triage", False)]
    assert run.task("collab")["collaborator"]["pending"] is True
    assert run.task("collab")["collaborator"]["role_name"] == "triage"


# -- existing collaborators ----------------------------------------------------------


def test_existing_collaborator_is_changed_in_place_never_removed(ansible, sim):
    run = ansible.play([collab("outsider-olga", permission="maintain")], diff=True)
    assert run.rc == 0 and run.changed == 1, run
    assert writes(sim) == [("PUT", "/repos/acme/widgets/collaborators/outsider-olga", 204)]
    result = run.task("collab")
    assert result["collaborator"] == {"username": "outsider-olga", "role_name": "maintain", "permission": "write",
                                      "pending": False, "source": "direct"}
    assert result["diff"]["before"]["role_name"] == "write"
    assert direct(sim)["outsider-olga"] == "maintain"

    sim.clear_log()
    again = ansible.play([collab("outsider-olga", permission="maintain")])
    assert again.rc == 0 and again.changed == 0, again
    assert len(sim.requests()) == 1

    lower = ansible.play([collab("outsider-olga", permission="pull")])
    assert lower.rc == 0 and lower.changed == 1, lower
    assert direct(sim)["outsider-olga"] == "read"
    assert all(method == "PUT" for method, _path, _status in writes(sim))
    assert ansible.play([collab("outsider-olga", permission="read")]).changed == 0


def test_a_members_direct_grant_is_lowered(ansible, sim):
    run = ansible.play([collab("alice", permission="push")])
    assert run.rc == 0 and run.changed == 1, run
    assert writes(sim) == [("PUT", "/repos/acme/widgets/collaborators/Alice", 204)]
    assert run.task("collab")["collaborator"]["role_name"] == "write"
    assert run.task("collab")["collaborator"]["username"] == "Alice"
    assert direct(sim)["alice"] == "write"
    again = ansible.play([collab("alice", permission="push")])
    assert again.rc == 0 and again.changed == 0, again


def test_absent_removes_a_direct_collaborator(ansible, sim):
    run = ansible.play([collab("Outsider-Olga", state="absent")], diff=True)
    assert run.rc == 0 and run.changed == 1, run
    assert writes(sim) == [("DELETE", "/repos/acme/widgets/collaborators/outsider-olga", 204)]
    assert run.task("collab")["diff"]["before"]["role_name"] == "write"
    assert run.task("collab")["diff"]["after"]["state"] == "absent"
    assert "outsider-olga" not in direct(sim)
    sim.clear_log()
    again = ansible.play([collab("outsider-olga", state="absent")])
    assert again.rc == 0 and again.changed == 0, again
    assert sim.writes() == []
    assert paths(sim) == ["/repos/acme/widgets/collaborators", "/repos/acme/widgets/invitations"]


# -- access through the organization -----------------------------------------------


@pytest.mark.parametrize("permission", ["pull", "triage", "push", "maintain"])
def test_an_owner_is_unchanged_on_every_run(ansible, sim, permission):
    for _attempt in range(2):
        run = ansible.play([collab("octo-admin", permission=permission)])
        assert run.rc == 0 and run.changed == 0, run
        result = run.task("collab")["collaborator"]
        assert result["role_name"] == "admin" and result["source"] == "organization"
        assert result["username"] == "Octo-Admin"
    assert sim.writes() == []


def test_an_owner_asking_for_admin_costs_one_request(ansible, sim):
    run = ansible.play([collab("Octo-Admin", permission="admin")])
    assert run.rc == 0 and run.changed == 0, run
    assert len(sim.requests()) == 1


def test_an_owners_direct_grant_under_ownership_is_left_unchanged(ansible, sim, state):
    state["orgs"][0]["members"]["second-owner"] = "admin"
    widgets(state)["collaborators"]["second-owner"] = "write"
    sim.reset(state)
    for _attempt in range(2):
        run = ansible.play([collab("second-owner", permission="triage")])
        assert run.rc == 0 and run.changed == 0, run
        assert run.task("collab")["collaborator"]["source"] == "organization"
    assert sim.writes() == []


def test_a_team_members_access_counts_and_a_higher_permission_is_granted_directly(ansible, sim):
    same = ansible.play([collab("bob", permission="push")])
    assert same.rc == 0 and same.changed == 0, same
    result = same.task("collab")["collaborator"]
    assert result["role_name"] == "maintain" and result["source"] == "organization"
    assert sim.writes() == []

    higher = ansible.play([collab("bob", permission="admin")], diff=True)
    assert higher.rc == 0 and higher.changed == 1, higher
    assert writes(sim) == [("PUT", "/repos/acme/widgets/collaborators/bob", 204)]  # a member: no invitation
    assert higher.task("collab")["collaborator"]["pending"] is False
    assert higher.task("collab")["collaborator"]["source"] == "direct"
    assert higher.task("collab")["diff"]["before"]["source"] == "organization"
    assert direct(sim)["bob"] == "admin"
    assert ansible.play([collab("bob", permission="admin")]).changed == 0

    gone = ansible.play([collab("bob", state="absent")])
    assert gone.rc == 0 and gone.changed == 1
    assert "bob" not in direct(sim)
    kept = ansible.play([collab("bob", state="absent")])
    assert kept.changed == 0 and len(sim.writes()) == 2, "team access is not the module's to remove"


def test_base_permission_counts_and_a_direct_grant_raises_it(ansible, sim):
    base = ansible.play([collab("dave", permission="pull")])
    assert base.rc == 0 and base.changed == 0, base
    assert base.task("collab")["collaborator"]["role_name"] == "read"
    raised = ansible.play([collab("dave", permission="push")])
    assert raised.rc == 0 and raised.changed == 1, raised
    assert writes(sim) == [("PUT", "/repos/acme/widgets/collaborators/dave", 204)]
    assert direct(sim)["dave"] == "write"


def test_lowering_below_the_base_permission_fails_naming_permission(ansible, sim, state):
    state["orgs"][0]["settings"]["default_repository_permission"] = "write"
    sim.reset(state)
    base = ansible.play([collab("dave", permission="pull")])
    assert base.rc == 0 and base.changed == 0, base  # has at least read through the base permission
    run = ansible.play([collab("alice", permission="pull")])
    assert run.rc != 0
    msg = run.task("collab")["msg"]
    assert msg.startswith("permission: GitHub refused to give Alice the role 'pull' on acme/widgets")
    assert "Cannot assign Alice permission of read" in msg
    assert "Traceback" not in run.output


def test_a_direct_grant_under_a_higher_team_role_is_set_with_a_warning(ansible, sim, state):
    widgets(state)["collaborators"]["bob"] = "write"
    sim.reset(state)
    run = ansible.play([collab("bob", permission="triage")])
    assert run.rc == 0 and run.changed == 1, run
    assert direct(sim)["bob"] == "triage"
    warnings = run.task("collab").get("warnings") or []
    assert any("still have maintain from another source" in w for w in warnings), run.task("collab")


def with_team(state, members=None):
    """bob's maintain on widgets through a real team (Widget Makers), as GitHub's teams API shows it."""
    widgets(state).pop("teams", None)
    state["orgs"][0]["teams"] = [{"name": "Widget Makers", "privacy": "closed",
                                  "members": members or {"bob": "member"}, "repos": {"widgets": "maintain"}},
                                 {"name": "Readers", "privacy": "closed", "members": {"dave": "member"},
                                  "repos": {"widgets": "read"}}]
    return state


def test_access_through_a_team_says_which_team(ansible, sim, state):
    sim.reset(with_team(state))
    run = ansible.play([collab("bob", permission="push")], diff=True)
    assert run.rc == 0 and run.changed == 0, run
    result = run.task("collab")["collaborator"]
    assert result["source"] == "team" and result["teams"] == {"widget-makers": "maintain"}
    assert result["role_name"] == "maintain"
    assert run.task("collab")["diff"]["after"]["teams"] == {"widget-makers": "maintain"}
    # the cost of saying where the access comes from: the repository's teams (one page) and bob's
    # membership of each of its two teams, after the permission read and the direct list
    assert paths(sim) == ["/repos/acme/widgets/collaborators/bob/permission", "/repos/acme/widgets/collaborators",
                          "/repos/acme/widgets/teams", "/orgs/acme/teams/readers/memberships/bob",
                          "/orgs/acme/teams/widget-makers/memberships/bob"]
    # an owner's admin comes from the organization; no team of the repository gives it
    sim.clear_log()
    owner = ansible.play([collab("octo-admin", permission="push")]).task("collab")["collaborator"]
    assert owner["source"] == "organization" and owner["teams"] == {}
    # unchanged at the floor when the role already matches: one request, no source
    sim.clear_log()
    same = ansible.play([collab("bob", permission="maintain")]).task("collab")["collaborator"]
    assert "source" not in same and len(sim.requests()) == 1


def test_a_direct_grant_under_a_higher_team_role_is_left_as_the_team_shows_it(ansible, sim, state):
    # GitHub shows only the highest role (the team's maintain): the direct grant under it cannot be read,
    # as under ownership or the base permission; the teams API explains the role, so nothing is written
    state = with_team(state)
    widgets(state)["collaborators"]["bob"] = "write"
    sim.reset(state)
    for _attempt in range(2):
        run = ansible.play([collab("bob", permission="triage")])
        assert run.rc == 0 and run.changed == 0, run
        result = run.task("collab")
        assert result["collaborator"]["source"] == "team" and result["collaborator"]["role_name"] == "maintain"
        assert result["collaborator"]["teams"] == {"widget-makers": "maintain"}
        assert not result.get("warnings")
    assert sim.writes() == []
    # a higher permission than the team's is granted directly as before
    raised = ansible.play([collab("bob", permission="admin")])
    assert raised.changed == 1 and raised.task("collab")["collaborator"]["source"] == "direct"


# -- GitHub Enterprise Server, public repositories, custom roles ---------------------


def test_ghes_grants_directly_and_the_module_follows_the_answer(ansible, sim, state):
    state["flavor"] = "ghes"
    sim.reset(state)
    api_url = {"api_url": sim.url + "/api/v3"}
    check = ansible.play([collab("erin", **api_url)], check=True)
    assert check.rc == 0 and check.changed == 1, check
    assert check.task("collab")["collaborator"]["pending"] is False
    assert sim.writes() == []

    run = ansible.play([collab("erin", **api_url)])
    assert run.rc == 0 and run.changed == 1, run
    assert writes(sim) == [("PUT", "/repos/acme/widgets/collaborators/erin", 204)]
    result = run.task("collab")["collaborator"]
    assert result["pending"] is False and result["role_name"] == "write" and "invitation_id" not in result
    assert direct(sim)["erin"] == "write" and [i for i in invitations(sim) if i[0] == "erin"] == []
    assert ansible.play([collab("erin", **api_url)]).changed == 0


def test_public_read_is_not_mistaken_for_access(ansible, sim):
    # GitHub's permission endpoint reports read for everyone on a public repository.
    run = ansible.play([collab("erin", repo="gadgets", permission="pull")])
    assert run.rc == 0 and run.changed == 1, run
    assert writes(sim) == [("PUT", "/repos/acme/gadgets/collaborators/erin", 201)]
    assert run.task("collab")["collaborator"]["pending"] is True
    again = ansible.play([collab("erin", repo="gadgets", permission="pull")])
    assert again.rc == 0 and again.changed == 0, again
    assert len(sim.writes()) == 1
    keep = ansible.play([collab("outsider-oscar", repo="gadgets", permission="pull")])
    assert keep.rc == 0 and keep.changed == 0, keep


def test_custom_repository_role(ansible, sim, state):
    widgets(state)["custom_roles"] = {"security-auditor": "read"}
    sim.reset(state)
    run = ansible.play([collab("erin", permission="security-auditor")])
    assert run.rc == 0 and run.changed == 1, run
    assert writes(sim) == [("PUT", "/repos/acme/widgets/collaborators/erin", 201)]
    assert run.task("collab")["collaborator"]["role_name"] == "security-auditor"

    pending = ansible.play([collab("erin", permission="security-auditor")])
    assert pending.rc == 0 and pending.changed == 0, pending
    assert any("cannot set a custom role on an invitation" in w for w in pending.task("collab")["warnings"])

    sim.accept_invitation("erin", repo="acme/widgets")
    sim.clear_log()
    accepted = ansible.play([collab("erin", permission="security-auditor")])
    assert accepted.rc == 0 and accepted.changed == 0, accepted
    assert accepted.task("collab")["collaborator"]["role_name"] == "security-auditor"
    assert len(sim.requests()) == 1

    to_custom = ansible.play([collab("outsider-olga", permission="security-auditor")])
    assert to_custom.rc == 0 and to_custom.changed == 1, to_custom
    assert direct(sim)["outsider-olga"] == "security-auditor"
    assert ansible.play([collab("outsider-olga", permission="security-auditor")]).changed == 0

    sim.clear_log()
    unknown = ansible.play([collab("mallory", permission="no-such-role")])
    assert unknown.rc != 0
    assert unknown.task("collab")["msg"].startswith("permission: 'no-such-role': neither a built-in role (pull, "
                                                    "triage, push, maintain, admin) nor a custom repository role "
                                                    "of organization acme (its custom roles: security-auditor)")
    assert sim.writes() == []  # refused before any write (it used to be GitHub's 422)


# -- logins, check mode, errors ---------------------------------------------------


@pytest.mark.parametrize("spelling", ["ALICE", "@alice", "Alice"])
def test_logins_compare_case_insensitively_and_results_are_canonical(ansible, sim, spelling):
    run = ansible.play([collab(spelling, permission="admin")])
    assert run.rc == 0 and run.changed == 0, run
    assert run.task("collab")["collaborator"]["username"] == "Alice"
    assert sim.writes() == []


@pytest.mark.parametrize("spelling", ["FRANK", "@Frank"])
def test_a_case_flipped_invitee_is_matched(ansible, sim, spelling):
    run = ansible.play([collab(spelling, permission="push")])
    assert run.rc == 0 and run.changed == 0, run
    assert run.task("collab")["collaborator"]["username"] == "frank"
    assert run.task("collab")["collaborator"]["pending"] is True


def test_org_is_an_alias_of_owner(ansible, sim):
    task = {"name": "collab", "orgcode.github.github_repo_collaborator":
            {"org": "ACME", "repo": "Widgets", "username": "outsider-olga", "permission": "write"}}
    run = ansible.play([task])
    assert run.rc == 0 and run.changed == 0, run


def test_missing_repository_and_missing_user_are_named(ansible, sim):
    for check in (False, True):
        run = ansible.play([collab("erin", repo="no-such-repo")], check=check)
        assert run.rc != 0
        assert "repo: repository acme/no-such-repo was not found" in run.task("collab")["msg"]
        run = ansible.play([collab("no-such-user-xyz")], check=check)
        assert run.rc != 0
        assert "username: GitHub user 'no-such-user-xyz' does not exist" in run.task("collab")["msg"]
        run = ansible.play([collab("erin", repo="no-such-repo", state="absent")], check=check)
        assert run.rc != 0
        assert "repo: repository acme/no-such-repo was not found" in run.task("collab")["msg"]
    assert sim.writes() == []


def test_a_token_without_admin_rights_gets_one_readable_403(ansible, sim):
    ansible.token = MEMBER_TOKEN
    run = ansible.play([collab("erin")])
    assert run.rc != 0
    result = run.task("collab")
    assert result["status"] == 403
    assert "HTTP 403" in result["msg"] and "admin rights" in result["msg"]
    assert "Traceback" not in run.output
    assert sim.writes() == []


@pytest.mark.parametrize("bad, option", [
    ({"username": "not a login"}, "username"),
    ({"repo": "bad/repo"}, "repo"),
    ({"repo": ".."}, "repo"),
    ({"owner": "bad owner"}, "owner"),
    ({"permission": " "}, "permission"),
    ({"state": "gone"}, "state"),
])
def test_bad_input_fails_before_any_request_naming_the_option(ansible, sim, bad, option):
    options = dict({"owner": "acme", "repo": "widgets", "username": "erin"}, **bad)
    run = ansible.play([{"name": "collab", "orgcode.github.github_repo_collaborator": options}])
    assert run.rc != 0
    assert option in run.task("collab")["msg"]
    assert sim.requests() == []


def test_teams_the_token_cannot_read_leave_the_source_as_organization(ansible, sim, state):
    token = "ghp_test_repo_only_token_0123456789abcde"
    state["tokens"].append({"token": token, "login": "octo-admin", "scopes": ["repo"]})
    sim.reset(with_team(state))
    run = ansible.play([collab("bob", permission="push", token=token)])
    assert run.rc == 0 and run.changed == 0, run
    result = run.task("collab")
    assert result["collaborator"]["source"] == "organization" and result["collaborator"]["teams"] == {}
    assert any("cannot read the teams with access to acme/widgets" in w for w in result.get("warnings") or [])
    assert token not in run.output
