"""roles/org_config through ansible-playbook against the simulator (state_acme.yml)."""

import json
import re

import pytest
import yaml
from harness import ADMIN_TOKEN, ROOT

ROLE = ROOT / "roles" / "org_config"
HOOK_SECRET = "hook-secret-do-not-leak"  # hook 1's secret in state_acme.yml
NEW_SECRET = "Deploy-hook-secret-93x"
DEPLOY_URL = "https://deploy.acme.example/github"

DESCRIPTION = {
    "org_config_org": "acme",
    "org_config_write_delay": 0,
    "org_config_settings": {
        "description": "Managed by org_config",
        "default_repository_permission": "read",
        "web_commit_signoff_required": True,
    },
    "org_config_members": [
        {"login": "Octo-Admin", "role": "admin"},
        {"login": "alice"},
        {"login": "@Bob"},
        {"login": "second-owner", "role": "admin"},
        {"login": "carol"},
        {"login": "erin", "role": "member", "state": "present"},
        {"login": "read-only-rita", "state": "absent"},
    ],
    "org_config_outside_collaborators": [
        {"login": "dave"},  # a member: converted
        {"login": "outsider-oscar", "state": "absent"},  # removed from every repository
        {"login": "outsider-olga"},  # already one: no request
        {"login": "frank"},  # gets access below (pending repository invitation)
    ],
    "org_config_hooks": [
        {"url": "https://ci.acme.example/hook", "events": ["pull_request", "push"]},
        {"url": DEPLOY_URL, "events": ["release"], "secret": NEW_SECRET},
    ],
    "org_config_repo_collaborators": [
        {"repo": "widgets", "login": "outsider-olga", "permission": "push"},
        {"repo": "widgets", "login": "frank", "permission": "push"},
        {"repo": "gadgets", "login": "Mallory", "permission": "pull"},
    ],
}


APPLY = "Apply the organization description"  # the role's one task (github_org_config)


def role_play(ansible, role_vars, connection=True):
    play = ansible.playbook([], connection=connection)[0]
    play["vars"] = role_vars
    play["roles"] = [{"role": "orgcode.github.org_config"}]
    return [play]


def apply(ansible, role_vars, connection=True, **kwargs):
    return ansible.run(role_play(ansible, role_vars, connection=connection), **kwargs)


def acme(sim):
    return next(o for o in sim.state()["orgs"] if o["login"] == "acme")


def repo(sim, name):
    return next(r for r in sim.state()["repos"] if r["name"] == name)


def per_task_changed(run):
    return [(r["task"], r["result"].get("item", r["result"].get("__org_config_hook_index")), r["result"]["changed"])
            for r in run.results if r["status"] != "skipped"]


def task_result(run, suffix):
    found = [r["result"] for r in run.results if r["task"].endswith(suffix)]
    assert found, "no task ending in %r: %s" % (suffix, [r["task"] for r in run.results])
    return found[-1]


def test_check_then_apply_then_nothing_left_to_change_and_no_secret_shown(ansible, sim):
    check = apply(ansible, DESCRIPTION, check=True, diff=True, verbosity=3)
    assert check.rc == 0, check
    assert sim.writes() == []
    assert check.changed == 1, check  # one task: github_org_config
    planned = task_result(check, APPLY)["writes"]
    # settings, two invitations, a conversion, a new hook, a repository invitation, two removals
    assert len(planned) == 8, planned
    assert "Managed by org_config" in check.stdout and "second-owner" in check.stdout  # the diff is shown

    real = apply(ansible, DESCRIPTION, diff=True, verbosity=3)
    assert real.rc == 0, real
    assert real.changed == check.changed
    assert per_task_changed(real) == per_task_changed(check)
    assert task_result(real, APPLY)["writes"] == planned

    org = acme(sim)
    assert org["settings"]["description"] == "Managed by org_config"
    assert org["settings"]["web_commit_signoff_required"] is True
    assert dict(org["members"]) == {"Octo-Admin": "admin", "Alice": "member", "bob": "member"}
    pending = {i["login"]: i["role"] for i in org["invitations"] if not i.get("failed")}
    assert pending == {"carol": "direct_member", "second-owner": "admin", "erin": "direct_member"}
    assert sorted(org["outside_collaborators"]) == ["dave", "outsider-olga"]
    hooks = {h["config"]["url"]: h for h in org["hooks"]}
    assert hooks[DEPLOY_URL]["config"]["secret"] == NEW_SECRET and hooks[DEPLOY_URL]["events"] == ["release"]
    assert hooks["https://ci.acme.example/hook"]["config"]["secret"] == HOOK_SECRET  # kept
    assert repo(sim, "gadgets")["collaborators"] == {}  # oscar removed with the outside collaborator
    assert [(i["login"], i["permissions"]) for i in repo(sim, "gadgets")["invitations"]] == [("Mallory", "read")]
    assert [i["login"] for i in repo(sim, "widgets")["invitations"]] == ["frank"]  # not sent twice
    assert repo(sim, "widgets")["collaborators"]["outsider-olga"] == "write"

    sim.clear_log()
    again = apply(ansible, DESCRIPTION, diff=True, verbosity=3)
    assert again.rc == 0 and again.changed == 0, again
    assert sim.writes() == []
    # The members are one list task; outside collaborators already as described cost no request.
    paths = [r["path"] for r in sim.requests()]
    assert not any(re.match(r"^/orgs/acme/memberships/(alice|bob|erin|carol)", p, re.I) for p in paths)
    assert not any("/outside_collaborators/" in p for p in paths)
    assert task_result(again, APPLY)["writes"] == []

    for run in (check, real, again):
        dumped = json.dumps(run.results)
        for secret in (NEW_SECRET, HOOK_SECRET, ADMIN_TOKEN):
            assert secret not in run.output and secret not in dumped


