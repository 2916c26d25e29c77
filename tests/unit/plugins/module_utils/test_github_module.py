"""The module base (plugins/module_utils/github_module.py), in-process.

``GitHubModule.run`` is the one exit (a result, or one failure with ``changed: true`` and ``writes_done``
once a write was sent), ``write`` is the check-mode gate and the pacing, and the guards fail before any
write. The base's tests talk to the scripted HTTP server of tests/unit/conftest.py; the connection and
API error cases at the end run a module's tasks in-process (the ``ansible`` fixture) against the
simulator. The end-to-end cases through ansible-playbook are in tests/integration/test_common.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.orgcode.github.plugins.module_utils import github_module
from ansible_collections.orgcode.github.plugins.module_utils.github_module import ModuleFailure

# -- the base, on the scripted server ------------------------------------------------------------------


@pytest.fixture
def base(base_module):
    return base_module


def test_run_exits_once_with_the_result_the_diff_and_the_api_report(base, server):
    server.reply(200, {"login": "acme", "description": "old"})
    gh = base(diff=True)

    def manage(gh):
        current = gh.client.get("/orgs/acme")
        return gh.result(True, before={"description": current["description"]}, after={"description": "new"},
                         org={"login": "acme"})

    result = base.finish(gh, manage)
    assert base.exits.calls == ["exit_json"]
    assert result["changed"] is True and result["org"] == {"login": "acme"}
    assert result["diff"] == {"before": {"description": "old"}, "after": {"description": "new"}}
    assert "before" not in result and "after" not in result
    assert result["api"] == {"requests": 1, "events": []}


def test_without_diff_mode_no_diff_is_returned_and_changed_is_a_bool(base):
    result = base.finish(base(), lambda gh: dict(gh.result(1, before={"a": 1}, after={"a": 2})))
    assert result["changed"] is True and "diff" not in result and "before" not in result


def test_helpers_raise_and_never_exit(base):
    gh = base()
    caught = []

    def manage(gh):
        for call in (lambda: gh.fail("first", extra=1), lambda: gh.login("username", "bad login!")):
            try:
                call()
            except ModuleFailure as exc:
                caught.append((exc.msg, exc.result))
        return gh.result(False)

    result = base.finish(gh, manage)
    assert base.exits.calls == ["exit_json"] and result["changed"] is False
    assert caught[0] == ("first", {"extra": 1})
    assert caught[1][0].startswith("username: 'bad login!' is not a valid GitHub login")


def test_a_failure_after_a_write_reports_changed_and_what_was_written(base, server):
    server.reply(200, {"login": "acme"})
    gh = base()

    def manage(gh):
        gh.write("PATCH", "/orgs/acme", {"description": "x"})
        raise gh.failure("the second step failed", changes={"patched": ["description"]})

    result = base.finish(gh, manage)
    assert base.exits.calls == ["fail_json"]
    assert result["failed"] is True and result["msg"] == "the second step failed"
    assert result["changed"] is True
    assert result["writes_done"] == [{"method": "PATCH", "path": "/orgs/acme"}]
    assert result["changes"] == {"patched": ["description"]}
    assert [(r.method, r.path, r.json) for r in server.requests] == [("PATCH", "/orgs/acme", {"description": "x"})]


def test_an_api_error_on_the_second_write_keeps_the_first(base, server):
    server.reply(204)
    server.reply(422, {"message": "Validation Failed", "errors": [{"resource": "Hook", "code": "invalid"}]})
    gh = base()

    def manage(gh):
        gh.write("PUT", "/orgs/acme/memberships/erin", {"role": "member"})
        gh.write("POST", "/orgs/acme/hooks", {"name": "web"})
        return gh.result(True)

    result = base.finish(gh, manage)
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"].startswith("POST /orgs/acme/hooks failed: HTTP 422: Validation Failed")
    assert result["status"] == 422
    assert result["writes_done"] == [{"method": "PUT", "path": "/orgs/acme/memberships/erin"}]


def test_a_failure_before_any_write_is_unchanged(base, server):
    server.reply(404, {"message": "Not Found"}, headers={"X-GitHub-Media-Type": "github.v3; format=json"})
    gh = base()

    def manage(gh):
        gh.require_found(org="ghost-org")
        return gh.result(True)

    result = base.finish(gh, manage)
    assert result["failed"] is True and result["changed"] is False and "writes_done" not in result
    assert result["msg"] == "org: organization 'ghost-org' was not found, or the token cannot see it"
    assert result["api"]["requests"] == 1


def test_check_mode_sends_no_write_and_a_failure_reports_nothing_written(base, server):
    gh = base(check=True)
    answers = []

    def manage(gh):
        answers.append(gh.write("DELETE", "/orgs/acme/memberships/dave"))
        raise gh.failure("stopped", changed=False)

    result = base.finish(gh, manage)
    assert answers == [(None, None)]
    assert server.requests == [] and gh.writes_done == []
    assert result["changed"] is False and "writes_done" not in result
    assert "Already done" not in result["msg"]


def test_check_mode_reports_the_change_a_real_run_would_make(base, server):
    gh = base(check=True, diff=True)

    def manage(gh):
        status, _data = gh.write("PUT", "/orgs/acme/memberships/erin", {"role": "admin"})
        return gh.result(True, before={"role": "member"}, after={"role": "admin"}, sent=status is not None)

    result = base.finish(gh, manage)
    assert result["changed"] is True and result["sent"] is False and server.requests == []
    assert result["diff"] == {"before": {"role": "member"}, "after": {"role": "admin"}}


@pytest.mark.parametrize("raised, words", [
    (KeyError("login"), "unexpected error (KeyError): 'login'"),
    (ValueError("bad value"), "unexpected error (ValueError): bad value"),
])
def test_an_unexpected_error_is_one_readable_message(base, raised, words):
    def manage(gh):
        raise raised

    result = base.finish(base(), manage)
    assert base.exits.calls == ["fail_json"]
    assert result["msg"] == words and result["changed"] is False
    assert "Traceback" not in json.dumps(result)


def test_a_manage_that_returns_no_result_fails(base):
    def manage(gh):
        return None

    result = base.finish(base(), manage)
    assert result["failed"] is True and result["msg"] == "unexpected error (TypeError): manage returned no result"


def test_writes_are_paced_by_write_delay_but_reads_are_not(base, server, module_sleep):
    server.reply(204, times=3)
    server.reply(200, {"login": "x"})
    gh = base()
    gh.write_delay = 1.0
    module_sleep.freeze()  # the requests take no time: each wait is the whole delay, however busy the machine
    gh.write("PUT", "/a")
    gh.client.get("/b")  # never waits
    gh.write("PUT", "/c")
    gh.write("PUT", "/d")
    assert module_sleep.sleeps == [1.0, 1.0]
    assert [w["path"] for w in gh.writes_done] == ["/a", "/c", "/d"]


def test_no_pacing_without_write_delay(base, server, module_sleep):
    server.reply(204, times=2)
    gh = base()
    gh.write("PUT", "/a")
    gh.write("PUT", "/b")
    assert module_sleep.sleeps == []


def owners_page(*logins):
    return [{"login": login} for login in logins]


def test_guard_last_owner_refuses_the_only_active_owner(base, server):
    server.reply(200, owners_page("Octo-Admin"))
    gh = base()
    with pytest.raises(ModuleFailure) as info:
        gh.guard_last_owner("acme", {"state": "active", "role": "admin", "user": {"login": "octo-admin"}}, "remove")
    assert info.value.msg == ("refusing to remove octo-admin: it is the last owner (admin) of organization acme; "
                              "make another user an owner first")
    assert server.requests[0].path == "/orgs/acme/members" and server.requests[0].query["role"] == "admin"


def test_guard_last_owner_lets_an_owner_go_when_another_remains(base, server):
    server.reply(200, owners_page("octo-admin", "second-owner"))
    gh = base()
    gh.guard_last_owner("acme", {"state": "active", "role": "admin", "user": {"login": "octo-admin"}}, "demote")
    assert len(server.requests) == 1


@pytest.mark.parametrize("membership", [
    None, {"state": "pending", "role": "admin"}, {"state": "active", "role": "member"}])
def test_guard_last_owner_costs_nothing_unless_an_active_owner(base, server, membership):
    base().guard_last_owner("acme", membership, "remove")
    assert server.requests == []


def test_require_found_names_the_missing_object_in_order(base, server):
    api = {"X-GitHub-Media-Type": "github.v3; format=json"}
    server.reply(200, {"login": "acme"})
    server.reply(404, {"message": "Not Found"}, headers=api)
    gh = base()
    with pytest.raises(ModuleFailure) as info:
        gh.require_found(org="acme", owner="acme", repo="nothing", username="erin")
    assert info.value.msg == "repo: repository acme/nothing was not found, or the token cannot see it"
    server.reply(404, {"message": "Not Found"}, headers=api)
    with pytest.raises(ModuleFailure) as info:
        gh.require_found(username="ghost")
    assert info.value.msg == "username: GitHub user 'ghost' does not exist"
    server.reply(200, {"login": "Erin", "id": 5})
    assert gh.require_found(username="erin") == {"login": "Erin", "id": 5}


def test_the_authenticated_login_is_read_once(base, server):
    server.reply(200, {"login": "Octo-Admin"})
    gh = base()
    assert gh.authenticated_login() == "Octo-Admin" == gh.authenticated_login()
    assert [r.path for r in server.requests] == ["/user"]


@pytest.mark.parametrize("raw, login", [("@Erin", "Erin"), (" octo-admin ", "octo-admin"), ("a" * 39, "a" * 39)])
def test_login_strips_an_at_sign_and_spaces(base, raw, login):
    assert base().login("username", raw) == login


@pytest.mark.parametrize("raw", ["", "@", "-erin", "erin-", "double--hyphen", "a" * 40, "x y", "../admin"])
def test_login_refuses_what_github_never_accepts_naming_the_option(base, raw):
    with pytest.raises(ModuleFailure) as info:
        base().login("members[2].login", raw)
    assert info.value.msg.startswith("members[2].login: %r is not a valid GitHub login" % raw)


def test_login_key_folds_case_and_the_at_sign():
    assert github_module.login_key(" @Octo-Admin ") == "octo-admin" and github_module.login_key(None) == ""


@pytest.mark.parametrize("options, words", [
    ({"timeout": 0}, "timeout must be a positive number of seconds, got 0"),
    ({"api_url": "ftp://example.com"}, "api_url"),
])
def test_connection_options_fail_at_construction_before_any_request(base, server, capsys, options, words):
    capsys.readouterr()
    with pytest.raises(SystemExit):
        base(**options)
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True and words in result["msg"] and result["changed"] is False
    assert server.requests == []


def construction_failure(base, capsys, **options):
    """The result of a GitHubModule that fails while it is built (before any request)."""
    capsys.readouterr()
    with pytest.raises(SystemExit):
        base(**options)
    return json.loads(capsys.readouterr().out)


def test_without_requests_the_module_says_which_library_to_install(base, capsys, monkeypatch):
    monkeypatch.setattr(github_module, "HAS_REQUESTS", False)
    result = construction_failure(base, capsys)
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to import the required Python library (requests)")


@pytest.fixture(scope="module")
def app_key():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption()).decode()


def test_app_auth_without_pyjwt_names_the_library(base, capsys, monkeypatch, server, app_key):
    import sys

    monkeypatch.setitem(sys.modules, "jwt", None)  # "import jwt" raises ImportError
    result = construction_failure(base, capsys, token=None, app_id=1234, app_private_key=app_key)
    assert result["msg"].startswith("Failed to import the required Python library (PyJWT)")
    assert "GitHub App authentication needs PyJWT and cryptography" in result["msg"]
    assert "PRIVATE KEY" not in json.dumps(result) and server.requests == []


def test_app_auth_needs_an_installation_id_without_org_or_owner(base, capsys, server, app_key):
    result = construction_failure(base, capsys, token=None, app_id=1234, app_private_key=app_key)
    assert result["msg"] == ("app_installation_id is required: this module has no org or owner to find the "
                             "GitHub App's installation from")
    assert server.requests == []


def test_app_auth_with_an_installation_id_needs_no_org(base, server, app_key):
    gh = base(token=None, app_id=1234, app_private_key=app_key, app_installation_id=55)
    assert gh.auth_method == "app" and gh.client.app_auth is not None
    assert gh.authenticated_login() is None  # an installation is no user: GET /user is never asked
    assert server.requests == []


# -- transport warnings: nothing is ever sent ---------------------------------------------------------


@pytest.fixture
def warned_module(base):
    """``make(**options)``: the GitHubModule and the texts of the warnings its construction gave."""
    from ansible.module_utils.common import warnings

    def make(**options):
        warnings._global_warnings.clear()
        gh = base(**options)
        return gh, list(warnings.get_warning_messages())

    return make


@pytest.mark.parametrize("api_url, warned", [
    ("http://github.internal.example/api/v3", True),
    ("http://10.20.30.40/api/v3", True),
    ("https://github.internal.example/api/v3", False),
    ("http://127.0.0.1:8080", False),
    ("http://localhost:8080/api/v3", False),
    ("http://[::1]:8080", False),
    ("http://127.evil.example/api/v3", True),
])
def test_plain_http_to_a_non_loopback_host_warns(warned_module, server, token, api_url, warned):
    module, warnings = warned_module(api_url=api_url)
    said = [w for w in warnings if "plain http://" in w and "token travels unencrypted" in w]
    assert bool(said) is warned, warnings
    assert token not in json.dumps(warnings)
    assert module.client.session.verify is True  # validate_certs is on by default
    assert server.requests == []


def test_validate_certs_false_is_honoured_and_warned(warned_module):
    module, warnings = warned_module(api_url="https://github.internal.example/api/v3", validate_certs=False)
    assert module.client.session.verify is False
    assert any("validate_certs is false" in w for w in warnings), warnings


# -- a module's tasks in-process, against the simulator ----------------------------------------------

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
