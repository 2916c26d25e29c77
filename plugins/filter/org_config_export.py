# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of playbooks/export.yml: the live organization as ``org_config_*`` variables.

``org_config_export`` renders the YAML text (sorted, commented, stable: the same organization gives the
same bytes); ``github_more_pages`` and ``github_pages`` page through the ``ansible.builtin.uri`` reads of
the repository lists, 100 per page, one request per page.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

try:
    from urllib.parse import parse_qs, urlsplit
except ImportError:  # Python 2, never used by ansible-core 2.16+
    from urlparse import parse_qs, urlsplit

from ansible.errors import AnsibleFilterError

from ansible_collections.orgcode.github.plugins.module_utils._rules import REPO_RE, url_has_credentials

# The settings roles/org_config manages (the options of github_org), in the order they are written.
SETTINGS = (
    "billing_email", "blog", "company", "default_repository_permission", "deploy_keys_enabled_for_repositories",
    "description", "email", "has_organization_projects", "has_repository_projects", "location",
    "members_can_create_internal_repositories", "members_can_create_pages", "members_can_create_private_pages",
    "members_can_create_private_repositories", "members_can_create_public_pages",
    "members_can_create_public_repositories", "members_can_create_repositories",
    "members_can_fork_private_repositories", "name", "secret_scanning_push_protection_custom_link",
    "secret_scanning_push_protection_custom_link_enabled", "twitter_username", "web_commit_signoff_required",
)
# GitHub's role names of a repository as roles/org_config writes them (pull and push are the API's names).
PERMISSION = {"read": "pull", "write": "push"}
PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/@+=?&%~-]*(:[A-Za-z0-9._/@+=?&%~-]+)*$")
PLAIN_IN_FLOW = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/@+-]*$")  # inside {...}: no ':', '?', '=' or '&'

JINJA = ("{{", "{%", "{#")
WIDTH = 110


# -- YAML scalars ---------------------------------------------------------------------------------------

def _plain_is_same(text, in_flow=False):
    """True if ``text`` written without quotes reads back as the same string (not a number, bool, null...)."""
    if not (PLAIN_IN_FLOW if in_flow else PLAIN).match(text):
        return False
    lowered = text.lower()
    if lowered in ("y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"):
        return False
    # Nothing that starts like a number, to be safe with YAML 1.1 (1_000, 1.5e3, 0o7, 1:20).
    return not (re.match(r"^[-+]?(\.?[0-9]|\.(inf|nan)$)", lowered) or re.match(r"^0[box]", lowered))


def _quoted(text):
    """A double-quoted YAML scalar that reads back as ``text``, whatever it holds."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif 0x20 <= code < 0x7F or (code > 0x9F and char.isprintable() and char not in "\u2028\u2029\ufeff"):
            out.append(char)
        elif code <= 0xFF:
            out.append("\\x%02x" % code)
        elif code <= 0xFFFF:
            out.append("\\u%04x" % code)
        else:
            out.append("\\U%08x" % code)
    out.append('"')
    return "".join(out)


def scalar(value, in_flow=False):
    """``value`` as a YAML scalar; text that Ansible would template is marked ``!unsafe``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if any(marker in text for marker in JINJA):
        return "!unsafe " + _quoted(text)
    return text if _plain_is_same(text, in_flow) else _quoted(text)


def flow(pairs):
    """``{key: value, ...}`` for short entries (logins, roles, repository names)."""
    return "{" + ", ".join("%s: %s" % (key, scalar(value, in_flow=True)) for key, value in pairs) + "}"


def comment_lines(text, indent=""):
    """``text`` as ``# `` comment lines of at most WIDTH characters."""
    lines, line = [], ""
    for word in text.split():
        if line and len(indent) + 2 + len(line) + 1 + len(word) > WIDTH:
            lines.append(line)
            line = word
        else:
            line = (line + " " + word) if line else word
    if line:
        lines.append(line)
    return [indent + "# " + line for line in lines]


def key_of(login):
    return (login or "").lower()


def _by_login(items):
    return sorted(items, key=lambda item: (key_of(item.get("login")), item.get("login") or ""))


