"""playbooks/apply.yml, audit.yml and offboard.yml through ansible-playbook against the simulator's sample
organization (tests/simulator/sample_org.yml). ansible-lint checks the whole collection in `make lint`."""

import json
import re

import pytest
import yaml
from harness import ROOT
from helpers import teams_of

PLAYBOOKS = ROOT / "playbooks"
SAMPLE = yaml.safe_load((ROOT / "tests" / "simulator" / "sample_org.yml").read_text())
ADMIN_TOKEN = "ghp_demo_admin_token"
CHAT_SECRET = "chat-hook-secret-5521"
CHAT_URL = "https://chat.acme.example/github/events"
CI_SECRET = "s3cr3t-ci-hook"  # the sample's CI hook has it already


@pytest.fixture
def sample(sim):
    sim.reset(yaml.safe_load((ROOT / "tests" / "simulator" / "sample_org.yml").read_text()))
    return sim


def env(sim, **extra):
    return dict({"GITHUB_TOKEN": ADMIN_TOKEN, "GITHUB_API_URL": sim.url,
                 "ORGCODE_HOOK_SECRET_CHAT_ACME_EXAMPLE_GITHUB_EVENTS": CHAT_SECRET,
                 "ORGCODE_HOOK_SECRET_CI_ACME_EXAMPLE_GITHUB_WEBHOOK": CI_SECRET},
                **extra)


def run(ansible, sim, name, *extra_args, check=False, diff=False, verbosity=0, **extra_env):
    return ansible.run(PLAYBOOKS / name, check=check, diff=diff, verbosity=verbosity, env=env(sim, **extra_env),
                       extra_args=list(extra_args))


def acme(sim):
    return next(o for o in sim.state()["orgs"] if o["login"] == "acme")


def repos(sim):
    return {r["name"]: r for r in sim.state()["repos"]}


def changes_per_task(run_):
    """Each task (and loop item) with its ``changed``; an item's ``new`` (a team check mode plans as created,
    true only under --check) is left out."""
    def item(result):
        value = result.get("item")
        return {k: v for k, v in value.items() if k != "new"} if isinstance(value, dict) else value
    return [(r["task"], item(r["result"]), r["result"]["changed"]) for r in run_.results if r["status"] != "skipped"]


# -- apply.yml --------------------------------------------------------------------------------------------

def test_apply_check_then_apply_then_unchanged(ansible, sample):
    no_delay = "-e org_config_write_delay=0"
    check = run(ansible, sample, "apply.yml", *no_delay.split(), check=True, diff=True)
    assert check.rc == 0, check
    assert sample.writes() == []
    assert check.changed > 0

    real = run(ansible, sample, "apply.yml", *no_delay.split())
    assert real.rc == 0, real
    assert real.changed == check.changed
    assert changes_per_task(real) == changes_per_task(check)

    org = acme(sample)
    assert org["settings"]["description"] == "Makers of fine widgets and gadgets, managed as code"
    assert org["settings"]["members_can_create_repositories"] is False
    assert org["members"]["ana-design"] == "admin"
    assert "raj-sre" not in org["members"] and "tom-qa" not in org["members"]
    assert "tom-qa" in org["outside_collaborators"]
    assert repos(sample)["widgets"]["collaborators"]["tom-qa"] == "write"  # kept its team's access
    pending = sorted(i["login"] or i["email"] for i in org["invitations"] if not i.get("failed"))
    assert pending == ["new-hire-nina", "pending-pat", "someone@partner.example"]
    hooks = {h["config"]["url"]: h for h in org["hooks"]}
    assert hooks[CHAT_URL]["config"]["secret"] == CHAT_SECRET
    assert "http://legacy.acme.example/hook" in hooks  # not listed, so not removed
    invitations = [(i["login"], i["permissions"]) for i in repos(sample)["gadgets"]["invitations"]]
    assert invitations == [("contractor-carl", "read")]
    assert "Vendor-Vic" not in repos(sample)["gadgets"]["collaborators"]
    teams = teams_of(sample)
    assert teams["platform"]["members"]["lisa-ops"] == "member"
    assert teams["platform"]["repos"]["acme/widgets"] == "write"
    assert teams["release-managers"]["parent"] == "platform"
    # GitHub makes the token's user (octo-admin) a maintainer of the team it creates; the list is not exclusive
    assert teams["release-managers"]["members"] == {"mona-member": "maintainer", "octo-admin": "maintainer"}

    sample.clear_log()
    again = run(ansible, sample, "apply.yml", *no_delay.split())
    assert again.rc == 0 and again.changed == 0, again
    assert sample.writes() == []
    # One github_org_config task, each list read once: the organization 1, members 2 and invitations 1, outside
    # collaborators 1, the team list 1 and the hooks 1, the member lists of the listed teams and of Platform's child
    # team 2 each (maintainers, members), the repository grants of the two teams listing them 1 each, and the
    # direct collaborators and invitations of the two repositories 2 each.
    assert len(sample.requests()) == 19, "\n".join("%s %s %s" % (r["method"], r["path"], r.get("query"))
                                                   for r in sample.requests())
    for output in (check.output, real.output, again.output):
        assert CHAT_SECRET not in output and "s3cr3t-ci-hook" not in output and ADMIN_TOKEN not in output


