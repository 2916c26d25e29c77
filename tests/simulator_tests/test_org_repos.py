"""GET /orgs/{org}/repos: pagination, GitHub's ``type`` filter, sorting and visibility."""

from __future__ import annotations

import re

from ghsim_testlib import ADMIN, MEMBER, OUTSIDER


def links(resp) -> dict:
    return {m.group(2): m.group(1) for m in re.finditer(r'<([^>]+)>;\s*rel="(\w+)"', resp.headers.get("Link", ""))}


def names(resp) -> list[str]:
    assert resp.status_code == 200, resp.text
    return [r["name"] for r in resp.json()]


def many_repos_state(count: int) -> dict:
    return {
        "users": [{"login": "boss"}, {"login": "mem"}, {"login": "stranger"}],
        "tokens": [{"token": "t_boss", "login": "boss", "scopes": None},
                   {"token": "t_mem", "login": "mem", "scopes": None},
                   {"token": "t_norepo", "login": "boss", "scopes": ["read:org"]},
                   {"token": "t_stranger", "login": "stranger", "scopes": None}],
        "orgs": [{"login": "big", "members": {"boss": "admin", "mem": "member"},
                  "settings": {"default_repository_permission": "none"}}],
        "repos": [{"owner": "big", "name": f"repo-{i:03d}", "private": i % 2 == 1, "fork": i % 5 == 0,
                   "created_at": f"2024-01-01T00:{i // 60:02d}:{i % 60:02d}Z",
                   "collaborators": {"mem": "read"} if i % 3 == 0 else {}}
                  for i in range(count)],
    }


def test_paginates_at_up_to_100_per_page(api, sim):
    sim.reset(many_repos_state(230))
    first = api.get("/orgs/big/repos?per_page=1000", token="t_boss")
    assert len(first.json()) == 100
    assert "per_page=100" in links(first)["next"] and "page=3" in links(first)["last"]
    seen, url = [], "/orgs/big/repos?per_page=100"
    while url:
        resp = api.get(url, token="t_boss")
        seen += names(resp)
        url = links(resp).get("next")
    assert len(seen) == len(set(seen)) == 230
    assert len(api.get("/orgs/big/repos", token="t_boss").json()) == 30  # GitHub's default page size


def test_default_order_is_newest_first_and_full_name_ascending(api, sim):
    sim.reset(many_repos_state(5))
    assert names(api.get("/orgs/big/repos", token="t_boss")) == [f"repo-{i:03d}" for i in (4, 3, 2, 1, 0)]
    assert names(api.get("/orgs/big/repos?sort=full_name", token="t_boss")) == [f"repo-{i:03d}" for i in range(5)]
    assert names(api.get("/orgs/big/repos?sort=full_name&direction=desc", token="t_boss"))[0] == "repo-004"
    assert api.get("/orgs/big/repos?sort=stars", token="t_boss").status_code == 422
    assert api.get("/orgs/big/repos?direction=up", token="t_boss").status_code == 422


def test_type_filter(api, sim):
    sim.reset(many_repos_state(10))
    every = [f"repo-{i:03d}" for i in range(10)]

    def listed(kind, token="t_boss"):
        return sorted(names(api.get(f"/orgs/big/repos?type={kind}&per_page=100", token=token)))

    assert listed("all") == every
    assert listed("public") == [n for i, n in enumerate(every) if i % 2 == 0]
    assert listed("private") == [n for i, n in enumerate(every) if i % 2 == 1]
    assert listed("forks") == ["repo-000", "repo-005"]
    assert listed("sources") == [n for i, n in enumerate(every) if i % 5]
    assert listed("member", token="t_mem") == ["repo-000", "repo-003", "repo-006", "repo-009"]
    resp = api.get("/orgs/big/repos?type=owner", token="t_boss")
    assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == "type"
    assert api.get("/orgs/big/repos?type=internal", token="t_boss").status_code == 422  # GHES only


def test_private_repositories_need_access_and_the_repo_scope(api, sim):
    sim.reset(many_repos_state(6))
    public = ["repo-000", "repo-002", "repo-004"]
    # base permission "none": a member sees the public ones and the private ones shared with them (repo-003)
    assert sorted(names(api.get("/orgs/big/repos", token="t_mem"))) == sorted(public + ["repo-003"])
    assert sorted(names(api.get("/orgs/big/repos", token="t_stranger"))) == public
    assert sorted(names(api.get("/orgs/big/repos", token="t_norepo"))) == public  # classic token without repo
    assert len(api.get("/orgs/big/repos", token="t_boss").json()) == 6


def test_repository_shape_and_permissions(api):
    repos = {r["name"]: r for r in api.get("/orgs/acme/repos").json()}
    assert set(repos) == {"widgets", "gadgets"}
    widgets = repos["widgets"]
    assert widgets["full_name"] == "acme/widgets" and widgets["private"] is True
    assert widgets["visibility"] == "private" and widgets["owner"]["login"] == "acme"
    assert widgets["permissions"]["admin"] is True
    assert widgets["url"] == api.sim.url + "/repos/acme/widgets"
    member_view = {r["name"]: r for r in api.get("/orgs/acme/repos", token=MEMBER).json()}
    assert member_view["widgets"]["permissions"] == {"admin": False, "maintain": False, "push": False,
                                                     "triage": False, "pull": True}
    assert [r["name"] for r in api.get("/orgs/acme/repos", token=OUTSIDER).json()] == ["gadgets"]
    assert api.get("/orgs/nope/repos", token=ADMIN).status_code == 404
    assert api.get("/orgs/octo-admin/repos", token=ADMIN).status_code == 404  # a user is not an organization
