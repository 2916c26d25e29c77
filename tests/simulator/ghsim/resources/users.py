"""Users: GET /user, GET /users/{username}."""

from __future__ import annotations

from ..common import Response, fold, not_found
from ..context import Ctx
from ..render import private_user, public_user


def h_get_user(ctx: Ctx):
    return Response(200, private_user(ctx.state.users[ctx.login], ctx.urls))


def h_get_users(ctx: Ctx):
    user = ctx.state.users.get(fold(ctx.params["username"]))
    if user is None:
        raise not_found()
    return Response(200, public_user(user, ctx.urls))


ROUTES = [
    # (method, template, handler, is_list)
    ("GET", "/user", h_get_user, False),
    ("GET", "/users/{username}", h_get_users, False),
]
