#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: github_repo_collaborator
short_description: Manage a user's access to a GitHub repository, invitations included
version_added: 0.1.0
description:
  - Gives a user access to a repository with a role, changes the role, or removes the access, through
    C(/repos/{owner}/{repo}/collaborators/{username}) and C(/repos/{owner}/{repo}/invitations).
  - On github.com and GHE.com a user outside the organization gets an invitation (HTTP 201) and has
    access once they accept it. A pending invitation counts as present; a different O(permission)
    updates it in place (C(PATCH .../invitations/{id})), never by a second invitation. An expired
    invitation counts as absent and is replaced (the expired one is deleted, then a new one is sent).
  - An organization member, and any user on GitHub Enterprise Server, gets access directly (HTTP 204,
    no invitation). The module follows the server's answer.
  - An existing collaborator whose role differs is changed in place with the same C(PUT), never
    removed and re-added.
  - Current access is read from C(GET .../collaborators/{username}/permission) (C(role_name), the
    highest role from every source, and the legacy C(permission)); the direct collaborators list
    (C(affiliation=direct)) and the invitation list are read only when needed to tell a direct
    grant or a pending invitation from access through the organization.
  - "Request costs: an unchanged run costs 1 request when the user's C(role_name) already equals
    O(permission) (2 for O(permission=pull), see the notes). Otherwise the module also reads the
    direct collaborators list, 100 per page, up to the page holding the user (skipped when the user
    has no access at all), then, for a user without a direct grant and without enough access, the
    invitation list up to the page holding the invitation. Lowering an organization member's direct
    grant also reads the membership and the organization (2 requests). A change adds its write and,
    after a direct grant, one read of the resulting role. In check mode, predicting whether GitHub
    would invite or grant directly may cost one membership read."
  - O(state=absent) reads the direct collaborators list (up to the user's page) and, when the user is
    not there, the invitation list; it removes the direct grant or cancels the pending invitation.
  - Needs a token with admin rights on the repository (classic tokens need the C(repo) scope and, to
    read memberships, C(read:org)).
author:
  - orgcode.github maintainers (@orgcode)
extends_documentation_fragment:
  - orgcode.github.github
  - orgcode.github.github.attributes
options:
  owner:
    description: Login of the organization (or user) that owns the repository.
    type: str
    required: true
    aliases: [org]
  repo:
    description: Name of the repository. Not case-sensitive.
    type: str
    required: true
  username:
    description:
      - Login of the user. Compared case-insensitively; a leading C(@) is ignored.
    type: str
    required: true
  permission:
    description:
      - The role to give, C(pull), C(triage), C(push), C(maintain) or C(admin), or the name of a custom
        repository role of the organization.
      - C(read) and C(write), the names GitHub's C(role_name) uses, are accepted for C(pull) and C(push).
      - With O(state=present) it means "at least this access", see the notes.
    type: str
    default: push
  state:
    description:
      - C(present) gives the user (at least) O(permission), inviting them where GitHub requires it.
      - C(absent) removes the user's direct access, or cancels their pending invitation. Access through
        organization ownership, the base permission or teams is not touched (manage it with
        M(orgcode.github.github_org_membership)).
    type: str
    choices: [present, absent]
    default: present
notes:
  - "Access through the organization: GitHub's C(role_name) is the highest role from every source
    (direct grant, teams, base permission, organization ownership) and the REST API cannot tell them
    apart. O(state=present) therefore means the user has at least O(permission): a user without a
    direct grant whose role already reaches it through the organization (an owner, the base
    permission or a team) is left unchanged, with C(collaborator.source=organization); one whose role
    is lower gets a direct grant. A direct grant that differs from O(permission) is set to it."
  - "A direct grant hidden behind a higher organization role (an owner, or a base permission at least
    as high as the role) cannot be read; it is left as is and the run is unchanged. If a team gives a
    member more than their direct grant, lowering the direct grant cannot be verified either: the
    module sets it, warns, and will set it again on later runs; remove one of the two grants."
  - "GitHub's permission endpoint reports C(read) for everyone on a public repository, so a C(read)
    role is confirmed with C(GET .../collaborators/{username}) (one request) before it counts."
  - A pending invitation for a custom role shows only GitHub's base role, and invitations can only be
    updated to C(read), C(triage), C(write), C(maintain) or C(admin). With a custom O(permission) a
    pending invitation is therefore kept as is, with a warning.
  - GitHub refuses (HTTP 422) to give an organization member less than the organization's base
    permission, and a custom role the organization does not have; the module fails naming
    O(permission). Check mode cannot foresee those refusals.
  - On a repository owned by a user account GitHub ignores O(permission) and grants C(push).
