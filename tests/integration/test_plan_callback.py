"""The plan callback (orgcode.github.plan): summary line, grouped lines, Markdown and JSON files, the drift
exit status, failed runs. The pipeline files under docs/pipelines/ run in tests/integration/test_pipelines.py."""

import json
import re

import pytest
import yaml
from harness import ROOT

SAMPLE_STATE = ROOT / "tests" / "simulator" / "sample_org.yml"
SAMPLE_TOKEN = "ghp_demo_admin_token"
HOOK_SECRET = "plan-hook-secret-7731"
CALLBACKS = "orgcode_result_log,orgcode.github.plan"


def plan_env(tmp_path, **extra):
    env = {"ANSIBLE_CALLBACKS_ENABLED": CALLBACKS,
           "ORGCODE_PLAN_MARKDOWN": str(tmp_path / "plan.md"),
           "ORGCODE_PLAN_JSON": str(tmp_path / "plan.json")}
    env.update(extra)
    return env


def plan_block(output):
    """The text the callback printed after its banner."""
    match = re.search(r"ORGCODE\.GITHUB PLAN \**\n(.*?)(?:\n\nPLAY RECAP|\Z)", output, re.DOTALL)
    assert match, "no plan printed:\n" + output
    return match.group(1).strip()


def org_tasks():
    """One task per module and list mode, each with one change from the base state (state_acme.yml)."""
    return [
        {"name": "settings", "orgcode.github.github_org": {"org": "acme", "location": "Shelbyville"}},
        {"name": "members", "orgcode.github.github_org_membership": {
            "org": "acme", "write_delay": 0,
            "members": [{"login": "octo-admin", "role": "admin"}, {"login": "alice", "role": "admin"},
                        {"login": "bob"}, {"login": "dave"}, {"login": "read-only-rita"}, {"login": "carol"},
                        {"login": "erin"}]}},
        {"name": "one member", "orgcode.github.github_org_membership": {
            "org": "acme", "username": "frank"}},
        {"name": "outside", "orgcode.github.github_outside_collaborator": {
            "org": "acme", "username": "outsider-olga", "state": "absent"}},
        {"name": "hook", "orgcode.github.github_org_hook": {
            "org": "acme", "url": "https://plan.example.com/hook", "events": ["push", "release"],
            "secret": HOOK_SECRET}},
        {"name": "collaborator", "orgcode.github.github_repo_collaborator": {
            "owner": "acme", "repo": "widgets", "username": "erin", "permission": "maintain"}},
        {"name": "not ours", "ansible.builtin.debug": {"msg": "ignored by the plan"}},
    ]


def test_check_plan_then_applied_then_no_changes(ansible, sim, tmp_path):
    ansible.secrets.add(HOOK_SECRET)
    check = ansible.play(org_tasks(), check=True, env=plan_env(tmp_path))
    assert check.rc == 0, check
    assert sim.writes() == []
    text = plan_block(check.output)
    first = text.splitlines()[0]
    data = json.loads((tmp_path / "plan.json").read_text())
    assert data["mode"] == "check" and data["drift"] is True
    assert first == data["headline"]
    counts = data["summary"]
    assert first == "Plan: %d to add, %d to change, %d to remove." % (counts["add"], counts["change"],
                                                                      counts["remove"])
    by_task = {}
    for change in data["changes"]:
        by_task.setdefault(change["task"], []).append(change)
    assert set(by_task) == {"settings", "members", "one member", "outside", "hook", "collaborator"}
    assert [(c["kind"], c["id"], c["action"], c.get("from"), c.get("to")) for c in by_task["settings"]] == [
        ("settings", "location", "change", "Springfield", "Shelbyville")]
    members = {(c["id"].lower(), c["action"], c["verb"]) for c in by_task["members"]}
    assert members == {("alice", "change", "role"), ("erin", "add", "invite")}
    assert [(c["kind"], c["id"].lower(), c["action"]) for c in by_task["one member"]] == [("member", "frank", "add")]
    assert [(c["kind"], c["id"].lower(), c["action"]) for c in by_task["outside"]] == [
        ("outside_collaborator", "outsider-olga", "remove")]
    assert [(c["kind"], c["id"], c["action"]) for c in by_task["hook"]] == [
        ("hook", "https://plan.example.com/hook", "add")]
    assert [(c["kind"], c["scope"], c["id"].lower(), c["action"], c.get("to")) for c in by_task["collaborator"]] == [
        ("repo_collaborator", "acme/widgets", "erin", "add", "maintain")]
    assert counts == {"add": 4, "change": 2, "remove": 1, "failed": 0}
    # Grouped text: one title per kind, one line per change.
    for title in ("Organization settings (acme)", "Members (acme)", "Outside collaborators (acme)",
                  "Webhooks (acme)", "Repository access (acme/widgets)"):
        assert title in text.splitlines(), text
    assert "  ~ location: set (Springfield -> Shelbyville)" in text
    markdown = (tmp_path / "plan.md").read_text()
    assert "**%s**" % first in markdown and "#### Members (`acme`)" in markdown
    assert "ignored by the plan" not in text

    real = ansible.play(org_tasks(), env=plan_env(tmp_path))
    assert real.rc == 0, real
    applied = json.loads((tmp_path / "plan.json").read_text())
    assert applied["mode"] == "apply" and applied["drift"] is False
    assert applied["summary"] == counts
    assert plan_block(real.output).splitlines()[0] == "Applied: 4 added, 2 changed, 1 removed."
    strip = [(c["task"], c["kind"], c["id"].lower(), c["action"]) for c in data["changes"]]
    assert [(c["task"], c["kind"], c["id"].lower(), c["action"]) for c in applied["changes"]] == strip

    again = ansible.play(org_tasks(), check=True, env=plan_env(tmp_path))
    assert plan_block(again.output) == "No changes."
    assert json.loads((tmp_path / "plan.json").read_text())["changes"] == []
    for path in ("plan.md", "plan.json"):
        assert HOOK_SECRET not in (tmp_path / path).read_text()


