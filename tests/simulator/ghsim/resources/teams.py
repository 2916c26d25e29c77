"""Teams: the teams of an organization, their memberships (active and pending) and their repositories.

GitHub's documented rules the simulator keeps:

- the slug is made from the name (lower case, other characters than letters and digits become ``-``),
  and renaming a team changes its slug; names are unique in an organization;
- ``privacy`` is ``secret`` (default of a team without parent) or ``closed`` (default of a child team);
  secret teams cannot be nested (neither as child nor as parent);
- the user who creates a team becomes its maintainer;
- a team's members include the members of its child teams (``GET .../members``, ``GET
  .../memberships/{username}``); an organization owner's team role is reported as ``maintainer``;
- adding a non-member to a team (organization owners only) invites them to the organization: the team
  membership stays ``pending`` until they accept (``/_sim/accept``), and is dropped if the invitation is;
- child teams inherit their parent's repository access (members' access, and ``GET .../repos/{owner}/{repo}``,
  which "also checks repositories inherited through a parent team"); ``GET .../repos`` lists the team's
  own grants;
- deleting a team deletes its child teams;
- team access counts in ``GET /repos/{o}/{r}/collaborators/{u}/permission`` and ``affiliation=all``;
- ``GET /repos/{owner}/{repo}/teams`` lists the teams given access to the repository (their own grants,
  as ``GET /orgs/{org}/teams/{team_slug}/repos`` lists them; a child team reaches the repository through
  its parent's entry) that the caller can see, each with its ``permission`` on the repository.
"""

from __future__ import annotations

from ..common import ApiError, Response, fold, node_id, not_found, now_iso, validation
from ..context import Ctx
from ..permissions import permission_flags, team_repo_role
from ..render import simple_user
from ..state import State, team_slug
from .members import _new_org_invitation, org_invitation
from .orgs import org_full
from .repos import _valid_role, full_repository, minimal_repository

PRIVACY = ("secret", "closed")
NOTIFICATIONS = ("notifications_enabled", "notifications_disabled")
REPOSITORY_MEDIA = "application/vnd.github.v3.repository+json"


def _team_simple(org: dict, team: dict, urls) -> dict:
    api = f"{urls.api}/organizations/{org['id']}/team/{team['id']}"
    return {
        "id": team["id"],
        "node_id": node_id("Team", team["id"]),
        "url": api,
        "html_url": f"{urls.web}/orgs/{org['login']}/teams/{team['slug']}",
        "name": team["name"],
        "slug": team["slug"],
        "description": team["description"],
        "privacy": team["privacy"],
        "notification_setting": team["notification_setting"],
        "permission": team["permission"],
        "members_url": f"{api}/members{{/member}}",
        "repositories_url": f"{api}/repos",
        "type": "organization",
    }


def team_body(org: dict, team: dict, urls) -> dict:
    """A team in lists (``team``): with its parent."""
    body = _team_simple(org, team, urls)
    parent = org["teams"].get(team["parent"]) if team["parent"] is not None else None
    body["parent"] = _team_simple(org, parent, urls) if parent else None
    return body


def team_full(state: State, org: dict, team: dict, urls) -> dict:
    body = team_body(org, team, urls)
    body.update({
        "members_count": len(team["members"]),
        "repos_count": len(team["repos"]),
        "created_at": team["created_at"],
        "updated_at": team["updated_at"],
        "organization": org_full(state, org, urls, owner_view=False),
    })
    return body


# -- who sees and who manages a team -----------------------------------------------------------------

def _team_role(state: State, org: dict, team: dict, key: str) -> str | None:
    """``key``'s role in ``team`` as GitHub reports it: members of child teams count; an owner is maintainer."""
    role = team["members"].get(key)
    if role is None and any(key in child["members"] for child in state.team_descendants(org, team)):
        role = "member"
    if role is not None and org["members"].get(key) == "admin":
        role = "maintainer"
    return role


def _visible(ctx: Ctx, org: dict, team: dict) -> bool:
    if ctx.org_role(org) == "admin" or team["privacy"] == "closed":
        return True
    return _team_role(ctx.state, org, team, ctx.login) is not None