def test_apply_refuses_an_unset_hook_secret_before_any_request(ansible, sample):
    result = run(ansible, sample, "apply.yml", ORGCODE_HOOK_SECRET_CI_ACME_EXAMPLE_GITHUB_WEBHOOK="")
    assert result.rc != 0
    assert "org_config_hooks[0].secret: is empty or only whitespace" in result.output
    assert sample.requests() == []


def test_apply_with_another_description_file(ansible, sample, tmp_path):
    mine = tmp_path / "my-org.yml"
    mine.write_text(yaml.safe_dump({"org_config_org": "acme", "org_config_settings": {"location": "Shelbyville"}}))
    result = run(ansible, sample, "apply.yml", "-e", "org_file=%s" % mine)
    assert result.rc == 0 and result.changed == 1, result
    assert acme(sample)["settings"]["location"] == "Shelbyville"
    assert [(w["method"], w["path"]) for w in sample.writes()] == [("PATCH", "/orgs/acme")]


# -- audit.yml --------------------------------------------------------------------------------------------

def seeded(two_factor, members=True):
    """Logins of the sample's members (or outside collaborators) with the seeded 2FA flag."""
    org = SAMPLE["orgs"][0]
    flags = {u["login"].lower(): (u["login"], u.get("two_factor", "enabled")) for u in SAMPLE["users"]}
    keys = org["members"] if members else org["outside_collaborators"]
    return sorted((flags[k.lower()][0] for k in keys if flags[k.lower()][1] == two_factor), key=str.lower)


def test_audit_reports_the_seeded_findings_and_changes_nothing(ansible, sample):
    result = run(ansible, sample, "audit.yml", PWD=str(ansible.workdir))  # as a shell in that directory sets it
    assert result.rc == 0 and result.changed == 0, result
    assert sample.writes() == []
    report = json.loads((ansible.workdir / "audit-acme.json").read_text())

    assert seeded("disabled") == ["lisa-ops", "raj-sre"] and seeded("insecure") == ["tom-qa"]  # the sample as known
    assert [u["login"] for u in report["members_2fa_disabled"]] == seeded("disabled")
    assert [u["login"] for u in report["members_2fa_insecure"]] == seeded("insecure")
    assert [u["login"] for u in report["outside_collaborators_2fa_disabled"]] == seeded("disabled", members=False)
    assert [u["login"] for u in report["outside_collaborators_2fa_insecure"]] == seeded("insecure", members=False)
    assert all(u["role"] == "member" for u in report["members_2fa_disabled"])
    assert [h["url"] for h in report["hooks_without_secret"]] == ["http://legacy.acme.example/hook"]
    assert [h["url"] for h in report["hooks_insecure_ssl"]] == ["http://legacy.acme.example/hook"]
    assert [(i["login"], i["email"]) for i in report["invitations_pending"]] == [
        ("pending-pat", None), (None, "someone@partner.example")]
    assert [(i["login"], i["status"]) for i in report["invitations_expired_or_failed"]] == [("expired-eve", "expired")]
    assert report["organization"] == "acme" and report["two_factor_requirement_enabled"] is False
    assert report["counts"] == {"members": 8, "owners": 2, "outside_collaborators": 2, "hooks": 2, "teams": 3}
    # Platform SRE has one member and no maintainer; Security, the secret team, reads widgets only.
    assert report["teams_without_maintainers"] == [
        {"slug": "platform-sre", "name": "Platform SRE", "privacy": "closed", "members": 1}]
    assert report["secret_teams_with_admin"] == []
    assert "s3cr3t-ci-hook" not in json.dumps(report) and "********" not in json.dumps(report)

    markdown = (ansible.workdir / "audit-acme.md").read_text()
    assert "## Members without two-factor authentication\n\n- lisa-ops (member)\n- raj-sre (member)\n" in markdown
    assert "- expired-eve (admin): Invitation expired" in markdown
    assert "## Teams without a maintainer\n\n- platform-sre (closed, 1 member)\n" in markdown
    assert "## Secret teams with admin on a repository\n\nNone.\n" in markdown
    summary = result.stdout
    assert "Members without 2FA: lisa-ops, raj-sre" in summary
    assert "Outside collaborators without 2FA: contractor-carl" in summary
    assert "Webhooks without a secret: http://legacy.acme.example/hook" in summary
    assert "audit-acme.json" in summary
    assert "Teams without a maintainer: platform-sre" in summary
    assert "Secret teams with admin on a repository: none" in summary
    assert len(sample.requests()) == 13 + 1 + 3 * 3  # the teams: the list, 3 per team


