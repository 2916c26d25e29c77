# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""GitHub App authentication for the orgcode.github API client.

:class:`GitHubAppAuth` holds an App's ID and private key, signs the JSON web token (RS256) that
authenticates as the App, finds the installation (from the organization or repository when no
installation ID is given), exchanges the JWT for an installation token and renews that token
before it expires, so a long run never dies at the one-hour mark. The client asks it for the
``Authorization`` header before every request (:meth:`GitHubAppAuth.authorization`) and drops
the token after a 401 (:meth:`GitHubAppAuth.invalidate`) to retry once with a new one.

PyJWT and cryptography are imported only when App authentication is used, so modules work
without them for token users. Like the client, this file imports nothing from Ansible or from
the rest of the collection, so it can be unit tested on its own. Neither the key, nor a JWT,
nor an installation token ever goes into a message; ``on_secret`` is told about every new
JWT and token so the caller can mask them (Ansible's ``no_log_values``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import re
import time

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover - Python 2 is not supported, keeps sanity's import test quiet
    from urllib import quote  # type: ignore

JWT_BACKDATE = 60  # "iat" this many seconds in the past, against clock drift (GitHub's advice)
JWT_LIFETIME = 540  # "exp" this many seconds ahead: exp - iat = 600 s, GitHub's 10-minute maximum
REFRESH_MARGIN = 300  # renew an installation token when less than this many seconds remain
DEFAULT_TOKEN_LIFETIME = 3600  # GitHub's installation tokens live one hour
JWT_REFUSED_HINT = ("GitHub refused the App's JSON web token: check that app_id %s is right and that the private "
                    "key (app_private_key or app_private_key_path) is a current key of that App, and that this "
                    "host's clock is right")
APP_ID_RE = re.compile(r"^(?:[1-9][0-9]{0,18}|Iv[0-9A-Za-z._-]{4,64})$")  # numeric App ID or client ID


class AppAuthError(ValueError):
    """Bad App credentials found before any request; the message names the option."""

    def __init__(self, option, message):
        self.option = option
        super(AppAuthError, self).__init__("%s: %s" % (option, message))


def missing_app_library():
    """``(pip name, ImportError)`` of the first library App authentication lacks, or ``None``."""
    try:
        import jwt  # noqa: F401 pylint: disable=unused-import
    except ImportError as exc:
        return "PyJWT", exc
    try:
        # PyJWT imports without cryptography, but cannot sign RS256 then.
        import cryptography.hazmat.primitives.serialization  # noqa: F401 pylint: disable=unused-import
    except ImportError as exc:
        return "cryptography", exc
    return None


def normalize_app_id(value, option="app_id"):
    """The App ID (``1234``) or client ID (``Iv23li...``) as the string sent in the JWT's ``iss``."""
    if isinstance(value, bool) or value is None:
        raise AppAuthError(option, "must be the GitHub App's numeric ID or its client ID (Iv...)")
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not APP_ID_RE.match(text):
        raise AppAuthError(option, "must be the GitHub App's numeric ID (as on the App's settings page) or its "
                                   "client ID (Iv...); got %r" % (text[:40],))
    return text


def _pem_text(text):
    """The PEM with surrounding blanks removed and ``\\n`` escapes (common in CI secrets) turned into newlines."""
    text = (text or "").strip()
    if "\n" not in text and "\\n" in text:
        text = text.replace("\\n", "\n")
    return text


def load_private_key(pem, option="app_private_key"):
    """The App's RSA private key object from PEM text; :class:`AppAuthError` naming ``option`` otherwise."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    text = _pem_text(pem)
    if not text:
        raise AppAuthError(option, "is empty")
    if "-----BEGIN" not in text or "PRIVATE KEY-----" not in text:
        raise AppAuthError(option, "is not a PEM private key: expected the contents of the .pem file GitHub "
                                   "generated for the App (-----BEGIN RSA PRIVATE KEY----- ...)")
    try:
        key = serialization.load_pem_private_key(text.encode("utf-8"), password=None)
    except TypeError:
        raise AppAuthError(option, "the private key is encrypted with a passphrase; GitHub App keys are not, "
                                   "give the key as GitHub generated it")
    except (ValueError, UnsupportedAlgorithm) as exc:
        # cryptography's messages describe the format problem, never the key material.
        raise AppAuthError(option, "the PEM private key could not be loaded (%s)" % (
            str(exc).split("\n", 1)[0][:200] or type(exc).__name__))
    if not isinstance(key, rsa.RSAPrivateKey):
        raise AppAuthError(option, "is not an RSA private key; GitHub App keys are RSA keys")
    return key


def read_private_key_file(path, option="app_private_key_path"):
    """The text of the key file at ``path``; :class:`AppAuthError` naming ``option`` when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(1024 * 1024)
    except (IOError, OSError) as exc:
        raise AppAuthError(option, "cannot read %s: %s" % (path, exc.strerror or type(exc).__name__))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise AppAuthError(option, "%s is not a PEM text file" % path)


def parse_timestamp(value):
    """Seconds since the epoch of GitHub's ``2016-07-11T22:14:10Z``; ``None`` if it is not one."""
    if not isinstance(value, str):
        return None
    text = value.strip().replace("+00:00", "Z")
    if "." in text:  # fractional seconds
        text = text.split(".", 1)[0] + "Z"
    try:
        return float(calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ")))
    except ValueError:
        return None


class GitHubAuthError(Exception):
    """Getting an installation token failed (the App's JWT refused, no such installation, network...).

    Deliberately not a ``GitHubAPIError``: a module that reads a 404 of its own request as "absent"
    must never take a failed token exchange for that answer. The module base turns it into one
    readable failure. ``cause`` is the client's ``GitHubAPIError``; the text is the cause's plus a hint.
    """

    def __init__(self, cause, hint=None):
        self.cause = cause
        self.status = getattr(cause, "status", None)
        self.github_message = getattr(cause, "message", None)
        self.hint = hint
        if hint and self.github_message is not None:
            # The hint goes after GitHub's message, before the "[see documentation_url]" the text ends with.
            cause.message = "%s. %s" % (self.github_message.rstrip("."), hint)
            text = str(cause)
            cause.message = self.github_message
        else:
            text = "%s. %s" % (str(cause).rstrip("."), hint) if hint else str(cause)
        super(GitHubAuthError, self).__init__(text)

    def to_result(self):
        """The error as keys for ``fail_json`` (never carries a token, a JWT or the key)."""
        to_result = getattr(self.cause, "to_result", None)
        result = to_result() if to_result else dict(status=self.status)
        result["github_app_auth_failed"] = True
        return result


class GitHubAppAuth:
    """Installation-token credentials of one GitHub App installation, renewed before they expire.

    ``installation_id`` may be ``None``: the installation is then found once from ``org``
    (``GET /orgs/{org}/installation``) or from ``owner`` and ``repo``
    (``GET /repos/{owner}/{repo}/installation``).
    """

    def __init__(self, app_id, private_key, installation_id=None, org=None, owner=None, repo=None,
                 on_secret=None, refresh_margin=REFRESH_MARGIN):
        self.app_id = normalize_app_id(app_id)
        self._key = private_key
        self.installation_id = installation_id
        self.org = org
        self.owner = owner
        self.repo = repo
        self.on_secret = on_secret
        self.refresh_margin = refresh_margin
        self._token = None
        self.expires_at = None  # epoch seconds, by GitHub's answer
        self.refresh_at = None  # epoch seconds on the client's clock
        self.tokens_issued = 0

    def __repr__(self):  # never the key or a token, whatever prints this object
        return "GitHubAppAuth(app_id=%s, installation_id=%s)" % (self.app_id, self.installation_id)

    # -- JSON web token ------------------------------------------------------

    def jwt_claims(self, now):
        """``iat`` 60 s in the past, ``exp`` 9 minutes ahead (10 minutes after ``iat``), ``iss`` the App."""
        now = int(now)
        return {"iat": now - JWT_BACKDATE, "exp": now + JWT_LIFETIME, "iss": self.app_id}

    def make_jwt(self, now):
        import jwt

        value = jwt.encode(self.jwt_claims(now), self._key, algorithm="RS256")
        if isinstance(value, bytes):  # PyJWT 1.x
            value = value.decode("ascii")
        self._secret(value)
        return value

    def _secret(self, value):
        if self.on_secret is not None and value:
            self.on_secret(value)

    # -- installation token --------------------------------------------------

    def needs_refresh(self, now):
        return self._token is None or self.refresh_at is None or now >= self.refresh_at

    def invalidate(self):
        """Forget the installation token (GitHub refused it): the next request gets a new one."""
        self._token = None
        self.refresh_at = None

    def authorization(self, client):
        """The ``Authorization`` header value for the next request, renewing the token when due."""
        now = client.clock()
        if self.needs_refresh(now):
            if self._token is not None and self.expires_at is not None:
                client.events.append("GitHub App installation token renewed (%d s before it expired)" % max(
                    0, round(self.expires_at - now)))
            self.refresh(client)
        return "Bearer %s" % self._token

    def refresh(self, client):
        """Sign a JWT, find the installation if needed, and exchange the JWT for an installation token."""
        now = client.clock()
        bearer = "Bearer %s" % self.make_jwt(now)
        if self.installation_id is None:
            self.installation_id = self._discover(client, bearer)
        path = "/app/installations/%s/access_tokens" % self.installation_id
        try:
            _status, data, _response = client._request("POST", path, authorization=bearer, expect=dict)
        except client.error_class as err:
            if err.status == 401:
                hint = JWT_REFUSED_HINT % self.app_id
            elif err.status == 404:
                hint = ("No installation %s of GitHub App %s: check app_installation_id, or leave it unset to "
                        "find the installation from the organization" % (self.installation_id, self.app_id))
            elif err.status == 403:
                hint = ("GitHub App %s may not create a token for installation %s (is the installation "
                        "suspended?)" % (self.app_id, self.installation_id))
            else:
                hint = "GitHub App %s could not get an installation token" % self.app_id
            raise GitHubAuthError(err, hint)
        token = data.get("token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise GitHubAuthError(client.api_error(
                "POST", path, status=201, message="unexpected response: no installation token in GitHub's answer"))
        self._secret(token)
        issued = client.clock()
        expires_at = parse_timestamp(data.get("expires_at"))
        if expires_at is None:
            expires_at = issued + DEFAULT_TOKEN_LIFETIME
        lifetime = max(0.0, expires_at - issued)
        # ~5 minutes ahead for GitHub's one-hour tokens; a quarter of the life for shorter ones, so a
        # short-lived token is not renewed before every request.
        margin = min(float(self.refresh_margin), lifetime / 4.0)
        self._token = token
        self.expires_at = expires_at
        self.refresh_at = expires_at - margin
        self.tokens_issued += 1
        return token

    def _discover(self, client, bearer):
        if self.owner and self.repo:
            path = "/repos/%s/%s/installation" % (quote(self.owner, safe=""), quote(self.repo, safe=""))
            where = "repository %s/%s" % (self.owner, self.repo)
        elif self.org:
            path = "/orgs/%s/installation" % quote(self.org, safe="")
            where = "organization %s" % self.org
        else:
            raise AppAuthError("app_installation_id", "is required: this module has no organization or "
                                                      "repository to find the GitHub App's installation from")
        try:
            _status, data, _response = client._request("GET", path, authorization=bearer, expect=dict)
        except client.error_class as err:
            if err.status == 404:
                hint = ("GitHub App %s is not installed on %s (install it there, or set app_installation_id)"
                        % (self.app_id, where))
            elif err.status == 401:
                hint = JWT_REFUSED_HINT % self.app_id
            else:
                hint = "GitHub App %s could not find its installation on %s" % (self.app_id, where)
            raise GitHubAuthError(err, hint)
        installation_id = data.get("id") if isinstance(data, dict) else None
        if isinstance(installation_id, bool) or not isinstance(installation_id, int):
            raise GitHubAuthError(client.api_error(
                "GET", path, status=200, message="unexpected response: no installation id in GitHub's answer"))
        return installation_id
