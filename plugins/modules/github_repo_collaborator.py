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
  - With O(collaborators), the repository's whole list of direct collaborators is reconciled in one task
    (authoritative mode, see O(collaborators), O(exclusive) and the notes). It reads the direct
    collaborators (C(affiliation=direct)) and the invitations once each, 100 per page, and writes only
    what differs, one write at a time O(write_delay) seconds apart.
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
      - Exactly one of O(username) and O(collaborators) is required.
    type: str
  permission:
    description:
      - For O(username). The role to give, C(pull), C(triage), C(push), C(maintain) or C(admin), or the
        name of a custom repository role of the organization. C(push) when not set.
      - C(read) and C(write), the names GitHub's C(role_name) uses, are accepted for C(pull) and C(push).
      - With O(state=present) it means "at least this access", see the notes.
      - Not allowed with O(collaborators); each entry there has its own C(permission).
    type: str
  state:
    description:
      - For O(username). C(present) gives the user (at least) O(permission), inviting them where GitHub
        requires it.
      - C(absent) removes the user's direct access, or cancels their pending invitation. Access through
        organization ownership, the base permission or teams is not touched (manage it with
        M(orgcode.github.github_org_membership)).
      - O(state=absent) is not allowed with O(collaborators); use O(exclusive=true) to remove unlisted users.
    type: str
    choices: [present, absent]
    default: present
  collaborators:
    description:
      - The repository's collaborator list, reconciled in one task (authoritative mode).
      - A listed login without a direct grant or a pending invitation gets access with C(PUT)
        (an invitation on github.com and GHE.com for a user outside the organization, a direct grant for
        an organization member and on GitHub Enterprise Server), unless the organization already gives
        them at least the permission (see the notes). A direct collaborator whose role differs is changed
        in place; a pending invitation whose permission differs is updated in place (C(PATCH)), never sent
        twice; an expired invitation counts as absent and is replaced (deleted, then sent again).
      - Direct collaborators and pending invitations that are not listed are left alone unless
        O(exclusive=true).
      - An empty list with O(exclusive=true) removes every direct collaborator (within O(max_removals)).
    type: list
    elements: dict
    suboptions:
      login:
        description: Login of the user (case-insensitive, a leading C(@) is ignored).
        type: str
        required: true
        aliases: [username]
      permission:
        description:
          - C(pull), C(triage), C(push), C(maintain), C(admin) or a custom repository role name (C(read) and
            C(write) are accepted for C(pull) and C(push)); "at least this access", as for O(permission).
        type: str
        default: push
  exclusive:
    description:
      - With O(collaborators), also remove the direct access of users who are not listed and cancel the
        pending invitations of logins that are not listed.
      - Only direct grants and invitations are removed; access through the organization (ownership,
        base permission, teams) stays, manage it with M(orgcode.github.github_org_membership).
      - Never removes the authenticated user or an organization owner (they are reported in RV(kept)),
        and fails before any write when more than O(max_removals) removals would be needed.
      - Expired invitations of unlisted logins are reported in RV(expired_invitations), not counted or
        cancelled.
    type: bool
    default: false
  max_removals:
    description:
      - With O(exclusive=true), the most removals (direct collaborators removed plus invitations cancelled)
        one run may make. Above it the task fails before any write and lists who would have been removed.
        Raise it deliberately for a large clean-up.
    type: int
    default: 10
  write_delay:
    description:
      - With O(collaborators), seconds to wait between two write requests. GitHub asks integrations to
        serialise mutating requests and leave at least one second between them.
    type: float
    default: 1.0
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
  - "O(collaborators) and access through the organization: the list mode follows the same at-least
    semantics as O(username), but reads per user only where the two list reads cannot answer.
    A listed direct collaborator is compared on the list's C(role_name). When that role is higher than
    the entry's permission, the module checks whether the organization alone gives it (one read of the
    organization's owners, 100 per page, then, for a login who is no owner, one read of the organization
    for its base permission, each once per run; plus one membership read per such login when the base
    permission would explain the role) and then leaves it unchanged, reporting
    it in RV(organization_access); otherwise it lowers the direct grant. A listed login with neither a
    direct grant nor a pending invitation costs one C(GET .../collaborators/{username}/permission) read
    (two when that reports C(read), see above): when the organization (ownership, base permission or a
    team) already gives at least the permission it is left unchanged and reported in
    RV(organization_access), otherwise it is given access. A pending invitation is compared on its own."
  - "O(collaborators) request costs: an unchanged run whose listed logins are all direct collaborators
    or pending invitees costs exactly 2 requests for up to 100 collaborators and 100 invitations (one
    more per further 100 of either), with or without O(exclusive). Add one C(.../permission) read per
    listed login that has neither a direct grant nor a pending invitation (steady state for users who
    get their access only through the organization), the organization reads above for direct grants
    higher than listed, C(GET /user) when O(exclusive=true) finds someone to remove (and one read per 100
    owners when that includes a direct collaborator), each write, one permission read after lowering a
    direct grant (to warn if a team still gives more), and in check mode one membership read per login
    outside the organization's access that would be given access, to predict an invitation or a direct
    grant (none on GitHub Enterprise Server, which always grants directly)."
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

