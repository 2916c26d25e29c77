# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the role orgcode.github.org_config: its validation and set logic, in linear time.

The role used to do this in Jinja, where "is this key listed twice" and "is this login in that list" cost
O(N^2) for N members (55 s of a 76 s run at 1,020 members). Here every check is one pass with dictionaries.
Nothing in here sends a request; messages name the user's own variables and list positions
(``org_config_members[2].login``) and never contain a webhook secret or the credentials of a webhook URL.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.orgcode.github.plugins.module_utils._rules import (
    LOGIN_RE, REPO_RE, SECRET_MASK, TEAM_FIELDS, TEAM_NOTIFICATIONS, TEAM_PRIVACY, TEAM_SLUG_RE, event_errors,
    higher as _higher, is_http_url as _http_url, login_key, normalize_role as _role, redact_url,
    slug_of as team_slug_of, url_key as hook_url_key)

MEMBERS = "org_config_members"
OUTSIDE = "org_config_outside_collaborators"
HOOKS = "org_config_hooks"
REPOS = "org_config_repo_collaborators"
TEAMS = "org_config_teams"


def _text(value):
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _check_login(errors, where, raw):
    """The login without a leading ``@``, or None after appending an error naming ``where``."""
    login = _text(raw).strip().lstrip("@")
    if LOGIN_RE.match(login):
        return login
    if "@" in login:
        hint = " (an email address? give the user's GitHub login)"
    elif "/" in login:
        hint = " (a login has no '/')"
    else:
        hint = ""
    errors.append("%s: %r is not a valid GitHub login%s; a login has letters, digits and single inner "
                  "hyphens, at most 39 characters" % (where, raw, hint))
    return None


def _state(entry):
    return entry.get("state") or "present"


