"""`make demo`: the example playbooks against the bundled GitHub API simulator.

Starts the simulator with the sample organization (tests/simulator/sample_org.yml), then runs
playbooks/apply.yml (the role orgcode.github.org_config with playbooks/vars/apply.yml) three times:
under --check --diff (what would change, no write sent), for real, and again (changed=0); then
playbooks/audit.yml, which writes its JSON and Markdown reports to build/demo/. Prints the request
counts from the simulator's log and where the reports went, then stops the simulator.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
sys.path.insert(0, str(TESTS))

from harness import collections_path  # noqa: E402
from simulator.control import Simulator  # noqa: E402

SAMPLE = TESTS / "simulator" / "sample_org.yml"
REPORTS = ROOT / "build" / "demo"


def banner(text):
    print("\n" + "=" * 78 + "\n== " + text + "\n" + "=" * 78, flush=True)


def plan_headline(output):
    """The first line of the plan the orgcode.github.plan callback printed."""
    match = re.search(r"ORGCODE\.GITHUB PLAN \**\n(.+)", output)
    return match.group(1).strip() if match else "(no plan printed)"


def run(env, playbook, *args):
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), str(ROOT / "playbooks" / playbook), *args]
    print("$ " + " ".join(["ansible-playbook", "playbooks/" + playbook, *args]), flush=True)
    proc = subprocess.run(cmd, env=env, cwd=str(ROOT), check=False, capture_output=True, text=True)
    print(proc.stdout + proc.stderr, flush=True)
    if proc.returncode != 0:
        raise SystemExit("demo failed: ansible-playbook %s exited with %d" % (playbook, proc.returncode))
    recap = re.search(r"^localhost\s*:.*changed=(\d+)", proc.stdout, re.MULTILINE)
    print("plan: %s" % plan_headline(proc.stdout), flush=True)
    return int(recap.group(1))


def counts(sim):
    return "requests=%d, write requests=%d" % (len(sim.requests()), len(sim.writes()))


def main():
    REPORTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="orgcode-demo-") as scratch, Simulator(SAMPLE) as sim:
        env = dict(os.environ)
        env.update(
            GITHUB_API_URL=sim.url,
            GITHUB_TOKEN="ghp_demo_admin_token",
            # The webhook secrets the description reads: the new webhook's (never printed), and the existing CI
            # webhook's (sent only if it were created).
            ORGCODE_HOOK_SECRET_CHAT_ACME_EXAMPLE_GITHUB_EVENTS="demo-chat-hook-secret",
            ORGCODE_HOOK_SECRET_CI_ACME_EXAMPLE_GITHUB_WEBHOOK="s3cr3t-ci-hook",
            ANSIBLE_COLLECTIONS_PATH=collections_path(scratch),
            ANSIBLE_LOCALHOST_WARNING="0",
            ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
            ANSIBLE_PYTHON_INTERPRETER=sys.executable,
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_CALLBACKS_ENABLED="orgcode.github.plan",  # the plan summary at the end of each run
            ANSIBLE_HOME=str(Path(scratch) / "ansible_home"),
            PWD=str(REPORTS),  # audit.yml writes its reports to the current directory: build/demo/
        )
        print("GitHub API simulator with the sample organization 'acme' at %s" % sim.url)
        print("Organization description: playbooks/vars/apply.yml")

        banner("1. Review: apply.yml --check --diff shows what would change and sends no write")
        sim.clear_log()
        would = run(env, "apply.yml", "--check", "--diff")
        print("check mode: changed=%d, %s" % (would, counts(sim)))
        assert not sim.writes(), "check mode sent a write"

        banner("2. Apply")
        sim.clear_log()
        did = run(env, "apply.yml")
        print("apply: changed=%d, %s" % (did, counts(sim)))

        banner("3. Apply again: nothing left to change")
        sim.clear_log()
        again = run(env, "apply.yml")
        print("second apply: changed=%d, %s" % (again, counts(sim)))
        if again != 0 or would != did:
            raise SystemExit("demo failed: expected the check run to match the apply and a second run changed=0")

        banner("4. Audit: 2FA, webhooks, invitations (changes nothing)")
        sim.clear_log()
        run(env, "audit.yml")
        print("audit: %s" % counts(sim))
        if sim.writes():
            raise SystemExit("demo failed: the audit sent a write request")
        report = json.loads((REPORTS / "audit-acme.json").read_text())
    banner("Demo done: check=%d changes, apply=%d changes, second apply=0 changes. Simulator stopped." % (would, did))
    print("Audit report: %s (Markdown: %s)" % (REPORTS / "audit-acme.json", REPORTS / "audit-acme.md"))
    print("  members without 2FA: %s; with insecure 2FA: %s" % (
        ", ".join(u["login"] for u in report["members_2fa_disabled"]) or "none",
        ", ".join(u["login"] for u in report["members_2fa_insecure"]) or "none"))
    print("  outside collaborators without 2FA: %s; with insecure 2FA: %s" % (
        ", ".join(u["login"] for u in report["outside_collaborators_2fa_disabled"]) or "none",
        ", ".join(u["login"] for u in report["outside_collaborators_2fa_insecure"]) or "none"))
    print("  webhooks without a secret: %s" % (", ".join(h["url"] for h in report["hooks_without_secret"]) or "none"))


if __name__ == "__main__":
    main()
