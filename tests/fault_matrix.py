"""Fault matrix: every module (and list mode) under the simulator's fault injection, in-process.

One test per (fault scenario, mode) runs each module's ``main()`` in this process, one after the
other as the tasks of a play with ``ignore_errors`` would; the simulator's fault rules are installed
beforehand, each anchored on the exact path of one task's first request (or first write), so every
task meets the fault itself. Then each task's result is checked against the rule of the scenario, and
after a failed write a second, fault-free run must converge to the same organization state as a run
that never saw a fault. Retry backoffs and rate-limit waits run on a fake sleep (``run_module``), so
the matrix takes seconds; the one playbook run of tests/integration/test_faults_playbook.py shows
the same retries and waits through ansible-playbook at -v.
"""

import copy
import json
import re
import time

from harness import ADMIN_TOKEN

MEMBER_TOKEN = "ghp_test_member_token_0123456789abcdef"  # read-only-rita: read:org, repo; not an owner
NOSCOPE_TOKEN = "ghp_test_noscope_token_0123456789abcde"  # the owner, but only read:org
WRONG_TOKEN = "ghp_fault_matrix_wrong_token_00000000000"
HOOK_SECRET = "fm-hook-secret-7c1d-do-not-leak"
HOOK_URL = "https://deploy.acme.example/fault-matrix"
# In a playbook, secrets reach the tasks from the environment, as a playbook should take them: ansible-core
# prints the playbook lines around a failed task, so a secret written into the playbook would show up next to it.
SECRET_FROM_ENV = "{{ lookup('ansible.builtin.env', 'FM_HOOK_SECRET') }}"
TOKEN_FROM_ENV = "{{ lookup('ansible.builtin.env', 'FM_TOKEN') }}"
SECRETS = (ADMIN_TOKEN, WRONG_TOKEN, NOSCOPE_TOKEN, MEMBER_TOKEN, HOOK_SECRET)
IDEMPOTENT = ("GET", "PUT", "DELETE")  # what the client may resend after a 5xx, a drop or a timeout


class Case:
    """One module task of the matrix, with the requests a fault rule anchors on."""

    def __init__(self, key, module, options, first, write=None):
        self.key = key
        self.module = module
        self.options = options
        self.first = first  # (method, path) of the task's first request
        self.write = write  # (method, path) of its first write; None for read-only tasks

    def args(self, **extra):
        """The module's options (secrets as values), for an in-process run."""
        return dict(self.options, **extra)

    def task(self, **extra):
        """A playbook task, its secrets looked up from the environment (see :func:`playbook_env`)."""
        options = {name: {HOOK_SECRET: SECRET_FROM_ENV}.get(value, value) if isinstance(value, str) else value
                   for name, value in self.args(**extra).items()}
        if "token" in extra:
            options["token"] = TOKEN_FROM_ENV
        return {"name": self.key, "orgcode.github." + self.module: options, "ignore_errors": True}

    def __repr__(self):
        return self.key


# The tasks each scenario runs, in this order. No task requests another task's anchored paths
# before that task has met its faults (the members list and info use the organization solo).
CASES = [
    Case("org", "github_org", {"org": "acme", "description": "Fault matrix"},
         ("GET", "/orgs/acme"), ("PATCH", "/orgs/acme")),
    Case("membership", "github_org_membership", {"org": "acme", "username": "erin", "role": "member"},
         ("GET", "/orgs/acme/memberships/erin"), ("PUT", "/orgs/acme/memberships/erin")),
    Case("removal", "github_org_membership", {"org": "acme", "username": "dave", "state": "absent"},
         ("GET", "/orgs/acme/memberships/dave"), ("DELETE", "/orgs/acme/memberships/dave")),
    Case("members", "github_org_membership",
         {"org": "solo", "members": [{"login": "octo-admin", "role": "admin"}, {"login": "alice"},
                                     {"login": "frank"}], "write_delay": 0},
         ("GET", "/orgs/solo/members"), ("PUT", "/orgs/solo/memberships/frank")),
    Case("outside", "github_outside_collaborator", {"org": "acme", "username": "bob"},
         ("GET", "/orgs/acme/memberships/bob"), ("PUT", "/orgs/acme/outside_collaborators/bob")),
    Case("collaborator", "github_repo_collaborator",
         {"owner": "acme", "repo": "widgets", "username": "erin", "permission": "push"},
         ("GET", "/repos/acme/widgets/collaborators/erin/permission"),
         ("PUT", "/repos/acme/widgets/collaborators/erin")),
    Case("collaborators", "github_repo_collaborator",
         {"owner": "acme", "repo": "gadgets", "write_delay": 0,
          "collaborators": [{"login": "outsider-oscar", "permission": "pull"},
                            {"login": "erin", "permission": "triage"}]},
         ("GET", "/repos/acme/gadgets/collaborators"), ("PUT", "/repos/acme/gadgets/collaborators/erin")),
    Case("hook", "github_org_hook",
         {"org": "acme", "url": HOOK_URL, "events": ["push", "release"], "secret": HOOK_SECRET},
         ("GET", "/orgs/acme/hooks"), ("POST", "/orgs/acme/hooks")),
    Case("info", "github_org_info", {"org": "solo"}, ("GET", "/orgs/solo")),
]

