"""The HTTP server: dispatch, authentication, rate limits, faults, control endpoints, command line."""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import re
import select
import signal
import socket
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml

from .appauth import APP_CONFIG_DEFAULTS, app_credential
from .common import (
    DEFAULT_API_VERSION,
    DOCS,
    RATE_LIMIT,
    ApiError,
    Response,
    Urls,
    fold,
    not_found,
)
from .context import Ctx
from .flavours import (
    API_VERSIONS,
    FLAVOURS,
    GHES,
    GHES_ABSENT_ROUTES,
    GHES_PREFIX,
    GITHUB_COM,
    strip_fields,
    version_changes,
)
from .routing import match_route
from .state import State


class Simulator:
    """Holds the state, the request log, faults and configuration of one server."""

    def __init__(self, initial: dict, latency_ms: float = 0, flavour: str | None = None):
        self.initial = copy.deepcopy(initial or {})
        if flavour:  # the startup state plays this flavour, whatever its "flavor" says
            self.initial["flavor"] = flavour
        self.flavour = flavour or GITHUB_COM  # for a state given to reset() without a "flavor"
        self.lock = threading.RLock()
        self.log_lock = threading.Lock()
        self.state = State(copy.deepcopy(self.initial), self.flavour)
        self.log: list[dict] = []
        self.faults: list[dict] = []
        self.start_latency = float(latency_ms)
        self.config = {"latency_ms": float(latency_ms), "enforce_rate_limit": False, "rate_limit": RATE_LIMIT,
                       **APP_CONFIG_DEFAULTS}
        self.rate: dict[str, dict] = {}

    def reset(self, data: dict | None) -> None:
        with self.lock:
            # reset(None) reloads the state the server was started with.
            self.state = State(copy.deepcopy(self.initial if data is None else data), self.flavour)
            self.faults = []
            self.rate = {}
            self.config["latency_ms"] = self.start_latency
            self.config.update(APP_CONFIG_DEFAULTS)
        with self.log_lock:
            self.log = []

    # -- rate limiting --
    def rate_headers(self, key: str) -> tuple[dict, bool]:
        now = int(time.time())
        limit = int(self.config["rate_limit"])
        with self.log_lock:
            bucket = self.rate.get(key)
            if bucket is None or bucket["reset"] <= now:
                bucket = self.rate[key] = {"used": 0, "reset": now + 3600}
            exhausted = bucket["used"] >= limit
            if exhausted and not self.config["enforce_rate_limit"]:
                bucket["used"], bucket["reset"] = 0, now + 3600
                exhausted = False
            if not exhausted:
                bucket["used"] += 1
            used = bucket["used"]
        return ({
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(max(0, limit - used)),
            "X-RateLimit-Used": str(used),
            "X-RateLimit-Reset": str(bucket["reset"]),
            "X-RateLimit-Resource": "core",
        }, exhausted)

    def take_fault(self, method: str, path: str) -> dict | None:
        with self.lock:
            for rule in self.faults:
                if rule["method"] not in ("*", method):
                    continue
                if not re.search(rule["path"], path):
                    continue
                if rule["times"]:
                    rule["remaining"] -= 1
                    if rule["remaining"] <= 0:
                        self.faults.remove(rule)
                rule["hits"] = rule.get("hits", 0) + 1
                return dict(rule)
        return None

    def add_fault(self, rule: dict) -> dict:
        if not isinstance(rule, dict):
            raise ApiError(400, "fault rule must be a JSON object")
        rule = dict(rule)
        rule["method"] = str(rule.get("method", "*")).upper()
        rule["path"] = str(rule.get("path", ".*"))
        try:
            re.compile(rule["path"])
        except re.error as exc:
            raise ApiError(400, f"invalid path regex: {exc}") from None
        rule["times"] = int(rule.get("times", 1))
        rule["remaining"] = rule["times"]
        with self.lock:
            self.faults.append(rule)
        return rule


