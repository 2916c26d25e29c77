"""github_outside_collaborator through ansible-playbook against the simulator.

The end-to-end cases (what ansible-playbook shows, real pacing, the environment); the module's
behaviour is tested in-process in tests/unit/plugins/modules/test_github_outside_collaborator.py."""


def outside(username, name="outside", **options):
    return {"name": name,
            "orgcode.github.github_outside_collaborator": dict({"org": "acme", "username": username}, **options)}


def org_state(sim, login="acme"):
    return next(o for o in sim.state()["orgs"] if o["login"] == login)


def members(sim):
    return {k.lower(): v for k, v in org_state(sim)["members"].items()}


def writes(sim):
    return [(w["method"], w["path"], w["status"]) for w in sim.writes()]


def test_check_mode_matches_the_real_run_and_writes_nothing(ansible, sim):
    tasks = [outside("alice", name="convert"),
             outside("outsider-oscar", name="remove", state="absent"),
             outside("outsider-olga", name="keep"),
             outside("bob", name="member absent", state="absent")]
    check = ansible.play(tasks, check=True, diff=True)
    assert check.rc == 0, check
    assert sim.writes() == []
    assert [r["result"]["changed"] for r in check.results] == [True, True, False, False]
    assert check.task("convert")["outside_collaborator"] is True
    assert check.task("convert")["conversion"] == "completed"
    assert check.task("remove")["outside_collaborator"] is False
    assert "outside collaborator" in check.stdout  # the diff is shown

    real = ansible.play(tasks, diff=True)
    assert real.rc == 0, real
    assert [r["result"]["changed"] for r in real.results] == [True, True, False, False]
    for name in ("convert", "remove", "keep", "member absent"):
        assert real.task(name)["diff"] == check.task(name)["diff"]
        assert real.task(name)["outside_collaborator"] == check.task(name)["outside_collaborator"]
