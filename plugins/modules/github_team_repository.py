#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: github_team_repository
short_description: Manage a GitHub team's access to the organization's repositories
version_added: 0.1.0
description:
  - Gives a team a role on a repository of its organization, changes the role, or removes the
    team's access, through C(/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}).
  - The role is a built-in one (C(pull), C(triage), C(push), C(maintain), C(admin); C(read) and
    C(write) are accepted for C(pull) and C(push)) or a custom repository role of the organization,
    checked (C(GET /orgs/{org}/custom-repository-roles), one request) before any write, as
    M(orgcode.github.github_repo_collaborator) does.
  - Child teams inherit their parent team's repository access. For O(repo), GitHub's check of a
    team's access counts what a parent team gives, so a role inherited from the parent counts as
    present; with O(repositories) only the team's own grants are listed, compared and removed.
  - "Request costs: an unchanged run for O(repo) costs 1 request (2 when the team has no access,
    to tell an unknown team apart). Granting access first confirms the repository exists (one
    request); a custom role adds one request. O(state=absent) reads the team's own grants (up to the
    repository's page) before the C(DELETE), and leaves access the team only inherits from its parent
    (with a warning)."
  - With O(repositories), the team's whole repository list is reconciled in one task. It reads the
    team's repositories once (100 per page) and writes only what differs, one write at a time
    O(write_delay) seconds apart; an unchanged run of a team with at most 100 repositories costs 1
    request. Every listed repository the team has no grant on is confirmed to exist before the
    first write.
  - Needs a token with admin rights on the repositories that can see the team (classic tokens need
    the C(repo) and C(admin:org) scopes).
author:
  - orgcode.github maintainers (@orgcode)
extends_documentation_fragment:
  - orgcode.github.github
  - orgcode.github.github.list_mode
  - orgcode.github.attributes
options:
  org:
    description: Login of the organization (which owns the team and the repositories).
    type: str
    required: true
  team:
    description: Slug of the team.
    type: str
    required: true
  repo:
    description:
      - Name of the repository (C(name) or C(org/name)). Exactly one of O(repo) and O(repositories) is
        required.
    type: str
  permission:
    description: For O(repo), the team's role.
    type: str
    default: push
  state:
    description: For O(repo), C(present) gives the team the role; C(absent) removes its access.
    type: str
    choices: [present, absent]
    default: present
  repositories:
    description:
      - The team's whole repository list, reconciled in one task (authoritative mode).
      - Listed repositories the team has no grant on are granted, and grants whose role differs are
        changed in place. With O(exclusive=true), the team's grants on unlisted repositories are
        removed (access inherited from a parent team is never touched).
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the repository (C(name) or C(org/name)).
        type: str
        required: true
      permission:
        description: The team's role on it.
        type: str
        default: push
  new_team:
    description:
      - For check mode, with O(repo) or O(repositories), in a play whose earlier task creates the team (as the role
        orgcode.github.org_config does). When the team does not exist (yet), the task plans against
        the team as that task would create it (it has no repository yet) instead of failing
        for an unknown team; the real run finds the team the earlier task created. One more read.
      - Ignored outside check mode and when the team exists.
    type: bool
    default: false
'''

EXAMPLES = r'''
- name: Team platform maintains widgets
  orgcode.github.github_team_repository:
    org: acme
    team: platform
    repo: widgets
    permission: maintain

- name: A custom repository role
  orgcode.github.github_team_repository:
    org: acme
    team: security
    repo: widgets
    permission: security-reviewer

- name: The team's whole repository list; unlisted grants are removed (at most 10 per run)
  orgcode.github.github_team_repository:
    org: acme
    team: platform
    exclusive: true
    repositories:
      - {name: widgets, permission: maintain}
      - {name: gadgets, permission: pull}
'''

RETURN = r'''
repository:
  description: For O(repo), the repository and the team's role after the run; empty when absent.
  returned: when O(repo) is given
  type: dict
  sample: {name: widgets, role_name: maintain}
changes:
  description: With O(repositories), what the run changed (in check mode, would change), by repository.
  returned: when O(repositories) is given
  type: dict
  sample: {added: {gadgets: read}, changed: {widgets: maintain}, removed: [legacy]}
repository_count:
  description: With O(repositories), the number of repositories the team has its own grant on after the run.
  returned: when O(repositories) is given
  type: int
  sample: 2
unknown_repositories:
  description: With O(repositories), the listed repositories that were not found; the task failed before any
    write.
  returned: on that failure
  type: list
  elements: str
inherited:
  description: With O(state=absent), true when the team's access comes only from its parent team (left as is).
  returned: in that case
  type: bool
valid_roles:
  description: The built-in and custom role names, when a role named by the task does not exist.
  returned: on that failure
  type: list
  elements: str
actions:
  description: What the run changed (in check mode, would change), for the orgcode.github.plan callback.
  returned: always
  type: list
  elements: dict
  sample: [{kind: team_repository, scope: acme/platform, id: widgets, action: add, verb: grant, from: null,
            to: maintain}]
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

from ansible_collections.orgcode.github.plugins.module_utils import _team_repos
from ansible_collections.orgcode.github.plugins.module_utils._reconcile import LIST_MODE_ARGS
from ansible_collections.orgcode.github.plugins.module_utils.github_module import GitHubModule


def main():
    gh = GitHubModule(
        argument_spec=dict(
            org=dict(type="str", required=True),
            team=dict(type="str", required=True),
            repo=dict(type="str"),
            permission=dict(type="str", default="push"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            repositories=dict(type="list", elements="dict", options=dict(
                name=dict(type="str", required=True),
                permission=dict(type="str", default="push"),
            )),
            new_team=dict(type="bool", default=False),
            **LIST_MODE_ARGS
        ),
        mutually_exclusive=[("repo", "repositories")],
        required_one_of=[("repo", "repositories")],
    )
    gh.run(_team_repos.manage)


if __name__ == "__main__":
    main()