def org_config_plan(description):
    """Validate the role's whole description and return it normalised for the role's tasks.

    ``description`` holds the role's variables: ``org``, ``members``, ``members_exclusive``, ``outside``,
    ``hooks`` and ``repo_collaborators``. The result has ``errors`` (empty when everything is valid) and the
    lists the tasks loop over. Linear in the number of entries.
    """
    if not isinstance(description, dict):
        raise AnsibleFilterError("org_config_plan expects a dictionary, got %s" % type(description).__name__)
    errors = []
    known = set(description.get("known_variables") or [])
    unknown = sorted(name for name in description.get("variables") or [] if known and name not in known)
    if unknown:
        errors.append("unknown variable(s) %s: the role orgcode.github.org_config reads %s"
                      % (", ".join(unknown), ", ".join(sorted(known))))
    org_raw = description.get("org")
    org = _check_login(errors, "org_config_org", org_raw) or _text(org_raw)
    org_key = login_key(org)

    def entries(name, key):
        value = description.get(key) or []
        if not isinstance(value, list):
            errors.append("%s must be a list, got %s" % (name, type(value).__name__))
            return []
        good = []
        for index, entry in enumerate(value):
            if isinstance(entry, dict):
                good.append((index, entry))
            else:
                errors.append("%s[%d] must be a dictionary, got %r" % (name, index, entry))
        return good

    # -- members ------------------------------------------------------------------------------------------
    members_present, members_absent = [], []
    member_seen = {}  # key -> (index, state)
    for index, entry in entries(MEMBERS, "members"):
        where = "%s[%d]" % (MEMBERS, index)
        login = _check_login(errors, where + ".login", entry.get("login"))
        role = entry.get("role") or "member"
        if role not in ("member", "admin"):
            errors.append("%s.role: must be member or admin, got %r" % (where, role))
        state = _state(entry)
        if login is None:
            continue
        key = login_key(login)
        if key in member_seen:
            errors.append("%s.login: %s is already listed at %s[%d] (logins compare case-insensitively); list "
                          "each member once" % (where, login, MEMBERS, member_seen[key][0]))
            continue
        member_seen[key] = (index, state)
        if state == "absent":
            members_absent.append(dict(login=login, key=key, index=index))
        else:
            members_present.append(dict(login=login, role=role))

    # -- outside collaborators --------------------------------------------------------------------------
    outside = []
    outside_seen = {}
    for index, entry in entries(OUTSIDE, "outside"):
        where = "%s[%d]" % (OUTSIDE, index)
        login = _check_login(errors, where + ".login", entry.get("login"))
        if login is None:
            continue
        key = login_key(login)
        state = _state(entry)
        if key in outside_seen:
            errors.append("%s.login: %s is already listed at %s[%d] (logins compare case-insensitively); list "
                          "each outside collaborator once" % (where, login, OUTSIDE, outside_seen[key][0]))
            continue
        outside_seen[key] = (index, state)
        outside.append(dict(login=login, key=key, state=state, index=index))
        if key in member_seen:
            m_index, m_state = member_seen[key]
            other = "%s[%d]" % (MEMBERS, m_index)
            if m_state == "present" and state == "present":
                errors.append("%s.login: %s is also listed in %s: an outside collaborator is not a member; list "
                              "it in one of them" % (where, login, other))
            elif m_state == "absent" and state == "present":
                errors.append("%s.login: %s is listed with state absent at %s: removing the membership first "
                              "would drop its repository access. To convert a member to an outside "
                              "collaborator, list it only here" % (where, login, other))
            elif m_state == "present" and state == "absent":
                errors.append("%s.login: %s is listed as a member at %s and here as an outside collaborator "
                              "to remove: keep one of them" % (where, login, other))

    # -- webhooks ----------------------------------------------------------------------------------------
    hooks = []
    hook_urls, hook_ids = {}, {}
    for index, entry in entries(HOOKS, "hooks"):
        where = "%s[%d]" % (HOOKS, index)
        url = entry.get("url")
        url_ok = _http_url(url)
        if not url_ok:
            errors.append("%s.url: %r is not an absolute http:// or https:// URL" % (where, redact_url(url)))
        errors.extend(event_errors(entry.get("events", ["push"]), where + "."))
        if "secret" in entry and entry["secret"] is not None:
            secret = entry["secret"]
            if not isinstance(secret, str) or not secret.strip():
                errors.append("%s.secret: is empty or only whitespace (an unset environment variable?); a hook "
                              "without a secret must say so with secret: null or no secret key" % where)
            elif secret == SECRET_MASK:
                errors.append("%s.secret: is GitHub's mask %s, not a secret" % (where, SECRET_MASK))
        if entry.get("update_secret") == "always" and entry.get("secret") is None:
            errors.append("%s.update_secret: always needs a secret (it sends the secret on every run)" % where)
        hook_id = entry.get("hook_id")
        if hook_id is not None:
            if not isinstance(hook_id, int) or isinstance(hook_id, bool) or hook_id <= 0:
                errors.append("%s.hook_id: must be a positive hook id, got %r" % (where, hook_id))
            elif hook_id in hook_ids:
                errors.append("%s.hook_id: %s is already listed at %s[%d]" % (where, hook_id, HOOKS, hook_ids[hook_id]))
            else:
                hook_ids[hook_id] = index
        elif url_ok:
            url_key = hook_url_key(url)
            if url_key in hook_urls:
                errors.append("%s.url: %s is already listed at %s[%d] (URLs compare without the case of the "
                              "scheme and host and without a trailing slash); give each its hook_id if several "
                              "hooks really share a URL" % (where, redact_url(url), HOOKS, hook_urls[url_key]))
            else:
                hook_urls[url_key] = index
        hooks.append(index)

    # -- repository collaborators ------------------------------------------------------------------------
    repo_lists, repo_order, repo_absent = {}, [], []
    repo_present_keys = set()
    repo_unlisted = {}  # logins given repository access that are neither in the members nor the outside list
    pair_seen = {}
    for index, entry in entries(REPOS, "repo_collaborators"):
        where = "%s[%d]" % (REPOS, index)
        raw_repo = _text(entry.get("repo")).strip()
        name = raw_repo
        if "/" in raw_repo:
            owner, _sep, name = raw_repo.partition("/")
            if login_key(owner) != org_key:
                errors.append("%s.repo: %r is not a repository of %s; give the repository's name (or %s/NAME)"
                              % (where, raw_repo, org, org))
                name = None
        if name is not None and (not REPO_RE.match(name) or name in (".", "..")):
            errors.append("%s.repo: %r is not a valid repository name (letters, digits, '.', '-' and '_', at most "
                          "100 characters)" % (where, raw_repo))
            name = None
        login = _check_login(errors, where + ".login", entry.get("login"))
        permission = entry.get("permission") or "push"
        if not isinstance(permission, str) or not permission.strip():
            errors.append("%s.permission: must be pull, triage, push, maintain, admin or a custom repository role "
                          "name, got %r" % (where, entry.get("permission")))
        state = _state(entry)
        if name is None or login is None:
            continue
        key, repo_key = login_key(login), name.lower()
        if (repo_key, key) in pair_seen:
            first = pair_seen[(repo_key, key)]
            errors.append("%s: %s on %s is already listed at %s[%d] (logins and repository names compare "
                          "case-insensitively); list each once" % (where, login, name, REPOS, first))
            continue
        pair_seen[(repo_key, key)] = index
        if key in member_seen and member_seen[key][1] == "absent":
            errors.append("%s.login: %s is removed from the organization at %s[%d], which takes its repository "
                          "access with it; %s" % (
                              where, login, MEMBERS, member_seen[key][0],
                              "to keep repository access, list it under %s instead" % OUTSIDE if state == "present"
                              else "this entry is redundant: remove it"))
            continue
        if key in outside_seen and outside_seen[key][1] == "absent":
            errors.append("%s.login: %s is removed from every repository at %s[%d]; %s" % (
                where, login, OUTSIDE, outside_seen[key][0],
                "keep one of them" if state == "present" else "this entry is redundant: remove it"))
            continue
        if state == "absent":
            repo_absent.append(dict(repo=name, login=login))
            continue
        if key not in repo_present_keys and key not in member_seen and key not in outside_seen:
            repo_unlisted[key] = dict(login=login, repo=name, where="%s[%d]" % (REPOS, index))
        repo_present_keys.add(key)
        if repo_key not in repo_lists:
            repo_order.append(repo_key)
            repo_lists[repo_key] = dict(repo=name, collaborators=[])
        repo_lists[repo_key]["collaborators"].append(dict(login=login, permission=permission.strip()))

    listed_logins = dict((repo_key, set(login_key(c["login"]) for c in listed["collaborators"]))
                         for repo_key, listed in repo_lists.items())
    teams, teams_absent, (team_access, team_grants) = _teams(errors, entries, description, org, org_key,
                                                             member_seen, outside_seen, listed_logins)
    for repo_key, listed in repo_lists.items():
        listed["team_access"] = team_access.get(repo_key, {})
        listed["team_grants"] = team_grants.get(repo_key, {})

    if description.get("members_exclusive") and not members_present:
        errors.append("org_config_members_exclusive is true but %s lists nobody with state present: that would "
                      "remove every member. List the members (at least one owner) or switch the exclusive mode "
                      "off" % MEMBERS)

    return dict(
        errors=errors,
        org=org,
        members_exclusive=bool(description.get("members_exclusive")),
        members_present_count=len(members_present),
        members_absent=[dict(login=m["login"], index=m["index"]) for m in members_absent],
        members_absent_keys=[m["key"] for m in members_absent],
        members_absent_where=dict((m["key"], "%s[%d].login" % (MEMBERS, m["index"])) for m in members_absent),
        outside=outside,
        hooks=hooks,
        repo_lists=[repo_lists[key] for key in repo_order],
        repo_absent=repo_absent,
        repo_present_keys=sorted(repo_present_keys),
        repo_unlisted=repo_unlisted,
        teams=teams,
        teams_absent=teams_absent,
    )