def test_connection_options_from_the_role_variable(ansible, sim):
    role_vars = {"org_config_org": "acme", "org_config_settings": {"location": "Shelbyville"},
                 "org_config_connection": {"token": ADMIN_TOKEN, "api_url": sim.url, "timeout": 20}}
    run = apply(ansible, role_vars, connection=False, verbosity=3)
    assert run.rc == 0 and run.changed == 1, run
    assert ADMIN_TOKEN not in run.output
    assert acme(sim)["settings"]["location"] == "Shelbyville"


def test_nothing_unlisted_is_removed(ansible, sim):
    before = acme(sim)
    run = apply(ansible, {"org_config_org": "acme", "org_config_members": [{"login": "erin"}],
                          "org_config_write_delay": 0})
    assert run.rc == 0 and run.changed == 1, run
    assert [(w["method"], w["path"]) for w in sim.writes()] == [("PUT", "/orgs/acme/memberships/erin")]
    after = acme(sim)
    assert after["members"] == before["members"]
    assert after["outside_collaborators"] == before["outside_collaborators"]
    assert after["hooks"] == before["hooks"]


def test_exclusive_members_remove_the_unlisted_but_convert_listed_outside_collaborators(ansible, sim):
    role_vars = {
        "org_config_org": "acme", "org_config_write_delay": 0, "org_config_members_exclusive": True,
        "org_config_members": [{"login": "octo-admin", "role": "admin"}, {"login": "alice"}, {"login": "bob"}],
        "org_config_outside_collaborators": [{"login": "dave"}],
    }
    check = apply(ansible, role_vars, check=True, diff=True)
    assert check.rc == 0, check
    assert sim.writes() == []
    removed = [(a["id"], a["verb"]) for a in task_result(check, APPLY)["actions"] if a["action"] == "remove"]
    assert sorted(removed) == [("carol", "cancel invitation"), ("read-only-rita", "remove")]  # dave: converted

    run = apply(ansible, role_vars)
    assert run.rc == 0 and run.changed == check.changed == 1, run
    org = acme(sim)
    assert org["members"] == {"Octo-Admin": "admin", "Alice": "member", "bob": "member"}
    assert [i for i in org["invitations"] if not i.get("failed")] == []
    assert "dave" in org["outside_collaborators"]
    assert apply(ansible, role_vars).changed == 0


def test_exclusive_members_stop_at_max_removals_before_any_write(ansible, sim):
    role_vars = {"org_config_org": "acme", "org_config_write_delay": 0, "org_config_members_exclusive": True,
                 "org_config_max_removals": 2, "org_config_members": [{"login": "octo-admin", "role": "admin"}]}
    run = apply(ansible, role_vars)
    assert run.rc != 0
    msg = task_result(run, APPLY)["msg"]
    assert "max_removals=2" in msg and "read-only-rita" in msg
    assert sim.writes() == []


