#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: github_org
short_description: Manage a GitHub organization's settings
version_added: 0.1.0
description:
  - Reads an organization with C(GET /orgs/{org}) and, when a setting you gave differs, sends one
    C(PATCH /orgs/{org}) carrying exactly the fields that differ.
  - Only the options you set are managed. Nothing else is sent, so there are no hidden defaults and
    combinations GitHub would reject with 422 are not triggered by fields you did not mention.
  - An unchanged run costs one request.
  - Needs an organization owner's token (classic tokens need the C(admin:org) scope; fine-grained
    tokens the organization permission "Administration" set to write).
  - GitHub returns the owner-only settings (O(billing_email), O(default_repository_permission), the
    C(members_can_*) settings, O(web_commit_signoff_required), O(deploy_keys_enabled_for_repositories)
    and the push-protection link settings) only to such a token. When a task sets one the token cannot
    see, it fails before any write, in check mode too, saying so.
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
    description: Display name of the organization.
    type: str
  description:
    description: Description of the organization.
    type: str
  company:
    description: Company name.
    type: str
  email:
    description: Publicly visible email address.
    type: str
  billing_email:
    description: Billing email address (not public). Only owners can read it.
    type: str
  location:
    description: Location.
    type: str
  blog:
    description: URL of the organization's blog or website.
    type: str
  twitter_username:
    description: Twitter (X) username of the organization.
    type: str
  has_organization_projects:
    description: Whether the organization can use organization projects.
    type: bool
  has_repository_projects:
    description: Whether repositories of the organization can use repository projects.
    type: bool
  default_repository_permission:
    description: Base permission members have on every repository of the organization.
    type: str
    choices: [read, write, admin, none]
  members_can_create_repositories:
    description: Whether non-admin members can create repositories.
    type: bool
  members_can_create_public_repositories:
    description: Whether members can create public repositories.
    type: bool
  members_can_create_private_repositories:
    description: Whether members can create private repositories.
    type: bool
  members_can_create_internal_repositories:
    description:
      - Whether members can create internal repositories.
      - Only for organizations that belong to an enterprise (GitHub Enterprise Cloud or Server).
    type: bool
  members_can_create_pages:
    description: Whether members can publish GitHub Pages sites.
    type: bool
  members_can_create_public_pages:
    description:
      - Whether members can publish public GitHub Pages sites.
      - Not on GitHub Enterprise Server, which does not take it (it would be ignored there), so a task
        setting it against GHES fails before any write, naming it.
    type: bool
  members_can_create_private_pages:
    description:
      - Whether members can publish private GitHub Pages sites (GitHub Enterprise Cloud).
      - Not on GitHub Enterprise Server, which does not take it; a task setting it there fails before any write.
    type: bool
  members_can_fork_private_repositories:
    description: Whether members can fork private repositories of the organization.
    type: bool
  web_commit_signoff_required:
    description: Whether contributors must sign off on commits made through the web interface.
    type: bool
  deploy_keys_enabled_for_repositories:
    description: Whether deploy keys may be added to and used on repositories of the organization.
    type: bool
  secret_scanning_push_protection_custom_link_enabled:
    description:
      - Whether a custom link is shown to contributors blocked by push protection.
      - REST API version 2026-03-10 removed this field (O(api_version)); with that version or a later one
        the task fails before any request, naming it.
    type: bool
  secret_scanning_push_protection_custom_link:
    description: The link shown when O(secret_scanning_push_protection_custom_link_enabled=true).
    type: str
notes:
  - GitHub Enterprise Server is recognised, at no extra request, by an O(api_url) ending in C(/api/v3) or
    the C(X-GitHub-Enterprise-Version) header of the first answer (then the task fails after that read,
    still before any write).
  - A setting GitHub does not return even to an owner's token (for example one the organization's
    plan or the API version lacks) cannot be compared; it is sent on every run and a warning says so.
  - An empty string and a missing or null value compare equal, so O(location='') on an organization
    without a location is unchanged.
'''

EXAMPLES = r'''
- name: Keep the profile and member privileges of acme as reviewed
  orgcode.github.github_org:
    org: acme
    name: ACME Corporation
    description: Widgets and gadgets since 1949
    billing_email: billing@acme.example
    default_repository_permission: read
    members_can_create_repositories: false
    members_can_fork_private_repositories: false
    web_commit_signoff_required: true

- name: Against GitHub Enterprise Server, connection options set once for the whole play
  hosts: localhost
  module_defaults:
    group/orgcode.github.github:
      api_url: https://github.example.com/api/v3
      token: "{{ lookup('ansible.builtin.env', 'GHES_TOKEN') }}"
  tasks:
    - name: Members read every repository
      orgcode.github.github_org:
        org: platform
        default_repository_permission: read
'''

RETURN = r'''
organization:
  description:
    - The organization after the run, as C(GET /orgs/{org}) returns it.
    - In check mode, the current organization with the requested settings applied.
  returned: success
  type: dict
  sample:
    login: acme
    name: ACME Corporation
    default_repository_permission: read
    members_can_create_repositories: false
changed_settings:
  description: Names of the settings that differed and were (or in check mode would be) changed.
  returned: success
  type: list
  elements: str
  sample: [default_repository_permission]
unsupported_settings:
  description:
    - The settings the task sets that the server or the O(api_version) does not have (the task then fails
      before any write) - C(secret_scanning_push_protection_custom_link_enabled) from API version 2026-03-10,
      C(members_can_create_public_pages) and C(members_can_create_private_pages) on GitHub Enterprise Server.
  returned: failure, when a setting of the task is one the server or API version does not have
  type: list
  elements: str
  sample: [secret_scanning_push_protection_custom_link_enabled]
hidden_settings:
  description: The owner-only settings the task sets that the token cannot see (the task then fails).
  returned: failure, when the token cannot see an owner-only setting the task sets
  type: list
  elements: str
  sample: [default_repository_permission]
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

from ansible_collections.orgcode.github.plugins.module_utils import _org
from ansible_collections.orgcode.github.plugins.module_utils.github_module import GitHubModule


def main():
    spec = dict(org=dict(type="str", required=True))
    spec.update((key, dict(type="str")) for key in _org.STRING_SETTINGS)
    spec.update((key, dict(type="bool")) for key in _org.BOOL_SETTINGS)
    spec["secret_scanning_push_protection_custom_link"]["no_log"] = False  # a URL, not a secret
    spec["default_repository_permission"] = dict(type="str", choices=["read", "write", "admin", "none"])
    gh = GitHubModule(argument_spec=spec)
    gh.run(_org.manage)


if __name__ == "__main__":
    main()
