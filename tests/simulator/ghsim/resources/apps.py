"""GitHub App endpoints: the App, its installations, installation access tokens."""

from __future__ import annotations

import datetime as _dt
import hashlib

from ..appauth import APP_DEFAULT_PERMISSIONS, JWT_DECODE_ERROR, app_now
from ..common import ApiError, Response, fold, node_id, not_found, validation
from ..context import Ctx
from ..render import simple_user


def _require_jwt(ctx: Ctx) -> dict:
    if ctx.token is None or ctx.token.get("kind") != "jwt":
        raise ApiError(401, JWT_DECODE_ERROR)
    return ctx.token["app"]


def app_body(ctx: Ctx, app: dict) -> dict:
    owner = ctx.state.users.get(app["owner"] or "") or ctx.state.users[app["bot"]]
    return {
        "id": app["id"], "slug": app["slug"], "node_id": node_id("Integration", app["id"]),
        "client_id": app["client_id"], "owner": simple_user(owner, ctx.urls), "name": app["name"],
        "description": app["description"], "external_url": f"{ctx.urls.web}/apps/{app['slug']}",
        "html_url": f"{ctx.urls.web}/apps/{app['slug']}", "created_at": app["created_at"],
        "updated_at": app["created_at"], "permissions": dict(APP_DEFAULT_PERMISSIONS),
        "events": [], "installations_count": len(app["installations"]),
    }


def installation_body(ctx: Ctx, inst: dict) -> dict:
    app = ctx.state.apps.apps[inst["app"]]
    account = ctx.state.users[inst["account"]]
    return {
        "id": inst["id"], "account": simple_user(account, ctx.urls), "repository_selection": "all",
        "access_tokens_url": f"{ctx.urls.api}/app/installations/{inst['id']}/access_tokens",
        "repositories_url": f"{ctx.urls.api}/installation/repositories",
        "html_url": f"{ctx.urls.web}/organizations/{account['login']}/settings/installations/{inst['id']}",
        "app_id": app["id"], "client_id": app["client_id"], "app_slug": app["slug"], "target_id": account["id"],
        "target_type": account["type"], "permissions": dict(inst["permissions"]), "events": [],
        "created_at": inst["created_at"], "updated_at": inst["created_at"], "single_file_name": None,
        "suspended_by": None, "suspended_at": None,
    }


def h_app_get(ctx: Ctx):
    return Response(200, app_body(ctx, _require_jwt(ctx)))


def _app_installation(ctx: Ctx, app: dict) -> dict:
    try:
        inst = ctx.state.apps.installations.get(int(ctx.params["installation_id"]))
    except ValueError:
        inst = None
    if inst is None or inst["app"] != app["id"]:
        raise not_found()
    return inst


def h_app_installation(ctx: Ctx):
    app = _require_jwt(ctx)
    return Response(200, installation_body(ctx, _app_installation(ctx, app)))


def h_app_access_token(ctx: Ctx):
    app = _require_jwt(ctx)
    inst = _app_installation(ctx, app)
    if inst["suspended"]:
        raise ApiError(403, "This installation has been suspended")
    body = ctx.body()
    permissions = dict(inst["permissions"])
    wanted = body.get("permissions")
    if wanted is not None:
        if not isinstance(wanted, dict) or any(
                k not in inst["permissions"] or (v == "write" and inst["permissions"][k] != "write")
                or v not in ("read", "write") for k, v in wanted.items()):
            raise validation(None, "The permissions requested are not granted to this installation.")
        permissions = {str(k): str(v) for k, v in wanted.items()}
    ttl = ctx.sim.config.get("app_token_ttl")
    ttl = float(inst["token_ttl"] if ttl is None else ttl)
    now = app_now(ctx.sim)
    value = "ghs_" + hashlib.sha256(f"{inst['id']}:{now}:{len(ctx.state.apps.tokens)}:{id(ctx)}".encode()
                                    ).hexdigest()[:36]
    ctx.state.apps.tokens[value] = {
        "token": value, "kind": "installation", "installation": inst, "app": app, "login": app["bot"],
        "scopes": None, "permissions": permissions, "expires": now + ttl,
    }
    expires_at = _dt.datetime.fromtimestamp(now + ttl, _dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Response(201, {"token": value, "expires_at": expires_at, "permissions": permissions,
                          "repository_selection": "all"})


def _installation_for_account(ctx: Ctx, account_key: str) -> Response:
    app = _require_jwt(ctx)
    inst = ctx.state.apps.installation_for(app, account_key)
    if inst is None:
        raise not_found()
    return Response(200, installation_body(ctx, inst))


def h_org_installation(ctx: Ctx):
    _require_jwt(ctx)
    return _installation_for_account(ctx, ctx.org()["login"].lower())


def h_repo_installation(ctx: Ctx):
    _require_jwt(ctx)
    key = f"{fold(ctx.params['owner'])}/{ctx.params['repo'].lower()}"
    repo = ctx.state.repos.get(key)
    if repo is None:
        raise not_found()
    return _installation_for_account(ctx, repo["owner"])


def h_user_installation(ctx: Ctx):
    _require_jwt(ctx)
    user = ctx.state.users.get(fold(ctx.params["username"]))
    if user is None:
        raise not_found()
    return _installation_for_account(ctx, user["login"].lower())


ROUTES = [
    ("GET", "/app", h_app_get, False),
    ("GET", "/app/installations/{installation_id}", h_app_installation, False),
    ("POST", "/app/installations/{installation_id}/access_tokens", h_app_access_token, False),
    ("GET", "/orgs/{org}/installation", h_org_installation, False),
    ("GET", "/repos/{owner}/{repo}/installation", h_repo_installation, False),
    ("GET", "/users/{username}/installation", h_user_installation, False),
]
