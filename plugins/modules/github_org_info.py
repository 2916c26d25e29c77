#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: github_org_info
short_description: Read an organization's settings, members, invitations, outside collaborators, webhooks, teams
version_added: 0.1.0
description:
  - Read-only. Gathers the parts of an organization named in O(gather) and returns one key per part.
    Never changes anything, so it runs the same in check mode and always reports C(changed=false).
  - Logins are returned in GitHub's canonical case; lists are sorted by login, case-insensitively.
  - Webhook secrets are never returned; RV(hooks[].secret_set) only says whether a hook has one. Credentials in
    a delivery URL (the password of its user info, credential-like query values such as C(token=)) are
    returned as C(********); RV(hooks[].id) identifies the hook.
  - With O(filter), the member and outside-collaborator lists are restricted by GitHub itself to users
    without two-factor authentication (C(2fa_disabled)) or with an insecure second factor such as SMS
    (C(2fa_insecure)). Only organization owners may use these filters.
  - 'Requests, each list read 100 per page: C(settings) 1 (C(GET /orgs/{org})); C(members) 2 (owners and
    other members are listed separately, C(GET /orgs/{org}/members?role=admin) and C(?role=member), so
    every member comes with its role) plus one per further 100; C(invitations) 2 (C(GET /orgs/{org}/invitations)
    and C(GET /orgs/{org}/failed_invitations)) plus one per further 100; C(outside_collaborators) 1
    (C(GET /orgs/{org}/outside_collaborators)) plus one per further 100; C(hooks) 1 (C(GET /orgs/{org}/hooks))
    plus one per further 100. Everything for an organization of up to 100 members costs 7 requests.'
  - 'C(teams) costs 1 + 3 x T requests for T teams: C(GET /orgs/{org}/teams) (plus one per further 100 teams),
    then per team C(GET /orgs/{org}/teams/{team_slug}/members?role=maintainer), C(?role=member) and
    C(GET /orgs/{org}/teams/{team_slug}/repos), each plus one per further 100. So C(teams) is not gathered by
    default (200 teams would add 601 requests to every run); name it in O(gather).'
  - >-
    Team members: GitHub documents that a team's member list "will include the members of child teams", and
    its REST API cannot show a direct membership apart from one through a child team. So RV(teams[].members)
    holds the logins the team shows that none of its child teams shows (certainly direct members), and
    RV(teams[].child_team_members) those a child team shows too (members through that child team, and maybe
    directly as well: GitHub does not say). An organization owner is shown as C(maintainer) of every team they
    are in. Pending team invitations are not read (one more request per team).
  - GitHub Enterprise Server (3.17 and later) has no organization invitation endpoints, so there C(invitations)
    is skipped, not gathered, and RV(skipped_parts) says so (a warning too when O(gather) names it). The server is
    recognised, at no extra request, by the C(X-GitHub-Enterprise-Version) header of its answers or an
    O(api_url) ending in C(/api/v3). Everything else then costs 5 requests.
  - Needs a token of an organization owner for C(invitations), C(hooks) and O(filter), and for the
    C(members) list to include concealed memberships (classic tokens need the C(read:org) scope, and
    C(admin:org_hook) or C(read:org_hook) for C(hooks)).
author:
  - orgcode.github maintainers (@orgcode)
extends_documentation_fragment:
  - orgcode.github.github
  - orgcode.github.attributes
  - orgcode.github.attributes.info_module