def test_list_modes_report_every_member_and_collaborator(ansible, sim, tmp_path):
    tasks = [
        {"name": "members", "orgcode.github.github_org_membership": {
            "org": "acme", "write_delay": 0, "exclusive": True,
            "members": [{"login": "octo-admin", "role": "admin"}, {"login": "alice"}, {"login": "erin"},
                        {"login": "frank", "role": "admin"}]}},
    ]
    check = ansible.play(tasks, check=True, env=plan_env(tmp_path))
    assert check.rc == 0, check
    data = json.loads((tmp_path / "plan.json").read_text())
    lines = {(c["id"].lower(), c["action"], c["verb"]) for c in data["changes"]}
    assert ("erin", "add", "invite") in lines and ("frank", "add", "invite") in lines
    assert {(login, action) for login, action, _verb in lines if action == "remove"} >= {("bob", "remove")}
    assert ("carol", "remove", "cancel invitation") in lines
    assert data["summary"]["add"] == 2 and data["summary"]["remove"] == len(
        [1 for _l, action, _v in lines if action == "remove"])


def test_collaborator_and_hook_lists_report_each_change(ansible, sim, tmp_path):
    tasks = [
        {"name": "collaborators", "orgcode.github.github_repo_collaborator": {
            "owner": "acme", "repo": "widgets", "write_delay": 0, "exclusive": True,
            "collaborators": [{"login": "alice", "permission": "admin"}, {"login": "outsider-olga",
                                                                          "permission": "triage"},
                              {"login": "erin", "permission": "push"}]}},
        {"name": "hooks", "orgcode.github.github_org_hook": {
            "org": "acme", "write_delay": 0, "exclusive": True,
            "hooks": [{"url": "https://ci.acme.example/hook", "events": ["push"]},
                      {"url": "https://new.example.com/hook", "events": ["release"]}]}},
    ]
    check = ansible.play(tasks, check=True, env=plan_env(tmp_path))
    assert check.rc == 0, check
    assert sim.writes() == []
    data = json.loads((tmp_path / "plan.json").read_text())
    got = sorted((c["task"], c["kind"], c["id"].lower(), c["action"], c["verb"]) for c in data["changes"])
    assert got == sorted([
        ("collaborators", "repo_collaborator", "outsider-olga", "change", "role"),
        ("collaborators", "repo_collaborator", "erin", "add", "invite"),
        ("collaborators", "repo_collaborator", "frank", "remove", "cancel invitation"),
        ("hooks", "hook", "https://ci.acme.example/hook", "change", "update"),
        ("hooks", "hook", "https://new.example.com/hook", "add", "create"),
    ])
    hook_update = next(c for c in data["changes"] if c["kind"] == "hook" and c["action"] == "change")
    assert hook_update["fields"] == ["events"]
    real = ansible.play(tasks, env=plan_env(tmp_path))
    assert real.rc == 0, real
    applied = json.loads((tmp_path / "plan.json").read_text())
    assert sorted((c["task"], c["kind"], c["id"].lower(), c["action"], c["verb"]) for c in applied["changes"]) == got