def _repo_name(errors, where, raw, org, org_key):
    """A repository name of the organization (``NAME`` or ``ORG/NAME``), or None after an error."""
    text = _text(raw).strip()
    name = text
    if "/" in text:
        owner, _sep, name = text.partition("/")
        if login_key(owner) != org_key:
            errors.append("%s: %r is not a repository of %s; give the repository's name (or %s/NAME)"
                          % (where, raw, org, org))
            return None
    if not REPO_RE.match(name) or name in (".", ".."):
        errors.append("%s: %r is not a valid repository name (letters, digits, '.', '-' and '_', at most 100 "
                      "characters)" % (where, raw))
        return None
    return name


def _team_members(errors, where, value, member_seen, outside_seen, exclusive_members):
    """The ``members`` of one team as ``[{login, role}]`` (None when not given), checked."""
    if value is None:
        return None
    if not isinstance(value, list):
        errors.append("%s.members: must be a list of {login, role}, got %s" % (where, type(value).__name__))
        return None
    found, seen = [], {}
    for m_index, item in enumerate(value):
        m_where = "%s.members[%d]" % (where, m_index)
        if not isinstance(item, dict):
            errors.append("%s: must be a dictionary {login, role}, got %r" % (m_where, item))
            continue
        login = _check_login(errors, m_where + ".login", item.get("login"))
        role = item.get("role") or "member"
        if role not in ("member", "maintainer"):
            errors.append("%s.role: must be member or maintainer, got %r" % (m_where, role))
            continue
        if login is None:
            continue
        key = login_key(login)
        if key in seen:
            errors.append("%s.login: %s is already listed at %s.members[%d] (logins compare case-insensitively); "
                          "list each team member once" % (m_where, login, where, seen[key]))
            continue
        seen[key] = m_index
        if key in member_seen and member_seen[key][1] == "absent":
            errors.append("%s.login: %s is removed from the organization at %s[%d], which removes it from every "
                          "team; keep one of them" % (m_where, login, MEMBERS, member_seen[key][0]))
            continue
        if key in outside_seen:
            errors.append("%s.login: %s is listed as an outside collaborator at %s[%d]; a team member is a "
                          "member of the organization (adding an outside collaborator to a team invites it to "
                          "the organization): keep one of them" % (m_where, login, OUTSIDE, outside_seen[key][0]))
            continue
        if exclusive_members and (key not in member_seen or member_seen[key][1] != "present"):
            errors.append("%s.login: %s is not listed in %s, which is exclusive: the member list would remove it "
                          "from the organization and this team would invite it back; list it under %s"
                          % (m_where, login, MEMBERS, MEMBERS))
            continue
        found.append(dict(login=login, role=role))
    return found


