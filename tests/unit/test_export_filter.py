"""Unit tests of plugins/filter/org_config_export.py: the YAML it writes reads back (with Ansible's own loader)
as exactly the values GitHub returned, text Ansible would template is marked !unsafe, and the pagination
helpers read GitHub's Link header."""

import importlib.util
import re
import sys
from pathlib import Path

import pytest
import yaml
from ansible.parsing.yaml.loader import AnsibleLoader

ROOT = Path(__file__).resolve().parents[2]


def _load():
    name = "orgcode_export_filter"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "plugins" / "filter" / "org_config_export.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


export = _load()

TRICKY = [
    "acme", "yes", "No", "on", "OFF", "true", "null", "~", "1.10", "1_000", "0x1F", "0o17", "1e3", ".inf", "-1",
    "12:30", "a: b", "a #b", "#hash", "- dash", "[list]", "{map}", "'single'", '"double"', "back\\slash",
    "multi\nline", "tab\there", " padded ", "", "Zürich café", "emoji \U0001F600", "bell \x07", "nel \x85",
    "line sep \u2028", "bom \ufeff", "https://ci.acme.example/github/webhook?x=1&y=%20", "@mention", "*star",
    "&anchor", "!tag", "%percent", "`tick`", "|pipe", ">fold", "?q", ",comma",
]


@pytest.mark.parametrize("text", TRICKY)
def test_a_scalar_reads_back_as_the_same_string(text):
    line = "value: %s\n" % export.scalar(text)
    assert yaml.safe_load(line) == {"value": text}
    assert AnsibleLoader(line).get_single_data() == {"value": text}


@pytest.mark.parametrize("text", TRICKY)
def test_a_scalar_in_a_flow_mapping_reads_back(text):
    line = "- %s\n" % export.flow([("repo", text), ("login", "Octo-Cat")])
    assert yaml.safe_load(line) == [{"repo": text, "login": "Octo-Cat"}]


@pytest.mark.parametrize("text", ["Widgets {{ and }} gadgets", "{% raw %}", "a {# comment #}"])
def test_text_ansible_would_template_is_marked_unsafe(text):
    rendered = export.scalar(text)
    assert rendered.startswith("!unsafe ")
    data = AnsibleLoader("value: %s\n" % rendered).get_single_data()
    assert data == {"value": text}


def test_plain_scalars_stay_plain():
    assert [export.scalar(v) for v in ("acme", "Octo-Cat", "https://acme.example", True, False, 7, None)] == [
        "acme", "Octo-Cat", "https://acme.example", "true", "false", "7", "null"]


def test_secret_variable_names():
    assert export.var_slug("https://ci.acme.example/github/webhook") == "ci_acme_example_github_webhook"
    assert export.var_slug("http://LEGACY.acme.example:8080/") == "legacy_acme_example"
    assert export.var_slug("") == "hook"


def _info(**parts):
    info = dict(organization="acme", settings={}, members=[], invitations=[], outside_collaborators=[], hooks=[])
    info.update(parts)
    return info


def test_hooks_never_carry_a_secret_and_share_a_url_by_id():
    hooks = [
        dict(id=2, url="https://h.example/x", events=["push", "issues"], active=True, content_type="json",
             insecure_ssl=False, secret_set=True),
        dict(id=1, url="https://h.example/x", events=["push"], active=False, content_type=None,
             insecure_ssl=True, secret_set=False),
    ]
    text = export.org_config_export(_info(hooks=hooks))
    data = yaml.safe_load(text)
    assert data["org_config_hooks"] == [
        {"url": "https://h.example/x", "hook_id": 1, "events": ["push"], "content_type": "form",
         "insecure_ssl": True, "active": False},
        {"url": "https://h.example/x", "hook_id": 2, "events": ["issues", "push"], "content_type": "json",
         "insecure_ssl": False, "active": True,
         "secret": "{{ lookup('ansible.builtin.env', 'ORGCODE_HOOK_SECRET_H_EXAMPLE_X') }}",
         "update_secret": "on_create"},
    ]
    assert "#   ORGCODE_HOOK_SECRET_H_EXAMPLE_X\n" in text
    assert "set the environment variable ORGCODE_HOOK_SECRET_H_EXAMPLE_X to it" in text
    # The command to check the file is the installed collection's playbook; the secrets come from the environment.
    assert "#   ansible-playbook orgcode.github.apply -e org_file=$PWD/acme.yml --check --diff\n" in text
    assert "playbooks/apply.yml" not in text and "vault_" not in text


