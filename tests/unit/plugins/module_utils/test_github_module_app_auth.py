"""GitHub App authentication in-process, against the simulator's App endpoints.

Each task's module runs in-process (the ``ansible`` fixture of tests/unit/conftest.py); the
end-to-end cases through ansible-playbook are in tests/integration/test_app_auth.py.

A fresh RSA key pair is generated for the test session (no private key is committed); the
simulator state gains an App whose public key it is, installed on organization ``acme``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


import pytest
from app_support import APP_ID, INSTALLATION_ID, MEMBERSHIP, TOKEN_PATH, app_calls, assert_no_secrets, pem_pair, play
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from harness import ADMIN_TOKEN


@pytest.fixture(scope="session")
def other_key():
    return pem_pair()[0]


def test_app_private_key_from_the_environment_with_escaped_newlines(ansible, app_sim, app_key):
    env = {"GITHUB_APP_ID": str(APP_ID), "GITHUB_APP_PRIVATE_KEY": app_key[0].strip().replace("\n", "\\n"),
           "GITHUB_API_URL": app_sim.url}
    run = ansible.play([MEMBERSHIP], connection=False, env=env, verbosity=3)
    assert run.rc == 0 and run.changed == 1, run
    assert_no_secrets(run, app_key[0])


def test_app_options_in_the_play_win_over_a_token_in_the_environment(ansible, app_sim, app_key):
    pb = play(ansible, [MEMBERSHIP], app_id=APP_ID, app_private_key=app_key[0])
    run = ansible.run(pb, env={"GITHUB_TOKEN": ADMIN_TOKEN})
    assert run.rc == 0 and run.changed == 1, run
    assert ("POST", TOKEN_PATH, 201) in app_calls(app_sim)


def test_token_in_the_play_wins_over_app_options_in_the_environment(ansible, app_sim, key_file):
    run = ansible.play([MEMBERSHIP], env={"GITHUB_APP_ID": str(APP_ID),
                                          "GITHUB_APP_PRIVATE_KEY_PATH": str(key_file)})
    assert run.rc == 0 and run.changed == 1, run
    assert app_calls(app_sim) == []


@pytest.mark.parametrize("prefix", ["", "/api/v3"])
def test_ghes_shaped_api_url_for_apps_and_tokens(ansible, app_sim, app_key, prefix):
    url = app_sim.url + prefix + "/"
    run = ansible.run(play(ansible, [MEMBERSHIP], api_url=url, app_id=APP_ID, app_private_key=app_key[0]))
    assert run.rc == 0 and run.changed == 1, run
    log = app_sim.requests()
    assert [r.get("api_prefix", "") for r in log] == [prefix] * len(log)
    assert ("POST", TOKEN_PATH, 201) in app_calls(app_sim)
    token_run = ansible.run(play(ansible, [dict(MEMBERSHIP, **{"orgcode.github.github_org_membership": {
        "org": "acme", "username": "frank"}})], api_url=url, token=ADMIN_TOKEN))
    assert token_run.rc == 0 and token_run.changed == 1, token_run
    assert all(r.get("api_prefix", "") == prefix for r in app_sim.requests())


EVERY_MODULE = [
    ("github_org", {"org": "acme", "description": "Managed by the App"}, "/orgs/acme/installation"),
    ("github_org_membership", {"org": "acme", "username": "erin", "role": "admin"}, "/orgs/acme/installation"),
    ("github_outside_collaborator", {"org": "acme", "username": "bob"}, "/orgs/acme/installation"),
    ("github_org_hook", {"org": "acme", "url": "https://app.acme.example/hook", "secret": "app-hook-secret"},
     "/orgs/acme/installation"),
    ("github_repo_collaborator", {"owner": "acme", "repo": "gadgets", "username": "carol", "permission": "triage"},
     "/repos/acme/gadgets/installation"),
]


@pytest.mark.parametrize("module, options, lookup", EVERY_MODULE, ids=[m[0] for m in EVERY_MODULE])
def test_every_writing_module_works_as_an_app(ansible, app_sim, app_key, module, options, lookup):
    task = {"name": "t", "orgcode.github." + module: options}
    pb = play(ansible, [task], app_id=APP_ID, app_private_key=app_key[0])
    first = ansible.run(pb, diff=True, verbosity=3)
    assert first.rc == 0 and first.changed == 1, first
    assert app_calls(app_sim)[:2] == [("GET", lookup, 200), ("POST", TOKEN_PATH, 201)]
    second = ansible.run(pb)
    assert second.rc == 0 and second.changed == 0, second
    assert_no_secrets(first, app_key[0], "app-hook-secret")


def test_read_only_facts_as_an_app(ansible, app_sim, app_key):
    task = {"name": "t", "orgcode.github.github_org_info": {"org": "acme"}}
    run = ansible.run(play(ansible, [task], app_id=APP_ID, app_private_key=app_key[0]))
    assert run.rc == 0 and run.changed == 0, run
    result = run.task("t")
    assert "octo-admin" in [m["login"].lower() for m in result["members"]]
    assert [h["url"] for h in result["hooks"]] == ["https://ci.acme.example/hook"]
    assert result["settings"]["billing_email"] == "billing@acme.example"  # the owner's view


def many_owners(state, count=1100):
    members = state["orgs"][0]["members"]
    for number in range(count):
        members["owner-%04d" % number] = "admin"
    return state


DEMOTE = {"name": "t", "orgcode.github.github_org_membership": {
    "org": "acme", "username": "owner-0500", "role": "member"}}


def owner_pages(sim):
    return [r for r in sim.requests() if r["path"] == "/orgs/acme/members"]


def test_installation_token_is_renewed_before_it_expires_during_a_paginated_run(ansible, sim, app_state, app_key):
    sim.reset(many_owners(app_state))
    # Every token lives 6 s and is renewed a quarter of its life (1.5 s) ahead; 12 owner pages take > 6 s. A
    # request reaches the server 0.5 s after it leaves: 1 s to spare on a busy machine (2 s tokens and 0.2 s left
    # about 0.3 s, and a 401 once in a while).
    sim.config(app_token_ttl=6, latency_ms=500)
    run = ansible.run(play(ansible, [DEMOTE], app_id=APP_ID, app_private_key=app_key[0],
                           app_installation_id=INSTALLATION_ID), verbosity=1)
    assert run.rc == 0 and run.changed == 1, run
    assert len(owner_pages(sim)) == 12
    statuses = [r["status"] for r in sim.requests()]
    assert 401 not in statuses  # renewed ahead of time, never refused
    assert list(app_calls(sim)).count(("POST", TOKEN_PATH, 201)) >= 2
    assert any("installation token renewed" in e for e in run.task("t")["api"]["events"])
    assert next(o for o in sim.state()["orgs"] if o["login"] == "acme")["members"]["owner-0500"] == "member"


def test_installation_token_refused_mid_run_is_renewed_and_the_request_retried(ansible, sim, app_state, app_key):
    """GitHub's clock runs 30 s ahead of this host: the client trusts a token GitHub already expired."""
    sim.reset(many_owners(app_state))
    # Each token lives 2 s by GitHub's clock; 12 owner pages take > 3.6 s, so one expires during the run, and the
    # retry with a new token reaches the server 0.3 s after it was issued: 1.7 s to spare on a busy machine.
    sim.config(app_token_ttl=2, app_clock_skew_s=30, latency_ms=300)
    run = ansible.run(play(ansible, [DEMOTE], app_id=APP_ID, app_private_key=app_key[0],
                           app_installation_id=INSTALLATION_ID), verbosity=3)
    assert run.rc == 0 and run.changed == 1, run
    log = sim.requests()
    refused = [i for i, r in enumerate(log) if r["status"] == 401]
    assert refused, "the token should have expired during the run"
    for i in refused:  # each 401 is followed by a new token and the same request, which then succeeds
        assert (log[i + 1]["method"], log[i + 1]["path"], log[i + 1]["status"]) == ("POST", TOKEN_PATH, 201)
        assert (log[i + 2]["method"], log[i + 2]["path"]) == (log[i]["method"], log[i]["path"])
        assert log[i + 2]["query"] == log[i]["query"] and log[i + 2]["status"] < 400
    assert len({tuple(sorted(r["query"].items())) for r in owner_pages(sim)}) == 12
    events = run.task("t")["api"]["events"]
    assert any("installation token was refused (HTTP 401: Bad credentials); got a new one and retried" in e
               for e in events)
    assert_no_secrets(run, app_key[0])