def _team_repositories(errors, where, value, org, org_key):
    """The ``repositories`` of one team as ``[{name, permission}]`` (None when not given), checked."""
    if value is None:
        return None
    if not isinstance(value, list):
        errors.append("%s.repositories: must be a list of {name, permission}, got %s" % (where, type(value).__name__))
        return None
    found, seen = [], {}
    for r_index, item in enumerate(value):
        r_where = "%s.repositories[%d]" % (where, r_index)
        if not isinstance(item, dict):
            errors.append("%s: must be a dictionary {name, permission}, got %r" % (r_where, item))
            continue
        name = _repo_name(errors, r_where + ".name", item.get("name"), org, org_key)
        permission = item.get("permission") or "push"
        if not isinstance(permission, str) or not permission.strip():
            errors.append("%s.permission: must be pull, triage, push, maintain, admin or a custom repository role "
                          "name, got %r" % (r_where, item.get("permission")))
            continue
        if name is None:
            continue
        if name.lower() in seen:
            errors.append("%s.name: %s is already listed at %s.repositories[%d] (repository names compare "
                          "case-insensitively); list each repository once" % (r_where, name, where, seen[name.lower()]))
            continue
        seen[name.lower()] = r_index
        found.append(dict(name=name, permission=permission.strip()))
    return found


def _team_access(ordered, by_key, listed_logins):
    """``({repository key: {login key: role}}, {repository key: {team slug: role}})``: the access the listed teams
    give their listed members on the repositories of ``listed_logins`` (``{repository key: login keys listed
    there}``), only for those logins; a child team's members get the parent's access too (GitHub's inheritance),
    the highest role per login. Then the teams giving each of those repositories (their own grant or a listed
    parent's), by their current slug: check mode reads their memberships for the members the description
    does not list (``planned_changes.team_grants``).

    ``ordered`` lists parents before their children, so each team's access is its parent's plus its own, computed
    once; the cost is the number of (member, repository) pairs the teams give.
    """
    inherited, found, grants = {}, {}, {}
    for team in ordered:
        parent = by_key.get(team["parent"]) if team["parent"] else None
        own = dict(inherited.get(id(parent), {})) if parent is not None else {}
        for grant in team["repositories"] or []:
            key = grant["name"].lower()
            if key in listed_logins:
                own[key] = _higher(own.get(key), _role(grant["permission"]))
        inherited[id(team)] = own
        if not own:
            continue
        for key, role in own.items():
            grants.setdefault(key, {})[team["keys"][0]] = role
        for member in team["members"] or []:
            login = login_key(member["login"])
            for key, role in own.items():
                if login in listed_logins[key]:
                    logins = found.setdefault(key, {})
                    logins[login] = _higher(logins.get(login), role)
    return found, grants


