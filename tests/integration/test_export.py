"""playbooks/export.yml: export a live organization, then apply the file with playbooks/apply.yml under
--check and for real: both report changed=0 and send no write; a re-export is byte-identical; no secret
ever reaches the file or any output; the export reads at the API floor.

The organizations: the simulator's sample (tests/simulator/sample_org.yml), the integration tests' acme
(tests/integration/state_acme.yml) and a generated one of 1,000 members with invitations (some past 100, so
paginated), outside collaborators, webhooks with and without secrets (two sharing a URL) and 8
repositories (one with 130 direct collaborators, one with 105 pending invitations)."""

import json
import math
import re

import pytest
import yaml
from harness import ROOT
from helpers import acme

PLAYBOOKS = ROOT / "playbooks"
SAMPLE_TOKEN = "ghp_demo_admin_token"
BIG_TOKEN = "ghp_export_big_admin_token_0123456789ab"
SAMPLE_CI_SECRET = "s3cr3t-ci-hook"
BIG_SECRETS = ("big-hook-secret-one-do-not-leak", "big-hook-secret-two-do-not-leak")
SECRET_VALUE = "value-supplied-by-the-test-%d"  # what the test sets for each ORGCODE_HOOK_SECRET_* variable
SECRET_LOOKUP = re.compile(r"\{\{ lookup\('ansible\.builtin\.env', '(ORGCODE_HOOK_SECRET_[A-Z0-9_]+)'\) \}\}")


class Loader(yaml.SafeLoader):
    """PyYAML's safe loader plus Ansible's ``!unsafe`` tag (a plain string here)."""


Loader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))


def load(text):
    return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass


def pages(count):
    return max(1, math.ceil(count / 100))


def export(ansible, sim, token, org, *extra, path=None, check=False):
    path = path or ansible.workdir / ("%s.yml" % org)
    run = ansible.run(PLAYBOOKS / "export.yml", check=check,
                      env={"GITHUB_TOKEN": token, "GITHUB_API_URL": sim.url, "PWD": str(ansible.workdir)},
                      extra_args=["-e", "export_org=%s" % org, "-e", "export_file=%s" % path] + list(extra))
    return run, path


def secret_env(ansible, text):
    """The environment variables the exported file reads the webhook secrets from, each with a value; the
    header comment lists exactly these."""
    names = sorted(set(SECRET_LOOKUP.findall(text)))
    header = text.split("\norg_config_org:", 1)[0]
    assert sorted(line[4:] for line in header.splitlines() if line.startswith("#   ORGCODE_")) == names
    values = {name: SECRET_VALUE % index for index, name in enumerate(names)}
    ansible.secrets.update(values.values())
    return values, names


def apply(ansible, sim, token, path, secrets, check):
    return ansible.run(PLAYBOOKS / "apply.yml", check=check, diff=check,
                       env=dict(secrets, GITHUB_TOKEN=token, GITHUB_API_URL=sim.url),
                       extra_args=["-e", "org_file=%s" % path, "-e", "org_config_write_delay=0"], timeout=3000)


def round_trip(ansible, sim, token, org, *extra):
    """Export, apply --check --diff, apply, export again: returns the file's text and the export's requests."""
    sim.clear_log()
    first, path = export(ansible, sim, token, org, *extra)
    assert first.rc == 0, first
    requests = sim.requests()
    assert sim.writes() == []
    text = path.read_text()
    secrets, _names = secret_env(ansible, text)
    for check in (True, False):
        sim.clear_log()
        run = apply(ansible, sim, token, path, secrets, check)
        assert run.rc == 0, run
        assert run.changed == 0, "%s\n%s" % ("--check" if check else "real run", run.output)
        assert sim.writes() == [], sim.writes()
    again, _path = export(ansible, sim, token, org, *extra)
    assert again.rc == 0, again
    assert again.task("Write the description")["changed"] is False
    assert path.read_text() == text  # byte-identical
    return text, requests, first


