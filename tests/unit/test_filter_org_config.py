"""The filters of roles/org_config (plugins/filter/org_config.py): validation messages, set logic, linear time."""

import gc
import importlib.util
import time
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[2] / "plugins" / "filter" / "org_config.py"
spec = importlib.util.spec_from_file_location("org_config_filter", PATH)
F = importlib.util.module_from_spec(spec)
spec.loader.exec_module(F)


def plan(**kwargs):
    return F.org_config_plan(dict({"org": "acme"}, **kwargs))


def errors(**kwargs):
    return plan(**kwargs)["errors"]


def test_a_valid_description_is_normalised():
    result = plan(members=[{"login": "@Alice"}, {"login": "bob", "role": "admin"},
                           {"login": "rita", "state": "absent"}],
                  outside=[{"login": "dave"}],
                  hooks=[{"url": "https://ci.example/hook", "secret": None}],
                  repo_collaborators=[{"repo": "widgets", "login": "dave", "permission": "pull"},
                                      {"repo": "acme/Widgets", "login": "frank"},
                                      {"repo": "gadgets", "login": "oscar", "state": "absent"}])
    assert result["errors"] == []
    assert result["members_present_count"] == 2
    assert "unknown variable(s) org_config_member:" in F.org_config_plan(dict(
        org="acme", variables=["org_config_org", "org_config_member"],
        known_variables=["org_config_org", "org_config_members"]))["errors"][0]
    assert result["members_absent"] == [{"login": "rita", "index": 2}]
    assert result["members_absent_where"] == {"rita": "org_config_members[2].login"}
    widgets = [{"login": "dave", "permission": "pull"}, {"login": "frank", "permission": "push"}]
    assert result["repo_lists"] == [{"repo": "widgets", "collaborators": widgets}]
    assert result["repo_absent"] == [{"repo": "gadgets", "login": "oscar"}]
    assert result["repo_present_keys"] == ["dave", "frank"]


