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
  - Creates, updates or deletes an organization webhook through C(/orgs/{org}/hooks).
  - A hook is identified by its delivery URL (C(config.url)), or exactly by O(hook_id). Several hooks
    with the same URL and no O(hook_id) is an error that lists their ids.
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
  - Needs an organization owner's token (classic tokens need the C(admin:org_hook) scope; fine-grained
    tokens the organization permission "Webhooks" set to write).
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
  url:
    description:
      - The URL GitHub delivers the payloads to (the hook's C(config.url)); an absolute C(http://) or
        C(https://) URL. Compared exactly as GitHub stores it.
      - Identifies the hook unless O(hook_id) is set; with O(hook_id), a different O(url) changes the
        hook's URL.
      - Required with O(state=present). With O(state=absent), O(url) or O(hook_id) is required.
      - A plain C(http://) URL is accepted with a warning.
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
    type: str
    choices: [present, absent]
    default: present
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
  returned: success
  type: dict
  contains:
    id:
      description: Id of the hook.
      type: int
      sample: 42
    url:
      description: The delivery URL (C(config.url)).
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
      description: The hook's C(config) as GitHub returns it, without the C(secret) key.
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
  returned: success
  type: list
  elements: str
  sample: [events, secret]
pinged:
  description: Whether a ping was sent (in check mode, would be sent).
  returned: success
  type: bool
  sample: false
api:
  description: Number of API requests of this task, and any retries or rate-limit waits.
  returned: always
  type: dict
  sample: {requests: 1, events: []}
'''

import re

from ansible_collections.orgcode.github.plugins.module_utils.github_client import GitHubAPIError
from ansible_collections.orgcode.github.plugins.module_utils.github_module import GitHubModule

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover - Python 2 is not supported, keeps sanity's import test quiet
    from urlparse import urlsplit  # type: ignore

SECRET_MASK = "********"  # what GitHub shows instead of a secret; never sent back as one
EVENT_RE = re.compile(r"^(\*|[a-z][a-z0-9_]*)$")


def validate(gh):
    """Fail on bad input, naming the option, before any request."""
    p = gh.params
    url = p["url"]
    if url is not None and not is_http_url(url):
        gh.fail("url: %r is not an absolute http:// or https:// URL" % url)
    if p["state"] == "present" and url is None:
        gh.fail("url is required when state is present")
    if p["state"] == "absent" and url is None and p["hook_id"] is None:
        gh.fail("url or hook_id is required when state is absent")
    if p["hook_id"] is not None and p["hook_id"] <= 0:
        gh.fail("hook_id must be a positive hook id, got %s" % p["hook_id"])
    events = p["events"]
    if not events:
        gh.fail("events must be a non-empty list of event names such as [push] or ['*']")
    for event in events:
        if not EVENT_RE.match(event or ""):
            gh.fail("events: %r is not a GitHub event name (lower-case letters, digits and underscores, "
                    "or '*' for all events)" % event)
    if p["secret"] is not None:
        if p["secret"] == SECRET_MASK:
            gh.fail("secret: the value is GitHub's mask %s, not a secret; give the real secret, or leave "
                    "secret unset to keep the stored one" % SECRET_MASK)
        if not p["secret"]:
            gh.fail("secret must not be empty; leave secret unset to keep the stored one")
    if p["update_secret"] == "always" and not p["secret"]:
        gh.fail("update_secret=always needs the secret option: it sends the secret on every run")


def is_http_url(url):
    if re.search(r"\s", url):
        return False
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # for example an unclosed IPv6 bracket
        return False


def is_insecure(value):
    return str(value).strip().lower() in ("1", "true")


def describe(hook):
    """The module's view of a GitHub hook object: never the secret, only whether one is set."""
    if not hook:
        return {}
    config = hook.get("config") or {}
    return dict(
        id=hook.get("id"),
        url=config.get("url"),
        events=list(hook.get("events") or []),
        active=hook.get("active"),
        content_type=config.get("content_type") or "form",
        insecure_ssl=is_insecure(config.get("insecure_ssl", "0")),
        secret_set=bool(config.get("secret")),
        config=dict((k, v) for k, v in config.items() if k != "secret"),
        created_at=hook.get("created_at"),
        updated_at=hook.get("updated_at"),
    )


def summary(hook, secret_note=None):
    """What the diff shows of a hook."""
    if not hook:
        return dict(state="absent")
    shown = dict(state="present")
    for key in ("id", "url", "content_type", "insecure_ssl", "active", "secret_set"):
        shown[key] = hook.get(key)
    shown["events"] = sorted(set(hook.get("events") or []))
    if secret_note:
        shown["secret"] = secret_note
    return shown


def find_hook(gh, org):
    """The raw hook the options address, or None. One request per 100 hooks, or one with hook_id."""
    hook_id = gh.params["hook_id"]
    url = gh.params["url"]
    if hook_id is not None:
        try:
            hook = gh.client.get("/orgs/%s/hooks/%d" % (org, hook_id))
        except GitHubAPIError as err:
            if err.status != 404:
                raise
            gh.require_found(org=org)
            hook = None
        if hook is None and gh.params["state"] == "present":
            gh.fail("hook_id: organization %s has no hook with id %d" % (org, hook_id))
        if hook is not None and gh.params["state"] == "absent" and url is not None \
                and (hook.get("config") or {}).get("url") != url:
            gh.fail("hook_id: hook %d of organization %s has a different url than the url option; "
                    "nothing was deleted" % (hook_id, org))
        return hook
    try:
        hooks = gh.client.paginate("/orgs/%s/hooks" % org)
    except GitHubAPIError as err:
        if err.status == 404:
            gh.require_found(org=org)
        raise
    found = [h for h in hooks if (h.get("config") or {}).get("url") == url]
    if len(found) > 1:
        gh.fail("url: %d hooks of organization %s have this url (ids %s); set hook_id to choose one" % (
            len(found), org, ", ".join(str(h.get("id")) for h in found)))
    return found[0] if found else None


def ping(gh, org, hook, done):
    """Ping ``hook`` (already ``done``: created or changed) if asked; a failed ping still reports changed."""
    if not gh.params["ping"]:
        return False
    try:
        gh.write("POST", "/orgs/%s/hooks/%s/pings" % (org, hook["id"]))
    except GitHubAPIError as err:
        gh.fail("the hook was %s, but the ping failed: %s" % (done, err), changed=True, hook=hook,
                **err.to_result())
    return True


def create(gh, org, wanted_events):
    p = gh.params
    config = dict(url=p["url"], content_type=p["content_type"], insecure_ssl="1" if p["insecure_ssl"] else "0")
    if p["secret"]:
        config["secret"] = p["secret"]
    body = dict(name="web", config=config, events=wanted_events, active=p["active"])
    status, created = gh.write("POST", "/orgs/%s/hooks" % org, body=body, expect=dict)
    if created is None:  # check mode: the hook as the POST would create it
        shown = dict(config, secret=SECRET_MASK) if p["secret"] else dict(config)
        created = dict(id=None, name="web", events=wanted_events, active=p["active"], config=shown,
                       created_at=None, updated_at=None)
    hook = describe(created)
    pinged = ping(gh, org, hook, "created")
    return gh.result(changed=True, before=summary(None), after=summary(hook), hook=hook, changed_settings=[],
            pinged=pinged)


def update(gh, org, current, wanted_events):
    p = gh.params
    hook_id = current["id"]
    now = describe(current)
    always = p["update_secret"] == "always"

    hook_changes = {}
    if set(now["events"]) != set(wanted_events):
        hook_changes["events"] = wanted_events
    if now["active"] != p["active"]:
        hook_changes["active"] = p["active"]
    config_changes = {}
    if now["url"] != p["url"]:  # only possible when addressed by hook_id
        config_changes["url"] = p["url"]
    if now["content_type"] != p["content_type"]:
        config_changes["content_type"] = p["content_type"]
    if now["insecure_ssl"] != p["insecure_ssl"]:
        config_changes["insecure_ssl"] = "1" if p["insecure_ssl"] else "0"
    send_secret = bool(p["secret"]) and (always or not now["secret_set"])
    if send_secret:
        config_changes["secret"] = p["secret"]

    changed_settings = sorted(list(hook_changes) + list(config_changes))
    if not changed_settings:
        return gh.result(changed=False, before=summary(now), after=summary(now), hook=now, changed_settings=[],
                pinged=False)

    hook_path = "/orgs/%s/hooks/%s" % (org, hook_id)
    result = dict(current, config=dict(current.get("config") or {}))
    if send_secret and hook_changes:
        # The secret is sent anyway: one PATCH carries the whole config with it, and events/active.
        config = dict(url=p["url"], content_type=p["content_type"],
                      insecure_ssl="1" if p["insecure_ssl"] else "0", secret=p["secret"])
        status, updated = gh.write("PATCH", hook_path, body=dict(hook_changes, config=config), expect=dict)
        result = updated or dict(result, config=dict(result["config"], **config), **hook_changes)
    else:
        # Config first: the hook PATCH (if any) then returns the hook with its new config.
        if config_changes:
            status, updated = gh.write("PATCH", hook_path + "/config", body=config_changes, expect=dict)
            result["config"] = updated or dict(result["config"], **config_changes)
        if hook_changes:
            try:
                status, updated = gh.write("PATCH", hook_path, body=hook_changes, expect=dict)
            except GitHubAPIError as err:
                if not config_changes:
                    raise
                gh.fail("the hook's %s changed, but then %s" % (", ".join(sorted(config_changes)), err),
                        changed=True, **err.to_result())
            result = updated or dict(result, **hook_changes)
    if send_secret:
        result["config"] = dict(result["config"], secret=SECRET_MASK)  # the check-mode view; GitHub masks too

    hook = describe(result)
    pinged = ping(gh, org, hook, "changed")
    before_note = after_note = None
    if send_secret:
        before_note = "(set, not shown)" if now["secret_set"] else "(none)"
        after_note = "(new value, not shown)"
    return gh.result(changed=True, before=summary(now, before_note), after=summary(hook, after_note), hook=hook,
            changed_settings=changed_settings, pinged=pinged)


def manage(gh):
    org = gh.login("org")
    validate(gh)
    p = gh.params
    if p["state"] == "present":
        if p["insecure_ssl"]:
            gh.module.warn("insecure_ssl is true: GitHub will not verify the TLS certificate of the hook's "
                           "url when delivering payloads")
        if p["url"].lower().startswith("http://"):
            gh.module.warn("url is plain http://: payloads are delivered unencrypted")

    current = find_hook(gh, org)

    if p["state"] == "absent":
        if current is None:
            return gh.result(changed=False, before=summary(None), after=summary(None), hook={}, changed_settings=[],
                    pinged=False)
        gh.write("DELETE", "/orgs/%s/hooks/%s" % (org, current["id"]))
        return gh.result(changed=True, before=summary(describe(current)), after=summary(None), hook={},
                changed_settings=[], pinged=False)

    wanted_events = list(dict.fromkeys(p["events"]))  # order kept, duplicates dropped
    if current is None:
        return create(gh, org, wanted_events)
    return update(gh, org, current, wanted_events)


def main():
    gh = GitHubModule(argument_spec=dict(
        org=dict(type="str", required=True),
        url=dict(type="str"),
        hook_id=dict(type="int"),
        content_type=dict(type="str", choices=["json", "form"], default="json"),
        secret=dict(type="str", no_log=True),
        update_secret=dict(type="str", choices=["on_create", "always"], default="on_create", no_log=False),
        insecure_ssl=dict(type="bool", default=False),
        events=dict(type="list", elements="str", default=["push"]),
        active=dict(type="bool", default=True),
        ping=dict(type="bool", default=False),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    ))
    gh.run(manage)


if __name__ == "__main__":
    main()
