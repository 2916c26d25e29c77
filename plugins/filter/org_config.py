# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the role orgcode.github.org_config: its validation and set logic, in linear time.

The role used to do this in Jinja, where "is this key listed twice" and "is this login in that list" cost
O(N^2) for N members (55 s of a 76 s run at 1,020 members). Here every check is one pass with dictionaries.
Nothing in here sends a request; messages name the user's own variables and list positions
(``org_config_members[2].login``) and never contain a webhook secret.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.orgcode.github.plugins.module_utils._description import (
    Names, _check_login, _state, _text, validate)
from ansible_collections.orgcode.github.plugins.module_utils._rules import REPO_RE, login_key, slug_of as team_slug_of

OUTSIDE = "org_config_outside_collaborators"


def org_config_plan(description):
    """Validate the role's whole description (module_utils/_description.py, the validator github_org_config uses
    too) with the role's names (``org_config_members[2].login``); ``errors`` is empty when it is valid."""
    if not isinstance(description, dict):
        raise AnsibleFilterError("org_config_plan expects a dictionary, got %s" % type(description).__name__)
    return validate(description, Names("org_config_"))


def org_config_offboard(login, org, repositories=None):
    """Check the input of playbooks/offboard.yml the way the role checks its own (no request).

    Returns ``errors``, the ``login`` and ``org`` without a leading ``@``, and ``repos``: the repository names
    (``NAME`` or ``ORG/NAME`` with ``org`` as ORG, as the role accepts them), or None when no list was given.
    """
    errors = []
    org_login = _check_login(errors, "offboard_org", org)
    user = _check_login(errors, "offboard_login", login)
    names = None
    if repositories is not None:
        names, seen = [], set()
        if not isinstance(repositories, list):
            errors.append("offboard_repositories must be a list of repository names, got %r" % (repositories,))
            repositories = []
        for index, raw in enumerate(repositories):
            where = "offboard_repositories[%d]" % index
            text = _text(raw).strip()
            name = text
            if "/" in text:
                owner, _sep, name = text.partition("/")
                if org_login is not None and login_key(owner) != login_key(org_login):
                    errors.append("%s: %r is not a repository of %s; give the repository's name (or %s/NAME)"
                                  % (where, raw, org_login, org_login))
                    continue
            if not REPO_RE.match(name) or name in (".", ".."):
                errors.append("%s: %r is not a valid repository name (letters, digits, '.', '-' and '_', at most "
                              "100 characters)" % (where, raw))
                continue
            if name.lower() not in seen:
                seen.add(name.lower())
                names.append(name)
    return dict(errors=errors, login=user, org=org_login, repos=names)


def org_config_members(members, convert=None):
    """The list for github_org_membership's ``members``: the entries of ``org_config_members`` in state present
    (``{login, role}``, a leading ``@`` dropped), then ``convert`` (members kept until they are converted)."""
    wanted = []
    for entry in members or []:
        if isinstance(entry, dict) and _state(entry) == "present":
            wanted.append(dict(login=_text(entry.get("login")).strip().lstrip("@"), role=entry.get("role") or "member"))
    return wanted + list(convert or [])


HOOK_LIST_KEYS = ("url", "events", "content_type", "secret", "update_secret", "insecure_ssl", "active")


def org_config_hooks(hooks):
    """Split ``org_config_hooks`` for github_org_hook: ``list``, the entries for its ``hooks`` list mode (state
    present, no hook_id: one read of the hook list for all of them), and ``single``, the indexes of the others
    (a hook_id, or state absent), one task run each. The list carries the secrets for the module's option (a
    no_log option); never store it in a fact."""
    listed, single = [], []
    for index, entry in enumerate(hooks or []):
        if not isinstance(entry, dict):
            continue
        if entry.get("hook_id") is not None or _state(entry) != "present":
            single.append(index)
            continue
        item = dict((key, entry[key]) for key in HOOK_LIST_KEYS if key in entry and entry[key] is not None)
        listed.append(item)
    return dict(list=listed, single=single)


