# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to orgcode.github, not a public API: names and behaviour may change in any release.

"""The schema of an organization description: the keys, types and choices of each section"s entries.

github_org_config checks its ``config`` against it, and the role its ``org_config_<section>`` variables (through
the filter orgcode.github.org_config_plan), with module_utils/_spec.py, naming positions
(``config.teams[3].members[1].rol: unknown key; did you mean role?``). roles/org_config/meta/argument_specs.yml
documents the same options; tests/unit/plugins/module_utils/test__schema.py keeps the two equal.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.orgcode.github.plugins.module_utils._spec import check_value

SECTIONS = {
    "settings": {
        "type": "dict",
        "options": {
            "name": {"type": "str"},
            "description": {"type": "str"},
            "company": {"type": "str"},
            "email": {"type": "str"},
            "billing_email": {"type": "str"},
            "location": {"type": "str"},
            "blog": {"type": "str"},
            "twitter_username": {"type": "str"},
            "has_organization_projects": {"type": "bool"},
            "has_repository_projects": {"type": "bool"},
            "default_repository_permission": {"type": "str", "choices": ["read", "write", "admin", "none"]},
            "members_can_create_repositories": {"type": "bool"},
            "members_can_create_public_repositories": {"type": "bool"},
            "members_can_create_private_repositories": {"type": "bool"},
            "members_can_create_internal_repositories": {"type": "bool"},
            "members_can_create_pages": {"type": "bool"},
            "members_can_create_public_pages": {"type": "bool"},
            "members_can_create_private_pages": {"type": "bool"},
            "members_can_fork_private_repositories": {"type": "bool"},
            "web_commit_signoff_required": {"type": "bool"},
            "deploy_keys_enabled_for_repositories": {"type": "bool"},
            "secret_scanning_push_protection_custom_link_enabled": {"type": "bool"},
            "secret_scanning_push_protection_custom_link": {"type": "str"},
        },
    },
    "members": {
        "type": "list",
        "options": {
            "login": {"type": "str", "required": True},
            "role": {"type": "str", "choices": ["member", "admin"], "default": "member"},
            "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
        },
        "elements": "dict",
    },
    "outside_collaborators": {
        "type": "list",
        "options": {
            "login": {"type": "str", "required": True},
            "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
        },
        "elements": "dict",
    },
    "teams": {
        "type": "list",
        "options": {
            "name": {"type": "str"},
            "slug": {"type": "str"},
            "description": {"type": "str"},
            "privacy": {"type": "str", "choices": ["closed", "secret"]},
            "notification_setting": {"type": "str", "choices": ["notifications_enabled", "notifications_disabled"]},
            "parent_team": {"type": "str"},
            "members": {
                "type": "list",
                "elements": "dict",
                "options": {
                    "login": {"type": "str", "required": True},
                    "role": {"type": "str", "choices": ["member", "maintainer"], "default": "member"},
                },
            },
            "repositories": {
                "type": "list",
                "elements": "dict",
                "options": {
                    "name": {"type": "str", "required": True},
                    "permission": {"type": "str", "default": "push"},
                },
            },
            "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
        },
        "elements": "dict",
    },
    "hooks": {
        "type": "list",
        "options": {
            "url": {"type": "str", "required": True},
            "hook_id": {"type": "int"},
            "events": {"type": "list", "elements": "str", "default": ["push"]},
            "content_type": {"type": "str", "choices": ["json", "form"], "default": "json"},
            "secret": {"type": "str", "no_log": True},
            "update_secret": {"type": "str", "choices": ["on_create", "always"], "default": "on_create"},
            "insecure_ssl": {"type": "bool", "default": False},
            "active": {"type": "bool", "default": True},
            "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
        },
        "elements": "dict",
    },
    "repo_collaborators": {
        "type": "list",
        "options": {
            "repo": {"type": "str", "required": True},
            "login": {"type": "str", "required": True},
            "permission": {"type": "str", "default": "push"},
            "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
        },
        "elements": "dict",
    },
}


def check_sections(sections, prefix):
    """The errors of ``sections`` (``{section: value}``, None: not given), each named ``<prefix><section>...``."""
    errors = []
    for name, option in SECTIONS.items():
        if sections.get(name) is not None:
            errors.extend(check_value(sections[name], option, prefix + name))
    return errors
