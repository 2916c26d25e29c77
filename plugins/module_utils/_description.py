# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to orgcode.github, not a public API: names and behaviour may change in any release.

"""The one validator of an organization description: github_org_config's ``config`` and the role's
``org_config_*`` variables (the filter orgcode.github.org_config_plan calls it with the role's names).

Linear time, no request. Every error names the entry as the user wrote it (``config.teams[3].parent_team`` or
``org_config_teams[3].parent_team``, see :class:`Names`) and never contains a webhook secret.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.orgcode.github.plugins.module_utils._rules import (
    LOGIN_RE, REPO_RE, SECRET_MASK, TEAM_FIELDS, TEAM_NOTIFICATIONS, TEAM_PRIVACY, TEAM_SLUG_RE, event_errors,
    is_http_url as _http_url, login_key, redact_url, slug_of as team_slug_of, url_key as hook_url_key)


class Names:
    """What errors call the description's parts: ``org_config_members`` (the role, prefix ``org_config_``) or
    ``config.members`` (github_org_config, prefix ``config.``)."""

    def __init__(self, prefix="org_config_"):
        role = prefix == "org_config_"
        self.org = "org_config_org" if role else "org"
        self.members = prefix + "members"
        self.outside = prefix + "outside_collaborators"
        self.hooks = prefix + "hooks"
        self.repos = prefix + "repo_collaborators"
        self.teams = prefix + "teams"
        self.members_exclusive = "org_config_members_exclusive" if role else "exclusive (members)"


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


def validate(description, n=None):
    """Validate a whole organization description; ``n`` (:class:`Names`) says how errors name its parts.

    ``description`` holds ``org``, ``members``, ``members_exclusive``, ``outside``, ``hooks``,
    ``repo_collaborators`` and ``teams`` (and, from the role, ``variables``/``known_variables`` to catch misspelt
    variable names). The result has ``errors`` (empty when everything is valid) and the entries normalised.
    Linear in the number of entries; no request.
    """
    n = n or Names()
    errors = []
    known = set(description.get("known_variables") or [])
    unknown = sorted(name for name in description.get("variables") or [] if known and name not in known)
    if unknown:
        errors.append("unknown variable(s) %s: the role orgcode.github.org_config reads %s"
                      % (", ".join(unknown), ", ".join(sorted(known))))
    org_raw = description.get("org")
    org = _check_login(errors, n.org, org_raw) or _text(org_raw)
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
    for index, entry in entries(n.members, "members"):
        where = "%s[%d]" % (n.members, index)
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
                          "each member once" % (where, login, n.members, member_seen[key][0]))
            continue
        member_seen[key] = (index, state)
        if state == "absent":
            members_absent.append(dict(login=login, key=key, index=index))
        else:
            members_present.append(dict(login=login, role=role))

    # -- outside collaborators --------------------------------------------------------------------------
    outside = []
    outside_seen = {}
    for index, entry in entries(n.outside, "outside"):
        where = "%s[%d]" % (n.outside, index)
        login = _check_login(errors, where + ".login", entry.get("login"))
        if login is None:
            continue
        key = login_key(login)
        state = _state(entry)
        if key in outside_seen:
            errors.append("%s.login: %s is already listed at %s[%d] (logins compare case-insensitively); list "
                          "each outside collaborator once" % (where, login, n.outside, outside_seen[key][0]))
            continue
        outside_seen[key] = (index, state)
        outside.append(dict(login=login, key=key, state=state, index=index))
        if key in member_seen:
            m_index, m_state = member_seen[key]
            other = "%s[%d]" % (n.members, m_index)
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
    for index, entry in entries(n.hooks, "hooks"):
        where = "%s[%d]" % (n.hooks, index)
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
                errors.append("%s.hook_id: %s is already listed at %s[%d]"
                              % (where, hook_id, n.hooks, hook_ids[hook_id]))
            else:
                hook_ids[hook_id] = index
        elif url_ok:
            url_key = hook_url_key(url)
            if url_key in hook_urls:
                errors.append("%s.url: %s is already listed at %s[%d] (URLs compare without the case of the "
                              "scheme and host and without a trailing slash); give each its hook_id if several "
                              "hooks really share a URL" % (where, redact_url(url), n.hooks, hook_urls[url_key]))
            else:
                hook_urls[url_key] = index
        hooks.append(index)

    # -- repository collaborators ------------------------------------------------------------------------
    repo_lists, repo_order, repo_absent = {}, [], []
    repo_present_keys = set()
    repo_unlisted = {}  # logins given repository access that are neither in the members nor the outside list
    pair_seen = {}
    for index, entry in entries(n.repos, "repo_collaborators"):
        where = "%s[%d]" % (n.repos, index)
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
                          "case-insensitively); list each once" % (where, login, name, n.repos, first))
            continue
        pair_seen[(repo_key, key)] = index
        if key in member_seen and member_seen[key][1] == "absent":
            errors.append("%s.login: %s is removed from the organization at %s[%d], which takes its repository "
                          "access with it; %s" % (
                              where, login, n.members, member_seen[key][0],
                              "to keep repository access, list it under %s instead" % n.outside if state == "present"
                              else "this entry is redundant: remove it"))
            continue
        if key in outside_seen and outside_seen[key][1] == "absent":
            errors.append("%s.login: %s is removed from every repository at %s[%d]; %s" % (
                where, login, n.outside, outside_seen[key][0],
                "keep one of them" if state == "present" else "this entry is redundant: remove it"))
            continue
        if state == "absent":
            repo_absent.append(dict(repo=name, login=login))
            continue
        if key not in repo_present_keys and key not in member_seen and key not in outside_seen:
            repo_unlisted[key] = dict(login=login, repo=name, where="%s[%d]" % (n.repos, index))
        repo_present_keys.add(key)
        if repo_key not in repo_lists:
            repo_order.append(repo_key)
            repo_lists[repo_key] = dict(repo=name, collaborators=[])
        repo_lists[repo_key]["collaborators"].append(dict(login=login, permission=permission.strip()))

    teams, teams_absent = _teams(n, errors, entries, description, org, org_key, member_seen, outside_seen)

    if description.get("members_exclusive") and not members_present:
        errors.append("%s is true but %s lists nobody with state present: that would "
                      "remove every member. List the members (at least one owner) or switch the exclusive mode "
                      "off" % (n.members_exclusive, n.members))

    return dict(
        errors=errors,
        org=org,
        members_exclusive=bool(description.get("members_exclusive")),
        members_present_count=len(members_present),
        members_absent=[dict(login=m["login"], index=m["index"]) for m in members_absent],
        members_absent_keys=[m["key"] for m in members_absent],
        members_absent_where=dict((m["key"], "%s[%d].login" % (n.members, m["index"])) for m in members_absent),
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


def _team_members(n, errors, where, value, member_seen, outside_seen, exclusive_members):
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
                          "team; keep one of them" % (m_where, login, n.members, member_seen[key][0]))
            continue
        if key in outside_seen:
            errors.append("%s.login: %s is listed as an outside collaborator at %s[%d]; a team member is a "
                          "member of the organization (adding an outside collaborator to a team invites it to "
                          "the organization): keep one of them" % (m_where, login, n.outside, outside_seen[key][0]))
            continue
        if exclusive_members and (key not in member_seen or member_seen[key][1] != "present"):
            errors.append("%s.login: %s is not listed in %s, which is exclusive: the member list would remove it "
                          "from the organization and this team would invite it back; list it under %s"
                          % (m_where, login, n.members, n.members))
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


def _teams(n, errors, entries, description, org, org_key, member_seen, outside_seen):
    """Check ``org_config_teams``; return the teams in state present (parents before their children), the teams to
    delete, each as the options of github_team plus ``members``/``repositories`` (None: not managed), and the
    access they give the logins of ``listed_logins`` on its repositories with the teams giving each
    (``_team_access``)."""
    exclusive_members = bool(description.get("members_exclusive"))
    listed, slugs, names = [], {}, {}  # slug -> index of the team that has it; lower-case name -> index
    for index, entry in entries(n.teams, "teams"):
        where = "%s[%d]" % (n.teams, index)
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
                    where, kind, name.strip() if kind == "name" else key, n.teams, seen[key],
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
        members = _team_members(n, errors, where, entry.get("members"), member_seen, outside_seen, exclusive_members)
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
    return result, absent