SECRET_ENV_PREFIX = "ORGCODE_HOOK_SECRET_"
URL_ENV_PREFIX = "ORGCODE_HOOK_URL_"


def secret_reference(env_name):
    """The text the export writes for a secret it cannot read: a lookup of the environment variable
    ``env_name``, set by the pipeline from a CI secret of the same name (or exported in a shell)."""
    return "{{ lookup('ansible.builtin.env', '%s') }}" % env_name


def var_slug(url):
    """``ci_acme_example_github_webhook`` for ``https://ci.acme.example/github/webhook``."""
    try:
        parts = urlsplit(url or "")
        text = (parts.hostname or "") + "/" + (parts.path or "")
    except ValueError:
        text = url or ""
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return slug or "hook"


# -- sections -------------------------------------------------------------------------------------------

def _settings(settings):
    lines = ["# Organization settings as GitHub reports them to this token (settings it cannot see, such as",
             "# billing_email for a non-owner, are left out). Only the settings listed here are managed."]
    shown, unset = [], []
    for key in SETTINGS:
        if key not in settings:
            continue
        value = settings[key]
        if value is None or value == "":
            unset.append(key)
        elif isinstance(value, (bool, int, str)):
            shown.append("  %s: %s" % (key, scalar(value)))
    if unset:
        lines.extend(comment_lines("Not set on GitHub, so not managed (add them to manage them): %s."
                                   % ", ".join(unset)))
    if shown:
        lines.append("org_config_settings:")
        lines.extend(shown)
    else:
        lines.append("org_config_settings: {}")
    return lines


def _members(members, invitations, outside_keys, invitations_read=True):
    active = _by_login(members)
    pending = _by_login([inv for inv in invitations if inv.get("status") == "pending" and inv.get("login")])
    owners = sum(1 for member in active if member.get("role") == "admin")
    if invitations_read:
        lines = comment_lines(
            "Members and their role: %d active (%d owner%s) and %d pending invitation%s, marked with a comment (a "
            "pending invitation counts as present: applying this file never sends it again). Sorted by login, "
            "spelt as GitHub spells it." % (len(active), owners, "" if owners == 1 else "s", len(pending),
                                            "" if len(pending) == 1 else "s"))
    else:
        lines = comment_lines(
            "Members and their role: %d active (%d owner%s); pending invitations are not available on GitHub "
            "Enterprise Server (it has no invitation endpoints). Sorted by login, spelt as GitHub spells it."
            % (len(active), owners, "" if owners == 1 else "s"))
    skipped = []
    for inv in _by_login([inv for inv in invitations if inv.get("status") != "pending" and inv.get("login")]):
        skipped.append("%s (%s)" % (inv["login"], "expired" if inv.get("status") == "expired" else "failed"))
    if skipped:
        lines.extend(comment_lines(
            "Not listed: invitations that expired or failed, %s; listing a login sends it a new invitation."
            % ", ".join(skipped)))
    emails = sorted(inv.get("email") or "id %s" % inv.get("id") for inv in invitations
                    if inv.get("status") == "pending" and not inv.get("login"))
    if emails:
        lines.extend(comment_lines(
            "Not listed: pending invitations sent to an email address (the role lists logins), %s; applying this "
            "file always leaves them alone, even with org_config_members_exclusive: true (cancel one on GitHub)."
            % ", ".join(emails)))
    entries = []
    for member in active:
        entries.append((member["login"], member.get("role") or "member", ""))
    for inv in pending:
        role = "admin" if inv.get("role") == "admin" else "member"
        note = "pending invitation"
        if inv.get("role") not in ("admin", "direct_member", None):
            note += " (GitHub role %s)" % inv["role"]
        if key_of(inv["login"]) in outside_keys:
            note += "; also an outside collaborator"
        entries.append((inv["login"], role, note))
    if entries:
        lines.append("org_config_members:")
        for login, role, note in sorted(entries, key=lambda entry: (key_of(entry[0]), entry[0])):
            lines.append("  - " + flow([("login", login), ("role", role)]) + ("  # " + note if note else ""))
    else:
        lines.append("org_config_members: []")
    lines.append("")
    lines.extend(comment_lines(
        "Exclusive mode is off: members and invitations that are not listed above are left alone. Once this "
        "file is the source of truth, set it to true to remove unlisted members and cancel the pending invitations "
        "of unlisted logins (never the token's own user or the last owner, never an invitation sent to an email "
        "address; at most org_config_max_removals per run, default 10)."))
    lines.append("org_config_members_exclusive: false")
    return lines


