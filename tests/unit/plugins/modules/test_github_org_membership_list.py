"""github_org_membership's authoritative list mode (members, exclusive, guards), in-process.

Each task's module runs in-process (the ``ansible`` fixture of tests/unit/conftest.py); the
end-to-end cases through ansible-playbook are in tests/integration/test_membership_list.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

BASE = [
    {"login": "octo-admin", "role": "admin"},
    {"login": "alice"},
    {"login": "bob"},
    {"login": "dave"},
    {"login": "read-only-rita"},
    {"login": "carol"},  # pending invitation in the base state
]


def members_task(members, **options):
    options.setdefault("write_delay", 0)
    return {"name": "members",
            "orgcode.github.github_org_membership": dict({"org": "acme", "members": members}, **options)}


def acme(sim):
    return next(o for o in sim.state()["orgs"] if o["login"] == "acme")


def logins(mapping):
    return {k.lower(): v for k, v in mapping.items()}


def test_unchanged_list_costs_only_the_list_reads(ansible, sim):
    run = ansible.play([members_task(BASE)])
    assert run.rc == 0 and run.changed == 0, run
    assert sim.writes() == []
    paths = [(r["path"], r["query"].get("role")) for r in sim.requests()]
    assert paths == [("/orgs/acme/members", "admin"), ("/orgs/acme/members", "member"),
                     ("/orgs/acme/invitations", None), ("/orgs/acme/failed_invitations", None)]
    assert all(r["query"].get("per_page") == "100" for r in sim.requests())


def test_adds_changes_and_leaves_unlisted_alone_without_exclusive(ansible, sim):
    wanted = [{"login": "octo-admin", "role": "admin"}, {"login": "ALICE", "role": "admin"},
              {"login": "erin"}, {"login": "@frank", "role": "admin"}, {"login": "carol", "role": "admin"}]
    run = ansible.play([members_task(wanted)], diff=True)
    assert run.rc == 0 and run.changed == 1, run
    result = run.task("members")
    assert result["changes"] == {"invited": {"erin": "member", "frank": "admin"},
                                 "role_changed": {"Alice": "admin", "carol": "admin"},
                                 "removed": [], "invitations_cancelled": []}
    assert result["diff"]["before"] == {"erin": "absent", "frank": "absent", "Alice": "member",
                                        "carol": "member (pending)"}
    assert result["diff"]["after"]["frank"] == "admin (pending)"
    state = acme(sim)
    assert logins(state["members"])["alice"] == "admin"
    assert logins(state["members"])["bob"] == "member", "unlisted member kept without exclusive"
    invited = {i["login"].lower(): i["role"] for i in state["invitations"] if i["login"]}
    assert invited == {"carol": "admin", "erin": "direct_member", "frank": "admin"}, "no duplicate invitation"

    sim.clear_log()
    again = ansible.play([members_task(wanted)])
    assert again.changed == 0 and sim.writes() == []


def test_exclusive_removes_unlisted_members_and_cancels_unlisted_invitations(ansible, sim):
    wanted = [{"login": "octo-admin", "role": "admin"}, {"login": "alice"}]
    check = ansible.play([members_task(wanted, exclusive=True)], check=True, diff=True)
    assert check.rc == 0 and check.changed == 1, check
    assert sim.writes() == []
    planned = check.task("members")["changes"]
    assert sorted(x.lower() for x in planned["removed"]) == ["bob", "dave", "read-only-rita"]
    assert planned["invitations_cancelled"] == ["carol"]

    real = ansible.play([members_task(wanted, exclusive=True)])
    assert real.rc == 0 and real.changed == 1, real
    assert real.task("members")["changes"] == planned
    state = acme(sim)
    assert set(logins(state["members"])) == {"octo-admin", "alice"}
    assert [i for i in state["invitations"] if not i.get("failed")] == []
    assert ansible.play([members_task(wanted, exclusive=True)]).changed == 0


def test_exclusive_keeps_invitations_sent_to_an_email_address(ansible, sim, state):
    """The list names logins: an invitation sent to an email address is never cancelled, exclusive or not (the
    export's comment and the role's docs say so)."""
    state["orgs"][0]["invitations"].append({"email": "someone@partner.example", "role": "direct_member"})
    sim.reset(state)
    wanted = [{"login": "octo-admin", "role": "admin"}, {"login": "alice"}, {"login": "bob"}, {"login": "dave"},
              {"login": "read-only-rita"}]
    for check in (True, False):
        run = ansible.play([members_task(wanted, exclusive=True)], check=check)
        assert run.rc == 0, run
        result = run.task("members")
        assert result["changes"]["invitations_cancelled"] == ["carol"]
        assert "someone@partner.example" in result["kept"]
    emails = [i.get("email") for i in acme(sim)["invitations"] if not i.get("login")]
    assert emails == ["someone@partner.example"]


def test_max_removals_fails_before_any_write_and_names_who(ansible, sim):
    wanted = [{"login": "octo-admin", "role": "admin"}, {"login": "erin"}]
    run = ansible.play([members_task(wanted, exclusive=True, max_removals=2)])
    assert run.rc != 0
    msg = run.task("members")["msg"]
    assert "more than max_removals=2" in msg
    for login in ("alice", "bob", "dave", "carol"):
        assert login in msg.lower()
    assert sim.writes() == []


def test_never_removes_the_authenticated_user(ansible, sim, state):
    # Another owner exists, the token's user is not listed: it is kept and reported.
    state["orgs"][0]["members"]["alice"] = "admin"
    sim.reset(state)
    wanted = [{"login": "alice", "role": "admin"}, {"login": "bob"}, {"login": "dave"}, {"login": "read-only-rita"},
              {"login": "carol"}]
    run = ansible.play([members_task(wanted, exclusive=True)])
    assert run.rc == 0, run
    assert run.changed == 0
    assert "Octo-Admin" in run.task("members")["kept"]
    assert "octo-admin" in logins(acme(sim)["members"])


def test_never_demotes_the_last_owner(ansible, sim):
    wanted = [{"login": "octo-admin", "role": "member"}, {"login": "alice"}]
    for check in (True, False):
        run = ansible.play([members_task(wanted)], check=check)
        assert run.rc != 0
        assert "last owner" in run.task("members")["msg"]
    assert sim.writes() == []


def test_expired_invitation_is_reported_and_resent_or_only_reported(ansible, sim, state):
    state["orgs"][0]["invitations"].append({"login": "erin", "role": "direct_member", "expired": True})
    sim.reset(state)
    wanted = BASE + [{"login": "erin"}]
    only_report = ansible.play([members_task(wanted, resend_failed_invitations=False)])
    assert only_report.rc == 0 and only_report.changed == 0, only_report
    report = only_report.task("members")["failed_invitations"]
    assert report == [{"login": "erin", "role": "direct_member", "failed_reason": "Invitation expired",
                       "resent": False}]
    resend = ansible.play([members_task(wanted)])
    assert resend.changed == 1
    assert resend.task("members")["changes"]["invited"] == {"erin": "member"}
    pending = [i for i in acme(sim)["invitations"] if i["login"] == "erin" and not i.get("failed")]
    assert len(pending) == 1
    assert ansible.play([members_task(wanted)]).changed == 0


def test_unknown_login_fails_before_any_write_naming_its_position(ansible, sim):
    wanted = BASE + [{"login": "erin"}, {"login": "ghost-user-404"}]
    check = ansible.play([members_task(wanted)], check=True)
    assert check.rc != 0
    assert sim.writes() == []
    run = ansible.play([members_task(wanted)])
    assert run.rc != 0
    msg = run.task("members")["msg"]
    assert msg == check.task("members")["msg"]
    assert msg.startswith("members: no GitHub user has the login(s) ghost-user-404 (members[7].login)")
    assert "Already done" not in msg and run.task("members")["changed"] is False
    assert sim.writes() == []
    assert "erin" not in [i["login"] for i in acme(sim)["invitations"]]


def test_invitation_quota_error_names_the_logins_not_yet_invited(ansible, sim):
    sim.fault(method="PUT", path="^/orgs/acme/memberships/", status=422, times=0,
              body={"message": "Over invitation rate limit", "documentation_url": "https://docs.github.com/rest"})
    wanted = BASE + [{"login": "erin"}, {"login": "frank"}]
    run = ansible.play([members_task(wanted)])
    assert run.rc != 0
    msg = run.task("members")["msg"]
    assert "Over invitation rate limit" in msg
    assert "invitation limit was reached; run again later to invite: erin, frank" in msg
    assert run.task("members")["not_invited"] == ["erin", "frank"]


@pytest.mark.parametrize("options, words", [
    ({"members": [{"login": "alice"}], "username": "alice"}, "mutually exclusive"),
    ({"members": [{"login": "not a login"}]}, "members[0].login"),
    ({"members": [{"login": "alice", "role": "owner"}]}, "role"),
    ({"members": [{"login": "alice"}, {"login": "ALICE", "role": "admin"}]}, "listed twice"),
    ({"members": [{"name": "alice"}]}, "login"),
    ({"members": [["alice"]]}, "members"),
    ({"members": [{"login": "alice"}], "max_removals": -1}, "max_removals"),
    ({"username": "alice", "exclusive": True}, "exclusive"),
])
def test_bad_list_input_fails_before_any_request(ansible, sim, options, words):
    task = {"name": "members", "orgcode.github.github_org_membership": dict({"org": "acme"}, **options)}
    run = ansible.play([task])
    assert run.rc != 0
    assert words in run.task("members")["msg"]
    assert sim.requests() == []