def _team(ctx: Ctx, org: dict | None = None) -> tuple[dict, dict]:
    org = org or ctx.org()
    ctx.require_member(org)
    ctx.need_scope("read:org")
    team = ctx.state.team_by_slug(org, ctx.params["team_slug"])
    if team is None or not _visible(ctx, org, team):
        raise not_found()
    return org, team


def _require_team_admin(ctx: Ctx, org: dict, team: dict, action: str) -> None:
    ctx.need_scope("admin:org")
    if ctx.org_role(org) == "admin" or team["members"].get(ctx.login) == "maintainer":
        return
    raise ApiError(403, f"You must be an organization owner or team maintainer to {action}.")


def _parent(ctx: Ctx, org: dict, body: dict, privacy: str | None, team: dict | None = None):
    """The parent team a body names (``parent_team_id`` or ``parent_team_slug``): ``(given, team or None)``."""
    if "parent_team_id" in body:
        value = body["parent_team_id"]
        if value is None:
            return True, None
        if isinstance(value, bool) or not isinstance(value, int) or value not in org["teams"]:
            raise validation([{"resource": "Team", "field": "parent_team_id", "code": "invalid"}])
        parent = org["teams"][value]
    elif "parent_team_slug" in body:
        value = body["parent_team_slug"]
        if value is None:
            return True, None
        parent = ctx.state.team_by_slug(org, str(value))
        if parent is None:
            raise validation([{"resource": "Team", "field": "parent_team_slug", "code": "invalid"}])
    else:
        return False, None
    if team is not None and (parent["id"] == team["id"] or parent in ctx.state.team_descendants(org, team)):
        raise validation([{"resource": "Team", "field": "parent_team_id", "code": "invalid",
                           "message": "A team cannot be its own parent or the parent of one of its ancestors."}])
    if privacy == "secret" or parent["privacy"] == "secret":
        raise validation([{"resource": "Team", "field": "parent_team_id", "code": "invalid",
                           "message": "Secret teams cannot be nested: a secret team can neither have a parent "
                                      "team nor be one."}])
    return True, parent


def _check_enum(body: dict, field: str, allowed) -> None:
    if field in body and body[field] not in allowed:
        raise validation([{"resource": "Team", "field": field, "code": "invalid",
                           "message": f"{field} must be one of: {', '.join(allowed)}"}])


def _unique_name(org: dict, name, team: dict | None = None) -> str:
    if not isinstance(name, str) or not name.strip():
        raise validation([{"resource": "Team", "field": "name", "code": "missing_field"}])
    slug = team_slug(name)
    for other in org["teams"].values():
        if other is not team and (other["name"].lower() == name.lower() or other["slug"] == slug):
            raise validation([{"resource": "Team", "field": "name", "code": "already_exists",
                               "message": "Name must be unique for this org"}])
    return slug


# -- handlers ---------------------------------------------------------------------------------------

def h_list_teams(ctx: Ctx):
    org = ctx.org()
    ctx.require_member(org)
    ctx.need_scope("read:org")
    if ctx.query.get("team_type", "all") not in ("all", "enterprise", "organization"):
        raise validation([{"resource": "Team", "field": "team_type", "code": "invalid"}])
    teams = sorted((t for t in org["teams"].values() if _visible(ctx, org, t)),
                   key=lambda t: (t["name"].lower(), t["id"]))
    if ctx.query.get("team_type") == "enterprise":
        teams = []
    return ctx.paginate(teams, lambda t: team_body(org, t, ctx.urls))


