"""github_org_info's behaviour in-process, against the simulator (state_acme.yml).

Each task's module runs in-process (the ``ansible`` fixture of tests/unit/conftest.py); the
end-to-end cases through ansible-playbook are in tests/integration/test_github_org_info.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from flavours import EACH_FLAVOUR

MEMBER_TOKEN = "ghp_test_member_token_0123456789abcdef"
ALL_PARTS = ["settings", "members", "invitations", "outside_collaborators", "hooks"]


def info(name="info", **options):
    return {"name": name, "orgcode.github.github_org_info": dict({"org": "acme"}, **options)}


def acme(state):
    return next(o for o in state["orgs"] if o["login"] == "acme")


def logins(items):
    return [item["login"] for item in items]


def test_gathers_everything_in_seven_requests_and_writes_nothing(ansible, sim):
    run = ansible.play([info()])
    assert run.rc == 0 and run.changed == 0, run
    result = run.task("info")
    assert result["changed"] is False
    assert result["gathered"] == ALL_PARTS and result["filter"] == "all"
    assert result["organization"] == "acme"
    assert result["settings"]["login"] == "acme" and result["settings"]["name"] == "ACME Corp"
    # Canonical logins (the state file keys are lower case), sorted case-insensitively, with roles.
    assert [(m["login"], m["role"]) for m in result["members"]] == [
        ("Alice", "member"), ("bob", "member"), ("dave", "member"), ("Octo-Admin", "admin"),
        ("read-only-rita", "member")]
    assert all(isinstance(m["id"], int) and m["type"] == "User" for m in result["members"])
    assert [(i["login"], i["status"], i["expired"]) for i in result["invitations"]] == [("carol", "pending", False)]
    assert logins(result["outside_collaborators"]) == ["outsider-olga", "outsider-oscar"]
    assert result["hooks"] == [{
        "id": 1, "name": "web", "url": "https://ci.acme.example/hook", "events": ["pull_request", "push"],
        "active": True, "content_type": "json", "insecure_ssl": False, "secret_set": True,
        "created_at": result["hooks"][0]["created_at"], "updated_at": result["hooks"][0]["updated_at"]}]
    assert result["api"]["requests"] == 7
    assert len(sim.requests()) == 7 and sim.writes() == []


@pytest.mark.parametrize("parts, requests", [
    (["settings"], 1), (["members"], 2), (["invitations"], 2), (["outside_collaborators"], 1), (["hooks"], 1),
    (["hooks", "members", "hooks"], 3),
])
def test_only_the_gathered_parts_are_read_and_returned(ansible, sim, parts, requests):
    run = ansible.play([info(gather=parts)])
    assert run.rc == 0, run
    result = run.task("info")
    wanted = list(dict.fromkeys(parts))
    assert result["gathered"] == wanted
    for part in ALL_PARTS:
        assert (part in result) == (part in parts), part
    assert len(sim.requests()) == requests == result["api"]["requests"]


@pytest.mark.parametrize("flt, members, outside", [
    ("2fa_disabled", ["bob"], ["outsider-olga"]),
    ("2fa_insecure", ["dave"], []),
])
def test_two_factor_filters_restrict_members_and_outside_collaborators(ansible, sim, flt, members, outside):
    run = ansible.play([info(filter=flt)])
    assert run.rc == 0, run
    result = run.task("info")
    assert result["filter"] == flt
    assert logins(result["members"]) == members and logins(result["outside_collaborators"]) == outside
    assert len(result["invitations"]) == 1 and len(result["hooks"]) == 1  # the other parts are not filtered
    lists = ("/members", "/outside_collaborators")
    queries = [r.get("query") or {} for r in sim.requests() if r["path"].endswith(lists)]
    assert len(queries) == 3 and all(q.get("filter") == flt for q in queries)


def test_check_mode_gathers_the_same_facts(ansible, sim):
    normal = ansible.play([info()]).task("info")
    check = ansible.play([info()], check=True, diff=True)
    assert check.rc == 0 and check.changed == 0, check
    result = check.task("info")
    for part in ALL_PARTS:
        assert result[part] == normal[part], part
    assert "diff" not in result
    assert sim.writes() == []


def test_expired_and_failed_invitations_are_marked_and_listed_after_pending_ones(ansible, sim, state):
    acme(state)["invitations"] += [
        {"login": "erin", "role": "admin", "created_at": "2024-01-02T09:00:00Z", "expired": True},
        {"login": "Mallory", "role": "direct_member", "failed": True, "failed_reason": "Blocked by the user"},
        {"email": "new@partner.example", "role": "direct_member"},
    ]
    sim.reset(state)
    result = ansible.play([info(gather=["invitations"])]).task("info")
    rows = [(i["login"], i["email"], i["role"], i["status"], i["expired"], i["failed_reason"])
            for i in result["invitations"]]
    assert rows == [
        ("carol", rows[0][1], "direct_member", "pending", False, None),
        (None, "new@partner.example", "direct_member", "pending", False, None),
        ("erin", rows[2][1], "admin", "expired", True, "Invitation expired"),
        ("Mallory", rows[3][1], "direct_member", "failed", False, "Blocked by the user"),
    ]
    assert result["invitations"][2]["failed_at"] and result["invitations"][0]["failed_at"] is None
    assert result["invitations"][0]["inviter"] == "Octo-Admin"


def test_hooks_without_secret_and_with_insecure_ssl(ansible, sim, state):
    acme(state)["hooks"].append({"id": 7, "url": "http://legacy.acme.example/hook", "content_type": "form",
                                 "insecure_ssl": "1", "events": ["push"], "active": False})
    sim.reset(state)
    hooks = ansible.play([info(gather=["hooks"])]).task("info")["hooks"]
    assert [(h["id"], h["secret_set"], h["insecure_ssl"], h["active"], h["content_type"]) for h in hooks] == [
        (1, True, False, True, "json"), (7, False, True, False, "form")]


def test_credentials_in_a_hook_url_are_redacted_and_the_id_identifies_it(ansible, sim, state):
    password, token = "Sup3rPassw0rd", "tok-9f8e7d6c5b4a"
    ansible.secrets.update({password, token})
    acme(state)["hooks"].append({"id": 7, "url": "https://ci-bot:%s@jenkins.acme.example/gh/?token=%s&job=x"
                                 % (password, token), "content_type": "json", "events": ["push"]})
    sim.reset(state)
    hooks = ansible.play([info(gather=["hooks"])], verbosity=3).task("info")["hooks"]
    assert [(h["id"], h["url"]) for h in hooks] == [
        (1, "https://ci.acme.example/hook"),
        (7, "https://ci-bot:********@jenkins.acme.example/gh/?token=********&job=x")]
    assert "config" not in hooks[1]


def test_lists_are_read_100_per_page(ansible, sim, state):
    extra = ["user-%03d" % n for n in range(150)]
    state["users"] += [{"login": login} for login in extra]
    acme(state)["members"].update({login: "member" for login in extra})
    sim.reset(state)
    result = ansible.play([info(gather=["members"])]).task("info")
    assert len(result["members"]) == 155
    assert result["api"]["requests"] == 3  # owners: 1 page; members: 2 pages
    assert all((r.get("query") or {}).get("per_page") in ("100", None) for r in sim.requests())


def test_unknown_organization_is_named(ansible, sim):
    run = ansible.play([info(org="no-such-org")])
    assert run.rc != 0
    assert "org: organization 'no-such-org' was not found" in run.task("info")["msg"]


def test_two_factor_filter_needs_an_owner(ansible, sim):
    ansible.token = MEMBER_TOKEN
    run = ansible.play([info(gather=["members"], filter="2fa_disabled")])
    assert run.rc != 0
    msg = run.task("info")["msg"]
    assert msg.startswith("filter:") and "owners" in msg and "422" not in msg.split(".")[0]


def test_a_part_the_token_may_not_read_fails_naming_the_part(ansible, sim):
    ansible.token = MEMBER_TOKEN
    run = ansible.play([info(gather=["settings", "members", "hooks"])])
    assert run.rc != 0
    msg = run.task("info")["msg"]
    assert msg.startswith("gather hooks:") and "/orgs/acme/hooks" in msg
    # A plain member may read the members (the simulator shows it every membership).
    ok = ansible.play([info(gather=["members", "outside_collaborators"])])
    assert ok.rc == 0, ok


def test_bad_gather_value_is_named_before_any_request(ansible, sim):
    run = ansible.play([info(gather=["members", "repos"])])
    assert run.rc != 0
    assert "gather" in run.task("info")["msg"] and "repos" in run.task("info")["msg"]
    assert sim.requests() == []


# -- repositories -----------------------------------------------------------------------------------------

def test_repositories_with_their_direct_collaborators_and_invitations(ansible, sim):
    named = ansible.play([info(gather=["repositories"], repositories=["acme/widgets"])])
    assert named.rc == 0, named
    assert named.task("info")["repositories"] == [dict(
        name="widgets",
        collaborators=[dict(login="Alice", role_name="admin", permission="admin"),
                       dict(login="outsider-olga", role_name="write", permission="push")],
        invitations=[dict(id=named.task("info")["repositories"][0]["invitations"][0]["id"], login="frank",
                          permissions="write", expired=False,
                          created_at=named.task("info")["repositories"][0]["invitations"][0]["created_at"])])]
    assert [(r["method"], r["path"]) for r in sim.requests()] == [
        ("GET", "/repos/acme/widgets/collaborators"), ("GET", "/repos/acme/widgets/invitations")]
    sim.clear_log()
    every = ansible.play([info(gather=["repositories"])])
    assert [r["name"] for r in every.task("info")["repositories"]] == ["gadgets", "widgets"]
    assert len(sim.requests()) == 1 + 2 * 2  # the repository list, then two reads per repository
    missing = ansible.play([info(gather=["repositories"], repositories=["nope"])])
    assert missing.rc != 0 and "repositories: repository acme/nope was not found" in missing.task("info")["msg"]


# -- teams -----------------------------------------------------------------------------------------------

TEAMS = [
    {"name": "Platform", "description": "Platform engineering", "privacy": "closed",
     "members": {"alice": "maintainer", "bob": "member"}, "repos": {"widgets": "write", "gadgets": "read"}},
    # bob is a direct member of Platform and of its child team: GitHub's REST API cannot show the first apart.
    {"name": "Platform SRE", "parent": "platform", "notification_setting": "notifications_disabled",
     "members": {"dave": "member", "bob": "maintainer"}, "repos": {"gadgets": "maintain"}},
    {"name": "Security", "privacy": "secret", "members": {"alice": "maintainer", "read-only-rita": "member"},
     "repos": {"widgets": "admin"}},
    {"name": "Docs", "privacy": "closed", "members": {"read-only-rita": "member", "octo-admin": "member"}},
    {"name": "Alpha", "privacy": "closed", "members": {"dave": "member"}},
]


def with_teams(sim, state, teams=None):
    acme(state)["teams"] = [dict(t) for t in (TEAMS if teams is None else teams)]
    sim.reset(state)


def by_slug(teams):
    return {team["slug"]: team for team in teams}


def test_teams_are_not_in_the_default_gather(ansible, sim, state):
    with_teams(sim, state)
    result = ansible.play([info()]).task("info")
    assert result["gathered"] == ALL_PARTS and "teams" not in result
    assert not any("/teams" in r["path"] for r in sim.requests()) and result["api"]["requests"] == 7


def test_teams_with_parents_members_maintainers_and_repositories(ansible, sim, state):
    with_teams(sim, state)
    run = ansible.play([info(gather=["teams"])])
    assert run.rc == 0 and run.changed == 0, run
    result = run.task("info")
    assert result["gathered"] == ["teams"]
    teams = result["teams"]
    assert [t["slug"] for t in teams] == ["alpha", "docs", "platform", "platform-sre", "security"]
    platform, sre, security, docs = (by_slug(teams)[s] for s in ("platform", "platform-sre", "security", "docs"))
    assert {k: platform[k] for k in ("name", "description", "privacy", "notification_setting", "parent",
                                     "child_teams")} == {
        "name": "Platform", "description": "Platform engineering", "privacy": "closed",
        "notification_setting": "notifications_enabled", "parent": None, "child_teams": ["platform-sre"]}
    assert isinstance(platform["id"], int)
    # The parent lists the child team's members too: only alice is certainly a direct member of it.
    assert platform["members"] == [{"login": "Alice", "role": "maintainer"}]
    assert platform["child_team_members"] == [
        {"login": "bob", "role": "member", "child_teams": ["platform-sre"]},
        {"login": "dave", "role": "member", "child_teams": ["platform-sre"]}]
    assert platform["maintainers"] == ["Alice"]
    assert platform["repositories"] == [{"name": "gadgets", "role_name": "read", "permission": "pull"},
                                        {"name": "widgets", "role_name": "write", "permission": "push"}]
    assert sre["parent"] == "platform" and sre["privacy"] == "closed" and sre["child_teams"] == []
    assert sre["notification_setting"] == "notifications_disabled"
    assert sre["members"] == [{"login": "bob", "role": "maintainer"}, {"login": "dave", "role": "member"}]
    assert sre["child_team_members"] == [] and sre["maintainers"] == ["bob"]
    assert sre["repositories"] == [{"name": "gadgets", "role_name": "maintain", "permission": "maintain"}]
    assert security["privacy"] == "secret"
    assert security["members"] == [{"login": "Alice", "role": "maintainer"},
                                   {"login": "read-only-rita", "role": "member"}]
    assert security["repositories"] == [{"name": "widgets", "role_name": "admin", "permission": "admin"}]
    # An organization owner is shown as a maintainer of every team they are in.
    assert docs["members"] == [{"login": "Octo-Admin", "role": "maintainer"},
                               {"login": "read-only-rita", "role": "member"}]
    assert docs["maintainers"] == ["Octo-Admin"] and docs["repositories"] == []
    assert by_slug(teams)["alpha"]["maintainers"] == []
    assert sim.writes() == []


def test_teams_cost_one_request_plus_three_per_team(ansible, sim, state):
    with_teams(sim, state)
    result = ansible.play([info(gather=["teams"])]).task("info")
    paths = [r["path"] for r in sim.requests()]
    assert len(paths) == result["api"]["requests"] == 1 + 3 * len(TEAMS)
    assert paths.count("/orgs/acme/teams") == 1
    for team in result["teams"]:
        base = "/orgs/acme/teams/%s" % team["slug"]
        assert paths.count(base + "/members") == 2 and paths.count(base + "/repos") == 1
    roles = sorted((r.get("query") or {}).get("role") for r in sim.requests() if r["path"].endswith("/members"))
    assert roles == ["maintainer"] * len(TEAMS) + ["member"] * len(TEAMS)
    assert all((r.get("query") or {}).get("per_page") == "100" for r in sim.requests())


def test_many_teams_and_members_are_read_100_per_page(ansible, sim, state):
    extra = ["user-%03d" % n for n in range(120)]
    state["users"] += [{"login": login} for login in extra]
    acme(state)["members"].update({login: "member" for login in extra})
    teams = [{"name": "Team %03d" % n, "privacy": "closed"} for n in range(104)]
    teams[0]["members"] = {login: "member" for login in extra}
    with_teams(sim, state, teams)
    result = ansible.play([info(gather=["teams"])]).task("info")
    assert len(result["teams"]) == 104 and len(result["teams"][0]["members"]) == 120
    # teams: 2 pages; per team 3 requests; team 000's members: one more page.
    assert result["api"]["requests"] == len(sim.requests()) == 2 + 3 * 104 + 1


def test_no_team(ansible, sim):
    result = ansible.play([info(gather=["teams"])]).task("info")
    assert result["teams"] == [] and result["api"]["requests"] == 1


def test_teams_are_gathered_the_same_in_check_mode_and_twice(ansible, sim, state):
    with_teams(sim, state)
    first = ansible.play([info(gather=["teams"])]).task("info")["teams"]
    check = ansible.play([info(gather=["teams"])], check=True, diff=True)
    assert check.rc == 0 and check.changed == 0, check
    assert check.task("info")["teams"] == first and "diff" not in check.task("info")
    assert sim.writes() == []


def test_a_member_token_sees_no_secret_team_it_is_not_in(ansible, sim, state):
    teams = [dict(t) for t in TEAMS]
    teams[2] = dict(teams[2], members={"alice": "maintainer"})  # rita is not in Security any more
    with_teams(sim, state, teams)
    ansible.token = MEMBER_TOKEN
    run = ansible.play([info(gather=["teams"])])
    assert run.rc == 0, run
    assert [t["slug"] for t in run.task("info")["teams"]] == ["alpha", "docs", "platform", "platform-sre"]


def test_unknown_organization_is_named_when_gathering_teams(ansible, sim):
    run = ansible.play([info(org="no-such-org", gather=["teams"])])
    assert run.rc != 0
    assert "org: organization 'no-such-org' was not found" in run.task("info")["msg"]


@EACH_FLAVOUR
def test_teams_on_every_flavour(ansible, sim, state, flavour):
    with_teams(sim, state)
    # the ansible fixture gives the flavour's API root and API version as the play's connection options
    run = ansible.play([info(gather=["settings", "members", "invitations", "outside_collaborators", "hooks",
                                     "teams"])])
    assert run.rc == 0, run
    result = run.task("info")
    assert [t["slug"] for t in result["teams"]] == ["alpha", "docs", "platform", "platform-sre", "security"]
    assert by_slug(result["teams"])["platform"]["child_team_members"][0]["login"] == "bob"
    team_requests = [r for r in sim.requests() if "/teams" in r["path"]]
    assert len(team_requests) == 1 + 3 * len(TEAMS)
    assert {r.get("api_prefix") for r in sim.requests()} == {"/api/v3" if flavour == "ghes" else None}
    if flavour == "ghes":
        assert "invitations" in result["skipped_parts"] and result["api"]["requests"] == 5 + 1 + 3 * len(TEAMS)
    else:
        assert result["gathered"][-1] == "teams" and result["api"]["requests"] == 7 + 1 + 3 * len(TEAMS)
