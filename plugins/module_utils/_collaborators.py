# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to orgcode.github, not a public API: names and behaviour may change in any release.

"""A repository's whole collaborator list (github_repo_collaborator with ``collaborators``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.orgcode.github.plugins.module_utils import _reconcile
from ansible_collections.orgcode.github.plugins.module_utils._repository import (
    BUILT_IN,
    LEGACY,
    RANK,
    Repository,
    active_membership,
    best,
    covers,
    flags_of,
    custom_invitation_warning,
    invitee,
    legacy_of,
    normalize_role,
    put_body,
    role_of,
    same_role,
    team_gives,
    team_warning,
)
from ansible_collections.orgcode.github.plugins.module_utils.github_client import GitHubAPIError
from ansible_collections.orgcode.github.plugins.module_utils.github_module import login_key


def list_permission(gh):
    def permission(item, index):
        raw = item.get("permission")
        role = normalize_role(raw) if isinstance(raw, str) else ""
        if not role:
            gh.fail("collaborators[%d].permission: must be %s or a custom repository role name, got %r"
                    % (index, BUILT_IN, raw))
        return role.lower() if role in RANK else role
    return permission


def manage(gh):
    """Reconcile the repository's whole collaborator list (authoritative mode)."""
    _reconcile.check_options(gh, "collaborators")
    repo = Repository(gh)
    wanted = _reconcile.entries(gh, "collaborators", value=list_permission(gh), what="permission")
    planned = Planned.of(gh)
    direct, pending, expired = repo.read_lists()
    # Logins without a direct grant or a pending invitation: their access, which confirms they exist.
    found = _reconcile.confirm_logins(gh, wanted, known=set(direct) | set(pending),
                                      lookup=lambda gh, login: repo.access(login))
    if planned is not None:
        planned.apply(repo, wanted, direct, pending, found)

    # The plan: every read and every check happen before the first write.
    change, update, add, organization_access, before, after = [], [], [], {}, {}, {}
    for key, entry in sorted(wanted.items()):
        role = entry.value
        if key in direct:
            name = direct[key].get("login") or entry.login
            legacy, have = legacy_of(direct[key].get("permissions")), role_of(direct[key])
            if same_role(have, role):
                continue
            lowering = covers(have, legacy, role)
            if lowering and (repo.organization_gives(name, have, legacy, many=True) or
                             team_gives(repo.team_access(name), have, legacy)):
                organization_access[name] = have  # the direct grant under it cannot be read
                continue
            change.append((entry, name, lowering))
            before[name], after[name] = have, role
        elif key in pending:
            name, offered = invitee(pending[key]), pending[key].get("permissions")
            if role not in RANK:
                custom_invitation_warning(gh, name, repo.name, pending[key], role)
            elif not same_role(offered, role):
                update.append((entry, name, pending[key]))
                before[name], after[name] = "%s (pending)" % offered, "%s (pending)" % role
        else:
            name, have, legacy = found[key]
            inherited = not same_role(have, "none")
            if inherited and covers(have, legacy, role):
                organization_access[name] = have  # "at least this access", through the organization
                continue
            add.append((entry, name, inherited, expired.get(key)))
            if inherited:
                before[name] = "%s (organization)" % have
            else:
                before[name] = "absent (invitation expired)" if key in expired else "absent"
    roles = repo.check_roles([(entry.where("permission"), entry.value) for entry, _name, _x in change] +
                             [(entry.where("permission"), entry.value) for entry, _name, _x, _y in add])

    remove, cancel, kept = [], [], []
    if gh.params["exclusive"]:
        unlisted_direct = [direct[key].get("login") for key in sorted(direct) if key not in wanted]
        unlisted_pending = [key for key in sorted(pending) if key not in wanted]
        if unlisted_direct or unlisted_pending:
            me = login_key(gh.authenticated_login())
            owners = repo.owners() if unlisted_direct else set()
            for login in unlisted_direct:
                # never the token's own user; an owner has admin on every repository
                (kept if login_key(login) in owners or login_key(login) == me else remove).append(login)
            for key in unlisted_pending:
                (kept if key == me else cancel).append(invitee(pending[key]))
        _reconcile.guard_removals(gh, remove, cancel)

    done = dict(added={}, invited={}, changed={}, removed=[], invitations_cancelled=[], invitations_resent=[])

    def plan(name, action, verb, old=None, new=None):
        return dict(kind="repo_collaborator", scope=repo.name, name=name, action=action, verb=verb, old=old, new=new)

    steps = []
    for entry, name, lowering in change:
        steps.append(_reconcile.Step("changed", name, grant(repo, name, roles.get(entry.value, entry.value),
                                                            lowering, after), entry,
                                     plan(name, "change", "role", before[name], entry.value)))
    for entry, name, invitation in update:
        path = "%s/invitations/%s" % (repo.path, invitation["id"])
        steps.append(_reconcile.write_step("changed", name, "PATCH", path, dict(permissions=entry.value), entry.value,
                                           entry, plan(name, "change", "update invitation",
                                                       invitation.get("permissions"), entry.value)))
    for login in remove:
        before[login], after[login] = role_of(direct[login_key(login)]), "absent"
        steps.append(_reconcile.write_step("removed", login, "DELETE", "%s/collaborators/%s" % (repo.path, login),
                                           plan=plan(login, "remove", "remove", before[login])))
    for name in cancel:
        invitation = pending[login_key(name)]
        before[name], after[name] = "%s (pending)" % invitation.get("permissions"), "absent"
        steps.append(_reconcile.write_step("invitations_cancelled", name, "DELETE",
                                           "%s/invitations/%s" % (repo.path, invitation["id"]),
                                           plan=plan(name, "remove", "cancel invitation",
                                                     invitation.get("permissions"))))
    for entry, name, inherited, old in add:
        steps.append(_reconcile.Step("added", name, give(repo, name, roles.get(entry.value, entry.value),
                                                         inherited, old, after, done), entry))

    def on_error(step, err):
        if step.entry is not None and step.kind in ("changed", "added") and err.status == 422:
            return ("%s: GitHub refused to give %s the role %r on %s: %s." % (
                step.entry.where("permission"), step.login, step.entry.value, repo.name, err), {})
        if err.status == 403 and not err.rate_limited:
            return "%s. Managing collaborators takes a token with admin rights on the repository." % err, {}
        return "%s." % err, {}

    _reconcile.apply(gh, steps, done, on_error)
    count = dict(direct=len(direct) - len(remove) + len(done["added"]),
                 pending=len(pending) - len(cancel) + len(done["invited"]))
    resent = set(entry.key for entry, _name, _inherited, old in add if old is not None)
    expired_report = [dict(login=invitee(invitation), permission=invitation.get("permissions"),
                           id=invitation.get("id"), resent=key in resent)
                      for key, invitation in sorted(expired.items())]
    return gh.result(changed=bool(steps), before=before, after=after, changes=done,
                     organization_access=organization_access, expired_invitations=expired_report, kept=kept,
                     collaborator_count=count)


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


