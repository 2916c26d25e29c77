"""roles/org_config: the plan is the apply, across sections (issue 12, item 2).

Each case gets its own copy of acme (tests/integration/state_acme.yml) as ``acme-<n>``, and its own host: the role
runs under ``--check --diff`` for every case in one ansible-playbook run, then for real and again in a second
one (two plays), so both start from the same state, and:

- check mode sends no write;
- every task reports the same ``changed`` and the same diff in both runs (or both fail at the same task with
  the same message, before any write);
- the writes the check predicts (the ``changes`` of the list tasks and the diffs of the others) are the ones
  the real run sends: the real run's write requests are counted against the predicted changes;
- the second real run changes nothing.

The cases are the ones where a section's effect reaches a later section: members removed, converted or
invited before repository access is set, owner role and base permission changes, removals against exclusive
repository lists, and descriptions in which one section would undo another (refused before any write).

bob's access to widgets comes from a real team (Widget Makers, maintain), as GitHub's teams API shows it.
"""

import copy
import json
import re

import pytest
import yaml
from harness import ROOT
from test_role_org_config import acme, apply, repo, role_play

TASKS = ROOT / "roles" / "org_config" / "tasks"


def with_team(state, repos=None):
    """bob's team access on widgets as a real team (not the simulator's per-user shortcut)."""
    org = next(o for o in state["orgs"] if o["login"] == "acme")
    widgets = next(r for r in state["repos"] if r["name"] == "widgets")
    widgets.pop("teams", None)
    org["teams"] = [{"name": "Widget Makers", "privacy": "closed", "members": {"bob": "member"},
                     "repos": dict({"widgets": "maintain"}, **(repos or {}))}]
    return state


def with_child_team(state):
    """with_team, plus an existing child team of Widget Makers (Widget Juniors) whose member is dave."""
    org = next(o for o in with_team(state)["orgs"] if o["login"] == "acme")
    org["teams"].append({"name": "Widget Juniors", "parent": "widget-makers", "members": {"dave": "member"}})
    return state


def rita_on_gadgets(state):
    """read-only-rita, a member, also has a direct grant on gadgets."""
    next(r for r in state["repos"] if r["name"] == "gadgets")["collaborators"]["read-only-rita"] = "write"
    return state


def outcome(results):
    """Per task (and loop item): status, changed, diff and the list modes' changes, as comparable data."""
    rows = []
    for r in results:
        if r["status"] == "skipped" or r["action"] == "ansible.builtin.debug":
            continue
        result = r["result"]
        item = result.get("item")
        rows.append(dict(task=r["task"], item=item.get("login") if isinstance(item, dict) else item,
                         loop="results" in result, status=r["status"], changed=result.get("changed"),
                         diff=result.get("diff"),
                         changes=result.get("changes"), msg=result.get("msg") if r["status"] == "failed" else None))
    return rows


def diff_entries(rows):
    """The number of writes the rows predict: one per changed login in a list task's changes, else per change."""
    count = 0
    for row in rows:
        if not row["changed"] or row["loop"]:  # a loop's own result sums up its items
            continue
        changes = row["changes"]
        if isinstance(changes, dict):
            count += sum(len(v) for v in changes.values())
        else:
            count += 1
    return count


def failures(results):
    """The messages of the failed tasks (and loop items)."""
    return [(r["task"], r["result"].get("msg"), [i.get("msg") for i in r["result"].get("results", [])])
            for r in results if r["status"] == "failed"]


