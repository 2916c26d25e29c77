"""The request context handed to every handler: body, authorization checks, lookups, pagination."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from .appauth import app_bot_account
from .common import SCOPE_IMPLIED_BY, ApiError, Response, Urls, fold, not_found, validation
from .flavours import V2022, version_changes
from .permissions import effective_role, role_base
from .state import State

if TYPE_CHECKING:
    from .server import Simulator


class Ctx:
    def __init__(self, server: Simulator, method: str, path: str, query: dict, headers, body_bytes: bytes,
                 urls: Urls, match: dict):
        self.sim = server
        self.state: State = server.state
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body_bytes = body_bytes
        self.urls = urls
        self.params = match
        self.token: dict | None = None
        self.login: str | None = None
        self.extra_headers: dict = {}
        self.template: str | None = None  # the route template, e.g. "/orgs/{org}"
        self.api_version = V2022  # the X-GitHub-Api-Version of the request (validated by the dispatcher)
        self._body = None

    @property
    def flavour(self) -> str:
        return self.state.flavor

    # -- request body --
    def body(self) -> dict:
        if self._body is None:
            if not self.body_bytes.strip():
                self._body = {}
            else:
                try:
                    value = json.loads(self.body_bytes)
                except ValueError:
                    raise ApiError(400, "Problems parsing JSON") from None
                if value is None:
                    value = {}
                if not isinstance(value, dict):
                    raise ApiError(400, "Body should be a JSON object")
                rejected = version_changes(self.api_version, "request_fields_rejected", self.method, self.template)
                for field in sorted(rejected & set(value)):
                    raise validation([{"resource": "Request", "field": field, "code": "invalid",
                                       "message": f"{field} is not a valid field in API version {self.api_version}"}])
                removed = version_changes(self.api_version, "request_fields_removed", self.method, self.template)
                self._body = {k: v for k, v in value.items() if k not in removed}
        return self._body

    # -- auth --
    def need_scope(self, scope: str) -> None:
        if self.token is None or self.token["scopes"] is None:
            return
        self.extra_headers["X-Accepted-OAuth-Scopes"] = ", ".join(sorted(SCOPE_IMPLIED_BY.get(scope, {scope})))
        if not set(self.token["scopes"]) & SCOPE_IMPLIED_BY.get(scope, {scope}):
            raise ApiError(403, f"Resource not accessible by personal access token; the '{scope}' scope is "
                           "required", headers=dict(self.extra_headers),
                           documentation_url="https://docs.github.com/rest/overview/scopes-for-oauth-apps")

    def org(self) -> dict:
        org = self.state.orgs.get(fold(self.params["org"]))
        if org is None:
            raise not_found()
        return org

    def org_role(self, org: dict) -> str | None:
        if app_bot_account(self.state, self.login) == org["login"].lower():
            return "admin"  # an installation token acts with owner-like rights on its account's org
        return org["members"].get(self.login)

    def require_member(self, org: dict) -> None:
        if self.org_role(org) is None:
            raise not_found()

    def require_owner(self, org: dict, action: str, nonmember_status: int = 404) -> None:
        role = self.org_role(org)
        if role is None:
            if nonmember_status == 404:
                raise not_found()
            raise ApiError(403, f"You must be an admin to {action}.")
        if role != "admin":
            raise ApiError(403, f"You must be an admin to {action}.")

    def user(self, login=None) -> dict:
        user = self.state.users.get(fold(login if login is not None else self.params["username"]))
        if user is None or user["type"] != "User":
            raise not_found()
        return user

    def repo(self) -> dict:
        key = f"{fold(self.params['owner'])}/{self.params['repo'].lower()}"
        repo = self.state.repos.get(key)
        if repo is None:
            raise not_found()
        if self.token is not None and self.token["scopes"] is not None and repo["private"] \
                and "repo" not in self.token["scopes"]:
            raise not_found()
        if repo["private"] and effective_role(self.state, repo, self.login) is None:
            raise not_found()
        return repo

    def require_repo_admin(self, repo: dict) -> None:
        self.need_scope("repo")
        role = effective_role(self.state, repo, self.login)
        if role is None or role_base(repo, role) != "admin":
            raise ApiError(403, "Must have admin rights to Repository.")

    # -- pagination --
    def paginate(self, items: list, render) -> Response:
        try:
            per_page = int(self.query.get("per_page", 30))
        except ValueError:
            per_page = 30
        try:
            page = int(self.query.get("page", 1))
        except ValueError:
            page = 1
        per_page = max(1, min(per_page, 100))
        page = max(1, page)
        total = len(items)
        last = max(1, (total + per_page - 1) // per_page)
        chunk = items[(page - 1) * per_page: page * per_page]
        body = [render(item) for item in chunk]
        headers = {}
        if total > per_page or page > 1:
            links = []

            def link(num, rel):
                q = dict(self.query)
                if "per_page" in q:
                    q["per_page"] = str(per_page)
                q["page"] = str(num)
                return f'<{self.urls.api}{self.path}?{urlencode(q)}>; rel="{rel}"'

            if page > 1:
                links.append(link(min(page - 1, last), "prev"))
            if page < last:
                links.append(link(page + 1, "next"))
                links.append(link(last, "last"))
            if page > 1:
                links.append(link(1, "first"))
            headers["Link"] = ", ".join(links)
        return Response(200, body, headers)
