# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to orgcode.github, not a public API: names and behaviour may change in any release.

"""Repository access, shared by the single-user and the list mode of github_repo_collaborator.

The role model (``RANK``, ``normalize_role``, ``covers``, ...) and ``Repository``, the one reader of a
repository's collaborators, invitations, organization and custom roles.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


from ansible_collections.orgcode.github.plugins.module_utils.github_client import GitHubAPIError
from ansible_collections.orgcode.github.plugins.module_utils.github_module import login_key
from ansible_collections.orgcode.github.plugins.module_utils._rules import (  # noqa: F401
    BUILT_IN, LEGACY, PUT_NAMES, RANK, REPO_RE, normalize_role, rank)


def same_role(one, two):
    return (one or "").lower() == (two or "").lower()


def covers(role, legacy, wanted):
    """True if having ``role`` means having at least ``wanted``."""
    if same_role(role, wanted):
        return True
    if wanted in RANK:
        have = rank(role, legacy)
        return have is not None and have >= RANK[wanted]
    return same_role(role, "admin")  # only admin is sure to include a custom role


def legacy_of(flags):
    flags = flags or {}
    for flag, legacy in (("admin", "admin"), ("push", "write"), ("pull", "read")):
        if flags.get(flag):
            return legacy
    return "none"


def role_of(entry):
    """A collaborators list entry's role: ``role_name``, else the highest of its ``permissions`` flags."""
    if entry.get("role_name"):
        return entry["role_name"]
    flags = entry.get("permissions") or {}
    for flag, role in (("admin", "admin"), ("maintain", "maintain"), ("push", "write"), ("triage", "triage"),
                       ("pull", "read")):
        if flags.get(flag):
            return role
    return "none"


def put_body(role):
    """The body of ``PUT .../collaborators/{username}`` for ``role``."""
    return dict(permission=PUT_NAMES.get(role, role))


def invitee(invitation):
    return (invitation.get("invitee") or {}).get("login")


def access(login, role, legacy=None, source=None, pending=False, invitation_id=None, teams=None):
    """The ``collaborator`` result; ``teams`` (``{slug: role}``) when the repository's teams were read."""
    role = role or "none"
    result = dict(username=login, role_name=role, permission=legacy or LEGACY.get(role.lower()), pending=pending)
    if pending and invitation_id is not None:
        result["invitation_id"] = invitation_id
    if source:
        result["source"] = source
    if teams is not None:
        result["teams"] = dict(teams)
    return result


def team_gives(teams, role, legacy=None):
    """True if one of ``teams`` (``{slug: role}``) gives at least ``role`` (``legacy``: its legacy level)."""
    have = rank(role, legacy)
    for team in (teams or {}).values():
        if same_role(team, role) or (have is not None and (rank(team) or 0) >= have):
            return True
    return False


def invited(login, invitation, custom=None):
    """The ``collaborator`` result for a pending invitation.

    GitHub shows an invitation's role as a built-in one; ``custom`` is the custom role just sent.
    """
    shown = invitation.get("permissions")
    return access(login, custom or shown, LEGACY.get((shown or "").lower()), "invitation", pending=True,
                  invitation_id=invitation.get("id"))


def active_membership(membership):
    return bool(membership) and membership.get("state") == "active"


def flags_of(role):
    """The ``permissions`` flags of a collaborators list entry with ``role`` (a custom role counts as read)."""
    level = rank(role) or (1 if role and role != "none" else 0)
    return dict(admin=level >= 5, maintain=level >= 4, push=level >= 3, triage=level >= 2, pull=level >= 1)


def team_names(teams):
    return ", ".join(sorted(teams))


def team_warning(gh, login, where, wanted, role, teams=None):
    """Warn that a lowered direct grant is still hidden under a higher role from another source.

    ``teams`` (``{slug: role}``, from the repository's teams API) names the teams that give it: later
    runs then find the access explained by them (``source=team``) and leave it. Without them (no team the
    API shows gives it) the direct grant cannot be told apart and every run sets it again.
    """
    giving = dict((slug, team) for slug, team in (teams or {}).items() if covers(team, None, role))
    if giving:
        gh.module.warn("%s's direct role on %s is now %s, but team(s) %s give them %s; GitHub shows only the "
                       "highest role, so later runs find the access through the team and leave it. Remove the "
                       "team's access (or %s's team membership) to lower it." % (
                           login, where, wanted, team_names(giving), role, login))
        return
    gh.module.warn("%s's direct role on %s is now %s, but they still have %s from another source; "
                   "GitHub's REST API cannot show the direct grant apart from it, so every run will set it "
                   "again. Remove the direct grant or the other access." % (login, where, wanted, role))


def custom_invitation_warning(gh, login, where, invitation, wanted):
    gh.module.warn("%s has a pending invitation to %s; GitHub shows its role only as %r and cannot set a custom "
                   "role on an invitation, so it was left as is. To invite with %r, cancel it and run "
                   "again." % (login, where, invitation.get("permissions"), wanted))


