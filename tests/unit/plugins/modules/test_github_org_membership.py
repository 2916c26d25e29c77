"""github_org_membership's behaviour (one user) in-process, against the simulator.

Each task's module runs in-process (the ``ansible`` fixture of tests/unit/conftest.py); the
end-to-end cases through ansible-playbook are in tests/integration/test_github_org_membership.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest


def membership(username, **options):
    return {"name": "membership",
            "orgcode.github.github_org_membership": dict({"org": "acme", "username": username}, **options)}


def org_state(sim, login="acme"):
    return next(o for o in sim.state()["orgs"] if o["login"] == login)


def pending_logins(sim, login="acme"):
    return sorted((i["login"] or "").lower() for i in org_state(sim, login)["invitations"] if not i.get("failed"))


def test_invite_new_user_then_second_run_sees_pending_invitation(ansible, sim):
    first = ansible.play([membership("erin")])
    assert first.rc == 0 and first.changed == 1, first
    result = first.task("membership")["membership"]
    assert result["state"] == "pending" and result["role"] == "member"
    assert result["user"]["login"] == "erin"
    assert pending_logins(sim) == ["carol", "erin"]
    assert [(w["method"], w["path"]) for w in sim.writes()] == [("PUT", "/orgs/acme/memberships/erin")]

    sim.clear_log()
    second = ansible.play([membership("erin")])
    assert second.rc == 0 and second.changed == 0, second
    assert sim.writes() == []
    assert len(sim.requests()) == 1
    assert pending_logins(sim) == ["carol", "erin"], "no duplicate invitation"


def test_pending_invitation_counts_as_present_and_its_role_is_updated_in_place(ansible, sim):
    same = ansible.play([membership("carol", role="member")])
    assert same.changed == 0, same

    promote = ansible.play([membership("carol", role="admin")], diff=True)
    assert promote.changed == 1, promote
    result = promote.task("membership")
    assert result["membership"]["state"] == "pending" and result["membership"]["role"] == "admin"
    assert result["diff"]["before"]["role"] == "member" and result["diff"]["after"]["role"] == "admin"
    invitations = [i for i in org_state(sim)["invitations"] if (i["login"] or "").lower() == "carol"]
    assert len(invitations) == 1 and invitations[0]["role"] == "admin"


def test_role_change_of_active_member(ansible, sim):
    run = ansible.play([membership("alice", role="admin")])
    assert run.changed == 1 and run.task("membership")["membership"]["state"] == "active"
    assert org_state(sim)["members"]["Alice"] == "admin"
    assert ansible.play([membership("alice", role="admin")]).changed == 0


@pytest.mark.parametrize("spelling", ["ALICE", "@alice", "Alice"])
def test_logins_compare_case_insensitively_and_result_is_canonical(ansible, sim, spelling):
    run = ansible.play([membership(spelling, role="member")])
    assert run.rc == 0 and run.changed == 0, run
    assert run.task("membership")["membership"]["user"]["login"] == "Alice"
    assert sim.writes() == []


def test_absent_removes_active_member_and_cancels_pending_invitation(ansible, sim):
    run = ansible.play([membership("bob", state="absent"), dict(membership("carol", state="absent"), name="cancel")])
    assert run.rc == 0 and run.changed == 2, run
    acme = org_state(sim)
    assert "bob" not in {k.lower() for k in acme["members"]}
    assert pending_logins(sim) == []
    again = ansible.play([membership("bob", state="absent"), dict(membership("carol", state="absent"), name="cancel")])
    assert again.changed == 0
    assert again.task("membership")["membership"] == {}


def test_absent_for_a_stranger_is_unchanged(ansible, sim):
    run = ansible.play([membership("mallory", state="absent")])
    assert run.rc == 0 and run.changed == 0
    assert sim.writes() == []


def test_check_mode_fails_like_the_real_run_for_an_unknown_user(ansible, sim):
    for check in (True, False):
        run = ansible.play([membership("no-such-user-xyz")], check=check)
        assert run.rc != 0
        assert "username: GitHub user 'no-such-user-xyz' does not exist" in run.task("membership")["msg"]
        if check:
            assert sim.writes() == []
    # The login is confirmed (GET /users/{username}) before the PUT: the real run sends no write either.
    assert sim.writes() == []


def test_last_owner_is_never_removed_or_demoted(ansible, sim):
    for task in (membership("octo-admin", state="absent"), membership("Octo-Admin", role="member")):
        run = ansible.play([task], check=False)
        assert run.rc != 0
        assert "last owner" in run.task("membership")["msg"]
        run = ansible.play([task], check=True)
        assert run.rc != 0 and "last owner" in run.task("membership")["msg"]
    assert sim.writes() == []
    assert org_state(sim)["members"]["Octo-Admin"] == "admin"


def test_an_owner_can_be_demoted_when_another_owner_remains(ansible, sim):
    promote = ansible.play([membership("alice", role="admin")])
    assert promote.changed == 1
    demote = ansible.play([membership("octo-admin", role="member")])
    assert demote.rc == 0 and demote.changed == 1, demote
    assert org_state(sim)["members"]["Octo-Admin"] == "member"


def test_pending_admin_invitation_does_not_count_as_another_owner(ansible, sim):
    ansible.play([membership("erin", role="admin")])
    run = ansible.play([membership("octo-admin", state="absent")])
    assert run.rc != 0 and "last owner" in run.task("membership")["msg"]


@pytest.mark.parametrize("bad, option", [
    ({"username": "not a login"}, "username"),
    ({"username": "-leading-hyphen"}, "username"),
    ({"username": "a" * 40}, "username"),
    ({"role": "owner"}, "role"),
    ({"state": "gone"}, "state"),
    ({"org": "bad org"}, "org"),
])
def test_bad_input_fails_before_any_request_naming_the_option(ansible, sim, bad, option):
    options = dict({"org": "acme", "username": "alice"}, **bad)
    run = ansible.play([{"name": "membership", "orgcode.github.github_org_membership": options}])
    assert run.rc != 0
    assert option in run.task("membership")["msg"]
    assert sim.requests() == []
