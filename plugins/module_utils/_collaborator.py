# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to orgcode.github, not a public API: names and behaviour may change in any release.

"""One user's access to a repository (github_repo_collaborator with ``username``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.orgcode.github.plugins.module_utils import _reconcile
from ansible_collections.orgcode.github.plugins.module_utils._repository import (
    BUILT_IN,
    LEGACY,
    RANK,
    Repository,
    access,
    covers,
    custom_invitation_warning,
    invited,
    invitee,
    legacy_of,
    normalize_role,
    put_body,
    same_role,
    team_gives,
    team_warning,
)
from ansible_collections.orgcode.github.plugins.module_utils.github_client import GitHubAPIError


def summary(collaborator, login=None, expired=None):
    """What the diff shows."""
    if not collaborator:
        shown = dict(state="absent")
        if login:
            shown["username"] = login
        if expired is not None:
            shown["invitation"] = "expired (id %s)" % expired.get("id")
        return shown
    shown = dict(username=collaborator["username"], state="pending" if collaborator["pending"] else "present",
                 role_name=collaborator["role_name"])
    if collaborator.get("source"):
        shown["source"] = collaborator["source"]
    if collaborator.get("teams"):
        shown["teams"] = collaborator["teams"]
    return shown


def unchanged(gh, current):
    return gh.result(changed=False, before=summary(current), after=summary(current), collaborator=current)


def manage(gh):
    """``state=present`` or ``absent`` for one user; a 403 says what the token lacks."""
    _reconcile.check_options(gh, "collaborators")
    repo = Repository(gh)
    username = gh.login("username")
    permission = gh.params["permission"]
    wanted = normalize_role("push" if permission is None else permission)
    if not wanted:
        gh.fail("permission: must be %s or a custom repository role name" % BUILT_IN)
    try:
        if gh.params["state"] == "absent":
            return absent(gh, repo, username)
        return present(gh, repo, username, wanted)
    except GitHubAPIError as err:
        if err.status != 403 or err.rate_limited:
            raise
        gh.fail("%s: GitHub refused access (HTTP 403); managing collaborators takes a token with admin rights "
                "on the repository. %s" % (repo.name, err), **err.to_result())


def put_grant(gh, repo, login, wanted, before, inherited=False, lowering=False):
    """``PUT .../collaborators/{username}``; the access the server's answer gives."""
    wanted = repo.check_roles([("permission", wanted)]).get(wanted, wanted)
    try:
        status, data = gh.write("PUT", "%s/collaborators/%s" % (repo.path, login), body=put_body(wanted),
                                expect=dict)
    except GitHubAPIError as err:
        if err.status == 422:
            gh.fail("permission: GitHub refused to give %s the role %r on %s: %s" % (
                login, gh.params["permission"], repo.name, err), **err.to_result())
        raise
    if status is None:  # check mode: the answer GitHub would give
        if before.get("source") == "direct" or repo.would_grant_directly(login, inherited):
            after = access(login, wanted, LEGACY.get(wanted), "direct")
        else:
            after = access(login, wanted, LEGACY.get(wanted), "invitation", pending=True)
    elif status == 201 and isinstance(data, dict):
        after = invited(login, data, custom=wanted if wanted not in RANK else None)
    else:  # 204: the access is granted; read what it is now
        _name, role, legacy = repo.access(login, confirm_read=False) or (login, "none", "none")
        after = access(login, role, legacy, "direct")
        if lowering and not same_role(role, wanted):
            teams = repo.team_access(login)
            if team_gives(teams, role):
                after = access(login, role, legacy, "team", teams=teams)
            team_warning(gh, login, repo.name, wanted, role, teams)
    verb = "invite" if after.get("pending") else "grant"
    if before.get("source") == "direct":
        gh.action("repo_collaborator", repo.name, login, "change", "role", old=before.get("role_name"), new=wanted)
    else:
        gh.action("repo_collaborator", repo.name, login, "add", verb, new=wanted)
    return gh.result(changed=True, before=before, after=summary(after), collaborator=after)


