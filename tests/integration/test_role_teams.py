"""roles/org_config: org_config_teams (issue 17, item 6) through ansible-playbook against the simulator.

The organization starts from tests/integration/state_acme.yml with three teams (Platform, its child Platform
SRE, and the secret Security). Every case runs the role under ``--check --diff`` and then for real from the same
state: check mode sends no write and reports, task by task, the same ``changed``, diff and list changes as the
real run, whose writes are the ones predicted. A second real run changes nothing at the request floor.
"""

from helpers import TEAMS
from test_role_cross_section import diff_entries, outcome, writes_of
from test_role_org_config import apply, fails_alone_before_any_request

# Listed child first: the role creates Frontend Guild before Web Crew under it.
DESCRIPTION = [
    {"name": "Web Crew", "parent_team": "frontend-guild", "description": "The web",
     "members": [{"login": "Alice", "role": "maintainer"}, {"login": "@bob"}],
     "repositories": [{"name": "widgets", "permission": "push"}, {"name": "acme/gadgets", "permission": "pull"}]},
    {"name": "Frontend Guild", "privacy": "closed", "members": [{"login": "dave"}]},
    {"name": "Platform", "members": [{"login": "alice", "role": "maintainer"}, {"login": "bob", "role": "maintainer"},
                                     {"login": "erin"}],  # erin is no member: invited to the organization
     "repositories": [{"name": "widgets", "permission": "maintain"}, {"name": "gadgets", "permission": "pull"}]},
    {"slug": "platform-sre", "name": "Platform SRE", "parent_team": None},  # null: detached from Platform
    {"name": "Security", "state": "absent"},
]


def with_teams(sim, state, teams=None):
    state["orgs"][0]["teams"] = [dict(t) for t in (TEAMS if teams is None else teams)]
    sim.reset(state)
    return state


def teams_of(sim):
    """The simulator's teams by slug, their repositories by name (the simulator keys them ``owner/name``), members by
    lower-case login."""
    acme = next(o for o in sim.state()["orgs"] if o["login"] == "acme")
    return {t["slug"]: dict(t, repos={k.split("/")[-1]: v for k, v in (t.get("repos") or {}).items()},
                            members={k.lower(): v for k, v in (t.get("members") or {}).items()})
            for t in acme.get("teams", [])}


def role_vars(teams, **more):
    return dict({"org_config_org": "acme", "org_config_write_delay": 0, "org_config_teams": teams}, **more)


def failures(run):
    """The failed tasks' messages (and their failed items'), for an assertion's message."""
    return [(r["task"], r["result"].get("msg"), [i.get("msg") for i in r["result"].get("results", [])])
            for r in run.results if r["status"] == "failed"]


def check_then_real(ansible, sim, state, variables):
    """The role under --check --diff, then for real, from the same state: same outcome, the predicted writes."""
    sim.reset(state)
    check = apply(ansible, variables, check=True, diff=True)
    assert check.rc == 0, failures(check)
    assert sim.writes() == [], "check mode wrote"
    assert "Traceback" not in check.output
    predicted = outcome(check.results)
    sim.reset(state)
    real = apply(ansible, variables, diff=True)
    assert real.rc == 0, failures(real)
    assert outcome(real.results) == predicted
    assert len(writes_of(sim)) == diff_entries(predicted), (writes_of(sim), predicted)
    return check, real


def test_the_role_creates_nests_fills_and_deletes_teams_then_changes_nothing_at_the_floor(ansible, sim, state):
    state = with_teams(sim, state)
    variables = role_vars(DESCRIPTION)
    _check, real = check_then_real(ansible, sim, state, variables)
    assert real.changed > 0
    writes = writes_of(sim)
    # Parents first; the team the description lists with state absent is deleted last of the run.
    created = [path for method, path in writes if method == "POST"]
    assert created == ["/orgs/acme/teams", "/orgs/acme/teams"]
    assert writes[-1] == ("DELETE", "/orgs/acme/teams/security")
    teams = teams_of(sim)
    assert "security" not in teams
    assert teams["frontend-guild"]["parent"] is None and teams["frontend-guild"]["privacy"] == "closed"
    assert teams["web-crew"]["parent"] == "frontend-guild" and teams["web-crew"]["description"] == "The web"
    # GitHub makes the creator (the token's user) a maintainer of the teams it creates.
    assert teams["web-crew"]["members"] == {"octo-admin": "maintainer", "alice": "maintainer", "bob": "member"}
    assert teams["web-crew"]["repos"] == {"widgets": "write", "gadgets": "read"}
    assert teams["platform"]["members"] == {"alice": "maintainer", "bob": "maintainer"}
    assert teams["platform"]["repos"] == {"widgets": "maintain", "gadgets": "read"}
    assert teams["platform-sre"]["parent"] is None
    invited = [r["result"]["changes"]["invited"] for r in real.results
               if "Team members, one task per team" in r["task"] and r["result"].get("changes")]
    assert {"erin": "member"} in invited, invited

    # Unchanged: the floor is one GET per listed team, three reads per member list (maintainers, members,
    # pending invitations), one read per repository list, and two for the team already deleted (its 404 and
    # GET /orgs/acme, which tells a deleted team from a mistyped organization).
    sim.clear_log()
    again = apply(ansible, variables, diff=True)
    assert again.rc == 0 and again.changed == 0, again
    assert sim.writes() == []
    present = [t for t in DESCRIPTION if t.get("state") != "absent"]
    floor = (len(present) + 3 * sum(1 for t in present if "members" in t)
             + sum(1 for t in present if "repositories" in t) + 2)
    assert floor == 4 + 3 * 3 + 2 + 2
    assert len(sim.requests()) == floor, [(r["method"], r["path"]) for r in sim.requests()]