WRITERS = [c for c in CASES if c.write]


def anchored(path):
    return "^%s$" % re.escape(path)


# -- scenarios -------------------------------------------------------------------------------


class Scenario:
    """``rules(case)``: fault rules for one task, anchored on ``target`` (first request or first write)."""

    def __init__(self, target, rules, modes=("normal", "check"), options=None, cases=None, converge=False,
                 token=None):
        self.target = target
        self.token = token  # another token for every task; from the environment, as playbooks should take it
        self._rules = rules
        self.modes = modes
        self.options = options or {}
        self.cases = cases
        self.converge = converge

    def rules(self, case, mode="normal"):
        method, path = getattr(case, self.target)
        rules = self._rules(case, mode) if callable(self._rules) else self._rules
        return [dict(rule, method=method, path=anchored(path)) for rule in rules]


def cases_for(scenario):
    if scenario.cases is not None:
        return scenario.cases
    return WRITERS if scenario.target == "write" else CASES


def install_faults(sim, scenario, cases, mode):
    """The scenario's fault rules."""
    for case in cases:
        if scenario.target:
            for rule in scenario.rules(case, mode):
                sim.fault(**rule)


def rotate(kinds):
    """Two of the three ``kinds`` in a row for a task in a normal run, the third in check mode.

    Every task meets all three, in an order that shifts from task to task, and the matrix stays quick
    (each retry after a 5xx backs off longer, each rate limit waits a second).
    """
    def rules(case, mode):
        start = CASES.index(case)
        chosen = (0, 1) if mode == "normal" else (2,)
        return [kinds[(start + i) % len(kinds)] for i in chosen]
    return rules


TRANSIENT = [{"status": 500}, {"status": 502}, {"status": 503}]
SLOW = {"delay": 20, "after_timeout": True}
RATE_LIMITS = [{"status": 429, "retry_after": 1}, {"secondary": True, "retry_after": 1},
               {"rate_limit_exhausted": True, "reset_in": 0}]


def options_for(scenario):
    """The options a scenario adds to every task (a shorter timeout, another token)."""
    options = dict(scenario.options)
    if scenario.token:
        options["token"] = scenario.token
    return options


def playbook_env(scenario=None):
    """The environment a playbook of the matrix takes its secrets from."""
    env = {"FM_HOOK_SECRET": HOOK_SECRET}
    if scenario is not None and scenario.token:
        env["FM_TOKEN"] = scenario.token
    return env