def test_audit_lists_secret_teams_with_admin_and_teams_nobody_maintains(ansible, sim):
    state = yaml.safe_load((ROOT / "tests" / "simulator" / "sample_org.yml").read_text())
    org = state["orgs"][0]
    org["teams"] = [
        {"name": "Vault", "privacy": "secret", "members": {"ana-design": "maintainer"},
         "repos": {"widgets": "admin", "gadgets": "admin"}},
        {"name": "Ops", "privacy": "secret", "members": {"lisa-ops": "member", "tom-qa": "member"},
         "repos": {"widgets": "maintain"}},
        {"name": "Web", "privacy": "closed", "members": {"tom-qa": "maintainer"}, "repos": {"gadgets": "admin"}},
        # An owner in a team is shown as its maintainer: not a finding.
        {"name": "Owners", "privacy": "closed", "members": {"octo-owner2": "member"}},
    ]
    sim.reset(state)
    result = run(ansible, sim, "audit.yml", "-e", "audit_report_markdown=", PWD=str(ansible.workdir))
    assert result.rc == 0 and result.changed == 0, result
    report = json.loads((ansible.workdir / "audit-acme.json").read_text())
    assert report["teams_without_maintainers"] == [{"slug": "ops", "name": "Ops", "privacy": "secret", "members": 2}]
    assert report["secret_teams_with_admin"] == [
        {"slug": "vault", "name": "Vault", "repositories": ["gadgets", "widgets"]}]
    assert "Secret teams with admin on a repository: vault (gadgets, widgets)" in result.stdout
    assert len(sim.requests()) == 13 + 1 + 3 * 4 and sim.writes() == []


def test_audit_under_check_still_writes_the_report_and_can_fail_on_findings(ansible, sample, tmp_path):
    target = tmp_path / "reports" / "acme.json"
    result = run(ansible, sample, "audit.yml", "-e", "audit_report_json=%s" % target, "-e", "audit_report_markdown=",
                 "-e", "audit_fail_on_findings=true", check=True)
    assert result.rc != 0
    assert "8 finding(s) in acme" in result.output  # 7, and platform-sre without a maintainer
    assert json.loads(target.read_text())["members_2fa_insecure"][0]["login"] == "tom-qa"
    assert not list(tmp_path.glob("**/*.md")) and not list(PLAYBOOKS.glob("audit-*"))
    assert sample.writes() == []


def test_audit_with_a_member_token_fails_naming_what_it_could_not_read(ansible, sample):
    result = run(ansible, sample, "audit.yml", GITHUB_TOKEN="ghp_demo_member_token")
    assert result.rc != 0
    assert "gather invitations: GET /orgs/acme/invitations failed: HTTP 403" in result.output
    assert sample.writes() == []


