"""github_team's behaviour in-process, against the simulator.

Each task's module runs in this process (the ``ansible`` fixture of tests/unit/conftest.py); the end-to-end cases
through ansible-playbook (create -> unchanged, and ``parent_team: null`` which needs the action plugin) are in
tests/integration/test_github_team.py and test_github_team_parent_null.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from helpers import each_fails_before_any_write, teams_of, with_teams


def team(**options):
    return {"name": "team", "orgcode.github.github_team": dict({"org": "acme"}, **options)}


def test_check_mode_matches_the_real_run_and_writes_nothing(ansible, sim, state):
    with_teams(sim, state)
    tasks = [team(name="Web Crew", description="The web", parent_team="platform"),
             team(slug="platform-sre", name="Site Reliability", privacy="closed", description="SRE"),
             team(name="Security", privacy="closed", notification_setting="notifications_disabled")]
    check = ansible.play([dict(t, name=f"t{i}") for i, t in enumerate(tasks)], check=True, diff=True)
    assert check.rc == 0 and check.changed == 3, check
    assert sim.writes() == []
    real = ansible.play([dict(t, name=f"t{i}") for i, t in enumerate(tasks)], diff=True)
    assert real.rc == 0 and real.changed == 3, real
    for i in range(3):
        assert check.task(f"t{i}")["diff"] == real.task(f"t{i}")["diff"], i
        assert check.task(f"t{i}")["actions"] == real.task(f"t{i}")["actions"], i
    teams = teams_of(sim)
    assert teams["site-reliability"]["name"] == "Site Reliability" and "platform-sre" not in teams
    assert teams["site-reliability"]["members"] == {"dave": "member"}  # a rename keeps the team
    assert teams["security"]["privacy"] == "closed"
    # the rename already done: the old slug now finds the team by its new name
    sim.clear_log()
    again = ansible.play([dict(t, name=f"t{i}") for i, t in enumerate(tasks)])
    assert again.rc == 0 and again.changed == 0, again
    assert sim.writes() == []


def test_change_only_what_differs(ansible, sim, state):
    with_teams(sim, state)
    run = ansible.play([team(name="Platform", description="Platform engineering", privacy="closed",
                             notification_setting="notifications_disabled")], diff=True)
    assert run.rc == 0 and run.changed == 1, run
    result = run.task("team")
    assert result["actions"][0]["fields"] == ["notification_setting"]
    assert result["diff"]["before"]["notification_setting"] == "notifications_enabled"
    assert [(w["method"], w["path"]) for w in sim.writes()] == [("PATCH", "/orgs/acme/teams/platform")]


def test_parent_attach_and_detach(ansible, sim, state):
    with_teams(sim, state)
    run = ansible.play([team(name="Platform SRE", parent_team="")])
    assert run.rc == 0 and run.changed == 1, run
    assert teams_of(sim)["platform-sre"]["parent"] is None
    again = ansible.play([team(name="Platform SRE", parent_team="")])
    assert again.changed == 0
    back = ansible.play([team(name="Platform SRE", parent_team="Platform")])
    assert back.rc == 0 and back.changed == 1, back
    assert teams_of(sim)["platform-sre"]["parent"] == "platform"


def test_secret_teams_cannot_be_nested_fails_before_any_write(ansible, sim, state):
    with_teams(sim, state)
    cases = [team(name="Platform SRE", privacy="secret"),          # it has a parent
             team(name="Platform", privacy="secret"),              # it has a child
             team(name="New", privacy="secret", parent_team="platform"),
             team(name="Platform SRE", parent_team="security")]    # a secret parent
    for case in cases:
        run = ansible.play([case])
        assert run.rc != 0, case
        assert "secret teams cannot be nested" in run.task("team")["msg"], run.task("team")["msg"]
    assert sim.writes() == []


def test_absent_deletes_children_and_is_idempotent(ansible, sim, state):
    with_teams(sim, state)
    check = ansible.play([team(slug="platform", state="absent")], check=True, diff=True)
    assert check.rc == 0 and check.changed == 1 and sim.writes() == []
    assert check.task("team")["deleted_child_teams"] == ["platform-sre"]
    run = ansible.play([team(slug="platform", state="absent")], diff=True)
    assert run.rc == 0 and run.changed == 1, run
    assert run.task("team")["diff"] == check.task("team")["diff"]
    assert set(teams_of(sim)) == {"security"}
    again = ansible.play([team(slug="platform", state="absent")])
    assert again.rc == 0 and again.changed == 0


def test_bad_input_and_unknown_things(ansible, sim, state):
    with_teams(sim, state)
    bad = [(team(name="!!!"), "name:"), (team(slug="a b"), "slug:"), (team(name="X", privacy="public"), "privacy"),
           (team(slug="ghost"), "name: required to create a team"),
           (team(name="X", parent_team="ghost"), "parent_team: organization acme has no team 'ghost'"),
           ({"name": "team", "orgcode.github.github_team": {"org": "acme"}}, "one of the following is required"),
           ({"name": "team", "orgcode.github.github_team": {"org": "no-such-org", "name": "X"}},
            "org: organization 'no-such-org' was not found")]
    each_fails_before_any_write(ansible, sim, bad, "team")


def test_2026_03_10_never_sends_permission(ansible, sim, state):
    with_teams(sim, state)
    task = team(name="Modern", api_version="2026-03-10")
    run = ansible.play([task])
    assert run.rc == 0 and run.changed == 1, run
    assert "modern" in teams_of(sim)


def test_github_refusal_is_one_readable_message(ansible, sim, state):
    with_teams(sim, state)
    sim.fault(method="POST", path="^/orgs/acme/teams$", status=403,
              body={"message": "You must be an organization owner to create teams.",
                    "documentation_url": "https://docs.github.com/rest/teams/teams#create-a-team"})
    run = ansible.play([team(name="Denied")])
    assert run.rc != 0
    msg = run.task("team")["msg"]
    assert "POST /orgs/acme/teams" in msg and "403" in msg and "organization owner" in msg
    assert "Traceback" not in run.output
