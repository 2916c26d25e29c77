"""Every JSON body the simulator serves validates against GitHub's OpenAPI description, per flavour.

The schemas come from ``tests/openapi/github_schemas.json`` (api.github.com, extracted from
``@octokit/openapi`` 23.0.2 by ``tests/openapi/extract_schemas.py``) and, for the other flavours,
that extract overlaid with ``tests/openapi/flavour_schemas.json``: ``ghes`` is GHES 3.19's description
(served under ``/api/v3``), ``2026-03-10`` is api.github.com's description with that API version's
``x-github-breaking-changes`` applied (requests send ``X-GitHub-Api-Version: 2026-03-10``).
Each test runs once per flavour.  Error statuses an operation does not document are validated
against ``basic-error``; an operation the flavour's description lacks must answer 404.

GitHub's schemas accept unlisted properties; so that a field a flavour no longer has (e.g. one that
2026-03-10 removed) is caught, each flavour's schema also refuses the properties it lost compared
with api.github.com's (``forbid_removed``).
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest
from ghsim_testlib import ADMIN, MEMBER, OUTSIDER, SAMPLE_STATE, Api, Simulator

OPENAPI = Path(__file__).resolve().parents[1] / "openapi"
EXTRACT = json.loads((OPENAPI / "github_schemas.json").read_text())
FLAVOUR_EXTRACT = json.loads((OPENAPI / "flavour_schemas.json").read_text())
FLAVOURS = ("github.com", "ghes", "2026-03-10")


def forbid_removed(base: dict, schemas: dict) -> dict:
    """``schemas`` where each object schema refuses the properties it lost compared with ``base``.

    GitHub's schemas accept unlisted properties, so a field a flavour no longer has (e.g. one API
    version 2026-03-10 removed) would otherwise pass unnoticed.
    """
    out = copy.deepcopy(schemas)
    for name, schema in out.items():
        lost = sorted(set((base.get(name) or {}).get("properties", {})) - set(schema.get("properties", {})))
        if lost:
            schema["not"] = {"anyOf": [{"required": [field]} for field in lost]}
    return out


class View:
    """One flavour's operations and component schemas."""

    def __init__(self, name: str):
        self.name = name
        self.operations = copy.deepcopy(EXTRACT["operations"])
        schemas = copy.deepcopy(EXTRACT["components"]["schemas"])
        self.absent: set[str] = set()
        if name != "github.com":
            overlay = FLAVOUR_EXTRACT["flavours"][name]
            self.operations.update(overlay["operations"])
            schemas.update(overlay["schemas"])
            self.absent = set(overlay.get("absent", []))
            for key in self.absent:
                self.operations.pop(key, None)
        self.components = {"schemas": forbid_removed(EXTRACT["components"]["schemas"], schemas)}
        self.templates = []
        for key in list(self.operations) + sorted(self.absent):
            method, template = key.split(" ", 1)
            self.templates.append((method, re.compile("^" + re.sub(r"\{\w+\}", "[^/]+", template) + "$"), key))

    def operation_for(self, method: str, path: str) -> str:
        path = path.split("?", 1)[0]
        for m, rx, key in self.templates:
            if m == method and rx.match(path):
                return key
        raise AssertionError(f"no OpenAPI operation for {method} {path} in {self.name}")

    def validate(self, schema: dict, body) -> None:
        validator = jsonschema.Draft202012Validator({"components": self.components, **schema})
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        assert not errors, f"[{self.name}] " + "\n".join(
            f"{list(e.absolute_path)}: {e.message[:300]}" for e in errors[:10])


VIEWS = {name: View(name) for name in FLAVOURS}
VALIDATED: set[tuple[str, str, str]] = set()


def validate(schema: dict, body) -> None:
    VIEWS["github.com"].validate(schema, body)


class FlavourApi(Api):
    """``Api`` speaking to one flavour: its API root, its X-GitHub-Api-Version."""

    def __init__(self, sim, flavour: str):
        super().__init__(sim)
        self.flavour = flavour
        self.root = sim.api_url

    def call(self, method, path, token=ADMIN, **kw):
        if self.flavour == "2026-03-10":
            kw["headers"] = {"X-GitHub-Api-Version": "2026-03-10", **(kw.get("headers") or {})}
        return super().call(method, path if path.startswith("http") else self.root + path, token=token, **kw)


