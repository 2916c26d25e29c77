"""Helpers shared by the playbook tests (tests/integration) and the in-process tests (tests/unit).

Both kinds of test drive the same ``ansible`` interface (``play(tasks, check=..., diff=...)`` returning
``rc``, ``changed`` and ``task(name)``: harness.Ansible runs ansible-playbook, tests/unit/conftest.py's
InProcessAnsible each task's module in-process) against the same simulator, so the task builders, the
readers of the simulator's state and the check -> real -> again sequence live here once.
"""

import copy
import json

# state_acme.yml's acme with three teams (github_team's tests and the flavour tests)
TEAMS = [
    {"name": "Platform", "description": "Platform engineering", "privacy": "closed",
     "members": {"alice": "maintainer", "bob": "member"}, "repos": {"widgets": "write"}},
    {"name": "Platform SRE", "parent": "platform", "members": {"dave": "member"}},
    {"name": "Security", "privacy": "secret", "members": {"alice": "maintainer"}},
]


# a play that creates a team (and its parent) and fills it: new_team / new_parent_team (tests of check mode)
CREATE_TEAM_PLAY = [
    {"name": "parent", "orgcode.github.github_team": {"org": "acme", "name": "Guild", "privacy": "closed"}},
    {"name": "child", "orgcode.github.github_team": {"org": "acme", "name": "Guild Web", "parent_team": "guild",
                                                     "new_parent_team": "{{ ansible_check_mode }}"}},
    {"name": "members", "orgcode.github.github_team_membership": {
        "org": "acme", "team": "guild-web", "new_team": True, "exclusive": True, "write_delay": 0,
        "members": [{"login": "alice", "role": "maintainer"}, {"login": "erin"}]}},
    {"name": "repos", "orgcode.github.github_team_repository": {
        "org": "acme", "team": "guild-web", "new_team": True, "write_delay": 0,
        "repositories": [{"name": "widgets", "permission": "maintain"}]}},
]


def task(name, module, **args):
    """A task running ``orgcode.github.<module>`` with ``args``, called ``name``."""
    return {"name": name, "orgcode.github." + module: args}


def org_state(sim, login="acme"):
    """The simulator's current state of the organization ``login``."""
    return next(o for o in sim.state()["orgs"] if o["login"] == login)


def acme(sim):
    return org_state(sim, "acme")


def repo(sim, name="widgets"):
    """The simulator's current state of the repository ``name``."""
    return next(r for r in sim.state()["repos"] if r["name"] == name)


def lower(mapping):
    """``mapping`` with lower-cased keys (logins as GitHub compares them)."""
    return {k.lower(): v for k, v in mapping.items()}


def with_teams(sim, state, teams=None):
    """Reset the simulator to ``state`` with acme's teams (TEAMS unless given)."""
    state["orgs"][0]["teams"] = teams if teams is not None else [dict(t) for t in TEAMS]
    sim.reset(state)


def teams_of(sim):
    """acme's teams in the simulator, by slug."""
    return {t["slug"]: t for t in acme(sim).get("teams", [])}


def stored_hooks(sim, org="acme"):
    return org_state(sim, org)["hooks"]


def stored(sim, hook_id):
    """The simulator's hook ``hook_id`` of acme, with its real secret."""
    return next(h for h in stored_hooks(sim) if h["id"] == hook_id)


def writes(sim):
    return [(w["method"], w["path"]) for w in sim.writes()]


# -- repository collaborators (github_repo_collaborator) ---------------------------------------------------------

def collab(username, name="collab", repo="widgets", **options):
    """A github_repo_collaborator task for one user of acme/``repo``."""
    return {"name": name, "orgcode.github.github_repo_collaborator":
            dict({"owner": "acme", "repo": repo, "username": username}, **options)}


def collab_list(collaborators, name="list", repo="widgets", **options):
    """A github_repo_collaborator task for the whole collaborator list of acme/``repo`` (no write delay)."""
    options.setdefault("write_delay", 0)
    return {"name": name, "orgcode.github.github_repo_collaborator":
            dict({"owner": "acme", "repo": repo, "collaborators": collaborators}, **options)}


def direct(sim, name="widgets"):
    """The direct collaborators of repository ``name`` in the simulator, by lower-cased login."""
    return lower(repo(sim, name)["collaborators"])


def invitations(sim, name="widgets"):
    """(login, permission, expired) of the repository's invitations, sorted."""
    return sorted((i["login"].lower(), i["permissions"], i["expired"]) for i in repo(sim, name)["invitations"])


def status_writes(sim):
    """(method, path, status) of every write the simulator received."""
    return [(w["method"], w["path"], w["status"]) for w in sim.writes()]


def widgets(state):
    """acme/widgets in a state (a dict to edit before ``sim.reset``)."""
    return next(r for r in state["repos"] if r["name"] == "widgets")


# -- webhooks (github_org_hook) ----------------------------------------------------------------------------------

CI_URL = "https://ci.acme.example/hook"  # hook 1 of state_acme.yml


def hook(url=CI_URL, name="hook", **options):
    """A github_org_hook task for ``url`` with hook 1's events unless given."""
    options.setdefault("events", ["push", "pull_request"])
    return {"name": name, "orgcode.github.github_org_hook": dict({"org": "acme", "url": url}, **options)}


def no_secret_anywhere(run, *secrets):
    """None of ``secrets`` in the run's output or task results."""
    dumped = json.dumps(run.results)
    for secret in secrets:
        assert secret not in run.output, "secret in ansible-playbook output"
        assert secret not in dumped, "secret in a task result"


