# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to orgcode.github, not a public API: names and behaviour may change in any release.

"""github_repo_collaborator's ``planned_changes`` (list mode, check mode only): the access each login will have
once the earlier tasks of the same run (members removed or converted, owner roles, the base permission, teams)
are done, which check mode cannot read from GitHub because those tasks wrote nothing."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.orgcode.github.plugins.module_utils._repository import (
    BUILT_IN,
    LEGACY,
    active_membership,
    best,
    covers,
    flags_of,
    normalize_role,
    role_of,
    same_role,
)
from ansible_collections.orgcode.github.plugins.module_utils.github_client import GitHubAPIError
from ansible_collections.orgcode.github.plugins.module_utils.github_module import login_key


class Planned:
    """``planned_changes`` (check mode only): what earlier tasks of the same run would have changed.

    A real run reads the state those tasks left and ignores the option. In check mode those tasks wrote
    nothing, so the access each affected login will have is computed here as GitHub will have it:

    - ``converted`` (member to outside collaborator): team access becomes direct access, the base
      permission and ownership are gone;
    - ``removed`` (from the organization): direct grants and team access on the organization's
      repositories are gone;
    - ``roles`` (``{login: admin|member}``, active members only): an owner has admin everywhere, a former
      owner keeps their direct grant, teams and the base permission;
    - ``default_repository_permission``: the new base permission of every member who is no owner;
    - ``team_access`` (``{login: role}``, this repository only): the access teams of the run will give.
      Only an active member gets it (a pending invitee's team membership stays pending): their access
      is the higher of what GitHub shows now and that role.
    - ``team_grants`` (``{team slug: role}``, this repository only): the teams of the run that give this
      repository, whose members the description may not list in full. A listed login whose planned access
      does not cover its permission and that is an active member gets the role of each of these teams it is
      an active member of (a team's members include its child teams' members), read until covered.
    """

    def __init__(self, gh, option):
        def keys(name):
            return set(login_key(login) for login in option.get(name) or [] if login_key(login))
        self.gh = gh
        self.converted, self.removed = keys("converted"), keys("removed")
        self.gone = self.converted | self.removed
        self.roles = {}
        for login, role in sorted((option.get("roles") or {}).items()):
            if role not in ("admin", "member"):
                gh.fail("planned_changes.roles.%s: must be admin or member, got %r" % (login, role))
            if login_key(login) not in self.gone:
                self.roles[login_key(login)] = role
        self.base = option.get("default_repository_permission")
        self.team = {}  # login key -> the role teams of the run give on this repository
        for login, role in sorted((option.get("team_access") or {}).items()):
            name = normalize_role(role) if isinstance(role, str) else ""
            if not name or name.lower() == "none":
                gh.fail("planned_changes.team_access.%s: must be a repository role (%s or a custom repository "
                        "role name), got %r" % (login, BUILT_IN, role))
            if login_key(login) and login_key(login) not in self.gone:
                self.team[login_key(login)] = best(self.team.get(login_key(login)), name)
        self.team_members = set()  # the keys of self.team confirmed as active members: they get it
        self.grants = []  # [(team slug, role)]: the teams of the run giving this repository (team_grants)
        for slug, role in sorted((option.get("team_grants") or {}).items()):
            name = normalize_role(role) if isinstance(role, str) else ""
            if not isinstance(slug, str) or not slug.strip() or not name or name.lower() == "none":
                gh.fail("planned_changes.team_grants.%s: must be a repository role (%s or a custom repository "
                        "role name), got %r" % (slug, BUILT_IN, role))
            self.grants.append((slug.strip().lower(), name))
        self._active = {}  # login key -> active member of the organization (read once)

    def active(self, repo, key, name):
        """Is ``name`` an active member of the organization (one membership read per login, cached)?"""
        if key not in self._active:
            self._active[key] = active_membership(repo.membership(name))
        return self._active[key]

    @classmethod
    def of(cls, gh):
        option = gh.params.get("planned_changes")
        if not gh.check_mode or not option:
            return None  # a real run reads the state the earlier tasks left
        planned = cls(gh, option)
        if not (planned.gone or planned.roles or planned.base is not None or planned.team or planned.grants):
            return None
        return planned

    def owners(self, owners):
        """The organization's owners once the earlier tasks are done (login keys)."""
        return (set(owners) | set(k for k, role in self.roles.items() if role == "admin")) - \
            set(k for k, role in self.roles.items() if role == "member") - self.gone

    def apply(self, repo, wanted, direct, pending, found):
        """Turn the reads (``direct``, ``found``) into the access each affected login will have.

        Reads, only for the affected logins: the owners (once), the organization (once, for the base
        permission), one membership per login whose role or base permission changes, and the
        repository's teams (once) with one team membership read per team and login; for ``team_grants``, one
        team membership read per team and listed login still short of its permission, until covered.
        """
        gh = self.gh
        keys = (self.gone | set(self.roles)) & (set(wanted) | set(direct))
        if self.base is not None:
            keys |= set(wanted)
        if gh.params["exclusive"]:
            keys |= self.converted  # team access turned direct: an exclusive list must name it
        pending_only = set(key for key in pending if key not in direct)  # a pending invitee is no member
        keys -= pending_only
        # Team access alone: the higher of the access shown now and the team's, for active members.
        team_only = (set(self.team) & set(wanted)) - pending_only - keys
        if keys:
            owners_now = repo.owners()  # as they are now: repo.planned is set below
            base_now = (repo.organization() or {}).get("default_repository_permission")
            for key in sorted(keys):
                self.plan_one(repo, key, wanted.get(key), direct, found, owners_now, base_now)
        for key in sorted(team_only):
            self.plan_team(repo, key, wanted[key], direct, found)
        if self.grants:
            for key in sorted(set(wanted) - pending_only - self.gone):
                self.plan_grants(repo, key, wanted[key], direct, found)
        repo.planned = self

    def plan_grants(self, repo, key, entry, direct, found):
        """Teams of the run giving this repository (``team_grants``): raise the access of a listed active member
        of one of them, when its planned access does not cover the listed permission yet."""
        if key in direct:
            name, have, legacy = direct[key].get("login") or entry.login, role_of(direct[key]), None
        elif key in found:
            name, have, legacy = found[key]
        else:
            return
        if covers(have or "none", legacy, entry.value) or not self.active(repo, key, name):
            return
        for slug, role in self.grants:
            try:
                membership = self.gh.client.get_or_none("/orgs/%s/teams/%s/memberships/%s" % (repo.owner, slug, name))
            except GitHubAPIError as err:
                if err.status != 403 or err.rate_limited:
                    raise
                membership = None  # a team the token cannot see: its access is not planned
            if not active_membership(membership):
                continue  # not a member, a pending one, or a team created by the run (404): no access from it
            self.team[key] = best(self.team.get(key), role)
            self.team_members.add(key)
            now = best(have, role)
            if not same_role(now, have):
                have, legacy = now, LEGACY.get(now.lower(), legacy)
                if key in direct:
                    direct[key] = dict(direct[key], role_name=now, permissions=flags_of(now))
                else:
                    found[key] = (name, now, legacy)
            if covers(have, legacy, entry.value):
                return

    def plan_team(self, repo, key, entry, direct, found):
        """Only team access changes: an active member's access is the higher of now and the team's."""
        name = direct[key].get("login") if key in direct else found[key][0] if key in found else entry.login
        if not self.active(repo, key, name):
            return  # not a member (yet): adding it to a team invites it; the team membership stays pending
        self.team_members.add(key)
        role = self.team[key]
        if key in direct:
            have = role_of(direct[key])
            now = best(have, role)
            if not same_role(now, have):
                direct[key] = dict(direct[key], role_name=now, permissions=flags_of(now))
        elif key in found:
            name, have, legacy = found[key]
            now = best(have, role)
            if not same_role(now, have):
                found[key] = (name, now, LEGACY.get(now.lower(), legacy))

    def plan_one(self, repo, key, entry, direct, found, owners_now, base_now):
        if key in direct:
            name = direct[key].get("login")
        elif key in found:
            name = found[key][0]
        else:
            name = key if entry is None else entry.login
        if key in self.removed:
            direct.pop(key, None)
            if entry is not None:
                found[key] = (name, "none", "none")
            return
        owner_now = key in owners_now
        member_now = owner_now or key in self.converted or self.active(repo, key, name)
        if key in self.roles and not member_now:
            self.roles.pop(key)  # a pending invitee's role: no access yet
        team_now = best(*repo.team_access(name).values()) if member_now else None
        team = team_now
        if member_now and key in self.team:
            self.team_members.add(key)
            team = best(team_now, self.team[key])  # teams of the run give this too
        if key in direct:
            have = role_of(direct[key])
            org_now = "admin" if owner_now else (base_now if member_now else None)
            hidden = covers(best(team_now, org_now) or "none", None, have)
            # A direct grant under a higher or equal team or organization role cannot be read: take the
            # listed permission an earlier run of this list set (or the role shown, if that is lower).
            if hidden and entry is not None and covers(have, None, entry.value):
                direct_role = entry.value
            else:
                direct_role = have
        else:
            direct_role = None
        if key in self.converted:
            direct_role = best(direct_role, team)  # GitHub turns team access into direct access
            now = direct_role
        else:
            owner = self.roles.get(key, "admin" if owner_now else "member") == "admin"
            base = self.base if self.base is not None else base_now
            now = "admin" if owner else best(direct_role, team, base if member_now and base != "none" else None)
        if direct_role:
            direct[key] = dict(login=name, role_name=now, permissions=flags_of(now))
            found.pop(key, None)
        else:
            direct.pop(key, None)
            if entry is not None:
                found[key] = (name, now or "none", LEGACY.get(now or "none"))
