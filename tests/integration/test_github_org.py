"""github_org through ansible-playbook against the simulator.

The end-to-end cases (what ansible-playbook shows, real pacing, the environment); the module's
behaviour is tested in-process in tests/unit/plugins/modules/test_github_org.py."""

import pytest
import requests
from harness import ADMIN_TOKEN


def org_task(**settings):
    return {"name": "settings", "orgcode.github.github_org": dict({"org": "acme"}, **settings)}


def test_check_mode_reports_change_and_sends_no_write(ansible, sim):
    task = org_task(billing_email="finance@acme.example", web_commit_signoff_required=True)
    check = ansible.play([task], check=True, diff=True)
    assert check.rc == 0, check
    assert check.changed == 1
    assert sim.writes() == []
    result = check.task("settings")
    assert result["organization"]["billing_email"] == "finance@acme.example"
    assert result["diff"]["before"] == {"billing_email": "billing@acme.example", "web_commit_signoff_required": False}
    assert result["diff"]["after"] == {"billing_email": "finance@acme.example", "web_commit_signoff_required": True}
    assert "finance@acme.example" in check.stdout  # --diff shows it to the reviewer

    real = ansible.play([task])
    assert real.changed == 1
    again = ansible.play([task], check=True)
    assert again.changed == 0


# -- issue 11 case 4: owner-only settings a token cannot see ---------------------------------------------

MEMBER_TOKEN = "ghp_test_member_token_0123456789abcdef"  # read-only-rita: a member of acme, not an owner
NOSCOPE_TOKEN = "ghp_test_noscope_token_0123456789abcde"  # an owner, but only read:org


@pytest.mark.parametrize("token", [MEMBER_TOKEN, NOSCOPE_TOKEN], ids=["not-owner", "no-admin-org"])
@pytest.mark.parametrize("check", [True, False], ids=["check", "real"])
def test_owner_only_setting_the_token_cannot_see_fails_before_any_write(ansible, sim, token, check):
    ansible.token = token
    run = ansible.play([org_task(description="Widgets since 1949", default_repository_permission="write",
                                 billing_email="x@acme.example")], check=check)
    assert run.rc != 0
    result = run.task("settings")
    msg = result["msg"]
    assert msg.startswith("billing_email, default_repository_permission: the token cannot see these settings of "
                          "organization acme"), msg
    assert "must belong to an owner and have the admin:org scope" in msg and "Administration" in msg
    assert result["hidden_settings"] == ["billing_email", "default_repository_permission"]
    assert result["changed"] is False
    assert "does not report" not in run.output  # no misleading "sent on every run" warning
    assert sim.writes() == []
    assert len(sim.requests()) == 1


def test_a_setting_github_does_not_return_even_to_an_owner_is_sent_with_a_warning(ansible, sim):
    # Like secret_scanning_push_protection_custom_link_enabled under API version 2026-03-10: the owner view
    # lacks the field, so it cannot be compared; it is sent on every run, and a warning says so.
    body = requests.get(sim.url + "/orgs/acme", headers={"Authorization": "Bearer " + ADMIN_TOKEN}).json()
    del body["secret_scanning_push_protection_custom_link_enabled"]
    sim.fault(method="GET", path="^/orgs/acme$", status=200, body=body)
    run = ansible.play([org_task(secret_scanning_push_protection_custom_link_enabled=True)])
    assert run.rc == 0 and run.changed == 1, run
    assert "GitHub does not report secret_scanning_push_protection_custom_link_enabled for organization acme" \
        in run.output
    assert [(w["method"], w["path"]) for w in sim.writes()] == [("PATCH", "/orgs/acme")]
