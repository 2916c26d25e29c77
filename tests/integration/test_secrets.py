"""Secrets: the token, a GitHub App key and webhook secrets never reach any output.

Every module's main scenarios run at ``-vvv`` with ``--diff`` (check mode, then for real, then
again), failing runs, and a GitHub that echoes secrets back (in error messages, in a hook list
that is not masked); stdout, stderr and every task result (warnings and diffs included) are
searched for each secret. The base's transport warnings (plain ``http://``, ``validate_certs``)
are checked in-process (tests/unit/plugins/module_utils/test_github_module.py), so no request ever
goes to a non-loopback address.
"""

import json
import re

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from harness import ADMIN_TOKEN

STORED = "hook-secret-do-not-leak"  # hook 1's secret in state_acme.yml
NEW_SECRET = "Sx9-new-hook-secret-0315"
ROTATED = "Rt4-rotated-hook-secret-8842"
OTHER_HOOK = "https://chat.acme.example/hook"
OLD_HOOK = "https://old.acme.example/hook"
OLD_SECRET = "Od2-old-hook-secret-5521"
ENV_TOKEN = "ghp_secrets_env_token_0123456789abcdefgh"
SECRETS = (ADMIN_TOKEN, STORED, NEW_SECRET, ROTATED, OLD_SECRET)
CHECKS = []  # (run, secret) pairs checked, for the count in the README


# Tasks take the secrets from the environment, as playbooks should: on a failure ansible-core prints
# the playbook lines just before the failed task, so a secret written into the previous task would
# be shown by Ansible itself, whatever the module does.
ENV = {"SECRETS_NEW": NEW_SECRET, "SECRETS_ROTATED": ROTATED}
NEW_FROM_ENV = "{{ lookup('ansible.builtin.env', 'SECRETS_NEW') }}"
ROTATED_FROM_ENV = "{{ lookup('ansible.builtin.env', 'SECRETS_ROTATED') }}"


def t(task_name, module, **options):
    return {"name": task_name, "orgcode.github." + module: options}


# The main scenarios of every module, each changing something (hooks: create, update, rotate, remove).
SCENARIOS = [
    t("org", "github_org", org="acme", description="Secrets matrix", billing_email="money@acme.example"),
    t("invite", "github_org_membership", org="acme", username="erin"),
    t("promote", "github_org_membership", org="acme", username="alice", role="admin"),
    t("remove", "github_org_membership", org="acme", username="dave", state="absent"),
    t("members", "github_org_membership", org="solo", write_delay=0,
      members=[{"login": "octo-admin", "role": "admin"}, {"login": "frank"}]),
    t("convert", "github_outside_collaborator", org="acme", username="bob"),
    t("outside absent", "github_outside_collaborator", org="acme", username="outsider-olga", state="absent"),
    t("collaborator", "github_repo_collaborator", owner="acme", repo="widgets", username="erin", permission="push"),
    t("collaborator absent", "github_repo_collaborator", owner="acme", repo="widgets", username="alice",
      state="absent"),
    t("collaborators", "github_repo_collaborator", owner="acme", repo="gadgets", write_delay=0,
      collaborators=[{"login": "outsider-oscar", "permission": "pull"}, {"login": "carol", "permission": "triage"}]),
    t("hook create", "github_org_hook", org="acme", url=OTHER_HOOK, events=["push"], secret=NEW_FROM_ENV),
    t("hook update", "github_org_hook", org="acme", url="https://ci.acme.example/hook", events=["push"],
      content_type="form", secret=NEW_FROM_ENV),
    t("hook rotate", "github_org_hook", org="acme", url="https://ci.acme.example/hook", events=["push"],
      content_type="form", secret=ROTATED_FROM_ENV, update_secret="always"),
    t("hook remove", "github_org_hook", org="acme", url=OLD_HOOK, state="absent"),
    # a team the first task creates: in check mode, new_team plans against it as GitHub creates it
    t("team", "github_team", org="acme", name="Secrets Crew", privacy="closed", description="Keeps things"),
    t("team member", "github_team_membership", org="acme", team="secrets-crew", username="alice", role="maintainer",
      new_team=True),
    t("team members", "github_team_membership", org="acme", team="secrets-crew", write_delay=0, new_team=True,
      members=[{"login": "alice", "role": "maintainer"}, {"login": "carol"}]),
    t("team repository", "github_team_repository", org="acme", team="secrets-crew", repo="widgets",
      permission="pull", new_team=True),
    t("info", "github_org_info", org="acme", gather=["settings", "hooks", "teams"]),
]


@pytest.fixture
def sim(sim, state):
    """The simulator with a second hook (with a secret) for the scenarios to remove."""
    state["orgs"][0]["hooks"].append({"id": 2, "url": OLD_HOOK, "content_type": "json", "secret": OLD_SECRET,
                                      "insecure_ssl": "0", "events": ["push"], "active": True})
    sim.reset(state)
    return sim


def assert_no_leak(run, *secrets):
    text = {"stdout": run.stdout, "stderr": run.stderr, "results": json.dumps(run.results)}
    for secret in secrets or SECRETS:
        for name, value in text.items():
            assert secret not in value, "a secret was printed in %s" % name
        CHECKS.append((id(run), secret))
    for entry in run.results:  # the parts a user reads first, named in the issue
        result = entry["result"]
        shown = json.dumps([result.get("warnings"), result.get("diff"), result.get("msg")])
        assert not any(secret in shown for secret in secrets or SECRETS)
    assert "Traceback" not in run.output


