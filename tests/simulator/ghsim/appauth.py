"""GitHub App authentication: the Apps of the state, JWT verification, installation tokens.

The JWT's RS256 signature is verified with ``cryptography`` (pinned in tests/requirements.txt).
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from .common import ApiError, iso

if TYPE_CHECKING:
    from .server import Simulator
    from .state import State

#
# State file::
#
#     apps:
#       - id: 1234
#         slug: orgcode-app             # the installation acts as user "orgcode-app[bot]"
#         client_id: Iv23liOrgcode      # optional; accepted as the JWT "iss" like the id
#         public_key: |                 # PEM (SubjectPublicKeyInfo or PKCS#1) of the App's key pair
#           -----BEGIN PUBLIC KEY-----
#         installations:
#           - id: 55
#             account: acme             # an org (or user) login
#             permissions: {members: write, organization_administration: write}  # default: APP_DEFAULT_PERMISSIONS
#             token_ttl: 3600           # seconds an installation token lives
#
# A JWT (RS256, checked with the App's public key, "iat" in the past, "exp" in the future and at most
# 10 minutes ahead) authenticates as the App on the APP_JWT_ROUTES.  POST .../access_tokens issues an
# installation token ("ghs_...") that acts with owner-like rights on its account's organization and
# repositories, within the installation's permissions ("Resource not accessible by integration"
# otherwise), until it expires ("Bad credentials").  /_sim/config takes ``app_token_ttl`` (seconds,
# overrides every installation's token_ttl; null: the state's) and ``app_clock_skew_s`` (the server's
# clock runs that many seconds ahead of real time, as a host with a drifting clock would see it).
# RS256 is verified with ``cryptography``.

APP_JWT_MAX_LIFETIME = 600
APP_DEFAULT_TOKEN_TTL = 3600
APP_CONFIG_DEFAULTS = {"app_token_ttl": None, "app_clock_skew_s": 0.0}
APP_DEFAULT_PERMISSIONS = {
    "metadata": "read", "members": "write", "organization_administration": "write",
    "organization_hooks": "write", "administration": "write",
}
JWT_DECODE_ERROR = "A JSON web token could not be decoded"
NOT_ACCESSIBLE = "Resource not accessible by integration"
# Routes that only a JWT (the App itself) may call.
APP_JWT_ROUTES = {
    "/app", "/app/installations/{installation_id}",
    "/app/installations/{installation_id}/access_tokens", "/orgs/{org}/installation",
    "/repos/{owner}/{repo}/installation", "/users/{username}/installation",
}
# What an installation token needs for each route: (permission, "read"|"write"); None: nothing.
# Routes missing here are refused to installation tokens (e.g. GET /user).
APP_ROUTE_PERMISSIONS = {
    ("GET", "/users/{username}"): None,
    ("GET", "/orgs/{org}"): None,
    ("PATCH", "/orgs/{org}"): ("organization_administration", "write"),
    ("GET", "/orgs/{org}/repos"): ("metadata", "read"),
    ("GET", "/repos/{owner}/{repo}"): ("metadata", "read"),
    ("GET", "/repos/{owner}/{repo}/collaborators"): ("metadata", "read"),
    ("GET", "/repos/{owner}/{repo}/collaborators/{username}"): ("metadata", "read"),
    ("GET", "/repos/{owner}/{repo}/collaborators/{username}/permission"): ("metadata", "read"),
    ("PUT", "/repos/{owner}/{repo}/collaborators/{username}"): ("administration", "write"),
    ("DELETE", "/repos/{owner}/{repo}/collaborators/{username}"): ("administration", "write"),
    ("GET", "/repos/{owner}/{repo}/invitations"): ("administration", "read"),
    ("PATCH", "/repos/{owner}/{repo}/invitations/{invitation_id}"): ("administration", "write"),
    ("DELETE", "/repos/{owner}/{repo}/invitations/{invitation_id}"): ("administration", "write"),
    ("GET", "/repos/{owner}/{repo}/teams"): ("administration", "read"),
}
for _m, _t in (("GET", "members"), ("GET", "members/{username}"), ("DELETE", "members/{username}"),
               ("GET", "memberships/{username}"), ("PUT", "memberships/{username}"),
               ("DELETE", "memberships/{username}"), ("GET", "invitations"), ("POST", "invitations"),
               ("GET", "failed_invitations"), ("DELETE", "invitations/{invitation_id}"),
               ("GET", "outside_collaborators"), ("PUT", "outside_collaborators/{username}"),
               ("DELETE", "outside_collaborators/{username}")):
    APP_ROUTE_PERMISSIONS[(_m, "/orgs/{org}/" + _t)] = ("members", "read" if _m == "GET" else "write")
for _m, _t in (("GET", "hooks"), ("POST", "hooks"), ("GET", "hooks/{hook_id}"), ("PATCH", "hooks/{hook_id}"),
               ("DELETE", "hooks/{hook_id}"), ("GET", "hooks/{hook_id}/config"),
               ("PATCH", "hooks/{hook_id}/config"), ("POST", "hooks/{hook_id}/pings")):
    APP_ROUTE_PERMISSIONS[(_m, "/orgs/{org}/" + _t)] = ("organization_hooks", "read" if _m == "GET" else "write")
for _m, _t in (("GET", ""), ("POST", ""), ("GET", "/{team_slug}"), ("PATCH", "/{team_slug}"),
               ("DELETE", "/{team_slug}"), ("GET", "/{team_slug}/teams"), ("GET", "/{team_slug}/members"),
               ("GET", "/{team_slug}/invitations"), ("GET", "/{team_slug}/memberships/{username}"),
               ("PUT", "/{team_slug}/memberships/{username}"), ("DELETE", "/{team_slug}/memberships/{username}"),
               ("GET", "/{team_slug}/repos"), ("GET", "/{team_slug}/repos/{owner}/{repo}")):
    APP_ROUTE_PERMISSIONS[(_m, "/orgs/{org}/teams" + _t)] = ("members", "read" if _m == "GET" else "write")
for _m in ("PUT", "DELETE"):  # a team's repository access: the repository's administration
    APP_ROUTE_PERMISSIONS[(_m, "/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}")] = ("administration", "write")


def load_public_key(pem: str) -> rsa.RSAPublicKey:
    """An RSA public key in PEM: SubjectPublicKeyInfo ("PUBLIC KEY") or PKCS#1 ("RSA PUBLIC KEY")."""
    key = serialization.load_pem_public_key(str(pem).strip().encode())
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("not an RSA key")
    return key