def test_exclusive_repository_collaborators_reconcile_each_listed_repository(ansible, sim):
    role_vars = {"org_config_org": "acme", "org_config_write_delay": 0, "org_config_repo_collaborators_exclusive": True,
                 "org_config_repo_collaborators": [
                     {"repo": "widgets", "login": "outsider-olga", "permission": "push"},
                     {"repo": "Widgets", "login": "erin", "permission": "triage"},
                     {"repo": "gadgets", "login": "outsider-oscar", "state": "absent"}]}
    check = apply(ansible, role_vars, check=True, diff=True)
    assert check.rc == 0, check
    assert sim.writes() == []
    actions = task_result(check, APPLY)["actions"]
    removed = [(a["scope"], a["id"], a["verb"]) for a in actions if a["action"] == "remove"]
    assert removed == [("acme/widgets", "Alice", "remove"), ("acme/widgets", "frank", "cancel invitation"),
                       ("acme/gadgets", "outsider-oscar", "remove")]

    run = apply(ansible, role_vars)
    assert run.rc == 0 and run.changed == check.changed == 1, run
    assert repo(sim, "widgets")["collaborators"] == {"outsider-olga": "write"}
    assert [(i["login"], i["permissions"]) for i in repo(sim, "widgets")["invitations"]] == [("erin", "triage")]
    assert repo(sim, "widgets")["teams"] == {"bob": "maintain"}  # access through the organization stays
    assert repo(sim, "gadgets")["collaborators"] == {}
    sim.clear_log()
    again = apply(ansible, role_vars)
    assert again.rc == 0 and again.changed == 0, again
    assert sim.writes() == []


def test_exclusive_repository_collaborators_stop_at_max_removals(ansible, sim):
    role_vars = {"org_config_org": "acme", "org_config_repo_collaborators_exclusive": True,
                 "org_config_max_removals": 1,
                 "org_config_repo_collaborators": [{"repo": "widgets", "login": "outsider-olga"}]}
    run = apply(ansible, role_vars)
    assert run.rc != 0
    assert "max_removals=1" in json.dumps(run.results)
    assert sim.writes() == []


def test_an_outside_collaborator_without_any_access_fails_with_the_modules_message(ansible, sim):
    run = apply(ansible, {"org_config_org": "acme", "org_config_outside_collaborators": [{"login": "erin"}]})
    assert run.rc != 0
    result = task_result(run, APPLY)
    assert "org_config_outside_collaborators[0].login: erin is neither a member nor an outside collaborator" in \
        result["msg"] and "org_config_repo_collaborators" in result["msg"]
    assert sim.writes() == []


BAD_INPUT = [
    ({"org_config_members": [{"login": "alice", "rol": "admin"}]}, "rol"),
    ({"org_config_members": [{"login": "alice", "role": "owner"}]}, "owner"),
    ({"org_config_settings": {"default_repository_permision": "read"}}, "default_repository_permision"),
    ({"org_config_hooks": [{"events": ["push"]}]}, "url"),
    ({"org_config_hooks": [{"url": DEPLOY_URL, "content_type": "xml"}]}, "xml"),
    ({"org_config_hooks": [{"url": DEPLOY_URL}, {"url": DEPLOY_URL + "/2", "events": ["push", "pull_requests"]}]},
     "org_config_hooks[1].events[1]: 'pull_requests' is not a GitHub event name; did you mean 'pull_request'?"),
    ({"org_config_repo_collaborators": [{"repo": "widgets", "user": "frank"}]}, "user"),
    ({"org_config_member": [{"login": "alice"}]}, "org_config_member"),
    ({"org_config_members_exclusive": "maybe"}, "org_config_members_exclusive"),
    ({"org_config_connection": {"tokn": "x"}}, "tokn"),
]


def fails_alone_before_any_request(ansible, sim, cases, task=None, **kwargs):
    """Run every case (role variables, expected text) in one ansible-playbook run, a host per case: each case
    fails once, naming its mistake, and no case sends a request."""
    run, results = ansible.run_cases(role_play(ansible, {}), [dict({"org_config_org": "acme"}, **role_vars)
                                                              for role_vars, _expected in cases], **kwargs)
    assert run.rc != 0
    for (role_vars, expected), case in zip(cases, results, strict=True):
        failed = [r for r in case if r["status"] == "failed"]
        assert len(failed) == 1 and expected in failed[0]["result"]["msg"], (role_vars, failed)
        if task:
            assert failed[0]["task"].endswith(task), failed[0]["task"]
    assert sim.requests() == []
    return run


def test_bad_input_fails_at_the_start_naming_it(ansible, sim):
    fails_alone_before_any_request(ansible, sim, BAD_INPUT)


def test_missing_organization_is_named(ansible, sim):
    run = apply(ansible, {"org_config_members": [{"login": "alice"}]})
    assert run.rc != 0
    assert "org_config_org" in run.output
    assert sim.requests() == []


