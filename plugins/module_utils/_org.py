# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to orgcode.github, not a public API: it may change at any time.
# Do not use it from other collections or from your own modules.

"""github_org: an organization's settings (``GET``/``PATCH /orgs/{org}``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.orgcode.github.plugins.module_utils._rules import (  # noqa: F401
    BOOL_SETTINGS, NOT_ON_ENTERPRISE_SERVER, SETTINGS, STRING_SETTINGS)

# The settings of the organization object GitHub returns only to an organization owner whose token has
# admin:org (classic) or the "Administration" organization permission (fine-grained tokens, GitHub Apps).
OWNER_ONLY = frozenset(
    ["billing_email", "default_repository_permission", "web_commit_signoff_required",
     "deploy_keys_enabled_for_repositories", "secret_scanning_push_protection_custom_link_enabled",
     "secret_scanning_push_protection_custom_link"]
    + [key for key in BOOL_SETTINGS if key.startswith("members_can_")])
# Fields of that owner view that GitHub returns whatever the organization's plan: their presence tells
# that the token sees the owner view.
OWNER_VIEW_MARKERS = ("billing_email", "default_repository_permission", "members_can_create_repositories",
                      "two_factor_requirement_enabled", "total_private_repos", "plan")


# Settings a REST API version no longer has, from the version on (api_version is a date: compared as text).
# 2026-03-10: x-github-breaking-changes "remove_secret_scanning_custom_link_enablement_field" of PATCH /orgs/{org}.
REMOVED_IN_VERSION = (
    ("2026-03-10", "secret_scanning_push_protection_custom_link_enabled",
     "set secret_scanning_push_protection_custom_link alone, or use api_version 2022-11-28"),
)


def refuse_removed_in_version(gh, wanted):
    """Fail, before any request, when a wanted setting no longer exists in the task's ``api_version``."""
    version = gh.params["api_version"] or ""
    removed = [(field, since, instead) for since, field, instead in REMOVED_IN_VERSION
               if field in wanted and version >= since]
    if removed:
        raise gh.failure(
            "%s: REST API version %s no longer has %s (removed in %s: GitHub would ignore it and the task "
            "would report a change on every run); %s. Nothing was changed" % (
                ", ".join(f for f, _s, _i in removed), version,
                "this setting" if len(removed) == 1 else "these settings",
                ", ".join(sorted(set(s for _f, s, _i in removed))), "; ".join(i for _f, _s, i in removed)),
            unsupported_settings=[f for f, _s, _i in removed])


def refuse_not_on_enterprise_server(gh, wanted):
    """Fail, before any write, when the server is GHES and a wanted setting is one GHES does not take."""
    if not gh.client.enterprise_server:
        return
    unsupported = [key for key in NOT_ON_ENTERPRISE_SERVER if key in wanted]
    if unsupported:
        raise gh.failure(
            "%s: %s does not take %s in PATCH /orgs/{org} (it would ignore %s and the task would report a "
            "change on every run); remove %s from the task. "
            "Nothing was changed" % (
                ", ".join(unsupported), gh.client.describe_server(),
                "this setting" if len(unsupported) == 1 else "these settings",
                "it" if len(unsupported) == 1 else "them", "it" if len(unsupported) == 1 else "them"),
            unsupported_settings=unsupported)


def _same(current, wanted):
    """GitHub reports an unset text field as null; treat that like an empty string."""
    if isinstance(wanted, str) and (current is None or isinstance(current, str)):
        return (current or "") == wanted
    return current == wanted


def unseen_settings(current, wanted):
    """``(hidden, unreported)``: wanted settings absent from ``current``.

    ``hidden`` are owner-only settings absent because the token does not see the owner view (it is no
    owner's, or lacks admin:org): the task cannot compare them, and GitHub would refuse the PATCH.
    ``unreported`` are settings GitHub does not return even in the owner view (for example one the
    organization's plan or the API version lacks): they can only be sent on every run. An unset text
    field is left out by GitHub; it counts as empty, in neither list.
    """
    owner_view = any(key in current for key in OWNER_VIEW_MARKERS)
    missing = sorted(key for key in wanted if key not in current)
    hidden = [key for key in missing if key in OWNER_ONLY and not owner_view]
    unreported = [key for key in missing if key not in hidden and key not in STRING_SETTINGS]
    return hidden, unreported


def check_wanted(gh, wanted):
    """Fail, before any request, on settings the API version or the server does not take."""
    refuse_removed_in_version(gh, wanted)
    refuse_not_on_enterprise_server(gh, wanted)  # known before any request from an /api/v3 root


def changed_settings(gh, org, current, wanted):
    """``{setting: value}`` of ``wanted`` that differ from ``current`` (``GET /orgs/{org}``), after its checks:
    a server answer that shows GHES, owner-only settings the token cannot see (a failure before any write), and
    settings GitHub never reports (a warning; they are sent on every run). github_org and the organization
    engine both plan their ``PATCH`` with it."""
    refuse_not_on_enterprise_server(gh, wanted)  # ... else from the answer's X-GitHub-Enterprise-Version
    hidden, unreported = unseen_settings(current, wanted)
    if hidden:
        raise gh.failure(
            "%s: the token cannot see %s of organization %s (GitHub leaves %s out of GET /orgs/%s), so %s "
            "can be neither compared nor changed; nothing was changed. GitHub returns %s only to an "
            "organization owner: the token must belong to an owner and have the admin:org scope (fine-grained "
            "token or GitHub App: the organization permission \"Administration\")" % (
                ", ".join(hidden), "this setting" if len(hidden) == 1 else "these settings", org,
                "it" if len(hidden) == 1 else "them", org, "it" if len(hidden) == 1 else "they",
                "it" if len(hidden) == 1 else "them"),
            hidden_settings=hidden)
    for key in unreported:
        gh.module.warn("GitHub does not report %s for organization %s, so it cannot be compared; "
                       "it is sent on every run" % (key, org))
    return dict((key, value) for key, value in wanted.items()
                if key in unreported or not _same(current.get(key), value))


def manage(gh):
    org = gh.login("org")
    wanted = dict((key, gh.params[key]) for key in SETTINGS if gh.params[key] is not None)
    check_wanted(gh, wanted)
    current = gh.client.get_or_none("/orgs/%s" % org)
    if current is None:
        raise gh.failure("org: organization %r was not found, or the token cannot see it" % org)
    changes = changed_settings(gh, org, current, wanted)

    organization = dict(current)
    if changes:
        _status, updated = gh.write("PATCH", "/orgs/%s" % org, body=changes, expect=dict)
        organization.update(updated if updated is not None else changes)
        for key in sorted(changes):
            gh.action("settings", org, key, "change", "set", old=current.get(key), new=changes[key])

    return gh.result(
        changed=bool(changes),
        before=dict((key, current.get(key)) for key in sorted(wanted)),
        after=dict((key, organization.get(key, wanted[key])) for key in sorted(wanted)),
        organization=organization,
        changed_settings=sorted(changes),
    )
