"""Every JSON body the simulator serves validates against GitHub's OpenAPI description.

The schemas come from ``tests/openapi/github_schemas.json`` (extracted from
``@octokit/openapi`` 23.0.2 by ``tests/openapi/extract_schemas.py``).  Error
statuses an operation does not document are validated against ``basic-error``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from ghsim_testlib import ADMIN, MEMBER, OUTSIDER

EXTRACT = json.loads((Path(__file__).resolve().parents[1] / "openapi" / "github_schemas.json").read_text())
COMPONENTS = EXTRACT["components"]
TEMPLATES = []
for _key in EXTRACT["operations"]:
    _method, _template = _key.split(" ", 1)
    _rx = re.compile("^" + re.sub(r"\{\w+\}", "[^/]+", _template) + "$")
    TEMPLATES.append((_method, _rx, _key))

VALIDATED: set[tuple[str, str]] = set()


def operation_for(method: str, path: str) -> str:
    path = path.split("?", 1)[0]
    for m, rx, key in TEMPLATES:
        if m == method and rx.match(path):
            return key
    raise AssertionError(f"no OpenAPI operation for {method} {path}")


def validate(schema: dict, body) -> None:
    root = {"components": COMPONENTS, **schema}
    validator = jsonschema.Draft202012Validator(root)
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message[:300]}" for e in errors[:10])


def check(api, method: str, path: str, status: int, token: str | None = ADMIN, **kw):
    resp = api.call(method, path, token=token, **kw)
    assert resp.status_code == status, (method, path, resp.status_code, resp.text[:500])
    key = operation_for(method, path)
    responses = EXTRACT["operations"][key]["responses"]
    schema = responses.get(str(status))
    if status in (204, 304):
        assert resp.content == b"", f"{key} {status} must have an empty body"
    elif schema is None and status >= 400:
        if resp.content:
            validate({"$ref": "#/components/schemas/basic-error"}, resp.json())
            assert resp.json()["message"]
    elif schema is not None:
        validate(schema, resp.json())
    else:
        raise AssertionError(f"{key} answered an undocumented status {status}")
    if resp.content and status >= 400:
        body = resp.json()
        assert set(body) >= {"message", "documentation_url"}, body
    VALIDATED.add((key, str(status)))
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


def test_invitations(api, sim):
    check(api, "GET", "/orgs/acme/invitations", 200)
    check(api, "GET", "/orgs/acme/failed_invitations", 200)
    nina = api.get("/users/new-hire-nina").json()["id"]
    inv = check(api, "POST", "/orgs/acme/invitations", 201, json={"invitee_id": nina, "role": "direct_member"})
    check(api, "POST", "/orgs/acme/invitations", 422, json={"invitee_id": nina})
    check(api, "POST", "/orgs/acme/invitations", 201, json={"email": "new@acme.example", "role": "admin"})
    check(api, "DELETE", f"/orgs/acme/invitations/{inv.json()['id']}", 204)
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
    check(api, "PUT", "/repos/acme/widgets/collaborators/zed-outsider", 201, json={"permission": "triage"})
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
}


def test_extract_covers_the_core_operations():
    assert set(EXTRACT["operations"]) >= CORE_OPERATIONS
    assert EXTRACT["source"]["package"] == "@octokit/openapi" and EXTRACT["source"]["version"] == "23.0.2"


def test_every_operation_was_validated():
    """Runs last in this module: each core operation had at least one success response validated."""
    served = {key for key, status in VALIDATED if status.startswith("2")}
    missing = sorted(CORE_OPERATIONS - served)
    if not VALIDATED:
        pytest.skip("run together with the other tests of this module")
    assert not missing, f"operations without a validated success response: {missing}"


def test_validator_rejects_wrong_shapes():
    """The conformance machinery itself catches bad bodies (guards against vacuous passes)."""
    with pytest.raises(AssertionError):
        validate({"$ref": "#/components/schemas/simple-user"}, {"login": 1})
    with pytest.raises(AssertionError):
        validate(EXTRACT["operations"]["GET /orgs/{org}/members"]["responses"]["200"], {"login": "x"})
    with pytest.raises(AssertionError):
        validate({"$ref": "#/components/schemas/org-membership"},
                 {"state": "invited", "role": "admin", "url": "u", "organization_url": "u",
                  "organization": {}, "user": None})
