# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one GitHub REST API client every module of orgcode.github uses.

A ``requests.Session`` carrying the auth and version headers, with:

* base URL handling for github.com, GHE.com and GitHub Enterprise Server;
* ``Link``-header pagination at ``per_page=100``;
* bounded retries with exponential backoff and jitter for 5xx answers and
  connection errors, done by urllib3's ``Retry`` (idempotent methods only for
  anything that may have reached the server; a POST is never blindly resent);
* primary and secondary rate-limit handling (403/429 with ``Retry-After`` or
  ``X-RateLimit-Remaining: 0``) with a cap on the total time spent waiting;
* one error type, :class:`GitHubAPIError`, that says what was attempted.

It imports nothing from Ansible so it can be unit tested on its own.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import json
import random
import time

try:
    from urllib.parse import urlsplit, urlunsplit
except ImportError:  # pragma: no cover - Python 2 is not supported, keeps sanity's import test quiet
    from urlparse import urlsplit, urlunsplit  # type: ignore

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, ReadTimeoutError
    from urllib3.util.retry import Retry

    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised through the module's missing_required_lib message
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc
    HTTPAdapter = object
    Retry = object
    ReadTimeoutError = MaxRetryError = ConnectTimeoutError = ()

COLLECTION_VERSION = "0.1.0"
USER_AGENT = "orgcode.github-ansible-collection/%s" % COLLECTION_VERSION
DEFAULT_API_URL = "https://api.github.com"
DEFAULT_API_VERSION = "2022-11-28"
PER_PAGE = 100

# Methods urllib3 may resend after a read error or a 5xx: they are idempotent.
IDEMPOTENT_METHODS = frozenset(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"])
RETRY_STATUSES = (500, 502, 503, 504)


class GitHubAPIError(Exception):
    """A request GitHub (or the network) refused, with everything a user needs to act on it."""

    def __init__(self, method, path, status=None, message=None, errors=None,
                 documentation_url=None, headers=None, reason=None, rate_limited=False, hint=None,
                 wrong_api_url=False, lost_attempts=None):
        self.method = method
        # A sentence for the user about the likely cause (a GHES api_url without /api/v3), or None.
        self.hint = hint
        # True when the server answered like a web site, not GitHub's REST API: not a "not found".
        self.wrong_api_url = wrong_api_url
        # Causes of earlier attempts of this request whose answer was lost but that may have reached GitHub.
        self.lost_attempts = list(lost_attempts or [])
        self.rate_limited = rate_limited  # a rate limit GitHub asked to wait out, not a refusal of rights
        self.path = path
        self.status = status
        self.message = message or reason or "request failed"
        self.errors = errors or []
        self.documentation_url = documentation_url
        self.headers = dict(headers or {})
        self.reason = reason
        super(GitHubAPIError, self).__init__(str(self))

    def _header(self, name):
        """A response header by case-insensitive name (the headers were copied into a plain dict)."""
        name = name.lower()
        for key, value in self.headers.items():
            if key.lower() == name:
                return value
        return None

    @property
    def accepted_scopes(self):
        return self._header("X-Accepted-OAuth-Scopes")

    def scopes_hint(self):
        """For a 401/403 that carries GitHub's ``X-Accepted-OAuth-Scopes``: the scopes wanted and held, else ""."""
        if self.status not in (401, 403) or self.accepted_scopes is None:
            return ""
        return "Scopes this endpoint accepts: %s; the token has: %s" % (
            self.accepted_scopes or "(none listed)", self._header("X-OAuth-Scopes") or "(none)")

    def __str__(self):
        where = "%s %s" % (self.method, self.path)
        if self.status is None:
            text = "%s failed: %s" % (where, self.message)
        else:
            text = "%s failed: HTTP %s: %s" % (where, self.status, self.message)
        details = []
        for err in self.errors:
            if isinstance(err, dict):
                parts = [str(err[k]) for k in ("resource", "field", "code", "message") if err.get(k)]
                details.append(" ".join(parts))
            else:
                details.append(str(err))
        if details:
            text += " (%s)" % "; ".join(details)
        if self.scopes_hint():
            text += ". " + self.scopes_hint()
        if self.documentation_url:
            text += " [see %s]" % self.documentation_url
        if self.hint:
            text += ". " + self.hint
        return text

    @property
    def not_found(self):
        """A 404 GitHub's REST API gave: the resource does not exist (not a wrong api_url)."""
        return self.status == 404 and not self.wrong_api_url

    def to_result(self):
        """The error as keys for ``fail_json`` (never carries a token)."""
        return dict(
            status=self.status,
            github_message=self.message,
            errors=self.errors,
            documentation_url=self.documentation_url,
            request="%s %s" % (self.method, self.path),
        )


def normalize_api_url(api_url):
    """Return the REST API root for ``api_url`` without a trailing slash.

    ``https://github.com`` becomes ``https://api.github.com`` and
    ``https://SUB.ghe.com`` becomes ``https://api.SUB.ghe.com``; a GitHub
    Enterprise Server URL must already name ``/api/v3`` and is kept as given.
    """
    url = (api_url or DEFAULT_API_URL).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            "api_url must be an absolute http(s) URL such as %s, https://api.SUBDOMAIN.ghe.com "
            "or https://HOST/api/v3; got %r" % (DEFAULT_API_URL, api_url))
    host = parts.hostname.lower()
    netloc = parts.netloc.lower()
    path = parts.path.rstrip("/")
    web = None
    if host in ("github.com", "www.github.com"):
        web = DEFAULT_API_URL
    elif host.endswith(".ghe.com") and not host.startswith("api."):
        web = "https://api." + host
    if web and path:
        # A page of the web site (https://github.com/acme), not an API root: every request would 404.
        raise ValueError(
            "api_url %s is an address of the GitHub web site, not of its REST API; use %s (for GitHub "
            "Enterprise Server: https://HOST/api/v3)" % (url, web))
    if web:
        netloc = urlsplit(web).netloc
    return urlunsplit((parts.scheme.lower(), netloc, path, "", ""))


