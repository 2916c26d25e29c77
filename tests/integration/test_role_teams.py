"""roles/org_config: org_config_teams (issue 17, item 6) through ansible-playbook against the simulator.

The organization starts from tests/integration/state_acme.yml with three teams (Platform, its child Platform
SRE, and the secret Security). The role runs under ``--check --diff`` and then for real from the same state:
check mode sends no write and plans exactly the writes the real run sends. A second real run changes nothing at
the request floor. The team logic case by case runs in-process against the engine
(tests/unit/plugins/modules/test_github_org_config*.py).
"""

from helpers import TEAMS
from test_role_org_config import APPLY, apply, fails_alone_before_any_request, task_result

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
    """The failed tasks' messages, for an assertion's message."""
    return [(r["task"], r["result"].get("msg")) for r in run.results if r["status"] == "failed"]


def writes_of(sim):
    return [(w["method"], w["path"]) for w in sim.writes()]


def check_then_real(ansible, sim, state, variables):
    """The role under --check --diff, then for real, from the same state: the planned writes are the ones sent."""
    sim.reset(state)
    check = apply(ansible, variables, check=True, diff=True)
    assert check.rc == 0, failures(check)
    assert sim.writes() == [], "check mode wrote"
    assert "Traceback" not in check.output
    planned = task_result(check, APPLY)["writes"]
    sim.reset(state)
    real = apply(ansible, variables, diff=True)
    assert real.rc == 0, failures(real)
    assert [(w["method"], w["path"]) for w in planned] == writes_of(sim)
    assert task_result(real, APPLY)["actions"] == task_result(check, APPLY)["actions"]
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
    invited = [a for a in task_result(real, APPLY)["actions"] if a["id"] == "erin"]
    assert invited[0]["verb"] == "invite to the organization and the team", invited

    # Unchanged: the organization; members and invitations (who is a member); the team list; two reads (maintainers,
    # members) per team whose members are listed, one per repository list, and Platform's pending invitations (erin
    # is listed there and invited to the organization: is her team invitation pending too?).
    sim.clear_log()
    again = apply(ansible, variables, diff=True)
    assert again.rc == 0 and again.changed == 0, again
    assert sim.writes() == []
    present = [t for t in DESCRIPTION if t.get("state") != "absent"]
    floor = (1 + 3 + 1 + 2 * sum(1 for t in present if "members" in t)
             + sum(1 for t in present if "repositories" in t) + 1)
    assert floor == 14
    assert len(sim.requests()) == floor, [(r["method"], r["path"], r["query"]) for r in sim.requests()]


BAD = [
    ([{"name": "Platform"}, {"name": "platform"}],
     "org_config_teams[1]: team platform is already listed at org_config_teams[0]"),
    ([{"name": "Web", "members": [{"login": "alice"}, {"login": "bob", "role": "owner"}]}],
     "org_config_teams[0].members[1].role: "),  # the argument spec's check, naming the position (issue 23, item 11)
    ([{"name": "A"}, {"name": "B"}, {"name": "C"},
      {"name": "Web", "members": [{"login": "alice"}, {"login": "bob", "rol": "maintainer"}]}],
     "org_config_teams[3].members[1].rol: unknown key; did you mean role? (keys: login, role)"),
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
