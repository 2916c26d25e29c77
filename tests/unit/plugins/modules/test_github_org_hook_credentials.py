"""github_org_hook with credentials in a delivery URL (issue 23, item 4): the password of the URL's user info and
credential-like query values never show in results, diffs, ``actions``, errors or the ``invocation`` Ansible
echoes at ``-vvv``; the hook is still found, compared and shown by its redacted URL."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
from helpers import hook, stored, with_hooks, writes

PASSWORD = "Sup3rPassw0rd"
TOKEN = "tok-9f8e7d6c5b4a"
NEW_PASSWORD = "N3wPassw0rd-rotated"
CRED_URL = "https://ci-bot:%s@jenkins.acme.example/github-webhook/?token=%s&job=gh" % (PASSWORD, TOKEN)
SHOWN = "https://ci-bot:********@jenkins.acme.example/github-webhook/?token=********&job=gh"
GITHUB_PASSWORD = "Gh-st0red-pw-only-on-github"  # in a hook the task does not name
GITHUB_URL = "https://deploy:%s@deploy.acme.example/hook" % GITHUB_PASSWORD
GITHUB_SHOWN = "https://deploy:********@deploy.acme.example/hook"


@pytest.fixture
def ansible(ansible):
    ansible.secrets.update({PASSWORD, TOKEN, NEW_PASSWORD, GITHUB_PASSWORD})
    return ansible


def nowhere(result, *secrets):
    text = json.dumps(result)
    for secret in secrets or (PASSWORD, TOKEN, NEW_PASSWORD, GITHUB_PASSWORD):
        assert secret not in text


def test_create_check_then_real_then_unchanged_shows_only_the_redacted_url(ansible, sim):
    task = hook(CRED_URL, events=["push"])
    check = ansible.play([task], check=True, diff=True, verbosity=3)
    real = ansible.play([task], diff=True, verbosity=3)
    for run in (check, real):
        assert run.rc == 0 and run.changed == 1, run
        result = run.task("hook")
        assert result["hook"]["url"] == SHOWN and result["hook"]["config"]["url"] == SHOWN
        assert result["diff"]["after"]["url"] == SHOWN
        assert result["actions"] == [dict(kind="hook", scope="acme", id=SHOWN, action="add", verb="create",
                                          **{"from": None, "to": ["push"]})]
        assert result["invocation"]["module_args"]["url"] == SHOWN  # masked by Ansible: still recognisable
        nowhere(result)
    created = stored(sim, real.task("hook")["hook"]["id"])
    assert created["config"]["url"] == CRED_URL  # GitHub gets the real URL

    sim.clear_log()
    again = ansible.play([task], diff=True)
    assert again.rc == 0 and again.changed == 0, again  # compared with the stored URL, not the shown one
    assert sim.writes() == []


def test_update_and_url_change_by_hook_id_never_show_either_password(ansible, sim, state):
    with_hooks(sim, state, {"id": 1, "url": CRED_URL, "content_type": "json", "secret": None,
                            "insecure_ssl": "0", "events": ["push"], "active": True})
    events = ansible.play([hook(CRED_URL, events=["push", "release"])], diff=True)
    assert events.rc == 0 and events.changed == 1, events
    result = events.task("hook")
    assert result["changed_settings"] == ["events"]
    assert result["diff"]["before"]["url"] == SHOWN == result["diff"]["after"]["url"]
    assert result["actions"][0]["id"] == SHOWN
    nowhere(result)

    new_url = CRED_URL.replace(PASSWORD, NEW_PASSWORD)
    moved = ansible.play([hook(new_url, hook_id=1, events=["push", "release"])], diff=True, verbosity=3)
    assert moved.rc == 0 and moved.changed == 1, moved
    result = moved.task("hook")
    assert result["changed_settings"] == ["url"] and result["hook"]["url"] == SHOWN
    nowhere(result)
    assert writes(sim)[-1] == ("PATCH", "/orgs/acme/hooks/1/config")
    assert stored(sim, 1)["config"]["url"] == new_url

    gone = ansible.play([hook(new_url, state="absent")], diff=True)
    assert gone.rc == 0 and gone.changed == 1, gone
    assert gone.task("hook")["actions"][0]["id"] == SHOWN and gone.task("hook")["diff"]["before"]["url"] == SHOWN
    nowhere(gone.task("hook"))


def test_a_hook_read_from_github_is_shown_redacted_in_the_list_mode(ansible, sim, state):
    state["orgs"][0]["hooks"].append({"id": 7, "url": GITHUB_URL, "content_type": "json", "insecure_ssl": "0",
                                      "events": ["push"], "active": True})
    sim.reset(state)
    listed = [{"url": "https://ci.acme.example/hook", "events": ["push", "pull_request"]},
              {"url": CRED_URL, "events": ["push"]}]
    kept = ansible.play([{"name": "hooks", "orgcode.github.github_org_hook": {
        "org": "acme", "hooks": listed, "write_delay": 0}}], diff=True, verbosity=3)
    assert kept.rc == 0 and kept.changed == 1, kept
    result = kept.task("hooks")
    assert result["changes"]["created"] == [SHOWN] and result["diff"]["after"][SHOWN]["url"] == SHOWN
    assert [h["url"] for h in result["unlisted"]] == [GITHUB_SHOWN]
    assert result["invocation"]["module_args"]["hooks"][1]["url"] == SHOWN
    nowhere(result)

    removed = ansible.play([{"name": "hooks", "orgcode.github.github_org_hook": {
        "org": "acme", "hooks": listed, "write_delay": 0, "exclusive": True}}], diff=True)
    assert removed.rc == 0 and removed.changed == 1, removed
    result = removed.task("hooks")
    assert result["changes"]["removed"] == ["hook 7 (%s)" % GITHUB_SHOWN]
    assert [a["id"] for a in result["actions"]] == [GITHUB_SHOWN]
    assert result["diff"]["before"]["hook 7 (%s)" % GITHUB_SHOWN]["url"] == GITHUB_SHOWN
    nowhere(result)


@pytest.mark.parametrize("options, words", [
    ({"url": CRED_URL.replace("https://", "ftp://")},
     "url: 'ftp://ci-bot:********@jenkins.acme.example/github-webhook/?token=********&job=gh' is not an absolute"),
    ({"url": CRED_URL, "events": ["pull_requests"]}, "events[0]: 'pull_requests' is not a GitHub event name"),
    ({"url": CRED_URL, "hooks": [{"url": CRED_URL}]}, "parameters are mutually exclusive"),
    ({"url": None, "hooks": [{"url": CRED_URL}, {"url": CRED_URL}]},
     "hooks[1].url: %s is already listed as hooks[0].url" % SHOWN),
])
def test_errors_and_the_invocation_of_a_failure_show_the_redacted_url(ansible, sim, options, words):
    task = hook(**options)
    args = task["orgcode.github.github_org_hook"]
    if args["url"] is None:
        del args["url"]
        del args["events"]
    run = ansible.play([task], verbosity=3)
    assert run.rc != 0
    result = run.task("hook")
    assert words in result["msg"], result["msg"]
    nowhere(result)
    assert sim.requests() == []


def test_github_echoing_the_url_in_an_error_is_masked(ansible, sim):
    sim.fault(method="POST", path="^/orgs/acme/hooks$", status=422, times=1,
              body={"message": "Validation Failed", "documentation_url": "https://docs.github.com",
                    "errors": [{"resource": "Hook", "field": "url", "code": "custom",
                                "message": "%s is not reachable" % CRED_URL}]})
    run = ansible.play([hook(CRED_URL, events=["push"])], verbosity=3)
    assert run.rc != 0
    result = run.task("hook")
    assert SHOWN + " is not reachable" in result["msg"], result["msg"]
    nowhere(result)