def grant(repo, name, role, lowering, after):
    """The write that changes a direct collaborator's role; a lowered one is read back to warn about a team."""
    def send(gh):
        status, _data = gh.write("PUT", "%s/collaborators/%s" % (repo.path, name), body=put_body(role), expect=dict)
        if lowering and status is not None:
            now = repo.access(name, confirm_read=False)
            if now is not None and not same_role(now[1], role):
                after[name] = now[1]
                team_warning(gh, name, repo.name, role, now[1], repo.team_access(name))
        return role
    return send


def give(repo, name, role, inherited, expired, after, done):
    """The writes that give a listed login access: replace an expired invitation, then ``PUT``."""
    def send(gh):
        if expired is not None:  # it counts as absent; replace it
            try:
                gh.write("DELETE", "%s/invitations/%s" % (repo.path, expired["id"]))
            except GitHubAPIError as err:
                if err.status != 404:  # already gone
                    raise
        status, _data = gh.write("PUT", "%s/collaborators/%s" % (repo.path, name), body=put_body(role), expect=dict)
        if status is None:  # check mode: the answer GitHub would give
            granted = repo.would_grant_directly(name, inherited)
        else:
            granted = status != 201
        after[name] = role if granted else "%s (pending)" % role
        gh.action("repo_collaborator", repo.name, name, "add", "grant" if granted else "invite", new=role)
        if expired is not None:
            done["invitations_resent"].append(name)
        return ("added" if granted else "invited"), role
    return send
