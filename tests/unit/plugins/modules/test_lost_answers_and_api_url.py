"""Issue 11 cases 5 and 7 end to end: a write whose answer was lost, and a GHES api_url without /api/v3."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time

import pytest

HTML = {"Content-Type": "text/html; charset=utf-8"}


def lost(sim, method, path, how):
    # "timeout": answered only once the client gave up (after_timeout; at most 30 s), never in time.
    rule = {"lose_answer": True} if how == "dropped" else {"answer_delay": 30, "after_timeout": True}
    sim.fault(method=method, path="^%s$" % path, **rule)


def deletes(sim, count=2, timeout=120):
    """Statuses of the DELETEs; a delayed answer is logged once sent, so wait for ``count`` of them."""
    deadline = time.monotonic() + timeout
    while True:
        statuses = [r["status"] for r in sim.requests() if r["method"] == "DELETE"]
        if len(statuses) >= count or time.monotonic() > deadline:
            return statuses
        time.sleep(0.2)


def org_state(sim, org="acme"):
    return next(o for o in sim.state()["orgs"] if o["login"] == org)


REMOVALS = {
    "hook": ({"orgcode.github.github_org_hook": {"org": "acme", "url": "https://ci.acme.example/hook",
                                                 "state": "absent"}},
             "/orgs/acme/hooks/1", 404, lambda acme: acme["hooks"] == []),
    "member": ({"orgcode.github.github_org_membership": {"org": "acme", "username": "dave", "state": "absent"}},
               "/orgs/acme/memberships/dave", 404, lambda acme: "dave" not in acme["members"]),
    "outside": ({"orgcode.github.github_outside_collaborator": {"org": "acme", "username": "outsider-olga",
                                                                "state": "absent"}},
                # GitHub answers 204 to removing a user who is no (longer an) outside collaborator
                "/orgs/acme/outside_collaborators/outsider-olga", 204,
                lambda acme: "outsider-olga" not in acme.get("outside_collaborators", [])),
}


@pytest.mark.parametrize("how", ["timeout", "dropped"])
@pytest.mark.parametrize("what", sorted(REMOVALS))
def test_delete_whose_answer_was_lost_is_done(ansible, sim, what, how):
    task, path, retry_status, gone = REMOVALS[what]
    lost(sim, "DELETE", path, how)
    ((module, options),) = task.items()
    # A 3 s timeout: the lost answer costs that long; the retry's answer has that long, even on a busy machine.
    run = ansible.play([{"name": "remove", module: dict(options, timeout=3)}])
    result = run.task("remove")
    assert run.rc == 0, run
    assert result["changed"] is True
    cause = "ReadTimeoutError" if how == "timeout" else "ProtocolError"
    # One lost answer; on a loaded machine a retry may time out too before one is answered.
    event = re.compile(r"DELETE %s: the answer was lost \(%s(, %s)*\)%s$" % (
        re.escape(path), cause, cause, re.escape(
            " and the retry answered HTTP 404: already deleted, so the first attempt did it"
            if retry_status == 404 else "; the retry answered HTTP 204, so the write is done")))
    assert any(event.match(text) for text in result["api"]["events"]), result["api"]["events"]
    assert sorted(deletes(sim)) == sorted([204, retry_status])  # applied once, then the retry's answer
    assert gone(org_state(sim))


def test_conversion_whose_answer_was_lost_is_done(ansible, sim):
    lost(sim, "PUT", "/orgs/acme/outside_collaborators/bob", "dropped")
    run = ansible.play([{"name": "convert", "orgcode.github.github_outside_collaborator": {
        "org": "acme", "username": "bob", "timeout": 3}}])
    result = run.task("convert")
    assert run.rc == 0, run
    assert result["changed"] is True and result["outside_collaborator"] is True
    assert any("the answer was lost (ProtocolError)" in e for e in result["api"]["events"]), result["api"]
    assert "bob" not in org_state(sim)["members"]


# -- case 7 ------------------------------------------------------------------------------------------------


def test_web_address_as_api_url_is_refused_before_any_request(ansible, sim):
    run = ansible.play([{"name": "org", "orgcode.github.github_org": {
        "org": "acme", "description": "x", "api_url": "https://github.com/acme"}}])
    assert run.rc != 0
    msg = run.task("org")["msg"]
    assert "api_url https://github.com/acme is an address of the GitHub web site" in msg
    assert "use https://api.github.com" in msg
    assert sim.requests() == []


@pytest.mark.parametrize("status", [200, 404])
def test_html_answer_says_api_url_should_end_with_api_v3(ansible, sim, status):
    sim.fault(method="GET", path="^/orgs/acme$", invalid_json=True, status=status, headers=HTML)
    run = ansible.play([{"name": "org", "orgcode.github.github_org": {"org": "acme", "description": "x"}}])
    assert run.rc != 0
    msg = run.task("org")["msg"]
    assert "was not found" not in msg
    assert msg.endswith("Is this GitHub Enterprise Server? api_url should be %s/api/v3" % sim.url), msg
    assert sim.writes() == []


def test_same_html_under_api_v3_gives_no_hint(ansible, sim):
    sim.fault(method="GET", path="^/orgs/acme$", invalid_json=True, headers=HTML)
    run = ansible.play([{"name": "org", "orgcode.github.github_org": {
        "org": "acme", "description": "x", "api_url": sim.url + "/api/v3"}}])
    assert run.rc != 0
    msg = run.task("org")["msg"]
    assert "the response body is not valid JSON (content-type text/html" in msg
    assert "Enterprise" not in msg
