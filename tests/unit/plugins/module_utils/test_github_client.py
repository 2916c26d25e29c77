"""Unit tests for the shared GitHub REST API client (plugins/module_utils/github_client.py).

Every test talks HTTP to the scripted server of conftest.py, so the real requests/urllib3 retry
machinery runs; sleeps go through the fake clock.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import socket
from pathlib import Path

import pytest
import yaml

from ansible_collections.orgcode.github.plugins.module_utils import github_client

ROOT = Path(__file__).resolve().parents[4]

GitHubAPIError = github_client.GitHubAPIError
normalize_api_url = github_client.normalize_api_url
is_loopback_host = github_client.is_loopback_host

DOCS = "https://docs.github.com/rest/orgs/members#get-organization-membership-for-a-user"


def assert_no_token(error, token):
    """Neither the token nor its Bearer header may leak through an error."""
    text = str(error)
    result = json.dumps(error.to_result(), default=str)
    for leak in (token, "Bearer"):
        assert leak not in text
        assert leak not in result
        assert leak not in repr(error.args)


# -- headers and identity ----------------------------------------------------------------------


def test_default_headers_are_sent(server, client, token):
    server.reply(200, {"login": "octocat"})
    assert client.get("/user") == {"login": "octocat"}
    (req,) = server.requests
    assert req.method == "GET"
    assert req.path == "/user"
    assert req.headers["authorization"] == "Bearer %s" % token
    assert req.headers["accept"] == "application/vnd.github+json"
    assert req.headers["x-github-api-version"] == "2022-11-28"
    assert req.headers["user-agent"] == github_client.USER_AGENT
    assert "orgcode.github" in req.headers["user-agent"]
    assert github_client.COLLECTION_VERSION in req.headers["user-agent"]
    assert "content-type" not in req.headers  # no body, no content type


def test_custom_api_version_is_sent(server, make_client):
    client = make_client(api_version="2026-03-10")
    server.reply(200, {})
    client.get("/meta")
    assert server.requests[0].headers["x-github-api-version"] == "2026-03-10"


def test_empty_api_version_falls_back_to_default(server, make_client):
    client = make_client(api_version=None)
    server.reply(200, {})
    client.get("/meta")
    assert server.requests[0].headers["x-github-api-version"] == github_client.DEFAULT_API_VERSION == "2022-11-28"


def test_no_token_sends_no_authorization(server, make_client):
    client = make_client(token=None)
    server.reply(200, {})
    client.get("/meta")
    assert "authorization" not in server.requests[0].headers


def test_collection_version_matches_galaxy_yml():
    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text())
    assert str(galaxy["version"]) == github_client.COLLECTION_VERSION
    assert "%s.%s" % (galaxy["namespace"], galaxy["name"]) in github_client.USER_AGENT
    assert github_client.USER_AGENT.endswith("/" + str(galaxy["version"]))


def test_json_body_is_sent_with_content_type(server, client):
    server.reply(201, {"id": 1})
    status, data, _response = client.request("post", "/orgs/acme/hooks", body={"name": "web", "active": True})
    assert (status, data) == (201, {"id": 1})
    (req,) = server.requests
    assert req.method == "POST"
    assert req.headers["content-type"] == "application/json"
    assert req.json == {"name": "web", "active": True}


def test_put_without_body_sends_empty_body(server, client):
    server.reply(204)
    status, data, _response = client.request("PUT", "/orgs/acme/outside_collaborators/octocat")
    assert (status, data) == (204, None)
    (req,) = server.requests
    assert req.method == "PUT"
    assert req.body == ""
    assert req.headers.get("content-length") == "0"


def test_base_url_is_normalized(make_client, server):
    client = make_client(api_url=server.url + "//")
    assert client.base_url == server.url
    server.reply(200, {})
    client.get("/rate_limit")
    assert server.requests[0].path == "/rate_limit"


# -- which GitHub: GitHub Enterprise Server detection (issue 14), at no extra request ----------------


def test_enterprise_version_comes_from_the_first_answer(server, client):
    assert client.enterprise_version is None and client.enterprise_server is False
    server.reply(200, {"login": "acme"}, headers={"X-GitHub-Enterprise-Version": "3.19.0"})
    client.get("/orgs/acme")
    assert client.enterprise_version == "3.19.0" and client.enterprise_server is True
    assert client.describe_server() == "GitHub Enterprise Server 3.19.0"
    assert len(server.requests) == 1  # detection costs nothing


def test_an_answer_without_the_header_is_no_enterprise_server(server, client):
    server.reply(200, {"login": "acme"})
    client.get("/orgs/acme")
    assert client.enterprise_version is None and client.enterprise_server is False


def test_error_answers_tell_the_enterprise_version_too(server, client):
    server.reply(404, {"message": "Not Found", "documentation_url": DOCS},
                 headers={"X-GitHub-Enterprise-Version": "3.17.2"})
    assert client.get_or_none("/orgs/acme/invitations", expect=list) is None
    assert client.enterprise_version == "3.17.2"


@pytest.mark.parametrize("api_url, enterprise", [
    ("https://ghe.example.com/api/v3", True),
    ("https://GHE.example.com/API/V3/", True),
    ("https://api.github.com", False),
    ("https://api.acme.ghe.com", False),
])
def test_enterprise_server_from_the_api_root_before_any_answer(make_client, api_url, enterprise):
    client = make_client(api_url=api_url)
    assert client.enterprise_server is enterprise
    assert client.enterprise_version is None
    assert client.describe_server() == "GitHub Enterprise Server"


# -- normalize_api_url / is_loopback_host --------------------------------------------------------


@pytest.mark.parametrize("given, expected", [
    (None, "https://api.github.com"),
    ("", "https://api.github.com"),
    ("https://api.github.com", "https://api.github.com"),
    ("https://api.github.com/", "https://api.github.com"),
    ("https://api.github.com///", "https://api.github.com"),
    ("  https://api.github.com/  ", "https://api.github.com"),
    ("https://github.com", "https://api.github.com"),
    ("https://github.com/", "https://api.github.com"),
    ("https://www.github.com", "https://api.github.com"),
    ("https://octo.ghe.com", "https://api.octo.ghe.com"),
    ("https://octo.ghe.com/", "https://api.octo.ghe.com"),
    ("https://api.octo.ghe.com/", "https://api.octo.ghe.com"),
    ("https://api.octo.ghe.com", "https://api.octo.ghe.com"),
    ("https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3"),
    ("https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3"),
    ("https://ghe.example.com:8443/api/v3/", "https://ghe.example.com:8443/api/v3"),
    ("HTTPS://GHE.Example.COM/api/v3/", "https://ghe.example.com/api/v3"),
    ("https://API.GitHub.com/", "https://api.github.com"),
    ("https://GitHub.com", "https://api.github.com"),
    ("https://Octo.GHE.com", "https://api.octo.ghe.com"),
    ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
])
def test_normalize_api_url(given, expected):
    assert normalize_api_url(given) == expected


@pytest.mark.parametrize("bad", [
    "api.github.com",
    "ghe.example.com/api/v3",
    "ftp://ghe.example.com/api/v3",
    "file:///etc/passwd",
    "https://",
    "https:///api/v3",
    "https://:443/api/v3",
    "   ",
])
def test_normalize_api_url_rejects(bad):
    with pytest.raises(ValueError) as info:
        normalize_api_url(bad)
    assert "api_url" in str(info.value)
    assert repr(bad) in str(info.value)


def test_client_rejects_bad_api_url(token):
    with pytest.raises(ValueError, match="api_url"):
        github_client.GitHubClient(token, api_url="ftp://ghe.example.com")


@pytest.mark.parametrize("url, expected", [
    ("http://127.0.0.1:8080", True),
    ("http://127.1.2.3/api/v3", True),
    ("http://localhost:3000", True),
    ("http://LOCALHOST", True),
    ("http://[::1]:8080/", True),
    ("https://api.github.com", False),
    ("http://ghe.example.com/api/v3", False),
    ("http://10.0.0.1", False),
    ("http://127.example.com/api/v3", False),
    ("http://localhost.example.com", False),
    ("not a url", False),
])
def test_is_loopback_host(url, expected):
    assert is_loopback_host(url) is expected


# -- pagination --------------------------------------------------------------------------------


def _link(server, path, **query):
    return "<%s%s?%s>" % (server.url, path, "&".join("%s=%s" % kv for kv in query.items()))


def test_paginate_follows_next_links(server, client, token):
    path = "/orgs/acme/members"
    server.reply(200, [{"login": "u1"}, {"login": "u2"}], headers={
        "Link": '%s; rel="next", %s; rel="last"' % (
            _link(server, path, role="admin", per_page=100, page=2),
            _link(server, path, role="admin", per_page=100, page=3))})
    server.reply(200, [{"login": "u3"}, {"login": "u4"}], headers={
        "Link": '%s; rel="prev", %s; rel="next", %s; rel="last", %s; rel="first"' % (
            _link(server, path, role="admin", per_page=100, page=1),
            _link(server, path, role="admin", per_page=100, page=3),
            _link(server, path, role="admin", per_page=100, page=3),
            _link(server, path, role="admin", per_page=100, page=1))})
    server.reply(200, [{"login": "u5"}], headers={
        "Link": '%s; rel="prev", %s; rel="first"' % (
            _link(server, path, role="admin", per_page=100, page=2),
            _link(server, path, role="admin", per_page=100, page=1))})
    server.reply(200, [{"login": "never"}])  # must not be fetched

    items = client.paginate(path, params={"role": "admin"})

    assert [item["login"] for item in items] == ["u1", "u2", "u3", "u4", "u5"]
    assert len(server.requests) == 3
    assert server.remaining == 1
    assert [r.path for r in server.requests] == [path] * 3
    assert [r.query for r in server.requests] == [
        {"role": "admin", "per_page": "100"},
        {"role": "admin", "per_page": "100", "page": "2"},
        {"role": "admin", "per_page": "100", "page": "3"},
    ]
    for req in server.requests:
        assert req.method == "GET"
        assert req.headers["authorization"] == "Bearer %s" % token


def test_paginate_single_page_without_link(server, client):
    server.reply(200, [{"id": 1}, {"id": 2}])
    server.reply(200, [{"id": 3}])  # must not be fetched
    assert client.paginate("/orgs/acme/hooks") == [{"id": 1}, {"id": 2}]
    assert len(server.requests) == 1
    assert server.requests[0].query == {"per_page": "100"}


def test_paginate_empty_list(server, client):
    server.reply(200, [])
    assert client.paginate("/orgs/acme/invitations") == []
    assert len(server.requests) == 1


def test_paginate_overrides_callers_per_page(server, client):
    server.reply(200, [])
    client.paginate("/orgs/acme/members", params={"per_page": 5, "filter": "2fa_disabled"})
    assert server.requests[0].query == {"per_page": "100", "filter": "2fa_disabled"}


def test_paginate_error_on_a_later_page_names_the_path(server, client, token):
    path = "/orgs/acme/members"
    server.reply(200, [{"login": "u1"}], headers={
        "Link": '%s; rel="next"' % _link(server, path, per_page=100, page=2)})
    server.reply(404, {"message": "Not Found"})
    with pytest.raises(GitHubAPIError) as info:
        client.paginate(path)
    err = info.value
    assert err.status == 404
    assert err.method == "GET"
    assert err.path.startswith(path)  # shown without the API root
    assert server.url not in str(err)
    assert_no_token(err, token)


def test_paginate_rejects_an_object(server, client):
    server.reply(200, {"total_count": 0, "repositories": []})
    with pytest.raises(GitHubAPIError, match="unexpected response"):
        client.paginate("/installation/repositories")


# -- errors ------------------------------------------------------------------------------------


def test_404_error_carries_everything(server, client, token):
    server.reply(404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"})
    with pytest.raises(GitHubAPIError) as info:
        client.get("/orgs/acme/memberships/ghost")
    err = info.value
    assert err.method == "GET"
    assert err.path == "/orgs/acme/memberships/ghost"
    assert err.status == 404
    assert err.message == "Not Found"
    assert err.errors == []
    assert err.documentation_url == DOCS
    text = str(err)
    assert text.startswith("GET /orgs/acme/memberships/ghost failed: HTTP 404: Not Found")
    assert DOCS in text
    assert err.to_result() == {
        "status": 404,
        "github_message": "Not Found",
        "errors": [],
        "documentation_url": DOCS,
        "request": "GET /orgs/acme/memberships/ghost",
    }
    assert_no_token(err, token)


def test_422_error_lists_validation_errors(server, client, token):
    docs = "https://docs.github.com/rest/orgs/webhooks#create-an-organization-webhook"
    errors = [
        {"resource": "Hook", "code": "custom", "message": "Hook already exists on this organization"},
        {"resource": "Hook", "field": "events", "code": "invalid"},
        "a plain string error",
    ]
    server.reply(422, {"message": "Validation Failed", "errors": errors, "documentation_url": docs})
    with pytest.raises(GitHubAPIError) as info:
        client.request("POST", "/orgs/acme/hooks", body={"name": "web", "config": {"url": "https://x"}})
    err = info.value
    assert (err.method, err.path, err.status, err.message) == ("POST", "/orgs/acme/hooks", 422, "Validation Failed")
    assert err.errors == errors
    assert err.documentation_url == docs
    text = str(err)
    assert "POST /orgs/acme/hooks" in text
    assert "HTTP 422" in text
    assert "Validation Failed" in text
    assert "Hook custom Hook already exists on this organization" in text
    assert "Hook events invalid" in text
    assert "a plain string error" in text
    assert docs in text
    result = err.to_result()
    assert result["status"] == 422
    assert result["errors"] == errors
    assert result["request"] == "POST /orgs/acme/hooks"
    assert_no_token(err, token)


def test_error_with_a_single_error_object(server, client):
    server.reply(422, {"message": "Validation Failed", "errors": {"field": "role", "code": "invalid"}})
    with pytest.raises(GitHubAPIError) as info:
        client.request("PUT", "/orgs/acme/memberships/octocat", body={"role": "boss"})
    assert info.value.errors == [{"field": "role", "code": "invalid"}]
    assert "role invalid" in str(info.value)


def test_403_shows_accepted_and_token_scopes(server, client, token):
    server.reply(403, {"message": "Resource not accessible by personal access token"}, headers={
        "X-Accepted-OAuth-Scopes": "admin:org, write:org",
        "X-OAuth-Scopes": "repo, read:org",
        "X-RateLimit-Remaining": "4999",
    })
    with pytest.raises(GitHubAPIError) as info:
        client.request("PUT", "/orgs/acme/memberships/octocat", body={"role": "admin"})
    err = info.value
    assert err.status == 403
    assert err.accepted_scopes == "admin:org, write:org"
    text = str(err)
    assert "Resource not accessible by personal access token" in text
    assert "accepts: admin:org, write:org" in text
    assert "the token has: repo, read:org" in text
    assert_no_token(err, token)


def test_403_scopes_header_names_are_case_insensitive(server, client):
    server.reply(403, {"message": "Forbidden"}, headers={
        "x-accepted-oauth-scopes": "admin:org_hook",
        "x-oauth-scopes": "",
    })
    with pytest.raises(GitHubAPIError) as info:
        client.get("/orgs/acme/hooks", expect=list)
    text = str(info.value)
    assert "accepts: admin:org_hook" in text
    assert "the token has: (none)" in text


def test_403_without_scope_headers_says_nothing_about_scopes(server, client):
    server.reply(403, {"message": "Must have admin rights to Repository."})
    with pytest.raises(GitHubAPIError) as info:
        client.get("/repos/acme/app/collaborators", expect=list)
    assert "Scopes" not in str(info.value)


def test_non_json_error_body(server, client, token):
    server.reply(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", content_type="text/html")
    with pytest.raises(GitHubAPIError) as info:
        client.request("POST", "/orgs/acme/hooks", body={})
    err = info.value
    assert err.status == 502
    assert err.message == "Bad Gateway"
    assert err.errors == []
    assert err.documentation_url is None
    assert str(err) == "POST /orgs/acme/hooks failed: HTTP 502: Bad Gateway"
    assert_no_token(err, token)


def test_empty_error_body(server, client, token):
    server.reply(401)
    with pytest.raises(GitHubAPIError) as info:
        client.get("/user")
    assert info.value.status == 401
    assert info.value.message == "Unauthorized"
    assert_no_token(info.value, token)


def test_invalid_json_on_success(server, client, token):
    server.reply(200, "{not json", content_type="application/json")
    with pytest.raises(GitHubAPIError) as info:
        client.get("/orgs/acme")
    err = info.value
    assert err.status == 200
    assert "not valid JSON" in str(err)
    assert "application/json" in str(err)
    assert "GET /orgs/acme" in str(err)
    assert_no_token(err, token)


def test_expect_dict_with_a_list(server, client, token):
    server.reply(200, [1, 2])
    with pytest.raises(GitHubAPIError) as info:
        client.get("/orgs/acme")
    err = info.value
    assert "unexpected response" in str(err)
    assert "expected a JSON object, got list" in str(err)
    assert_no_token(err, token)


def test_expect_list_with_a_dict(server, client):
    server.reply(200, {"a": 1})
    with pytest.raises(GitHubAPIError, match="expected a JSON array, got dict"):
        client.get("/orgs/acme/hooks", expect=list)


def test_204_gives_none(server, client):
    server.reply(204)
    status, data, response = client.request("DELETE", "/orgs/acme/members/octocat")
    assert status == 204
    assert data is None
    assert response.status_code == 204
    server.reply(204)
    assert client.get("/orgs/acme/members/octocat") is None  # expect=dict does not reject "no body"


def test_get_or_none(server, client):
    server.reply(200, {"state": "active"})
    assert client.get_or_none("/orgs/acme/memberships/octocat") == {"state": "active"}
    server.reply(404, {"message": "Not Found"})
    assert client.get_or_none("/orgs/acme/memberships/ghost") is None
    server.reply(500, {"message": "Server Error"}, times=4)
    with pytest.raises(GitHubAPIError) as info:
        client.get_or_none("/orgs/acme/memberships/boom")
    assert info.value.status == 500
    server.reply(403, {"message": "Must have admin rights"})
    with pytest.raises(GitHubAPIError) as info:
        client.get_or_none("/orgs/acme/memberships/secret")
    assert info.value.status == 403


def test_exists(server, client, token):
    server.reply(204)
    assert client.exists("/orgs/acme/members/octocat") is True
    server.reply(200, {"login": "octocat"})
    assert client.exists("/orgs/acme/members/octocat") is True
    server.reply(404, {"message": "Not Found"})
    assert client.exists("/orgs/acme/members/ghost") is False
    server.reply(401, {"message": "Bad credentials"})
    with pytest.raises(GitHubAPIError) as info:
        client.exists("/orgs/acme/members/octocat")
    assert info.value.status == 401
    assert_no_token(info.value, token)


# -- retries -----------------------------------------------------------------------------------


def test_get_502_then_200_is_retried(server, client, fake):
    server.reply(502, {"message": "Server Error"})
    server.reply(200, {"login": "acme"})
    assert client.get("/orgs/acme") == {"login": "acme"}
    assert len(server.requests) == 2
    assert all(r.method == "GET" and r.path == "/orgs/acme" for r in server.requests)
    assert any("retried" in e and "502" in e and "GET /orgs/acme" in e for e in client.events)
    assert client.waited_seconds == 0


def test_get_500_every_time_fails_after_the_retries(server, client, fake, token):
    server.reply(500, {"message": "Server Error"}, times=10)
    with pytest.raises(GitHubAPIError) as info:
        client.get("/orgs/acme")
    err = info.value
    assert err.status == 500
    assert len(server.requests) == 3 + 1
    assert server.remaining == 10 - 4
    assert "after 3 retries" in str(err)
    assert "Server Error" in str(err)
    assert "GET /orgs/acme" in str(err)
    assert len([e for e in client.events if "retried" in e]) == 3
    assert_no_token(err, token)


@pytest.mark.parametrize("retries", [0, 1, 5])
def test_retries_option_bounds_the_attempts(server, make_client, retries):
    client = make_client(retries=retries)
    server.reply(503, {"message": "Service Unavailable"}, times=10)
    with pytest.raises(GitHubAPIError) as info:
        client.get("/orgs/acme")
    assert info.value.status == 503
    assert len(server.requests) == retries + 1
    if retries:
        assert "after %d retries" % retries in str(info.value)
    else:
        assert "retries" not in str(info.value)


@pytest.mark.parametrize("method, body", [("PUT", {"role": "admin"}), ("DELETE", None)])
def test_idempotent_writes_are_retried_on_503(server, client, method, body):
    server.reply(503, {"message": "Service Unavailable"})
    server.reply(200, {"state": "active"})
    status, data, _response = client.request(method, "/orgs/acme/memberships/octocat", body=body)
    assert (status, data) == (200, {"state": "active"})
    assert [r.method for r in server.requests] == [method, method]
    assert server.requests[0].json == server.requests[1].json == body
    assert any("retried" in e and "503" in e for e in client.events)


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_non_idempotent_writes_are_not_retried_on_502(server, client, fake, method, token):
    server.reply(502, {"message": "Server Error"})
    server.reply(200, {"id": 1})
    with pytest.raises(GitHubAPIError) as info:
        client.request(method, "/orgs/acme/hooks", body={"active": True})
    err = info.value
    assert err.status == 502
    assert err.method == method
    assert len(server.requests) == 1
    assert server.remaining == 1
    assert "retries" not in str(err)
    assert client.events == []
    assert fake.sleeps == []
    assert_no_token(err, token)


def test_backoff_grows_exponentially(server, make_client, fake):
    factor = 1.0
    client = make_client(retries=4, backoff_factor=factor)
    server.reply(500, {"message": "Server Error"}, times=5)
    start = fake.now
    with pytest.raises(GitHubAPIError, match="after 4 retries"):
        client.get("/orgs/acme")
    assert len(server.requests) == 5
    # urllib3 resends the first retry at once, then sleeps factor * 2**(n-1) plus up to `factor` of jitter.
    assert len(fake.sleeps) == 3
    for n, slept in enumerate(fake.sleeps, start=2):
        base = factor * 2 ** (n - 1)
        assert base <= slept <= base + factor
    assert fake.sleeps[0] < fake.sleeps[1] < fake.sleeps[2]
    assert fake.sleeps[2] >= 1.5 * fake.sleeps[1] and fake.sleeps[1] >= 1.3 * fake.sleeps[0]
    assert fake.now == pytest.approx(start + sum(fake.sleeps))
    assert client.waited_seconds == 0  # backoff is not rate-limit waiting


def test_backoff_is_capped(server, make_client, fake):
    client = make_client(retries=7, backoff_factor=4.0)
    server.reply(500, {"message": "Server Error"}, times=8)
    with pytest.raises(GitHubAPIError):
        client.get("/orgs/acme")
    assert fake.sleeps
    assert max(fake.sleeps) <= 20


def test_dropped_connection_on_get_is_retried(server, client):
    server.drop()
    server.reply(200, {"login": "acme"})
    assert client.get("/orgs/acme") == {"login": "acme"}
    assert len(server.requests) == 2
    assert any("retried" in e and "GET /orgs/acme" in e for e in client.events)


def test_dropped_connection_every_time(server, make_client, token):
    client = make_client(retries=2)
    server.drop(times=5)
    with pytest.raises(GitHubAPIError) as info:
        client.get("/orgs/acme")
    err = info.value
    assert err.status is None
    assert len(server.requests) == 3
    text = str(err)
    assert text.startswith("GET /orgs/acme failed: ")
    assert "connection dropped" in text
    assert "HTTP" not in text
    assert "Traceback" not in text and "object at 0x" not in text
    assert err.to_result()["status"] is None
    assert_no_token(err, token)


def test_post_dropped_after_sending_is_not_resent(server, client, token):
    server.drop()
    server.reply(201, {"id": 1})
    with pytest.raises(GitHubAPIError) as info:
        client.request("POST", "/orgs/acme/hooks", body={"name": "web"})
    err = info.value
    assert err.status is None
    assert err.method == "POST"
    assert len(server.requests) == 1
    assert server.remaining == 1
    assert "connection dropped" in str(err)
    assert_no_token(err, token)


def test_connection_refused(fake, token):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens on this port any more
    client = github_client.GitHubClient(token, api_url="http://127.0.0.1:%d" % port, retries=1,
                                        backoff_factor=0.01, sleep=fake.sleep, clock=fake.clock, timeout=2)
    with pytest.raises(GitHubAPIError) as info:
        client.get("/orgs/acme")
    assert info.value.status is None
    assert "could not connect" in str(info.value)
    assert "timeout" not in str(info.value)
    assert_no_token(info.value, token)


def test_read_timeout_on_get_is_retried(server, make_client):
    client = make_client(timeout=1.0)
    server.reply(200, {"login": "late"}, late=True)
    server.reply(200, {"login": "acme"})
    assert client.get("/orgs/acme") == {"login": "acme"}
    assert len(server.requests) == 2
    assert any("retried" in e and "Timeout" in e for e in client.events)


def test_read_timeout_every_time_says_timeout(server, make_client, token):
    client = make_client(timeout=0.2, retries=1)
    server.reply(200, {}, late=True, times=2)
    with pytest.raises(GitHubAPIError) as info:
        client.get("/orgs/acme")
    err = info.value
    assert err.status is None
    assert len(server.requests) == 2
    assert "no answer within the timeout (ReadTimeoutError), after retries" in str(err)
    assert "connection dropped" not in str(err)
    assert_no_token(err, token)


def test_read_timeout_on_post_is_not_resent(server, make_client):
    client = make_client(timeout=1.0)
    server.reply(201, {"id": 1}, late=True)
    server.reply(201, {"id": 2})
    with pytest.raises(GitHubAPIError) as info:
        client.request("POST", "/orgs/acme/hooks", body={"name": "web"})
    assert info.value.status is None
    assert "no answer within the timeout" in str(info.value)
    assert len(server.requests) == 1
    assert server.remaining == 1


# -- rate limits -------------------------------------------------------------------------------


def test_429_retry_after_is_honoured(server, client, fake):
    server.reply(429, {"message": "Too Many Requests"}, headers={"Retry-After": "7"})
    server.reply(200, {"login": "acme"})
    assert client.get("/orgs/acme") == {"login": "acme"}
    assert len(server.requests) == 2
    assert len(fake.sleeps) == 1
    assert 7 <= fake.sleeps[0] <= 7.7 + 1e-9  # jitter: at most a tenth of the wait, at most 1 s
    assert client.waited_seconds == pytest.approx(7)
    assert any("rate limited" in e and "429" in e and "7 s" in e and "GET /orgs/acme" in e for e in client.events)


def test_secondary_rate_limit_403_with_retry_after(server, client, fake):
    server.reply(403, {
        "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
    }, headers={"Retry-After": "60", "X-RateLimit-Remaining": "4000"})
    server.reply(200, [{"id": 1}])
    assert client.get("/orgs/acme/hooks", expect=list) == [{"id": 1}]
    assert len(server.requests) == 2
    assert len(fake.sleeps) == 1
    assert 60 <= fake.sleeps[0] <= 61
    assert client.waited_seconds == pytest.approx(60)
    assert any("rate limited (HTTP 403)" in e for e in client.events)


def test_secondary_rate_limit_403_without_headers_waits_a_minute(server, client, fake):
    server.reply(403, {"message": "You have exceeded a secondary rate limit."})
    server.reply(200, {})
    client.get("/orgs/acme")
    assert len(fake.sleeps) == 1
    assert 60 <= fake.sleeps[0] <= 61
    assert client.waited_seconds == pytest.approx(60)


def test_429_without_retry_after_waits_a_minute(server, client, fake):
    server.reply(429, {"message": "Too Many Requests"})
    server.reply(200, {})
    client.get("/orgs/acme")
    assert len(fake.sleeps) == 1
    assert 60 <= fake.sleeps[0] <= 61


def test_primary_rate_limit_waits_until_reset(server, client, fake):
    fake.now = 1700000000.0
    reset = int(fake.now) + 30
    server.reply(403, {"message": "API rate limit exceeded for user ID 1."}, headers={
        "X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset),
        "X-RateLimit-Used": "5000", "X-RateLimit-Resource": "core"})
    server.reply(200, {"login": "acme"})
    assert client.get("/orgs/acme") == {"login": "acme"}
    assert len(server.requests) == 2
    assert len(fake.sleeps) == 1
    assert 31 <= fake.sleeps[0] <= 32
    assert fake.now >= reset
    assert client.waited_seconds == pytest.approx(31)


def test_primary_rate_limit_with_reset_in_the_past_waits_a_second(server, client, fake):
    server.reply(429, {"message": "API rate limit exceeded"}, headers={
        "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(fake.now) - 100)})
    server.reply(200, {})
    client.get("/orgs/acme")
    assert len(fake.sleeps) == 1
    assert 1 <= fake.sleeps[0] <= 1.1


def test_unparsable_retry_after_waits_a_minute(server, client, fake):
    server.reply(429, {"message": "slow down"}, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})
    server.reply(200, {})
    client.get("/orgs/acme")
    assert len(fake.sleeps) == 1
    assert 60 <= fake.sleeps[0] <= 61


def test_rate_limited_post_is_resent_once(server, client, fake):
    server.reply(429, {"message": "Too Many Requests"}, headers={"Retry-After": "3"})
    server.reply(201, {"id": 42})
    server.reply(201, {"id": 43})  # must not be used
    status, data, _response = client.request("POST", "/orgs/acme/hooks", body={"name": "web"})
    assert (status, data) == (201, {"id": 42})
    assert [r.method for r in server.requests] == ["POST", "POST"]
    assert server.requests[0].json == server.requests[1].json == {"name": "web"}
    assert server.remaining == 1
    assert len(fake.sleeps) == 1 and 3 <= fake.sleeps[0] <= 3.3


def test_retry_after_over_the_cap_fails_at_once(server, make_client, fake, token):
    client = make_client(max_wait=60)
    server.reply(429, {"message": "Too Many Requests"}, headers={"Retry-After": "120"})
    server.reply(200, {})
    with pytest.raises(GitHubAPIError) as info:
        client.get("/orgs/acme")
    err = info.value
    assert err.status == 429
    assert fake.sleeps == []
    assert len(server.requests) == 1
    assert client.waited_seconds == 0
    text = str(err)
    assert "rate limited" in text
    assert "asked to wait 120 s" in text
    assert "cap 60 s" in text
    assert "Too Many Requests" in text
    assert "GET /orgs/acme" in text
    assert_no_token(err, token)


def test_primary_reset_over_the_cap_fails_at_once(server, make_client, fake, token):
    client = make_client(max_wait=300)
    server.reply(403, {"message": "API rate limit exceeded"}, headers={
        "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(fake.now) + 3599)})
    with pytest.raises(GitHubAPIError) as info:
        client.get("/orgs/acme")
    assert info.value.status == 403
    assert fake.sleeps == []
    assert "asked to wait 3600 s" in str(info.value)
    assert "cap 300 s" in str(info.value)
    assert_no_token(info.value, token)


def test_cumulative_waits_over_the_cap_fail(server, make_client, fake, token):
    client = make_client(max_wait=10)
    server.reply(429, {"message": "Too Many Requests"}, headers={"Retry-After": "6"}, times=2)
    server.reply(200, {})
    with pytest.raises(GitHubAPIError) as info:
        client.get("/orgs/acme")
    err = info.value
    assert err.status == 429
    assert len(server.requests) == 2
    assert len(fake.sleeps) == 1
    assert client.waited_seconds == pytest.approx(6)
    assert "asked to wait 6 s, more than the 4 s this run may still wait (cap 10 s)" in str(err)
    assert_no_token(err, token)


def test_wait_equal_to_the_remaining_budget_is_allowed(server, make_client, fake):
    client = make_client(max_wait=10)
    server.reply(429, {"message": "Too Many Requests"}, headers={"Retry-After": "10"})
    server.reply(200, {"ok": True})
    assert client.get("/orgs/acme") == {"ok": True}
    assert len(fake.sleeps) == 1 and 10 <= fake.sleeps[0] <= 11
    assert client.waited_seconds == pytest.approx(10)


def test_max_wait_zero_never_waits(server, make_client, fake):
    client = make_client(max_wait=0)
    server.reply(429, {"message": "Too Many Requests"}, headers={"Retry-After": "1"})
    with pytest.raises(GitHubAPIError, match="cap 0 s"):
        client.get("/orgs/acme")
    assert fake.sleeps == []


def test_cap_spans_the_client_life(server, make_client, fake):
    client = make_client(max_wait=10)
    server.reply(429, {"message": "Too Many Requests"}, headers={"Retry-After": "8"})
    server.reply(200, {"n": 1})
    assert client.get("/orgs/acme") == {"n": 1}
    server.reply(429, {"message": "Too Many Requests"}, headers={"Retry-After": "8"})
    with pytest.raises(GitHubAPIError, match="cap 10 s"):
        client.get("/orgs/acme")
    assert len(fake.sleeps) == 1


def test_zero_retry_after_forever_does_not_hang(server, make_client, fake):
    client = make_client(max_wait=5)
    server.reply(429, {"message": "Too Many Requests"}, headers={"Retry-After": "0"}, times=50)
    with pytest.raises(GitHubAPIError) as info:
        client.get("/orgs/acme")
    assert info.value.status == 429  # the cap ended it, not the end of the script
    assert server.unscripted == 0
    # each "Retry-After: 0" counts as at least 1 s, so 5 waits fit under the 5 s cap and the 6th fails
    assert len(server.requests) == 6
    assert len(fake.sleeps) == 5
    assert all(1 <= slept <= 1.1 for slept in fake.sleeps)
    assert client.waited_seconds == pytest.approx(5)
    assert "asked to wait 1 s, more than the 0 s this run may still wait (cap 5 s)" in str(info.value)


def test_zero_retry_after_once_then_success(server, client, fake):
    server.reply(429, {"message": "Too Many Requests"}, headers={"Retry-After": "0"})
    server.reply(200, {"ok": True})
    assert client.get("/orgs/acme") == {"ok": True}
    assert len(server.requests) == 2
    assert len(fake.sleeps) == 1 and 1 <= fake.sleeps[0] <= 1.1


def test_plain_403_is_not_a_rate_limit(server, client, fake, token):
    server.reply(403, {"message": "Must have admin rights to Repository.",
                       "documentation_url": "https://docs.github.com/rest/collaborators"},
                 headers={"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4990",
                          "X-RateLimit-Reset": str(int(fake.now) + 3000)})
    server.reply(200, {})
    with pytest.raises(GitHubAPIError) as info:
        client.request("PUT", "/repos/acme/app/collaborators/octocat", body={"permission": "push"})
    err = info.value
    assert err.status == 403
    assert err.message == "Must have admin rights to Repository."
    assert fake.sleeps == []
    assert client.waited_seconds == 0
    assert len(server.requests) == 1
    assert client.events == []
    assert "rate limited" not in str(err)
    assert_no_token(err, token)


def test_5xx_retry_then_rate_limit_then_success(server, client, fake):
    server.reply(502, {"message": "Server Error"})
    server.reply(429, {"message": "Too Many Requests"}, headers={"Retry-After": "2"})
    server.reply(200, {"ok": True})
    assert client.get("/orgs/acme") == {"ok": True}
    assert len(server.requests) == 3
    assert any("retried" in e for e in client.events)
    assert any("rate limited" in e for e in client.events)
    assert client.waited_seconds == pytest.approx(2)


# -- isolation between clients -----------------------------------------------------------------


def test_each_client_keeps_its_own_sleep(server, make_client, fake, clock_factory):
    other = clock_factory()
    first = make_client(retries=3, backoff_factor=1.0)
    second = make_client(retries=3, backoff_factor=1.0, sleep=other.sleep, clock=other.clock)
    server.reply(500, {"message": "Server Error"}, times=4)
    with pytest.raises(GitHubAPIError):
        first.get("/orgs/acme")  # created before `second`, still backs off on its own clock
    assert len(fake.sleeps) == 2
    assert other.sleeps == []
    server.reply(500, {"message": "Server Error"}, times=4)
    with pytest.raises(GitHubAPIError):
        second.get("/orgs/acme")
    assert len(other.sleeps) == 2
    assert len(fake.sleeps) == 2


# -- the token never leaks -----------------------------------------------------------------------


SCENARIOS = {
    "404": [dict(status=404, body={"message": "Not Found", "documentation_url": DOCS})],
    "422": [dict(status=422, body={"message": "Validation Failed", "errors": [{"field": "x", "code": "invalid"}]})],
    "403-scopes": [dict(status=403, body={"message": "Forbidden"},
                        headers={"X-Accepted-OAuth-Scopes": "admin:org", "X-OAuth-Scopes": "repo"})],
    "401": [dict(status=401, body={"message": "Bad credentials"})],
    "non-json-error": [dict(status=500, body="<html>oops</html>", content_type="text/html", times=4)],
    "invalid-json": [dict(status=200, body="{nope", content_type="application/json")],
    "unexpected-type": [dict(status=200, body=[1])],
    "500-exhausted": [dict(status=500, body={"message": "Server Error"}, times=4)],
    "dropped": [dict(drop=True, times=4)],
    "rate-limit-cap": [dict(status=429, body={"message": "Too Many Requests"}, headers={"Retry-After": "100000"})],
    "primary-rate-limit-cap": [dict(status=403, body={"message": "API rate limit exceeded"},
                                    headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "9999999999"})],
    "secondary-rate-limit-cap": [dict(status=403, body={"message": "You have exceeded a secondary rate limit"},
                                      headers={"Retry-After": "100000"})],
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_token_never_in_errors(server, client, name, token):
    for step in SCENARIOS[name]:
        server.reply(**step)
    with pytest.raises(GitHubAPIError) as info:
        client.get("/orgs/acme")
    assert info.value.status != server.UNSCRIPTED_STATUS
    assert server.unscripted == 0
    assert server.requests and server.requests[0].headers["authorization"] == "Bearer " + token
    assert_no_token(info.value, token)
    assert token not in " ".join(client.events)


def test_suite_loads_the_client_from_this_checkout():
    assert Path(github_client.__file__).resolve() == (ROOT / "plugins/module_utils/github_client.py").resolve()


def test_paginate_never_follows_a_next_link_to_another_host(server, client, token):
    server.reply(200, [{"login": "u1"}], headers={
        "Link": '<https://evil.example.com/orgs/acme/members?page=2>; rel="next"'})
    with pytest.raises(GitHubAPIError) as caught:
        client.paginate("/orgs/acme/members")
    assert "points to another host (evil.example.com)" in str(caught.value)
    assert len(server.requests) == 1
    assert token not in str(caught.value)