seealso:
  - module: orgcode.github.github_outside_collaborator
  - module: orgcode.github.github_org_membership
'''

EXAMPLES = r'''
- name: Invite a contractor to one repository with write access
  orgcode.github.github_repo_collaborator:
    owner: acme
    repo: widgets
    username: contractor-carl
    permission: push

- name: Give the release manager maintain on the repository
  orgcode.github.github_repo_collaborator:
    org: acme
    repo: widgets
    username: release-rachel
    permission: maintain

- name: Grant a custom repository role
  orgcode.github.github_repo_collaborator:
    owner: acme
    repo: widgets
    username: auditor-amy
    permission: security-auditor

- name: Remove direct access (or cancel the pending invitation)
  orgcode.github.github_repo_collaborator:
    owner: acme
    repo: widgets
    username: contractor-carl
    state: absent
'''

RETURN = r'''
collaborator:
  description:
    - The user's access to the repository after the run (in check mode, as it would be).
    - Empty after O(state=absent) (the direct grant or invitation is gone; access through the
      organization is not read).
  returned: success
  type: dict
  contains:
    username:
      description: The user's login, as GitHub spells it.
      type: str
      sample: Octocat
    role_name:
      description:
        - The role, C(read), C(triage), C(write), C(maintain), C(admin) or a custom role name; for a
          pending invitation, the role it offers.
      type: str
      sample: write
    permission:
      description:
        - GitHub's legacy permission for that role, C(admin), C(write), C(read) or C(none)
          (C(maintain) is C(write), C(triage) is C(read)). Null for a custom role GitHub did not report.
      type: str
      sample: write
    pending:
      description: Whether the access waits for the user to accept an invitation.
      type: bool
      sample: false
    invitation_id:
      description: The id of the pending invitation (not known in check mode for a new invitation).
      type: int
      returned: when pending
      sample: 80001
    source:
      description:
        - Where the access comes from, when the run looked it up. C(direct) (a direct grant),
          C(invitation) (pending), or C(organization) (organization ownership, base permission or
          teams). Not returned when C(role_name) already matched O(permission) and nothing else was read.
      type: str
      returned: when known
      sample: organization
api:
  description: Number of API requests of this task, and any retries or rate-limit waits.
  returned: always
  type: dict
  sample: {requests: 1, events: []}