def rs256_verify(key: rsa.RSAPublicKey, signing_input: bytes, signature: bytes) -> bool:
    """RSASSA-PKCS1-v1_5 with SHA-256 (JWS "RS256")."""
    try:
        key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def _b64url(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


class AppRegistry:
    """The state's GitHub Apps, their installations and the installation tokens issued so far."""

    def __init__(self, state: State, specs):
        self.state = state
        self.apps: dict[int, dict] = {}
        self.installations: dict[int, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.current: dict | None = None
        for spec in specs or []:
            self._load_app(spec)

    def _load_app(self, spec: dict) -> None:
        app_id = int(spec["id"])
        slug = str(spec.get("slug") or f"app-{app_id}")
        pem = str(spec["public_key"])
        owner = spec.get("owner")
        bot = self.state.add_user({"login": f"{slug}[bot]", "type": "Bot"})
        app = {
            "id": app_id, "slug": slug, "name": str(spec.get("name") or slug),
            "client_id": str(spec.get("client_id") or f"Iv1.{hashlib.sha1(slug.encode()).hexdigest()[:16]}"),
            "public_key": pem, "key": load_public_key(pem), "bot": bot["login"].lower(),
            "owner": self.state.ensure_user(owner)["login"].lower() if owner else None,
            "description": spec.get("description"), "created_at": iso(spec.get("created_at")),
            "installations": [],
        }
        self.apps[app_id] = app
        for inst_spec in spec.get("installations") or []:
            account = self.state.ensure_user(inst_spec["account"])
            perms = dict(inst_spec.get("permissions") or APP_DEFAULT_PERMISSIONS)
            perms.setdefault("metadata", "read")
            inst = {
                "id": int(inst_spec["id"]), "app": app_id, "account": account["login"].lower(),
                "permissions": {str(k): str(v) for k, v in perms.items()},
                "token_ttl": float(inst_spec.get("token_ttl", APP_DEFAULT_TOKEN_TTL)),
                "suspended": bool(inst_spec.get("suspended", False)),
                "created_at": iso(inst_spec.get("created_at")),
            }
            self.installations[inst["id"]] = inst
            app["installations"].append(inst["id"])

    def by_issuer(self, iss) -> dict | None:
        if isinstance(iss, bool):
            return None
        if isinstance(iss, int) or (isinstance(iss, str) and iss.isdigit()):
            return self.apps.get(int(iss))
        return next((a for a in self.apps.values() if a["client_id"] == iss), None)

    def installation_for(self, app: dict, account_key: str) -> dict | None:
        for inst_id in app["installations"]:
            inst = self.installations[inst_id]
            if inst["account"] == account_key:
                return inst
        return None

    def bot_account(self, login_key: str | None) -> str | None:
        """The account the current request's installation token acts for when ``login_key`` is its bot."""
        token = self.current  # set by the dispatcher, which serves one request at a time (sim.lock)
        if token is None or login_key is None or login_key != token["login"]:
            return None
        return token["installation"]["account"]

    def dump(self) -> list:
        return [{
            "id": a["id"], "slug": a["slug"], "name": a["name"], "client_id": a["client_id"],
            "public_key": a["public_key"],
            "installations": [{
                "id": i["id"], "account": self.state.users[i["account"]]["login"],
                "permissions": dict(i["permissions"]), "token_ttl": i["token_ttl"],
            } for i in (self.installations[x] for x in a["installations"])],
        } for a in self.apps.values()]


def app_now(sim: Simulator) -> float:
    return time.time() + float(sim.config.get("app_clock_skew_s") or 0.0)


def verify_app_jwt(sim: Simulator, value: str) -> dict:
    """The App a JWT authenticates, or ApiError with GitHub's message."""
    apps = sim.state.apps
    try:
        header_seg, payload_seg, signature_seg = value.split(".")
        header = json.loads(_b64url(header_seg))
        claims = json.loads(_b64url(payload_seg))
        signature = _b64url(signature_seg)
    except (ValueError, TypeError):
        raise ApiError(401, JWT_DECODE_ERROR) from None
    if not isinstance(header, dict) or header.get("alg") != "RS256" or not isinstance(claims, dict):
        raise ApiError(401, JWT_DECODE_ERROR)
    iss = claims.get("iss")
    if iss is None or isinstance(iss, (bool, float)) or not isinstance(iss, (int, str)):
        raise ApiError(401, "'Issuer' claim ('iss') must be an Integer")
    app = apps.by_issuer(iss)
    if app is None:
        raise ApiError(404, "Integration not found")
    if not rs256_verify(app["key"], f"{header_seg}.{payload_seg}".encode(), signature):
        raise ApiError(401, JWT_DECODE_ERROR)
    now = app_now(sim)
    iat, exp = claims.get("iat"), claims.get("exp")
    if not isinstance(iat, int) or isinstance(iat, bool) or iat > now:
        raise ApiError(401, "'Issued at' claim ('iat') must be an Integer representing the time that the "
                            "assertion was issued")
    if not isinstance(exp, int) or isinstance(exp, bool) or exp <= now:
        raise ApiError(401, "'Expiration time' claim ('exp') must be a numeric value representing the future "
                            "time at which the assertion expires")
    if exp - now > APP_JWT_MAX_LIFETIME:
        raise ApiError(401, "'Expiration time' claim ('exp') is too far in the future")
    return app


def app_credential(sim: Simulator, value: str, method: str, route) -> dict | None:
    """Authenticate a JWT or an installation token (None: neither, so "Bad credentials").

    Called by the dispatcher for credentials that are not personal tokens of the state.
    """
    template = route[0] if route else None
    state = sim.state
    if value.count(".") == 2 and value.startswith("eyJ"):
        app = verify_app_jwt(sim, value)
        if template is not None and template not in APP_JWT_ROUTES:
            raise ApiError(403, NOT_ACCESSIBLE)
        return {"token": value, "kind": "jwt", "app": app, "login": app["bot"], "scopes": None}
    token = state.apps.tokens.get(value)
    if token is None:
        return None
    if app_now(sim) >= token["expires"]:
        raise ApiError(401, "Bad credentials")
    if template in APP_JWT_ROUTES:
        raise ApiError(401, JWT_DECODE_ERROR)
    if template is not None:
        key = (method if method != "HEAD" else "GET", template)
        if key not in APP_ROUTE_PERMISSIONS:
            raise ApiError(403, NOT_ACCESSIBLE)
        need = APP_ROUTE_PERMISSIONS[key]
        if need is not None:
            granted = token["permissions"].get(need[0])
            if granted is None or (need[1] == "write" and granted != "write"):
                raise ApiError(403, NOT_ACCESSIBLE)
    return token


def app_bot_account(state: State, login_key: str | None) -> str | None:
    """The organization/user account the current request's installation token acts for (else None)."""
    apps = getattr(state, "apps", None)
    return apps.bot_account(login_key) if apps is not None else None
