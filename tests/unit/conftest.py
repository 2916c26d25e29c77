"""Fixtures of the in-process unit tests (``tests/unit/plugins/`` mirrors ``plugins/``).

Everything is imported through ``ansible_collections.orgcode.github`` (pytest-ansible's
``--ansible-unit-inject-only`` puts this checkout on the collection path, see tests/conftest.py).
Retries happen inside urllib3's ``Retry`` in requests' ``HTTPAdapter``, so the client's tests do not
mock requests: they talk to a scripted HTTP server on 127.0.0.1 that answers each request with the
next scripted step and records what it received. Waits go through a fake clock, so nothing really
sleeps except the read-timeout tests.
"""

import collections
import contextlib
import importlib
import json
import select
import socket
import sys
import threading
import time
import types
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from flavours import api_version
from harness import ADMIN_TOKEN, KNOWN_SECRETS

from unit.core_compat import act_as_target, patch_module_args


def _client_module():
    # Imported when a fixture runs: conftest files load before pytest-ansible installs the collection loader.
    from ansible_collections.orgcode.github.plugins.module_utils import github_client

    return github_client


TOKEN = "ghp_UnitTestToken0123456789abcdefSECRET"


@pytest.fixture(scope="session")
def gc():
    """The client module under test."""
    return _client_module()


# -- fake clock ------------------------------------------------------------------------------


class FakeClock:
    """``clock()`` returns a fake "now"; ``sleep(s)`` records ``s`` and advances "now" by it."""

    def __init__(self, now=1700000000.0):
        self.now = float(now)
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake():
    return FakeClock()


@pytest.fixture
def clock_factory():
    """Makes more fake clocks (for tests with several clients)."""
    return FakeClock


@pytest.fixture
def token():
    """The token every test client uses; it must never show up in an error."""
    return TOKEN


# -- scripted HTTP server --------------------------------------------------------------------


Recorded = collections.namedtuple("Recorded", "method path query headers body json")


class Step:
    """One scripted answer.

    ``body``: a dict/list (sent as JSON), a str/bytes (sent as is) or None (empty body).
    ``drop``: close the connection without answering. ``delay``: seconds to sleep before answering.
    ``late``: answer only once the client has given up (closed the connection after its read timeout), at most
    LATE_CAP seconds later: the answer of a read-timeout test, which never arrives in time however busy the
    machine (a fixed delay a little over the client's timeout raced it there).
    """

    def __init__(self, status=200, body=None, headers=None, drop=False, delay=0.0, content_type=None, late=False):
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
        self.drop = drop
        self.delay = delay
        self.late = late
        self.content_type = content_type

    def payload(self):
        if self.body is None:
            return b"", self.content_type
        if isinstance(self.body, (dict, list)):
            return json.dumps(self.body).encode("utf-8"), self.content_type or "application/json; charset=utf-8"
        if isinstance(self.body, str):
            return self.body.encode("utf-8"), self.content_type or "text/plain; charset=utf-8"
        return self.body, self.content_type or "application/octet-stream"


UNSCRIPTED_STATUS = 418
LATE_CAP = 30.0


def wait_until_closed(connection, cap):
    """Return once the peer has closed ``connection`` (or after ``cap`` seconds)."""
    deadline = time.monotonic() + cap
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        try:
            readable, _w, _x = select.select([connection], [], [], left)
            if readable and connection.recv(1, socket.MSG_PEEK) == b"":
                return
        except (OSError, ValueError):
            return
        if readable:
            time.sleep(min(0.05, max(left, 0)))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: avoid 40 ms delayed-ACK stalls

    def log_message(self, format, *args):  # noqa: A002 - keep the test output quiet
        pass

    def _handle(self):
        fake_server = self.server.scripted
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        try:
            parsed = json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            parsed = None
        fake_server.record(Recorded(
            method=self.command,
            path=parts.path,
            # one value per name, or the list of values when a name is repeated (so duplicates show)
            query={key: values[0] if len(values) == 1 else values
                   for key, values in parse_qs(parts.query, keep_blank_values=True).items()},
            headers={key.lower(): value for key, value in self.headers.items()},
            body=raw.decode("utf-8", "replace"),
            json=parsed,
        ))
        step = fake_server.next_step()
        if step.delay:
            time.sleep(step.delay)
        if step.late:
            wait_until_closed(self.connection, LATE_CAP)
        if step.drop:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        data, content_type = step.payload()
        try:
            self.send_response(step.status)
            if content_type:
                self.send_header("Content-Type", content_type)
            for name, value in step.headers.items():
                self.send_header(name, str(value))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if data:
                self.wfile.write(data)
            self.wfile.flush()
        except OSError:  # the client gave up (read timeout) before we answered
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # dropped/timed-out connections are expected
        pass


