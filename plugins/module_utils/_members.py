# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to orgcode.github, not a public API: names and behaviour may change in any release.

"""Organization membership: one user (``username``) or the whole member list (``members``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.orgcode.github.plugins.module_utils import _reconcile
from ansible_collections.orgcode.github.plugins.module_utils.github_client import GitHubAPIError
from ansible_collections.orgcode.github.plugins.module_utils.github_module import login_key


def summary(membership):
    """What the diff shows of a membership."""
    if not membership:
        return dict(state="absent")
    return dict(state=membership.get("state"), role=membership.get("role"),
                login=(membership.get("user") or {}).get("login"))


def manage(gh):
    _reconcile.check_options(gh, "members")
    if gh.params["members"] is not None:
        return manage_list(gh)
    if gh.params["state"] == "absent":
        return remove_user(gh)
    return set_user(gh)


def guard_self_removal(gh, org, login):
    """Refuse to remove the token's own user unless ``allow_self_removal`` (one ``GET /user`` when asked)."""
    if gh.params["allow_self_removal"]:
        return
    me = gh.authenticated_login()
    if me and login_key(me) == login_key(login):
        gh.fail("username: %s is the user this task authenticates as; removing it from organization %s would "
                "lock the rest of the play out of the organization. Set allow_self_removal: true to remove it "
                "anyway" % (login, org))


def remove_user(gh):
    org = gh.login("org")
    username = gh.login("username")
    path = "/orgs/%s/memberships/%s" % (org, username)
    current = gh.client.get_or_none(path)
    if current is None:
        gh.require_found(org=org)  # a mistyped organization must not pass for "already absent"
        return gh.result(changed=False, before=summary(None), after=summary(None), membership={})
    gh.guard_last_owner(org, current, "remove")
    guard_self_removal(gh, org, (current.get("user") or {}).get("login") or username)
    gh.write("DELETE", path)
    gh.action("member", org, (current.get("user") or {}).get("login") or username, "remove",
              "cancel invitation" if current.get("state") == "pending" else "remove", old=current.get("role"))
    return gh.result(changed=True, before=summary(current), after=summary(None), membership={})


def set_user(gh):
    org = gh.login("org")
    username = gh.login("username")
    role = gh.params["role"]
    path = "/orgs/%s/memberships/%s" % (org, username)
    current = gh.client.get_or_none(path)
    if current is not None and current.get("role") == role:
        return gh.result(changed=False, before=summary(current), after=summary(current), membership=current)
    if current is not None and role != "admin":
        gh.guard_last_owner(org, current, "demote")
    user = None
    if current is None:  # an invitation: the login is confirmed before the write, in check mode too
        user = gh.require_found(username=username)
    try:
        status, updated = gh.write("PUT", path, body=dict(role=role), expect=dict)
    except GitHubAPIError as err:
        if err.status == 404:  # nothing was written: the organization is unknown
            gh.require_found(org=org)
        raise
    if updated is None:  # check mode: the membership as the PUT would leave it, failing as the PUT would
        if current is None:
            gh.require_found(org=org)
        updated = dict(current) if current is not None else dict(state="pending", user=user)
        updated["role"] = role
    login = (updated.get("user") or {}).get("login") or username
    if current is None:
        gh.action("member", org, login, "add", "invite", new=role)
    else:
        gh.action("member", org, login, "change", "role", old=current.get("role"), new=role)
    return gh.result(changed=True, before=summary(current), after=summary(updated), membership=updated)


def list_role(item, index):
    return item["role"]


def read_members(gh, org, wanted):
    """``(active, pending, email_invitations, failed)`` by login key; one list read each, 100 per page.

    GitHub Enterprise Server (3.17+) has no organization invitation lists: there, ``pending`` holds the
    listed logins (``wanted``) that are not active members and whose ``GET /orgs/{org}/memberships/{login}``
    is pending, and nothing else is seen (no failed invitations, no invitation of an unlisted login).
    """
    active = {}
    try:
        for role in ("admin", "member"):
            for user in gh.client.paginate("/orgs/%s/members" % org, params=dict(role=role)):
                active[login_key(user["login"])] = (user["login"], role)
    except GitHubAPIError as err:
        if err.status == 404:
            gh.require_found(org=org)
        raise
    if gh.client.enterprise_server:  # known from the answers above (or the /api/v3 root): no extra request
        return active, read_listed_pending(gh, org, wanted, active), [], {}
    pending, email_invitations = {}, []
    for invitation in gh.client.paginate("/orgs/%s/invitations" % org):
        if invitation.get("login"):
            role = "admin" if invitation.get("role") == "admin" else "member"
            pending[login_key(invitation["login"])] = (invitation["login"], role, invitation["id"])
        else:
            email_invitations.append(invitation.get("email") or "invitation %s" % invitation.get("id"))
    failed = {}
    for invitation in gh.client.paginate("/orgs/%s/failed_invitations" % org):
        if invitation.get("login") and login_key(invitation["login"]) not in pending:
            failed[login_key(invitation["login"])] = invitation
    return active, pending, email_invitations, failed