def ghes_hint(api_url):
    """The sentence to add when ``api_url`` looks like a GHES host given without ``/api/v3``, else None.

    Only for a host that is neither github.com nor GHE.com (``*.ghe.com``) and whose path lacks ``/api/v3``.
    """
    parts = urlsplit(api_url)
    host = (parts.hostname or "").lower()
    if host in ("github.com", "api.github.com", "www.github.com") or host.endswith(".ghe.com"):
        return None
    if "/api/v3" in parts.path.lower():
        return None
    return "Is this GitHub Enterprise Server? api_url should be %s://%s/api/v3" % (parts.scheme, parts.netloc)


def is_loopback_host(api_url):
    host = (urlsplit(api_url).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback  # not "127.example.com"
    except ValueError:
        return False


class _Retry(Retry):
    """urllib3 Retry whose sleeps go through the client's (replaceable) sleep function."""

    sleeper = staticmethod(time.sleep)

    def sleep(self, response=None):
        backoff = self.get_backoff_time()
        if backoff > 0:
            type(self).sleeper(backoff)


class GitHubClient:
    """Talks to one GitHub API root with one token, or as one GitHub App installation.

    ``sleep`` and ``clock`` are injectable so tests can run rate-limit waits on
    a fake clock. ``max_wait`` caps the seconds spent waiting for rate limits
    over the client's life; past it, the request fails saying how long GitHub
    asked to wait.

    ``app_auth`` (a ``github_app.GitHubAppAuth``, with ``token=None``) makes every
    request carry an installation token that it renews before it expires; a
    request refused with 401 gets a new token and is sent once more.
    """

    def __init__(self, token, api_url=DEFAULT_API_URL, api_version=DEFAULT_API_VERSION, timeout=30,
                 validate_certs=True, retries=3, backoff_factor=0.5, max_wait=300,
                 sleep=time.sleep, clock=time.time, user_agent=USER_AGENT, app_auth=None):
        self.base_url = normalize_api_url(api_url)
        self.ghes_hint = ghes_hint(self.base_url)
        self.wrong_api_url = False  # set once the server answered like a web site
        # GitHub Enterprise Server's version (its X-GitHub-Enterprise-Version header), once an answer carried it.
        self._enterprise_version = None
        self.app_auth = app_auth
        self.api_version = api_version or DEFAULT_API_VERSION
        self.timeout = timeout
        self.max_wait = max_wait
        self.sleep = sleep
        self.clock = clock
        self.request_count = 0
        self.answers = 0  # requests answered (after retries and rate-limit waits)
        self.waited_seconds = 0.0
        self.events = []  # human-readable retries and waits, reported by the modules
        self.session = requests.Session()
        self.session.verify = validate_certs
        self.session.headers.update({
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": self.api_version,
            "User-Agent": user_agent,
        })
        if token:
            self.session.headers["Authorization"] = "Bearer %s" % token
        # A subclass per client: setting _Retry.sleeper itself would give every client the last one's sleep.
        retry_class = type("_ClientRetry", (_Retry,), {"sleeper": staticmethod(sleep)})
        retry = retry_class(
            total=retries, connect=retries, read=retries, status=retries, other=0, redirect=0,
            allowed_methods=IDEMPOTENT_METHODS, status_forcelist=RETRY_STATUSES,
            backoff_factor=backoff_factor, backoff_max=20, backoff_jitter=backoff_factor,
            raise_on_status=False, respect_retry_after_header=False,
        )
        adapter = HTTPAdapter(max_retries=retry, pool_maxsize=4)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)

    # -- which GitHub ----------------------------------------------------

    @property
    def enterprise_version(self):
        """GitHub Enterprise Server's version as its answers tell it (``X-GitHub-Enterprise-Version``), else None.

        Known from the first answer on, at no extra request; None before any answer and on github.com/GHE.com.
        """
        return self._enterprise_version

    @property
    def enterprise_server(self):
        """True when the server is GitHub Enterprise Server: an answer carried its version header, or the
        API root is GHES's ``/api/v3`` (github.com and GHE.com have no such root). Costs no request."""
        return bool(self._enterprise_version) or urlsplit(self.base_url).path.rstrip("/").lower().endswith("/api/v3")

    def describe_server(self):
        """``GitHub Enterprise Server 3.19.0`` (the version when an answer told it), for messages."""
        if self._enterprise_version:
            return "GitHub Enterprise Server %s" % self._enterprise_version
        return "GitHub Enterprise Server"

    # -- low level -------------------------------------------------------

    def _url(self, path):
        if path.startswith("http://") or path.startswith("https://"):
            return path
        return self.base_url + path

    def _display_path(self, path):
        """The path without the API root, for messages (next-page URLs are absolute)."""
        if path.startswith(self.base_url):
            path = path[len(self.base_url):]
        return path or "/"

    def request(self, method, path, params=None, body=None, expect=None, accept=None):
        """Send one request; return ``(status, data, response)``.

        Raises :class:`GitHubAPIError` for any status >= 400, for network
        failures after the retries, and for a body that is not JSON (or not
        of the ``expect``-ed type, ``dict`` or ``list``). ``accept`` replaces the ``Accept`` media type
        (e.g. ``application/vnd.github.v3.repository+json``).
        """
        return self._request(method, path, params=params, body=body, expect=expect, accept=accept)

    # For helpers such as ``github_app`` that do not import this file.
    error_class = GitHubAPIError

    def api_error(self, method, path, **kwargs):
        """A :class:`GitHubAPIError` for ``method path`` (the path shown without the API root)."""
        return GitHubAPIError(method, self._display_path(path), **kwargs)

    def _request(self, method, path, params=None, body=None, expect=None, authorization=None, accept=None):
        """:meth:`request`; ``authorization`` replaces the client's own credential (the App's JWT)."""
        method = method.upper()
        shown = self._display_path(path)
        renewed = False
        while True:
            headers = {"Content-Type": "application/json"} if body is not None else {}
            if accept:
                headers["Accept"] = accept
            if authorization is not None:
                headers["Authorization"] = authorization
            elif self.app_auth is not None:
                headers["Authorization"] = self.app_auth.authorization(self)
            try:
                self.request_count += 1
                response = self.session.request(
                    method, self._url(path), params=params,
                    data=None if body is None else json.dumps(body),
                    headers=headers or None,
                    timeout=self.timeout,
                )
            except requests.exceptions.RequestException as exc:
                raise GitHubAPIError(method, shown, message=_network_reason(exc, method))
            self._note_retries(method, shown, response)
            if response.status_code == 401 and authorization is None and self.app_auth is not None \
                    and not renewed:
                # An installation token GitHub no longer takes (expired early, clock drift, revoked):
                # 401 means the request was not acted on, so any method may be sent again, once.
                renewed = True
                self.app_auth.invalidate()
                self.events.append("%s %s: the installation token was refused (HTTP 401: %s); got a new one "
                                   "and retried" % (method, shown, _message(response)[:100]))
                continue
            wait = self._rate_limit_wait(response)
            if wait is None:
                break
            self._wait(method, shown, response, wait)
        first, self.answers = self.answers == 0, self.answers + 1
        version = response.headers.get("X-GitHub-Enterprise-Version")
        if version:
            self._enterprise_version = version
        lost = _lost_attempts(response)
        suspect = self._web_answer(response, first)
        if response.status_code == 404 and method == "DELETE" and lost and not suspect:
            # The first DELETE reached GitHub but its answer was lost; the retry finds nothing left to delete.
            self.events.append("%s %s: the answer was lost (%s) and the retry answered HTTP 404: already "
                               "deleted, so the first attempt did it" % (method, shown, ", ".join(lost)))
            return response.status_code, None, response
        if response.status_code >= 400:
            error = _error_from_response(method, shown, response)
            error.lost_attempts = lost
            tries = len(getattr(getattr(response.raw, "retries", None), "history", None) or ())
            if tries:
                error.message += " (after %d retries)" % tries
            raise self._hinted(error, suspect)
        if lost and method not in ("GET", "HEAD"):
            self.events.append("%s %s: the answer was lost (%s); the retry answered HTTP %s, so the write is done"
                               % (method, shown, ", ".join(lost), response.status_code))
        try:
            data = _decode(method, shown, response)
        except GitHubAPIError as error:
            raise self._hinted(error, suspect)
        if expect is not None and data is not None and not isinstance(data, expect):
            raise GitHubAPIError(
                method, shown, status=response.status_code,
                message="unexpected response: expected a JSON %s, got %s" % (
                    "object" if expect is dict else "array", type(data).__name__))
        return response.status_code, data, response

    def _web_answer(self, response, first):
        """True when the server answered like a web site rather than GitHub's REST API, for an api_url that
        may be a GHES host given without ``/api/v3`` (see :func:`ghes_hint`).

        That is an HTML answer (not a 5xx error page, which GitHub's API may give too), or a 404 to the
        client's very first request that does not come from GitHub's REST API (no ``X-GitHub-Media-Type``
        header, no ``documentation_url``). Once seen, every later such 404 is one too.
        """
        if not self.ghes_hint or response.status_code >= 500:
            return False
        if _is_html(response) or (response.status_code == 404 and (first or self.wrong_api_url)
                                  and not _from_rest_api(response)):
            self.wrong_api_url = True
            return True
        return False

    def _hinted(self, error, suspect):
        """``error`` with the GHES hint when the answer came from a web site, not the API."""
        if suspect:
            error.wrong_api_url = True
            error.hint = self.ghes_hint
            error.message += " (the answer is a web page, not GitHub's REST API at %s)" % self.base_url
        return error

    def _note_retries(self, method, path, response):
        retries = getattr(getattr(response, "raw", None), "retries", None)
        history = getattr(retries, "history", None) or ()
        for entry in history:
            cause = "HTTP %s" % entry.status if entry.status else type(entry.error).__name__
            self.events.append("%s %s: retried after %s" % (method, path, cause))

    def _rate_limit_wait(self, response):
        """Seconds GitHub asks us to wait before retrying, or None if this is no rate limit."""
        if response.status_code not in (403, 429):
            return None
        headers = response.headers
        retry_after = headers.get("Retry-After")
        if retry_after is not None:
            try:
                return max(1.0, float(retry_after))  # at least 1 s: "0" forever must still reach the cap
            except ValueError:
                return 60.0
        if headers.get("X-RateLimit-Remaining") == "0" and headers.get("X-RateLimit-Reset"):
            try:
                return max(0.0, float(headers["X-RateLimit-Reset"]) - self.clock()) + 1
            except ValueError:
                return 60.0
        if response.status_code == 429 or "secondary rate limit" in _message(response).lower():
            return 60.0  # GitHub: wait at least one minute when no header says how long
        return None

    def _wait(self, method, path, response, seconds):
        budget = self.max_wait - self.waited_seconds
        if seconds > budget:
            raise GitHubAPIError(
                method, path, status=response.status_code,
                message="rate limited: GitHub asked to wait %d s, more than the %d s this run may still "
                        "wait (cap %d s). GitHub said: %s" % (
                            round(seconds), max(0, round(budget)), self.max_wait, _message(response)),
                headers=response.headers, rate_limited=True)
        self.events.append("%s %s: rate limited (HTTP %s), waited %.0f s" % (
            method, path, response.status_code, seconds))
        self.waited_seconds += seconds
        # Jitter spreads out concurrent runs that were told the same reset time.
        self.sleep(seconds + random.uniform(0, min(1.0, seconds / 10.0)))

    # -- conveniences ------------------------------------------------------

    def get(self, path, params=None, expect=dict):
        return self.request("GET", path, params=params, expect=expect)[1]

    def get_or_none(self, path, params=None, expect=dict):
        """GET that turns 404 into ``None`` (the resource does not exist)."""
        try:
            return self.get(path, params=params, expect=expect)
        except GitHubAPIError as err:
            if err.not_found:
                return None
            raise

    def exists(self, path):
        """True for 204/200, False for 404: for GitHub's "check" endpoints."""
        try:
            self.request("GET", path)
            return True
        except GitHubAPIError as err:
            if err.not_found:
                return False
            raise

    def iterate(self, path, params=None):
        """Yield the items of a list endpoint, following ``Link: rel="next"`` at 100 per page.

        A page is requested only when the caller asks for its first item, so a caller that stops
        early (see :meth:`find`) reads no further pages.
        """
        query = dict(params or {})
        query["per_page"] = PER_PAGE
        url = path
        while url:
            status, data, response = self.request("GET", url, params=query, expect=list)
            yield from data or []
            url = response.links.get("next", {}).get("url")
            if url and not _same_origin(url, self.base_url):
                # Never send the token to a host the user did not name.
                raise GitHubAPIError("GET", self._display_path(path), status=response.status_code,
                                     message="the next-page link points to another host (%s); not followed"
                                     % urlsplit(url).netloc)
            query = None  # the next link carries the query string

    def paginate(self, path, params=None):
        """Every item of a list endpoint, following ``Link: rel="next"`` at 100 per page."""
        return list(self.iterate(path, params=params))

    def find(self, path, predicate, params=None):
        """The first item of a list endpoint for which ``predicate(item)`` is true, or ``None``.

        Stops paginating at the page holding the item: it costs one request per 100 items up to it,
        and every page when there is no such item.
        """
        for item in self.iterate(path, params=params):
            if predicate(item):
                return item
        return None


