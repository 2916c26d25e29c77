#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: github_org_hook
short_description: Manage a GitHub organization webhook without ever losing its secret
version_added: 0.1.0
description:
  - Creates, updates or deletes an organization webhook through C(/orgs/{org}/hooks), or with O(hooks)
    reconciles the organization's whole list of webhooks in one task.
  - A hook is identified by its delivery URL (C(config.url)), or exactly by O(hook_id). URLs are
    compared after folding the case of the scheme and host and dropping a trailing slash, so
    C(https://Hooks.example.com/gh/) finds the hook stored as C(https://hooks.example.com/gh); such a
    hook gets the URL as written in the task (an update in place, shown in the diff), never a second
    hook that would deliver every event twice. Several hooks matching the URL and no O(hook_id) is an
    error that lists their ids.
  - On an existing hook only what differs is changed. O(events) and O(active) are changed with
    C(PATCH /orgs/{org}/hooks/{hook_id}) without a C(config), and O(content_type), O(insecure_ssl) and
    O(url) with C(PATCH /orgs/{org}/hooks/{hook_id}/config) carrying only the keys that differ, so the
    stored secret is never wiped (GitHub drops the secret when a hook's C(config) is replaced without
    one).
  - GitHub never returns a secret, so it cannot be compared. With O(update_secret=on_create) (the
    default) the secret is sent when the hook is created, and when GitHub reports that the existing
    hook has no secret at all (nothing can be lost then). With O(update_secret=always) it is sent on
    every run, and every run reports C(changed).
  - An unchanged run costs one request per 100 hooks of the organization (C(GET /orgs/{org}/hooks)),
    or exactly one request with O(hook_id) (C(GET /orgs/{org}/hooks/{hook_id})). A create costs one
    more request, a change one or two more, a deletion one more, and O(ping) one more.
  - With O(hooks), the hook list is read once (one request per 100 hooks) whatever the number of
    listed hooks; an unchanged run costs exactly that. Every entry is validated before the first
    request (URL, event names, secret, no URL listed twice), and every listed hook is matched before the
    first write.
  - Needs an organization owner's token (classic tokens need the C(admin:org_hook) scope; fine-grained
    tokens the organization permission "Webhooks" set to write).
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
  url:
    description:
      - The URL GitHub delivers the payloads to (the hook's C(config.url)); an absolute C(http://) or
        C(https://) URL. Compared with the stored URL after folding the case of the scheme and host
        and dropping a trailing slash; a hook found that way gets this exact URL.
      - Identifies the hook unless O(hook_id) is set; with O(hook_id), a different O(url) changes the
        hook's URL.
      - Required with O(state=present) unless O(hooks) is given. With O(state=absent), O(url) or
        O(hook_id) is required.
      - A plain C(http://) URL is accepted with a warning.
      - Credentials in the URL, the password of its user info (C(https://ci:PASSWORD@host/hook)) and the
        values of query parameters that look like credentials (C(token), C(key), C(secret), C(sig), C(auth)...),
        are never shown, like O(secret). Results, diffs, C(actions), warnings, errors and the C(-vvv)
        invocation show C(https://ci:********@host/hook?token=********). Keep such a URL in a vaulted variable.
      - Mutually exclusive with O(hooks), as are the other options of one hook.
    type: str
  hook_id:
    description:
      - Id of the hook, to address exactly one hook, for example when several share a URL.
      - With O(state=present), a hook of that id must exist (this module does not create a hook with a
        given id). With O(state=absent) and O(url) also set, the hook must have that URL, or nothing is
        deleted and the task fails.
    type: int
  content_type:
    description: Media type GitHub serializes the payloads with.
    type: str
    choices: [json, form]
    default: json
  secret:
    description:
      - Shared secret GitHub signs each delivery with (C(X-Hub-Signature-256)).
      - Never shown, not in results, diffs, warnings or errors, not even at C(-vvv).
      - GitHub never returns a secret; see O(update_secret) for when it is sent.
      - The mask GitHub shows instead of a secret, C(********), is refused as a value.
    type: str
  update_secret:
    description:
      - C(on_create) sends O(secret) when the hook is created, and when GitHub reports that the
        existing hook has no secret. An existing secret is never changed or removed.
      - C(always) sends O(secret) on every run, replacing the stored one; as the old secret cannot be
        read and compared, every such run reports C(changed). Requires O(secret).
    type: str
    choices: [on_create, always]
    default: on_create
  insecure_ssl:
    description:
      - Whether GitHub skips verifying the TLS certificate of O(url) when delivering. C(true) is accepted
        with a warning.
    type: bool
    default: false
  events:
    description:
      - Events the hook is triggered for, for example C(push), C(pull_request), or C(*) for all.
      - Each must be one of the event names of GitHub's "Webhook events and payloads" documentation (not
        C(ping), which GitHub sends by itself, nor the events of a GitHub App's installation or Marketplace
        listing). A name GitHub does not know fails before any request, naming its position
        (C(events[1]), C(hooks[2].events[1])) and the closest valid name (C(pull_requests) - did you mean
        C(pull_request)?).
      - Order and duplicates do not matter.
    type: list
    elements: str
    default: [push]
  active:
    description: Whether GitHub delivers events to the hook.
    type: bool
    default: true
  ping:
    description:
      - Send a ping event (C(POST /orgs/{org}/hooks/{hook_id}/pings)) after the hook was created or
        changed. An unchanged run sends no ping.
    type: bool
    default: false
  state:
    description:
      - C(present) creates or updates the hook; C(absent) deletes it.
      - With O(hooks), only C(present); hooks the list leaves out are deleted with O(exclusive=true).
    type: str
    choices: [present, absent]
    default: present
  hooks:
    description:
      - The organization's webhooks, reconciled in one task (list mode). Each listed hook is created, or
        the hook matching its O(hooks[].url) is updated in place; unlisted hooks are kept, or deleted with
        O(exclusive=true) (at most O(max_removals) of them).
      - Each entry takes the options of one hook, with the same meaning and defaults as in single mode.
      - Writes go in list order (creates and updates), then the deletions, O(write_delay) seconds apart.
      - Mutually exclusive with O(url), O(hook_id), O(ping) and the single hook's options.
    type: list
    elements: dict
    suboptions:
      url:
        description: The delivery URL, the hook's identity within the list (compared as for O(url)).
        type: str
        required: true
      content_type:
        description: As O(content_type).
        type: str
        choices: [json, form]
        default: json
      secret:
        description:
          - Shared secret GitHub signs each delivery with. Never shown. See O(update_secret).
          - An empty or blank value is refused; leave it unset for a hook without a secret.
        type: str
      update_secret:
        description: When O(hooks[].secret) is sent, as O(update_secret).
        type: str
        choices: [on_create, always]
        default: on_create
      insecure_ssl:
        description: As O(insecure_ssl) (C(true) is accepted with a warning).
        type: bool
        default: false
      events:
        description: As O(events).
        type: list
        elements: str
        default: [push]
      active:
        description: As O(active).
        type: bool
        default: true
notes:
  - The C(updated_at) of a hook whose only change went through the config endpoint is the value GitHub
    reported before the change (that endpoint returns the config only; no extra read is spent).
  - To remove a secret from a hook, delete the hook and create it again without O(secret).
'''

EXAMPLES = r'''
- name: CI receives pushes and pull requests of every repository, signed with a secret
  orgcode.github.github_org_hook:
    org: acme
    url: https://ci.acme.example/github/webhook
    events: [push, pull_request]
    secret: "{{ vault_ci_hook_secret }}"

- name: Rotate the secret (reports changed on every run while update_secret is always)
  orgcode.github.github_org_hook:
    org: acme
    url: https://ci.acme.example/github/webhook
    events: [push, pull_request]
    secret: "{{ vault_ci_hook_secret_new }}"
    update_secret: always

- name: Pause deliveries, keep the hook and its secret, ping it once re-enabled later
  orgcode.github.github_org_hook:
    org: acme
    url: https://ci.acme.example/github/webhook
    events: [push, pull_request]
    active: false

- name: Two hooks share a URL; manage the one with id 42 and move it to a new URL
  orgcode.github.github_org_hook:
    org: acme
    hook_id: 42
    url: https://chat.acme.example/new-endpoint
    events: ["*"]
    ping: true

- name: The organization's webhooks, all of them; any other hook is deleted (at most 2 per run)
  orgcode.github.github_org_hook:
    org: acme
    hooks:
      - url: https://ci.acme.example/github/webhook
        events: [push, pull_request]
        secret: "{{ vault_ci_hook_secret }}"
      - url: https://chat.acme.example/hook
        events: ["*"]
        content_type: form
    exclusive: true
    max_removals: 2

- name: Remove the legacy hook
  orgcode.github.github_org_hook:
    org: acme
    url: http://legacy.acme.example/hook
    state: absent
'''

RETURN = r'''
hook:
  description:
    - The hook after the run, without its secret. Empty when the hook does not (or no longer) exist.
    - In check mode, the hook as it would be (a hook that would be created has no C(id) yet).
  returned: success, without O(hooks)
  type: dict
  contains:
    id:
      description: Id of the hook.
      type: int
      sample: 42
    url:
      description: The delivery URL (C(config.url)), with a user-info password and credential-like query values
        shown as C(********).
      type: str
      sample: https://ci.acme.example/github/webhook
    events:
      description: Events the hook is triggered for, as GitHub returns them.
      type: list
      elements: str
      sample: [push, pull_request]
    active:
      description: Whether deliveries are enabled.
      type: bool
      sample: true
    content_type:
      description: C(json) or C(form).
      type: str
      sample: json
    insecure_ssl:
      description: Whether the TLS certificate of the URL is not verified on delivery.
      type: bool
      sample: false
    secret_set:
      description: Whether the hook has a secret (GitHub shows only that one is set, never its value).
      type: bool
      sample: true
    config:
      description: The hook's C(config) as GitHub returns it, without the C(secret) key (C(url) shown as RV(hook.url)).
      type: dict
      sample: {url: https://ci.acme.example/github/webhook, content_type: json, insecure_ssl: '0'}
    created_at:
      description: When the hook was created.
      type: str
      sample: '2024-05-01T12:00:00Z'
    updated_at:
      description: When the hook was last updated, as GitHub last reported it.
      type: str
      sample: '2024-05-02T08:30:00Z'
changed_settings:
  description:
    - What differed and was (or in check mode would be) changed on an existing hook, among C(events),
      C(active), C(content_type), C(insecure_ssl), C(url) and C(secret).
  returned: success, without O(hooks)
  type: list
  elements: str
  sample: [events, secret]
pinged:
  description: Whether a ping was sent (in check mode, would be sent).
  returned: success, without O(hooks)
  type: bool
  sample: false
hooks:
  description:
    - With O(hooks), the listed hooks after the run, in list order, each as RV(hook) (no secret).
    - In check mode, as they would be (a hook that would be created has no C(id) yet).
  returned: when O(hooks) is given
  type: list
  elements: dict
  sample: [{id: 42, url: https://ci.acme.example/github/webhook, events: [push, pull_request], active: true,
            content_type: json, insecure_ssl: false, secret_set: true,
            config: {url: https://ci.acme.example/github/webhook, content_type: json, insecure_ssl: '0'},
            created_at: '2024-05-01T12:00:00Z', updated_at: '2024-05-01T12:00:00Z'}]
changes:
  description:
    - With O(hooks), what the run changed (in check mode, would change). On a failure after some writes,
      what was done before it.
  returned: when O(hooks) is given
  type: dict
  contains:
    created:
      description: URLs of the hooks created.
      type: list
      elements: str
    updated:
      description: URL of each hook updated, with what changed (as RV(changed_settings)).
      type: dict
    removed:
      description: Hooks deleted (O(exclusive=true)), as C(hook ID (URL)).
      type: list
      elements: str
  sample: {created: [https://chat.acme.example/hook], updated: {https://ci.acme.example/github/webhook: [events]},
           removed: [hook 7 (http://legacy.acme.example/hook)]}
unlisted:
  description: With O(hooks) and O(exclusive=false), the hooks the list does not name, left as they are (as RV(hook)).
  returned: when O(hooks) is given
  type: list
  elements: dict
  sample: []
writes_done:
  description: The writes sent before a failure (C(method), C(path)); such a task reports C(changed=true).
  returned: failure after a write
  type: list
  elements: dict
  sample: [{method: POST, path: /orgs/acme/hooks}]
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

from ansible_collections.orgcode.github.plugins.module_utils import _hooks
from ansible_collections.orgcode.github.plugins.module_utils._reconcile import LIST_MODE_ARGS
from ansible_collections.orgcode.github.plugins.module_utils.github_module import GitHubModule

# The options of one hook: the module's own in single mode, and the keys of each hooks entry.
HOOK_ARGS = dict(
    url=dict(type="str"),
    content_type=dict(type="str", choices=["json", "form"], default="json"),
    secret=dict(type="str", no_log=True),
    update_secret=dict(type="str", choices=["on_create", "always"], default="on_create", no_log=False),
    insecure_ssl=dict(type="bool", default=False),
    events=dict(type="list", elements="str", default=["push"]),
    active=dict(type="bool", default=True),
)


def main():
    spec = dict(
        HOOK_ARGS,
        org=dict(type="str", required=True),
        hook_id=dict(type="int"),
        ping=dict(type="bool", default=False),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        hooks=dict(type="list", elements="dict", options=dict(HOOK_ARGS, url=dict(type="str", required=True))),
    )
    spec.update(LIST_MODE_ARGS)
    gh = GitHubModule(
        argument_spec=spec,
        mutually_exclusive=[("hooks", name) for name in sorted(HOOK_ARGS) + ["hook_id", "ping"]],
        required_if=[("state", "present", ("url", "hooks"), True), ("state", "absent", ("url", "hook_id"), True)],
        secrets_of=_hooks.url_secrets,
    )
    gh.run(_hooks.manage)


if __name__ == "__main__":
    main()
