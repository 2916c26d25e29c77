# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to orgcode.github, not a public API: it may change at any time.
# Do not use it from other collections or from your own modules.

"""github_org_info: read-only facts about an organization, each part read once, 100 per page."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.orgcode.github.plugins.module_utils._hooks import describe, read_hooks
from ansible_collections.orgcode.github.plugins.module_utils._repository import (
    PUT_NAMES, normalize_role, read_lists, role_of)
from ansible_collections.orgcode.github.plugins.module_utils.github_client import GitHubAPIError
from ansible_collections.orgcode.github.plugins.module_utils.github_module import login_key

PARTS = ("settings", "members", "invitations", "outside_collaborators", "hooks", "teams", "repositories")
# Gathered when gather is not given: every part but teams, which costs 3 requests per team (an organization
# with 200 teams would add 601 requests to every run that only wants the members).
DEFAULT = ("settings", "members", "invitations", "outside_collaborators", "hooks")
FILTERS = ("all", "2fa_disabled", "2fa_insecure")


def _by_login(item):
    login = item.get("login")
    return (login is None, login_key(login), item.get("id") or 0)


def _user(user, **extra):
    entry = dict(login=user.get("login"), id=user.get("id"), type=user.get("type"))
    entry.update(extra)
    return entry


def _filter_params(gh):
    flt = gh.params.get("filter") or "all"  # github_org_config has no filter option
    return {} if flt == "all" else dict(filter=flt)


def _gathering(gh, part, err, params=None):
    """The failure for ``err`` met while gathering ``part`` (raises itself for a missing organization)."""
    if err.not_found:
        gh.require_found(org=gh.params["org"])
    if err.status == 422 and params and params.get("filter"):
        return gh.failure("filter: GitHub refused filter=%s while reading %s (%s). Only organization owners may "
                          "filter by two-factor authentication." % (params["filter"], part, err.message),
                          **err.to_result())
    if err.status in (401, 403, 404):
        return gh.failure("gather %s: %s" % (part, err), **err.to_result())
    return err


def _list(gh, part, path, params=None):
    """A paginated list; failures say which part was being gathered."""
    try:
        return gh.client.paginate(path, params=params)
    except GitHubAPIError as err:
        raise _gathering(gh, part, err, params)


def gather_settings(gh, org):
    settings = gh.client.get_or_none("/orgs/%s" % org)
    if settings is None:
        raise gh.failure("org: organization %r was not found, or the token cannot see it" % org)
    return settings


def gather_members(gh, org):
    members = []
    for role in ("admin", "member"):
        params = dict(_filter_params(gh), role=role)
        members.extend(_user(u, role=role) for u in _list(gh, "members", "/orgs/%s/members" % org, params))
    return sorted(members, key=_by_login)


def _invitation(inv, status):
    return dict(
        id=inv.get("id"),
        login=inv.get("login"),
        email=inv.get("email"),
        role=inv.get("role"),
        status=status,
        expired=status == "expired",
        created_at=inv.get("created_at"),
        failed_at=inv.get("failed_at"),
        failed_reason=inv.get("failed_reason"),
        inviter=(inv.get("inviter") or {}).get("login"),
    )


def gather_invitations(gh, org):
    pending = [_invitation(inv, "pending") for inv in _list(gh, "invitations", "/orgs/%s/invitations" % org)]
    failed = []
    for inv in _list(gh, "invitations", "/orgs/%s/failed_invitations" % org):
        expired = "expire" in (inv.get("failed_reason") or "").lower()
        failed.append(_invitation(inv, "expired" if expired else "failed"))
    return sorted(pending, key=_by_login) + sorted(failed, key=_by_login)


def gather_outside_collaborators(gh, org):
    users = _list(gh, "outside_collaborators", "/orgs/%s/outside_collaborators" % org, _filter_params(gh))
    return sorted((_user(u) for u in users), key=_by_login)


def gather_hooks(gh, org):
    """The hooks as github_org_hook describes them (never a secret, URL credentials redacted), events sorted,
    without the raw config."""
    try:
        raw = read_hooks(gh, org)
    except GitHubAPIError as err:
        raise _gathering(gh, "hooks", err)
    hooks = []
    for hook in raw:
        view = describe(hook)
        view.pop("config")
        view.update(name=hook.get("name"), events=sorted(view["events"]),
                    content_type=(hook.get("config") or {}).get("content_type"))
        hooks.append(view)
    return sorted(hooks, key=lambda h: h["id"] or 0)


def _slug_key(team):
    return ((team.get("slug") or "").lower(), team.get("id") or 0)


def _team_members(gh, org, slug):
    """``{login key: (login, role)}`` as GitHub lists the team's members: 2 requests (``role=maintainer``
    and ``role=member``) plus one per further 100. GitHub includes the members of child teams and shows an
    organization owner as ``maintainer``."""
    shown = {}
    for role in ("maintainer", "member"):
        for user in _list(gh, "teams", "/orgs/%s/teams/%s/members" % (org, slug), dict(role=role)):
            shown.setdefault(login_key(user.get("login")), (user.get("login"), role))
    return shown


def _team_repositories(gh, org, slug):
    repos = []
    for repo in _list(gh, "teams", "/orgs/%s/teams/%s/repos" % (org, slug)):
        owner = (repo.get("owner") or {}).get("login") or ""
        name = repo.get("name") if login_key(owner) == login_key(org) else repo.get("full_name")
        role = normalize_role(role_of(repo))
        repos.append(dict(name=name, role_name=role, permission=PUT_NAMES.get(role, role)))
    return sorted(repos, key=lambda r: ((r["name"] or "").lower(), r["name"] or ""))


def gather_teams(gh, org):
    """Every team the token can see, sorted by slug, with its parent, members and repositories.

    ``GET /orgs/{org}/teams`` then, per team, its maintainers, its members and its repositories: 1 + 3 per
    team (plus one per further 100 of any list). A team's member list includes the members of its child
    teams and the REST API cannot show a direct membership apart from one through a child team: a login the
    team shows that none of its child teams shows is a direct member (``members``); one a child team shows
    too is in ``child_team_members`` (through the child team, perhaps directly as well)."""
    listed = sorted(_list(gh, "teams", "/orgs/%s/teams" % org), key=_slug_key)
    shown = {}
    for team in listed:
        shown[team.get("slug")] = _team_members(gh, org, team.get("slug"))
    children = {}
    for team in listed:
        parent = (team.get("parent") or {}).get("slug")
        if parent:
            children.setdefault(parent, []).append(team.get("slug"))
    teams = []
    for team in listed:
        slug = team.get("slug")
        via = {}
        for child in sorted(children.get(slug, [])):
            for key in shown.get(child, {}):
                via.setdefault(key, []).append(child)
        direct, inherited = [], []
        for key, (login, role) in shown[slug].items():
            if key in via:
                inherited.append(dict(login=login, role=role, child_teams=via[key]))
            else:
                direct.append(dict(login=login, role=role))
        teams.append(dict(
            slug=slug,
            name=team.get("name"),
            id=team.get("id"),
            description=team.get("description"),
            privacy=team.get("privacy"),
            notification_setting=team.get("notification_setting"),
            parent=(team.get("parent") or {}).get("slug"),
            child_teams=sorted(children.get(slug, [])),
            members=sorted(direct, key=_by_login),
            child_team_members=sorted(inherited, key=_by_login),
            maintainers=sorted((login for login, role in shown[slug].values() if role == "maintainer"),
                               key=lambda login: (login_key(login), login)),
            repositories=_team_repositories(gh, org, slug),
        ))
    return teams


def repository_names(gh, org):
    """The names of every repository of ``org`` (``GET /orgs/{org}/repos?type=all``, one request per 100)."""
    return [r["name"] for r in _list(gh, "repositories", "/orgs/%s/repos" % org, dict(type="all"))]


def gather_repositories(gh, org, names=None):
    """Each repository's direct collaborators (with their role) and invitations: two reads per repository (one
    more per further 100 of either); ``names`` None: every repository of the organization. Sorted by name."""
    if names is None:
        names = repository_names(gh, org)
    found = []
    for name in sorted(dict.fromkeys(n.split("/")[-1] for n in names), key=lambda n: (n.lower(), n)):
        try:
            direct, pending, expired = read_lists(gh.client, "/repos/%s/%s" % (org, name))
        except GitHubAPIError as err:
            if err.status == 404:
                raise gh.failure("repositories: repository %s/%s was not found, or the token cannot see it (%s)"
                                 % (org, name, err), **err.to_result())
            raise _gathering(gh, "repositories", err)
        collaborators = []
        for user in direct.values():
            role = normalize_role(role_of(user))
            collaborators.append(dict(login=user.get("login"), role_name=role, permission=PUT_NAMES.get(role, role)))
        invitations = []
        for inv in list(pending.values()) + list(expired.values()):
            login = (inv.get("invitee") or {}).get("login")
            invitations.append(dict(id=inv.get("id"), login=login, permissions=inv.get("permissions"),
                                    expired=bool(inv.get("expired")), created_at=inv.get("created_at")))
        found.append(dict(name=name, collaborators=sorted(collaborators, key=_by_login),
                          invitations=sorted(invitations, key=lambda i: ((i["login"] or "").lower(), i["id"] or 0))))
    return found


GATHERERS = dict(
    settings=gather_settings,
    members=gather_members,
    invitations=gather_invitations,
    outside_collaborators=gather_outside_collaborators,
    hooks=gather_hooks,
    teams=gather_teams,
    repositories=lambda gh, org: gather_repositories(gh, org, gh.params.get("repositories") or None),
)


def unavailable(gh, part):
    """Why the server cannot give ``part``, or None. Known from the answers so far (or the API root): no request."""
    if part == "invitations" and gh.client.enterprise_server:
        return ("%s has no organization invitation endpoints (GET /orgs/{org}/invitations and "
                "/orgs/{org}/failed_invitations)" % gh.client.describe_server())
    return None


def manage(gh):
    if not gh.params["gather"]:
        raise gh.failure("gather: name at least one of %s" % ", ".join(PARTS))
    org = gh.login("org")
    parts = list(dict.fromkeys(gh.params["gather"]))  # order kept, duplicates dropped
    result = dict(organization=org, gathered=parts, filter=gh.params["filter"], skipped_parts={})
    for part in PARTS:  # a fixed order: settings first, so a wrong org fails with its clearest message
        if part not in parts:
            continue
        reason = unavailable(gh, part)
        if reason:
            result["skipped_parts"][part] = reason
            if list(gh.params["gather"]) != list(DEFAULT):  # asked for by name, not only through the default
                gh.module.warn("gather %s: skipped, %s" % (part, reason))
        else:
            result[part] = GATHERERS[part](gh, org)
    result["gathered"] = [part for part in parts if part not in result["skipped_parts"]]
    if "settings" in result:
        result["organization"] = result["settings"].get("login") or org
    return dict(result, changed=False)
