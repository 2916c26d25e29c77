"""Shared helpers of the simulator tests (a uniquely named module, so it never clashes with other conftests)."""

from __future__ import annotations

import sys
from pathlib import Path

import requests

SIM_DIR = Path(__file__).resolve().parents[1] / "simulator"
sys.path.insert(0, str(SIM_DIR))

from control import SAMPLE_STATE, Simulator  # noqa: E402,F401  pylint: disable=unused-import

ADMIN = "ghp_demo_admin_token"
OWNER2 = "ghp_demo_owner2_token"
MEMBER = "ghp_demo_member_token"
NOSCOPE = "ghp_demo_noscope_token"
OUTSIDER = "ghp_demo_outsider_token"


class Api:
    """A tiny requests wrapper: ``api.get("/orgs/acme", token=MEMBER)``."""

    def __init__(self, sim: Simulator):
        self.sim = sim
        self.session = requests.Session()

    def call(self, method: str, path: str, token: str | None = ADMIN, **kw) -> requests.Response:
        headers = dict(kw.pop("headers", {}) or {})
        headers.setdefault("Accept", "application/vnd.github+json")
        headers.setdefault("X-GitHub-Api-Version", "2022-11-28")
        if token is not None:
            headers.setdefault("Authorization", f"Bearer {token}")
        url = path if path.startswith("http") else self.sim.url + path
        kw.setdefault("timeout", 10)
        return self.session.request(method, url, headers=headers, **kw)

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, **kw):
        return self.call("POST", path, **kw)

    def put(self, path, **kw):
        return self.call("PUT", path, **kw)

    def patch(self, path, **kw):
        return self.call("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self.call("DELETE", path, **kw)
