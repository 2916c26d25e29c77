"""Behaviour every module shares: connection options, errors, secrets, packaging.

The end-to-end cases (what ansible-playbook shows, real pacing, the environment); the module's
behaviour is tested in-process in tests/unit/plugins/module_utils/test_github_module.py."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from harness import ADMIN_TOKEN, BIN, ROOT

MODULES = sorted(p.stem for p in (ROOT / "plugins" / "modules").glob("github_*.py"))


def task(module="github_org_membership", **options):
    defaults = {"github_org_membership": {"org": "acme", "username": "erin"},
                "github_org": {"org": "acme", "description": "changed"}}[module]
    return {"name": "t", "orgcode.github." + module: dict(defaults, **options)}


def test_every_module_is_in_the_action_group():
    runtime = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())
    assert sorted(runtime["action_groups"]["github"]) == MODULES


@pytest.fixture(scope="module")
def ansible_doc(tmp_path_factory):
    """One ansible-doc run over every module: ``(return code, {module: its page}, stderr)``."""
    from harness import Ansible

    env = Ansible(None, tmp_path_factory.mktemp("doc")).env()
    proc = subprocess.run([str(BIN / "ansible-doc")] + ["orgcode.github." + m for m in MODULES], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    pages = re.split(r"^> MODULE orgcode\.github\.(\w+)", proc.stdout, flags=re.MULTILINE)
    return proc.returncode, dict(zip(pages[1::2], pages[2::2], strict=True)), proc.stderr


@pytest.mark.parametrize("module", MODULES)
def test_ansible_doc_renders_every_module(ansible_doc, module):
    returncode, pages, stderr = ansible_doc
    assert returncode == 0, stderr
    page = pages.get(module, "")
    assert "EXAMPLES" in page and "RETURN VALUES" in page, sorted(pages)
    assert "api_url" in page and "token" in page  # the doc fragment is merged
    assert "[WARNING]" not in stderr


@pytest.mark.parametrize("module", ["github_org_membership", "github_org"])
def test_token_never_appears_in_any_output(ansible, sim, module):
    ok = ansible.play([task(module)], diff=True, verbosity=3)
    assert ok.rc == 0, ok
    sim.fault(path=".*", status=500, times=0)
    failed = ansible.play([task(module)], verbosity=3)
    assert failed.rc != 0
    for run in (ok, failed):
        assert ADMIN_TOKEN not in run.output
        assert ADMIN_TOKEN not in str(run.results)
        assert "ghp_test" not in run.output


def test_token_and_api_url_from_the_environment(ansible, sim):
    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        run = ansible.play([task(username="alice")], connection=False,
                           env={name: ADMIN_TOKEN, "GITHUB_API_URL": sim.url + "/"})
        assert run.rc == 0 and run.changed == 0, run


def test_transient_502_is_retried_and_reported_at_v(ansible, sim):
    sim.fault(method="GET", path="^/orgs/acme/memberships/erin$", status=502, times=1)
    run = ansible.play([task()], verbosity=1)
    assert run.rc == 0 and run.changed == 1, run
    events = run.task("t")["api"]["events"]
    assert events == ["GET /orgs/acme/memberships/erin: retried after HTTP 502"]
    assert "retried after HTTP 502" in run.stdout  # the result, and so the retry, is printed at -v


def test_missing_requests_gives_ansibles_missing_library_message(ansible, sim, tmp_path):
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True, timeout=120)
    run = ansible.play([task()], play_vars={"ansible_python_interpreter": str(bare / "bin" / "python")})
    assert run.rc != 0
    msg = run.task("t")["msg"]
    assert "Failed to import the required Python library (requests)" in msg
    assert "Traceback" not in run.output
    assert sim.requests() == []


def test_collection_builds_and_installs_from_the_tarball(tmp_path):
    out = tmp_path / "dist"
    build = subprocess.run([str(BIN / "ansible-galaxy"), "collection", "build", "--output-path", str(out), str(ROOT)],
                           check=False, capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    tarball = next(Path(out).glob("orgcode-github-*.tar.gz"))
    install = subprocess.run([str(BIN / "ansible-galaxy"), "collection", "install", "--offline", "-p",
                              str(tmp_path / "installed"), str(tarball)],
                             check=False, capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    installed = tmp_path / "installed" / "ansible_collections" / "orgcode" / "github"
    assert (installed / "plugins" / "modules" / "github_org_membership.py").exists()
    assert (installed / "meta" / "runtime.yml").exists()
    assert not (installed / ".venv").exists() and not (installed / "tests" / "output").exists()
    # Development tooling stays out of the artifact (galaxy.yml build_ignore).
    for path in ("tools", "Makefile", "pyproject.toml", ".ansible-lint", ".ci", ".venv-2.16"):
        assert not (installed / path).exists(), path
    assert not list(installed.rglob("get_pip*")), "the offline get-pip stand-in must not ship"
    doc = subprocess.run([str(BIN / "ansible-doc"), "orgcode.github.github_org"],
                         check=False, capture_output=True, text=True,
                         env={"ANSIBLE_COLLECTIONS_PATH": str(tmp_path / "installed"), "PATH": str(BIN),
                              "HOME": str(tmp_path)}, timeout=120)
    assert doc.returncode == 0, doc.stderr
