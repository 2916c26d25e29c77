"""github_team's action plugin (plugins/action/github_team.py): ``parent_team: null`` detaches the team.

The argument spec alone cannot tell an explicit null from an option that is not set; the action plugin sees the
task's arguments, so these cases run through ansible-playbook (the in-process tests of tests/unit call the
module's ``main()`` without action plugins). They share one play, one team per case, run in check mode, for real
and again, to keep the ansible-playbook runs few. Its connection comes from the play's module_defaults: the
group's api_url with a token that GitHub refuses, and github_team's own defaults with the admin token, so the
play also shows that the group's defaults still reach the module and that a module's own defaults win.
"""

from helpers import TEAMS, teams_of, with_teams

BAD_TOKEN = "ghp_not_a_known_token_0123456789abcdef"

# case -> (team, parent_team as the task writes it): an explicit null, however written, detaches the team
DETACH = {"null": ("Child Null", None), "empty string": ("Child Empty", ""),
          "template of none": ("Child Template", "{{ none }}")}
# case -> (team, task options): parent_team not set leaves the parent
KEEP = {"no key": ("Child No Key", {}), "omit": ("Child Omit", {"parent_team": "{{ omit }}"})}
TOP_LEVEL = "top-level team, parent_team null"


def slug(name):
    return name.lower().replace(" ", "-")


def team(case, **options):
    return {"name": case, "orgcode.github.github_team": dict({"org": "acme"}, **options)}


def tasks():
    return ([team(case, name=name, parent_team=parent) for case, (name, parent) in DETACH.items()]
            + [team(case, name=name, description="SRE", **options) for case, (name, options) in KEEP.items()]
            + [team(TOP_LEVEL, name="Platform", parent_team=None)])


def playbook(ansible, module_token):
    play = ansible.playbook(tasks())
    play[0]["module_defaults"]["group/orgcode.github.github"]["token"] = BAD_TOKEN
    if module_token:
        play[0]["module_defaults"]["orgcode.github.github_team"] = {"token": module_token}
    return play


def setup(sim, state):
    children = [{"name": name, "parent": "platform", "members": {"dave": "member"}}
                for name, _dummy in list(DETACH.values()) + list(KEEP.values())]
    with_teams(sim, state, [dict(t) for t in TEAMS] + children)


def test_parent_team_null_detaches_not_set_keeps_in_check_mode_as_for_real(ansible, sim, state):
    setup(sim, state)
    play = playbook(ansible, ansible.token)  # github_team's own token over the group's (refused) one
    changing = list(DETACH) + list(KEEP)
    check = ansible.run(play, check=True, diff=True)
    assert check.rc == 0 and check.changed == len(changing), check
    assert sim.writes() == []
    # a top-level team with parent_team: null is unchanged, for one GET (one per task in check mode)
    assert check.task(TOP_LEVEL)["changed"] is False
    assert len(sim.requests()) == len(changing) + 1

    sim.clear_log()
    real = ansible.run(play, diff=True)
    assert real.rc == 0 and real.changed == len(changing), real
    assert real.task(TOP_LEVEL)["changed"] is False
    for case in changing:
        assert check.task(case)["diff"] == real.task(case)["diff"], case
    teams = teams_of(sim)
    for case, (name, _dummy) in DETACH.items():
        result = real.task(case)
        assert result["diff"]["before"]["parent_team"] == "platform", case
        assert result["diff"]["after"]["parent_team"] is None, case
        assert result["actions"][0]["verb"] == "update parent_team", case
        assert teams[slug(name)]["parent"] is None, case
    for case, (name, _dummy) in KEEP.items():
        result = real.task(case)
        assert result["diff"]["after"]["parent_team"] == "platform", case
        assert result["actions"][0]["verb"] == "update description", case
        assert teams[slug(name)]["parent"] == "platform", case
    # one PATCH per changed team, nothing else
    assert sorted((w["method"], w["path"]) for w in sim.writes()) == sorted(
        ("PATCH", "/orgs/acme/teams/" + slug(name)) for name, _dummy in list(DETACH.values()) + list(KEEP.values()))

    sim.clear_log()
    again = ansible.run(play)
    assert again.rc == 0 and again.changed == 0, again
    assert len(sim.requests()) == len(changing) + 1 and sim.writes() == [], "an unchanged team costs one GET"


def test_the_group_defaults_reach_the_module_through_the_action_plugin(ansible, sim, state):
    setup(sim, state)
    play = playbook(ansible, None)
    play[0]["tasks"] = [team(TOP_LEVEL, name="Platform", parent_team=None)]
    failed = ansible.run(play)
    # the group's api_url and (refused) token reached the module: GitHub's 401
    assert sim.requests()
    assert failed.rc != 0 and "401" in str(failed.task(TOP_LEVEL)), failed.task(TOP_LEVEL)
