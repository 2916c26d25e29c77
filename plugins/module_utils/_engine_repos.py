# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to orgcode.github, not a public API: names and behaviour may change in any release.

"""The repository-collaborator section of the organization engine.

Per repository: its direct collaborators and its invitations (two list reads), and for a listed login with
neither, its access from every source (``GET .../collaborators/{username}/permission``). The access the run
leaves a login is that access adjusted by what the earlier sections of the same plan do: a new owner gets
admin, a team of the run gives its grant to its members (and to its child teams' members), a converted member
keeps its team access as direct access and loses the base permission. A listed login whose access after the
run already covers the listed role gets no direct grant.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.orgcode.github.plugins.module_utils._engine import Write
from ansible_collections.orgcode.github.plugins.module_utils._reconcile import compare
from ansible_collections.orgcode.github.plugins.module_utils._repository import (
    covers, invitee, legacy_of, put_body, read_access, read_lists, role_of, same_role)
from ansible_collections.orgcode.github.plugins.module_utils._rules import RANK, higher, login_key, normalize_role, rank
from ansible_collections.orgcode.github.plugins.module_utils.github_client import GitHubAPIError


class RepositoryPlanner:
    def __init__(self, engine):
        self.e = engine
        self.gh = engine.gh
        self._teams = {}

    def read_lists(self, name, where):
        try:
            return read_lists(self.gh.client, "/repos/%s/%s" % (self.e.org, name))
        except GitHubAPIError as err:
            if err.status == 404:
                raise self.gh.failure("%s.repo: repository %s/%s was not found, or the token cannot see it"
                                      % (where, self.e.org, name))
            raise

    def access(self, name, login):
        """``(login as GitHub spells it, role, legacy)`` from every source, or None when there is no such user."""
        return read_access(self.gh.client, "/repos/%s/%s" % (self.e.org, name), login)

    def hidden_by_higher(self, name, key, login, have, legacy, owners):
        """True when ``have`` (a direct collaborator's highest role) comes from elsewhere after the run: ownership,
        the base permission, a team of the run, or a team the repository's teams API shows ``login`` in."""
        e = self.e
        if key in owners:
            return True
        base = normalize_role(e.base_after or "none")
        if key in e.member_after and base in RANK and RANK[base] >= (rank(have, legacy) or 0):
            return True
        if covers(self.team_role_after(key, name.lower()), None, have):
            return True
        planner = getattr(e, "team_planner", None)
        changed = set(t.live_slug.lower() for t in planner.everyone if getattr(t, "grants_after", None) is not None
                      or t.deleted) if planner else set()
        for team in self.repository_teams(name):
            role = normalize_role(team.get("role_name") or team.get("permission"))
            slug = (team.get("slug") or "").lower()
            if slug in changed or not covers(role, None, have) or key not in e.member_after:
                continue  # a team of the run is modelled above
            membership = self.gh.client.get_or_none("/orgs/%s/teams/%s/memberships/%s" % (e.org, slug, login))
            if membership and membership.get("state") == "active":
                return True
        return False

    def repository_teams(self, name):
        """The teams with a grant on the repository (``GET /repos/{org}/{repo}/teams``, once per repository)."""
        if name.lower() not in self._teams:
            try:
                self._teams[name.lower()] = self.gh.client.paginate("/repos/%s/%s/teams" % (self.e.org, name))
            except GitHubAPIError as err:
                if err.status not in (403, 404) or err.rate_limited:
                    raise
                self._teams[name.lower()] = []  # teams the token cannot see: the grant is set, as GitHub shows it
        return self._teams[name.lower()]

    def team_role_before(self, key, repo_key):
        """The highest role the teams whose grants the run read give ``key`` on the repository now."""
        planner = getattr(self.e, "team_planner", None)
        if planner is None or key not in (self.e.members or {}):
            return None
        best = None
        for team in planner.live.values():
            if team.grants is None or repo_key not in team.grants:
                continue
            if key in self.e.team_shown(team):
                best = higher(best, normalize_role(team.grants[repo_key][1]))
        return best  # GitHub lists a child team's members as the parent's: they have its grants

    def team_role_after(self, key, repo_key):
        """The highest role the teams of the run give ``key`` on the repository after the run (None: none known)."""
        planner = getattr(self.e, "team_planner", None)
        if planner is None:
            return None
        if key not in self.e.member_after:
            return None  # a pending team membership gives no access yet; a converted member has left its teams
        best = None
        for team in planner.everyone:
            grants = getattr(team, "grants_after", None)
            if team.deleted or not grants or repo_key not in grants:
                continue
            if key in planner.shown_after(team):  # its child teams' members have its grants too
                best = higher(best, normalize_role(grants[repo_key][1]))
        return best

    def after_organization_change(self, key, have, legacy, team_role):
        """A member's access from every source, after this run's owner and base permission changes."""
        e = self.e
        was_owner = (e.members.get(key) or {}).get("role") == "admin"
        base_now, base_after = normalize_role(self.base_now or "none"), normalize_role(e.base_after or "none")
        if was_owner or (base_now != base_after and same_role(have, base_now)):
            # what it had came from ownership or the base permission: it is what the base gives after the run
            have = base_after if base_after != "none" else "none"
            if team_role is not None:
                have = higher(have, team_role) if have != "none" else team_role
        elif base_after in RANK and rank(have, legacy) < RANK[base_after]:
            have = base_after
        return have

    def plan(self):
        e = self.e
        self.base_now = e.org_object.get("default_repository_permission")
        entries = e.config.get("repo_collaborators") or []
        exclusive = "repo_collaborators" in e.authoritative
        repos = {}  # repository key -> {name, present: [(index, entry)], absent: [...]}
        for index, entry in enumerate(entries):
            name = (entry.get("repo") or "").strip().split("/")[-1]
            repo = repos.setdefault(name.lower(), dict(name=name, present=[], absent=[], where=index))
            repo["absent" if (entry.get("state") or "present") == "absent" else "present"].append((index, entry))
        for repo in repos.values():
            self.plan_repository(repo, exclusive)

    def plan_repository(self, repo, exclusive):
        e, name = self.e, repo["name"]
        path = "/repos/%s/%s" % (e.org, name)
        direct, pending, expired = self.read_lists(name, e.where("repo_collaborators", repo["where"]))
        owners = e._owners_after()
        wanted = set()
        for index, entry in repo["present"]:
            where = e.where("repo_collaborators", index)
            login = (entry.get("login") or "").strip().lstrip("@")
            key = login_key(login)
            wanted.add(key)
            role = e.role_name(where + ".permission", entry.get("permission") or "push")
            header = "%s: collaborator %s" % (name, login)
            if key in direct:
                have, legacy = role_of(direct[key]), legacy_of(direct[key].get("permissions"))
                if same_role(have, role):
                    continue
                if covers(have, legacy, role) and self.hidden_by_higher(name, key, direct[key].get("login"), have,
                                                                        legacy, owners):
                    continue  # the higher role comes from ownership, the base or a team: the grant under it is unseen
                self.add(e, "PUT", path + "/collaborators/" + direct[key].get("login"), put_body(role),
                         name, direct[key].get("login"), "change", "role", have, role, header,
                         dict(role=have), dict(role=role))
                continue
            if key in pending:
                offered = pending[key].get("permissions")
                if role in RANK and not same_role(normalize_role(offered), role):
                    self.add(e, "PATCH", "%s/invitations/%s" % (path, pending[key]["id"]), dict(permissions=role),
                             name, invitee(pending[key]), "change", "update invitation", offered, role, header,
                             dict(role=offered, state="pending"), dict(role=role, state="pending"))
                continue
            found = self.access(name, login)
            if found is None:
                raise e.gh.failure("%s.login: GitHub user %r does not exist" % (where, login))
            login, have, legacy = found
            team_role = self.team_role_after(key, name.lower())
            if key in e.converted:
                # GitHub turns the team access of a converted member into a direct grant; the base permission goes
                have = have if rank(have, legacy) > (rank(self.base_now) or 0) else "none"
                if same_role(have, role):
                    continue
                if not same_role(have, "none"):
                    self.add(e, "PUT", "%s/collaborators/%s" % (path, login), put_body(role), name, login, "change",
                             "role", have, role, header, dict(role=have), dict(role=role))
                    continue
            elif key in owners:
                have, legacy = "admin", "admin"
            elif key in e.member_after:
                have = self.after_organization_change(key, have, legacy, team_role)
                before = self.team_role_before(key, name.lower())
                if before is not None and not same_role(before, team_role) and rank(before, None) is not None \
                        and (rank(have, legacy) or 0) <= rank(before):
                    # what it had came from a team grant the run lowers or removes: what is left after the run
                    base = normalize_role(e.base_after or "none")
                    have = higher(base if base in RANK else None, team_role) or "none"
            if team_role is not None and covers(team_role, None, role):
                continue
            if not same_role(have, "none") and covers(have, legacy, role):
                continue
            if key in expired:
                self.add(e, "DELETE", "%s/invitations/%s" % (path, expired[key]["id"]), None, name, login,
                         "remove", "replace expired invitation", None, None, None)
            member = key in e.member_after or e.ghes
            self.add(e, "PUT", "%s/collaborators/%s" % (path, login), put_body(role), name, login, "add",
                     "grant" if member else "invite", None, role, header, dict(state="absent") if same_role(
                         have, "none") else dict(role="%s (organization)" % have),
                     dict(role=role) if member else dict(role=role, state="pending"))
        absent = set()
        for _index, entry in repo["absent"]:
            absent.add(login_key(entry.get("login")))
        if exclusive and repo["present"]:
            listed = dict.fromkeys(wanted)
            unlisted = set(k for k in compare(direct, listed)[2] if k not in owners) | set(compare(pending, listed)[2])
            if unlisted:  # never the token's own user (GET /user only when there is someone to remove)
                absent |= unlisted - set([login_key(e.me() or "")])
            for key in sorted(e.converted - wanted - set(direct)):  # their team access becomes direct access
                found = self.access(name, (e.members.get(key) or {}).get("login") or key)
                if found and rank(found[1], found[2]) > (rank(self.base_now) or 0):
                    direct[key] = dict(login=found[0], role_name=found[1])
                    absent.add(key)
            absent -= e.gone  # leaving the organization in this run takes the access with it
        for key in sorted(absent):
            if key in direct:
                login, role = direct[key].get("login"), role_of(direct[key])
                e.removal("collaborator %s/%s" % (name, login))
                self.add(e, "DELETE", "%s/collaborators/%s" % (path, login), None, name, login, "remove", "remove",
                         role, None, "%s: collaborator %s" % (name, login), dict(role=role), dict(state="absent"))
            elif key in pending:
                login, role = invitee(pending[key]), pending[key].get("permissions")
                e.removal("invitation %s/%s" % (name, login))
                self.add(e, "DELETE", "%s/invitations/%s" % (path, pending[key]["id"]), None, name, login, "remove",
                         "cancel invitation", role, None, "%s: collaborator %s" % (name, login),
                         dict(role=role, state="pending"), dict(state="absent"))

    @staticmethod
    def add(e, method, path, body, repo, login, action, verb, old, new, header, before=None, after=None):
        e.add(Write("repo_collaborators", method, path, body, kind="repo_collaborator",
                    scope="%s/%s" % (e.org, repo), name=login, action=action, verb=verb, old=old, new=new,
                    header=header, before=before, after=after))
