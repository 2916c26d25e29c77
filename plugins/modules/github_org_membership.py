#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: github_org_membership
short_description: Manage a user's membership and role in a GitHub organization
version_added: 0.1.0
description:
  - Invites a user to an organization, changes a member's role, removes a member or cancels a
    pending invitation, through C(/orgs/{org}/memberships/{username}).
  - A pending invitation counts as present; its role is still managed (updated in place, never
    sent twice).
  - Refuses to remove or demote the last owner (admin) of the organization.
  - An unchanged run costs one request. Removing or demoting an owner costs one more page read per
    100 owners, to check that another owner remains.
  - With O(members), the whole member list of the organization is reconciled in one task (see
    O(members) and O(exclusive)). It reads the owners, the members and the pending and failed
    invitations once, 100 per page, and writes only what differs, one write at a time
    O(write_delay) seconds apart. An unchanged run of an organization of N members (with at most
    100 owners, 100 pending and 100 failed invitations) costs ceil(N/100) + 3 requests, plus
    C(GET /user) with O(exclusive=true).
  - Needs an organization owner's token (classic tokens need the C(admin:org) scope; fine-grained
    tokens the organization permission "Members" set to write).
author:
  - orgcode.github maintainers (@orgcode)
extends_documentation_fragment:
  - orgcode.github.github
  - orgcode.github.github.attributes
options:
  org:
    description: Login of the organization.
    type: str
    required: true
  username:
    description:
      - Login of the user. Compared case-insensitively; a leading C(@) is ignored.
      - Exactly one of O(username) and O(members) is required.
    type: str
  role:
    description:
      - C(member) or C(admin) (an organization owner), for O(username).
      - Applies to pending invitations too.
    type: str
    choices: [member, admin]
    default: member
  state:
    description:
      - For O(username). C(present) invites the user (or changes the role); the membership stays
        C(pending) until the user accepts.
      - C(absent) removes an active member or cancels a pending invitation.
    type: str
    choices: [present, absent]
    default: present
  members:
    description:
      - The organization's member list, reconciled in one task (authoritative mode).
      - Listed logins that are neither members nor invited get an invitation; members and pending
        invitations whose role differs are updated in place. A pending invitation is never sent
        twice.
      - Members and invitations not listed are left alone unless O(exclusive=true).
    type: list
    elements: dict
    suboptions:
      login:
        description: Login of the user (case-insensitive, a leading C(@) is ignored).
        type: str
        required: true
        aliases: [username]
      role:
        description: C(member) or C(admin).
        type: str
        choices: [member, admin]
        default: member
  exclusive:
    description:
      - With O(members), also remove active members that are not listed and cancel pending
        invitations of logins that are not listed.
      - Never removes the authenticated user, never leaves the organization without an owner, and
        fails before any write when more than O(max_removals) removals would be needed.
      - Invitations sent to an email address (no login) are reported, never cancelled.
    type: bool
    default: false
  max_removals:
    description:
      - With O(exclusive=true), the most removals (members removed plus invitations cancelled) one
        run may make. Above it the task fails before any write and lists who would have been
        removed. Raise it deliberately for a large clean-up.
    type: int
    default: 10
  resend_failed_invitations:
    description:
      - With O(members), a listed login whose invitation expired or failed counts as absent and is
        invited again. Set to V(false) to only report such logins (in RV(failed_invitations)).
    type: bool
    default: true
  write_delay:
    description:
      - With O(members), seconds to wait between two write requests. GitHub asks integrations to
        serialise mutating requests and leave at least one second between them.
    type: float
    default: 1.0
'''

EXAMPLES = r'''
- name: Invite octocat as a member (or keep it a member)
  orgcode.github.github_org_membership:
    org: acme
    username: octocat
    role: member

- name: Make hubot an owner
  orgcode.github.github_org_membership:
    org: acme
    username: hubot
    role: admin

- name: The whole member list in one task; unlisted members are removed (at most 10 per run)
  orgcode.github.github_org_membership:
    org: acme
    exclusive: true
    members:
      - {login: octo-admin, role: admin}
      - {login: hubot}
      - {login: mona, role: member}

- name: Remove a departed user, or cancel the invitation if it is still pending
  orgcode.github.github_org_membership:
    org: acme
    username: former-colleague
    state: absent
'''

RETURN = r'''
membership:
  description:
    - The membership after the run, as GitHub returns it (C(state) is C(active) or C(pending)).
    - Empty when the user is not (or no longer) a member or invitee.
    - In check mode, the membership as it would be.
  returned: success
  type: dict
  contains:
    state:
      description: C(active), or C(pending) while the invitation is not accepted.
      type: str
      sample: active
    role:
      description: C(admin), C(member) or C(billing_manager).
      type: str
      sample: member
    user:
      description: The user, with GitHub's canonical login.
      type: dict
      sample: {login: Octocat, id: 583231}
