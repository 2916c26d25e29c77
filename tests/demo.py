"""`make demo`: the example playbooks against the bundled GitHub API simulator.

Starts the simulator with the sample organization (tests/simulator/sample_org.yml), then runs
playbooks/quickstart.yml three times: under --check --diff (what would change, no write sent),
for real, and again (changed=0). Prints the request counts from the simulator's log, then
stops the simulator.
"""

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
PLAYBOOK = ROOT / "playbooks" / "quickstart.yml"


def banner(text):
    print("\n" + "=" * 78 + "\n== " + text + "\n" + "=" * 78, flush=True)


def run(env, *args):
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), str(PLAYBOOK), *args]
    print("$ " + " ".join(["ansible-playbook", "playbooks/quickstart.yml", *args]), flush=True)
    proc = subprocess.run(cmd, env=env, cwd=str(ROOT), capture_output=True, text=True)
    print(proc.stdout + proc.stderr, flush=True)
    if proc.returncode != 0:
        raise SystemExit("demo failed: ansible-playbook exited with %d" % proc.returncode)
    recap = re.search(r"^localhost\s*:.*changed=(\d+)", proc.stdout, re.MULTILINE)
    return int(recap.group(1))


def main():
    with tempfile.TemporaryDirectory(prefix="orgcode-demo-") as scratch, Simulator(SAMPLE) as sim:
        env = dict(os.environ)
        env.update(
            GITHUB_API_URL=sim.url,
            GITHUB_TOKEN="ghp_demo_admin_token",
            ANSIBLE_COLLECTIONS_PATH=collections_path(scratch),
            ANSIBLE_LOCALHOST_WARNING="0",
            ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
            ANSIBLE_PYTHON_INTERPRETER=sys.executable,
            ANSIBLE_NOCOLOR="1",
        )
        print("GitHub API simulator with the sample organization 'acme' at %s" % sim.url)

        banner("1. Review: --check --diff shows what would change and sends no write")
        sim.clear_log()
        would = run(env, "--check", "--diff")
        print("check mode: changed=%d, requests=%d, write requests=%d"
              % (would, len(sim.requests()), len(sim.writes())))
        assert not sim.writes(), "check mode sent a write"

        banner("2. Apply")
        sim.clear_log()
        did = run(env)
        print("apply: changed=%d, requests=%d, write requests=%d" % (did, len(sim.requests()), len(sim.writes())))

        banner("3. Apply again: nothing left to change")
        sim.clear_log()
        again = run(env)
        print("second apply: changed=%d, requests=%d, write requests=%d"
              % (again, len(sim.requests()), len(sim.writes())))
        if again != 0 or would != did:
            raise SystemExit("demo failed: expected the check run to match the apply and a second run changed=0")
    banner("Demo done: check=%d changes, apply=%d changes, second apply=0 changes. Simulator stopped." % (would, did))


if __name__ == "__main__":
    main()
