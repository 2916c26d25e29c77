"""The repository role model and reader (plugins/module_utils/_repository.py), in-process.

The pure functions of the role model directly; ``Repository`` on a GitHubModule built from the
options ``owner``/``repo`` (``base_module`` of tests/unit/conftest.py), talking to the scripted server.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.orgcode.github.plugins.module_utils import _repository as repo_utils
from ansible_collections.orgcode.github.plugins.module_utils.github_module import ModuleFailure

API = {"X-GitHub-Media-Type": "github.v3; format=json"}  # GitHub's REST API, not a web page
NOT_FOUND = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}
SPEC = dict(owner=dict(type="str"), repo=dict(type="str"))


@pytest.mark.parametrize("given, normal", [
    ("pull", "read"), ("PUSH", "write"), (" Maintain ", "maintain"), ("admin", "admin"),
    ("security-auditor", "security-auditor"), ("Security-Auditor", "Security-Auditor"), (None, ""),
])
def test_normalize_role(given, normal):
    assert repo_utils.normalize_role(given) == normal


@pytest.mark.parametrize("role, legacy, level", [
    (None, None, 0), ("none", None, 0), ("read", None, 1), ("TRIAGE", None, 2), ("admin", None, 5),
    ("security-auditor", "write", 3.5), ("security-auditor", "read", 1.5), ("security-auditor", None, None),
])
def test_rank_puts_a_custom_role_just_above_its_base(role, legacy, level):
    assert repo_utils.rank(role, legacy) == level


@pytest.mark.parametrize("role, legacy, wanted, covered", [
    ("maintain", "write", "write", True),
    ("triage", "read", "write", False),
    ("admin", "admin", "security-auditor", True),  # only admin surely includes a custom role
    ("maintain", "write", "security-auditor", False),
    ("Security-Auditor", "write", "security-auditor", True),  # the same role, whatever the case
    ("security-auditor", "write", "triage", True),  # 3.5 >= 2
    ("security-auditor", "write", "maintain", False),
    ("mystery", None, "read", False),  # an unknown level covers nothing
    ("none", "none", "read", False),
])
def test_covers(role, legacy, wanted, covered):
    assert repo_utils.covers(role, legacy, wanted) is covered


@pytest.mark.parametrize("flags, legacy", [
    ({"admin": True, "push": True, "pull": True}, "admin"), ({"push": True, "pull": True}, "write"),
    ({"pull": True}, "read"), ({}, "none"), (None, "none"),
])
def test_legacy_of(flags, legacy):
    assert repo_utils.legacy_of(flags) == legacy


@pytest.mark.parametrize("entry, role", [
    ({"role_name": "security-auditor", "permissions": {"push": True}}, "security-auditor"),
    ({"permissions": {"maintain": True, "push": True, "triage": True, "pull": True}}, "maintain"),
    ({"permissions": {"push": True, "triage": True, "pull": True}}, "write"),
    ({"permissions": {"triage": True, "pull": True}}, "triage"),
    ({"permissions": {"pull": True}}, "read"),
    ({}, "none"),
])
def test_role_of_a_list_entry(entry, role):
    assert repo_utils.role_of(entry) == role


@pytest.mark.parametrize("role, body", [
    ("read", {"permission": "pull"}), ("write", {"permission": "push"}), ("maintain", {"permission": "maintain"}),
    ("security-auditor", {"permission": "security-auditor"}),
])
def test_put_body_speaks_githubs_vocabulary(role, body):
    assert repo_utils.put_body(role) == body


def test_access_and_invited_results():
    assert repo_utils.access("Erin", "maintain", source="direct") == {
        "username": "Erin", "role_name": "maintain", "permission": "write", "pending": False, "source": "direct"}
    assert repo_utils.access("erin", None) == {"username": "erin", "role_name": "none", "permission": "none",
                                               "pending": False}
    invitation = {"id": 7, "permissions": "write", "invitee": {"login": "Frank"}}
    assert repo_utils.invitee(invitation) == "Frank"
    assert repo_utils.invited("Frank", invitation) == {
        "username": "Frank", "role_name": "write", "permission": "write", "pending": True, "invitation_id": 7,
        "source": "invitation"}
    # GitHub shows an invitation's role as a built-in one: the custom role just sent is reported instead.
    assert repo_utils.invited("Frank", invitation, custom="security-auditor")["role_name"] == "security-auditor"


@pytest.fixture
def repository(base_module):
    """``repository(owner="acme", repo="widgets", **options)``: a Repository on the scripted server."""

    def make(owner="acme", repo="widgets", **options):
        return repo_utils.Repository(base_module(spec=SPEC, owner=owner, repo=repo, **options))

    return make


@pytest.mark.parametrize("name", [".", "..", "widgets/../orgs", "a b", "x" * 101, ""])
def test_a_bad_repository_name_is_refused_before_any_request(repository, server, name):
    with pytest.raises(ModuleFailure) as info:
        repository(repo=name)
    assert info.value.msg.startswith("repo: %r is not a valid repository name" % name)
    assert server.requests == []


def test_a_ghes_api_url_is_recognised(repository, server):
    assert repository().ghes is False
    assert repository(api_url=server.url + "/api/v3").ghes is True


def test_custom_roles_are_read_once(repository, server):
    server.reply(200, {"total_count": 2, "custom_roles": [{"id": 1, "name": "Security-Auditor"},
                                                          {"id": 2, "name": "release-manager"}]})
    repo = repository()
    assert repo.custom_roles() == ["Security-Auditor", "release-manager"]
    assert repo.custom_roles() == ["Security-Auditor", "release-manager"]
    assert [r.path for r in server.requests] == ["/orgs/acme/custom-repository-roles"]


def test_custom_roles_of_an_organization_without_the_feature_or_of_a_user(repository, server):
    server.reply(404, NOT_FOUND, headers=API)  # custom-repository-roles
    server.reply(200, {"login": "acme"})  # GET /orgs/acme: an organization without custom roles
    assert repository().custom_roles() == []
    server.reply(404, NOT_FOUND, headers=API)
    server.reply(404, NOT_FOUND, headers=API)  # no organization: a user owns the repository
    assert repository(owner="octocat").custom_roles() is None


def test_custom_roles_refused_fail_naming_permission(repository, server):
    server.reply(403, {"message": "Must have admin rights to Repository."}, headers=API)
    with pytest.raises(ModuleFailure) as info:
        repository().custom_roles()
    assert info.value.msg.startswith("permission: cannot check custom repository role names: GitHub refused to "
                                     "list the custom repository roles of acme")
    assert info.value.result["status"] == 403


def test_check_roles_costs_nothing_for_built_in_roles(repository, server):
    assert repository().check_roles([("permission", "read"), ("collaborators[1].permission", "admin")]) == {}
    assert server.requests == []


def test_check_roles_maps_custom_names_to_githubs_spelling(repository, server):
    server.reply(200, {"custom_roles": [{"name": "Security-Auditor"}]})
    assert repository().check_roles([("permission", "security-auditor")]) == {"security-auditor": "Security-Auditor"}


def test_check_roles_names_every_unknown_role_and_the_known_ones(repository, server):
    server.reply(200, {"custom_roles": [{"name": "security-auditor"}]})
    with pytest.raises(ModuleFailure) as info:
        repository().check_roles([("collaborators[0].permission", "auditor"), ("collaborators[3].permission", "x")])
    assert info.value.msg.startswith("collaborators[0].permission: 'auditor'; collaborators[3].permission: 'x': "
                                     "neither a built-in role (pull, triage, push, maintain, admin) nor a custom "
                                     "repository role of organization acme (its custom roles: security-auditor)")
    assert info.value.result["valid_roles"] == ["pull", "triage", "push", "maintain", "admin", "security-auditor"]


def test_check_roles_of_an_organization_with_none_or_a_users_repository(repository, server):
    server.reply(200, {"custom_roles": []})
    with pytest.raises(ModuleFailure) as info:
        repository().check_roles([("permission", "auditor")])
    assert info.value.msg.endswith("(it has none)")
    server.reply(404, NOT_FOUND, headers=API)
    server.reply(404, NOT_FOUND, headers=API)
    with pytest.raises(ModuleFailure) as info:
        repository(owner="octocat").check_roles([("permission", "auditor")])
    assert info.value.msg == ("permission: 'auditor': not a built-in role (pull, triage, push, maintain, admin); "
                              "octocat/widgets belongs to a user account, whose repositories accept only the "
                              "built-in roles")


def test_owners_of_a_users_repository_are_none_and_the_organization_is_not_read_again(repository, server):
    server.reply(404, NOT_FOUND, headers=API)
    repo = repository(owner="octocat")
    assert repo.owners() == set() and repo.organization() is None
    assert [r.path for r in server.requests] == ["/orgs/octocat/members"]


def test_owners_are_read_once_100_per_page(repository, server):
    server.reply(200, [{"login": "Octo-Admin"}, {"login": "second"}])
    repo = repository()
    assert repo.owners() == {"octo-admin", "second"} == repo.owners()
    assert len(server.requests) == 1 and server.requests[0].query == {"role": "admin", "per_page": "100"}


@pytest.mark.parametrize("membership, direct", [
    ({"state": "active", "role": "member"}, True),
    ({"state": "pending", "role": "member"}, False),
])
def test_would_grant_directly_to_an_active_member_only(repository, server, membership, direct):
    server.reply(200, membership)
    assert repository().would_grant_directly("erin", inherited=False) is direct


def test_would_grant_directly_without_asking_on_ghes_or_with_inherited_access(repository, server):
    assert repository(api_url=server.url + "/api/v3").would_grant_directly("erin", inherited=False) is True
    assert repository().would_grant_directly("erin", inherited=True) is True
    assert server.requests == []


def test_organization_gives_through_ownership_or_the_base_permission(repository, server):
    server.reply(200, {"state": "active", "role": "admin"})
    assert repository().organization_gives("octo-admin", "admin", "admin") is True
    server.reply(200, {"state": "active", "role": "member"})  # membership
    server.reply(200, {"login": "acme", "default_repository_permission": "read"})  # the organization
    repo = repository()
    assert repo.organization_gives("bob", "read", "read") is True
    server.reply(200, {"state": "active", "role": "member"})  # the organization is read once, not this
    assert repo.organization_gives("bob", "write", "write") is False  # the base is read
    assert [r.path for r in server.requests].count("/orgs/acme") == 1
    server.reply(200, {"state": "pending", "role": "member"})
    assert repository().organization_gives("carol", "read", "read") is False
