"""Behaviour every module shares (the module base): connection options and API errors, in-process.

Each task's module runs in-process (the ``ansible`` fixture of tests/unit/conftest.py); the
end-to-end cases through ansible-playbook are in tests/integration/test_common.py.
"""

import pytest

MEMBER_TOKEN = "ghp_test_member_token_0123456789abcdef"
NOSCOPE_TOKEN = "ghp_test_noscope_token_0123456789abcde"


def task(module="github_org_membership", **options):
    defaults = {"github_org_membership": {"org": "acme", "username": "erin"},
                "github_org": {"org": "acme", "description": "changed"}}[module]
    return {"name": "t", "orgcode.github." + module: dict(defaults, **options)}


def test_missing_token_is_named(ansible, sim):
    run = ansible.play([task()], connection=False, env={"GITHUB_API_URL": sim.url})
    assert run.rc != 0
    assert "token is required" in run.task("t")["msg"]
    assert sim.requests() == []


@pytest.mark.parametrize("options, words", [
    ({"api_url": "api.github.com"}, "api_url must be an absolute http(s) URL"),
    ({"api_url": "ftp://example.com"}, "api_url must be an absolute http(s) URL"),
    ({"timeout": 0}, "timeout must be a positive"),
    ({"timeout": -5}, "timeout must be a positive"),
    ({"validate_certs": "perhaps"}, "validate_certs"),
])
def test_bad_connection_options_fail_before_any_request(ansible, sim, options, words):
    run = ansible.play([task(**options)])
    assert run.rc != 0
    assert words in run.task("t")["msg"]
    assert sim.requests() == []


def test_bad_token_gives_one_readable_401(ansible, sim):
    ansible.token = "ghp_definitely_wrong_token_000000000000"
    run = ansible.play([task()], verbosity=3)
    assert run.rc != 0
    result = run.task("t")
    assert result["msg"].startswith("GET /orgs/acme/memberships/erin failed: HTTP 401: Bad credentials")
    assert result["status"] == 401
    assert "Traceback" not in run.output
    assert ansible.token not in run.output


def test_member_without_owner_rights_gets_one_readable_403(ansible, sim):
    ansible.token = MEMBER_TOKEN
    run = ansible.play([task("github_org", description="hijacked")])
    assert run.rc != 0
    result = run.task("t")
    assert "PATCH /orgs/acme failed: HTTP 403" in result["msg"]
    assert result["status"] == 403
    assert "Traceback" not in run.output
    assert sim.writes()[0]["status"] == 403


def test_missing_scope_403_names_the_scopes(ansible, sim):
    ansible.token = NOSCOPE_TOKEN
    run = ansible.play([task("github_org", description="x")])
    assert run.rc != 0
    msg = run.task("t")["msg"]
    assert "HTTP 403" in msg and "admin:org" in msg and "Scopes this endpoint accepts" in msg