class ScriptedServer:
    """A real HTTP server on 127.0.0.1 answering from a queue of :class:`Step`."""

    UNSCRIPTED_STATUS = UNSCRIPTED_STATUS

    def __init__(self):
        self._lock = threading.Lock()
        self._steps = collections.deque()
        self.requests = []
        self.unscripted = 0
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.scripted = self
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01})
        self._thread.daemon = True
        self._thread.start()

    # scripting
    def add(self, *steps):
        with self._lock:
            self._steps.extend(steps)
        return self

    def reply(self, status=200, body=None, headers=None, times=1, **kwargs):
        """Script ``times`` answers; kwargs: ``delay`` (seconds), ``late``, ``content_type``, ``drop``."""
        return self.add(*[Step(status, body, headers, **kwargs) for _dummy in range(times)])

    def drop(self, times=1):
        return self.add(*[Step(drop=True) for _dummy in range(times)])

    @property
    def remaining(self):
        with self._lock:
            return len(self._steps)

    # handler side
    def record(self, request):
        with self._lock:
            self.requests.append(request)

    def next_step(self):
        with self._lock:
            if self._steps:
                return self._steps.popleft()
            self.unscripted += 1
        return Step(UNSCRIPTED_STATUS, {"message": "no scripted response left"})

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(5)


@pytest.fixture
def server(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    srv = ScriptedServer()
    yield srv
    srv.close()


@pytest.fixture
def make_client(server, fake):
    """``make_client(**overrides)``: a client on the scripted server, the fake clock and tiny backoffs."""
    clients = []

    def factory(**kwargs):
        options = dict(token=TOKEN, api_url=server.url, sleep=fake.sleep, clock=fake.clock,
                       backoff_factor=0.01, timeout=5)
        options.update(kwargs)
        client = _client_module().GitHubClient(**options)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.session.close()


@pytest.fixture
def client(make_client):
    return make_client()


# -- modules in-process ----------------------------------------------------------------------

COLLECTION = "ansible_collections.orgcode.github"
ENVIRONMENT = ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_API_URL", "GITHUB_APP_ID", "GITHUB_APP_PRIVATE_KEY",
               "GITHUB_APP_PRIVATE_KEY_PATH", "GITHUB_APP_INSTALLATION_ID")


class ModuleSleep:
    """The waits of modules run in-process: recorded, never slept.

    Replaces the default ``sleep`` of every ``GitHubClient`` (retry backoffs, rate-limit waits) and the
    ``time`` of the collection's own files (the list modes' ``write_delay`` pacing). ``monotonic()``
    moves on by what was "slept", so pacing arithmetic sees the time go by; after ``freeze()`` it moves on
    by that alone, so a test of pacing gets exact waits whatever the machine's load. The wall clock
    (``time.time``) stays real: the simulator computes rate-limit resets and App token lifetimes on it.
    """

    def __init__(self):
        self.sleeps = []
        self.frozen_at = None

    @property
    def slept(self):
        return sum(self.sleeps)

    def sleep(self, seconds):
        self.sleeps.append(seconds)

    def monotonic(self):
        return (time.monotonic() if self.frozen_at is None else self.frozen_at) + self.slept

    def freeze(self):
        """From now on no real time passes for the modules: only what they "sleep"."""
        self.frozen_at = time.monotonic()

    def time_module(self):
        fake = types.SimpleNamespace(**{name: getattr(time, name) for name in dir(time) if not name.startswith("_")})
        fake.sleep = self.sleep
        fake.monotonic = self.monotonic
        return fake


