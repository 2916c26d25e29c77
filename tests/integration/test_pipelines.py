"""The pipeline files under docs/pipelines/, run as documented against the simulator.

The documented path, for GitHub Actions and GitLab CI alike: export the organization with the installed
collection's playbook and commit the file; the scheduled drift check finds nothing; a pull request changes the
description and its plan is posted; the merge applies it; the drift check finds nothing again, and finds the
change somebody then makes on GitHub by hand; a broken pull request gets a plan that says it failed. Each job
runs its own commands as written in the file (the steps' ``run`` of a workflow job, the ``script`` of a GitLab
job; not the install steps: this checkout is the installed collection), with the variables the file gives it
and, as the only other input, the CI secrets the documentation names: the webhook secrets are those the
export lists at the top of the file. The merge request note goes to a stand-in of GitLab's notes API on
127.0.0.1, the pull request comment to a stand-in ``gh``.
"""

import json
import os
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml
from harness import BIN, ROOT

PIPELINES = ROOT / "docs" / "pipelines"
SAMPLE_STATE = ROOT / "tests" / "simulator" / "sample_org.yml"
SAMPLE_TOKEN = "ghp_demo_admin_token"
SAMPLE_CI_SECRET = "s3cr3t-ci-hook"  # the secret GitHub holds for the sample's CI webhook
CHAT_URL = "https://chat.acme.example/github/events"
CHAT_SECRET_NAME = "ORGCODE_HOOK_SECRET_CHAT_ACME_EXAMPLE_GITHUB_EVENTS"
NOTE_TOKEN = "glpat-note-token-0042"
KINDS = ("github-actions", "gitlab-ci")


def workflow():
    return yaml.safe_load((PIPELINES / "github-actions.yml").read_text())


def gitlab():
    return yaml.safe_load((PIPELINES / "gitlab-ci.yml").read_text())


def _github_steps():
    for job_name, job in workflow()["jobs"].items():
        for step in job["steps"]:
            if "ansible-playbook" in step.get("run", ""):
                yield job_name


def _gitlab_steps():
    pipeline = gitlab()
    for job_name in ("plan", "apply", "drift"):
        if any("ansible-playbook" in line for line in pipeline[job_name]["script"]):
            yield job_name


def test_pipeline_files_cover_plan_apply_and_drift():
    assert set(workflow()["on"]) >= {"pull_request", "push", "schedule"}
    assert sorted(_github_steps()) == ["apply", "drift", "plan"]
    assert sorted(_gitlab_steps()) == ["apply", "drift", "plan"]


def test_the_gitlab_note_uses_what_the_image_has_and_a_failed_post_fails_the_job():
    """python:3.12-slim has no curl; after_script cannot fail a job, and '|| true' would hide a failed post."""
    pipeline = gitlab()
    assert pipeline["image"].startswith("python:")
    text = (PIPELINES / "gitlab-ci.yml").read_text()
    commands = "\n".join(line for job in ("plan", "apply", "drift") for line in pipeline[job]["script"])
    assert "curl" not in commands and "|| true" not in text
    assert "after_script" not in pipeline["plan"] and "urllib.request" in commands


# -- stand-ins for the CI services -------------------------------------------------------------------------

class NotesAPI:
    """GitLab's ``POST /projects/:id/merge_requests/:iid/notes`` on 127.0.0.1: records each note, answers
    ``status`` (201, or an error the job must not hide)."""

    def __init__(self):
        self.notes = []
        self.status = 201
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                api.notes.append(dict(path=self.path, token=self.headers.get("PRIVATE-TOKEN"),
                                      body=json.loads(body.decode("utf-8"))["body"]))
                answer = json.dumps({"id": len(api.notes)} if api.status == 201 else {"message": "401 Unauthorized"})
                self.send_response(api.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer.encode("utf-8"))

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/api/v4" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


FAKE_GH = """#!%s
# Stand-in for the GitHub CLI: records `gh pr comment` calls and the body posted.
import json, os, sys
args = sys.argv[1:]
body = open(args[args.index("--body-file") + 1]).read() if "--body-file" in args else None
with open(os.environ["FAKE_GH_LOG"], "a") as log:
    log.write(json.dumps(dict(args=args, body=body)) + "\\n")
"""


class Job:
    def __init__(self, name, rc, output, checkout):
        self.name, self.rc, self.output, self.checkout = name, rc, output, checkout

    def report(self, name):
        """The plan file the job wrote, and its headline."""
        path = self.checkout / name
        assert path.exists(), "%s wrote no %s\n%s" % (self.name, name, self.output)
        text = path.read_text()
        return text, re.search(r"^\*\*(.*)\*\*$", text, re.MULTILINE).group(1)

    def __repr__(self):
        return "Job(%s, rc=%s)\n%s" % (self.name, self.rc, self.output)


