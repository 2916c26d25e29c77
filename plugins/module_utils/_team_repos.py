# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to orgcode.github, not a public API: names and behaviour may change in any release.

"""github_team_repository: a team's role on one repository (``repo``) or the team's whole repository
list (``repositories``), through ``/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}``.

Roles are the collaborator module's (``_repository``: built-in ``pull``/``triage``/``push``/``maintain``/
``admin`` or a custom repository role of the organization, checked by ``check_roles`` before any write).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.orgcode.github.plugins.module_utils import _reconcile
from ansible_collections.orgcode.github.plugins.module_utils._repository import (
    BUILT_IN,
    RANK,
    REPO_RE,
    Repository,
    normalize_role,
    put_body,
    role_of,
    same_role,
)
from ansible_collections.orgcode.github.plugins.module_utils._teams import (
    planned_new_team, require_team, team_path, team_slug)
from ansible_collections.orgcode.github.plugins.module_utils.github_client import GitHubAPIError

REPOSITORY_MEDIA = "application/vnd.github.v3.repository+json"


class OrgRoles(Repository):
    """The organization's role names, for ``check_roles`` (``Repository``'s, without one repository)."""

    def __init__(self, gh, org):  # pylint: disable=super-init-not-called
        self.gh = gh
        self.owner = org
        self.repo = None
        self.name = org
        self.path = None
        self.ghes = gh.client.base_url.rstrip("/").endswith("/api/v3")
        self._org = self._owners = self._custom = None
        self._org_read = self._custom_read = False


def repo_name(gh, org, where, raw):
    """A repository of the organization: ``name`` or ``org/name``; a failure names ``where``."""
    name = (raw or "").strip()
    if "/" in name:
        owner, name = name.split("/", 1)
        if owner.strip().lower() != org.lower():
            gh.fail("%s: %r is not a repository of organization %s; a team gets access only to its "
                    "organization's repositories" % (where, raw, org))
    if not REPO_RE.match(name) or name in (".", ".."):
        gh.fail("%s: %r is not a valid repository name (letters, digits, '.', '-' and '_', at most 100 "
                "characters)" % (where, raw))
    return name


def wanted_role(gh, where, raw):
    role = normalize_role(raw) if isinstance(raw, str) else ""
    if not role:
        gh.fail("%s: must be %s or a custom repository role name, got %r" % (where, BUILT_IN, raw))
    return role


def shown(role):
    """A role as the diff shows it (``pull``/``push`` as ``read``/``write``)."""
    return normalize_role(role) if role else "none"


def manage(gh):
    _reconcile.check_options(gh, "repositories")
    org = gh.login("org")
    slug = team_slug(gh, "team")
    try:
        if gh.params["repositories"] is not None:
            return manage_list(gh, org, slug)
        name = repo_name(gh, org, "repo", gh.params["repo"])
        if gh.params["state"] == "absent":
            return absent(gh, org, slug, name)
        return present(gh, org, slug, name, wanted_role(gh, "permission", gh.params["permission"]))
    except GitHubAPIError as err:
        if err.status != 403 or err.rate_limited:
            raise
        gh.fail("%s. Managing a team's repositories takes a token with admin rights on the repository that can "
                "see the team (classic tokens: the repo and admin:org scopes)" % err, **err.to_result())


def access_path(org, slug, name):
    return "%s/repos/%s/%s" % (team_path(org, slug), org, name)


def read_access(gh, org, slug, name):
    """The team's role on the repository (including what a parent team gives), or None; a 404 for an
    unknown team fails naming it."""
    try:
        _status, data, _response = gh.client.request("GET", access_path(org, slug, name), expect=dict,
                                                     accept=REPOSITORY_MEDIA)
    except GitHubAPIError as err:
        if err.status != 404:
            raise
        if not planned_new_team(gh, org, slug):  # check mode: a team an earlier task creates has no repository
            require_team(gh, org, slug)
        return None
    return role_of(data) if data else "unknown"  # a server that ignored the media type answered 204


def summary(name, role):
    return dict(repository=name, role_name=shown(role)) if role else dict(repository=name, state="absent")


def present(gh, org, slug, name, role):
    current = read_access(gh, org, slug, name)
    if current is not None and same_role(current, role):
        return gh.result(changed=False, before=summary(name, current), after=summary(name, current),
                         repository=dict(name=name, role_name=current))
    if current is None and gh.client.get_or_none("/repos/%s/%s" % (org, name)) is None:
        gh.fail("repo: repository %s/%s was not found, or the token cannot see it" % (org, name))
    role = OrgRoles(gh, org).check_roles([("permission", role)]).get(role, role)
    try:
        gh.write("PUT", access_path(org, slug, name), body=put_body(role), expect=dict)
    except GitHubAPIError as err:
        if err.status == 422:
            gh.fail("permission: GitHub refused to give team %s the role %r on %s/%s: %s" % (
                slug, role, org, name, err), **err.to_result())
        raise
    gh.action("team_repository", "%s/%s" % (org, slug), name, "change" if current else "add",
              "role" if current else "grant", old=shown(current) if current else None, new=shown(role))
    return gh.result(changed=True, before=summary(name, current), after=summary(name, role),
                     repository=dict(name=name, role_name=shown(role)))


def absent(gh, org, slug, name):
    current = read_access(gh, org, slug, name)
    if current is None:
        return gh.result(changed=False, before=summary(name, None), after=summary(name, None), repository={})

    def is_it(repo):
        owner = ((repo.get("owner") or {}).get("login") or "").lower()
        return owner == org.lower() and (repo.get("name") or "").lower() == name.lower()

    own = gh.client.find("%s/repos" % team_path(org, slug), is_it)
    if own is None:  # the access comes from a parent team: removing the team's own grant would change nothing
        gh.module.warn("team %s has %s on %s/%s through its parent team, not a grant of its own; nothing was removed. "
                       "Remove the parent team's access, or move the team." % (slug, shown(current), org, name))
        return gh.result(changed=False, before=summary(name, current), after=summary(name, current),
                         repository=dict(name=name, role_name=shown(current)), inherited=True)
    gh.write("DELETE", access_path(org, slug, name))
    gh.action("team_repository", "%s/%s" % (org, slug), name, "remove", "revoke", old=shown(current))
    return gh.result(changed=True, before=summary(name, current), after=summary(name, None), repository={})


# -- the whole list ----------------------------------------------------------------------------------

def entries(gh, org):
    """``{name key: Entry}`` of ``repositories``, checked without a request (first position kept)."""
    wanted = {}
    for index, item in enumerate(gh.params["repositories"] or []):
        where = "repositories[%d]" % index
        name = repo_name(gh, org, where + ".name", item.get("name"))
        entry = _reconcile.Entry("repositories", index, name,
                                 wanted_role(gh, where + ".permission", item.get("permission")))
        first = wanted.setdefault(entry.key, entry)
        if first is not entry and not same_role(first.value, entry.value):
            gh.fail("%s.name: %s is listed twice with different permissions (%s at %s, %s at %s.permission)" % (
                where, name, first.value, first.where("permission"), entry.value, where))
    return wanted


def read_list(gh, org, slug):
    """``{name key: (name, role)}``: the team's own repository grants (not those of a parent team)."""
    current = {}
    try:
        for repo in gh.client.iterate("%s/repos" % team_path(org, slug)):
            owner = ((repo.get("owner") or {}).get("login") or "").lower()
            if owner == org.lower():
                current[repo["name"].lower()] = (repo["name"], role_of(repo))
    except GitHubAPIError as err:
        if err.status == 404:
            if planned_new_team(gh, org, slug):
                return {}  # check mode, the team created by an earlier task of this run: no repository yet
            require_team(gh, org, slug)
        raise
    return current


