"""The simulated data: users, tokens, organizations, repositories and GitHub Apps, loaded from a state file."""

from __future__ import annotations

import re

from .appauth import AppRegistry
from .common import fold, iso, norm_role, now_iso, parse_iso
from .flavours import DEFAULT_GHES_VERSION, FLAVOURS, GHES, GITHUB_COM
from .orgfields import ORG_DEFAULTS, ORG_INVITATION_TTL


class State:
    """All simulated data.  Every login-keyed dict uses the lower-cased login."""

    def __init__(self, data: dict | None, default_flavor: str = GITHUB_COM):
        data = data or {}
        self.flavor = str(data.get("flavor") or default_flavor)
        if self.flavor not in FLAVOURS:
            raise ValueError(f"unknown flavor {self.flavor!r}: one of {', '.join(FLAVOURS)}")
        self.ghes_version = str(data.get("ghes_version") or DEFAULT_GHES_VERSION)
        self.users: dict[str, dict] = {}
        self.users_by_id: dict[int, str] = {}
        self.tokens: dict[str, dict] = {}
        self.orgs: dict[str, dict] = {}
        self.repos: dict[str, dict] = {}
        self._next = {"account": 1000, "repo": 500000, "hook": 9000, "org_inv": 70000, "repo_inv": 80000, "team": 3000}
        ids = [u.get("id") for u in data.get("users") or [] if isinstance(u, dict)]
        ids += [o.get("id") for o in data.get("orgs") or [] if isinstance(o, dict)]
        self._pending_teams: list = []
        self._next["account"] = max([self._next["account"]] + [int(i) for i in ids if i is not None]) + 1
        for u in data.get("users") or []:
            self.add_user(u if isinstance(u, dict) else {"login": u})
        for o in data.get("orgs") or []:
            self._load_org(o)
        for r in data.get("repos") or []:
            self._load_repo(r)
        for org, teams in self._pending_teams:  # after the repositories, which teams reference
            self._load_teams(org, teams)
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
            # github.com refuses to add this account to an organization (trade controls)
            "trade_restricted": bool(spec.get("trade_restricted", False)),
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
            "teams": {},  # team id -> team (see _load_team)
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
        self._pending_teams.append((org, spec.get("teams") or []))

    # ---- teams -----------------------------------------------------------
    def _load_teams(self, org: dict, specs: list) -> None:
        """``teams:`` of an organization: name, slug, description, privacy, notification_setting,
        parent (a slug), members {login: member|maintainer}, pending {login: role}, repos {name: role}."""
        parents = {}
        for spec in specs:
            team = self.new_team(org, str(spec["name"]), spec.get("id"), slug=spec.get("slug"))
            team.update({
                "description": spec.get("description"),
                "privacy": spec.get("privacy") or ("closed" if spec.get("parent") else "secret"),
                "notification_setting": spec.get("notification_setting", "notifications_enabled"),
                "created_at": iso(spec.get("created_at")),
                "updated_at": iso(spec.get("updated_at") or spec.get("created_at")),
            })
            for login, role in (spec.get("members") or {}).items():
                team["members"][self.ensure_user(login)["login"].lower()] = str(role)
            for login, role in (spec.get("pending") or {}).items():
                team["pending"][self.ensure_user(login)["login"].lower()] = str(role)
            for name, role in (spec.get("repos") or {}).items():
                full = name if "/" in str(name) else f"{org['login']}/{name}"
                team["repos"][full.lower()] = norm_role(role)
            if spec.get("parent"):
                parents[team["id"]] = str(spec["parent"]).lower()
        for team_id, parent_slug in parents.items():
            parent = self.team_by_slug(org, parent_slug)
            if parent is None:
                raise ValueError(f"team {org['teams'][team_id]['slug']}: unknown parent team {parent_slug!r}")
            org["teams"][team_id]["parent"] = parent["id"]

    def new_team(self, org: dict, name: str, wanted_id=None, slug: str | None = None) -> dict:
        team = {
            "id": self.next_id("team", wanted_id), "name": name, "slug": slug or team_slug(name),
            "description": None, "privacy": "secret", "notification_setting": "notifications_enabled",
            "permission": "pull", "parent": None, "members": {}, "pending": {}, "repos": {},
            "created_at": now_iso(), "updated_at": now_iso(),
        }
        org["teams"][team["id"]] = team
        return team

    @staticmethod
    def team_by_slug(org: dict, slug: str) -> dict | None:
        slug = str(slug).lower()
        for team in org["teams"].values():
            if team["slug"] == slug:
                return team
        return None

    @staticmethod
    def team_children(org: dict, team: dict) -> list[dict]:
        return [t for t in org["teams"].values() if t["parent"] == team["id"]]

    def team_descendants(self, org: dict, team: dict) -> list[dict]:
        found, todo = [], self.team_children(org, team)
        while todo:
            child = todo.pop(0)
            found.append(child)
            todo.extend(self.team_children(org, child))
        return found

    @staticmethod
    def team_ancestors(org: dict, team: dict) -> list[dict]:
        found, parent = [], team["parent"]
        while parent is not None and parent in org["teams"] and len(found) < 64:
            found.append(org["teams"][parent])
            parent = org["teams"][parent]["parent"]
        return found

    def drop_team_memberships(self, org: dict, login_key: str) -> None:
        """A user who leaves the organization (or whose invitation is gone) leaves its teams."""
        for team in org["teams"].values():
            team["members"].pop(login_key, None)
            team["pending"].pop(login_key, None)

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

    def remove_org_invitation(self, org: dict, inv_id: int, accepted: bool = False) -> None:
        inv = org["invitations"].pop(inv_id, None)
        if inv and inv["login"] and org["inv_by_login"].get(inv["login"]) == inv_id:
            del org["inv_by_login"][inv["login"]]
            for team in org["teams"].values():  # the team memberships waiting for it
                role = team["pending"].pop(inv["login"], None)
                if role and accepted:
                    team["members"][inv["login"]] = role

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
            # visibility "internal" (GHES, GitHub Enterprise Cloud) is a private repository visible to members
            "private": bool(spec.get("private", False)) or spec.get("visibility") == "internal",
            "internal": spec.get("visibility") == "internal",
            "fork": bool(spec.get("fork", False)),
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
        # A repository's ``teams: {login: role}`` is access through a team the state does not name (as a
        # team the token cannot see): it counts in the user's role but no team lists it (``GET
        # /repos/{owner}/{repo}/teams``). Name the team under the organization's ``teams:`` to show it.
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
            if u["trade_restricted"]:
                users[-1]["trade_restricted"] = True
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
                **({"teams": [{
                    "id": t["id"], "name": t["name"], "slug": t["slug"], "description": t["description"],
                    "privacy": t["privacy"], "notification_setting": t["notification_setting"],
                    "parent": o["teams"][t["parent"]]["slug"] if t["parent"] in o["teams"] else None,
                    "members": {canon(k): v for k, v in t["members"].items()},
                    "pending": {canon(k): v for k, v in t["pending"].items()},
                    "repos": dict(t["repos"]), "created_at": t["created_at"], "updated_at": t["updated_at"],
                } for t in o["teams"].values()]} if o["teams"] else {}),
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
                **({"visibility": "internal"} if r["internal"] else {}), "fork": r["fork"],
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
            **({"ghes_version": self.ghes_version} if self.flavor == GHES else {}),
            "users": users,
            "tokens": [{"token": t["token"], "login": canon(t["login"]), "scopes": t["scopes"]}
                       for t in self.tokens.values()],
            "orgs": orgs,
            "repos": repos,
            "apps": self.apps.dump(),
        }


def team_slug(name: str) -> str:
    """GitHub's slug of a team name: lower case, every run of other characters than letters and digits a '-'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "team"


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
