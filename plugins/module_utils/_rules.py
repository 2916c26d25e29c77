# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to orgcode.github, not a public API: names and behaviour may change in any release.

"""The one copy of every rule the modules, the engine and the filters share.

Logins, repository names, team slugs, webhook URLs and events, repository role ranks and setting names:
``plugins/filter/`` imports them from here instead of keeping copies that drift. Nothing in here sends a
request or imports another file of the collection.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import re

try:
    from urllib.parse import urlsplit, urlunsplit
except ImportError:  # pragma: no cover - Python 2 is not supported, keeps sanity's import test quiet
    from urlparse import urlsplit, urlunsplit  # type: ignore

# -- logins, repositories, teams ---------------------------------------------------------------------------

# GitHub logins: alphanumerics and single inner hyphens, at most 39 characters.
LOGIN_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
REPO_RE = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
TEAM_SLUG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$")
TEAM_FIELDS = ("description", "privacy", "notification_setting")
TEAM_PRIVACY = ("closed", "secret")
TEAM_NOTIFICATIONS = ("notifications_enabled", "notifications_disabled")
MEMBER_ROLES = ("member", "admin")
TEAM_ROLES = ("member", "maintainer")


def login_key(login):
    """The key logins are compared and indexed by: case folded, leading ``@`` dropped."""
    return (login or "").strip().lstrip("@").lower()


def is_login(login):
    return isinstance(login, str) and bool(LOGIN_RE.match(login))


def is_repo_name(name):
    return isinstance(name, str) and bool(REPO_RE.match(name)) and name not in (".", "..")


def slug_of(name):
    """GitHub's slug of a team name: lower case, each run of other characters than letters and digits a '-'."""
    return re.sub(r"[^a-z0-9]+", "-", (name or "").lower()).strip("-")


# -- repository roles -------------------------------------------------------------------------------------

RANK = {"read": 1, "triage": 2, "write": 3, "maintain": 4, "admin": 5}
ALIASES = {"pull": "read", "push": "write"}
PUT_NAMES = {"read": "pull", "write": "push"}  # the vocabulary PUT .../collaborators/{username} takes
LEGACY = {"read": "read", "triage": "read", "write": "write", "maintain": "write", "admin": "admin", "none": "none"}
BUILT_IN = "pull, triage, push, maintain, admin"


def normalize_role(name):
    """``pull``/``push`` as ``read``/``write``, built-in roles lower-cased; a custom role as given."""
    name = (name or "").strip()
    low = name.lower()
    if low in ALIASES:
        return ALIASES[low]
    return low if low in RANK else name


def rank(role, legacy=None):
    """A comparable level for ``role``; a custom role ranks just above its legacy base, None if unknown."""
    role = (role or "none").lower()
    if role == "none":
        return 0
    if role in RANK:
        return RANK[role]
    if legacy in RANK:
        return RANK[legacy] + 0.5
    return None


def higher(one, two):
    """The higher of two normalised roles (a custom role ranks just above read), ``one`` when equal."""
    if two is None or (one is not None and (rank(one, "read") or 0) >= (rank(two, "read") or 0)):
        return one
    return two


# -- webhooks ----------------------------------------------------------------------------------------------

SECRET_MASK = "********"  # what GitHub shows instead of a secret; never sent back as one

# The events an organization webhook subscribes to: every event of GitHub's "Webhook events and payloads"
# page, and "*" for all of them, but "ping" (GitHub sends it by itself, nobody subscribes to it) and the
# events of a GitHub App's own installation or Marketplace listing (installation, installation_repositories,
# installation_target, github_app_authorization, marketplace_purchase), which no organization webhook receives.
WEBHOOK_EVENTS = frozenset((
    "*",
    "branch_protection_configuration", "branch_protection_rule", "check_run", "check_suite", "code_scanning_alert",
    "commit_comment", "create", "custom_property", "custom_property_values", "delete", "dependabot_alert",
    "deploy_key", "deployment", "deployment_protection_rule", "deployment_review", "deployment_status",
    "discussion", "discussion_comment", "fork", "gollum", "issue_comment", "issue_dependencies", "issues", "label",
    "member", "membership", "merge_group", "meta", "milestone", "org_block", "organization", "package",
    "page_build", "personal_access_token_request", "project", "project_card", "project_column", "projects_v2",
    "projects_v2_item", "projects_v2_status_update", "public", "pull_request", "pull_request_review",
    "pull_request_review_comment", "pull_request_review_thread", "push", "registry_package", "release",
    "repository", "repository_advisory", "repository_dispatch", "repository_import", "repository_ruleset",
    "repository_vulnerability_alert", "secret_scanning_alert", "secret_scanning_alert_location",
    "secret_scanning_scan", "security_advisory", "security_and_analysis", "sponsorship", "star", "status",
    "sub_issues", "team", "team_add", "watch", "workflow_dispatch", "workflow_job", "workflow_run",
))