@pytest.fixture(scope="module")
def ghes_server():
    with Simulator(SAMPLE_STATE, flavour="ghes") as server:
        yield server


@pytest.fixture(params=FLAVOURS)
def api(request, sim_server):
    server = request.getfixturevalue("ghes_server") if request.param == "ghes" else sim_server
    server.reset()
    client = FlavourApi(server, request.param)
    yield client
    client.session.close()
    assert "Traceback" not in server.stderr, server.stderr


def check(api, method: str, path: str, status: int, token: str | None = ADMIN, **kw):
    view = VIEWS[api.flavour]
    resp = api.call(method, path, token=token, **kw)
    key = view.operation_for(method, path)
    if key in view.absent:  # the flavour's description has no such operation
        assert resp.status_code == 404, (api.flavour, method, path, resp.status_code, resp.text[:300])
        view.validate({"$ref": "#/components/schemas/basic-error"}, resp.json())
        return resp
    assert resp.status_code == status, (api.flavour, method, path, resp.status_code, resp.text[:500])
    responses = view.operations[key]["responses"]
    schema = responses.get(str(status))
    if status in (204, 304):
        assert resp.content == b"", f"{key} {status} must have an empty body"
    elif schema is None and status >= 400:
        if resp.content:
            view.validate({"$ref": "#/components/schemas/basic-error"}, resp.json())
            assert resp.json()["message"]
    elif schema is not None:
        view.validate(schema, resp.json())
    else:
        raise AssertionError(f"[{api.flavour}] {key} answered an undocumented status {status}")
    if resp.content and status >= 400:
        body = resp.json()
        assert set(body) >= {"message", "documentation_url"}, body
    VALIDATED.add((api.flavour, key, str(status)))
    return resp


def test_users_and_auth(api):
    me = check(api, "GET", "/user", 200).json()
    assert me["login"] == "octo-admin" and me["user_view_type"] == "private"
    assert check(api, "GET", "/users/MONA-MEMBER", 200).json()["login"] == "mona-member"
    check(api, "GET", "/users/acme", 200)
    check(api, "GET", "/users/no-such-user", 404)
    check(api, "GET", "/user", 401, token="ghp_wrong")
    check(api, "GET", "/user", 401, token=None)


def test_org_settings(api):
    check(api, "GET", "/orgs/acme", 200)
    check(api, "GET", "/orgs/acme", 200, token=MEMBER)
    check(api, "GET", "/orgs/acme", 200, token=OUTSIDER)
    check(api, "GET", "/orgs/nope", 404)
    check(api, "PATCH", "/orgs/acme", 200, json={"description": "new", "members_can_create_pages": False})
    check(api, "PATCH", "/orgs/acme", 422, json={"default_repository_permission": "superuser"})
    check(api, "PATCH", "/orgs/acme", 403, token=MEMBER, json={"description": "x"})


def test_custom_repository_roles(api):
    """Enterprise Cloud's list of an organization's custom repository roles (the schema comes from ghec.json)."""
    roles = check(api, "GET", "/orgs/acme/custom-repository-roles", 200).json()
    assert [r["name"] for r in roles["custom_roles"]] == ["security-reviewer"] and roles["total_count"] == 1
    check(api, "GET", "/orgs/acme/custom-repository-roles", 403, token=MEMBER)
    check(api, "GET", "/orgs/nope/custom-repository-roles", 404)


def test_members_and_memberships(api):
    check(api, "GET", "/orgs/acme/members?per_page=2", 200)
    check(api, "GET", "/orgs/acme/members?filter=2fa_disabled&role=member", 200)
    check(api, "GET", "/orgs/acme/members?filter=2fa_insecure", 422, token=MEMBER)
    check(api, "GET", "/orgs/acme/members/mona-member", 204)
    check(api, "GET", "/orgs/acme/members/zed-outsider", 404)
    check(api, "GET", "/orgs/acme/memberships/mona-member", 200)
    check(api, "GET", "/orgs/acme/memberships/pending-pat", 200)
    check(api, "GET", "/orgs/acme/memberships/zed-outsider", 404)
    check(api, "PUT", "/orgs/acme/memberships/zed-outsider", 200, json={"role": "admin"})
    check(api, "PUT", "/orgs/acme/memberships/mona-member", 200, json={"role": "member"})
    check(api, "PUT", "/orgs/acme/memberships/ana-design", 422, json={"role": "king"})
    check(api, "PUT", "/orgs/acme/memberships/ana-design", 403, token=MEMBER, json={"role": "member"})
    check(api, "DELETE", "/orgs/acme/memberships/pending-pat", 204)
    check(api, "DELETE", "/orgs/acme/memberships/nobody-here", 404)
    check(api, "DELETE", "/orgs/acme/members/ana-design", 204)
    check(api, "DELETE", "/orgs/acme/members/hubot-dev", 403, token=MEMBER)
    check(api, "PUT", "/orgs/acme/memberships/octo-owner2", 200, json={"role": "member"})
    check(api, "PUT", "/orgs/acme/memberships/octo-admin", 403, json={"role": "member"})
    check(api, "DELETE", "/orgs/acme/memberships/octo-admin", 403)