def read_listed_pending(gh, org, wanted, active):
    """On GitHub Enterprise Server: the pending memberships of the listed logins that are not active members,
    ``{key: (login, role, None)}``, one ``GET /orgs/{org}/memberships/{login}`` each (404: not invited)."""
    pending = {}
    for entry in sorted(wanted.values(), key=lambda e: e.index):
        if entry.key in active:
            continue
        membership = gh.client.get_or_none("/orgs/%s/memberships/%s" % (org, entry.login))
        if not membership:
            continue
        login = (membership.get("user") or {}).get("login") or entry.login
        role = "admin" if membership.get("role") == "admin" else "member"
        if membership.get("state") == "active":  # became a member since the list was read
            active[entry.key] = (login, role)
        elif membership.get("state") == "pending":
            pending[entry.key] = (login, role, None)
    return pending


def failed_entry(invitation, resent):
    return dict(login=invitation["login"], role=invitation.get("role"),
                failed_reason=invitation.get("failed_reason"), resent=resent)


def manage_list(gh):
    """Reconcile the organization's whole member list (authoritative mode)."""
    org = gh.login("org")
    wanted = _reconcile.entries(gh, "members", value=list_role, what="role")
    active, pending, email_invitations, failed = read_members(gh, org, wanted)

    # The plan: every read, every check and every login confirmation happen before the first write.
    invite, change, remove, cancel, kept, failed_report = {}, {}, [], [], [], []
    resend = gh.params["resend_failed_invitations"]
    for key, entry in sorted(wanted.items()):
        current = active.get(key) or pending.get(key)
        if current is not None:
            if current[1] != entry.value:
                change[key] = (current[0], entry.value)
            continue
        if key in failed:
            failed_report.append(failed_entry(failed[key], resend))
            if not resend:
                continue
        invite[key] = (entry.login, entry.value)
    failed_report.extend(failed_entry(failed[key], False) for key in sorted(failed) if key not in wanted)
    _reconcile.confirm_logins(gh, dict((key, wanted[key]) for key in invite), known=())
    if gh.params["exclusive"]:
        me = login_key(gh.authenticated_login())
        for key in _reconcile.compare(active, wanted)[2]:
            (kept if key == me else remove).append(active[key][0])
        cancel = [pending[key][0] for key in _reconcile.compare(pending, wanted)[2]]
        kept.extend(email_invitations)
        _reconcile.guard_removals(gh, remove, cancel)

    # Never leave the organization without an active owner.
    removed_keys = set(login_key(login) for login in remove)
    owners_before = [key for key, (_login, role) in active.items() if role == "admin"]
    owners_after = [key for key, (_login, role) in active.items()
                    if key not in removed_keys and (change[key][1] if key in change else role) == "admin"]
    if owners_before and not owners_after:
        gh.fail("members: refusing to remove or demote the last owner (admin) of organization %s (%s); "
                "list at least one owner with role: admin" % (org, ", ".join(active[k][0] for k in owners_before)))

    def describe(key):
        if key in active:
            return active[key][1]
        return "%s (pending)" % pending[key][1] if key in pending else "absent"

    def plan(login, action, verb, old=None, new=None):
        return dict(kind="member", scope=org, name=login, action=action, verb=verb, old=old, new=new)

    def membership(kind, login, role, step_plan):
        return _reconcile.write_step(kind, login, "PUT", "/orgs/%s/memberships/%s" % (org, login), dict(role=role),
                                     role, plan=step_plan)

    before, after, steps = {}, {}, []
    for key in sorted(change):
        login, role = change[key]
        before[login], after[login] = describe(key), role if key in active else "%s (pending)" % role
        old_role = active[key][1] if key in active else pending[key][1]
        steps.append(membership("role_changed", login, role, plan(login, "change", "role", old_role, role)))
    for login in remove:
        before[login], after[login] = describe(login_key(login)), "absent"
        steps.append(_reconcile.write_step("removed", login, "DELETE", "/orgs/%s/memberships/%s" % (org, login),
                                           plan=plan(login, "remove", "remove", active[login_key(login)][1])))
    for login in cancel:
        before[login], after[login] = describe(login_key(login)), "absent"
        invitation_id = pending[login_key(login)][2]
        cancel_path = ("/orgs/%s/invitations/%s" % (org, invitation_id) if invitation_id is not None
                       else "/orgs/%s/memberships/%s" % (org, login))  # GHES: no invitation ids
        steps.append(_reconcile.write_step("invitations_cancelled", login, "DELETE", cancel_path,
                                           plan=plan(login, "remove", "cancel invitation",
                                                     pending[login_key(login)][1])))
    for key in sorted(invite):
        login, role = invite[key]
        before[login], after[login] = describe(key), "%s (pending)" % role
        verb = "invite again" if key in failed else "invite"
        steps.append(membership("invited", login, role, plan(login, "add", verb, new=role)))

    done = dict(invited={}, role_changed={}, removed=[], invitations_cancelled=[])
    not_invited = [login for login, _role in (invite[key] for key in sorted(invite))]

    def on_error(step, err):
        left = [login for login in not_invited if login not in done["invited"]]
        hint = ""
        if err.status in (403, 422, 429) and "invit" in (err.message or "").lower():
            hint = " GitHub's invitation limit was reached; run again later to invite: %s." % ", ".join(left)
        elif left:
            hint = " Not yet invited: %s." % ", ".join(left)
        return "%s.%s" % (err, hint), dict(not_invited=left)

    _reconcile.apply(gh, steps, done, on_error)
    count = dict(active=len(active) - len(remove), pending=len(pending) - len(cancel) + len(invite))
    return gh.result(changed=bool(steps), before=before, after=after, changes=done,
                     failed_invitations=failed_report, kept=kept, member_count=count)