SCENARIOS = {
    "5xx-once": Scenario("first", rotate(TRANSIENT)),
    "5xx-always": Scenario("first", [{"status": 500, "times": 4}]),
    "5xx-write": Scenario("write", lambda c, mode: [{"status": 503 if c.write[0] in IDEMPOTENT else 502}],
                          modes=("normal",), converge=True),
    "rate-limited": Scenario("first", rotate(RATE_LIMITS)),
    "rate-limited-write": Scenario("write", [{"secondary": True, "retry_after": 1}], modes=("normal",),
                                   converge=True),
    "429-over-cap": Scenario("first", [{"status": 429, "retry_after": 100000}]),
    "secondary-over-cap": Scenario("first", [{"secondary": True, "retry_after": 100000}]),
    "primary-over-cap": Scenario("first", [{"rate_limit_exhausted": True, "reset_in": 100000}]),
    "drop-read": Scenario("first", [{"drop": True}]),
    "drop-write": Scenario("write", [{"drop": True}], modes=("normal",), converge=True),
    # The answer comes only after the client gave up (after_timeout; at most 20 s): it never arrives in time,
    # however busy the machine (a fixed delay just over the timeout raced the client there).
    "slow-read": Scenario("first", [SLOW], options={"timeout": 1}),
    "slow-write": Scenario("write", [SLOW], modes=("normal",), options={"timeout": 1}, converge=True),
    "invalid-json": Scenario("first", [{"invalid_json": True}]),
    "wrong-shape": Scenario("first", [{"wrong_shape": True}]),
    "invalid-json-write": Scenario("write", [{"invalid_json": True}], modes=("normal",), converge=True),
    "wrong-shape-write": Scenario("write", [{"wrong_shape": True}], modes=("normal",), converge=True),
    "422-write": Scenario("write", [{"status": 422, "body": {
        "message": "Validation Failed", "documentation_url": "https://docs.github.com/rest",
        "errors": [{"resource": "Thing", "field": "name", "code": "invalid", "message": "is not allowed"}]}}],
        modes=("normal",), converge=True),
    "401": Scenario(None, [], token=WRONG_TOKEN),
    "403-scope": Scenario(None, [], token=NOSCOPE_TOKEN),
    "403-permission": Scenario(None, [], token=MEMBER_TOKEN),
}


def missing(key, module, options, words):
    case = Case(key, module, options, None)
    case.words = words
    return case


# 404s GitHub answers for an organization, repository, user or hook that does not exist.
NOT_FOUND = [
    missing("org", "github_org", {"org": "no-such-org", "description": "x"},
            "org: organization 'no-such-org' was not found"),
    missing("membership-org", "github_org_membership", {"org": "no-such-org", "username": "erin"},
            "org: organization 'no-such-org' was not found"),
    missing("membership-user", "github_org_membership", {"org": "acme", "username": "ghost-user-404"},
            "username: GitHub user 'ghost-user-404' does not exist"),
    missing("removal-org", "github_org_membership", {"org": "no-such-org", "username": "dave", "state": "absent"},
            "org: organization 'no-such-org' was not found"),
    missing("members-org", "github_org_membership", {"org": "no-such-org", "members": [{"login": "alice"}],
                                                     "write_delay": 0},
            "org: organization 'no-such-org' was not found"),
    missing("members-user", "github_org_membership",
            {"org": "solo", "members": [{"login": "octo-admin", "role": "admin"}, {"login": "ghost-user-404"}],
             "write_delay": 0},
            "members: no GitHub user has the login(s) ghost-user-404"),
    missing("outside-org", "github_outside_collaborator", {"org": "no-such-org", "username": "bob"},
            "org: organization 'no-such-org' was not found"),
    missing("outside-user", "github_outside_collaborator", {"org": "acme", "username": "ghost-user-404"},
            "username: GitHub user 'ghost-user-404' does not exist"),
    missing("collaborator-owner", "github_repo_collaborator",
            {"owner": "no-such-org", "repo": "widgets", "username": "erin"},
            "repo: repository no-such-org/widgets was not found"),
    missing("collaborator-repo", "github_repo_collaborator",
            {"owner": "acme", "repo": "no-such-repo", "username": "erin"},
            "repo: repository acme/no-such-repo was not found"),
    missing("collaborator-user", "github_repo_collaborator",
            {"owner": "acme", "repo": "widgets", "username": "ghost-user-404"},
            "username: GitHub user 'ghost-user-404' does not exist"),
    missing("collaborators-repo", "github_repo_collaborator",
            {"owner": "acme", "repo": "no-such-repo", "collaborators": [{"login": "erin"}], "write_delay": 0},
            "repo: repository acme/no-such-repo was not found"),
    missing("collaborators-user", "github_repo_collaborator",
            {"owner": "acme", "repo": "gadgets", "collaborators": [{"login": "ghost-user-404"}], "write_delay": 0},
            "collaborators: no GitHub user has the login(s) ghost-user-404"),
    missing("hook-org", "github_org_hook", {"org": "no-such-org", "url": HOOK_URL},
            "org: organization 'no-such-org' was not found"),
    missing("hook-id", "github_org_hook", {"org": "acme", "url": HOOK_URL, "hook_id": 999},
            "hook_id: organization acme has no hook with id 999"),
    missing("info-org", "github_org_info", {"org": "no-such-org"},
            "org: organization 'no-such-org' was not found"),
]
SCENARIOS["404"] = Scenario(None, [], cases=NOT_FOUND)


