"""Repositories, their collaborators and their invitations."""

from __future__ import annotations

from ..common import (
    INVITATION_PERMISSIONS,
    LEGACY_PERMISSION,
    PERMISSION_ALIASES,
    ROLE_RANK,
    ApiError,
    Response,
    Urls,
    fold,
    iso,
    node_id,
    not_found,
    now_iso,
    validation,
)
from ..context import Ctx
from ..permissions import collaborator, effective_role, permission_flags, role_base, role_rank, team_role
from ..render import repo_urls, simple_user
from ..state import State


def minimal_repository(state: State, repo: dict, urls: Urls, viewer: str | None) -> dict:
    """A repository in lists (``minimal-repository``): GET /orgs/{org}/repos."""
    body = repo_urls(state, repo, urls)
    body.update({
        "default_branch": "main", "forks": 0, "forks_count": 0, "has_issues": True, "has_projects": True,
        "has_wiki": True, "has_pages": False, "has_discussions": False, "has_downloads": True,
        "archived": False, "disabled": False, "open_issues": 0, "open_issues_count": 0, "license": None,
        "size": 0, "stargazers_count": 0, "watchers": 0, "watchers_count": 0, "is_template": False,
        "topics": [], "allow_forking": True, "web_commit_signoff_required": False,
    })
    if viewer:
        body["permissions"] = permission_flags(repo, effective_role(state, repo, viewer))
    return body


def full_repository(state: State, repo: dict, urls: Urls, viewer: str | None) -> dict:
    body = minimal_repository(state, repo, urls, None)
    body.update({"network_count": 0, "subscribers_count": 0})
    org = state.orgs.get(repo["owner"])
    if org is not None:
        body["organization"] = simple_user(state.users[repo["owner"]], urls)
    if viewer:
        role = effective_role(state, repo, viewer)
        body["permissions"] = permission_flags(repo, role)
        if role:
            body["role_name"] = role
    return body


def repo_invitation(state: State, repo: dict, inv: dict, urls: Urls) -> dict:
    invitee = state.users[inv["login"]]
    inviter = state.users.get(inv["inviter"] or "")
    owner = state.users[repo["owner"]]
    base = role_base(repo, inv["role"])
    return {
        "id": inv["id"],
        "node_id": node_id("RepositoryInvitation", inv["id"]),
        "repository": repo_urls(state, repo, urls),
        "invitee": simple_user(invitee, urls),
        "inviter": simple_user(inviter, urls) if inviter else None,
        "permissions": base,
        "created_at": inv["created_at"],
        "expired": bool(inv["expired"]),
        "url": f"{urls.api}/user/repository_invitations/{inv['id']}",
        "html_url": f"{urls.web}/{owner['login']}/{repo['name']}/invitations",
    }


ORG_REPO_TYPES = ("all", "public", "private", "forks", "sources", "member")
ORG_REPO_SORTS = ("created", "updated", "pushed", "full_name")


def h_list_org_repos(ctx: Ctx):
    """GET /orgs/{org}/repos: the repositories of an organization the requester can see."""
    org = ctx.org()
    kind = ctx.query.get("type", "all")
    types = ORG_REPO_TYPES + (("internal",) if ctx.state.flavor == "ghes" else ())
    if kind not in types:
        raise validation([{"resource": "Repository", "field": "type", "code": "invalid"}])
    sort = ctx.query.get("sort", "created")
    if sort not in ORG_REPO_SORTS:
        raise validation([{"resource": "Repository", "field": "sort", "code": "invalid"}])
    direction = ctx.query.get("direction") or ("asc" if sort == "full_name" else "desc")
    if direction not in ("asc", "desc"):
        raise validation([{"resource": "Repository", "field": "direction", "code": "invalid"}])
    state = ctx.state
    see_private = ctx.token is None or ctx.token["scopes"] is None or "repo" in ctx.token["scopes"]
    repos = []
    for repo in state.org_repos(org["login"].lower()):
        if repo["private"] and (not see_private or effective_role(state, repo, ctx.login) is None):
            continue
        if kind == "public" and repo["private"] or kind == "private" and not repo["private"] \
                or kind == "forks" and not repo["fork"] or kind == "sources" and repo["fork"] \
                or kind == "internal" and not repo["internal"] \
                or kind == "member" and ctx.login not in repo["collaborators"] and ctx.login not in repo["teams"]:
            continue
        repos.append(repo)
    if sort == "full_name":
        repos.sort(key=lambda r: (r["name"].lower(), r["id"]))
    else:  # the simulator's repositories are created, updated and pushed at the same time
        repos.sort(key=lambda r: (r["created_at"], r["id"]))
    if direction == "desc":
        repos.reverse()
    return ctx.paginate(repos, lambda r: minimal_repository(state, r, ctx.urls, ctx.login))


def h_get_repo(ctx: Ctx):
    repo = ctx.repo()
    return Response(200, full_repository(ctx.state, repo, ctx.urls, ctx.login))


