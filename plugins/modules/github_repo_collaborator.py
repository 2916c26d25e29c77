#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: github_repo_collaborator
short_description: Manage a user's access to a GitHub repository, invitations included
version_added: 0.1.0
description:
  - Gives a user access to a repository with a role, changes the role, or removes the access, through
    C(/repos/{owner}/{repo}/collaborators/{username}) and C(/repos/{owner}/{repo}/invitations).
  - On github.com and GHE.com a user outside the organization gets an invitation (HTTP 201) and has
    access once they accept it. A pending invitation counts as present; a different O(permission)
    updates it in place (C(PATCH .../invitations/{id})), never by a second invitation. An expired
    invitation counts as absent and is replaced (the expired one is deleted, then a new one is sent).
  - An organization member, and any user on GitHub Enterprise Server, gets access directly (HTTP 204,
    no invitation). The module follows the server's answer.
  - An existing collaborator whose role differs is changed in place with the same C(PUT), never
    removed and re-added.
  - Current access is read from C(GET .../collaborators/{username}/permission) (C(role_name), the
    highest role from every source, and the legacy C(permission)); the direct collaborators list
    (C(affiliation=direct)) and the invitation list are read only when needed to tell a direct
    grant or a pending invitation from access through the organization.
  - "Request costs: an unchanged run costs 1 request when the user's C(role_name) already equals
    O(permission) (2 for O(permission=pull), see the notes). Otherwise the module also reads the
    direct collaborators list, 100 per page, up to the page holding the user (skipped when the user
    has no access at all), then, for a user without a direct grant and without enough access, the
    invitation list up to the page holding the invitation. Lowering an organization member's direct
    grant also reads the membership and the organization (2 requests), then, when they do not explain
    the role, the repository's teams (1 + one membership read per team with access, see the notes);
    so does access without a direct grant that reaches O(permission). A change adds its write and,
    after a direct grant, one read of the resulting role (plus the teams when that role is still higher).
    In check mode, predicting whether GitHub
    would invite or grant directly may cost one membership read."
  - O(state=absent) reads the direct collaborators list (up to the user's page) and, when the user is
    not there, the invitation list; it removes the direct grant or cancels the pending invitation.
  - With O(collaborators), the repository's whole list of direct collaborators is reconciled in one task
    (authoritative mode, see O(collaborators), O(exclusive) and the notes). It reads the direct
    collaborators (C(affiliation=direct)) and the invitations once each, 100 per page, and writes only
    what differs, one write at a time O(write_delay) seconds apart.
  - Needs a token with admin rights on the repository (classic tokens need the C(repo) scope and, to
    read memberships, C(read:org)).
author:
  - orgcode.github maintainers (@orgcode)
extends_documentation_fragment:
  - orgcode.github.github
  - orgcode.github.github.list_mode
  - orgcode.github.attributes
options:
  owner:
    description: Login of the organization (or user) that owns the repository.
    type: str
    required: true
    aliases: [org]
  repo:
    description: Name of the repository. Not case-sensitive.
    type: str
    required: true
  username:
    description:
      - Login of the user. Compared case-insensitively; a leading C(@) is ignored.
      - Exactly one of O(username) and O(collaborators) is required.
    type: str
  permission:
    description:
      - For O(username). The role to give, C(pull), C(triage), C(push), C(maintain) or C(admin), or the
        name of a custom repository role of the organization. C(push) when not set.
      - C(read) and C(write), the names GitHub's C(role_name) uses, are accepted for C(pull) and C(push).
      - With O(state=present) it means "at least this access", see the notes.
      - Not allowed with O(collaborators); each entry there has its own C(permission).
    type: str
  state:
    description:
      - For O(username). C(present) gives the user (at least) O(permission), inviting them where GitHub
        requires it.
      - C(absent) removes the user's direct access, or cancels their pending invitation. Access through
        organization ownership, the base permission or teams is not touched (manage it with
        M(orgcode.github.github_org_membership)).
      - O(state=absent) is not allowed with O(collaborators); use O(exclusive=true) to remove unlisted users.
    type: str
    choices: [present, absent]
    default: present
  collaborators:
    description:
      - The repository's collaborator list, reconciled in one task (authoritative mode).
      - A listed login without a direct grant or a pending invitation gets access with C(PUT)
        (an invitation on github.com and GHE.com for a user outside the organization, a direct grant for
        an organization member and on GitHub Enterprise Server), unless the organization already gives
        them at least the permission (see the notes). A direct collaborator whose role differs is changed
        in place; a pending invitation whose permission differs is updated in place (C(PATCH)), never sent
        twice; an expired invitation counts as absent and is replaced (deleted, then sent again).
      - Direct collaborators and pending invitations that are not listed are left alone unless
        O(exclusive=true), which removes their direct access and cancels their invitations. Access through
        the organization (ownership, base permission, teams) stays; organization owners and the
        authenticated user are never removed (they are reported in RV(kept)). Expired invitations of
        unlisted logins are reported in RV(expired_invitations), not counted or cancelled.
      - An empty list with O(exclusive=true) removes every direct collaborator (within O(max_removals)).
      - Before the first write, every listed login without a direct grant or a pending invitation is
        confirmed to exist (its permission read, which the plan needs anyway), and every permission that
        is not a built-in role is checked against the organization's custom repository roles.
    type: list
    elements: dict
    suboptions:
      login:
        description: Login of the user (case-insensitive, a leading C(@) is ignored).
        type: str
        required: true
        aliases: [username]
      permission:
        description:
          - C(pull), C(triage), C(push), C(maintain), C(admin) or a custom repository role name (C(read) and
            C(write) are accepted for C(pull) and C(push)); "at least this access", as for O(permission).
        type: str
        default: push
notes:
  - "Access through the organization: GitHub's C(role_name) is the highest role from every source
    (direct grant, teams, base permission, organization ownership) and the REST API cannot tell them
    apart. O(state=present) therefore means the user has at least O(permission): a user without a
    direct grant whose role already reaches it through the organization (an owner, the base
    permission or a team) is left unchanged, with C(collaborator.source=organization); one whose role
    is lower gets a direct grant. A direct grant that differs from O(permission) is set to it."
  - "A direct grant hidden behind a higher or equal role from elsewhere (an owner, a base permission at
    least as high as the role, or a team the repository's teams API shows) cannot be read; it is left as
    is and the run is unchanged (C(source=organization) or C(source=team)). Only when the higher role
    comes from a source the API does not show (a team the token cannot see) does lowering the direct
    grant stay unverifiable: the module sets it, warns, and sets it again on later runs."
  - "Where access comes from (C(collaborator.source) and C(collaborator.teams)): when the user has
    access without a direct grant (the at-least case), or a direct grant higher than O(permission) that
    the organization does not explain, the module reads the repository's teams
    (C(GET /repos/{owner}/{repo}/teams), 100 per page) and the user's membership of each
    (C(GET /orgs/{owner}/teams/{slug}/memberships/{username}), one per team with access): 1 + T more
    requests for T teams. The unchanged run whose C(role_name) already equals O(permission) stays at
    1 request (2 for C(pull)) and reads no team. The list mode does the same for a listed direct grant
    higher than its entry that the organization does not explain."
  - "GitHub's permission endpoint reports C(read) for everyone on a public repository, so a C(read)
    role is confirmed with C(GET .../collaborators/{username}) (one request) before it counts."
  - A pending invitation for a custom role shows only GitHub's base role, and invitations can only be
    updated to C(read), C(triage), C(write), C(maintain) or C(admin). With a custom O(permission) a
    pending invitation is therefore kept as is, with a warning.
  - "A O(permission) that is not a built-in role is checked, before any write and in check mode too,
    against the organization's custom repository roles (C(GET /orgs/{owner}/custom-repository-roles),
    one request, only when a write would use it); an unknown name fails the task with the valid names.
    A repository owned by a user account accepts only the built-in roles."
  - GitHub refuses (HTTP 422) to give an organization member less than the organization's base
    permission; the module fails naming O(permission). Check mode cannot foresee that refusal.
  - On a repository owned by a user account GitHub ignores O(permission) and grants C(push).
  - "O(collaborators) and access through the organization: the list mode follows the same at-least
    semantics as O(username), but reads per user only where the two list reads cannot answer.
    A listed direct collaborator is compared on the list's C(role_name). When that role is higher than
    the entry's permission, the module checks whether the organization alone gives it (one read of the
    organization's owners, 100 per page, then, for a login who is no owner, one read of the organization
    for its base permission, each once per run; plus one membership read per such login when the base
    permission would explain the role) and then leaves it unchanged, reporting
    it in RV(organization_access); otherwise it lowers the direct grant. A listed login with neither a
    direct grant nor a pending invitation costs one C(GET .../collaborators/{username}/permission) read
    (two when that reports C(read), see above): when the organization (ownership, base permission or a
    team) already gives at least the permission it is left unchanged and reported in
    RV(organization_access), otherwise it is given access. A pending invitation is compared on its own."
  - "O(collaborators) request costs: an unchanged run whose listed logins are all direct collaborators
    or pending invitees costs exactly 2 requests for up to 100 collaborators and 100 invitations (one
    more per further 100 of either), with or without O(exclusive). Add one C(.../permission) read per
    listed login that has neither a direct grant nor a pending invitation (steady state for users who
    get their access only through the organization), the organization reads above for direct grants
    higher than listed (and the repository's teams, 1 + one membership read per team, when the
    organization does not explain the role), C(GET /user) when O(exclusive=true) finds someone to
    remove (and one read per 100 owners when that includes a direct collaborator), each write, one
    permission read after lowering a direct grant (to warn if a team still gives more), and in check
    mode one membership read per login outside the organization's access that would be given access,
    to predict an invitation or a direct grant (none on GitHub Enterprise Server, which always grants directly)."