def test_wrong_key_gives_one_readable_401(ansible, app_sim, other_key):
    run = ansible.run(play(ansible, [MEMBERSHIP], app_id=APP_ID, app_private_key=other_key), verbosity=3)
    assert run.rc != 0
    result = run.task("t")
    assert result["msg"].startswith("GET /orgs/acme/installation failed: HTTP 401: A JSON web token could not be "
                                    "decoded. GitHub refused the App's JSON web token: check that app_id 1234 is "
                                    "right"), result["msg"]
    assert result["status"] == 401
    assert run.recap["failed"] == 1
    assert app_calls(app_sim) == [("GET", "/orgs/acme/installation", 401)]
    assert_no_secrets(run, other_key)


def test_wrong_key_with_installation_id_fails_at_the_token_exchange(ansible, app_sim, other_key):
    run = ansible.run(play(ansible, [MEMBERSHIP], app_id=APP_ID, app_private_key=other_key,
                           app_installation_id=INSTALLATION_ID))
    assert run.rc != 0
    msg = run.task("t")["msg"]
    assert msg.startswith("POST %s failed: HTTP 401: A JSON web token could not be decoded. " % TOKEN_PATH), msg
    assert [r["status"] for r in app_sim.requests()] == [401]


def test_app_not_installed_on_the_org_is_named(ansible, app_sim, app_key):
    task = {"name": "t", "orgcode.github.github_org_membership": {"org": "solo", "username": "erin"}}
    run = ansible.run(play(ansible, [task], app_id=APP_ID, app_private_key=app_key[0]))
    assert run.rc != 0
    msg = run.task("t")["msg"]
    assert msg.startswith("GET /orgs/solo/installation failed: HTTP 404: Not Found. GitHub App 1234 is not "
                          "installed on organization solo"), msg


