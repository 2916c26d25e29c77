# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to orgcode.github, not a public API: it may change at any time.
# Do not use it from other collections or from your own modules.

"""github_org_hook: one organization webhook (``url`` / ``hook_id``), or the whole list (``hooks``).

A hook is matched by its delivery URL after normalising the scheme and host case and a trailing slash, so
``https://Hooks.example.com/gh/`` finds ``https://hooks.example.com/gh`` and updates its URL in place
rather than creating a second hook that would deliver every event twice.

A delivery URL may carry credentials (``https://ci:PASSWORD@host/...``, ``?token=...``): every URL this module
shows - in results, diffs, ``actions``, warnings and errors - is redacted (``redact_url``), and the credentials of
the URLs given are no_log values (``url_secrets``), so that the ``invocation`` Ansible echoes at ``-vvv`` masks
them too.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.orgcode.github.plugins.module_utils import _reconcile
from ansible_collections.orgcode.github.plugins.module_utils._rules import (  # noqa: F401
    SECRET_MASK, event_errors, is_http_url, redact_url, url_credentials, url_key)
from ansible_collections.orgcode.github.plugins.module_utils.github_client import GitHubAPIError

# The options of one hook: the module's own options in single mode, the keys of each ``hooks`` entry.
HOOK_OPTIONS = ("url", "content_type", "secret", "insecure_ssl", "events", "active", "update_secret")


# -- input -----------------------------------------------------------------------------------------------


def url_secrets(params):
    """The credentials the module's URLs carry (``url``, ``hooks[].url``), for its no_log values: Ansible then masks
    them in anything the task returns, the ``invocation`` of ``-vvv`` included, as ``https://ci:********@host/``
    (the hook stays recognisable). ``params`` may be malformed (Ansible's argument checks failed)."""
    hooks = params.get("hooks") if isinstance(params.get("hooks"), list) else []
    urls = [params.get("url")] + [entry.get("url") for entry in hooks if isinstance(entry, dict)]
    return [secret for url in urls for secret in url_credentials(url)]


def check_hook(gh, spec, where=""):
    """Fail on a bad hook, naming the option (``where`` prefixes it, e.g. ``hooks[2].``), before any request."""
    url = spec["url"]
    if url is not None and not is_http_url(url):
        raise gh.failure("%surl: %r is not an absolute http:// or https:// URL" % (where, redact_url(url)))
    errors = event_errors(spec["events"], where)
    if errors:
        raise gh.failure("; ".join(errors))
    secret = spec["secret"]
    if secret is not None:
        if secret == SECRET_MASK:
            raise gh.failure("%ssecret: the value is GitHub's mask %s, not a secret; give the real secret, or "
                             "leave secret unset to keep the stored one" % (where, SECRET_MASK))
        if not secret.strip():
            raise gh.failure("%ssecret must not be empty; leave secret unset to keep the stored one" % where)
    if spec["update_secret"] == "always" and not secret:
        raise gh.failure("%supdate_secret=always needs the secret option: it sends the secret on every run" % where)


def warn_hook(gh, spec, where=""):
    if spec["insecure_ssl"]:
        gh.module.warn("%sinsecure_ssl is true: GitHub will not verify the TLS certificate of the hook's url when "
                       "delivering payloads" % where)
    if spec["url"].lower().startswith("http://"):
        gh.module.warn("%surl is plain http://: payloads are delivered unencrypted" % where)


# -- views -----------------------------------------------------------------------------------------------


def is_insecure(value):
    return str(value).strip().lower() in ("1", "true")


def url_of(hook):
    """The delivery URL of a raw GitHub hook object, as stored (credentials included): compare it, never show it."""
    return (hook.get("config") or {}).get("url")


def describe(hook):
    """The module's view of a GitHub hook object: never the secret, only whether one is set; URLs redacted."""
    if not hook:
        return {}
    config = dict(hook.get("config") or {})
    if "url" in config:
        config["url"] = redact_url(config["url"])
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


def summary(hook, secret_note=None, created=False):
    """What the diff shows of a hook (a ``describe`` view); a hook being ``created`` has no id to show yet,
    so check mode's diff is the real run's."""
    if not hook:
        return dict(state="absent")
    shown = dict(state="present")
    for key in ("url", "content_type", "insecure_ssl", "active", "secret_set") if created else (
            "id", "url", "content_type", "insecure_ssl", "active", "secret_set"):
        shown[key] = hook.get(key)
    shown["events"] = sorted(set(hook.get("events") or []))
    if secret_note:
        shown["secret"] = secret_note
    return shown


# -- reads -------------------------------------------------------------------------------------------------


def read_hooks(gh, org):
    """Every hook of ``org``: one request per 100 hooks."""
    try:
        return gh.client.paginate("/orgs/%s/hooks" % org)
    except GitHubAPIError as err:
        if err.not_found:
            gh.require_found(org=org)
        raise


def matching(hooks, url):
    key = url_key(url)
    return [h for h in hooks if url_key(url_of(h)) == key]


def several(gh, option, org, found, remedy):
    return gh.failure("%s: %d hooks of organization %s have this url (ids %s); %s" % (
        option, len(found), org, ", ".join(str(h.get("id")) for h in found), remedy))


def find_hook(gh, org):
    """The raw hook the single-mode options address, or None. One request per 100 hooks, or one with hook_id."""
    p = gh.params
    hook_id, url = p["hook_id"], p["url"]
    if hook_id is None:
        found = matching(read_hooks(gh, org), url)
        if len(found) > 1:
            raise several(gh, "url", org, found, "set hook_id to choose one")
        return found[0] if found else None
    try:
        hook = gh.client.get("/orgs/%s/hooks/%d" % (org, hook_id))
    except GitHubAPIError as err:
        if not err.not_found:
            raise
        gh.require_found(org=org)
        hook = None
    if hook is None and p["state"] == "present":
        raise gh.failure("hook_id: organization %s has no hook with id %d" % (org, hook_id))
    if hook is not None and p["state"] == "absent" and url is not None \
            and url_key(url_of(hook)) != url_key(url):
        raise gh.failure("hook_id: hook %d of organization %s has a different url than the url option; "
                         "nothing was deleted" % (hook_id, org))
    return hook


# -- writes ------------------------------------------------------------------------------------------------


def hook_config(spec):
    return dict(url=spec["url"], content_type=spec["content_type"], insecure_ssl="1" if spec["insecure_ssl"] else "0")


def create_body(spec):
    """The body of ``POST /orgs/{org}/hooks`` for ``spec`` (its secret, if any, in ``config``)."""
    config = hook_config(spec)
    if spec["secret"]:
        config["secret"] = spec["secret"]
    events = list(dict.fromkeys(spec["events"]))  # order kept, duplicates dropped
    return dict(name="web", config=config, events=events, active=spec["active"])


def create(gh, org, spec):
    """POST the hook; returns its view (in check mode, the hook as the POST would create it, without id)."""
    body = create_body(spec)
    config, events = body["config"], body["events"]
    _status, created = gh.write("POST", "/orgs/%s/hooks" % org, body=body, expect=dict)
    if created is None:
        shown = dict(config, secret=SECRET_MASK) if spec["secret"] else dict(config)  # check mode
        created = dict(id=None, name="web", events=events, active=spec["active"], config=shown,
                       created_at=None, updated_at=None)
    gh.action("hook", org, redact_url(spec["url"]), "add", "create", new=sorted(events))
    return describe(created)


def plan_update(current, spec):
    """``(hook_changes, config_changes, send_secret)`` that bring ``current`` (a raw hook) to ``spec``."""
    now = describe(current)
    events = list(dict.fromkeys(spec["events"]))
    hook_changes = {}
    if set(now["events"]) != set(events):
        hook_changes["events"] = events
    if now["active"] != spec["active"]:
        hook_changes["active"] = spec["active"]
    stored = dict(content_type=now["content_type"], url=url_of(current))  # the URL as stored, not as shown
    config_changes = dict((key, value) for key, value in hook_config(spec).items()
                          if key != "insecure_ssl" and stored[key] != value)
    if now["insecure_ssl"] != spec["insecure_ssl"]:
        config_changes["insecure_ssl"] = "1" if spec["insecure_ssl"] else "0"
    send_secret = bool(spec["secret"]) and (spec["update_secret"] == "always" or not now["secret_set"])
    if send_secret:
        config_changes["secret"] = spec["secret"]
    return hook_changes, config_changes, send_secret


def update(gh, org, current, spec, plan, say_partial=True):
    """Apply ``plan`` (see :func:`plan_update`, not empty) to ``current``; returns the hook's view after it.

    Only what differs is sent, and never a ``config`` without the secret: GitHub would drop the stored one.
    ``say_partial``: when the second PATCH fails, fail saying what the first one changed (list mode lets
    the reconciler report the error with the list's progress instead).
    """
    hook_changes, config_changes, send_secret = plan
    hook_path = "/orgs/%s/hooks/%s" % (org, current["id"])
    result = dict(current, config=dict(current.get("config") or {}))
    if send_secret and hook_changes:
        # The secret is sent anyway: one PATCH carries the whole config with it, and events/active.
        config = dict(hook_config(spec), secret=spec["secret"])
        _status, updated = gh.write("PATCH", hook_path, body=dict(hook_changes, config=config), expect=dict)
        result = updated or dict(result, config=dict(result["config"], **config), **hook_changes)
    else:
        # Config first: the hook PATCH (if any) then returns the hook with its new config.
        if config_changes:
            _status, updated = gh.write("PATCH", hook_path + "/config", body=config_changes, expect=dict)
            result["config"] = updated or dict(result["config"], **config_changes)
        if hook_changes:
            try:
                _status, updated = gh.write("PATCH", hook_path, body=hook_changes, expect=dict)
            except GitHubAPIError as err:
                if not config_changes or not say_partial:
                    raise
                raise gh.failure("the hook's %s changed, but then %s" % (", ".join(sorted(config_changes)), err),
                                 **err.to_result())
            result = updated or dict(result, **hook_changes)
    if send_secret:
        result["config"] = dict(result["config"], secret=SECRET_MASK)  # the check-mode view; GitHub masks too
    gh.action("hook", org, redact_url(spec["url"]), "change", "update", fields=changed_settings(plan))
    return describe(result)


def secret_notes(now, plan):
    """The diff's ``(before, after)`` notes about a secret the update sends (never its value)."""
    if not plan[2]:
        return None, None
    return ("(set, not shown)" if now["secret_set"] else "(none)"), "(new value, not shown)"


def changed_settings(plan):
    return sorted(list(plan[0]) + list(plan[1]))


# -- single mode -------------------------------------------------------------------------------------------


def _ping(gh, org, hook, done):
    """Ping ``hook`` (already ``done``: created or changed) if asked; a failed ping still reports changed."""
    if not gh.params["ping"]:
        return False
    try:
        gh.write("POST", "/orgs/%s/hooks/%s/pings" % (org, hook["id"]))
    except GitHubAPIError as err:
        raise gh.failure("the hook was %s, but the ping failed: %s" % (done, err), hook=hook, **err.to_result())
    return True


def manage_single(gh, org):
    p = gh.params
    spec = dict((key, p[key]) for key in HOOK_OPTIONS)
    if p["state"] == "present":
        warn_hook(gh, spec)
    current = find_hook(gh, org)

    if p["state"] == "absent":
        if current is not None:
            gh.write("DELETE", "/orgs/%s/hooks/%s" % (org, current["id"]))
            gh.action("hook", org, redact_url(url_of(current)), "remove", "delete")
        return gh.result(changed=current is not None, before=summary(describe(current)), after=summary(None),
                         hook={}, changed_settings=[], pinged=False)

    if current is None:
        hook = create(gh, org, spec)
        return gh.result(changed=True, before=summary(None), after=summary(hook, created=True), hook=hook,
                         changed_settings=[],
                         pinged=_ping(gh, org, hook, "created"))

    now = describe(current)
    plan = plan_update(current, spec)
    if not changed_settings(plan):
        return gh.result(changed=False, before=summary(now), after=summary(now), hook=now, changed_settings=[],
                         pinged=False)
    hook = update(gh, org, current, spec, plan)
    before_note, after_note = secret_notes(now, plan)
    return gh.result(changed=True, before=summary(now, before_note), after=summary(hook, after_note), hook=hook,
                     changed_settings=changed_settings(plan), pinged=_ping(gh, org, hook, "changed"))


# -- list mode (hooks) -------------------------------------------------------------------------------------


def list_specs(gh):
    """The ``hooks`` entries, each checked, and no URL listed twice; before any request."""
    specs, seen = [], {}
    for index, entry in enumerate(gh.params["hooks"]):
        where = "hooks[%d]." % index
        spec = dict((key, entry.get(key)) for key in HOOK_OPTIONS)
        check_hook(gh, spec, where)
        key = url_key(spec["url"])
        if key in seen:
            raise gh.failure("%surl: %s is already listed as hooks[%d].url; list each hook once"
                             % (where, redact_url(spec["url"]), seen[key]))
        seen[key] = index
        specs.append(spec)
    for index, spec in enumerate(specs):
        warn_hook(gh, spec, "hooks[%d]." % index)
    return specs


def _removal_name(hook):
    return "hook %s (%s)" % (hook.get("id"), redact_url(url_of(hook)))


def manage_list(gh, org):
    """Reconcile the organization's whole hook list (authoritative with ``exclusive``)."""
    specs = list_specs(gh)
    hooks = read_hooks(gh, org)  # the one read: ceil(H/100) requests

    # The plan: every listed hook matched (at most one candidate each), created or updated as needed.
    planned, listed_ids = [], set()
    for index, spec in enumerate(specs):
        found = matching(hooks, spec["url"])
        if len(found) > 1:
            raise several(gh, "hooks[%d].url" % index, org, found,
                          "delete the extra ones, or manage them one at a time with url and hook_id")
        current = found[0] if found else None
        if current is not None:
            listed_ids.add(current.get("id"))
        planned.append((index, spec, current, plan_update(current, spec) if current is not None else None))
    by_id = dict((h.get("id"), h) for h in hooks)
    unlisted = [by_id[hook_id] for hook_id in _reconcile.compare(by_id, dict.fromkeys(listed_ids))[2]]
    remove = unlisted if gh.params["exclusive"] else []
    _reconcile.guard_removals(gh, [_removal_name(h) for h in remove], [])

    before, after, views = {}, {}, {}
    steps = []

    # Each hook is named (diff keys, changes, errors) by its URL as it may be shown.
    def creation(index, spec):
        name = redact_url(spec["url"])

        def send(gh):
            views[index] = hook = create(gh, org, spec)
            after[name] = summary(hook, created=True)
        before[name] = summary(None)
        return _reconcile.Step("created", name, send)

    def modification(index, spec, current, plan):
        now = describe(current)
        before_note, after_note = secret_notes(now, plan)
        name = redact_url(spec["url"])

        def send(gh):
            views[index] = hook = update(gh, org, current, spec, plan, say_partial=False)
            after[name] = summary(hook, after_note)
            return changed_settings(plan)
        before[name] = summary(now, before_note)
        return _reconcile.Step("updated", name, send)

    for index, spec, current, plan in planned:
        if current is None:
            steps.append(creation(index, spec))
        elif changed_settings(plan):
            steps.append(modification(index, spec, current, plan))
        else:
            views[index] = describe(current)
    for hook in remove:
        name = _removal_name(hook)
        before[name], after[name] = summary(describe(hook)), summary(None)
        steps.append(_reconcile.write_step("removed", name, "DELETE", "/orgs/%s/hooks/%s" % (org, hook["id"]),
                                           plan=dict(kind="hook", scope=org, name=redact_url(url_of(hook)),
                                                     action="remove", verb="delete")))

    done = dict(created=[], updated={}, removed=[])
    _reconcile.apply(gh, steps, done, lambda step, err: ("%s: %s" % (step.login, err), {}))
    return gh.result(
        changed=bool(steps), before=before, after=after, hooks=[views[index] for index in range(len(specs))],
        changes=done, unlisted=[] if gh.params["exclusive"] else [describe(h) for h in unlisted])


def manage(gh):
    org = gh.login("org")
    _reconcile.check_options(gh, "hooks")
    if gh.params["hooks"] is not None:
        return manage_list(gh, org)
    if gh.params["hook_id"] is not None and gh.params["hook_id"] <= 0:
        raise gh.failure("hook_id must be a positive hook id, got %s" % gh.params["hook_id"])
    check_hook(gh, dict((key, gh.params[key]) for key in HOOK_OPTIONS))
    return manage_single(gh, org)