CASES = {
    # The exclusive member list keeps a member that the outside-collaborator section converts next.
    "exclusive members keep a member being converted": dict(
        role_vars={"org_config_members_exclusive": True,
                   "org_config_members": [{"login": "octo-admin", "role": "admin"}, {"login": "alice"},
                                          {"login": "bob"}],
                   "org_config_outside_collaborators": [{"login": "dave"}]},
        writes=[("DELETE", "/orgs/acme/memberships/read-only-rita"), ("DELETE", "/orgs/acme/invitations/"),
                ("PUT", "/orgs/acme/outside_collaborators/dave")]),
    # A member converted in this run, its repository access listed at its team's level: the repository
    # section sees the same access before (team) and after (direct) the conversion.
    "a converted member keeps the access its team gave": dict(
        role_vars={"org_config_outside_collaborators": [{"login": "bob"}],
                   "org_config_repo_collaborators": [{"repo": "widgets", "login": "bob", "permission": "maintain"}]},
        writes=[("PUT", "/orgs/acme/outside_collaborators/bob")]),
    # A login invited to the organization and given repository access in the same run: the repository
    # invitation is planned as an invitation (the organization invitation is still pending), as sent.
    "a login invited to the organization gets a repository invitation": dict(
        role_vars={"org_config_members": [{"login": "erin"}],
                   "org_config_repo_collaborators": [{"repo": "widgets", "login": "erin", "permission": "push"}]},
        writes=[("PUT", "/orgs/acme/memberships/erin"), ("PUT", "/repos/acme/widgets/collaborators/erin")]),
    # An outside collaborator removed from every repository while a repository's exclusive list would remove
    # it too: the repository section runs first, so both runs remove it there, then remove it everywhere.
    "an outside collaborator removed while an exclusive repository list covers it": dict(
        role_vars={"org_config_outside_collaborators": [{"login": "outsider-oscar", "state": "absent"}],
                   "org_config_repo_collaborators_exclusive": True,
                   "org_config_repo_collaborators": [{"repo": "gadgets", "login": "outsider-olga",
                                                      "permission": "pull"}]},
        writes=[("PUT", "/repos/acme/gadgets/collaborators/outsider-olga"),
                ("DELETE", "/repos/acme/gadgets/collaborators/outsider-oscar"),
                ("DELETE", "/orgs/acme/outside_collaborators/outsider-oscar")]),
    # A member removed while an exclusive repository list covers its direct access.
    "a member removed while an exclusive repository list covers its access": dict(
        role_vars={"org_config_members": [{"login": "alice", "state": "absent"}],
                   "org_config_repo_collaborators_exclusive": True,
                   "org_config_repo_collaborators": [{"repo": "widgets", "login": "outsider-olga",
                                                      "permission": "push"}]},
        writes=[("DELETE", "/repos/acme/widgets/collaborators/Alice"), ("DELETE", "/repos/acme/widgets/invitations/"),
                ("DELETE", "/orgs/acme/memberships/alice")]),
    # Removed members are not listed again by the exclusive list's removals (no second removal).
    "an exclusive member list with a member listed as absent": dict(
        role_vars={"org_config_members_exclusive": True,
                   "org_config_members": [{"login": "octo-admin", "role": "admin"}, {"login": "alice"},
                                          {"login": "bob"}, {"login": "dave"},
                                          {"login": "read-only-rita", "state": "absent"}]},
        writes=[("DELETE", "/orgs/acme/memberships/read-only-rita"), ("DELETE", "/orgs/acme/invitations/")]),
    # (a) A member converted in this run whose team access (maintain) differs from its listed permission: the
    # conversion turns it into a direct maintain grant, which the repository section then lowers.
    "a converted member's team access differs from its listed permission": dict(
        role_vars={"org_config_outside_collaborators": [{"login": "bob"}],
                   "org_config_repo_collaborators": [{"repo": "widgets", "login": "bob", "permission": "push"}]},
        writes=[("PUT", "/orgs/acme/outside_collaborators/bob"), ("PUT", "/repos/acme/widgets/collaborators/bob")]),
    # (a) The converted access on a repository whose exclusive list does not name it is removed.
    "a converted member's access on a repository an exclusive list does not name": dict(
        state=lambda state: with_team(state, {"gadgets": "push"}),
        role_vars={"org_config_outside_collaborators": [{"login": "bob"}],
                   "org_config_repo_collaborators_exclusive": True,
                   "org_config_repo_collaborators": [{"repo": "gadgets", "login": "outsider-oscar",
                                                      "permission": "pull"}]},
        writes=[("PUT", "/orgs/acme/outside_collaborators/bob"), ("DELETE", "/repos/acme/gadgets/collaborators/bob")]),
    # (b) A member made an owner while listed with less than its direct grant: as an owner it has admin, which
    # the organization gives, so the direct grant is left.
    "a member made an owner while listed with repository access": dict(
        role_vars={"org_config_members": [{"login": "alice", "role": "admin"}],
                   "org_config_repo_collaborators": [{"repo": "widgets", "login": "alice", "permission": "push"}]},
        writes=[("PUT", "/orgs/acme/memberships/Alice")]),
    # (b) An owner no longer an owner, listed with more than the base permission gives: it gets a direct grant.
    "an owner made a member while listed with repository access": dict(
        state=lambda state: next(o for o in with_team(state)["orgs"] if o["login"] == "acme")["members"].update(
            {"second-owner": "admin"}) or state,
        role_vars={"org_config_members": [{"login": "second-owner", "role": "member"}],
                   "org_config_repo_collaborators": [{"repo": "gadgets", "login": "second-owner",
                                                      "permission": "push"}]},
        writes=[("PUT", "/orgs/acme/memberships/second-owner"),
                ("PUT", "/repos/acme/gadgets/collaborators/second-owner")]),
    # (c) Members removed by the exclusive member list while an exclusive repository list covers their direct
    # access: the removal takes the grant with it, nothing is left for the repository list to remove.
    "members removed by the exclusive list while an exclusive repository list covers their access": dict(
        state=lambda state: rita_on_gadgets(with_team(state)),
        role_vars={"org_config_members_exclusive": True,
                   "org_config_members": [{"login": "octo-admin", "role": "admin"}, {"login": "alice"},
                                          {"login": "bob"}, {"login": "dave"}],
                   "org_config_repo_collaborators_exclusive": True,
                   "org_config_repo_collaborators": [{"repo": "gadgets", "login": "outsider-oscar",
                                                      "permission": "pull"}]},
        writes=[("DELETE", "/orgs/acme/memberships/read-only-rita"), ("DELETE", "/orgs/acme/invitations/")]),
    # (d) A new base permission (write) gives listed members what their entry asks: no direct grant needed.
    "a new base permission covers a member's listed access": dict(
        role_vars={"org_config_settings": {"default_repository_permission": "write"},
                   "org_config_repo_collaborators": [{"repo": "widgets", "login": "dave", "permission": "push"}]},
        writes=[("PATCH", "/orgs/acme")]),
    # (e) A team the run creates gives a listed member (dave, base read) the listed access on widgets: the real
    # run finds the team's access enough, so check mode plans no direct grant either.
    "a team of the run gives a member its listed access": dict(
        role_vars={"org_config_teams": [{"name": "Widget Pushers", "privacy": "closed", "members": [{"login": "dave"}],
                                         "repositories": [{"name": "widgets", "permission": "push"}]}],
                   "org_config_repo_collaborators": [{"repo": "widgets", "login": "dave", "permission": "push"}]},
        writes=[("POST", "/orgs/acme/teams"), ("PUT", "/orgs/acme/teams/widget-pushers/memberships/dave"),
                ("PUT", "/orgs/acme/teams/widget-pushers/repos/acme/widgets")]),
    # (e) The same through a child team: its members inherit the parent's repository access.
    "a child team of the run inherits the access its parent gives": dict(
        role_vars={"org_config_teams": [
            {"name": "Widget Juniors", "parent_team": "widget-pushers", "members": [{"login": "dave"}]},
            {"name": "Widget Pushers", "privacy": "closed", "repositories": [{"name": "acme/Widgets",
                                                                             "permission": "maintain"}]}],
            "org_config_repo_collaborators": [{"repo": "widgets", "login": "dave", "permission": "push"}]},
        writes=[("POST", "/orgs/acme/teams"), ("POST", "/orgs/acme/teams"),
                ("PUT", "/orgs/acme/teams/widget-juniors/memberships/dave"),
                ("PUT", "/orgs/acme/teams/widget-pushers/repos/acme/Widgets")]),
    # (e) A team of the run gives less than listed: the direct grant is still needed.
    "a team of the run gives a member less than its listed access": dict(
        role_vars={"org_config_teams": [{"name": "Widget Pushers", "privacy": "closed", "members": [{"login": "dave"}],
                                         "repositories": [{"name": "widgets", "permission": "triage"}]}],
                   "org_config_repo_collaborators": [{"repo": "widgets", "login": "dave", "permission": "push"}]},
        writes=[("POST", "/orgs/acme/teams"), ("PUT", "/orgs/acme/teams/widget-pushers/memberships/dave"),
                ("PUT", "/orgs/acme/teams/widget-pushers/repos/acme/widgets"),
                ("PUT", "/repos/acme/widgets/collaborators/dave")]),
    # (e) A login invited to the organization and put in a team of the run: the team membership stays pending,
    # so the repository section still invites it.
    "a login invited to the organization and to a team gets a repository invitation": dict(
        role_vars={"org_config_members": [{"login": "erin"}],
                   "org_config_teams": [{"name": "Widget Pushers", "privacy": "closed", "members": [{"login": "erin"}],
                                         "repositories": [{"name": "widgets", "permission": "push"}]}],
                   "org_config_repo_collaborators": [{"repo": "widgets", "login": "erin", "permission": "push"}]},
        writes=[("PUT", "/orgs/acme/memberships/erin"), ("POST", "/orgs/acme/teams"),
                ("PUT", "/orgs/acme/teams/widget-pushers/memberships/erin"),
                ("PUT", "/orgs/acme/teams/widget-pushers/repos/acme/widgets"),
                ("PUT", "/repos/acme/widgets/collaborators/erin")]),
    # (e) An existing team of the run gains a repository, and a member the description does not list (the team
    # has no members list) is listed there with the team's role: the real run finds the team's access enough, so
    # check mode reads the team's membership (planned_changes.team_grants) and plans no direct grant either.
    "a team of the run gives a repository to a member it does not list": dict(
        role_vars={"org_config_teams": [{"name": "Widget Makers", "repositories": [{"name": "gadgets",
                                                                                    "permission": "push"}]}],
                   "org_config_repo_collaborators": [{"repo": "gadgets", "login": "bob", "permission": "push"}]},
        writes=[("PUT", "/orgs/acme/teams/widget-makers/repos/acme/gadgets")]),
    # (e) The same with a members list that does not name bob (kept: org_config_teams_exclusive is off), and dave,
    # listed there, given more than the team's role: dave still gets a direct grant.
    "a team of the run gives a repository to a member its kept members include": dict(
        role_vars={"org_config_teams": [{"name": "Widget Makers", "members": [{"login": "dave"}],
                                         "repositories": [{"name": "gadgets", "permission": "push"}]}],
                   "org_config_repo_collaborators": [{"repo": "gadgets", "login": "bob", "permission": "push"},
                                                     {"repo": "gadgets", "login": "dave", "permission": "maintain"}]},
        writes=[("PUT", "/orgs/acme/teams/widget-makers/memberships/dave"),
                ("PUT", "/orgs/acme/teams/widget-makers/repos/acme/gadgets"),
                ("PUT", "/repos/acme/gadgets/collaborators/dave")]),
    # (e) Through an existing child team the description does not list: its members are the parent's members.
    "a team of the run gives a repository to its child team's members": dict(
        state=with_child_team,
        role_vars={"org_config_teams": [{"name": "Widget Makers", "repositories": [{"name": "gadgets",
                                                                                    "permission": "push"}]}],
                   "org_config_repo_collaborators": [{"repo": "gadgets", "login": "dave", "permission": "write"}]},
        writes=[("PUT", "/orgs/acme/teams/widget-makers/repos/acme/gadgets")]),
    # (d) A lower base permission (none): a member listed with read needs a direct grant now.
    "a lower base permission no longer covers a member's listed access": dict(
        role_vars={"org_config_settings": {"default_repository_permission": "none"},
                   "org_config_repo_collaborators": [{"repo": "widgets", "login": "dave", "permission": "pull"}]},
        writes=[("PATCH", "/orgs/acme"), ("PUT", "/repos/acme/widgets/collaborators/dave")]),
}