options:
  org:
    description: Login of the organization.
    type: str
    required: true
  gather:
    description:
      - The parts of the organization to read; each one is returned under its own key.
      - C(settings) the organization as C(GET /orgs/{org}) returns it.
      - C(members) the members with their role (C(admin) or C(member)).
      - C(invitations) the pending invitations, then the expired and failed ones, marked by
        RV(invitations[].status).
      - C(outside_collaborators) the users with access to repositories of the organization who are not
        members.
      - C(hooks) the organization webhooks, without secrets.
      - C(teams) the teams the token can see (secret teams only for an organization owner or their members),
        with their parent, members, maintainers and repositories. Not in the default (3 requests per team).
      - C(repositories) the repositories named in O(repositories) (every repository of the organization when
        O(repositories) is not given), each with its direct collaborators (and their role) and its
        invitations. Not in the default (2 requests per repository).
    type: list
    elements: str
    choices: [settings, members, invitations, outside_collaborators, hooks, teams, repositories]
    default: [settings, members, invitations, outside_collaborators, hooks]
  repositories:
    description:
      - With C(repositories) in O(gather), the repositories to read, as C(NAME) or C(ORG/NAME). Not given,
        every repository of the organization is read (C(GET /orgs/{org}/repos?type=all), one request per 100).
    type: list
    elements: str
  filter:
    description:
      - Restricts RV(members) and RV(outside_collaborators) (GitHub's own C(filter) parameter).
      - C(all) every one; C(2fa_disabled) only users without two-factor authentication;
        C(2fa_insecure) only users whose second factor is insecure (for example SMS).
      - The other parts are not filtered.
    type: str
    choices: [all, 2fa_disabled, 2fa_insecure]
    default: all
notes:
  - Read-only; safe to run in check mode, where it gathers exactly the same facts.
seealso:
  - module: orgcode.github.github_org
  - module: orgcode.github.github_org_membership
  - module: orgcode.github.github_org_hook
  - module: orgcode.github.github_team
  - module: orgcode.github.github_team_membership
  - module: orgcode.github.github_team_repository
'''

EXAMPLES = r'''
- name: Everything about acme (7 requests for an organization of up to 100 members)
  orgcode.github.github_org_info:
    org: acme
  register: acme

- name: Members and outside collaborators without two-factor authentication
  orgcode.github.github_org_info:
    org: acme
    gather: [members, outside_collaborators]
    filter: 2fa_disabled
  register: no_2fa

- name: Fail when an owner has no second factor
  vars:
    owners_without_2fa: "{{ no_2fa.members | selectattr('role', 'equalto', 'admin') | map(attribute='login') }}"
  ansible.builtin.assert:
    that: owners_without_2fa | length == 0
    fail_msg: "Owners without 2FA: {{ owners_without_2fa | join(', ') }}"

- name: Hooks that deliver without a secret or without TLS verification
  orgcode.github.github_org_info:
    org: acme
    gather: [hooks]
  register: info

- name: Show them
  ansible.builtin.debug:
    msg: "{{ info.hooks | rejectattr('secret_set') | map(attribute='url') | list
             + info.hooks | selectattr('insecure_ssl') | map(attribute='url') | list }}"

- name: The teams (1 + 3 requests per team)
  orgcode.github.github_org_info:
    org: acme
    gather: [teams]
  register: acme_teams

- name: Teams nobody maintains
  ansible.builtin.debug:
    msg: "{{ acme_teams.teams | rejectattr('maintainers') | map(attribute='slug') | list }}"
'''

RETURN = r'''
organization:
  description: Login of the organization; in GitHub's canonical case when C(settings) is gathered, else as given.
  returned: always
  type: str
  sample: acme
gathered:
  description:
    - The parts that were gathered, in the order of O(gather), without duplicates.
    - A part the server does not have is not in it but in RV(skipped_parts).
  returned: always
  type: list
  elements: str
  sample: [settings, members, invitations, outside_collaborators, hooks]