# -- what each task must do under each scenario ------------------------------------------------


def ok(*events):
    return ("ok", events)


def fail(*words):
    return ("failed", words)


def resent(case):
    return case.write[0] in IDEMPOTENT


# Regular expressions: {first} and {write} stand for "METHOD /path" of the faulted request.
NOT_RESENT = r"; a (POST|PATCH) is never sent twice, as GitHub may already have applied it: run again"
OUTCOMES = {
    "5xx-once": lambda c, mode: ok(*["^{first}: retried after HTTP %d$" % r["status"]
                                     for r in SCENARIOS["5xx-once"].rules(c, mode)]),
    "5xx-always": lambda c, mode: fail(r"^{first} failed: HTTP 500: Internal Server Error \(after 3 retries\)"),
    "5xx-write": lambda c, mode: ok("^{write}: retried after HTTP 503$") if resent(c) else fail(
        r"^{write} failed: HTTP 502: Bad Gateway"),
    "rate-limited": lambda c, mode: ok(*[r"^{first}: rate limited \(HTTP %d\), waited 1 s$" % r.get("status", 403)
                                         for r in SCENARIOS["rate-limited"].rules(c, mode)]),
    "rate-limited-write": lambda c, mode: ok(r"^{write}: rate limited \(HTTP 403\), waited 1 s$"),
    "429-over-cap": lambda c, mode: fail(r"^{first} failed: HTTP 429: rate limited: GitHub asked to wait 100000 s, "
                                         r"more than the 300 s this run may still wait"),
    "secondary-over-cap": lambda c, mode: fail(r"^{first} failed: HTTP 403: rate limited: GitHub asked to wait "
                                               r"100000 s, .*secondary rate limit"),
    "primary-over-cap": lambda c, mode: fail(r"^{first} failed: HTTP 403: rate limited: GitHub asked to wait "
                                             r"10000[01] s, .*API rate limit exceeded"),
    "drop-read": lambda c, mode: ok("^{first}: retried after ProtocolError$"),
    "drop-write": lambda c, mode: ok("^{write}: retried after ProtocolError$") if resent(c) else fail(
        r"^{write} failed: could not connect or the connection dropped \(\w+\)" + NOT_RESENT),
    "slow-read": lambda c, mode: ok("^{first}: retried after ReadTimeoutError$"),
    "slow-write": lambda c, mode: ok("^{write}: retried after ReadTimeoutError$") if resent(c) else fail(
        r"^{write} failed: no answer within the timeout \(\w+\)" + NOT_RESENT),
    "invalid-json": lambda c, mode: fail(r"^{first} failed: HTTP 200: the response body is not valid JSON"),
    "wrong-shape": lambda c, mode: fail(r"^{first} failed: HTTP 200: unexpected response: expected a JSON "
                                        r"(object, got list|array, got dict)"),
    "invalid-json-write": lambda c, mode: fail(r"{write} failed: HTTP 200: the response body is not valid JSON"),
    "wrong-shape-write": lambda c, mode: fail(r"{write} failed: HTTP 200: unexpected response: expected a JSON "
                                              r"object, got list"),
    "422-write": lambda c, mode: fail(r"{write} failed: HTTP 422: Validation Failed "
                                      r"\(Thing name invalid is not allowed\)"),
    "401": lambda c, mode: fail(r"^{first} failed: HTTP 401: Bad credentials"),
    "404": lambda c, mode: fail("^" + re.escape(c.words)),
}

