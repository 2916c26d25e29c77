"""A stateful GitHub REST API simulator for the orgcode.github collection tests.

Run::

    python tests/simulator/ghsim.py --state STATE.yml [--host 127.0.0.1] [--port 0]
        [--port-file PATH] [--latency-ms 0]

It prints ``ghsim listening on http://HOST:PORT`` once ready and serves until
SIGTERM/SIGINT.  Only the standard library and PyYAML are used.

The served API follows GitHub's documented behaviour for organization settings,
members, memberships, invitations, outside collaborators, organization webhooks
and repository collaborators/invitations.  Control endpoints live under
``/_sim/`` (state reset, request log, fault injection, configuration); they are
never logged, need no authentication and ignore latency and faults.

A GitHub Enterprise Server style prefix ``/api/v3`` is accepted on every API
path; URLs in responses then carry that prefix.  The request log and fault
rules always see the path without the prefix.
"""

from __future__ import annotations

import argparse
import base64
import copy
import datetime as _dt
import hashlib
import hmac
import json
import re
import signal
import socket
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import yaml

DOCS = "https://docs.github.com/rest"
SUPPORTED_API_VERSIONS = ("2022-11-28", "2026-03-10")
DEFAULT_API_VERSION = "2022-11-28"
DEFAULT_TIMESTAMP = "2020-01-01T00:00:00Z"
RATE_LIMIT = 5000

# Repository roles, lowest to highest.  Custom roles rank just above their base.
ROLE_RANK = {"read": 1, "triage": 2, "write": 3, "maintain": 4, "admin": 5}
PERMISSION_ALIASES = {"pull": "read", "push": "write"}
LEGACY_PERMISSION = {"read": "read", "triage": "read", "write": "write", "maintain": "write", "admin": "admin"}
INVITATION_PERMISSIONS = ("read", "write", "maintain", "triage", "admin")

ORG_STRING_FIELDS = (
    "billing_email", "company", "email", "twitter_username", "location", "name", "description", "blog",
    "secret_scanning_push_protection_custom_link",
)
ORG_PATCH_BOOL_FIELDS = (
    "has_organization_projects", "has_repository_projects", "members_can_create_repositories",
    "members_can_create_internal_repositories", "members_can_create_private_repositories",
    "members_can_create_public_repositories", "members_can_create_pages", "members_can_create_public_pages",
    "members_can_create_private_pages", "members_can_fork_private_repositories", "web_commit_signoff_required",
    "advanced_security_enabled_for_new_repositories", "dependabot_alerts_enabled_for_new_repositories",
    "dependabot_security_updates_enabled_for_new_repositories", "dependency_graph_enabled_for_new_repositories",
    "secret_scanning_enabled_for_new_repositories",
    "secret_scanning_push_protection_enabled_for_new_repositories",
    "secret_scanning_push_protection_custom_link_enabled", "deploy_keys_enabled_for_repositories",
)
# Boolean fields GET /orgs/{org} reports that the PATCH body does not document (a state file may set them).
ORG_READONLY_BOOL_FIELDS = (
    "members_can_delete_repositories", "members_can_change_repo_visibility",
    "members_can_invite_outside_collaborators", "members_can_delete_issues",
    "display_commenter_full_name_setting_enabled", "readers_can_create_discussions", "members_can_create_teams",
    "members_can_view_dependency_insights", "two_factor_requirement_enabled", "is_verified",
)
ORG_BOOL_FIELDS = ORG_PATCH_BOOL_FIELDS + ORG_READONLY_BOOL_FIELDS
ORG_ENUM_FIELDS = {
    "default_repository_permission": ("read", "write", "admin", "none"),
    "members_allowed_repository_creation_type": ("all", "private", "none"),
}
# Fields accepted by PATCH /orgs/{org} (the documented request body).
ORG_WRITABLE = set(ORG_STRING_FIELDS) | set(ORG_PATCH_BOOL_FIELDS) | set(ORG_ENUM_FIELDS)
# Fields only an owner sees in GET /orgs/{org}.
ORG_OWNER_ONLY = {
    "billing_email", "default_repository_permission", "members_allowed_repository_creation_type",
    "two_factor_requirement_enabled", "total_private_repos", "owned_private_repos", "private_gists",
    "disk_usage", "collaborators", "plan", "default_repository_branch",
} | {f for f in ORG_BOOL_FIELDS if f.startswith("members_can_") or f.endswith("_for_new_repositories")} | {
    "web_commit_signoff_required", "secret_scanning_push_protection_custom_link_enabled",
    "secret_scanning_push_protection_custom_link", "deploy_keys_enabled_for_repositories",
    "display_commenter_full_name_setting_enabled", "readers_can_create_discussions",
}
ORG_DEFAULTS = {
    "description": None,
    "company": None,
    "blog": "",
    "location": None,
    "email": None,
    "twitter_username": None,
    "billing_email": None,
    "is_verified": False,
    "has_organization_projects": True,
    "has_repository_projects": True,
    "default_repository_permission": "read",
    "default_repository_branch": "main",
    "members_can_create_repositories": True,
    "two_factor_requirement_enabled": False,
    "members_allowed_repository_creation_type": "all",
    "members_can_create_public_repositories": True,
    "members_can_create_private_repositories": True,
    "members_can_create_internal_repositories": False,
    "members_can_create_pages": True,
    "members_can_create_public_pages": True,
    "members_can_create_private_pages": True,
    "members_can_delete_repositories": True,
    "members_can_change_repo_visibility": True,
    "members_can_invite_outside_collaborators": True,
    "members_can_delete_issues": False,
    "display_commenter_full_name_setting_enabled": False,
    "readers_can_create_discussions": True,
    "members_can_create_teams": True,
    "members_can_view_dependency_insights": True,
    "members_can_fork_private_repositories": False,
    "web_commit_signoff_required": False,
    "advanced_security_enabled_for_new_repositories": False,
    "dependabot_alerts_enabled_for_new_repositories": False,
    "dependabot_security_updates_enabled_for_new_repositories": False,
    "dependency_graph_enabled_for_new_repositories": False,
    "secret_scanning_enabled_for_new_repositories": False,
    "secret_scanning_push_protection_enabled_for_new_repositories": False,
    "secret_scanning_push_protection_custom_link_enabled": False,
    "secret_scanning_push_protection_custom_link": None,
    "deploy_keys_enabled_for_repositories": True,
}
# Classic OAuth scopes and the scopes that imply them.
SCOPE_IMPLIED_BY = {
    "read:org": {"read:org", "write:org", "admin:org"},
    "write:org": {"write:org", "admin:org"},
    "admin:org": {"admin:org"},
    "admin:org_hook": {"admin:org_hook"},
    "repo": {"repo"},
    "read:user": {"read:user", "user"},
}
# Org invitations expire after 7 days on GitHub and then show up in the
# "failed invitations" list with failed_reason "Invitation expired" (GitHub's
# UI and GET /orgs/{org}/failed_invitations), not in the pending list.
ORG_INVITATION_TTL = _dt.timedelta(days=7)


