"""github_repo_collaborator's authoritative list mode (collaborators, exclusive, guards), in-process.

Each task's module runs in-process (the ``ansible`` fixture of tests/unit/conftest.py); the
end-to-end cases through ansible-playbook are in tests/integration/test_repo_collaborator_list.py.

The base state: acme/widgets (private) has direct collaborators outsider-olga (write) and Alice (admin,
a member), bob (a member) gets maintain through a team, frank has a pending invitation (write); acme's
base permission is read, Octo-Admin is the owner and the admin token's user. acme/gadgets is public with
outsider-oscar (read).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from helpers import collab_list, direct, invitations, repo, widgets
from helpers import status_writes as writes

WIDGETS = "/repos/acme/widgets"
LIST_READS = [WIDGETS + "/collaborators", WIDGETS + "/invitations"]
ALICE_TOKEN = "ghp_test_alice_token_0123456789abcdefgh"

# The current direct collaborators and pending invitations of acme/widgets, as they are.
BASE = [
    {"login": "outsider-olga", "permission": "push"},
    {"login": "alice", "permission": "admin"},
    {"login": "frank", "permission": "push"},  # pending invitation
]


def paths(sim):
    return [r["path"] for r in sim.requests()]


def no_changes():
    return {"added": {}, "invited": {}, "changed": {}, "removed": [], "invitations_cancelled": [],
            "invitations_resent": []}


# -- request costs ------------------------------------------------------------------------------


def test_an_unchanged_list_costs_exactly_the_two_list_reads(ansible, sim):
    run = ansible.play([collab_list(BASE, name="plain"), collab_list(BASE, name="exclusive", exclusive=True)],
                       diff=True)
    assert run.rc == 0 and run.changed == 0, run
    assert sim.writes() == []
    assert paths(sim) == LIST_READS * 2, "no per-user read and no GET /user when nothing is to be removed"
    collaborators = [r for r in sim.requests() if r["path"].endswith("/collaborators")]
    assert all(r["query"] == {"affiliation": "direct", "per_page": "100"} for r in collaborators)
    assert all(r["query"].get("per_page") == "100" for r in sim.requests())
    for name in ("plain", "exclusive"):
        result = run.task(name)
        assert result["changes"] == no_changes()
        assert result["diff"] == {"before": {}, "after": {}}
        assert result["collaborator_count"] == {"direct": 2, "pending": 1}
        assert result["api"]["requests"] == 2


def test_many_collaborators_cost_one_read_per_hundred(ansible, sim, state):
    for number in range(150):
        state["users"].append({"login": "contractor-%03d" % number})
        widgets(state)["collaborators"]["contractor-%03d" % number] = "write"
    sim.reset(state)
    wanted = BASE + [{"login": "contractor-%03d" % number} for number in range(150)]
    run = ansible.play([collab_list(wanted, exclusive=True)])
    assert run.rc == 0 and run.changed == 0, run
    assert paths(sim) == [WIDGETS + "/collaborators", WIDGETS + "/collaborators", WIDGETS + "/invitations"]
    assert run.task("list")["collaborator_count"] == {"direct": 152, "pending": 1}


# -- add, change, remove --------------------------------------------------------------------------


CHANGES = [
    {"login": "outsider-olga", "permission": "maintain"},  # direct grant raised in place
    {"login": "frank", "permission": "triage"},  # pending invitation updated in place
    {"login": "erin"},  # outside the organization: invited (push)
    {"login": "dave", "permission": "write"},  # a member with the base permission read: direct grant
    {"login": "bob", "permission": "push"},  # maintain through a team: at least push already
    {"login": "octo-admin", "permission": "pull"},  # owner: admin already
]


def test_adds_changes_and_leaves_unlisted_alone_without_exclusive(ansible, sim):
    run = ansible.play([collab_list(CHANGES)], diff=True)
    assert run.rc == 0 and run.changed == 1, run
    result = run.task("list")
    assert result["changes"] == dict(no_changes(), added={"dave": "write"}, invited={"erin": "write"},
                                     changed={"outsider-olga": "maintain", "frank": "triage"})
    assert result["diff"] == {
        "before": {"outsider-olga": "write", "frank": "write (pending)", "erin": "absent",
                   "dave": "read (organization)"},
        "after": {"outsider-olga": "maintain", "frank": "triage (pending)", "erin": "write (pending)",
                  "dave": "write"},
    }
    assert result["organization_access"] == {"bob": "maintain", "Octo-Admin": "admin"}
    assert result["collaborator_count"] == {"direct": 3, "pending": 2}
    [(put_olga, _p, s1), (patch, patch_path, s2), (put_dave, p3, s3), (put_erin, p4, s4)] = writes(sim)
    assert (put_olga, s1) == ("PUT", 204)
    assert (patch, s2) == ("PATCH", 200) and patch_path.startswith(WIDGETS + "/invitations/")
    assert (put_dave, p3, s3) == ("PUT", WIDGETS + "/collaborators/dave", 204)
    assert (put_erin, p4, s4) == ("PUT", WIDGETS + "/collaborators/erin", 201)
    assert direct(sim) == {"outsider-olga": "maintain", "alice": "admin", "dave": "write"}, "unlisted Alice kept"
    assert invitations(sim) == [("erin", "write", False), ("frank", "triage", False)], "no second invitation"

    sim.clear_log()
    again = ansible.play([collab_list(CHANGES)])
    assert again.rc == 0 and again.changed == 0, again
    assert sim.writes() == []
    # Only the logins whose access comes through the organization cost a read each.
    assert paths(sim) == LIST_READS + [WIDGETS + "/collaborators/bob/permission",
                                       WIDGETS + "/collaborators/octo-admin/permission"]


def test_a_direct_grant_is_lowered_in_place(ansible, sim):
    wanted = [{"login": "outsider-olga", "permission": "read"}, {"login": "alice", "permission": "write"},
              {"login": "frank"}]
    run = ansible.play([collab_list(wanted)])
    assert run.rc == 0 and run.changed == 1, run
    assert run.task("list")["changes"]["changed"] == {"Alice": "write", "outsider-olga": "read"}
    assert [(m, p) for m, p, _s in writes(sim)] == [
        ("PUT", WIDGETS + "/collaborators/Alice"), ("PUT", WIDGETS + "/collaborators/outsider-olga")]
    assert direct(sim) == {"outsider-olga": "read", "alice": "write"}
    assert ansible.play([collab_list(wanted)]).changed == 0


def test_exclusive_removes_unlisted_direct_collaborators_and_cancels_unlisted_invitations(ansible, sim):
    wanted = [{"login": "alice", "permission": "admin"}]
    run = ansible.play([collab_list(wanted, exclusive=True)], diff=True)
    assert run.rc == 0 and run.changed == 1, run
    result = run.task("list")
    assert result["changes"] == dict(no_changes(), removed=["outsider-olga"], invitations_cancelled=["frank"])
    assert result["diff"] == {"before": {"outsider-olga": "write", "frank": "write (pending)"},
                              "after": {"outsider-olga": "absent", "frank": "absent"}}
    assert result["collaborator_count"] == {"direct": 1, "pending": 0}
    assert "/user" in paths(sim)
    assert [(m, s) for m, _p, s in writes(sim)] == [("DELETE", 204), ("DELETE", 204)]
    assert writes(sim)[0][1] == WIDGETS + "/collaborators/outsider-olga"
    assert direct(sim) == {"alice": "admin"} and invitations(sim) == []
    assert repo(sim)["teams"] == {"bob": "maintain"}, "access through a team is not the list's to remove"

    sim.clear_log()
    again = ansible.play([collab_list(wanted, exclusive=True)])
    assert again.rc == 0 and again.changed == 0, again
    assert paths(sim) == LIST_READS


def test_max_removals_fails_before_any_write_and_names_who(ansible, sim, state):
    widgets(state)["collaborators"].update({"carol": "read", "mallory": "triage"})
    sim.reset(state)
    for check in (True, False):
        run = ansible.play([collab_list([], exclusive=True, max_removals=3)], check=check)
        assert run.rc != 0
        result = run.task("list")
        assert "5 removals needed, more than max_removals=3; nothing was changed" in result["msg"]
        for login in ("Alice", "carol", "Mallory", "outsider-olga", "frank"):
            assert login in result["msg"]
        assert result["would_cancel"] == ["frank"]
    assert sim.writes() == []
    assert len(direct(sim)) == 4


def test_max_removals_counts_invitations_and_allows_exactly_the_limit(ansible, sim):
    run = ansible.play([collab_list([{"login": "alice", "permission": "admin"}], exclusive=True, max_removals=2)])
    assert run.rc == 0 and run.changed == 1, run
    zero = ansible.play([collab_list([], exclusive=True, max_removals=0)])
    assert zero.rc != 0 and "more than max_removals=0" in zero.task("list")["msg"]


def test_the_authenticated_user_and_organization_owners_are_kept(ansible, sim, state):
    # Alice (a direct admin, no owner) runs the play; second-owner is an owner with a direct grant.
    state["tokens"].append({"token": ALICE_TOKEN, "login": "alice", "scopes": ["repo", "read:org"]})
    state["orgs"][0]["members"]["second-owner"] = "admin"
    widgets(state)["collaborators"]["second-owner"] = "write"
    sim.reset(state)
    ansible.token = ALICE_TOKEN
    run = ansible.play([collab_list([], exclusive=True)])
    assert run.rc == 0 and run.changed == 1, run
    result = run.task("list")
    assert sorted(result["kept"]) == ["Alice", "second-owner"]
    assert result["changes"]["removed"] == ["outsider-olga"]
    assert result["changes"]["invitations_cancelled"] == ["frank"]
    assert direct(sim) == {"alice": "admin", "second-owner": "write"}
    again = ansible.play([collab_list([], exclusive=True)])
    assert again.rc == 0 and again.changed == 0, again


def test_the_admin_tokens_own_direct_grant_is_kept(ansible, sim, state):
    widgets(state)["collaborators"]["octo-admin"] = "write"
    sim.reset(state)
    run = ansible.play([collab_list(BASE, exclusive=True, max_removals=0)])
    assert run.rc == 0 and run.changed == 0, run
    assert run.task("list")["kept"] == ["Octo-Admin"]
    assert "octo-admin" in direct(sim)


# -- invitations ------------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["frank", "FRANK", "@Frank"])
def test_a_pending_invitation_is_updated_in_place(ansible, sim, spelling):
    wanted = [{"login": "outsider-olga"}, {"login": "alice", "permission": "admin"},
              {"login": spelling, "permission": "maintain"}]
    run = ansible.play([collab_list(wanted, exclusive=True)])
    assert run.rc == 0 and run.changed == 1, run
    [(method, path, status)] = writes(sim)
    assert method == "PATCH" and path.startswith(WIDGETS + "/invitations/") and status == 200
    assert run.task("list")["changes"] == dict(no_changes(), changed={"frank": "maintain"})
    assert invitations(sim) == [("frank", "maintain", False)]
    assert ansible.play([collab_list(wanted, exclusive=True)]).changed == 0


def test_an_expired_invitation_is_re_sent_and_reported(ansible, sim, state):
    widgets(state)["invitations"] += [
        {"login": "erin", "permissions": "read", "expired": True, "created_at": "2020-01-01T00:00:00Z"},
        {"login": "carol", "permissions": "write", "expired": True, "created_at": "2020-01-01T00:00:00Z"}]
    sim.reset(state)
    wanted = BASE + [{"login": "erin", "permission": "triage"}]
    check = ansible.play([collab_list(wanted, exclusive=True)], check=True, diff=True)
    assert check.rc == 0 and check.changed == 1, check
    assert sim.writes() == []

    run = ansible.play([collab_list(wanted, exclusive=True)], diff=True)
    assert run.rc == 0 and run.changed == 1, run
    result = run.task("list")
    assert result["changes"] == dict(no_changes(), invited={"erin": "triage"}, invitations_resent=["erin"])
    assert result["diff"] == {"before": {"erin": "absent (invitation expired)"}, "after": {"erin": "triage (pending)"}}
    report = {r["login"]: (r["permission"], r["resent"]) for r in result["expired_invitations"]}
    assert report == {"erin": ("read", True), "carol": ("write", False)}, "an unlisted expired one is not removed"
    for key in ("changes", "diff", "expired_invitations", "collaborator_count"):
        assert check.task("list")[key] == result[key], key
    assert [(m, s) for m, _p, s in writes(sim)] == [("DELETE", 204), ("PUT", 201)]
    assert writes(sim)[0][1].startswith(WIDGETS + "/invitations/")
    assert [i for i in invitations(sim) if i[0] == "erin"] == [("erin", "triage", False)]

    again = ansible.play([collab_list(wanted, exclusive=True)])
    assert again.rc == 0 and again.changed == 0, again
    assert len(sim.writes()) == 2


def test_a_custom_role_is_not_forced_onto_a_pending_invitation(ansible, sim, state):
    widgets(state)["custom_roles"] = {"security-auditor": "read"}
    sim.reset(state)
    wanted = [{"login": "outsider-olga", "permission": "security-auditor"}, {"login": "alice", "permission": "admin"},
              {"login": "frank", "permission": "security-auditor"}]
    run = ansible.play([collab_list(wanted)])
    assert run.rc == 0 and run.changed == 1, run
    assert run.task("list")["changes"]["changed"] == {"outsider-olga": "security-auditor"}
    assert any("cannot set a custom role on an invitation" in w for w in run.task("list")["warnings"])
    assert direct(sim)["outsider-olga"] == "security-auditor"
    assert ansible.play([collab_list(wanted)]).changed == 0


# -- logins ----------------------------------------------------------------------------------------


def test_case_flipped_logins_match_and_results_use_githubs_spelling(ansible, sim):
    same = [{"login": "OUTSIDER-OLGA", "permission": "write"}, {"username": "@ALICE", "permission": "admin"},
            {"login": "Frank", "permission": "push"}, {"login": "alice", "permission": "admin"}]
    flipped_list = [{"login": "Outsider-Olga", "permission": "triage"}, {"login": "ALICE", "permission": "admin"},
                    {"login": "FRANK"}, {"login": "ERIN"}]
    run = ansible.play([collab_list(same, name="same", exclusive=True),
                        collab_list(flipped_list, name="flipped", exclusive=True)], diff=True)
    assert run.rc == 0, run
    assert run.task("same")["changed"] is False
    flipped = run.task("flipped")
    assert flipped["changes"] == dict(no_changes(), changed={"outsider-olga": "triage"}, invited={"erin": "write"})
    assert set(flipped["diff"]["after"]) == {"outsider-olga", "erin"}
    assert [p for _m, p, _s in writes(sim)] == [WIDGETS + "/collaborators/outsider-olga",
                                                WIDGETS + "/collaborators/erin"]


def test_unknown_login_fails_before_any_write_naming_its_position(ansible, sim):
    wanted = BASE + [{"login": "erin"}, {"login": "ghost-user-404"}]
    check = ansible.play([collab_list(wanted)], check=True)
    assert check.rc != 0
    assert sim.writes() == []
    run = ansible.play([collab_list(wanted)])
    assert run.rc != 0
    msg = run.task("list")["msg"]
    assert msg == check.task("list")["msg"]
    assert msg.startswith("collaborators: no GitHub user has the login(s) ghost-user-404 (collaborators[4].login)")
    assert run.task("list")["unknown_logins"] == ["ghost-user-404"] and run.task("list")["changed"] is False
    assert sim.writes() == []


# -- access through the organization -----------------------------------------------------------------


def test_organization_access_counts_and_costs_one_read_per_login(ansible, sim, state):
    state["orgs"][0]["members"]["second-owner"] = "admin"
    widgets(state)["collaborators"]["second-owner"] = "write"  # hidden under ownership
    sim.reset(state)
    wanted = BASE + [{"login": "second-owner", "permission": "triage"}, {"login": "dave", "permission": "pull"},
                     {"login": "octo-admin", "permission": "maintain"}]
    for _attempt in range(2):
        sim.clear_log()
        run = ansible.play([collab_list(wanted, exclusive=True)])
        assert run.rc == 0 and run.changed == 0, run
        assert run.task("list")["organization_access"] == {"second-owner": "admin", "dave": "read",
                                                           "Octo-Admin": "admin"}
        assert paths(sim) == LIST_READS + [
            WIDGETS + "/collaborators/dave/permission", WIDGETS + "/collaborators/dave",  # read: confirmed
            WIDGETS + "/collaborators/octo-admin/permission",
            "/orgs/acme/members",  # the owners, once: second-owner's direct grant sits under ownership
        ]
    assert sim.writes() == []


def test_a_direct_grant_under_a_higher_team_role_is_set_with_a_warning(ansible, sim, state):
    widgets(state)["collaborators"]["bob"] = "write"
    sim.reset(state)
    run = ansible.play([collab_list(BASE + [{"login": "bob", "permission": "triage"}])])
    assert run.rc == 0 and run.changed == 1, run
    assert direct(sim)["bob"] == "triage"
    warnings = run.task("list").get("warnings") or []
    assert any("still have maintain from another source" in w for w in warnings), run.task("list")


def test_public_read_is_not_mistaken_for_access(ansible, sim):
    wanted = [{"login": "outsider-oscar", "permission": "pull"}, {"login": "erin", "permission": "pull"}]
    run = ansible.play([collab_list(wanted, repo="gadgets", exclusive=True)])
    assert run.rc == 0 and run.changed == 1, run
    assert run.task("list")["changes"]["invited"] == {"erin": "read"}
    assert writes(sim) == [("PUT", "/repos/acme/gadgets/collaborators/erin", 201)]
    assert ansible.play([collab_list(wanted, repo="gadgets", exclusive=True)]).changed == 0


def test_a_refused_permission_names_the_entry_and_what_was_done(ansible, sim):
    sim.fault(method="PUT", path="^/repos/acme/widgets/collaborators/[Mm]allory$", status=422, times=0,
              body={"message": "Validation Failed", "documentation_url": "https://docs.github.com/rest"})
    wanted = BASE + [{"login": "erin"}, {"login": "mallory", "permission": "maintain"}]
    run = ansible.play([collab_list(wanted)])
    assert run.rc != 0
    result = run.task("list")
    assert result["msg"].startswith("collaborators[4].permission: GitHub refused to give Mallory the role 'maintain' "
                                    "on acme/widgets")
    assert "Already done: invited: erin." in result["msg"]
    assert result["changed"] is True
    assert result["writes_done"] == [{"method": "PUT", "path": WIDGETS + "/collaborators/erin"}]
    assert result["changes"]["invited"] == {"erin": "write"}
    assert "Traceback" not in run.output


# -- GitHub Enterprise Server, pacing -----------------------------------------------------------------


def test_ghes_grants_directly(ansible, sim, state):
    state["flavor"] = "ghes"
    sim.reset(state)
    wanted = BASE + [{"login": "erin"}]
    api_url = {"api_url": sim.url + "/api/v3"}
    check = ansible.play([collab_list(wanted, **api_url)], check=True)
    assert check.rc == 0 and check.changed == 1, check
    assert check.task("list")["changes"]["added"] == {"erin": "write"}
    assert sim.writes() == []
    assert "/orgs/acme/memberships/erin" not in paths(sim), "GHES always grants directly: nothing to predict"

    run = ansible.play([collab_list(wanted, **api_url)])
    assert run.rc == 0 and run.changed == 1, run
    assert writes(sim) == [("PUT", WIDGETS + "/collaborators/erin", 204)]
    assert run.task("list")["changes"] == dict(no_changes(), added={"erin": "write"})
    assert check.task("list")["changes"] == run.task("list")["changes"]
    assert direct(sim)["erin"] == "write" and [i for i in invitations(sim) if i[0] == "erin"] == []
    assert ansible.play([collab_list(wanted, **api_url)]).changed == 0


# -- bad input ------------------------------------------------------------------------------------------


BAD = [
    ({"collaborators": [{"login": "alice"}], "username": "alice"}, "mutually exclusive"),
    ({}, "one of the following is required: username, collaborators"),
    ({"collaborators": [{"login": "not a login"}]}, "collaborators[0].login"),
    ({"collaborators": [{"login": "alice"}, {"login": "-bad-"}]}, "collaborators[1].login"),
    ({"collaborators": [{"login": "alice", "permission": " "}]}, "collaborators[0].permission"),
    ({"collaborators": [{"login": "alice", "permission": "pull"}, {"login": "ALICE", "permission": "admin"}]},
     "listed twice"),
    ({"collaborators": [{"name": "alice"}]}, "login"),
    ({"collaborators": [["alice"]]}, "collaborators"),
    ({"collaborators": [{"login": "alice"}], "max_removals": -1}, "max_removals"),
    ({"collaborators": [{"login": "alice"}], "write_delay": -1}, "write_delay"),
    ({"username": "alice", "exclusive": True}, "exclusive"),
    ({"collaborators": [{"login": "alice"}], "permission": "admin"}, "permission"),
    ({"collaborators": [{"login": "alice"}], "state": "absent"}, "state"),
    ({"collaborators": [{"login": "alice"}], "repo": "bad/repo"}, "repo"),
]


def test_bad_input_fails_before_any_request_naming_the_option(ansible, sim):
    tasks = [{"name": "bad %d" % number, "ignore_errors": True,
              "orgcode.github.github_repo_collaborator": dict({"owner": "acme", "repo": "widgets"}, **options)}
             for number, (options, _words) in enumerate(BAD)]
    run = ansible.play(tasks)
    assert run.recap["failed"] == 0 and run.recap["ignored"] == len(BAD), run
    statuses = {r["task"]: r["status"] for r in run.results}
    for number, (_options, words) in enumerate(BAD):
        assert statuses["bad %d" % number] == "failed"
        result = run.task("bad %d" % number)
        assert words in result["msg"], (number, result)
    assert sim.requests() == []