def _outside(outside, invited_keys):
    listed = [user for user in _by_login(outside) if key_of(user.get("login")) not in invited_keys]
    lines = comment_lines(
        "Outside collaborators: %d users with access to repositories of the organization who are not members. "
        "Their repository access is listed under org_config_repo_collaborators." % len(listed))
    also = [user["login"] for user in _by_login(outside) if key_of(user.get("login")) in invited_keys]
    if also:
        lines.extend(comment_lines(
            "Not listed here: %s, invited to the organization (listed under org_config_members; a login is "
            "either a member or an outside collaborator)." % ", ".join(also)))
    if listed:
        lines.append("org_config_outside_collaborators:")
        lines.extend("  - " + flow([("login", user["login"])]) for user in listed)
    else:
        lines.append("org_config_outside_collaborators: []")
    return lines


def _variables(hooks, needs, prefix):
    """``{id(hook): "<PREFIX><SLUG>"}``, environment variable names for the hooks that ``needs`` one; the hook id
    tells apart those sharing a name."""
    slugs = {}
    for hook in hooks:
        if needs(hook):
            slugs.setdefault(var_slug(hook.get("url")), []).append(hook)
    names = {}
    for slug, same in slugs.items():
        for hook in same:
            names[id(hook)] = (prefix + slug + ("_%s" % hook.get("id") if len(same) > 1 else "")).upper()
    return names


def _hooks(hooks):
    hooks = sorted(hooks, key=lambda hook: (hook.get("url") or "", hook.get("id") or 0))
    lines = comment_lines(
        "Organization webhooks (%d), sorted by URL. GitHub never returns a webhook's secret: a hook that has one "
        "reads it from an environment variable %s<name> you define, and a URL with credentials (a password, a "
        "token in its query) from %s<name>, never written here (in a pipeline: CI secrets or masked variables "
        "of those names; to keep them in an Ansible Vault file instead, replace the lookup with your variable). "
        "With update_secret: on_create applying this file leaves the stored secret untouched, but the variable "
        "must be set: an empty secret fails before any request." % (len(hooks), SECRET_ENV_PREFIX, URL_ENV_PREFIX))
    if not hooks:
        lines.append("org_config_hooks: []")
        return lines, []
    urls = {}
    for hook in hooks:
        urls.setdefault(hook.get("url"), []).append(hook)
    secrets = _variables(hooks, lambda hook: hook.get("secret_set"), SECRET_ENV_PREFIX)
    # github_org_config shows such a URL redacted (https://ci:********@host/): the user supplies the real one
    url_variables = _variables(hooks, lambda hook: url_has_credentials(hook.get("url")), URL_ENV_PREFIX)
    lines.append("org_config_hooks:")
    variables = []
    for hook in hooks:
        shared = len(urls[hook.get("url")]) > 1
        if id(hook) in url_variables:
            variable = url_variables[id(hook)]
            variables.append(variable)
            lines.extend(comment_lines(
                "Hook %s has credentials in its URL (a password or a token): set the environment variable %s to "
                "the whole URL, as GitHub has it (never written here)." % (hook.get("id"), variable), "  "))
        if hook.get("secret_set"):
            variable = secrets[id(hook)]
            variables.append(variable)
            lines.extend(comment_lines(
                "Hook %s has a secret: set the environment variable %s to it (never written here)."
                % (hook.get("id"), variable), "  "))
        else:
            lines.append("  # Hook %s has no secret: GitHub does not sign its deliveries." % hook.get("id"))
        if id(hook) in url_variables:
            lines.append('  - url: "%s"' % secret_reference(url_variables[id(hook)]))
        else:
            lines.append("  - url: %s" % scalar(hook.get("url")))
        if shared:
            lines.append("    hook_id: %s  # several hooks share this URL" % scalar(hook.get("id")))
        events = sorted(hook.get("events") or [])
        lines.append("    events: [%s]" % ", ".join(scalar(event, in_flow=True) for event in events))
        lines.append("    content_type: %s" % scalar(hook.get("content_type") or "form"))
        lines.append("    insecure_ssl: %s" % scalar(bool(hook.get("insecure_ssl"))))
        lines.append("    active: %s" % scalar(bool(hook.get("active"))))
        if hook.get("secret_set"):
            lines.append('    secret: "%s"' % secret_reference(secrets[id(hook)]))
            lines.append("    update_secret: on_create")
    return lines, variables