def now_iso() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> _dt.datetime:
    return _dt.datetime.strptime(value.replace("+00:00", "Z"), "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=_dt.UTC)


def iso(value) -> str:
    if value is None:
        return DEFAULT_TIMESTAMP
    if isinstance(value, (_dt.datetime, _dt.date)):
        if isinstance(value, _dt.datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=_dt.UTC)
            return value.astimezone(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return value.strftime("%Y-%m-%dT00:00:00Z")
    return str(value)


def node_id(kind: str, ident: int) -> str:
    return base64.b64encode(f"0{len(kind)}:{kind}{ident}".encode()).decode()


def fold(login) -> str:
    return str(login).strip().lstrip("@").lower()


def norm_role(value) -> str:
    """Normalise a repository permission given by a state file or a request."""
    value = str(value).strip()
    low = value.lower()
    return PERMISSION_ALIASES.get(low, low) if low in PERMISSION_ALIASES or low in ROLE_RANK else value


class ApiError(Exception):
    def __init__(self, status: int, message: str, errors=None, headers=None, documentation_url: str = DOCS):
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors
        self.headers = headers or {}
        self.documentation_url = documentation_url

    def body(self) -> dict:
        body = {"message": self.message, "documentation_url": self.documentation_url, "status": str(self.status)}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


def not_found() -> ApiError:
    return ApiError(404, "Not Found")


def validation(errors, message: str = "Validation Failed") -> ApiError:
    return ApiError(422, message, errors=errors)


class Response:
    def __init__(self, status: int = 200, body=None, headers=None, raw: bytes | None = None):
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.raw = raw


# --------------------------------------------------------------------------
# State
# --------------------------------------------------------------------------


class State:
    """All simulated data.  Every login-keyed dict uses the lower-cased login."""

    def __init__(self, data: dict | None):
        data = data or {}
        self.flavor = str(data.get("flavor") or "github.com")
        self.users: dict[str, dict] = {}
        self.users_by_id: dict[int, str] = {}
        self.tokens: dict[str, dict] = {}
        self.orgs: dict[str, dict] = {}
        self.repos: dict[str, dict] = {}
        self._next = {"account": 1000, "repo": 500000, "hook": 9000, "org_inv": 70000, "repo_inv": 80000}
        ids = [u.get("id") for u in data.get("users") or [] if isinstance(u, dict)]
        ids += [o.get("id") for o in data.get("orgs") or [] if isinstance(o, dict)]
        self._next["account"] = max([self._next["account"]] + [int(i) for i in ids if i is not None]) + 1
        for u in data.get("users") or []:
            self.add_user(u if isinstance(u, dict) else {"login": u})
        for o in data.get("orgs") or []:
            self._load_org(o)
        for r in data.get("repos") or []:
            self._load_repo(r)
        for t in data.get("tokens") or []:
            login = self.ensure_user(t["login"])["login"].lower()
            scopes = t.get("scopes", None)
            self.tokens[str(t["token"])] = {
                "token": str(t["token"]),
                "login": login,
                "scopes": None if scopes is None else [str(s) for s in scopes],
            }
        self.apps = AppRegistry(self, data.get("apps"))  # GitHub Apps section

    # ---- ids -------------------------------------------------------------
    def next_id(self, kind: str, wanted=None) -> int:
        if wanted is not None:
            wanted = int(wanted)
            self._next[kind] = max(self._next[kind], wanted + 1)
            return wanted
        value = self._next[kind]
        self._next[kind] += 1
        return value

    # ---- users -----------------------------------------------------------
    def add_user(self, spec: dict) -> dict:
        login = str(spec["login"]).strip().lstrip("@")
        key = login.lower()
        if key in self.users:
            user = self.users[key]
            user.update({k: v for k, v in spec.items() if k not in ("login", "id")})
            return user
        uid = self.next_id("account", spec.get("id"))
        tfa = str(spec.get("two_factor", "enabled")).lower()
        if tfa in ("true", "yes", "on"):
            tfa = "enabled"
        elif tfa in ("false", "no", "off", "none"):
            tfa = "disabled"
        user = {
            "login": login,
            "id": uid,
            "type": spec.get("type", "User"),
            "name": spec.get("name"),
            "email": spec.get("email"),
            "company": spec.get("company"),
            "location": spec.get("location"),
            "bio": spec.get("bio"),
            "blog": spec.get("blog", ""),
            "site_admin": bool(spec.get("site_admin", False)),
            "two_factor": tfa if tfa in ("enabled", "disabled", "insecure") else "enabled",
            "created_at": iso(spec.get("created_at")),
        }
        self.users[key] = user
        self.users_by_id[uid] = key
        return user

    def ensure_user(self, login) -> dict:
        key = fold(login)
        user = self.users.get(key)
        if user is None:
            user = self.add_user({"login": str(login).strip().lstrip("@")})
        return user

    # ---- orgs ------------------------------------------------------------
    def _load_org(self, spec: dict) -> None:
        login = str(spec["login"])
        key = login.lower()
        acct = self.users.get(key)
        if acct is None:
            acct = self.add_user({"login": login, "id": spec.get("id"), "type": "Organization"})
        acct["type"] = "Organization"
        settings = dict(ORG_DEFAULTS)
        settings["name"] = login
        settings.update(spec.get("settings") or {})
        org = {
            "login": acct["login"],
            "id": acct["id"],
            "settings": settings,
            "created_at": iso(spec.get("created_at")),
            "updated_at": iso(spec.get("updated_at") or spec.get("created_at")),
            "members": {},
            "outside": {},
            "invitations": {},
            "inv_by_login": {},
            "hooks": {},
        }
        self.orgs[key] = org
        for mlogin, role in (spec.get("members") or {}).items():
            user = self.ensure_user(mlogin)
            org["members"][user["login"].lower()] = "admin" if str(role).lower() in ("admin", "owner") else "member"
        for inv in spec.get("invitations") or []:
            self._load_org_invitation(org, inv)
        for oc in spec.get("outside_collaborators") or []:
            user = self.ensure_user(oc)
            org["outside"][user["login"].lower()] = True
        for hook in spec.get("hooks") or []:
            self._load_hook(org, hook)

    def _load_org_invitation(self, org: dict, spec: dict) -> None:
        login = spec.get("login")
        user = self.ensure_user(login) if login else None
        created = iso(spec.get("created_at") or now_iso())
        inv = {
            "id": self.next_id("org_inv", spec.get("id")),
            "login": user["login"].lower() if user else None,
            "email": spec.get("email"),
            "role": spec.get("role", "direct_member"),
            "created_at": created,
            "inviter": fold(spec["inviter"]) if spec.get("inviter") else self._default_inviter(org),
            "team_count": int(spec.get("team_count", 0)),
            "invitation_source": spec.get("invitation_source", "member"),
            "failed_at": spec.get("failed_at"),
            "failed_reason": spec.get("failed_reason"),
        }
        if spec.get("expired") and not inv["failed_at"]:
            inv["failed_at"] = iso(parse_iso(created) + ORG_INVITATION_TTL) if spec.get("created_at") else created
            inv["failed_reason"] = "Invitation expired"
        if spec.get("failed") and not inv["failed_at"]:
            inv["failed_at"] = created
            inv["failed_reason"] = spec.get("failed_reason") or "Invitation failed"
        if spec.get("expired") or spec.get("failed"):
            inv["failed_at"] = iso(inv["failed_at"])
        self.add_org_invitation(org, inv)

    def _default_inviter(self, org: dict) -> str | None:
        for login, role in org["members"].items():
            if role == "admin":
                return login
        return None

    def add_org_invitation(self, org: dict, inv: dict) -> dict:
        org["invitations"][inv["id"]] = inv
        if inv["login"] and not inv.get("failed_at"):
            org["inv_by_login"][inv["login"]] = inv["id"]
        return inv

    def remove_org_invitation(self, org: dict, inv_id: int) -> None:
        inv = org["invitations"].pop(inv_id, None)
        if inv and inv["login"] and org["inv_by_login"].get(inv["login"]) == inv_id:
            del org["inv_by_login"][inv["login"]]

    def pending_org_invitation(self, org: dict, login_key: str) -> dict | None:
        inv_id = org["inv_by_login"].get(login_key)
        return org["invitations"].get(inv_id) if inv_id is not None else None

    def _load_hook(self, org: dict, spec: dict) -> None:
        config = dict(spec.get("config") or {})
        for key in ("url", "content_type", "secret", "insecure_ssl"):
            if key in spec and key not in config:
                config[key] = spec[key]
        created = iso(spec.get("created_at"))
        hook = {
            "id": self.next_id("hook", spec.get("id")),
            "name": "web",
            "active": bool(spec.get("active", True)),
            "events": list(spec.get("events") or ["push"]),
            "config": {
                "url": config.get("url"),
                "content_type": config.get("content_type", "form"),
                "insecure_ssl": str(config.get("insecure_ssl", "0")),
                "secret": config.get("secret") or None,
            },
            "created_at": created,
            "updated_at": iso(spec.get("updated_at") or created),
            "pings": int(spec.get("pings", 0)),
        }
        org["hooks"][hook["id"]] = hook

    # ---- repos -----------------------------------------------------------
    def _load_repo(self, spec: dict) -> None:
        owner = self.ensure_user(spec["owner"])
        name = str(spec["name"])
        custom = {}
        raw_custom = spec.get("custom_roles") or []
        if isinstance(raw_custom, dict):
            custom = {str(k): norm_role(v) for k, v in raw_custom.items()}
        else:
            for item in raw_custom:
                if isinstance(item, dict):
                    custom[str(item["name"])] = norm_role(item.get("base_role", "read"))
                else:
                    custom[str(item)] = "read"
        repo = {
            "owner": owner["login"].lower(),
            "name": name,
            "id": self.next_id("repo", spec.get("id")),
            "private": bool(spec.get("private", False)),
            "description": spec.get("description"),
            "created_at": iso(spec.get("created_at")),
            "custom_roles": custom,
            "collaborators": {},
            "teams": {},
            "invitations": {},
            "inv_by_login": {},
        }
        self.repos[f"{owner['login'].lower()}/{name.lower()}"] = repo
        org = self.orgs.get(repo["owner"])
        for login, perm in (spec.get("collaborators") or {}).items():
            user = self.ensure_user(login)
            repo["collaborators"][user["login"].lower()] = norm_role(perm)
            if org is not None and user["login"].lower() not in org["members"]:
                org["outside"][user["login"].lower()] = True
        for login, perm in (spec.get("teams") or {}).items():
            user = self.ensure_user(login)
            repo["teams"][user["login"].lower()] = norm_role(perm)
        for inv in spec.get("invitations") or []:
            user = self.ensure_user(inv["login"])
            perm = norm_role(inv.get("permissions", inv.get("permission", "write")))
            inviter = inv.get("inviter")
            self.add_repo_invitation(repo, {
                "id": self.next_id("repo_inv", inv.get("id")),
                "login": user["login"].lower(),
                "role": perm,
                "inviter": fold(inviter) if inviter else self._repo_default_inviter(repo),
                "created_at": iso(inv.get("created_at") or now_iso()),
                "expired": bool(inv.get("expired", False)),
            })

    def _repo_default_inviter(self, repo: dict) -> str:
        org = self.orgs.get(repo["owner"])
        if org is not None:
            return self._default_inviter(org) or repo["owner"]
        return repo["owner"]

    def add_repo_invitation(self, repo: dict, inv: dict) -> dict:
        repo["invitations"][inv["id"]] = inv
        repo["inv_by_login"][inv["login"]] = inv["id"]
        return inv

    def remove_repo_invitation(self, repo: dict, inv_id: int) -> None:
        inv = repo["invitations"].pop(inv_id, None)
        if inv and repo["inv_by_login"].get(inv["login"]) == inv_id:
            del repo["inv_by_login"][inv["login"]]

    def org_repos(self, org_key: str):
        return [r for r in self.repos.values() if r["owner"] == org_key]

    # ---- dump ------------------------------------------------------------
    def dump(self) -> dict:
        """The whole state in the state-file format (canonical logins, real secrets)."""
        def canon(key):
            user = self.users.get(key)
            return user["login"] if user else key

        users = []
        for u in self.users.values():
            users.append({k: u[k] for k in ("login", "id", "type", "name", "email", "company", "location",
                                            "bio", "blog", "site_admin", "two_factor", "created_at")})
        orgs = []
        for o in self.orgs.values():
            invs, failed = [], []
            for inv in o["invitations"].values():
                item = {
                    "id": inv["id"], "login": canon(inv["login"]) if inv["login"] else None,
                    "email": inv["email"], "role": inv["role"], "created_at": inv["created_at"],
                    "inviter": canon(inv["inviter"]) if inv["inviter"] else None,
                    "team_count": inv["team_count"], "invitation_source": inv["invitation_source"],
                }
                if inv.get("failed_at"):
                    item.update(failed=True, failed_at=inv["failed_at"], failed_reason=inv["failed_reason"])
                    failed.append(item)
                else:
                    invs.append(item)
            orgs.append({
                "login": o["login"], "id": o["id"], "settings": dict(o["settings"]),
                "created_at": o["created_at"], "updated_at": o["updated_at"],
                "members": {canon(k): v for k, v in o["members"].items()},
                "invitations": invs + failed,
                "outside_collaborators": [canon(k) for k in outside_collaborators(self, o)],
                "hooks": [{
                    "id": h["id"], "name": h["name"], "active": h["active"], "events": list(h["events"]),
                    "config": dict(h["config"]), "created_at": h["created_at"], "updated_at": h["updated_at"],
                    "pings": h["pings"],
                } for h in o["hooks"].values()],
            })
        repos = []
        for r in self.repos.values():
            repos.append({
                "owner": canon(r["owner"]), "name": r["name"], "id": r["id"], "private": r["private"],
                "description": r["description"], "created_at": r["created_at"],
                "custom_roles": dict(r["custom_roles"]),
                "collaborators": {canon(k): v for k, v in r["collaborators"].items()},
                "teams": {canon(k): v for k, v in r["teams"].items()},
                "invitations": [{
                    "id": i["id"], "login": canon(i["login"]), "permissions": i["role"],
                    "inviter": canon(i["inviter"]) if i["inviter"] else None,
                    "created_at": i["created_at"], "expired": i["expired"],
                } for i in r["invitations"].values()],
            })
        return {
            "flavor": self.flavor,
            "users": users,
            "tokens": [{"token": t["token"], "login": canon(t["login"]), "scopes": t["scopes"]}
                       for t in self.tokens.values()],
            "orgs": orgs,
            "repos": repos,
            "apps": self.apps.dump(),
        }


def outside_collaborators(state: State, org: dict) -> list[str]:
    """Outside collaborators: listed ones plus non-members with direct access to an org repo."""
    result = {k: True for k in org["outside"] if k not in org["members"]}
    org_key = org["login"].lower()
    for repo in state.repos.values():
        if repo["owner"] != org_key:
            continue
        for login in repo["collaborators"]:
            if login not in org["members"]:
                result[login] = True
    return list(result)


# --------------------------------------------------------------------------
# Representations
# --------------------------------------------------------------------------


class Urls:
    def __init__(self, host: str, prefix: str):
        self.api = f"http://{host}{prefix}"
        self.web = f"http://{host}"


def simple_user(u: dict, urls: Urls) -> dict:
    login = u["login"]
    api = f"{urls.api}/users/{login}"
    return {
        "login": login,
        "id": u["id"],
        "node_id": node_id("Organization" if u["type"] == "Organization" else "User", u["id"]),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{u['id']}?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": f"{urls.web}/{login}",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": u["type"],
        "user_view_type": "public",
        "site_admin": u["site_admin"],
    }


def public_user(u: dict, urls: Urls) -> dict:
    body = simple_user(u, urls)
    body.update({
        "name": u["name"], "company": u["company"], "blog": u["blog"] or "", "location": u["location"],
        "email": u["email"], "hireable": None, "bio": u["bio"], "twitter_username": None,
        "public_repos": 0, "public_gists": 0, "followers": 0, "following": 0,
        "created_at": u["created_at"], "updated_at": u["created_at"],
    })
    return body


def private_user(u: dict, urls: Urls) -> dict:
    body = public_user(u, urls)
    body.update({
        "user_view_type": "private", "notification_email": u["email"], "private_gists": 0,
        "total_private_repos": 0, "owned_private_repos": 0, "disk_usage": 0, "collaborators": 0,
        "two_factor_authentication": u["two_factor"] != "disabled",
        "plan": {"name": "free", "space": 976562499, "collaborators": 0, "private_repos": 10000},
    })
    return body


def org_simple(org: dict, urls: Urls) -> dict:
    login = org["login"]
    api = f"{urls.api}/orgs/{login}"
    return {
        "login": login,
        "id": org["id"],
        "node_id": node_id("Organization", org["id"]),
        "url": api,
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events",
        "hooks_url": f"{api}/hooks",
        "issues_url": f"{api}/issues",
        "members_url": f"{api}/members{{/member}}",
        "public_members_url": f"{api}/public_members{{/member}}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{org['id']}?v=4",
        "description": org["settings"].get("description"),
    }


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


def org_membership(state: State, org: dict, user: dict, status: str, role: str, urls: Urls) -> dict:
    return {
        "url": f"{urls.api}/orgs/{org['login']}/memberships/{user['login']}",
        "state": status,
        "role": role,
        "organization_url": f"{urls.api}/orgs/{org['login']}",
        "organization": org_simple(org, urls),
        "user": simple_user(user, urls),
    }


def org_invitation(state: State, org: dict, inv: dict, urls: Urls) -> dict:
    inviter = state.users.get(inv["inviter"] or "") or state.users[org["login"].lower()]
    user = state.users.get(inv["login"]) if inv["login"] else None
    return {
        "id": inv["id"],
        "login": user["login"] if user else None,
        "email": inv["email"] if inv["email"] is not None else (user["email"] if user else None),
        "role": inv["role"],
        "created_at": inv["created_at"],
        "failed_at": inv.get("failed_at"),
        "failed_reason": inv.get("failed_reason"),
        "inviter": simple_user(inviter, urls),
        "team_count": inv["team_count"],
        "node_id": node_id("OrganizationInvitation", inv["id"]),
        "invitation_teams_url": f"{urls.api}/organizations/{org['id']}/invitations/{inv['id']}/teams",
        "invitation_source": inv["invitation_source"],
    }


def hook_config(hook: dict) -> dict:
    cfg = hook["config"]
    body = {"content_type": cfg["content_type"], "insecure_ssl": cfg["insecure_ssl"], "url": cfg["url"]}
    if cfg.get("secret"):
        body["secret"] = "********"
    return body


def org_hook(org: dict, hook: dict, urls: Urls) -> dict:
    api = f"{urls.api}/orgs/{org['login']}/hooks/{hook['id']}"
    return {
        "type": "Organization",
        "id": hook["id"],
        "name": hook["name"],
        "active": hook["active"],
        "events": list(hook["events"]),
        "config": hook_config(hook),
        "updated_at": hook["updated_at"],
        "created_at": hook["created_at"],
        "url": api,
        "ping_url": f"{api}/pings",
        "deliveries_url": f"{api}/deliveries",
    }


def repo_urls(state: State, repo: dict, urls: Urls) -> dict:
    owner = state.users[repo["owner"]]
    full = f"{owner['login']}/{repo['name']}"
    api = f"{urls.api}/repos/{full}"
    host = urls.web.split("://", 1)[1]
    return {
        "id": repo["id"],
        "node_id": node_id("Repository", repo["id"]),
        "name": repo["name"],
        "full_name": full,
        "owner": simple_user(owner, urls),
        "private": repo["private"],
        "html_url": f"{urls.web}/{full}",
        "description": repo["description"],
        "fork": False,
        "url": api,
        "archive_url": f"{api}/{{archive_format}}{{/ref}}",
        "assignees_url": f"{api}/assignees{{/user}}",
        "blobs_url": f"{api}/git/blobs{{/sha}}",
        "branches_url": f"{api}/branches{{/branch}}",
        "collaborators_url": f"{api}/collaborators{{/collaborator}}",
        "comments_url": f"{api}/comments{{/number}}",
        "commits_url": f"{api}/commits{{/sha}}",
        "compare_url": f"{api}/compare/{{base}}...{{head}}",
        "contents_url": f"{api}/contents/{{+path}}",
        "contributors_url": f"{api}/contributors",
        "deployments_url": f"{api}/deployments",
        "downloads_url": f"{api}/downloads",
        "events_url": f"{api}/events",
        "forks_url": f"{api}/forks",
        "git_commits_url": f"{api}/git/commits{{/sha}}",
        "git_refs_url": f"{api}/git/refs{{/sha}}",
        "git_tags_url": f"{api}/git/tags{{/sha}}",
        "git_url": f"git://{host}/{full}.git",
        "issue_comment_url": f"{api}/issues/comments{{/number}}",
        "issue_events_url": f"{api}/issues/events{{/number}}",
        "issues_url": f"{api}/issues{{/number}}",
        "keys_url": f"{api}/keys{{/key_id}}",
        "labels_url": f"{api}/labels{{/name}}",
        "languages_url": f"{api}/languages",
        "merges_url": f"{api}/merges",
        "milestones_url": f"{api}/milestones{{/number}}",
        "notifications_url": f"{api}/notifications{{?since,all,participating}}",
        "pulls_url": f"{api}/pulls{{/number}}",
        "releases_url": f"{api}/releases{{/id}}",
        "ssh_url": f"git@{host}:{full}.git",
        "stargazers_url": f"{api}/stargazers",
        "statuses_url": f"{api}/statuses/{{sha}}",
        "subscribers_url": f"{api}/subscribers",
        "subscription_url": f"{api}/subscription",
        "tags_url": f"{api}/tags",
        "teams_url": f"{api}/teams",
        "trees_url": f"{api}/git/trees{{/sha}}",
        "hooks_url": f"{api}/hooks",
        "clone_url": f"{urls.web}/{full}.git",
        "svn_url": f"{urls.web}/{full}",
        "mirror_url": None,
        "homepage": None,
        "language": None,
        "visibility": "private" if repo["private"] else "public",
        "created_at": repo["created_at"],
        "updated_at": repo["created_at"],
        "pushed_at": repo["created_at"],
    }


def full_repository(state: State, repo: dict, urls: Urls, viewer: str | None) -> dict:
    body = repo_urls(state, repo, urls)
    body.update({
        "default_branch": "main", "forks": 0, "forks_count": 0, "has_issues": True, "has_projects": True,
        "has_wiki": True, "has_pages": False, "has_discussions": False, "has_downloads": True,
        "archived": False, "disabled": False, "open_issues": 0, "open_issues_count": 0, "license": None,
        "size": 0, "stargazers_count": 0, "watchers": 0, "watchers_count": 0, "network_count": 0,
        "subscribers_count": 0, "is_template": False, "topics": [], "allow_forking": True,
        "web_commit_signoff_required": False,
    })
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


# --------------------------------------------------------------------------
# Repository permission computation
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Request context and helpers
# --------------------------------------------------------------------------


class Ctx:
    def __init__(self, server: Simulator, method: str, path: str, query: dict, headers, body_bytes: bytes,
                 urls: Urls, match: dict):
        self.sim = server
        self.state: State = server.state
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body_bytes = body_bytes
        self.urls = urls
        self.params = match
        self.token: dict | None = None
        self.login: str | None = None
        self.extra_headers: dict = {}
        self._body = None

    # -- request body --
    def body(self) -> dict:
        if self._body is None:
            if not self.body_bytes.strip():
                self._body = {}
            else:
                try:
                    value = json.loads(self.body_bytes)
                except ValueError:
                    raise ApiError(400, "Problems parsing JSON") from None
                if value is None:
                    value = {}
                if not isinstance(value, dict):
                    raise ApiError(400, "Body should be a JSON object")
                self._body = value
        return self._body

    # -- auth --
    def need_scope(self, scope: str) -> None:
        if self.token is None or self.token["scopes"] is None:
            return
        self.extra_headers["X-Accepted-OAuth-Scopes"] = ", ".join(sorted(SCOPE_IMPLIED_BY.get(scope, {scope})))
        if not set(self.token["scopes"]) & SCOPE_IMPLIED_BY.get(scope, {scope}):
            raise ApiError(403, f"Resource not accessible by personal access token; the '{scope}' scope is "
                           "required", headers=dict(self.extra_headers),
                           documentation_url="https://docs.github.com/rest/overview/scopes-for-oauth-apps")

    def org(self) -> dict:
        org = self.state.orgs.get(fold(self.params["org"]))
        if org is None:
            raise not_found()
        return org

    def org_role(self, org: dict) -> str | None:
        if app_bot_account(self.state, self.login) == org["login"].lower():
            return "admin"  # an installation token acts with owner-like rights on its account's org
        return org["members"].get(self.login)

    def require_member(self, org: dict) -> None:
        if self.org_role(org) is None:
            raise not_found()

    def require_owner(self, org: dict, action: str, nonmember_status: int = 404) -> None:
        role = self.org_role(org)
        if role is None:
            if nonmember_status == 404:
                raise not_found()
            raise ApiError(403, f"You must be an admin to {action}.")
        if role != "admin":
            raise ApiError(403, f"You must be an admin to {action}.")

    def user(self, login=None) -> dict:
        user = self.state.users.get(fold(login if login is not None else self.params["username"]))
        if user is None or user["type"] != "User":
            raise not_found()
        return user

    def repo(self) -> dict:
        key = f"{fold(self.params['owner'])}/{self.params['repo'].lower()}"
        repo = self.state.repos.get(key)
        if repo is None:
            raise not_found()
        if self.token is not None and self.token["scopes"] is not None and repo["private"] \
                and "repo" not in self.token["scopes"]:
            raise not_found()
        if repo["private"] and effective_role(self.state, repo, self.login) is None:
            raise not_found()
        return repo

    def require_repo_admin(self, repo: dict) -> None:
        self.need_scope("repo")
        role = effective_role(self.state, repo, self.login)
        if role is None or role_base(repo, role) != "admin":
            raise ApiError(403, "Must have admin rights to Repository.")

    # -- pagination --
    def paginate(self, items: list, render) -> Response:
        try:
            per_page = int(self.query.get("per_page", 30))
        except ValueError:
            per_page = 30
        try:
            page = int(self.query.get("page", 1))
        except ValueError:
            page = 1
        per_page = max(1, min(per_page, 100))
        page = max(1, page)
        total = len(items)
        last = max(1, (total + per_page - 1) // per_page)
        chunk = items[(page - 1) * per_page: page * per_page]
        body = [render(item) for item in chunk]
        headers = {}
        if total > per_page or page > 1:
            links = []

            def link(num, rel):
                q = dict(self.query)
                if "per_page" in q:
                    q["per_page"] = str(per_page)
                q["page"] = str(num)
                return f'<{self.urls.api}{self.path}?{urlencode(q)}>; rel="{rel}"'

            if page > 1:
                links.append(link(min(page - 1, last), "prev"))
            if page < last:
                links.append(link(page + 1, "next"))
                links.append(link(last, "last"))
            if page > 1:
                links.append(link(1, "first"))
            headers["Link"] = ", ".join(links)
        return Response(200, body, headers)


# --------------------------------------------------------------------------
# Handlers
# --------------------------------------------------------------------------


def h_get_user(ctx: Ctx):
    return Response(200, private_user(ctx.state.users[ctx.login], ctx.urls))


def h_get_users(ctx: Ctx):
    user = ctx.state.users.get(fold(ctx.params["username"]))
    if user is None:
        raise not_found()
    return Response(200, public_user(user, ctx.urls))


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
    for key, value in body.items():
        if key not in ORG_WRITABLE:
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


TFA_FILTERS = ("all", "2fa_disabled", "2fa_insecure")


def tfa_filter(ctx: Ctx, org: dict, logins):
    flt = ctx.query.get("filter", "all")
    if flt not in TFA_FILTERS:
        raise validation([{"resource": "Organization", "field": "filter", "code": "invalid"}])
    if flt == "all":
        return logins
    if ctx.org_role(org) != "admin":
        raise validation(
            [{"resource": "Organization", "field": "filter", "code": "invalid",
              "message": "Only organization owners can filter by two-factor authentication"}],
            message="Only owners can use this filter.")
    wanted = "disabled" if flt == "2fa_disabled" else "insecure"
    users = ctx.state.users
    return [k for k in logins if users[k]["two_factor"] == wanted]


def h_list_members(ctx: Ctx):
    org = ctx.org()
    role = ctx.query.get("role", "all")
    if role not in ("all", "admin", "member"):
        raise validation([{"resource": "Organization", "field": "role", "code": "invalid"}])
    if ctx.org_role(org) is None:
        # Non-members only see public members; the simulator keeps every membership concealed.
        logins = []
    else:
        logins = list(org["members"]) if role == "all" else [k for k, r in org["members"].items() if r == role]
    logins = tfa_filter(ctx, org, logins)
    users = ctx.state.users
    return ctx.paginate(logins, lambda k: simple_user(users[k], ctx.urls))


def h_check_member(ctx: Ctx):
    org = ctx.org()
    key = fold(ctx.params["username"])
    if ctx.org_role(org) is None:
        # Requester is not a member: GitHub redirects to the public membership check.
        return Response(404, raw=b"")
    return Response(204 if key in org["members"] else 404, raw=b"")


def _remove_from_org(state: State, org: dict, key: str) -> None:
    org["members"].pop(key, None)
    org["outside"].pop(key, None)
    inv = state.pending_org_invitation(org, key)
    if inv:
        state.remove_org_invitation(org, inv["id"])
    for repo in state.org_repos(org["login"].lower()):
        repo["collaborators"].pop(key, None)
        repo["teams"].pop(key, None)


def _admin_count(org: dict) -> int:
    return sum(1 for r in org["members"].values() if r == "admin")


def _last_owner_check(org: dict, key: str, verb: str) -> None:
    if org["members"].get(key) == "admin" and _admin_count(org) <= 1:
        raise ApiError(403, f"You cannot {verb} the last owner of an organization. "
                            "Organizations must always have at least one owner.")


def h_remove_member(ctx: Ctx):
    org = ctx.org()
    ctx.require_owner(org, "remove organization members", nonmember_status=403)
    ctx.need_scope("admin:org")
    key = fold(ctx.params["username"])
    _last_owner_check(org, key, "remove")
    if key in org["members"]:
        _remove_from_org(ctx.state, org, key)
    return Response(204, raw=b"")


def h_get_membership(ctx: Ctx):
    org = ctx.org()
    key = fold(ctx.params["username"])
    if ctx.org_role(org) is None and key != ctx.login:
        raise not_found()
    ctx.need_scope("read:org")
    user = ctx.state.users.get(key)
    if user is None:
        raise not_found()
    if key in org["members"]:
        return Response(200, org_membership(ctx.state, org, user, "active", org["members"][key], ctx.urls))
    inv = ctx.state.pending_org_invitation(org, key)
    if inv:
        return Response(200, org_membership(ctx.state, org, user, "pending", _inv_role_to_membership(inv["role"]),
                                            ctx.urls))
    raise not_found()


def _inv_role_to_membership(role: str) -> str:
    return {"admin": "admin", "billing_manager": "billing_manager"}.get(role, "member")


def _new_org_invitation(ctx: Ctx, org: dict, login_key: str | None, email: str | None, role: str,
                        team_count: int = 0) -> dict:
    state = ctx.state
    # A fresh invitation replaces any failed/expired ones for the same invitee.
    for inv in list(org["invitations"].values()):
        if inv.get("failed_at") and ((login_key and inv["login"] == login_key) or
                                     (email and inv["email"] and inv["email"].lower() == email.lower())):
            state.remove_org_invitation(org, inv["id"])
    inv = {
        "id": state.next_id("org_inv"),
        "login": login_key,
        "email": email,
        "role": role,
        "created_at": now_iso(),
        "inviter": ctx.login,
        "team_count": team_count,
        "invitation_source": "member",
        "failed_at": None,
        "failed_reason": None,
    }
    return state.add_org_invitation(org, inv)


def h_set_membership(ctx: Ctx):
    org = ctx.org()
    ctx.require_owner(org, "add or update organization memberships", nonmember_status=403)
    ctx.need_scope("admin:org")
    body = ctx.body()
    role = body.get("role", "member")
    if role not in ("admin", "member"):
        raise validation([{"resource": "OrganizationMembership", "field": "role", "code": "invalid"}])
    user = ctx.user()
    key = user["login"].lower()
    if key in org["members"]:
        if org["members"][key] == "admin" and role != "admin":
            _last_owner_check(org, key, "demote")
        org["members"][key] = role
        return Response(200, org_membership(ctx.state, org, user, "active", role, ctx.urls))
    inv_role = "admin" if role == "admin" else "direct_member"
    inv = ctx.state.pending_org_invitation(org, key)
    if inv:
        inv["role"] = inv_role
    else:
        inv = _new_org_invitation(ctx, org, key, None, inv_role)
    return Response(200, org_membership(ctx.state, org, user, "pending", _inv_role_to_membership(inv["role"]),
                                        ctx.urls))


def h_remove_membership(ctx: Ctx):
    org = ctx.org()
    ctx.require_owner(org, "remove organization memberships", nonmember_status=403)
    ctx.need_scope("admin:org")
    key = fold(ctx.params["username"])
    if key in org["members"]:
        _last_owner_check(org, key, "remove")
        _remove_from_org(ctx.state, org, key)
        return Response(204, raw=b"")
    inv = ctx.state.pending_org_invitation(org, key)
    if inv:
        ctx.state.remove_org_invitation(org, inv["id"])
        return Response(204, raw=b"")
    raise not_found()


def h_list_invitations(ctx: Ctx, failed: bool = False):
    org = ctx.org()
    ctx.require_owner(org, "list organization invitations")
    ctx.need_scope("read:org")
    items = [inv for inv in org["invitations"].values() if bool(inv.get("failed_at")) == failed]
    return ctx.paginate(items, lambda inv: org_invitation(ctx.state, org, inv, ctx.urls))


def h_list_failed_invitations(ctx: Ctx):
    return h_list_invitations(ctx, failed=True)


def h_create_invitation(ctx: Ctx):
    org = ctx.org()
    ctx.require_owner(org, "invite organization members")
    ctx.need_scope("admin:org")
    body = ctx.body()
    role = body.get("role", "direct_member")
    if role not in ("admin", "direct_member", "billing_manager", "reinstate"):
        raise validation([{"resource": "OrganizationInvitation", "field": "role", "code": "invalid"}])
    invitee_id = body.get("invitee_id")
    email = body.get("email")
    team_ids = body.get("team_ids") or []
    if invitee_id is None and not email:
        raise validation([{"resource": "OrganizationInvitation", "field": "invitee_id", "code": "missing_field"}],
                         message="Validation Failed")
    login_key = None
    if invitee_id is not None:
        try:
            login_key = ctx.state.users_by_id.get(int(invitee_id))
        except (TypeError, ValueError):
            login_key = None
        if login_key is None or ctx.state.users[login_key]["type"] != "User":
            raise validation([{"resource": "OrganizationInvitation", "field": "invitee_id", "code": "invalid"}])
    elif email:
        if "@" not in str(email):
            raise validation([{"resource": "OrganizationInvitation", "field": "email", "code": "invalid"}])
        for inv in org["invitations"].values():
            if not inv.get("failed_at") and inv["email"] and inv["email"].lower() == str(email).lower():
                raise validation([{"resource": "OrganizationInvitation", "field": "email", "code": "already_exists",
                                   "message": "Invitee is already invited"}])
    if role == "reinstate":
        role = "direct_member"
    if login_key is not None:
        if login_key in org["members"]:
            raise validation([{"resource": "OrganizationInvitation", "field": "invitee_id",
                               "code": "already_exists", "message": "Invitee is already a part of this organization"}])
        if ctx.state.pending_org_invitation(org, login_key):
            raise validation([{"resource": "OrganizationInvitation", "field": "invitee_id",
                               "code": "already_exists", "message": "Invitee is already invited"}])
    inv = _new_org_invitation(ctx, org, login_key, email if login_key is None else None, role, len(team_ids))
    return Response(201, org_invitation(ctx.state, org, inv, ctx.urls))


def h_cancel_invitation(ctx: Ctx):
    org = ctx.org()
    ctx.require_owner(org, "cancel organization invitations")
    ctx.need_scope("admin:org")
    try:
        inv_id = int(ctx.params["invitation_id"])
    except ValueError:
        raise not_found() from None
    inv = org["invitations"].get(inv_id)
    if inv is None or inv.get("failed_at"):
        raise not_found()
    ctx.state.remove_org_invitation(org, inv_id)
    return Response(204, raw=b"")


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


# ---- hooks ---------------------------------------------------------------


def _hook_org(ctx: Ctx) -> dict:
    org = ctx.org()
    ctx.require_owner(org, "manage organization webhooks")
    ctx.need_scope("admin:org_hook")
    return org


def _hook(ctx: Ctx, org: dict) -> dict:
    try:
        hook = org["hooks"].get(int(ctx.params["hook_id"]))
    except ValueError:
        hook = None
    if hook is None:
        raise not_found()
    return hook


def _validate_config(config, require_url: bool) -> dict:
    if not isinstance(config, dict):
        raise validation([{"resource": "Hook", "field": "config", "code": "invalid"}])
    out = {}
    if "url" in config or require_url:
        url = config.get("url")
        if not url or not isinstance(url, str):
            raise validation([{"resource": "Hook", "field": "url", "code": "missing_field"}],
                             message="Validation Failed")
        if not re.match(r"^https?://[^\s/]+", url):
            raise validation([{"resource": "Hook", "field": "url", "code": "custom",
                               "message": "url is not a valid URL"}])
        out["url"] = url
    if "content_type" in config:
        if config["content_type"] not in ("json", "form"):
            raise validation([{"resource": "Hook", "field": "content_type", "code": "invalid"}])
        out["content_type"] = config["content_type"]
    if "insecure_ssl" in config:
        value = config["insecure_ssl"]
        if isinstance(value, bool):
            value = int(value)
        value = str(value)
        if value not in ("0", "1"):
            raise validation([{"resource": "Hook", "field": "insecure_ssl", "code": "invalid"}])
        out["insecure_ssl"] = value
    if "secret" in config:
        secret = config["secret"]
        if secret is not None and not isinstance(secret, str):
            raise validation([{"resource": "Hook", "field": "secret", "code": "invalid"}])
        out["secret"] = secret or None
    return out


def _validate_events(events, field="events") -> list:
    if not isinstance(events, list) or not all(isinstance(e, str) and e for e in events):
        raise validation([{"resource": "Hook", "field": field, "code": "invalid"}])
    return list(dict.fromkeys(events))


def h_list_hooks(ctx: Ctx):
    org = _hook_org(ctx)
    return ctx.paginate(list(org["hooks"].values()), lambda h: org_hook(org, h, ctx.urls))


def h_create_hook(ctx: Ctx):
    org = _hook_org(ctx)
    body = ctx.body()
    if body.get("name") != "web":
        raise validation([{"resource": "Hook", "field": "name", "code": "invalid",
                           "message": "name must be \"web\""}])
    if "config" not in body:
        raise validation([{"resource": "Hook", "field": "config", "code": "missing_field"}])
    config = _validate_config(body["config"], require_url=True)
    events = _validate_events(body.get("events", ["push"]))
    active = body.get("active", True)
    if not isinstance(active, bool):
        raise validation([{"resource": "Hook", "field": "active", "code": "invalid"}])
    for other in org["hooks"].values():
        if other["config"]["url"] == config["url"]:
            raise validation([{"resource": "Hook", "code": "custom",
                               "message": "Hook already exists on this organization"}])
    stamp = now_iso()
    hook = {
        "id": ctx.state.next_id("hook"),
        "name": "web",
        "active": active,
        "events": events,
        "config": {"url": config["url"], "content_type": config.get("content_type", "form"),
                   "insecure_ssl": config.get("insecure_ssl", "0"), "secret": config.get("secret")},
        "created_at": stamp,
        "updated_at": stamp,
        "pings": 0,
    }
    org["hooks"][hook["id"]] = hook
    return Response(201, org_hook(org, hook, ctx.urls))


def h_get_hook(ctx: Ctx):
    org = _hook_org(ctx)
    return Response(200, org_hook(org, _hook(ctx, org), ctx.urls))


def h_update_hook(ctx: Ctx):
    org = _hook_org(ctx)
    hook = _hook(ctx, org)
    body = ctx.body()
    changes = {}
    if "config" in body:
        config = _validate_config(body["config"], require_url=True)
        # GitHub replaces the whole config: a config without "secret" wipes the stored secret.
        changes["config"] = {"url": config["url"], "content_type": config.get("content_type", "form"),
                             "insecure_ssl": config.get("insecure_ssl", "0"), "secret": config.get("secret")}
    events = list(hook["events"])
    if "events" in body:
        events = _validate_events(body["events"])
    if "add_events" in body:
        for e in _validate_events(body["add_events"], "add_events"):
            if e not in events:
                events.append(e)
    if "remove_events" in body:
        removed = set(_validate_events(body["remove_events"], "remove_events"))
        events = [e for e in events if e not in removed]
    if "active" in body:
        if not isinstance(body["active"], bool):
            raise validation([{"resource": "Hook", "field": "active", "code": "invalid"}])
        changes["active"] = body["active"]
    if not events:
        raise validation([{"resource": "Hook", "field": "events", "code": "invalid",
                           "message": "events cannot be empty"}])
    hook.update(changes)
    hook["events"] = events
    hook["updated_at"] = now_iso()
    return Response(200, org_hook(org, hook, ctx.urls))


def h_delete_hook(ctx: Ctx):
    org = _hook_org(ctx)
    hook = _hook(ctx, org)
    del org["hooks"][hook["id"]]
    return Response(204, raw=b"")


def h_get_hook_config(ctx: Ctx):
    org = _hook_org(ctx)
    return Response(200, hook_config(_hook(ctx, org)))


def h_update_hook_config(ctx: Ctx):
    org = _hook_org(ctx)
    hook = _hook(ctx, org)
    config = _validate_config(ctx.body(), require_url=False)
    hook["config"].update(config)  # only the given keys change; the secret stays unless given
    hook["updated_at"] = now_iso()
    return Response(200, hook_config(hook))


def h_ping_hook(ctx: Ctx):
    org = _hook_org(ctx)
    hook = _hook(ctx, org)
    hook["pings"] += 1
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


# ---- repos ---------------------------------------------------------------


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
            if role == "admin" or (base and base != "none"):
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


# --------------------------------------------------------------------------
# GitHub Apps: JWT authentication, installations, installation tokens
# --------------------------------------------------------------------------
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
# Only the standard library is used: RS256 is verified with Python's integers.

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
    ("GET", "/repos/{owner}/{repo}"): ("metadata", "read"),
    ("GET", "/repos/{owner}/{repo}/collaborators"): ("metadata", "read"),
    ("GET", "/repos/{owner}/{repo}/collaborators/{username}"): ("metadata", "read"),
    ("GET", "/repos/{owner}/{repo}/collaborators/{username}/permission"): ("metadata", "read"),
    ("PUT", "/repos/{owner}/{repo}/collaborators/{username}"): ("administration", "write"),
    ("DELETE", "/repos/{owner}/{repo}/collaborators/{username}"): ("administration", "write"),
    ("GET", "/repos/{owner}/{repo}/invitations"): ("administration", "read"),
    ("PATCH", "/repos/{owner}/{repo}/invitations/{invitation_id}"): ("administration", "write"),
    ("DELETE", "/repos/{owner}/{repo}/invitations/{invitation_id}"): ("administration", "write"),
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
_RSA_OID = bytes.fromhex("2a864886f70d010101")
_SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def _der_item(data: bytes, pos: int) -> tuple[int, bytes, int]:
    """One DER TLV at ``pos``: (tag, value, position after it)."""
    tag, length = data[pos], data[pos + 1]
    pos += 2
    if length & 0x80:
        size = length & 0x7F
        length = int.from_bytes(data[pos:pos + size], "big")
        pos += size
    if pos + length > len(data):
        raise ValueError("truncated DER")
    return tag, data[pos:pos + length], pos + length


def rsa_public_numbers(pem: str) -> tuple[int, int]:
    """(n, e) of an RSA public key in PEM: SubjectPublicKeyInfo or PKCS#1 ("RSA PUBLIC KEY")."""
    lines = [line.strip() for line in str(pem).strip().splitlines() if line.strip()]
    if not lines or not lines[0].startswith("-----BEGIN") or "PUBLIC KEY" not in lines[0]:
        raise ValueError("not a PEM public key")
    der = base64.b64decode("".join(line for line in lines if not line.startswith("-----")))
    _tag, body, _end = _der_item(der, 0)
    if "RSA PUBLIC KEY" not in lines[0]:
        _tag, algorithm, pos = _der_item(body, 0)
        _tag, oid, _end = _der_item(algorithm, 0)
        if oid != _RSA_OID:
            raise ValueError("not an RSA key")
        _tag, bits, _end = _der_item(body, pos)
        _tag, body, _end = _der_item(bits[1:], 0)
    _tag, modulus, pos = _der_item(body, 0)
    _tag, exponent, _end = _der_item(body, pos)
    return int.from_bytes(modulus, "big"), int.from_bytes(exponent, "big")


def rs256_verify(numbers: tuple[int, int], signing_input: bytes, signature: bytes) -> bool:
    """RSASSA-PKCS1-v1_5 with SHA-256 (JWS "RS256")."""
    n, e = numbers
    size = (n.bit_length() + 7) // 8
    if len(signature) != size:
        return False
    encoded = pow(int.from_bytes(signature, "big"), e, n).to_bytes(size, "big")
    digest = _SHA256_DIGEST_INFO + hashlib.sha256(signing_input).digest()
    expected = b"\x00\x01" + b"\xff" * (size - len(digest) - 3) + b"\x00" + digest
    return hmac.compare_digest(encoded, expected)


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
            "public_key": pem, "numbers": rsa_public_numbers(pem), "bot": bot["login"].lower(),
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
    if not rs256_verify(app["numbers"], f"{header_seg}.{payload_seg}".encode(), signature):
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


APP_ROUTES = [
    ("GET", "/app", h_app_get, False),
    ("GET", "/app/installations/{installation_id}", h_app_installation, False),
    ("POST", "/app/installations/{installation_id}/access_tokens", h_app_access_token, False),
    ("GET", "/orgs/{org}/installation", h_org_installation, False),
    ("GET", "/repos/{owner}/{repo}/installation", h_repo_installation, False),
    ("GET", "/users/{username}/installation", h_user_installation, False),
]


# --------------------------------------------------------------------------
# Routing
# --------------------------------------------------------------------------

SEG = r"[^/]+"
ROUTES: list[tuple[str, str, object, bool]] = [
    # (method, template, handler, is_list)
    ("GET", "/user", h_get_user, False),
    ("GET", "/users/{username}", h_get_users, False),
    ("GET", "/orgs/{org}", h_get_org, False),
    ("PATCH", "/orgs/{org}", h_patch_org, False),
    ("GET", "/orgs/{org}/members", h_list_members, True),
    ("GET", "/orgs/{org}/members/{username}", h_check_member, False),
    ("DELETE", "/orgs/{org}/members/{username}", h_remove_member, False),
    ("GET", "/orgs/{org}/memberships/{username}", h_get_membership, False),
    ("PUT", "/orgs/{org}/memberships/{username}", h_set_membership, False),
    ("DELETE", "/orgs/{org}/memberships/{username}", h_remove_membership, False),
    ("GET", "/orgs/{org}/invitations", h_list_invitations, True),
    ("POST", "/orgs/{org}/invitations", h_create_invitation, False),
    ("GET", "/orgs/{org}/failed_invitations", h_list_failed_invitations, True),
    ("DELETE", "/orgs/{org}/invitations/{invitation_id}", h_cancel_invitation, False),
    ("GET", "/orgs/{org}/outside_collaborators", h_list_outside, True),
    ("PUT", "/orgs/{org}/outside_collaborators/{username}", h_convert_outside, False),
    ("DELETE", "/orgs/{org}/outside_collaborators/{username}", h_remove_outside, False),
    ("GET", "/orgs/{org}/hooks", h_list_hooks, True),
    ("POST", "/orgs/{org}/hooks", h_create_hook, False),
    ("GET", "/orgs/{org}/hooks/{hook_id}", h_get_hook, False),
    ("PATCH", "/orgs/{org}/hooks/{hook_id}", h_update_hook, False),
    ("DELETE", "/orgs/{org}/hooks/{hook_id}", h_delete_hook, False),
    ("GET", "/orgs/{org}/hooks/{hook_id}/config", h_get_hook_config, False),
    ("PATCH", "/orgs/{org}/hooks/{hook_id}/config", h_update_hook_config, False),
    ("POST", "/orgs/{org}/hooks/{hook_id}/pings", h_ping_hook, False),
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
    *APP_ROUTES,  # GitHub Apps section
]


def _compile(template: str):
    pattern = re.sub(r"\{(\w+)\}", lambda m: f"(?P<{m.group(1)}>{SEG})", template)
    return re.compile(f"^{pattern}$")


COMPILED = [(m, _compile(t), t, h, is_list) for (m, t, h, is_list) in ROUTES]


def match_route(method: str, path: str):
    """Return (template, handler, params, is_list) or None.  HEAD is served like GET."""
    if method == "HEAD":
        method = "GET"
    for m, rx, template, handler, is_list in COMPILED:
        if m != method:
            continue
        mt = rx.match(path)
        if mt:
            return template, handler, {k: unquote(v) for k, v in mt.groupdict().items()}, is_list
    return None


# --------------------------------------------------------------------------
# Server
# --------------------------------------------------------------------------


class Simulator:
    """Holds the state, the request log, faults and configuration of one server."""

    def __init__(self, initial: dict, latency_ms: float = 0):
        self.initial = copy.deepcopy(initial)
        self.lock = threading.RLock()
        self.log_lock = threading.Lock()
        self.state = State(copy.deepcopy(initial))
        self.log: list[dict] = []
        self.faults: list[dict] = []
        self.start_latency = float(latency_ms)
        self.config = {"latency_ms": float(latency_ms), "enforce_rate_limit": False, "rate_limit": RATE_LIMIT,
                       **APP_CONFIG_DEFAULTS}
        self.rate: dict[str, dict] = {}

    def reset(self, data: dict | None) -> None:
        with self.lock:
            # reset(None) reloads the state the server was started with.
            self.state = State(copy.deepcopy(self.initial if data is None else data))
            self.faults = []
            self.rate = {}
            self.config["latency_ms"] = self.start_latency
            self.config.update(APP_CONFIG_DEFAULTS)
        with self.log_lock:
            self.log = []

    # -- rate limiting --
    def rate_headers(self, key: str) -> tuple[dict, bool]:
        now = int(time.time())
        limit = int(self.config["rate_limit"])
        with self.log_lock:
            bucket = self.rate.get(key)
            if bucket is None or bucket["reset"] <= now:
                bucket = self.rate[key] = {"used": 0, "reset": now + 3600}
            exhausted = bucket["used"] >= limit
            if exhausted and not self.config["enforce_rate_limit"]:
                bucket["used"], bucket["reset"] = 0, now + 3600
                exhausted = False
            if not exhausted:
                bucket["used"] += 1
            used = bucket["used"]
        return ({
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(max(0, limit - used)),
            "X-RateLimit-Used": str(used),
            "X-RateLimit-Reset": str(bucket["reset"]),
            "X-RateLimit-Resource": "core",
        }, exhausted)

    def take_fault(self, method: str, path: str) -> dict | None:
        with self.lock:
            for rule in self.faults:
                if rule["method"] not in ("*", method):
                    continue
                if not re.search(rule["path"], path):
                    continue
                if rule["times"]:
                    rule["remaining"] -= 1
                    if rule["remaining"] <= 0:
                        self.faults.remove(rule)
                rule["hits"] = rule.get("hits", 0) + 1
                return dict(rule)
        return None

    def add_fault(self, rule: dict) -> dict:
        if not isinstance(rule, dict):
            raise ApiError(400, "fault rule must be a JSON object")
        rule = dict(rule)
        rule["method"] = str(rule.get("method", "*")).upper()
        rule["path"] = str(rule.get("path", ".*"))
        try:
            re.compile(rule["path"])
        except re.error as exc:
            raise ApiError(400, f"invalid path regex: {exc}") from None
        rule["times"] = int(rule.get("times", 1))
        rule["remaining"] = rule["times"]
        with self.lock:
            self.faults.append(rule)
        return rule


def fault_response(rule: dict, is_list: bool, method: str) -> Response | None:
    """The answer a fault rule gives instead of the real handler (None: answer normally)."""
    headers = {str(k): str(v) for k, v in (rule.get("headers") or {}).items()}
    if rule.get("retry_after") is not None:
        headers["Retry-After"] = str(rule["retry_after"])
    if rule.get("rate_limit_exhausted"):
        reset = int(time.time()) + int(rule.get("reset_in", 60))
        headers.update({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset),
                        "X-RateLimit-Used": str(RATE_LIMIT)})
        body = rule.get("body") or {
            "message": "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, "
                       "please include the request ID.",
            "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
            "status": "403"}
        return Response(int(rule.get("status") or 403), body, headers)
    if rule.get("secondary"):
        headers.setdefault("Retry-After", str(rule.get("retry_after", 60)))
        body = rule.get("body") or {
            "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
                       "again. If you reach out to GitHub Support for help, please include the request ID.",
            "documentation_url": "https://docs.github.com/free-pro-team@latest/rest/overview/"
                                 "rate-limits-for-the-rest-api#about-secondary-rate-limits",
            "status": str(rule.get("status") or 403)}
        return Response(int(rule.get("status") or 403), body, headers)
    if rule.get("invalid_json"):
        return Response(int(rule.get("status") or 200), None, headers,
                        raw=b"<html><body>Unicorn! This page is taking too long to load.</body>")
    if rule.get("wrong_shape"):
        body = {"unexpected": "object"} if (is_list and method in ("GET", "HEAD")) else ["unexpected", "list"]
        return Response(int(rule.get("status") or 200), body, headers)
    if rule.get("status") is not None or rule.get("body") is not None:
        status = int(rule.get("status") or 200)
        body = rule.get("body")
        if body is None:
            try:
                phrase = HTTPStatus(status).phrase
            except ValueError:
                phrase = "Error"
            body = {"message": phrase, "documentation_url": DOCS, "status": str(status)}
        if status in (204, 304):
            return Response(status, None, headers, raw=b"")
        return Response(status, body, headers)
    if headers:
        return Response(-1, None, headers)  # headers only: added to the real answer
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # keep-alive + small writes would otherwise stall ~40 ms per request
    sim: Simulator  # set on the subclass

    def log_message(self, format, *args):  # noqa: A002 - quiet server
        pass

    def version_string(self) -> str:
        return "github.com"

    def do_GET(self):
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    # ------------------------------------------------------------------
    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _drop(self) -> None:
        """Close the connection without an answer."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send(self, status: int, body=None, headers=None, raw: bytes | None = None) -> None:
        lost, self._lost = getattr(self, "_lost", None), None
        if lost is not None:
            # The request was applied; its answer is lost: dropped, or sent after the client gave up.
            if lost.get("lose_answer"):
                self._drop()
                return
            # Sent by _handle once the state lock is released, so other requests are answered meanwhile.
            self._deferred = (float(lost["answer_delay"]), (status, body, headers, raw))
            return
        if raw is None:
            raw = b"" if body is None and status in (204, 304) else json.dumps(body, indent=None).encode()
        self.send_response(status)
        headers = dict(headers or {})
        if raw or status not in (204, 304):
            headers.setdefault("Content-Type", "application/json; charset=utf-8")
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        if self.command != "HEAD" and raw:
            self.wfile.write(raw)

    def _handle(self) -> None:
        started = time.perf_counter()
        split = urlsplit(self.path)
        path = split.path or "/"
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        body = self._read_body()
        if path.startswith("/_sim/") or path == "/_sim":
            self._control(path, body)
            return
        prefix = ""
        if path.startswith("/api/v3/") or path == "/api/v3":
            prefix, path = "/api/v3", path[len("/api/v3"):] or "/"
        if len(path) > 1 and path.endswith("/"):
            path = path.rstrip("/")
        sim = self.sim
        host = self.headers.get("Host") or f"{self.server.server_address[0]}:{self.server.server_address[1]}"
        urls = Urls(host, prefix)
        method = self.command
        route = match_route(method, path)
        rule = sim.take_fault(method, path)
        latency = sim.config["latency_ms"]
        if latency:
            time.sleep(latency / 1000.0)
        status, fault = 0, False
        try:
            if rule is not None:
                fault = True
                if rule.get("delay"):
                    time.sleep(float(rule["delay"]))
                if rule.get("drop"):
                    self._drop()
                    status = 0
                    return
                answer = fault_response(rule, route[3] if route else False, method)
                if answer is not None and answer.status != -1:
                    headers = self._common_headers(sim.state.tokens.get(self._rate_key()))
                    headers.update(sim.rate_headers(self._rate_key())[0])
                    headers.update(answer.headers)
                    status = answer.status
                    self._send(answer.status, answer.body, headers, raw=answer.raw)
                    return
                extra = answer.headers if answer is not None else {}
                if rule.get("lose_answer") or rule.get("answer_delay"):
                    self._lost = rule  # the real handler runs; _send loses its answer
            else:
                extra = {}
            status = self._dispatch(route, method, path, query, body, urls, extra)
            deferred, self._deferred = getattr(self, "_deferred", None), None
            if deferred is not None:
                time.sleep(deferred[0])
                try:
                    self._send(*deferred[1])
                except OSError:  # the client gave up long ago
                    self.close_connection = True
        finally:
            entry = {
                "method": method, "path": path, "query": query, "status": status, "fault": fault,
                "duration_ms": round((time.perf_counter() - started) * 1000.0, 3),
                "at": round(time.time(), 4),  # arrival-order wall clock, for pacing checks
            }
            if prefix:
                entry["api_prefix"] = prefix
            with sim.log_lock:
                sim.log.append(entry)

    def _rate_key(self) -> str:
        auth = (self.headers.get("Authorization") or "").split(None, 1)
        return auth[1].strip() if len(auth) == 2 else f"ip:{self.client_address[0]}"

    def _common_headers(self, token: dict | None) -> dict:
        version = self.headers.get("X-GitHub-Api-Version") or DEFAULT_API_VERSION
        headers = {
            "X-GitHub-Api-Version-Selected": version if version in SUPPORTED_API_VERSIONS else DEFAULT_API_VERSION,
            "X-GitHub-Media-Type": "github.v3; format=json",
            "X-GitHub-Request-Id": hashlib.sha1(f"{time.time()}{id(self)}".encode()).hexdigest()[:20].upper(),
        }
        if token is not None and token["scopes"] is not None:
            headers["X-OAuth-Scopes"] = ", ".join(token["scopes"])
        return headers

    def _dispatch(self, route, method, path, query, body, urls, extra) -> int:
        sim = self.sim
        auth = (self.headers.get("Authorization") or "").strip()
        token_value = None
        if auth:
            parts = auth.split(None, 1)
            if len(parts) == 2 and parts[0].lower() in ("bearer", "token"):
                token_value = parts[1].strip()
            else:
                token_value = ""
        with sim.lock:
            state = sim.state
            token = state.tokens.get(token_value) if token_value else None
            headers = self._common_headers(token)
            rate, exhausted = sim.rate_headers(self._rate_key())
            headers.update(rate)
            headers.update(extra)
            try:
                version = self.headers.get("X-GitHub-Api-Version")
                if version and version not in SUPPORTED_API_VERSIONS:
                    raise ApiError(400, f"Unsupported 'X-GitHub-Api-Version' header: {version}. The supported "
                                        f"versions are {', '.join(SUPPORTED_API_VERSIONS)}.",
                                   documentation_url="https://docs.github.com/rest/overview/api-versions")
                if token_value is None:
                    raise ApiError(401, "Requires authentication")
                if token is None and token_value:
                    token = app_credential(sim, token_value, method, route)  # GitHub Apps section
                if token is None:
                    raise ApiError(401, "Bad credentials")
                if exhausted:
                    raise ApiError(403, "API rate limit exceeded for user ID "
                                        f"{state.users[token['login']]['id']}.",
                                   documentation_url="https://docs.github.com/rest/overview/rate-limits-for-the-"
                                                     "rest-api")
                if route is None:
                    raise not_found()
                template, handler, params, _ = route
                ctx = Ctx(sim, method, path, query, self.headers, body, urls, params)
                ctx.token = token
                ctx.login = token["login"]
                state.apps.current = token if token.get("kind") == "installation" else None
                try:
                    response = handler(ctx)
                finally:
                    state.apps.current = None
                    headers.update(ctx.extra_headers)
            except ApiError as err:
                headers.update(err.headers)
                self._send(err.status, err.body(), headers)
                return err.status
            except Exception as exc:  # pragma: no cover - a simulator bug should be visible
                import traceback
                traceback.print_exc(file=sys.stderr)
                self._send(500, {"message": f"Simulator error: {exc}", "documentation_url": DOCS,
                                 "status": "500"}, headers)
                return 500
            headers.update(response.headers)
            self._send(response.status, response.body, headers, raw=response.raw)
            return response.status

    # ------------------------------------------------------------------
    def _control(self, path: str, body: bytes) -> None:
        sim = self.sim
        method = self.command
        try:
            payload = json.loads(body) if body.strip() else None
        except ValueError:
            self._send(400, {"message": "Problems parsing JSON"})
            return
        try:
            if path == "/_sim/reset" and method == "POST":
                data = None
                if isinstance(payload, dict):
                    data = payload.get("state") if "state" in payload else payload
                sim.reset(data)
                self._send(200, {"ok": True})
            elif path == "/_sim/requests" and method == "GET":
                with sim.log_lock:
                    self._send(200, list(sim.log))
            elif path == "/_sim/requests" and method == "DELETE":
                with sim.log_lock:
                    sim.log = []
                self._send(204, None)
            elif path == "/_sim/faults" and method == "POST":
                rules = payload if isinstance(payload, list) else [payload]
                added = [sim.add_fault(r) for r in rules]
                self._send(201, added if isinstance(payload, list) else added[0])
            elif path == "/_sim/faults" and method == "GET":
                with sim.lock:
                    self._send(200, list(sim.faults))
            elif path == "/_sim/faults" and method == "DELETE":
                with sim.lock:
                    sim.faults = []
                self._send(204, None)
            elif path == "/_sim/state" and method == "GET":
                with sim.lock:
                    self._send(200, sim.state.dump())
            elif path == "/_sim/config" and method in ("GET", "POST", "PATCH"):
                if isinstance(payload, dict):
                    with sim.lock:
                        for key in ("latency_ms", "rate_limit"):
                            if key in payload:
                                sim.config[key] = float(payload[key]) if key == "latency_ms" else int(payload[key])
                        if "enforce_rate_limit" in payload:
                            sim.config["enforce_rate_limit"] = bool(payload["enforce_rate_limit"])
                        if "app_token_ttl" in payload:
                            ttl = payload["app_token_ttl"]
                            sim.config["app_token_ttl"] = None if ttl is None else float(ttl)
                        if "app_clock_skew_s" in payload:
                            sim.config["app_clock_skew_s"] = float(payload["app_clock_skew_s"] or 0)
                self._send(200, dict(sim.config))
            elif path == "/_sim/accept" and method == "POST":
                self._send(200, control_accept(sim, payload or {}))
            elif path == "/_sim/health":
                self._send(200, {"ok": True})
            else:
                self._send(404, {"message": "Unknown simulator control endpoint"})
        except ApiError as err:
            self._send(err.status, err.body())
        except (TypeError, ValueError, KeyError) as exc:
            self._send(400, {"message": f"Bad control request: {exc}"})


def control_accept(sim: Simulator, payload: dict) -> dict:
    """Accept a pending invitation as the invitee would: {"org": ..., "login": ...} or {"repo": "o/r", ...}."""
    with sim.lock:
        state = sim.state
        key = fold(payload["login"])
        if payload.get("org"):
            org = state.orgs.get(fold(payload["org"]))
            inv = state.pending_org_invitation(org, key) if org else None
            if inv is None:
                raise ApiError(404, "No pending organization invitation")
            state.remove_org_invitation(org, inv["id"])
            org["members"][key] = "admin" if inv["role"] == "admin" else "member"
            org["outside"].pop(key, None)
            return {"org": org["login"], "login": state.users[key]["login"], "role": org["members"][key]}
        repo = state.repos.get(str(payload["repo"]).lower())
        inv_id = repo["inv_by_login"].get(key) if repo else None
        if inv_id is None:
            raise ApiError(404, "No pending repository invitation")
        inv = repo["invitations"][inv_id]
        state.remove_repo_invitation(repo, inv_id)
        repo["collaborators"][key] = inv["role"]
        org = state.orgs.get(repo["owner"])
        if org is not None and key not in org["members"]:
            org["outside"][key] = True
        return {"repo": payload["repo"], "login": state.users[key]["login"], "permission": inv["role"]}


def load_state_file(path: str) -> dict:
    text = Path(path).read_text(encoding="utf-8")
    if path.endswith(".json"):
        return json.loads(text) or {}
    return yaml.safe_load(text) or {}


def make_server(state: dict, host: str = "127.0.0.1", port: int = 0, latency_ms: float = 0):
    sim = Simulator(state, latency_ms)
    handler = type("BoundHandler", (Handler,), {"sim": sim})

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        allow_reuse_address = True
        request_queue_size = 128

    return Server((host, port), handler), sim


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="GitHub REST API simulator")
    parser.add_argument("--state", required=True, help="state file (YAML or JSON)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    parser.add_argument("--latency-ms", type=float, default=0)
    args = parser.parse_args(argv)
    server, _sim = make_server(load_state_file(args.state), args.host, args.port, args.latency_ms)
    host, port = server.server_address[:2]

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.port_file:
        Path(args.port_file).write_text(str(port), encoding="utf-8")
    sys.stdout.write(f"ghsim listening on http://{host}:{port}\n")
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
