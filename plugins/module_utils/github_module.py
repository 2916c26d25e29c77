# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The shared base of every orgcode.github module.

Every module follows one path::

    gh = GitHubModule(argument_spec=...)          # validates input, builds the client
    gh.run(manage)                                # the one exit: exit_json or fail_json, once

and inside ``manage(gh)``: read the current state, compute the desired one,
``gh.write(...)`` only what differs (a no-op in check mode), then
``return gh.result(changed, before, after, resource=...)``. Nothing but ``run`` exits: a failure is
raised (``raise gh.failure(msg, **result_keys)``, or ``gh.fail(...)`` which raises it), and ``run``
reports it once, with ``changed: true`` and ``writes_done`` when a write was already sent.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import time

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib
from ansible.module_utils.errors import NoLogError

from ansible_collections.orgcode.github.plugins.module_utils._rules import LOGIN_RE, login_key  # noqa: F401 (login_key: the modules import it from here)
from ansible_collections.orgcode.github.plugins.module_utils.github_client import (
    DEFAULT_API_URL,
    DEFAULT_API_VERSION,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    GitHubAPIError,
    GitHubClient,
    is_loopback_host,
    normalize_api_url,
)
from ansible_collections.orgcode.github.plugins.module_utils.github_app import (
    AppAuthError,
    GitHubAppAuth,
    GitHubAuthError,
    load_private_key,
    missing_app_library,
    normalize_app_id,
    read_private_key_file,
)

GITHUB_COMMON_ARGS = dict(
    token=dict(type="str", no_log=True, fallback=(env_fallback, ["GITHUB_TOKEN", "GH_TOKEN"])),
    # GitHub App authentication (instead of token); PyJWT and cryptography are needed only for it.
    app_id=dict(type="raw", fallback=(env_fallback, ["GITHUB_APP_ID"])),
    app_private_key=dict(type="str", no_log=True, fallback=(env_fallback, ["GITHUB_APP_PRIVATE_KEY"])),
    app_private_key_path=dict(type="path", no_log=False, fallback=(env_fallback, ["GITHUB_APP_PRIVATE_KEY_PATH"])),
    app_installation_id=dict(type="int", fallback=(env_fallback, ["GITHUB_APP_INSTALLATION_ID"])),
    api_url=dict(type="str", default=DEFAULT_API_URL, fallback=(env_fallback, ["GITHUB_API_URL"])),
    validate_certs=dict(type="bool", default=True),
    timeout=dict(type="int", default=30),
    api_version=dict(type="str", default=DEFAULT_API_VERSION),
)

APP_OPTIONS = ("app_id", "app_private_key", "app_private_key_path", "app_installation_id")


class ModuleFailure(Exception):
    """A task failure: ``msg`` and the result keys to report with it. Raised, never an exit."""

    def __init__(self, msg, **result):
        super(ModuleFailure, self).__init__(msg)
        self.msg = msg
        self.result = result


class _AnsibleModule(AnsibleModule):
    """AnsibleModule that keeps the token and the App key masked when ansible-core loses its no_log values.

    ansible-core (seen with 2.19; ansible/ansible#81672 is still open) collects the values of no_log options in
    one pass that a list-of-dicts option holding something else (``members: alice``) aborts: every no_log
    value is then forgotten, and the failure's ``invocation`` prints the token at ``-vvv``. Its message
    ("dictionary requested, could not parse JSON or key=value") does not name the option either.

    ``secrets_of(params)``, when given, returns more values to mask that are parts of options, not whole
    options (the password in a webhook URL): they are no_log values from the first exit or log line on, a
    failure of Ansible's own argument checks included.
    """

    def __init__(self, *args, **kwargs):
        self._secrets_of = kwargs.pop("secrets_of", None)
        super(_AnsibleModule, self).__init__(*args, **kwargs)
        self._mask_secrets_of_params()

    def _mask_secrets_of_params(self):
        if getattr(self, "_secrets_of", None) is not None:
            self.no_log_values.update(value for value in self._secrets_of(getattr(self, "params", None) or {})
                                      if value)

    def _log_invocation(self):
        self._mask_secrets_of_params()
        super(_AnsibleModule, self)._log_invocation()

    def fail_json(self, msg, **kwargs):
        self._mask_secrets_of_params()
        result = getattr(self, "validation_result", None)
        errors = list(getattr(result, "errors", None) or [])
        if errors and isinstance(errors[0], NoLogError):
            for name, option in self.argument_spec.items():
                value = (self.params or {}).get(name)
                if option.get("no_log") and isinstance(value, str) and value:
                    self.no_log_values.add(value)
            if msg == errors[0].msg and len(errors) > 1:
                msg = errors[1].msg  # the same failure, naming the option
        super(_AnsibleModule, self).fail_json(msg=msg, **kwargs)