def test_every_module_at_vvv_with_diff_in_check_mode_then_for_real(ansible, sim):
    check = ansible.play(SCENARIOS, check=True, diff=True, verbosity=3, env=ENV)
    real = ansible.play(SCENARIOS, diff=True, verbosity=3, env=ENV)
    for run in (check, real):
        assert run.rc == 0, [(r["task"], r["result"].get("msg")) for r in run.results if r["status"] == "failed"]
        assert_no_leak(run)
        assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in run.output  # -vvv shows the options, masked
        assert "plain http://" not in run.output  # the simulator is on loopback: no transport warning
    assert check.changed == real.changed == len(SCENARIOS) - 1  # everything but info
    assert real.task("hook rotate")["diff"]["after"]["secret"] == "(new value, not shown)"
    hooks = {h["config"]["url"]: h["config"]["secret"] for h in sim.state()["orgs"][0]["hooks"]}
    assert hooks == {"https://ci.acme.example/hook": ROTATED, OTHER_HOOK: NEW_SECRET}, "the secrets reached GitHub"


def test_failures_at_vvv_never_show_a_secret(ansible, sim):
    """GitHub refuses every write with HTTP 400, and the hook list (the hook tasks and info fail reading it)."""
    for method in ("PATCH", "PUT", "POST", "DELETE"):
        sim.fault(method=method, path=".*", status=400, times=0)
    sim.fault(method="GET", path="^/orgs/acme/hooks$", status=400, times=0)
    run = ansible.play([dict(task, ignore_errors=True) for task in SCENARIOS], diff=True, verbosity=3, env=ENV)
    assert run.recap["ignored"] == len(SCENARIOS), run
    assert_no_leak(run)


def echo(*secrets):
    return {"message": "Validation Failed: %s" % " ".join(secrets), "documentation_url": "https://docs.github.com",
            "errors": [{"resource": "Hook", "code": "custom", "message": "secret %s" % s} for s in secrets]}


def test_github_echoing_the_token_and_secrets_back_is_masked(ansible, sim):
    """A proxy or a GitHub bug that puts the token or a secret into an error message or a hook list."""
    # A module masks the values it was given: the token, and a hook task its own secret.
    sim.fault(method="POST", path="^/orgs/acme/hooks$", status=422, body=echo(ADMIN_TOKEN, NEW_SECRET), times=0)
    sim.fault(method="PATCH", path="^/orgs/acme/hooks/1", status=422, body=echo(ADMIN_TOKEN, NEW_SECRET), times=1)
    sim.fault(method="PATCH", path="^/orgs/acme/hooks/1", status=422, body=echo(ADMIN_TOKEN, ROTATED), times=1)
    for method in ("PATCH", "PUT", "POST", "DELETE"):
        sim.fault(method=method, path=".*", status=422, body=echo(ADMIN_TOKEN), times=0)
    unmasked = [{"id": 1, "name": "web", "active": True, "events": ["push"], "type": "Organization",
                 "config": {"url": "https://ci.acme.example/hook", "content_type": "json", "insecure_ssl": "0",
                            "secret": STORED}}]
    sim.fault(method="GET", path="^/orgs/acme/hooks$", status=200, body=unmasked, times=0)
    run = ansible.play([dict(task, ignore_errors=True) for task in SCENARIOS], diff=True, verbosity=3, env=ENV)
    assert run.rc == 0, run
    assert run.task("org")["status"] == 422 and "********" in run.task("org")["msg"]
    assert run.task("info")["hooks"][0]["secret_set"] is True
    assert_no_leak(run)


def test_a_token_from_the_environment_is_masked_too(ansible, sim):
    state = sim.state()
    state["tokens"].append({"token": ENV_TOKEN, "login": "Octo-Admin", "scopes": ["admin:org", "read:org"]})
    sim.reset(state)
    sim.fault(method="PATCH", path="^/orgs/acme$", status=422, body=echo(ENV_TOKEN))
    task = {"name": "org", "orgcode.github.github_org": {"org": "acme", "description": "from env"},
            "ignore_errors": True}
    run = ansible.play([task], connection=False, diff=True, verbosity=3,
                       env={"GITHUB_TOKEN": ENV_TOKEN, "GITHUB_API_URL": sim.url})
    assert run.task("org")["status"] == 422
    assert_no_leak(run, ENV_TOKEN)


@pytest.fixture(scope="module")
def app_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption()).decode()


def test_secrets_stay_masked_when_ansible_core_loses_its_no_log_values(ansible, sim, app_key):
    """ansible-core forgets every no_log value when a list-of-dicts option holds a string (ansible#81672)."""
    bad = [t("members", "github_org_membership", org="acme", members="alice"),
           t("collaborators", "github_repo_collaborator", owner="acme", repo="gadgets", collaborators=[42]),
           t("list of logins", "github_org_membership", org="acme", members=["erin"]),
           t("as an app", "github_org_membership", org="acme", members="alice", token=None, app_id=1,
             app_private_key="{{ lookup('ansible.builtin.env', 'SECRETS_APP_KEY') }}")]
    run = ansible.play([dict(task, ignore_errors=True) for task in bad], verbosity=3,
                       env={"SECRETS_APP_KEY": app_key})
    assert sim.requests() == []
    assert run.recap["ignored"] == len(bad), run
    for entry in run.results:
        assert re.search(r"option '(members|collaborators)'", entry["result"]["msg"]), entry["result"]["msg"]
    key_lines = [line for line in app_key.splitlines() if line and not line.startswith("-----")]
    assert_no_leak(run, ADMIN_TOKEN, *key_lines)