class Pipeline:
    """Runs the jobs of one pipeline file in a checkout, as its CI service would (install steps left out)."""

    def __init__(self, kind, ansible, sim, checkout, tmp_path, ci_secrets):
        self.kind, self.ansible, self.sim, self.checkout = kind, ansible, sim, checkout
        self.ci_secrets = dict(ci_secrets)  # what the repository's CI settings hold, by name
        self.notes = NotesAPI() if kind == "gitlab-ci" else None
        self.gh_log = tmp_path / "gh.jsonl"
        tools = tmp_path / "ci-bin"
        tools.mkdir()
        (tools / "gh").write_text(FAKE_GH % sys.executable)
        (tools / "gh").chmod(0o755)
        self.path = os.pathsep.join([str(tools), str(BIN), os.environ.get("PATH", "")])

    def close(self):
        if self.notes:
            self.notes.close()

    def base_env(self):
        env = self.ansible.env({"GITHUB_API_URL": self.sim.url})  # as the commented GITHUB_API_URL line does
        for name in ("ANSIBLE_CALLBACKS_ENABLED", "ANSIBLE_CALLBACK_PLUGINS", "ORGCODE_RESULT_LOG"):
            env.pop(name, None)  # only what the pipeline file sets
        env["PATH"] = self.path
        return env

    def secret_names(self):
        """The CI secrets the file hands to its jobs (GitHub: ${{ secrets.NAME }}; GitLab: every CI/CD variable,
        those its header names)."""
        text = (PIPELINES / ("%s.yml" % self.kind)).read_text()
        if self.kind == "github-actions":
            return set(re.findall(r"\$\{\{ secrets\.([A-Z0-9_]+) \}\}", text))
        header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
        return set(re.findall(r"\b((?:ORGCODE_HOOK_SECRET_|GITHUB_TOKEN|GITLAB_NOTE_TOKEN)[A-Z0-9_]*)\b", header))

    def run(self, job_name, event):
        return self._github(job_name, event) if self.kind == "github-actions" else self._gitlab(job_name, event)

    def _shell(self, command, env):
        proc = subprocess.run(["bash", "-eo", "pipefail", "-c", command], cwd=str(self.checkout), env=env,
                              capture_output=True, text=True, timeout=600, check=False)
        return proc.returncode, proc.stdout + proc.stderr

    # GitHub Actions: the job's steps in order, a step with `if: always() && hashFiles(...)` after a failure.
    def _expression(self, match):
        expression = match.group(1).strip()
        if expression.startswith("secrets."):
            return self.ci_secrets.get(expression[len("secrets."):], "")  # an unset secret is ''
        known = {"github.token": "ghs_workflow_token", "github.event.pull_request.number": "42"}
        assert expression in known, "the test does not know ${{ %s }}" % expression
        return known[expression]

    def _resolve(self, values):
        return {name: re.sub(r"\$\{\{(.*?)\}\}", self._expression, str(value)) for name, value in values.items()}

    def _github(self, job_name, event):
        spec = workflow()
        job = spec["jobs"][job_name]
        assert event in re.findall(r"github\.event_name == '(\w+)'", job["if"]), (job_name, event)
        env = dict(self.base_env(), **self._resolve(spec["env"]), FAKE_GH_LOG=str(self.gh_log),
                   GITHUB_STEP_SUMMARY=str(self.checkout.parent / "step-summary.md"))
        rc, output = 0, ""
        for step in job["steps"]:
            if "run" not in step or "pip install" in step["run"]:
                continue  # actions/checkout, setup-python, the install: this checkout is the collection
            condition = step.get("if")
            if condition == "always()":
                pass
            elif condition:
                match = re.fullmatch(r"always\(\) && hashFiles\('([^']+)'\) != ''", condition)
                assert match, "the test does not know the condition %r" % condition
                if not (self.checkout / match.group(1)).exists():
                    continue
            elif rc:
                continue
            step_rc, step_output = self._shell(step["run"], dict(env, **self._resolve(step.get("env", {}))))
            output += "-- step %s\n%s" % (step.get("name"), step_output)
            rc = rc or step_rc
        return Job(job_name, rc, output, self.checkout)

    # GitLab CI: the job's script lines, one shell, with every CI/CD variable in the environment.
    def _gitlab(self, job_name, event):
        spec = gitlab()
        job = spec[job_name]
        assert ('$CI_PIPELINE_SOURCE == "%s"' % event) in job["rules"][0]["if"], (job_name, event)
        env = dict(self.base_env(), **{k: str(v) for k, v in spec["variables"].items()},
                   **{k: str(v) for k, v in job.get("variables", {}).items()})
        env.update(self.ci_secrets)
        env.update(CI_PROJECT_DIR=str(self.checkout), CI_API_V4_URL=self.notes.url, CI_PROJECT_ID="7",
                   CI_MERGE_REQUEST_IID="42", CI_PIPELINE_SOURCE=event)
        rc, output = self._shell("\n".join(job["script"]), env)
        return Job(job_name, rc, output, self.checkout)

    def posted(self):
        """The plans posted on the pull request, oldest first."""
        if self.notes:
            assert all(note["token"] == NOTE_TOKEN and note["path"] == "/api/v4/projects/7/merge_requests/42/notes"
                       for note in self.notes.notes)
            return [note["body"] for note in self.notes.notes]
        if not self.gh_log.exists():
            return []
        calls = [json.loads(line) for line in self.gh_log.read_text().splitlines()]
        assert all(call["args"][:3] == ["pr", "comment", "42"] for call in calls)
        return [call["body"] for call in calls]


