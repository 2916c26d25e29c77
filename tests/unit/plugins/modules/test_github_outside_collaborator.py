"""github_outside_collaborator's behaviour in-process, against the simulator.

Each task's module runs in-process (the ``ansible`` fixture of tests/unit/conftest.py); the
end-to-end cases through ansible-playbook are in tests/integration/test_github_outside_collaborator.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

MEMBER_TOKEN = "ghp_test_member_token_0123456789abcdef"


def outside(username, name="outside", **options):
    return {"name": name,
            "orgcode.github.github_outside_collaborator": dict({"org": "acme", "username": username}, **options)}


def org_state(sim, login="acme"):
    return next(o for o in sim.state()["orgs"] if o["login"] == login)


def repo_state(sim, name):
    return next(r for r in sim.state()["repos"] if r["name"] == name)


def members(sim):
    return {k.lower(): v for k, v in org_state(sim)["members"].items()}


def outside_logins(sim):
    return sorted(login.lower() for login in org_state(sim)["outside_collaborators"])


def writes(sim):
    return [(w["method"], w["path"], w["status"]) for w in sim.writes()]


def test_member_is_converted_and_a_second_run_is_unchanged(ansible, sim):
    run = ansible.play([outside("alice")], diff=True)
    assert run.rc == 0 and run.changed == 1, run
    result = run.task("outside")
    assert result["outside_collaborator"] is True and result["conversion"] == "completed"
    assert result["user"]["login"] == "Alice"
    assert result["diff"] == {
        "before": {"login": "Alice", "outside_collaborator": False, "organization": "member (member)"},
        "after": {"login": "Alice", "outside_collaborator": True, "organization": "outside collaborator"}}
    assert writes(sim) == [("PUT", "/orgs/acme/outside_collaborators/Alice", 204)]
    assert "alice" not in members(sim) and "alice" in outside_logins(sim)
    assert repo_state(sim, "widgets")["collaborators"]["Alice"] == "admin", "repository access is kept"

    sim.clear_log()
    again = ansible.play([outside("alice")])
    assert again.rc == 0 and again.changed == 0, again
    assert again.task("outside")["outside_collaborator"] is True
    assert sim.writes() == []
    # Membership read (404), then one page of outside collaborators holding alice.
    assert [r["path"] for r in sim.requests()] == ["/orgs/acme/memberships/alice", "/orgs/acme/outside_collaborators"]


def test_async_conversion_is_queued_with_202(ansible, sim):
    run = ansible.play([outside("bob", **{"async": True})])
    assert run.rc == 0 and run.changed == 1, run
    assert run.task("outside")["conversion"] == "queued"
    assert run.task("outside")["outside_collaborator"] is True
    assert writes(sim) == [("PUT", "/orgs/acme/outside_collaborators/bob", 202)]
    assert "bob" in outside_logins(sim)


def test_an_outside_collaborator_is_unchanged_at_two_requests(ansible, sim):
    run = ansible.play([outside("outsider-olga")])
    assert run.rc == 0 and run.changed == 0, run
    assert run.task("outside")["outside_collaborator"] is True
    assert run.task("outside")["user"]["login"] == "outsider-olga"
    assert sim.writes() == []
    assert len(sim.requests()) == 2


@pytest.mark.parametrize("spelling", ["MALLORY", "@mallory", "Mallory"])
def test_logins_compare_case_insensitively_and_results_are_canonical(ansible, sim, state, spelling):
    state["orgs"][0]["outside_collaborators"].append("Mallory")
    sim.reset(state)
    present = ansible.play([outside(spelling)])
    assert present.rc == 0 and present.changed == 0, present
    assert present.task("outside")["user"]["login"] == "Mallory"
    absent = ansible.play([outside(spelling, state="absent")])
    assert absent.rc == 0 and absent.changed == 1, absent
    assert absent.task("outside")["user"]["login"] == "Mallory"
    assert writes(sim) == [("DELETE", "/orgs/acme/outside_collaborators/Mallory", 204)]
    assert "mallory" not in outside_logins(sim)


def test_absent_removes_an_outside_collaborator_from_every_repository(ansible, sim):
    run = ansible.play([outside("outsider-oscar", state="absent")], diff=True)
    assert run.rc == 0 and run.changed == 1, run
    assert run.task("outside")["outside_collaborator"] is False
    assert run.task("outside")["diff"]["before"]["outside_collaborator"] is True
    assert run.task("outside")["diff"]["after"]["outside_collaborator"] is False
    assert "outsider-oscar" not in outside_logins(sim)
    assert "outsider-oscar" not in {k.lower() for k in repo_state(sim, "gadgets")["collaborators"]}

    sim.clear_log()
    again = ansible.play([outside("outsider-oscar", state="absent")])
    assert again.rc == 0 and again.changed == 0, again
    assert sim.writes() == []


@pytest.mark.parametrize("username", ["bob", "Octo-Admin", "erin", "carol", "no-such-user-xyz"])
def test_absent_for_a_member_invitee_or_stranger_sends_no_delete(ansible, sim, username):
    run = ansible.play([outside(username, state="absent")])
    assert run.rc == 0 and run.changed == 0, run
    assert run.task("outside")["outside_collaborator"] is False
    assert sim.writes() == [], "GitHub answers 422 for a member: the module must not ask"
    assert "bob" in members(sim)


def test_present_for_a_user_who_is_neither_points_to_github_repo_collaborator(ansible, sim):
    for check in (False, True):
        run = ansible.play([outside("erin")], check=check)
        assert run.rc != 0
        msg = run.task("outside")["msg"]
        assert "erin is neither a member nor an outside collaborator of organization acme" in msg
        assert "orgcode.github.github_repo_collaborator" in msg
        assert "Traceback" not in run.output
    assert sim.writes() == []


def test_a_pending_invitee_is_not_a_member_and_the_message_says_so(ansible, sim):
    run = ansible.play([outside("carol")])
    assert run.rc != 0
    assert "pending invitation" in run.task("outside")["msg"]
    assert sim.writes() == []


def test_a_missing_user_or_organization_is_named(ansible, sim):
    run = ansible.play([outside("no-such-user-xyz")])
    assert run.rc != 0
    assert "username: GitHub user 'no-such-user-xyz' does not exist" in run.task("outside")["msg"]
    run = ansible.play([dict(outside("alice"), **{"orgcode.github.github_outside_collaborator": {
        "org": "no-such-org", "username": "alice"}})])
    assert run.rc != 0
    assert "org: organization 'no-such-org' was not found" in run.task("outside")["msg"]
    assert sim.writes() == []


def test_last_owner_is_never_converted(ansible, sim):
    for check in (False, True):
        run = ansible.play([outside("octo-admin")], check=check)
        assert run.rc != 0
        assert "refusing to convert Octo-Admin: it is the last owner" in run.task("outside")["msg"]
    assert sim.writes() == []
    assert members(sim)["octo-admin"] == "admin"


def test_an_owner_is_converted_when_another_owner_remains(ansible, sim, state):
    state["orgs"][0]["members"]["second-owner"] = "admin"
    sim.reset(state)
    run = ansible.play([outside("second-owner")])
    assert run.rc == 0 and run.changed == 1, run
    assert "second-owner" not in members(sim)


def test_enterprise_policy_refusal_is_one_clear_message(ansible, sim):
    policy = ("You cannot convert alice to an outside collaborator because your enterprise enforces a policy "
              "for inviting outside collaborators.")
    sim.fault(method="PUT", path="^/orgs/acme/outside_collaborators/", status=403,
              body={"message": policy, "documentation_url": "https://docs.github.com/rest", "status": "403"})
    run = ansible.play([outside("alice")])
    assert run.rc != 0
    result = run.task("outside")
    assert result["msg"].startswith("username: GitHub refused to convert Alice to an outside collaborator of acme "
                                    "(HTTP 403: %s)" % policy)
    assert result["status"] == 403
    assert "Traceback" not in run.output
    assert "alice" in members(sim)


def test_a_token_without_owner_rights_gets_githubs_403(ansible, sim):
    ansible.token = MEMBER_TOKEN
    run = ansible.play([outside("alice")])
    assert run.rc != 0
    msg = run.task("outside")["msg"]
    assert "HTTP 403: You must be an admin" in msg and "GitHub refused to convert Alice" in msg
    assert "alice" in members(sim)


def test_reads_stop_at_the_page_holding_the_user(ansible, sim, state):
    logins = ["ext-%03d" % n for n in range(250)]
    state["users"].extend({"login": login} for login in logins)
    state["orgs"][0]["outside_collaborators"] = logins
    sim.reset(state)

    def cost(username, **options):
        sim.clear_log()
        run = ansible.play([outside(username, **options)])
        assert run.rc == 0 and run.changed == 0, run
        return [(r["path"], r["query"].get("page", "1")) for r in sim.requests()]

    first_page = cost("ext-007")
    assert first_page == [("/orgs/acme/memberships/ext-007", "1"), ("/orgs/acme/outside_collaborators", "1")]
    assert len(cost("ext-150")) == 1 + 2
    assert len(cost("ext-249")) == 1 + 3
    assert len(cost("erin", state="absent")) == 1 + 3  # a stranger: every page
    assert len(cost("bob", state="absent")) == 1  # a member: the membership read is enough
    assert all(r["query"].get("per_page") in (None, "100") for r in sim.requests())


@pytest.mark.parametrize("bad, option", [
    ({"username": "not a login"}, "username"),
    ({"org": "bad org"}, "org"),
    ({"state": "gone"}, "state"),
    ({"async": "sometimes"}, "async"),
])
def test_bad_input_fails_before_any_request_naming_the_option(ansible, sim, bad, option):
    options = dict({"org": "acme", "username": "alice"}, **bad)
    run = ansible.play([{"name": "outside", "orgcode.github.github_outside_collaborator": options}])
    assert run.rc != 0
    assert option in run.task("outside")["msg"]
    assert sim.requests() == []
