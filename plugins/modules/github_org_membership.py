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
    type: str
    required: true
  role:
    description:
      - C(member) or C(admin) (an organization owner).
      - Applies to pending invitations too.
    type: str
    choices: [member, admin]
    default: member
  state:
    description:
      - C(present) invites the user (or changes the role); the membership stays C(pending) until
        the user accepts.
      - C(absent) removes an active member or cancels a pending invitation.
    type: str
    choices: [present, absent]
    default: present
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
api:
  description: Number of API requests of this task, and any retries or rate-limit waits.
  returned: always
  type: dict
  sample: {requests: 1, events: []}
'''

from ansible_collections.orgcode.github.plugins.module_utils.github_client import GitHubAPIError
from ansible_collections.orgcode.github.plugins.module_utils.github_module import GitHubModule, login_key


def summary(membership):
    """What the diff shows of a membership."""
    if not membership:
        return dict(state="absent")
    return dict(state=membership.get("state"), role=membership.get("role"),
                login=(membership.get("user") or {}).get("login"))


def guard_last_owner(gh, org, membership, action):
    """Fail before any write if ``membership`` is the organization's only active owner."""
    if not membership or membership.get("state") != "active" or membership.get("role") != "admin":
        return
    owners = gh.client.paginate("/orgs/%s/members" % org, params=dict(role="admin"))
    login = (membership.get("user") or {}).get("login") or gh.params["username"]
    others = [o for o in owners if login_key(o.get("login")) != login_key(login)]
    if not others:
        gh.fail("refusing to %s %s: it is the last owner (admin) of organization %s; "
                "make another user an owner first" % (action, login, org))


def manage(gh):
    org = gh.login("org")
    username = gh.login("username")
    role = gh.params["role"]
    path = "/orgs/%s/memberships/%s" % (org, username)

    current = gh.client.get_or_none(path)

    if gh.params["state"] == "absent":
        if current is None:
            gh.exit(changed=False, before=summary(None), after=summary(None), membership={})
        guard_last_owner(gh, org, current, "remove")
        gh.write("DELETE", path)
        gh.exit(changed=True, before=summary(current), after=summary(None), membership={})

    if current is not None and current.get("role") == role:
        gh.exit(changed=False, before=summary(current), after=summary(current), membership=current)

    if current is not None and role != "admin":
        guard_last_owner(gh, org, current, "demote")

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
    gh.exit(changed=True, before=summary(current), after=summary(updated), membership=updated)


def main():
    gh = GitHubModule(argument_spec=dict(
        org=dict(type="str", required=True),
        username=dict(type="str", required=True),
        role=dict(type="str", choices=["member", "admin"], default="member"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    ))
    gh.run(manage)


if __name__ == "__main__":
    main()