def test_an_exclusive_team_list_created_in_the_run_is_planned_as_github_creates_it(ansible, sim, state):
    """A team created by the run has its creator as maintainer: the exclusive list keeps the token's user, in
    check mode (new_team) as in the real run, and removes the unlisted members of existing teams."""
    state = with_teams(sim, state)
    variables = role_vars([
        {"name": "Release Crew", "members": [{"login": "alice"}, {"login": "octo-admin"}],
         "repositories": [{"name": "gadgets", "permission": "triage"}]},
        {"name": "Platform", "members": [{"login": "alice", "role": "maintainer"}],
         "repositories": []},
    ], org_config_teams_exclusive=True)
    check, real = check_then_real(ansible, sim, state, variables)
    teams = teams_of(sim)
    # The token's user is an owner: GitHub shows it as maintainer, never demoted to the listed role member.
    assert teams["release-crew"]["members"] == {"octo-admin": "maintainer", "alice": "member"}
    assert teams["release-crew"]["repos"] == {"gadgets": "triage"}
    assert teams["platform"]["members"] == {"alice": "maintainer"}
    assert teams["platform"]["repos"] == {}
    sim.clear_log()
    again = apply(ansible, variables)
    assert again.rc == 0 and again.changed == 0, again


def test_parent_team_null_detaches_and_no_key_leaves_the_parent(ansible, sim, state):
    state = with_teams(sim, state, TEAMS + [{"name": "Web", "parent": "platform"}])
    variables = role_vars([{"name": "Platform SRE", "description": "SRE"},  # no parent_team key: left
                           {"name": "Web", "parent_team": None}])
    check_then_real(ansible, sim, state, variables)
    teams = teams_of(sim)
    assert teams["platform-sre"]["parent"] == "platform" and teams["platform-sre"]["description"] == "SRE"
    assert teams["web"]["parent"] is None


def test_a_rename_then_the_members_of_the_renamed_team(ansible, sim, state):
    """In check mode the team keeps its old slug (nothing is renamed): the member list is read there."""
    state = with_teams(sim, state)
    variables = role_vars([{"slug": "platform-sre", "name": "Site Reliability",
                            "members": [{"login": "dave"}, {"login": "carol"}]}])
    check_then_real(ansible, sim, state, variables)
    teams = teams_of(sim)
    assert "platform-sre" not in teams and teams["site-reliability"]["parent"] == "platform"


BAD = [
    ([{"name": "Platform"}, {"name": "platform"}],
     "org_config_teams[1]: team platform is already listed at org_config_teams[0]"),
    ([{"name": "Web", "members": [{"login": "alice"}, {"login": "bob", "role": "owner"}]}],
     "got: owner found in org_config_teams -> members"),  # the argument spec says it first
    ([{"name": "A"}, {"name": "Web", "members": [{"login": "alice@acme.example"}]}],
     "org_config_teams[1].members[0].login: 'alice@acme.example' is not a valid GitHub login"),
    ([{"name": "Web", "privacy": "secret", "parent_team": "platform"}],
     "org_config_teams[0].privacy: a secret team cannot have a parent team"),
    ([{"name": "Vault", "privacy": "secret"}, {"name": "Web", "parent_team": "vault"}],
     "org_config_teams[1].parent_team: team vault is secret at org_config_teams[0].privacy"),
    ([{"name": "A", "parent_team": "b"}, {"name": "B", "parent_team": "a"}],
     "the parent teams make a cycle"),
    ([{"name": "Web", "repositories": [{"name": "other/widgets"}]}],
     "org_config_teams[0].repositories[0].name: 'other/widgets' is not a repository of acme"),
    ([{"name": "Web", "parent_team": "old"}, {"name": "Old", "state": "absent"}],
     "org_config_teams[0].parent_team: team old is deleted at org_config_teams[1]"),
]


def test_bad_team_input_fails_before_any_request(ansible, sim):
    cases = [(role_vars(teams, org_config_settings={"description": "not written"}), expected)
             for teams, expected in BAD]
    cases.append((role_vars([{"name": "Platform", "members": [{"login": "alice"}]}],
                            org_config_members=[{"login": "alice", "state": "absent"}]),
                  "org_config_teams[0].members[0].login: alice is removed from the organization"))
    fails_alone_before_any_request(ansible, sim, cases)


def test_an_unknown_parent_team_fails_at_its_task_before_the_team_is_written(ansible, sim, state):
    with_teams(sim, state)
    run = apply(ansible, role_vars([{"name": "Web", "parent_team": "nowhere"}]))
    assert run.rc != 0
    failed = [r for r in run.results if r["status"] == "failed"]
    assert "parent_team: organization acme has no team 'nowhere'" in str(failed[0]["result"]), failed
    assert sim.writes() == []