def writes_of(sim):
    return [(w["method"], w["path"]) for w in sim.writes()]


def own_organization(state, name, org):
    """``state`` (the base state) after the case's changes, with acme and its repositories renamed ``org``."""
    state = CASES[name].get("state", with_team)(copy.deepcopy(state))
    acme_org = next(o for o in state["orgs"] if o["login"] == "acme")
    for hook in acme_org.get("hooks", []):
        hook.pop("id", None)  # each organization's hooks get ids of their own
    repos = [r for r in state["repos"] if r["owner"] == "acme"]
    for repo_ in repos:
        repo_["owner"] = org
    return dict(acme_org, login=org), repos


def in_org(value, org):
    """``value`` (a path, or data holding ``acme/...`` names) with the organization acme replaced by ``org``."""
    return json.loads(re.sub(r"(?<=[/\"])acme(?=[/\"]|$)", org, json.dumps(value)))


def writes_to(sim, org):
    """The writes sent to ``org`` and its repositories."""
    pattern = re.compile(r"^/(orgs|repos)/%s(/|$)" % re.escape(org))
    return [(w["method"], w["path"]) for w in sim.writes() if pattern.match(w["path"])]


def test_check_predicts_exactly_what_the_real_run_does(ansible, sim, state):
    """Every case at once: a copy of acme per case (acme-0, acme-1, ...) and a host per case in one simulator
    state. One ansible-playbook run under --check --diff, then one with two plays: the real run, and the same
    again, which must change nothing."""
    names = sorted(CASES)
    orgs = ["acme-%d" % index for index in range(len(names))]
    owned = [own_organization(state, name, org) for name, org in zip(names, orgs, strict=True)]
    sim.reset(dict(state, orgs=[org for org, _repos in owned], repos=[r for _org, repos in owned for r in repos]))
    cases = [dict(in_org(CASES[name]["role_vars"], org), org_config_org=org, org_config_write_delay=0)
             for name, org in zip(names, orgs, strict=True)]
    play = role_play(ansible, {})

    check, checked = ansible.run_cases(play, cases, check=True, diff=True)
    assert sim.writes() == [], "check mode wrote"
    assert "Traceback" not in check.output

    real_plays = [dict(play[0], name="real"), dict(play[0], name="again")]
    real, applied = ansible.run_cases(real_plays, cases, diff=True)
    assert "Traceback" not in real.output

    wrong = {}
    for name, org, check_results, real_results in zip(names, orgs, checked, applied, strict=True):
        predicted = outcome(check_results)
        done = outcome([r for r in real_results if r["play"] == "real"])
        again = [r for r in real_results if r["play"] == "again"]
        sent = writes_to(sim, org)
        # Invitation ids are the simulator's: compare their prefix.
        sent_paths = sorted(p if "/invitations/" not in p else p.rsplit("/", 1)[0] + "/" for _m, p in sent)
        problems = [
            ("check failed", failures(check_results)),
            ("real run failed", failures(real_results)),
            ("the real run differs from the check", [(c, r) for c, r in zip(predicted, done, strict=True) if c != r]
             if len(predicted) == len(done) else (predicted, done)),
            ("writes sent", (sent_paths, sorted(in_org(p, org) for _m, p in CASES[name]["writes"]))),
            ("writes predicted", (len(sent), diff_entries(predicted))),
            ("changed on the second run", [r["task"] for r in again if r["result"].get("changed")]),
        ]
        problems = [(what, detail) for what, detail in problems
                    if (detail[0] != detail[1] if isinstance(detail, tuple) else detail)]
        if problems or not again:
            wrong["%s (%s)" % (name, org)] = problems or "no second run"
    assert not wrong, json.dumps(wrong, indent=1, default=str)


