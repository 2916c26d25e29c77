#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: github_outside_collaborator
short_description: Convert organization members to outside collaborators, or remove outside collaborators
version_added: 0.1.0
description:
  - Manages whether a user is an outside collaborator of a GitHub organization, through
    C(/orgs/{org}/outside_collaborators/{username}).
  - C(present) converts an organization member to an outside collaborator (the user leaves the
    organization and keeps the repository access their teams gave them). A user who is already an
    outside collaborator is left as is.
  - GitHub makes a user an outside collaborator when they are given access to one of the
    organization's repositories; to do that, use M(orgcode.github.github_repo_collaborator).
    C(present) for a user who is neither a member nor an outside collaborator fails and says so.
  - C(absent) removes an outside collaborator from the organization, that is from all its
    repositories. A member, an invitee or a stranger is left unchanged (no request that GitHub would
    refuse is sent).
  - Refuses to convert the last owner (admin) of the organization, before sending anything.
  - GitHub has no single-user read for outside collaborators. A run reads
    C(GET /orgs/{org}/memberships/{username}) (one request, enough for a member); only for a
    non-member it then reads the outside collaborators list, 100 per page, and stops at the page
    holding the user. An outside collaborator at position N of the list costs 1 + ceil(N/100)
    requests; a user who is neither costs 1 request plus every page (plus C(GET /users/{username})
    when C(present) fails, to tell a missing user apart). Converting an owner reads the owner list
    (one request per 100 owners) to check that another owner remains.
  - Needs an organization owner's token (classic tokens need the C(admin:org) scope; fine-grained
    tokens the organization permission "Members" set to write).
author:
  - orgcode.github maintainers (@orgcode)
extends_documentation_fragment:
  - orgcode.github.github
  - orgcode.github.attributes
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
  state:
    description:
      - C(present) makes sure the user is an outside collaborator, converting an organization member.
      - C(absent) makes sure the user is not an outside collaborator, removing them from every
        repository of the organization.
    type: str
    choices: [present, absent]
    default: present
  async:
    description:
      - Ask GitHub to convert a member asynchronously (the C(PUT) body's C(async) field set to C(true)).
        GitHub then answers C(202) once the job is queued and the module returns C(conversion=queued);
        the conversion completes shortly after the task.
      - Useful for members with access to many repositories, where a synchronous conversion can time out.
    type: bool
    default: false
notes:
  - A conversion or removal whose answer was lost (timeout, dropped connection) is sent again; when the
    retry finds it already done (GitHub refuses to convert a user who is no member any more), one more
    read confirms it and the task reports C(changed=true), with the event in C(api.events).
  - GitHub refuses a conversion (HTTP 403) for the last owner of the organization, for a user who is
    not a member, and where an enterprise policy restricts who may add outside collaborators. The
    module fails with one message naming the user, the HTTP status and GitHub's message.
  - A member with a pending invitation to the organization is not a member yet; it counts as a user
    who is neither.
seealso:
  - module: orgcode.github.github_repo_collaborator
  - module: orgcode.github.github_org_membership
'''

EXAMPLES = r'''
- name: Turn a contractor who is an organization member into an outside collaborator
  orgcode.github.github_outside_collaborator:
    org: acme
    username: contractor-carl
    state: present

- name: Convert a member with access to many repositories asynchronously
  orgcode.github.github_outside_collaborator:
    org: acme
    username: long-time-member
    async: true

- name: Offboard an outside collaborator from every repository of the organization
  orgcode.github.github_outside_collaborator:
    org: acme
    username: former-vendor
    state: absent
'''

RETURN = r'''
outside_collaborator:
  description:
    - Whether the user is an outside collaborator of the organization after the run (in check mode,
      as it would be). C(true) as soon as an asynchronous conversion is queued.
  returned: success
  type: bool
  sample: true
user:
  description:
    - The user, with GitHub's canonical login, when the run learned it (members and outside
      collaborators). Not returned for a user who is neither.
  returned: when known
  type: dict
  sample: {login: Octocat, id: 583231, type: User}
conversion:
  description:
    - How a member's conversion went, C(completed) (HTTP 204) or C(queued) (HTTP 202, O(async=true)).
      In check mode, the answer GitHub would give.
  returned: when a member was (or in check mode would be) converted
  type: str
  sample: completed
actions:
  description:
    - What the task changed (in check mode, would change), one entry per change, in a stable shape that
      the C(orgcode.github.plan) callback and other tools read instead of the diff.
    - Empty when nothing changed. After a failure, what was done before it (empty in check mode).
  returned: always
  type: list
  elements: dict
  contains:
    kind:
      description: The resource kind - C(settings), C(member), C(outside_collaborator), C(hook),
        C(repo_collaborator), C(team), C(team_member) or C(team_repository).
      type: str
    scope:
      description: The organization, or C(owner/repo) for repository access.
      type: str
    id:
      description: The resource - a login, a hook URL, a setting name or a team slug.
      type: str
    action:
      description: C(add), C(change) or C(remove).
      type: str
    verb:
      description: What is done, in words (C(invite), C(role), C(convert from member), C(create), C(set), ...).
      type: str
    from:
      description: The value before, where there is one (a role, a setting's value).
      type: raw
      returned: for changes of one value
    to:
      description: The value after (a role, a permission, a setting's value, a hook's events).
      type: raw
      returned: for changes of one value and additions
    fields:
      description: The settings of a hook that change.
      type: list
      elements: str
      returned: for hook updates
  sample: [{kind: member, scope: acme, id: new-hire, action: add, verb: invite, from: null, to: member}]
api:
  description: Number of API requests of this task, and any retries or rate-limit waits.
  returned: always
  type: dict
  sample: {requests: 1, events: []}
'''

from ansible_collections.orgcode.github.plugins.module_utils import _outside
from ansible_collections.orgcode.github.plugins.module_utils.github_module import GitHubModule


def main():
    gh = GitHubModule(argument_spec=dict(
        org=dict(type="str", required=True),
        username=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        # The option is named like the API's body field; "async" is a Python keyword, hence the dict.
        **{"async": dict(type="bool", default=False)}
    ))
    gh.run(_outside.manage)


if __name__ == "__main__":
    main()
