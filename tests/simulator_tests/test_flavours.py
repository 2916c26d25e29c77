"""The simulator's flavours (github.com, ghes) and the per-request API version 2026-03-10."""

from __future__ import annotations

import pytest
from ghsim_testlib import ADMIN, MEMBER, SAMPLE_STATE, Api, Simulator

V2026 = {"X-GitHub-Api-Version": "2026-03-10"}
CUSTOM_LINK = "secret_scanning_push_protection_custom_link_enabled"


@pytest.fixture(scope="module")
def ghes_server():
    with Simulator(SAMPLE_STATE, flavour="ghes") as sim:
        yield sim


@pytest.fixture()
def ghes(ghes_server):
    ghes_server.reset()
    client = Api(ghes_server)
    yield client
    client.session.close()
    assert "Traceback" not in ghes_server.stderr, ghes_server.stderr


# ---------------------------------------------------------------- ghes


def test_ghes_serves_the_api_under_api_v3_only(ghes):
    sim = ghes.sim
    assert sim.flavour == "ghes" and sim.api_url == sim.url + "/api/v3"
    org = ghes.get(sim.api_url + "/orgs/acme")
    assert org.status_code == 200 and org.json()["url"] == sim.api_url + "/orgs/acme"
    assert org.headers["X-GitHub-Enterprise-Version"] == "3.19.0"
    outside = ghes.get(sim.url + "/orgs/acme")
    assert outside.status_code == 404 and outside.headers["X-GitHub-Enterprise-Version"] == "3.19.0"
    assert ghes.get(sim.url + "/user", token=None).status_code == 404  # not the API: no auth challenge
    log = sim.requests()
    assert [(r["path"], r["status"], r.get("api_prefix")) for r in log] == [
        ("/orgs/acme", 200, "/api/v3"), ("/orgs/acme", 404, None), ("/user", 404, None)]


def test_ghes_header_on_every_answer_errors_and_faults_included(ghes):
    sim = ghes.sim
    assert ghes.get(sim.api_url + "/user", token="nope").headers["X-GitHub-Enterprise-Version"] == "3.19.0"
    sim.fault(method="GET", path="^/orgs/acme$", status=502)
    assert ghes.get(sim.api_url + "/orgs/acme").headers["X-GitHub-Enterprise-Version"] == "3.19.0"
    state = sim.state()
    assert state["flavor"] == "ghes" and state["ghes_version"] == "3.19.0"
    state["ghes_version"] = "3.17.2"
    sim.reset(state)
    assert ghes.get(sim.api_url + "/user").headers["X-GitHub-Enterprise-Version"] == "3.17.2"


@pytest.mark.parametrize("method,path", [
    ("GET", "/orgs/acme/invitations"), ("POST", "/orgs/acme/invitations"),
    ("GET", "/orgs/acme/failed_invitations"), ("DELETE", "/orgs/acme/invitations/70000"),
])
def test_ghes_has_no_organization_invitation_endpoints(ghes, method, path):
    resp = ghes.call(method, ghes.sim.api_url + path, json={"email": "x@acme.example"} if method == "POST" else None)
    assert resp.status_code == 404 and resp.json()["message"] == "Not Found"
    assert ghes.sim.writes() == [] or all(w["status"] == 404 for w in ghes.sim.writes())


def test_ghes_memberships_stay_pending_and_are_seen_through_the_membership(ghes):
    root = ghes.sim.api_url
    put = ghes.put(root + "/orgs/acme/memberships/new-hire-nina", json={"role": "member"})
    assert put.status_code == 200 and put.json()["state"] == "pending"
    assert ghes.get(root + "/orgs/acme/memberships/new-hire-nina").json()["state"] == "pending"
    assert ghes.get(root + "/orgs/acme/memberships/pending-pat").json()["state"] == "pending"
    assert "new-hire-nina" not in [u["login"] for u in ghes.get(root + "/orgs/acme/members").json()]
    ghes.sim.accept_invitation("new-hire-nina", org="acme")
    assert ghes.get(root + "/orgs/acme/memberships/new-hire-nina").json()["state"] == "active"
    assert ghes.delete(root + "/orgs/acme/memberships/pending-pat").status_code == 204


def test_ghes_adds_repository_collaborators_directly(ghes):
    root = ghes.sim.api_url
    resp = ghes.put(root + "/repos/acme/widgets/collaborators/zed-outsider", json={"permission": "triage"})
    assert resp.status_code == 204 and resp.content == b""
    perm = ghes.get(root + "/repos/acme/widgets/collaborators/zed-outsider/permission").json()
    assert perm["role_name"] == "triage"


def test_ghes_ignores_org_fields_it_does_not_document(ghes):
    root = ghes.sim.api_url
    before = ghes.get(root + "/orgs/acme").json()
    resp = ghes.patch(root + "/orgs/acme", json={"members_can_create_public_pages": not before[
        "members_can_create_public_pages"], "description": "on GHES"})
    assert resp.status_code == 200 and resp.json()["description"] == "on GHES"
    assert resp.json()["members_can_create_public_pages"] == before["members_can_create_public_pages"]