def org_config_outside(plan, outside_logins, members=None):
    """Which outside-collaborator entries need the module, from one read of the current outside collaborators.

    ``outside_logins``: the logins GitHub lists as outside collaborators now. ``members``: the current members
    (``[{login, role}]``) when they were read, else None. Returns ``candidates`` (entries in state present that
    are not outside collaborators yet), ``need_members`` (whether the member list must be read to tell members to
    convert from logins that only have a pending repository invitation, or to keep members about to be converted
    out of an exclusive member list's removals), ``todo`` (the entries to give to the module) and ``convert``
    (``[{login, role}]`` of the current members that are converted).
    """
    current = set(login_key(login) for login in outside_logins or [])
    repo_present = set(plan.get("repo_present_keys") or [])
    entries = plan.get("outside") or []
    candidates = [e for e in entries if e["state"] == "present" and e["key"] not in current]
    exclusive = bool(plan.get("members_exclusive"))
    repo_unlisted = plan.get("repo_unlisted") or {}
    need_members = (bool(candidates) and (exclusive or any(c["key"] in repo_present for c in candidates))
                    or (exclusive and bool(repo_unlisted)))
    by_member = None
    if members is not None:
        by_member = dict((login_key(m.get("login")), m) for m in members)
    todo, convert = [], []
    for entry in entries:
        key = entry["key"]
        if entry["state"] == "absent":
            if key in current:
                todo.append(entry)
        elif key in current:
            continue
        elif by_member is None:
            if not need_members:
                todo.append(entry)  # a member to convert, or the module says why it cannot be one
        elif key in by_member:
            todo.append(entry)
            convert.append(dict(login=by_member[key].get("login"), role=by_member[key].get("role") or "member"))
        elif key not in repo_present:
            todo.append(entry)  # neither member nor outside collaborator, nor given access: the module says why
    errors = []
    if by_member is not None and exclusive:
        # The exclusive member list would remove these members (and their repository access), and the repository
        # section would then invite them back as outside collaborators: --check cannot show the second half.
        for key, entry in sorted(repo_unlisted.items(), key=lambda item: item[1]["where"]):
            if key in by_member:
                errors.append("%s.login: %s is a member of %s but is listed in neither org_config_members (exclusive: "
                              "this run would remove it from the organization, with its repository access) nor "
                              "%s; list it under org_config_members to keep it a member, or under %s to convert it "
                              "to an outside collaborator who keeps its access to %s"
                              % (entry["where"], by_member[key].get("login"), plan.get("org"), OUTSIDE, OUTSIDE,
                                 entry["repo"]))
    return dict(candidates=candidates, need_members=need_members, todo=todo, convert=convert, errors=errors)


def org_config_team_targets(results, check_mode=False):
    """The teams whose members or repositories the role reconciles, from the registered results of the team task.

    Each is ``{slug, new, members, repositories}``: ``slug`` is the team's slug as the team task left it (in check
    mode, where nothing was renamed, the slug the team still has), ``new`` is true in check mode for a team the
    run would create (it does not exist yet: the list modules plan against a new, empty team).
    """
    targets = []
    for result in results or []:
        item = result.get("item") or {}
        if item.get("members") is None and item.get("repositories") is None:
            continue
        team = result.get("team") or {}
        slug = team.get("slug") or team_slug_of(item.get("name"))
        new = False
        if check_mode:
            for action in result.get("actions") or []:
                if action.get("kind") == "team" and action.get("action") == "add":
                    new = True
                elif action.get("kind") == "team" and action.get("id"):
                    slug = action["id"]  # the slug before a rename check mode did not send
        targets.append(dict(slug=slug, new=new, where=item.get("where"), members=item.get("members"),
                            repositories=item.get("repositories")))
    return targets


class FilterModule(object):
    def filters(self):
        return {
            "org_config_plan": org_config_plan,
            "org_config_outside": org_config_outside,
            "org_config_members": org_config_members,
            "org_config_hooks": org_config_hooks,
            "org_config_team_targets": org_config_team_targets,
            "org_config_offboard": org_config_offboard,
        }