def _all_collaborators(state: State, repo: dict) -> list[str]:
    result = dict.fromkeys(repo["collaborators"])
    result.update(dict.fromkeys(repo["teams"]))
    org = state.orgs.get(repo["owner"])
    if org is not None:
        base = org["settings"].get("default_repository_permission", "read")
        for login, role in org["members"].items():
            if role == "admin" or (base and base != "none") or team_role(state, org, repo, login):
                result[login] = None
    else:
        result = {repo["owner"]: None, **result}
    return list(result)


def h_list_collaborators(ctx: Ctx):
    repo = ctx.repo()
    ctx.need_scope("repo")
    role = effective_role(ctx.state, repo, ctx.login)
    if role_rank(repo, role) < ROLE_RANK["write"]:
        raise ApiError(403, "Must have push access to view repository collaborators.")
    affiliation = ctx.query.get("affiliation", "all")
    if affiliation not in ("outside", "direct", "all"):
        raise validation([{"resource": "Repository", "field": "affiliation", "code": "invalid"}])
    org = ctx.state.orgs.get(repo["owner"])
    if affiliation == "direct":
        logins = list(repo["collaborators"])
    elif affiliation == "outside":
        logins = [k for k in repo["collaborators"] if org is None or k not in org["members"]]
    else:
        logins = _all_collaborators(ctx.state, repo)
    roles = {k: effective_role(ctx.state, repo, k) for k in logins}
    perm = ctx.query.get("permission")
    if perm:
        if perm not in ("pull", "triage", "push", "maintain", "admin"):
            raise validation([{"resource": "Repository", "field": "permission", "code": "invalid"}])
        logins = [k for k in logins if permission_flags(repo, roles[k])[perm]]
    return ctx.paginate(logins, lambda k: collaborator(ctx.state, repo, k, ctx.urls, roles[k]))


def h_check_collaborator(ctx: Ctx):
    repo = ctx.repo()
    ctx.need_scope("repo")
    key = fold(ctx.params["username"])
    if key in ctx.state.users and effective_role(ctx.state, repo, key):
        return Response(204, raw=b"")
    return Response(404, raw=b"")


def _valid_role(repo: dict, permission) -> str:
    if not isinstance(permission, str):
        raise validation([{"resource": "Repository", "field": "permission", "code": "invalid"}])
    low = permission.lower()
    if low in ("pull", "triage", "push", "maintain", "admin"):
        return PERMISSION_ALIASES.get(low, low)
    if permission in repo["custom_roles"]:
        return permission
    raise validation([{"resource": "Repository", "field": "permission", "code": "invalid",
                       "message": f"'{permission}' is not a valid permission or repository role."}])


def h_add_collaborator(ctx: Ctx):
    repo = ctx.repo()
    ctx.require_repo_admin(repo)
    body = ctx.body()
    role = _valid_role(repo, body.get("permission", "push"))
    user = ctx.user()
    key = user["login"].lower()
    org = ctx.state.orgs.get(repo["owner"])
    if org is not None and key in org["members"]:
        base = org["settings"].get("default_repository_permission", "read")
        if base in ROLE_RANK and role_rank(repo, role) < ROLE_RANK[base]:
            raise validation([{"resource": "Repository", "field": "permission", "code": "invalid"}],
                             message=f"Cannot assign {user['login']} permission of {role}")
    if key in repo["collaborators"]:
        repo["collaborators"][key] = role
        return Response(204, raw=b"")
    direct = ctx.state.flavor == "ghes" or (org is not None and key in org["members"]) or key in repo["teams"]
    if direct:
        repo["collaborators"][key] = role
        inv_id = repo["inv_by_login"].get(key)
        if inv_id is not None:
            ctx.state.remove_repo_invitation(repo, inv_id)
        return Response(204, raw=b"")
    inv_id = repo["inv_by_login"].get(key)
    inv = repo["invitations"].get(inv_id) if inv_id is not None else None
    if inv is not None and inv["expired"]:
        ctx.state.remove_repo_invitation(repo, inv["id"])  # an expired invitation is re-sent
        inv = None
    if inv is None:
        inv = ctx.state.add_repo_invitation(repo, {
            "id": ctx.state.next_id("repo_inv"), "login": key, "role": role, "inviter": ctx.login,
            "created_at": now_iso(), "expired": False,
        })
    else:
        inv["role"] = role
    return Response(201, repo_invitation(ctx.state, repo, inv, ctx.urls))


def h_remove_collaborator(ctx: Ctx):
    repo = ctx.repo()
    ctx.require_repo_admin(repo)
    key = fold(ctx.params["username"])
    repo["collaborators"].pop(key, None)
    inv_id = repo["inv_by_login"].get(key)
    if inv_id is not None:
        # GitHub also cancels a pending invitation for the user.
        ctx.state.remove_repo_invitation(repo, inv_id)
    return Response(204, raw=b"")


