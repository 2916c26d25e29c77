"""The organization object's fields: which ones PATCH accepts, which only owners see, their defaults."""

from __future__ import annotations

import datetime as _dt

ORG_STRING_FIELDS = (
    "billing_email", "company", "email", "twitter_username", "location", "name", "description", "blog",
    "secret_scanning_push_protection_custom_link",
)
ORG_PATCH_BOOL_FIELDS = (
    "has_organization_projects", "has_repository_projects", "members_can_create_repositories",
    "members_can_create_internal_repositories", "members_can_create_private_repositories",
    "members_can_create_public_repositories", "members_can_create_pages", "members_can_create_public_pages",
    "members_can_create_private_pages", "members_can_fork_private_repositories", "web_commit_signoff_required",
    "advanced_security_enabled_for_new_repositories", "dependabot_alerts_enabled_for_new_repositories",
    "dependabot_security_updates_enabled_for_new_repositories", "dependency_graph_enabled_for_new_repositories",
    "secret_scanning_enabled_for_new_repositories",
    "secret_scanning_push_protection_enabled_for_new_repositories",
    "secret_scanning_push_protection_custom_link_enabled", "deploy_keys_enabled_for_repositories",
)
# Boolean fields GET /orgs/{org} reports that the PATCH body does not document (a state file may set them).
ORG_READONLY_BOOL_FIELDS = (
    "members_can_delete_repositories", "members_can_change_repo_visibility",
    "members_can_invite_outside_collaborators", "members_can_delete_issues",
    "display_commenter_full_name_setting_enabled", "readers_can_create_discussions", "members_can_create_teams",
    "members_can_view_dependency_insights", "two_factor_requirement_enabled", "is_verified",
)
ORG_BOOL_FIELDS = ORG_PATCH_BOOL_FIELDS + ORG_READONLY_BOOL_FIELDS
ORG_ENUM_FIELDS = {
    "default_repository_permission": ("read", "write", "admin", "none"),
    "members_allowed_repository_creation_type": ("all", "private", "none"),
}
# Fields accepted by PATCH /orgs/{org} (the documented request body).
ORG_WRITABLE = set(ORG_STRING_FIELDS) | set(ORG_PATCH_BOOL_FIELDS) | set(ORG_ENUM_FIELDS)
# Fields only an owner sees in GET /orgs/{org}.
ORG_OWNER_ONLY = {
    "billing_email", "default_repository_permission", "members_allowed_repository_creation_type",
    "two_factor_requirement_enabled", "total_private_repos", "owned_private_repos", "private_gists",
    "disk_usage", "collaborators", "plan", "default_repository_branch",
} | {f for f in ORG_BOOL_FIELDS if f.startswith("members_can_") or f.endswith("_for_new_repositories")} | {
    "web_commit_signoff_required", "secret_scanning_push_protection_custom_link_enabled",
    "secret_scanning_push_protection_custom_link", "deploy_keys_enabled_for_repositories",
    "display_commenter_full_name_setting_enabled", "readers_can_create_discussions",
}
ORG_DEFAULTS = {
    "description": None,
    "company": None,
    "blog": "",
    "location": None,
    "email": None,
    "twitter_username": None,
    "billing_email": None,
    "is_verified": False,
    "has_organization_projects": True,
    "has_repository_projects": True,
    "default_repository_permission": "read",
    "default_repository_branch": "main",
    "members_can_create_repositories": True,
    "two_factor_requirement_enabled": False,
    "members_allowed_repository_creation_type": "all",
    "members_can_create_public_repositories": True,
    "members_can_create_private_repositories": True,
    "members_can_create_internal_repositories": False,
    "members_can_create_pages": True,
    "members_can_create_public_pages": True,
    "members_can_create_private_pages": True,
    "members_can_delete_repositories": True,
    "members_can_change_repo_visibility": True,
    "members_can_invite_outside_collaborators": True,
    "members_can_delete_issues": False,
    "display_commenter_full_name_setting_enabled": False,
    "readers_can_create_discussions": True,
    "members_can_create_teams": True,
    "members_can_view_dependency_insights": True,
    "members_can_fork_private_repositories": False,
    "web_commit_signoff_required": False,
    "advanced_security_enabled_for_new_repositories": False,
    "dependabot_alerts_enabled_for_new_repositories": False,
    "dependabot_security_updates_enabled_for_new_repositories": False,
    "dependency_graph_enabled_for_new_repositories": False,
    "secret_scanning_enabled_for_new_repositories": False,
    "secret_scanning_push_protection_enabled_for_new_repositories": False,
    "secret_scanning_push_protection_custom_link_enabled": False,
    "secret_scanning_push_protection_custom_link": None,
    "deploy_keys_enabled_for_repositories": True,
}
# Org invitations expire after 7 days on GitHub and then show up in the
# "failed invitations" list with failed_reason "Invitation expired" (GitHub's
# UI and GET /orgs/{org}/failed_invitations), not in the pending list.
ORG_INVITATION_TTL = _dt.timedelta(days=7)