def with_hooks(sim, state, *hooks):
    """Reset the simulator to ``state`` with exactly ``hooks`` as acme's webhooks."""
    next(o for o in state["orgs"] if o["login"] == "acme")["hooks"] = list(hooks)
    sim.reset(state)


# -- team repositories (github_team_repository) ------------------------------------------------------------------

def team_access(**options):
    """A github_team_repository task of acme's team platform (task name ``r``)."""
    return {"name": "r", "orgcode.github.github_team_repository": dict({"org": "acme", "team": "platform"},
                                                                       **options)}


def named(name, a_task):
    return dict(a_task, name=name)


def with_team_repositories(sim, state):
    """TEAMS, and a custom repository role security-reviewer on the first repository."""
    state["repos"][0]["custom_roles"] = {"security-reviewer": "read"}
    with_teams(sim, state)


def paths_seen(sim):
    """(method, path, API prefix) of every request the simulator received."""
    return [(r["method"], r["path"], r.get("api_prefix")) for r in sim.requests()]


def converge(ansible, sim, tasks, name=None):
    """check mode (no write) -> real run (each task changed) -> second run (unchanged, no write).

    Returns the real run's result of task ``name`` (else the run)."""
    check = ansible.play(tasks, check=True, diff=True)
    assert check.rc == 0 and check.changed == len(tasks), check
    assert sim.writes() == [], "check mode must not write"
    sim.clear_log()
    real = ansible.play(tasks, diff=True)
    assert real.rc == 0 and real.changed == len(tasks), real
    assert sim.writes(), "the real run writes"
    for each in tasks:  # the check showed what the real run changed
        assert check.task(each["name"]).get("diff", {}).get("before") == \
            real.task(each["name"]).get("diff", {}).get("before"), each["name"]
    sim.clear_log()
    again = ansible.play(tasks)
    assert again.rc == 0 and again.changed == 0, again
    assert sim.writes() == []
    return real.task(name) if name else real


def each_fails_before_any_write(ansible, sim, cases, name):
    """Each ``(task, message)`` of ``cases`` run alone fails, its task ``name`` naming ``message``, with no
    traceback; none of them writes."""
    for each, message in cases:
        run = ansible.play([each])
        assert run.rc != 0, each
        assert message in run.task(name)["msg"], (message, run.task(name)["msg"])
        assert "Traceback" not in run.output
    assert sim.writes() == []


# -- github_org_config: check mode, then the real run, from the same state --------------------------------------

MODULE = "github_org_config"
SECRET = "hook-secret-do-not-leak"
NEW_ID = "(id of new team "


def _same(planned, logged, ids):
    """``planned`` (a body of the plan) equals ``logged`` (the simulator's): a new team's id by its slug."""
    if isinstance(planned, str) and planned.startswith(NEW_ID):
        return ids.get(planned[len(NEW_ID):-1]) == logged
    if isinstance(planned, dict) and isinstance(logged, dict):
        return set(planned) == set(logged) and all(_same(planned[k], logged[k], ids) for k in planned)
    if isinstance(planned, list) and isinstance(logged, list):
        return len(planned) == len(logged) and all(_same(a, b, ids) for a, b in zip(planned, logged, strict=True))
    return planned == logged


def _masked(body):
    if isinstance(body, dict):
        return {k: ("********" if k == "secret" and v else _masked(v)) for k, v in body.items()}
    return body


def apply_both(run, sim, start, config, org="acme", **options):
    """Check mode, then the real run, from ``state``; asserts they agree and a second run changes nothing."""
    options.setdefault("write_delay", 0)
    sim.reset(copy.deepcopy(start))
    check = run(MODULE, check=True, diff=True, org=org, config=config, **options)
    assert not check.failed, check.msg
    assert sim.writes() == [], "check mode wrote"
    sim.reset(copy.deepcopy(start))
    real = run(MODULE, diff=True, org=org, config=config, **options)
    assert not real.failed, real.msg
    logged = sim.writes()
    ids = _team_ids(sim)
    assert len(check["writes"]) == len(logged), (check["writes"], logged)
    for planned, sent in zip(check["writes"], logged, strict=True):
        assert (planned["method"], planned["path"]) == (sent["method"], sent["path"]), (planned, sent)
        assert _same(planned["body"], _masked(sent.get("body")), ids), (planned, sent)
    assert check.changed == real.changed
    assert [(d["before_header"], d["before"]) for d in check["diff"]] == \
        [(d["before_header"], d["before"]) for d in real["diff"]]
    assert check["actions"] == real["actions"]
    again = run(MODULE, check=True, diff=True, org=org, config=config, **options)
    assert not again.failed and again.changed is False, again.get("writes") or again.msg
    return check, real


def _team_ids(sim):  # noqa: E302
    state = sim.state()
    org = next(o for o in state["orgs"] if o["login"] == "acme")
    return dict((t.get("slug"), t.get("id")) for t in org.get("teams", []) if isinstance(t, dict))


def fails_before_any_write(run, sim, start, config, expected, **options):
    for check in (True, False):
        sim.reset(copy.deepcopy(start))
        result = run(MODULE, check=check, org="acme", config=config, write_delay=0, **options)
        assert result.failed, result
        assert expected in result.msg, result.msg
        assert sim.writes() == []
        assert result.changed is False
    return result