def _teams(errors, entries, description, org, org_key, member_seen, outside_seen, listed_logins=None):
    """Check ``org_config_teams``; return the teams in state present (parents before their children), the teams to
    delete, each as the options of github_team plus ``members``/``repositories`` (None: not managed), and the
    access they give the logins of ``listed_logins`` on its repositories with the teams giving each
    (``_team_access``)."""
    exclusive_members = bool(description.get("members_exclusive"))
    listed, slugs, names = [], {}, {}  # slug -> index of the team that has it; lower-case name -> index
    for index, entry in entries(TEAMS, "teams"):
        where = "%s[%d]" % (TEAMS, index)
        ok = True
        name = entry.get("name")
        if name is not None and (not isinstance(name, str) or not name.strip() or not team_slug_of(name)):
            errors.append("%s.name: %r is not a team name GitHub can make a slug from (it needs a letter or a "
                          "digit)" % (where, name))
            ok, name = False, None
        slug = entry.get("slug")
        if slug is not None and (not isinstance(slug, str) or not TEAM_SLUG_RE.match(slug.strip())):
            errors.append("%s.slug: %r is not a valid team slug (the team's name in lower case, with '-' for spaces "
                          "and punctuation, as in its URL)" % (where, slug))
            ok, slug = False, None
        elif slug is not None:
            slug = slug.strip().lower()
        state = _state(entry)
        if state not in ("present", "absent"):
            errors.append("%s.state: must be present or absent, got %r" % (where, state))
            ok = False
        if name is None and slug is None:
            if ok:
                errors.append("%s: give the team's name (and its slug to find a team to rename)" % where)
            continue
        if state == "present" and name is None:
            errors.append("%s.name: required for a team in state present" % where)
            ok = False
        for field, choices in (("privacy", TEAM_PRIVACY), ("notification_setting", TEAM_NOTIFICATIONS)):
            if entry.get(field) is not None and entry[field] not in choices:
                errors.append("%s.%s: must be %s, got %r" % (where, field, " or ".join(choices), entry[field]))
                ok = False
        if entry.get("description") is not None and not isinstance(entry["description"], str):
            errors.append("%s.description: must be a string, got %r" % (where, entry["description"]))
            ok = False
        parent = None
        if "parent_team" in entry and entry["parent_team"] is not None:
            raw = entry["parent_team"]
            if not isinstance(raw, str) or not TEAM_SLUG_RE.match(raw.strip()):
                errors.append("%s.parent_team: %r is not a team slug (the parent team's slug, or null to make the "
                              "team a top-level team)" % (where, raw))
                ok = False
            else:
                parent = raw.strip().lower()
        # Each team once: its slug (given, or made from the name) and its name (GitHub's team names are unique,
        # case-insensitively) must differ from every other entry's. The slug of a new name (a rename) is also
        # where a child team may name it as parent.
        keys = []
        for key in (slug, team_slug_of(name) if name else None):
            if key and key not in keys:
                keys.append(key)
        for kind, key in (("team", keys[0] if keys else None), ("name", name.strip().lower() if name else None)):
            seen = slugs if kind == "team" else names
            if key is None:
                continue
            if key in seen:
                errors.append("%s: %s %s is already listed at %s[%d]%s; list each team once" % (
                    where, kind, name.strip() if kind == "name" else key, TEAMS, seen[key],
                    " (team slugs come from the names: lower case, '-' for spaces and punctuation)"
                    if kind == "team" else " (team names compare case-insensitively)"))
                ok = False
            else:
                seen[key] = index
        if state == "absent":
            for field in ("members", "repositories"):
                if entry.get(field):
                    errors.append("%s.%s: the team is deleted (state absent): it has no %s to give" % (
                        where, field, field))
                    ok = False
        members = _team_members(errors, where, entry.get("members"), member_seen, outside_seen, exclusive_members)
        repositories = _team_repositories(errors, where, entry.get("repositories"), org, org_key)
        listed.append(dict(index=index, where=where, entry=entry, name=name, slug=slug, keys=keys, state=state,
                           parent=parent, members=members, repositories=repositories, ok=ok))

    by_key = {}
    for team in listed:
        for key in team["keys"]:
            by_key.setdefault(key, team)
    present, absent = [], []
    for team in listed:
        where, entry = team["where"], team["entry"]
        if team["state"] == "absent":
            if team["ok"]:
                absent.append(dict(slug=team["slug"] or team_slug_of(team["name"]), name=team["name"]))
            continue
        parent = team["parent"]
        if parent is not None:
            other = by_key.get(parent)
            if other is team:
                errors.append("%s.parent_team: a team cannot be its own parent" % where)
                team["ok"] = False
            elif other is not None and other["state"] == "absent":
                errors.append("%s.parent_team: team %s is deleted at %s (state absent)"
                              % (where, parent, other["where"]))
                team["ok"] = False
            elif other is not None and other["entry"].get("privacy") == "secret":
                errors.append("%s.parent_team: team %s is secret at %s.privacy; secret teams cannot be nested (make "
                              "it closed)" % (where, parent, other["where"]))
                team["ok"] = False
            if entry.get("privacy") == "secret":
                errors.append("%s.privacy: a secret team cannot have a parent team (parent_team: %s); secret teams "
                              "cannot be nested (make it closed, or give parent_team: null)" % (where, parent))
                team["ok"] = False
        if team["ok"]:
            present.append(team)

    # Parents first: a team whose parent is listed comes after it; a cycle is an error.
    ordered, done, visiting = [], set(), set()
    for team in present:
        chain, node = [], team
        while node is not None and id(node) not in done:
            if id(node) in visiting:
                errors.append("%s.parent_team: the parent teams make a cycle (%s)" % (
                    node["where"], " -> ".join(n["keys"][-1] for n in chain)))
                break
            visiting.add(id(node))
            chain.append(node)
            parent = by_key.get(node["parent"]) if node["parent"] else None
            node = parent if parent is not None and parent["state"] == "present" and parent["ok"] else None
        for node in reversed(chain):
            if id(node) not in done:
                done.add(id(node))
                ordered.append(node)
        visiting.clear()
    result = []
    for team in ordered:
        entry = team["entry"]
        options = dict(name=team["name"], where=team["where"])
        if team["slug"]:
            options["slug"] = team["slug"]
        for field in TEAM_FIELDS:
            if entry.get(field) is not None:
                options[field] = entry[field]
        if "parent_team" in entry:
            options["parent_team"] = team["parent"] or ""  # '' detaches (null in the description)
            # The parent is listed: the team task creates (or renames) it first; check mode plans against it.
            options["parent_listed"] = bool(team["parent"]) and team["parent"] in by_key
        options["members"] = team["members"]
        options["repositories"] = team["repositories"]
        result.append(options)
    return result, absent, _team_access(ordered, by_key, listed_logins or {})