def test_invitations(api):
    check(api, "GET", "/orgs/acme/invitations", 200)
    check(api, "GET", "/orgs/acme/failed_invitations", 200)
    nina = api.get("/users/new-hire-nina").json()["id"]
    inv = check(api, "POST", "/orgs/acme/invitations", 201, json={"invitee_id": nina, "role": "direct_member"})
    check(api, "POST", "/orgs/acme/invitations", 422, json={"invitee_id": nina})
    check(api, "POST", "/orgs/acme/invitations", 201, json={"email": "new@acme.example", "role": "admin"})
    check(api, "DELETE", f"/orgs/acme/invitations/{inv.json().get('id', 70000)}", 204)  # ghes: 404 + no id
    check(api, "DELETE", "/orgs/acme/invitations/999999", 404)
    check(api, "GET", "/orgs/acme/invitations", 404, token=OUTSIDER)


def test_outside_collaborators(api):
    check(api, "GET", "/orgs/acme/outside_collaborators", 200)
    check(api, "GET", "/orgs/acme/outside_collaborators?filter=2fa_disabled", 200)
    check(api, "PUT", "/orgs/acme/outside_collaborators/tom-qa", 204)
    resp = check(api, "PUT", "/orgs/acme/outside_collaborators/ana-design", 202, json={"async": True})
    assert resp.json() == {}
    check(api, "PUT", "/orgs/acme/outside_collaborators/zed-outsider", 403)
    check(api, "DELETE", "/orgs/acme/outside_collaborators/vendor-vic", 204)
    check(api, "DELETE", "/orgs/acme/outside_collaborators/mona-member", 422)


def test_hooks(api):
    check(api, "GET", "/orgs/acme/hooks", 200)
    created = check(api, "POST", "/orgs/acme/hooks", 201, json={
        "name": "web", "config": {"url": "https://new.example/hook", "content_type": "json", "secret": "x"},
        "events": ["push", "member"]}).json()
    hid = created["id"]
    check(api, "POST", "/orgs/acme/hooks", 422, json={"name": "email", "config": {"url": "https://x.example"}})
    check(api, "POST", "/orgs/acme/hooks", 422, json={"name": "web", "config": {"content_type": "json"}})
    check(api, "GET", f"/orgs/acme/hooks/{hid}", 200)
    check(api, "GET", "/orgs/acme/hooks/424242", 404)
    check(api, "PATCH", f"/orgs/acme/hooks/{hid}", 200, json={"active": False, "add_events": ["repository"]})
    check(api, "GET", f"/orgs/acme/hooks/{hid}/config", 200)
    check(api, "PATCH", f"/orgs/acme/hooks/{hid}/config", 200, json={"insecure_ssl": 1})
    check(api, "POST", f"/orgs/acme/hooks/{hid}/pings", 204)
    check(api, "DELETE", f"/orgs/acme/hooks/{hid}", 204)
    check(api, "GET", "/orgs/acme/hooks", 403, token=MEMBER)


