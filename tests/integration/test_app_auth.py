"""GitHub App authentication end to end: ``ansible-playbook`` against the simulator's App endpoints.

The end-to-end cases (what ansible-playbook shows, real pacing, the environment); the module's
behaviour is tested in-process in tests/unit/plugins/module_utils/test_github_module_app_auth.py.

A fresh RSA key pair is generated for the test session (no private key is committed); the
simulator state gains an App whose public key it is, installed on organization ``acme``.
"""

import subprocess
import sys

from app_support import (
    APP_ID,
    INSTALLATION_ID,
    MEMBERSHIP,
    TOKEN_PATH,
    app_calls,
    assert_no_secrets,
    play,
)
from harness import ADMIN_TOKEN, ROOT


def test_app_key_as_text_finds_the_installation_from_the_org(ansible, app_sim, app_key):
    pb = play(ansible, [MEMBERSHIP], app_id=APP_ID, app_private_key=app_key[0])
    first = ansible.run(pb, diff=True, verbosity=3)
    assert first.rc == 0 and first.changed == 1, first
    assert first.task("t")["membership"]["state"] == "pending"
    assert app_calls(app_sim) == [("GET", "/orgs/acme/installation", 200), ("POST", TOKEN_PATH, 201)]
    app_sim.clear_log()
    second = ansible.run(pb, verbosity=3)
    assert second.rc == 0 and second.changed == 0, second
    check = ansible.run(pb, check=True)
    assert check.rc == 0 and check.changed == 0, check
    writes = [w for w in app_sim.writes() if not w["path"].startswith("/app/")]
    assert writes == []  # the second run and the check run only read (token exchanges aside)
    for run in (first, second):
        assert_no_secrets(run, app_key[0])
        assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in run.output  # -vvv shows the key option masked


def test_app_key_from_a_file_with_installation_id(ansible, app_sim, app_key, key_file):
    pb = play(ansible, [MEMBERSHIP], app_id=str(APP_ID), app_private_key_path=str(key_file),
              app_installation_id=INSTALLATION_ID)
    run = ansible.run(pb, verbosity=3)
    assert run.rc == 0 and run.changed == 1, run
    assert app_calls(app_sim) == [("POST", TOKEN_PATH, 201)]  # no lookup: the installation is given
    assert str(key_file) in run.output  # the path is no secret, the file's content is
    assert_no_secrets(run, app_key[0])


def test_app_client_id_and_options_from_the_environment(ansible, app_sim, key_file):
    env = {"GITHUB_APP_ID": "Iv23liOrgcodeTest", "GITHUB_APP_PRIVATE_KEY_PATH": str(key_file),
           "GITHUB_APP_INSTALLATION_ID": str(INSTALLATION_ID), "GITHUB_API_URL": app_sim.url}
    run = ansible.play([MEMBERSHIP], connection=False, env=env)
    assert run.rc == 0 and run.changed == 1, run
    assert app_calls(app_sim) == [("POST", TOKEN_PATH, 201)]


def test_missing_pyjwt_gives_ansibles_missing_library_message(ansible, app_sim, app_key, tmp_path):
    """An interpreter with requests but without PyJWT (shadowed by a package that fails to import)."""
    venv = tmp_path / "nojwt"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    site = next((venv / "lib").glob("python*/site-packages"))
    main_site = next(p for p in sys.path if p.endswith("site-packages") and (
        __import__("pathlib").Path(p) / "requests").exists())
    (site / "main_venv.pth").write_text(main_site + "\n")
    (site / "jwt").mkdir()
    (site / "jwt" / "__init__.py").write_text("raise ImportError('No module named jwt')\n")
    pb = play(ansible, [MEMBERSHIP], app_id=APP_ID, app_private_key=app_key[0])
    pb[0]["vars"] = {"ansible_python_interpreter": str(venv / "bin" / "python")}
    run = ansible.run(pb)
    assert run.rc != 0
    msg = run.task("t")["msg"]
    assert "Failed to import the required Python library (PyJWT)" in msg
    assert "Traceback" not in run.output
    assert app_sim.requests() == []
    token_pb = play(ansible, [MEMBERSHIP], token=ADMIN_TOKEN)  # token users do not need PyJWT
    token_pb[0]["vars"] = pb[0]["vars"]
    token_run = ansible.run(token_pb)
    assert token_run.rc == 0 and token_run.changed == 1, token_run


def test_an_export_runs_on_github_app_authentication(ansible, app_sim, app_key, key_file):
    """Issue 22: the export is one github_org_config task (state: gathered), so the App drives it whole,
    repositories included (the ansible.builtin.uri reads it replaced needed a token)."""
    path = ansible.workdir / "acme.yml"
    env = {"GITHUB_APP_ID": str(APP_ID), "GITHUB_APP_PRIVATE_KEY_PATH": str(key_file),
           "GITHUB_API_URL": app_sim.url, "PWD": str(ansible.workdir)}
    run = ansible.run(ROOT / "playbooks" / "export.yml", env=env, verbosity=3, extra_args=[
        "-e", "export_org=acme", "-e", "export_all_repositories=true", "-e", "export_file=%s" % path])
    assert run.rc == 0, run
    assert app_calls(app_sim) == [("GET", "/orgs/acme/installation", 200), ("POST", TOKEN_PATH, 201)]
    text = path.read_text()
    assert "org_config_repo_collaborators:" in text and "repo: widgets" in text
    assert app_sim.writes() == [w for w in app_sim.writes() if w["path"].startswith("/app/")]
    assert_no_secrets(run, app_key[0])