class GitHubModule:
    """AnsibleModule plus the GitHub client, the check-mode write gate and the diff helper."""

    def __init__(self, argument_spec, **kwargs):
        spec = dict(GITHUB_COMMON_ARGS)
        spec.update(argument_spec)
        kwargs.setdefault("supports_check_mode", True)
        self.module = _AnsibleModule(argument_spec=spec, **kwargs)
        self.params = self.module.params
        self.check_mode = self.module.check_mode
        self.write_delay = 0.0  # seconds between two writes; list modes follow GitHub's 1 s guidance
        self._last_write = None
        self.writes_done = []  # {"method", "path"} of every write GitHub accepted during this task
        self.actions = []  # the changes made (check mode: planned), for the plan callback; see action()
        self.client = None
        self._me = None  # the token's own login, read once when needed
        if not HAS_REQUESTS:
            self.module.fail_json(msg="%s (%s)" % (missing_required_lib("requests"), REQUESTS_IMPORT_ERROR))
        try:
            self._validate_common()
            app_auth = self._app_auth() if self.auth_method == "app" else None
        except ModuleFailure as exc:
            self._fail_json(exc.msg, exc.result)
        self.client = GitHubClient(
            token=self.params["token"] if app_auth is None else None,
            api_url=self.params["api_url"],
            api_version=self.params["api_version"],
            timeout=self.params["timeout"],
            validate_certs=self.params["validate_certs"],
            app_auth=app_auth,
        )

    # -- input ---------------------------------------------------------------

    def _validate_common(self):
        p = self.params
        self.auth_method = self._choose_auth()
        try:
            api_url = normalize_api_url(p["api_url"])
        except ValueError as exc:
            self.fail(str(exc))
        if api_url.startswith("http://") and not is_loopback_host(api_url):
            self.module.warn("api_url %s is plain http://: the token travels unencrypted" % api_url)
        if p["timeout"] is None or p["timeout"] <= 0:
            self.fail("timeout must be a positive number of seconds, got %s" % p["timeout"])
        if not p["validate_certs"]:
            self.module.warn("validate_certs is false: the server's TLS certificate is not checked")

    def _from_environment(self, option):
        """True when ``option``'s value is the one its environment fallback supplies (not set in the play)."""
        value = self.params.get(option)
        fallback = GITHUB_COMMON_ARGS[option].get("fallback")
        if value in (None, "") or not fallback:
            return False
        return any(os.environ.get(name) is not None and str(os.environ.get(name)) == str(value)
                   for name in fallback[1])

    def _choose_auth(self):
        """``token`` or ``app``: the one way to authenticate, or a failure saying what is missing or too much.

        A token and App options are mutually exclusive. Options set in the play (task arguments or
        ``module_defaults``) win over environment variables, so a GITHUB_TOKEN left in a CI
        environment does not get in the way of App options written in the play, and vice versa.
        """
        p = self.params
        app_given = [name for name in APP_OPTIONS if p.get(name) not in (None, "")]
        if p["token"] and app_given:
            token_in_play = not self._from_environment("token")
            app_in_play = [name for name in app_given if not self._from_environment(name)]
            if token_in_play and not app_in_play:
                app_given = []
            elif app_in_play and not token_in_play:
                p["token"] = None
            else:
                self.fail("token and the GitHub App options (%s) are mutually exclusive: authenticate either with "
                          "a token or as a GitHub App, not both (the token may come from the GITHUB_TOKEN or "
                          "GH_TOKEN environment variable, App options from GITHUB_APP_*)" % ", ".join(app_given))
        if p["token"]:
            return "token"
        if not app_given:
            self.fail("token is required: set the token option or the GITHUB_TOKEN (or GH_TOKEN) environment "
                      "variable, or authenticate as a GitHub App with app_id and app_private_key (or "
                      "app_private_key_path), environment GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY (or "
                      "GITHUB_APP_PRIVATE_KEY_PATH)")
        if p.get("app_id") in (None, ""):
            self.fail("app_id is required with %s: the GitHub App's numeric ID or client ID (environment "
                      "GITHUB_APP_ID)" % " and ".join(app_given))
        if p.get("app_private_key") and p.get("app_private_key_path"):
            self.fail("app_private_key and app_private_key_path are mutually exclusive: give the App's private "
                      "key as text or as a file, not both")
        if not p.get("app_private_key") and not p.get("app_private_key_path"):
            self.fail("app_private_key or app_private_key_path is required with app_id: the App's private key "
                      "(PEM) as text or as a file (environment GITHUB_APP_PRIVATE_KEY or "
                      "GITHUB_APP_PRIVATE_KEY_PATH)")
        try:
            p["app_id"] = normalize_app_id(p["app_id"])
        except AppAuthError as exc:
            self.fail(str(exc))
        if p.get("app_installation_id") is not None and p["app_installation_id"] <= 0:
            self.fail("app_installation_id must be a positive number, got %s" % p["app_installation_id"])
        return "app"

    def _app_auth(self):
        """The App credentials, checked before any request: libraries, key, installation lookup."""
        p = self.params
        missing = missing_app_library()
        if missing:
            self.fail("%s (%s). GitHub App authentication needs PyJWT and cryptography." % (
                missing_required_lib(missing[0]), missing[1]))
        installation_id = p.get("app_installation_id")
        org = p.get("org") or p.get("owner")
        org = org.strip().lstrip("@") or None if isinstance(org, str) else None
        repo = p.get("repo")
        repo = repo.strip() or None if isinstance(repo, str) else None
        if installation_id is None and not org:
            self.fail("app_installation_id is required: this module has no org or owner to find the GitHub "
                      "App's installation from")
        try:
            if p.get("app_private_key"):
                pem = p["app_private_key"]
                key = load_private_key(pem, "app_private_key")
            else:
                pem = read_private_key_file(p["app_private_key_path"], "app_private_key_path")
                self.module.no_log_values.add(pem)
                key = load_private_key(pem, "app_private_key_path")
        except AppAuthError as exc:
            self.fail(str(exc))
        return GitHubAppAuth(p["app_id"], key, installation_id=installation_id, org=org if not repo else None,
                             owner=org if repo else None, repo=repo, on_secret=self.module.no_log_values.add)

    def login(self, option, value=None):
        """The login in option ``option`` with a leading ``@`` removed, or a failure naming it."""
        raw = self.params[option] if value is None else value
        login = (raw or "").strip().lstrip("@")
        if not LOGIN_RE.match(login):
            self.fail("%s: %r is not a valid GitHub login (letters, digits and single inner hyphens, "
                      "at most 39 characters)" % (option, raw))
        return login

    # -- output ----------------------------------------------------------------

    @staticmethod
    def failure(msg, **result):
        """The exception that fails the task with ``msg`` and ``result`` keys: ``raise gh.failure(...)``."""
        return ModuleFailure(msg, **result)

    def fail(self, msg, **result):
        """Raise the task's failure (``run`` reports it); kept so call sites read ``gh.fail(...)``."""
        raise ModuleFailure(msg, **result)

    @staticmethod
    def result(changed, before=None, after=None, **resource):
        """What a module's ``manage`` returns: ``changed``, the diff's ``before``/``after`` and resource keys."""
        return dict(resource, changed=changed, before=before, after=after)

    def _api_report(self):
        client = getattr(self, "client", None)
        if client is None:
            return dict(requests=0, events=[])
        return dict(requests=client.request_count, events=list(client.events))

    def _diff(self, result):
        """Pop ``before``/``after`` from ``result``; in diff mode put them back as ``diff``."""
        before, after = result.pop("before", None), result.pop("after", None)
        if self.module._diff and (before is not None or after is not None):
            result["diff"] = dict(before=before if before is not None else {},
                                  after=after if after is not None else {})
        return result

    def action(self, kind, scope, name, action, verb, old=None, new=None, fields=None):
        """Note one change in the result's ``actions`` (what the ``orgcode.github.plan`` callback prints).

        ``kind`` is the resource kind (``settings``, ``member``, ``outside_collaborator``, ``hook``,
        ``repo_collaborator``), ``scope`` the organization or ``owner/repo``, ``name`` the resource's
        identity (a login, a hook URL, a setting), ``action`` one of ``add``, ``change``, ``remove`` and
        ``verb`` what is done, in words. Call it once the write was sent (in check mode: would be sent),
        so that after a failure ``actions`` holds what was done.
        """
        entry = dict(kind=kind, scope=scope, id=name, action=action, verb=verb)
        if old is not None or new is not None:
            entry["from"], entry["to"] = old, new
        if fields:
            entry["fields"] = sorted(fields)
        self.actions.append(entry)

    def _fail_json(self, msg, result):
        """The one failure exit. A task that already wrote reports ``changed: true`` and what it wrote."""
        result = self._diff(dict(result))
        result.setdefault("actions", [] if self.check_mode else list(self.actions))
        result["changed"] = bool(result.get("changed")) or bool(self.writes_done)
        if self.writes_done:
            result["writes_done"] = list(self.writes_done)
        self.module.fail_json(msg=msg, api=self._api_report(), **result)

    def run(self, manage):
        """Call ``manage(self)`` and exit once: its result, or one readable failure, never a traceback."""
        try:
            result = manage(self)
            if not isinstance(result, dict) or "changed" not in result:
                raise TypeError("%s returned no result" % getattr(manage, "__name__", "manage"))
        except ModuleFailure as exc:
            self._fail_json(exc.msg, exc.result)
        except (GitHubAPIError, GitHubAuthError) as err:
            self._fail_json(str(err), err.to_result())
        except Exception as exc:  # pylint: disable=broad-except
            # An unexpected bug still ends in one readable message, never a traceback.
            self._fail_json("unexpected error (%s): %s" % (type(exc).__name__, exc), {})
        result = self._diff(dict(result))
        result["changed"] = bool(result["changed"])
        result.setdefault("actions", list(self.actions))
        self.module.exit_json(api=self._api_report(), **result)

    # -- API -----------------------------------------------------------------

    def write(self, method, path, body=None, expect=dict):
        """Send a write unless in check mode; returns ``(status, data)`` or ``(None, None)``.

        GitHub answers a write with an object or with no body (204); anything else (``expect``) fails.
        """
        if self.check_mode:
            return None, None
        if self._last_write is not None and self.write_delay > 0:
            # GitHub asks integrators to serialise mutating requests, at least a second apart.
            time.sleep(max(0.0, self._last_write + self.write_delay - time.monotonic()))
        try:
            status, data, _response = self.client.request(method, path, body=body, expect=expect)
        finally:
            self._last_write = time.monotonic()
        self.writes_done.append(dict(method=method, path=path))
        return status, data

    def guard_last_owner(self, org, membership, action):
        """Fail before any write if ``membership`` is the organization's only active owner.

        ``membership`` is a ``GET /orgs/{org}/memberships/{username}`` answer; ``action`` the verb
        for the message (``remove``, ``demote``, ``convert``). Costs nothing unless the membership is
        an active owner's, then one read per 100 owners.
        """
        if not membership or membership.get("state") != "active" or membership.get("role") != "admin":
            return
        owners = self.client.paginate("/orgs/%s/members" % org, params=dict(role="admin"))
        login = (membership.get("user") or {}).get("login") or self.params.get("username")
        others = [o for o in owners if login_key(o.get("login")) != login_key(login)]
        if not others:
            self.fail("refusing to %s %s: it is the last owner (admin) of organization %s; "
                      "make another user an owner first" % (action, login, org))

    def require_found(self, org=None, username=None, owner=None, repo=None):
        """Fail naming the option whose object GitHub does not know (org, repo, then user).

        Used after a 404 that could mean any of them, and in check mode to fail the way the real
        run would. Costs one read per object checked.
        """
        if org and self.client.get_or_none("/orgs/%s" % org) is None:
            self.fail("org: organization %r was not found, or the token cannot see it" % org)
        if owner and repo and self.client.get_or_none("/repos/%s/%s" % (owner, repo)) is None:
            self.fail("repo: repository %s/%s was not found, or the token cannot see it" % (owner, repo))
        if username:
            user = self.client.get_or_none("/users/%s" % username)
            if user is None:
                self.fail("username: GitHub user %r does not exist" % username)
            return user
        return None

    def authenticated_login(self):
        """The token's own login (``GET /user``), or None for a GitHub App installation, which is no user.

        Authoritative list modes never remove this login.
        """
        if self.client.app_auth is not None:
            return None
        if self._me is None:
            self._me = self.client.get("/user").get("login")
        return self._me
