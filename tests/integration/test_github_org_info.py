"""github_org_info through ansible-playbook against the simulator (state_acme.yml).

The end-to-end cases (what ansible-playbook shows, real pacing, the environment); the module's
behaviour is tested in-process in tests/unit/plugins/modules/test_github_org_info.py."""

import json

from harness import ADMIN_TOKEN

HOOK_SECRET = "hook-secret-do-not-leak"  # hook 1's secret in state_acme.yml


def info(name="info", **options):
    return {"name": name, "orgcode.github.github_org_info": dict({"org": "acme"}, **options)}


def acme(state):
    return next(o for o in state["orgs"] if o["login"] == "acme")


def test_a_hook_secret_or_its_mask_never_appears(ansible, sim):
    run = ansible.play([info(gather=["hooks"])], diff=True, verbosity=3)
    assert run.rc == 0, run
    dumped = json.dumps(run.results)
    for text in (HOOK_SECRET, ADMIN_TOKEN):
        assert text not in run.output and text not in dumped
    assert '"********"' not in dumped and "': '********'" not in run.output  # nor the mask GitHub sends
    assert "secret" not in run.task("info")["hooks"][0]