def no_secret_in(text, *secrets):
    for secret in secrets:
        assert secret not in text
    assert "********" not in text


# -- the sample organization -------------------------------------------------------------------------------

@pytest.fixture
def sample(sim):
    sim.reset(yaml.safe_load((ROOT / "tests" / "simulator" / "sample_org.yml").read_text()))
    return sim


def test_export_of_the_sample_organization_applies_as_a_no_op(ansible, sample):
    ansible.secrets.update({SAMPLE_TOKEN, SAMPLE_CI_SECRET})
    text, requests, run = round_trip(ansible, sample, SAMPLE_TOKEN, "acme", "-e", "export_all_repositories=true")
    no_secret_in(text, SAMPLE_CI_SECRET, SAMPLE_TOKEN)
    data = load(text)

    assert data["org_config_org"] == "acme"
    assert data["org_config_settings"]["description"] == "Makers of fine widgets and gadgets"
    assert data["org_config_settings"]["billing_email"] == "billing@acme.example"
    assert data["org_config_members"] == [
        {"login": "ana-design", "role": "member"}, {"login": "Hubot-Dev", "role": "member"},
        {"login": "lisa-ops", "role": "member"}, {"login": "mona-member", "role": "member"},
        {"login": "octo-admin", "role": "admin"}, {"login": "Octo-Owner2", "role": "admin"},
        {"login": "pending-pat", "role": "member"}, {"login": "raj-sre", "role": "member"},
        {"login": "tom-qa", "role": "member"}]
    assert "  - {login: pending-pat, role: member}  # pending invitation\n" in text
    assert "expired-eve (expired)" in text and "someone@partner.example" in text
    assert data["org_config_members_exclusive"] is False
    assert data["org_config_outside_collaborators"] == [{"login": "contractor-carl"}, {"login": "Vendor-Vic"}]
    assert data["org_config_hooks"] == [
        {"url": "http://legacy.acme.example/hook", "events": ["push"], "content_type": "form",
         "insecure_ssl": True, "active": True},
        {"url": "https://ci.acme.example/github/webhook", "events": ["pull_request", "push"],
         "content_type": "json", "insecure_ssl": False, "active": True,
         "secret": "{{ lookup('ansible.builtin.env', 'ORGCODE_HOOK_SECRET_CI_ACME_EXAMPLE_GITHUB_WEBHOOK') }}",
         "update_secret": "on_create"},
    ]
    comments = " ".join(line.strip().lstrip("#").strip() for line in text.splitlines() if line.strip().startswith("#"))
    assert "set the environment variable ORGCODE_HOOK_SECRET_CI_ACME_EXAMPLE_GITHUB_WEBHOOK to it" in comments
    assert data["org_config_repo_collaborators"] == [
        {"repo": "gadgets", "login": "raj-sre", "permission": "admin"},
        {"repo": "gadgets", "login": "Vendor-Vic", "permission": "triage"},
        {"repo": "widgets", "login": "contractor-carl", "permission": "pull"},
        {"repo": "widgets", "login": "Hubot-Dev", "permission": "maintain"},
        {"repo": "widgets", "login": "invited-ivy", "permission": "push"},
        {"repo": "widgets", "login": "Vendor-Vic", "permission": "push"}]
    assert "  - {repo: widgets, login: invited-ivy, permission: push}  # pending invitation\n" in text
    assert data["org_config_repo_collaborators_exclusive"] is False
    assert "set it to true" in text  # the exclusive switches explain themselves

    # Teams: sorted by slug, parents first, parent_team null at the top level, the direct members (the
    # parent's list also shows the child team's raj-sre: named in a comment, not listed), owners as
    # maintainers, the team's repositories with the role in the vocabulary the role takes.
    assert data["org_config_teams"] == [
        {"name": "Platform", "slug": "platform", "description": "Platform engineering", "privacy": "closed",
         "notification_setting": "notifications_enabled", "parent_team": None,
         "members": [{"login": "Hubot-Dev", "role": "maintainer"}, {"login": "Octo-Owner2", "role": "maintainer"}],
         "repositories": [{"name": "gadgets", "permission": "pull"}]},
        {"name": "Platform SRE", "slug": "platform-sre", "privacy": "closed",
         "notification_setting": "notifications_enabled", "parent_team": "platform",
         "members": [{"login": "raj-sre", "role": "member"}], "repositories": []},
        {"name": "Security", "slug": "security", "privacy": "secret", "notification_setting": "notifications_enabled",
         "parent_team": None, "members": [{"login": "ana-design", "role": "maintainer"}],
         "repositories": [{"name": "widgets", "permission": "pull"}]}]
    assert "    # Also shown through child teams, so not listed: raj-sre (platform-sre).\n" in text
    assert data["org_config_teams_exclusive"] is False

    # The floor: github_org_info's 7, the teams 1 + 3 per team, one page of repositories, two lists per
    # repository.
    teams = [("GET", "/orgs/acme/teams")] + [("GET", "/orgs/acme/teams/%s/members" % slug) for slug in (
        "platform", "platform", "platform-sre", "platform-sre", "security", "security")] + [
        ("GET", "/orgs/acme/teams/%s/repos" % slug) for slug in ("platform", "platform-sre", "security")]
    assert [(r["method"], r["path"]) for r in requests] == [
        ("GET", "/orgs/acme"), ("GET", "/orgs/acme/members"), ("GET", "/orgs/acme/members"),
        ("GET", "/orgs/acme/invitations"), ("GET", "/orgs/acme/failed_invitations"),
        ("GET", "/orgs/acme/outside_collaborators"), ("GET", "/orgs/acme/hooks")] + teams + [
        ("GET", "/orgs/acme/repos"),
        ("GET", "/repos/acme/gadgets/collaborators"), ("GET", "/repos/acme/gadgets/invitations"),
        ("GET", "/repos/acme/widgets/collaborators"), ("GET", "/repos/acme/widgets/invitations")]
    assert all(r["query"].get("per_page") == "100" for r in requests if r["path"] != "/orgs/acme")
    assert "written to %s" % (ansible.workdir / "acme.yml") in run.stdout