def test_repositories(api):
    check(api, "GET", "/orgs/acme/repos", 200)
    check(api, "GET", "/orgs/acme/repos?type=public&sort=full_name&per_page=1", 200, token=OUTSIDER)
    check(api, "GET", "/orgs/nope/repos", 404)
    check(api, "GET", "/repos/acme/widgets", 200)
    check(api, "GET", "/repos/ACME/Gadgets", 200, token=OUTSIDER)
    check(api, "GET", "/repos/acme/widgets", 404, token=OUTSIDER)
    check(api, "GET", "/repos/acme/nothing", 404)
    for aff in ("all", "direct", "outside"):
        check(api, "GET", f"/repos/acme/widgets/collaborators?affiliation={aff}&per_page=3", 200)
    check(api, "GET", "/repos/acme/widgets/collaborators?permission=maintain", 200)
    check(api, "GET", "/repos/acme/widgets/collaborators/vendor-vic", 204)
    check(api, "GET", "/repos/acme/widgets/collaborators/zed-outsider", 404)
    added = 204 if api.flavour == "ghes" else 201  # GHES adds directly and documents no 201
    check(api, "PUT", "/repos/acme/widgets/collaborators/zed-outsider", added, json={"permission": "triage"})
    check(api, "PUT", "/repos/acme/widgets/collaborators/vendor-vic", 204, json={"permission": "maintain"})
    check(api, "PUT", "/repos/acme/widgets/collaborators/vendor-vic", 422, json={"permission": "owner"})
    check(api, "PUT", "/repos/acme/widgets/collaborators/zed-outsider", 403, token=MEMBER)
    check(api, "DELETE", "/repos/acme/widgets/collaborators/contractor-carl", 204)
    check(api, "GET", "/repos/acme/widgets/collaborators/tom-qa/permission", 200)
    check(api, "GET", "/repos/acme/widgets/collaborators/zed-outsider/permission", 200)
    check(api, "GET", "/repos/acme/widgets/collaborators/ghost-user/permission", 404)
    invs = check(api, "GET", "/repos/acme/widgets/invitations", 200).json()
    check(api, "PATCH", f"/repos/acme/widgets/invitations/{invs[0]['id']}", 200, json={"permissions": "admin"})
    check(api, "PATCH", f"/repos/acme/widgets/invitations/{invs[0]['id']}", 422, json={"permissions": "x"})
    check(api, "DELETE", f"/repos/acme/widgets/invitations/{invs[0]['id']}", 204)
    check(api, "DELETE", "/repos/acme/widgets/invitations/1", 404)


def test_trade_restricted_membership(api):
    state = api.sim.state()
    state["users"].append({"login": "restricted-rita", "trade_restricted": True})
    api.sim.reset(state)
    status = {"github.com": 422, "2026-03-10": 451, "ghes": 200}[api.flavour]
    resp = check(api, "PUT", "/orgs/acme/memberships/restricted-rita", status, json={"role": "member"})
    if status >= 400:
        assert "trade regulations" in resp.json()["errors"][0]["message"]


