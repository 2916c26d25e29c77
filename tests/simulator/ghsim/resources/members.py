"""Members, memberships and organization invitations (pending and failed)."""

from __future__ import annotations

from ..common import ApiError, Response, Urls, fold, node_id, not_found, now_iso, validation
from ..context import Ctx
from ..flavours import GITHUB_COM, version_changes
from ..render import org_simple, simple_user
from ..state import State


def org_membership(state: State, org: dict, user: dict, status: str, role: str, urls: Urls) -> dict:
    return {
        "url": f"{urls.api}/orgs/{org['login']}/memberships/{user['login']}",
        "state": status,
        "role": role,
        "organization_url": f"{urls.api}/orgs/{org['login']}",
        "organization": org_simple(org, urls),
        "user": simple_user(user, urls),
    }


def org_invitation(state: State, org: dict, inv: dict, urls: Urls) -> dict:
    inviter = state.users.get(inv["inviter"] or "") or state.users[org["login"].lower()]
    user = state.users.get(inv["login"]) if inv["login"] else None
    return {
        "id": inv["id"],
        "login": user["login"] if user else None,
        "email": inv["email"] if inv["email"] is not None else (user["email"] if user else None),
        "role": inv["role"],
        "created_at": inv["created_at"],
        "failed_at": inv.get("failed_at"),
        "failed_reason": inv.get("failed_reason"),
        "inviter": simple_user(inviter, urls),
        "team_count": inv["team_count"],
        "node_id": node_id("OrganizationInvitation", inv["id"]),
        "invitation_teams_url": f"{urls.api}/organizations/{org['id']}/invitations/{inv['id']}/teams",
        "invitation_source": inv["invitation_source"],
    }


TFA_FILTERS = ("all", "2fa_disabled", "2fa_insecure")


def tfa_filter(ctx: Ctx, org: dict, logins):
    flt = ctx.query.get("filter", "all")
    if flt not in TFA_FILTERS:
        raise validation([{"resource": "Organization", "field": "filter", "code": "invalid"}])
    if flt == "all":
        return logins
    if ctx.org_role(org) != "admin":
        raise validation(
            [{"resource": "Organization", "field": "filter", "code": "invalid",
              "message": "Only organization owners can filter by two-factor authentication"}],
            message="Only owners can use this filter.")
    wanted = "disabled" if flt == "2fa_disabled" else "insecure"
    users = ctx.state.users
    return [k for k in logins if users[k]["two_factor"] == wanted]


def h_list_members(ctx: Ctx):
    org = ctx.org()
    role = ctx.query.get("role", "all")
    if role not in ("all", "admin", "member"):
        raise validation([{"resource": "Organization", "field": "role", "code": "invalid"}])
    if ctx.org_role(org) is None:
        # Non-members only see public members; the simulator keeps every membership concealed.
        logins = []
    else:
        logins = list(org["members"]) if role == "all" else [k for k, r in org["members"].items() if r == role]
    logins = tfa_filter(ctx, org, logins)
    users = ctx.state.users
    return ctx.paginate(logins, lambda k: simple_user(users[k], ctx.urls))


def h_check_member(ctx: Ctx):
    org = ctx.org()
    key = fold(ctx.params["username"])
    if ctx.org_role(org) is None:
        # Requester is not a member: GitHub redirects to the public membership check.
        return Response(404, raw=b"")
    return Response(204 if key in org["members"] else 404, raw=b"")


def _remove_from_org(state: State, org: dict, key: str) -> None:
    org["members"].pop(key, None)
    org["outside"].pop(key, None)
    inv = state.pending_org_invitation(org, key)
    if inv:
        state.remove_org_invitation(org, inv["id"])
    state.drop_team_memberships(org, key)
    for repo in state.org_repos(org["login"].lower()):
        repo["collaborators"].pop(key, None)
        repo["teams"].pop(key, None)


def _admin_count(org: dict) -> int:
    return sum(1 for r in org["members"].values() if r == "admin")


def _last_owner_check(org: dict, key: str, verb: str) -> None:
    if org["members"].get(key) == "admin" and _admin_count(org) <= 1:
        raise ApiError(403, f"You cannot {verb} the last owner of an organization. "
                            "Organizations must always have at least one owner.")


