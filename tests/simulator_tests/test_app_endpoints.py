"""The simulator's GitHub App endpoints: JWT checks, installations, installation tokens.

Bodies are validated against GitHub's OpenAPI description (``tests/openapi/github_schemas.json``,
which holds the App operations since they are among ``ghsim.ROUTES``). Keys are generated here.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import jsonschema
import jwt
import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from ghsim_testlib import ADMIN, SAMPLE_STATE

EXTRACT = json.loads((Path(__file__).resolve().parents[1] / "openapi" / "github_schemas.json").read_text())
APP_OPERATIONS = {
    "GET /app", "GET /app/installations/{installation_id}",
    "POST /app/installations/{installation_id}/access_tokens", "GET /orgs/{org}/installation",
    "GET /repos/{owner}/{repo}/installation", "GET /users/{username}/installation",
}
DECODE = "A JSON web token could not be decoded"
NOT_ACCESSIBLE = "Resource not accessible by integration"


@pytest.fixture(scope="module")
def key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(key, fmt=serialization.PublicFormat.SubjectPublicKeyInfo):
    return key.public_key().public_bytes(serialization.Encoding.PEM, fmt).decode()


@pytest.fixture
def app_sim(sim, key):
    state = yaml.safe_load(Path(SAMPLE_STATE).read_text())
    state["apps"] = [
        {"id": 1234, "slug": "orgcode-app", "client_id": "Iv23liOrgcode", "public_key": public_pem(key),
         "installations": [{"id": 55, "account": "acme"},
                           {"id": 56, "account": "octo-admin", "permissions": {"metadata": "read"}}]},
        {"id": 99, "slug": "pkcs1-app", "public_key": public_pem(key, serialization.PublicFormat.PKCS1),
         "installations": [{"id": 77, "account": "acme", "permissions": {"members": "read"}, "token_ttl": 120}]},
    ]
    sim.reset(state)
    return sim


def make_jwt(key, iss=1234, iat_offset=-60, exp_offset=540, **extra):
    now = int(time.time())
    claims = {"iat": now + iat_offset, "exp": now + exp_offset, "iss": str(iss), **extra}
    return jwt.encode(claims, key, algorithm="RS256")


def validate(key_name: str, status: int, body) -> None:
    schema = EXTRACT["operations"][key_name]["responses"].get(str(status))
    if schema is None:  # an error status the operation does not document
        schema = {"$ref": "#/components/schemas/basic-error"}
    validator = jsonschema.Draft202012Validator({"components": EXTRACT["components"], **schema})
    errors = list(validator.iter_errors(body))
    assert not errors, [f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:5]]


def call(api, method, path, credential, status, operation=None, **kw):
    resp = api.call(method, path, token=credential, **kw)
    assert resp.status_code == status, (method, path, resp.status_code, resp.text[:300])
    if operation:
        validate(operation, status, resp.json())
    return resp


def installation_token(api, key, installation=55, iss=1234, **kw):
    resp = call(api, "POST", f"/app/installations/{installation}/access_tokens", make_jwt(key, iss=iss), 201,
                "POST /app/installations/{installation_id}/access_tokens", **kw)
    return resp.json()


def test_the_extract_holds_every_app_operation():
    assert set(EXTRACT["operations"]) >= APP_OPERATIONS


def test_app_endpoints_answer_with_documented_bodies(api, app_sim, key):
    bearer = make_jwt(key)
    app = call(api, "GET", "/app", bearer, 200, "GET /app").json()
    assert (app["id"], app["slug"], app["installations_count"]) == (1234, "orgcode-app", 2)
    one = call(api, "GET", "/app/installations/55", bearer, 200, "GET /app/installations/{installation_id}").json()
    assert one["account"]["login"] == "acme" and one["target_type"] == "Organization"
    assert one["access_tokens_url"] == app_sim.url + "/app/installations/55/access_tokens"
    org = call(api, "GET", "/orgs/ACME/installation", bearer, 200, "GET /orgs/{org}/installation").json()
    repo = call(api, "GET", "/repos/acme/widgets/installation", bearer, 200,
                "GET /repos/{owner}/{repo}/installation").json()
    user = call(api, "GET", "/users/octo-admin/installation", bearer, 200,
                "GET /users/{username}/installation").json()
    assert (org["id"], repo["id"], user["id"]) == (55, 55, 56)
    assert user["target_type"] == "User"
    token = installation_token(api, key)
    assert token["token"].startswith("ghs_") and len(token["token"]) == 40
    expires = time.mktime(time.strptime(token["expires_at"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
    assert 3590 <= expires - time.time() <= 3601
    for path in ("/app/installations/999", "/app/installations/abc", "/app/installations/77"):  # 77: other app's
        call(api, "GET", path, bearer, 404, "GET /app/installations/{installation_id}")
    call(api, "POST", "/app/installations/999/access_tokens", bearer, 404,
         "POST /app/installations/{installation_id}/access_tokens")
    call(api, "GET", "/repos/acme/nope/installation", bearer, 404, "GET /repos/{owner}/{repo}/installation")
    call(api, "GET", "/users/mona-member/installation", bearer, 404)


def test_client_id_and_pkcs1_public_keys_are_accepted(api, app_sim, key):
    assert call(api, "GET", "/app", make_jwt(key, iss="Iv23liOrgcode"), 200).json()["id"] == 1234
    assert call(api, "GET", "/app", make_jwt(key, iss=99), 200, "GET /app").json()["slug"] == "pkcs1-app"


def test_ghes_prefix_serves_the_app_endpoints(api, app_sim, key):
    resp = call(api, "GET", app_sim.url + "/api/v3/orgs/acme/installation", make_jwt(key), 200)
    assert resp.json()["access_tokens_url"] == app_sim.url + "/api/v3/app/installations/55/access_tokens"
    token = call(api, "POST", app_sim.url + "/api/v3/app/installations/55/access_tokens", make_jwt(key), 201).json()
    call(api, "GET", app_sim.url + "/api/v3/orgs/acme/members", token["token"], 200)
    assert {r.get("api_prefix") for r in app_sim.requests()} == {"/api/v3"}


@pytest.mark.parametrize("make, status, message", [
    (lambda key: make_jwt(rsa.generate_private_key(public_exponent=65537, key_size=2048)), 401, DECODE),
    (lambda key: make_jwt(key, iat_offset=-700, exp_offset=-10), 401,
     "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the "
     "assertion expires"),
    (lambda key: make_jwt(key, exp_offset=660), 401, "'Expiration time' claim ('exp') is too far in the future"),
    (lambda key: make_jwt(key, iat_offset=120), 401,
     "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"),
    (lambda key: make_jwt(key, iss=4321), 404, "Integration not found"),
    (lambda key: jwt.encode({"iat": int(time.time()) - 60, "exp": int(time.time()) + 500}, key, algorithm="RS256"),
     401, "'Issuer' claim ('iss') must be an Integer"),
    (lambda key: jwt.encode({"iat": int(time.time()) - 60, "exp": int(time.time()) + 500, "iss": "1234"},
                            "not-the-key-but-hmac-secret-long-enough-32b", algorithm="HS256"), 401, DECODE),
    (lambda key: "eyJhbGciOiJSUzI1NiJ9.eyJub3QianNvbg.c2ln", 401, DECODE),
    (lambda key: make_jwt(key)[:-6] + "AAAAAA", 401, DECODE),
])
def test_bad_jwts_get_githubs_messages(api, app_sim, key, make, status, message):
    for method, path in (("GET", "/app"), ("POST", "/app/installations/55/access_tokens")):
        resp = call(api, method, path, make(key), status)
        assert resp.json()["message"] == message
        validate("GET /app" if method == "GET" else "POST /app/installations/{installation_id}/access_tokens",
                 status, resp.json())


def test_jwt_and_token_kinds_are_not_interchangeable(api, app_sim, key):
    assert call(api, "GET", "/app", ADMIN, 401).json()["message"] == DECODE  # a personal token on an App route
    assert call(api, "GET", "/orgs/acme/members", make_jwt(key), 403).json()["message"] == NOT_ACCESSIBLE
    token = installation_token(api, key)["token"]
    assert call(api, "POST", "/app/installations/55/access_tokens", token, 401).json()["message"] == DECODE
    assert call(api, "GET", "/user", token, 403).json()["message"] == NOT_ACCESSIBLE
    assert call(api, "GET", "/orgs/acme", "ghs_" + "0" * 36, 401).json()["message"] == "Bad credentials"


def test_installation_token_acts_as_an_owner_of_its_org_only(api, app_sim, key):
    token = installation_token(api, key)["token"]
    org = call(api, "GET", "/orgs/acme", token, 200).json()
    assert "billing_email" in org  # the owner's view
    assert call(api, "PATCH", "/orgs/acme", token, 200, json={"description": "by the app"}).json()[
        "description"] == "by the app"
    owners = call(api, "GET", "/orgs/acme/members?role=admin", token, 200).json()
    assert all(not o["login"].endswith("[bot]") for o in owners)  # an installation is no member
    resp = call(api, "PUT", "/orgs/acme/memberships/zed-outsider", token, 200, json={"role": "member"})
    assert resp.json()["state"] == "pending"
    invitation = next(i for i in call(api, "GET", "/orgs/acme/invitations", token, 200).json()
                      if i["login"] == "zed-outsider")
    assert invitation["inviter"]["login"] == "orgcode-app[bot]"
    assert call(api, "GET", "/repos/acme/widgets/collaborators/vendor-vic/permission", token, 200).json()[
        "role_name"]
    call(api, "PUT", "/repos/acme/widgets/collaborators/zed-outsider", token, 201, json={"permission": "pull"})
    other = installation_token(api, key, installation=56)["token"]
    call(api, "PATCH", "/orgs/acme", other, 403, json={"description": "no"})  # metadata only


def test_installation_permissions_are_enforced_and_can_be_narrowed(api, app_sim, key):
    read_only = installation_token(api, key, installation=77, iss=99)
    assert read_only["permissions"] == {"members": "read", "metadata": "read"}
    call(api, "GET", "/orgs/acme/members", read_only["token"], 200)
    assert call(api, "PUT", "/orgs/acme/memberships/zed-outsider", read_only["token"], 403,
                json={"role": "member"}).json()["message"] == NOT_ACCESSIBLE
    call(api, "GET", "/orgs/acme/hooks", read_only["token"], 403)
    narrowed = installation_token(api, key, json={"permissions": {"members": "read"}})
    assert narrowed["permissions"] == {"members": "read"}
    call(api, "PATCH", "/orgs/acme", narrowed["token"], 403, json={"description": "no"})
    resp = call(api, "POST", "/app/installations/77/access_tokens", make_jwt(key, iss=99), 422,
                "POST /app/installations/{installation_id}/access_tokens",
                json={"permissions": {"members": "write"}})
    assert resp.json()["message"] == "The permissions requested are not granted to this installation."


def test_token_lifetime_from_the_state_and_from_config(api, app_sim, key):
    short = installation_token(api, key, installation=77, iss=99)  # token_ttl: 120 in the state
    expires = time.mktime(time.strptime(short["expires_at"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
    assert 110 <= expires - time.time() <= 121
    assert app_sim.config(app_token_ttl=60)["app_token_ttl"] == 60
    issued = installation_token(api, key)
    expires = time.mktime(time.strptime(issued["expires_at"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
    assert 50 <= expires - time.time() <= 61
    call(api, "GET", "/orgs/acme/members", issued["token"], 200)
    # A minute on (the server's clock moved on, rather than a real wait that a busy machine could stretch
    # past a short lifetime before the first call): expired.
    app_sim.config(app_clock_skew_s=61)
    assert call(api, "GET", "/orgs/acme/members", issued["token"], 401).json()["message"] == "Bad credentials"
    app_sim.reset()
    assert app_sim.config()["app_token_ttl"] is None and app_sim.config()["app_clock_skew_s"] == 0


def test_clock_skew_expires_tokens_early_for_a_client_and_checks_jwt_times(api, app_sim, key):
    app_sim.config(app_clock_skew_s=30, app_token_ttl=1)
    issued = installation_token(api, key)
    expires = time.mktime(time.strptime(issued["expires_at"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
    assert expires - time.time() > 25  # by this host's clock the token has half a minute left...
    time.sleep(1.1)
    assert call(api, "GET", "/orgs/acme", issued["token"], 401).json()["message"] == "Bad credentials"  # ...not so
    app_sim.config(app_clock_skew_s=-120)  # a server behind the client: an iat 60 s back is "in the future"
    assert call(api, "GET", "/app", make_jwt(key), 401).json()["message"].startswith("'Issued at' claim")


def test_state_dump_keeps_the_apps(app_sim, key):
    dumped = app_sim.state()
    assert [a["id"] for a in dumped["apps"]] == [1234, 99]
    assert dumped["apps"][0]["installations"][0] == {"id": 55, "account": "acme", "permissions": {
        "metadata": "read", "members": "write", "organization_administration": "write", "organization_hooks": "write",
        "administration": "write"}, "token_ttl": 3600.0}
    app_sim.reset(dumped)
    assert app_sim.state()["apps"] == dumped["apps"]
