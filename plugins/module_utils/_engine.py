# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to orgcode.github, not a public API: names and behaviour may change in any release.

"""github_org_config: the organization engine. Read once, plan every section together, apply exactly that plan.

``Engine.run()`` is the whole path::

    validate (module_utils/_description.py)  ->  read (each list once, only what the sections need)
    ->  plan (one ordered list of Write; GitHub's side effects modelled here, once)
    ->  check mode: return the plan;  real run: send it, write by write, and return what was sent.

The order of the writes: settings; members; conversions; teams (parents first), each followed by its members
and grants; hooks; repository collaborators; then the removals (outside collaborators, members) and the team
deletions. Each section plans against the state the earlier writes leave (the ``after`` model), so
``--check`` shows the writes the real run sends, one by one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


from ansible_collections.orgcode.github.plugins.module_utils import _hooks, _org
from ansible_collections.orgcode.github.plugins.module_utils._description import Names, validate
from ansible_collections.orgcode.github.plugins.module_utils._org_info import (
    _team_members, _team_repositories, gather_members, gather_outside_collaborators)
from ansible_collections.orgcode.github.plugins.module_utils._reconcile import compare, github_user
from ansible_collections.orgcode.github.plugins.module_utils._schema import check_sections
from ansible_collections.orgcode.github.plugins.module_utils._rules import (
    BUILT_IN, RANK, SECRET_MASK, TEAM_FIELDS, login_key,
    normalize_role, redact_url, url_credentials, url_key)
from ansible_collections.orgcode.github.plugins.module_utils.github_client import GitHubAPIError

SECTIONS = ("settings", "members", "outside_collaborators", "teams", "hooks", "repo_collaborators")
PHASES = ("settings", "members", "conversions", "teams", "hooks", "repo_collaborators", "removals", "deletions")


def config_secrets(params):
    """The secrets in ``config`` (webhook secrets, the credentials of webhook URLs), for the module's no_log values:
    Ansible then masks them in everything the task returns, the ``invocation`` of ``-vvv`` included. ``params`` may
    be malformed (Ansible's argument checks failed)."""
    config = params.get("config") if isinstance(params.get("config"), dict) else {}
    hooks = config.get("hooks") if isinstance(config.get("hooks"), list) else []
    found = []
    for entry in hooks:
        if isinstance(entry, dict):
            if isinstance(entry.get("secret"), str):
                found.append(entry["secret"])
            found.extend(url_credentials(entry.get("url")))
    return found


class NewTeamId:
    """The id of a team this run creates, known once its ``POST`` is answered (``(id of new team X)``)."""

    def __init__(self, slug):
        self.slug = slug
        self.value = None

    def __repr__(self):
        return "(id of new team %s)" % self.slug


class Write:
    """One planned write: the request, and what it does in words (``actions``, the diff)."""

    def __init__(self, phase, method, path, body=None, kind=None, scope=None, name=None, action=None, verb=None,
                 old=None, new=None, fields=None, header=None, before=None, after=None, secret=False):
        self.phase, self.method, self.path, self.body = phase, method, path, body
        self.action_entry = dict(kind=kind, scope=scope, id=name, action=action, verb=verb)
        if old is not None or new is not None:
            self.action_entry.update({"from": old, "to": new})
        if fields:
            self.action_entry["fields"] = sorted(fields)
        self.header, self.before, self.after = header, before, after
        self.secret = secret  # the body carries a webhook secret: shown masked
        self.extra = []  # (action, header, before, after) of what the write does besides: child teams deleted with it
        self.team = None  # a team this write creates or renames: its slug/id are taken from the answer
        self.slug_of_team = None  # the team whose slug the path holds (a rename earlier in the run changes it)

    def actions(self):
        """The ``actions`` entries of this write: its own, and what it does besides."""
        own = [dict(self.action_entry)] if self.action_entry.get("kind") else []
        return own + [dict(action) for action, _header, _before, _after in self.extra]

    def resolve(self):
        """The path with the slug its team has by now (a team created or renamed earlier in the run)."""
        if self.slug_of_team is not None:
            self.template = getattr(self, "template", None) or self.path
            self.path = self.template.replace("{slug}", self.slug_of_team.slug)
        return self.path

    def shown_body(self):
        return _shown(self.body)

    def request(self):
        return dict(method=self.method, path=self.path, body=self.shown_body())


def _shown(value):
    """A body as results show it: ids of new teams as ``(id of new team X)``, secrets masked, URLs redacted."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "secret" and item:
                out[key] = SECRET_MASK
            elif key == "url" and isinstance(item, str):
                out[key] = redact_url(item)
            else:
                out[key] = _shown(item)
        return out
    if isinstance(value, list):
        return [_shown(item) for item in value]
    if isinstance(value, NewTeamId):
        return value.value if value.value is not None else repr(value)
    return value


def _sent(value):
    """A body as it is sent: new teams' ids filled in."""
    if isinstance(value, dict):
        return dict((key, _sent(item)) for key, item in value.items())
    if isinstance(value, list):
        return [_sent(item) for item in value]
    if isinstance(value, NewTeamId):
        return value.value
    return value


class Team:
    """A team in the model: live (read) or created by this run."""

    def __init__(self, slug, name, id=None, parent=None, fields=None, new=False):  # pylint: disable=redefined-builtin
        self.slug, self.name, self.id, self.parent = slug, name, id, parent  # parent: a Team or None
        self.live_slug = slug  # the slug before this run (reads use it; a rename changes ``slug``)
        self.fields = dict(fields or {})
        self.new = new
        self.shown = None  # {key: (login, role)} as GitHub lists the members (child teams' members included)
        self.grants = None  # {repository key: (name, role)}: the team's own grants
        self.deleted = False
        self.entry = None  # the description's entry that manages it
        self.direct_after = None  # {key: (login, role)}: the members this run leaves it (known ones)


class Engine:
    """One run of github_org_config over ``gh`` (a GitHubModule)."""

    def __init__(self, gh):
        self.gh = gh
        p = gh.params
        self.org = (p["org"] or "").strip().lstrip("@")
        self.config = p.get("config") or {}
        self.state = p["state"]
        self.names = Names(p.get("error_prefix") or "config.")
        if self.state == "overridden":
            self.authoritative = set(key for key in SECTIONS if key in self.config)
        else:
            self.authoritative = set(p.get("exclusive") or [])
        self.max_removals = p["max_removals"]
        self.allow_self_removal = p["allow_self_removal"]
        self.ghes = gh.client.enterprise_server
        self.writes = []
        self.sent = []
        self.notes = []
        self._me = False
        self._users = {}
        self.removal_count = 0
        self.removed_names = []

    # -- validation ---------------------------------------------------------------------------------------

    def where(self, section, index, field=None):
        attribute = dict(outside_collaborators="outside", repo_collaborators="repos").get(section, section)
        base = "%s[%d]" % (getattr(self.names, attribute), index)
        return base + ("." + field if field else "")

    def validate(self):
        c = self.config
        description = dict(org=self.org, members=c.get("members"), outside=c.get("outside_collaborators"),
                           hooks=c.get("hooks"), repo_collaborators=c.get("repo_collaborators"),
                           teams=c.get("teams"), members_exclusive="members" in self.authoritative)
        # keys, types and choices first (module_utils/_schema.py): the validator expects entries of the right shape
        errors = check_sections(dict((key, c.get(key)) for key in SECTIONS), self._prefix())
        if not errors:
            self.plan_in = validate(description, self.names)
            errors = list(self.plan_in["errors"])
        settings = c.get("settings") if isinstance(c.get("settings"), dict) else {}
        unknown = sorted(set(c) - set(SECTIONS))
        if unknown:
            errors.append("config: unknown key(s) %s; the sections are %s" % (", ".join(unknown), ", ".join(SECTIONS)))
        if self.max_removals < 0:
            errors.append("max_removals must be 0 or more, got %d" % self.max_removals)
        if (self.gh.params.get("write_delay") or 0) < 0:
            errors.append("write_delay must be 0 or more seconds, got %s" % self.gh.params["write_delay"])
        bad_exclusive = sorted(set(self.authoritative) - set(SECTIONS) - set(["team_lists"]))
        if bad_exclusive:
            errors.append("exclusive: unknown section(s) %s" % ", ".join(bad_exclusive))
        if errors:
            raise self.gh.failure("%d error(s) in the description: %s" % (len(errors), "; ".join(errors)),
                                  errors=errors)
        _org.check_wanted(self.gh, settings)  # the API version's and GHES's settings, before any request
        self.settings = settings

    def _prefix(self):
        return "org_config_" if self.names.org == "org_config_org" else "config."

    # -- reads ----------------------------------------------------------------------------------------------

    def me(self):
        """The token's own login key (``GET /user``, once), or None for a GitHub App installation."""
        if self._me is False:
            self._me = self.gh.authenticated_login()
        return self._me

    def user(self, login):
        """GitHub's spelling of ``login`` (``GET /users/{login}``, once per login), or None when no user has it."""
        key = login_key(login)
        if key not in self._users:
            found = github_user(self.gh, login)  # an organization's login is no user's
            self._users[key] = found.get("login") if found else None
        return self._users[key]

    def failed_invitations(self):
        """Login keys with a failed or expired invitation (``GET /orgs/{org}/failed_invitations``, read once, only
        when a listed member would be invited and resend_failed_invitations is false; none on GHES)."""
        if getattr(self, "_failed", None) is None:
            self._failed = set() if self.ghes else set(
                login_key(i.get("login")) for i in self.gh.client.iterate("/orgs/%s/failed_invitations" % self.org)
                if i.get("login"))
        return self._failed

    def read(self):
        c, gh, org = self.config, self.gh, self.org
        self.org_object = gh.client.get_or_none("/orgs/%s" % org)
        if self.org_object is None:
            raise gh.failure("org: organization %r was not found, or the token cannot see it" % org)
        self.org = self.org_object.get("login") or org
        need_members = any(c.get(key) is not None
                           for key in ("members", "outside_collaborators", "teams", "repo_collaborators"))
        self.members = self.pending = None
        if need_members:
            self.members = dict((login_key(m["login"]), dict(m)) for m in gather_members(gh, self.org))
            self.pending = {}
            if not self.ghes:  # GHES has no organization invitation lists
                for inv in gh.client.iterate("/orgs/%s/invitations" % self.org):
                    if inv.get("login"):
                        self.pending[login_key(inv["login"])] = inv
        self.outside = None
        if c.get("outside_collaborators") is not None:
            self.outside = dict((login_key(u["login"]), u["login"]) for u in gather_outside_collaborators(gh, self.org))
        self.teams = None
        if c.get("teams") is not None:
            self.teams = {}
            for raw in gh.client.paginate("/orgs/%s/teams" % self.org):
                team = Team(raw.get("slug"), raw.get("name"), id=raw.get("id"),
                            fields=dict((f, raw.get(f)) for f in TEAM_FIELDS))
                team.parent = (raw.get("parent") or {}).get("slug")
                self.teams[team.slug.lower()] = team
            for team in self.teams.values():
                team.parent = self.teams.get((team.parent or "").lower()) if team.parent else None
        self.hooks = None
        if c.get("hooks") is not None:
            self.hooks = _hooks.read_hooks(gh, self.org)

    def team_shown(self, team):
        """The members GitHub lists for ``team`` (read once: 2 requests); a new team's are the model's."""
        if team.shown is None:
            team.shown = {} if team.new else _team_members(self.gh, self.org, team.live_slug)
        return team.shown

    def team_grants(self, team):
        if team.grants is None:
            team.grants = {}
            if not team.new:
                for repo in _team_repositories(self.gh, self.org, team.live_slug):
                    team.grants[(repo["name"] or "").lower()] = (repo["name"], repo["role_name"])
        return team.grants

    def custom_roles(self):
        """``{lower-case name: name}`` of the organization's custom repository roles (read once, when one is named)."""
        if getattr(self, "_custom", None) is None:
            data = self.gh.client.get_or_none("/orgs/%s/custom-repository-roles" % self.org) or {}
            self._custom = dict((r["name"].lower(), r["name"]) for r in data.get("custom_roles") or [] if r.get("name"))
        return self._custom

    def role_name(self, where, permission):
        """A repository role as GitHub names it (read, triage, write, maintain, admin or a custom role), or a failure
        naming ``where`` before any write."""
        role = normalize_role(permission)
        if role in RANK:
            return role
        custom = self.custom_roles()
        if role.lower() not in custom:
            raise self.gh.failure("%s: %r is neither a built-in role (%s) nor a custom repository role of %s (%s)" % (
                where, permission, BUILT_IN, self.org,
                "its custom roles: " + ", ".join(sorted(custom.values())) if custom else "it has none"))
        return custom[role.lower()]

    # -- the plan -------------------------------------------------------------------------------------------

    def add(self, write):
        self.writes.append(write)
        return write

    def plan(self):
        self.member_after = dict((k, m["role"]) for k, m in (self.members or {}).items())
        self.pending_after = dict((k, (inv.get("role") or "direct_member")) for k, inv in (self.pending or {}).items())
        self.gone = set()  # logins leaving the organization (removed) or its teams (converted) in this run
        self.converted = set()
        self.base_after = self.org_object.get("default_repository_permission")
        self.plan_settings()
        self.plan_members()
        self.plan_outside()
        self.plan_teams()
        self.plan_hooks()
        self.plan_member_removals()  # before the repositories: who leaves the organization loses its access
        self.plan_repositories()
        self.plan_team_deletions()
        self.guard_removals()
        order = dict((phase, index) for index, phase in enumerate(PHASES))
        self.writes.sort(key=lambda w: order[w.phase])  # stable: each phase keeps its own order

    def removal(self, name):
        self.removal_count += 1
        self.removed_names.append(name)

    def guard_removals(self):
        if self.max_removals is not None and self.removal_count > self.max_removals:
            raise self.gh.failure(
                "refusing to remove %d (more than max_removals=%d): %s. Nothing was written. Raise max_removals "
                "if this is really meant." % (self.removal_count, self.max_removals,
                                              ", ".join(self.removed_names)),
                would_remove=list(self.removed_names))

    # settings ----------------------------------------------------------------------------------------------

    def plan_settings(self):
        if not self.settings:
            return
        current = self.org_object
        changed = _org.changed_settings(self.gh, self.org, current, self.settings)  # github_org's own rules
        if not changed:
            return
        changed = dict(sorted(changed.items()))
        before = dict((k, current.get(k)) for k in changed)
        write = Write("settings", "PATCH", "/orgs/%s" % self.org, dict(changed), header="settings %s" % self.org,
                      before=before, after=dict(changed))
        write.extra = [(dict(kind="settings", scope=self.org, id=key, action="change", verb="set",
                             **{"from": current.get(key), "to": value}), None, None, None)
                       for key, value in changed.items()]  # one action per setting, as github_org reports them
        self.add(write)
        if "default_repository_permission" in changed:
            self.base_after = changed["default_repository_permission"]

    # members -----------------------------------------------------------------------------------------------

    def _owners_after(self):
        return set(k for k, role in self.member_after.items() if role == "admin")

    def plan_members(self):
        entries = self.config.get("members")
        if entries is None:
            return
        listed = set()
        for index, entry in enumerate(entries):
            login = (entry.get("login") or "").strip().lstrip("@")
            key, role = login_key(login), entry.get("role") or "member"
            listed.add(key)
            if (entry.get("state") or "present") == "absent":
                continue
            have = self.member_after.get(key)
            if have == role:
                continue
            if have is not None:
                if have == "admin" and not (self._owners_after() - set([key])):
                    raise self.gh.failure("%s.role: refusing to demote %s: it is the last owner of %s"
                                          % (self.where("members", index), login, self.org))
                self.member_after[key] = role
                self.add(Write("members", "PUT", "/orgs/%s/memberships/%s" % (self.org, self.members[key]["login"]),
                               dict(role=role), kind="member", scope=self.org, name=self.members[key]["login"],
                               action="change", verb="role", old=have, new=role, header="member %s" % login,
                               before=dict(role=have, state="active"), after=dict(role=role, state="active")))
                continue
            pending = self.pending_after.get(key)
            if pending is not None:
                wanted = "admin" if role == "admin" else "direct_member"
                if pending == wanted:
                    continue
                self.pending_after[key] = wanted
                self.add(Write("members", "PUT", "/orgs/%s/memberships/%s" % (self.org, login), dict(role=role),
                               kind="member", scope=self.org, name=login, action="change", verb="invitation role",
                               old=pending, new=role, header="member %s" % login,
                               before=dict(role=pending, state="pending"), after=dict(role=role, state="pending")))
                continue
            name = self.user(login)
            if name is None:
                raise self.gh.failure("%s.login: GitHub user %r does not exist" % (self.where("members", index), login))
            if not self.gh.params.get("resend_failed_invitations") and key in self.failed_invitations():
                self.notes.append("%s: not invited again, its invitation failed or expired (resend_failed_invitations "
                                  "is false)" % name)
                continue
            self.pending_after[key] = "admin" if role == "admin" else "direct_member"
            self.add(Write("members", "PUT", "/orgs/%s/memberships/%s" % (self.org, name), dict(role=role),
                           kind="member", scope=self.org, name=name, action="add", verb="invite", new=role,
                           header="member %s" % name, before=dict(state="absent"),
                           after=dict(role=role, state="pending")))
        if "members" in self.authoritative:
            outside = set(login_key(e.get("login")) for e in self.config.get("outside_collaborators") or [])
            for index, entry in enumerate(self.config.get("repo_collaborators") or []):
                key = login_key(entry.get("login"))
                if (entry.get("state") or "present") == "present" and key in self.member_after \
                        and key not in listed and key not in outside:
                    raise self.gh.failure(
                        "%s: %s is a member of %s but is listed in neither %s (exclusive: this run would remove it "
                        "from the organization, with its repository access) nor %s; list it under %s to keep it a "
                        "member, or under %s to convert it to an outside collaborator who keeps its access to %s"
                        % (self.where("repo_collaborators", index, "login"), self.members[key]["login"], self.org,
                           self.names.members, self.names.outside, self.names.members, self.names.outside,
                           entry.get("repo")))

    def plan_member_removals(self):
        """Members listed with state absent, and with members authoritative the unlisted ones: removed last."""
        entries = self.config.get("members")
        if entries is None:
            return
        remove = []  # (key, where)
        for index, entry in enumerate(entries):
            if (entry.get("state") or "present") == "absent":
                remove.append((login_key(entry.get("login")), self.where("members", index, "login")))
        if "members" in self.authoritative:
            keep = set(login_key(e.get("login")) for e in entries if (e.get("state") or "present") == "present")
            keep |= self.converted | set(login_key(e.get("login")) for e in self.config.get("outside_collaborators")
                                         or [] if (e.get("state") or "present") == "present")
            current = dict(self.pending_after, **self.member_after)
            named = set(k for k, _w in remove)
            remove += [(key, self.names.members) for key in compare(current, dict.fromkeys(keep))[2]
                       if key not in named]
        for key, where in remove:
            active = key in self.member_after and key not in self.converted
            if not active and key not in self.pending_after:
                continue
            if not self.allow_self_removal and key == login_key(self.me() or ""):
                if where == self.names.members:
                    self.notes.append("kept %s: it is the token's own user" % self.me())
                    continue
                raise self.gh.failure(
                    "%s: %s is the token's own user; removing it would lock the rest of this run (and later runs with "
                    "this token) out of %s. Use another owner's token, or set %sallow_self_removal: true if that is "
                    "really meant." % (where, self.me(), self.org,
                                       "org_config_" if self._prefix() == "org_config_" else ""))
            if active and self.member_after[key] == "admin" and not (self._owners_after() - set([key])):
                if where == self.names.members:
                    self.notes.append("kept the last owner")
                    continue
                raise self.gh.failure("%s: refusing to remove %s: it is the last owner of %s" % (where, key, self.org))
            login = (self.members.get(key) or {}).get("login") or ((self.pending or {}).get(key) or {}).get("login") \
                or key
            if active:
                role = self.member_after.pop(key)
                before, verb = dict(role=role, state="active"), "remove"
            else:
                role = self.pending_after.pop(key)
                before, verb = dict(role=role, state="pending"), "cancel invitation"
            self.gone.add(key)
            self.removal("member " + login)
            self.add(Write("removals", "DELETE", "/orgs/%s/memberships/%s" % (self.org, login), kind="member",
                           scope=self.org, name=login, action="remove", verb=verb, old=role,
                           header="member %s" % login, before=before, after=dict(state="absent")))

    # outside collaborators ---------------------------------------------------------------------------------

    def plan_outside(self):
        entries = self.config.get("outside_collaborators")
        if entries is None:
            return
        repo_listed = set(login_key(e.get("login")) for e in self.config.get("repo_collaborators") or []
                          if (e.get("state") or "present") == "present")
        listed = set()
        for index, entry in enumerate(entries):
            login = (entry.get("login") or "").strip().lstrip("@")
            key = login_key(login)
            listed.add(key)
            if (entry.get("state") or "present") == "absent":
                if key in self.outside:
                    self._remove_outside(self.outside[key])
                continue
            if key in self.outside:
                continue
            if key in self.member_after:
                if self.member_after[key] == "admin" and not (self._owners_after() - set([key])):
                    raise self.gh.failure("%s.login: refusing to convert %s: it is the last owner of %s"
                                          % (self.where("outside_collaborators", index), login, self.org))
                name = self.members[key]["login"]
                body = {"async": True} if self.gh.params.get("outside_collaborators_async") else None
                self._convert(key)
                self.add(Write("conversions", "PUT", "/orgs/%s/outside_collaborators/%s" % (self.org, name), body,
                               kind="outside_collaborator", scope=self.org, name=name, action="change", verb="convert",
                               old="member", new="outside collaborator",
                               header="outside collaborator %s" % name, before=dict(member=True),
                               after=dict(member=False, outside_collaborator=True, teams=[])))
            elif key not in repo_listed and key not in self.pending_after:
                raise self.gh.failure(
                    "%s.login: %s is neither a member nor an outside collaborator of %s; give it repository access "
                    "under %s (it becomes an outside collaborator when it accepts the invitation)"
                    % (self.where("outside_collaborators", index), login, self.org, self.names.repos))
        if "outside_collaborators" in self.authoritative:
            for key, login in sorted(self.outside.items()):
                if key not in listed and key not in repo_listed:
                    self._remove_outside(login)

    def _convert(self, key):
        """A member converted: it leaves its teams; its team access stays as direct access (GitHub's rule)."""
        self.member_after.pop(key, None)
        self.converted.add(key)

    def _remove_outside(self, login):
        self.removal("outside collaborator " + login)
        self.gone.add(login_key(login))
        self.add(Write("removals", "DELETE", "/orgs/%s/outside_collaborators/%s" % (self.org, login),
                       kind="outside_collaborator", scope=self.org, name=login, action="remove",
                       verb="remove from every repository", header="outside collaborator %s" % login,
                       before=dict(outside_collaborator=True), after=dict(outside_collaborator=False)))

    # teams ---------------------------------------------------------------------------------------------------

    def plan_teams(self):
        entries = self.config.get("teams")
        if entries is None:
            return
        from ansible_collections.orgcode.github.plugins.module_utils._engine_teams import TeamPlanner
        TeamPlanner(self, entries).plan()

    # hooks ---------------------------------------------------------------------------------------------------

    def plan_hooks(self):
        entries = self.config.get("hooks")
        if entries is None:
            return
        live = list(self.hooks)
        used = set()
        for index, entry in enumerate(entries):
            spec = dict(url=entry.get("url"), content_type=entry.get("content_type") or "json",
                        secret=entry.get("secret"), insecure_ssl=bool(entry.get("insecure_ssl", False)),
                        events=list(entry.get("events") or ["push"]), active=entry.get("active", True) is not False,
                        update_secret=entry.get("update_secret") or "on_create")
            hook_id = entry.get("hook_id")
            if hook_id is not None:
                found = [h for h in live if h.get("id") == hook_id]
                if not found and (entry.get("state") or "present") == "present":
                    raise self.gh.failure("%s: organization %s has no hook with id %s"
                                          % (self.where("hooks", index, "hook_id"), self.org, hook_id))
            else:
                found = [h for h in live if url_key((h.get("config") or {}).get("url")) == url_key(spec["url"])
                         and h.get("id") not in used]
                if len(found) > 1:
                    raise self.gh.failure("%s: %d hooks of %s have this url (ids %s); give hook_id to choose one"
                                          % (self.where("hooks", index, "url"), len(found), self.org,
                                             ", ".join(str(h.get("id")) for h in found)))
            current = found[0] if found else None
            shown_url = redact_url(spec["url"])
            if current is not None:
                used.add(current.get("id"))
            if (entry.get("state") or "present") == "absent":
                if current is not None:
                    self._remove_hook(current)
                continue
            if current is None:
                body = _hooks.create_body(spec)
                events = body["events"]
                self.add(Write("hooks", "POST", "/orgs/%s/hooks" % self.org, body,
                               kind="hook", scope=self.org, name=shown_url, action="add", verb="create",
                               new=sorted(events), header="hook %s" % shown_url, before=dict(state="absent"),
                               after=dict(state="present", events=sorted(events), active=spec["active"],
                                          content_type=spec["content_type"], insecure_ssl=spec["insecure_ssl"],
                                          secret="(set, not shown)" if spec["secret"] else "(none)"),
                               secret=bool(spec["secret"])))
                continue
            hook_changes, config_changes, send_secret = _hooks.plan_update(current, spec)
            if not hook_changes and not config_changes:
                continue
            now = _hooks.describe(current)
            path = "/orgs/%s/hooks/%s" % (self.org, current["id"])
            fields = _hooks.changed_settings((hook_changes, config_changes, send_secret))
            before = dict((k, now.get(k)) for k in fields if k != "secret")
            after = dict((k, spec.get(k)) for k in fields if k != "secret")
            if "events" in before:
                before["events"], after["events"] = sorted(now["events"]), sorted(set(spec["events"]))
            if "url" in before:
                before["url"], after["url"] = redact_url(before["url"]), shown_url
            if send_secret:
                before["secret"], after["secret"] = _hooks.secret_notes(now, (hook_changes, config_changes, True))
            common = dict(kind="hook", scope=self.org, name=shown_url, action="change", verb="update", fields=fields,
                          header="hook %s" % shown_url, before=before, after=after)
            if "events" in hook_changes:
                common.update(old=sorted(now["events"]), new=sorted(set(spec["events"])))
            if send_secret and hook_changes:
                config = dict(_hooks.hook_config(spec), secret=spec["secret"])
                self.add(Write("hooks", "PATCH", path, dict(hook_changes, config=config), secret=True, **common))
                continue
            if config_changes:
                self.add(Write("hooks", "PATCH", path + "/config", dict(config_changes), secret=send_secret,
                               **common))
                if hook_changes:
                    self.add(Write("hooks", "PATCH", path, dict(hook_changes), header=None))
            elif hook_changes:
                self.add(Write("hooks", "PATCH", path, dict(hook_changes), **common))
        if "hooks" in self.authoritative:
            by_id = dict((hook.get("id"), hook) for hook in live)
            for hook_id in compare(by_id, dict.fromkeys(used))[2]:
                self._remove_hook(by_id[hook_id])

    def _remove_hook(self, hook):
        url = redact_url((hook.get("config") or {}).get("url"))
        self.removal("hook %s" % url)
        self.add(Write("removals", "DELETE", "/orgs/%s/hooks/%s" % (self.org, hook.get("id")), kind="hook",
                       scope=self.org, name=url, action="remove", verb="delete", header="hook %s" % url,
                       before=dict(state="present", id=hook.get("id"), events=sorted(hook.get("events") or [])),
                       after=dict(state="absent")))

    # repository collaborators ------------------------------------------------------------------------------

    def plan_repositories(self):
        if self.config.get("repo_collaborators") is None:
            return
        from ansible_collections.orgcode.github.plugins.module_utils._engine_repos import RepositoryPlanner
        RepositoryPlanner(self).plan()

    def plan_team_deletions(self):
        planner = getattr(self, "team_planner", None)
        if planner is not None:
            planner.plan_deletions()

    # -- apply ----------------------------------------------------------------------------------------------

    def apply(self):
        """Send the plan through the module base's write gate (pacing, ``writes_done``), write by write."""
        gh = self.gh
        gh.write_delay = gh.params.get("write_delay") or 0
        for write in self.writes:
            _status, data = gh.write(write.method, write.resolve(), body=_sent(write.body), expect=dict)
            self.sent.append(write)
            if write.team is not None and isinstance(data, dict):
                write.team.slug = data.get("slug") or write.team.slug
                if isinstance(write.team.id, NewTeamId):
                    write.team.id.value = data.get("id")
            gh.actions.extend(write.actions())

    # -- the run --------------------------------------------------------------------------------------------

    def run(self):
        self.validate()
        self.read()
        self.plan()
        for write in self.writes:
            write.resolve()
        if self.gh.check_mode:
            for write in self.writes:
                self.gh.actions.extend(write.actions())
            done = self.writes
        else:
            try:
                self.apply()
            except GitHubAPIError as err:
                raise self.gh.failure("%s (after %d of %d planned writes; a re-run converges)" % (
                    err, len(self.sent), len(self.writes)), writes=[w.request() for w in self.sent],
                    **err.to_result())
            done = self.sent
        return self.result(done)

    def result(self, done):
        diff = []
        for write in done:
            for _action, header, before, after in ([(None, write.header, write.before, write.after)] + write.extra):
                if header is not None:
                    diff.append(dict(before_header=header, after_header=header, before=before or {}, after=after or {}))
        result = dict(changed=bool(done), writes=[w.request() for w in done])
        if self.gh.module._diff:
            result["diff"] = diff
        if self.notes:
            result["notes"] = self.notes
        return result