def test_teams(api):
    check(api, "GET", "/orgs/acme/teams?per_page=2", 200)
    check(api, "GET", "/orgs/acme/teams", 200, token=MEMBER)
    check(api, "GET", "/orgs/acme/teams", 404, token=OUTSIDER)
    team = check(api, "POST", "/orgs/acme/teams", 201, json={
        "name": "Web Crew", "description": "d", "privacy": "closed",
        "notification_setting": "notifications_disabled"}).json()
    assert team["slug"] == "web-crew" and team["parent"] is None
    check(api, "POST", "/orgs/acme/teams", 422, json={"name": "web crew"})  # names are unique
    check(api, "POST", "/orgs/acme/teams", 422, json={"name": "x", "privacy": "public"})
    parent = api.get("/orgs/acme/teams/platform").json()["id"]
    check(api, "POST", "/orgs/acme/teams", 422, json={"name": "Hidden", "privacy": "secret",
                                                      "parent_team_id": parent})
    check(api, "GET", "/orgs/acme/teams/web-crew", 200)
    check(api, "GET", "/orgs/acme/teams/security", 404, token=MEMBER)  # secret, not a member
    check(api, "GET", "/orgs/acme/teams/nope", 404)
    renamed = check(api, "PATCH", "/orgs/acme/teams/web-crew", 200,
                    json={"name": "Web Team", "parent_team_id": parent}).json()
    assert renamed["slug"] == "web-team" and renamed["parent"]["slug"] == "platform"
    check(api, "PATCH", "/orgs/acme/teams/web-team", 422, json={"privacy": "secret"})  # nested
    check(api, "PATCH", "/orgs/acme/teams/web-team", 403, token=MEMBER, json={"description": "x"})
    check(api, "GET", "/orgs/acme/teams/platform/teams", 200)
    for role in ("all", "member", "maintainer"):
        check(api, "GET", f"/orgs/acme/teams/platform/members?role={role}", 200)
    check(api, "GET", "/orgs/acme/teams/platform/memberships/raj-sre", 200)  # through the child team
    check(api, "GET", "/orgs/acme/teams/platform/memberships/tom-qa", 404)
    check(api, "PUT", "/orgs/acme/teams/platform/memberships/tom-qa", 200, json={"role": "maintainer"})
    pending = check(api, "PUT", "/orgs/acme/teams/platform/memberships/new-hire-nina", 200, json={}).json()
    assert pending["state"] == "pending"
    check(api, "PUT", "/orgs/acme/teams/platform/memberships/tom-qa", 422, json={"role": "owner"})
    check(api, "PUT", "/orgs/acme/teams/platform/memberships/tom-qa", 403, token=MEMBER, json={})
    check(api, "GET", "/orgs/acme/teams/platform/invitations", 200)
    check(api, "DELETE", "/orgs/acme/teams/platform/memberships/tom-qa", 204)
    check(api, "DELETE", "/orgs/acme/teams/platform/memberships/tom-qa", 403, token=MEMBER)
    check(api, "GET", "/orgs/acme/teams/platform/repos", 200)
    check(api, "GET", "/repos/acme/gadgets/teams", 200)
    check(api, "GET", "/repos/acme/nope/teams", 404)
    check(api, "PUT", "/orgs/acme/teams/platform/repos/acme/widgets", 204, json={"permission": "maintain"})
    check(api, "GET", "/orgs/acme/teams/platform/repos/acme/widgets", 204)
    check(api, "GET", "/orgs/acme/teams/platform/repos/acme/widgets", 200,
          headers={"Accept": "application/vnd.github.v3.repository+json"})
    check(api, "GET", "/orgs/acme/teams/web-team/repos/acme/widgets", 200,  # inherited from the parent
          headers={"Accept": "application/vnd.github.v3.repository+json"})
    check(api, "DELETE", "/orgs/acme/teams/platform/repos/acme/widgets", 204)
    check(api, "GET", "/orgs/acme/teams/platform/repos/acme/widgets", 404)
    check(api, "DELETE", "/orgs/acme/teams/web-team", 204)


# The organization/repository operations this module must cover (the extract may hold more, e.g. the
# GitHub App routes, which their own tests exercise).
CORE_OPERATIONS = {
    "GET /user", "GET /users/{username}", "GET /orgs/{org}", "PATCH /orgs/{org}", "GET /orgs/{org}/members",
    "GET /orgs/{org}/members/{username}", "DELETE /orgs/{org}/members/{username}",
    "GET /orgs/{org}/memberships/{username}", "PUT /orgs/{org}/memberships/{username}",
    "DELETE /orgs/{org}/memberships/{username}", "GET /orgs/{org}/invitations", "POST /orgs/{org}/invitations",
    "GET /orgs/{org}/failed_invitations", "DELETE /orgs/{org}/invitations/{invitation_id}",
    "GET /orgs/{org}/outside_collaborators", "PUT /orgs/{org}/outside_collaborators/{username}",
    "DELETE /orgs/{org}/outside_collaborators/{username}", "GET /orgs/{org}/hooks", "POST /orgs/{org}/hooks",
    "GET /orgs/{org}/hooks/{hook_id}", "PATCH /orgs/{org}/hooks/{hook_id}", "DELETE /orgs/{org}/hooks/{hook_id}",
    "GET /orgs/{org}/hooks/{hook_id}/config", "PATCH /orgs/{org}/hooks/{hook_id}/config",
    "POST /orgs/{org}/hooks/{hook_id}/pings", "GET /orgs/{org}/repos",
    "GET /repos/{owner}/{repo}", "GET /repos/{owner}/{repo}/collaborators",
    "GET /repos/{owner}/{repo}/collaborators/{username}", "PUT /repos/{owner}/{repo}/collaborators/{username}",
    "DELETE /repos/{owner}/{repo}/collaborators/{username}",
    "GET /repos/{owner}/{repo}/collaborators/{username}/permission", "GET /repos/{owner}/{repo}/invitations",
    "PATCH /repos/{owner}/{repo}/invitations/{invitation_id}",
    "DELETE /repos/{owner}/{repo}/invitations/{invitation_id}",
    "GET /orgs/{org}/teams", "POST /orgs/{org}/teams", "GET /orgs/{org}/teams/{team_slug}",
    "PATCH /orgs/{org}/teams/{team_slug}", "DELETE /orgs/{org}/teams/{team_slug}",
    "GET /orgs/{org}/teams/{team_slug}/teams", "GET /orgs/{org}/teams/{team_slug}/members",
    "GET /orgs/{org}/teams/{team_slug}/invitations",
    "GET /orgs/{org}/teams/{team_slug}/memberships/{username}",
    "PUT /orgs/{org}/teams/{team_slug}/memberships/{username}",
    "DELETE /orgs/{org}/teams/{team_slug}/memberships/{username}",
    "GET /orgs/{org}/teams/{team_slug}/repos", "GET /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}",
    "PUT /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}",
    "DELETE /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}", "GET /repos/{owner}/{repo}/teams",
}


