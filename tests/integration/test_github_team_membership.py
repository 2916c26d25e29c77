"""github_team_membership through ansible-playbook against the simulator: the end-to-end case.

The module's decisions (owners, absent, list mode and its guards, bad input, GitHub's refusals) are tested
in-process in tests/unit/plugins/modules/test_github_team_membership.py.
"""

from helpers import teams_of, with_teams


def member(**options):
    return {"name": "m", "orgcode.github.github_team_membership": dict({"org": "acme", "team": "platform"},
                                                                       **options)}


def named(name, task):
    return dict(task, name=name)


def test_one_user_add_change_invite_then_unchanged(ansible, sim, state):
    with_teams(sim, state)
    tasks = [named("rita", member(username="Read-Only-Rita")),
             named("alice", member(username="alice", role="member")),
             named("erin", member(username="erin", role="maintainer"))]
    check = ansible.play(tasks, check=True, diff=True)
    assert check.rc == 0 and check.changed == 3, check
    assert sim.writes() == []
    real = ansible.play(tasks, diff=True)
    assert real.rc == 0 and real.changed == 3, real
    for name in ("rita", "alice", "erin"):
        assert check.task(name)["diff"] == real.task(name)["diff"], name
        assert check.task(name)["actions"] == real.task(name)["actions"], name
    assert real.task("erin")["membership"]["state"] == "pending"  # not an org member: invited
    assert real.task("erin")["actions"][0]["verb"] == "invite"
    platform = teams_of(sim)["platform"]
    assert platform["members"] == {"Alice": "member", "bob": "member", "read-only-rita": "member"}
    assert platform["pending"] == {"erin": "maintainer"}
    acme = next(o for o in sim.state()["orgs"] if o["login"] == "acme")
    assert any(i["login"] == "erin" for i in acme["invitations"])

    sim.clear_log()
    again = ansible.play(tasks)
    assert again.rc == 0 and again.changed == 0, again
    assert sim.writes() == [] and len(sim.requests()) == 3, "one GET per unchanged membership"
