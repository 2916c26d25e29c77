"""Which GitHub the simulator plays, and what each REST API version changes.

Flavours (the state's ``flavor`` key, else the server's ``--flavour``):

``github.com``
    api.github.com.  API versions ``2022-11-28`` (default) and ``2026-03-10``, chosen per request by
    the ``X-GitHub-Api-Version`` header.  The GHES-style ``/api/v3`` root is also accepted (URLs in
    answers then carry it), as the collection's tests of the ``api_url`` handling rely on.
``ghes``
    GitHub Enterprise Server 3.17-3.19, from ``@octokit/openapi``'s ``generated/ghes-3.1x.json``: the API
    is only under ``/api/v3`` (any other path is 404), every answer carries ``X-GitHub-Enterprise-Version``
    (the state's ``ghes_version``, default ``3.19.0``), the operations the descriptions lack are 404
    (``GHES_ABSENT_ROUTES``), ``PATCH /orgs/{org}`` ignores the fields GHES does not document, a
    repository collaborator is added directly (``204``, never an invitation: GHES documents no ``201``),
    and only API version ``2022-11-28`` exists (the descriptions carry no ``x-github-breaking-changes``).

API version ``2026-03-10`` (``BREAKING``), from the ``x-github-breaking-changes`` entries of
``generated/api.github.com.json`` that touch what the simulator serves:

- ``remove_secret_scanning_custom_link_enablement_field``: ``PATCH /orgs/{org}`` no longer takes
  ``secret_scanning_push_protection_custom_link_enabled`` (ignored, as any unknown field) and the
  organization object no longer has it;
- ``change_update_user_membership_trade_compliance_response_status``: ``PUT /orgs/{org}/memberships/
  {username}`` answers ``451`` (instead of ``422``) for a trade-restricted user (state: a user with
  ``trade_restricted: true``);
- ``remove_has_downloads``: repositories no longer have ``has_downloads``;
- ``remove_team_permission``: ``POST /orgs/{org}/teams`` no longer takes ``permission`` (``422`` if
  given), for the teams resource.
"""

from __future__ import annotations

GITHUB_COM = "github.com"
GHES = "ghes"
FLAVOURS = (GITHUB_COM, GHES)
GHES_PREFIX = "/api/v3"
DEFAULT_GHES_VERSION = "3.19.0"

V2022 = "2022-11-28"
V2026 = "2026-03-10"
API_VERSIONS = {GITHUB_COM: (V2022, V2026), GHES: (V2022,)}

# Operations of the simulator that GHES 3.17, 3.18 and 3.19 do not describe.
GHES_ABSENT_ROUTES = frozenset({
    ("GET", "/orgs/{org}/invitations"),
    ("POST", "/orgs/{org}/invitations"),
    ("GET", "/orgs/{org}/failed_invitations"),
    ("DELETE", "/orgs/{org}/invitations/{invitation_id}"),
    ("GET", "/orgs/{org}/teams/{team_slug}/invitations"),
})
# PATCH /orgs/{org} request fields api.github.com documents and GHES 3.17-3.19 do not.
GHES_ORG_UNWRITABLE = frozenset({"members_can_create_public_pages", "members_can_create_private_pages"})

# What each API version newer than 2022-11-28 changes, per operation (method, route template).
BREAKING = {
    V2026: {
        # request fields the version no longer has: dropped before the handler sees the body
        "request_fields_removed": {
            ("PATCH", "/orgs/{org}"): frozenset({"secret_scanning_push_protection_custom_link_enabled"}),
        },
        # request fields the version refuses with 422
        "request_fields_rejected": {
            ("POST", "/orgs/{org}/teams"): frozenset({"permission"}),
        },
        # response fields the version no longer has: removed from the answer (each item of a list)
        "response_fields_removed": {
            ("GET", "/orgs/{org}"): frozenset({"secret_scanning_push_protection_custom_link_enabled"}),
            ("PATCH", "/orgs/{org}"): frozenset({"secret_scanning_push_protection_custom_link_enabled"}),
            ("GET", "/orgs/{org}/repos"): frozenset({"has_downloads", "use_squash_pr_title_as_default"}),
            ("GET", "/repos/{owner}/{repo}"): frozenset({"has_downloads", "use_squash_pr_title_as_default"}),
            ("GET", "/orgs/{org}/teams/{team_slug}/repos"): frozenset({"has_downloads",
                                                                      "use_squash_pr_title_as_default"}),
            ("GET", "/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}"): frozenset({
                "has_downloads", "use_squash_pr_title_as_default"}),
        },
        # operations answering 451 for a trade-restricted user (422 before this version)
        "trade_compliance_451": frozenset({("PUT", "/orgs/{org}/memberships/{username}")}),
    },
}


def version_changes(version: str, kind: str, method: str, template: str | None):
    """What ``version`` changes of ``kind`` for one operation (an empty set when nothing)."""
    table = BREAKING.get(version, {}).get(kind, {})
    if isinstance(table, frozenset):
        return (method, template) in table
    return table.get((method, template), frozenset())


def strip_fields(body, fields: frozenset):
    """``body`` (an object or a list of objects) without ``fields``."""
    if not fields:
        return body
    if isinstance(body, list):
        return [strip_fields(item, fields) for item in body]
    if isinstance(body, dict):
        return {k: v for k, v in body.items() if k not in fields}
    return body
