"""github_org_hook's behaviour in-process, against the simulator whose hooks keep the real secret.

Each task's module runs in-process (the ``ansible`` fixture of tests/unit/conftest.py); the
end-to-end cases through ansible-playbook are in tests/integration/test_github_org_hook.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


import pytest
from helpers import CI_URL, hook, no_secret_anywhere, stored, stored_hooks, with_hooks, writes

STORED = "hook-secret-do-not-leak"  # hook 1's secret in state_acme.yml
NEW_SECRET = "Zq7-new-webhook-secret-41"
DEPLOY_URL = "https://deploy.acme.example/github"


def test_create_with_secret_then_second_run_is_unchanged_with_one_request(ansible, sim):
    task = hook(DEPLOY_URL, events=["push", "release"], secret=NEW_SECRET)
    first = ansible.play([task])
    assert first.rc == 0 and first.changed == 1, first
    result = first.task("hook")["hook"]
    assert result["url"] == DEPLOY_URL and sorted(result["events"]) == ["push", "release"]
    assert result["active"] is True and result["content_type"] == "json" and result["insecure_ssl"] is False
    assert result["secret_set"] is True and "secret" not in result["config"]
    assert result["created_at"] and result["updated_at"]
    assert writes(sim) == [("POST", "/orgs/acme/hooks")]
    created = stored(sim, result["id"])
    assert created["config"]["secret"] == NEW_SECRET
    assert created["config"]["content_type"] == "json" and created["config"]["insecure_ssl"] == "0"

    sim.clear_log()
    again = ansible.play([hook(DEPLOY_URL, events=["release", "push", "push"], secret=NEW_SECRET)])
    assert again.rc == 0 and again.changed == 0, again
    assert sim.writes() == []
    assert [(r["method"], r["path"], r["query"].get("per_page")) for r in sim.requests()] == [
        ("GET", "/orgs/acme/hooks", "100")]
    assert again.task("hook")["hook"]["id"] == result["id"]
    assert stored(sim, result["id"])["config"]["secret"] == NEW_SECRET


def test_a_hook_created_without_secret_reports_none(ansible, sim):
    run = ansible.play([hook(DEPLOY_URL, events=["*"], content_type="form")])
    assert run.rc == 0 and run.changed == 1, run
    result = run.task("hook")["hook"]
    assert result["secret_set"] is False and result["events"] == ["*"] and result["content_type"] == "form"
    assert stored(sim, result["id"])["config"]["secret"] is None


def test_existing_hook_with_a_different_secret_given_is_unchanged_by_default(ansible, sim):
    """update_secret=on_create: the stored secret cannot be compared, so it is left alone."""
    run = ansible.play([hook(secret=NEW_SECRET)], diff=True)
    assert run.rc == 0 and run.changed == 0, run
    assert sim.writes() == []
    assert stored(sim, 1)["config"]["secret"] == STORED
    assert run.task("hook")["hook"]["secret_set"] is True


def test_changing_only_events_leaves_the_stored_secret_untouched(ansible, sim):
    run = ansible.play([hook(events=["push"])], diff=True)
    assert run.rc == 0 and run.changed == 1, run
    assert writes(sim) == [("PATCH", "/orgs/acme/hooks/1")]
    hook1 = stored(sim, 1)
    assert hook1["events"] == ["push"]
    assert hook1["config"]["secret"] == STORED
    result = run.task("hook")
    assert result["changed_settings"] == ["events"]
    assert result["diff"]["before"]["events"] == ["pull_request", "push"]
    assert result["diff"]["after"]["events"] == ["push"]
    assert result["hook"]["secret_set"] is True
    assert ansible.play([hook(events=["push"])]).changed == 0


def test_changing_content_type_and_insecure_ssl_goes_through_the_config_endpoint(ansible, sim):
    run = ansible.play([hook(content_type="form", insecure_ssl=True)])
    assert run.rc == 0 and run.changed == 1, run
    assert writes(sim) == [("PATCH", "/orgs/acme/hooks/1/config")]
    config = stored(sim, 1)["config"]
    assert config["content_type"] == "form" and config["insecure_ssl"] == "1"
    assert config["secret"] == STORED
    result = run.task("hook")
    assert result["changed_settings"] == ["content_type", "insecure_ssl"]
    assert result["hook"]["content_type"] == "form" and result["hook"]["insecure_ssl"] is True
    assert result["hook"]["secret_set"] is True


def test_changing_events_active_and_content_type_together_keeps_the_secret(ansible, sim):
    run = ansible.play([hook(events=["*"], active=False, content_type="form")])
    assert run.rc == 0 and run.changed == 1, run
    assert writes(sim) == [("PATCH", "/orgs/acme/hooks/1/config"), ("PATCH", "/orgs/acme/hooks/1")]
    hook1 = stored(sim, 1)
    assert hook1["events"] == ["*"] and hook1["active"] is False
    assert hook1["config"]["content_type"] == "form" and hook1["config"]["secret"] == STORED
    result = run.task("hook")["hook"]
    assert result["active"] is False and result["content_type"] == "form" and result["events"] == ["*"]
    assert ansible.play([hook(events=["*"], active=False, content_type="form")]).changed == 0


def test_a_failure_between_the_two_writes_reports_what_changed(ansible, sim):
    sim.fault(method="PATCH", path="^/orgs/acme/hooks/1$", status=422, times=0)
    run = ansible.play([hook(events=["push"], content_type="form")])
    assert run.rc != 0
    result = run.task("hook")
    assert result["msg"].startswith("the hook's content_type changed, but then PATCH /orgs/acme/hooks/1 failed: "
                                    "HTTP 422")
    assert result["changed"] is True
    assert stored(sim, 1)["config"]["content_type"] == "form" and stored(sim, 1)["config"]["secret"] == STORED


def test_update_secret_always_replaces_the_secret_and_reports_changed_every_run(ansible, sim):
    task = hook(secret=NEW_SECRET, update_secret="always")
    for _attempt in range(2):
        sim.clear_log()
        run = ansible.play([task], diff=True)
        assert run.rc == 0 and run.changed == 1, run
        assert writes(sim) == [("PATCH", "/orgs/acme/hooks/1/config")]
        assert stored(sim, 1)["config"]["secret"] == NEW_SECRET
        assert run.task("hook")["changed_settings"] == ["secret"]
        no_secret_anywhere(run, NEW_SECRET, STORED)
    assert stored(sim, 1)["events"] == ["push", "pull_request"]


def test_update_secret_always_with_other_changes_costs_one_write(ansible, sim):
    run = ansible.play([hook(events=["push"], content_type="form", secret=NEW_SECRET, update_secret="always")])
    assert run.rc == 0 and run.changed == 1, run
    assert writes(sim) == [("PATCH", "/orgs/acme/hooks/1")]
    hook1 = stored(sim, 1)
    assert hook1["config"] == {"url": CI_URL, "content_type": "form", "insecure_ssl": "0", "secret": NEW_SECRET}
    assert hook1["events"] == ["push"]
    assert run.task("hook")["changed_settings"] == ["content_type", "events", "secret"]


def test_a_secret_is_set_on_an_existing_hook_that_has_none(ansible, sim, state):
    with_hooks(sim, state, {"id": 7, "url": DEPLOY_URL, "content_type": "json", "events": ["push"]})
    run = ansible.play([hook(DEPLOY_URL, events=["push"], secret=NEW_SECRET)])
    assert run.rc == 0 and run.changed == 1, run
    assert writes(sim) == [("PATCH", "/orgs/acme/hooks/7/config")]
    assert stored(sim, 7)["config"]["secret"] == NEW_SECRET
    assert run.task("hook")["hook"]["secret_set"] is True
    assert ansible.play([hook(DEPLOY_URL, events=["push"], secret=NEW_SECRET)]).changed == 0


def test_absent_deletes_by_url_and_by_hook_id(ansible, sim, state):
    run = ansible.play([hook(state="absent")], diff=True)
    assert run.rc == 0 and run.changed == 1, run
    assert writes(sim) == [("DELETE", "/orgs/acme/hooks/1")]
    assert stored_hooks(sim) == []
    result = run.task("hook")
    assert result["hook"] == {}
    assert result["diff"]["before"]["id"] == 1 and result["diff"]["after"] == {"state": "absent"}
    sim.clear_log()
    assert ansible.play([hook(state="absent")]).changed == 0
    assert sim.writes() == []

    sim.reset(state)
    by_id = ansible.play([{"name": "hook", "orgcode.github.github_org_hook": {
        "org": "acme", "hook_id": 1, "state": "absent"}}])
    assert by_id.rc == 0 and by_id.changed == 1, by_id
    assert stored_hooks(sim) == []
    again = ansible.play([{"name": "hook", "orgcode.github.github_org_hook": {
        "org": "acme", "hook_id": 1, "state": "absent"}}])
    assert again.rc == 0 and again.changed == 0, again


def test_absent_by_hook_id_refuses_a_hook_with_another_url(ansible, sim):
    run = ansible.play([hook(DEPLOY_URL, hook_id=1, state="absent")])
    assert run.rc != 0
    assert "hook_id: hook 1 of organization acme has a different url" in run.task("hook")["msg"]
    assert sim.writes() == [] and len(stored_hooks(sim)) == 1


def test_duplicate_urls_need_hook_id(ansible, sim, state):
    twin = {"url": CI_URL, "content_type": "json", "events": ["push"], "secret": "twin-secret-0042"}
    with_hooks(sim, state, dict(twin, id=5), dict(twin, id=6))
    for task_state in ("present", "absent"):
        run = ansible.play([hook(events=["push"], state=task_state)])
        assert run.rc != 0
        msg = run.task("hook")["msg"]
        assert msg == "url: 2 hooks of organization acme have this url (ids 5, 6); set hook_id to choose one"
    assert sim.writes() == []

    sim.clear_log()

    pick = ansible.play([hook(events=["issues"], hook_id=6)])
    assert pick.rc == 0 and pick.changed == 1, pick
    assert writes(sim) == [("PATCH", "/orgs/acme/hooks/6")]
    assert stored(sim, 5)["events"] == ["push"] and stored(sim, 6)["events"] == ["issues"]
    assert stored(sim, 6)["config"]["secret"] == "twin-secret-0042"
    assert [r["path"] for r in sim.requests() if r["method"] == "GET"] == ["/orgs/acme/hooks/6"]

    sim.clear_log()
    drop = ansible.play([hook(hook_id=5, state="absent")])
    assert drop.rc == 0 and drop.changed == 1, drop
    assert [h["id"] for h in stored_hooks(sim)] == [6]


def test_hook_id_moves_a_hook_to_a_new_url_keeping_the_secret(ansible, sim):
    run = ansible.play([hook(DEPLOY_URL, hook_id=1)])
    assert run.rc == 0 and run.changed == 1, run
    assert writes(sim) == [("PATCH", "/orgs/acme/hooks/1/config")]
    assert stored(sim, 1)["config"]["url"] == DEPLOY_URL and stored(sim, 1)["config"]["secret"] == STORED
    assert run.task("hook")["changed_settings"] == ["url"] and run.task("hook")["hook"]["url"] == DEPLOY_URL


def test_unknown_hook_id_or_org(ansible, sim):
    missing = ansible.play([hook(hook_id=999)])
    assert missing.rc != 0
    assert missing.task("hook")["msg"] == "hook_id: organization acme has no hook with id 999"
    gone = ansible.play([hook(hook_id=999, state="absent")])
    assert gone.rc == 0 and gone.changed == 0, gone
    for options in ({}, {"hook_id": 1}):
        run = ansible.play([dict(hook(**options), **{"orgcode.github.github_org_hook": dict(
            hook(**options)["orgcode.github.github_org_hook"], org="no-such-org")})])
        assert run.rc != 0
        assert "org: organization 'no-such-org' was not found" in run.task("hook")["msg"]
    assert sim.writes() == []


def test_check_mode_changed_matches_the_real_run_task_by_task(ansible, sim, state):
    cases = [hook(DEPLOY_URL, secret=NEW_SECRET), hook(events=["push"]), hook(content_type="form"),
             hook(active=False), hook(insecure_ssl=True), hook(), hook(secret=NEW_SECRET),
             hook(secret=NEW_SECRET, update_secret="always"), hook(DEPLOY_URL, hook_id=1),
             hook(state="absent"), hook(DEPLOY_URL, state="absent")]
    for task in cases:
        sim.reset(state)
        check = ansible.play([task], check=True, diff=True)
        assert check.rc == 0, check
        assert sim.writes() == [], task
        real = ansible.play([task], diff=True)
        assert real.rc == 0, real
        assert check.changed == real.changed, task
        checked, done = check.task("hook"), real.task("hook")
        assert checked["diff"] == done["diff"] or checked["diff"]["after"].get("id") is None, task
        for key in ("events", "active", "content_type", "insecure_ssl", "secret_set", "url"):
            assert checked["hook"].get(key) == done["hook"].get(key), (task, key)


def test_ping_after_create_and_change_only(ansible, sim):
    task = hook(DEPLOY_URL, events=["push"], secret=NEW_SECRET, ping=True)
    first = ansible.play([task])
    assert first.rc == 0 and first.task("hook")["pinged"] is True, first
    hook_id = first.task("hook")["hook"]["id"]
    assert writes(sim) == [("POST", "/orgs/acme/hooks"), ("POST", "/orgs/acme/hooks/%d/pings" % hook_id)]
    assert stored(sim, hook_id)["pings"] == 1

    unchanged = ansible.play([task])
    assert unchanged.changed == 0 and unchanged.task("hook")["pinged"] is False
    assert stored(sim, hook_id)["pings"] == 1

    changed = hook(DEPLOY_URL, events=["push", "issues"], ping=True)
    assert ansible.play([changed], check=True).changed == 1
    assert stored(sim, hook_id)["pings"] == 1, "check mode sends no ping"
    assert ansible.play([changed]).changed == 1
    assert stored(sim, hook_id)["pings"] == 2


def test_a_failed_ping_says_the_hook_was_created(ansible, sim):
    sim.fault(method="POST", path="/pings$", status=500, times=0)
    run = ansible.play([hook(DEPLOY_URL, ping=True)])
    assert run.rc != 0
    result = run.task("hook")
    assert result["msg"].startswith("the hook was created, but the ping failed: POST /orgs/acme/hooks/")
    assert "HTTP 500" in result["msg"] and result["changed"] is True
    assert result["hook"]["url"] == DEPLOY_URL
    assert [h["config"]["url"] for h in stored_hooks(sim)] == [CI_URL, DEPLOY_URL]
    assert ansible.play([hook(DEPLOY_URL, ping=True)]).changed == 0, "the created hook is found next run"


def test_unchanged_run_over_many_hooks_reads_every_page_once(ansible, sim, state):
    many = [{"id": i, "url": "https://h%d.acme.example/" % i, "content_type": "json", "events": ["push"]}
            for i in range(10, 160)]
    with_hooks(sim, state, *(many + [{"id": 500, "url": CI_URL, "content_type": "json", "secret": STORED,
                                      "events": ["push", "pull_request"]}]))
    run = ansible.play([hook()])
    assert run.rc == 0 and run.changed == 0, run
    assert run.task("hook")["hook"]["id"] == 500
    log = sim.requests()
    assert [(r["method"], r["path"]) for r in log] == [("GET", "/orgs/acme/hooks")] * 2
    assert all(r["query"].get("per_page") == "100" for r in log)
    assert run.task("hook")["api"]["requests"] == 2


def test_member_token_gets_one_readable_error(ansible, sim):
    ansible.token = "ghp_test_member_token_0123456789abcdef"
    run = ansible.play([hook()])
    assert run.rc != 0
    result = run.task("hook")
    assert result["msg"].startswith("GET /orgs/acme/hooks failed: HTTP 403")
    assert result["status"] == 403
    assert "Traceback" not in run.output


@pytest.mark.parametrize("options, words", [
    ({"url": "ftp://ci.acme.example/hook"}, "url: 'ftp://ci.acme.example/hook' is not an absolute http"),
    ({"url": "ci.acme.example/hook"}, "url: 'ci.acme.example/hook' is not an absolute http"),
    ({"url": "https://"}, "url: 'https://' is not an absolute http"),
    ({"url": "https://ci.acme.example/a b"}, "is not an absolute http"),
    # Declared in the argument spec (required_if): Ansible's own wording.
    ({"url": None}, "state is present but any of the following are missing: url, hooks"),
    ({"url": None, "state": "absent"}, "state is absent but any of the following are missing: url, hook_id"),
    ({"events": []}, "events must be a non-empty list"),
    ({"events": ["push", ""]}, "events[1]: '' is not a GitHub event name"),
    ({"events": ["Push Events"]}, "events[0]: 'Push Events' is not a GitHub event name"),
    ({"events": ["push", "pull_requests"]}, "events[1]: 'pull_requests' is not a GitHub event name; did you mean "
                                            "'pull_request'?"),
    ({"events": ["bogus_event_x"]}, "events[0]: 'bogus_event_x' is not a GitHub event name"),
    ({"events": ["ping"]}, "events[0]: 'ping' is not a GitHub event name"),
    ({"events": {"push": True}}, "events"),
    ({"hook_id": 0}, "hook_id must be a positive hook id, got 0"),
    ({"hook_id": -3}, "hook_id must be a positive hook id, got -3"),
    ({"update_secret": "always"}, "update_secret=always needs the secret option"),
    ({"secret": "********"}, "secret: the value is GitHub's mask"),
    ({"secret": "********", "update_secret": "always"}, "secret: the value is GitHub's mask"),
    ({"secret": ""}, "secret must not be empty"),
    ({"content_type": "xml"}, "content_type"),
    ({"update_secret": "sometimes", "secret": NEW_SECRET}, "update_secret"),
    ({"org": "bad org"}, "org"),
])
def test_bad_input_fails_before_any_request_naming_the_option(ansible, sim, options, words):
    task = hook()
    args = task["orgcode.github.github_org_hook"]
    args.update(options)
    if args["url"] is None:
        del args["url"]
    run = ansible.play([task])
    assert run.rc != 0
    assert words in run.task("hook")["msg"]
    assert sim.requests() == []
    no_secret_anywhere(run, NEW_SECRET)


# -- branches the cases above do not reach ----------------------------------------------------------


def test_url_key_folds_scheme_and_host_and_keeps_an_unparsable_url():
    from ansible_collections.orgcode.github.plugins.module_utils import _hooks

    assert _hooks.url_key(" HTTPS://CI.Acme.Example/Hook/ ") == "https://ci.acme.example/Hook"
    assert _hooks.url_key("http://[::1/hook") == "http://[::1/hook"  # an unclosed bracket: compared as given


def test_plain_http_and_insecure_ssl_are_warned_in_the_result(ansible, sim):
    run = ansible.play([hook("http://plain.acme.example/hook", insecure_ssl=True)])
    assert run.rc == 0 and run.changed == 1, run
    warnings = run.task("hook")["warnings"]
    assert any("url is plain http://: payloads are delivered unencrypted" in w for w in warnings), warnings
    assert any("insecure_ssl is true" in w for w in warnings), warnings


def test_a_refused_hook_read_by_id_is_githubs_error_not_a_missing_hook(ansible, sim):
    sim.fault(method="GET", path="^/orgs/acme/hooks/1$", status=403, times=1,
              body={"message": "You must be an admin to read hooks", "documentation_url": "https://docs.github.com"})
    run = ansible.play([hook(hook_id=1)])
    assert run.rc != 0
    msg = run.task("hook")["msg"]
    assert msg.startswith("GET /orgs/acme/hooks/1 failed: HTTP 403: You must be an admin"), msg
    assert "has no hook" not in msg and sim.writes() == []


def test_a_failed_hook_patch_without_a_config_change_is_githubs_error(ansible, sim):
    sim.fault(method="PATCH", path="^/orgs/acme/hooks/1$", status=422, times=1,
              body={"message": "Validation Failed", "documentation_url": "https://docs.github.com"})
    run = ansible.play([hook(events=["push"])])  # only events change: one PATCH of the hook
    assert run.rc != 0
    result = run.task("hook")
    assert result["msg"].startswith("PATCH /orgs/acme/hooks/1 failed: HTTP 422: Validation Failed"), result["msg"]
    assert "changed, but then" not in result["msg"] and result["changed"] is False
