"""Check mode predicts the real run: github_org_membership and github_repo_collaborator, one user and lists.

Each case starts the simulator from the same state twice: once for ``--check --diff`` (which must send no
write), once for the real run with ``--diff``; both must agree on changed, the diff and the failure (or
success) with its message. The ``typo`` cases are the "a typo never writes" row of each list: the real run
must not write either.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

OWNERS2 = "second owner"  # state variant: second-owner is also an owner of acme
USER_REPO = "user repo"  # state variant: Octo-Admin (the token's user) owns octo-admin/dotfiles
CUSTOM = "custom role"  # state variant: acme/widgets knows the custom role security-auditor


def member(**options):
    return "github_org_membership", dict({"org": "acme"}, **options)


def members(wanted, **options):
    return member(members=wanted, write_delay=0, **options)


def collaborator(**options):
    return "github_repo_collaborator", dict({"owner": "acme", "repo": "widgets"}, **options)


def collaborators(wanted, **options):
    return collaborator(collaborators=wanted, write_delay=0, **options)


ACME = [{"login": "octo-admin", "role": "admin"}, {"login": "alice"}, {"login": "bob"}, {"login": "dave"},
        {"login": "read-only-rita"}, {"login": "carol"}]
WIDGETS = [{"login": "outsider-olga"}, {"login": "alice", "permission": "admin"}, {"login": "frank"}]

# (id, (module, options), state variants, whether the real run writes nothing)
CASES = [
    ("member-invite", member(username="erin"), (), False),
    ("member-promote", member(username="alice", role="admin"), (), False),
    ("member-unchanged", member(username="bob"), (), True),
    ("member-remove", member(username="dave", state="absent"), (), False),
    ("member-cancel-invitation", member(username="carol", state="absent"), (), False),
    ("member-absent-already", member(username="erin", state="absent"), (), True),
    ("member-unknown-user", member(username="ghost-user-404"), (), True),
    ("member-self-removal", member(username="octo-admin", state="absent"), (OWNERS2,), True),
    ("member-self-removal-allowed", member(username="octo-admin", state="absent", allow_self_removal=True),
     (OWNERS2,), False),
    ("member-last-owner", member(username="octo-admin", role="member"), (), True),
    ("members-unchanged", members(ACME, exclusive=True), (), True),
    ("members-add-and-change", members(ACME[:2] + [{"login": "bob", "role": "admin"}] + ACME[3:] + [{"login": "erin"}]),
     (), False),
    ("members-exclusive", members(ACME[:3] + [{"login": "erin"}], exclusive=True), (), False),
    ("members-max-removals", members(ACME[:2], exclusive=True, max_removals=1), (), True),
    ("members-typo", members(ACME[:3] + [{"login": "davee"}] + ACME[4:], exclusive=True), (), True),
    ("collaborator-invite", collaborator(username="erin"), (), False),
    ("collaborator-change", collaborator(username="outsider-olga", permission="maintain"), (), False),
    ("collaborator-unchanged", collaborator(username="alice", permission="admin"), (), True),
    ("collaborator-remove", collaborator(username="outsider-olga", state="absent"), (), False),
    ("collaborator-cancel-invitation", collaborator(username="frank", state="absent"), (), False),
    ("collaborator-custom-role", collaborator(username="erin", permission="security-auditor"), (CUSTOM,), False),
    ("collaborator-permission-typo", collaborator(username="erin", permission="mantain"), (CUSTOM,), True),
    ("collaborator-unknown-user", collaborator(username="ghost-user-404"), (), True),
    ("collaborator-user-repo", collaborator(owner="octo-admin", repo="dotfiles", username="erin",
                                            permission="security-auditor"), (USER_REPO,), True),
    ("collaborators-unchanged", collaborators(WIDGETS, exclusive=True), (), True),
    ("collaborators-add-and-change", collaborators([{"login": "outsider-olga", "permission": "maintain"},
                                                    {"login": "erin"}, {"login": "dave", "permission": "admin"}]),
     (), False),
    ("collaborators-exclusive", collaborators(WIDGETS[1:], exclusive=True), (), False),
    ("collaborators-max-removals", collaborators([], exclusive=True, max_removals=1), (), True),
    ("collaborators-typo", collaborators(WIDGETS + [{"login": "erinn"}], exclusive=True), (), True),
    ("collaborators-permission-typo", collaborators(WIDGETS[:2] + [{"login": "frank", "permission": "mantain"}]),
     (), True),
]


def prepare(state, variants):
    if OWNERS2 in variants:
        state["orgs"][0]["members"]["second-owner"] = "admin"
    if USER_REPO in variants:
        state["repos"].append({"owner": "Octo-Admin", "name": "dotfiles", "private": True, "collaborators": {}})
    if CUSTOM in variants:
        next(r for r in state["repos"] if r["name"] == "widgets")["custom_roles"] = {"security-auditor": "read"}
    return state


def outcome(run):
    result = run.task("case")
    return dict(failed=run.rc != 0, changed=result.get("changed"), msg=result.get("msg"), diff=result.get("diff"))


@pytest.mark.parametrize("module, options, variants, writes_nothing",
                         [case[1] + case[2:] for case in CASES], ids=[case[0] for case in CASES])
def test_check_mode_predicts_the_real_run(ansible, sim, state, module, options, variants, writes_nothing):
    task = {"name": "case", "orgcode.github." + module: options}
    prepare(state, variants)
    sim.reset(state)
    check = ansible.play([task], check=True, diff=True)
    assert sim.writes() == [], "check mode wrote"
    predicted = outcome(check)
    assert "Already done" not in (predicted["msg"] or "")

    sim.reset(state)
    real = ansible.play([task], diff=True)
    assert outcome(real) == predicted
    assert (sim.writes() == []) is writes_nothing, sim.writes()
    assert "Traceback" not in real.output + check.output
