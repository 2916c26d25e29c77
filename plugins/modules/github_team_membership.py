#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: github_team_membership
short_description: Manage the members of a GitHub team and their roles
version_added: 0.1.0
description:
  - Adds a user to a team with a role (C(member) or C(maintainer)), changes the role, or removes the
    user from the team, through C(/orgs/{org}/teams/{team_slug}/memberships/{username}).
  - Adding a user who is not a member of the organization invites them to the organization (only an
    organization owner's token can); the team membership stays C(pending) until they accept, and a
    pending membership counts as present.
  - GitHub shows a team's members including the members of its child teams, and shows an
    organization owner as a C(maintainer) of every team they are in. An owner listed with role
    C(member) is therefore never "demoted" (a warning says so), and a user who is a member only
    through a child team is never removed by this module (O(state=absent) warns and leaves them).
  - "Request costs: an unchanged run for O(username) costs 1 request (2 when the user is not in the
    team, to tell an unknown team apart; one more when an owner is listed as C(member)). Adding a
    user first confirms the login (C(GET /users/{username})); in check mode one more read tells
    whether GitHub would add or invite them.
    O(state=absent) of an active member reads the team's child teams and their members first."
  - With O(members), the team's whole member list is reconciled in one task. It reads the team's
    maintainers, members and pending invitations once each (100 per page; GitHub Enterprise Server
    has no team invitation list) and writes only what differs, one write at a time O(write_delay)
    seconds apart. An unchanged run of a team of at most 100 maintainers and 100 members costs 3
    requests. O(exclusive=true) with unlisted members also reads the child teams and their members
    (to keep those shown only through a child team) and C(GET /user).
  - Needs an organization owner's or a team maintainer's token (classic tokens need the C(admin:org)
    scope).
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
  team:
    description: Slug of the team (its name in lower case, with C(-) for spaces and punctuation).
    type: str
    required: true
  username:
    description:
      - Login of the user. Compared case-insensitively; a leading C(@) is ignored.
      - Exactly one of O(username) and O(members) is required.
    type: str
  role:
    description: For O(username), C(member) or C(maintainer).
    type: str
    choices: [member, maintainer]
    default: member
  state:
    description:
      - For O(username). C(present) adds the user (or changes the role); C(absent) removes the user
        from the team, or cancels their pending team membership.
    type: str
    choices: [present, absent]
    default: present
  members:
    description:
      - The team's member list, reconciled in one task (authoritative mode).
      - Listed logins that are not in the team are added (or invited, see above); members whose role
        differs are changed in place. A listed login with a pending team invitation counts as
        present; GitHub does not show the role an invitation carries, so it is not compared.
      - A listed login shown in the team only through a child team counts as present.
      - With O(exclusive=true), unlisted members are removed and unlisted pending memberships
        cancelled, except the authenticated user and members shown only through a child team
        (reported in RV(kept) and RV(inherited)).
      - Every listed login not in the team is confirmed to exist (C(GET /users/{login})) before the
        first write.
    type: list
    elements: dict
    suboptions:
      login:
        description: Login of the user (case-insensitive, a leading C(@) is ignored).
        type: str
        required: true
        aliases: [username]
      role:
        description: C(member) or C(maintainer).
        type: str
        choices: [member, maintainer]
        default: member
  new_team:
    description:
      - For check mode, with O(username) or O(members), in a play whose earlier task creates the team (as the role
        orgcode.github.org_config does). When the team does not exist (yet), the task plans against
        the team as that task would create it (GitHub makes its creator, the token's user, its only
        maintainer) instead of failing
        for an unknown team; the real run finds the team the earlier task created. One more read.
      - Ignored outside check mode and when the team exists.
    type: bool
    default: false
'''

EXAMPLES = r'''
- name: Make mona a maintainer of team platform
  orgcode.github.github_team_membership:
    org: acme
    team: platform
    username: mona
    role: maintainer

- name: The team's whole member list; unlisted members are removed (at most 10 per run)
  orgcode.github.github_team_membership:
    org: acme
    team: platform
    exclusive: true
    members:
      - {login: mona, role: maintainer}
      - {login: hubot}

- name: Remove a user from the team
  orgcode.github.github_team_membership:
    org: acme
    team: platform
    username: former-colleague
    state: absent
'''

RETURN = r'''
membership:
  description:
    - For O(username), the team membership after the run (C(state) C(active) or C(pending), C(role));
      empty when absent. In check mode, the membership as it would be.
  returned: when O(username) is given
  type: dict
  sample: {state: active, role: maintainer}
owner:
  description: True when an organization owner listed with role C(member) was left as GitHub shows them.
  returned: in that case
  type: bool
child_teams:
  description: With O(state=absent), the child teams through which the user is still a member.
  returned: when the user is a member through a child team
  type: list
  elements: str
changes:
  description: With O(members), what the run changed (in check mode, would change), by login.
  returned: when O(members) is given
  type: dict
  sample: {added: {mona: member}, invited: {}, role_changed: {}, removed: [], invitations_cancelled: []}
kept:
  description: With O(exclusive=true), unlisted logins kept on purpose (the authenticated user).
  returned: when O(members) is given
  type: list
  elements: str
inherited:
  description: With O(exclusive=true), unlisted members shown only through child teams (never removed), with
    those teams.
  returned: when O(members) is given
  type: dict
  sample: {dave: [platform-sre]}
owners_shown_as_maintainers:
  description: With O(members), organization owners listed as C(member) that GitHub shows as maintainers.
  returned: when O(members) is given
  type: list
  elements: str
member_count:
  description: With O(members), number of active members (child teams' included) and pending memberships.
  returned: when O(members) is given
  type: dict
  sample: {active: 12, pending: 1}
unknown_logins:
  description: With O(members), the listed logins no GitHub user has; the task failed before any write.
  returned: on that failure
  type: list
  elements: str
actions:
  description: What the run changed (in check mode, would change), for the orgcode.github.plan callback.
  returned: always
  type: list
  elements: dict
  sample: [{kind: team_member, scope: acme/platform, id: mona, action: add, verb: add, from: null, to: member}]
writes_done:
  description: When the task fails after some writes, the writes GitHub accepted (C(method) and C(path)).
  returned: on failure after a write
  type: list
  elements: dict
api:
  description: Number of API requests of this task, and any retries or rate-limit waits.
  returned: always
  type: dict
  sample: {requests: 1, events: []}
'''

from ansible_collections.orgcode.github.plugins.module_utils import _team_members
from ansible_collections.orgcode.github.plugins.module_utils._reconcile import LIST_MODE_ARGS
from ansible_collections.orgcode.github.plugins.module_utils.github_module import GitHubModule


def main():
    gh = GitHubModule(
        argument_spec=dict(
            org=dict(type="str", required=True),
            team=dict(type="str", required=True),
            username=dict(type="str"),
            role=dict(type="str", choices=["member", "maintainer"], default="member"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            members=dict(type="list", elements="dict", options=dict(
                login=dict(type="str", required=True, aliases=["username"]),
                role=dict(type="str", choices=["member", "maintainer"], default="member"),
            )),
            new_team=dict(type="bool", default=False),
            **LIST_MODE_ARGS
        ),
        mutually_exclusive=[("username", "members")],
        required_one_of=[("username", "members")],
    )
    gh.run(_team_members.manage)


if __name__ == "__main__":
    main()