def test_ghes_knows_only_api_version_2022_11_28(ghes):
    root = ghes.sim.api_url
    resp = ghes.get(root + "/orgs/acme", headers=V2026)
    assert resp.status_code == 400 and "2026-03-10" in resp.json()["message"]
    assert "The supported versions are 2022-11-28." in resp.json()["message"]
    assert ghes.get(root + "/orgs/acme").headers["X-GitHub-Api-Version-Selected"] == "2022-11-28"


def test_ghes_trade_restrictions_do_not_apply(ghes):
    state = ghes.sim.state()
    state["users"].append({"login": "restricted-rita", "trade_restricted": True})
    ghes.sim.reset(state)
    resp = ghes.put(ghes.sim.api_url + "/orgs/acme/memberships/restricted-rita", json={"role": "member"})
    assert resp.status_code == 200


def test_github_com_still_accepts_the_api_v3_root(api, sim):
    assert sim.flavour == "github.com" and sim.api_url == sim.url
    resp = api.get(sim.url + "/api/v3/orgs/acme")
    assert resp.status_code == 200 and "X-GitHub-Enterprise-Version" not in resp.headers


def test_unknown_flavour_is_refused(sim):
    with pytest.raises(ValueError):
        Simulator(SAMPLE_STATE, flavour="gitlab")
    with pytest.raises(Exception, match="unknown flavor"):
        sim.reset({"flavor": "ghec"})


# ---------------------------------------------------------------- API version 2026-03-10


def test_unknown_api_version_is_a_400(api):
    resp = api.get("/orgs/acme", headers={"X-GitHub-Api-Version": "2024-01-01"})
    assert resp.status_code == 400 and resp.json()["message"].startswith(
        "Unsupported 'X-GitHub-Api-Version' header: 2024-01-01.")
    assert api.get("/orgs/acme", headers=V2026).headers["X-GitHub-Api-Version-Selected"] == "2026-03-10"


def test_2026_03_10_drops_the_custom_link_enablement_field(api, sim):
    assert CUSTOM_LINK in api.get("/orgs/acme").json()
    org = api.get("/orgs/acme", headers=V2026).json()
    assert CUSTOM_LINK not in org and "secret_scanning_push_protection_custom_link" in org
    patched = api.patch("/orgs/acme", headers=V2026, json={CUSTOM_LINK: True, "description": "v2026"})
    assert patched.status_code == 200 and CUSTOM_LINK not in patched.json()
    assert patched.json()["description"] == "v2026"
    assert api.get("/orgs/acme").json()[CUSTOM_LINK] is False  # ignored: the version has no such field
    assert api.patch("/orgs/acme", json={CUSTOM_LINK: True}).json()[CUSTOM_LINK] is True  # 2022-11-28 has it


def test_2026_03_10_repositories_have_no_has_downloads(api):
    assert "has_downloads" in api.get("/repos/acme/widgets").json()
    assert "has_downloads" not in api.get("/repos/acme/widgets", headers=V2026).json()
    repos = api.get("/orgs/acme/repos", headers=V2026).json()
    assert repos and all("has_downloads" not in r for r in repos)
    assert all("has_downloads" in r for r in api.get("/orgs/acme/repos").json())


def test_trade_restricted_membership_is_451_in_2026_03_10_and_422_before(api, sim):
    state = sim.state()
    state["users"].append({"login": "restricted-rita", "trade_restricted": True})
    sim.reset(state)
    old = api.put("/orgs/acme/memberships/restricted-rita", json={"role": "member"})
    assert old.status_code == 422 and "trade regulations" in old.json()["errors"][0]["message"]
    new = api.put("/orgs/acme/memberships/restricted-rita", headers=V2026, json={"role": "member"})
    assert new.status_code == 451 and new.json()["message"] == "Validation Failed"
    assert "trade regulations" in new.json()["errors"][0]["message"]
    assert api.get("/orgs/acme/memberships/restricted-rita").status_code == 404  # nothing was written
    assert [u for u in sim.state()["users"] if u["login"] == "restricted-rita"][0]["trade_restricted"] is True


def test_2026_03_10_everything_else_answers_as_before(api):
    for path in ("/user", "/orgs/acme/members", "/orgs/acme/invitations", "/orgs/acme/hooks",
                 "/repos/acme/widgets/collaborators", "/orgs/acme/outside_collaborators"):
        assert api.get(path, headers=V2026).json() == api.get(path).json(), path
    assert api.get("/orgs/acme/hooks", token=MEMBER, headers=V2026).status_code == 403
    assert api.get("/orgs/acme", token=ADMIN, headers=V2026).status_code == 200
