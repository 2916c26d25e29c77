"""Check mode predicts the real run: github_org, github_org_hook (one hook and hooks:) and
github_outside_collaborator.

Each case starts the simulator from the same state twice: once for ``--check --diff`` (which must send no
write), once for the real run with ``--diff``; both must agree on changed, the diff and the failure (or
success) with its message. Cases marked as writing nothing must not write in the real run either (a
refusal, a typo, an unchanged state).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from harness import check_then_real, outcome

MEMBER_TOKEN = "ghp_test_member_token_0123456789abcdef"  # read-only-rita: a member of acme, no owner
NOSCOPE_TOKEN = "ghp_test_noscope_token_0123456789abcde"  # Octo-Admin, an owner, but only read:org
CI_URL = "https://ci.acme.example/hook"  # hook 1 of acme
DEPLOY_URL = "https://deploy.acme.example/github"
HOOK_SECRET = "pm-single-secret-5e2"
EXTRA_HOOKS = "extra hooks"  # state variant: acme also has hooks 7 and 8, one of them sharing hook 1's URL
DUPLICATE = "duplicate hook"  # state variant: hook 5 has hook 1's URL with a trailing slash


def org(**options):
    return "github_org", dict({"org": "acme"}, **options)


def hook(**options):
    options.setdefault("events", ["push", "pull_request"])
    return "github_org_hook", dict({"org": "acme", "url": CI_URL}, **options)


def hooks(entries, **options):
    return "github_org_hook", dict({"org": "acme", "hooks": entries, "write_delay": 0}, **options)


def outside(**options):
    return "github_outside_collaborator", dict({"org": "acme"}, **options)


CI = {"url": CI_URL, "events": ["push", "pull_request"]}

# (id, (module, options), token or None, state variants, whether the real run writes nothing)
CASES = [
    ("org-change", org(description="Gadgets too", default_repository_permission="write"), None, (), False),
    ("org-unchanged", org(name="ACME Corp", billing_email="billing@acme.example"), None, (), True),
    ("org-empty-string", org(twitter_username=""), None, (), True),
    ("org-unknown", org(org="no-such-org", description="x"), None, (), True),
    ("org-owner-only-not-owner", org(default_repository_permission="write"), MEMBER_TOKEN, (), True),
    ("org-owner-only-no-admin-org", org(billing_email="x@acme.example", members_can_create_pages=False),
     NOSCOPE_TOKEN, (), True),
    ("hook-create", hook(url=DEPLOY_URL, secret=HOOK_SECRET), None, (), False),
    ("hook-update", hook(events=["push"], active=False, content_type="form"), None, (), False),
    ("hook-unchanged", hook(secret=HOOK_SECRET), None, (), True),
    ("hook-secret-always", hook(secret=HOOK_SECRET, update_secret="always"), None, (), False),
    ("hook-url-case-and-slash", hook(url="https://CI.acme.example/hook/"), None, (), False),
    ("hook-several-match", hook(), None, (DUPLICATE,), True),
    ("hook-id-moves-url", hook(url=DEPLOY_URL, hook_id=1), None, (), False),
    ("hook-id-missing", hook(hook_id=999), None, (), True),
    ("hook-delete", hook(state="absent"), None, (), False),
    ("hook-delete-absent", hook(url=DEPLOY_URL, state="absent"), None, (), True),
    ("hook-bad-event", hook(events=["push", "Pull Request"]), None, (), True),
    ("hooks-unchanged", hooks([CI], exclusive=True), None, (), True),
    ("hooks-create-and-update", hooks([dict(CI, events=["*"]), {"url": DEPLOY_URL, "secret": HOOK_SECRET}]),
     None, (), False),
    ("hooks-exclusive", hooks([{"url": DEPLOY_URL}], exclusive=True), None, (EXTRA_HOOKS,), False),
    ("hooks-max-removals", hooks([CI], exclusive=True, max_removals=1), None, (EXTRA_HOOKS,), True),
    ("hooks-several-match", hooks([CI]), None, (DUPLICATE,), True),
    ("hooks-typo", hooks([CI, {"url": DEPLOY_URL, "events": ["pull request"]}], exclusive=True), None,
     (EXTRA_HOOKS,), True),
    ("outside-convert", outside(username="bob"), None, (), False),
    ("outside-already", outside(username="outsider-olga"), None, (), True),
    ("outside-remove", outside(username="outsider-olga", state="absent"), None, (), False),
    ("outside-absent-member", outside(username="alice", state="absent"), None, (), True),
    ("outside-neither", outside(username="erin"), None, (), True),
    ("outside-unknown-user", outside(username="ghost-user-404"), None, (), True),
    ("outside-last-owner", outside(username="octo-admin"), None, (), True),
]


def prepare(state, variants):
    acme = state["orgs"][0]
    if EXTRA_HOOKS in variants:
        acme["hooks"] = acme["hooks"] + [
            {"id": 7, "url": "http://legacy.acme.example/hook", "events": ["push"]},
            {"id": 8, "url": "https://old.acme.example/x", "events": ["release"]}]
    if DUPLICATE in variants:
        acme["hooks"] = acme["hooks"] + [{"id": 5, "url": CI_URL + "/", "events": ["push"]}]
    return state


@pytest.mark.parametrize("module, options, token, variants, writes_nothing",
                         [case[1] + case[2:] for case in CASES], ids=[case[0] for case in CASES])
def test_check_mode_predicts_the_real_run(ansible, sim, state, module, options, token, variants, writes_nothing):
    if token:
        ansible.token = token
    ansible.secrets.add(HOOK_SECRET)
    check, real = check_then_real(ansible, sim, prepare(state, variants),
                                  [{"name": "case", "orgcode.github." + module: options}])
    assert outcome(real) == outcome(check)
    assert (sim.writes() == []) is writes_nothing, sim.writes()
