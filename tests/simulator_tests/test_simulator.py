"""Behavioural tests of the GitHub API simulator (tests/simulator/ghsim.py)."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time

import pytest
import requests
from ghsim_testlib import ADMIN, MEMBER, NOSCOPE, OUTSIDER, OWNER2, SIM_DIR, Simulator


def links(resp) -> dict:
    out = {}
    for part in resp.headers.get("Link", "").split(","):
        m = re.search(r'<([^>]+)>;\s*rel="(\w+)"', part)
        if m:
            out[m.group(2)] = m.group(1)
    return out


def big_org_state(n_members: int) -> dict:
    members = {"boss": "admin"}
    members.update({f"user{i:05d}": "member" for i in range(n_members - 1)})
    return {
        "users": [{"login": "Boss"}],
        "tokens": [{"token": "t_boss", "login": "boss", "scopes": None}],
        "orgs": [{"login": "big", "members": members}],
        "repos": [{"owner": "big", "name": "mono", "private": True}],
    }


# ---------------------------------------------------------------- pagination


def test_pagination_link_headers_keep_query(api):
    first = api.get("/orgs/acme/members?per_page=3&role=member")
    assert first.status_code == 200 and len(first.json()) == 3
    rels = links(first)
    assert set(rels) == {"next", "last"}
    assert "role=member" in rels["next"] and "page=2" in rels["next"] and "per_page=3" in rels["next"]
    assert rels["next"].startswith(api.sim.url + "/orgs/acme/members?")
    assert "page=2" in rels["last"]  # 6 plain members / 3 per page
    last = api.get(rels["last"])
    assert set(links(last)) == {"prev", "first"}
    seen = [u["login"] for u in first.json() + last.json()]
    assert len(set(seen)) == 6 and "octo-admin" not in seen


def test_no_link_header_when_everything_fits(api):
    resp = api.get("/orgs/acme/members")
    assert resp.status_code == 200 and len(resp.json()) == 8
    assert "Link" not in resp.headers


def test_per_page_is_capped_at_100_and_default_is_30(api, sim):
    sim.reset(big_org_state(250))
    capped = api.get("/orgs/big/members?per_page=1000", token="t_boss")
    assert len(capped.json()) == 100
    assert "page=3" in links(capped)["last"] and "per_page=100" in links(capped)["last"]
    default = api.get("/orgs/big/members", token="t_boss")
    assert len(default.json()) == 30 and "page=9" in links(default)["last"]
    beyond = api.get("/orgs/big/members?per_page=100&page=4", token="t_boss")
    assert beyond.json() == []


def test_large_org_pagination_is_fast(api, sim):
    sim.reset(big_org_state(5000))
    started = time.perf_counter()
    url, logins = "/orgs/big/members?per_page=100", []
    while url:
        resp = api.get(url, token="t_boss")
        logins += [u["login"] for u in resp.json()]
        url = links(resp).get("next")
    assert len(logins) == len(set(logins)) == 5000
    collab = api.get("/repos/big/mono/collaborators?per_page=100&page=50", token="t_boss")
    assert len(collab.json()) == 100 and all(c["role_name"] in ("read", "admin") for c in collab.json())
    assert time.perf_counter() - started < 10


# ---------------------------------------------------------------- auth


def test_401_missing_and_bad_token(api):
    missing = api.get("/orgs/acme", token=None)
    assert missing.status_code == 401
    assert missing.json() == {"message": "Requires authentication", "documentation_url": "https://docs.github.com/rest",
                              "status": "401"}
    bad = api.get("/orgs/acme", token="ghp_nope")
    assert bad.status_code == 401 and bad.json()["message"] == "Bad credentials"
    also_bad = api.get("/user", headers={"Authorization": "token ghp_nope"}, token=None)
    assert also_bad.status_code == 401
    ok = api.get("/user", headers={"Authorization": f"token {ADMIN}"}, token=None)
    assert ok.status_code == 200


def test_403_for_members_on_admin_endpoints(api):
    for method, path, body in [
        ("PATCH", "/orgs/acme", {"description": "x"}),
        ("GET", "/orgs/acme/hooks", None),
        ("PUT", "/orgs/acme/memberships/zed-outsider", {"role": "member"}),
        ("POST", "/orgs/acme/invitations", {"email": "a@b.example"}),
        ("PUT", "/orgs/acme/outside_collaborators/tom-qa", None),
    ]:
        resp = api.call(method, path, token=MEMBER, json=body)
        assert resp.status_code == 403, (method, path)
        assert resp.json()["message"].startswith("You must be an admin to")
    repo = api.put("/repos/acme/widgets/collaborators/zed-outsider", token=MEMBER, json={"permission": "pull"})
    assert repo.status_code == 403 and repo.json()["message"] == "Must have admin rights to Repository."


def test_404_hides_private_data_from_non_members(api):
    assert api.get("/orgs/acme/invitations", token=OUTSIDER).status_code == 404
    assert api.get("/orgs/acme/hooks", token=OUTSIDER).status_code == 404
    assert api.get("/orgs/acme/memberships/mona-member", token=OUTSIDER).status_code == 404
    assert api.get("/repos/acme/widgets", token=OUTSIDER).status_code == 404
    public = api.get("/orgs/acme", token=OUTSIDER).json()
    assert "billing_email" not in public and "members_can_create_repositories" not in public
    owner = api.get("/orgs/acme").json()
    assert owner["billing_email"] == "billing@acme.example" and owner["members_can_create_repositories"] is True


def test_classic_token_scopes(api):
    resp = api.patch("/orgs/acme", token=NOSCOPE, json={"description": "x"})
    assert resp.status_code == 403
    assert "admin:org" in resp.headers["X-Accepted-OAuth-Scopes"]
    assert resp.headers["X-OAuth-Scopes"] == "repo, read:user"
    hooks = api.get("/orgs/acme/hooks", token=NOSCOPE)
    assert hooks.status_code == 403 and hooks.headers["X-Accepted-OAuth-Scopes"] == "admin:org_hook"
    fine = api.get("/orgs/acme/hooks", token=OWNER2)  # fine-grained token: no scope checks
    assert fine.status_code == 200 and "X-OAuth-Scopes" not in fine.headers


def test_unknown_routes_and_wrong_methods_are_404(api):
    assert api.get("/orgs/acme/projects").status_code == 404
    wrong = api.post("/orgs/acme/members", json={})
    assert wrong.status_code == 404 and wrong.json()["message"] == "Not Found"


def test_common_headers_and_rate_limit_countdown(api):
    one = api.get("/user")
    two = api.get("/user")
    assert one.headers["X-GitHub-Api-Version-Selected"] == "2022-11-28"
    assert one.headers["X-RateLimit-Limit"] == "5000" and one.headers["X-RateLimit-Resource"] == "core"
    assert int(two.headers["X-RateLimit-Remaining"]) == int(one.headers["X-RateLimit-Remaining"]) - 1
    assert int(two.headers["X-RateLimit-Used"]) == int(one.headers["X-RateLimit-Used"]) + 1
    assert int(one.headers["X-RateLimit-Reset"]) > time.time()
    other = api.get("/user", token=MEMBER)
    assert other.headers["X-RateLimit-Used"] == "1"  # counted per token
    bad_version = api.get("/user", headers={"X-GitHub-Api-Version": "1999-01-01"})
    assert bad_version.status_code == 400


def test_logins_fold_case_and_answer_canonically(api):
    resp = api.get("/orgs/ACME/memberships/VENDOR-vic")
    assert resp.status_code == 404  # outside collaborator, not a member
    resp = api.get("/orgs/Acme/memberships/octo-OWNER2")
    assert resp.status_code == 200 and resp.json()["user"]["login"] == "Octo-Owner2"
    perm = api.get("/repos/acme/WIDGETS/collaborators/hubot-dev/permission").json()
    assert perm["user"]["login"] == "Hubot-Dev"


# ---------------------------------------------------------------- org settings


def test_patch_org_validates_and_ignores_unknown(api):
    bad = api.patch("/orgs/acme", json={"default_repository_permission": "owner", "name": "X"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "default_repository_permission"
    assert api.get("/orgs/acme").json()["name"] == "ACME Corp"  # nothing written
    ok = api.patch("/orgs/acme", json={"default_repository_permission": "write", "no_such_field": 1})
    assert ok.status_code == 200 and ok.json()["default_repository_permission"] == "write"
    # members' base permission now grants write
    assert api.get("/repos/acme/widgets/collaborators/mona-member/permission").json()["role_name"] == "write"


# ---------------------------------------------------------------- memberships


def test_membership_pending_and_active_semantics(api, sim):
    active = api.get("/orgs/acme/memberships/mona-member").json()
    assert (active["state"], active["role"]) == ("active", "member")
    put = api.put("/orgs/acme/memberships/zed-outsider", json={"role": "member"})
    assert put.status_code == 200 and put.json()["state"] == "pending" and put.json()["role"] == "member"
    again = api.put("/orgs/acme/memberships/ZED-outsider", json={"role": "admin"})
    assert again.json()["state"] == "pending" and again.json()["role"] == "admin"
    pending = [i for i in api.get("/orgs/acme/invitations").json() if i["login"] == "zed-outsider"]
    assert len(pending) == 1 and pending[0]["role"] == "admin"  # updated in place, no duplicate
    assert api.get("/orgs/acme/memberships/zed-outsider").json()["role"] == "admin"
    promote = api.put("/orgs/acme/memberships/mona-member", json={"role": "admin"})
    assert promote.json() == {**promote.json(), "state": "active", "role": "admin"}
    assert api.delete("/orgs/acme/memberships/zed-outsider").status_code == 204
    assert api.get("/orgs/acme/memberships/zed-outsider").status_code == 404
    assert api.delete("/orgs/acme/memberships/zed-outsider").status_code == 404
    sim.accept_invitation("pending-pat", org="acme")
    assert api.get("/orgs/acme/memberships/pending-pat").json()["state"] == "active"


def test_outside_collaborator_invited_to_org_becomes_pending(api):
    resp = api.put("/orgs/acme/memberships/vendor-vic")
    assert resp.json()["state"] == "pending"
    outside = [u["login"] for u in api.get("/orgs/acme/outside_collaborators").json()]
    assert "Vendor-Vic" in outside


def test_expired_invitations_are_failed_not_pending(api):
    pending = api.get("/orgs/acme/invitations").json()
    assert {i["login"] for i in pending} == {"pending-pat", None}
    assert all(i["failed_at"] is None for i in pending)
    failed = api.get("/orgs/acme/failed_invitations").json()
    assert [(i["login"], i["failed_reason"]) for i in failed] == [("expired-eve", "Invitation expired")]
    assert failed[0]["failed_at"]
    assert api.get("/orgs/acme/memberships/expired-eve").status_code == 404
    reinvite = api.put("/orgs/acme/memberships/expired-eve", json={"role": "admin"})
    assert reinvite.json()["state"] == "pending"
    assert api.get("/orgs/acme/failed_invitations").json() == []


def test_org_invitations_create_and_cancel(api):
    nina = api.get("/users/new-hire-nina").json()["id"]
    created = api.post("/orgs/acme/invitations", json={"invitee_id": nina, "role": "admin"})
    assert created.status_code == 201 and created.json()["login"] == "new-hire-nina"
    assert created.json()["inviter"]["login"] == "octo-admin"
    assert api.post("/orgs/acme/invitations", json={"invitee_id": nina}).status_code == 422
    mona = api.get("/users/mona-member").json()["id"]
    member = api.post("/orgs/acme/invitations", json={"invitee_id": mona})
    assert member.status_code == 422 and member.json()["errors"]
    assert api.post("/orgs/acme/invitations", json={"role": "admin"}).status_code == 422
    assert api.get("/orgs/acme/memberships/new-hire-nina").json()["role"] == "admin"
    assert api.delete(f"/orgs/acme/invitations/{created.json()['id']}").status_code == 204
    assert api.delete(f"/orgs/acme/invitations/{created.json()['id']}").status_code == 404


def test_last_owner_refusals(api):
    assert api.put("/orgs/acme/memberships/octo-owner2", json={"role": "member"}).status_code == 200
    demote = api.put("/orgs/acme/memberships/octo-admin", json={"role": "member"})
    assert demote.status_code == 403 and "last owner" in demote.json()["message"]
    remove = api.delete("/orgs/acme/memberships/octo-admin")
    assert remove.status_code == 403 and "last owner" in remove.json()["message"]
    assert api.delete("/orgs/acme/members/octo-admin").status_code == 403
    convert = api.put("/orgs/acme/outside_collaborators/octo-admin")
    assert convert.status_code == 403 and "last owner" in convert.json()["message"]
    assert api.get("/orgs/acme/memberships/octo-admin").json()["role"] == "admin"


def test_remove_member_strips_repo_access(api):
    assert api.get("/repos/acme/widgets/collaborators/hubot-dev").status_code == 204
    assert api.delete("/orgs/acme/members/hubot-dev").status_code == 204
    assert api.get("/orgs/acme/members/hubot-dev").status_code == 404
    assert api.get("/repos/acme/widgets/collaborators/hubot-dev").status_code == 404
    assert "hubot-dev" not in [u["login"].lower() for u in api.get("/orgs/acme/outside_collaborators").json()]


def test_member_filters(api):
    disabled = [u["login"] for u in api.get("/orgs/acme/members?filter=2fa_disabled").json()]
    assert disabled == ["lisa-ops", "raj-sre"]
    insecure = [u["login"] for u in api.get("/orgs/acme/members?filter=2fa_insecure").json()]
    assert insecure == ["tom-qa"]
    admins = [u["login"] for u in api.get("/orgs/acme/members?role=admin").json()]
    assert admins == ["octo-admin", "Octo-Owner2"]
    assert api.get("/orgs/acme/members?filter=2fa_disabled", token=MEMBER).status_code == 422
    outside = [u["login"] for u in api.get("/orgs/acme/outside_collaborators?filter=2fa_disabled").json()]
    assert outside == ["contractor-carl"]


# ---------------------------------------------------------------- outside collaborators


def test_convert_member_to_outside_collaborator(api):
    assert api.get("/repos/acme/widgets/collaborators/tom-qa/permission").json()["role_name"] == "write"
    assert api.put("/orgs/acme/outside_collaborators/Tom-QA").status_code == 204
    assert api.get("/orgs/acme/members/tom-qa").status_code == 404
    outside = [u["login"] for u in api.get("/orgs/acme/outside_collaborators").json()]
    assert "tom-qa" in outside
    # keeps the repository access it had (no base permission any more)
    assert api.get("/repos/acme/widgets/collaborators/tom-qa/permission").json()["role_name"] == "write"
    # gadgets is public: the permission endpoint reports read for everyone, the check endpoint tells
    # that tom-qa is no collaborator there any more
    assert api.get("/repos/acme/gadgets/collaborators/tom-qa/permission").json()["role_name"] == "read"
    assert api.get("/repos/acme/gadgets/collaborators/tom-qa").status_code == 404
    async_resp = api.put("/orgs/acme/outside_collaborators/ana-design", json={"async": True})
    assert async_resp.status_code == 202 and async_resp.json() == {}
    stranger = api.put("/orgs/acme/outside_collaborators/zed-outsider")
    assert stranger.status_code == 403 and "cannot convert" in stranger.json()["message"]
    assert api.put("/orgs/acme/outside_collaborators/no-such-user").status_code == 404


def test_remove_outside_collaborator(api, sim):
    member = api.delete("/orgs/acme/outside_collaborators/mona-member")
    assert member.status_code == 422
    expected = "You cannot specify an organization member to remove as an outside collaborator."
    assert member.json()["message"] == expected
    assert member.json()["errors"]
    assert api.delete("/orgs/acme/outside_collaborators/vendor-vic").status_code == 204
    assert "Vendor-Vic" not in [u["login"] for u in api.get("/orgs/acme/outside_collaborators").json()]
    for repo in sim.state()["repos"]:
        assert "Vendor-Vic" not in repo["collaborators"]
    assert api.delete("/orgs/acme/outside_collaborators/zed-outsider").status_code == 204  # no-op
    assert api.delete("/orgs/acme/outside_collaborators/no-such-user").status_code == 404


# ---------------------------------------------------------------- hooks


def test_hook_secret_masking_and_wipe_on_patch(api, sim):
    hook = api.get("/orgs/acme/hooks/101").json()
    assert hook["config"]["secret"] == "********"
    assert "secret" not in api.get("/orgs/acme/hooks/102").json()["config"]
    assert "s3cr3t" not in api.get("/orgs/acme/hooks").text
    # PATCH .../config keeps the secret unless given
    cfg = api.patch("/orgs/acme/hooks/101/config", json={"insecure_ssl": 1})
    assert cfg.json() == {"url": "https://ci.acme.example/github/webhook", "content_type": "json",
                          "insecure_ssl": "1", "secret": "********"}
    assert sim.state()["orgs"][0]["hooks"][0]["config"]["secret"] == "s3cr3t-ci-hook"
    # PATCH hook with a config lacking the secret wipes it (GitHub's behaviour)
    patched = api.patch("/orgs/acme/hooks/101", json={"config": {"url": "https://ci.acme.example/v2",
                                                                 "content_type": "json"}})
    assert patched.status_code == 200 and "secret" not in patched.json()["config"]
    assert sim.state()["orgs"][0]["hooks"][0]["config"]["secret"] is None
    # ...and a config with the secret sets it
    api.patch("/orgs/acme/hooks/101", json={"config": {"url": "https://ci.acme.example/v2", "secret": "n3w"}})
    assert sim.state()["orgs"][0]["hooks"][0]["config"]["secret"] == "n3w"
    assert api.patch("/orgs/acme/hooks/101", json={"config": {"secret": "x"}}).status_code == 422


def test_hook_create_validation_and_ping(api, sim):
    bad_name = api.post("/orgs/acme/hooks", json={"name": "slack", "config": {"url": "https://a.example"}})
    assert bad_name.status_code == 422 and bad_name.json()["errors"][0]["field"] == "name"
    no_url = api.post("/orgs/acme/hooks", json={"name": "web", "config": {}})
    assert no_url.status_code == 422 and no_url.json()["errors"][0]["field"] == "url"
    created = api.post("/orgs/acme/hooks", json={"name": "web", "config": {"url": "https://n.example/h"}})
    assert created.status_code == 201
    body = created.json()
    assert body["events"] == ["push"] and body["active"] is True and body["config"]["insecure_ssl"] == "0"
    dup = api.post("/orgs/acme/hooks", json={"name": "web", "config": {"url": "https://n.example/h"}})
    assert dup.status_code == 422
    assert api.post(f"/orgs/acme/hooks/{body['id']}/pings").status_code == 204
    assert api.post(f"/orgs/acme/hooks/{body['id']}/pings").status_code == 204
    hooks = {h["id"]: h for h in sim.state()["orgs"][0]["hooks"]}
    assert hooks[body["id"]]["pings"] == 2
    events = api.patch(f"/orgs/acme/hooks/{body['id']}",
                       json={"add_events": ["member"], "remove_events": ["push"]})
    assert events.json()["events"] == ["member"]
    assert api.delete(f"/orgs/acme/hooks/{body['id']}").status_code == 204
    assert api.get(f"/orgs/acme/hooks/{body['id']}").status_code == 404


def test_hook_unknown_events_are_refused_like_github(api, sim):
    before = sim.state()["orgs"][0]["hooks"]
    typo = api.post("/orgs/acme/hooks", json={"name": "web", "config": {"url": "https://t.example/h"},
                                              "events": ["push", "pull_requests"]})
    assert typo.status_code == 422
    assert typo.json()["errors"][0] == {"resource": "Hook", "field": "events", "code": "custom",
                                        "message": "pull_requests is not a valid event name"}
    for body in ({"events": ["bogus_event_x"]}, {"add_events": ["Push"]}, {"remove_events": ["ping"]}):
        refused = api.patch("/orgs/acme/hooks/101", json=body)
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] in body, body
    assert sim.state()["orgs"][0]["hooks"] == before
    every = api.post("/orgs/acme/hooks", json={"name": "web", "config": {"url": "https://t.example/all"},
                                               "events": ["*", "projects_v2_item", "sub_issues", "team"]})
    assert every.status_code == 201 and every.json()["events"] == ["*", "projects_v2_item", "sub_issues", "team"]


# ---------------------------------------------------------------- repositories


def test_repo_collaborator_invitation_flow(api, sim):
    first = api.put("/repos/acme/widgets/collaborators/zed-outsider", json={"permission": "pull"})
    assert first.status_code == 201
    inv = first.json()
    assert inv["invitee"]["login"] == "zed-outsider" and inv["permissions"] == "read" and inv["expired"] is False
    second = api.put("/repos/acme/widgets/collaborators/Zed-Outsider", json={"permission": "maintain"})
    assert second.status_code == 201 and second.json()["id"] == inv["id"]
    assert second.json()["permissions"] == "maintain"
    invs = api.get("/repos/acme/widgets/invitations").json()
    assert [i["invitee"]["login"] for i in invs].count("zed-outsider") == 1
    assert api.get("/repos/acme/widgets/collaborators/zed-outsider").status_code == 404  # not yet accepted
    patched = api.patch(f"/repos/acme/widgets/invitations/{inv['id']}", json={"permissions": "triage"})
    assert patched.json()["permissions"] == "triage"
    sim.accept_invitation("zed-outsider", repo="acme/widgets")
    assert api.get("/repos/acme/widgets/collaborators/zed-outsider").status_code == 204
    existing = api.put("/repos/acme/widgets/collaborators/zed-outsider", json={"permission": "admin"})
    assert existing.status_code == 204 and existing.content == b""
    assert api.get("/repos/acme/widgets/collaborators/zed-outsider/permission").json()["role_name"] == "admin"
    assert api.delete("/repos/acme/widgets/collaborators/zed-outsider").status_code == 204
    assert api.get("/repos/acme/widgets/collaborators/zed-outsider").status_code == 404


def test_repo_collaborator_put_rules(api):
    assert api.put("/repos/acme/widgets/collaborators/vendor-vic", json={"permission": "owner"}).status_code == 422
    assert api.put("/repos/acme/widgets/collaborators/ghost-user").status_code == 404
    member = api.put("/repos/acme/widgets/collaborators/mona-member", json={"permission": "maintain"})
    assert member.status_code == 204  # org members are added directly
    assert api.put("/repos/acme/gadgets/collaborators/ana-design", json={"permission": "pull"}).status_code == 204
    api.patch("/orgs/acme", json={"default_repository_permission": "write"})
    below_base = api.put("/repos/acme/gadgets/collaborators/tom-qa", json={"permission": "triage"})
    assert below_base.status_code == 422 and below_base.json()["message"] == "Cannot assign tom-qa permission of triage"
    custom = api.put("/repos/acme/widgets/collaborators/new-hire-nina", json={"permission": "security-reviewer"})
    assert custom.status_code == 201
    assert api.put("/repos/acme/gadgets/collaborators/new-hire-nina",
                   json={"permission": "security-reviewer"}).status_code == 422  # not a role of that repo
    default = api.put("/repos/acme/gadgets/collaborators/zed-outsider")
    assert default.status_code == 201 and default.json()["permissions"] == "write"  # default push


def test_ghes_adds_collaborators_directly(api, sim):
    state = sim.state()
    state["flavor"] = "ghes"
    sim.reset(state)
    root = sim.url + "/api/v3"  # GHES serves its API there only
    resp = api.put(root + "/repos/acme/widgets/collaborators/zed-outsider", json={"permission": "push"})
    assert resp.status_code == 204
    assert api.get(root + "/repos/acme/widgets/collaborators/zed-outsider/permission").json()["role_name"] == "write"
    assert "zed-outsider" in [u["login"] for u in api.get(root + "/orgs/acme/outside_collaborators").json()]


def test_permission_role_name_highest_source(api):
    def perm(user, repo="widgets"):
        return api.get(f"/repos/acme/{repo}/collaborators/{user}/permission").json()

    assert (perm("octo-admin")["permission"], perm("octo-admin")["role_name"]) == ("admin", "admin")
    assert (perm("hubot-dev")["permission"], perm("hubot-dev")["role_name"]) == ("write", "maintain")
    assert (perm("ana-design")["permission"], perm("ana-design")["role_name"]) == ("read", "triage")
    assert (perm("mona-member")["permission"], perm("mona-member")["role_name"]) == ("read", "read")
    assert (perm("lisa-ops", "gadgets")["permission"], perm("lisa-ops", "gadgets")["role_name"]) == \
        ("write", "maintain")
    assert (perm("zed-outsider")["permission"], perm("zed-outsider")["role_name"]) == ("none", "none")
    flags = perm("hubot-dev")["user"]["permissions"]
    assert flags == {"pull": True, "triage": True, "push": True, "maintain": True, "admin": False}
    assert api.get("/repos/acme/widgets/collaborators/ghost/permission").status_code == 404


def test_collaborator_affiliations(api):
    def logins(query):
        return sorted(u["login"].lower() for u in api.get(f"/repos/acme/widgets/collaborators?{query}").json())

    assert logins("affiliation=outside") == ["contractor-carl", "vendor-vic"]
    assert logins("affiliation=direct") == ["contractor-carl", "hubot-dev", "vendor-vic"]
    everyone = logins("affiliation=all")
    assert {"octo-admin", "octo-owner2", "mona-member", "ana-design", "tom-qa", "vendor-vic"} <= set(everyone)
    assert "zed-outsider" not in everyone and "invited-ivy" not in everyone
    assert logins("permission=admin") == ["octo-admin", "octo-owner2"]
    owner = next(u for u in api.get("/repos/acme/widgets/collaborators").json() if u["login"] == "octo-admin")
    assert owner["role_name"] == "admin" and owner["permissions"]["admin"] is True
    assert api.get("/repos/acme/widgets/collaborators", token=MEMBER).status_code == 403


def test_repo_invitations_endpoints(api):
    invs = api.get("/repos/acme/widgets/invitations").json()
    assert [(i["invitee"]["login"], i["permissions"]) for i in invs] == [("invited-ivy", "write")]
    inv_id = invs[0]["id"]
    assert api.patch(f"/repos/acme/widgets/invitations/{inv_id}", json={"permissions": "push"}).status_code == 422
    assert api.delete(f"/repos/acme/widgets/invitations/{inv_id}").status_code == 204
    assert api.get("/repos/acme/widgets/invitations").json() == []
    assert api.get("/repos/acme/widgets/invitations", token=MEMBER).status_code == 403


def test_ghes_api_prefix(api):
    resp = api.get(api.sim.url + "/api/v3/orgs/acme/members?per_page=2")
    assert resp.status_code == 200
    assert resp.json()[0]["url"].startswith(api.sim.url + "/api/v3/users/")
    assert links(resp)["next"].startswith(api.sim.url + "/api/v3/orgs/acme/members?")
    entry = api.sim.requests()[-1]
    assert entry["path"] == "/orgs/acme/members" and entry["api_prefix"] == "/api/v3"


# ---------------------------------------------------------------- faults


def test_fault_status_times_and_retry_after(api, sim):
    sim.fault(method="GET", path=r"^/orgs/acme$", status=502, times=2, retry_after=3)
    first = api.get("/orgs/acme")
    assert first.status_code == 502 and first.headers["Retry-After"] == "3"
    assert first.json()["message"] == "Bad Gateway"
    assert api.get("/orgs/acme").status_code == 502
    assert api.get("/orgs/acme").status_code == 200
    assert [r["fault"] for r in sim.requests()] == [True, True, False]
    sim.fault(status=503, times=0)
    assert all(api.get(p).status_code == 503 for p in ("/user", "/orgs/acme", "/user"))
    sim.clear_faults()
    assert api.get("/user").status_code == 200


def test_fault_does_not_change_state(api, sim):
    sim.fault(method="PUT", path="/memberships/", status=500, body={"message": "boom"})
    resp = api.put("/orgs/acme/memberships/zed-outsider")
    assert resp.status_code == 500 and resp.json() == {"message": "boom"}
    assert api.get("/orgs/acme/memberships/zed-outsider").status_code == 404


def test_fault_drop_connection(api, sim):
    sim.fault(path="/orgs/acme/hooks", drop=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        api.get("/orgs/acme/hooks")
    assert api.get("/orgs/acme/hooks").status_code == 200
    assert sim.requests()[0]["fault"] is True


def test_fault_delay_and_invalid_json_and_wrong_shape(api, sim):
    sim.fault(path="^/user$", delay=0.3)
    started = time.perf_counter()
    slow = api.get("/user")
    assert slow.status_code == 200 and slow.json()["login"] == "octo-admin"
    assert time.perf_counter() - started >= 0.3
    sim.fault(path="^/user$", invalid_json=True)
    bad = api.get("/user")
    assert bad.status_code == 200 and bad.headers["Content-Type"].startswith("application/json")
    with pytest.raises(ValueError):
        bad.json()
    sim.fault(path="/members$", wrong_shape=True)
    assert isinstance(api.get("/orgs/acme/members").json(), dict)
    sim.fault(path="^/orgs/acme$", wrong_shape=True)
    assert isinstance(api.get("/orgs/acme").json(), list)


def test_a_held_answer_comes_only_after_the_client_gave_up(api, sim):
    """after_timeout: the answer (of delay or answer_delay) waits for the client to close the connection, so it
    never arrives in time however busy the machine, and nobody waits for the whole delay."""
    sim.fault(path="^/user$", delay=60, after_timeout=True)
    sim.fault(method="DELETE", path="^/orgs/acme/hooks/102$", answer_delay=60, after_timeout=True)
    started = time.perf_counter()
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.get("/user", timeout=0.5)
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.call("DELETE", "/orgs/acme/hooks/102", timeout=0.5)
    deadline = time.monotonic() + 30
    while len([r for r in sim.requests() if r["fault"]]) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert time.perf_counter() - started < 30  # answered once the client had gone, not 60 s later
    logged = {(r["method"], r["path"]): r["status"] for r in sim.requests() if r["fault"]}
    assert logged == {("GET", "/user"): 200, ("DELETE", "/orgs/acme/hooks/102"): 204}
    hooks = next(o for o in sim.state()["orgs"] if o["login"] == "acme")["hooks"]
    assert [hook["id"] for hook in hooks] == [101]  # applied, its answer lost
    assert api.get("/user").status_code == 200  # one fault each, used up


def test_fault_rate_limits(api, sim):
    sim.fault(rate_limit_exhausted=True, reset_in=30)
    resp = api.get("/orgs/acme/members")
    assert resp.status_code == 403 and resp.headers["X-RateLimit-Remaining"] == "0"
    assert 25 <= int(resp.headers["X-RateLimit-Reset"]) - time.time() <= 31
    assert resp.json()["message"].startswith("API rate limit exceeded for user ID 1.")
    sim.fault(secondary=True, retry_after=2)
    sec = api.get("/orgs/acme/members")
    assert sec.status_code == 403 and sec.headers["Retry-After"] == "2"
    assert sec.json()["message"].startswith("You have exceeded a secondary rate limit")
    sim.fault(status=429, retry_after=1, body={"message": "slow down"})
    assert api.get("/orgs/acme").status_code == 429


def test_enforced_primary_rate_limit(api, sim):
    sim.config(rate_limit=3, enforce_rate_limit=True)
    statuses = [api.get("/user").status_code for _dummy in range(4)]
    assert statuses == [200, 200, 200, 403]
    sim.config(rate_limit=5000, enforce_rate_limit=False)


# ---------------------------------------------------------------- log, reset, config


def test_request_log(api, sim):
    api.get("/orgs/acme/members?per_page=100&page=2")
    api.put("/orgs/acme/memberships/zed-outsider", json={"role": "member"})
    sim.state()  # control calls are not logged
    log = sim.requests()
    assert [(e["method"], e["path"], e["status"]) for e in log] == [
        ("GET", "/orgs/acme/members", 200), ("PUT", "/orgs/acme/memberships/zed-outsider", 200)]
    assert log[0]["query"] == {"per_page": "100", "page": "2"}
    assert log[0]["fault"] is False and log[0]["duration_ms"] >= 0
    assert [w["method"] for w in sim.writes()] == ["PUT"]
    sim.clear_log()
    assert sim.requests() == []


def test_reset_restores_or_replaces_state(api, sim):
    api.delete("/orgs/acme/members/mona-member")
    sim.fault(status=500, times=0)
    sim.reset()
    assert sim.requests() == [] and sim.faults() == []
    assert api.get("/orgs/acme/members/mona-member").status_code == 204
    sim.reset({"tokens": [{"token": "t1", "login": "solo"}], "orgs": [{"login": "tiny", "members": {"solo": "admin"}}]})
    assert api.get("/orgs/tiny/members", token="t1").json()[0]["login"] == "solo"
    assert api.get("/orgs/acme", token="t1").status_code == 404
    sim.reset()  # back to the state the server was started with
    assert api.get("/orgs/tiny", token="t1").status_code == 401
    assert api.get("/orgs/acme").status_code == 200


def test_latency_config(api, sim):
    sim.config(latency_ms=150)
    started = time.perf_counter()
    api.get("/user")
    assert time.perf_counter() - started >= 0.15
    sim.config(latency_ms=0)


def test_state_dump_shape(sim):
    state = sim.state()
    org = state["orgs"][0]
    assert org["members"]["Octo-Owner2"] == "admin"
    assert org["hooks"][0]["config"]["secret"] == "s3cr3t-ci-hook"
    assert sorted(org["outside_collaborators"]) == ["Vendor-Vic", "contractor-carl"]
    assert any(i.get("failed") for i in org["invitations"])


def test_cli_port_file_and_sigterm(tmp_path):
    port_file = tmp_path / "port"
    proc = subprocess.Popen([sys.executable, str(SIM_DIR / "ghsim.py"), "--state", str(SIM_DIR / "sample_org.yml"),
                             "--port-file", str(port_file)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = proc.stdout.readline().decode()
        assert re.fullmatch(r"ghsim listening on http://127\.0\.0\.1:(\d+)\n", line)
        assert line.strip().endswith(":" + port_file.read_text())
        resp = requests.get(line.split()[-1] + "/user", headers={"Authorization": f"Bearer {ADMIN}"}, timeout=5)
        assert resp.status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    assert proc.stderr.read() == b""


def test_control_helper_with_dict_state():
    with Simulator({"tokens": [{"token": "t", "login": "Someone"}]}) as sim:
        me = requests.get(sim.url + "/user", headers={"Authorization": "token t"}, timeout=5).json()
        assert me["login"] == "Someone"
    assert sim.proc is None
