"""Outside collaborators of an organization."""

from __future__ import annotations

from ..common import ApiError, Response, fold, not_found
from ..context import Ctx
from ..permissions import role_rank
from ..render import simple_user
from ..state import outside_collaborators
from .members import _admin_count, tfa_filter


def h_list_outside(ctx: Ctx):
    org = ctx.org()
    ctx.require_member(org)
    ctx.need_scope("read:org")
    logins = tfa_filter(ctx, org, outside_collaborators(ctx.state, org))
    users = ctx.state.users
    return ctx.paginate(logins, lambda k: simple_user(users[k], ctx.urls))


def h_convert_outside(ctx: Ctx):
    org = ctx.org()
    ctx.require_owner(org, "convert organization members", nonmember_status=404)
    ctx.need_scope("admin:org")
    body = ctx.body()
    user = ctx.user()
    key = user["login"].lower()
    if key not in org["members"]:
        raise ApiError(403, f"You cannot convert {user['login']} because they are not a member of "
                            f"{org['login']}.")
    if org["members"][key] == "admin" and _admin_count(org) <= 1:
        raise ApiError(403, f"You cannot convert {user['login']} because they are the last owner of "
                            f"{org['login']}.")
    del org["members"][key]
    org["outside"][key] = True
    # Team-based access stays as direct access (team memberships are dropped).
    for repo in ctx.state.org_repos(org["login"].lower()):
        team = repo["teams"].pop(key, None)
        if team and role_rank(repo, team) > role_rank(repo, repo["collaborators"].get(key)):
            repo["collaborators"][key] = team
    if body.get("async") is True:
        return Response(202, {})
    return Response(204, raw=b"")


def h_remove_outside(ctx: Ctx):
    org = ctx.org()
    ctx.require_owner(org, "remove outside collaborators", nonmember_status=404)
    ctx.need_scope("admin:org")
    key = fold(ctx.params["username"])
    if key in org["members"]:
        raise ApiError(422, "You cannot specify an organization member to remove as an outside collaborator.",
                       errors=[{"resource": "Organization", "field": "username", "code": "invalid",
                                "message": "You cannot specify an organization member to remove as an "
                                           "outside collaborator."}])
    if ctx.state.users.get(key) is None:
        raise not_found()
    org["outside"].pop(key, None)
    for repo in ctx.state.org_repos(org["login"].lower()):
        repo["collaborators"].pop(key, None)
        repo["teams"].pop(key, None)
        inv_id = repo["inv_by_login"].get(key)
        if inv_id is not None:
            ctx.state.remove_repo_invitation(repo, inv_id)
    return Response(204, raw=b"")


ROUTES = [
    # (method, template, handler, is_list)
    ("GET", "/orgs/{org}/outside_collaborators", h_list_outside, True),
    ("PUT", "/orgs/{org}/outside_collaborators/{username}", h_convert_outside, False),
    ("DELETE", "/orgs/{org}/outside_collaborators/{username}", h_remove_outside, False),
]
