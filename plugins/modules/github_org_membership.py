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
  - An unchanged run costs one request. Inviting a user costs one more, C(GET /users/{username}), to
    confirm the login before the write. Removing or demoting an owner costs one more page read per
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
  - orgcode.github.github.list_mode
  - orgcode.github.attributes
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
      - Members and invitations not listed are left alone unless O(exclusive=true), which removes
        the members and cancels the invitations of unlisted logins. Invitations sent to an email
        address (no login) are reported in RV(kept), never cancelled.
      - Every listed login that is neither a member nor invited is confirmed to exist
        (C(GET /users/{login}), one request each) before the first write.
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
  resend_failed_invitations:
    description:
      - With O(members), a listed login whose invitation expired or failed counts as absent and is
        invited again. Set to V(false) to only report such logins (in RV(failed_invitations)).
    type: bool
    default: true
  allow_self_removal:
    description:
      - With O(state=absent), allow removing the user the task authenticates as. Removing it would
        lock the rest of the play out of the organization, so by default the task refuses (in check
        mode too), costing one C(GET /user) when there is a membership to remove.
      - O(exclusive=true) never removes the authenticated user, whatever this option says.
    type: bool
    default: false
    version_added: 0.1.0
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
unknown_logins:
  description: With O(members), the listed logins no GitHub user has; the task failed before any write.
  returned: on that failure
  type: list
  elements: str
writes_done:
  description:
    - When the task fails after some writes, the writes GitHub accepted (C(method) and C(path)); the
      task then reports C(changed=true). Never in check mode, which writes nothing.
  returned: on failure after a write
  type: list
  elements: dict
  sample: [{method: DELETE, path: /orgs/acme/memberships/dev-001}]
api:
  description: Number of API requests of this task, and any retries or rate-limit waits.
  returned: always
  type: dict
  sample: {requests: 1, events: []}
'''

from ansible_collections.orgcode.github.plugins.module_utils import _members
from ansible_collections.orgcode.github.plugins.module_utils._reconcile import LIST_MODE_ARGS
from ansible_collections.orgcode.github.plugins.module_utils.github_module import GitHubModule


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
            allow_self_removal=dict(type="bool", default=False),
            **LIST_MODE_ARGS
        ),
        mutually_exclusive=[("username", "members")],
        required_one_of=[("username", "members")],
    )
    gh.run(_members.manage)


if __name__ == "__main__":
    main()
