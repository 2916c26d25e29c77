# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The shared base of every orgcode.github module.

Every module follows one path::

    gh = GitHubModule(argument_spec=...)          # validates input, builds the client
    gh.run(manage)                                # API errors -> one readable fail_json

and inside ``manage(gh)``: read the current state, compute the desired one,
``gh.write(...)`` only what differs (a no-op in check mode), then
``gh.exit(changed, before, after, resource=...)`` which adds the diff.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

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

GITHUB_COMMON_ARGS = dict(
    token=dict(type="str", no_log=True, fallback=(env_fallback, ["GITHUB_TOKEN", "GH_TOKEN"])),
    api_url=dict(type="str", default=DEFAULT_API_URL, fallback=(env_fallback, ["GITHUB_API_URL"])),
    validate_certs=dict(type="bool", default=True),
    timeout=dict(type="int", default=30),
    api_version=dict(type="str", default=DEFAULT_API_VERSION),
)

# GitHub logins: alphanumerics and single inner hyphens, at most 39 characters.
LOGIN_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")


def login_key(login):
    """The key logins are compared and indexed by: case folded, leading ``@`` dropped."""
    return (login or "").strip().lstrip("@").lower()


class GitHubModule:
    """AnsibleModule plus the GitHub client, the check-mode write gate and the diff helper."""

    def __init__(self, argument_spec, **kwargs):
        spec = dict(GITHUB_COMMON_ARGS)
        spec.update(argument_spec)
        kwargs.setdefault("supports_check_mode", True)
        self.module = AnsibleModule(argument_spec=spec, **kwargs)
        self.params = self.module.params
        self.check_mode = self.module.check_mode
        self.write_delay = 0.0  # seconds between two writes; list modes follow GitHub's 1 s guidance
        self._last_write = None
        if not HAS_REQUESTS:
            self.module.fail_json(msg="%s (%s)" % (missing_required_lib("requests"), REQUESTS_IMPORT_ERROR))
        self._validate_common()
        self.client = GitHubClient(
            token=self.params["token"],
            api_url=self.params["api_url"],
            api_version=self.params["api_version"],
            timeout=self.params["timeout"],
            validate_certs=self.params["validate_certs"],
        )

    # -- input ---------------------------------------------------------------

    def _validate_common(self):
        p = self.params
        if not p["token"]:
            self.fail("token is required: set the token option or the GITHUB_TOKEN (or GH_TOKEN) "
                      "environment variable")
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

    def login(self, option, value=None):
        """The login in option ``option`` with a leading ``@`` removed, or a failure naming it."""
        raw = self.params[option] if value is None else value
        login = (raw or "").strip().lstrip("@")
        if not LOGIN_RE.match(login):
            self.fail("%s: %r is not a valid GitHub login (letters, digits and single inner hyphens, "
                      "at most 39 characters)" % (option, raw))
        return login

    # -- output --------------------------------------------------------------

    def fail(self, msg, **result):
        result.setdefault("changed", False)
        self.module.fail_json(msg=msg, api=self._api_report(), **result)

    def _api_report(self):
        client = getattr(self, "client", None)
        if client is None:
            return dict(requests=0, events=[])
        return dict(requests=client.request_count, events=list(client.events))

    def exit(self, changed, before=None, after=None, **result):
        """Exit with ``changed``, the resource keys and, in diff mode, ``{before, after}``."""
        if self.module._diff:
            result["diff"] = dict(before=before if before is not None else {},
                                  after=after if after is not None else {})
        self.module.exit_json(changed=changed, api=self._api_report(), **result)

    # -- API -----------------------------------------------------------------

    def write(self, method, path, body=None, expect=None):
        """Send a write unless in check mode; returns ``(status, data)`` or ``(None, None)``."""
        if self.check_mode:
            return None, None
        if self._last_write is not None and self.write_delay > 0:
            # GitHub asks integrators to serialise mutating requests, at least a second apart.
            time.sleep(max(0.0, self._last_write + self.write_delay - time.monotonic()))
        try:
            status, data, _response = self.client.request(method, path, body=body, expect=expect)
        finally:
            self._last_write = time.monotonic()
        return status, data

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

    def run(self, manage):
        """Call ``manage(self)``; turn API errors into one readable failure, never a traceback."""
        try:
            manage(self)
        except GitHubAPIError as err:
            self.fail(str(err), **err.to_result())
        except Exception as exc:  # pylint: disable=broad-except
            # An unexpected bug still ends in one readable message, never a traceback.
            self.fail("unexpected error (%s): %s" % (type(exc).__name__, exc))
