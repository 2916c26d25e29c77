"""The shared rules of plugins/module_utils/_rules.py that have no module of their own: webhook event names.
Their use is tested where they are used (github_org_hook, the role's validator)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from simulator.ghsim.resources.hooks import WEBHOOK_EVENTS as SIMULATOR_EVENTS

from ansible_collections.orgcode.github.plugins.module_utils._rules import WEBHOOK_EVENTS, event_errors

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
