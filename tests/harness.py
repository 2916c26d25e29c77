"""Run real ``ansible-playbook`` against the GitHub API simulator, for the integration tests.

``Ansible(sim, workdir).play(tasks, check=True, diff=True)`` writes a playbook whose play sets the
connection options once through ``module_defaults`` for the collection's action group, runs it
in a subprocess with this checkout installed as ``orgcode.github`` and returns a
:class:`PlaybookRun` holding stdout, stderr, the PLAY RECAP counters and every task result.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
CALLBACKS = TESTS / "integration" / "callback_plugins"
ADMIN_TOKEN = "ghp_test_admin_token_0123456789abcdef"
BIN = Path(sys.executable).parent
# Secrets of tests/integration/state_acme.yml: no playbook run may ever print one.
KNOWN_SECRETS = (
    ADMIN_TOKEN,
    "ghp_test_member_token_0123456789abcdef",
    "ghp_test_noscope_token_0123456789abcde",
    "hook-secret-do-not-leak",
)


def collections_path(base):
    """A collections path in ``base`` where ``orgcode.github`` is this checkout (a symlink)."""
    target = Path(base) / "ansible_collections" / "orgcode" / "github"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(ROOT, target_is_directory=True)
    return str(Path(base))


class PlaybookRun:
    def __init__(self, proc, results):
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.output = proc.stdout + proc.stderr
        self.results = results

    @property
    def recap(self):
        """``{'ok': n, 'changed': n, 'failed': n, ...}`` of localhost from the PLAY RECAP."""
        match = re.search(r"^localhost\s*:\s*(.*)$", self.stdout, re.MULTILINE)
        assert match, "no PLAY RECAP in output:\n" + self.output
        return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match.group(1))}

    @property
    def changed(self):
        return self.recap["changed"]

    def task(self, name):
        """The result of the (last) task called ``name``."""
        found = [r for r in self.results if r["task"] == name]
        assert found, "no task %r among %s\n%s" % (name, [r["task"] for r in self.results], self.output)
        return found[-1]["result"]

    def __repr__(self):
        return "PlaybookRun(rc=%s)\n%s" % (self.rc, self.output)


class Ansible:
    """Runs playbooks against one simulator, from a scratch directory."""

    def __init__(self, sim, workdir, token=ADMIN_TOKEN, api_version=None):
        self.sim = sim
        self.api_version = api_version  # None: the modules' default
        self.workdir = Path(workdir)
        self.token = token
        self.secrets = set(KNOWN_SECRETS)  # tests add their own; every run is checked for all of them
        self.collections = collections_path(self.workdir / "collections")
        self.count = 0

    def env(self, extra=None):
        env = dict(os.environ)
        for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_API_URL"):
            env.pop(name, None)
        env.update({
            "ANSIBLE_COLLECTIONS_PATH": self.collections,
            "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACKS),
            "ANSIBLE_CALLBACKS_ENABLED": "orgcode_result_log",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "ANSIBLE_LOCALHOST_WARNING": "0",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
            "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
            "ANSIBLE_HOME": str(self.workdir / "ansible_home"),
            "ANSIBLE_LOCAL_TEMP": str(self.workdir / "ansible_tmp"),
            "PATH": str(BIN) + os.pathsep + env.get("PATH", ""),
        })
        env.update(extra or {})
        return env

    def playbook(self, tasks, connection=True, play_vars=None):
        """A one-play playbook for ``tasks``; ``connection`` sets api_url/token via module_defaults."""
        play = {"name": "orgcode.github test", "hosts": "localhost", "gather_facts": False, "tasks": tasks}
        if connection:
            # api_url: the API root of the flavour the simulator plays now (/api/v3 on GHES)
            defaults = {"api_url": getattr(self.sim, "api_url", self.sim.url), "token": self.token}
            if self.api_version:
                defaults["api_version"] = self.api_version
            play["module_defaults"] = {"group/orgcode.github.github": defaults}
        if play_vars:
            play["vars"] = play_vars
        return [play]

    def play(self, tasks, check=False, diff=False, verbosity=0, connection=True, env=None,
             extra_args=(), play_vars=None, timeout=300, allow_secrets=False):
        """Run ``tasks`` (a list of task dicts) as one play."""
        return self.run(self.playbook(tasks, connection=connection, play_vars=play_vars), check=check,
                        diff=diff, verbosity=verbosity, env=env, extra_args=extra_args, timeout=timeout,
                        allow_secrets=allow_secrets)

    def run_cases(self, play, cases, **kwargs):
        """Run ``play`` once for each of ``cases`` (dicts of variables) in ONE ansible-playbook run.

        Each case is a host of its own (``case0``, ``case1``, ... on the local connection) holding the case's
        variables as host variables, so a failing case stops only its own host; every play of ``play`` (a
        playbook, a list of plays) runs on all of them, and each result names its ``play``. Returns the run
        and, per case, its results (``[run results of case0, ...]``). This saves one ansible-playbook start
        (and one build of each module's payload) per case.
        """
        hosts = {"case%d" % index: dict(case, ansible_connection="local",
                                        ansible_python_interpreter=sys.executable)
                 for index, case in enumerate(cases)}
        inventory = self.workdir / ("inventory_%d.yml" % (self.count + 1))
        inventory.write_text(yaml.safe_dump({"all": {"hosts": hosts}}, sort_keys=False))
        run = self.run([dict(one, hosts="all") for one in play], inventory=str(inventory), **kwargs)
        return run, [[r for r in run.results if r.get("host") == name] for name in hosts]

    def run(self, playbook, check=False, diff=False, verbosity=0, env=None, extra_args=(), timeout=300,
            allow_secrets=False, inventory="localhost,"):
        """Run a playbook given as data (list of plays) or as a path to a file.

        Every run is checked for the known secrets (tokens and webhook secrets) in stdout, stderr and
        the task results, whatever the test asserts; ``allow_secrets=True`` skips that for a test that
        deliberately writes a secret where Ansible itself prints it.
        """
        self.count += 1
        if isinstance(playbook, (str, Path)) and str(playbook).endswith((".yml", ".yaml")):
            path = Path(playbook)
        else:
            path = self.workdir / ("playbook_%d.yml" % self.count)
            path.write_text(yaml.safe_dump(playbook, sort_keys=False))
        log = self.workdir / ("results_%d.jsonl" % self.count)
        cmd = [str(BIN / "ansible-playbook"), "-i", inventory, "-c", "local", str(path)]
        if check:
            cmd.append("--check")
        if diff:
            cmd.append("--diff")
        if verbosity:
            cmd.append("-" + "v" * verbosity)
        cmd.extend(extra_args)
        proc = subprocess.run(cmd, cwd=str(self.workdir), env=self.env(dict(env or {}, ORGCODE_RESULT_LOG=str(log))),
                              check=False, capture_output=True, text=True, timeout=timeout)
        results = []
        if log.exists():
            results = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
        run = PlaybookRun(proc, results)
        if not allow_secrets:
            shown = run.output + json.dumps(results)
            leaked = sorted(secret for secret in self.secrets if secret and secret in shown)
            assert not leaked, "secret(s) %s leaked into the output of %s" % (
                ", ".join(repr(s[:6] + "...") for s in leaked), path)
        return run


def outcome(run, task="case"):
    """What check mode must predict of a real run: failed or not, changed, the message and the diff."""
    result = run.task(task)
    return dict(failed=run.rc != 0, changed=result.get("changed"), msg=result.get("msg"), diff=result.get("diff"))


def check_then_real(ansible, sim, state, tasks):
    """Run ``tasks`` with ``--check --diff`` and then for real with ``--diff``, each from ``state``.

    Check mode must send no write, never say "Already done" and never show a traceback; returns both runs
    (the simulator keeps the real run's writes, for the caller to check).
    """
    sim.reset(state)
    check = ansible.play(tasks, check=True, diff=True)
    assert sim.writes() == [], "check mode wrote"
    assert "Already done" not in check.output and "Traceback" not in check.output
    sim.reset(state)
    real = ansible.play(tasks, diff=True)
    assert "Traceback" not in real.output
    return check, real