def org_config_members(members, convert=None):
    """The list for github_org_membership's ``members``: the entries of ``org_config_members`` in state present
    (``{login, role}``, a leading ``@`` dropped), then ``convert`` (members kept until they are converted)."""
    wanted = []
    for entry in members or []:
        if isinstance(entry, dict) and _state(entry) == "present":
            wanted.append(dict(login=_text(entry.get("login")).strip().lstrip("@"), role=entry.get("role") or "member"))
    return wanted + list(convert or [])


HOOK_LIST_KEYS = ("url", "events", "content_type", "secret", "update_secret", "insecure_ssl", "active")


def org_config_hooks(hooks):
    """Split ``org_config_hooks`` for github_org_hook: ``list``, the entries for its ``hooks`` list mode (state
    present, no hook_id: one read of the hook list for all of them), and ``single``, the indexes of the others
    (a hook_id, or state absent), one task run each. The list carries the secrets for the module's option (a
    no_log option); never store it in a fact."""
    listed, single = [], []
    for index, entry in enumerate(hooks or []):
        if not isinstance(entry, dict):
            continue
        if entry.get("hook_id") is not None or _state(entry) != "present":
            single.append(index)
            continue
        item = dict((key, entry[key]) for key in HOOK_LIST_KEYS if key in entry and entry[key] is not None)
        listed.append(item)
    return dict(list=listed, single=single)