changes:
  description:
    - With O(members), what the run changed (in check mode, would change), by login.
  returned: when O(members) is given
  type: dict
  contains:
    invited:
      description: Logins invited, with the role.
      type: dict
      sample: {new-hire: member}
    role_changed:
      description: Members and pending invitees whose role changed, with the new role.
      type: dict
      sample: {alice: admin}
    removed:
      description: Active members removed (O(exclusive=true)).
      type: list
      elements: str
    invitations_cancelled:
      description: Logins whose pending invitation was cancelled (O(exclusive=true)).
      type: list
      elements: str
  sample: {invited: {new-hire: member}, role_changed: {}, removed: [], invitations_cancelled: []}
failed_invitations:
  description: With O(members), invitations that expired or failed, with the reason.
  returned: when O(members) is given
  type: list
  elements: dict
  sample: [{login: eve, role: admin, failed_reason: Invitation expired, resent: true}]
kept:
  description: With O(exclusive=true), unlisted logins kept on purpose (the authenticated user) and
    invitations sent to an email address, which have no login to list.
  returned: when O(members) is given
  type: list
  elements: str
member_count:
  description: With O(members), number of active members and of pending invitations after the run.
  returned: when O(members) is given
  type: dict
  sample: {active: 1200, pending: 3}
api:
  description: Number of API requests of this task, and any retries or rate-limit waits.
  returned: always
  type: dict
  sample: {requests: 1, events: []}
