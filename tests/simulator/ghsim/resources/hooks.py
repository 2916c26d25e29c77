"""Organization webhooks."""

from __future__ import annotations

import re

from ..common import Response, Urls, not_found, now_iso, validation
from ..context import Ctx


def hook_config(hook: dict) -> dict:
    cfg = hook["config"]
    body = {"content_type": cfg["content_type"], "insecure_ssl": cfg["insecure_ssl"], "url": cfg["url"]}
    if cfg.get("secret"):
        body["secret"] = "********"
    return body


def org_hook(org: dict, hook: dict, urls: Urls) -> dict:
    api = f"{urls.api}/orgs/{org['login']}/hooks/{hook['id']}"
    return {
        "type": "Organization",
        "id": hook["id"],
        "name": hook["name"],
        "active": hook["active"],
        "events": list(hook["events"]),
        "config": hook_config(hook),
        "updated_at": hook["updated_at"],
        "created_at": hook["created_at"],
        "url": api,
        "ping_url": f"{api}/pings",
        "deliveries_url": f"{api}/deliveries",
    }


def _hook_org(ctx: Ctx) -> dict:
    org = ctx.org()
    ctx.require_owner(org, "manage organization webhooks")
    ctx.need_scope("admin:org_hook")
    return org


def _hook(ctx: Ctx, org: dict) -> dict:
    try:
        hook = org["hooks"].get(int(ctx.params["hook_id"]))
    except ValueError:
        hook = None
    if hook is None:
        raise not_found()
    return hook


def _validate_config(config, require_url: bool) -> dict:
    if not isinstance(config, dict):
        raise validation([{"resource": "Hook", "field": "config", "code": "invalid"}])
    out = {}
    if "url" in config or require_url:
        url = config.get("url")
        if not url or not isinstance(url, str):
            raise validation([{"resource": "Hook", "field": "url", "code": "missing_field"}],
                             message="Validation Failed")
        if not re.match(r"^https?://[^\s/]+", url):
            raise validation([{"resource": "Hook", "field": "url", "code": "custom",
                               "message": "url is not a valid URL"}])
        out["url"] = url
    if "content_type" in config:
        if config["content_type"] not in ("json", "form"):
            raise validation([{"resource": "Hook", "field": "content_type", "code": "invalid"}])
        out["content_type"] = config["content_type"]
    if "insecure_ssl" in config:
        value = config["insecure_ssl"]
        if isinstance(value, bool):
            value = int(value)
        value = str(value)
        if value not in ("0", "1"):
            raise validation([{"resource": "Hook", "field": "insecure_ssl", "code": "invalid"}])
        out["insecure_ssl"] = value
    if "secret" in config:
        secret = config["secret"]
        if secret is not None and not isinstance(secret, str):
            raise validation([{"resource": "Hook", "field": "secret", "code": "invalid"}])
        out["secret"] = secret or None
    return out


# The event names GitHub accepts for an organization webhook (its "Webhook events and payloads" page), and
# "*". GitHub's own list, kept here apart from the collection's (plugins/module_utils/_rules.py), so that a
# test compares the two instead of the simulator agreeing with whatever the collection says.
WEBHOOK_EVENTS = frozenset((
    "*", "branch_protection_configuration", "branch_protection_rule", "check_run", "check_suite",
    "code_scanning_alert", "commit_comment", "create", "custom_property", "custom_property_values", "delete",
    "dependabot_alert", "deploy_key", "deployment", "deployment_protection_rule", "deployment_review",
    "deployment_status", "discussion", "discussion_comment", "fork", "gollum", "issue_comment",
    "issue_dependencies", "issues", "label", "member", "membership", "merge_group", "meta", "milestone",
    "org_block", "organization", "package", "page_build", "personal_access_token_request", "project",
    "project_card", "project_column", "projects_v2", "projects_v2_item", "projects_v2_status_update", "public",
    "pull_request", "pull_request_review", "pull_request_review_comment", "pull_request_review_thread", "push",
    "registry_package", "release", "repository", "repository_advisory", "repository_dispatch", "repository_import",
    "repository_ruleset", "repository_vulnerability_alert", "secret_scanning_alert",
    "secret_scanning_alert_location", "secret_scanning_scan", "security_advisory", "security_and_analysis",
    "sponsorship", "star", "status", "sub_issues", "team", "team_add", "watch", "workflow_dispatch", "workflow_job",
    "workflow_run",
))


def _validate_events(events, field="events") -> list:
    if not isinstance(events, list) or not all(isinstance(e, str) and e for e in events):
        raise validation([{"resource": "Hook", "field": field, "code": "invalid"}])
    unknown = [e for e in events if e not in WEBHOOK_EVENTS]
    if unknown:  # GitHub refuses the whole request, naming the first unknown event
        raise validation([{"resource": "Hook", "field": field, "code": "custom",
                           "message": "%s is not a valid event name" % unknown[0]}])
    return list(dict.fromkeys(events))