def test_export_then_a_change_on_github_shows_in_the_check(ansible, sample):
    """The file really describes the organization: after a change on GitHub, applying it plans to undo it."""
    ansible.secrets.update({SAMPLE_TOKEN, SAMPLE_CI_SECRET})
    run, path = export(ansible, sample, SAMPLE_TOKEN, "acme", "-e", '{"export_repositories": ["widgets"]}')
    assert run.rc == 0, run
    assert {e["repo"] for e in load(path.read_text())["org_config_repo_collaborators"]} == {"widgets"}
    state = sample.state()
    org = next(o for o in state["orgs"] if o["login"] == "acme")
    org["members"]["mona-member"] = "admin"
    org["settings"]["location"] = "Shelbyville"
    sample.reset(state)
    secrets, _names = secret_env(ansible, path.read_text())
    check = apply(ansible, sample, SAMPLE_TOKEN, path, secrets, check=True)
    assert check.rc == 0, check
    assert check.changed == 1, check  # the role's one task
    assert sample.writes() == []
    assert "mona-member" in check.output and "Shelbyville" in check.output


# -- tests/integration/state_acme.yml ----------------------------------------------------------------------

def test_export_of_the_test_organization_with_listed_repositories(ansible, sim):
    text, requests, _run = round_trip(ansible, sim, ansible.token, "acme",
                                      "-e", '{"export_repositories": ["acme/widgets", "Gadgets"]}')
    no_secret_in(text, "hook-secret-do-not-leak")
    data = load(text)
    assert data["org_config_members"] == [
        {"login": "Alice", "role": "member"}, {"login": "bob", "role": "member"},
        {"login": "carol", "role": "member"}, {"login": "dave", "role": "member"},
        {"login": "Octo-Admin", "role": "admin"}, {"login": "read-only-rita", "role": "member"}]
    assert data["org_config_repo_collaborators"] == [
        {"repo": "Gadgets", "login": "outsider-oscar", "permission": "pull"},
        {"repo": "widgets", "login": "Alice", "permission": "admin"},
        {"repo": "widgets", "login": "frank", "permission": "push"},
        {"repo": "widgets", "login": "outsider-olga", "permission": "push"}]
    assert data["org_config_teams"] == [] and "org_config_teams: []\n" in text  # acme has no team
    assert len(requests) == 7 + 1 + 2 * 2
    assert not [r for r in requests if r["path"] == "/orgs/acme/repos"]  # listed: the repositories are not listed

    # Under --check the playbook still reads everything and writes the same file.
    (ansible.workdir / "checked").mkdir()
    check, path = export(ansible, sim, ansible.token, "acme", "-e",
                         '{"export_repositories": ["acme/widgets", "Gadgets"]}',
                         path=ansible.workdir / "checked" / "acme.yml", check=True)
    assert check.rc == 0, check
    assert path.read_text() == text