def test_unknown_installation_id_is_named(ansible, app_sim, app_key):
    run = ansible.run(play(ansible, [MEMBERSHIP], app_id=APP_ID, app_private_key=app_key[0],
                           app_installation_id=999))
    assert run.rc != 0
    msg = run.task("t")["msg"]
    assert "POST /app/installations/999/access_tokens failed: HTTP 404" in msg
    assert "check app_installation_id" in msg


def test_installation_without_a_permission_gets_github_403(ansible, sim, app_state, app_key):
    app_state["apps"][0]["installations"][0]["permissions"] = {"members": "write"}
    sim.reset(app_state)
    task = {"name": "t", "orgcode.github.github_org": {"org": "acme", "description": "by the app"}}
    run = ansible.run(play(ansible, [task], app_id=APP_ID, app_private_key=app_key[0]))
    assert run.rc != 0
    result = run.task("t")
    assert result["msg"].startswith("PATCH /orgs/acme failed: HTTP 403: Resource not accessible by integration")
    members = ansible.run(play(ansible, [MEMBERSHIP], app_id=APP_ID, app_private_key=app_key[0]))
    assert members.rc == 0 and members.changed == 1, members


@pytest.mark.parametrize("connection, env, words", [
    ({"token": ADMIN_TOKEN, "app_id": APP_ID, "app_private_key": "KEY"}, {},
     "token and the GitHub App options (app_id, app_private_key) are mutually exclusive"),
    ({}, {"GITHUB_TOKEN": ADMIN_TOKEN, "GITHUB_APP_ID": str(APP_ID), "GITHUB_APP_PRIVATE_KEY": "KEY"},
     "token and the GitHub App options (app_id, app_private_key) are mutually exclusive"),
    ({}, {}, "token is required: set the token option or the GITHUB_TOKEN (or GH_TOKEN) environment variable, "
             "or authenticate as a GitHub App with app_id and app_private_key"),
    ({"app_private_key": "KEY"}, {}, "app_id is required with app_private_key"),
    ({"app_id": APP_ID}, {}, "app_private_key or app_private_key_path is required with app_id"),
    ({"app_id": APP_ID, "app_private_key": "KEY", "app_private_key_path": "/x.pem"}, {},
     "app_private_key and app_private_key_path are mutually exclusive"),
    ({"app_id": "12ab", "app_private_key": "KEY"}, {}, "app_id: must be the GitHub App's numeric ID"),
    ({"app_id": APP_ID, "app_private_key": "not a key"}, {}, "app_private_key: is not a PEM private key"),
    ({"app_id": APP_ID, "app_private_key_path": "/nonexistent/app.pem"}, {},
     "app_private_key_path: cannot read /nonexistent/app.pem: No such file or directory"),
    ({"app_id": APP_ID, "app_private_key": "KEY", "app_installation_id": "fifty-five"}, {},
     "app_installation_id"),
    ({"app_id": APP_ID, "app_private_key": "KEY", "app_installation_id": 0}, {},
     "app_installation_id must be a positive number"),
])
def test_bad_auth_options_fail_before_any_request(ansible, app_sim, app_key, connection, env, words):
    connection = {k: (app_key[0] if v == "KEY" else v) for k, v in connection.items()}
    env = {k: (app_key[0] if v == "KEY" else v) for k, v in env.items()}
    run = ansible.run(play(ansible, [MEMBERSHIP], **connection), env=env, verbosity=3)
    assert run.rc != 0
    assert words in run.task("t")["msg"], run.task("t")["msg"]
    assert app_sim.requests() == []
    assert_no_secrets(run, app_key[0])


