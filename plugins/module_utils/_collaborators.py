# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to orgcode.github, not a public API: names and behaviour may change in any release.

"""A repository's whole collaborator list (github_repo_collaborator with ``collaborators``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.orgcode.github.plugins.module_utils import _reconcile
from ansible_collections.orgcode.github.plugins.module_utils._repository import (
    BUILT_IN,
    RANK,
    Repository,
    covers,
    custom_invitation_warning,
    invitee,
    legacy_of,
    normalize_role,
    put_body,
    role_of,
    same_role,
    team_gives,
    team_warning,
)
from ansible_collections.orgcode.github.plugins.module_utils.github_client import GitHubAPIError
from ansible_collections.orgcode.github.plugins.module_utils.github_module import login_key


def list_permission(gh):
    def permission(item, index):
        raw = item.get("permission")
        role = normalize_role(raw) if isinstance(raw, str) else ""
        if not role:
            gh.fail("collaborators[%d].permission: must be %s or a custom repository role name, got %r"
                    % (index, BUILT_IN, raw))
        return role.lower() if role in RANK else role
    return permission


def manage(gh):
    """Reconcile the repository's whole collaborator list (authoritative mode)."""
    _reconcile.check_options(gh, "collaborators")
    repo = Repository(gh)
    wanted = _reconcile.entries(gh, "collaborators", value=list_permission(gh), what="permission")
    direct, pending, expired = repo.read_lists()
    # Logins without a direct grant or a pending invitation: their access, which confirms they exist.
    found = _reconcile.confirm_logins(gh, wanted, known=set(direct) | set(pending),
                                      lookup=lambda gh, login: repo.access(login))

    # The plan: every read and every check happen before the first write.
    change, update, add, organization_access, before, after = [], [], [], {}, {}, {}
    for key, entry in sorted(wanted.items()):
        role = entry.value
        if key in direct:
            name = direct[key].get("login") or entry.login
            legacy, have = legacy_of(direct[key].get("permissions")), role_of(direct[key])
            if same_role(have, role):
                continue
            lowering = covers(have, legacy, role)
            if lowering and (repo.organization_gives(name, have, legacy, many=True) or
                             team_gives(repo.team_access(name), have, legacy)):
                organization_access[name] = have  # the direct grant under it cannot be read
                continue
            change.append((entry, name, lowering))
            before[name], after[name] = have, role
        elif key in pending:
            name, offered = invitee(pending[key]), pending[key].get("permissions")
            if role not in RANK:
                custom_invitation_warning(gh, name, repo.name, pending[key], role)
            elif not same_role(offered, role):
                update.append((entry, name, pending[key]))
                before[name], after[name] = "%s (pending)" % offered, "%s (pending)" % role
        else:
            name, have, legacy = found[key]
            inherited = not same_role(have, "none")
            if inherited and covers(have, legacy, role):
                organization_access[name] = have  # "at least this access", through the organization
                continue
            add.append((entry, name, inherited, expired.get(key)))
            if inherited:
                before[name] = "%s (organization)" % have
            else:
                before[name] = "absent (invitation expired)" if key in expired else "absent"
    roles = repo.check_roles([(entry.where("permission"), entry.value) for entry, _name, _x in change] +
                             [(entry.where("permission"), entry.value) for entry, _name, _x, _y in add])

    remove, cancel, kept = [], [], []
    if gh.params["exclusive"]:
        unlisted_direct = [direct[key].get("login") for key in _reconcile.compare(direct, wanted)[2]]
        unlisted_pending = _reconcile.compare(pending, wanted)[2]
        if unlisted_direct or unlisted_pending:
            me = login_key(gh.authenticated_login())
            owners = repo.owners() if unlisted_direct else set()
            for login in unlisted_direct:
                # never the token's own user; an owner has admin on every repository
                (kept if login_key(login) in owners or login_key(login) == me else remove).append(login)
            for key in unlisted_pending:
                (kept if key == me else cancel).append(invitee(pending[key]))
        _reconcile.guard_removals(gh, remove, cancel)

    done = dict(added={}, invited={}, changed={}, removed=[], invitations_cancelled=[], invitations_resent=[])

    def plan(name, action, verb, old=None, new=None):
        return dict(kind="repo_collaborator", scope=repo.name, name=name, action=action, verb=verb, old=old, new=new)

    steps = []
    for entry, name, lowering in change:
        steps.append(_reconcile.Step("changed", name, grant(repo, name, roles.get(entry.value, entry.value),
                                                            lowering, after), entry,
                                     plan(name, "change", "role", before[name], entry.value)))
    for entry, name, invitation in update:
        path = "%s/invitations/%s" % (repo.path, invitation["id"])
        steps.append(_reconcile.write_step("changed", name, "PATCH", path, dict(permissions=entry.value), entry.value,
                                           entry, plan(name, "change", "update invitation",
                                                       invitation.get("permissions"), entry.value)))
    for login in remove:
        before[login], after[login] = role_of(direct[login_key(login)]), "absent"
        steps.append(_reconcile.write_step("removed", login, "DELETE", "%s/collaborators/%s" % (repo.path, login),
                                           plan=plan(login, "remove", "remove", before[login])))
    for name in cancel:
        invitation = pending[login_key(name)]
        before[name], after[name] = "%s (pending)" % invitation.get("permissions"), "absent"
        steps.append(_reconcile.write_step("invitations_cancelled", name, "DELETE",
                                           "%s/invitations/%s" % (repo.path, invitation["id"]),
                                           plan=plan(name, "remove", "cancel invitation",
                                                     invitation.get("permissions"))))
    for entry, name, inherited, old in add:
        steps.append(_reconcile.Step("added", name, give(repo, name, roles.get(entry.value, entry.value),
                                                         inherited, old, after, done), entry))

    def on_error(step, err):
        if step.entry is not None and step.kind in ("changed", "added") and err.status == 422:
            return ("%s: GitHub refused to give %s the role %r on %s: %s." % (
                step.entry.where("permission"), step.login, step.entry.value, repo.name, err), {})
        if err.status == 403 and not err.rate_limited:
            return "%s. Managing collaborators takes a token with admin rights on the repository." % err, {}
        return "%s." % err, {}

    _reconcile.apply(gh, steps, done, on_error)
    count = dict(direct=len(direct) - len(remove) + len(done["added"]),
                 pending=len(pending) - len(cancel) + len(done["invited"]))
    resent = set(entry.key for entry, _name, _inherited, old in add if old is not None)
    expired_report = [dict(login=invitee(invitation), permission=invitation.get("permissions"),
                           id=invitation.get("id"), resent=key in resent)
                      for key, invitation in sorted(expired.items())]
    return gh.result(changed=bool(steps), before=before, after=after, changes=done,
                     organization_access=organization_access, expired_invitations=expired_report, kept=kept,
                     collaborator_count=count)


