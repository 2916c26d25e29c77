"""Fixtures for the unit tests of ``plugins/module_utils/github_client.py``.

The client is loaded by file path (no Ansible collection layout needed). Retries happen inside
urllib3's ``Retry`` in requests' ``HTTPAdapter``, so the tests do not mock requests: they talk to
a scripted HTTP server on 127.0.0.1 that answers each request with the next scripted step and
records what it received. Waits go through a fake clock, so nothing really sleeps except the
read-timeout tests.
"""

import collections
import importlib.util
import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIENT_PATH = ROOT / "plugins" / "module_utils" / "github_client.py"
MODULE_NAME = "github_client"

TOKEN = "ghp_UnitTestToken0123456789abcdefSECRET"


def _load_client():
    if MODULE_NAME in sys.modules:
        return sys.modules[MODULE_NAME]
    spec = importlib.util.spec_from_file_location(MODULE_NAME, CLIENT_PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[MODULE_NAME] = module
    spec.loader.exec_module(module)
    return module


github_client = _load_client()


@pytest.fixture(scope="session")
def gc():
    """The client module under test."""
    return github_client


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
    """

    def __init__(self, status=200, body=None, headers=None, drop=False, delay=0.0, content_type=None):
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
        self.drop = drop
        self.delay = delay
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
        """Script ``times`` answers; kwargs: ``delay`` (seconds), ``content_type``, ``drop``."""
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
        client = github_client.GitHubClient(**options)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.session.close()


@pytest.fixture
def client(make_client):
    return make_client()