seealso:
  - module: orgcode.github.github_outside_collaborator
  - module: orgcode.github.github_org_membership
'''

EXAMPLES = r'''
- name: Invite a contractor to one repository with write access
  orgcode.github.github_repo_collaborator:
    owner: acme
    repo: widgets
    username: contractor-carl
    permission: push

- name: Give the release manager maintain on the repository
  orgcode.github.github_repo_collaborator:
    org: acme
    repo: widgets
    username: release-rachel
    permission: maintain

- name: Grant a custom repository role
  orgcode.github.github_repo_collaborator:
    owner: acme
    repo: widgets
    username: auditor-amy
    permission: security-auditor

- name: The repository's whole collaborator list; unlisted direct collaborators are removed (at most 10)
  orgcode.github.github_repo_collaborator:
    owner: acme
    repo: widgets
    exclusive: true
    collaborators:
      - {login: contractor-carl, permission: push}
      - {login: release-rachel, permission: maintain}
      - {login: auditor-amy, permission: security-auditor}

- name: Remove direct access (or cancel the pending invitation)
  orgcode.github.github_repo_collaborator:
    owner: acme
    repo: widgets
    username: contractor-carl
    state: absent
'''

RETURN = r'''
collaborator:
  description:
    - The user's access to the repository after the run (in check mode, as it would be).
    - Empty after O(state=absent) (the direct grant or invitation is gone; access through the
      organization is not read).
  returned: when O(username) is given
  type: dict
  contains:
    username:
      description: The user's login, as GitHub spells it.
      type: str
      sample: Octocat
    role_name:
      description:
        - The role, C(read), C(triage), C(write), C(maintain), C(admin) or a custom role name; for a
          pending invitation, the role it offers.
      type: str
      sample: write
    permission:
      description:
        - GitHub's legacy permission for that role, C(admin), C(write), C(read) or C(none)
          (C(maintain) is C(write), C(triage) is C(read)). Null for a custom role GitHub did not report.
      type: str
      sample: write
    pending:
      description: Whether the access waits for the user to accept an invitation.
      type: bool
      sample: false
    invitation_id:
      description: The id of the pending invitation (not known in check mode for a new invitation).
      type: int
      returned: when pending
      sample: 80001
    source:
      description:
        - Where the role shown comes from, when the run looked it up. C(direct) (a direct grant),
          C(invitation) (pending), C(team) (a team of RV(collaborator.teams) gives it, as
          C(GET /repos/{owner}/{repo}/teams) and the team memberships show it), or C(organization)
          (organization ownership, the base permission, or a team the token cannot see).
        - Combinations show in RV(collaborator.teams) - for example C(source=direct) with teams listed
          means a direct grant at least as high as the teams' access.
        - Not returned when C(role_name) already matched O(permission) and nothing else was read.
      type: str
      returned: when known
      sample: team
    teams:
      description:
        - "The teams with access to the repository that the user is an active member of (a member of a
          child team counts for its parent), with the role each gives, C({slug: role}); empty when none."
        - Returned when the run read them - access the user has without a direct grant, or a direct
          grant higher than O(permission) that the organization does not explain (see the notes).
      type: dict
      returned: when read
      sample: {widget-makers: maintain}
