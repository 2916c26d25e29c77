"""Bad input matrix: every module refuses malformed options before sending any request.

Each case runs the module's ``main()`` in-process against the session simulator (every other one in
check mode: refused the same way); it must fail with one message naming the option, the simulator
must have seen no request at all, and the result (its ``invocation`` included, which ansible-playbook
prints at -vvv) must not hold the token. The connection options (``api_url``, ``timeout``,
``validate_certs``) are tried on modules other than github_org_membership, which
tests/integration/test_common.py covers.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
from harness import ADMIN_TOKEN

MODULES = ["github_org", "github_org_membership", "github_outside_collaborator", "github_repo_collaborator",
           "github_org_hook", "github_org_info"]
HOOK = "https://ci.acme.example/new-hook"

BASE = {
    "github_org": {"org": "acme"},
    "github_org_membership": {"org": "acme", "username": "erin"},
    "github_outside_collaborator": {"org": "acme", "username": "bob"},
    "github_repo_collaborator": {"owner": "acme", "repo": "widgets", "username": "erin"},
    "github_org_hook": {"org": "acme", "url": HOOK},
    "github_org_info": {"org": "acme"},
}
DROP = object()  # an option left out of the base options

# module -> [(case id, options over the base ones, words the message must contain: the option first)]
CASES = {
    "github_org": [
        ("empty org", {"org": ""}, ["org"]),
        ("org with a leading hyphen", {"org": "-acme"}, ["org"]),
        ("org that walks up the path", {"org": "acme/../admin"}, ["org"]),
        ("unknown default_repository_permission", {"default_repository_permission": "owner"},
         ["default_repository_permission", "read, write, admin, none"]),
        ("bool setting that is not a bool", {"members_can_create_repositories": "sometimes"},
         ["members_can_create_repositories"]),
        ("unknown option", {"colour": "red"}, ["colour"]),
        ("api_url without scheme", {"api_url": "api.github.com", "description": "x"},
         ["api_url", "absolute http(s) URL"]),
    ],
    "github_org_membership": [
        ("empty username", {"username": ""}, ["username"]),
        ("username with forbidden characters", {"username": "bad_login!"}, ["username", "not a valid GitHub login"]),
        ("username of 40 characters", {"username": "a" * 40}, ["username", "not a valid GitHub login"]),
        ("username with a double hyphen", {"username": "double--hyphen"}, ["username"]),
        ("username that walks up the path", {"username": "../../admin"}, ["username"]),
        ("unknown role", {"role": "owner"}, ["role", "member, admin"]),
        ("unknown state", {"state": "gone"}, ["state", "present, absent"]),
        ("both username and a members list", {"members": [{"login": "alice"}]},
         ["username", "members", "mutually exclusive"]),
        ("neither username nor members", {"username": DROP}, ["username", "members"]),
        ("members a string, not a list of entries", {"username": DROP, "members": "alice"}, ["members"]),
        ("members entry that is a number", {"username": DROP, "members": [{"login": "alice"}, 42]}, ["members"]),
        ("members entry without login", {"username": DROP, "members": [{"role": "admin"}]}, ["login", "members"]),
        ("members entry with a malformed login", {"username": DROP, "members": [{"login": "bad login"}]},
         ["members[0].login"]),
        ("members entry with an unknown role", {"username": DROP, "members": [{"login": "alice", "role": "root"}]},
         ["role", "members"]),
        ("member listed twice with two roles",
         {"username": DROP, "members": [{"login": "alice"}, {"login": "ALICE", "role": "admin"}]}, ["members"]),
        ("exclusive without members", {"exclusive": True}, ["exclusive"]),
        ("negative max_removals", {"username": DROP, "members": [{"login": "alice"}], "max_removals": -1},
         ["max_removals"]),
        ("negative write_delay", {"username": DROP, "members": [{"login": "alice"}], "write_delay": -1},
         ["write_delay"]),
    ],
    "github_outside_collaborator": [
        ("username that is only an @", {"username": "@"}, ["username"]),
        ("org with a space", {"org": "acme corp"}, ["org"]),
        ("async that is not a bool", {"async": "sometimes"}, ["async"]),
        ("unknown state", {"state": "present-ish"}, ["state"]),
        ("timeout that is not a number", {"timeout": "soon"}, ["timeout"]),
        ("timeout of zero", {"timeout": 0}, ["timeout must be a positive"]),
    ],
    "github_repo_collaborator": [
        ("empty repo", {"repo": ""}, ["repo"]),
        ("repo that walks up the path", {"repo": "widgets/../../orgs"}, ["repo"]),
        ("repo named ..", {"repo": ".."}, ["repo"]),
        ("owner with a space", {"owner": "bad owner"}, ["owner"]),
        ("empty permission", {"permission": ""}, ["permission"]),
        ("blank permission", {"permission": "   "}, ["permission"]),
        ("username with a space", {"username": "x y"}, ["username"]),
        ("both username and a collaborators list", {"collaborators": [{"login": "alice"}]},
         ["username", "collaborators", "mutually exclusive"]),
        ("collaborators a string, not a list of entries", {"username": DROP, "collaborators": "erin"},
         ["collaborators"]),
        ("collaborators entry with a malformed login",
         {"username": DROP, "collaborators": [{"login": "bad login"}]}, ["collaborators[0].login"]),
        ("collaborators entry with an empty permission",
         {"username": DROP, "collaborators": [{"login": "erin", "permission": ""}]}, ["collaborators[0].permission"]),
        ("collaborator listed twice with two permissions",
         {"username": DROP, "collaborators": [{"login": "erin"}, {"login": "Erin", "permission": "admin"}]},
         ["collaborators"]),
        ("exclusive without collaborators", {"exclusive": True}, ["exclusive"]),
        ("api_url that is not http(s)", {"api_url": "file:///etc/passwd"}, ["api_url"]),
        ("negative timeout", {"timeout": -1}, ["timeout must be a positive"]),
    ],
    "github_org_hook": [
        ("ftp url", {"url": "ftp://ci.acme.example/hook"}, ["url", "not an absolute http:// or https:// URL"]),
        ("javascript url", {"url": "javascript:alert(1)"}, ["url"]),
        ("url without scheme", {"url": "ci.acme.example/hook"}, ["url"]),
        ("url with a space", {"url": "https://ci.acme .example/hook"}, ["url"]),
        ("url with an unclosed IPv6 bracket", {"url": "http://[::1/hook"}, ["url"]),
        ("events not a list", {"events": {"push": True}}, ["events"]),
        ("empty events", {"events": []}, ["events"]),
        ("event name with a space", {"events": ["Push Event"]}, ["events"]),
        ("event that is a number", {"events": 42}, ["events"]),
        ("unknown content_type", {"content_type": "xml"}, ["content_type", "json, form"]),
        ("secret that is GitHub's mask", {"secret": "********"}, ["secret", "mask"]),
        ("empty secret", {"secret": ""}, ["secret"]),
        ("update_secret=always without a secret", {"update_secret": "always"}, ["update_secret"]),
        ("hook_id of zero", {"hook_id": 0}, ["hook_id"]),
        ("hook_id that is not a number", {"hook_id": "abc"}, ["hook_id"]),
        ("absent without url or hook_id", {"url": DROP, "state": "absent"}, ["missing: url, hook_id"]),
        ("present without url", {"url": DROP}, ["url"]),
        ("insecure_ssl that is not a bool", {"insecure_ssl": "yes please"}, ["insecure_ssl"]),
        ("api_url without host", {"api_url": "https://"}, ["api_url"]),
    ],
    "github_org_info": [
        ("unknown part to gather", {"gather": ["settings", "secrets"]}, ["gather"]),
        ("nothing to gather", {"gather": []}, ["gather"]),
        ("unknown filter", {"filter": "2fa"}, ["filter", "2fa_disabled"]),
        ("empty org", {"org": ""}, ["org"]),
        ("validate_certs that is not a bool", {"validate_certs": "perhaps"}, ["validate_certs"]),
    ],
}
COUNT = sum(len(cases) for cases in CASES.values())


def bad_args(module, options):
    args = dict(BASE[module])
    for key, value in options.items():
        if value is DROP:
            args.pop(key, None)
        else:
            args[key] = value
    return args


MATRIX = [(module, index, case) for module in MODULES for index, case in enumerate(CASES[module])]


def test_the_matrix_has_at_least_thirty_cases():
    assert COUNT >= 30 and sorted(CASES) == sorted(MODULES)


@pytest.mark.parametrize("module, index, case", MATRIX, ids=["%s: %s" % (m, c[0]) for m, _i, c in MATRIX])
def test_bad_input_is_refused_before_any_request_naming_the_option(run, sim, module, index, case):
    name, options, words = case
    result = run(module, check=bool(index % 2), **bad_args(module, options))
    assert sim.requests() == [], "a request was sent for bad input"
    shown = json.dumps(result)
    assert "Traceback" not in shown
    assert ADMIN_TOKEN not in shown, "the token was printed"
    assert result.failed, "%s: not refused: %s" % (name, result)
    msg = result.msg
    missing = [word for word in words if word not in msg]
    assert not missing, "%s: %r not in the message: %s" % (name, missing, msg)
    assert "\n" not in msg and "unexpected error" not in msg, "%s: not one readable message: %s" % (name, msg)
