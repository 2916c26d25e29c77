"""github_org's behaviour against the simulator, in-process.

Each task's module runs in-process (the ``ansible`` fixture of tests/unit/conftest.py); the
end-to-end cases through ansible-playbook are in tests/integration/test_github_org.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import requests
from harness import ADMIN_TOKEN


def org_task(**settings):
    return {"name": "settings", "orgcode.github.github_org": dict({"org": "acme"}, **settings)}


def test_changes_only_the_differing_settings_in_one_patch(ansible, sim):
    task = org_task(description="Widgets since 1949", default_repository_permission="write",
                    members_can_create_repositories=False)
    first = ansible.play([task])
    assert first.rc == 0, first
    assert first.changed == 1
    result = first.task("settings")
    assert result["changed_settings"] == ["default_repository_permission", "members_can_create_repositories"]
    assert result["organization"]["default_repository_permission"] == "write"
    writes = sim.writes()
    assert [(w["method"], w["path"]) for w in writes] == [("PATCH", "/orgs/acme")]
    acme = next(o for o in sim.state()["orgs"] if o["login"] == "acme")
    assert acme["settings"]["default_repository_permission"] == "write"
    assert acme["settings"]["members_can_create_repositories"] is False

    sim.clear_log()
    second = ansible.play([task])
    assert second.rc == 0 and second.changed == 0, second
    assert sim.writes() == []
    assert len(sim.requests()) == 1, "an unchanged run costs exactly one GET"


def test_patch_body_carries_only_changed_fields(ansible, sim, tmp_path):
    # The simulator's log does not keep bodies; the module result names exactly what was sent.
    run = ansible.play([org_task(name="ACME Corp", company="ACME", location="Shelbyville")])
    assert run.rc == 0, run
    assert run.task("settings")["changed_settings"] == ["location"]
    assert run.task("settings")["organization"]["location"] == "Shelbyville"
    assert run.task("settings")["organization"]["company"] == "ACME"


def test_empty_string_matches_a_missing_value(ansible, sim, state):
    state["orgs"][0]["settings"]["location"] = None
    sim.reset(state)
    run = ansible.play([org_task(location="")])
    assert run.rc == 0 and run.changed == 0, run


def test_unknown_org_is_one_readable_message(ansible, sim):
    run = ansible.play([{"name": "settings", "orgcode.github.github_org": {"org": "no-such-org", "name": "x"}}])
    assert run.rc != 0
    result = run.task("settings")
    assert "org: organization 'no-such-org' was not found" in result["msg"]
    assert "Traceback" not in run.output
    assert sim.writes() == []


def test_invalid_choice_fails_before_any_request(ansible, sim):
    run = ansible.play([org_task(default_repository_permission="owner")])
    assert run.rc != 0
    assert "default_repository_permission" in run.task("settings")["msg"]
    assert sim.requests() == []


def test_github_422_comes_back_with_its_errors(ansible, sim):
    sim.fault(method="PATCH", path="^/orgs/acme$", status=422,
              body={"message": "Validation Failed", "errors": [
                  {"resource": "Organization", "field": "billing_email", "code": "invalid"}],
                  "documentation_url": "https://docs.github.com/rest/orgs/orgs#update-an-organization"})
    run = ansible.play([org_task(billing_email="not-an-email")])
    assert run.rc != 0
    msg = run.task("settings")["msg"]
    assert "PATCH /orgs/acme failed: HTTP 422: Validation Failed" in msg
    assert "billing_email invalid" in msg
    assert "docs.github.com" in msg


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
