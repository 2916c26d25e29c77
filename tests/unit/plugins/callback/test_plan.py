"""The plan callback (plugins/callback/plan.py) in-process: URLs with credentials are redacted in whatever it
prints or writes, whatever a task returned (issue 23, item 4). The end-to-end cases are in
tests/integration/test_plan_callback.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.orgcode.github.plugins.callback.plan import CallbackModule

PASSWORD = "Sup3rPassw0rd"
TOKEN = "tok-9f8e7d6c5b4a"
URL = "https://ci-bot:%s@jenkins.acme.example/github-webhook/?token=%s" % (PASSWORD, TOKEN)
SHOWN = "https://ci-bot:********@jenkins.acme.example/github-webhook/?token=********"


class Task:
    check_mode = True

    def __init__(self, name, action):
        self.name, self.action, self.resolved_action = name, action, action

    def get_name(self):
        return self.name


class Result:
    def __init__(self, name, data, action="orgcode.github.github_org_hook"):
        self._task = Task(name, action)
        self._result = data


def test_every_url_the_plan_shows_or_writes_is_redacted():
    callback = CallbackModule()
    callback.v2_runner_on_ok(Result("Hook %s" % URL, {"changed": True, "actions": [
        dict(kind="hook", scope="acme", id=URL, action="add", verb="create", to=["push"]),
        dict(kind="settings", scope="acme", id="blog", action="change", verb="set", **{"from": URL, "to": [URL]}),
    ]}))
    callback.v2_runner_on_failed(Result("other", {"failed": True, "msg": "POST %s failed: '%s' refused" % (URL, URL)}))
    plan = callback.plan
    shown = plan.as_text() + plan.as_markdown() + json.dumps(plan.as_json())
    assert PASSWORD not in shown and TOKEN not in shown
    assert "+ %s: create (push)" % SHOWN in plan.as_text()
    assert "blog: set (%s -> %s)" % (SHOWN, SHOWN) in plan.as_text()
    assert "! other: POST %s failed: '%s' refused" % (SHOWN, SHOWN) in plan.as_text()
    assert [change["task"] for change in plan.as_json()["changes"]] == ["Hook %s" % SHOWN] * 2