def h_list_hooks(ctx: Ctx):
    org = _hook_org(ctx)
    return ctx.paginate(list(org["hooks"].values()), lambda h: org_hook(org, h, ctx.urls))


def h_create_hook(ctx: Ctx):
    org = _hook_org(ctx)
    body = ctx.body()
    if body.get("name") != "web":
        raise validation([{"resource": "Hook", "field": "name", "code": "invalid",
                           "message": "name must be \"web\""}])
    if "config" not in body:
        raise validation([{"resource": "Hook", "field": "config", "code": "missing_field"}])
    config = _validate_config(body["config"], require_url=True)
    events = _validate_events(body.get("events", ["push"]))
    active = body.get("active", True)
    if not isinstance(active, bool):
        raise validation([{"resource": "Hook", "field": "active", "code": "invalid"}])
    for other in org["hooks"].values():
        if other["config"]["url"] == config["url"]:
            raise validation([{"resource": "Hook", "code": "custom",
                               "message": "Hook already exists on this organization"}])
    stamp = now_iso()
    hook = {
        "id": ctx.state.next_id("hook"),
        "name": "web",
        "active": active,
        "events": events,
        "config": {"url": config["url"], "content_type": config.get("content_type", "form"),
                   "insecure_ssl": config.get("insecure_ssl", "0"), "secret": config.get("secret")},
        "created_at": stamp,
        "updated_at": stamp,
        "pings": 0,
    }
    org["hooks"][hook["id"]] = hook
    return Response(201, org_hook(org, hook, ctx.urls))


def h_get_hook(ctx: Ctx):
    org = _hook_org(ctx)
    return Response(200, org_hook(org, _hook(ctx, org), ctx.urls))


def h_update_hook(ctx: Ctx):
    org = _hook_org(ctx)
    hook = _hook(ctx, org)
    body = ctx.body()
    changes = {}
    if "config" in body:
        config = _validate_config(body["config"], require_url=True)
        # GitHub replaces the whole config: a config without "secret" wipes the stored secret.
        changes["config"] = {"url": config["url"], "content_type": config.get("content_type", "form"),
                             "insecure_ssl": config.get("insecure_ssl", "0"), "secret": config.get("secret")}
    events = list(hook["events"])
    if "events" in body:
        events = _validate_events(body["events"])
    if "add_events" in body:
        for e in _validate_events(body["add_events"], "add_events"):
            if e not in events:
                events.append(e)
    if "remove_events" in body:
        removed = set(_validate_events(body["remove_events"], "remove_events"))
        events = [e for e in events if e not in removed]
    if "active" in body:
        if not isinstance(body["active"], bool):
            raise validation([{"resource": "Hook", "field": "active", "code": "invalid"}])
        changes["active"] = body["active"]
    if not events:
        raise validation([{"resource": "Hook", "field": "events", "code": "invalid",
                           "message": "events cannot be empty"}])
    hook.update(changes)
    hook["events"] = events
    hook["updated_at"] = now_iso()
    return Response(200, org_hook(org, hook, ctx.urls))


def h_delete_hook(ctx: Ctx):
    org = _hook_org(ctx)
    hook = _hook(ctx, org)
    del org["hooks"][hook["id"]]
    return Response(204, raw=b"")


def h_get_hook_config(ctx: Ctx):
    org = _hook_org(ctx)
    return Response(200, hook_config(_hook(ctx, org)))


def h_update_hook_config(ctx: Ctx):
    org = _hook_org(ctx)
    hook = _hook(ctx, org)
    config = _validate_config(ctx.body(), require_url=False)
    hook["config"].update(config)  # only the given keys change; the secret stays unless given
    hook["updated_at"] = now_iso()
    return Response(200, hook_config(hook))


def h_ping_hook(ctx: Ctx):
    org = _hook_org(ctx)
    hook = _hook(ctx, org)
    hook["pings"] += 1
    return Response(204, raw=b"")


ROUTES = [
    # (method, template, handler, is_list)
    ("GET", "/orgs/{org}/hooks", h_list_hooks, True),
    ("POST", "/orgs/{org}/hooks", h_create_hook, False),
    ("GET", "/orgs/{org}/hooks/{hook_id}", h_get_hook, False),
    ("PATCH", "/orgs/{org}/hooks/{hook_id}", h_update_hook, False),
    ("DELETE", "/orgs/{org}/hooks/{hook_id}", h_delete_hook, False),
    ("GET", "/orgs/{org}/hooks/{hook_id}/config", h_get_hook_config, False),
    ("PATCH", "/orgs/{org}/hooks/{hook_id}/config", h_update_hook_config, False),
    ("POST", "/orgs/{org}/hooks/{hook_id}/pings", h_ping_hook, False),
]