def test_extract_covers_the_core_operations():
    assert set(EXTRACT["operations"]) >= CORE_OPERATIONS
    assert EXTRACT["source"]["package"] == "@octokit/openapi" and EXTRACT["source"]["version"] == "23.0.2"


def test_flavour_extracts_match_the_simulator():
    """GHES 3.17-3.19 lack the same operations, and the simulator serves exactly the others there."""
    ghes = FLAVOUR_EXTRACT["flavours"]["ghes"]
    assert ghes["file"] == "generated/ghes-3.19.json"
    assert all(sorted(absent) == sorted(ghes["absent"]) for absent in ghes["absent_by_release"].values())
    assert set(ghes["absent"]) == {"GET /orgs/{org}/invitations", "POST /orgs/{org}/invitations",
                                   "GET /orgs/{org}/failed_invitations",
                                   "DELETE /orgs/{org}/invitations/{invitation_id}",
                                   "GET /orgs/{org}/teams/{team_slug}/invitations"}
    new = FLAVOUR_EXTRACT["flavours"]["2026-03-10"]
    assert {"remove_secret_scanning_custom_link_enablement_field", "remove_has_downloads",
            "change_update_user_membership_trade_compliance_response_status"} <= set(new["changesets"])
    assert "451" in new["operations"]["PUT /orgs/{org}/memberships/{username}"]["responses"]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_every_operation_was_validated(flavour):
    """Runs last in this module: each core operation had at least one success response validated."""
    served = {key for name, key, status in VALIDATED if name == flavour and status.startswith("2")}
    missing = sorted(CORE_OPERATIONS - VIEWS[flavour].absent - served)
    if not VALIDATED:
        pytest.skip("run together with the other tests of this module")
    assert not missing, f"[{flavour}] operations without a validated success response: {missing}"


VALID_ORG = {
    "login": "acme", "id": 1, "node_id": "x", "url": "u", "repos_url": "u", "events_url": "u", "hooks_url": "u",
    "issues_url": "u", "members_url": "u", "public_members_url": "u", "avatar_url": "u", "description": None,
    "html_url": "u", "has_organization_projects": True, "has_repository_projects": True, "public_repos": 0,
    "public_gists": 0, "followers": 0, "following": 0, "type": "Organization", "created_at": "2020-01-01T00:00:00Z",
    "updated_at": "2020-01-01T00:00:00Z", "archived_at": None,
    "secret_scanning_push_protection_custom_link_enabled": False,
}


def test_validator_rejects_wrong_shapes():
    """The conformance machinery itself catches bad bodies (guards against vacuous passes)."""
    with pytest.raises(AssertionError):
        validate({"$ref": "#/components/schemas/simple-user"}, {"login": 1})
    with pytest.raises(AssertionError):
        validate(EXTRACT["operations"]["GET /orgs/{org}/members"]["responses"]["200"], {"login": "x"})
    org = copy.deepcopy(VALID_ORG)
    VIEWS["github.com"].validate({"$ref": "#/components/schemas/organization-full"}, org)
    with pytest.raises(AssertionError, match="should not be valid"):  # a field 2026-03-10 removed
        VIEWS["2026-03-10"].validate({"$ref": "#/components/schemas/organization-full"}, org)
    del org["secret_scanning_push_protection_custom_link_enabled"]
    VIEWS["2026-03-10"].validate({"$ref": "#/components/schemas/organization-full"}, org)
    with pytest.raises(AssertionError):
        validate({"$ref": "#/components/schemas/org-membership"},
                 {"state": "invited", "role": "admin", "url": "u", "organization_url": "u",
                  "organization": {}, "user": None})
