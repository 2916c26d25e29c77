"""github_org_config, the organization engine, in-process against the simulator.

Every case starts check mode and the real run from the same state and compares them: ``changed``, the diff,
the actions, and the planned writes against the writes the simulator logged, one by one (method, path,
body); then a second run must plan nothing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json

import pytest
from harness import ADMIN_TOKEN
from helpers import MODULE, SECRET, TEAMS, acme, apply_both, fails_before_any_write, lower, teams_of, with_teams


@pytest.fixture
def teams_state(sim, state):
    with_teams(sim, state)
    return state


def test_members_settings_hooks_and_collaborators_in_one_plan(run, sim, state):
    config = dict(
        settings=dict(description="Widgets and gadgets", members_can_create_repositories=False),
        members=[dict(login="octo-admin", role="admin"), dict(login="alice", role="admin"), dict(login="erin")],
        outside_collaborators=[dict(login="dave")],
        hooks=[dict(url="https://ci.acme.example/hook", events=["push"], secret="s3cret-new-hook"),
               dict(url="https://chat.acme.example/hook", events=["issues"], secret="s3cret-chat-hook")],
        repo_collaborators=[dict(repo="gadgets", login="outsider-olga", permission="triage")],
    )
    check, real = apply_both(run, sim, state, config)
    methods = [(w["method"], w["path"]) for w in check["writes"]]
    assert methods == [
        ("PATCH", "/orgs/acme"),
        ("PUT", "/orgs/acme/memberships/Alice"),
        ("PUT", "/orgs/acme/memberships/erin"),
        ("PUT", "/orgs/acme/outside_collaborators/dave"),
        ("PATCH", "/orgs/acme/hooks/1"),
        ("POST", "/orgs/acme/hooks"),
        ("PUT", "/repos/acme/gadgets/collaborators/outsider-olga"),
    ]
    # the hook change names the old and the new events; no secret anywhere
    hook = next(d for d in check["diff"] if d["before_header"] == "hook https://ci.acme.example/hook")
    assert hook["before"]["events"] == ["pull_request", "push"] and hook["after"]["events"] == ["push"]
    text = repr(check) + repr(real)
    assert "s3cret" not in text and SECRET not in text
    assert real["api"]["requests"] > 0


def test_unchanged_run_costs_the_documented_floor(run, sim, state):
    config = dict(members=[dict(login="alice")], hooks=[dict(url="https://ci.acme.example/hook",
                                                                 events=["push", "pull_request"])])
    result = run(MODULE, org="acme", config=config, write_delay=0)
    assert result.changed is False, result["writes"]
    # 1 organization + 2 member lists + 1 invitations + 1 hooks
    assert result["api"]["requests"] == 5


def test_case1_member_moved_from_child_team_to_parent(run, sim, teams_state):
    """dave is in platform-sre (a child of platform); the description moves him up to platform."""
    config = dict(teams=[
        dict(name="Platform", members=[dict(login="alice", role="maintainer"), dict(login="bob"),
                                       dict(login="dave")]),
        dict(name="Platform SRE", parent_team="platform", members=[]),
        dict(name="Security", members=[dict(login="alice", role="maintainer")]),
    ])
    check, _real = apply_both(run, sim, teams_state, config, exclusive=["teams"])
    assert [(w["method"], w["path"]) for w in check["writes"]] == [
        ("PUT", "/orgs/acme/teams/platform/memberships/dave"),
        ("DELETE", "/orgs/acme/teams/platform-sre/memberships/dave"),
    ]
    teams = teams_of(sim)
    assert "dave" in teams["platform"]["members"] and "dave" not in teams["platform-sre"]["members"]


def test_case2_a_member_shown_through_a_child_team_is_never_removed(run, sim, state):
    teams = copy.deepcopy(TEAMS)
    teams[0]["members"] = {"alice": "maintainer", "bob": "member", "dave": "maintainer"}  # direct in parent too
    with_teams(sim, state, teams)
    config = dict(teams=[
        dict(name="Platform", members=[dict(login="alice", role="maintainer"), dict(login="bob")]),
        dict(name="Platform SRE", parent_team="platform", members=[dict(login="dave")]),
        dict(name="Security", members=[dict(login="alice", role="maintainer")]),
    ])
    sim.reset(state)
    result = run(MODULE, org="acme", config=config, exclusive=["teams"], write_delay=0)
    assert not result.failed and result.changed is False, result.get("writes")
    assert any("dave" in note for note in result["notes"])
    assert teams_of(sim)["platform"]["members"]["dave"] == "maintainer"


def test_case3_renaming_a_parent_keeps_its_children(run, sim, teams_state):
    config = dict(teams=[dict(slug="platform", name="Platform Engineering"),
                         dict(name="Platform SRE", parent_team="platform-engineering",
                              members=[dict(login="dave"), dict(login="erin")])])
    check, _real = apply_both(run, sim, teams_state, config)
    assert [(w["method"], w["path"]) for w in check["writes"]] == [
        ("PATCH", "/orgs/acme/teams/platform"),
        ("PUT", "/orgs/acme/teams/platform-sre/memberships/erin"),
    ]
    rename = check["diff"][0]
    assert rename["before"]["slug"] == "platform" and rename["after"]["slug"] == "platform-engineering"
    assert teams_of(sim)["platform-sre"]["parent"] == "platform-engineering"


def test_case4_a_slug_that_names_no_team_fails(run, sim, teams_state):
    result = fails_before_any_write(run, sim, teams_state, dict(teams=[dict(slug="desgin", name="Product Design")]),
                                    "config.teams[0].slug: no team of acme has the slug 'desgin'")
    assert "typo" in result.msg


@pytest.mark.parametrize("teams, expected", [
    ([dict(name="Platform", parent_team="platform-sre")], "config.teams[0].parent_team: the parent teams make a cycle"),
    ([dict(slug="security", name="Platform")], "config.teams[0].name: team platform"),
    ([dict(name="Platform", parent_team="nope")], "config.teams[0].parent_team: team 'nope' is neither listed"),
    ([dict(name="Platform", members=[dict(login="no-such-user-x")])],
     "config.teams[0].members[0].login: GitHub user 'no-such-user-x' does not exist"),
    ([dict(name="Platform", repositories=[dict(name="nope-repo")])],
     "config.teams[0].repositories[0].name: repository acme/nope-repo was not found"),
    ([dict(name="Platform", repositories=[dict(name="widgets", permission="wizard")])],
     "config.teams[0].repositories[0].permission: 'wizard' is neither a built-in role"),
    ([dict(name="Platform SRE", privacy="secret")], "config.teams[0].privacy: a secret team cannot have a parent"),
])
def test_case5_team_errors_fail_before_any_write_even_the_member_section(run, sim, teams_state, teams, expected):
    config = dict(members=[dict(login="erin")], teams=teams)  # erin would be invited first
    fails_before_any_write(run, sim, teams_state, config, expected)


def test_case6_a_listed_child_of_a_deleted_parent_fails(run, sim, teams_state):
    config = dict(teams=[dict(name="Platform", state="absent"), dict(name="Platform SRE")])
    fails_before_any_write(run, sim, teams_state, config,
                           "config.teams[1]: team platform-sre would be deleted with its parent platform")


def test_case6_a_detached_child_survives_and_descendants_count(run, sim, teams_state):
    config = dict(teams=[dict(name="Platform", state="absent"), dict(name="Platform SRE", parent_team=None)])
    check, _real = apply_both(run, sim, teams_state, config)
    assert [(w["method"], w["path"]) for w in check["writes"]] == [
        ("PATCH", "/orgs/acme/teams/platform-sre"), ("DELETE", "/orgs/acme/teams/platform")]
    assert "platform-sre" in teams_of(sim)
    deleted = dict(teams=[dict(name="Platform", state="absent")])
    fails_before_any_write(run, sim, teams_state, deleted, "refusing to remove 2 (more than max_removals=1)",
                           max_removals=1)
    check, _real = apply_both(run, sim, teams_state, deleted)
    assert check["diff"][0]["before"]["child_teams"] == ["platform-sre"]
    # the plan counts the child team as a removal of its own (the plan callback's "2 to remove")
    assert [(a["id"], a["action"], a["verb"]) for a in check["actions"]] == [
        ("platform", "remove", "delete with its child teams platform-sre"),
        ("platform-sre", "remove", "deleted with its parent platform")]
    assert [d["before_header"] for d in check["diff"]] == ["team platform", "team platform-sre"]


def test_case7_an_absent_entry_of_an_exclusive_repository_is_removed_once(run, sim, state):
    config = dict(repo_collaborators=[dict(repo="widgets", login="alice", permission="admin"),
                                      dict(repo="widgets", login="outsider-olga", state="absent")])
    check, _real = apply_both(run, sim, state, config, exclusive=["repo_collaborators"])
    assert [(w["method"], w["path"]) for w in check["writes"]] == [
        ("DELETE", "/repos/acme/widgets/collaborators/outsider-olga"),
        ("DELETE", "/repos/acme/widgets/invitations/1")] or len(check["writes"]) == 2
    assert len([a for a in check["actions"] if a["id"] == "outsider-olga"]) == 1


def test_case8_the_plan_shows_consequences(run, sim, teams_state):
    config = dict(teams=[dict(name="Guild", privacy="closed", members=[dict(login="frank")]),
                         dict(name="Guild Web", parent_team="guild")])
    check, _real = apply_both(run, sim, teams_state, config)
    created = next(d for d in check["diff"] if d["before_header"] == "team guild")
    assert created["after"]["maintainers"] == ["Octo-Admin"]
    invite = next(a for a in check["actions"] if a["id"] == "frank")
    assert "invite to the organization" in invite["verb"]
    assert [(w["method"], w["path"]) for w in check["writes"]] == [
        ("POST", "/orgs/acme/teams"), ("PUT", "/orgs/acme/teams/guild/memberships/frank"),
        ("POST", "/orgs/acme/teams")]
    assert check["writes"][2]["body"]["parent_team_id"] == "(id of new team guild)"


def test_gathered_applies_as_a_no_op(run, sim, teams_state):
    gathered = run(MODULE, org="acme", state="gathered", all_repositories=True)
    assert not gathered.failed, gathered.msg
    config = gathered["gathered"]
    assert SECRET not in repr(gathered)
    for hook in config["hooks"]:
        hook["secret"] = "whatever"  # the export asks the user for it; on_create never sends it to a hook that has one
    result = run(MODULE, org="acme", config=config, exclusive=["teams"], write_delay=0)
    assert not result.failed and result.changed is False, result.get("writes") or result.msg


def test_an_exclusive_team_list_with_a_team_created_in_the_run(run, sim, teams_state):
    """GitHub makes the creator a maintainer: the token's user (an owner, shown as maintainer) is listed and kept;
    the unlisted members and grants of existing teams are removed."""
    config = dict(teams=[
        dict(name="Release Crew", members=[dict(login="alice"), dict(login="octo-admin")],
             repositories=[dict(name="gadgets", permission="triage")]),
        dict(name="Platform", members=[dict(login="alice", role="maintainer")], repositories=[]),
        dict(name="Platform SRE", parent_team="platform", members=[dict(login="dave")]),
        dict(name="Security", members=[dict(login="alice", role="maintainer")]),
    ])
    check, _real = apply_both(run, sim, teams_state, config, exclusive=["teams"])
    teams = teams_of(sim)
    assert lower(teams["release-crew"]["members"]) == {"octo-admin": "maintainer", "alice": "member"}
    assert teams["release-crew"]["repos"] == {"acme/gadgets": "triage"}
    assert lower(teams["platform"]["members"]) == {"alice": "maintainer"}
    assert teams["platform"]["repos"] == {}
    removed = [(a["scope"], a["id"]) for a in check["actions"] if a["action"] == "remove"]
    assert removed == [("platform", "bob"), ("platform", "widgets")]


def test_parent_team_null_detaches_and_no_key_leaves_the_parent(run, sim, state):
    with_teams(sim, state, TEAMS + [{"name": "Web", "parent": "platform"}])
    config = dict(teams=[dict(name="Platform SRE", description="SRE"), dict(name="Web", parent_team=None)])
    check, _real = apply_both(run, sim, state, config)
    assert sorted((w["path"], w["body"]) for w in check["writes"]) == [
        ("/orgs/acme/teams/platform-sre", {"description": "SRE"}), ("/orgs/acme/teams/web", {"parent_team_id": None})]
    teams = teams_of(sim)
    assert teams["platform-sre"]["parent"] == "platform" and teams["platform-sre"]["description"] == "SRE"
    assert teams["web"]["parent"] is None


def test_a_rename_then_the_members_of_the_renamed_team(run, sim, teams_state):
    config = dict(teams=[dict(slug="platform-sre", name="Site Reliability",
                              members=[dict(login="dave"), dict(login="carol")])])
    check, _real = apply_both(run, sim, teams_state, config)
    # carol has a pending organization invitation: her team membership is pending too
    assert [(w["method"], w["path"]) for w in check["writes"]] == [
        ("PATCH", "/orgs/acme/teams/platform-sre"), ("PUT", "/orgs/acme/teams/site-reliability/memberships/carol")]
    teams = teams_of(sim)
    assert "platform-sre" not in teams and teams["site-reliability"]["parent"] == "platform"


def test_errors_name_the_roles_variables_with_error_prefix(run, sim, teams_state):
    fails_before_any_write(run, sim, teams_state, dict(teams=[dict(name="Web", parent_team="nowhere")]),
                           "org_config_teams[0].parent_team: team 'nowhere' is neither listed in org_config_teams "
                           "nor a team of acme", error_prefix="org_config_")


def test_team_lists_keep_unlisted_teams_and_teams_deletes_them(run, sim, teams_state):
    """exclusive: [team_lists] (the role's org_config_teams_exclusive) reconciles the listed teams' lists only;
    exclusive: [teams] deletes the unlisted teams too, each counted with its child teams."""
    config = dict(teams=[dict(name="Security", members=[])])
    lists, _real = apply_both(run, sim, teams_state, config, exclusive=["team_lists"])
    assert [(w["method"], w["path"]) for w in lists["writes"]] == [
        ("DELETE", "/orgs/acme/teams/security/memberships/Alice")]
    assert {"platform", "platform-sre"} <= set(teams_of(sim))
    whole, _real = apply_both(run, sim, teams_state, config, exclusive=["teams"])
    assert [(w["method"], w["path"]) for w in whole["writes"]] == [
        ("DELETE", "/orgs/acme/teams/security/memberships/Alice"), ("DELETE", "/orgs/acme/teams/platform")]
    assert whole["diff"][-2]["before"]["child_teams"] == ["platform-sre"]
    assert whole["diff"][-1]["before_header"] == "team platform-sre"
    assert set(teams_of(sim)) == {"security"}


def test_a_write_that_fails_stops_the_run_with_what_was_done_and_a_rerun_converges(run, sim, state):
    config = dict(members=[dict(login="erin"), dict(login="frank")],
                  repo_collaborators=[dict(repo="gadgets", login="outsider-olga", permission="triage")])
    sim.fault(method="PUT", path="^/orgs/acme/memberships/frank$", status=422, times=1,
              body={"message": "Validation Failed", "errors": [{"code": "custom", "message": "seat limit reached"}]})
    failed = run(MODULE, org="acme", config=config, write_delay=0)
    assert failed.failed and failed.changed is True, failed
    assert "422" in failed.msg and "after 1 of 3 planned writes" in failed.msg
    assert [w["path"] for w in failed["writes"]] == ["/orgs/acme/memberships/erin"]
    assert [(w["method"], w["path"]) for w in sim.writes()][-1] == ("PUT", "/orgs/acme/memberships/frank")
    again = run(MODULE, org="acme", config=config, write_delay=0)
    assert not again.failed and [w["path"] for w in again["writes"]] == [
        "/orgs/acme/memberships/frank", "/repos/acme/gadgets/collaborators/outsider-olga"]
    assert run(MODULE, org="acme", config=config, write_delay=0).changed is False


def test_no_hook_secret_or_url_password_in_any_output(run_module, sim, state):
    """A hook URL with a user-info password and a token query value, and a secret: the plan, the diff, the actions,
    the writes and the -vvv invocation show neither."""
    url = "https://ci-bot:Sup3rPassw0rd@jenkins.acme.example/github-webhook/?token=t0kenValue123&x=1"
    config = dict(hooks=[dict(url=url, events=["push"], secret="s3cret-hook-value")])
    options = dict(org="acme", config=config, write_delay=0, api_url=sim.url, token=ADMIN_TOKEN)
    for check in (True, False):
        result = run_module(MODULE, options, check=check, diff=True, verbosity=3)
        assert not result.failed and result.changed, result
        shown = json.dumps(result)
        for secret in ("Sup3rPassw0rd", "t0kenValue123", "s3cret-hook-value", ADMIN_TOKEN):
            assert secret not in shown, secret
        assert "https://ci-bot:********@jenkins.acme.example/github-webhook/?token=********&x=1" in shown
    hook = next(h for h in acme(sim)["hooks"] if "jenkins" in h["config"]["url"])
    assert hook["config"]["url"] == url  # GitHub has the real URL
    again = run_module(MODULE, options, check=True, diff=True)
    assert again.changed is False, again["writes"]


@pytest.mark.parametrize("flavour", ["ghes"])
def test_enterprise_server_has_no_invitation_lists_to_read(run, sim, state):
    """GHES has no organization or team invitation lists: the engine never asks for them there; a new
    collaborator is granted access directly (204), which a second run then finds."""
    with_teams(sim, state)
    config = dict(members=[dict(login="alice")], teams=[dict(name="Platform", members=[dict(login="erin")])],
                  repo_collaborators=[dict(repo="gadgets", login="frank", permission="push")])
    api = sim.url + "/api/v3"
    check, _real = apply_both(run, sim, state, config, api_url=api)
    assert not [r for r in sim.requests() if r["path"].startswith("/orgs/") and "invitations" in r["path"]]
    assert [(w["method"], w["path"]) for w in check["writes"]] == [
        ("PUT", "/orgs/acme/teams/platform/memberships/erin"), ("PUT", "/repos/acme/gadgets/collaborators/frank")]
    gathered = run(MODULE, org="acme", state="gathered", api_url=api)
    assert gathered["facts"]["skipped_parts"] == {"invitations": gathered["facts"]["skipped_parts"]["invitations"]}
    assert "members_can_create_public_pages" not in gathered["gathered"]["settings"]


def test_an_expired_invitation_is_sent_again_unless_resend_failed_invitations_is_false(run, sim, state):
    state["orgs"][0]["invitations"].append({"login": "erin", "role": "direct_member", "expired": True})
    config = dict(members=[dict(login="erin")])
    sim.reset(copy.deepcopy(state))
    kept = run(MODULE, org="acme", config=config, write_delay=0, resend_failed_invitations=False)
    assert not kept.failed and kept.changed is False, kept
    assert any("erin" in note and "not invited again" in note for note in kept["notes"])
    check, _real = apply_both(run, sim, state, config)
    assert [(w["method"], w["path"]) for w in check["writes"]] == [("PUT", "/orgs/acme/memberships/erin")]


def test_overridden_makes_every_given_section_authoritative_and_reads_no_other(run, sim, state):
    config = dict(hooks=[dict(url="https://chat.acme.example/hook", events=["issues"])],
                  outside_collaborators=[dict(login="outsider-olga")])
    check, _real = apply_both(run, sim, state, config, state="overridden")
    assert [(w["method"], w["path"]) for w in check["writes"]] == [
        ("POST", "/orgs/acme/hooks"), ("DELETE", "/orgs/acme/outside_collaborators/outsider-oscar"),
        ("DELETE", "/orgs/acme/hooks/1")]
    sim.clear_log()
    run(MODULE, org="acme", config=config, state="overridden", write_delay=0)
    read = sorted(set(r["path"] for r in sim.requests()))
    assert read == ["/orgs/acme", "/orgs/acme/hooks", "/orgs/acme/invitations", "/orgs/acme/members",
                    "/orgs/acme/outside_collaborators"]  # no team, no repository


def test_a_team_reads_its_child_teams_lists_not_their_children(run, sim, state):
    """GitHub lists a child team's members, its own child teams' included, as the parent's: to tell a parent's
    direct members the engine reads the parent's list and its child teams' lists, never deeper (the documented
    floor: 2 per team whose members are listed and per live child team of it)."""
    with_teams(sim, state, [{"name": "Guild", "privacy": "closed", "members": {"alice": "maintainer"}},
                            {"name": "Web", "parent": "guild", "members": {"bob": "member"}},
                            {"name": "Web Perf", "parent": "web", "members": {"dave": "member"}}])
    config = dict(teams=[dict(name="Guild", members=[dict(login="alice", role="maintainer")])])
    sim.clear_log()
    result = run(MODULE, org="acme", config=config, exclusive=["team_lists"], write_delay=0)
    assert not result.failed and result.changed is False, result.get("writes")
    teams_read = sorted(set(r["path"] for r in sim.requests() if "/teams/" in r["path"]))
    assert teams_read == ["/orgs/acme/teams/guild/members", "/orgs/acme/teams/web/members"]
    assert result["api"]["requests"] == 1 + 3 + 1 + 2 + 2


def test_an_unknown_key_or_a_wrong_type_in_an_entry_fails_before_any_request(run, sim, state):
    config = dict(members=[dict(login="alice", rol="admin")], settings=dict(members_can_create_repositories="maybe"))
    result = run(MODULE, org="acme", config=config)
    assert result.failed and sim.requests() == []
    assert "config.members[0].rol: unknown key; did you mean role?" in result.msg
    assert "config.settings.members_can_create_repositories: " in result.msg


def test_settings_follow_github_orgs_rules(run, sim, state):
    """The engine plans settings as github_org does: an empty text is GitHub's null (no change on every run), one
    action per setting, and a setting the API version no longer has fails before any request."""
    config = dict(settings=dict(twitter_username="", location="Shelbyville"))
    check, _real = apply_both(run, sim, state, config)
    assert [w["body"] for w in check["writes"]] == [{"location": "Shelbyville"}]
    assert [(a["kind"], a["id"], a["to"]) for a in check["actions"]] == [("settings", "location", "Shelbyville")]
    sim.clear_log()
    gone = run(MODULE, org="acme", api_version="2026-03-10",
               config=dict(settings=dict(secret_scanning_push_protection_custom_link_enabled=True)))
    assert gone.failed and "REST API version 2026-03-10 no longer has" in gone.msg
    assert sim.requests() == []


def test_writes_are_paced_by_write_delay_and_bad_run_options_fail_before_any_request(run, sim, state, module_sleep):
    config = dict(members=[dict(login="erin"), dict(login="frank")])
    sim.reset(copy.deepcopy(state))
    module_sleep.freeze()  # no real time passes: the pacing waits exactly write_delay between the two writes
    paced = run(MODULE, org="acme", config=config, write_delay=2.5)
    assert not paced.failed and len(paced["writes"]) == 2
    assert module_sleep.sleeps == [2.5]
    sim.clear_log()
    bad = run(MODULE, org="acme", config=config, max_removals=-1, write_delay=-1)
    assert bad.failed and "max_removals must be 0 or more" in bad.msg and "write_delay must be 0 or more" in bad.msg
    assert sim.requests() == []