def manage_list(gh, org, slug):
    """Reconcile the team's whole repository list (authoritative mode)."""
    wanted = entries(gh, org)
    current = read_list(gh, org, slug)
    unknown = [entry for entry in sorted(wanted.values(), key=lambda e: e.index)
               if entry.key not in current and gh.client.get_or_none("/repos/%s/%s" % (org, entry.login)) is None]
    if unknown:
        gh.fail("repositories: organization %s has no repository %s, or the token cannot see it; nothing was "
                "changed" % (org, ", ".join("%s (%s)" % (e.login, e.where("name")) for e in unknown)),
                unknown_repositories=[e.login for e in unknown])
    add, changed, unlisted = _reconcile.compare(current, wanted,
                                                lambda have, entry: same_role(have[1], entry.value))
    grant, change = [wanted[key] for key in add], [wanted[key] for key in changed]
    roles = OrgRoles(gh, org).check_roles([(entry.where("permission"), entry.value) for entry in grant + change
                                           if entry.value not in RANK])
    remove = []
    if gh.params["exclusive"]:
        remove = [current[key][0] for key in unlisted]
        _reconcile.guard_removals(gh, remove, [])

    scope = "%s/%s" % (org, slug)

    def plan(name, action, verb, old=None, new=None):
        return dict(kind="team_repository", scope=scope, name=name, action=action, verb=verb, old=old, new=new)

    before, after, steps = {}, {}, []
    for entry in change:
        name, role = current[entry.key][0], roles.get(entry.value, entry.value)
        before[name], after[name] = shown(current[entry.key][1]), shown(role)
        steps.append(_reconcile.write_step("changed", name, "PUT", access_path(org, slug, name), put_body(role),
                                           shown(role), entry, plan(name, "change", "role", before[name],
                                                                    shown(role))))
    for name in remove:
        before[name], after[name] = shown(current[name.lower()][1]), "absent"
        steps.append(_reconcile.write_step("removed", name, "DELETE", access_path(org, slug, name),
                                           plan=plan(name, "remove", "revoke", before[name])))
    for entry in grant:
        role = roles.get(entry.value, entry.value)
        before[entry.login], after[entry.login] = "absent", shown(role)
        steps.append(_reconcile.write_step("added", entry.login, "PUT", access_path(org, slug, entry.login),
                                           put_body(role), shown(role), entry,
                                           plan(entry.login, "add", "grant", new=shown(role))))

    def on_error(step, err):
        if step.entry is not None and err.status == 422:
            return ("%s: GitHub refused to give team %s the role %r on %s/%s: %s." % (
                step.entry.where("permission"), slug, step.entry.value, org, step.login, err), {})
        if err.status == 403 and not err.rate_limited:
            return ("%s. Managing a team's repositories takes a token with admin rights on the repositories" % err,
                    {})
        return "%s." % err, {}

    done = dict(added={}, changed={}, removed=[])
    _reconcile.apply(gh, steps, done, on_error)
    return gh.result(changed=bool(steps), before=before, after=after, changes=done,
                     repository_count=len(current) - len(remove) + len(done["added"]))