def _same_origin(url, base_url):
    one, two = urlsplit(url), urlsplit(base_url)
    return (one.scheme, one.netloc.lower()) == (two.scheme, two.netloc.lower())


def _network_reason(exc, method="GET"):
    name = type(exc).__name__
    # After the retries requests raises ConnectionError wrapping urllib3's MaxRetryError; its reason tells a
    # read timeout from a dropped connection. A request urllib3 would not resend (a POST or PATCH that may have
    # reached the server) comes back as the bare error instead.
    first = exc.args[0] if exc.args else None
    retried = isinstance(first, MaxRetryError)
    cause = getattr(first, "reason", None)
    if isinstance(cause, ReadTimeoutError):
        name = type(cause).__name__
    if retried:
        after = ", after retries"
    elif method.upper() not in IDEMPOTENT_METHODS:
        after = ("; a %s is never sent twice, as GitHub may already have applied it: run again, the next run "
                 "reads the current state and converges" % method.upper())
    else:
        after = ""
    if isinstance(exc, requests.exceptions.Timeout) or isinstance(cause, ReadTimeoutError):
        return "no answer within the timeout (%s)%s" % (name, after)
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS error (%s); set validate_certs=false only for a server you trust" % name
    if isinstance(exc, requests.exceptions.ConnectionError):
        return "could not connect or the connection dropped (%s)%s" % (name, after)
    return "request failed (%s)" % name


