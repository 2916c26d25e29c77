"""_reconcile.compare: the one list comparison of the list modes and of the organization engine's sections."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.orgcode.github.plugins.module_utils._reconcile import compare


def _same_role(have, want):
    return have[1].lower() == want[1].lower()


def test_compare_is_generic_over_the_identity_and_sorted():
    # logins, team slugs, repository names, hook ids: whatever the key, the same three answers
    current = {"bob": "member", "alice": "maintainer", "dave": "member"}
    wanted = {"alice": "member", "erin": "member", "bob": "member"}
    assert compare(current, wanted) == (["erin"], ["alice"], ["dave"])
    grants = {"widgets": ("Widgets", "write"), "gadgets": ("gadgets", "read")}
    listed = {"widgets": ("Widgets", "WRITE"), "gizmos": ("gizmos", "admin")}
    assert compare(grants, listed, _same_role) == (["gizmos"], [], ["gadgets"])
    assert compare({7: "hook", 3: "hook"}, {7: "hook"}) == ([], [], [3])
    assert compare({}, {}) == ([], [], [])
