# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Connection options every orgcode.github module takes.
    DOCUMENTATION = r'''
options:
  token:
    description:
      - 'GitHub token, sent as the C(Authorization: Bearer) credential.'
      - A classic personal access token, a fine-grained personal access token or a GitHub App
        installation token.
      - If not set, the environment variable E(GITHUB_TOKEN) is used, then E(GH_TOKEN).
      - Never printed, not even at C(-vvv).
      - Mutually exclusive with the GitHub App options O(app_id), O(app_private_key),
        O(app_private_key_path) and O(app_installation_id). An option set in the play (task or
        C(module_defaults)) wins over an environment variable of the other way to authenticate;
        both set in the play, or both only in the environment, is an error.
    type: str
  app_id:
    description:
      - Authenticate as a GitHub App installation instead of with O(token). The App's numeric ID, or
        its client ID (C(Iv...)), as shown on the App's settings page.
      - Requires O(app_private_key) or O(app_private_key_path).
      - The module signs a JSON web token (RS256, valid 10 minutes) with the App's key, exchanges it
        for an installation token and renews that token before it expires (when less than 5 minutes
        remain, and once more if GitHub refuses it with HTTP 401), so long runs do not fail when the
        one-hour token lifetime ends. The key, the JSON web token and the installation token are never
        printed.
      - If not set, the environment variable E(GITHUB_APP_ID) is used.
    type: raw
  app_private_key:
    description:
      - The GitHub App's private key, the PEM text of the C(.pem) file GitHub generated
        (C(-----BEGIN RSA PRIVATE KEY-----) ...). Literal C(\n) sequences are turned into newlines.
      - Mutually exclusive with O(app_private_key_path).
      - If not set, the environment variable E(GITHUB_APP_PRIVATE_KEY) is used.
    type: str
  app_private_key_path:
    description:
      - Path of the GitHub App's private key file (PEM) on the host that runs the module.
      - Mutually exclusive with O(app_private_key).
      - If not set, the environment variable E(GITHUB_APP_PRIVATE_KEY_PATH) is used.
    type: path
  app_installation_id:
    description:
      - The ID of the App's installation on the organization (or repository owner) to manage.
      - If not set, it is found from the module's C(org) (or C(owner) and C(repo)) with
        C(GET /orgs/{org}/installation) (or C(GET /repos/{owner}/{repo}/installation)), which costs one
        request per task.
      - If not set, the environment variable E(GITHUB_APP_INSTALLATION_ID) is used.
    type: int
  api_url:
    description:
      - Root of the GitHub REST API.
      - C(https://api.github.com) for github.com, C(https://api.SUBDOMAIN.ghe.com) for GHE.com,
        C(https://HOST/api/v3) for GitHub Enterprise Server. A trailing slash is accepted;
        C(https://github.com) and C(https://SUBDOMAIN.ghe.com) are turned into their API hosts.
      - If not set, the environment variable E(GITHUB_API_URL) is used, else C(https://api.github.com).
    type: str
    default: https://api.github.com
  validate_certs:
    description:
      - Verify the server's TLS certificate. Turn off only for a GitHub Enterprise Server you trust.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for each HTTP request. Reads that time out are retried; writes are not resent.
    type: int
    default: 30
  api_version:
    description:
      - REST API version, sent as the C(X-GitHub-Api-Version) header.
    type: str
    default: '2022-11-28'
notes:
  - Reads and idempotent writes are retried up to 3 times with exponential backoff and jitter on
    HTTP 5xx and connection errors; a C(POST) is never resent after it may have reached GitHub.
  - Rate limits are honoured (C(Retry-After), C(X-RateLimit-Reset), HTTP 403 and 429). A run waits at
    most 300 seconds in total for them, then fails saying how long GitHub asked to wait. Retries and
    waits are listed in the C(api.events) result key, shown with C(-v).
  - Logins are compared case-insensitively; a leading C(@) is ignored.
  - O(api_url) takes the same form for tokens and GitHub Apps; the App endpoints
    (C(/app/installations/...)) are reached under the same API root, on github.com, GHE.com and
    GitHub Enterprise Server alike.
requirements:
  - requests >= 2.25
  - PyJWT >= 2.0 and cryptography, only for GitHub App authentication (O(app_id))
'''

    # The options of the authoritative list modes (orgcode.github.github.list_mode), shared by every module
    # that reconciles a whole list in one task; the module documents the list option itself.
    LIST_MODE = r'''
options:
  exclusive:
    description:
      - With the module's list option, also remove (or cancel the pending invitations of) what the
        list does not name. Without the list option it is an error.
      - Never removes the authenticated user, never leaves an organization without an owner, and
        fails before any write when more than O(max_removals) removals would be needed.
    type: bool
    default: false
  max_removals:
    description:
      - With O(exclusive=true), the most removals one run may make (removals plus cancelled
        invitations). Above it the task fails before any write and lists what would have been
        removed. Raise it deliberately for a large clean-up.
    type: int
    default: 10
  write_delay:
    description:
      - With the module's list option, seconds to wait between two write requests. GitHub asks
        integrations to serialise mutating requests and leave at least one second between them.
    type: float
    default: 1.0
notes:
  - "List mode never writes before its whole input is validated and every listed login it would
    add is confirmed to exist (C(GET /users/{login})): unknown logins fail the task before any
    write, naming each with its position (for example C(members[3].login)), in check mode too. A
    task that fails after some writes reports C(changed=true) and lists what it did
    (C(writes_done) and the module's C(changes))."
'''
