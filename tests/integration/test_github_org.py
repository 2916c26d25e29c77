"""github_org through ansible-playbook against the simulator.

The end-to-end cases (what ansible-playbook shows, real pacing, the environment); the module's
behaviour is tested in-process in tests/unit/plugins/modules/test_github_org.py."""


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