def listed_secrets(text):
    """The webhook secrets the exported file says to set (the lines under its header comment)."""
    header = text.split("\norg_config_org:", 1)[0]
    return [line[4:].strip() for line in header.splitlines() if line.startswith("#   ORGCODE_")]


def acme(sim):
    return next(o for o in sim.state()["orgs"] if o["login"] == "acme")


@pytest.mark.parametrize("kind", KINDS)
def test_the_documented_path_on_an_exported_description(ansible, sim, tmp_path, kind):
    sim.reset(yaml.safe_load(SAMPLE_STATE.read_text()))
    checkout = tmp_path / "checkout"
    (checkout / "org").mkdir(parents=True)
    description = checkout / "org" / "acme.yml"

    # 1. Export with the installed collection's playbook, as the pipeline file's header says; commit the file.
    export_env = dict(ansible.env({"GITHUB_TOKEN": SAMPLE_TOKEN, "GITHUB_API_URL": sim.url}), PWD=str(checkout))
    export = subprocess.run(
        [str(BIN / "ansible-playbook"), "orgcode.github.export", "-e", "export_org=acme",
         "-e", "export_all_repositories=true", "-e", "export_file=%s" % description],
        cwd=str(checkout), env=export_env, capture_output=True, text=True, timeout=600, check=False)
    assert export.returncode == 0, export.stdout + export.stderr
    exported = description.read_text()
    names = listed_secrets(exported)
    assert names == ["ORGCODE_HOOK_SECRET_CI_ACME_EXAMPLE_GITHUB_WEBHOOK"]
    assert "vault_" not in exported

    # The repository's CI secrets: the token and the webhook secrets the export lists (and the one the pull request
    # below adds); the pipeline file must hand each one to its jobs.
    ci_secrets = {name: "ci-secret-value-%d" % index for index, name in enumerate(names + [CHAT_SECRET_NAME])}
    ci_secrets.update({"ORG_ADMIN_TOKEN" if kind == "github-actions" else "GITHUB_TOKEN": SAMPLE_TOKEN})
    if kind == "gitlab-ci":
        ci_secrets["GITLAB_NOTE_TOKEN"] = NOTE_TOKEN
    pipeline = Pipeline(kind, ansible, sim, checkout, tmp_path, ci_secrets)
    try:
        assert set(ci_secrets) <= pipeline.secret_names(), "the pipeline file does not pass every CI secret"
        secrets = set(ci_secrets.values()) | {SAMPLE_CI_SECRET}
        jobs = []

        def run(job_name, event):
            for name in ("plan.md", "plan.json", "applied.md", "drift.md"):
                (checkout / name).unlink(missing_ok=True)  # a fresh checkout for each job
            sim.clear_log()
            job = pipeline.run(job_name, event)
            jobs.append(job)
            return job

        # 2. The schedule: no drift on the description just exported (before: rc=2, a vault_* variable undefined).
        drift = run("drift", "schedule")
        assert drift.rc == 0, drift
        assert drift.report("drift.md")[1] == "No changes."
        assert sim.writes() == []

        # 3. A pull request: one setting changed, one webhook added with its secret from a CI secret.
        changed = re.sub(r"(?m)^  description: .*$", "  description: Makers of fine widgets and gadgets, planned in a "
                         "pipeline", exported, count=1)
        changed = changed.replace("org_config_hooks:\n", (
            "org_config_hooks:\n  - url: %s\n    events: [issues, release]\n"
            "    secret: \"{{ lookup('ansible.builtin.env', '%s') }}\"\n" % (CHAT_URL, CHAT_SECRET_NAME)))
        assert changed.count("planned in a pipeline") == 1 and CHAT_URL in changed
        description.write_text(changed)
        plan = run("plan", "pull_request" if kind == "github-actions" else "merge_request_event")
        assert plan.rc == 0, plan
        markdown, headline = plan.report("plan.md")
        assert headline == "Plan: 1 to add, 1 to change, 0 to remove."
        assert sim.writes() == []
        assert pipeline.posted() == [markdown]

        # 4. The merge: applied; the new webhook has the CI secret, the exported one keeps GitHub's (on_create).
        applied = run("apply", "push")
        assert applied.rc == 0, applied
        assert applied.report("applied.md")[1] == "Applied: 1 added, 1 changed, 0 removed."
        hooks = {hook["config"]["url"]: hook for hook in acme(sim)["hooks"]}
        assert hooks[CHAT_URL]["config"]["secret"] == ci_secrets[CHAT_SECRET_NAME]
        assert hooks["https://ci.acme.example/github/webhook"]["config"]["secret"] == SAMPLE_CI_SECRET
        assert acme(sim)["settings"]["description"].endswith("planned in a pipeline")

        # 5. The schedule again: no drift; then somebody changes a setting on GitHub by hand: drift, status 3.
        assert run("drift", "schedule").rc == 0
        state = sim.state()
        next(o for o in state["orgs"] if o["login"] == "acme")["settings"]["description"] = "Changed by hand"
        sim.reset(state)
        drift = run("drift", "schedule")
        assert drift.rc == 3, drift
        assert drift.report("drift.md")[1] == "Plan: 0 to add, 1 to change, 0 to remove."
        assert sim.writes() == []

        # 6. A broken pull request: the job fails, and the plan posted says so and why (not the last good one).
        description.write_text(changed.replace("  - {login: mona-member, role: member}\n",
                                               "  - {login: \"mona member\", role: member}\n"))
        broken = run("plan", "pull_request" if kind == "github-actions" else "merge_request_event")
        assert broken.rc == 2, broken
        markdown, headline = broken.report("plan.md")
        assert headline == "Plan failed: 1 task failed. No changes found before the failure."
        assert re.search(r"org_config_members\[\d+\]\.login: 'mona member' is not a valid GitHub login", markdown), \
            markdown
        assert pipeline.posted()[-1] == markdown and len(pipeline.posted()) == 2

        if kind == "gitlab-ci":
            # 7. The note cannot be posted (a revoked token): the job fails, though the plan itself passed.
            description.write_text(changed)
            pipeline.notes.status = 401
            refused = run("plan", "merge_request_event")
            assert refused.rc != 0, refused
            assert "Posting the plan on merge request !42 failed: HTTP Error 401" in refused.output
            assert "Traceback" not in refused.output
            assert refused.report("plan.md")[1] == "Plan: 0 to add, 1 to change, 0 to remove."
            assert pipeline.posted()[-1] == refused.report("plan.md")[0]  # it reached the API, which refused it

        shown = "".join(job.output for job in jobs) + "".join(pipeline.posted())
        shown += "".join((checkout / name).read_text() for name in ("plan.md", "plan.json", "drift.md", "applied.md")
                         if (checkout / name).exists())
        for secret in secrets:
            assert secret not in shown
    finally:
        pipeline.close()