@pytest.mark.parametrize("kwargs, expected", [
    ({"members": [{"login": "a"}, {"login": "b"}, {"login": "c@acme.example"}]},
     "org_config_members[2].login: 'c@acme.example' is not a valid GitHub login (an email address?"),
    ({"members": [{"login": "-bad"}]}, "org_config_members[0].login: '-bad' is not a valid GitHub login"),
    ({"members": [{"login": "alice"}, {"login": "ALICE", "state": "absent"}]},
     "org_config_members[1].login: ALICE is already listed at org_config_members[0]"),
    ({"outside": [{"login": "x"}, {"login": "@X"}]},
     "org_config_outside_collaborators[1].login: X is already listed at org_config_outside_collaborators[0]"),
    ({"members": [{"login": "dave"}], "outside": [{"login": "Dave"}]},
     "org_config_outside_collaborators[0].login: Dave is also listed in org_config_members[0]"),
    ({"members": [{"login": "dave", "state": "absent"}], "outside": [{"login": "dave"}]},
     "removing the membership first would drop its repository access"),
    ({"members": [{"login": "dave"}], "outside": [{"login": "dave", "state": "absent"}]},
     "listed as a member at org_config_members[0] and here as an outside collaborator to remove"),
    ({"repo_collaborators": [{"repo": "acme/repo-01", "login": "a"}, {"repo": "other/repo-01", "login": "a"}]},
     "org_config_repo_collaborators[1].repo: 'other/repo-01' is not a repository of acme"),
    ({"repo_collaborators": [{"repo": "bad name", "login": "a"}]},
     "org_config_repo_collaborators[0].repo: 'bad name' is not a valid repository name"),
    ({"repo_collaborators": [{"repo": "w", "login": "frank"}, {"repo": "W", "login": "@Frank", "permission": "pull"}]},
     "org_config_repo_collaborators[1]: Frank on W is already listed at org_config_repo_collaborators[0]"),
    ({"repo_collaborators": [{"repo": "w", "login": "a", "permission": " "}]},
     "org_config_repo_collaborators[0].permission: must be pull"),
    ({"members": [{"login": "rita", "state": "absent"}], "repo_collaborators": [{"repo": "w", "login": "Rita"}]},
     "org_config_repo_collaborators[0].login: Rita is removed from the organization at org_config_members[0]"),
    ({"members": [{"login": "rita", "state": "absent"}],
      "repo_collaborators": [{"repo": "w", "login": "rita", "state": "absent"}]}, "this entry is redundant"),
    ({"outside": [{"login": "olga", "state": "absent"}], "repo_collaborators": [{"repo": "w", "login": "olga"}]},
     "org_config_repo_collaborators[0].login: olga is removed from every repository at "
     "org_config_outside_collaborators[0]; keep one of them"),
    ({"hooks": [{"url": "ftp://x.example/"}]}, "org_config_hooks[0].url: 'ftp://x.example/' is not an absolute"),
    ({"hooks": [{"url": "https://x.example/", "events": ["push", "Pull Request"]}]},
     "org_config_hooks[0].events[1]: 'Pull Request' is not a GitHub event name"),
    ({"hooks": [{"url": "https://x.example/"}, {"url": "https://y.example/", "events": ["push", "pull_requests"]}]},
     "org_config_hooks[1].events[1]: 'pull_requests' is not a GitHub event name; did you mean 'pull_request'?"),
    ({"hooks": [{"url": "https://x.example/", "events": ["bogus_event_x"]}]},
     "org_config_hooks[0].events[0]: 'bogus_event_x' is not a GitHub event name"),
    ({"hooks": [{"url": "https://x.example/", "events": []}]}, "org_config_hooks[0].events must be a non-empty"),
    ({"hooks": [{"url": "https://x.example/", "secret": ""}]},
     "org_config_hooks[0].secret: is empty or only whitespace"),
    ({"hooks": [{"url": "https://x.example/", "secret": "  \t"}]}, "org_config_hooks[0].secret: is empty"),
    ({"hooks": [{"url": "https://x.example/", "secret": "********"}]}, "is GitHub's mask"),
    ({"hooks": [{"url": "https://x.example/", "update_secret": "always"}]}, "update_secret: always needs a secret"),
    ({"hooks": [{"url": "https://Hooks.example/gh/"}, {"url": "https://hooks.example/gh"}]},
     "org_config_hooks[1].url: https://hooks.example/gh is already listed at org_config_hooks[0]"),
    ({"members_exclusive": True}, "would remove every member"),
])
def test_each_bad_value_is_named_with_its_position(kwargs, expected):
    found = errors(**kwargs)
    assert any(expected in e for e in found), found


def test_errors_show_a_hook_url_without_its_credentials():
    found = errors(hooks=[{"url": "ftp://ci:Pw-9911@x.example/?token=Tk-7788"},
                          {"url": "https://ci:Pw-9911@X.example/h/?token=Tk-7788"},
                          {"url": "https://ci:Pw-9911@x.example/h?token=Tk-7788"}])
    assert found == [
        "org_config_hooks[0].url: 'ftp://ci:********@x.example/?token=********' is not an absolute http:// or "
        "https:// URL",
        "org_config_hooks[2].url: https://ci:********@x.example/h?token=******** is already listed at "
        "org_config_hooks[1] (URLs compare without the case of the scheme and host and without a trailing slash); "
        "give each its hook_id if several hooks really share a URL"]


def test_all_errors_are_reported_at_once_and_no_secret_is_shown():
    found = errors(members=[{"login": "a b"}], hooks=[{"url": "nope", "secret": "s3cr3t-value"}],
                   repo_collaborators=[{"repo": "x/y", "login": "z"}])
    assert len(found) == 3
    assert "s3cr3t-value" not in " ".join(found)


def test_hooks_sharing_a_url_with_their_hook_ids_are_fine():
    shared = [{"url": "https://x.example/", "hook_id": 1}, {"url": "https://x.example/", "hook_id": 2}]
    assert errors(hooks=shared) == []
    assert "hook_id: 1 is already listed" in errors(hooks=[{"url": "https://a.example/", "hook_id": 1},
                                                           {"url": "https://b.example/", "hook_id": 1}])[0]