def _invitee(invitation):
    """The login a repository invitation is for (github_org_info's ``login``, or GitHub's ``invitee.login``)."""
    return invitation.get("login") or (invitation.get("invitee") or {}).get("login")


def _repo_collaborators(repositories, all_repositories):
    names = sorted(repositories, key=lambda name: (name.lower(), name))
    entries, empty, expired = [], [], []
    for name in names:
        data = repositories[name] or {}
        seen = set()
        rows = []
        for user in data.get("collaborators") or []:
            login = user.get("login")
            if not login or key_of(login) in seen:
                continue
            seen.add(key_of(login))
            role = user.get("role_name") or _role_from_flags(user.get("permissions"))
            rows.append((login, PERMISSION.get(role, role), ""))
        pending = [inv for inv in data.get("invitations") or [] if _invitee(inv)]
        for inv in sorted(pending, key=lambda inv: bool(inv.get("expired"))):  # pending before expired
            login = _invitee(inv)
            if key_of(login) in seen:
                continue
            seen.add(key_of(login))
            if inv.get("expired"):
                expired.append("%s on %s" % (login, name))
                continue
            role = inv.get("permissions") or "read"
            rows.append((login, PERMISSION.get(role, role), "pending invitation"))
        if not rows:
            empty.append(name)
        for login, permission, note in sorted(rows, key=lambda row: (key_of(row[0]), row[0])):
            entries.append("  - " + flow([("repo", name), ("login", login), ("permission", permission)])
                           + ("  # " + note if note else ""))
    scope = "every repository of the organization" if all_repositories else "the repositories asked for"
    lines = comment_lines(
        "Direct collaborators and pending invitations (marked with a comment) of %s (%d read), sorted by "
        "repository and login. The permission of a direct collaborator is GitHub's role_name, the highest role "
        "they have from any source; access through the organization (owners, base permission, teams) is not "
        "listed." % (scope, len(names)))
    if expired:
        lines.extend(comment_lines(
            "Not listed: expired invitations, %s; listing one sends a new invitation." % ", ".join(expired)))
    if empty:
        lines.extend(comment_lines("No direct collaborator or pending invitation: %s." % ", ".join(empty)))
    if entries:
        lines.append("org_config_repo_collaborators:")
        lines.extend(entries)
    else:
        lines.append("org_config_repo_collaborators: []")
    lines.append("")
    lines.extend(comment_lines(
        "Exclusive mode is off: direct collaborators and invitations that are not listed are left alone. Once "
        "this file is the source of truth, set it to true to remove them from every repository listed above "
        "(never an organization owner or the token's own user; at most org_config_max_removals per repository "
        "and run)."))
    lines.append("org_config_repo_collaborators_exclusive: false")
    return lines


def _teams_in_order(teams):
    """The teams sorted by slug, each parent before its children (among the teams ready, the first slug)."""
    slugs = set(team.get("slug") for team in teams)
    left = sorted(teams, key=lambda team: (team.get("slug") or "", team.get("id") or 0))
    done, ordered = set(), []
    while left:
        ready = [index for index, team in enumerate(left)
                 if not team.get("parent") or team["parent"] not in slugs or team["parent"] in done]
        team = left.pop(ready[0] if ready else 0)  # none ready: a parent loop GitHub would not allow
        done.add(team.get("slug"))
        ordered.append(team)
    return ordered