def h_create_team(ctx: Ctx):
    org = ctx.org()
    ctx.require_member(org)
    ctx.need_scope("admin:org")
    if ctx.org_role(org) != "admin" and org["settings"].get("members_can_create_teams", True) is False:
        raise ApiError(403, "You must be an organization owner to create teams in this organization.")
    body = ctx.body()
    slug = _unique_name(org, body.get("name"))
    if body.get("description") is not None and not isinstance(body["description"], str):
        raise validation([{"resource": "Team", "field": "description", "code": "invalid"}])
    _check_enum(body, "privacy", PRIVACY)
    _check_enum(body, "notification_setting", NOTIFICATIONS)
    _check_enum(body, "permission", ("pull", "push"))
    _given, parent = _parent(ctx, org, body, body.get("privacy"))
    maintainers = []
    for login in body.get("maintainers") or []:
        key = fold(login)
        if key not in org["members"]:
            raise validation([{"resource": "Team", "field": "maintainers", "code": "invalid",
                               "message": f"{login} is not a member of {org['login']}"}])
        maintainers.append(key)
    repos = []
    for full in body.get("repo_names") or []:
        name = str(full) if "/" in str(full) else f"{org['login']}/{full}"
        repo = ctx.state.repos.get(name.lower())
        if repo is None or repo["owner"] != org["login"].lower():
            raise validation([{"resource": "Team", "field": "repo_names", "code": "invalid"}])
        repos.append(name.lower())
    team = ctx.state.new_team(org, body["name"].strip(), slug=slug)
    team.update({
        "description": body.get("description"),
        "privacy": body.get("privacy") or ("closed" if parent else "secret"),
        "notification_setting": body.get("notification_setting") or "notifications_enabled",
        "permission": body.get("permission") or "pull",
        "parent": parent["id"] if parent else None,
    })
    if ctx.login in ctx.state.users and ctx.state.users[ctx.login]["type"] == "User":
        team["members"][ctx.login] = "maintainer"  # the creator becomes a maintainer
    for key in maintainers:
        team["members"][key] = "maintainer"
    for name in repos:
        team["repos"][name] = "read" if team["permission"] == "pull" else "write"
    return Response(201, team_full(ctx.state, org, team, ctx.urls))


def h_get_team(ctx: Ctx):
    org, team = _team(ctx)
    return Response(200, team_full(ctx.state, org, team, ctx.urls))


def h_update_team(ctx: Ctx):
    org, team = _team(ctx)
    _require_team_admin(ctx, org, team, "update a team")
    body = ctx.body()
    _check_enum(body, "privacy", PRIVACY)
    _check_enum(body, "notification_setting", NOTIFICATIONS)
    _check_enum(body, "permission", ("pull", "push"))
    if "description" in body and body["description"] is not None and not isinstance(body["description"], str):
        raise validation([{"resource": "Team", "field": "description", "code": "invalid"}])
    privacy = body.get("privacy") or team["privacy"]
    given, parent = _parent(ctx, org, body, privacy, team)
    if not given and team["parent"] is not None and privacy == "secret":
        raise validation([{"resource": "Team", "field": "privacy", "code": "invalid",
                           "message": "Secret teams cannot be nested: a secret team can neither have a parent "
                                      "team nor be one."}])
    if privacy == "secret" and ctx.state.team_children(org, team):
        raise validation([{"resource": "Team", "field": "privacy", "code": "invalid",
                           "message": "Secret teams cannot be nested: a secret team can neither have a parent "
                                      "team nor be one."}])
    if "name" in body:
        team["slug"] = _unique_name(org, body["name"], team)
        team["name"] = body["name"].strip()
    for field in ("description", "privacy", "notification_setting", "permission"):
        if field in body and (body[field] is not None or field == "description"):
            team[field] = body[field]
    if given:
        team["parent"] = parent["id"] if parent else None
    team["updated_at"] = now_iso()
    return Response(200, team_full(ctx.state, org, team, ctx.urls))


def h_delete_team(ctx: Ctx):
    org, team = _team(ctx)
    _require_team_admin(ctx, org, team, "delete a team")
    for gone in [team] + ctx.state.team_descendants(org, team):  # child teams go with their parent
        org["teams"].pop(gone["id"], None)
    return Response(204, raw=b"")


def h_list_child_teams(ctx: Ctx):
    org, team = _team(ctx)
    children = [t for t in ctx.state.team_children(org, team) if _visible(ctx, org, t)]
    return ctx.paginate(children, lambda t: team_body(org, t, ctx.urls))