- name: The repository's whole collaborator list; unlisted direct collaborators are removed (at most 10)
  orgcode.github.github_repo_collaborator:
    owner: acme
    repo: widgets
    exclusive: true
    collaborators:
      - {login: contractor-carl, permission: push}
      - {login: release-rachel, permission: maintain}
      - {login: auditor-amy, permission: security-auditor}

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
  returned: when O(username) is given
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
changes:
  description:
    - With O(collaborators), what the run changed (in check mode, would change), by login as GitHub spells it.
  returned: when O(collaborators) is given
  type: dict
  contains:
    added:
      description: Logins given a direct grant (HTTP 204), with the role.
      type: dict
      sample: {bob: admin}
    invited:
      description: Logins invited (HTTP 201), with the role; includes re-sent expired invitations.
      type: dict
      sample: {new-contractor: write}
    changed:
      description: Direct collaborators and pending invitees whose role changed, with the new role.
      type: dict
      sample: {outsider-olga: maintain}
    removed:
      description: Direct collaborators removed (O(exclusive=true)).
      type: list
      elements: str
    invitations_cancelled:
      description: Logins whose pending invitation was cancelled (O(exclusive=true)).
      type: list
      elements: str
    invitations_resent:
      description: Listed logins whose expired invitation was deleted and sent again.
      type: list
      elements: str
  sample: {added: {}, invited: {erin: write}, changed: {}, removed: [], invitations_cancelled: [],
           invitations_resent: []}
organization_access:
  description:
    - With O(collaborators), listed logins left unchanged because the organization (ownership, base
      permission or a team) gives them at least the listed permission, with their role.
  returned: when O(collaborators) is given
  type: dict
  sample: {Octo-Admin: admin}
expired_invitations:
  description:
    - With O(collaborators), the expired invitations seen, and whether they were sent again.
  returned: when O(collaborators) is given
  type: list
  elements: dict
  sample: [{login: erin, permission: read, id: 80002, resent: true}]
kept:
  description:
    - With O(exclusive=true), unlisted direct collaborators kept on purpose, the authenticated user and
      organization owners.
  returned: when O(collaborators) is given
  type: list
  elements: str
collaborator_count:
  description:
    - With O(collaborators), the number of direct collaborators and of pending invitations after the run
      (in check mode, as it would be).
  returned: when O(collaborators) is given
  type: dict
  sample: {direct: 12, pending: 1}
api:
  description: Number of API requests of this task, and any retries or rate-limit waits.
  returned: always
  type: dict
  sample: {requests: 1, events: []}
