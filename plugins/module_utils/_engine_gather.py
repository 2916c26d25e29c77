# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to orgcode.github, not a public API: names and behaviour may change in any release.

"""github_org_config with ``state: gathered``: the organization read in the ``config`` shape, never a write.

Applying what it returns (with the secrets it cannot read supplied) changes nothing. Besides ``gathered``
it returns ``gathered_details``: what the ``config`` shape has no place for (pending invitations, members
shown only through a child team, hooks with a secret, the server's flavour), for comments in an export.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.orgcode.github.plugins.module_utils._org_info import (
    gather_members, gather_outside_collaborators, gather_teams)
from ansible_collections.orgcode.github.plugins.module_utils._hooks import describe, read_hooks
from ansible_collections.orgcode.github.plugins.module_utils._repository import invitee, role_of
from ansible_collections.orgcode.github.plugins.module_utils._rules import (
    NOT_ON_ENTERPRISE_SERVER, PUT_NAMES, SETTINGS, login_key, normalize_role, redact_url, url_has_credentials)


def _by_key(entries, field):
    return sorted(entries, key=lambda e: ((e.get(field) or "").lower(), e.get(field) or ""))


def gather(gh):
    p = gh.params
    org = (p["org"] or "").strip().lstrip("@")
    client = gh.client
    org_object = client.get_or_none("/orgs/%s" % org)
    if org_object is None:
        raise gh.failure("org: organization %r was not found, or the token cannot see it" % org)
    org = org_object.get("login") or org
    ghes = client.enterprise_server
    parts = set(p["gather"])
    out, details = {}, dict(enterprise_server=ghes)
    if "settings" in parts:
        out["settings"] = dict((k, org_object[k]) for k in sorted(SETTINGS) if org_object.get(k) is not None
                               and not (ghes and k in NOT_ON_ENTERPRISE_SERVER))
    if "members" in parts:
        members = [dict(login=m["login"], role=m["role"]) for m in gather_members(gh, org)]
        pending = []
        if not ghes:  # GHES has no organization invitation lists
            for inv in client.iterate("/orgs/%s/invitations" % org):
                if inv.get("login"):
                    role = "admin" if inv.get("role") == "admin" else "member"
                    pending.append(dict(login=inv["login"], role=role))
                else:
                    details.setdefault("email_invitations", []).append(dict(email=inv.get("email"),
                                                                            role=inv.get("role")))
        details["pending_invitations"] = None if ghes else [m["login"] for m in _by_key(pending, "login")]
        out["members"] = _by_key(members + pending, "login")
    if "outside_collaborators" in parts:
        out["outside_collaborators"] = [dict(login=u["login"]) for u in gather_outside_collaborators(gh, org)]
    if "teams" in parts:
        teams = []
        for team in gather_teams(gh, org):
            entry = dict(name=team["name"])
            for field in ("description", "privacy", "notification_setting"):
                if team.get(field) is not None:
                    entry[field] = team[field]
            entry["parent_team"] = team["parent"]
            entry["members"] = [dict(login=m["login"], role=m["role"]) for m in team["members"]]
            entry["repositories"] = [dict(name=r["name"], permission=r["permission"]) for r in team["repositories"]]
            if team["child_team_members"]:
                details.setdefault("shown_through_child_teams", {})[team["slug"]] = [
                    m["login"] for m in team["child_team_members"]]
            teams.append(entry)
        out["teams"] = teams
    if "hooks" in parts:
        hooks = []
        for hook in read_hooks(gh, org):
            view = describe(hook)
            url = view["url"]
            entry = dict(url=redact_url(url), events=sorted(view["events"]),
                         content_type=(hook.get("config") or {}).get("content_type") or "json",
                         insecure_ssl=view["insecure_ssl"], active=view["active"])
            if view.get("secret_set"):
                details.setdefault("hooks_with_secret", []).append(redact_url(url))
            if url_has_credentials(url):
                details.setdefault("hooks_with_credentials_in_url", []).append(redact_url(url))
            hooks.append(entry)
        out["hooks"] = sorted(hooks, key=lambda h: h["url"])
    if "repo_collaborators" in parts:
        names = list(p["repositories"] or [])
        if p["all_repositories"]:
            names = [r["name"] for r in client.iterate("/orgs/%s/repos" % org, params=dict(type="all"))]
        collaborators = []
        for name in sorted(set(n.split("/")[-1] for n in names), key=str.lower):
            path = "/repos/%s/%s" % (org, name)
            for user in client.iterate(path + "/collaborators", params=dict(affiliation="direct")):
                role = normalize_role(role_of(user))
                collaborators.append(dict(repo=name, login=user["login"], permission=PUT_NAMES.get(role, role)))
            for item in client.iterate(path + "/invitations"):
                if invitee(item) and not item.get("expired"):
                    role = normalize_role(item.get("permissions"))
                    collaborators.append(dict(repo=name, login=invitee(item), permission=PUT_NAMES.get(role, role)))
                    details.setdefault("pending_repository_invitations", []).append("%s: %s" % (name, invitee(item)))
        seen, unique = set(), []
        for entry in collaborators:
            key = (entry["repo"].lower(), login_key(entry["login"]))
            if key not in seen:
                seen.add(key)
                unique.append(entry)
        out["repo_collaborators"] = unique
    return dict(changed=False, gathered=out, gathered_details=details)