def read_lists(client, path):
    """``(direct, pending, expired)``: the direct collaborators and the invitations of the repository at ``path``
    (``/repos/{owner}/{repo}``), by login key.

    One list read each, 100 per page; an expired invitation is kept only when the login has no pending one. A
    repository GitHub does not know raises the 404 of its collaborator list.
    """
    direct, pending, expired = {}, {}, {}
    for user in client.iterate("%s/collaborators" % path, params=dict(affiliation="direct")):
        direct[login_key(user.get("login"))] = user
    for item in client.iterate("%s/invitations" % path):
        if invitee(item):
            (expired if item.get("expired") else pending).setdefault(login_key(invitee(item)), item)
    for key in pending:
        expired.pop(key, None)
    return direct, pending, expired


def read_access(client, path, login, confirm_read=True):
    """``(login as GitHub spells it, role_name, legacy permission)`` of ``login`` on the repository at ``path``
    from every source, or None when no user has the login.

    ``GET .../collaborators/{username}/permission``; with ``confirm_read`` a C(read) is confirmed with
    ``GET .../collaborators/{username}`` (GitHub reports read for everyone on a public repository).
    """
    try:
        _status, data, _response = client.request(
            "GET", "%s/collaborators/%s/permission" % (path, login), expect=dict)
    except GitHubAPIError as err:
        if err.status == 404:
            return None
        raise
    data = data or {}
    name = (data.get("user") or {}).get("login") or login
    role = data.get("role_name") or data.get("permission") or "none"
    legacy = data.get("permission")
    if confirm_read and same_role(role, "read") and not client.exists("%s/collaborators/%s" % (path, name)):
        role, legacy = "none", "none"
    return name, role, legacy


