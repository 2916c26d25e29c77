# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to orgcode.github, not a public API: names and behaviour may change in any release.

"""github_team: one team of an organization (``/orgs/{org}/teams/{team_slug}``), and the team lookup
the team membership and team repository modules share."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


from ansible_collections.orgcode.github.plugins.module_utils.github_client import GitHubAPIError
from ansible_collections.orgcode.github.plugins.module_utils._rules import (  # noqa: F401
    TEAM_FIELDS as FIELDS, TEAM_SLUG_RE as SLUG_RE, slug_of)

SECRET_NESTED = ("secret teams cannot be nested: a team with privacy=secret can neither have a parent team "
                 "nor be one (use privacy=closed)")


def team_slug(gh, option="team", value=None):
    """The team slug in ``option`` (lower-cased), or a failure naming the option."""
    raw = gh.params[option] if value is None else value
    slug = (raw or "").strip()
    if not SLUG_RE.match(slug):
        gh.fail("%s: %r is not a valid team slug (the team's name in lower case, with '-' for spaces and "
                "punctuation, as in its URL)" % (option, raw))
    return slug.lower()


def team_path(org, slug):
    return "/orgs/%s/teams/%s" % (org, slug)


def require_team(gh, org, slug, option="team"):
    """``GET`` the team, or fail naming the organization or the team GitHub does not know."""
    team = gh.client.get_or_none(team_path(org, slug))
    if team is None:
        gh.require_found(org=org)
        gh.fail("%s: organization %s has no team %r, or the token cannot see it (a secret team is visible "
                "only to organization owners and the team's members)" % (option, org, slug))
    return team


def planned_new_team(gh, org, slug):
    """True in check mode when O(new_team) says an earlier task of the run creates team ``slug`` and the team
    does not exist (yet): the list modes then plan against the new team instead of failing. One read."""
    if not (gh.check_mode and gh.params.get("new_team")):
        return False
    if gh.client.get_or_none(team_path(org, slug)) is not None:
        return False
    gh.require_found(org=org)
    gh.planned_new_team = True
    return True


def parent_slug(team):
    return ((team or {}).get("parent") or {}).get("slug")


def summary(team):
    """What the diff shows of a team."""
    if not team:
        return dict(state="absent")
    return dict(state="present", name=team.get("name"), slug=team.get("slug"),
                description=team.get("description") or "", privacy=team.get("privacy"),
                notification_setting=team.get("notification_setting"), parent_team=parent_slug(team))


def manage(gh):
    org = gh.login("org")
    p = gh.params
    name = (p["name"] or "").strip() or None
    if p["name"] is not None and not name:
        gh.fail("name: must not be empty")
    slug = team_slug(gh, "slug") if p["slug"] is not None else None
    if name and not slug_of(name):
        gh.fail("name: %r has no letter or digit, GitHub cannot make a team slug from it" % p["name"])
    parent = None
    if p["parent_team"]:
        parent = team_slug(gh, "parent_team")
    if p["privacy"] == "secret" and parent:
        gh.fail("privacy: %s" % SECRET_NESTED)

    current = find(gh, org, name, slug)
    if p["state"] == "absent":
        return absent(gh, org, current)
    return present(gh, org, name, current, parent)


def find(gh, org, name, slug):
    """The team: by ``slug`` (the team to rename) and else by the slug of ``name``; None when absent.

    Unchanged runs cost one ``GET``; a run that names the old slug of a team already renamed, two.
    """
    candidates = []
    for candidate in (slug, slug_of(name) if name else None):
        if candidate and candidate not in candidates:
            candidates.append(candidate)
    for candidate in candidates:
        team = gh.client.get_or_none(team_path(org, candidate))
        if team is not None:
            return team
    gh.require_found(org=org)  # a mistyped organization must not pass for "no such team"
    return None


def absent(gh, org, current):
    if current is None:
        return gh.result(changed=False, before=summary(None), after=summary(None), team={}, deleted_child_teams=[])
    path = team_path(org, current["slug"])
    children = descendants(gh, org, current["slug"])
    gh.write("DELETE", path)
    gh.action("team", org, current["slug"], "remove", "delete" + (
        " (with child teams %s)" % ", ".join(children) if children else ""))
    return gh.result(changed=True, before=dict(summary(current), child_teams=children), after=summary(None),
                     team={}, deleted_child_teams=children)


def descendants(gh, org, slug):
    """Slugs of the team's child teams and theirs (GitHub deletes them with the team): one read per team."""
    found, todo = [], [slug]
    while todo:
        for child in gh.client.iterate("%s/teams" % team_path(org, todo.pop(0)), params=dict(per_page=100)):
            if child.get("slug") and child["slug"] not in found:
                found.append(child["slug"])
                todo.append(child["slug"])
    return found


