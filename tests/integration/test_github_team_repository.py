"""github_team_repository through ansible-playbook against the simulator: the end-to-end case.

The module's decisions (absent, inherited access, list mode and its guards, bad input, GitHub's refusals) are
tested in-process in tests/unit/plugins/modules/test_github_team_repository.py.
"""

from helpers import named, team_access, teams_of, with_team_repositories


def perm(sim, login, repo="widgets"):
    # what the team gives its members, as GET .../collaborators/{u}/permission reports it
    import requests
    resp = requests.get(f"{sim.url}/repos/acme/{repo}/collaborators/{login}/permission", timeout=10,
                        headers={"Authorization": "Bearer ghp_test_admin_token_0123456789abcdef"})
    return resp.json()["role_name"]


def test_grant_change_custom_then_unchanged(ansible, sim, state):
    with_team_repositories(sim, state)
    tasks = [named("gadgets", team_access(repo="gadgets", permission="triage")),
             named("widgets", team_access(repo="acme/widgets", permission="maintain")),
             named("custom", team_access(team="security", repo="widgets", permission="Security-Reviewer"))]
    check = ansible.play(tasks, check=True, diff=True)
    assert check.rc == 0 and check.changed == 3, check
    assert sim.writes() == []
    real = ansible.play(tasks, diff=True)
    assert real.rc == 0 and real.changed == 3, real
    for name in ("gadgets", "widgets", "custom"):
        assert check.task(name)["diff"] == real.task(name)["diff"], name
        assert check.task(name)["actions"] == real.task(name)["actions"], name
    assert real.task("widgets")["diff"]["before"] == {"repository": "widgets", "role_name": "write"}
    teams = teams_of(sim)
    assert teams["platform"]["repos"] == {"acme/widgets": "maintain", "acme/gadgets": "triage"}
    assert teams["security"]["repos"] == {"acme/widgets": "security-reviewer"}
    assert perm(sim, "dave") == "maintain"  # a member of the child team Platform SRE inherits it

    sim.clear_log()
    again = ansible.play(tasks)
    assert again.rc == 0 and again.changed == 0, again
    assert sim.writes() == [] and len(sim.requests()) == 3, "one GET per unchanged grant"
