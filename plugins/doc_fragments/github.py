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
    type: str
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
requirements:
  - requests >= 2.25
'''

    # Attributes shared by every module: full check mode and diff support.
    ATTRIBUTES = r'''
attributes:
  check_mode:
    description: Can run in check mode and return the changed status and results without changing GitHub.
    support: full
  diff_mode:
    description: Returns details on what changed (or would change in check mode) as C(before) and C(after).
    support: full
'''