def h_collaborator_permission(ctx: Ctx):
    repo = ctx.repo()
    ctx.need_scope("repo")
    user = ctx.user()
    key = user["login"].lower()
    role = effective_role(ctx.state, repo, key)
    if role is None and not repo["private"]:
        role = "read"  # GitHub: everyone may read a public repository, and this endpoint reports it
    legacy = LEGACY_PERMISSION.get(role_base(repo, role), "read") if role else "none"
    return Response(200, {
        "permission": legacy,
        "role_name": role or "none",
        "user": collaborator(ctx.state, repo, key, ctx.urls, role),
    })


def h_list_repo_invitations(ctx: Ctx):
    repo = ctx.repo()
    ctx.require_repo_admin(repo)
    return ctx.paginate(list(repo["invitations"].values()),
                        lambda inv: repo_invitation(ctx.state, repo, inv, ctx.urls))


def _repo_inv(ctx: Ctx, repo: dict) -> dict:
    try:
        inv = repo["invitations"].get(int(ctx.params["invitation_id"]))
    except ValueError:
        inv = None
    if inv is None:
        raise not_found()
    return inv


def h_update_repo_invitation(ctx: Ctx):
    repo = ctx.repo()
    ctx.require_repo_admin(repo)
    inv = _repo_inv(ctx, repo)
    perm = ctx.body().get("permissions")
    if perm is not None:
        if perm not in INVITATION_PERMISSIONS:
            raise validation([{"resource": "RepositoryInvitation", "field": "permissions", "code": "invalid"}])
        inv["role"] = perm
    return Response(200, repo_invitation(ctx.state, repo, inv, ctx.urls))


def h_delete_repo_invitation(ctx: Ctx):
    repo = ctx.repo()
    ctx.require_repo_admin(repo)
    inv = _repo_inv(ctx, repo)
    ctx.state.remove_repo_invitation(repo, inv["id"])
    return Response(204, raw=b"")


def h_list_custom_repo_roles(ctx: Ctx):
    """GET /orgs/{org}/custom-repository-roles (GitHub Enterprise Cloud and Server).

    GitHub defines a custom repository role once per organization; the simulator's state keeps them per
    repository (``custom_roles``), so the organization's list is their union. Organization owners and
    admins of one of its repositories may read it, with the ``admin:org`` or ``repo`` scope.
    """
    org = ctx.org()
    key = org["login"].lower()
    repos = ctx.state.org_repos(key)
    roles_held = [effective_role(ctx.state, repo, ctx.login) for repo in repos]
    if ctx.org_role(org) != "admin" and not any(
            role and role_base(repo, role) == "admin" for repo, role in zip(repos, roles_held, strict=True)):
        raise ApiError(403, "You must be an organization owner or a repository administrator to list custom "
                       "repository roles.")
    if ctx.token is not None and ctx.token["scopes"] is not None and \
            not set(ctx.token["scopes"]) & {"admin:org", "repo"}:
        ctx.extra_headers["X-Accepted-OAuth-Scopes"] = "admin:org, repo"
        raise ApiError(403, "Resource not accessible by personal access token; the 'admin:org' or 'repo' scope "
                       "is required", headers=dict(ctx.extra_headers))
    roles = {}
    for repo in repos:
        for name, base in repo["custom_roles"].items():
            roles.setdefault(name, base)
    owner = simple_user(ctx.state.users[key], ctx.urls)
    created = iso(None)
    body = [{"id": 1000 + index, "name": name, "description": None, "base_role": base, "permissions": [],
             "organization": owner, "created_at": created, "updated_at": created}
            for index, (name, base) in enumerate(sorted(roles.items()))]
    return Response(200, {"total_count": len(body), "custom_roles": body})


ROUTES = [
    # (method, template, handler, is_list)
    ("GET", "/orgs/{org}/repos", h_list_org_repos, True),
    ("GET", "/orgs/{org}/custom-repository-roles", h_list_custom_repo_roles, False),
    ("GET", "/repos/{owner}/{repo}", h_get_repo, False),
    ("GET", "/repos/{owner}/{repo}/collaborators", h_list_collaborators, True),
    ("GET", "/repos/{owner}/{repo}/collaborators/{username}", h_check_collaborator, False),
    ("PUT", "/repos/{owner}/{repo}/collaborators/{username}", h_add_collaborator, False),
    ("DELETE", "/repos/{owner}/{repo}/collaborators/{username}", h_remove_collaborator, False),
    ("GET", "/repos/{owner}/{repo}/collaborators/{username}/permission", h_collaborator_permission, False),
    ("GET", "/repos/{owner}/{repo}/invitations", h_list_repo_invitations, True),
    ("PATCH", "/repos/{owner}/{repo}/invitations/{invitation_id}", h_update_repo_invitation, False),
    ("DELETE", "/repos/{owner}/{repo}/invitations/{invitation_id}", h_delete_repo_invitation, False),
]
