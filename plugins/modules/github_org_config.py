#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: github_org_config
short_description: Apply (or read) a whole GitHub organization description in one task
version_added: 0.4.0
description:
  - The organization engine behind the role orgcode.github.org_config. Reads the organization once, plans every
    section of O(config) together (settings, members, outside collaborators, teams, webhooks, repository
    collaborators) and sends exactly that plan; in check mode it returns the plan and sends no write.
  - "The writes go in this order: settings; members; conversions to outside collaborator; teams (parents
    first), each followed by its members and repository grants; webhooks; repository collaborators; then the
    removals (outside collaborators, members) and, last, the team deletions. Each section is planned against
    the state the earlier writes of the same run leave: a team created, renamed or moved earlier in the run,
    a member converted (it leaves its teams; its team access stays as direct access), a new owner, a new base
    permission, the access a team of the run gives its members and its child teams' members."
  - "Every entry is validated before any request, and every login, parent team, repository and custom role it
    names is confirmed before the first write: a description that cannot be applied fails with nothing
    written, in check mode and for real. A write that fails stops the run with C(changed=true) and RV(writes)
    holding what was sent; a re-run converges."
  - "Team members: C(GET /orgs/{org}/teams/{team_slug}/members) lists a team's members together with its
    child teams' members, and the REST API cannot show a direct membership apart from one through a child
    team. A login that a child team lists too is never removed from the parent; when the run takes it out of
    the child team and the description wants it in the parent, the parent gets an explicit C(PUT)."
  - "Requests of an unchanged run (the floor): 1 for the organization; 2 for the member lists (admins, members)
    and 1 for the pending invitations (not on GitHub Enterprise Server, which has no invitation lists) when
    C(members), C(outside_collaborators), C(teams) or C(repo_collaborators) is given; 1 for the outside
    collaborators; for C(teams), 1 for the team list, 2 per team whose C(members) are listed and per live child
    team of it, 1 per team whose C(repositories) are listed, and 1 for a team's pending invitations when a login
    listed there has a pending organization invitation; 1 for the hooks; for C(repo_collaborators), 2 per
    repository (direct collaborators, invitations) and 1 per listed login with neither a direct grant nor an
    invitation there (2 when GitHub reports read, to tell a collaborator from a public repository's reader). Each
    list costs one more request per further 100 entries."
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
  config:
    description:
      - The description, a dictionary of sections. Each section's entries have exactly the shape of the role
        variable C(org_config_<section>) (see C(ansible-doc -t role orgcode.github.org_config)).
      - A section that is not given is neither read nor touched.
    type: dict
    default: {}
    suboptions:
      settings:
        description: Organization settings, named as the API fields (as M(orgcode.github.github_org) takes them).
        type: dict
      members:
        description: "C({login, role: member|admin, state: present|absent})."
        type: list
        elements: dict
      outside_collaborators:
        description: "C({login, state}): a member listed here is converted; C(absent) removes it from every
          repository."
        type: list
        elements: dict
      teams:
        description: "C({name, slug, description, privacy, notification_setting, parent_team, members,
          repositories, state}); C(slug) finds the team to rename to C(name) and must name an existing team."
        type: list
        elements: dict
      hooks:
        description: "C({url, events, content_type, secret, update_secret, insecure_ssl, active, hook_id,
          state})."
        type: list
        elements: dict
      repo_collaborators:
        description: "C({repo, login, permission, state})."
        type: list
        elements: dict
  state:
    description:
      - C(merged) makes what is listed so and removes the entries listed with C(state=absent); sections named
        in O(exclusive) are authoritative.
      - C(overridden) makes every section given in O(config) authoritative.
      - C(gathered) reads the organization and returns RV(gathered) in the O(config) shape; it never writes.
    type: str
    choices: [merged, overridden, gathered]
    default: merged
  exclusive:
    description:
      - "With O(state=merged), the sections that are authoritative: unlisted members and their invitations,
        outside collaborators, teams (deleted with their child teams), team members and grants, hooks, and the
        direct collaborators and invitations of the listed repositories are removed."
      - C(team_lists) makes only the C(members) and C(repositories) lists of the listed teams authoritative
        (unlisted teams are kept), what the role's C(org_config_teams_exclusive) means.
      - Never the token's own user, nor the last owner, nor an owner's repository access.
    type: list
    elements: str
    choices: [members, outside_collaborators, teams, team_lists, hooks, repo_collaborators]
    default: []
  max_removals:
    description:
      - The most removals one run may make, over the whole run. A deleted team counts with every child team
        GitHub deletes with it. More fails before any write, naming who would be removed.
    type: int
    default: 10
  write_delay:
    description: Seconds between two writes (GitHub asks integrators to space mutating requests).
    type: float
    default: 1.0
  allow_self_removal:
    description: Allow removing the token's own user from the organization (it would lock the token out).
    type: bool
    default: false
  resend_failed_invitations:
    description: Invite again a listed member whose invitation failed or expired.
    type: bool
    default: true
  outside_collaborators_async:
    description: Convert members to outside collaborators asynchronously (GitHub answers 202).
    type: bool
    default: false
  gather:
    description: With O(state=gathered), the sections to read.
    type: list
    elements: str
    choices: [settings, members, outside_collaborators, teams, hooks, repo_collaborators]
    default: [settings, members, outside_collaborators, teams, hooks, repo_collaborators]
  repositories:
    description: With O(state=gathered), the repositories whose direct collaborators and invitations to read.
    type: list
    elements: str
    default: []
  all_repositories:
    description: With O(state=gathered), read the collaborators of every repository of the organization.
    type: bool
    default: false
  error_prefix:
    description:
      - How errors name the description's entries, C(config.) (C(config.teams[3].parent_team)) by default.
        The role sets C(org_config_) so its errors name its variables (C(org_config_teams[3].parent_team)).
    type: str
    choices: [config., org_config_]
    default: config.