def fault_response(rule: dict, is_list: bool, method: str) -> Response | None:
    """The answer a fault rule gives instead of the real handler (None: answer normally)."""
    headers = {str(k): str(v) for k, v in (rule.get("headers") or {}).items()}
    if rule.get("retry_after") is not None:
        headers["Retry-After"] = str(rule["retry_after"])
    if rule.get("rate_limit_exhausted"):
        reset = int(time.time()) + int(rule.get("reset_in", 60))
        headers.update({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset),
                        "X-RateLimit-Used": str(RATE_LIMIT)})
        body = rule.get("body") or {
            "message": "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, "
                       "please include the request ID.",
            "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
            "status": "403"}
        return Response(int(rule.get("status") or 403), body, headers)
    if rule.get("secondary"):
        headers.setdefault("Retry-After", str(rule.get("retry_after", 60)))
        body = rule.get("body") or {
            "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
                       "again. If you reach out to GitHub Support for help, please include the request ID.",
            "documentation_url": "https://docs.github.com/free-pro-team@latest/rest/overview/"
                                 "rate-limits-for-the-rest-api#about-secondary-rate-limits",
            "status": str(rule.get("status") or 403)}
        return Response(int(rule.get("status") or 403), body, headers)
    if rule.get("invalid_json"):
        return Response(int(rule.get("status") or 200), None, headers,
                        raw=b"<html><body>Unicorn! This page is taking too long to load.</body>")
    if rule.get("wrong_shape"):
        body = {"unexpected": "object"} if (is_list and method in ("GET", "HEAD")) else ["unexpected", "list"]
        return Response(int(rule.get("status") or 200), body, headers)
    if rule.get("status") is not None or rule.get("body") is not None:
        status = int(rule.get("status") or 200)
        body = rule.get("body")
        if body is None:
            try:
                phrase = HTTPStatus(status).phrase
            except ValueError:
                phrase = "Error"
            body = {"message": phrase, "documentation_url": DOCS, "status": str(status)}
        if status in (204, 304):
            return Response(status, None, headers, raw=b"")
        return Response(status, body, headers)
    if headers:
        return Response(-1, None, headers)  # headers only: added to the real answer
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # keep-alive + small writes would otherwise stall ~40 ms per request
    sim: Simulator  # set on the subclass

    def log_message(self, format, *args):  # noqa: A002 - quiet server
        pass

    def version_string(self) -> str:
        return "github.com"

    def do_GET(self):
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    # ------------------------------------------------------------------
    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _drop(self) -> None:
        """Close the connection without an answer."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _wait(self, seconds: float, after_timeout=False) -> None:
        """Hold the answer ``seconds``; with ``after_timeout``, only until the client has given up and closed the
        connection (``seconds`` is then a cap): the answer never reaches it in time, however slow the machine."""
        if not after_timeout:
            time.sleep(seconds)
            return
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            try:
                readable, _w, _x = select.select([self.connection], [], [], left)
                if readable and self.connection.recv(1, socket.MSG_PEEK) == b"":
                    return  # the client closed its end: it gave up
            except (OSError, ValueError):
                return  # reset, or already closed
            if readable:
                time.sleep(min(0.05, max(left, 0)))  # bytes of a next request: keep holding

    def _send(self, status: int, body=None, headers=None, raw: bytes | None = None) -> None:
        lost, self._lost = getattr(self, "_lost", None), None
        if lost is not None:
            # The request was applied; its answer is lost: dropped, or sent after the client gave up.
            if lost.get("lose_answer"):
                self._log(status)
                self._drop()
                return
            # Sent by _handle once the state lock is released, so other requests are answered meanwhile.
            self._deferred = (float(lost["answer_delay"]), bool(lost.get("after_timeout")),
                              (status, body, headers, raw))
            return
        self._log(status)  # before the answer leaves: a client's next /_sim/requests sees this request
        if raw is None:
            raw = b"" if body is None and status in (204, 304) else json.dumps(body, indent=None).encode()
        try:
            self.send_response(status)
            headers = dict(headers or {})
            if raw or status not in (204, 304):
                headers.setdefault("Content-Type", "application/json; charset=utf-8")
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            if self.command != "HEAD" and raw:
                self.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a held or slow answer): lost
            self.close_connection = True

    def _log(self, status: int) -> None:
        """Append the pending API request's log entry (once) with its answer's status."""
        entry, self._log_entry = getattr(self, "_log_entry", None), None
        if entry is None:
            return
        started, prefix = entry.pop("started"), entry.pop("api_prefix", None)
        entry.update(status=status, duration_ms=round((time.perf_counter() - started) * 1000.0, 3),
                     at=round(time.time(), 4))  # answer-order wall clock, for pacing checks
        if prefix:
            entry["api_prefix"] = prefix
        with self.sim.log_lock:
            self.sim.log.append(entry)

    def _handle(self) -> None:
        started = time.perf_counter()
        self._log_entry = None
        split = urlsplit(self.path)
        path = split.path or "/"
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        body = self._read_body()
        if path.startswith("/_sim/") or path == "/_sim":
            self._control(path, body)
            return
        prefix = ""
        if path.startswith(GHES_PREFIX + "/") or path == GHES_PREFIX:
            prefix, path = GHES_PREFIX, path[len(GHES_PREFIX):] or "/"
        if len(path) > 1 and path.endswith("/"):
            path = path.rstrip("/")
        sim = self.sim
        host = self.headers.get("Host") or f"{self.server.server_address[0]}:{self.server.server_address[1]}"
        urls = Urls(host, prefix)
        method = self.command
        route = match_route(method, path)
        wrong_root = False
        if sim.state.flavor == GHES:
            # GHES serves its API under /api/v3 only, and lacks some operations of api.github.com
            wrong_root = not prefix
            if wrong_root or route and ("GET" if method == "HEAD" else method, route[0]) in GHES_ABSENT_ROUTES:
                route = None
        rule = sim.take_fault(method, path)
        latency = sim.config["latency_ms"]
        if latency:
            time.sleep(latency / 1000.0)
        status = 0
        self._log_entry = entry = {
            "method": method, "path": path, "query": query, "status": 0, "fault": rule is not None,
            "duration_ms": 0.0, "started": started,
        }
        if prefix:
            entry["api_prefix"] = prefix
        if body and method not in ("GET", "HEAD"):
            try:  # the body of a write, so tests can compare a plan with what was sent, request by request
                entry["body"] = json.loads(body)
            except ValueError:
                entry["body"] = None
        try:
            if rule is not None:
                if rule.get("delay"):
                    self._wait(float(rule["delay"]), rule.get("after_timeout"))
                if rule.get("drop"):
                    status = 0
                    self._log(status)  # before the connection closes: the client's retry is logged after it
                    self._drop()
                    return
                answer = fault_response(rule, route[3] if route else False, method)
                if answer is not None and answer.status != -1:
                    headers = self._common_headers(sim.state.tokens.get(self._rate_key()))
                    headers.update(sim.rate_headers(self._rate_key())[0])
                    headers.update(answer.headers)
                    status = answer.status
                    self._send(answer.status, answer.body, headers, raw=answer.raw)
                    return
                extra = answer.headers if answer is not None else {}
                if rule.get("lose_answer") or rule.get("answer_delay"):
                    self._lost = rule  # the real handler runs; _send loses its answer
            else:
                extra = {}
            status = self._dispatch(route, method, path, query, body, urls, extra, wrong_root)
            deferred, self._deferred = getattr(self, "_deferred", None), None
            if deferred is not None:
                self._wait(deferred[0], deferred[1])
                try:
                    self._send(*deferred[2])
                except OSError:  # the client gave up long ago
                    self.close_connection = True
        finally:
            self._log(status)  # a dropped connection (status 0) or an answer _send did not log

    def _rate_key(self) -> str:
        auth = (self.headers.get("Authorization") or "").split(None, 1)
        return auth[1].strip() if len(auth) == 2 else f"ip:{self.client_address[0]}"

    def _common_headers(self, token: dict | None) -> dict:
        state = self.sim.state
        version = self.headers.get("X-GitHub-Api-Version") or DEFAULT_API_VERSION
        supported = API_VERSIONS[state.flavor]
        headers = {
            "X-GitHub-Api-Version-Selected": version if version in supported else DEFAULT_API_VERSION,
            "X-GitHub-Media-Type": "github.v3; format=json",
            "X-GitHub-Request-Id": hashlib.sha1(f"{time.time()}{id(self)}".encode()).hexdigest()[:20].upper(),
        }
        if state.flavor == GHES:
            headers["X-GitHub-Enterprise-Version"] = state.ghes_version
        if token is not None and token["scopes"] is not None:
            headers["X-OAuth-Scopes"] = ", ".join(token["scopes"])
        return headers

    def _dispatch(self, route, method, path, query, body, urls, extra, wrong_root=False) -> int:
        sim = self.sim
        auth = (self.headers.get("Authorization") or "").strip()
        token_value = None
        if auth:
            parts = auth.split(None, 1)
            if len(parts) == 2 and parts[0].lower() in ("bearer", "token"):
                token_value = parts[1].strip()
            else:
                token_value = ""
        with sim.lock:
            state = sim.state
            token = state.tokens.get(token_value) if token_value else None
            headers = self._common_headers(token)
            rate, exhausted = sim.rate_headers(self._rate_key())
            headers.update(rate)
            headers.update(extra)
            try:
                if wrong_root:
                    raise not_found()  # a GHES path outside /api/v3 is the web interface, not the API
                version = self.headers.get("X-GitHub-Api-Version")
                supported = API_VERSIONS[state.flavor]
                if version and version not in supported:
                    raise ApiError(400, f"Unsupported 'X-GitHub-Api-Version' header: {version}. The supported "
                                        f"versions are {', '.join(supported)}.",
                                   documentation_url="https://docs.github.com/rest/overview/api-versions")
                if token_value is None:
                    raise ApiError(401, "Requires authentication")
                if token is None and token_value:
                    token = app_credential(sim, token_value, method, route)  # GitHub Apps section
                if token is None:
                    raise ApiError(401, "Bad credentials")
                if exhausted:
                    raise ApiError(403, "API rate limit exceeded for user ID "
                                        f"{state.users[token['login']]['id']}.",
                                   documentation_url="https://docs.github.com/rest/overview/rate-limits-for-the-"
                                                     "rest-api")
                if route is None:
                    raise not_found()
                template, handler, params, _is_list = route
                ctx = Ctx(sim, method, path, query, self.headers, body, urls, params)
                ctx.token = token
                ctx.login = token["login"]
                ctx.template = template
                ctx.api_version = version or DEFAULT_API_VERSION
                state.apps.current = token if token.get("kind") == "installation" else None
                try:
                    response = handler(ctx)
                finally:
                    state.apps.current = None
                    headers.update(ctx.extra_headers)
            except ApiError as err:
                headers.update(err.headers)
                self._send(err.status, err.body(), headers)
                return err.status
            except Exception as exc:  # pragma: no cover - a simulator bug should be visible
                import traceback
                traceback.print_exc(file=sys.stderr)
                self._send(500, {"message": f"Simulator error: {exc}", "documentation_url": DOCS,
                                 "status": "500"}, headers)
                return 500
            headers.update(response.headers)
            removed = version_changes(ctx.api_version, "response_fields_removed", ctx.method, template)
            if removed and response.raw is None:
                response.body = strip_fields(response.body, removed)
            self._send(response.status, response.body, headers, raw=response.raw)
            return response.status

    # ------------------------------------------------------------------
    def _control(self, path: str, body: bytes) -> None:
        sim = self.sim
        method = self.command
        try:
            payload = json.loads(body) if body.strip() else None
        except ValueError:
            self._send(400, {"message": "Problems parsing JSON"})
            return
        try:
            if path == "/_sim/reset" and method == "POST":
                data = None
                if isinstance(payload, dict):
                    data = payload.get("state") if "state" in payload else payload
                sim.reset(data)
                self._send(200, {"ok": True, "flavour": sim.state.flavor})
            elif path == "/_sim/requests" and method == "GET":
                with sim.log_lock:
                    self._send(200, list(sim.log))
            elif path == "/_sim/requests" and method == "DELETE":
                with sim.log_lock:
                    sim.log = []
                self._send(204, None)
            elif path == "/_sim/faults" and method == "POST":
                rules = payload if isinstance(payload, list) else [payload]
                added = [sim.add_fault(r) for r in rules]
                self._send(201, added if isinstance(payload, list) else added[0])
            elif path == "/_sim/faults" and method == "GET":
                with sim.lock:
                    self._send(200, list(sim.faults))
            elif path == "/_sim/faults" and method == "DELETE":
                with sim.lock:
                    sim.faults = []
                self._send(204, None)
            elif path == "/_sim/state" and method == "GET":
                with sim.lock:
                    self._send(200, sim.state.dump())
            elif path == "/_sim/config" and method in ("GET", "POST", "PATCH"):
                if isinstance(payload, dict):
                    with sim.lock:
                        for key in ("latency_ms", "rate_limit"):
                            if key in payload:
                                sim.config[key] = float(payload[key]) if key == "latency_ms" else int(payload[key])
                        if "enforce_rate_limit" in payload:
                            sim.config["enforce_rate_limit"] = bool(payload["enforce_rate_limit"])
                        if "app_token_ttl" in payload:
                            ttl = payload["app_token_ttl"]
                            sim.config["app_token_ttl"] = None if ttl is None else float(ttl)
                        if "app_clock_skew_s" in payload:
                            sim.config["app_clock_skew_s"] = float(payload["app_clock_skew_s"] or 0)
                self._send(200, dict(sim.config))
            elif path == "/_sim/accept" and method == "POST":
                self._send(200, control_accept(sim, payload or {}))
            elif path == "/_sim/health":
                self._send(200, {"ok": True, "flavour": sim.state.flavor})
            else:
                self._send(404, {"message": "Unknown simulator control endpoint"})
        except ApiError as err:
            self._send(err.status, err.body())
        except (TypeError, ValueError, KeyError) as exc:
            self._send(400, {"message": f"Bad control request: {exc}"})


def control_accept(sim: Simulator, payload: dict) -> dict:
    """Accept a pending invitation as the invitee would: {"org": ..., "login": ...} or {"repo": "o/r", ...}."""
    with sim.lock:
        state = sim.state
        key = fold(payload["login"])
        if payload.get("org"):
            org = state.orgs.get(fold(payload["org"]))
            inv = state.pending_org_invitation(org, key) if org else None
            if inv is None:
                raise ApiError(404, "No pending organization invitation")
            state.remove_org_invitation(org, inv["id"], accepted=True)
            org["members"][key] = "admin" if inv["role"] == "admin" else "member"
            org["outside"].pop(key, None)
            return {"org": org["login"], "login": state.users[key]["login"], "role": org["members"][key]}
        repo = state.repos.get(str(payload["repo"]).lower())
        inv_id = repo["inv_by_login"].get(key) if repo else None
        if inv_id is None:
            raise ApiError(404, "No pending repository invitation")
        inv = repo["invitations"][inv_id]
        state.remove_repo_invitation(repo, inv_id)
        repo["collaborators"][key] = inv["role"]
        org = state.orgs.get(repo["owner"])
        if org is not None and key not in org["members"]:
            org["outside"][key] = True
        return {"repo": payload["repo"], "login": state.users[key]["login"], "permission": inv["role"]}


def load_state_file(path: str) -> dict:
    text = Path(path).read_text(encoding="utf-8")
    if path.endswith(".json"):
        return json.loads(text) or {}
    return yaml.safe_load(text) or {}


def make_server(state: dict, host: str = "127.0.0.1", port: int = 0, latency_ms: float = 0,
                flavour: str | None = None):
    sim = Simulator(state, latency_ms, flavour)
    handler = type("BoundHandler", (Handler,), {"sim": sim})

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        allow_reuse_address = True
        request_queue_size = 128

    return Server((host, port), handler), sim


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="GitHub REST API simulator")
    parser.add_argument("--state", required=True, help="state file (YAML or JSON)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    parser.add_argument("--latency-ms", type=float, default=0)
    parser.add_argument("--flavour", choices=FLAVOURS,
                        help="the GitHub the startup state plays (overrides its 'flavor'; default: the state's, "
                             "else github.com); also the flavour of a state given to /_sim/reset without one")
    args = parser.parse_args(argv)
    server, _sim = make_server(load_state_file(args.state), args.host, args.port, args.latency_ms, args.flavour)
    host, port = server.server_address[:2]

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.port_file:
        Path(args.port_file).write_text(str(port), encoding="utf-8")
    sys.stdout.write(f"ghsim listening on http://{host}:{port}\n")
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