# -- offboard.yml -----------------------------------------------------------------------------------------

def no_trace(sim, login):
    key = login.lower()
    state = sim.state()
    org = next(o for o in state["orgs"] if o["login"] == "acme")
    assert key not in {k.lower() for k in org["members"]}
    assert key not in {(i["login"] or "").lower() for i in org["invitations"] if not i.get("failed")}
    assert key not in {k.lower() for k in org["outside_collaborators"]}
    for repository in state["repos"]:
        assert key not in {k.lower() for k in repository["collaborators"]}, repository["name"]
        assert key not in {k.lower() for k in repository["teams"]}, repository["name"]
        assert key not in {i["login"].lower() for i in repository["invitations"]}, repository["name"]


def offboard(ansible, sim, login, *extra, check=False, diff=False, org="acme", **extra_env):
    args = ["-e", "offboard_login=%s" % login] + (["-e", "offboard_org=%s" % org] if org else []) + list(extra)
    return run(ansible, sim, "offboard.yml", *args, check=check, diff=diff, **extra_env)


@pytest.mark.parametrize("login", [
    "raj-sre",  # member, direct admin on gadgets, team access elsewhere
    "Vendor-Vic",  # outside collaborator on both repositories
    "invited-ivy",  # pending invitation to widgets only
    "pending-pat",  # pending invitation to the organization
])
def test_offboard_leaves_no_trace_and_check_mode_matches(ansible, sample, login):
    check = offboard(ansible, sample, login, check=True, diff=True)
    assert check.rc == 0, check
    assert sample.writes() == []
    assert check.changed > 0

    real = offboard(ansible, sample, login)
    assert real.rc == 0, real
    assert changes_per_task(real) == changes_per_task(check)
    no_trace(sample, login)

    again = offboard(ansible, sample, login)
    assert again.rc == 0 and again.changed == 0, again


def test_offboard_covers_every_repository_of_the_organization_by_default(ansible, sample):
    state = sample.state()
    state["repos"].append({"owner": "acme", "name": "tools", "private": True, "collaborators": {"raj-sre": "write"},
                           "invitations": [{"login": "invited-ivy", "permissions": "read"}]})
    state["repos"].append({"owner": "acme", "name": "docs", "private": False,
                           "invitations": [{"login": "raj-sre", "permissions": "write"}]})
    sample.reset(state)
    for login in ("raj-sre", "invited-ivy"):
        result = offboard(ansible, sample, login)
        assert result.rc == 0, result
        no_trace(sample, login)
        assert "%s in acme (4 repositories covered)" % login in result.stdout
        assert offboard(ansible, sample, login).changed == 0
    line = re.search(r"Removed direct access or repository invitation: ([^\"]*)", result.stdout).group(1)
    assert sorted(line.split(", ")) == ["tools", "widgets"]  # invited-ivy's invitations


def test_offboard_covers_only_the_repositories_given_in_either_form(ansible, sample):
    result = offboard(ansible, sample, "Vendor-Vic", "-e", '{"offboard_repositories": ["acme/Gadgets"]}')
    assert result.rc == 0, result
    deletes = [w["path"] for w in sample.writes() if w["path"].startswith("/repos/")]
    assert deletes == ["/repos/acme/Gadgets/collaborators/Vendor-Vic"]
    no_trace(sample, "Vendor-Vic")  # the outside collaborator removal covers the rest


@pytest.mark.parametrize("login", ["raj-sr", "nobody@acme.example"])
def test_offboard_an_unknown_login_fails_before_any_write(ansible, sample, login):
    for check in (True, False):
        result = offboard(ansible, sample, login, check=check)
        assert result.rc != 0
        assert "offboard_login" in result.output and login in result.output
        assert "already" not in result.output
    assert sample.writes() == []


def test_offboard_refuses_the_last_owner_before_any_write(ansible, sim):
    # state_acme.yml: Octo-Admin is the only owner of acme.
    result = ansible.run(PLAYBOOKS / "offboard.yml", env={"GITHUB_TOKEN": "ghp_test_admin_token_0123456789abcdef",
                                                          "GITHUB_API_URL": sim.url},
                         extra_args=["-e", "offboard_login=octo-admin", "-e", "offboard_org=acme"])
    assert result.rc != 0
    assert "refusing to remove Octo-Admin: it is the last owner (admin) of organization acme" in result.output
    assert sim.writes() == []


