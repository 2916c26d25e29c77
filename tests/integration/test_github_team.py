"""github_team through ansible-playbook against the simulator: the end-to-end case.

The module's decisions (check mode against the real run, renames, parents, secret teams, absent, bad input,
GitHub's refusals) are tested in-process in tests/unit/plugins/modules/test_github_team.py; ``parent_team: null``
(the action plugin) in test_github_team_parent_null.py.
"""

from helpers import teams_of, with_teams


def team(**options):
    return {"name": "team", "orgcode.github.github_team": dict({"org": "acme"}, **options)}


def test_create_then_unchanged_in_one_get(ansible, sim, state):
    with_teams(sim, state)
    task = team(name="Web Crew", description="The web", privacy="closed", parent_team="platform",
                notification_setting="notifications_disabled")
    first = ansible.play([task], diff=True)
    assert first.rc == 0 and first.changed == 1, first
    result = first.task("team")
    assert result["team"]["slug"] == "web-crew" and result["team"]["parent"]["slug"] == "platform"
    assert result["diff"]["before"] == {"state": "absent"}
    assert result["diff"]["after"]["parent_team"] == "platform"
    assert result["actions"] == [{"kind": "team", "scope": "acme", "id": "web-crew", "action": "add",
                                  "verb": "create"}]
    created = teams_of(sim)["web-crew"]
    assert created["parent"] == "platform" and created["notification_setting"] == "notifications_disabled"
    assert created["members"] == {"Octo-Admin": "maintainer"}  # GitHub makes the creator a maintainer
    writes = [(w["method"], w["path"]) for w in sim.writes()]
    assert writes == [("POST", "/orgs/acme/teams")]

    sim.clear_log()
    again = ansible.play([task])
    assert again.rc == 0 and again.changed == 0, again
    assert len(sim.requests()) == 1 and sim.writes() == [], "an unchanged team costs one GET"