def test_failure_is_listed_and_not_drift(ansible, sim, tmp_path):
    tasks = [{"name": "bad org", "orgcode.github.github_org": {"org": "no-such-org", "location": "x"}}]
    run = ansible.play(tasks, check=True, env=plan_env(tmp_path, ORGCODE_PLAN_DRIFT_EXIT_CODE="3"))
    assert run.rc == 2, run
    text = plan_block(run.output)
    assert text.splitlines()[0] == "Plan failed: 1 task failed. No changes found before the failure."
    assert "Failures" in text and "! bad org: " in text
    data = json.loads((tmp_path / "plan.json").read_text())
    assert data["failed"] is True and data["drift"] is False


def test_a_failure_after_changes_heads_the_plan(ansible, sim, tmp_path):
    tasks = [{"name": "settings", "orgcode.github.github_org": {"org": "acme", "location": "Shelbyville"}},
             {"name": "bad org", "orgcode.github.github_org": {"org": "no-such-org", "location": "x"}}]
    check = ansible.play(tasks, check=True, env=plan_env(tmp_path, ORGCODE_PLAN_DRIFT_EXIT_CODE="3"))
    assert check.rc == 2, check  # a failure is never reported as drift
    assert plan_block(check.output).splitlines()[0] == (
        "Plan failed: 1 task failed. Before the failure: 0 to add, 1 to change, 0 to remove.")
    markdown = (tmp_path / "plan.md").read_text()
    assert markdown.startswith("### orgcode.github plan failed\n")
    real = ansible.play(tasks, env=plan_env(tmp_path))
    assert real.rc == 2, real
    assert plan_block(real.output).splitlines()[0] == (
        "Apply failed: 1 task failed. Applied before the failure: 0 added, 1 changed, 0 removed.")


# A description the role refuses before any request (its validation runs ansible.builtin tasks, not this
# collection's modules), with a webhook secret that must not reach the plan.
INVALID_DESCRIPTION = """---
org_config_org: acme
org_config_members:
  - {login: "not a login!"}
org_config_hooks:
  - url: https://chat.acme.example/github/events
    events: [issues]
    secret: "{{ lookup('ansible.builtin.env', 'PLAN_TEST_HOOK_SECRET') }}"
  - url: ftp://files.acme.example/hook
"""


@pytest.mark.parametrize("check", [True, False], ids=["check", "apply"])
def test_a_run_that_fails_validation_writes_a_failed_plan(ansible, sim, tmp_path, check):
    """No task of the collection runs: the plan files still say the run failed, and why, without a secret."""
    sim.reset(yaml.safe_load(SAMPLE_STATE.read_text()))
    description = tmp_path / "acme.yml"
    description.write_text(INVALID_DESCRIPTION)
    ansible.secrets.update({SAMPLE_TOKEN, HOOK_SECRET})
    run = ansible.run(ROOT / "playbooks" / "apply.yml", check=check, extra_args=["-e", "org_file=%s" % description],
                      env=plan_env(tmp_path, GITHUB_TOKEN=SAMPLE_TOKEN, GITHUB_API_URL=sim.url,
                                   PLAN_TEST_HOOK_SECRET=HOOK_SECRET, ORGCODE_PLAN_DRIFT_EXIT_CODE="3"))
    assert run.rc == 2, run
    assert sim.requests() == []
    headline = "%s failed: 1 task failed. %s" % (
        ("Plan", "No changes found before the failure.") if check else ("Apply", "Nothing applied before the failure."))
    assert plan_block(run.output).splitlines()[0] == headline
    data = json.loads((tmp_path / "plan.json").read_text())
    assert data["failed"] is True and data["headline"] == headline and data["mode"] == ("check" if check else "apply")
    assert data["summary"] == {"add": 0, "change": 0, "remove": 0, "failed": 1}
    [failure] = data["failures"]
    assert failure["task"].startswith("orgcode.github.org_config : ")
    assert "org_config_members[0].login" in failure["msg"] and "org_config_hooks[1].url" in failure["msg"]
    markdown = (tmp_path / "plan.md").read_text()
    assert markdown.startswith("### orgcode.github %s failed\n" % ("plan" if check else "apply"))
    assert "**%s**" % headline in markdown and "org_config_members[0].login" in markdown
    for path in ("plan.md", "plan.json"):
        assert HOOK_SECRET not in (tmp_path / path).read_text()


def test_a_run_that_fails_before_any_task_of_the_collection_writes_a_failed_plan(ansible, sim, tmp_path):
    run = ansible.run(ROOT / "playbooks" / "apply.yml", check=True,
                      extra_args=["-e", "org_file=%s" % (tmp_path / "missing.yml")],
                      env=plan_env(tmp_path, GITHUB_TOKEN=SAMPLE_TOKEN, GITHUB_API_URL=sim.url))
    assert run.rc == 2, run
    data = json.loads((tmp_path / "plan.json").read_text())
    assert data["failed"] is True and data["mode"] == "check"
    [failure] = data["failures"]
    assert failure["task"] == "Load the organization description" and "missing.yml" in failure["msg"]
    assert "\n" not in failure["msg"]


