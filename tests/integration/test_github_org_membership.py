"""github_org_membership through ansible-playbook against the simulator.

The end-to-end cases (what ansible-playbook shows, real pacing, the environment); the module's
behaviour is tested in-process in tests/unit/plugins/modules/test_github_org_membership.py."""


def membership(username, **options):
    return {"name": "membership",
            "orgcode.github.github_org_membership": dict({"org": "acme", "username": username}, **options)}


def test_check_mode_matches_real_run_and_writes_nothing(ansible, sim):
    tasks = [membership("erin", role="admin"),
             dict(membership("alice", role="admin"), name="promote"),
             dict(membership("bob", state="absent"), name="remove"),
             dict(membership("dave"), name="unchanged")]
    check = ansible.play(tasks, check=True, diff=True)
    assert check.rc == 0, check
    assert sim.writes() == []
    assert check.changed == 3
    invited = check.task("membership")["membership"]
    assert invited["state"] == "pending" and invited["role"] == "admin" and invited["user"]["login"] == "erin"
    assert check.task("remove")["diff"] == {"before": {"state": "active", "role": "member", "login": "bob"},
                                            "after": {"state": "absent"}}
    assert "state" in check.stdout and "absent" in check.stdout  # the diff is shown

    real = ansible.play(tasks)
    assert real.changed == check.changed
    assert [r["result"]["changed"] for r in real.results] == [r["result"]["changed"] for r in check.results]
