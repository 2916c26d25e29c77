"""Start, drive and stop the GitHub API simulator (``ghsim.py``, the package ``ghsim/``) from Python tests.

Example::

    from tests.simulator.control import Simulator

    with Simulator("tests/simulator/sample_org.yml") as sim:
        requests.get(sim.url + "/orgs/acme", headers={"Authorization": "Bearer ghp_demo_admin_token"})
        assert sim.writes() == []

Only the standard library is used, so this module can also be imported where
``requests`` is not installed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from pathlib import Path

GHSIM = Path(__file__).resolve().with_name("ghsim.py")
SAMPLE_STATE = Path(__file__).resolve().with_name("sample_org.yml")
READ_METHODS = ("GET", "HEAD")


class SimulatorError(RuntimeError):
    pass


class Simulator:
    """A ghsim.py subprocess listening on 127.0.0.1 (random port)."""

    def __init__(self, state: dict | str | Path, latency_ms: int = 0, startup_timeout: float = 15.0):
        self._state_arg = state
        self.latency_ms = latency_ms
        self.startup_timeout = startup_timeout
        self.url: str = ""
        self.port: int = 0
        self.proc: subprocess.Popen | None = None
        self._tmpdir: tempfile.TemporaryDirectory | None = None
        self._stderr = None

    # ------------------------------------------------------------------
    def _state_file(self) -> str:
        if isinstance(self._state_arg, dict):
            path = Path(self._tmpdir.name) / "state.json"
            path.write_text(json.dumps(self._state_arg), encoding="utf-8")
            return str(path)
        return str(Path(self._state_arg))

    def start(self) -> Simulator:
        if self.proc is not None:
            return self
        self._tmpdir = tempfile.TemporaryDirectory(prefix="ghsim-")
        self._stderr = open(Path(self._tmpdir.name) / "stderr.log", "w+b")  # noqa: SIM115 - kept open
        cmd = [sys.executable, str(GHSIM), "--state", self._state_file(), "--host", "127.0.0.1", "--port", "0",
               "--latency-ms", str(self.latency_ms)]
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self._stderr, env=env)
        line = self._read_ready_line()
        if not line.startswith("ghsim listening on "):
            err = self._stderr_text()
            self.stop()
            raise SimulatorError(f"simulator did not start: {line!r}\n{err}")
        self.url = line.split("ghsim listening on ", 1)[1].strip()
        self.port = int(self.url.rsplit(":", 1)[1])
        return self

    def _read_ready_line(self) -> str:
        result: list[str] = []

        def reader():
            result.append(self.proc.stdout.readline().decode("utf-8", "replace"))

        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        thread.join(self.startup_timeout)
        if not result:
            return ""
        return result[0]

    def _stderr_text(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=5)
            if proc.stdout:
                proc.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def stderr(self) -> str:
        """What the server wrote to stderr (tracebacks of simulator bugs)."""
        return self._stderr_text()

    # ------------------------------------------------------------------
    def _call(self, method: str, path: str, payload=None):
        if not self.url:
            raise SimulatorError("simulator is not started")
        data = None if payload is None else json.dumps(payload).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as err:
            raise SimulatorError(f"{method} {path}: {err.code} {err.read().decode('utf-8', 'replace')}") from err
        return json.loads(raw) if raw.strip() else None

    def reset(self, state: dict | None = None) -> None:
        """Replace the state (or reload the initial one); clears the request log and faults."""
        self._call("POST", "/_sim/reset", {"state": state} if state is not None else None)

    def requests(self) -> list[dict]:
        return self._call("GET", "/_sim/requests")

    def writes(self) -> list[dict]:
        return [r for r in self.requests() if r["method"] not in READ_METHODS]

    def clear_log(self) -> None:
        self._call("DELETE", "/_sim/requests")

    def fault(self, **rule) -> None:
        self._call("POST", "/_sim/faults", rule)

    def faults(self) -> list[dict]:
        return self._call("GET", "/_sim/faults")

    def clear_faults(self) -> None:
        self._call("DELETE", "/_sim/faults")

    def state(self) -> dict:
        return self._call("GET", "/_sim/state")

    def config(self, **kw) -> dict:
        return self._call("POST", "/_sim/config", kw)

    def accept_invitation(self, login: str, org: str | None = None, repo: str | None = None) -> dict:
        """Accept a pending org (``org=``) or repository (``repo="owner/name"``) invitation as the invitee."""
        payload = {"login": login}
        if org:
            payload["org"] = org
        if repo:
            payload["repo"] = repo
        return self._call("POST", "/_sim/accept", payload)


if __name__ == "__main__":  # manual use: python tests/simulator/control.py [STATE]
    with Simulator(sys.argv[1] if len(sys.argv) > 1 else SAMPLE_STATE) as _sim:
        print(_sim.url)
        try:
            _sim.proc.wait()
        except KeyboardInterrupt:
            pass
