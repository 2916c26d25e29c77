"""The client after a lost answer (issue 11 case 5) and against a GHES api_url without /api/v3 (case 7).

Talks HTTP to the scripted server of conftest.py, so urllib3's real retry machinery runs.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.orgcode.github.plugins.module_utils import github_client

GitHubAPIError = github_client.GitHubAPIError

normalize_api_url = github_client.normalize_api_url
ghes_hint = github_client.ghes_hint

NOT_FOUND = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}
HTML = "<!DOCTYPE html><html><head><title>Page not found</title></head><body>GitHub</body></html>"


# -- case 5: a retried DELETE / PUT whose first answer was lost ----------------------------------------


@pytest.mark.parametrize("first", [
    dict(status=204, late=True),  # GitHub deleted it, the answer came after the timeout
    dict(drop=True),  # the connection dropped after sending
    dict(status=502, body={"message": "Bad Gateway"}),  # a 5xx may come after GitHub acted
], ids=["timeout", "dropped", "502"])
def test_delete_whose_retry_gets_404_is_done(server, make_client, first):
    client = make_client(timeout=1.0)
    server.reply(**first)
    server.reply(404, NOT_FOUND)
    status, data, _response = client.request("DELETE", "/orgs/acme/hooks/7")
    assert (status, data) == (404, None)
    assert len(server.requests) == 2
    assert [e for e in client.events if "already deleted" in e] == [
        "DELETE /orgs/acme/hooks/7: the answer was lost (%s) and the retry answered HTTP 404: already deleted, "
        "so the first attempt did it" % ("ReadTimeoutError" if "late" in first else
                                         "ProtocolError" if "drop" in first else "HTTP 502")]


def test_delete_404_without_a_lost_answer_is_still_an_error(server, client):
    server.reply(404, NOT_FOUND)
    with pytest.raises(GitHubAPIError) as info:
        client.request("DELETE", "/orgs/acme/hooks/7")
    assert info.value.status == 404
    assert info.value.lost_attempts == []


def test_delete_404_after_a_refused_connection_is_an_error(make_client, server):
    # A connection that could not be opened never carried the request: that 404 is a real one.
    closed = make_client(api_url="http://127.0.0.1:9", retries=1, timeout=0.3)
    with pytest.raises(GitHubAPIError) as info:
        closed.request("DELETE", "/orgs/acme/hooks/7")
    assert info.value.status is None
    assert not any("already deleted" in e for e in closed.events)


def test_put_whose_retry_succeeds_says_the_write_is_done(server, make_client):
    client = make_client(timeout=1.0)
    server.reply(201, {"id": 1}, late=True)
    server.reply(204)  # "already a collaborator": the first attempt did it
    status, data, _response = client.request("PUT", "/repos/acme/app/collaborators/octocat", body={})
    assert (status, data) == (204, None)
    assert ("PUT /repos/acme/app/collaborators/octocat: the answer was lost (ReadTimeoutError); the retry "
            "answered HTTP 204, so the write is done") in client.events


def test_an_error_after_a_lost_answer_says_so(server, make_client):
    client = make_client(timeout=1.0)
    server.reply(204, late=True)
    server.reply(403, {"message": "You cannot convert octocat because they are not a member of acme."})
    with pytest.raises(GitHubAPIError) as info:
        client.request("PUT", "/orgs/acme/outside_collaborators/octocat", body={"async": False})
    assert info.value.status == 403
    assert info.value.lost_attempts == ["ReadTimeoutError"]


def test_a_read_retry_is_no_write_event(server, make_client):
    client = make_client(timeout=1.0)
    server.reply(200, {}, late=True)
    server.reply(200, {"login": "acme"})
    assert client.get("/orgs/acme") == {"login": "acme"}
    assert not any("write is done" in e for e in client.events)


# -- case 7: api_url of a GHES host without /api/v3, and web addresses ---------------------------------


@pytest.mark.parametrize("url, root", [
    ("https://github.com/acme", "https://api.github.com"),
    ("https://www.github.com/orgs/acme/", "https://api.github.com"),
    ("https://acme.ghe.com/acme", "https://api.acme.ghe.com"),
])
def test_a_web_address_with_a_path_is_refused(url, root):
    with pytest.raises(ValueError) as info:
        normalize_api_url(url)
    text = str(info.value)
    assert url in text and "web site" in text and "use %s" % root in text


@pytest.mark.parametrize("url, hint", [
    ("https://api.github.com", None),
    ("https://api.acme.ghe.com", None),
    ("https://github.example.com/api/v3", None),
    ("https://github.example.com", "Is this GitHub Enterprise Server? api_url should be "
                                   "https://github.example.com/api/v3"),
    ("https://git.example.com:8443/github", "Is this GitHub Enterprise Server? api_url should be "
                                            "https://git.example.com:8443/api/v3"),
])
def test_ghes_hint_only_for_hosts_that_may_be_ghes(url, hint):
    assert ghes_hint(normalize_api_url(url)) == hint


def _hint(server):
    return "Is this GitHub Enterprise Server? api_url should be %s/api/v3" % server.url


def test_an_html_page_says_api_url_should_end_with_api_v3(server, client):
    server.reply(200, HTML, content_type="text/html; charset=utf-8")
    with pytest.raises(GitHubAPIError) as info:
        client.get("/orgs/acme")
    text = str(info.value)
    assert "the response body is not valid JSON (content-type text/html" in text
    assert text.endswith(_hint(server))
    assert info.value.wrong_api_url


def test_an_html_404_is_no_not_found(server, client):
    server.reply(200, {"login": "octocat"}, headers={"X-GitHub-Media-Type": "github.v3"})
    client.get("/user")
    server.reply(404, HTML, content_type="text/html")
    with pytest.raises(GitHubAPIError) as info:
        client.get_or_none("/orgs/acme")  # not "the organization does not exist"
    assert info.value.status == 404
    assert str(info.value).endswith(_hint(server))
    server.reply(404, HTML, content_type="text/html")
    with pytest.raises(GitHubAPIError):
        client.exists("/orgs/acme/members/octocat")


def test_a_first_404_not_from_the_api_says_so(server, client):
    server.reply(404, {"error": "Not Found"})
    with pytest.raises(GitHubAPIError) as info:
        client.get_or_none("/orgs/acme")
    assert str(info.value).startswith("GET /orgs/acme failed: HTTP 404: Not Found (the answer is a web page, "
                                      "not GitHub's REST API at %s)" % server.url)
    assert str(info.value).endswith(_hint(server))
    server.reply(404, b"", content_type="text/plain")  # and every later one
    with pytest.raises(GitHubAPIError):
        client.get_or_none("/orgs/acme/hooks")


def test_a_first_404_from_the_api_is_a_not_found(server, client):
    server.reply(404, NOT_FOUND)
    assert client.get_or_none("/orgs/no-such-org") is None
    server.reply(404, {"message": "Not Found"}, headers={"X-GitHub-Media-Type": "github.v3; format=json"})
    assert client.get_or_none("/orgs/no-such-org") is None


def test_a_later_404_is_a_not_found(server, client):
    server.reply(200, {"login": "octocat"})
    client.get("/user")
    server.reply(404, {"message": "Not Found"})
    assert client.get_or_none("/orgs/no-such-org") is None


def test_no_hint_with_api_v3_or_for_a_5xx_page(server, make_client):
    client = make_client(api_url=server.url + "/api/v3")
    server.reply(200, HTML, content_type="text/html")
    with pytest.raises(GitHubAPIError) as info:
        client.get("/orgs/acme")
    assert "Enterprise" not in str(info.value)
    other = make_client()
    server.reply(503, HTML, content_type="text/html", times=4)
    with pytest.raises(GitHubAPIError) as info:
        other.get("/orgs/acme")
    assert "Enterprise" not in str(info.value) and not info.value.wrong_api_url