def test_linear_time():
    def run(n):
        desc = dict(org="acme", members=[{"login": "user-%05d" % i} for i in range(n)],
                    outside=[{"login": "out-%d" % i} for i in range(20)],
                    repo_collaborators=[{"repo": "repo-%d" % (i % 20), "login": "user-%05d" % i} for i in range(n)])
        # CPU time, without the garbage collector's passes (they grow with every object alive, and made the
        # ratio jump past 25 now and then): the same on a machine busy with other jobs.
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            result = F.org_config_plan(desc)
            spent = time.process_time() - start
        finally:
            gc.enable()
        assert result["errors"] == []
        return spent

    run(1000)
    small, large = min(run(2000) for _try in range(3)), min(run(20000) for _try in range(3))
    assert large < small * 40, (small, large)  # 10x the entries: linear is ~14x, quadratic would be ~100x


def test_offboard_input_is_checked_like_the_role():
    ok = F.org_config_offboard("@Raj-SRE", "acme", ["widgets", "ACME/gadgets", "widgets"])
    assert ok == {"errors": [], "login": "Raj-SRE", "org": "acme", "repos": ["widgets", "gadgets"]}
    assert F.org_config_offboard("raj", "acme")["repos"] is None
    bad = F.org_config_offboard("raj@acme.example", None, ["other/x", "bad name"])
    assert any(e.startswith("offboard_login: 'raj@acme.example' is not a valid GitHub login") for e in bad["errors"])
    assert any(e.startswith("offboard_org: None is not a valid GitHub login") for e in bad["errors"])
    assert "offboard_repositories[1]: 'bad name' is not a valid repository name" in " ".join(bad["errors"])


# -- teams (issue 17) ------------------------------------------------------------------------------------------

def test_teams_are_normalised_parents_first():
    result = plan(teams=[
        {"name": "Web Crew", "parent_team": "Frontend", "members": [{"login": "@Alice", "role": "maintainer"}],
         "repositories": [{"name": "acme/widgets"}, {"name": "gadgets", "permission": "pull"}]},
        {"name": "Frontend", "privacy": "closed", "description": ""},
        {"slug": "platform-sre", "name": "Site Reliability", "parent_team": None},
        {"name": "Old Team", "state": "absent"},
        {"name": "Ops", "parent_team": "platform"},  # a parent that is not listed: the module finds it
    ])
    assert result["errors"] == []
    assert [t["name"] for t in result["teams"]] == ["Frontend", "Web Crew", "Site Reliability", "Ops"]
    frontend, web, sre, ops = result["teams"]
    assert frontend == {"name": "Frontend", "where": "org_config_teams[1]", "privacy": "closed", "description": "",
                        "members": None, "repositories": None}
    assert web["parent_team"] == "frontend" and web["parent_listed"] is True
    assert web["members"] == [{"login": "Alice", "role": "maintainer"}]
    assert web["repositories"] == [{"name": "widgets", "permission": "push"}, {"name": "gadgets", "permission": "pull"}]
    assert sre["slug"] == "platform-sre" and sre["parent_team"] == "" and sre["parent_listed"] is False
    assert ops["parent_team"] == "platform" and ops["parent_listed"] is False
    assert result["teams_absent"] == [{"slug": "old-team", "name": "Old Team"}]


