#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: github_team
short_description: Manage a team of a GitHub organization
version_added: 0.1.0
description:
  - Creates, updates, renames, moves under another team or deletes a team, through
    C(/orgs/{org}/teams) and C(/orgs/{org}/teams/{team_slug}).
  - The team is found by O(slug) when given (the team to rename), else by the slug GitHub makes from
    O(name) (lower case, C(-) for spaces and punctuation). Renaming a team changes its slug.
  - Only the options the task sets are compared and changed; the others are left as they are.
  - GitHub makes the user who creates a team one of its maintainers (the token's user). Manage the
    team's members with M(orgcode.github.github_team_membership).
  - Secret teams cannot be nested. The task fails before any write when O(privacy=secret) meets a
    parent team or a team with child teams.
  - Deleting a team deletes its child teams too (GitHub's rule); they are listed in
    RV(deleted_child_teams) and in the diff.
  - "Request costs: an unchanged run costs 1 request (2 when O(slug) names the old slug of a team
    already renamed to O(name)). A change adds its write, plus one read of the parent team when
    O(parent_team) changes and one read of the child teams when O(privacy) becomes C(secret).
    O(state=absent) reads the child teams (one request per team that has children) before the
    C(DELETE)."
  - The team's legacy C(permission) is never sent (REST API version 2026-03-10 refuses it); give
    teams repository access with M(orgcode.github.github_team_repository).
  - Needs an organization owner's token, or a team maintainer's to update the team (classic tokens
    need the C(admin:org) scope).
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
  name:
    description:
      - Name of the team. Required to create a team.
      - With O(slug), the new name of the team O(slug) finds (a rename).
    type: str
  slug:
    description:
      - Slug of an existing team to find (for example to rename it to O(name), or to delete it).
      - When no team has this slug, the team is looked up by the slug of O(name) (a rename already done).
    type: str
  description:
    description: Description of the team. An empty string clears it.
    type: str
  privacy:
    description:
      - C(closed) (visible to every member of the organization) or C(secret) (visible only to
        organization owners and the team's members).
      - When creating a team without it, GitHub makes a team C(secret), or C(closed) if it has a parent.
    type: str
    choices: [closed, secret]
  notification_setting:
    description: Whether mentioning the team notifies its members.
    type: str
    choices: [notifications_enabled, notifications_disabled]
  parent_team:
    description:
      - Slug of the parent team.
      - V(null) (or an empty string V('')) detaches the team from its parent, making it a top-level
        team. Not set, the parent is left as it is.
      - The module's action plugin tells an explicit V(null) apart from an option that is not set, so
        V(null) written in a playbook, or a template that resolves to V(null), detaches; C(omit) leaves
        the option not set.
    type: str
  new_parent_team:
    description:
      - For check mode, in a play whose earlier task creates (or renames to) the parent team O(parent_team)
        (as the role orgcode.github.org_config does). When the parent team does not exist (yet), the task
        plans the team under it instead of failing for an unknown parent; the real run finds the parent
        the earlier task created.
      - Ignored outside check mode and when the parent team exists.
    type: bool
    default: false
  state:
    description: C(present) creates or updates the team; C(absent) deletes it (and its child teams).
    type: str
    choices: [present, absent]
    default: present
'''

EXAMPLES = r'''
- name: A team under Platform
  orgcode.github.github_team:
    org: acme
    name: Platform SRE
    description: Keeps the lights on
    privacy: closed
    parent_team: platform

- name: Rename team "web" to "Frontend" (its slug becomes frontend)
  orgcode.github.github_team:
    org: acme
    slug: web
    name: Frontend

- name: Detach a team from its parent (a top-level team)
  orgcode.github.github_team:
    org: acme
    name: Frontend
    parent_team: null

- name: Delete a team (and its child teams)
  orgcode.github.github_team:
    org: acme
    slug: old-team
    state: absent
'''

RETURN = r'''
team:
  description:
    - The team after the run, as GitHub returns it; empty when absent.
    - In check mode, the team as it would be (a team to create then has only the fields the task sets).
  returned: success
  type: dict
  sample: {id: 3001, name: Platform SRE, slug: platform-sre, privacy: closed,
           notification_setting: notifications_enabled, parent: {slug: platform}}
deleted_child_teams:
  description: With O(state=absent), the slugs of the child teams deleted with the team.
  returned: when O(state=absent)
  type: list
  elements: str
  sample: [platform-sre]
actions:
  description: What the run changed (in check mode, would change), for the orgcode.github.plan callback.
  returned: always
  type: list
  elements: dict
  sample: [{kind: team, scope: acme, id: platform-sre, action: add, verb: create}]
api:
  description: Number of API requests of this task, and any retries or rate-limit waits.
  returned: always
  type: dict
  sample: {requests: 1, events: []}
'''

from ansible_collections.orgcode.github.plugins.module_utils import _teams
from ansible_collections.orgcode.github.plugins.module_utils.github_module import GitHubModule


def main():
    gh = GitHubModule(
        argument_spec=dict(
            org=dict(type="str", required=True),
            name=dict(type="str"),
            slug=dict(type="str"),
            description=dict(type="str"),
            privacy=dict(type="str", choices=["closed", "secret"]),
            notification_setting=dict(type="str", choices=["notifications_enabled", "notifications_disabled"]),
            parent_team=dict(type="str"),
            new_parent_team=dict(type="bool", default=False),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        required_one_of=[("name", "slug")],
    )
    gh.run(_teams.manage)


if __name__ == "__main__":
    main()