def test_hooks_with_a_secret_and_the_same_variable_name_get_their_id():
    hooks = [dict(id=id_, url=url, events=["push"], active=True, content_type="json", insecure_ssl=False,
                  secret_set=True) for id_, url in ((7, "https://h.example/a-b"), (8, "https://h.example/a_b"))]
    data = yaml.safe_load(export.org_config_export(_info(hooks=hooks)))
    assert [h["secret"] for h in data["org_config_hooks"]] == [
        "{{ lookup('ansible.builtin.env', 'ORGCODE_HOOK_SECRET_H_EXAMPLE_A_B_7') }}",
        "{{ lookup('ansible.builtin.env', 'ORGCODE_HOOK_SECRET_H_EXAMPLE_A_B_8') }}"]


def test_the_secret_variables_are_listed_once_at_the_top_and_are_valid_ci_secret_names():
    hooks = [dict(id=3, url="https://ci.acme.example/github/webhook", events=["push"], active=True,
                  content_type="json", insecure_ssl=False, secret_set=True),
             dict(id=4, url="http://legacy.acme.example/hook", events=["push"], active=True, content_type="form",
                  insecure_ssl=True, secret_set=False)]
    text = export.org_config_export(_info(hooks=hooks), None, False, "acme.yml")
    header = text.split("\norg_config_org:", 1)[0]
    listed = [line[4:] for line in header.splitlines() if line.startswith("#   ORGCODE_")]
    assert listed == ["ORGCODE_HOOK_SECRET_CI_ACME_EXAMPLE_GITHUB_WEBHOOK"]
    # GitHub Actions secrets and GitLab CI/CD variables: letters, digits and _, not starting with GITHUB_.
    assert all(re.match(r"^[A-Z][A-Z0-9_]*$", name) and not name.startswith("GITHUB_") for name in listed)
    assert text.count("ORGCODE_HOOK_SECRET_CI_ACME_EXAMPLE_GITHUB_WEBHOOK") == 3  # header, hook comment, lookup


def test_no_secret_no_variable_list():
    text = export.org_config_export(_info(hooks=[dict(id=4, url="http://legacy.acme.example/hook", events=["push"],
                                                      active=True, content_type="form", insecure_ssl=True,
                                                      secret_set=False)]))
    assert "ORGCODE_HOOK_SECRET_" not in text.replace("ORGCODE_HOOK_SECRET_<name>", "")


def test_a_hook_url_with_credentials_is_read_from_a_variable_named_like_the_secrets():
    """github_org_info shows such URLs redacted; the file names a variable instead (issue 23, item 4)."""
    jenkins = "https://ci-bot:********@jenkins.acme.example/github-webhook/"
    hooks = [
        dict(id=3, url=jenkins, events=["push"], active=True, content_type="json", insecure_ssl=False,
             secret_set=True),
        dict(id=4, url="https://hooks.acme.example/gh?token=********", events=["push"], active=True,
             content_type="json", insecure_ssl=False, secret_set=False),
        dict(id=5, url="https://hooks.acme.example/gh?token=********&team=b", events=["push"], active=True,
             content_type="json", insecure_ssl=False, secret_set=False),
        dict(id=6, url="https://plain.acme.example/gh?page=1", events=["push"], active=True, content_type="json",
             insecure_ssl=False, secret_set=False),
    ]
    text = export.org_config_export(_info(hooks=hooks))
    assert "********" not in text and "ci-bot" not in text and "token=" not in text
    data = yaml.safe_load(text)
    env = "{{ lookup('ansible.builtin.env', '%s') }}"
    assert [(h["url"], h.get("secret")) for h in data["org_config_hooks"]] == [
        (env % "ORGCODE_HOOK_URL_JENKINS_ACME_EXAMPLE_GITHUB_WEBHOOK",
         env % "ORGCODE_HOOK_SECRET_JENKINS_ACME_EXAMPLE_GITHUB_WEBHOOK"),
        (env % "ORGCODE_HOOK_URL_HOOKS_ACME_EXAMPLE_GH_4", None),
        (env % "ORGCODE_HOOK_URL_HOOKS_ACME_EXAMPLE_GH_5", None),
        ("https://plain.acme.example/gh?page=1", None),
    ]
    assert [h.get("hook_id") for h in data["org_config_hooks"]] == [None, None, None, None]
    listed = text[:text.index("org_config_org:")]
    for name in ("ORGCODE_HOOK_URL_HOOKS_ACME_EXAMPLE_GH_4", "ORGCODE_HOOK_URL_HOOKS_ACME_EXAMPLE_GH_5",
                 "ORGCODE_HOOK_URL_JENKINS_ACME_EXAMPLE_GITHUB_WEBHOOK",
                 "ORGCODE_HOOK_SECRET_JENKINS_ACME_EXAMPLE_GITHUB_WEBHOOK"):
        assert "#   %s\n" % name in listed
    comments = " ".join(line.strip(" #") for line in text.splitlines() if line.lstrip().startswith("#"))
    assert "Hook 3 has credentials in its URL (a password or a token): set the environment variable " \
           "ORGCODE_HOOK_URL_JENKINS_ACME_EXAMPLE_GITHUB_WEBHOOK to the whole URL" in comments


