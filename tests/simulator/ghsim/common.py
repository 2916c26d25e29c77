"""Constants, errors, the response type and small helpers shared by every part of the simulator."""

from __future__ import annotations

import base64
import datetime as _dt

DOCS = "https://docs.github.com/rest"
SUPPORTED_API_VERSIONS = ("2022-11-28", "2026-03-10")
DEFAULT_API_VERSION = "2022-11-28"
DEFAULT_TIMESTAMP = "2020-01-01T00:00:00Z"
RATE_LIMIT = 5000

# Repository roles, lowest to highest.  Custom roles rank just above their base.
ROLE_RANK = {"read": 1, "triage": 2, "write": 3, "maintain": 4, "admin": 5}
PERMISSION_ALIASES = {"pull": "read", "push": "write"}
LEGACY_PERMISSION = {"read": "read", "triage": "read", "write": "write", "maintain": "write", "admin": "admin"}
INVITATION_PERMISSIONS = ("read", "write", "maintain", "triage", "admin")

# Classic OAuth scopes and the scopes that imply them.
SCOPE_IMPLIED_BY = {
    "read:org": {"read:org", "write:org", "admin:org"},
    "write:org": {"write:org", "admin:org"},
    "admin:org": {"admin:org"},
    "admin:org_hook": {"admin:org_hook"},
    "repo": {"repo"},
    "read:user": {"read:user", "user"},
}


def now_iso() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> _dt.datetime:
    return _dt.datetime.strptime(value.replace("+00:00", "Z"), "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=_dt.UTC)


def iso(value) -> str:
    if value is None:
        return DEFAULT_TIMESTAMP
    if isinstance(value, (_dt.datetime, _dt.date)):
        if isinstance(value, _dt.datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=_dt.UTC)
            return value.astimezone(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return value.strftime("%Y-%m-%dT00:00:00Z")
    return str(value)


def node_id(kind: str, ident: int) -> str:
    return base64.b64encode(f"0{len(kind)}:{kind}{ident}".encode()).decode()


def fold(login) -> str:
    return str(login).strip().lstrip("@").lower()


def norm_role(value) -> str:
    """Normalise a repository permission given by a state file or a request."""
    value = str(value).strip()
    low = value.lower()
    return PERMISSION_ALIASES.get(low, low) if low in PERMISSION_ALIASES or low in ROLE_RANK else value


class ApiError(Exception):
    def __init__(self, status: int, message: str, errors=None, headers=None, documentation_url: str = DOCS):
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors
        self.headers = headers or {}
        self.documentation_url = documentation_url

    def body(self) -> dict:
        body = {"message": self.message, "documentation_url": self.documentation_url, "status": str(self.status)}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


def not_found() -> ApiError:
    return ApiError(404, "Not Found")


def validation(errors, message: str = "Validation Failed") -> ApiError:
    return ApiError(422, message, errors=errors)


class Response:
    def __init__(self, status: int = 200, body=None, headers=None, raw: bytes | None = None):
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.raw = raw


class Urls:
    def __init__(self, host: str, prefix: str):
        self.api = f"http://{host}{prefix}"
        self.web = f"http://{host}"
