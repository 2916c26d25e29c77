"""Repository permission computation: the highest role from every source a user has."""

from __future__ import annotations

from .appauth import app_bot_account
from .common import ROLE_RANK, Urls
from .render import simple_user
from .state import State


def role_base(repo: dict, role: str) -> str:
    if role in ROLE_RANK:
        return role
    return repo["custom_roles"].get(role, "read")


def role_rank(repo: dict, role: str | None) -> float:
    if not role:
        return 0
    if role in ROLE_RANK:
        return ROLE_RANK[role]
    return ROLE_RANK.get(role_base(repo, role), 1) + 0.5


def effective_role(state: State, repo: dict, login_key: str) -> str | None:
    """Highest role from every source: owner, org ownership, direct, teams, base permission."""
    if repo["owner"] == login_key or app_bot_account(state, login_key) == repo["owner"]:
        return "admin"
    org = state.orgs.get(repo["owner"])
    candidates = [repo["collaborators"].get(login_key), repo["teams"].get(login_key)]
    if org is not None:
        candidates.append(team_role(state, org, repo, login_key))
        org_role = org["members"].get(login_key)
        if org_role == "admin":
            return "admin"
        if org_role == "member":
            base = org["settings"].get("default_repository_permission", "read")
            if base and base != "none":
                candidates.append(base)
    best = None
    for cand in candidates:
        if cand and role_rank(repo, cand) > role_rank(repo, best):
            best = cand
    return best


def team_role(state: State, org: dict, repo: dict, login_key: str) -> str | None:
    """The highest role ``login_key`` has on ``repo`` through the teams they are an active member of.

    A child team inherits its parent's repository access (and the parent's parent's).
    """
    full = f"{repo['owner']}/{repo['name'].lower()}"
    best = None
    for team in org.get("teams", {}).values():
        if login_key not in team["members"]:
            continue
        for source in [team] + state.team_ancestors(org, team):
            cand = source["repos"].get(full)
            if cand and role_rank(repo, cand) > role_rank(repo, best):
                best = cand
    return best


def team_repo_role(state: State, org: dict, team: dict, repo: dict, inherited: bool = True) -> str | None:
    """A team's role on ``repo``: its own grant, or with ``inherited`` the highest of it and its ancestors'."""
    full = f"{repo['owner']}/{repo['name'].lower()}"
    best = None
    for source in [team] + (state.team_ancestors(org, team) if inherited else []):
        cand = source["repos"].get(full)
        if cand and role_rank(repo, cand) > role_rank(repo, best):
            best = cand
    return best


def permission_flags(repo: dict, role: str | None) -> dict:
    rank = ROLE_RANK.get(role_base(repo, role), 0) if role else 0
    return {"admin": rank >= 5, "maintain": rank >= 4, "push": rank >= 3, "triage": rank >= 2, "pull": rank >= 1}


def collaborator(state: State, repo: dict, login_key: str, urls: Urls, role: str | None = None) -> dict:
    user = state.users[login_key]
    if role is None:
        role = effective_role(state, repo, login_key)
    body = simple_user(user, urls)
    body["permissions"] = permission_flags(repo, role)
    body["role_name"] = role or "none"
    return body