def test_members_invitations_and_outside_collaborators():
    info = _info(
        members=[dict(login="zed", role="member"), dict(login="Octo-Admin", role="admin")],
        invitations=[
            dict(login="Pat", role="direct_member", status="pending"),
            dict(login="bill", role="billing_manager", status="pending"),
            dict(login="Olga", role="direct_member", status="pending"),
            dict(login=None, email="x@example.com", role="direct_member", status="pending"),
            dict(login="eve", role="admin", status="expired"),
        ],
        outside_collaborators=[dict(login="Olga"), dict(login="oscar")],
    )
    text = export.org_config_export(info)
    data = yaml.safe_load(text)
    assert data["org_config_members"] == [
        {"login": "bill", "role": "member"}, {"login": "Octo-Admin", "role": "admin"},
        {"login": "Olga", "role": "member"}, {"login": "Pat", "role": "member"}, {"login": "zed", "role": "member"}]
    assert data["org_config_outside_collaborators"] == [{"login": "oscar"}]
    assert data["org_config_members_exclusive"] is False
    assert "{login: bill, role: member}  # pending invitation (GitHub role billing_manager)" in text
    assert "{login: Olga, role: member}  # pending invitation; also an outside collaborator" in text
    assert "eve (expired)" in text and "x@example.com" in text
    # Email invitations are never cancelled by the role (github_org_membership's list mode keeps them, exclusive
    # or not): the comments must not suggest that exclusive mode cancels them.
    comments = " ".join(line.lstrip("# ") for line in text.splitlines() if line.startswith("#"))
    assert "x@example.com; applying this file always leaves them alone, even with org_config_members_exclusive: " \
           "true" in comments
    assert "left alone while org_config_members_exclusive is false" not in comments
    assert "cancel the pending invitations of unlisted logins" in comments
    assert "never an invitation sent to an email address" in comments
    assert "org_config_repo_collaborators" not in data  # no repository read


def test_repository_collaborators():
    repositories = {
        "widgets": {
            "collaborators": [dict(login="Vic", role_name="write"), dict(login="amy", role_name="security-auditor"),
                              dict(login="old", permissions={"pull": True, "triage": True})],
            "invitations": [dict(invitee={"login": "Ivy"}, permissions="read", expired=False),
                            dict(invitee={"login": "Exp"}, permissions="write", expired=True)],
        },
        "1.10": {"collaborators": [], "invitations": []},
    }
    text = export.org_config_export(_info(), repositories, True)
    data = yaml.safe_load(text)
    assert data["org_config_repo_collaborators"] == [
        {"repo": "widgets", "login": "amy", "permission": "security-auditor"},
        {"repo": "widgets", "login": "Ivy", "permission": "pull"},
        {"repo": "widgets", "login": "old", "permission": "triage"},
        {"repo": "widgets", "login": "Vic", "permission": "push"},
    ]
    assert data["org_config_repo_collaborators_exclusive"] is False
    assert "Exp on widgets" in text and 'No direct collaborator or pending invitation: "1.10".' not in text
    assert "No direct collaborator or pending invitation: 1.10." in text


def _team(slug, parent=None, **fields):
    team = dict(slug=slug, name=slug.title(), id=len(slug), description=None, privacy="closed",
                notification_setting="notifications_enabled", parent=parent, child_teams=[], members=[],
                child_team_members=[], maintainers=[], repositories=[])
    team.update(fields)
    return team