changes:
  description:
    - With O(collaborators), what the run changed (in check mode, would change), by login as GitHub spells it.
  returned: when O(collaborators) is given
  type: dict
  contains:
    added:
      description: Logins given a direct grant (HTTP 204), with the role.
      type: dict
      sample: {bob: admin}
    invited:
      description: Logins invited (HTTP 201), with the role; includes re-sent expired invitations.
      type: dict
      sample: {new-contractor: write}
    changed:
      description: Direct collaborators and pending invitees whose role changed, with the new role.
      type: dict
      sample: {outsider-olga: maintain}
    removed:
      description: Direct collaborators removed (O(exclusive=true)).
      type: list
      elements: str
    invitations_cancelled:
      description: Logins whose pending invitation was cancelled (O(exclusive=true)).
      type: list
      elements: str
    invitations_resent:
      description: Listed logins whose expired invitation was deleted and sent again.
      type: list
      elements: str
  sample: {added: {}, invited: {erin: write}, changed: {}, removed: [], invitations_cancelled: [],
           invitations_resent: []}
organization_access:
  description:
    - With O(collaborators), listed logins left unchanged because the organization (ownership, base
      permission or a team) gives them at least the listed permission, with their role.
  returned: when O(collaborators) is given
  type: dict
  sample: {Octo-Admin: admin}
