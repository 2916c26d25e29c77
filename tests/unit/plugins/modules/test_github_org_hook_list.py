"""github_org_hook: the ``hooks:`` list mode, and URL matching after normalisation (issue 11 case 6)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

STORED = "hook-secret-do-not-leak"  # hook 1's secret in state_acme.yml
SECRET = "Lm3-list-mode-secret-88"
CI_URL = "https://ci.acme.example/hook"  # hook 1
CHAT_URL = "https://chat.acme.example/gh"
LEGACY_URL = "http://legacy.acme.example/hook"


def hooks_task(hooks, name="hooks", **options):
    return {"name": name, "orgcode.github.github_org_hook": dict(
        {"org": "acme", "hooks": hooks, "write_delay": 0}, **options)}


def ci(**options):
    return dict({"url": CI_URL, "events": ["push", "pull_request"]}, **options)


def stored_hooks(sim):
    return next(o for o in sim.state()["orgs"] if o["login"] == "acme")["hooks"]


def writes(sim):
    return [(w["method"], w["path"]) for w in sim.writes()]


def with_hooks(sim, state, *extra):
    acme = next(o for o in state["orgs"] if o["login"] == "acme")
    acme["hooks"] = acme["hooks"] + list(extra)
    sim.reset(state)


def no_secret(run):
    text = run.output + json.dumps(run.results)
    assert SECRET not in text and STORED not in text


def test_list_creates_updates_then_is_unchanged_at_the_floor(ansible, sim):
    wanted = [ci(events=["push"]), {"url": CHAT_URL, "events": ["*"], "content_type": "form", "secret": SECRET}]
    run = ansible.play([hooks_task(wanted)], diff=True)
    assert run.rc == 0 and run.changed == 1, run
    result = run.task("hooks")
    assert result["changes"] == {"created": [CHAT_URL], "updated": {CI_URL: ["events"]}, "removed": []}
    assert [h["url"] for h in result["hooks"]] == [CI_URL, CHAT_URL]
    assert result["hooks"][1]["secret_set"] is True and "secret" not in result["hooks"][1]["config"]
    assert result["diff"]["before"][CI_URL]["events"] == ["pull_request", "push"]
    assert result["diff"]["after"][CI_URL]["events"] == ["push"]
    assert result["diff"]["before"][CHAT_URL] == {"state": "absent"}
    assert writes(sim) == [("PATCH", "/orgs/acme/hooks/1"), ("POST", "/orgs/acme/hooks")]
    chat = next(h for h in stored_hooks(sim) if h["config"]["url"] == CHAT_URL)
    assert chat["config"]["secret"] == SECRET and chat["config"]["content_type"] == "form"
    assert next(h for h in stored_hooks(sim) if h["id"] == 1)["config"]["secret"] == STORED  # kept
    no_secret(run)

    sim.clear_log()
    again = ansible.play([hooks_task(wanted)], check=True, diff=True)
    assert again.rc == 0 and again.changed == 0, again
    assert [(r["method"], r["path"]) for r in sim.requests()] == [("GET", "/orgs/acme/hooks")], "one read"
    sim.clear_log()
    real = ansible.play([hooks_task(wanted)])
    assert real.rc == 0 and real.changed == 0 and len(sim.requests()) == 1, real


def test_reading_150_hooks_costs_two_requests(ansible, sim, state):
    many = [{"url": "https://h%03d.acme.example/x" % i, "events": ["push"]} for i in range(149)]
    with_hooks(sim, state, *[dict(h, id=100 + i, content_type="json", insecure_ssl="0", active=True)
                             for i, h in enumerate(many)])
    run = ansible.play([hooks_task([ci()] + many, exclusive=True)])
    assert run.rc == 0 and run.changed == 0, run
    assert [r["path"] for r in sim.requests()] == ["/orgs/acme/hooks", "/orgs/acme/hooks"]


def test_exclusive_removes_the_unlisted_hooks_guarded_by_max_removals(ansible, sim, state):
    with_hooks(sim, state, {"id": 7, "url": LEGACY_URL, "events": ["push"], "active": True},
               {"id": 8, "url": "https://old.acme.example/x", "events": ["push"], "active": True})
    guarded = ansible.play([hooks_task([ci()], exclusive=True, max_removals=1)], check=True)
    assert guarded.rc != 0
    msg = guarded.task("hooks")["msg"]
    assert "exclusive: 2 removals needed, more than max_removals=1" in msg
    assert "hook 7 (%s)" % LEGACY_URL in msg and "hook 8 (https://old.acme.example/x)" in msg
    assert sim.writes() == []

    kept = ansible.play([hooks_task([ci()])])
    assert kept.rc == 0 and kept.changed == 0, kept
    assert sorted(h["id"] for h in kept.task("hooks")["unlisted"]) == [7, 8]

    run = ansible.play([hooks_task([ci()], exclusive=True, max_removals=2)], diff=True)
    assert run.rc == 0 and run.changed == 1, run
    result = run.task("hooks")
    assert result["changes"]["removed"] == ["hook 7 (%s)" % LEGACY_URL, "hook 8 (https://old.acme.example/x)"]
    assert result["diff"]["after"]["hook 7 (%s)" % LEGACY_URL] == {"state": "absent"}
    assert writes(sim) == [("DELETE", "/orgs/acme/hooks/7"), ("DELETE", "/orgs/acme/hooks/8")]
    assert [h["id"] for h in stored_hooks(sim)] == [1]


@pytest.mark.parametrize("hooks, options, words", [
    ([ci(), ci(url=CI_URL + "/")], {}, "hooks[1].url: %s/ is already listed as hooks[0].url" % CI_URL),
    ([ci(), {"url": "ci.acme.example"}], {}, "hooks[1].url: 'ci.acme.example' is not an absolute http"),
    ([ci(events=["Push"])], {}, "hooks[0].events[0]: 'Push' is not a GitHub event name; did you mean 'push'?"),
    ([ci(), ci(url="https://t.acme.example/h", events=["push", "pull_requests"])], {},
     "hooks[1].events[1]: 'pull_requests' is not a GitHub event name; did you mean 'pull_request'?"),
    ([ci(), ci(url="https://t.acme.example/h", events=["bogus_event_x"])], {},
     "hooks[1].events[0]: 'bogus_event_x' is not a GitHub event name"),
    ([ci(secret="")], {}, "hooks[0].secret must not be empty"),
    ([ci(secret="********")], {}, "hooks[0].secret: the value is GitHub's mask"),
    ([ci(update_secret="always")], {}, "hooks[0].update_secret=always needs the secret option"),
    ([ci()], {"url": CI_URL}, "parameters are mutually exclusive: hooks|url"),
    ([ci()], {"secret": SECRET}, "parameters are mutually exclusive: hooks|secret"),
    ([ci()], {"max_removals": -1}, "max_removals must be 0 or more"),
    ([{"events": ["push"]}], {}, "missing required arguments: url found in hooks"),
])
def test_bad_list_fails_before_any_request_naming_the_position(ansible, sim, hooks, options, words):
    run = ansible.play([hooks_task(hooks, **options)])
    assert run.rc != 0
    assert words in run.task("hooks")["msg"], run.task("hooks")["msg"]
    assert sim.requests() == []
    no_secret(run)


def test_exclusive_without_a_list_is_refused(ansible, sim):
    run = ansible.play([{"name": "hooks", "orgcode.github.github_org_hook": {
        "org": "acme", "url": CI_URL, "exclusive": True}}])
    assert run.rc != 0 and "exclusive: only applies to the hooks list" in run.task("hooks")["msg"]


# -- issue 11 case 6: URLs that differ by a trailing slash or the host's case --------------------------


@pytest.mark.parametrize("written", ["https://CI.Acme.example/hook/", "https://ci.acme.example/hook/"])
@pytest.mark.parametrize("mode", ["single", "list"])
def test_a_url_differing_by_case_or_slash_updates_the_hook_in_place(ansible, sim, written, mode):
    if mode == "single":
        task = {"name": "hooks", "orgcode.github.github_org_hook": {
            "org": "acme", "url": written, "events": ["push", "pull_request"]}}
    else:
        task = hooks_task([ci(url=written)])
    check = ansible.play([task], check=True, diff=True)
    assert check.rc == 0 and check.changed == 1, check
    assert sim.writes() == []
    real = ansible.play([task], diff=True)
    assert real.rc == 0 and real.changed == 1, real
    assert real.task("hooks")["diff"] == check.task("hooks")["diff"]
    diff = real.task("hooks")["diff"]
    before, after = (diff["before"], diff["after"]) if mode == "single" else (
        diff["before"][written], diff["after"][written])
    assert (before["url"], after["url"]) == (CI_URL, written)
    assert before["id"] == after["id"] == 1
    assert writes(sim) == [("PATCH", "/orgs/acme/hooks/1/config")], "updated in place, not duplicated"
    (only,) = stored_hooks(sim)
    assert only["config"]["url"] == written and only["config"]["secret"] == STORED
    assert ansible.play([task]).changed == 0


@pytest.mark.parametrize("mode", ["single", "list"])
def test_several_hooks_matching_after_normalisation_need_hook_id(ansible, sim, state, mode):
    with_hooks(sim, state, {"id": 5, "url": CI_URL + "/", "events": ["push"], "active": True})
    if mode == "single":
        task = {"name": "hooks", "orgcode.github.github_org_hook": {"org": "acme", "url": CI_URL}}
        words = "url: 2 hooks of organization acme have this url (ids 1, 5); set hook_id to choose one"
    else:
        task = hooks_task([ci()])
        words = "hooks[0].url: 2 hooks of organization acme have this url (ids 1, 5)"
    run = ansible.play([task])
    assert run.rc != 0 and words in run.task("hooks")["msg"], run.task("hooks")["msg"]
    assert sim.writes() == []
