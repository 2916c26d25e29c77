"""Credentials in a webhook URL (issue 23, item 4), end to end through ansible-playbook against the simulator.

A hook ``https://ci-bot:PASSWORD@jenkins.../?token=TOKEN`` is planned and created at ``-vvv --diff`` with the plan
callback, exported with playbooks/export.yml, applied back from the export (no change) and audited with
playbooks/audit.yml. Neither the password nor the token value shows in any output, task result, plan file,
exported file or audit report (the harness checks every run's output and results; the files are read here), and
the hook is shown everywhere as ``https://ci-bot:********@jenkins.../?token=********``.
"""

import json
import re

import yaml
from harness import ROOT

PLAYBOOKS = ROOT / "playbooks"
PASSWORD = "Sup3rPassw0rd"
TOKEN = "Tk-0a1b2c3d4e5f-do-not-leak"
URL = "https://ci-bot:%s@jenkins.acme.example/github-webhook/?token=%s&job=acme" % (PASSWORD, TOKEN)
SHOWN = "https://ci-bot:********@jenkins.acme.example/github-webhook/?token=********&job=acme"
URL_VARIABLE = "ORGCODE_HOOK_URL_JENKINS_ACME_EXAMPLE_GITHUB_WEBHOOK"
CALLBACKS = "orgcode_result_log,orgcode.github.plan"


def hook_task(events):
    # The URL comes from the environment, as a vaulted or environment variable would: never written in the play.
    return {"name": "Jenkins webhook", "orgcode.github.github_org_hook": {
        "org": "acme", "url": "{{ lookup('ansible.builtin.env', 'JENKINS_HOOK_URL') }}", "events": events,
        "insecure_ssl": True}}


def clean(text, where):
    assert PASSWORD not in text and TOKEN not in text, "a credential of the URL in %s" % where


def test_a_webhook_url_with_credentials_never_shows_them_anywhere(ansible, sim):
    ansible.secrets.update({PASSWORD, TOKEN})  # every run's stdout, stderr and results are checked for them
    work = ansible.workdir
    plan_files = {"ORGCODE_PLAN_MARKDOWN": str(work / "plan.md"), "ORGCODE_PLAN_JSON": str(work / "plan.json")}
    env = dict(plan_files, ANSIBLE_CALLBACKS_ENABLED=CALLBACKS, JENKINS_HOOK_URL=URL, PWD=str(work),
               GITHUB_TOKEN=ansible.token, GITHUB_API_URL=sim.url)
    files = []

    def read(name):
        text = (work / name).read_text()
        clean(text, name)
        files.append(text)
        return text

    # 1. Plan (check mode), apply, change the events: -vvv --diff with the plan callback.
    for check, events, line in ((True, ["push"], "+ %s: create (push)" % SHOWN),
                                (False, ["push"], "+ %s: create (push)" % SHOWN),
                                (False, ["push", "pull_request"], "~ %s: update [events]" % SHOWN)):
        run = ansible.play([hook_task(events)], check=check, diff=True, verbosity=3, env=env)
        assert run.rc == 0 and run.changed == 1, run
        result = run.task("Jenkins webhook")
        assert result["hook"]["url"] == SHOWN and result["diff"]["after"]["url"] == SHOWN
        assert SHOWN in run.output  # the invocation and the diff show the hook, redacted
        assert line in read("plan.md") and line in run.output
        assert [c["id"] for c in json.loads(read("plan.json"))["changes"]] == [SHOWN]
    stored = [h for h in sim.state()["orgs"][0]["hooks"] if h["config"]["url"] == URL]
    assert len(stored) == 1 and stored[0]["events"] == ["push", "pull_request"]

    # 2. Export: the URL is a variable to define, like a secret.
    sim.clear_log()
    export = ansible.run(PLAYBOOKS / "export.yml", verbosity=3, env=env,
                         extra_args=["-e", "export_org=acme", "-e", "export_file=%s" % (work / "acme.yml")])
    assert export.rc == 0, export
    assert sim.writes() == []
    exported = read("acme.yml")
    assert "********" not in exported and "ci-bot" not in exported
    assert "#   %s\n" % URL_VARIABLE in exported
    reference = "{{ lookup('ansible.builtin.env', '%s') }}" % URL_VARIABLE
    jenkins = [h for h in yaml.safe_load(exported)["org_config_hooks"] if h["url"] == reference]
    assert len(jenkins) == 1 and jenkins[0]["events"] == ["pull_request", "push"] and "hook_id" not in jenkins[0]

    # 3. Apply the export with the variables defined: nothing to change, in check mode and for real.
    variables = sorted(set(re.findall(r"lookup\('ansible.builtin.env', '(ORGCODE_HOOK_[A-Z0-9_]+)'\)", exported)))
    values = dict((name, "secret-value-%d" % index) for index, name in enumerate(variables))
    values[URL_VARIABLE] = URL
    for check in (True, False):
        sim.clear_log()
        applied = ansible.run(PLAYBOOKS / "apply.yml", check=check, diff=True, verbosity=3, env=dict(env, **values),
                              extra_args=["-e", "org_file=%s" % (work / "acme.yml"), "-e", "org_config_write_delay=0"])
        assert applied.rc == 0 and applied.changed == 0, applied
        assert sim.writes() == []
        assert "**No changes.**" in read("plan.md")

    # 4. Audit: the hook has no secret and skips TLS verification; the reports show it redacted.
    audit = ansible.run(PLAYBOOKS / "audit.yml", verbosity=3, env=env)
    assert audit.rc == 0, audit
    report = json.loads(read("audit-acme.json"))
    assert SHOWN in [h["url"] for h in report["hooks_without_secret"]]
    assert SHOWN in [h["url"] for h in report["hooks_insecure_ssl"]]
    assert "- %s (id %s" % (SHOWN, stored[0]["id"]) in read("audit-acme.md")
    assert "Webhooks with insecure_ssl: %s" % SHOWN in audit.output
    assert len(files) == 11
