"""github_org_hook through ansible-playbook against the simulator, whose hooks keep the real secret.

The end-to-end cases (what ansible-playbook shows, real pacing, the environment); the module's
behaviour is tested in-process in tests/unit/plugins/modules/test_github_org_hook.py."""

import json

from harness import ADMIN_TOKEN
from helpers import hook, no_secret_anywhere, stored, stored_hooks, with_hooks

STORED = "hook-secret-do-not-leak"  # hook 1's secret in state_acme.yml
NEW_SECRET = "Zq7-new-webhook-secret-41"
DEPLOY_URL = "https://deploy.acme.example/github"


def test_check_mode_reports_what_the_real_run_does_and_writes_nothing(ansible, sim, state):
    legacy, chat, quiet = "http://legacy.acme.example/hook", "https://chat.acme.example/in", "https://quiet.acme.example/"
    with_hooks(sim, state, state["orgs"][0]["hooks"][0],
               {"id": 7, "url": legacy, "content_type": "form", "events": ["push"]},
               {"id": 8, "url": chat, "content_type": "json", "events": ["issues"], "secret": STORED},
               {"id": 9, "url": quiet, "content_type": "json", "events": ["push"]})
    tasks = [hook(DEPLOY_URL, name="create", events=["push", "release"], secret=NEW_SECRET, ping=True),
             hook(name="events", events=["push"], content_type="form"),
             hook(legacy, name="delete", state="absent"),
             hook(chat, name="rotate", events=["issues"], secret=NEW_SECRET, update_secret="always"),
             hook(quiet, name="unchanged", events=["push"]),
             hook("https://nothing.acme.example/", name="absent-missing", state="absent")]
    check = ansible.play(tasks, check=True, diff=True)
    assert check.rc == 0, check
    assert sim.writes() == []
    created = check.task("create")
    assert created["hook"]["id"] is None and created["hook"]["secret_set"] is True and created["pinged"] is True
    assert check.task("events")["changed_settings"] == ["content_type", "events"]
    assert check.task("events")["hook"]["content_type"] == "form"
    assert check.task("rotate")["changed_settings"] == ["secret"]
    assert check.task("delete")["hook"] == {}
    assert "(new value, not shown)" in check.stdout  # the diff is shown
    assert [h["id"] for h in stored_hooks(sim)] == [1, 7, 8, 9]
    assert stored(sim, 8)["config"]["secret"] == STORED

    real = ansible.play(tasks, diff=True)
    assert real.rc == 0, real
    assert real.changed == check.changed == 4
    assert [r["result"]["changed"] for r in real.results] == [r["result"]["changed"] for r in check.results]
    for name in ("events", "rotate", "delete", "unchanged", "absent-missing"):
        assert real.task(name)["diff"] == check.task(name)["diff"], name
        assert real.task(name)["hook"].get("events") == check.task(name)["hook"].get("events"), name
    assert stored(sim, 8)["config"]["secret"] == NEW_SECRET
    assert [h["id"] for h in stored_hooks(sim)] == [1, 8, 9, real.task("create")["hook"]["id"]]


def test_diff_and_vvv_output_never_show_a_secret(ansible, sim):
    tasks = [hook(DEPLOY_URL, name="create", secret=NEW_SECRET, events=["push"]),
             hook(name="rotate", events=["push"], secret=NEW_SECRET, update_secret="always")]
    run = ansible.play(tasks, diff=True, verbosity=3)
    assert run.rc == 0 and run.changed == 2, run
    no_secret_anywhere(run, NEW_SECRET, STORED)
    rotate = run.task("rotate")["diff"]
    assert rotate["before"]["secret"] == "(set, not shown)"
    assert rotate["after"]["secret"] == "(new value, not shown)"
    assert "(new value, not shown)" in run.stdout
    assert "********" not in json.dumps(run.task("create")["hook"])

    sim.fault(method="POST", path="^/orgs/acme/hooks$", status=422, times=0)
    failed = ansible.play([hook("https://other.acme.example/", secret=NEW_SECRET)], diff=True, verbosity=3)
    assert failed.rc != 0
    assert "POST /orgs/acme/hooks failed: HTTP 422" in failed.task("hook")["msg"]
    assert "Traceback" not in failed.output
    no_secret_anywhere(failed, NEW_SECRET, STORED)
    for output in (run, failed):
        no_secret_anywhere(output, ADMIN_TOKEN)


def test_warnings_for_insecure_ssl_and_plain_http(ansible, sim):
    run = ansible.play([hook("http://plain.acme.example/hook", insecure_ssl=True, secret=NEW_SECRET)])
    assert run.rc == 0, run
    warnings = run.task("hook")["warnings"]
    assert any("insecure_ssl is true" in w for w in warnings)
    assert any("url is plain http://" in w for w in warnings)
    assert "[WARNING]: insecure_ssl is true" in run.output
    no_secret_anywhere(run, NEW_SECRET)

    quiet = ansible.play([hook()])
    assert not quiet.task("hook").get("warnings")