'''

from ansible_collections.orgcode.github.plugins.module_utils.github_client import GitHubAPIError
from ansible_collections.orgcode.github.plugins.module_utils.github_module import (
    LIST_MODE_ARGS,
    GitHubModule,
    login_key,
    progress,
)


def summary(membership):
    """What the diff shows of a membership."""
    if not membership:
        return dict(state="absent")
    return dict(state=membership.get("state"), role=membership.get("role"),
                login=(membership.get("user") or {}).get("login"))


def manage(gh):
    gh.check_list_mode("members")
    if gh.params["members"] is not None:
        return manage_list(gh)
    org = gh.login("org")
    username = gh.login("username")
    role = gh.params["role"]
    path = "/orgs/%s/memberships/%s" % (org, username)

    current = gh.client.get_or_none(path)

    if gh.params["state"] == "absent":
        if current is None:
            gh.require_found(org=org)  # a mistyped organization must not pass for "already absent"
            return gh.result(changed=False, before=summary(None), after=summary(None), membership={})
        gh.guard_last_owner(org, current, "remove")
        gh.write("DELETE", path)
        return gh.result(changed=True, before=summary(current), after=summary(None), membership={})

    if current is not None and current.get("role") == role:
        return gh.result(changed=False, before=summary(current), after=summary(current), membership=current)

    if current is not None and role != "admin":
        gh.guard_last_owner(org, current, "demote")

    try:
        status, updated = gh.write("PUT", path, body=dict(role=role), expect=dict)
    except GitHubAPIError as err:
        if err.status == 404:
            gh.require_found(org=org, username=username)
        raise
    if updated is None:  # check mode: the membership as the PUT would leave it
        updated = dict(current or {})
        if current is None:
            updated = dict(state="pending", user=gh.require_found(org=org, username=username))
        updated["role"] = role
    return gh.result(changed=True, before=summary(current), after=summary(updated), membership=updated)


def manage_list(gh):
    """Reconcile the organization's whole member list (authoritative mode)."""
    org = gh.login("org")
    wanted = {}
    for index, entry in enumerate(gh.params["members"]):
        login = gh.login("members[%d].login" % index, entry["login"])
        key = login_key(login)
        if key in wanted and wanted[key][1] != entry["role"]:
            gh.fail("members: %s is listed twice with different roles" % login)
        wanted[key] = (login, entry["role"])

    # Read once, 100 per page: owners, other members, pending and failed invitations.
    active = {}
    try:
        for role in ("admin", "member"):
            for user in gh.client.paginate("/orgs/%s/members" % org, params=dict(role=role)):
                active[login_key(user["login"])] = (user["login"], role)
    except GitHubAPIError as err:
        if err.status == 404:
            gh.require_found(org=org)
        raise
    pending = {}
    email_invitations = []
    for invitation in gh.client.paginate("/orgs/%s/invitations" % org):
        if invitation.get("login"):
            role = "admin" if invitation.get("role") == "admin" else "member"
            pending[login_key(invitation["login"])] = (invitation["login"], role, invitation["id"])
        else:
            email_invitations.append(invitation.get("email") or "invitation %s" % invitation.get("id"))
    failed = {}
    for invitation in gh.client.paginate("/orgs/%s/failed_invitations" % org):
        if invitation.get("login") and login_key(invitation["login"]) not in pending:
            failed[login_key(invitation["login"])] = invitation

    # The plan.
    invite, change, remove, cancel, kept, failed_report = {}, {}, [], [], [], []
    for key, (login, role) in sorted(wanted.items()):
        if key in active:
            if active[key][1] != role:
                change[key] = (active[key][0], role)
        elif key in pending:
            if pending[key][1] != role:
                change[key] = (pending[key][0], role)
        else:
            if key in failed:
                resend = gh.params["resend_failed_invitations"]
                failed_report.append(dict(login=failed[key]["login"], role=failed[key].get("role"),
                                          failed_reason=failed[key].get("failed_reason"), resent=resend))
                if not resend:
                    continue
            invite[key] = (login, role)
    for key, invitation in sorted(failed.items()):
        if key not in wanted:
            failed_report.append(dict(login=invitation["login"], role=invitation.get("role"),
                                      failed_reason=invitation.get("failed_reason"), resent=False))
    if gh.params["exclusive"]:
        me = login_key(gh.authenticated_login())
        for key, (login, _role) in sorted(active.items()):
            if key not in wanted:
                (kept if key == me else remove).append(login)
        cancel = [pending[key][0] for key in sorted(pending) if key not in wanted]
        kept.extend(email_invitations)
        gh.guard_removals(remove, cancel)

    # Never leave the organization without an active owner.
    removed_keys = set(login_key(login) for login in remove)
    owners_after = [key for key, (_login, role) in active.items()
                    if key not in removed_keys and (change[key][1] if key in change else role) == "admin"]
    owners_before = [key for key, (_login, role) in active.items() if role == "admin"]
    if owners_before and not owners_after:
        gh.fail("members: refusing to remove or demote the last owner (admin) of organization %s (%s); "
                "list at least one owner with role: admin" % (org, ", ".join(active[k][0] for k in owners_before)))

    def describe(key):
        if key in active:
            return active[key][1]
        if key in pending:
            return "%s (pending)" % pending[key][1]
        return "absent"

    before, after = {}, {}
    for key, (login, role) in invite.items():
        before[login], after[login] = describe(key), "%s (pending)" % role
    for key, (login, role) in change.items():
        before[login] = describe(key)
        after[login] = role if key in active else "%s (pending)" % role
    for login in remove + cancel:
        before[login], after[login] = describe(login_key(login)), "absent"

    done = dict(invited={}, role_changed={}, removed=[], invitations_cancelled=[])
    planned_invites = [invite[key] for key in sorted(invite)]
    unknown = []
    if gh.check_mode:  # the real run's PUT would answer 404 for these
        unknown = [login for login, _role in planned_invites if gh.client.get_or_none("/users/%s" % login) is None]
    try:
        for login, role in [change[key] for key in sorted(change)]:
            gh.write("PUT", "/orgs/%s/memberships/%s" % (org, login), body=dict(role=role))
            done["role_changed"][login] = role
        for login in remove:
            gh.write("DELETE", "/orgs/%s/memberships/%s" % (org, login))
            done["removed"].append(login)
        for login in cancel:
            gh.write("DELETE", "/orgs/%s/invitations/%s" % (org, pending[login_key(login)][2]))
            done["invitations_cancelled"].append(login)
        for login, role in planned_invites:
            if login in unknown:
                continue
            try:
                gh.write("PUT", "/orgs/%s/memberships/%s" % (org, login), body=dict(role=role))
            except GitHubAPIError as err:
                if err.status != 404:
                    raise
                unknown.append(login)
                continue
            done["invited"][login] = role
    except GitHubAPIError as err:
        not_invited = [login for login, _role in planned_invites if login not in done["invited"]]
        hint = ""
        if err.status in (403, 422, 429) and "invit" in (err.message or "").lower():
            hint = " GitHub's invitation limit was reached; run again later to invite: %s." % ", ".join(not_invited)
        elif not_invited:
            hint = " Not yet invited: %s." % ", ".join(not_invited)
        gh.fail("%s.%s%s" % (err, hint, progress(done)), changes=done, not_invited=not_invited, **err.to_result())
    if unknown:
        gh.fail("members: no GitHub user has the login(s) %s; nothing was sent for them.%s"
                % (", ".join(unknown), progress(done)), changes=done, unknown_logins=unknown)

    changed = bool(invite or change or remove or cancel)
    n_active = len(active) - len(remove)
    n_pending = len(pending) - len(cancel) + len(invite)
    return gh.result(changed=changed, before=before, after=after, changes=done, failed_invitations=failed_report,
            kept=kept, member_count=dict(active=n_active, pending=n_pending))


def main():
    gh = GitHubModule(
        argument_spec=dict(
            org=dict(type="str", required=True),
            username=dict(type="str"),
            role=dict(type="str", choices=["member", "admin"], default="member"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            members=dict(type="list", elements="dict", options=dict(
                login=dict(type="str", required=True, aliases=["username"]),
                role=dict(type="str", choices=["member", "admin"], default="member"),
            )),
            resend_failed_invitations=dict(type="bool", default=True),
            **LIST_MODE_ARGS
        ),
        mutually_exclusive=[("username", "members")],
        required_one_of=[("username", "members")],
    )
    gh.run(manage)


if __name__ == "__main__":
    main()