def present(gh, repo, username, wanted):
    found = repo.access(username)
    if found is None:
        gh.require_found(owner=repo.owner, repo=repo.repo, username=username)
        gh.fail("username: GitHub does not know %r on %s" % (username, repo.name))
    login, role, legacy = found
    if same_role(role, wanted):
        return unchanged(gh, access(login, role, legacy))

    direct = repo.direct(login) if role != "none" else None
    if direct is not None:
        current = access(login, role, legacy, "direct")
        lowering = covers(role, legacy, wanted)
        if lowering and repo.organization_gives(login, role, legacy):
            # The organization alone gives this role: the direct grant under it cannot be read.
            current["source"] = "organization"
            return unchanged(gh, current)
        if lowering:
            teams = repo.team_access(login)
            if team_gives(teams, role, legacy):
                # A team gives this role (the teams API shows it): the direct grant under it cannot be read.
                return unchanged(gh, access(login, role, legacy, "team", teams=teams))
        return put_grant(gh, repo, login, wanted, summary(current), lowering=lowering)

    inherited = role != "none"
    if inherited and covers(role, legacy, wanted):
        # "At least this access": a team (as the teams API shows it) or the organization (ownership, base
        # permission, or a team the token cannot see) gives it.
        teams = repo.team_access(login)
        return unchanged(gh, access(login, role, legacy, "team" if team_gives(teams, role, legacy) else "organization",
                                    teams=teams))

    invitation = repo.invitation(login)
    if invitation is not None and not invitation.get("expired"):
        current = invited(login, invitation)
        if wanted not in RANK:
            custom_invitation_warning(gh, login, repo.name, invitation, wanted)
            return unchanged(gh, current)
        if same_role(invitation.get("permissions"), wanted):
            return unchanged(gh, current)
        status, updated = gh.write("PATCH", "%s/invitations/%s" % (repo.path, invitation["id"]),
                                   body=dict(permissions=wanted), expect=dict)
        after = invited(login, updated if isinstance(updated, dict) else dict(invitation, permissions=wanted))
        gh.action("repo_collaborator", repo.name, login, "change", "update invitation",
                  old=invitation.get("permissions"), new=wanted)
        return gh.result(changed=True, before=summary(current), after=summary(after), collaborator=after)

    if inherited:
        before = summary(access(login, role, legacy, "organization"))
    else:
        before = summary(None, login, expired=invitation)
    if invitation is not None:  # expired: it counts as absent; replace it (once the role is known good)
        repo.check_roles([("permission", wanted)])
        gh.write("DELETE", "%s/invitations/%s" % (repo.path, invitation["id"]))
    return put_grant(gh, repo, login, wanted, before, inherited=inherited)


def absent(gh, repo, username):
    direct = repo.direct(username)
    if direct is not None:
        login = direct.get("login") or username
        current = access(login, direct.get("role_name"), legacy_of(direct.get("permissions")), "direct")
        gh.write("DELETE", "%s/collaborators/%s" % (repo.path, login))
        gh.action("repo_collaborator", repo.name, login, "remove", "remove", old=current.get("role_name"))
        return gh.result(changed=True, before=summary(current), after=summary(None, login), collaborator={})
    invitation = repo.invitation(username)
    if invitation is not None and not invitation.get("expired"):
        login = invitee(invitation) or username
        gh.write("DELETE", "%s/invitations/%s" % (repo.path, invitation["id"]))
        gh.action("repo_collaborator", repo.name, login, "remove", "cancel invitation",
                  old=invitation.get("permissions"))
        return gh.result(changed=True, before=summary(invited(login, invitation)), after=summary(None, login),
                         collaborator={})
    # An expired invitation counts as absent already.
    return gh.result(changed=False, before=summary(None), after=summary(None), collaborator={})
