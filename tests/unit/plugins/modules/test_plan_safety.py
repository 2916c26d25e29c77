"""Issue 11, cases 1, 2, 3 and 8: nothing is written before all input is known good, and `changed` tells the truth.

- a misspelt login in an authoritative list fails before any write, naming every unknown login and its
  position, identically in check mode and for real (members and collaborators);
- a list-mode task that fails after some writes reports changed: true and what it did;
- a permission that is neither built-in nor a custom repository role fails before any write, in check
  mode too, listing the valid names; a user's repository accepts only the built-in roles;
- removing the token's own user is refused unless allow_self_removal: true.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def members_task(members, **options):
    options.setdefault("write_delay", 0)
    return {"name": "members",
            "orgcode.github.github_org_membership": dict({"org": "acme", "members": members}, **options)}


def collab(name="collab", owner="acme", repo="widgets", **options):
    options.setdefault("write_delay", 0)
    return {"name": name, "orgcode.github.github_repo_collaborator": dict({"owner": owner, "repo": repo}, **options)}


def check_then_real(ansible, sim, tasks, name):
    """Run ``tasks`` with --check, then for real; both must fail with the same message and write nothing."""
    check = ansible.play(tasks, check=True, diff=True)
    assert check.rc != 0, check
    assert sim.writes() == []
    real = ansible.play(tasks, diff=True)
    assert real.rc != 0, real
    assert sim.writes() == []
    msg = real.task(name)["msg"]
    assert msg == check.task(name)["msg"]
    assert "Already done" not in msg
    assert real.task(name)["changed"] is False and check.task(name)["changed"] is False
    return msg, real.task(name)


# -- case 1: a misspelt login in an authoritative list --------------------------------------------------


def test_misspelt_member_in_an_exclusive_list_removes_nobody(ansible, sim):
    wanted = [{"login": "octo-admin", "role": "admin"}, {"login": "alice"}, {"login": "bob"},
              {"login": "davee"}, {"login": "read-only-rita"}, {"login": "carol"}, {"login": "erinn"}]
    msg, result = check_then_real(ansible, sim, [members_task(wanted, exclusive=True)], "members")
    assert msg.startswith("members: no GitHub user has the login(s) davee (members[3].login), "
                          "erinn (members[6].login); nothing was changed"), msg
    assert result["unknown_logins"] == ["davee", "erinn"]
    members = next(o for o in sim.state()["orgs"] if o["login"] == "acme")["members"]
    assert "dave" in {login.lower() for login in members}


def test_misspelt_collaborator_in_an_exclusive_list_removes_nobody(ansible, sim):
    wanted = [{"login": "alice", "permission": "admin"}, {"login": "frank"}, {"login": "outsider-olgaa"}]
    msg, _result = check_then_real(ansible, sim, [collab(collaborators=wanted, exclusive=True)], "collab")
    assert msg.startswith("collaborators: no GitHub user has the login(s) outsider-olgaa (collaborators[2].login)")


# -- case 2: changed: true after partial writes ----------------------------------------------------------


def test_a_failure_after_writes_reports_changed_and_what_was_done(ansible, sim):
    sim.fault(method="PUT", path="^/orgs/acme/memberships/frank$", status=500, times=0)
    wanted = [{"login": "octo-admin", "role": "admin"}, {"login": "alice", "role": "admin"}, {"login": "bob"},
              {"login": "dave"}, {"login": "read-only-rita"}, {"login": "carol"}, {"login": "erin"},
              {"login": "frank"}]
    run = ansible.play([members_task(wanted)])
    assert run.rc != 0
    result = run.task("members")
    assert result["changed"] is True
    assert result["writes_done"] == [{"method": "PUT", "path": "/orgs/acme/memberships/Alice"},
                                     {"method": "PUT", "path": "/orgs/acme/memberships/erin"}]
    assert result["changes"]["role_changed"] == {"Alice": "admin"}
    assert result["changes"]["invited"] == {"erin": "member"}
    assert "Already done: invited: erin; role_changed: Alice." in result["msg"]


# -- case 3: a permission typo ----------------------------------------------------------------------------


def test_permission_typo_fails_before_any_write_listing_valid_names(ansible, sim, state):
    next(r for r in state["repos"] if r["name"] == "widgets")["custom_roles"] = {"security-auditor": "read"}
    sim.reset(state)
    msg, result = check_then_real(ansible, sim, [collab(username="erin", permission="mantain")], "collab")
    assert msg.startswith("permission: 'mantain': neither a built-in role (pull, triage, push, maintain, admin) nor "
                          "a custom repository role of organization acme (its custom roles: security-auditor)"), msg
    assert result["valid_roles"] == ["pull", "triage", "push", "maintain", "admin", "security-auditor"]


def test_permission_typo_in_a_list_names_the_entry(ansible, sim):
    wanted = [{"login": "alice", "permission": "admin"}, {"login": "erin", "permission": "admin"},
              {"login": "outsider-olga", "permission": "mantain"}]
    msg, _result = check_then_real(ansible, sim, [collab(collaborators=wanted)], "collab")
    assert msg.startswith("collaborators[2].permission: 'mantain': neither a built-in role"), msg
    assert "it has none" in msg


def test_a_users_repository_accepts_only_built_in_roles(ansible, sim, state):
    state["repos"].append({"owner": "Octo-Admin", "name": "dotfiles", "private": True, "collaborators": {}})
    sim.reset(state)
    msg, _result = check_then_real(
        ansible, sim, [collab(owner="octo-admin", repo="dotfiles", username="erin", permission="security-auditor")],
        "collab")
    assert msg.startswith("permission: 'security-auditor': not a built-in role (pull, triage, push, maintain, "
                          "admin); octo-admin/dotfiles belongs to a user account"), msg
    ok = ansible.play([collab(owner="octo-admin", repo="dotfiles", username="erin", permission="push")])
    assert ok.rc == 0 and ok.changed == 1, ok


def test_a_valid_custom_role_costs_one_read_only_when_it_is_written(ansible, sim, state):
    next(r for r in state["repos"] if r["name"] == "widgets")["custom_roles"] = {"security-auditor": "read"}
    sim.reset(state)
    first = ansible.play([collab(username="outsider-olga", permission="security-auditor")])
    assert first.rc == 0 and first.changed == 1, first
    assert "/orgs/acme/custom-repository-roles" in [r["path"] for r in sim.requests()]
    sim.clear_log()
    again = ansible.play([collab(username="outsider-olga", permission="security-auditor")])
    assert again.rc == 0 and again.changed == 0, again
    assert "/orgs/acme/custom-repository-roles" not in [r["path"] for r in sim.requests()]


# -- case 8: the token's own user -----------------------------------------------------------------------------


def membership(name="self", **options):
    return {"name": name, "orgcode.github.github_org_membership": dict({"org": "acme"}, **options)}


def test_removing_the_tokens_own_user_is_refused(ansible, sim, state):
    state["orgs"][0]["members"]["second-owner"] = "admin"  # so the last-owner guard does not decide it
    sim.reset(state)
    msg, _result = check_then_real(ansible, sim, [membership(username="Octo-Admin", state="absent")], "self")
    assert msg.startswith("username: Octo-Admin is the user this task authenticates as"), msg
    assert "allow_self_removal: true" in msg
    allowed = ansible.play([membership(username="octo-admin", state="absent", allow_self_removal=True)])
    assert allowed.rc == 0 and allowed.changed == 1, allowed
    assert [w["path"] for w in sim.writes()] == ["/orgs/acme/memberships/octo-admin"]


def test_get_user_only_when_there_is_someone_to_remove(ansible, sim):
    run = ansible.play([membership(username="erin", state="absent"), membership("dave", username="dave",
                                                                                state="absent")])
    assert run.rc == 0, run
    assert [r["path"] for r in sim.requests()] == [
        "/orgs/acme/memberships/erin", "/orgs/acme",  # not a member: the organization is checked, no GET /user
        "/orgs/acme/memberships/dave", "/user", "/orgs/acme/memberships/dave"]