class Repository:
    """One repository (options ``owner`` and ``repo``) and every read about its access, each done once."""

    def __init__(self, gh):
        self.gh = gh
        self.owner = gh.login("owner")
        self.repo = (gh.params["repo"] or "").strip()
        if not REPO_RE.match(self.repo) or self.repo in (".", ".."):
            gh.fail("repo: %r is not a valid repository name (letters, digits, '.', '-' and '_', at most 100 "
                    "characters)" % gh.params["repo"])
        self.name = "%s/%s" % (self.owner, self.repo)
        self.path = "/repos/%s" % self.name
        self.ghes = gh.client.base_url.rstrip("/").endswith("/api/v3")
        self._org = self._owners = self._custom = self._teams = None
        self._org_read = self._custom_read = False

    def missing(self, err, username=None):
        """After a 404: fail naming the repository (or ``username``) GitHub does not know, else re-raise."""
        if err.status == 404:
            self.gh.require_found(owner=self.owner, repo=self.repo, username=username)
        raise err

    # -- one user ------------------------------------------------------------------------------------

    def access(self, login, confirm_read=True):
        """``(login as GitHub spells it, role_name, legacy permission)``, or None when no user has the login.

        ``GET .../collaborators/{username}/permission``; with ``confirm_read`` a C(read) is confirmed with
        ``GET .../collaborators/{username}`` (GitHub reports read for everyone on a public repository).
        """
        found = read_access(self.gh.client, self.path, login, confirm_read)
        if self.gh.client.enterprise_version:  # the answer told it
            self.ghes = True
        return found

    def direct(self, login):
        """``login``'s entry in the direct collaborators list, or None (reads up to the user's page)."""
        key = login_key(login)
        try:
            return self.gh.client.find("%s/collaborators" % self.path,
                                       lambda user: login_key(user.get("login")) == key,
                                       params=dict(affiliation="direct"))
        except GitHubAPIError as err:
            self.missing(err)

    def invitation(self, login):
        """``login``'s pending invitation, else an expired one, else None (stops at a pending one)."""
        key, expired = login_key(login), None
        try:
            for item in self.gh.client.iterate("%s/invitations" % self.path):
                if login_key(invitee(item)) != key:
                    continue
                if not item.get("expired"):
                    return item
                expired = expired or item
        except GitHubAPIError as err:
            self.missing(err)
        return expired

    def membership(self, login):
        return self.gh.client.get_or_none("/orgs/%s/memberships/%s" % (self.owner, login))

    # -- the whole lists -----------------------------------------------------------------------------

    def read_lists(self):
        """``(direct, pending, expired)`` of this repository (see :func:`read_lists`)."""
        try:
            return read_lists(self.gh.client, self.path)
        except GitHubAPIError as err:
            self.missing(err)

    # -- teams ---------------------------------------------------------------------------------------

    def teams(self):
        """``[(slug, role)]``: the teams with a grant on the repository, read once.

        ``GET /repos/{owner}/{repo}/teams``, 100 per page; a team the token cannot see is not listed, and a
        repository of a user account (404) has none.
        """
        if self._teams is None:
            self._teams = []
            try:
                for team in self.gh.client.iterate("%s/teams" % self.path):
                    role = normalize_role(team.get("role_name") or team.get("permission")) or role_of(team)
                    if team.get("slug") and role and role != "none":
                        self._teams.append((team["slug"], role))
            except GitHubAPIError as err:
                if err.status == 403 and not err.rate_limited:
                    self._teams_refused(err)
                elif err.status != 404:
                    raise
        return self._teams

    def _teams_refused(self, err):
        self._teams = []
        self.gh.module.warn("cannot read the teams with access to %s (%s); access through teams is reported as "
                            "access through the organization. Reading them takes the read:org scope (GitHub "
                            "App: the Members and Administration read permissions)." % (self.name, err))

    def team_access(self, login):
        """``{slug: role}``: the teams with a grant on the repository that ``login`` is an active member of.

        The repository's teams (read once) and one ``GET /orgs/{owner}/teams/{slug}/memberships/{login}``
        per team (a member of a child team is a member of its parent).
        """
        found = {}
        for slug, role in self.teams():
            try:
                membership = self.gh.client.get_or_none("/orgs/%s/teams/%s/memberships/%s" % (self.owner, slug, login))
            except GitHubAPIError as err:
                if err.status != 403 or err.rate_limited:
                    raise
                self._teams_refused(err)
                found = {}
                break
            if active_membership(membership):
                found[slug] = role
        return found

    # -- the organization ----------------------------------------------------------------------------

    def organization(self):
        """``GET /orgs/{owner}``, once; None when a user owns the repository."""
        if not self._org_read:
            self._org_read = True
            self._org = self.gh.client.get_or_none("/orgs/%s" % self.owner)
        return self._org

    def owners(self):
        """Login keys of the organization's owners, read once (100 per page); empty for a user's repository."""
        if self._owners is None:
            try:
                self._owners = set(login_key(user.get("login")) for user in
                                   self.gh.client.iterate("/orgs/%s/members" % self.owner, params=dict(role="admin")))
            except GitHubAPIError as err:
                if err.status != 404:
                    raise
                self._owners = set()  # owned by a user account: no organization
                self._org_read = True
        return self._owners

    def base_permission(self):
        """The organization's base permission."""
        return (self.organization() or {}).get("default_repository_permission")

    def organization_gives(self, login, role, legacy, many=False):
        """True if organization ownership or the base permission alone gives ``role`` to ``login``.

        ``many``: for a list, ownership is looked up in the owners list (read once for every login)
        rather than in the user's membership.
        """
        membership = None
        if many:
            if login_key(login) in self.owners():
                return True
        else:
            membership = self.membership(login)
            if not active_membership(membership):
                return False
            if membership.get("role") == "admin":
                return True
        base = self.base_permission()
        have = rank(role, legacy)
        if base not in RANK or have is None or RANK[base] < have:
            return False
        return active_membership(membership if membership is not None else self.membership(login))

    def would_grant_directly(self, login, inherited):
        """Check mode: would GitHub grant access directly (204) rather than invite (201)?"""
        if self.ghes:
            return True
        if inherited:
            return True
        try:
            return active_membership(self.membership(login))
        except GitHubAPIError:
            return False

    # -- roles ---------------------------------------------------------------------------------------

    def custom_roles(self):
        """The names of the owner's custom repository roles (read once); None when a user owns the repository.

        ``GET /orgs/{owner}/custom-repository-roles``; an organization without the feature has none.
        """
        if not self._custom_read:
            try:
                data = self.gh.client.get("/orgs/%s/custom-repository-roles" % self.owner)
                self._custom = [role.get("name") for role in data.get("custom_roles") or [] if role.get("name")]
            except GitHubAPIError as err:
                if err.status == 403 and not err.rate_limited:
                    self.gh.fail("permission: cannot check custom repository role names: GitHub refused to list "
                                 "the custom repository roles of %s (%s); the token needs admin rights on the "
                                 "repository and the repo or admin:org scope" % (self.owner, err),
                                 **err.to_result())
                if err.status != 404:
                    raise
                self._custom = [] if self.organization() is not None else None
            self._custom_read = True
        return self._custom

    def check_roles(self, wanted):
        """Fail before any write when a role of ``wanted`` (``[(option path, role)]``) does not exist here.

        Built-in roles cost nothing; any other name is looked up among the organization's custom
        repository roles (one request), and a repository owned by a user accepts only built-in roles.
        Returns ``{name as written: name as GitHub spells it}`` for the custom names.
        """
        custom = [(where, role) for where, role in wanted if role not in RANK]
        if not custom:
            return {}
        names = self.custom_roles()
        known = dict((name.lower(), name) for name in names or [])
        bad = [(where, role) for where, role in custom if role.lower() not in known]
        if bad:
            listed = "; ".join("%s: %r" % item for item in bad)
            if names is None:
                self.gh.fail("%s: not a built-in role (%s); %s belongs to a user account, whose repositories "
                             "accept only the built-in roles" % (listed, BUILT_IN, self.name))
            self.gh.fail("%s: neither a built-in role (%s) nor a custom repository role of organization %s "
                         "(%s)" % (listed, BUILT_IN, self.owner,
                                   "its custom roles: " + ", ".join(sorted(names)) if names else "it has none"),
                         valid_roles=BUILT_IN.split(", ") + sorted(names))
        return dict((role, known[role.lower()]) for _where, role in custom)