CONTRADICTIONS = [
    ({"org_config_members": [{"login": "dave"}], "org_config_outside_collaborators": [{"login": "Dave"}]},
     "org_config_outside_collaborators[0].login: Dave is also listed in org_config_members[0]"),
    ({"org_config_members": [{"login": "dave", "state": "absent"}],
      "org_config_outside_collaborators": [{"login": "dave"}]}, "removing the membership first"),
    ({"org_config_outside_collaborators": [{"login": "outsider-olga", "state": "absent"}],
      "org_config_repo_collaborators": [{"repo": "widgets", "login": "Outsider-Olga"}]}, "keep one of them"),
    ({"org_config_members_exclusive": True}, "would remove every member"),
    ({"org_config_members": [{"login": "alice"}, {"login": "ALICE", "state": "absent"}]},
     "org_config_members[1].login: ALICE is already listed at org_config_members[0] (logins compare "
     "case-insensitively)"),
    ({"org_config_hooks": [{"url": DEPLOY_URL}, {"url": DEPLOY_URL + "/", "events": ["release"]}]},
     "org_config_hooks[1].url: " + DEPLOY_URL + "/ is already listed at org_config_hooks[0]"),
    ({"org_config_repo_collaborators": [{"repo": "widgets", "login": "frank"},
                                        {"repo": "Widgets", "login": "@Frank", "permission": "pull"}]},
     "org_config_repo_collaborators[1]: Frank on Widgets is already listed at org_config_repo_collaborators[0]"),
]


def test_contradictions_fail_before_any_request(ansible, sim):
    fails_alone_before_any_request(ansible, sim, CONTRADICTIONS)


def _spec():
    return yaml.safe_load((ROLE / "meta" / "argument_specs.yml").read_text())["argument_specs"]["main"]["options"]


def test_argument_spec_defaults_and_known_variables_agree():
    spec = _spec()
    defaults = yaml.safe_load((ROLE / "defaults" / "main.yml").read_text())
    known = yaml.safe_load((ROLE / "vars" / "main.yml").read_text())["__org_config_known_vars"]
    assert sorted(known) == sorted(spec)
    assert sorted(defaults) == sorted(k for k in spec if k != "org_config_org")
    for key, value in defaults.items():
        assert spec[key].get("default") == value, key
    assert spec["org_config_org"]["required"] is True


def test_docs_say_what_team_lists_and_the_exclusive_member_list_do():
    """The words of the defaults, the role README and the argument spec match the modules' behaviour: a team's
    members and repositories lists add and change (roles and permissions, lowered too) and leave the unlisted
    alone unless org_config_teams_exclusive; the exclusive member list never cancels an email invitation (both
    checked by the module tests: test_github_team_membership.py, test_github_team_repository.py,
    test_github_org_membership_list.py::test_exclusive_keeps_invitations_sent_to_an_email_address)."""
    def flat(text):
        return " ".join(text.replace("#", " ").split())
    defaults = flat((ROLE / "defaults" / "main.yml").read_text())
    readme = flat((ROLE / "README.md").read_text())
    spec = _spec()
    teams = spec["org_config_teams"]["options"]
    assert "are added to the team" not in defaults and "reconciled as whole lists" not in readme
    for text in (defaults, readme):
        assert "lowered included" in text
        assert "never an invitation sent to an email address" in text or "invitation sent to an email address" in text
    assert "left alone unless `org_config_teams_exclusive` is true" in readme
    assert "not listed are left alone" in defaults
    for key in ("members", "repositories"):
        words = flat(" ".join(teams[key]["description"]))
        assert "left alone, unless O(org_config_teams_exclusive) is set" in words, key
    assert any("email address are always kept" in line for line in spec["org_config_members_exclusive"]["description"])


def test_settings_follow_the_options_of_github_org():
    src = (ROOT / "plugins" / "modules" / "github_org.py").read_text()
    doc = yaml.safe_load(re.search(r"DOCUMENTATION = r'''(.*?)'''", src, re.S).group(1))
    module_options = {k: v for k, v in doc["options"].items() if k != "org"}
    role_options = _spec()["org_config_settings"]["options"]
    assert sorted(role_options) == sorted(module_options)
    for key, option in module_options.items():
        assert role_options[key]["type"] == option["type"], key
        assert role_options[key].get("choices") == option.get("choices"), key
    from ansible_collections.orgcode.github.plugins.module_utils._rules import SETTINGS

    assert sorted(SETTINGS) == sorted(module_options)  # what github_org_config accepts in config.settings


# -- the whole description is validated before the first request (issue 12, items 1, 3 and 4) ---------------