'''

import re

from ansible_collections.orgcode.github.plugins.module_utils.github_client import GitHubAPIError
from ansible_collections.orgcode.github.plugins.module_utils.github_module import GitHubModule, login_key

RANK = {"read": 1, "triage": 2, "write": 3, "maintain": 4, "admin": 5}
ALIASES = {"pull": "read", "push": "write"}
PUT_NAMES = {"read": "pull", "write": "push"}  # the vocabulary PUT .../collaborators/{username} takes
LEGACY = {"read": "read", "triage": "read", "write": "write", "maintain": "write", "admin": "admin", "none": "none"}
REPO_RE = re.compile(r"^[A-Za-z0-9._-]{1,100}$")


def normalize_role(name):
    """``pull``/``push`` as ``read``/``write``, built-in roles lower-cased; a custom role as given."""
    name = (name or "").strip()
    low = name.lower()
    if low in ALIASES:
        return ALIASES[low]
    return low if low in RANK else name


def same_role(one, two):
    return (one or "").lower() == (two or "").lower()


def rank(role, legacy=None):
    """A comparable level for ``role``; a custom role ranks just above its legacy base, None if unknown."""
    role = (role or "none").lower()
    if role == "none":
        return 0
    if role in RANK:
        return RANK[role]
    if legacy in RANK:
        return RANK[legacy] + 0.5
    return None


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


def access(login, role, legacy=None, source=None, pending=False, invitation_id=None):
    """The ``collaborator`` result."""
    role = role or "none"
    result = dict(username=login, role_name=role, permission=legacy or LEGACY.get(role.lower()), pending=pending)
    if pending and invitation_id is not None:
        result["invitation_id"] = invitation_id
    if source:
        result["source"] = source
    return result


def invited(login, invitation, custom=None):
    """The ``collaborator`` result for a pending invitation.

    GitHub shows an invitation's role as a built-in one; ``custom`` is the custom role just sent.
    """
    shown = invitation.get("permissions")
    return access(login, custom or shown, LEGACY.get((shown or "").lower()), "invitation", pending=True,
                  invitation_id=invitation.get("id"))


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
    return shown


class Target:
    """The repository and user a task is about, and the reads about them."""

    def __init__(self, gh):
        self.gh = gh
        self.owner = gh.login("owner")
        self.repo = (gh.params["repo"] or "").strip()
        if not REPO_RE.match(self.repo) or self.repo in (".", ".."):
            gh.fail("repo: %r is not a valid repository name (letters, digits, '.', '-' and '_', at most 100 "
                    "characters)" % gh.params["repo"])
        self.username = gh.login("username")
        self.key = login_key(self.username)
        self.wanted = normalize_role(gh.params["permission"])
        if not self.wanted:
            gh.fail("permission: must be pull, triage, push, maintain, admin or a custom repository role name")
        self.path = "/repos/%s/%s" % (self.owner, self.repo)
        self.ghes = gh.client.base_url.rstrip("/").endswith("/api/v3")

    def _missing(self, err, username=False):
        """After a 404: fail naming the repository or the user GitHub does not know, else re-raise."""
        if err.status == 404:
            self.gh.require_found(owner=self.owner, repo=self.repo, username=self.username if username else None)
        raise err

    def permission(self):
        """``GET .../collaborators/{username}/permission`` (``permission``, ``role_name``, ``user``)."""
        try:
            status, data, response = self.gh.client.request(
                "GET", "%s/collaborators/%s/permission" % (self.path, self.username), expect=dict)
        except GitHubAPIError as err:
            self._missing(err, username=True)
        if response.headers.get("X-GitHub-Enterprise-Version"):
            self.ghes = True
        return data or {}

    def has_access(self, login):
        """``GET .../collaborators/{username}``: real access, as opposed to a public repository's read."""
        return self.gh.client.exists("%s/collaborators/%s" % (self.path, login))

    def direct(self):
        """The user's entry in the direct collaborators list, or None (reads up to the user's page)."""
        try:
            return self.gh.client.find("%s/collaborators" % self.path,
                                       lambda user: login_key(user.get("login")) == self.key,
                                       params=dict(affiliation="direct"))
        except GitHubAPIError as err:
            self._missing(err)

    def invitation(self):
        """The user's pending invitation, else an expired one, else None (stops at a pending one)."""
        expired = None
        try:
            for invitation in self.gh.client.iterate("%s/invitations" % self.path):
                if login_key((invitation.get("invitee") or {}).get("login")) != self.key:
                    continue
                if not invitation.get("expired"):
                    return invitation
                expired = expired or invitation
        except GitHubAPIError as err:
            self._missing(err)
        return expired

    def organization_floor(self, login):
        """The role organization ownership or the base permission alone gives ``login``, or None."""
        membership = self.gh.client.get_or_none("/orgs/%s/memberships/%s" % (self.owner, login))
        if not membership or membership.get("state") != "active":
            return None
        if membership.get("role") == "admin":
            return "admin"
        org = self.gh.client.get_or_none("/orgs/%s" % self.owner) or {}
        base = org.get("default_repository_permission")
        return base if base in RANK else None

    def would_grant_directly(self, inherited):
        """Check mode: would GitHub grant access directly (204) rather than invite (201)?"""
        if self.ghes or inherited:
            return True
        try:
            membership = self.gh.client.get_or_none("/orgs/%s/memberships/%s" % (self.owner, self.username))
        except GitHubAPIError:
            return False
        return bool(membership) and membership.get("state") == "active"


def put_grant(target, login, before, inherited=False, lowering=False):
    """``PUT .../collaborators/{username}``; exits with the access the server's answer gives."""
    gh = target.gh
    wanted = target.wanted
    try:
        status, data = gh.write("PUT", "%s/collaborators/%s" % (target.path, login),
                                body=dict(permission=PUT_NAMES.get(wanted, wanted)), expect=dict)
    except GitHubAPIError as err:
        if err.status == 422:
            gh.fail("permission: GitHub refused to give %s the role %r on %s/%s: %s" % (
                login, gh.params["permission"], target.owner, target.repo, err), **err.to_result())
        raise
    if status is None:  # check mode: the answer GitHub would give
        if before.get("source") == "direct" or target.would_grant_directly(inherited):
            after = access(login, wanted, LEGACY.get(wanted), "direct")
        else:
            after = access(login, wanted, LEGACY.get(wanted), "invitation", pending=True)
    elif status == 201 and isinstance(data, dict):
        after = invited(login, data, custom=wanted if wanted not in RANK else None)
    else:  # 204: the access is granted; read what it is now
        now = target.permission()
        role = now.get("role_name") or now.get("permission")
        after = access(login, role, now.get("permission"), "direct")
        if lowering and not same_role(role, wanted):
            gh.module.warn(
                "%s's direct role on %s/%s is now %s, but they still have %s from another source (a team); "
                "GitHub's REST API cannot show the direct grant apart from it, so every run will set it "
                "again. Remove the direct grant or the team's." % (login, target.owner, target.repo, wanted, role))
    gh.exit(changed=True, before=before, after=summary(after), collaborator=after)


def present(target):
    gh = target.gh
    wanted = target.wanted
    current = target.permission()
    login = (current.get("user") or {}).get("login") or target.username
    role = current.get("role_name") or current.get("permission") or "none"
    legacy = current.get("permission")
    if same_role(role, "read") and not target.has_access(login):
        role, legacy = "none", "none"  # everyone may read a public repository: not a collaborator

    if same_role(role, wanted):
        unchanged = access(login, role, legacy)
        gh.exit(changed=False, before=summary(unchanged), after=summary(unchanged), collaborator=unchanged)

    direct = target.direct() if role != "none" else None
    if direct is not None:
        current = access(login, role, legacy, "direct")
        lowering = covers(role, legacy, wanted)
        if lowering:
            floor = target.organization_floor(login)
            if floor is not None and rank(floor) >= rank(role, legacy):
                # The organization alone gives this role: the direct grant under it cannot be read.
                current["source"] = "organization"
                gh.exit(changed=False, before=summary(current), after=summary(current), collaborator=current)
        put_grant(target, login, summary(current), lowering=lowering)

    inherited = role != "none"
    if inherited and covers(role, legacy, wanted):
        # "At least this access": the organization (ownership, base permission or a team) gives it.
        current = access(login, role, legacy, "organization")
        gh.exit(changed=False, before=summary(current), after=summary(current), collaborator=current)

    invitation = target.invitation()
    if invitation is not None and not invitation.get("expired"):
        current = invited(login, invitation)
        if wanted not in RANK:
            gh.module.warn(
                "%s has a pending invitation to %s/%s; GitHub shows its role only as %r and cannot set a custom "
                "role on an invitation, so it was left as is. To invite with %r, cancel it (state: absent) "
                "and run again." % (login, target.owner, target.repo, invitation.get("permissions"), wanted))
            gh.exit(changed=False, before=summary(current), after=summary(current), collaborator=current)
        if same_role(invitation.get("permissions"), wanted):
            gh.exit(changed=False, before=summary(current), after=summary(current), collaborator=current)
        status, updated = gh.write("PATCH", "%s/invitations/%s" % (target.path, invitation["id"]),
                                   body=dict(permissions=wanted), expect=dict)
        after = invited(login, updated if isinstance(updated, dict) else dict(invitation, permissions=wanted))
        gh.exit(changed=True, before=summary(current), after=summary(after), collaborator=after)

    if inherited:
        before = summary(access(login, role, legacy, "organization"))
    else:
        before = summary(None, login, expired=invitation)
    if invitation is not None:  # expired: it counts as absent; replace it
        gh.write("DELETE", "%s/invitations/%s" % (target.path, invitation["id"]))
    put_grant(target, login, before, inherited=inherited)


def absent(target):
    gh = target.gh
    direct = target.direct()
    if direct is not None:
        login = direct.get("login") or target.username
        current = access(login, direct.get("role_name"), legacy_of(direct.get("permissions")), "direct")
        gh.write("DELETE", "%s/collaborators/%s" % (target.path, login))
        gh.exit(changed=True, before=summary(current), after=summary(None, login), collaborator={})
    invitation = target.invitation()
    if invitation is not None and not invitation.get("expired"):
        login = (invitation.get("invitee") or {}).get("login") or target.username
        gh.write("DELETE", "%s/invitations/%s" % (target.path, invitation["id"]))
        gh.exit(changed=True, before=summary(invited(login, invitation)), after=summary(None, login),
                collaborator={})
    # An expired invitation counts as absent already.
    gh.exit(changed=False, before=summary(None), after=summary(None), collaborator={})


def manage(gh):
    target = Target(gh)
    try:
        if gh.params["state"] == "absent":
            absent(target)
        present(target)
    except GitHubAPIError as err:
        if err.status != 403:
            raise
        gh.fail("%s/%s: GitHub refused access (HTTP 403); managing collaborators takes a token with admin rights "
                "on the repository. %s" % (target.owner, target.repo, err), **err.to_result())


def main():
    gh = GitHubModule(argument_spec=dict(
        owner=dict(type="str", required=True, aliases=["org"]),
        repo=dict(type="str", required=True),
        username=dict(type="str", required=True),
        permission=dict(type="str", default="push"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    ))
    gh.run(manage)


if __name__ == "__main__":
    main()