def h_list_team_members(ctx: Ctx):
    org, team = _team(ctx)
    role = ctx.query.get("role", "all")
    if role not in ("all", "member", "maintainer"):
        raise validation([{"resource": "Team", "field": "role", "code": "invalid"}])
    logins = list(team["members"])
    for child in ctx.state.team_descendants(org, team):  # members of child teams are members too
        logins += [k for k in child["members"] if k not in logins]
    if role != "all":
        logins = [k for k in logins if _team_role(ctx.state, org, team, k) == role]
    users = ctx.state.users
    return ctx.paginate(logins, lambda k: simple_user(users[k], ctx.urls))


def _membership(ctx: Ctx, org: dict, team: dict, user: dict, role: str, status: str) -> dict:
    return {"url": f"{ctx.urls.api}/organizations/{org['id']}/team/{team['id']}/memberships/{user['login']}",
            "role": role, "state": status}


def h_get_team_membership(ctx: Ctx):
    org, team = _team(ctx)
    key = fold(ctx.params["username"])
    user = ctx.state.users.get(key)
    if user is None:
        raise not_found()
    role = _team_role(ctx.state, org, team, key)
    if role is not None:
        return Response(200, _membership(ctx, org, team, user, role, "active"))
    if key in team["pending"]:
        return Response(200, _membership(ctx, org, team, user, team["pending"][key], "pending"))
    raise not_found()


def h_put_team_membership(ctx: Ctx):
    org, team = _team(ctx)
    _require_team_admin(ctx, org, team, "add or update team members")
    body = ctx.body()
    role = body.get("role", "member")
    if role not in ("member", "maintainer"):
        raise validation([{"resource": "TeamMember", "field": "role", "code": "invalid"}])
    user = ctx.user()
    key = user["login"].lower()
    if key in org["members"]:
        team["members"][key] = role
        team["pending"].pop(key, None)
        shown = "maintainer" if org["members"][key] == "admin" else role
        return Response(200, _membership(ctx, org, team, user, shown, "active"))
    if ctx.org_role(org) != "admin":
        raise ApiError(422, "Validation Failed", errors=[{
            "resource": "TeamMember", "field": "user", "code": "unprocessable",
            "message": "Only organization owners can add someone who is not a member of the organization to a team."}])
    # Not an organization member: GitHub invites them to the organization; the membership waits for it.
    inv = ctx.state.pending_org_invitation(org, key)
    if inv is None:
        inv = _new_org_invitation(ctx, org, key, None, "direct_member")
    if key not in team["pending"]:
        inv["team_count"] += 1
    team["pending"][key] = role
    return Response(200, _membership(ctx, org, team, user, role, "pending"))


def h_delete_team_membership(ctx: Ctx):
    org, team = _team(ctx)
    _require_team_admin(ctx, org, team, "remove team members")
    key = fold(ctx.params["username"])
    team["members"].pop(key, None)
    if team["pending"].pop(key, None) is not None:
        inv = ctx.state.pending_org_invitation(org, key)
        if inv is not None and inv["team_count"] > 0:
            inv["team_count"] -= 1
    return Response(204, raw=b"")


def h_list_team_invitations(ctx: Ctx):
    org, team = _team(ctx)
    _require_team_admin(ctx, org, team, "list team invitations")
    invitations = [inv for inv in (ctx.state.pending_org_invitation(org, k) for k in team["pending"]) if inv]
    return ctx.paginate(invitations, lambda inv: org_invitation(ctx.state, org, inv, ctx.urls))


def _team_repository(ctx: Ctx, repo: dict, role: str) -> dict:
    body = full_repository(ctx.state, repo, ctx.urls, None)
    body["permissions"] = permission_flags(repo, role)
    body["role_name"] = role
    return body


def h_list_team_repos(ctx: Ctx):
    org, team = _team(ctx)
    repos = [ctx.state.repos[k] for k in team["repos"] if k in ctx.state.repos]

    def render(repo):
        body = minimal_repository(ctx.state, repo, ctx.urls, None)
        role = team["repos"][f"{repo['owner']}/{repo['name'].lower()}"]
        body["permissions"] = permission_flags(repo, role)
        body["role_name"] = role
        return body
    return ctx.paginate(repos, render)


