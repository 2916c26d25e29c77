# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the role orgcode.github.org_config: its validation and set logic, in linear time.

The role used to do this in Jinja, where "is this key listed twice" and "is this login in that list" cost
O(N^2) for N members (55 s of a 76 s run at 1,020 members). Here every check is one pass with dictionaries.
Nothing in here sends a request; messages name the user's own variables and list positions
(``org_config_members[2].login``) and never contain a webhook secret.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.orgcode.github.plugins.module_utils._description import (
    Names, _check_login, _text, validate)
from ansible_collections.orgcode.github.plugins.module_utils._rules import REPO_RE, login_key
from ansible_collections.orgcode.github.plugins.module_utils._schema import check_sections


def org_config_plan(description):
    """Validate the role's whole description (module_utils/_description.py, the validator github_org_config uses
    too) with the role's names (``org_config_members[2].login``); ``errors`` is empty when it is valid."""
    if not isinstance(description, dict):
        raise AnsibleFilterError("org_config_plan expects a dictionary, got %s" % type(description).__name__)
    # keys and types of the list entries (meta/argument_specs.yml leaves out their "elements: dict", so that
    # Ansible's own check, which cannot name the position, stops at "a list"), naming positions
    sections = dict((key, description.get(field)) for field, key in (
        ("members", "members"), ("outside", "outside_collaborators"), ("hooks", "hooks"),
        ("repo_collaborators", "repo_collaborators"), ("teams", "teams")))
    errors = check_sections(sections, "org_config_")
    if errors:
        return dict(errors=errors)
    return validate(description, Names("org_config_"))


def org_config_offboard(login, org, repositories=None):
    """Check the input of playbooks/offboard.yml the way the role checks its own (no request).

    Returns ``errors``, the ``login`` and ``org`` without a leading ``@``, and ``repos``: the repository names
    (``NAME`` or ``ORG/NAME`` with ``org`` as ORG, as the role accepts them), or None when no list was given.
    """
    errors = []
    org_login = _check_login(errors, "offboard_org", org)
    user = _check_login(errors, "offboard_login", login)
    names = None
    if repositories is not None:
        names, seen = [], set()
        if not isinstance(repositories, list):
            errors.append("offboard_repositories must be a list of repository names, got %r" % (repositories,))
            repositories = []
        for index, raw in enumerate(repositories):
            where = "offboard_repositories[%d]" % index
            text = _text(raw).strip()
            name = text
            if "/" in text:
                owner, _sep, name = text.partition("/")
                if org_login is not None and login_key(owner) != login_key(org_login):
                    errors.append("%s: %r is not a repository of %s; give the repository's name (or %s/NAME)"
                                  % (where, raw, org_login, org_login))
                    continue
            if not REPO_RE.match(name) or name in (".", ".."):
                errors.append("%s: %r is not a valid repository name (letters, digits, '.', '-' and '_', at most "
                              "100 characters)" % (where, raw))
                continue
            if name.lower() not in seen:
                seen.add(name.lower())
                names.append(name)
    return dict(errors=errors, login=user, org=org_login, repos=names)


class FilterModule(object):
    def filters(self):
        return {
            "org_config_plan": org_config_plan,
            "org_config_offboard": org_config_offboard,
        }
