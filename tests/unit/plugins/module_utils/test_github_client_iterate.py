"""Unit tests for the client's lazy pagination: ``GitHubClient.iterate`` and ``GitHubClient.find``.

``iterate`` requests a page only when its caller asks for the page's first item, so ``find`` stops at
the page holding the item. Every test talks HTTP to the scripted server of conftest.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

PATH = "/repos/acme/widgets/collaborators"


def link(server, page, path=PATH, base=None, **query):
    query = dict(query, per_page=100, page=page)
    return "<%s%s?%s>" % (base or server.url, path, "&".join("%s=%s" % kv for kv in query.items()))


def pages(server, *logins_per_page, **query):
    """Script one page per argument (a list of logins), each but the last with a ``next`` link."""
    last = len(logins_per_page)
    for number, logins in enumerate(logins_per_page, start=1):
        headers = {}
        if number < last:
            headers["Link"] = '%s; rel="next", %s; rel="last"' % (
                link(server, number + 1, **query), link(server, last, **query))
        server.reply(200, [{"login": login} for login in logins], headers=headers)


def logins(items):
    return [item["login"] for item in items]


# -- iterate --------------------------------------------------------------------------------------


def test_iterate_requests_nothing_until_the_first_item_is_asked_for(server, client):
    pages(server, ["u1", "u2"], ["u3"])
    items = client.iterate(PATH)
    assert server.requests == []
    assert next(items)["login"] == "u1"
    assert len(server.requests) == 1
    assert next(items)["login"] == "u2"
    assert len(server.requests) == 1, "the second item is on the page already read"
    assert next(items)["login"] == "u3"
    assert len(server.requests) == 2
    with pytest.raises(StopIteration):
        next(items)
    assert len(server.requests) == 2 and server.remaining == 0


def test_iterate_sends_the_query_once_and_then_follows_the_link(server, client, token):
    pages(server, ["u1"], ["u2"], ["u3"], affiliation="direct")
    assert logins(client.iterate(PATH, params={"affiliation": "direct"})) == ["u1", "u2", "u3"]
    assert [r.query for r in server.requests] == [
        {"affiliation": "direct", "per_page": "100"},
        {"affiliation": "direct", "per_page": "100", "page": "2"},
        {"affiliation": "direct", "per_page": "100", "page": "3"},
    ], "the next link carries the query: nothing is added twice"
    assert all(r.method == "GET" and r.path == PATH for r in server.requests)
    assert all(r.headers["authorization"] == "Bearer " + token for r in server.requests)


def test_iterate_overrides_the_callers_per_page_and_keeps_its_params(server, client):
    server.reply(200, [])
    params = {"per_page": 7, "role": "admin"}
    assert list(client.iterate("/orgs/acme/members", params=params)) == []
    assert server.requests[0].query == {"per_page": "100", "role": "admin"}
    assert params == {"per_page": 7, "role": "admin"}, "the caller's dict is not changed"


def test_iterate_an_empty_list_costs_one_request(server, client):
    server.reply(200, [])
    server.reply(200, [{"login": "never"}])
    assert list(client.iterate(PATH)) == []
    assert len(server.requests) == 1 and server.remaining == 1


def test_iterate_an_empty_body_yields_nothing(server, client):
    server.reply(200, None)
    assert list(client.iterate(PATH)) == []


def test_paginate_is_iterate_as_a_list(server, client):
    pages(server, ["u1", "u2"], ["u3"])
    pages(server, ["u1", "u2"], ["u3"])
    assert client.paginate(PATH) == list(client.iterate(PATH)) == [{"login": "u1"}, {"login": "u2"}, {"login": "u3"}]
    assert len(server.requests) == 4


def test_iterate_yields_the_first_pages_before_a_later_page_fails(server, client, token):
    server.reply(200, [{"login": "u1"}, {"login": "u2"}], headers={"Link": '%s; rel="next"' % link(server, 2)})
    server.reply(502, {"message": "Server Error"}, times=4)  # the first try and the 3 retries
    seen = []
    with pytest.raises(client.error_class) as info:
        for item in client.iterate(PATH):
            seen.append(item["login"])
    assert seen == ["u1", "u2"]
    err = info.value
    assert err.status == 502 and err.method == "GET"
    assert err.path.startswith(PATH + "?") and server.url not in str(err), "shown without the API root"
    assert token not in str(err) and token not in json.dumps(err.to_result(), default=str)


def test_iterate_rejects_an_object_page(server, client):
    server.reply(200, {"total_count": 1, "items": [{"login": "u1"}]})
    with pytest.raises(client.error_class, match="expected a JSON array"):
        list(client.iterate(PATH))


@pytest.mark.parametrize("other", [
    "https://evil.example.com",  # another host
    "https://127.0.0.1:{port}",  # another scheme
    "http://127.0.0.1:1",  # another port
])
def test_iterate_never_follows_a_next_link_to_another_origin(server, client, token, other):
    other = other.format(port=server.url.rsplit(":", 1)[1])
    server.reply(200, [{"login": "u1"}], headers={"Link": '<%s%s?page=2>; rel="next"' % (other, PATH)})
    items = client.iterate(PATH)
    assert next(items)["login"] == "u1", "the items of the page read are still given"
    with pytest.raises(client.error_class) as info:
        next(items)
    assert "next-page link points to another host" in str(info.value)
    assert len(server.requests) == 1
    assert token not in str(info.value)


def test_iterate_follows_a_same_origin_link_under_an_enterprise_api_root(server, make_client):
    client = make_client(api_url=server.url + "/api/v3/")
    path = "/api/v3" + PATH
    server.reply(200, [{"login": "u1"}], headers={"Link": '%s; rel="next"' % link(server, 2, path=path)})
    server.reply(200, [{"login": "u2"}])
    assert logins(client.iterate(PATH)) == ["u1", "u2"]
    assert [r.path for r in server.requests] == [path, path]


def test_iterate_follows_a_link_whose_host_differs_only_in_case(server, make_client):
    client = make_client(api_url=server.url.replace("127.0.0.1", "localhost"))
    upper = server.url.replace("127.0.0.1", "LOCALHOST")
    server.reply(200, [{"login": "u1"}], headers={"Link": '%s; rel="next"' % link(server, 2, base=upper)})
    server.reply(200, [{"login": "u2"}])
    assert logins(client.iterate(PATH)) == ["u1", "u2"]


# -- find ----------------------------------------------------------------------------------------------


def wanted(login):
    return lambda item: item["login"].lower() == login


def test_find_stops_at_the_page_holding_the_item(server, client):
    pages(server, ["u1", "u2"], ["u3", "Target"], ["u5"])
    found = client.find(PATH, wanted("target"))
    assert found == {"login": "Target"}
    assert len(server.requests) == 2
    assert server.remaining == 1, "the third page is never read"


def test_find_on_the_first_page_costs_one_request(server, client):
    pages(server, ["Target", "u2"], ["u3"])
    assert client.find(PATH, wanted("target")) == {"login": "Target"}
    assert len(server.requests) == 1


def test_find_returns_the_first_match(server, client):
    server.reply(200, [{"login": "a", "id": 1}, {"login": "A", "id": 2}])
    assert client.find(PATH, wanted("a"))["id"] == 1


def test_find_reads_every_page_when_nothing_matches(server, client):
    pages(server, ["u1"], ["u2"], ["u3"])
    assert client.find(PATH, wanted("target")) is None
    assert len(server.requests) == 3 and server.remaining == 0


def test_find_in_an_empty_list(server, client):
    server.reply(200, [])
    assert client.find(PATH, wanted("target")) is None
    assert len(server.requests) == 1


def test_find_passes_params_and_per_page(server, client):
    server.reply(200, [{"login": "target"}])
    client.find(PATH, wanted("target"), params={"affiliation": "direct"})
    assert server.requests[0].query == {"affiliation": "direct", "per_page": "100"}


def test_find_before_a_bad_link_or_a_failing_page_does_not_reach_them(server, client):
    server.reply(200, [{"login": "target"}], headers={"Link": '<https://evil.example.com%s?page=2>; rel="next"' % PATH})
    assert client.find(PATH, wanted("target")) == {"login": "target"}
    server.reply(200, [{"login": "target"}], headers={"Link": '%s; rel="next"' % link(server, 2)})
    server.reply(500, {"message": "boom"}, times=4)
    assert client.find(PATH, wanted("target")) == {"login": "target"}
    assert len(server.requests) == 2 and server.remaining == 4


def test_find_past_a_failing_page_raises(server, client):
    server.reply(200, [{"login": "u1"}], headers={"Link": '%s; rel="next"' % link(server, 2)})
    server.reply(404, {"message": "Not Found"})
    with pytest.raises(client.error_class) as info:
        client.find(PATH, wanted("target"))
    assert info.value.status == 404


def test_find_counts_requests_on_the_client(server, client):
    pages(server, ["u1"], ["target"], ["u3"])
    before = client.request_count
    client.find(PATH, wanted("target"))
    assert client.request_count - before == 2