# -- a generated organization of 1,000 members ---------------------------------------------------------------

def member(i):
    return ("Member-%04d" if i % 10 == 0 else "member-%04d") % i


def big_state():
    """1,000 members (5 owners), 120 pending invitations (3 as owners, one for an outside collaborator),
    2 email invitations, 3 expired ones, 150 outside collaborators, 5 webhooks, 8 repositories and 4 teams
    (three nested, the parent's slug after its children's; one named yes with 150 members).

    8 repositories hold every case of a repository (two pages of collaborators, two pages of invitations, an
    expired invitation, a custom role, names YAML would read as a number or a boolean): the role and export.yml
    spend one task run per repository, so more of the same only add time; `make bench` exports 20."""
    members = {member(i): ("admin" if i <= 5 else "member") for i in range(1, 1001)}
    invitees = ["Invitee-%03d" % i for i in range(1, 120)] + ["outside-150"]
    outside = ["outside-%03d" % i for i in range(1, 151)]
    guests = ["guest-%03d" % i for i in range(1, 106)]
    users = ([{"login": login} for login in members] + [{"login": login} for login in invitees[:-1]]
             + [{"login": login} for login in outside] + [{"login": login} for login in guests]
             + [{"login": "expired-%d" % i} for i in range(1, 4)] + [{"login": "Late-Larry"}])
    invitations = [{"login": login, "role": "admin" if i < 3 else "direct_member"}
                   for i, login in enumerate(invitees)]
    invitations += [{"email": "a@partner.example", "role": "direct_member"},
                    {"email": "b@partner.example", "role": "direct_member"}]
    invitations += [{"login": "expired-%d" % i, "role": "direct_member", "expired": True} for i in range(1, 4)]
    hooks = [
        {"id": 11, "url": "https://ci.big.example/hook", "content_type": "json", "secret": BIG_SECRETS[0],
         "insecure_ssl": "0", "events": ["push", "pull_request"], "active": True},
        {"id": 12, "url": "https://chat.big.example/events", "content_type": "form", "insecure_ssl": "1",
         "events": ["issues"], "active": False},
        {"id": 13, "url": "https://dup.big.example/x", "content_type": "json", "secret": BIG_SECRETS[1],
         "insecure_ssl": "0", "events": ["release"], "active": True},
        {"id": 14, "url": "https://dup.big.example/x", "content_type": "json", "insecure_ssl": "0",
         "events": ["*"], "active": True},
        {"id": 15, "url": "https://audit.big.example/in?src=github&v=2", "content_type": "json", "insecure_ssl": "0",
         "events": ["member", "organization"], "active": True},
    ]
    names = ["repo-%02d" % i for i in range(1, 7)] + ["1.10", "yes"]
    repos = []
    roles = ["read", "triage", "write", "maintain", "admin"]
    for index, name in enumerate(names):
        collaborators = {member(6 + index * 3 + k): roles[(index + k) % 5] for k in range(3)}
        collaborators.update({login: "write" for n, login in enumerate(outside) if n % len(names) == index})
        invitations_r = []
        if index == 0:
            collaborators.update({member(100 + k): "write" for k in range(130)})
        if index == 1:
            invitations_r = [{"login": login, "permissions": roles[n % 5]} for n, login in enumerate(guests)]
        if index == 2:
            invitations_r = [{"login": "Late-Larry", "permissions": "write", "expired": True},
                             {"login": "guest-001", "permissions": "read"}]
        if index == 3:
            collaborators[member(400)] = "security-reviewer"
        repos.append({"owner": "big", "name": name, "private": index % 2 == 0, "collaborators": collaborators,
                      "invitations": invitations_r, "custom_roles": {"security-reviewer": "read"}})
    return {
        "flavor": "github.com",
        "users": users,
        "tokens": [{"token": BIG_TOKEN, "login": member(1),
                    "scopes": ["admin:org", "repo", "admin:org_hook", "read:org", "user"]}],
        "orgs": [{
            "login": "big",
            "settings": {"name": "Big Org", "description": "Widgets {{ and }} gadgets: 100% #1",
                         "default_repository_permission": "none", "members_can_create_repositories": False,
                         "blog": "", "location": "Zürich", "web_commit_signoff_required": True},
            "members": members, "invitations": invitations, "outside_collaborators": outside[:10],
            "hooks": hooks,
            "teams": [
                {"name": "Zeta", "privacy": "closed", "members": {member(10): "maintainer", member(11): "member"},
                 "repos": {"repo-04": "security-reviewer", "1.10": "admin"}},
                {"name": "Alpha Child", "parent": "zeta", "members": {member(11): "member", member(12): "maintainer"}},
                {"name": "Alpha Grandchild", "parent": "alpha-child", "members": {member(13): "member"}},
                {"name": "yes", "privacy": "closed", "description": "Widgets {{ and }} gadgets",
                 "notification_setting": "notifications_disabled",
                 "members": {member(200 + k): "member" for k in range(150)}},
            ],
        }],
        "repos": repos,
    }