skipped_parts:
  description:
    - The parts of O(gather) the server does not have, each with the reason; their keys are not returned.
    - On GitHub Enterprise Server, C(invitations); empty elsewhere.
  returned: always
  type: dict
  sample: {invitations: 'GitHub Enterprise Server 3.19.0 has no organization invitation endpoints
           (GET /orgs/{org}/invitations and /orgs/{org}/failed_invitations)'}
filter:
  description: The O(filter) applied to RV(members) and RV(outside_collaborators).
  returned: always
  type: str
  sample: all
settings:
  description: The organization as C(GET /orgs/{org}) returns it.
  returned: when C(settings) is gathered
  type: dict
  sample: {login: acme, name: ACME Corp, default_repository_permission: read,
           two_factor_requirement_enabled: false, members_can_create_repositories: true}
members:
  description: The members (restricted by O(filter)), sorted by login.
  returned: when C(members) is gathered
  type: list
  elements: dict
  contains:
    login:
      description: GitHub's canonical login.
      type: str
      sample: Octo-Admin
    id:
      description: User id.
      type: int
      sample: 583231
    role:
      description: C(admin) (an organization owner) or C(member).
      type: str
      sample: admin
    type:
      description: C(User) or C(Bot).
      type: str
      sample: User
  sample: [{login: Octo-Admin, id: 1, role: admin, type: User}, {login: mona, id: 7, role: member, type: User}]
invitations:
  description:
    - Pending invitations first, then expired or failed ones; each sorted by login (invitations sent to an
      email address have a null C(login) and come last).
  returned: when C(invitations) is gathered (never on GitHub Enterprise Server, see RV(skipped_parts))
  type: list
  elements: dict
  contains:
    id:
      description: Invitation id.
      type: int
    login:
      description: Canonical login of the invitee, or null for an invitation sent to an email address.
      type: str
    email:
      description: Email address the invitation was sent to, when GitHub shows it.
      type: str
    role:
      description: Role the invitation grants, as GitHub names it (C(admin), C(direct_member), C(billing_manager)...).
      type: str
    status:
      description: C(pending), C(expired) (the invitation was not accepted in time) or C(failed).
      type: str
    expired:
      description: Whether the invitation expired.
      type: bool
    created_at:
      description: When the invitation was sent.
      type: str
    failed_at:
      description: When the invitation expired or failed, else null.
      type: str
    failed_reason:
      description: GitHub's reason, for example C(Invitation expired), else null.
      type: str
    inviter:
      description: Canonical login of the user who sent the invitation.
      type: str
  sample:
    - {id: 3, login: pending-pat, email: null, role: direct_member, status: pending, expired: false,
       created_at: '2025-06-01T09:00:00Z', failed_at: null, failed_reason: null, inviter: octo-admin}
    - {id: 4, login: expired-eve, email: null, role: admin, status: expired, expired: true,
       created_at: '2024-01-02T09:00:00Z', failed_at: '2024-01-09T09:00:00Z',
       failed_reason: Invitation expired, inviter: octo-admin}
outside_collaborators:
  description: The outside collaborators (restricted by O(filter)), sorted by login.
  returned: when C(outside_collaborators) is gathered
  type: list
  elements: dict
  contains:
    login:
      description: GitHub's canonical login.
      type: str
    id:
      description: User id.
      type: int
    type:
      description: C(User) or C(Bot).
      type: str
  sample: [{login: Vendor-Vic, id: 11, type: User}]
hooks:
  description: The organization webhooks, sorted by id. Never carries a secret or its mask.
  returned: when C(hooks) is gathered
  type: list
  elements: dict
  contains:
    id:
      description: Hook id.
      type: int
    url:
      description: The delivery URL (C(config.url)), with a user-info password and credential-like query
        values shown as C(********) (C(https://ci:********@host/hook?token=********)).
      type: str
    events:
      description: Events the hook is triggered for.
      type: list
      elements: str
    active:
      description: Whether deliveries are enabled.
      type: bool
    content_type:
      description: C(json) or C(form).
      type: str
    insecure_ssl:
      description: Whether GitHub delivers without verifying the TLS certificate of the URL.
      type: bool
    secret_set:
      description: Whether the hook has a secret (its value is never returned).
      type: bool
    created_at:
      description: When the hook was created.
      type: str
    updated_at:
      description: When the hook was last updated.
      type: str
  sample:
    - {id: 101, url: 'https://ci.acme.example/github/webhook', events: [pull_request, push], active: true,
       content_type: json, insecure_ssl: false, secret_set: true, created_at: '2024-05-01T12:00:00Z',
       updated_at: '2024-05-01T12:00:00Z'}
teams:
  description:
    - The teams the token can see, sorted by slug (parents are not put first; RV(teams[].parent) names them).
  returned: when C(teams) is gathered
  type: list
  elements: dict
  contains:
    slug:
      description: The team's slug (made by GitHub from its name; it changes when the team is renamed).
      type: str
      sample: platform
    name:
      description: The team's name.
      type: str
      sample: Platform
    id:
      description: Team id.
      type: int
    description:
      description: The team's description, or null.
      type: str
    privacy:
      description: C(closed) (visible to every member of the organization) or C(secret).
      type: str
      sample: closed
    notification_setting:
      description: C(notifications_enabled) or C(notifications_disabled).
      type: str
    parent:
      description: Slug of the parent team, or null for a top-level team.
      type: str
      sample: infra
    child_teams:
      description: Slugs of the team's child teams, sorted.
      type: list
      elements: str
    members:
      description:
        - The logins the team shows that none of its child teams shows, so direct members, sorted by login,
          each with its role, C(maintainer) or C(member) (an organization owner is shown as C(maintainer)).
        - A direct member who is also in a child team is in RV(teams[].child_team_members) instead, since
          GitHub's REST API cannot tell.
      type: list
      elements: dict
      sample: [{login: alice, role: maintainer}, {login: bob, role: member}]
    child_team_members:
      description:
        - The logins the team shows that a child team shows too, sorted by login, with the role the team shows
          and C(child_teams), the slugs of the child teams that show them. They are members through those child
          teams, and may be direct members as well.
      type: list
      elements: dict
      sample: [{login: dave, role: member, child_teams: [platform-sre]}]
    maintainers:
      description:
        - The logins GitHub shows as maintainers of the team (C(GET .../members?role=maintainer)), sorted; its
          maintainers and the organization owners who are in the team or one of its child teams.
      type: list
      elements: str
      sample: [alice]
    repositories:
      description:
        - The team's repositories as C(GET /orgs/{org}/teams/{team_slug}/repos) lists them, sorted by name.
        - C(name) the repository name (C(owner/name) for a repository of another owner); C(role_name) GitHub's
          role name (C(read), C(triage), C(write), C(maintain), C(admin) or a custom role);
          C(permission) the same role in the vocabulary of O(orgcode.github.github_team_repository#module:permission)
          (C(pull), C(triage), C(push), C(maintain), C(admin) or the custom role).
      type: list
      elements: dict
      sample: [{name: api, role_name: write, permission: push}]
  sample:
    - {slug: platform, name: Platform, id: 1, description: Platform engineering, privacy: closed,
       notification_setting: notifications_enabled, parent: null, child_teams: [platform-sre],
       members: [{login: alice, role: maintainer}, {login: bob, role: member}],
       child_team_members: [{login: dave, role: member, child_teams: [platform-sre]}],
       maintainers: [alice], repositories: [{name: widgets, role_name: write, permission: push}]}
api:
  description: Number of API requests of this task, and any retries or rate-limit waits.
  returned: always
  type: dict
  sample: {requests: 7, events: []}
repositories:
  description:
    - With C(repositories) in O(gather), each repository read, sorted by name.
    - C(collaborators) its direct collaborators (C(login), C(role_name), C(permission) as
      M(orgcode.github.github_repo_collaborator) takes it); C(invitations) its invitations (C(id), C(login),
      C(permissions), C(expired)).
  returned: when gathered
  type: list
  elements: dict
  sample: [{name: widgets, collaborators: [{login: vendor-vic, role_name: write, permission: push}],
            invitations: [{id: 17, login: frank, permissions: write, expired: false}]}]
'''

from ansible_collections.orgcode.github.plugins.module_utils import _org_info
from ansible_collections.orgcode.github.plugins.module_utils.github_module import GitHubModule


def main():
    gh = GitHubModule(argument_spec=dict(
        org=dict(type="str", required=True),
        gather=dict(type="list", elements="str", choices=list(_org_info.PARTS), default=list(_org_info.DEFAULT)),
        filter=dict(type="str", choices=list(_org_info.FILTERS), default="all"),
        repositories=dict(type="list", elements="str"),
    ))
    gh.run(_org_info.manage)


if __name__ == "__main__":
    main()