def test_offboard_refuses_the_tokens_own_user_before_any_write_unless_allowed(ansible, sim, state):
    """Issue 23, item 8: the token's own user keeps its repository access unless offboard_allow_self_removal."""
    state["orgs"][0]["members"]["second-owner"] = "admin"
    state["repos"][1]["collaborators"]["octo-admin"] = "write"  # a direct grant on gadgets
    sim.reset(state)
    env = {"GITHUB_TOKEN": "ghp_test_admin_token_0123456789abcdef", "GITHUB_API_URL": sim.url}
    args = ["-e", "offboard_login=octo-admin", "-e", "offboard_org=acme"]
    for check in ([], ["--check"]):
        refused = ansible.run(PLAYBOOKS / "offboard.yml", env=env, extra_args=args + check)
        assert refused.rc != 0
        assert "username: Octo-Admin is the user this task authenticates as" in refused.output
        assert "allow_self_removal" in refused.output
    assert sim.writes() == []
    allowed = ansible.run(PLAYBOOKS / "offboard.yml", env=env,
                          extra_args=args + ["-e", "offboard_allow_self_removal=true"])
    assert allowed.rc == 0, allowed
    assert [(w["method"], w["path"]) for w in sim.writes()] == [
        ("DELETE", "/repos/acme/gadgets/collaborators/Octo-Admin"), ("DELETE", "/orgs/acme/memberships/Octo-Admin")]


def test_offboard_says_401_bad_credentials(ansible, sim):
    """Issue 23, item 9: a bad token is named with GitHub's answer, not hidden behind no_log."""
    result = ansible.run(PLAYBOOKS / "offboard.yml", env={"GITHUB_TOKEN": "ghp_expired_token_0123456789abcdefXYZ",
                                                          "GITHUB_API_URL": sim.url},
                         extra_args=["-e", "offboard_login=raj-sre", "-e", "offboard_org=acme"])
    assert result.rc != 0
    assert "GET /users/raj-sre failed: HTTP 401, Bad credentials" in result.output, result.output
    assert "ghp_expired_token" not in result.output
    assert sim.writes() == []


@pytest.mark.parametrize("extra, expected", [
    ([], "offboard_login"),
    (["-e", "offboard_login=raj-sre"], "offboard_org"),
    (["-e", "offboard_login=raj-sre", "-e", "offboard_org=acme", "-e", '{"offboard_repositories": ["other/x"]}'],
     "offboard_repositories[0]: 'other/x' is not a repository of acme"),
])
def test_offboard_needs_an_organization_and_a_login(ansible, sample, extra, expected):
    result = run(ansible, sample, "offboard.yml", *extra)
    assert result.rc != 0 and expected in result.output, result
    assert sample.requests() == []


def test_every_playbook_says_401_bad_credentials(ansible, sim, tmp_path):
    """Issue 23, item 9: with a bad or expired token every playbook (the role's apply among them) names the request,
    HTTP 401 and GitHub's "Bad credentials", never only "output has been hidden due to no_log", never the token."""
    bad = "ghp_expired_token_0123456789abcdefXYZ"
    description = tmp_path / "acme.yml"
    description.write_text("org_config_org: acme\norg_config_members: [{login: alice}]\n")
    runs = {
        "apply.yml": ["-e", "org_file=%s" % description],
        "export.yml": ["-e", "export_org=acme", "-e", "export_file=%s" % (tmp_path / "out.yml")],
        "audit.yml": ["-e", "audit_org=acme", "-e", "audit_report_dir=%s" % tmp_path],
        "offboard.yml": ["-e", "offboard_org=acme", "-e", "offboard_login=bob"],
    }
    for name, args in runs.items():
        result = ansible.run(PLAYBOOKS / name, env={"GITHUB_TOKEN": bad, "GITHUB_API_URL": sim.url}, extra_args=args)
        assert result.rc != 0, (name, result)
        assert "401" in result.output and "Bad credentials" in result.output, (name, result.output)
        assert bad not in result.output, name
    assert sim.writes() == []