def test_export_of_1000_members_applies_as_a_no_op_at_the_floor(ansible, sim):
    state = big_state()
    sim.reset(state)
    ansible.secrets.update({BIG_TOKEN, *BIG_SECRETS})
    text, requests, run = round_trip(ansible, sim, BIG_TOKEN, "big", "-e", "export_all_repositories=true")
    no_secret_in(text, BIG_TOKEN, *BIG_SECRETS)
    data = load(text)

    members = data["org_config_members"]
    assert len(members) == 1000 + 120
    assert [m["login"] for m in members] == sorted((m["login"] for m in members), key=str.lower)
    assert {"login": "Member-0010", "role": "member"} in members  # as GitHub spells it
    assert sum(1 for m in members if m["role"] == "admin") == 5 + 3
    assert text.count("# pending invitation") >= 120
    assert {"login": "outside-150"} not in data["org_config_outside_collaborators"]
    assert len(data["org_config_outside_collaborators"]) == 149
    assert data["org_config_settings"]["description"] == "Widgets {{ and }} gadgets: 100% #1"
    assert 'description: !unsafe "Widgets {{ and }} gadgets: 100% #1"' in text
    assert "blog" not in data["org_config_settings"]

    hooks = data["org_config_hooks"]
    assert [(h["url"], h.get("hook_id")) for h in hooks] == [
        ("https://audit.big.example/in?src=github&v=2", None), ("https://chat.big.example/events", None),
        ("https://ci.big.example/hook", None), ("https://dup.big.example/x", 13), ("https://dup.big.example/x", 14)]
    assert [h.get("secret") for h in hooks] == [
        None, None, "{{ lookup('ansible.builtin.env', 'ORGCODE_HOOK_SECRET_CI_BIG_EXAMPLE_HOOK') }}",
        "{{ lookup('ansible.builtin.env', 'ORGCODE_HOOK_SECRET_DUP_BIG_EXAMPLE_X') }}", None]
    assert all(h["update_secret"] == "on_create" for h in hooks if "secret" in h)

    collaborators = data["org_config_repo_collaborators"]
    by_repo = {}
    for entry in collaborators:
        by_repo.setdefault(entry["repo"], []).append(entry)
    assert len(by_repo) == 8 and {"1.10", "yes"} <= set(by_repo)
    assert len(by_repo["repo-01"]) == 3 + 19 + 130  # 3 members, every 8th outside collaborator, 130 more members
    assert len(by_repo["repo-02"]) == 3 + 19 + 105  # and 105 invitations
    assert {"repo": "repo-04", "login": "Member-0400", "permission": "security-reviewer"} in collaborators
    assert "Late-Larry on repo-03" in text

    teams = data["org_config_teams"]
    assert [t["slug"] for t in teams] == ["yes", "zeta", "alpha-child", "alpha-grandchild"]  # parents first
    assert teams[0] == {"name": "yes", "slug": "yes", "description": "Widgets {{ and }} gadgets",
                        "privacy": "closed", "notification_setting": "notifications_disabled", "parent_team": None,
                        "members": [{"login": member(200 + k), "role": "member"} for k in range(150)],
                        "repositories": []}
    assert '  - name: "yes"\n    slug: "yes"\n    description: !unsafe "Widgets {{ and }} gadgets"\n' in text
    assert teams[1]["members"] == [{"login": "Member-0010", "role": "maintainer"}]
    assert teams[1]["repositories"] == [{"name": "1.10", "permission": "admin"},
                                        {"name": "repo-04", "permission": "security-reviewer"}]
    team_comments = " ".join(line[6:] for line in text.splitlines() if line.startswith("    # "))
    assert "Also shown through child teams, so not listed: member-0011 (alpha-child), member-0012 " \
           "(alpha-child), member-0013 (alpha-child)." in team_comments
    assert teams[2]["parent_team"] == "zeta" and teams[3]["parent_team"] == "alpha-child"
    assert teams[2]["members"] == [{"login": "member-0011", "role": "member"},
                                   {"login": "member-0012", "role": "maintainer"}]
    assert teams[3]["members"] == [{"login": "member-0013", "role": "member"}]

    # The floor: every list once, 100 per page.
    org = state["orgs"][0]
    expected = (1 + pages(5) + pages(995) + pages(122) + pages(3) + pages(150) + pages(5) + pages(8)
                + 1 + 3 * 4 + 1  # the teams: the list, 3 per team, a second page of yes's members
                + sum(pages(len(r["collaborators"])) + pages(len(r["invitations"])) for r in state["repos"]))
    assert len(org["members"]) == 1000
    assert len(requests) == expected == 1 + 1 + 10 + 2 + 1 + 2 + 1 + 14 + 1 + 2 * 8 + 1 + 1
    assert all(r["method"] == "GET" for r in requests)


