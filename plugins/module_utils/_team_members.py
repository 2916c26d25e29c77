# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to orgcode.github, not a public API: names and behaviour may change in any release.

"""github_team_membership: one user's membership of a team (``username``) or the team's whole member
list (``members``), through ``/orgs/{org}/teams/{team_slug}/memberships/{username}``.

GitHub's rules this follows: a team's member list (and a membership read) includes the members of its
child teams, and shows an organization owner as ``maintainer``; adding a user who is not an
organization member invites them to the organization, the team membership staying ``pending``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.orgcode.github.plugins.module_utils import _reconcile
from ansible_collections.orgcode.github.plugins.module_utils._teams import (
    planned_new_team, require_team, team_path, team_slug)
from ansible_collections.orgcode.github.plugins.module_utils.github_client import GitHubAPIError
from ansible_collections.orgcode.github.plugins.module_utils.github_module import login_key


def summary(membership, login=None):
    """What the diff shows of a team membership."""
    if not membership:
        return dict(state="absent", username=login) if login else dict(state="absent")
    return dict(state=membership.get("state"), role=membership.get("role"), username=login)


def manage(gh):
    _reconcile.check_options(gh, "members")
    org = gh.login("org")
    slug = team_slug(gh, "team")
    if gh.params["members"] is not None:
        return manage_list(gh, org, slug)
    username = gh.login("username")
    try:
        if gh.params["state"] == "absent":
            return remove_user(gh, org, slug, username)
        return set_user(gh, org, slug, username)
    except GitHubAPIError as err:
        if err.status != 403 or err.rate_limited:
            raise
        gh.fail("%s. Managing team members takes an organization owner's or a team maintainer's token (classic "
                "tokens: the admin:org scope)" % err, **err.to_result())


def membership_path(org, slug, login):
    return "%s/memberships/%s" % (team_path(org, slug), login)


def read_membership(gh, org, slug, login):
    """The team membership, or None; a 404 for an unknown team fails naming it (in check mode with
    O(new_team), the membership in the team an earlier task creates: its creator's only)."""
    current = gh.client.get_or_none(membership_path(org, slug, login))
    if current is None:
        if planned_new_team(gh, org, slug):
            return creator_membership(gh, login)
        require_team(gh, org, slug)
    return current


def creator_membership(gh, login):
    """GitHub makes the creator of a team (the token's user; a GitHub App installation is no user) its only
    maintainer: that membership for ``login`` in a team an earlier task of the run creates, else None."""
    me = gh.authenticated_login()
    if me and login_key(me) == login_key(login):
        return dict(role="maintainer", state="active")
    return None


def is_owner(gh, org, login):
    membership = gh.client.get_or_none("/orgs/%s/memberships/%s" % (org, login))
    return bool(membership) and membership.get("state") == "active" and membership.get("role") == "admin"


def owner_note(gh, login, slug):
    gh.module.warn("%s is an owner of the organization: GitHub shows an owner as a maintainer of every team "
                   "they are in, so role member is left as it is on team %s" % (login, slug))


def set_user(gh, org, slug, username):
    role = gh.params["role"]
    path = membership_path(org, slug, username)
    current = read_membership(gh, org, slug, username)
    if current is not None and current.get("role") == role:
        return gh.result(changed=False, before=summary(current, username), after=summary(current, username),
                         membership=current)
    if current is not None and current.get("state") == "active" and role == "member" \
            and current.get("role") == "maintainer" and is_owner(gh, org, username):
        owner_note(gh, username, slug)
        return gh.result(changed=False, before=summary(current, username), after=summary(current, username),
                         membership=current, owner=True)
    if current is None:  # a login is confirmed before anything is written for it
        gh.require_found(username=username)
    try:
        _status, updated = gh.write("PUT", path, body=dict(role=role), expect=dict)
    except GitHubAPIError as err:
        if err.status == 404:
            gh.require_found(org=org, username=username)
            require_team(gh, org, slug)
        if err.status == 422:
            gh.fail("username: GitHub refused to add %s to team %s: %s" % (username, slug, err), **err.to_result())
        raise
    if updated is None:  # check mode: the membership the PUT would give
        if current is not None:
            updated = dict(current, role=role)
        else:
            org_membership = gh.client.get_or_none("/orgs/%s/memberships/%s" % (org, username))
            active = bool(org_membership) and org_membership.get("state") == "active"
            updated = dict(state="active" if active else "pending", role=role)
    if current is None:
        gh.action("team_member", "%s/%s" % (org, slug), username, "add",
                  "add" if updated.get("state") == "active" else "invite", new=role)
    else:
        gh.action("team_member", "%s/%s" % (org, slug), username, "change", "role", old=current.get("role"),
                  new=role)
    return gh.result(changed=True, before=summary(current, username), after=summary(updated, username),
                     membership=updated)


def descendants(gh, org, slug):
    """``[(slug, {member login key: login})]`` of the team's child teams and theirs: the members GitHub
    shows in the team only through them. One read per team, 100 per page."""
    found, todo = [], [slug]
    while todo:
        for child in gh.client.iterate("%s/teams" % team_path(org, todo.pop(0)), params=dict(per_page=100)):
            child_slug = child.get("slug")
            if child_slug and child_slug not in [s for s, _m in found]:
                members = dict((login_key(user.get("login")), user.get("login")) for user in
                               gh.client.iterate("%s/members" % team_path(org, child_slug),
                                                 params=dict(per_page=100)))
                found.append((child_slug, members))
                todo.append(child_slug)
    return found


def through_children(gh, org, slug, login):
    return [child for child, members in descendants(gh, org, slug) if login_key(login) in members]


def remove_user(gh, org, slug, username):
    current = read_membership(gh, org, slug, username)
    if current is None:
        return gh.result(changed=False, before=summary(None, username), after=summary(None, username),
                         membership={})
    if current.get("state") == "active" and not getattr(gh, "planned_new_team", False):  # a new team has no child
        children = through_children(gh, org, slug, username)
        if children:
            gh.module.warn("%s is a member of team %s through its child team(s) %s; GitHub's REST API cannot show "
                           "a direct membership apart from it, so nothing was removed. Remove %s from %s." % (
                               username, slug, ", ".join(children), username, ", ".join(children)))
            return gh.result(changed=False, before=summary(current, username), after=summary(current, username),
                             membership=current, child_teams=children)
    gh.write("DELETE", membership_path(org, slug, username))
    gh.action("team_member", "%s/%s" % (org, slug), username, "remove",
              "cancel invitation" if current.get("state") == "pending" else "remove", old=current.get("role"))
    return gh.result(changed=True, before=summary(current, username), after=summary(None, username), membership={})


# -- the whole list ----------------------------------------------------------------------------------

def read_team(gh, org, slug):
    """``(active, pending)`` by login key: ``active`` ``{key: (login, role)}`` from the maintainers and
    members lists (child teams' members included, owners shown as maintainers), ``pending`` ``{key: login}``
    from the team's pending invitations (none on GitHub Enterprise Server, which has no such list)."""
    active = {}
    try:
        for role in ("maintainer", "member"):
            for user in gh.client.iterate("%s/members" % team_path(org, slug), params=dict(role=role, per_page=100)):
                active.setdefault(login_key(user.get("login")), (user.get("login"), role))
    except GitHubAPIError as err:
        if err.status == 404:
            if planned_new_team(gh, org, slug):
                # Check mode, the team created by an earlier task of this run: GitHub makes its creator (the
                # token's user; a GitHub App installation is no user) its only maintainer.
                me = gh.authenticated_login()
                return (dict([(login_key(me), (me, creator_membership(gh, me)["role"]))]) if me else {}), {}
            require_team(gh, org, slug)
        raise
    pending = {}
    try:
        for invitation in gh.client.iterate("%s/invitations" % team_path(org, slug), params=dict(per_page=100)):
            if invitation.get("login") and login_key(invitation["login"]) not in active:
                pending[login_key(invitation["login"])] = invitation["login"]
    except GitHubAPIError as err:
        if err.status != 404:
            raise
    return active, pending


def manage_list(gh, org, slug):
    """Reconcile the team's whole member list (authoritative mode)."""
    wanted = _reconcile.entries(gh, "members", value=lambda item, index: item.get("role") or "member", what="role")
    active, pending = read_team(gh, org, slug)
    found = _reconcile.confirm_logins(gh, wanted, known=set(active) | set(pending))

    add, change, owners_kept = [], [], []
    owners = None
    for key, entry in sorted(wanted.items()):
        if key in active:
            login, role = active[key]
            if role == entry.value:
                continue
            if role == "maintainer" and entry.value == "member":
                if owners is None:  # GitHub shows an owner as maintainer: never a demotion to send
                    owners = set(login_key(user.get("login")) for user in gh.client.iterate(
                        "/orgs/%s/members" % org, params=dict(role="admin", per_page=100)))
                if key in owners:
                    owners_kept.append(login)
                    continue
            change.append((entry, login, role))
        elif key in pending:
            continue  # invited: present; GitHub does not show the role an invitation carries
        else:
            add.append((entry, (found.get(key) or {}).get("login") or entry.login))

    remove, cancel, kept, inherited = [], [], [], {}
    if gh.params["exclusive"]:
        unlisted = _reconcile.compare(active, wanted)[2]
        unlisted_pending = _reconcile.compare(pending, wanted)[2]
        if unlisted or unlisted_pending:
            me = login_key(gh.authenticated_login())
            via = {}
            if unlisted and not getattr(gh, "planned_new_team", False):  # a team to create has no child team
                for child, members in descendants(gh, org, slug):
                    for key in members:
                        via.setdefault(key, []).append(child)
            for key in unlisted:
                login = active[key][0]
                if key == me:
                    kept.append(login)
                elif key in via:  # shown only through a child team: not this list's to remove
                    inherited[login] = via[key]
                else:
                    remove.append(login)
            for key in unlisted_pending:
                (kept if key == me else cancel).append(pending[key])
        _reconcile.guard_removals(gh, remove, cancel)

    scope = "%s/%s" % (org, slug)

    def plan(login, action, verb, old=None, new=None):
        return dict(kind="team_member", scope=scope, name=login, action=action, verb=verb, old=old, new=new)

    before, after, steps = {}, {}, []
    for entry, login, role in change:
        before[login], after[login] = role, entry.value
        steps.append(_reconcile.write_step("role_changed", login, "PUT", membership_path(org, slug, login),
                                           dict(role=entry.value), entry.value, entry,
                                           plan(login, "change", "role", role, entry.value)))
    for login in remove:
        before[login], after[login] = active[login_key(login)][1], "absent"
        steps.append(_reconcile.write_step("removed", login, "DELETE", membership_path(org, slug, login),
                                           plan=plan(login, "remove", "remove", active[login_key(login)][1])))
    for login in cancel:
        before[login], after[login] = "pending", "absent"
        steps.append(_reconcile.write_step("invitations_cancelled", login, "DELETE",
                                           membership_path(org, slug, login),
                                           plan=plan(login, "remove", "cancel invitation")))
    for entry, login in add:
        before[login] = "absent"
        steps.append(_reconcile.Step("added", login, add_member(org, slug, login, entry.value, after), entry,
                                     plan(login, "add", "add", new=entry.value)))

    def on_error(step, err):
        if step.entry is not None and err.status == 422:
            return "%s: GitHub refused to add %s to team %s: %s." % (step.entry.where(), step.login, slug, err), {}
        if err.status == 403 and not err.rate_limited:
            return ("%s. Managing team members takes an organization owner's or a team maintainer's token"
                    % err), {}
        return "%s." % err, {}

    done = dict(added={}, invited={}, role_changed={}, removed=[], invitations_cancelled=[])
    _reconcile.apply(gh, steps, done, on_error)
    count = dict(active=len(active) - len(remove) + len(done["added"]),
                 pending=len(pending) - len(cancel) + len(done["invited"]))
    return gh.result(changed=bool(steps), before=before, after=after, changes=done, kept=kept,
                     inherited=inherited, owners_shown_as_maintainers=owners_kept, member_count=count)


def add_member(org, slug, login, role, after):
    """The write that adds a listed login: active for an organization member, else pending (an invitation)."""
    def send(gh):
        _status, answer = gh.write("PUT", membership_path(org, slug, login), body=dict(role=role), expect=dict)
        if answer is None:  # check mode: what GitHub would answer
            membership = gh.client.get_or_none("/orgs/%s/memberships/%s" % (org, login))
            state = "active" if membership and membership.get("state") == "active" else "pending"
        else:
            state = answer.get("state") or "active"
        after[login] = role if state == "active" else "%s (pending)" % role
        return ("added" if state == "active" else "invited"), role
    return send