def grant(repo, name, role, lowering, after):
    """The write that changes a direct collaborator's role; a lowered one is read back to warn about a team."""
    def send(gh):
        status, _data = gh.write("PUT", "%s/collaborators/%s" % (repo.path, name), body=put_body(role), expect=dict)
        if lowering and status is not None:
            now = repo.access(name, confirm_read=False)
            if now is not None and not same_role(now[1], role):
                after[name] = now[1]
                team_warning(gh, name, repo.name, role, now[1], repo.team_access(name))
        return role
    return send


def give(repo, name, role, inherited, expired, after, done):
    """The writes that give a listed login access: replace an expired invitation, then ``PUT``."""
    def send(gh):
        if expired is not None:  # it counts as absent; replace it
            try:
                gh.write("DELETE", "%s/invitations/%s" % (repo.path, expired["id"]))
            except GitHubAPIError as err:
                if err.status != 404:  # already gone
                    raise
        status, _data = gh.write("PUT", "%s/collaborators/%s" % (repo.path, name), body=put_body(role), expect=dict)
        if status is None:  # check mode: the answer GitHub would give
            granted = repo.would_grant_directly(name, inherited)
        else:
            granted = status != 201
        after[name] = role if granted else "%s (pending)" % role
        gh.action("repo_collaborator", repo.name, name, "add", "grant" if granted else "invite", new=role)
        if expired is not None:
            done["invitations_resent"].append(name)
        return ("added" if granted else "invited"), role
    return send
