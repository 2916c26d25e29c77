# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to orgcode.github, not a public API: it may change at any time.
# Do not use it from other collections or from your own modules.

"""github_outside_collaborator: convert a member, or remove an outside collaborator."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.orgcode.github.plugins.module_utils.github_client import GitHubAPIError
from ansible_collections.orgcode.github.plugins.module_utils.github_module import login_key


def summary(login, outside, member_role=None):
    """What the diff shows: the user's standing in the organization."""
    if outside:
        standing = "outside collaborator"
    elif member_role:
        standing = "member (%s)" % member_role
    else:
        standing = "none"
    return dict(login=login, outside_collaborator=bool(outside), organization=standing)


def find_outside_collaborator(gh, org, username):
    """The outside collaborator ``username`` of ``org`` (GitHub's user object) or None.

    Reads the list up to the page holding the user: there is no single-user read.
    """
    key = login_key(username)
    try:
        return gh.client.find("/orgs/%s/outside_collaborators" % org,
                              lambda user: login_key(user.get("login")) == key)
    except GitHubAPIError as err:
        if err.not_found:
            gh.require_found(org=org)
        raise


def _unchanged(gh, login, outside, role=None, user=None):
    standing = summary(login, outside, role)
    result = dict(outside_collaborator=bool(outside))
    if user is not None:
        result["user"] = user
    return gh.result(changed=False, before=standing, after=standing, **result)


def _converted_by_lost_attempt(gh, org, login, err):
    """True when a conversion GitHub refused on a retry was done by the attempt whose answer was lost.

    The retry of a conversion that GitHub already applied is refused with 403 ("not a member"): the user
    is then an outside collaborator, which one more read confirms.
    """
    if err.status != 403 or not err.lost_attempts:
        return False
    if find_outside_collaborator(gh, org, login) is None:
        return False
    gh.client.events.append("PUT /orgs/%s/outside_collaborators/%s: the answer was lost (%s) and the retry was "
                            "refused (HTTP 403: %s); %s is an outside collaborator now, so the first attempt did "
                            "it" % (org, login, ", ".join(err.lost_attempts), err.message, login))
    return True


def convert(gh, org, username, membership):
    user = membership.get("user") or {}
    login = user.get("login") or username
    before = summary(login, False, membership.get("role"))
    gh.guard_last_owner(org, membership, "convert")
    path = "/orgs/%s/outside_collaborators/%s" % (org, login)
    try:
        status, _data = gh.write("PUT", path, body={"async": gh.params["async"]})
    except GitHubAPIError as err:
        if _converted_by_lost_attempt(gh, org, login, err):
            status = 202 if gh.params["async"] else 204
        elif err.status == 403 and not err.rate_limited:
            scopes = err.scopes_hint()
            raise gh.failure(
                "username: GitHub refused to convert %s to an outside collaborator of %s (HTTP 403: %s). "
                "GitHub refuses this for the organization's last owner, for a user who is not a member, "
                "and where an enterprise policy restricts who may add outside collaborators; the token "
                "must also belong to an organization owner%s" % (login, org, err.message,
                                                                 ". " + scopes if scopes else ""),
                **err.to_result())
        else:
            raise
    if status is None:  # check mode: what GitHub would answer
        status = 202 if gh.params["async"] else 204
    return gh.result(changed=True, before=before, after=summary(login, True), outside_collaborator=True,
                     user=user, conversion="queued" if status == 202 else "completed")


def manage(gh):
    org = gh.login("org")
    username = gh.login("username")
    present = gh.params["state"] == "present"

    membership = gh.client.get_or_none("/orgs/%s/memberships/%s" % (org, username))
    if membership is not None and membership.get("state") == "active":
        if present:
            return convert(gh, org, username, membership)
        # A member is not an outside collaborator: nothing to remove (GitHub would answer 422).
        user = membership.get("user") or {}
        return _unchanged(gh, user.get("login") or username, False, membership.get("role"), user)

    user = find_outside_collaborator(gh, org, username)
    if user is not None:
        login = user.get("login") or username
        if present:
            return _unchanged(gh, login, True, user=user)
        gh.write("DELETE", "/orgs/%s/outside_collaborators/%s" % (org, login))
        return gh.result(changed=True, before=summary(login, True), after=summary(login, False),
                         outside_collaborator=False, user=user)

    if not present:
        return _unchanged(gh, username, False)

    found = gh.require_found(username=username)
    login = (found or {}).get("login") or username
    invited = " (they have a pending invitation to join it, which does not count)" if membership else ""
    raise gh.failure(
        "username: %s is neither a member nor an outside collaborator of organization %s%s. GitHub makes a "
        "user an outside collaborator when they get access to one of the organization's repositories: "
        "grant it with orgcode.github.github_repo_collaborator" % (login, org, invited))
