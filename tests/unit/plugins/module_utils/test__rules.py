"""The shared rules of plugins/module_utils/_rules.py that have no module of their own: webhook event names and
credentials in webhook URLs. Their use is tested where they are used (github_org_hook, github_org_info, the
filters, the plan callback)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from simulator.ghsim.resources.hooks import WEBHOOK_EVENTS as SIMULATOR_EVENTS

from ansible_collections.orgcode.github.plugins.module_utils._rules import (
    WEBHOOK_EVENTS,
    event_errors,
    redact_text,
    redact_url,
    url_credentials,
    url_has_credentials,
)

PASSWORD = "Sup3rPassw0rd"
TOKEN = "tok-9f8e7d6c5b4a"
JENKINS = "https://ci-bot:%s@jenkins.acme.example/github-webhook/" % PASSWORD

# -- webhook events --------------------------------------------------------------------------------------------


def test_the_event_list_is_githubs_as_the_simulator_plays_it():
    assert WEBHOOK_EVENTS == SIMULATOR_EVENTS
    assert {"*", "push", "pull_request", "team", "organization", "membership", "projects_v2_item"} <= WEBHOOK_EVENTS
    assert not {"ping", "installation", "marketplace_purchase", "pull_requests"} & WEBHOOK_EVENTS


def test_good_events_have_no_error():
    assert event_errors(["push", "pull_request", "*"]) == []
    assert event_errors(sorted(WEBHOOK_EVENTS), "hooks[0].") == []


@pytest.mark.parametrize("events, where, expected", [
    (["push", "pull_requests"], "hooks[2].",
     ["hooks[2].events[1]: 'pull_requests' is not a GitHub event name; did you mean 'pull_request'?"]),
    (["bogus_event_x"], "org_config_hooks[0].",
     ["org_config_hooks[0].events[0]: 'bogus_event_x' is not a GitHub event name; see GitHub's webhook events, "
      "or '*' for all events"]),
    (["Pull Request", "Push", "workflow-run"], "",
     ["events[0]: 'Pull Request' is not a GitHub event name; did you mean 'pull_request'?",
      "events[1]: 'Push' is not a GitHub event name; did you mean 'push'?",
      "events[2]: 'workflow-run' is not a GitHub event name; did you mean 'workflow_run'?"]),
    (["push", 42, None, ""], "", ["events[1]: 42 is not a GitHub event name; see GitHub's webhook events, or '*' "
                                  "for all events",
                                  "events[2]: None is not a GitHub event name; see GitHub's webhook events, or '*' "
                                  "for all events",
                                  "events[3]: '' is not a GitHub event name; see GitHub's webhook events, or '*' "
                                  "for all events"]),
    ([], "hooks[0].", ["hooks[0].events must be a non-empty list of event names such as [push] or ['*']"]),
    ("push", "", ["events must be a non-empty list of event names such as [push] or ['*']"]),
    (None, "", ["events must be a non-empty list of event names such as [push] or ['*']"]),
])
def test_each_bad_event_is_named_with_its_position_and_the_closest_name(events, where, expected):
    assert event_errors(events, where) == expected


# -- credentials in webhook URLs -------------------------------------------------------------------------------

@pytest.mark.parametrize("url, shown, secrets", [
    (JENKINS, "https://ci-bot:********@jenkins.acme.example/github-webhook/", [PASSWORD]),
    ("https://hooks.acme.example/gh?token=%s&team=web" % TOKEN, "https://hooks.acme.example/gh?token=********&team=web",
     [TOKEN]),
    ("https://u:p%40ss@h.example/x?api_key=k1&Signature=s2&x=1", "https://u:********@h.example/x?api_key=********"
     "&Signature=********&x=1", ["p%40ss", "k1", "s2"]),
    ("https://user@h.example/x?token=", "https://user@h.example/x?token=", []),
    ("https://h.example/x?page=2", "https://h.example/x?page=2", []),
    ("https://ci-bot:********@jenkins.acme.example/", "https://ci-bot:********@jenkins.acme.example/", ["********"]),
    ("http://[::1/hook", "********", ["http://[::1/hook"]),
    ("", "", []),
    (None, None, []),
])
def test_redact_url_hides_the_password_and_credential_values(url, shown, secrets):
    assert redact_url(url) == shown
    assert url_credentials(url) == secrets
    assert url_has_credentials(url) is bool(secrets)
    assert redact_url(shown) == shown  # redacting twice changes nothing


def test_redact_text_redacts_every_url_in_a_message():
    text = "hooks[1].url: '%s' failed; also https://h.example/x?token=%s. And (https://plain.example/a)." % (
        JENKINS, TOKEN)
    assert redact_text(text) == (
        "hooks[1].url: 'https://ci-bot:********@jenkins.acme.example/github-webhook/' failed; also "
        "https://h.example/x?token=********. And (https://plain.example/a).")
    assert redact_text("no url here") == "no url here"
    assert redact_text(None) is None