@pytest.mark.parametrize("kind", KINDS)
def test_without_a_plan_file_the_post_says_the_plan_failed(ansible, sim, tmp_path, kind):
    """ansible-playbook stopped before its plan (a missing collection, say): the pull request still learns it."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    pipeline = Pipeline(kind, ansible, sim, checkout, tmp_path, {"GITLAB_NOTE_TOKEN": NOTE_TOKEN})
    try:
        if kind == "github-actions":
            [post] = [step for step in workflow()["jobs"]["plan"]["steps"] if "gh pr comment" in step.get("run", "")]
            env = dict(pipeline.base_env(), **pipeline._resolve(post["env"]), FAKE_GH_LOG=str(pipeline.gh_log))
            rc, output = pipeline._shell(post["run"], env)
        else:
            [post] = [line for line in gitlab()["plan"]["script"] if "urllib" in line]
            env = dict(pipeline.base_env(), GITLAB_NOTE_TOKEN=NOTE_TOKEN, CI_API_V4_URL=pipeline.notes.url,
                       CI_PROJECT_ID="7", CI_MERGE_REQUEST_IID="42")
            rc, output = pipeline._shell("status=4\n" + post, env)
        assert rc == 0, output
        [posted] = pipeline.posted()
        assert posted.startswith("### orgcode.github plan failed\n\n**")
    finally:
        pipeline.close()