def org_config_outside(plan, outside_logins, members=None):
    """Which outside-collaborator entries need the module, from one read of the current outside collaborators.

    ``outside_logins``: the logins GitHub lists as outside collaborators now. ``members``: the current members
    (``[{login, role}]``) when they were read, else None. Returns ``candidates`` (entries in state present that
    are not outside collaborators yet), ``need_members`` (whether the member list must be read to tell members to
    convert from logins that only have a pending repository invitation, or to keep members about to be converted
    out of an exclusive member list's removals), ``todo`` (the entries to give to the module) and ``convert``
    (``[{login, role}]`` of the current members that are converted).
    """
    current = set(login_key(login) for login in outside_logins or [])
    repo_present = set(plan.get("repo_present_keys") or [])
    entries = plan.get("outside") or []
    candidates = [e for e in entries if e["state"] == "present" and e["key"] not in current]
    exclusive = bool(plan.get("members_exclusive"))
    repo_unlisted = plan.get("repo_unlisted") or {}
    need_members = (bool(candidates) and (exclusive or any(c["key"] in repo_present for c in candidates))
                    or (exclusive and bool(repo_unlisted)))
    by_member = None
    if members is not None:
        by_member = dict((login_key(m.get("login")), m) for m in members)
    todo, convert = [], []
    for entry in entries:
        key = entry["key"]
        if entry["state"] == "absent":
            if key in current:
                todo.append(entry)
        elif key in current:
            continue
        elif by_member is None:
            if not need_members:
                todo.append(entry)  # a member to convert, or the module says why it cannot be one
        elif key in by_member:
            todo.append(entry)
            convert.append(dict(login=by_member[key].get("login"), role=by_member[key].get("role") or "member"))
        elif key not in repo_present:
            todo.append(entry)  # neither member nor outside collaborator, nor given access: the module says why
    errors = []
    if by_member is not None and exclusive:
        # The exclusive member list would remove these members (and their repository access), and the repository
        # section would then invite them back as outside collaborators: --check cannot show the second half.
        for key, entry in sorted(repo_unlisted.items(), key=lambda item: item[1]["where"]):
            if key in by_member:
                errors.append("%s.login: %s is a member of %s but is listed in neither org_config_members (exclusive: "
                              "this run would remove it from the organization, with its repository access) nor "
                              "%s; list it under org_config_members to keep it a member, or under %s to convert it "
                              "to an outside collaborator who keeps its access to %s"
                              % (entry["where"], by_member[key].get("login"), plan.get("org"), OUTSIDE, OUTSIDE,
                                 entry["repo"]))
    return dict(candidates=candidates, need_members=need_members, todo=todo, convert=convert, errors=errors)


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


def org_config_team_targets(results, check_mode=False):
    """The teams whose members or repositories the role reconciles, from the registered results of the team task.

    Each is ``{slug, new, members, repositories}``: ``slug`` is the team's slug as the team task left it (in check
    mode, where nothing was renamed, the slug the team still has), ``new`` is true in check mode for a team the
    run would create (it does not exist yet: the list modules plan against a new, empty team).
    """
    targets = []
    for result in results or []:
        item = result.get("item") or {}
        if item.get("members") is None and item.get("repositories") is None:
            continue
        team = result.get("team") or {}
        slug = team.get("slug") or team_slug_of(item.get("name"))
        new = False
        if check_mode:
            for action in result.get("actions") or []:
                if action.get("kind") == "team" and action.get("action") == "add":
                    new = True
                elif action.get("kind") == "team" and action.get("id"):
                    slug = action["id"]  # the slug before a rename check mode did not send
        targets.append(dict(slug=slug, new=new, where=item.get("where"), members=item.get("members"),
                            repositories=item.get("repositories")))
    return targets


class FilterModule(object):
    def filters(self):
        return {
            "org_config_plan": org_config_plan,
            "org_config_outside": org_config_outside,
            "org_config_members": org_config_members,
            "org_config_hooks": org_config_hooks,
            "org_config_offboard": org_config_offboard,
            "org_config_team_targets": org_config_team_targets,
        }