'''

import re

from ansible_collections.orgcode.github.plugins.module_utils.github_client import GitHubAPIError
from ansible_collections.orgcode.github.plugins.module_utils.github_module import (
    LIST_MODE_ARGS,
    GitHubModule,
    login_key,
    progress,
)

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


def repository(gh):
    """``(owner, repo)`` from the options, or a failure naming the bad one (no request)."""
    owner = gh.login("owner")
    repo = (gh.params["repo"] or "").strip()
    if not REPO_RE.match(repo) or repo in (".", ".."):
        gh.fail("repo: %r is not a valid repository name (letters, digits, '.', '-' and '_', at most 100 "
                "characters)" % gh.params["repo"])
    return owner, repo


class Target:
    """The repository and user a task is about, and the reads about them."""

    def __init__(self, gh):
        self.gh = gh
        self.owner, self.repo = repository(gh)
        self.username = gh.login("username")
        self.key = login_key(self.username)
        permission = gh.params["permission"]
        self.wanted = normalize_role("push" if permission is None else permission)
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
    return gh.result(changed=True, before=before, after=summary(after), collaborator=after)


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
        return gh.result(changed=False, before=summary(unchanged), after=summary(unchanged), collaborator=unchanged)

    direct = target.direct() if role != "none" else None
    if direct is not None:
        current = access(login, role, legacy, "direct")
        lowering = covers(role, legacy, wanted)
        if lowering:
            floor = target.organization_floor(login)
            if floor is not None and rank(floor) >= rank(role, legacy):
                # The organization alone gives this role: the direct grant under it cannot be read.
                current["source"] = "organization"
                return gh.result(changed=False, before=summary(current), after=summary(current), collaborator=current)
        return put_grant(target, login, summary(current), lowering=lowering)

    inherited = role != "none"
    if inherited and covers(role, legacy, wanted):
        # "At least this access": the organization (ownership, base permission or a team) gives it.
        current = access(login, role, legacy, "organization")
        return gh.result(changed=False, before=summary(current), after=summary(current), collaborator=current)

    invitation = target.invitation()
    if invitation is not None and not invitation.get("expired"):
        current = invited(login, invitation)
        if wanted not in RANK:
            gh.module.warn(
                "%s has a pending invitation to %s/%s; GitHub shows its role only as %r and cannot set a custom "
                "role on an invitation, so it was left as is. To invite with %r, cancel it (state: absent) "
                "and run again." % (login, target.owner, target.repo, invitation.get("permissions"), wanted))
            return gh.result(changed=False, before=summary(current), after=summary(current), collaborator=current)
        if same_role(invitation.get("permissions"), wanted):
            return gh.result(changed=False, before=summary(current), after=summary(current), collaborator=current)
        status, updated = gh.write("PATCH", "%s/invitations/%s" % (target.path, invitation["id"]),
                                   body=dict(permissions=wanted), expect=dict)
        after = invited(login, updated if isinstance(updated, dict) else dict(invitation, permissions=wanted))
        return gh.result(changed=True, before=summary(current), after=summary(after), collaborator=after)

    if inherited:
        before = summary(access(login, role, legacy, "organization"))
    else:
        before = summary(None, login, expired=invitation)
    if invitation is not None:  # expired: it counts as absent; replace it
        gh.write("DELETE", "%s/invitations/%s" % (target.path, invitation["id"]))
    return put_grant(target, login, before, inherited=inherited)


def absent(target):
    gh = target.gh
    direct = target.direct()
    if direct is not None:
        login = direct.get("login") or target.username
        current = access(login, direct.get("role_name"), legacy_of(direct.get("permissions")), "direct")
        gh.write("DELETE", "%s/collaborators/%s" % (target.path, login))
        return gh.result(changed=True, before=summary(current), after=summary(None, login), collaborator={})
    invitation = target.invitation()
    if invitation is not None and not invitation.get("expired"):
        login = (invitation.get("invitee") or {}).get("login") or target.username
        gh.write("DELETE", "%s/invitations/%s" % (target.path, invitation["id"]))
        return gh.result(changed=True, before=summary(invited(login, invitation)), after=summary(None, login),
                collaborator={})
    # An expired invitation counts as absent already.
    return gh.result(changed=False, before=summary(None), after=summary(None), collaborator={})


# -- the collaborators list (authoritative mode) ------------------------------------------------------


def wanted_list(gh):
    """The listed logins as ``{key: (login, role, index)}``, or a failure naming the bad entry (no request)."""
    wanted = {}
    for index, entry in enumerate(gh.params["collaborators"]):
        login = gh.login("collaborators[%d].login" % index, entry.get("login") or "")
        raw = entry.get("permission")
        role = normalize_role(raw) if isinstance(raw, str) else ""
        if not role:
            gh.fail("collaborators[%d].permission: must be pull, triage, push, maintain, admin or a custom "
                    "repository role name, got %r" % (index, raw))
        key = login_key(login)
        if key in wanted and not same_role(wanted[key][1], role):
            gh.fail("collaborators: %s is listed twice with different permissions (%s and %s)"
                    % (login, wanted[key][1], role))
        wanted.setdefault(key, (login, role, index))
    return wanted


def invitee(invitation):
    return (invitation.get("invitee") or {}).get("login")


class RepoList:
    """One repository's collaborator list: the wanted entries and the reads about the current ones."""

    def __init__(self, gh):
        self.gh = gh
        self.owner, self.repo = repository(gh)
        self.wanted = wanted_list(gh)
        self.path = "/repos/%s/%s" % (self.owner, self.repo)
        self.ghes = gh.client.base_url.rstrip("/").endswith("/api/v3")
        self._org = None
        self._org_read = False
        self._owners = None

    def read(self):
        """``(direct, pending, expired)``: the direct collaborators and the invitations, by login key.

        One list read each, 100 per page; an expired invitation is kept only when the login has no
        pending one.
        """
        client = self.gh.client
        direct, pending, expired = {}, {}, {}
        try:
            for user in client.iterate("%s/collaborators" % self.path, params=dict(affiliation="direct")):
                direct[login_key(user.get("login"))] = user
        except GitHubAPIError as err:
            if err.status == 404:
                self.gh.require_found(owner=self.owner, repo=self.repo)
            raise
        for invitation in client.iterate("%s/invitations" % self.path):
            if not invitee(invitation):
                continue
            key = login_key(invitee(invitation))
            (expired if invitation.get("expired") else pending).setdefault(key, invitation)
        for key in pending:
            expired.pop(key, None)
        return direct, pending, expired

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

    def organization(self):
        if not self._org_read:
            self._org_read = True
            self._org = self.gh.client.get_or_none("/orgs/%s" % self.owner)
        return self._org

    def organization_gives(self, login, role, legacy):
        """True if organization ownership or the base permission alone gives ``role`` to ``login``."""
        if login_key(login) in self.owners():
            return True
        base = (self.organization() or {}).get("default_repository_permission")
        have = rank(role, legacy)
        if base not in RANK or have is None or RANK[base] < have:
            return False
        membership = self.gh.client.get_or_none("/orgs/%s/memberships/%s" % (self.owner, login))
        return bool(membership) and membership.get("state") == "active"

    def access(self, login, confirm_read=True):
        """``(login as GitHub spells it, role_name, legacy permission)``, or None when no user has the login.

        ``GET .../collaborators/{username}/permission``; a C(read) on a public repository is confirmed with
        ``GET .../collaborators/{username}`` (GitHub reports read for everyone there).
        """
        client = self.gh.client
        try:
            _status, data, response = client.request(
                "GET", "%s/collaborators/%s/permission" % (self.path, login), expect=dict)
        except GitHubAPIError as err:
            if err.status == 404:
                return None
            raise
        if response.headers.get("X-GitHub-Enterprise-Version"):
            self.ghes = True
        data = data or {}
        name = (data.get("user") or {}).get("login") or login
        role = data.get("role_name") or data.get("permission") or "none"
        legacy = data.get("permission")
        if confirm_read and same_role(role, "read") and not client.exists("%s/collaborators/%s" % (self.path, name)):
            role, legacy = "none", "none"
        return name, role, legacy

    def would_grant_directly(self, login, inherited):
        """Check mode: would GitHub grant access directly (204) rather than invite (201)?"""
        if self.ghes or inherited:
            return True
        try:
            membership = self.gh.client.get_or_none("/orgs/%s/memberships/%s" % (self.owner, login))
        except GitHubAPIError:
            return False
        return bool(membership) and membership.get("state") == "active"


# The order the list mode writes in, for its "Already done" messages.
WRITE_ORDER = ("changed", "removed", "invitations_cancelled", "invitations_resent", "added", "invited")


def manage_list(rl):
    """Reconcile the repository's whole collaborator list (authoritative mode)."""
    gh = rl.gh
    direct, pending, expired = rl.read()

    # The plan: every read happens before the first write.
    change, update, add, unknown = [], [], [], []
    organization_access, before, after = {}, {}, {}
    for key, (login, role, index) in sorted(rl.wanted.items()):
        if key in direct:
            entry = direct[key]
            name = entry.get("login") or login
            legacy = legacy_of(entry.get("permissions"))
            have = role_of(entry)
            if same_role(have, role):
                continue
            lowering = covers(have, legacy, role)
            if lowering and rl.organization_gives(name, have, legacy):
                organization_access[name] = have  # the direct grant under it cannot be read
                continue
            change.append((name, role, index, lowering))
            before[name], after[name] = have, role
        elif key in pending:
            invitation = pending[key]
            name = invitee(invitation)
            offered = invitation.get("permissions")
            if role not in RANK:
                gh.module.warn(
                    "%s has a pending invitation to %s/%s; GitHub shows its role only as %r and cannot set a "
                    "custom role on an invitation, so it was left as is. To invite with %r, cancel it and run "
                    "again." % (name, rl.owner, rl.repo, offered, role))
                continue
            if same_role(offered, role):
                continue
            update.append((name, role, invitation))
            before[name], after[name] = "%s (pending)" % offered, "%s (pending)" % role
        else:
            found = rl.access(login)
            if found is None:
                unknown.append(login)
                continue
            name, have, legacy = found
            inherited = not same_role(have, "none")
            if inherited and covers(have, legacy, role):
                organization_access[name] = have  # "at least this access", through the organization
                continue
            add.append(dict(login=name, role=role, index=index, inherited=inherited, expired=expired.get(key)))
            if inherited:
                before[name] = "%s (organization)" % have
            else:
                before[name] = "absent (invitation expired)" if key in expired else "absent"

    remove, cancel, kept = [], [], []
    if gh.params["exclusive"]:
        unlisted_direct = [direct[key].get("login") for key in sorted(direct) if key not in rl.wanted]
        unlisted_pending = [key for key in sorted(pending) if key not in rl.wanted]
        if unlisted_direct or unlisted_pending:
            me = login_key(gh.authenticated_login())
            owners = rl.owners() if unlisted_direct else set()
            for login in unlisted_direct:
                key = login_key(login)
                if key == me or key in owners:
                    kept.append(login)  # never the token's own user; an owner has admin on every repository
                else:
                    remove.append(login)
            for key in unlisted_pending:
                if key == me:
                    kept.append(invitee(pending[key]))
                else:
                    cancel.append((invitee(pending[key]), pending[key]))
        gh.guard_removals(remove, [name for name, _invitation in cancel])
    for login in remove:
        before[login], after[login] = role_of(direct[login_key(login)]), "absent"
    for name, invitation in cancel:
        before[name], after[name] = "%s (pending)" % invitation.get("permissions"), "absent"

    resent_keys = set(login_key(item["login"]) for item in add if item["expired"] is not None)
    expired_report = [dict(login=invitee(invitation), permission=invitation.get("permissions"),
                           id=invitation.get("id"), resent=key in resent_keys)
                      for key, invitation in sorted(expired.items())]

    done = dict(added={}, invited={}, changed={}, removed=[], invitations_cancelled=[], invitations_resent=[])
    putting = None  # (index, login, role) of the PUT being sent, to name the entry GitHub refuses
    try:
        for name, role, index, lowering in change:
            putting = (index, name, role)
            status, _data = gh.write("PUT", "%s/collaborators/%s" % (rl.path, name),
                                     body=dict(permission=PUT_NAMES.get(role, role)), expect=dict)
            putting = None
            done["changed"][name] = role
            if lowering and status is not None:
                now = rl.access(name, confirm_read=False)
                if now is not None and not same_role(now[1], role):
                    after[name] = now[1]
                    gh.module.warn(
                        "%s's direct role on %s/%s is now %s, but they still have %s from another source (a team); "
                        "GitHub's REST API cannot show the direct grant apart from it, so every run will set it "
                        "again. Remove the direct grant or the team's." % (name, rl.owner, rl.repo, role, now[1]))
        for name, role, invitation in update:
            gh.write("PATCH", "%s/invitations/%s" % (rl.path, invitation["id"]), body=dict(permissions=role),
                     expect=dict)
            done["changed"][name] = role
        for login in remove:
            gh.write("DELETE", "%s/collaborators/%s" % (rl.path, login))
            done["removed"].append(login)
        for name, invitation in cancel:
            gh.write("DELETE", "%s/invitations/%s" % (rl.path, invitation["id"]))
            done["invitations_cancelled"].append(name)
        for item in add:
            name, role = item["login"], item["role"]
            if item["expired"] is not None:  # expired: it counts as absent; replace it
                try:
                    gh.write("DELETE", "%s/invitations/%s" % (rl.path, item["expired"]["id"]))
                except GitHubAPIError as err:
                    if err.status != 404:  # already gone
                        raise
            putting = (item["index"], name, role)
            status, data = gh.write("PUT", "%s/collaborators/%s" % (rl.path, name),
                                    body=dict(permission=PUT_NAMES.get(role, role)), expect=dict)
            putting = None
            if status is None:  # check mode: the answer GitHub would give
                granted = rl.would_grant_directly(name, item["inherited"])
            else:
                granted = status != 201
            if granted:
                done["added"][name], after[name] = role, role
            else:
                done["invited"][name], after[name] = role, "%s (pending)" % role
            if item["expired"] is not None:
                done["invitations_resent"].append(name)
    except GitHubAPIError as err:
        if putting is not None and err.status == 422:
            gh.fail("collaborators[%d].permission: GitHub refused to give %s the role %r on %s/%s: %s.%s" % (
                putting[0], putting[1], putting[2], rl.owner, rl.repo, err, progress(done, WRITE_ORDER)),
                changes=done, **err.to_result())
        hint = ""
        if err.status == 403 and not err.rate_limited:
            hint = " Managing collaborators takes a token with admin rights on the repository."
        gh.fail("%s.%s%s" % (err, hint, progress(done, WRITE_ORDER)), changes=done, **err.to_result())
    if unknown:
        gh.fail("collaborators: no GitHub user has the login(s) %s; nothing was sent for them.%s"
                % (", ".join(unknown), progress(done, WRITE_ORDER)), changes=done, unknown_logins=unknown)

    changed = bool(change or update or remove or cancel or add)
    count = dict(direct=len(direct) - len(remove) + len(done["added"]),
                 pending=len(pending) - len(cancel) + len(done["invited"]))
    return gh.result(changed=changed, before=before, after=after, changes=done, organization_access=organization_access,
            expired_invitations=expired_report, kept=kept, collaborator_count=count)


def manage(gh):
    p = gh.params
    gh.check_list_mode("collaborators")
    if p["collaborators"] is not None:
        if p["permission"] is not None:
            gh.fail("permission: only applies to username; give each collaborators entry its own permission")
        if p["state"] == "absent":
            gh.fail("state: absent only applies to username; with collaborators, exclusive: true removes the "
                    "unlisted users")
    if gh.params["collaborators"] is not None:
        target, work = RepoList(gh), manage_list
    else:
        target = Target(gh)
        work = absent if gh.params["state"] == "absent" else present
    try:
        return work(target)
    except GitHubAPIError as err:
        if err.status != 403 or err.rate_limited:
            raise
        gh.fail("%s/%s: GitHub refused access (HTTP 403); managing collaborators takes a token with admin rights "
                "on the repository. %s" % (target.owner, target.repo, err), **err.to_result())


def main():
    gh = GitHubModule(
        argument_spec=dict(
            owner=dict(type="str", required=True, aliases=["org"]),
            repo=dict(type="str", required=True),
            username=dict(type="str"),
            permission=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            collaborators=dict(type="list", elements="dict", options=dict(
                login=dict(type="str", required=True, aliases=["username"]),
                permission=dict(type="str", default="push"),
            )),
            **LIST_MODE_ARGS
        ),
        mutually_exclusive=[("username", "collaborators")],
        required_one_of=[("username", "collaborators")],
    )
    gh.run(manage)


if __name__ == "__main__":
    main()
