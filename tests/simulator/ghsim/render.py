"""Representations shared by several resource families (users, organizations, repositories)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .common import Urls, node_id

if TYPE_CHECKING:
    from .state import State


def simple_user(u: dict, urls: Urls) -> dict:
    login = u["login"]
    api = f"{urls.api}/users/{login}"
    return {
        "login": login,
        "id": u["id"],
        "node_id": node_id("Organization" if u["type"] == "Organization" else "User", u["id"]),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{u['id']}?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": f"{urls.web}/{login}",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": u["type"],
        "user_view_type": "public",
        "site_admin": u["site_admin"],
    }


def public_user(u: dict, urls: Urls) -> dict:
    body = simple_user(u, urls)
    body.update({
        "name": u["name"], "company": u["company"], "blog": u["blog"] or "", "location": u["location"],
        "email": u["email"], "hireable": None, "bio": u["bio"], "twitter_username": None,
        "public_repos": 0, "public_gists": 0, "followers": 0, "following": 0,
        "created_at": u["created_at"], "updated_at": u["created_at"],
    })
    return body


def private_user(u: dict, urls: Urls) -> dict:
    body = public_user(u, urls)
    body.update({
        "user_view_type": "private", "notification_email": u["email"], "private_gists": 0,
        "total_private_repos": 0, "owned_private_repos": 0, "disk_usage": 0, "collaborators": 0,
        "two_factor_authentication": u["two_factor"] != "disabled",
        "plan": {"name": "free", "space": 976562499, "collaborators": 0, "private_repos": 10000},
    })
    return body


def org_simple(org: dict, urls: Urls) -> dict:
    login = org["login"]
    api = f"{urls.api}/orgs/{login}"
    return {
        "login": login,
        "id": org["id"],
        "node_id": node_id("Organization", org["id"]),
        "url": api,
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events",
        "hooks_url": f"{api}/hooks",
        "issues_url": f"{api}/issues",
        "members_url": f"{api}/members{{/member}}",
        "public_members_url": f"{api}/public_members{{/member}}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{org['id']}?v=4",
        "description": org["settings"].get("description"),
    }


def repo_urls(state: State, repo: dict, urls: Urls) -> dict:
    owner = state.users[repo["owner"]]
    full = f"{owner['login']}/{repo['name']}"
    api = f"{urls.api}/repos/{full}"
    host = urls.web.split("://", 1)[1]
    return {
        "id": repo["id"],
        "node_id": node_id("Repository", repo["id"]),
        "name": repo["name"],
        "full_name": full,
        "owner": simple_user(owner, urls),
        "private": repo["private"],
        "html_url": f"{urls.web}/{full}",
        "description": repo["description"],
        "fork": repo["fork"],
        "url": api,
        "archive_url": f"{api}/{{archive_format}}{{/ref}}",
        "assignees_url": f"{api}/assignees{{/user}}",
        "blobs_url": f"{api}/git/blobs{{/sha}}",
        "branches_url": f"{api}/branches{{/branch}}",
        "collaborators_url": f"{api}/collaborators{{/collaborator}}",
        "comments_url": f"{api}/comments{{/number}}",
        "commits_url": f"{api}/commits{{/sha}}",
        "compare_url": f"{api}/compare/{{base}}...{{head}}",
        "contents_url": f"{api}/contents/{{+path}}",
        "contributors_url": f"{api}/contributors",
        "deployments_url": f"{api}/deployments",
        "downloads_url": f"{api}/downloads",
        "events_url": f"{api}/events",
        "forks_url": f"{api}/forks",
        "git_commits_url": f"{api}/git/commits{{/sha}}",
        "git_refs_url": f"{api}/git/refs{{/sha}}",
        "git_tags_url": f"{api}/git/tags{{/sha}}",
        "git_url": f"git://{host}/{full}.git",
        "issue_comment_url": f"{api}/issues/comments{{/number}}",
        "issue_events_url": f"{api}/issues/events{{/number}}",
        "issues_url": f"{api}/issues{{/number}}",
        "keys_url": f"{api}/keys{{/key_id}}",
        "labels_url": f"{api}/labels{{/name}}",
        "languages_url": f"{api}/languages",
        "merges_url": f"{api}/merges",
        "milestones_url": f"{api}/milestones{{/number}}",
        "notifications_url": f"{api}/notifications{{?since,all,participating}}",
        "pulls_url": f"{api}/pulls{{/number}}",
        "releases_url": f"{api}/releases{{/id}}",
        "ssh_url": f"git@{host}:{full}.git",
        "stargazers_url": f"{api}/stargazers",
        "statuses_url": f"{api}/statuses/{{sha}}",
        "subscribers_url": f"{api}/subscribers",
        "subscription_url": f"{api}/subscription",
        "tags_url": f"{api}/tags",
        "teams_url": f"{api}/teams",
        "trees_url": f"{api}/git/trees{{/sha}}",
        "hooks_url": f"{api}/hooks",
        "clone_url": f"{urls.web}/{full}.git",
        "svn_url": f"{urls.web}/{full}",
        "mirror_url": None,
        "homepage": None,
        "language": None,
        "visibility": "internal" if repo["internal"] else "private" if repo["private"] else "public",
        "created_at": repo["created_at"],
        "updated_at": repo["created_at"],
        "pushed_at": repo["created_at"],
    }
