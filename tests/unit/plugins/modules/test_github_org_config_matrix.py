"""github_org_config: the plan is the apply, across sections, in-process (what the role's matrix ran through
ansible-playbook, milliseconds a case now).

Each case is the role's variables (converted to the module's ``config`` and ``exclusive``); check mode and the
real run start from the same state, the planned writes equal the simulator's log one by one (method, path,
body), the writes are the case's, and a second run plans nothing (tests/helpers.py ``apply_both``). A pending
organization invitation is cancelled with ``DELETE /orgs/{org}/memberships/{username}`` (GitHub Enterprise Server
has no invitation endpoints), and a user leaving the organization in the run is not removed from the
repositories first: leaving takes its access with it.

bob's access to widgets comes from a real team (Widget Makers, maintain), as GitHub's teams API shows it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


import copy

import pytest
from helpers import apply_both, fails_before_any_write

SECTIONS = ("settings", "members", "outside_collaborators", "teams", "hooks", "repo_collaborators")


def engine_options(role_vars):
    """The role's variables as github_org_config's options (what roles/org_config/tasks/main.yml passes)."""
    config = dict((key, role_vars["org_config_" + key]) for key in SECTIONS if role_vars.get("org_config_" + key))
    exclusive = [dict(teams="team_lists").get(key, key) for key in ("members", "teams", "repo_collaborators")
                 if role_vars.get("org_config_%s_exclusive" % key)]
    return dict(config=config, exclusive=exclusive)


def with_team(state, repos=None):
    """bob's team access on widgets as a real team (not the simulator's per-user shortcut)."""
    org = next(o for o in state["orgs"] if o["login"] == "acme")
    widgets = next(r for r in state["repos"] if r["name"] == "widgets")
    widgets.pop("teams", None)
    org["teams"] = [{"name": "Widget Makers", "privacy": "closed", "members": {"bob": "member"},
                     "repos": dict({"widgets": "maintain"}, **(repos or {}))}]
    return state


def with_child_team(state):
    """with_team, plus an existing child team of Widget Makers (Widget Juniors) whose member is dave."""
    org = next(o for o in with_team(state)["orgs"] if o["login"] == "acme")
    org["teams"].append({"name": "Widget Juniors", "parent": "widget-makers", "members": {"dave": "member"}})
    return state


def rita_on_gadgets(state):
    """read-only-rita, a member, also has a direct grant on gadgets."""
    next(r for r in state["repos"] if r["name"] == "gadgets")["collaborators"]["read-only-rita"] = "write"
    return state


CASES = {
    # The exclusive member list keeps a member that the outside-collaborator section converts next.
    "exclusive members keep a member being converted": dict(
        role_vars={"org_config_members_exclusive": True,
                   "org_config_members": [{"login": "octo-admin", "role": "admin"}, {"login": "alice"},
                                          {"login": "bob"}],
                   "org_config_outside_collaborators": [{"login": "dave"}]},
        writes=[("DELETE", "/orgs/acme/memberships/read-only-rita"), ("DELETE", "/orgs/acme/memberships/carol"),
                ("PUT", "/orgs/acme/outside_collaborators/dave")]),
    # A member converted in this run, its repository access listed at its team's level: the repository
    # section sees the same access before (team) and after (direct) the conversion.
    "a converted member keeps the access its team gave": dict(
        role_vars={"org_config_outside_collaborators": [{"login": "bob"}],
                   "org_config_repo_collaborators": [{"repo": "widgets", "login": "bob", "permission": "maintain"}]},
        writes=[("PUT", "/orgs/acme/outside_collaborators/bob")]),
    # A login invited to the organization and given repository access in the same run: the repository
    # invitation is planned as an invitation (the organization invitation is still pending), as sent.
    "a login invited to the organization gets a repository invitation": dict(
        role_vars={"org_config_members": [{"login": "erin"}],
                   "org_config_repo_collaborators": [{"repo": "widgets", "login": "erin", "permission": "push"}]},
        writes=[("PUT", "/orgs/acme/memberships/erin"), ("PUT", "/repos/acme/widgets/collaborators/erin")]),
    # An outside collaborator removed from every repository while a repository's exclusive list would remove
    # it too: its removal from the organization takes the repository access with it (one write, not two).
    "an outside collaborator removed while an exclusive repository list covers it": dict(
        role_vars={"org_config_outside_collaborators": [{"login": "outsider-oscar", "state": "absent"}],
                   "org_config_repo_collaborators_exclusive": True,
                   "org_config_repo_collaborators": [{"repo": "gadgets", "login": "outsider-olga",
                                                      "permission": "pull"}]},
        writes=[("PUT", "/repos/acme/gadgets/collaborators/outsider-olga"),
                ("DELETE", "/orgs/acme/outside_collaborators/outsider-oscar")]),
    # A member removed while an exclusive repository list covers its direct access: the removal takes it.
    "a member removed while an exclusive repository list covers its access": dict(
        role_vars={"org_config_members": [{"login": "alice", "state": "absent"}],
                   "org_config_repo_collaborators_exclusive": True,
                   "org_config_repo_collaborators": [{"repo": "widgets", "login": "outsider-olga",
                                                      "permission": "push"}]},
        writes=[("DELETE", "/repos/acme/widgets/invitations/"), ("DELETE", "/orgs/acme/memberships/Alice")]),
    # Removed members are not listed again by the exclusive list's removals (no second removal).
    "an exclusive member list with a member listed as absent": dict(
        role_vars={"org_config_members_exclusive": True,
                   "org_config_members": [{"login": "octo-admin", "role": "admin"}, {"login": "alice"},
                                          {"login": "bob"}, {"login": "dave"},
                                          {"login": "read-only-rita", "state": "absent"}]},
        writes=[("DELETE", "/orgs/acme/memberships/read-only-rita"), ("DELETE", "/orgs/acme/memberships/carol")]),
    # (a) A member converted in this run whose team access (maintain) differs from its listed permission: the
    # conversion turns it into a direct maintain grant, which the repository section then lowers.
    "a converted member's team access differs from its listed permission": dict(
        role_vars={"org_config_outside_collaborators": [{"login": "bob"}],
                   "org_config_repo_collaborators": [{"repo": "widgets", "login": "bob", "permission": "push"}]},
        writes=[("PUT", "/orgs/acme/outside_collaborators/bob"), ("PUT", "/repos/acme/widgets/collaborators/bob")]),
    # (a) The converted access on a repository whose exclusive list does not name it is removed.
    "a converted member's access on a repository an exclusive list does not name": dict(
        state=lambda state: with_team(state, {"gadgets": "push"}),
        role_vars={"org_config_outside_collaborators": [{"login": "bob"}],
                   "org_config_repo_collaborators_exclusive": True,
                   "org_config_repo_collaborators": [{"repo": "gadgets", "login": "outsider-oscar",
                                                      "permission": "pull"}]},
        writes=[("PUT", "/orgs/acme/outside_collaborators/bob"), ("DELETE", "/repos/acme/gadgets/collaborators/bob")]),
    # (b) A member made an owner while listed with less than its direct grant: as an owner it has admin, which
    # the organization gives, so the direct grant is left.
    "a member made an owner while listed with repository access": dict(
        role_vars={"org_config_members": [{"login": "alice", "role": "admin"}],
                   "org_config_repo_collaborators": [{"repo": "widgets", "login": "alice", "permission": "push"}]},
        writes=[("PUT", "/orgs/acme/memberships/Alice")]),
    # (b) An owner no longer an owner, listed with more than the base permission gives: it gets a direct grant.
    "an owner made a member while listed with repository access": dict(
        state=lambda state: next(o for o in with_team(state)["orgs"] if o["login"] == "acme")["members"].update(
            {"second-owner": "admin"}) or state,
        role_vars={"org_config_members": [{"login": "second-owner", "role": "member"}],
                   "org_config_repo_collaborators": [{"repo": "gadgets", "login": "second-owner",
                                                      "permission": "push"}]},
        writes=[("PUT", "/orgs/acme/memberships/second-owner"),
                ("PUT", "/repos/acme/gadgets/collaborators/second-owner")]),
    # (c) Members removed by the exclusive member list while an exclusive repository list covers their direct
    # access: the removal takes the grant with it, nothing is left for the repository list to remove.
    "members removed by the exclusive list while an exclusive repository list covers their access": dict(
        state=lambda state: rita_on_gadgets(with_team(state)),
        role_vars={"org_config_members_exclusive": True,
                   "org_config_members": [{"login": "octo-admin", "role": "admin"}, {"login": "alice"},
                                          {"login": "bob"}, {"login": "dave"}],
                   "org_config_repo_collaborators_exclusive": True,
                   "org_config_repo_collaborators": [{"repo": "gadgets", "login": "outsider-oscar",
                                                      "permission": "pull"}]},
        writes=[("DELETE", "/orgs/acme/memberships/read-only-rita"), ("DELETE", "/orgs/acme/memberships/carol")]),
    # (d) A new base permission (write) gives listed members what their entry asks: no direct grant needed.
    "a new base permission covers a member's listed access": dict(
        role_vars={"org_config_settings": {"default_repository_permission": "write"},
                   "org_config_repo_collaborators": [{"repo": "widgets", "login": "dave", "permission": "push"}]},
        writes=[("PATCH", "/orgs/acme")]),
    # (e) A team the run creates gives a listed member (dave, base read) the listed access on widgets: the real
    # run finds the team's access enough, so check mode plans no direct grant either.
    "a team of the run gives a member its listed access": dict(
        role_vars={"org_config_teams": [{"name": "Widget Pushers", "privacy": "closed", "members": [{"login": "dave"}],
                                         "repositories": [{"name": "widgets", "permission": "push"}]}],
                   "org_config_repo_collaborators": [{"repo": "widgets", "login": "dave", "permission": "push"}]},
        writes=[("POST", "/orgs/acme/teams"), ("PUT", "/orgs/acme/teams/widget-pushers/memberships/dave"),
                ("PUT", "/orgs/acme/teams/widget-pushers/repos/acme/widgets")]),
    # (e) The same through a child team: its members inherit the parent's repository access.
    "a child team of the run inherits the access its parent gives": dict(
        role_vars={"org_config_teams": [
            {"name": "Widget Juniors", "parent_team": "widget-pushers", "members": [{"login": "dave"}]},
            {"name": "Widget Pushers", "privacy": "closed", "repositories": [{"name": "acme/Widgets",
                                                                             "permission": "maintain"}]}],
            "org_config_repo_collaborators": [{"repo": "widgets", "login": "dave", "permission": "push"}]},
        writes=[("POST", "/orgs/acme/teams"), ("POST", "/orgs/acme/teams"),
                ("PUT", "/orgs/acme/teams/widget-juniors/memberships/dave"),
                ("PUT", "/orgs/acme/teams/widget-pushers/repos/acme/Widgets")]),
    # (e) A team of the run gives less than listed: the direct grant is still needed.
    "a team of the run gives a member less than its listed access": dict(
        role_vars={"org_config_teams": [{"name": "Widget Pushers", "privacy": "closed", "members": [{"login": "dave"}],
                                         "repositories": [{"name": "widgets", "permission": "triage"}]}],
                   "org_config_repo_collaborators": [{"repo": "widgets", "login": "dave", "permission": "push"}]},
        writes=[("POST", "/orgs/acme/teams"), ("PUT", "/orgs/acme/teams/widget-pushers/memberships/dave"),
                ("PUT", "/orgs/acme/teams/widget-pushers/repos/acme/widgets"),
                ("PUT", "/repos/acme/widgets/collaborators/dave")]),
    # (e) A login invited to the organization and put in a team of the run: the team membership stays pending,
    # so the repository section still invites it.
    "a login invited to the organization and to a team gets a repository invitation": dict(
        role_vars={"org_config_members": [{"login": "erin"}],
                   "org_config_teams": [{"name": "Widget Pushers", "privacy": "closed", "members": [{"login": "erin"}],
                                         "repositories": [{"name": "widgets", "permission": "push"}]}],
                   "org_config_repo_collaborators": [{"repo": "widgets", "login": "erin", "permission": "push"}]},
        writes=[("PUT", "/orgs/acme/memberships/erin"), ("POST", "/orgs/acme/teams"),
                ("PUT", "/orgs/acme/teams/widget-pushers/memberships/erin"),
                ("PUT", "/orgs/acme/teams/widget-pushers/repos/acme/widgets"),
                ("PUT", "/repos/acme/widgets/collaborators/erin")]),
    # (e) An existing team of the run gains a repository, and a member the description does not list (the team
    # has no members list) is listed there with the team's role: the real run finds the team's access enough, so
    # check mode reads the team's membership (planned_changes.team_grants) and plans no direct grant either.
    "a team of the run gives a repository to a member it does not list": dict(
        role_vars={"org_config_teams": [{"name": "Widget Makers", "repositories": [{"name": "gadgets",
                                                                                    "permission": "push"}]}],
                   "org_config_repo_collaborators": [{"repo": "gadgets", "login": "bob", "permission": "push"}]},
        writes=[("PUT", "/orgs/acme/teams/widget-makers/repos/acme/gadgets")]),
    # (e) The same with a members list that does not name bob (kept: org_config_teams_exclusive is off), and dave,
    # listed there, given more than the team's role: dave still gets a direct grant.
    "a team of the run gives a repository to a member its kept members include": dict(
        role_vars={"org_config_teams": [{"name": "Widget Makers", "members": [{"login": "dave"}],
                                         "repositories": [{"name": "gadgets", "permission": "push"}]}],
                   "org_config_repo_collaborators": [{"repo": "gadgets", "login": "bob", "permission": "push"},
                                                     {"repo": "gadgets", "login": "dave", "permission": "maintain"}]},
        writes=[("PUT", "/orgs/acme/teams/widget-makers/memberships/dave"),
                ("PUT", "/orgs/acme/teams/widget-makers/repos/acme/gadgets"),
                ("PUT", "/repos/acme/gadgets/collaborators/dave")]),
    # (e) Through an existing child team the description does not list: its members are the parent's members.
    "a team of the run gives a repository to its child team's members": dict(
        state=with_child_team,
        role_vars={"org_config_teams": [{"name": "Widget Makers", "repositories": [{"name": "gadgets",
                                                                                    "permission": "push"}]}],
                   "org_config_repo_collaborators": [{"repo": "gadgets", "login": "dave", "permission": "write"}]},
        writes=[("PUT", "/orgs/acme/teams/widget-makers/repos/acme/gadgets")]),
    # (d) A lower base permission (none): a member listed with read needs a direct grant now.
    "a lower base permission no longer covers a member's listed access": dict(
        role_vars={"org_config_settings": {"default_repository_permission": "none"},
                   "org_config_repo_collaborators": [{"repo": "widgets", "login": "dave", "permission": "pull"}]},
        writes=[("PATCH", "/orgs/acme"), ("PUT", "/repos/acme/widgets/collaborators/dave")]),
}


def _shape(writes):
    """Invitation ids are the simulator's: compare their prefix."""
    return sorted((m, p if "/invitations/" not in p else p.rsplit("/", 1)[0] + "/") for m, p in writes)


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_predicts_exactly_what_the_real_run_does(run, sim, state, name):
    case = CASES[name]
    start = case.get("state", with_team)(copy.deepcopy(state))
    check, _real = apply_both(run, sim, start, **engine_options(case["role_vars"]))
    assert _shape((w["method"], w["path"]) for w in check["writes"]) == _shape(case["writes"])