# Tokens without the rights: GitHub refuses the first request the token may not make. Check mode only
# reads, so a refused write is found by the real run (GitHub has no dry run to ask).
SCOPES = r"\. Scopes this endpoint accepts: {}; the token has: read:org"
WRITES_REFUSED = ("org", "membership", "removal", "members", "outside")
NOT_OWNER_WRITES = ("org", "membership", "removal", "outside")
NO_SCOPE = {
    "org": r"^PATCH /orgs/acme failed: HTTP 403: .*" + SCOPES.format("admin:org"),
    "membership": r"^PUT /orgs/acme/memberships/erin failed: HTTP 403: .*" + SCOPES.format("admin:org"),
    "removal": r"^DELETE /orgs/acme/memberships/dave failed: HTTP 403: .*" + SCOPES.format("admin:org"),
    "members": r"^PUT /orgs/solo/memberships/frank failed: HTTP 403: .*" + SCOPES.format("admin:org"),
    "outside": r"^username: GitHub refused to convert bob .*HTTP 403: .*" + SCOPES.format("admin:org"),
    # GitHub hides a private repository from a token without the repo scope.
    "collaborator": r"^repo: repository acme/widgets was not found, or the token cannot see it",
    "collaborators": r"GET /repos/acme/gadgets/collaborators failed: HTTP 403: .*" + SCOPES.format("repo"),
    "hook": r"^GET /orgs/acme/hooks failed: HTTP 403: .*" + SCOPES.format("admin:org_hook"),
    "info": r"^gather hooks: GET /orgs/solo/hooks failed: HTTP 403: .*" + SCOPES.format("admin:org_hook"),
}
NOT_OWNER = {  # read-only-rita: a member of acme, not of solo
    "org": r"^PATCH /orgs/acme failed: HTTP 403: You must be an admin",
    "membership": r"^PUT /orgs/acme/memberships/erin failed: HTTP 403: You must be an admin",
    "removal": r"^DELETE /orgs/acme/memberships/dave failed: HTTP 403: You must be an admin",
    "members": r"^GET /orgs/solo/invitations failed: HTTP 404",
    "outside": r"^username: GitHub refused to convert bob .*\(HTTP 403: You must be an admin",
    "collaborator": r"^acme/widgets: GitHub refused access \(HTTP 403\).*HTTP 403: Must have admin rights",
    "collaborators": r"GET /repos/acme/gadgets/collaborators failed: HTTP 403: Must have push access",
    "hook": r"^GET /orgs/acme/hooks failed: HTTP 403: You must be an admin",
    "info": r"^gather invitations: GET /orgs/solo/invitations failed: HTTP 404",
}
OUTCOMES["403-scope"] = lambda c, mode: ok() if mode == "check" and c.key in WRITES_REFUSED else fail(NO_SCOPE[c.key])
OUTCOMES["403-permission"] = lambda c, mode: (ok() if mode == "check" and c.key in NOT_OWNER_WRITES
                                              else fail(NOT_OWNER[c.key]))


def expand(pattern, case):
    values = {}
    for name in ("first", "write"):
        request = getattr(case, name)
        if request:
            values[name] = re.escape("%s %s" % request)
    return pattern.format(**values) if values else pattern


# -- the fault-free reference ------------------------------------------------------------------

VOLATILE = {"id", "created_at", "updated_at", "failed_at", "pings"}