def event_errors(events, where=""):
    """The errors of a webhook's ``events`` list, each naming its position (``where`` + ``events[1]``).

    ``where`` prefixes the option, e.g. ``hooks[2].``. A name GitHub does not know gets the closest valid one
    as a suggestion: ``hooks[2].events[1]: 'pull_requests' is not a GitHub event name; did you mean
    'pull_request'?``. Empty when the list is good.
    """
    if not isinstance(events, list) or not events:
        return ["%sevents must be a non-empty list of event names such as [push] or ['*']" % where]
    errors = []
    for index, event in enumerate(events):
        if isinstance(event, str) and event in WEBHOOK_EVENTS:
            continue
        text = event.strip().lower().replace(" ", "_").replace("-", "_") if isinstance(event, str) else ""
        close = difflib.get_close_matches(text, sorted(WEBHOOK_EVENTS), n=1) if text else []
        hint = "did you mean %r?" % close[0] if close else "see GitHub's webhook events, or '*' for all events"
        errors.append("%sevents[%d]: %r is not a GitHub event name; %s" % (where, index, event, hint))
    return errors


def is_http_url(url):
    if not isinstance(url, str) or not url or re.search(r"\s", url):
        return False
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # for example an unclosed IPv6 bracket
        return False


def url_key(url):
    """What two delivery URLs are compared by: scheme and host case folded, a trailing slash dropped."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return url
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query,
                       parts.fragment))


# -- organization settings ---------------------------------------------------------------------------------

STRING_SETTINGS = (
    "name", "description", "company", "email", "billing_email", "location", "blog",
    "twitter_username", "secret_scanning_push_protection_custom_link",
)
BOOL_SETTINGS = (
    "has_organization_projects", "has_repository_projects",
    "members_can_create_repositories", "members_can_create_public_repositories",
    "members_can_create_private_repositories", "members_can_create_internal_repositories",
    "members_can_create_pages", "members_can_create_public_pages", "members_can_create_private_pages",
    "members_can_fork_private_repositories", "web_commit_signoff_required",
    "deploy_keys_enabled_for_repositories", "secret_scanning_push_protection_custom_link_enabled",
)
BASE_PERMISSIONS = ("read", "write", "admin", "none")
SETTINGS = STRING_SETTINGS + BOOL_SETTINGS + ("default_repository_permission",)
# PATCH /orgs/{org} fields api.github.com documents and GitHub Enterprise Server (3.17-3.19) does not:
# the server ignores them, so a task setting one would report a change on every run.
NOT_ON_ENTERPRISE_SERVER = ("members_can_create_public_pages", "members_can_create_private_pages")


# Query parameter names whose values are credentials (matched as parts of the name, case-insensitively):
# ?token=, ?api_key=, ?access_token=, ?sig=, ?signature=, ?password=, ?auth=...
CREDENTIAL_PARAM_RE = re.compile(r"token|key|secret|pass|pwd|sig|auth|credential|session", re.IGNORECASE)
REDACTED = "********"
# A URL inside free text (a message, a task name): up to a blank, a quote or a bracket, without the
# punctuation that ends a sentence.
URL_IN_TEXT_RE = re.compile(r"https?://[^\s'\"<>(){}]*[^\s'\"<>(){}.,;:!?]", re.IGNORECASE)


def _is_credential(name, value):
    return bool(value) and bool(CREDENTIAL_PARAM_RE.search(name))


def url_credentials(url):
    """The secrets ``url`` carries, as written in it: its user-info password and credential-like query values.

    A URL that does not parse is a secret as a whole. An already redacted URL still has credentials (``********``).
    """
    if not isinstance(url, str) or not url:
        return []
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return [url]
    found = [password] if password else []
    for pair in parts.query.split("&"):
        name, _equals, value = pair.partition("=")
        if _is_credential(name, value):
            found.append(value)
    return found


def url_has_credentials(url):
    """True when ``url`` carries a user-info password or a credential-like query value (even redacted)."""
    return bool(url_credentials(url))


def redact_url(url):
    """``url`` as it may be shown: a user-info password and credential-like query values replaced by ``********``.

    ``https://ci:pw@host/h?token=abc&x=1`` shows as ``https://ci:********@host/h?token=********&x=1``. A URL that
    does not parse is shown as ``********`` whole rather than risk a secret.
    """
    if not isinstance(url, str) or not url:
        return url
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return REDACTED
    netloc = parts.netloc
    if password:
        userinfo, _at, hostport = netloc.rpartition("@")
        user = userinfo.partition(":")[0]
        netloc = "%s:%s@%s" % (user, REDACTED, hostport)
    query = parts.query
    if query:
        pairs = []
        for pair in query.split("&"):
            name, equals, value = pair.partition("=")
            pairs.append(name + equals + (REDACTED if _is_credential(name, value) else value))
        query = "&".join(pairs)
    if netloc == parts.netloc and query == parts.query:
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_text(text):
    """``text`` with every http(s) URL in it redacted (see :func:`redact_url`); anything else as given."""
    if not isinstance(text, str) or "://" not in text:
        return text
    return URL_IN_TEXT_RE.sub(lambda match: redact_url(match.group(0)), text)