def test_encrypted_or_non_rsa_keys_are_refused_before_any_request(ansible, app_sim, tmp_path):
    encrypted = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"passphrase")).decode()
    ec_key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    path = tmp_path / "ec.pem"
    path.write_text(ec_key)
    for options, words in (({"app_private_key": encrypted}, "app_private_key: the private key is encrypted"),
                           ({"app_private_key_path": str(path)}, "app_private_key_path: is not an RSA private key")):
        run = ansible.run(play(ansible, [MEMBERSHIP], app_id=APP_ID, **options), verbosity=3)
        assert run.rc != 0
        assert words in run.task("t")["msg"]
        assert_no_secrets(run, encrypted, ec_key)
    assert app_sim.requests() == []


def test_exclusive_member_list_works_as_an_app(ansible, app_sim, app_key):
    # An installation is no user: GET /user is refused to it, so the list mode must not need it.
    members = [{"login": "octo-admin", "role": "admin"}, {"login": "alice"}, {"login": "bob"},
               {"login": "dave"}, {"login": "read-only-rita"}]
    task = {"name": "t", "orgcode.github.github_org_membership": {
        "org": "acme", "members": members, "exclusive": True, "write_delay": 0}}
    pb = play(ansible, [task], app_id=APP_ID, app_private_key=app_key[0], app_installation_id=INSTALLATION_ID)
    run = ansible.run(pb)
    assert run.rc == 0 and run.changed == 1, run
    assert run.task("t")["changes"]["invitations_cancelled"] == ["carol"]
    assert not [r for r in app_sim.requests() if r["path"] == "/user"]
    assert ansible.run(pb).changed == 0