def normalize(value):
    """The organizations and repositories of a simulator state without ids, timestamps or list order."""
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return sorted((normalize(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


def organizations(sim):
    data = sim.state()
    return normalize({"orgs": data["orgs"], "repos": data["repos"]})


_REFERENCE = {}


def reference(run_cases, sim, state):
    """``{changed by task, final state}`` of the matrix's tasks run without faults (once per worker).

    ``run_cases(cases)`` runs the cases and returns ``{key: {"status", "result"}}``.
    """
    if not _REFERENCE:
        results = run_cases(CASES)
        assert all(r["status"] == "ok" for r in results.values()), results
        assert not leaks(results, *SECRETS)
        _REFERENCE["changed"] = {key: r["result"]["changed"] for key, r in results.items()}
        _REFERENCE["state"] = organizations(sim)
        assert _REFERENCE["changed"] == {c.key: c.key != "info" for c in CASES}, _REFERENCE["changed"]
        sim.reset(copy.deepcopy(state))
    return _REFERENCE


def wait_for_delayed_requests(sim, count, timeout=120):
    """A delayed request is logged when the simulator has answered it; wait until ``count`` are."""
    deadline = time.monotonic() + timeout
    while sum(1 for r in sim.requests() if r["fault"]) < count and time.monotonic() < deadline:
        time.sleep(0.2)


def leaks(shown, *secrets):
    """The ``secrets`` found in ``shown`` (text, or results as JSON)."""
    text = shown if isinstance(shown, str) else json.dumps(shown)
    return [secret for secret in secrets if secret in text]


MATRIX = [(name, mode) for name, scenario in SCENARIOS.items() for mode in scenario.modes]


def check_run(sim, name, mode, results, ref, elapsed, rerun, output=""):
    """Every assertion on one run of the matrix.

    ``results``: ``{key: {"status": "ok"|"failed", "result": ...}}`` of the scenario's cases;
    ``rerun(cases)``: the same, for a fault-free second run of ``cases``; ``output``: what
    ansible-playbook printed at -v (checked to show the retries and waits), or "" in-process.
    """
    scenario = SCENARIOS[name]
    cases = cases_for(scenario)
    assert sorted(results) == sorted(c.key for c in cases), results

    problems = []
    for case in cases:
        status, patterns = OUTCOMES[name](case, mode)
        patterns = [expand(p, case) for p in patterns]
        entry = results[case.key]
        result = entry["result"]
        shown = "%s: %s %s" % (case.key, entry["status"], result.get("msg") or result.get("api"))
        if entry["status"] != status:
            problems.append("expected %s, got %s" % (status, shown))
            continue
        if status == "ok":
            events = result["api"]["events"]
            for pattern in patterns:
                if not any(re.search(pattern, e) for e in events):
                    problems.append("%s: no event matches %r in %s" % (case.key, pattern, events))
            if output and events and events[-1] not in output:
                problems.append("%s: the retries and waits are not shown at -v" % case.key)
            if result["changed"] != ref["changed"][case.key]:  # check mode too: the same as the real run
                problems.append("%s: changed=%s, without faults %s" % (case.key, result["changed"],
                                                                       ref["changed"][case.key]))
        else:
            msg = result["msg"]
            for pattern in patterns:
                if not re.search(pattern, msg):
                    problems.append("%s: message does not match %r: %s" % (case.key, pattern, msg))
            if "unexpected error" in msg or "Traceback" in msg or "\n" in msg:
                problems.append("%s: not one readable message: %s" % (case.key, msg))
            if result.get("changed"):
                problems.append("%s: a failed task reports changed" % case.key)
    assert "Traceback" not in output + json.dumps(results)
    assert not leaks(output + json.dumps(results), *SECRETS)
    assert not problems, "\n".join(problems)

    if scenario.target:
        wait_for_delayed_requests(sim, sum(len(scenario.rules(c, mode)) for c in cases))
    log = sim.requests()
    if mode == "check":
        assert [w for w in log if w["method"] not in ("GET", "HEAD")] == [], "check mode wrote"
    if scenario.target:  # every task met its faults, and only those
        assert sim.faults() == [], sim.faults()
        for case in cases:
            method, path = getattr(case, scenario.target)
            tries = [r for r in log if (r["method"], r["path"]) == (method, path)]
            if name == "5xx-always":
                assert len(tries) == 4, (case.key, "bounded: one try and 3 retries", tries)
            elif name.endswith("over-cap"):
                assert len(tries) == 1, (case.key, "over the cap: fails at once", tries)
            elif scenario.target == "write" and not resent(case) and "rate-limited" not in name:
                assert len(tries) == 1, (case.key, "a %s is never resent" % method, tries)
    if name.endswith("over-cap"):
        assert elapsed < 60, "a wait over the cap must fail at once"

    failed = [case for case in cases if results[case.key]["status"] == "failed"]
    if mode == "normal" and not failed:
        assert organizations(sim) == ref["state"], "converged despite the faults"
    if mode == "normal" and len(failed) == len(cases):
        assert all(w["status"] >= 400 or w["fault"] for w in log if w["method"] not in ("GET", "HEAD")), \
            "every task failed: nothing may have been written"
    if scenario.converge and failed:
        # Nothing half-done: a second, fault-free run of the failed tasks converges to what a run
        # without faults gives.
        again = rerun(failed)
        assert all(r["status"] == "ok" for r in again.values()), again
        assert not leaks(again, *SECRETS)
        assert organizations(sim) == ref["state"]
        hooks = [h for h in sim.state()["orgs"][0]["hooks"] if h["config"]["url"] == HOOK_URL]
        assert len(hooks) == 1 and hooks[0]["config"]["secret"] == HOOK_SECRET, "one hook, with its secret"