LAST_ENTRIES = [
    ({"repo": "other-org/repo-01", "login": "frank"}, "org_config_repo_collaborators[3].repo: 'other-org/repo-01' "
                                                      "is not a repository of acme"),
    ({"repo": "widgets", "login": "frank@partner.example"}, "org_config_repo_collaborators[3].login: "
                                                            "'frank@partner.example' is not a valid GitHub login"),
    ({"repo": "widgets", "login": "read-only-rita"}, "org_config_repo_collaborators[3].login: read-only-rita is "
                                                     "removed from the organization at org_config_members[6]"),
    ({"repo": "Gadgets", "login": "@mallory", "permission": "push"}, "org_config_repo_collaborators[3]: mallory on "
                                                                     "Gadgets is already listed at "
                                                                     "org_config_repo_collaborators[2]"),
]


@pytest.mark.parametrize("check", [True, False], ids=["check", "real"])
def test_a_bad_value_in_the_last_section_sends_no_request(ansible, sim, check):
    cases = [(dict(DESCRIPTION, org_config_repo_collaborators=DESCRIPTION["org_config_repo_collaborators"] + [entry]),
              expected) for entry, expected in LAST_ENTRIES]
    fails_alone_before_any_request(ansible, sim, cases, task="Stop before any request if the description is not valid",
                                   check=check, diff=check)


def test_an_empty_hook_secret_fails_validation_and_null_means_no_secret(ansible, sim):
    unset = "{{ lookup('ansible.builtin.env', 'ORGCODE_UNSET_HOOK_SECRET') }}"
    description = dict(DESCRIPTION, org_config_hooks=[{"url": DEPLOY_URL, "events": ["release"], "secret": unset}])
    run = apply(ansible, description, env={"ORGCODE_UNSET_HOOK_SECRET": ""})
    assert run.rc != 0
    assert "org_config_hooks[0].secret: is empty or only whitespace" in run.output
    assert sim.requests() == []
    spaces = apply(ansible, {"org_config_org": "acme", "org_config_hooks": [{"url": DEPLOY_URL, "secret": " \n"}]})
    assert spaces.rc != 0 and "org_config_hooks[0].secret: is empty" in spaces.output
    assert sim.requests() == []

    unsigned = {"org_config_org": "acme", "org_config_hooks": [{"url": DEPLOY_URL, "events": ["release"],
                                                               "secret": None}]}
    created = apply(ansible, unsigned)
    assert created.rc == 0 and created.changed == 1, created
    hook = next(h for h in acme(sim)["hooks"] if h["config"]["url"] == DEPLOY_URL)
    assert not hook["config"].get("secret")
    assert apply(ansible, unsigned).changed == 0


def test_the_tokens_own_user_is_not_removed_unless_allowed(ansible, sim, state):
    state["orgs"][0]["members"]["second-owner"] = "admin"
    sim.reset(state)
    env = {"GITHUB_TOKEN": ADMIN_TOKEN, "GITHUB_API_URL": sim.url}
    role_vars = {"org_config_org": "acme", "org_config_write_delay": 0,
                 "org_config_settings": {"description": "written first"},
                 "org_config_members": [{"login": "alice"}, {"login": "@Octo-Admin", "state": "absent"}]}
    for check in (True, False):
        run = apply(ansible, role_vars, connection=False, check=check, env=env)
        assert run.rc != 0
        failed = [r for r in run.results if r["status"] == "failed"]
        assert len(failed) == 1, failed
        assert failed[0]["task"].endswith(APPLY)
        assert "org_config_members[1].login: octo-admin is the token's own user" in failed[0]["result"]["msg"].lower()
        assert "org_config_allow_self_removal" in failed[0]["result"]["msg"]
    assert sim.writes() == []
    assert acme(sim)["settings"]["description"] == "Widgets since 1949"


MEMBERSHIP_SOURCE = (ROOT / "plugins" / "modules" / "github_org_membership.py").read_text()


@pytest.mark.skipif("allow_self_removal" not in MEMBERSHIP_SOURCE,
                    reason="github_org_membership has no allow_self_removal option yet (branch core)")
def test_the_tokens_own_user_is_removed_when_allowed(ansible, sim, state):
    state["orgs"][0]["members"]["second-owner"] = "admin"
    sim.reset(state)
    role_vars = {"org_config_org": "acme", "org_config_allow_self_removal": True,
                 "org_config_members": [{"login": "Octo-Admin", "state": "absent"}]}
    allowed = apply(ansible, role_vars, connection=False, env={"GITHUB_TOKEN": ADMIN_TOKEN, "GITHUB_API_URL": sim.url})
    assert allowed.rc == 0 and allowed.changed == 1, allowed
    assert "Octo-Admin" not in acme(sim)["members"]