def h_list_repo_teams(ctx: Ctx):
    """``GET /repos/{owner}/{repo}/teams``: the teams with access to the repository, visible to the caller."""
    repo = ctx.repo()
    ctx.need_scope("repo")
    org = ctx.state.orgs.get(repo["owner"])
    full = f"{repo['owner']}/{repo['name'].lower()}"
    teams = [] if org is None else sorted(
        (t for t in org["teams"].values() if full in t["repos"] and _visible(ctx, org, t)),
        key=lambda t: (t["name"].lower(), t["id"]))

    def render(team):
        body = team_body(org, team, ctx.urls)
        role = team["repos"][full]
        body["permission"] = role
        body["permissions"] = permission_flags(repo, role)
        return body
    return ctx.paginate(teams, render)


def _org_repo(ctx: Ctx, org: dict) -> dict:
    repo = ctx.state.repos.get(f"{fold(ctx.params['owner'])}/{ctx.params['repo'].lower()}")
    if repo is None:
        raise not_found()
    return repo


def h_check_team_repo(ctx: Ctx):
    org, team = _team(ctx)
    repo = _org_repo(ctx, org)
    role = team_repo_role(ctx.state, org, team, repo)  # repositories inherited from a parent team count
    if role is None:
        return Response(404, raw=b"")
    if REPOSITORY_MEDIA in (ctx.headers.get("Accept") or ""):
        return Response(200, _team_repository(ctx, repo, role))
    return Response(204, raw=b"")


def h_put_team_repo(ctx: Ctx):
    org, team = _team(ctx)
    repo = _org_repo(ctx, org)
    ctx.require_repo_admin(repo)
    if repo["owner"] != org["login"].lower():
        raise validation([{"resource": "TeamRepository", "field": "repository", "code": "invalid",
                           "message": "The repository must belong to the team's organization."}])
    role = _valid_role(repo, ctx.body().get("permission", "push"))
    team["repos"][f"{repo['owner']}/{repo['name'].lower()}"] = role
    return Response(204, raw=b"")


def h_delete_team_repo(ctx: Ctx):
    org, team = _team(ctx)
    repo = _org_repo(ctx, org)
    ctx.require_repo_admin(repo)
    team["repos"].pop(f"{repo['owner']}/{repo['name'].lower()}", None)
    return Response(204, raw=b"")


ROUTES = [
    # (method, template, handler, is_list)
    ("GET", "/orgs/{org}/teams", h_list_teams, True),
    ("POST", "/orgs/{org}/teams", h_create_team, False),
    ("GET", "/orgs/{org}/teams/{team_slug}", h_get_team, False),
    ("PATCH", "/orgs/{org}/teams/{team_slug}", h_update_team, False),
    ("DELETE", "/orgs/{org}/teams/{team_slug}", h_delete_team, False),
    ("GET", "/orgs/{org}/teams/{team_slug}/teams", h_list_child_teams, True),
    ("GET", "/orgs/{org}/teams/{team_slug}/members", h_list_team_members, True),
    ("GET", "/orgs/{org}/teams/{team_slug}/invitations", h_list_team_invitations, True),
    ("GET", "/orgs/{org}/teams/{team_slug}/memberships/{username}", h_get_team_membership, False),
    ("PUT", "/orgs/{org}/teams/{team_slug}/memberships/{username}", h_put_team_membership, False),
    ("DELETE", "/orgs/{org}/teams/{team_slug}/memberships/{username}", h_delete_team_membership, False),
    ("GET", "/orgs/{org}/teams/{team_slug}/repos", h_list_team_repos, True),
    ("GET", "/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}", h_check_team_repo, False),
    ("PUT", "/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}", h_put_team_repo, False),
    ("DELETE", "/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}", h_delete_team_repo, False),
    ("GET", "/repos/{owner}/{repo}/teams", h_list_repo_teams, True),
]
