"""github_org_info's behaviour in-process, against the simulator (state_acme.yml).

Each task's module runs in-process (the ``ansible`` fixture of tests/unit/conftest.py); the
end-to-end cases through ansible-playbook are in tests/integration/test_github_org_info.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

MEMBER_TOKEN = "ghp_test_member_token_0123456789abcdef"
ALL_PARTS = ["settings", "members", "invitations", "outside_collaborators", "hooks"]


def info(name="info", **options):
    return {"name": name, "orgcode.github.github_org_info": dict({"org": "acme"}, **options)}


def acme(state):
    return next(o for o in state["orgs"] if o["login"] == "acme")


def logins(items):
    return [item["login"] for item in items]


def test_gathers_everything_in_seven_requests_and_writes_nothing(ansible, sim):
    run = ansible.play([info()])
    assert run.rc == 0 and run.changed == 0, run
    result = run.task("info")
    assert result["changed"] is False
    assert result["gathered"] == ALL_PARTS and result["filter"] == "all"
    assert result["organization"] == "acme"
    assert result["settings"]["login"] == "acme" and result["settings"]["name"] == "ACME Corp"
    # Canonical logins (the state file keys are lower case), sorted case-insensitively, with roles.
    assert [(m["login"], m["role"]) for m in result["members"]] == [
        ("Alice", "member"), ("bob", "member"), ("dave", "member"), ("Octo-Admin", "admin"),
        ("read-only-rita", "member")]
    assert all(isinstance(m["id"], int) and m["type"] == "User" for m in result["members"])
    assert [(i["login"], i["status"], i["expired"]) for i in result["invitations"]] == [("carol", "pending", False)]
    assert logins(result["outside_collaborators"]) == ["outsider-olga", "outsider-oscar"]
    assert result["hooks"] == [{
        "id": 1, "name": "web", "url": "https://ci.acme.example/hook", "events": ["pull_request", "push"],
        "active": True, "content_type": "json", "insecure_ssl": False, "secret_set": True,
        "created_at": result["hooks"][0]["created_at"], "updated_at": result["hooks"][0]["updated_at"]}]
    assert result["api"]["requests"] == 7
    assert len(sim.requests()) == 7 and sim.writes() == []


@pytest.mark.parametrize("parts, requests", [
    (["settings"], 1), (["members"], 2), (["invitations"], 2), (["outside_collaborators"], 1), (["hooks"], 1),
    (["hooks", "members", "hooks"], 3),
])
def test_only_the_gathered_parts_are_read_and_returned(ansible, sim, parts, requests):
    run = ansible.play([info(gather=parts)])
    assert run.rc == 0, run
    result = run.task("info")
    wanted = list(dict.fromkeys(parts))
    assert result["gathered"] == wanted
    for part in ALL_PARTS:
        assert (part in result) == (part in parts), part
    assert len(sim.requests()) == requests == result["api"]["requests"]


@pytest.mark.parametrize("flt, members, outside", [
    ("2fa_disabled", ["bob"], ["outsider-olga"]),
    ("2fa_insecure", ["dave"], []),
])
def test_two_factor_filters_restrict_members_and_outside_collaborators(ansible, sim, flt, members, outside):
    run = ansible.play([info(filter=flt)])
    assert run.rc == 0, run
    result = run.task("info")
    assert result["filter"] == flt
    assert logins(result["members"]) == members and logins(result["outside_collaborators"]) == outside
    assert len(result["invitations"]) == 1 and len(result["hooks"]) == 1  # the other parts are not filtered
    lists = ("/members", "/outside_collaborators")
    queries = [r.get("query") or {} for r in sim.requests() if r["path"].endswith(lists)]
    assert len(queries) == 3 and all(q.get("filter") == flt for q in queries)


def test_check_mode_gathers_the_same_facts(ansible, sim):
    normal = ansible.play([info()]).task("info")
    check = ansible.play([info()], check=True, diff=True)
    assert check.rc == 0 and check.changed == 0, check
    result = check.task("info")
    for part in ALL_PARTS:
        assert result[part] == normal[part], part
    assert "diff" not in result
    assert sim.writes() == []


def test_expired_and_failed_invitations_are_marked_and_listed_after_pending_ones(ansible, sim, state):
    acme(state)["invitations"] += [
        {"login": "erin", "role": "admin", "created_at": "2024-01-02T09:00:00Z", "expired": True},
        {"login": "Mallory", "role": "direct_member", "failed": True, "failed_reason": "Blocked by the user"},
        {"email": "new@partner.example", "role": "direct_member"},
    ]
    sim.reset(state)
    result = ansible.play([info(gather=["invitations"])]).task("info")
    rows = [(i["login"], i["email"], i["role"], i["status"], i["expired"], i["failed_reason"])
            for i in result["invitations"]]
    assert rows == [
        ("carol", rows[0][1], "direct_member", "pending", False, None),
        (None, "new@partner.example", "direct_member", "pending", False, None),
        ("erin", rows[2][1], "admin", "expired", True, "Invitation expired"),
        ("Mallory", rows[3][1], "direct_member", "failed", False, "Blocked by the user"),
    ]
    assert result["invitations"][2]["failed_at"] and result["invitations"][0]["failed_at"] is None
    assert result["invitations"][0]["inviter"] == "Octo-Admin"


def test_hooks_without_secret_and_with_insecure_ssl(ansible, sim, state):
    acme(state)["hooks"].append({"id": 7, "url": "http://legacy.acme.example/hook", "content_type": "form",
                                 "insecure_ssl": "1", "events": ["push"], "active": False})
    sim.reset(state)
    hooks = ansible.play([info(gather=["hooks"])]).task("info")["hooks"]
    assert [(h["id"], h["secret_set"], h["insecure_ssl"], h["active"], h["content_type"]) for h in hooks] == [
        (1, True, False, True, "json"), (7, False, True, False, "form")]


def test_lists_are_read_100_per_page(ansible, sim, state):
    extra = ["user-%03d" % n for n in range(150)]
    state["users"] += [{"login": login} for login in extra]
    acme(state)["members"].update({login: "member" for login in extra})
    sim.reset(state)
    result = ansible.play([info(gather=["members"])]).task("info")
    assert len(result["members"]) == 155
    assert result["api"]["requests"] == 3  # owners: 1 page; members: 2 pages
    assert all((r.get("query") or {}).get("per_page") in ("100", None) for r in sim.requests())


def test_unknown_organization_is_named(ansible, sim):
    run = ansible.play([info(org="no-such-org")])
    assert run.rc != 0
    assert "org: organization 'no-such-org' was not found" in run.task("info")["msg"]


def test_two_factor_filter_needs_an_owner(ansible, sim):
    ansible.token = MEMBER_TOKEN
    run = ansible.play([info(gather=["members"], filter="2fa_disabled")])
    assert run.rc != 0
    msg = run.task("info")["msg"]
    assert msg.startswith("filter:") and "owners" in msg and "422" not in msg.split(".")[0]


def test_a_part_the_token_may_not_read_fails_naming_the_part(ansible, sim):
    ansible.token = MEMBER_TOKEN
    run = ansible.play([info(gather=["settings", "members", "hooks"])])
    assert run.rc != 0
    msg = run.task("info")["msg"]
    assert msg.startswith("gather hooks:") and "/orgs/acme/hooks" in msg
    # A plain member may read the members (the simulator shows it every membership).
    ok = ansible.play([info(gather=["members", "outside_collaborators"])])
    assert ok.rc == 0, ok


def test_bad_gather_value_is_named_before_any_request(ansible, sim):
    run = ansible.play([info(gather=["members", "teams"])])
    assert run.rc != 0
    assert "gather" in run.task("info")["msg"] and "teams" in run.task("info")["msg"]
    assert sim.requests() == []
