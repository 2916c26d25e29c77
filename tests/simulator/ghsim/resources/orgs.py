"""Organization settings: GET and PATCH /orgs/{org}."""

from __future__ import annotations

from ..common import Response, Urls, now_iso, validation
from ..context import Ctx
from ..flavours import GHES, GHES_ORG_UNWRITABLE
from ..orgfields import ORG_BOOL_FIELDS, ORG_ENUM_FIELDS, ORG_OWNER_ONLY, ORG_WRITABLE
from ..render import org_simple
from ..state import State, outside_collaborators


def org_full(state: State, org: dict, urls: Urls, owner_view: bool) -> dict:
    s = org["settings"]
    body = org_simple(org, urls)
    body.update({
        "name": s.get("name") or org["login"],
        "html_url": f"{urls.web}/{org['login']}",
        "type": "Organization",
        "has_organization_projects": bool(s.get("has_organization_projects")),
        "has_repository_projects": bool(s.get("has_repository_projects")),
        "public_repos": sum(1 for r in state.org_repos(org["login"].lower()) if not r["private"]),
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "created_at": org["created_at"],
        "updated_at": org["updated_at"],
        "archived_at": None,
        "is_verified": bool(s.get("is_verified")),
        "twitter_username": s.get("twitter_username"),
        "blog": s.get("blog") or "",
    })
    # company/location/email are plain strings in the schema: omitted when unset.
    for field in ("company", "location", "email"):
        if s.get(field) is not None:
            body[field] = s[field]
    if owner_view:
        private = sum(1 for r in state.org_repos(org["login"].lower()) if r["private"])
        body.update({
            "total_private_repos": private,
            "owned_private_repos": private,
            "private_gists": 0,
            "disk_usage": 0,
            "collaborators": len(outside_collaborators(state, org)),
            "plan": {"name": "team", "space": 976562499, "private_repos": 999999,
                     "filled_seats": len(org["members"]), "seats": max(len(org["members"]), 10)},
        })
        for key in sorted(ORG_OWNER_ONLY):
            if key in s and key not in body:
                body[key] = s[key]
    return body


def h_get_org(ctx: Ctx):
    org = ctx.org()
    # GitHub: the full details only for an organization owner; a classic token also needs admin:org.
    scopes = ctx.token["scopes"] if ctx.token is not None else None
    owner_view = ctx.org_role(org) == "admin" and (scopes is None or "admin:org" in scopes)
    return Response(200, org_full(ctx.state, org, ctx.urls, owner_view))


def h_patch_org(ctx: Ctx):
    org = ctx.org()
    ctx.require_owner(org, "update the organization")
    ctx.need_scope("admin:org")
    body = ctx.body()
    errors = []
    updates = {}
    writable = ORG_WRITABLE - GHES_ORG_UNWRITABLE if ctx.flavour == GHES else ORG_WRITABLE
    for key, value in body.items():
        if key not in writable:
            continue  # unknown fields are ignored, as GitHub does
        if key in ORG_ENUM_FIELDS:
            if value not in ORG_ENUM_FIELDS[key]:
                errors.append({"resource": "Organization", "field": key, "code": "invalid",
                               "message": f"{key} must be one of: {', '.join(ORG_ENUM_FIELDS[key])}"})
                continue
        elif key in ORG_BOOL_FIELDS:
            if not isinstance(value, bool):
                errors.append({"resource": "Organization", "field": key, "code": "invalid"})
                continue
        elif value is not None and not isinstance(value, str):
            errors.append({"resource": "Organization", "field": key, "code": "invalid"})
            continue
        updates[key] = value
    if "billing_email" in updates and updates["billing_email"] is not None and "@" not in updates["billing_email"]:
        errors.append({"resource": "Organization", "field": "billing_email", "code": "invalid"})
    if errors:
        raise validation(errors)
    if updates:
        org["settings"].update(updates)
        org["updated_at"] = now_iso()
    return Response(200, org_full(ctx.state, org, ctx.urls, True))


ROUTES = [
    # (method, template, handler, is_list)
    ("GET", "/orgs/{org}", h_get_org, False),
    ("PATCH", "/orgs/{org}", h_patch_org, False),
]