@pytest.mark.parametrize("kwargs, expected", [
    ({"teams": [{"name": "Platform"}, {"name": "A"}, {"name": "PLATFORM!"}]},
     "org_config_teams[2]: team platform is already listed at org_config_teams[0]"),
    ({"teams": [{"slug": "web", "name": "Frontend"}, {"name": "Web"}]},
     "org_config_teams[1]: team web is already listed at org_config_teams[0]"),
    ({"teams": [{"name": "A"}, {"name": "B"}, {"name": "T", "members": [{"login": "x"}, {"login": "bad login"}]}]},
     "org_config_teams[2].members[1].login: 'bad login' is not a valid GitHub login"),
    ({"teams": [{"name": "T", "members": [{"login": "x"}, {"login": "X", "role": "maintainer"}]}]},
     "org_config_teams[0].members[1].login: X is already listed at org_config_teams[0].members[0]"),
    ({"teams": [{"name": "T", "members": [{"login": "x", "role": "admin"}]}]},
     "org_config_teams[0].members[0].role: must be one of member, maintainer, got str 'admin'"),
    ({"teams": [{"name": "T", "privacy": "secret", "parent_team": "p"}]},
     "org_config_teams[0].privacy: a secret team cannot have a parent team"),
    ({"teams": [{"name": "P", "privacy": "secret"}, {"name": "T", "parent_team": "p"}]},
     "org_config_teams[1].parent_team: team p is secret at org_config_teams[0].privacy"),
    ({"teams": [{"name": "T", "parent_team": "t"}]},
     "org_config_teams[0].parent_team: a team cannot be its own parent"),
    ({"teams": [{"name": "A", "parent_team": "c"}, {"name": "B", "parent_team": "a"},
                {"name": "C", "parent_team": "b"}]},
     "the parent teams make a cycle"),
    ({"teams": [{"name": "T", "parent_team": "gone"}, {"slug": "gone", "state": "absent"}]},
     "org_config_teams[0].parent_team: team gone is deleted at org_config_teams[1]"),
    ({"teams": [{"slug": "gone", "state": "absent", "members": [{"login": "x"}]}]},
     "org_config_teams[0].members: the team is deleted (state absent)"),
    ({"teams": [{"slug": "web"}]}, "org_config_teams[0].name: required for a team in state present"),
    ({"teams": [{"name": "!!!"}]}, "org_config_teams[0].name: '!!!' is not a team name GitHub can make a slug from"),
    ({"teams": [{"name": "T", "repositories": [{"name": "other/widgets"}]}]},
     "org_config_teams[0].repositories[0].name: 'other/widgets' is not a repository of acme"),
    ({"teams": [{"name": "T", "repositories": [{"name": "widgets"}, {"name": "acme/Widgets", "permission": "pull"}]}]},
     "org_config_teams[0].repositories[1].name: Widgets is already listed at org_config_teams[0].repositories[0]"),
    ({"teams": [{"name": "T", "repositories": [{"name": "w", "permission": " "}]}]},
     "org_config_teams[0].repositories[0].permission: must be pull, triage, push, maintain, admin or a custom"),
    ({"members": [{"login": "alice", "state": "absent"}], "teams": [{"name": "T", "members": [{"login": "Alice"}]}]},
     "org_config_teams[0].members[0].login: Alice is removed from the organization at org_config_members[0]"),
    ({"outside": [{"login": "olga"}], "teams": [{"name": "T", "members": [{"login": "olga"}]}]},
     "org_config_teams[0].members[0].login: olga is listed as an outside collaborator"),
    ({"members_exclusive": True, "members": [{"login": "boss", "role": "admin"}],
      "teams": [{"name": "T", "members": [{"login": "boss"}, {"login": "newbie"}]}]},
     "org_config_teams[0].members[1].login: newbie is not listed in org_config_members, which is exclusive"),
    ({"teams": [{"name": "T", "privacy": "hidden"}]}, "org_config_teams[0].privacy: must be one of closed, secret"),
    ({"teams": {"name": "T"}}, "org_config_teams: must be a list"),
])
def test_bad_teams_are_named(kwargs, expected):
    found = errors(**kwargs)
    assert any(expected in error for error in found), found


def test_teams_that_give_their_slugs_may_have_names_github_slugs_alike():
    assert errors(teams=[{"slug": "c", "name": "C"}, {"slug": "c-plus-plus", "name": "C++"}]) == []
    assert errors(teams=[{"slug": "cpp", "name": "Platform"}, {"name": "PLATFORM"}]) == [
        "org_config_teams[1]: name PLATFORM is already listed at org_config_teams[0] (team names compare "
        "case-insensitively); list each team once"]


def test_teams_are_checked_in_linear_time():
    teams = [{"name": "team-%d" % i, "parent_team": "team-%d" % (i - 1) if i else None,
              "members": [{"login": "user-%d" % j} for j in range(20)]} for i in range(2000)]
    started = time.process_time()  # CPU time (about 0.25 s): the same on a machine busy with other jobs
    result = plan(teams=teams)
    assert result["errors"] == [] and len(result["teams"]) == 2000
    assert result["teams"][0]["name"] == "team-0" and result["teams"][-1]["name"] == "team-1999"
    assert time.process_time() - started < 2