def h_remove_member(ctx: Ctx):
    org = ctx.org()
    ctx.require_owner(org, "remove organization members", nonmember_status=403)
    ctx.need_scope("admin:org")
    key = fold(ctx.params["username"])
    _last_owner_check(org, key, "remove")
    if key in org["members"]:
        _remove_from_org(ctx.state, org, key)
    return Response(204, raw=b"")


def h_get_membership(ctx: Ctx):
    org = ctx.org()
    key = fold(ctx.params["username"])
    if ctx.org_role(org) is None and key != ctx.login:
        raise not_found()
    ctx.need_scope("read:org")
    user = ctx.state.users.get(key)
    if user is None:
        raise not_found()
    if key in org["members"]:
        return Response(200, org_membership(ctx.state, org, user, "active", org["members"][key], ctx.urls))
    inv = ctx.state.pending_org_invitation(org, key)
    if inv:
        return Response(200, org_membership(ctx.state, org, user, "pending", _inv_role_to_membership(inv["role"]),
                                            ctx.urls))
    raise not_found()


def _inv_role_to_membership(role: str) -> str:
    return {"admin": "admin", "billing_manager": "billing_manager"}.get(role, "member")


def _new_org_invitation(ctx: Ctx, org: dict, login_key: str | None, email: str | None, role: str,
                        team_count: int = 0) -> dict:
    state = ctx.state
    # A fresh invitation replaces any failed/expired ones for the same invitee.
    for inv in list(org["invitations"].values()):
        if inv.get("failed_at") and ((login_key and inv["login"] == login_key) or
                                     (email and inv["email"] and inv["email"].lower() == email.lower())):
            state.remove_org_invitation(org, inv["id"])
    inv = {
        "id": state.next_id("org_inv"),
        "login": login_key,
        "email": email,
        "role": role,
        "created_at": now_iso(),
        "inviter": ctx.login,
        "team_count": team_count,
        "invitation_source": "member",
        "failed_at": None,
        "failed_reason": None,
    }
    return state.add_org_invitation(org, inv)


def h_set_membership(ctx: Ctx):
    org = ctx.org()
    ctx.require_owner(org, "add or update organization memberships", nonmember_status=403)
    ctx.need_scope("admin:org")
    body = ctx.body()
    role = body.get("role", "member")
    if role not in ("admin", "member"):
        raise validation([{"resource": "OrganizationMembership", "field": "role", "code": "invalid"}])
    user = ctx.user()
    key = user["login"].lower()
    if user["trade_restricted"] and key not in org["members"] and ctx.flavour == GITHUB_COM:
        # GitHub refuses accounts restricted by trade controls; 2026-03-10 answers 451 instead of 422
        status = 451 if version_changes(ctx.api_version, "trade_compliance_451", "PUT", ctx.template) else 422
        raise ApiError(status, "Validation Failed", errors=[{
            "resource": "OrganizationMembership", "field": "user", "code": "unprocessable",
            "message": "This user isn't able to use this feature due to trade regulations."}])
    if key in org["members"]:
        if org["members"][key] == "admin" and role != "admin":
            _last_owner_check(org, key, "demote")
        org["members"][key] = role
        return Response(200, org_membership(ctx.state, org, user, "active", role, ctx.urls))
    inv_role = "admin" if role == "admin" else "direct_member"
    inv = ctx.state.pending_org_invitation(org, key)
    if inv:
        inv["role"] = inv_role
    else:
        inv = _new_org_invitation(ctx, org, key, None, inv_role)
    return Response(200, org_membership(ctx.state, org, user, "pending", _inv_role_to_membership(inv["role"]),
                                        ctx.urls))


def h_remove_membership(ctx: Ctx):
    org = ctx.org()
    ctx.require_owner(org, "remove organization memberships", nonmember_status=403)
    ctx.need_scope("admin:org")
    key = fold(ctx.params["username"])
    if key in org["members"]:
        _last_owner_check(org, key, "remove")
        _remove_from_org(ctx.state, org, key)
        return Response(204, raw=b"")
    inv = ctx.state.pending_org_invitation(org, key)
    if inv:
        ctx.state.remove_org_invitation(org, inv["id"])
        return Response(204, raw=b"")
    raise not_found()