def _teams(teams):
    teams = _teams_in_order(teams or [])
    lines = comment_lines(
        "Teams (%d) the token can see (secret teams only for an owner or their members), sorted by slug, each "
        "parent before its children. parent_team: null keeps a team at the top level. members are the team's "
        "direct members: GitHub lists the members of child teams in their parent too and its REST API cannot "
        "show a direct membership apart from one through a child team, so a login a child team shows is left "
        "out (named in a comment; an authoritative list never removes it). An organization owner is shown as "
        "maintainer. Pending team invitations are not read. repositories are the team's own grants, with "
        "GitHub's role (pull and push are read and write)." % len(teams))
    if not teams:
        lines.append("org_config_teams: []")
    else:
        lines.append("org_config_teams:")
    for team in teams:
        lines.append("  - name: %s" % scalar(team.get("name")))
        lines.append("    slug: %s" % scalar(team.get("slug")))
        if team.get("description"):
            lines.append("    description: %s" % scalar(team["description"]))
        if team.get("privacy"):
            lines.append("    privacy: %s" % scalar(team["privacy"]))
        if team.get("notification_setting"):
            lines.append("    notification_setting: %s" % scalar(team["notification_setting"]))
        lines.append("    parent_team: %s" % scalar(team.get("parent")))
        through = ["%s (%s)" % (member.get("login"), ", ".join(member.get("child_teams") or []))
                   for member in _by_login(team.get("child_team_members") or [])]
        if through:
            lines.extend(comment_lines("Also shown through child teams, so not listed: %s." % ", ".join(through),
                                       "    "))
        members = _by_login(team.get("members") or [])
        if members:
            lines.append("    members:")
            lines.extend("      - " + flow([("login", member["login"]), ("role", member.get("role") or "member")])
                         for member in members)
        else:
            lines.append("    members: []")
        repositories = sorted(team.get("repositories") or [],
                              key=lambda repo: ((repo.get("name") or "").lower(), repo.get("name") or ""))
        if repositories:
            lines.append("    repositories:")
            for repo in repositories:
                role = repo.get("permission") or repo.get("role_name") or "pull"
                role = PERMISSION.get(role, role)
                lines.append("      - " + flow([("name", repo.get("name")), ("permission", role)]))
        else:
            lines.append("    repositories: []")
    lines.append("")
    lines.extend(comment_lines(
        "Exclusive mode is off: the members and repositories of a listed team that are not listed are left alone, "
        "and so are teams that are not listed. Once this file is the source of truth, set it to true to make each "
        "listed team's members and repositories lists authoritative."))
    lines.append("org_config_teams_exclusive: false")
    return lines


def _role_from_flags(flags):
    flags = flags or {}
    for flag, role in (("admin", "admin"), ("maintain", "maintain"), ("push", "write"), ("triage", "triage"),
                       ("pull", "read")):
        if flags.get(flag):
            return role
    return "read"


# -- filters --------------------------------------------------------------------------------------------

def org_config_export(info, repositories=None, all_repositories=False, file_name=None):
    """The YAML text of the organization read by github_org_info (all parts) and the repository reads.

    ``info`` may hold ``teams`` (github_org_info's ``teams`` part): then ``org_config_teams`` is written too.
    ``repositories``: ``{name: {"collaborators": [...], "invitations": [...]}}`` as GitHub returns
    ``GET /repos/{owner}/{repo}/collaborators?affiliation=direct`` and ``.../invitations``; None when no
    repository was read.
    """
    if not isinstance(info, dict) or "members" not in info:
        raise AnsibleFilterError("org_config_export: expects the result of orgcode.github.github_org_info with "
                                 "every part gathered")
    org = info.get("organization")
    invitations = info.get("invitations") or []
    outside = info.get("outside_collaborators") or []
    invited_keys = set(key_of(inv.get("login")) for inv in invitations
                       if inv.get("status") == "pending" and inv.get("login"))
    outside_keys = set(key_of(user.get("login")) for user in outside)

    hook_lines, variables = _hooks(info.get("hooks") or [])
    lines = ["---"]
    lines.extend(comment_lines(
        "The GitHub organization %s as variables of the role orgcode.github.org_config, written by "
        "playbooks/export.yml. Exporting the same organization again writes the same bytes." % org))
    lines.append("#")
    if variables:
        lines.extend(comment_lines(
            "Webhook secrets and URLs with credentials (GitHub never returns a secret; a URL's credentials are "
            "never written here): the file reads each from an environment variable. Set these, in a pipeline as "
            "CI secrets or masked CI variables of the same names:"))
        lines.extend("#   %s" % variable for variable in variables)
    lines.append("# Review the file, then check that applying it changes nothing (changed=0, no write sent):")
    lines.append("#   ansible-playbook orgcode.github.apply -e org_file=$PWD/%s --check --diff"
                 % (file_name or "%s.yml" % org))
    lines.append("org_config_org: %s" % scalar(org))
    lines.append("")
    lines.extend(_settings(info.get("settings") or {}))
    lines.append("")
    lines.extend(_members(info.get("members") or [], invitations, outside_keys,
                          invitations_read="invitations" in info or not info.get("enterprise_server")))
    lines.append("")
    lines.extend(_outside(outside, invited_keys))
    lines.append("")
    lines.extend(hook_lines)
    if "teams" in info:
        lines.append("")
        lines.extend(_teams(info.get("teams")))
    if repositories is not None:
        lines.append("")
        lines.extend(_repo_collaborators(repositories, all_repositories))
    return "\n".join(lines) + "\n"