@pytest.fixture
def module_sleep(monkeypatch):
    """A :class:`ModuleSleep` in place of every wait of modules run in this test (see ``run_module``)."""
    sleeper = ModuleSleep()
    client_class = _client_module().GitHubClient
    original = client_class.__init__

    def init(self, *args, **kwargs):
        kwargs.setdefault("sleep", sleeper.sleep)
        original(self, *args, **kwargs)

    monkeypatch.setattr(client_class, "__init__", init)
    fake_time = sleeper.time_module()

    def patch_loaded():
        for name, loaded in list(sys.modules.items()):
            if name.startswith(COLLECTION + ".") and getattr(loaded, "time", None) is time:
                monkeypatch.setattr(loaded, "time", fake_time)

    sleeper.patch_loaded = patch_loaded
    return sleeper


class ModuleResult(dict):
    """What a module returned (its JSON on stdout), plus the exit code."""

    def __init__(self, result, rc):
        super().__init__(result)
        self.rc = rc

    @property
    def failed(self):
        return bool(self.get("failed"))

    @property
    def changed(self):
        return self.get("changed")

    @property
    def msg(self):
        return self.get("msg", "")

    @property
    def events(self):
        return (self.get("api") or {}).get("events", [])

    @property
    def warnings(self):
        """The warnings' texts (ansible-core 2.19 returns them as structured summaries)."""
        return [w["event"]["msg"] if isinstance(w, dict) else w for w in self.get("warnings", [])]


@pytest.fixture
def run_module(capsys, monkeypatch, module_sleep, tmp_path):
    """``run_module(name, args, check=False, diff=False)``: the module's ``main()`` in this process.

    The arguments reach ``AnsibleModule`` as ansible-playbook would send them (``patch_module_args``,
    with check/diff mode as the ``_ansible_*`` internals); the result is the JSON the module prints
    with exit_json/fail_json (so no_log masking applies as in a real run), as a :class:`ModuleResult`.
    Waits run on :class:`ModuleSleep`; GitHub variables of the test process's environment are removed.
    """
    from ansible.module_utils.common import warnings

    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    # Warnings go into the result (as on a target host), never to the controller's display.
    act_as_target(monkeypatch)

    def run(name, args, check=False, diff=False, verbosity=0):
        module = importlib.import_module("%s.plugins.modules.%s" % (COLLECTION, name))
        module_sleep.patch_loaded()
        internals = dict(_ansible_check_mode=check, _ansible_diff=diff, _ansible_verbosity=verbosity,
                         _ansible_remote_tmp=str(tmp_path), _ansible_keep_remote_files=False,
                         _ansible_module_name=name)
        warnings._global_warnings.clear()
        warnings._global_deprecations.clear()
        capsys.readouterr()
        with patch_module_args(dict(args, **internals)), pytest.raises(SystemExit) as exited:
            module.main()
        out = capsys.readouterr().out
        assert out.strip(), "%s printed no result" % name
        result = ModuleResult(json.loads(out), exited.value.code)
        assert result.rc == (1 if result.failed else 0), result
        return result

    return run


@pytest.fixture
def run(run_module, sim):
    """``run(module, check=False, diff=False, **options)`` against the session simulator (reset for this test),
    with its URL and the admin token unless the options name others."""

    def _run(name, check=False, diff=False, **options):
        options.setdefault("api_url", sim.url)
        options.setdefault("token", ADMIN_TOKEN)
        return run_module(name, {k: v for k, v in options.items() if v is not None}, check=check, diff=diff)

    return _run


# -- the module base on the scripted server --------------------------------------------------------------


def _github_module():
    from ansible_collections.orgcode.github.plugins.module_utils import github_module

    return github_module