def parent_id(gh, org, parent):
    """The id of team ``parent`` (``parent_team``), or a failure before any write."""
    team = gh.client.get_or_none(team_path(org, parent))
    if team is None and gh.check_mode and gh.params.get("new_parent_team"):
        gh.require_found(org=org)
        return None  # check mode: an earlier task of this run creates the parent team; nothing is sent
    if team is None:
        gh.fail("parent_team: organization %s has no team %r, or the token cannot see it" % (org, parent))
    if team.get("privacy") == "secret":
        gh.fail("parent_team: team %s is secret; %s" % (parent, SECRET_NESTED))
    return team["id"]


def present(gh, org, name, current, parent):
    p = gh.params
    wanted = dict((key, p[key]) for key in FIELDS if p[key] is not None)
    detach = p["parent_team"] is not None and not p["parent_team"].strip()
    if current is None:
        return create(gh, org, name, wanted, parent)
    changes = dict((key, value) for key, value in wanted.items() if (current.get(key) or "") != value)
    if name and name != current.get("name"):
        changes["name"] = name
    have_parent = (parent_slug(current) or "").lower() or None
    if parent and parent != have_parent:
        changes["parent_team_id"] = parent_id(gh, org, parent)
    elif detach and have_parent:
        changes["parent_team_id"] = None
    privacy = changes.get("privacy", current.get("privacy"))
    nested_after = parent or (have_parent if not detach else None)
    if privacy == "secret" and nested_after:
        gh.fail("privacy: team %s has parent team %s; %s" % (current["slug"], nested_after, SECRET_NESTED))
    if changes.get("privacy") == "secret":
        children = [child.get("slug") for child in
                    gh.client.iterate("%s/teams" % team_path(org, current["slug"]), params=dict(per_page=100))]
        if children:
            gh.fail("privacy: team %s has child teams (%s); %s" % (current["slug"], ", ".join(children),
                                                                   SECRET_NESTED))
    if not changes:
        return gh.result(changed=False, before=summary(current), after=summary(current), team=current)
    try:
        _status, updated = gh.write("PATCH", team_path(org, current["slug"]), body=changes, expect=dict)
    except GitHubAPIError as err:
        if err.status == 422:
            gh.fail("GitHub refused to update team %s: %s" % (current["slug"], err), **err.to_result())
        raise
    if updated is None:  # check mode: the team as the PATCH would leave it
        updated = dict(current, **dict((k, v) for k, v in changes.items() if k != "parent_team_id"))
        if name:
            updated["slug"] = slug_of(name)
        if "parent_team_id" in changes:
            updated["parent"] = dict(slug=parent, id=changes["parent_team_id"]) if parent else None
    fields = sorted("parent_team" if key == "parent_team_id" else key for key in changes)
    gh.action("team", org, current["slug"], "change", "update " + ", ".join(fields),
              old=dict((k, v) for k, v in summary(current).items() if k in fields),
              new=dict((k, v) for k, v in summary(updated).items() if k in fields), fields=fields)
    return gh.result(changed=True, before=summary(current), after=summary(updated), team=updated)


def create(gh, org, name, wanted, parent):
    if not name:
        gh.fail("name: required to create a team (organization %s has no team %r)" % (org, gh.params["slug"]))
    body = dict(name=name, **wanted)  # never "permission": API version 2026-03-10 refuses it
    if parent:
        body["parent_team_id"] = parent_id(gh, org, parent)
    try:
        _status, team = gh.write("POST", "/orgs/%s/teams" % org, body=body, expect=dict)
    except GitHubAPIError as err:
        if err.status == 422:
            gh.fail("GitHub refused to create team %r: %s" % (name, err), **err.to_result())
        raise
    if team is None:  # check mode: the team as GitHub would create it
        team = dict(name=name, slug=slug_of(name), description=wanted.get("description"),
                    privacy=wanted.get("privacy") or ("closed" if parent else "secret"),
                    notification_setting=wanted.get("notification_setting") or "notifications_enabled",
                    parent=dict(slug=parent) if parent else None)
    gh.action("team", org, team.get("slug") or slug_of(name), "add", "create")
    return gh.result(changed=True, before=summary(None), after=summary(team), team=team)