def _last_page(link):
    """The page number of ``rel="last"`` in a ``Link`` header, else 1."""
    for part in (link or "").split(","):
        match = re.match(r'\s*<([^>]*)>\s*;\s*rel="?last"?', part)
        if match:
            pages = parse_qs(urlsplit(match.group(1)).query).get("page") or ["1"]
            try:
                return int(pages[0])
            except ValueError:
                return 1
    return 1


def github_more_pages(results):
    """The items (with ``page``) of the further pages of the first-page reads in ``results``.

    Each result is a ``uri`` loop result whose ``item`` has ``path`` (with ``per_page=100``); the further
    pages are 2 .. the ``rel="last"`` page of its ``Link`` header. Results that failed have none.
    """
    more = []
    for result in results or []:
        if result.get("status") != 200:
            continue
        for page in range(2, _last_page(result.get("link")) + 1):
            more.append(dict(result["item"], page=page))
    return more


def github_pages(first, more=None, what="read"):
    """``{"items": {key: [every element of every page]}, "errors": [...]}`` from the two uri loops.

    The key of an item is its ``key``; an error names the request, the HTTP status and GitHub's message.
    """
    items, errors = {}, []
    for result in list(first or []) + list(more or []):
        if result.get("skipped"):
            continue
        item = result.get("item") or {}
        key = item.get("key")
        items.setdefault(key, [])
        status = result.get("status")
        if status == 200 and isinstance(result.get("json"), list):
            items[key].extend(result["json"])
            continue
        body = result.get("json") if isinstance(result.get("json"), dict) else {}
        message = body.get("message") or result.get("msg") or "no answer"
        page = " (page %s)" % item["page"] if item.get("page") else ""
        errors.append("%s: GET %s%s failed: HTTP %s, %s" % (what, item.get("path"), page, status, message))
    return dict(items=items, errors=errors)


def github_repository_names(names, org):
    """``{"names": [...], "errors": [...]}``: repository names given as ``name`` or ``ORG/name``, checked.

    Duplicates (case-insensitive) are dropped; an entry of another owner or with an invalid name is an error
    naming its position in ``export_repositories``.
    """
    if isinstance(names, str) or not isinstance(names, (list, tuple)):
        return dict(names=[], errors=["export_repositories: expected a list of repository names, got %r" % (names,)])
    out, errors, seen = [], [], set()
    for index, entry in enumerate(names):
        text = str(entry if entry is not None else "").strip()
        owner, _sep, name = text.rpartition("/")
        if owner and owner.lower() != str(org).lower():
            errors.append("export_repositories[%d]: %r is not a repository of %s" % (index, entry, org))
        elif not REPO_RE.match(name) or name in (".", ".."):
            errors.append("export_repositories[%d]: %r is not a valid repository name" % (index, entry))
        elif name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return dict(names=out, errors=errors)


class FilterModule(object):
    def filters(self):
        return {
            "org_config_export": org_config_export,
            "github_more_pages": github_more_pages,
            "github_pages": github_pages,
            "github_repository_names": github_repository_names,
        }