def test_teams_sorted_by_slug_parents_first_with_their_members_and_repositories():
    teams = [
        _team("zeta", members=[dict(login="zed", role="member"), dict(login="Alice", role="maintainer")],
              child_team_members=[dict(login="dave", role="member", child_teams=["alpha", "beta"])],
              repositories=[dict(name="widgets", role_name="write", permission="push"),
                            dict(name="1.10", role_name="security-auditor", permission="security-auditor"),
                            dict(name="api", role_name="read")]),
        _team("beta", parent="zeta", privacy="closed", members=[dict(login="dave", role="member")]),
        _team("alpha", parent="zeta", description="First: {{ not templated }}",
              notification_setting="notifications_disabled", members=[dict(login="dave", role="maintainer")]),
        _team("gamma", parent="alpha"),
        _team("yes", privacy="secret", name="yes"),
    ]
    text = export.org_config_export(_info(teams=teams))
    data = AnsibleLoader(text).get_single_data()
    assert [t["slug"] for t in data["org_config_teams"]] == ["yes", "zeta", "alpha", "beta", "gamma"]
    yes, zeta, alpha, beta, gamma = data["org_config_teams"]
    assert yes == {"name": "yes", "slug": "yes", "privacy": "secret", "notification_setting": "notifications_enabled",
                   "parent_team": None, "members": [], "repositories": []}
    assert zeta["parent_team"] is None and "description" not in zeta  # no description: left as it is
    assert zeta["members"] == [{"login": "Alice", "role": "maintainer"}, {"login": "zed", "role": "member"}]
    assert zeta["repositories"] == [{"name": "1.10", "permission": "security-auditor"},
                                    {"name": "api", "permission": "pull"}, {"name": "widgets", "permission": "push"}]
    assert "    # Also shown through child teams, so not listed: dave (alpha, beta).\n" in text
    assert alpha["parent_team"] == "zeta" and alpha["notification_setting"] == "notifications_disabled"
    assert alpha["description"] == "First: {{ not templated }}" and 'description: !unsafe "First' in text
    assert alpha["members"] == [{"login": "dave", "role": "maintainer"}]
    assert beta["parent_team"] == "zeta" and gamma["parent_team"] == "alpha"
    assert data["org_config_teams_exclusive"] is False
    assert "  - name: \"yes\"\n    slug: \"yes\"\n" in text
    # The section sits before the repository collaborators, after the webhooks.
    assert text.index("org_config_hooks:") < text.index("org_config_teams:")
    # Any input order gives the same bytes.
    assert export.org_config_export(_info(teams=list(reversed(teams)))) == text


def test_teams_section_only_when_teams_were_gathered():
    assert "org_config_teams" not in export.org_config_export(_info())
    text = export.org_config_export(_info(teams=[]))
    assert "org_config_teams: []\n" in text and yaml.safe_load(text)["org_config_teams_exclusive"] is False


def test_the_same_input_gives_the_same_bytes_whatever_the_order():
    one = _info(members=[dict(login="b", role="member"), dict(login="A", role="admin")])
    two = _info(members=[dict(login="A", role="admin"), dict(login="b", role="member")])
    assert export.org_config_export(one) == export.org_config_export(two)


def test_more_pages_and_pages():
    first = [
        dict(item={"key": "r/collaborators", "path": "/repos/o/r/collaborators?affiliation=direct&per_page=100"},
             status=200, json=[{"login": "a"}],
             link='<http://x/repos/o/r/collaborators?affiliation=direct&per_page=100&page=2>; rel="next", '
                  '<http://x/repos/o/r/collaborators?affiliation=direct&per_page=100&page=3>; rel="last"'),
        dict(item={"key": "r/invitations", "path": "/repos/o/r/invitations?per_page=100"}, status=200, json=[]),
        dict(item={"key": "s/invitations", "path": "/repos/o/s/invitations?per_page=100"}, status=404,
             json={"message": "Not Found"}),
        dict(item={"key": "t/invitations"}, skipped=True),
    ]
    more = export.github_more_pages(first)
    assert [(m["key"], m["page"]) for m in more] == [("r/collaborators", 2), ("r/collaborators", 3)]
    pages = export.github_pages(first, [dict(item=more[0], status=200, json=[{"login": "b"}]),
                                        dict(item=more[1], status=200, json=[{"login": "c"}])], "export_repositories")
    assert [u["login"] for u in pages["items"]["r/collaborators"]] == ["a", "b", "c"]
    assert pages["errors"] == [
        "export_repositories: GET /repos/o/s/invitations?per_page=100 failed: HTTP 404, Not Found"]


def test_repository_names():
    assert export.github_repository_names(["widgets", "ACME/gadgets", "Widgets"], "acme") == dict(
        names=["widgets", "gadgets"], errors=[])
    result = export.github_repository_names(["other/widgets", "bad name", ".."], "acme")
    assert result["errors"] == [
        "export_repositories[0]: 'other/widgets' is not a repository of acme",
        "export_repositories[1]: 'bad name' is not a valid repository name",
        "export_repositories[2]: '..' is not a valid repository name",
    ]
    assert export.github_repository_names("widgets", "acme")["errors"]