def h_list_invitations(ctx: Ctx, failed: bool = False):
    org = ctx.org()
    ctx.require_owner(org, "list organization invitations")
    ctx.need_scope("read:org")
    items = [inv for inv in org["invitations"].values() if bool(inv.get("failed_at")) == failed]
    return ctx.paginate(items, lambda inv: org_invitation(ctx.state, org, inv, ctx.urls))


def h_list_failed_invitations(ctx: Ctx):
    return h_list_invitations(ctx, failed=True)


def h_create_invitation(ctx: Ctx):
    org = ctx.org()
    ctx.require_owner(org, "invite organization members")
    ctx.need_scope("admin:org")
    body = ctx.body()
    role = body.get("role", "direct_member")
    if role not in ("admin", "direct_member", "billing_manager", "reinstate"):
        raise validation([{"resource": "OrganizationInvitation", "field": "role", "code": "invalid"}])
    invitee_id = body.get("invitee_id")
    email = body.get("email")
    team_ids = body.get("team_ids") or []
    if invitee_id is None and not email:
        raise validation([{"resource": "OrganizationInvitation", "field": "invitee_id", "code": "missing_field"}],
                         message="Validation Failed")
    login_key = None
    if invitee_id is not None:
        try:
            login_key = ctx.state.users_by_id.get(int(invitee_id))
        except (TypeError, ValueError):
            login_key = None
        if login_key is None or ctx.state.users[login_key]["type"] != "User":
            raise validation([{"resource": "OrganizationInvitation", "field": "invitee_id", "code": "invalid"}])
    elif email:
        if "@" not in str(email):
            raise validation([{"resource": "OrganizationInvitation", "field": "email", "code": "invalid"}])
        for inv in org["invitations"].values():
            if not inv.get("failed_at") and inv["email"] and inv["email"].lower() == str(email).lower():
                raise validation([{"resource": "OrganizationInvitation", "field": "email", "code": "already_exists",
                                   "message": "Invitee is already invited"}])
    if role == "reinstate":
        role = "direct_member"
    if login_key is not None:
        if login_key in org["members"]:
            raise validation([{"resource": "OrganizationInvitation", "field": "invitee_id",
                               "code": "already_exists", "message": "Invitee is already a part of this organization"}])
        if ctx.state.pending_org_invitation(org, login_key):
            raise validation([{"resource": "OrganizationInvitation", "field": "invitee_id",
                               "code": "already_exists", "message": "Invitee is already invited"}])
    inv = _new_org_invitation(ctx, org, login_key, email if login_key is None else None, role, len(team_ids))
    return Response(201, org_invitation(ctx.state, org, inv, ctx.urls))


def h_cancel_invitation(ctx: Ctx):
    org = ctx.org()
    ctx.require_owner(org, "cancel organization invitations")
    ctx.need_scope("admin:org")
    try:
        inv_id = int(ctx.params["invitation_id"])
    except ValueError:
        raise not_found() from None
    inv = org["invitations"].get(inv_id)
    if inv is None or inv.get("failed_at"):
        raise not_found()
    ctx.state.remove_org_invitation(org, inv_id)
    return Response(204, raw=b"")


ROUTES = [
    # (method, template, handler, is_list)
    ("GET", "/orgs/{org}/members", h_list_members, True),
    ("GET", "/orgs/{org}/members/{username}", h_check_member, False),
    ("DELETE", "/orgs/{org}/members/{username}", h_remove_member, False),
    ("GET", "/orgs/{org}/memberships/{username}", h_get_membership, False),
    ("PUT", "/orgs/{org}/memberships/{username}", h_set_membership, False),
    ("DELETE", "/orgs/{org}/memberships/{username}", h_remove_membership, False),
    ("GET", "/orgs/{org}/invitations", h_list_invitations, True),
    ("POST", "/orgs/{org}/invitations", h_create_invitation, False),
    ("GET", "/orgs/{org}/failed_invitations", h_list_failed_invitations, True),
    ("DELETE", "/orgs/{org}/invitations/{invitation_id}", h_cancel_invitation, False),
]