# -- errors ---------------------------------------------------------------------------------------------------

def test_export_needs_an_organization_and_one_repository_switch(ansible, sim):
    env = {"GITHUB_TOKEN": ansible.token, "GITHUB_API_URL": sim.url}
    missing = ansible.run(PLAYBOOKS / "export.yml", env=env)
    assert missing.rc != 0 and "Set export_org" in missing.output, missing
    both = ansible.run(PLAYBOOKS / "export.yml", env=env, extra_args=[
        "-e", "export_org=acme", "-e", "export_all_repositories=true", "-e", '{"export_repositories": ["widgets"]}'])
    assert both.rc != 0 and "not both" in both.output, both
    bad = ansible.run(PLAYBOOKS / "export.yml", env=env, extra_args=[
        "-e", "export_org=acme", "-e", '{"export_repositories": ["solo/widgets", "bad name"]}'])
    assert bad.rc != 0, bad
    assert "export_repositories[0]: 'solo/widgets' is not a repository of acme" in bad.output
    assert "export_repositories[1]: 'bad name' is not a valid repository name" in bad.output
    no_token = ansible.run(PLAYBOOKS / "export.yml", env={"GITHUB_API_URL": sim.url}, extra_args=[
        "-e", "export_org=acme", "-e", "export_all_repositories=true"])
    assert no_token.rc != 0 and "token is required" in no_token.output, no_token
    assert sim.requests() == []
    assert not list(ansible.workdir.glob("*.yml"))