REFUSED = {
    # Validation: nothing is sent at all.
    "a removed member given repository access": (
        {"org_config_members": [{"login": "alice", "state": "absent"}],
         "org_config_repo_collaborators": [{"repo": "widgets", "login": "Alice", "permission": "admin"}]},
        "org_config_repo_collaborators[0].login: Alice is removed from the organization at org_config_members[0]",
        False),
    "a removed outside collaborator's repository entry": (
        {"org_config_outside_collaborators": [{"login": "outsider-oscar", "state": "absent"}],
         "org_config_repo_collaborators": [{"repo": "gadgets", "login": "outsider-oscar", "state": "absent"}]},
        "this entry is redundant", False),
    # After the reads, before any write: the exclusive member list would remove rita, the repository section
    # would invite her back.
    "an exclusive member list and a member given repository access but not listed": (
        {"org_config_members_exclusive": True,
         "org_config_settings": {"description": "not written"},
         "org_config_members": [{"login": "octo-admin", "role": "admin"}, {"login": "alice"}, {"login": "bob"},
                                {"login": "dave"}],
         "org_config_repo_collaborators": [{"repo": "gadgets", "login": "read-only-rita", "permission": "pull"}]},
        "org_config_repo_collaborators[0].login: read-only-rita is a member of acme but is listed in neither "
        "org_config_members", True),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_one_section_undoing_another_is_refused_before_any_write(ansible, sim, name):
    role_vars, expected, reads = REFUSED[name]
    role_vars = dict({"org_config_org": "acme", "org_config_write_delay": 0}, **role_vars)
    runs = [apply(ansible, role_vars, check=True, diff=True), apply(ansible, role_vars)]
    for run in runs:
        assert run.rc != 0
        failed = [r for r in run.results if r["status"] == "failed"]
        assert len(failed) == 1 and expected in failed[0]["result"]["msg"], failed
    assert outcome(runs[0].results) == outcome(runs[1].results)
    assert sim.writes() == []
    assert bool(sim.requests()) is reads
    assert acme(sim)["settings"]["description"] == "Widgets since 1949"
    assert repo(sim, "gadgets")["collaborators"] == {"outsider-oscar": "read"}


def test_removals_run_after_the_repository_collaborators():
    main = yaml.safe_load((TASKS / "main.yml").read_text())
    sections = [t["ansible.builtin.import_tasks"] for t in main[1]["block"]]
    assert sections.index("repo_collaborators.yml") < sections.index("removals.yml") == len(sections) - 1
    removals = json.dumps(yaml.safe_load((TASKS / "removals.yml").read_text()))
    assert "github_org_membership" in removals and "state\": \"absent" in removals