class Exits:
    """Counts the module's exit_json/fail_json calls and holds the one result printed."""

    def __init__(self):
        self.calls = []
        self.result = None


@pytest.fixture
def base_module(server, token, module_sleep, capsys, monkeypatch, tmp_path):
    """``base_module(spec=None, check=False, diff=False, **options)``: a GitHubModule on the scripted server.

    ``finish(gh, manage)`` then runs ``gh.run(manage)`` and returns the printed result, with
    ``exits.calls`` the exit_json/fail_json calls made.
    """
    act_as_target(monkeypatch)
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_API_URL", "GITHUB_APP_ID"):
        monkeypatch.delenv(name, raising=False)
    exits = Exits()

    def make(spec=None, check=False, diff=False, **options):
        args = dict(api_url=server.url, token=token)
        args.update(options)
        args.update(_ansible_check_mode=check, _ansible_diff=diff, _ansible_remote_tmp=str(tmp_path),
                    _ansible_keep_remote_files=False)
        # Kept for the test: exit_json/fail_json encode the result with the arguments' profile.
        stack.enter_context(patch_module_args(args))
        gh = _github_module().GitHubModule(argument_spec=spec or {})
        module_sleep.patch_loaded()
        for name in ("exit_json", "fail_json"):
            original = getattr(gh.module, name)

            def counted(*a, _name=name, _original=original, **kw):
                exits.calls.append(_name)
                return _original(*a, **kw)

            monkeypatch.setattr(gh.module, name, counted)
        return gh

    def finish(gh, manage):
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            gh.run(manage)
        exits.result = json.loads(capsys.readouterr().out)
        assert exited.value.code == (1 if exits.result.get("failed") else 0)
        assert token not in json.dumps(exits.result)
        return exits.result

    make.finish = finish
    make.exits = exits
    with contextlib.ExitStack() as stack:
        yield make


# -- plays in-process ---------------------------------------------------------------------------
#
# ``ansible``: harness.Ansible's interface without ansible-playbook. Tests of a module's behaviour (its
# decisions, check mode, errors, API calls) are written as plays: ``ansible.play(tasks, check=..., diff=...)``
# returns what harness.PlaybookRun does (``rc``, ``recap``, ``changed``, ``task(name)``, ``results``), so a
# case moves between tests/integration (a real ansible-playbook run) and tests/unit (each task's module
# ``main()`` run in this process by ``run_module``) unchanged. Only what a module itself sees is supported:
# one ``orgcode.github.*`` module per task with literal options, ``name``, ``ignore_errors``, ``check_mode``
# and ``diff``; the play's connection options (``module_defaults`` of the action group) and environment
# variables. Anything that needs Ansible itself (templating, loops, registered variables, what the display
# prints) stays a playbook test, and is refused here rather than half-emulated.

PREFIX = "orgcode.github."
GROUP = "group/orgcode.github.github"
TASK_KEYS = {"name", "ignore_errors", "check_mode", "diff"}


class InProcessRun:
    """What harness.PlaybookRun offers, from the results of the modules run in-process."""

    def __init__(self, results):
        self.results = results
        failed = [r for r in results if r["status"] == "failed" and not r["ignored"]]
        self.rc = 2 if failed else 0
        ok = [r for r in results if r["status"] == "ok" or r["ignored"]]
        self.recap = {
            "ok": len(ok),
            "changed": sum(1 for r in ok if r["result"].get("changed")),
            "unreachable": 0,
            "failed": len(failed),
            "skipped": 0,
            "rescued": 0,
            "ignored": sum(1 for r in results if r["ignored"]),
        }
        # What the results hold, for leak checks (an in-process run has no display to search).
        self.output = self.stdout = json.dumps(results)
        self.stderr = ""

    @property
    def changed(self):
        return self.recap["changed"]

    def task(self, name):
        found = [r for r in self.results if r["task"] == name]
        assert found, "no task %r among %s" % (name, [r["task"] for r in self.results])
        return found[-1]["result"]

    def __repr__(self):
        return "InProcessRun(rc=%s)\n%s" % (self.rc, json.dumps(self.results, indent=1))