def test_export_names_what_it_could_not_read_and_writes_nothing(ansible, sim):
    run, path = export(ansible, sim, ansible.token, "acme", "-e", '{"export_repositories": ["widgets", "nope"]}')
    assert run.rc != 0
    assert "repositories: repository acme/nope was not found, or the token cannot see it" in run.output
    assert not path.exists()
    member, path = export(ansible, sim, "ghp_test_member_token_0123456789abcdef", "acme")
    assert member.rc != 0 and "gather invitations: GET /orgs/acme/invitations failed: HTTP 403" in member.output
    assert not path.exists()
    assert sim.writes() == []


def test_no_token_or_secret_at_the_highest_verbosity(ansible, sim):
    run, path = export(ansible, sim, ansible.token, "acme", "-e", '{"export_repositories": ["widgets"]}', "-vvvv")
    assert run.rc == 0, run
    shown = run.output + json.dumps(run.results) + path.read_text()
    assert ansible.token not in shown and "hook-secret-do-not-leak" not in shown


@pytest.mark.parametrize("flavour", ["ghes"])
def test_export_apply_and_offboard_on_enterprise_server(ansible, sim, state):
    """Issue 23, items 1-3: on GitHub Enterprise Server the export and offboard runs end green, the export writes
    no setting the server lacks and says invitations cannot be read there, and applying the export changes
    nothing."""
    state["orgs"][0]["settings"]["members_can_create_public_pages"] = True  # what the server would ignore
    sim.reset(state)
    api = sim.url + "/api/v3"
    env = {"GITHUB_TOKEN": ansible.token, "GITHUB_API_URL": api, "PWD": str(ansible.workdir)}
    path = ansible.workdir / "acme.yml"
    exported = ansible.run(PLAYBOOKS / "export.yml", env=env, extra_args=[
        "-e", "export_org=acme", "-e", "export_file=%s" % path, "-e", '{"export_repositories": ["widgets"]}'])
    assert exported.rc == 0, exported
    assert "pending invitations not available on GitHub Enterprise Server" in exported.stdout
    text = path.read_text()
    assert "members_can_create_public_pages" not in text and "members_can_create_private_pages" not in text
    assert "pending invitations are not available on GitHub Enterprise\n# Server" in text
    secrets, _names = secret_env(ansible, text)
    for check in (True, False):
        sim.clear_log()
        applied = ansible.run(PLAYBOOKS / "apply.yml", check=check, diff=check, env=dict(
            secrets, GITHUB_TOKEN=ansible.token, GITHUB_API_URL=api), extra_args=[
            "-e", "org_file=%s" % path, "-e", "org_config_write_delay=0"])
        assert applied.rc == 0 and applied.changed == 0, applied
        assert sim.writes() == []
    for check in (["--check"], []):
        offboard = ansible.run(PLAYBOOKS / "offboard.yml", env=env, extra_args=[
            "-e", "offboard_org=acme", "-e", "offboard_login=outsider-olga"] + check)
        assert offboard.rc == 0, offboard
        assert "not available on GitHub Enterprise Server" in offboard.stdout
    assert "outsider-olga" not in {k.lower() for k in acme(sim)["outside_collaborators"]}
    report = ansible.workdir / "audit.md"
    audit = ansible.run(PLAYBOOKS / "audit.yml", env=env, extra_args=[
        "-e", "audit_org=acme", "-e", "audit_report_markdown=%s" % report])
    assert audit.rc == 0, audit
    assert "Pending invitations: not available on GitHub Enterprise Server" in audit.stdout
    assert "Not available on GitHub Enterprise Server" in report.read_text()