def _lost_attempts(response):
    """Why earlier attempts of this request were retried, for those that may have reached GitHub.

    A read timeout, a dropped connection or a 5xx answer may come after GitHub applied the request; a
    connection that could not be opened never carried it.
    """
    retries = getattr(getattr(response, "raw", None), "retries", None)
    causes = []
    for entry in getattr(retries, "history", None) or ():
        if entry.status:
            if entry.status >= 500:
                causes.append("HTTP %s" % entry.status)
        elif entry.error is not None and not isinstance(entry.error, ConnectTimeoutError):
            causes.append(type(entry.error).__name__)
    return causes


def _is_html(response):
    content_type = (response.headers.get("Content-Type") or "").lower()
    if "html" in content_type:
        return True
    if "json" in content_type:
        return False
    return (response.content or b"").lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))


def _from_rest_api(response):
    """True for an answer of GitHub's REST API (its media-type header, or its JSON error body)."""
    if response.headers.get("X-GitHub-Media-Type"):
        return True
    try:
        data = response.json()
    except ValueError:
        return False
    return isinstance(data, dict) and "documentation_url" in data


def _message(response):
    try:
        data = response.json()
    except ValueError:
        return (response.text or "").strip()[:200] or response.reason or ""
    if isinstance(data, dict):
        return str(data.get("message") or "")
    return ""


def _decode(method, path, response):
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        raise GitHubAPIError(
            method, path, status=response.status_code,
            message="the response body is not valid JSON (content-type %s)" % response.headers.get(
                "Content-Type", "unknown"))


def _error_from_response(method, path, response):
    message = response.reason or "error"
    errors = []
    documentation_url = None
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        message = data.get("message") or message
        errors = data.get("errors") or []
        if not isinstance(errors, list):
            errors = [errors]
        documentation_url = data.get("documentation_url")
    return GitHubAPIError(method, path, status=response.status_code, message=message, errors=errors,
                          documentation_url=documentation_url, headers=response.headers)
