# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to orgcode.github, not a public API: names and behaviour may change in any release.

"""github_org_config with ``state: gathered``: the organization read once, never a write.

Returns ``gathered``, the organization in the ``config`` shape (applying it, with the webhook secrets GitHub
never returns supplied, changes nothing), and ``facts``, the same reads as github_org_info returns them plus
the repositories' direct collaborators and invitations, which playbooks/export.yml turns into a commented file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.orgcode.github.plugins.module_utils._org_info import (
    gather_hooks, gather_invitations, gather_members, gather_outside_collaborators, gather_repositories,
    gather_settings, gather_teams, unavailable)
from ansible_collections.orgcode.github.plugins.module_utils._rules import (
    NOT_ON_ENTERPRISE_SERVER, PUT_NAMES, SETTINGS, login_key, normalize_role, redact_url)


def read_facts(gh, org, parts, repositories=None, all_repositories=False):
    """Every part of ``parts`` read once, as github_org_info returns them; ``repositories``: names to read."""
    facts = dict(organization=org, enterprise_server=gh.client.enterprise_server, skipped_parts={})
    settings = gather_settings(gh, org)  # always: it confirms the organization
    facts["organization"] = settings.get("login") or org
    org = facts["organization"]
    if "settings" in parts:
        facts["settings"] = dict((k, v) for k, v in settings.items()
                                 if not (facts["enterprise_server"] and k in NOT_ON_ENTERPRISE_SERVER))
    if "members" in parts:
        facts["members"] = gather_members(gh, org)
        reason = unavailable(gh, "invitations")
        if reason:
            facts["skipped_parts"]["invitations"] = reason
        else:
            facts["invitations"] = gather_invitations(gh, org)
    if "outside_collaborators" in parts:
        facts["outside_collaborators"] = gather_outside_collaborators(gh, org)
    if "hooks" in parts:
        facts["hooks"] = gather_hooks(gh, org)
    if "teams" in parts:
        facts["teams"] = gather_teams(gh, org)
    facts["repositories"] = None
    if "repo_collaborators" in parts and (repositories or all_repositories):
        read = gather_repositories(gh, org, None if all_repositories else list(repositories))
        facts["repositories"] = dict((r["name"], r) for r in read)
    return facts


def _permission(role):
    role = normalize_role(role)
    return PUT_NAMES.get(role, role)


def config_of(facts):
    """The ``config`` shape of ``facts``: what github_org_config (and the role) take."""
    out = {}
    if "settings" in facts:
        out["settings"] = dict((k, facts["settings"][k]) for k in sorted(SETTINGS)
                               if facts["settings"].get(k) is not None)
    if "members" in facts:
        members = [dict(login=m["login"], role=m["role"]) for m in facts["members"]]
        members += [dict(login=i["login"], role="admin" if i.get("role") == "admin" else "member")
                    for i in facts.get("invitations") or [] if i.get("status") == "pending" and i.get("login")]
        out["members"] = sorted(members, key=lambda m: (login_key(m["login"]), m["login"]))
    if "outside_collaborators" in facts:
        out["outside_collaborators"] = [dict(login=u["login"]) for u in facts["outside_collaborators"]]
    if "teams" in facts:
        teams = []
        for team in facts["teams"]:
            entry = dict(name=team["name"], parent_team=team["parent"])
            for field in ("description", "privacy", "notification_setting"):
                if team.get(field) is not None:
                    entry[field] = team[field]
            entry["members"] = [dict(login=m["login"], role=m["role"]) for m in team["members"]]
            entry["repositories"] = [dict(name=r["name"], permission=r["permission"]) for r in team["repositories"]]
            teams.append(entry)
        out["teams"] = teams
    if "hooks" in facts:
        out["hooks"] = [dict(url=redact_url(h["url"]), events=h["events"], content_type=h.get("content_type") or "json",
                             insecure_ssl=h["insecure_ssl"], active=h["active"]) for h in facts["hooks"]]
    if facts.get("repositories") is not None:
        entries, seen = [], set()
        for name, lists in sorted(facts["repositories"].items(), key=lambda item: item[0].lower()):
            found = [(u["login"], u["permission"]) for u in lists["collaborators"]]
            found += [(i["login"], _permission(i.get("permissions"))) for i in lists["invitations"]
                      if i["login"] and not i["expired"]]
            for login, permission in found:
                if (name.lower(), login_key(login)) not in seen:
                    seen.add((name.lower(), login_key(login)))
                    entries.append(dict(repo=name, login=login, permission=permission))
        out["repo_collaborators"] = entries
    return out


def gather(gh):
    p = gh.params
    org = (p["org"] or "").strip().lstrip("@")
    facts = read_facts(gh, org, set(p["gather"]), p["repositories"], p["all_repositories"])
    return dict(changed=False, gathered=config_of(facts), facts=facts)