def test_a_no_log_failure_stays_hidden_and_an_ignored_one_is_not_listed(ansible, sim, tmp_path):
    tasks = [
        {"name": "ignored", "ansible.builtin.fail": {"msg": "not a problem"}, "ignore_errors": True},
        {"name": "secret failure", "no_log": True,
         "ansible.builtin.fail": {"msg": "the value is {{ lookup('ansible.builtin.env', 'PLAN_TEST_SECRET') }}"}},
    ]
    # allow_secrets: ansible-core 2.19 itself prints a no_log task's failure message in its "[ERROR]: Task
    # failed" line; the plan files are this callback's and must not.
    run = ansible.play(tasks, env=plan_env(tmp_path, PLAN_TEST_SECRET=HOOK_SECRET), allow_secrets=True)
    assert run.rc == 2, run
    assert HOOK_SECRET not in plan_block(run.output)
    data = json.loads((tmp_path / "plan.json").read_text())
    assert [(f["task"], f["msg"]) for f in data["failures"]] == [
        ("secret failure", "the output of this task is hidden (no_log)")]
    for path in ("plan.md", "plan.json"):
        assert HOOK_SECRET not in (tmp_path / path).read_text()


def test_a_playbook_without_the_collection_that_succeeds_prints_no_plan(ansible, sim, tmp_path):
    run = ansible.play([{"name": "not ours", "ansible.builtin.debug": {"msg": "hello"}}], env=plan_env(tmp_path))
    assert run.rc == 0, run
    assert "ORGCODE.GITHUB PLAN" not in run.output
    assert not (tmp_path / "plan.md").exists() and not (tmp_path / "plan.json").exists()


@pytest.mark.parametrize("location, expected_rc", [("Shelbyville", 3), ("Springfield", 0)])
def test_drift_exit_status(ansible, sim, tmp_path, location, expected_rc):
    tasks = [{"name": "settings", "orgcode.github.github_org": {"org": "acme", "location": location}}]
    run = ansible.play(tasks, check=True, env=plan_env(tmp_path, ORGCODE_PLAN_DRIFT_EXIT_CODE="3"))
    assert run.rc == expected_rc, run
    assert sim.writes() == []
    # A real run never turns changes into a drift status.
    real = ansible.play(tasks, env=plan_env(tmp_path, ORGCODE_PLAN_DRIFT_EXIT_CODE="3"))
    assert real.rc == 0, real


def test_team_modules_report_teams_members_and_repositories(ansible, sim, state, tmp_path):
    from helpers import with_teams

    with_teams(sim, state)
    tasks = [
        {"name": "team", "orgcode.github.github_team": {"org": "acme", "name": "Web Crew", "privacy": "closed"}},
        {"name": "team members", "orgcode.github.github_team_membership": {
            "org": "acme", "team": "platform", "write_delay": 0, "exclusive": True,
            "members": [{"login": "alice", "role": "maintainer"}, {"login": "read-only-rita"}]}},
        {"name": "team repos", "orgcode.github.github_team_repository": {
            "org": "acme", "team": "platform", "write_delay": 0,
            "repositories": [{"name": "widgets", "permission": "admin"}, {"name": "gadgets", "permission": "pull"}]}},
    ]
    check = ansible.play(tasks, check=True, env=plan_env(tmp_path))
    assert check.rc == 0, check
    assert sim.writes() == []
    data = json.loads((tmp_path / "plan.json").read_text())
    got = sorted((c["kind"], c["scope"], c["id"].lower(), c["action"]) for c in data["changes"])
    assert got == sorted([
        ("team", "acme", "web-crew", "add"),
        ("team_member", "acme/platform", "bob", "remove"),
        ("team_member", "acme/platform", "read-only-rita", "add"),
        ("team_repository", "acme/platform", "widgets", "change"),
        ("team_repository", "acme/platform", "gadgets", "add"),
    ])
    text = plan_block(check.output)
    for title in ("Teams (acme)", "Team members (acme/platform)", "Team repository access (acme/platform)"):
        assert title in text.splitlines(), text
    real = ansible.play(tasks, env=plan_env(tmp_path))
    assert real.rc == 0, real
    applied = json.loads((tmp_path / "plan.json").read_text())
    assert sorted((c["kind"], c["scope"], c["id"].lower(), c["action"]) for c in applied["changes"]) == got