notes:
  - Webhook secrets and the password or credential-like query values of a webhook URL never show in any
    result, diff or error.
  - Needs an organization owner's token (classic tokens - C(admin:org), C(repo), C(admin:org_hook) for hooks),
    or a GitHub App installation with the matching permissions - the pending invitations, the hooks and every
    team (secret ones included) are visible to owners only. So every team's grants and members are known to
    the plan; a team the token cannot see does not arise.
'''

EXAMPLES = r'''
- name: The acme organization as described (check mode shows every write)
  orgcode.github.github_org_config:
    org: acme
    exclusive: [teams]
    config:
      settings: {default_repository_permission: read}
      members:
        - {login: octo-admin, role: admin}
        - {login: mona}
      teams:
        - name: Platform
          members: [{login: mona, role: maintainer}]
          repositories: [{name: widgets, permission: maintain}]
        - {name: Platform SRE, parent_team: platform}
      repo_collaborators:
        - {repo: widgets, login: vendor-vic, permission: push}

- name: Rename team platform (its child teams follow)
  orgcode.github.github_org_config:
    org: acme
    config:
      teams:
        - {slug: platform, name: Platform Engineering}

- name: Read the organization in the config shape
  orgcode.github.github_org_config:
    org: acme
    state: gathered
    all_repositories: true
  register: acme
'''

RETURN = r'''
gathered:
  description: With O(state=gathered), the organization in the O(config) shape (no secret; a webhook URL's
    credentials redacted). Pending invitations are listed as members (a pending invitation counts as present).
  returned: when O(state=gathered)
  type: dict
  sample: {members: [{login: mona, role: member}], teams: [{name: Platform, members: [{login: mona}]}]}
facts:
  description:
    - With O(state=gathered), the reads behind RV(gathered) as M(orgcode.github.github_org_info) returns them
      (C(settings), C(members), C(invitations), C(outside_collaborators), C(hooks), C(teams)), plus
      C(repositories) (each read repository's direct collaborators and invitations as GitHub lists them, or
      null), C(enterprise_server) and C(skipped_parts) (what the server cannot give, such as invitations on
      GitHub Enterprise Server). C(playbooks/export.yml) writes its commented file from it.
  returned: when O(state=gathered)
  type: dict
writes:
  description:
    - The writes of the run in order (in check mode, the plan), each C(method), C(path) and C(body).
    - A webhook secret shows as C(********), the id of a team the run creates as C((id of new team SLUG)).
  returned: success and failure
  type: list
  elements: dict
  sample: [{method: PUT, path: /orgs/acme/teams/platform/memberships/mona, body: {role: maintainer}}]
notes:
  description: What the run kept on purpose (the token's own user, memberships shown through a child team).
  returned: when there are some
  type: list
  elements: str
actions:
  description: What the run changed (in check mode, would change), for the orgcode.github.plan callback.
  returned: always
  type: list
  elements: dict
  sample: [{kind: team_member, scope: platform, id: mona, action: add, verb: add}]
api:
  description: Number of API requests of this task, and any retries or rate-limit waits.
  returned: always
  type: dict
  sample: {requests: 7, events: []}
'''

from ansible_collections.orgcode.github.plugins.module_utils import _engine, _engine_gather
from ansible_collections.orgcode.github.plugins.module_utils.github_module import GitHubModule

SECTION_NAMES = ["settings", "members", "outside_collaborators", "teams", "hooks", "repo_collaborators"]


def manage(gh):
    if gh.params["state"] == "gathered":
        return _engine_gather.gather(gh)
    return _engine.Engine(gh).run()


def main():
    gh = GitHubModule(
        argument_spec=dict(
            org=dict(type="str", required=True),
            config=dict(type="dict", default={}),
            state=dict(type="str", choices=["merged", "overridden", "gathered"], default="merged"),
            exclusive=dict(type="list", elements="str", default=[], choices=SECTION_NAMES[1:] + ["team_lists"]),
            max_removals=dict(type="int", default=10),
            write_delay=dict(type="float", default=1.0),
            allow_self_removal=dict(type="bool", default=False),
            resend_failed_invitations=dict(type="bool", default=True),
            outside_collaborators_async=dict(type="bool", default=False),
            gather=dict(type="list", elements="str", default=SECTION_NAMES, choices=SECTION_NAMES),
            repositories=dict(type="list", elements="str", default=[]),
            all_repositories=dict(type="bool", default=False),
            error_prefix=dict(type="str", default="config.", choices=["config.", "org_config_"]),
        ),
        secrets_of=_engine.config_secrets,
    )
    gh.run(manage)


if __name__ == "__main__":
    main()
