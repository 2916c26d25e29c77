"""The simulator's teams keep GitHub's documented rules (see ghsim/resources/teams.py)."""

from __future__ import annotations

from ghsim_testlib import MEMBER

V2026 = {"X-GitHub-Api-Version": "2026-03-10"}


def perm(api, repo, login):
    return api.get(f"/repos/acme/{repo}/collaborators/{login}/permission").json()["role_name"]


def test_create_rename_and_slug(api):
    team = api.post("/orgs/acme/teams", json={"name": "Data & ML Ops!"}).json()
    assert team["slug"] == "data-ml-ops" and team["privacy"] == "secret"
    assert team["notification_setting"] == "notifications_enabled"
    # the creator becomes a maintainer
    me = api.get("/orgs/acme/teams/data-ml-ops/memberships/octo-admin").json()
    assert me == {"url": me["url"], "role": "maintainer", "state": "active"}
    renamed = api.patch("/orgs/acme/teams/data-ml-ops", json={"name": "Data Platform"}).json()
    assert renamed["slug"] == "data-platform"
    assert api.get("/orgs/acme/teams/data-ml-ops").status_code == 404
    child = api.post("/orgs/acme/teams", json={"name": "Kid", "parent_team_slug": "platform"}).json()
    assert child["privacy"] == "closed" and child["parent"]["slug"] == "platform"


def test_permission_refused_on_2026_03_10(api):
    resp = api.post("/orgs/acme/teams", json={"name": "Old style", "permission": "push"}, headers=V2026)
    assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == "permission"
    assert api.post("/orgs/acme/teams", json={"name": "Old style", "permission": "push"}).status_code == 201
    assert api.post("/orgs/acme/teams", json={"name": "New style"}, headers=V2026).status_code == 201


def test_secret_teams_cannot_be_nested(api):
    assert api.patch("/orgs/acme/teams/security", json={"parent_team_slug": "platform"}).status_code == 422
    assert api.patch("/orgs/acme/teams/platform", json={"privacy": "secret"}).status_code == 422  # has a child
    assert api.patch("/orgs/acme/teams/platform-sre", json={"privacy": "secret"}).status_code == 422
    ok = api.patch("/orgs/acme/teams/platform-sre", json={"parent_team_id": None, "privacy": "secret"})
    assert ok.status_code == 200 and ok.json()["parent"] is None


def test_members_include_child_teams_and_owners_are_maintainers(api):
    def logins(role):
        return sorted(u["login"] for u in api.get(f"/orgs/acme/teams/platform/members?role={role}").json())
    assert logins("all") == ["Hubot-Dev", "Octo-Owner2", "raj-sre"]
    assert logins("maintainer") == ["Hubot-Dev", "Octo-Owner2"]  # an owner is reported as maintainer
    assert logins("member") == ["raj-sre"]  # through the child team Platform SRE
    assert api.get("/orgs/acme/teams/platform/memberships/octo-owner2").json()["role"] == "maintainer"
    assert api.get("/orgs/acme/teams/platform/memberships/raj-sre").json()["role"] == "member"


def test_a_non_member_is_invited_and_stays_pending(api, sim):
    resp = api.put("/orgs/acme/teams/platform/memberships/new-hire-nina", json={"role": "maintainer"})
    assert resp.json()["state"] == "pending" and resp.json()["role"] == "maintainer"
    assert api.get("/orgs/acme/memberships/new-hire-nina").json()["state"] == "pending"
    invitations = api.get("/orgs/acme/teams/platform/invitations").json()
    assert [i["login"] for i in invitations] == ["new-hire-nina"] and invitations[0]["team_count"] == 1
    assert "new-hire-nina" not in [u["login"] for u in api.get("/orgs/acme/teams/platform/members").json()]
    # a plain member cannot manage the team
    assert api.put("/orgs/acme/teams/platform/memberships/zed-outsider", token=MEMBER).status_code == 403
    sim.accept_invitation("new-hire-nina", org="acme")
    now = api.get("/orgs/acme/teams/platform/memberships/new-hire-nina").json()
    assert now["state"] == "active" and now["role"] == "maintainer"


def test_team_access_counts_and_is_inherited(api):
    assert perm(api, "widgets", "raj-sre") == "read"
    assert api.put("/orgs/acme/teams/platform/repos/acme/widgets", json={"permission": "maintain"}).status_code == 204
    # raj-sre is in Platform SRE, a child of Platform: the child team inherits the parent's access
    assert perm(api, "widgets", "raj-sre") == "maintain"
    check = api.get("/orgs/acme/teams/platform-sre/repos/acme/widgets",
                    headers={"Accept": "application/vnd.github.v3.repository+json"})
    assert check.status_code == 200 and check.json()["role_name"] == "maintain"
    assert api.get("/orgs/acme/teams/platform-sre/repos").json() == []  # its own grants only
    listed = {u["login"]: u["role_name"] for u in api.get("/repos/acme/widgets/collaborators?affiliation=all"
                                                          "&per_page=100").json()}
    assert listed["raj-sre"] == "maintain" and listed["Hubot-Dev"] == "maintain"
    assert api.put("/orgs/acme/teams/platform/repos/acme/widgets", token=MEMBER).status_code == 403
    assert api.put("/orgs/acme/teams/platform/repos/acme/widgets",
                   json={"permission": "security-reviewer"}).status_code == 204
    assert api.put("/orgs/acme/teams/platform/repos/acme/widgets",
                   json={"permission": "superuser"}).status_code == 422


def test_repository_teams_list_the_teams_given_access(api):
    """GET /repos/{owner}/{repo}/teams: teams with a grant on the repository, their permission on it."""
    def teams(repo, token=None):
        kwargs = {"token": token} if token else {}
        return {t["slug"]: (t["permission"], t["permissions"]["push"])
                for t in api.get(f"/repos/acme/{repo}/teams", **kwargs).json()}
    assert teams("widgets") == {"security": ("read", False)}
    assert teams("gadgets") == {"platform": ("read", False)}
    assert api.put("/orgs/acme/teams/platform/repos/acme/widgets", json={"permission": "maintain"}).status_code == 204
    # the child team Platform SRE reaches widgets through its parent's entry, not one of its own
    assert teams("widgets") == {"platform": ("maintain", True), "security": ("read", False)}
    # a secret team is listed only to owners and its members
    assert teams("widgets", token=MEMBER) == {"platform": ("maintain", True)}
    assert api.get("/repos/acme/nope/teams").status_code == 404


def test_deleting_a_parent_deletes_its_children(api, sim):
    assert api.delete("/orgs/acme/teams/platform").status_code == 204
    assert api.get("/orgs/acme/teams/platform-sre").status_code == 404
    assert [t["slug"] for t in api.get("/orgs/acme/teams").json()] == ["security"]
    teams = next(o for o in sim.state()["orgs"] if o["login"] == "acme")["teams"]
    assert [t["slug"] for t in teams] == ["security"]


def test_removing_a_member_from_the_org_leaves_its_teams(api):
    assert api.delete("/orgs/acme/members/raj-sre").status_code == 204
    assert api.get("/orgs/acme/teams/platform-sre/memberships/raj-sre").status_code == 404


def test_state_round_trip(api, sim):
    api.put("/orgs/acme/teams/platform/memberships/new-hire-nina", json={})
    dumped = sim.state()
    sim.reset(dumped)
    assert sim.state() == dumped
    assert api.get("/orgs/acme/teams/platform/memberships/new-hire-nina").json()["state"] == "pending"