expired_invitations:
  description:
    - With O(collaborators), the expired invitations seen, and whether they were sent again.
  returned: when O(collaborators) is given
  type: list
  elements: dict
  sample: [{login: erin, permission: read, id: 80002, resent: true}]
kept:
  description:
    - With O(exclusive=true), unlisted direct collaborators kept on purpose, the authenticated user and
      organization owners.
  returned: when O(collaborators) is given
  type: list
  elements: str
collaborator_count:
  description:
    - With O(collaborators), the number of direct collaborators and of pending invitations after the run
      (in check mode, as it would be).
  returned: when O(collaborators) is given
  type: dict
  sample: {direct: 12, pending: 1}
unknown_logins:
  description: With O(collaborators), the listed logins no GitHub user has; the task failed before any write.
  returned: on that failure
  type: list
  elements: str
writes_done:
  description:
    - When the task fails after some writes, the writes GitHub accepted (C(method) and C(path)); the
      task then reports C(changed=true). Never in check mode, which writes nothing.
  returned: on failure after a write
  type: list
  elements: dict
  sample: [{method: PUT, path: /repos/acme/widgets/collaborators/erin}]
actions:
  description:
    - What the task changed (in check mode, would change), one entry per change, in a stable shape that
      the C(orgcode.github.plan) callback and other tools read instead of the diff.
    - Empty when nothing changed. After a failure, what was done before it (empty in check mode).
  returned: always
  type: list
  elements: dict
  contains:
    kind:
      description: The resource kind - C(settings), C(member), C(outside_collaborator), C(hook),
        C(repo_collaborator), C(team), C(team_member) or C(team_repository).
      type: str
    scope:
      description: The organization, or C(owner/repo) for repository access.
      type: str
    id:
      description: The resource - a login, a hook URL, a setting name or a team slug.
      type: str
    action:
      description: C(add), C(change) or C(remove).
      type: str
    verb:
      description: What is done, in words (C(invite), C(role), C(convert from member), C(create), C(set), ...).
      type: str
    from:
      description: The value before, where there is one (a role, a setting's value).
      type: raw
      returned: for changes of one value
    to:
      description: The value after (a role, a permission, a setting's value, a hook's events).
      type: raw
      returned: for changes of one value and additions
    fields:
      description: The settings of a hook that change.
      type: list
      elements: str
      returned: for hook updates
  sample: [{kind: member, scope: acme, id: new-hire, action: add, verb: invite, from: null, to: member}]
api:
  description: Number of API requests of this task, and any retries or rate-limit waits.
  returned: always
  type: dict
  sample: {requests: 1, events: []}
'''

from ansible_collections.orgcode.github.plugins.module_utils import _collaborator, _collaborators
from ansible_collections.orgcode.github.plugins.module_utils._reconcile import LIST_MODE_ARGS
from ansible_collections.orgcode.github.plugins.module_utils.github_module import GitHubModule


def main():
    gh = GitHubModule(
        argument_spec=dict(
            owner=dict(type="str", required=True, aliases=["org"]),
            repo=dict(type="str", required=True),
            username=dict(type="str"),
            permission=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            collaborators=dict(type="list", elements="dict", options=dict(
                login=dict(type="str", required=True, aliases=["username"]),
                permission=dict(type="str", default="push"),
            )),
            **LIST_MODE_ARGS
        ),
        mutually_exclusive=[("username", "collaborators"), ("permission", "collaborators")],
        required_one_of=[("username", "collaborators")],
        required_if=[("state", "absent", ("username",))],
    )
    gh.run(_collaborators.manage if gh.params["collaborators"] is not None else _collaborator.manage)


if __name__ == "__main__":
    main()
