"""Unit tests for GitHub App authentication (plugins/module_utils/github_app.py with the client).

The JWT's claims and signature, installation lookup, token exchange, renewal timing on a fake
clock, the one retry after a 401, and that no key, JWT or token leaks into errors or events.
Requests go to the scripted HTTP server of conftest.py; keys are generated at test time.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import sys

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from ansible_collections.orgcode.github.plugins.module_utils import github_app

APP_ID = 1234
NOW = 1700000000.0  # the fake clock's start (conftest.FakeClock)


@pytest.fixture(scope="module")
def keys():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                            serialization.NoEncryption()).decode()
    return key, pem


def iso(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def token_answer(name, expires):
    return {"token": name, "expires_at": iso(expires), "permissions": {"members": "write"},
            "repository_selection": "all"}


class Secrets:
    """Collects what ``on_secret`` is told, to check none of it leaks."""

    def __init__(self):
        self.values = []

    def __call__(self, value):
        self.values.append(value)


@pytest.fixture
def secrets():
    return Secrets()


@pytest.fixture
def app_client(make_client, keys, secrets):
    """``app_client(**auth_options)``: a client authenticating as the App (installation 55 by default)."""
    def factory(client_options=None, **options):
        options.setdefault("installation_id", 55)
        auth = github_app.GitHubAppAuth(APP_ID, keys[0], on_secret=secrets, **options)
        return make_client(token=None, app_auth=auth, **(client_options or {}))
    return factory


def authorizations(server):
    return [r.headers.get("authorization") for r in server.requests]


def assert_no_secret(text, secrets, pem=None):
    for value in secrets.values:
        assert value not in text
    assert "ghs_" not in text and "eyJ" not in text
    if pem:
        for line in pem.splitlines()[1:-1]:
            assert line not in text


# -- the JSON web token --------------------------------------------------------------------------


def test_jwt_claims_backdate_iat_and_expire_within_ten_minutes(keys):
    auth = github_app.GitHubAppAuth(APP_ID, keys[0])
    claims = auth.jwt_claims(NOW + 0.7)
    assert claims == {"iat": int(NOW) - 60, "exp": int(NOW) + 540, "iss": "1234"}
    assert claims["exp"] - claims["iat"] == 600  # GitHub's maximum


def test_jwt_is_rs256_signed_with_the_app_key(keys, secrets):
    auth = github_app.GitHubAppAuth("Iv23liClientId", keys[0], on_secret=secrets)
    value = auth.make_jwt(NOW)
    assert jwt.get_unverified_header(value)["alg"] == "RS256"
    unchecked_times = {"verify_exp": False, "verify_iat": False}
    claims = jwt.decode(value, keys[0].public_key(), algorithms=["RS256"], options=unchecked_times)
    assert claims == {"iat": int(NOW) - 60, "exp": int(NOW) + 540, "iss": "Iv23liClientId"}
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(value, other.public_key(), algorithms=["RS256"], options={"verify_exp": False})
    assert secrets.values == [value]  # the caller is told, so it can mask it


# -- the token exchange and discovery ------------------------------------------------------------


def test_installation_token_is_fetched_once_and_used(server, app_client, fake, keys, secrets):
    server.reply(201, token_answer("ghs_first", NOW + 3600))
    server.reply(200, {"login": "acme"}, times=2)
    client = app_client()
    assert client.get("/orgs/acme") == {"login": "acme"}
    assert client.get("/orgs/acme") == {"login": "acme"}
    exchange, first, second = server.requests
    assert (exchange.method, exchange.path) == ("POST", "/app/installations/55/access_tokens")
    bearer = exchange.headers["authorization"].split(" ", 1)[1]
    claims = jwt.decode(bearer, keys[0].public_key(), algorithms=["RS256"],
                        options={"verify_exp": False, "verify_iat": False})
    assert claims["iss"] == "1234" and claims["iat"] == int(NOW) - 60
    assert first.headers["authorization"] == second.headers["authorization"] == "Bearer ghs_first"
    assert exchange.headers["x-github-api-version"] == "2022-11-28"
    assert client.request_count == 3 and client.events == []
    assert "ghs_first" in secrets.values


def test_installation_is_found_from_the_org(server, app_client):
    server.reply(200, {"id": 77, "account": {"login": "acme"}})
    server.reply(201, token_answer("ghs_org", NOW + 3600))
    server.reply(200, {"login": "acme"})
    client = app_client(installation_id=None, org="acme")
    client.get("/orgs/acme")
    lookup, exchange, _call = server.requests
    assert (lookup.method, lookup.path) == ("GET", "/orgs/acme/installation")
    assert lookup.headers["authorization"].startswith("Bearer eyJ")
    assert exchange.path == "/app/installations/77/access_tokens"
    assert client.app_auth.installation_id == 77


def test_installation_is_found_from_the_repository(server, app_client):
    server.reply(200, {"id": 78})
    server.reply(201, token_answer("ghs_repo", NOW + 3600))
    server.reply(200, [])
    client = app_client(installation_id=None, owner="acme", repo="widgets")
    client.paginate("/repos/acme/widgets/collaborators")
    assert [r.path for r in server.requests] == ["/repos/acme/widgets/installation",
                                                 "/app/installations/78/access_tokens",
                                                 "/repos/acme/widgets/collaborators"]


def test_ghes_api_root_prefixes_the_app_endpoints(server, app_client):
    server.reply(201, token_answer("ghs_ghes", NOW + 3600))
    server.reply(200, {"login": "acme"})
    client = app_client(client_options={"api_url": server.url + "/api/v3/"})
    client.get("/orgs/acme")
    assert [r.path for r in server.requests] == ["/api/v3/app/installations/55/access_tokens", "/api/v3/orgs/acme"]


# -- renewal ---------------------------------------------------------------------------------------


def test_token_is_renewed_when_less_than_five_minutes_remain(server, app_client, fake):
    server.reply(201, token_answer("ghs_one", NOW + 3600))
    server.reply(200, {}, times=2)
    server.reply(201, token_answer("ghs_two", NOW + 3301 + 3600))
    server.reply(200, {})
    client = app_client()
    client.get("/a")  # gets ghs_one at NOW
    fake.now = NOW + 3299  # 301 s left: still good
    client.get("/b")
    fake.now = NOW + 3301  # 299 s left: renew first
    client.get("/c")
    assert [(r.method, r.path) for r in server.requests] == [
        ("POST", "/app/installations/55/access_tokens"), ("GET", "/a"), ("GET", "/b"),
        ("POST", "/app/installations/55/access_tokens"), ("GET", "/c")]
    assert authorizations(server)[1:3] == ["Bearer ghs_one"] * 2
    assert authorizations(server)[4] == "Bearer ghs_two"
    jwt_claims = jwt.decode(authorizations(server)[3].split()[1], options={"verify_signature": False})
    assert jwt_claims["iat"] == int(NOW + 3301) - 60  # a fresh JWT for each exchange
    assert client.events == ["GitHub App installation token renewed (299 s before it expired)"]


def test_short_lived_tokens_are_renewed_a_quarter_of_their_life_ahead(server, app_client, fake):
    server.reply(201, token_answer("ghs_short", NOW + 40))
    server.reply(200, {}, times=2)
    server.reply(201, token_answer("ghs_next", NOW + 80))
    server.reply(200, {})
    client = app_client()
    client.get("/a")
    fake.now = NOW + 29  # 11 s left of 40: more than a quarter
    client.get("/b")
    fake.now = NOW + 31  # 9 s left: renew
    client.get("/c")
    assert authorizations(server)[-1] == "Bearer ghs_next"
    assert [r.method for r in server.requests].count("POST") == 2


def test_expires_at_missing_means_one_hour(server, app_client, fake):
    server.reply(201, {"token": "ghs_noexp"})
    server.reply(200, {}, times=2)
    server.reply(201, token_answer("ghs_later", NOW + 7200))
    server.reply(200, {})
    client = app_client()
    client.get("/a")
    fake.now = NOW + 3200
    client.get("/b")
    fake.now = NOW + 3400
    client.get("/c")
    assert authorizations(server)[1:3] == ["Bearer ghs_noexp"] * 2 and authorizations(server)[4] == "Bearer ghs_later"


def test_token_expiring_during_pagination_is_renewed_between_pages(server, app_client, fake):
    """A long list run: every request costs 700 s on the fake clock, the token lives an hour."""
    pages = 8

    def page(number):
        link = '<%s/orgs/acme/members?per_page=100&page=%d>; rel="next"' % (server.url, number + 1)
        server.reply(200, [{"login": "user-%d" % number}], headers={"Link": link} if number < pages else None)

    server.reply(201, token_answer("ghs_t1", NOW + 3600))
    for number in range(1, 5):
        page(number)
    # After the exchange and 4 pages the fake clock reads NOW + 3500: under 5 minutes are left.
    server.reply(201, token_answer("ghs_t2", NOW + 3500 + 3600))
    for number in range(5, pages + 1):
        page(number)
    client = app_client()
    real_request = client.session.request

    def slow_request(*args, **kwargs):
        response = real_request(*args, **kwargs)
        fake.now += 700
        return response

    client.session.request = slow_request
    items = client.paginate("/orgs/acme/members")
    assert [i["login"] for i in items] == ["user-%d" % n for n in range(1, pages + 1)]
    used = [(r.path, r.headers["authorization"]) for r in server.requests]
    assert used[5][0] == "/app/installations/55/access_tokens"
    assert [a for p, a in used if p == "/orgs/acme/members"] == ["Bearer ghs_t1"] * 4 + ["Bearer ghs_t2"] * 4
    assert server.remaining == 0 and server.unscripted == 0
    assert client.events == ["GitHub App installation token renewed (100 s before it expired)"]


def test_401_renews_the_token_and_retries_once(server, app_client):
    server.reply(201, token_answer("ghs_revoked", NOW + 3600))
    server.reply(401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"})
    server.reply(201, token_answer("ghs_fresh", NOW + 3600))
    server.reply(201, {"id": 1})
    client = app_client()
    status, data, _response = client.request("POST", "/orgs/acme/invitations", body={"invitee_id": 5})
    assert (status, data) == (201, {"id": 1})
    calls = [(r.method, r.path, r.headers["authorization"].split()[1][:4], r.json) for r in server.requests]
    assert calls[1] == ("POST", "/orgs/acme/invitations", "ghs_", {"invitee_id": 5})
    assert calls[2][:2] == ("POST", "/app/installations/55/access_tokens")
    assert calls[3] == ("POST", "/orgs/acme/invitations", "ghs_", {"invitee_id": 5})
    assert server.requests[3].headers["authorization"] == "Bearer ghs_fresh"
    assert client.events == ["POST /orgs/acme/invitations: the installation token was refused (HTTP 401: Bad "
                             "credentials); got a new one and retried"]


def test_a_second_401_fails_without_looping(server, app_client, gc):
    server.reply(201, token_answer("ghs_a", NOW + 3600))
    server.reply(401, {"message": "Bad credentials"})
    server.reply(201, token_answer("ghs_b", NOW + 3600))
    server.reply(401, {"message": "Bad credentials"})
    client = app_client()
    with pytest.raises(gc.GitHubAPIError) as info:
        client.get("/orgs/acme")
    assert info.value.status == 401
    assert str(info.value) == "GET /orgs/acme failed: HTTP 401: Bad credentials"
    assert len(server.requests) == 4 and server.unscripted == 0


def test_token_users_never_retry_a_401(server, client, gc):
    server.reply(401, {"message": "Bad credentials"})
    with pytest.raises(gc.GitHubAPIError):
        client.get("/user")
    assert len(server.requests) == 1
    assert client.app_auth is None


# -- failures are readable, typed and secret-free -------------------------------------------------


@pytest.mark.parametrize("status, message, words", [
    (401, "A JSON web token could not be decoded",
     "POST /app/installations/55/access_tokens failed: HTTP 401: A JSON web token could not be decoded. GitHub "
     "refused the App's JSON web token: check that app_id 1234 is right"),
    (404, "Not Found", "HTTP 404: Not Found. No installation 55 of GitHub App 1234: check app_installation_id"),
    (403, "This installation has been suspended", "(is the installation suspended?)"),
    (500, "Server Error", "GitHub App 1234 could not get an installation token"),
])
def test_exchange_failures_are_auth_errors_with_a_hint(server, app_client, gc, keys, secrets, status, message,
                                                       words):
    server.reply(status, {"message": message, "documentation_url": "https://docs.github.com/rest"}, times=4)
    client = app_client(client_options={"retries": 0})
    with pytest.raises(github_app.GitHubAuthError) as info:
        client.get_or_none("/orgs/acme/memberships/erin")  # a 404 of the exchange is no "absent" answer
    err = info.value
    assert not isinstance(err, gc.GitHubAPIError)
    assert words in str(err)
    assert str(err).endswith("[see https://docs.github.com/rest]")
    result = err.to_result()
    assert result["status"] == status and result["github_message"] == message
    assert result["github_app_auth_failed"] is True
    text = str(err) + json.dumps(result) + repr(client.app_auth) + json.dumps(client.events)
    assert_no_secret(text, secrets, keys[1])
    assert [r.path for r in server.requests] == ["/app/installations/55/access_tokens"]


def test_app_not_installed_on_the_org(server, app_client):
    # From GitHub's REST API (its media type header): a web page's 404 would get the GHES api_url hint.
    server.reply(404, {"message": "Not Found"}, headers={"X-GitHub-Media-Type": "github.v3; format=json"})
    client = app_client(installation_id=None, org="acme")
    with pytest.raises(github_app.GitHubAuthError) as info:
        client.exists("/orgs/acme/members/erin")
    assert str(info.value) == ("GET /orgs/acme/installation failed: HTTP 404: Not Found. GitHub App 1234 is not "
                               "installed on organization acme (install it there, or set app_installation_id)")


def test_exchange_answer_without_a_token(server, app_client):
    server.reply(201, {"expires_at": iso(NOW + 3600)})
    with pytest.raises(github_app.GitHubAuthError) as info:
        app_client().get("/orgs/acme")
    assert "no installation token in GitHub's answer" in str(info.value)


def test_discovery_needs_an_org_or_a_repo(keys, make_client):
    client = make_client(token=None, app_auth=github_app.GitHubAppAuth(APP_ID, keys[0]))
    with pytest.raises(github_app.AppAuthError) as info:
        client.get("/user")
    assert str(info.value).startswith("app_installation_id: is required")


# -- input checks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    (1234, "1234"), ("1234", "1234"), (" 1234 ", "1234"), (1234.0, "1234"), ("Iv23liAbC.d_e", "Iv23liAbC.d_e"),
])
def test_normalize_app_id(value, expected):
    assert github_app.normalize_app_id(value) == expected


@pytest.mark.parametrize("value", [None, True, "", "0", "-5", "12ab", "app-1234", 1.5, "Iv1"])
def test_normalize_app_id_rejects(value):
    with pytest.raises(github_app.AppAuthError) as info:
        github_app.normalize_app_id(value)
    assert str(info.value).startswith("app_id: must be the GitHub App's numeric ID")


def test_load_private_key_accepts_pkcs1_pkcs8_and_escaped_newlines(keys):
    key, pem = keys
    pkcs8 = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()).decode()
    numbers = key.private_numbers()
    for text in (pem, pkcs8, "\n  " + pem + "\n", pem.strip().replace("\n", "\\n")):
        assert github_app.load_private_key(text).private_numbers() == numbers


def test_load_private_key_errors_name_the_option_and_hide_the_key(keys):
    encrypted = keys[0].private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.BestAvailableEncryption(b"pw")).decode()
    ec_key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    lines = keys[1].splitlines()
    truncated = "\n".join(lines[:5] + lines[-1:])
    cases = [("", "app_private_key: is empty"),
             ("ghp_this_is_a_token", "app_private_key: is not a PEM private key"),
             (encrypted, "app_private_key: the private key is encrypted with a passphrase"),
             (ec_key, "app_private_key: is not an RSA private key"),
             (truncated, "app_private_key: the PEM private key could not be loaded")]
    for text, words in cases:
        with pytest.raises(github_app.AppAuthError) as info:
            github_app.load_private_key(text, "app_private_key")
        assert str(info.value).startswith(words), str(info.value)
        for line in text.splitlines()[1:-1]:
            assert line not in str(info.value)


def test_read_private_key_file(tmp_path, keys):
    path = tmp_path / "app.pem"
    path.write_text(keys[1])
    assert github_app.read_private_key_file(str(path)) == keys[1]
    with pytest.raises(github_app.AppAuthError) as info:
        github_app.read_private_key_file(str(tmp_path / "missing.pem"))
    assert str(info.value) == "app_private_key_path: cannot read %s: No such file or directory" % (
        tmp_path / "missing.pem")
    path.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(github_app.AppAuthError, match="is not a PEM text file"):
        github_app.read_private_key_file(str(path))


@pytest.mark.parametrize("text, expected", [
    ("2016-07-11T22:14:10Z", 1468275250.0), ("2016-07-11T22:14:10+00:00", 1468275250.0),
    ("2016-07-11T22:14:10.123Z", 1468275250.0), ("tomorrow", None), (None, None), (12, None),
])
def test_parse_timestamp(text, expected):
    assert github_app.parse_timestamp(text) == expected


def test_missing_libraries_are_reported_by_pip_name(monkeypatch):
    assert github_app.missing_app_library() is None
    monkeypatch.setitem(sys.modules, "jwt", None)  # makes "import jwt" raise ImportError
    name, exc = github_app.missing_app_library()
    assert name == "PyJWT" and isinstance(exc, ImportError)
    monkeypatch.delitem(sys.modules, "jwt")
    monkeypatch.setitem(sys.modules, "cryptography.hazmat.primitives.serialization", None)
    assert github_app.missing_app_library()[0] == "cryptography"


def test_repr_never_shows_the_key_or_a_token(server, app_client, keys):
    server.reply(201, token_answer("ghs_secret_value", NOW + 3600))
    server.reply(200, {})
    client = app_client()
    client.get("/a")
    text = repr(client.app_auth) + repr(vars(client.app_auth).keys())
    assert "ghs_secret_value" not in repr(client.app_auth)
    assert "PRIVATE" not in text
    assert repr(client.app_auth) == "GitHubAppAuth(app_id=1234, installation_id=55)"