REFUSED = {
    # Validation: nothing is sent at all.
    "a removed member given repository access": (
        {"org_config_members": [{"login": "alice", "state": "absent"}],
         "org_config_repo_collaborators": [{"repo": "widgets", "login": "Alice", "permission": "admin"}]},
        "org_config_repo_collaborators[0].login: Alice is removed from the organization at org_config_members[0]",
        False),
    "a removed outside collaborator's repository entry": (
        {"org_config_outside_collaborators": [{"login": "outsider-oscar", "state": "absent"}],
         "org_config_repo_collaborators": [{"repo": "gadgets", "login": "outsider-oscar", "state": "absent"}]},
        "this entry is redundant", False),
    # After the reads, before any write: the exclusive member list would remove rita, the repository section
    # would invite her back.
    "an exclusive member list and a member given repository access but not listed": (
        {"org_config_members_exclusive": True,
         "org_config_settings": {"description": "not written"},
         "org_config_members": [{"login": "octo-admin", "role": "admin"}, {"login": "alice"}, {"login": "bob"},
                                {"login": "dave"}],
         "org_config_repo_collaborators": [{"repo": "gadgets", "login": "read-only-rita", "permission": "pull"}]},
        "org_config_repo_collaborators[0].login: read-only-rita is a member of acme but is listed in neither "
        "org_config_members", True),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_one_section_undoing_another_is_refused_before_any_write(run, sim, state, name):
    role_vars, expected, _reads = REFUSED[name]
    result = fails_before_any_write(run, sim, state, expected=expected, error_prefix="org_config_",
                                    **engine_options(role_vars))
    assert "description" not in str(result.get("writes"))


# -- what the role's README listed as unpredictable under --check: the engine plans each as the real run does ------

UNPREDICTABLE = {
    # A team grant the run lowers: bob's maintain came from Widget Makers, which the run lowers to triage; his
    # listed push now needs a direct grant, planned in the same run.
    "a team grant the run lowers": dict(
        config=dict(teams=[dict(name="Widget Makers", repositories=[dict(name="widgets", permission="triage")])],
                    repo_collaborators=[dict(repo="widgets", login="bob", permission="push")]),
        writes=[("PUT", "/orgs/acme/teams/widget-makers/repos/acme/widgets"),
                ("PUT", "/repos/acme/widgets/collaborators/bob")]),
    # ... or removes (an exclusive team section whose entry for the team lists no repositories).
    "a team grant the run removes": dict(
        config=dict(teams=[dict(name="Widget Makers", repositories=[])],
                    repo_collaborators=[dict(repo="widgets", login="bob", permission="push")]),
        exclusive=["teams"],
        writes=[("DELETE", "/orgs/acme/teams/widget-makers/repos/acme/widgets"),
                ("PUT", "/repos/acme/widgets/collaborators/bob")]),
    # A parent team the description does not list gives its child team's members its grant: dave, in the listed
    # child Widget Juniors, has write on gadgets through the unlisted parent; no direct grant is needed.
    "a parent team the description does not list": dict(
        state=lambda state: next(o for o in with_child_team(state)["orgs"] if o["login"] == "acme")["teams"][0][
            "repos"].update({"gadgets": "push"}) or state,
        config=dict(teams=[dict(name="Widget Juniors", parent_team="widget-makers",
                                members=[dict(login="dave"), dict(login="erin")])],
                    repo_collaborators=[dict(repo="gadgets", login="dave", permission="push")]),
        writes=[("PUT", "/orgs/acme/teams/widget-juniors/memberships/erin")]),
    # A direct grant hidden under a higher team role: bob's direct triage on widgets is under the team's
    # maintain; listed at push, the grant cannot be read and is left (no write, and none on the next run).
    "a direct grant hidden under a higher team role": dict(
        state=lambda state: next(r for r in with_team(state)["repos"] if r["name"] == "widgets")[
            "collaborators"].update({"bob": "triage"}) or state,
        config=dict(repo_collaborators=[dict(repo="widgets", login="bob", permission="push")]),
        writes=[]),
    # ... under the base permission: a member's direct read under a base of write, listed at triage.
    "a direct grant hidden under the base permission": dict(
        state=lambda state: (next(r for r in state["repos"] if r["name"] == "gadgets")["collaborators"].update(
            {"read-only-rita": "read"}), state["orgs"][0]["settings"].update(default_repository_permission="write"),
            state)[-1],
        config=dict(repo_collaborators=[dict(repo="gadgets", login="read-only-rita", permission="triage")]),
        writes=[]),
}


@pytest.mark.parametrize("name", sorted(UNPREDICTABLE))
def test_what_check_mode_could_not_predict_is_planned_as_applied(run, sim, state, name):
    case = UNPREDICTABLE[name]
    start = case.get("state", with_team)(copy.deepcopy(state))
    check, _real = apply_both(run, sim, start, case["config"], exclusive=case.get("exclusive", []))
    assert _shape((w["method"], w["path"]) for w in check["writes"]) == _shape(case["writes"])
