"""The core scenarios of every module on each flavour, in-process: github.com, GHES 3.17+ and API version 2026-03-10.

Each test runs once per flavour (tests/flavours.py): the ``ansible`` fixture (tests/unit/conftest.py) runs each
task's module in this process with ``api_url`` at the flavour's API root and its ``api_version``, as the play's
connection options. What differs on a flavour (issue 14) is tested where it differs: GHES's member list mode
without invitation lists, github_org_info's skipped invitations, the settings GHES or API version 2026-03-10 do
not have, the 451 trade-compliance refusal. tests/integration/test_flavours.py runs a multi-module play per
flavour through ansible-playbook (module_defaults of the action group carrying the API root and version).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from flavours import EACH_FLAVOUR
from helpers import acme, converge, lower, paths_seen, repo, task, teams_of, with_teams

CUSTOM_LINK = "secret_scanning_push_protection_custom_link_enabled"


# ---------------------------------------------------------------- github_org


@EACH_FLAVOUR
def test_org_settings_change_check_mode_and_idempotence(ansible, sim):
    tasks = [task("org", "github_org", org="acme", description="Flavoured", has_repository_projects=False)]
    result = converge(ansible, sim, tasks, "org")
    assert result["organization"]["description"] == "Flavoured"
    settings = acme(sim)["settings"]
    assert settings["description"] == "Flavoured" and settings["has_repository_projects"] is False


@pytest.mark.parametrize("flavour", ["2026-03-10"])
@pytest.mark.parametrize("check", [False, True])
def test_field_removed_in_2026_03_10_fails_before_any_request(ansible, sim, check):
    run = ansible.play([task("org", "github_org", org="acme", description="x", **{CUSTOM_LINK: True})], check=check)
    assert run.rc != 0, run
    result = run.task("org")
    assert CUSTOM_LINK in result["msg"] and "2026-03-10" in result["msg"], result["msg"]
    assert result["unsupported_settings"] == [CUSTOM_LINK] and result["changed"] is False
    assert sim.requests() == []
    assert "Traceback" not in run.output


@pytest.mark.parametrize("flavour", ["github.com"])
def test_field_removed_in_2026_03_10_is_still_managed_under_2022_11_28(ansible, sim):
    converge(ansible, sim, [task("org", "github_org", org="acme", **{CUSTOM_LINK: True})], "org")
    assert acme(sim)["settings"][CUSTOM_LINK] is True


@pytest.mark.parametrize("flavour", ["ghes"])
@pytest.mark.parametrize("field", ["members_can_create_public_pages", "members_can_create_private_pages"])
def test_field_ghes_does_not_take_fails_before_any_write(ansible, sim, field):
    run = ansible.play([task("org", "github_org", org="acme", description="x", **{field: False})])
    assert run.rc != 0, run
    result = run.task("org")
    assert field in result["msg"] and "GitHub Enterprise Server" in result["msg"], result["msg"]
    assert result["unsupported_settings"] == [field]
    assert sim.requests() == []  # the /api/v3 root tells GHES before any request
    assert "Traceback" not in run.output


@pytest.mark.parametrize("flavour", ["github.com"])
def test_field_ghes_does_not_take_fails_after_the_read_when_only_the_header_tells(ansible, sim):
    """A GHES behind an api_url without /api/v3 (a proxy): the first answer's X-GitHub-Enterprise-Version tells,
    before any write, at no extra request."""
    sim.fault(method="GET", path=r"^/orgs/acme$", headers={"X-GitHub-Enterprise-Version": "3.18.4"})
    run = ansible.play([task("org", "github_org", org="acme", members_can_create_public_pages=False)])
    assert run.rc != 0, run
    msg = run.task("org")["msg"]
    assert "members_can_create_public_pages" in msg and "GitHub Enterprise Server 3.18.4" in msg, msg
    assert paths_seen(sim) == [("GET", "/orgs/acme", None)]


# ---------------------------------------------------------------- github_org_membership (one user)


@EACH_FLAVOUR
def test_membership_invite_role_change_and_removal(ansible, sim):
    run = converge(ansible, sim, [
        task("invite", "github_org_membership", org="acme", username="erin"),
        task("promote", "github_org_membership", org="acme", username="bob", role="admin"),
        task("remove", "github_org_membership", org="acme", username="dave", state="absent"),
        task("cancel", "github_org_membership", org="acme", username="carol", state="absent"),
    ])
    assert run.task("invite")["membership"]["state"] == "pending"
    assert run.task("promote")["membership"]["role"] == "admin"
    members = lower(acme(sim)["members"])
    assert members["bob"] == "admin" and "dave" not in members
    assert {(i["login"] or "").lower() for i in acme(sim)["invitations"]} & {"erin", "carol"} == {"erin"}


@pytest.mark.parametrize("flavour", ["github.com", "2026-03-10"])
def test_trade_restricted_user_gets_a_readable_refusal(ansible, sim, state, flavour):
    state["users"].append({"login": "restricted-rita", "trade_restricted": True})
    sim.reset(state)
    run = ansible.play([task("m", "github_org_membership", org="acme", username="restricted-rita")])
    assert run.rc != 0
    msg = run.task("m")["msg"]
    assert ("451" if flavour == "2026-03-10" else "422") in msg and "trade regulations" in msg, msg
    assert "Traceback" not in run.output
    assert run.task("m")["changed"] is False and run.task("m")["status"] == (451 if flavour == "2026-03-10" else 422)
    assert "restricted-rita" not in {(i["login"] or "").lower() for i in acme(sim)["invitations"]}


@pytest.mark.parametrize("flavour", ["github.com", "2026-03-10"])
def test_trade_restricted_user_in_the_member_list_gets_a_readable_refusal(ansible, sim, state, flavour):
    state["users"].append({"login": "restricted-rita", "trade_restricted": True})
    sim.reset(state)
    run = ansible.play([task("members", "github_org_membership", org="acme", write_delay=0,
                             members=MEMBERS + [{"login": "erin"}, {"login": "restricted-rita"}])])
    assert run.rc != 0
    result = run.task("members")
    msg = result["msg"]
    assert ("451" if flavour == "2026-03-10" else "422") in msg and "trade regulations" in msg, msg
    assert result["status"] == (451 if flavour == "2026-03-10" else 422)
    # the writes before it are reported: erin was invited, the run changed something
    assert result["changed"] is True and result["changes"]["invited"] == {"erin": "member"}
    assert "Traceback" not in run.output


# ---------------------------------------------------------------- github_org_membership (list mode)

MEMBERS = [{"login": "octo-admin", "role": "admin"}, {"login": "alice"}, {"login": "bob"}, {"login": "dave"},
           {"login": "read-only-rita"}, {"login": "carol"}]


@EACH_FLAVOUR
def test_member_list_unchanged_then_reconciled(ansible, sim):
    def members(listed, **options):
        return [task("members", "github_org_membership", org="acme", members=listed, write_delay=0, **options)]

    unchanged = ansible.play(members(MEMBERS))
    assert unchanged.rc == 0 and unchanged.changed == 0, unchanged
    assert sim.writes() == []
    sim.clear_log()
    wanted = [m for m in MEMBERS if m["login"] != "dave"] + [{"login": "erin"}, {"login": "bob", "role": "admin"}]
    wanted = [m for m in wanted if m != {"login": "bob"}]
    converge(ansible, sim, members(wanted, exclusive=True), "members")
    state = acme(sim)
    assert "dave" not in lower(state["members"]) and lower(state["members"])["bob"] == "admin"
    assert "erin" in {(i["login"] or "").lower() for i in state["invitations"]}


@pytest.mark.parametrize("flavour", ["ghes"])
def test_member_list_on_ghes_reads_pending_memberships_of_listed_logins_only(ansible, sim):
    def members(listed, **options):
        return [task("members", "github_org_membership", org="acme", members=listed, write_delay=0, **options)]

    unchanged = ansible.play(members(MEMBERS))
    assert unchanged.rc == 0 and unchanged.changed == 0, unchanged
    # the floor: owners, members, and the membership of the one listed login that is no active member (carol)
    assert paths_seen(sim) == [("GET", "/orgs/acme/members", "/api/v3"), ("GET", "/orgs/acme/members", "/api/v3"),
                               ("GET", "/orgs/acme/memberships/carol", "/api/v3")]
    assert unchanged.task("members")["member_count"] == {"active": 5, "pending": 1}
    sim.clear_log()

    # carol's pending invitation is seen and its role updated in place (never a second invitation)
    listed = [m for m in MEMBERS if m["login"] != "carol"] + [{"login": "carol", "role": "admin"}]
    result = converge(ansible, sim, members(listed), "members")
    assert result["changes"]["role_changed"] == {"carol": "admin"} and result["changes"]["invited"] == {}
    assert [i["role"] for i in acme(sim)["invitations"] if i["login"] == "carol"] == ["admin"]
    assert not [p for p in paths_seen(sim) if "invitations" in p[1]]
    sim.clear_log()

    # exclusive cannot see the pending invitation of an unlisted login on GHES: carol's stays
    listed = [m for m in MEMBERS if m["login"] != "carol"]
    run = ansible.play(members(listed, exclusive=True))
    assert run.rc == 0 and run.changed == 0, run
    assert sim.writes() == []
    assert [i["login"] for i in acme(sim)["invitations"]] == ["carol"]


@pytest.mark.parametrize("flavour", ["ghes"])
def test_member_list_on_ghes_confirms_unknown_logins_before_any_write(ansible, sim):
    run = ansible.play([task("members", "github_org_membership", org="acme", write_delay=0,
                             members=MEMBERS + [{"login": "erin"}, {"login": "no-such-user-zz"}])])
    assert run.rc != 0, run
    result = run.task("members")
    assert result["unknown_logins"] == ["no-such-user-zz"] and "members[7].login" in result["msg"], result
    assert sim.writes() == []


# ---------------------------------------------------------------- github_outside_collaborator


@EACH_FLAVOUR
def test_outside_collaborator_convert_and_remove(ansible, sim):
    converge(ansible, sim, [
        task("convert", "github_outside_collaborator", org="acme", username="dave"),
        task("remove", "github_outside_collaborator", org="acme", username="outsider-oscar", state="absent"),
    ])
    assert "dave" not in lower(acme(sim)["members"])
    assert "outsider-oscar" not in lower(repo(sim, "gadgets")["collaborators"])


# ---------------------------------------------------------------- github_org_hook


@EACH_FLAVOUR
def test_hook_create_update_and_remove(ansible, sim):
    url = "https://deploy.acme.example/hook"
    created = converge(ansible, sim, [task("h", "github_org_hook", org="acme", url=url, events=["push"],
                                           secret="flavour-hook-secret")], "h")
    ansible.secrets.add("flavour-hook-secret")
    assert created["hook"]["events"] == ["push"]
    converge(ansible, sim, [task("h", "github_org_hook", org="acme", url=url, events=["push", "member"],
                                 active=False)], "h")
    hook = next(h for h in acme(sim)["hooks"] if h["config"]["url"] == url)
    assert sorted(hook["events"]) == ["member", "push"] and hook["active"] is False
    assert hook["config"]["secret"] == "flavour-hook-secret"
    converge(ansible, sim, [task("h", "github_org_hook", org="acme", url=url, state="absent")], "h")


# ---------------------------------------------------------------- github_repo_collaborator


@EACH_FLAVOUR
def test_repo_collaborator_grant_change_and_remove(ansible, sim, flavour):
    run = converge(ansible, sim, [
        task("grant", "github_repo_collaborator", owner="acme", repo="gadgets", username="mallory",
             permission="triage"),
        task("change", "github_repo_collaborator", owner="acme", repo="gadgets", username="outsider-oscar",
             permission="maintain"),
        task("remove", "github_repo_collaborator", owner="acme", repo="widgets", username="outsider-olga",
             state="absent"),
    ])
    gadgets = repo(sim, "gadgets")
    if flavour == "ghes":  # GHES adds directly (204), no invitation
        assert run.task("grant")["collaborator"]["pending"] is False
        assert lower(gadgets["collaborators"])["mallory"] == "triage"
    else:
        assert run.task("grant")["collaborator"]["pending"] is True
        assert [i["login"].lower() for i in gadgets["invitations"]] == ["mallory"]
    assert lower(gadgets["collaborators"])["outsider-oscar"] == "maintain"
    assert "outsider-olga" not in lower(repo(sim, "widgets")["collaborators"])


@EACH_FLAVOUR
def test_repo_collaborator_list_mode(ansible, sim, flavour):
    listed = [{"login": "outsider-oscar", "permission": "read"}, {"login": "erin", "permission": "write"}]
    converge(ansible, sim, [task("cl", "github_repo_collaborator", owner="acme", repo="gadgets",
                                 collaborators=listed, write_delay=0)], "cl")
    gadgets = repo(sim, "gadgets")
    if flavour == "ghes":
        assert lower(gadgets["collaborators"])["erin"] == "write"
    else:
        assert [i["login"].lower() for i in gadgets["invitations"]] == ["erin"]


# ---------------------------------------------------------------- the team modules


@EACH_FLAVOUR
def test_team_member_and_repository_access(ansible, sim, state):
    with_teams(sim, state)
    sim.clear_log()
    converge(ansible, sim, [
        {"name": "team", "orgcode.github.github_team": dict(org="acme", name="Web Crew", description="The web",
                                                            privacy="closed")},
        task("member", "github_team_membership", org="acme", team="platform", username="read-only-rita"),
        task("members", "github_team_membership", org="acme", team="security", write_delay=0,
             members=[{"login": "alice", "role": "maintainer"}, {"login": "bob"}]),
        task("repo", "github_team_repository", org="acme", team="platform", repo="gadgets",
             permission="triage"),
        task("repos", "github_team_repository", org="acme", team="security", write_delay=0,
             repositories=[{"name": "widgets", "permission": "pull"}]),
    ])
    teams = teams_of(sim)
    assert teams["web-crew"]["description"] == "The web"
    assert lower(teams["platform"]["members"])["read-only-rita"] == "member"
    assert lower(teams["security"]["members"]) == {"alice": "maintainer", "bob": "member"}
    assert teams["platform"]["repos"]["acme/gadgets"] == "triage"
    assert teams["security"]["repos"] == {"acme/widgets": "read"}


# ---------------------------------------------------------------- github_org_info


@EACH_FLAVOUR
def test_org_info_default_gather(ansible, sim, flavour):
    run = ansible.play([task("info", "github_org_info", org="acme")], check=True)
    assert run.rc == 0 and run.changed == 0, run
    result = run.task("info")
    assert {m["login"].lower() for m in result["members"]} >= {"octo-admin", "alice"}
    assert {h["url"] for h in result["hooks"]} == {"https://ci.acme.example/hook"}
    assert result["settings"]["login"] == "acme"
    assert sim.writes() == []
    if flavour == "ghes":  # skipped and said so, at no extra request
        assert "invitations" not in result and result["gathered"] == [
            "settings", "members", "outside_collaborators", "hooks"]
        assert set(result["skipped_parts"]) == {"invitations"}
        assert "GitHub Enterprise Server 3.19.0" in result["skipped_parts"]["invitations"]
        assert "/orgs/{org}/invitations" in result["skipped_parts"]["invitations"]
        assert not [p for p in paths_seen(sim) if "invitations" in p[1]]
        assert len(sim.requests()) == result["api"]["requests"] == 5
        assert not run.task("info").get("warnings")
    else:
        assert result["skipped_parts"] == {} and "invitations" in result["gathered"]
        assert [i["login"] for i in result["invitations"]] == ["carol"]
        assert result["api"]["requests"] == 7


@pytest.mark.parametrize("flavour", ["ghes"])
def test_org_info_on_ghes_invitations_asked_by_name(ansible, sim):
    run = ansible.play([task("info", "github_org_info", org="acme", gather=["invitations"])])
    assert run.rc == 0, run
    result = run.task("info")
    assert result["gathered"] == [] and set(result["skipped_parts"]) == {"invitations"}
    assert sim.requests() == []  # the /api/v3 root tells GHES before any answer
    assert any("gather invitations: skipped" in w for w in result.get("warnings", [])), result


@pytest.mark.parametrize("flavour", ["ghes"])
def test_org_info_on_ghes_without_invitations(ansible, sim):
    run = ansible.play([task("info", "github_org_info", org="acme",
                             gather=["settings", "members", "outside_collaborators", "hooks"])])
    assert run.rc == 0, run
    result = run.task("info")
    assert {m["login"].lower() for m in result["members"]} >= {"octo-admin", "alice"}
    assert all(r.get("api_prefix") == "/api/v3" for r in sim.requests())
    assert not [p for p in paths_seen(sim) if "invitations" in p[1]]
