"""github_org_info through ansible-playbook against the simulator (state_acme.yml).

The end-to-end cases (what ansible-playbook shows, real pacing, the environment); the module's
behaviour is tested in-process in tests/unit/plugins/modules/test_github_org_info.py."""

import json

import pytest
from harness import ADMIN_TOKEN

HOOK_SECRET = "hook-secret-do-not-leak"  # hook 1's secret in state_acme.yml


def info(name="info", **options):
    return {"name": name, "orgcode.github.github_org_info": dict({"org": "acme"}, **options)}


def acme(state):
    return next(o for o in state["orgs"] if o["login"] == "acme")


def test_a_hook_secret_or_its_mask_never_appears(ansible, sim):
    run = ansible.play([info(gather=["hooks"])], diff=True, verbosity=3)
    assert run.rc == 0, run
    dumped = json.dumps(run.results)
    for text in (HOOK_SECRET, ADMIN_TOKEN):
        assert text not in run.output and text not in dumped
    assert '"********"' not in dumped and "': '********'" not in run.output  # nor the mask GitHub sends
    assert "secret" not in run.task("info")["hooks"][0]


TEAMS = [
    {"name": "Platform", "privacy": "closed", "members": {"alice": "maintainer", "bob": "member"},
     "repos": {"widgets": "write"}},
    {"name": "Platform SRE", "parent": "platform", "members": {"dave": "maintainer"}, "repos": {"gadgets": "admin"}},
    {"name": "Security", "privacy": "secret", "members": {"read-only-rita": "member"}, "repos": {"widgets": "admin"}},
]


@pytest.mark.parametrize("flavour", ["github.com", "ghes"])
def test_teams_end_to_end_in_one_plus_three_requests_per_team(ansible, sim, state, flavour):
    acme(state)["teams"] = [dict(t) for t in TEAMS]
    sim.reset(state)
    run = ansible.play([info(gather=["teams"])], check=True, diff=True)
    assert run.rc == 0 and run.changed == 0, run
    teams = {t["slug"]: t for t in run.task("info")["teams"]}
    assert list(teams) == ["platform", "platform-sre", "security"]
    assert teams["platform"]["parent"] is None and teams["platform-sre"]["parent"] == "platform"
    assert teams["platform"]["members"] == [{"login": "Alice", "role": "maintainer"},
                                            {"login": "bob", "role": "member"}]
    # dave maintains the child team: the parent shows him as a member, through the child team.
    assert teams["platform"]["child_team_members"] == [{"login": "dave", "role": "member",
                                                        "child_teams": ["platform-sre"]}]
    assert teams["platform-sre"]["maintainers"] == ["dave"]
    assert teams["security"]["privacy"] == "secret" and teams["security"]["maintainers"] == []
    assert teams["security"]["repositories"] == [{"name": "widgets", "role_name": "admin", "permission": "admin"}]
    assert run.task("info")["api"]["requests"] == len(sim.requests()) == 1 + 3 * 3
    assert sim.writes() == []