def _literal(value, where):
    text = json.dumps(value)
    if "{{" in text or "{%" in text:
        raise NotImplementedError("%s: templating needs ansible-playbook (a tests/integration test)" % where)
    return value


class InProcessAnsible:
    def __init__(self, run_module, sim, monkeypatch, token=ADMIN_TOKEN, api_version=None):
        self.run_module = run_module
        self.sim = sim
        self.token = token
        self.api_version = api_version  # None: the modules' default
        self.monkeypatch = monkeypatch
        self.secrets = set(KNOWN_SECRETS)
        self.count = 0

    def playbook(self, tasks, connection=True, play_vars=None):
        play = {"name": "orgcode.github test", "hosts": "localhost", "gather_facts": False, "tasks": tasks}
        if connection:
            # api_url: the API root of the flavour the simulator plays now (/api/v3 on GHES), as harness.Ansible
            defaults = {"api_url": getattr(self.sim, "api_url", self.sim.url), "token": self.token}
            if self.api_version:
                defaults["api_version"] = self.api_version
            play["module_defaults"] = {GROUP: defaults}
        if play_vars:
            play["vars"] = play_vars
        return [play]

    def play(self, tasks, check=False, diff=False, verbosity=0, connection=True, env=None, play_vars=None,
             allow_secrets=False, **_playbook_only):
        return self.run(self.playbook(tasks, connection=connection, play_vars=play_vars), check=check, diff=diff,
                        verbosity=verbosity, env=env, allow_secrets=allow_secrets)

    def run(self, playbook, check=False, diff=False, verbosity=0, env=None, allow_secrets=False, **_playbook_only):
        assert isinstance(playbook, list) and len(playbook) == 1, "in-process: one play given as data"
        play = playbook[0]
        unsupported = set(play) - {"name", "hosts", "gather_facts", "tasks", "module_defaults"}
        if unsupported:
            raise NotImplementedError("play keys %s need ansible-playbook" % sorted(unsupported))
        defaults = _literal((play.get("module_defaults") or {}).get(GROUP, {}), "module_defaults")
        self.count += 1
        with self.monkeypatch.context() as patch:
            for name, value in (env or {}).items():
                patch.setenv(name, value)
            results = []
            for task in play["tasks"]:
                modules = [key for key in task if key not in TASK_KEYS]
                if len(modules) != 1 or not modules[0].startswith(PREFIX):
                    raise NotImplementedError("task %r: only one orgcode.github module and %s run in-process"
                                              % (task, sorted(TASK_KEYS)))
                action = modules[0]
                options = dict(defaults, **_literal(task[action] or {}, action))
                result = self.run_module(action[len(PREFIX):], options, check=task.get("check_mode", check),
                                         diff=task.get("diff", diff), verbosity=verbosity)
                failed = result.failed
                result = dict(result)
                if "warnings" in result:  # texts, as the controller passes them on
                    result["warnings"] = [w["event"]["msg"] if isinstance(w, dict) else w for w in result["warnings"]]
                results.append(dict(task=task.get("name") or action, action=action,
                                    status="failed" if failed else "ok", result=result,
                                    ignored=bool(failed and task.get("ignore_errors"))))
                if failed and not task.get("ignore_errors"):
                    break  # the play stops for this host
        run = InProcessRun(results)
        if not allow_secrets:
            leaked = sorted(secret for secret in self.secrets if secret and secret in run.output)
            assert not leaked, "secret(s) %s leaked into the results" % ", ".join(repr(s[:6] + "...") for s in leaked)
        return run


@pytest.fixture
def ansible(run_module, sim, monkeypatch, flavour):
    """harness.Ansible's interface, each task's module run in this process (see the module docstring), with the
    flavour's API root and API version (tests/flavours.py) as the play's connection options."""
    return InProcessAnsible(run_module, sim, monkeypatch, api_version=api_version(flavour))
