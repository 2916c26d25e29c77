# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to orgcode.github, not a public API: names and behaviour may change in any release.

"""The teams section of the organization engine: the tree after the run, then each team's writes.

The tree is settled first (which entry is which live team, every parent resolved, renames, creations and
deletions), so a child follows its parent through a rename, a cycle or a secret parent fails before any write,
and a deleted team counts with every descendant the deletion takes along.

Members: ``GET .../members`` lists a team's members together with its child teams' members, and the REST API
cannot show a direct membership apart from one through a child team. A login a team lists that none of its
child teams lists is a direct member; one a child team lists too is *ambiguous*: the engine never removes it,
and when the run takes it out of the child team while the description wants it in the parent, the parent
gets an explicit ``PUT`` (GitHub answers it the same whether it was direct or not).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.orgcode.github.plugins.module_utils._engine import NewTeamId, Team, Write
from ansible_collections.orgcode.github.plugins.module_utils._reconcile import compare
from ansible_collections.orgcode.github.plugins.module_utils._rules import (
    PUT_NAMES, TEAM_FIELDS, login_key, slug_of)


def _state(entry):
    return entry.get("state") or "present"


class TeamPlanner:
    def __init__(self, engine, entries):
        self.e = engine
        self.gh = engine.gh
        self.entries = entries
        self.live = engine.teams  # {slug: Team}
        self.by_name = dict(((t.name or "").lower(), t) for t in self.live.values())
        self.matched = {}  # entry index -> Team (live or new)
        engine.team_planner = self
        # "teams": unlisted teams are deleted too; "team_lists" (the role's org_config_teams_exclusive): only the
        # members and repository lists of the listed teams are authoritative
        self.lists_authoritative = bool(set(["teams", "team_lists"]) & engine.authoritative)
        self._repos = {}

    def fail(self, msg):
        raise self.gh.failure(msg)

    def where(self, index, field=None):
        return self.e.where("teams", index, field)

    # -- the tree --------------------------------------------------------------------------------------

    def match(self):
        claimed = {}
        for index, entry in enumerate(self.entries):
            name, slug = entry.get("name"), (entry.get("slug") or "").strip().lower() or None
            if slug:
                # the team to rename; once renamed (an earlier run), the team of the new name
                team = self.live.get(slug) or self.live.get(slug_of(name)) if name else self.live.get(slug)
                if team is None and _state(entry) == "present":
                    self.fail("%s: no team of %s has the slug %r (a typo? to create a team, give only its name)"
                              % (self.where(index, "slug"), self.e.org, entry.get("slug")))
            else:
                team = self.live.get(slug_of(name)) or self.by_name.get((name or "").strip().lower())
            if team is None:
                continue
            if id(team) in claimed:
                self.fail("%s: team %s is already listed at %s"
                          % (self.where(index), team.slug, self.where(claimed[id(team)])))
            claimed[id(team)] = index
            team.entry = entry
            self.matched[index] = team

    def resolve_parent(self, index, raw):
        """The Team ``parent_team: raw`` names: a listed team (any of its keys), else a live team."""
        key = raw.strip().lower()
        for other, entry in enumerate(self.entries):
            if _state(entry) != "present":
                continue
            keys = set([(entry.get("slug") or "").strip().lower(), slug_of(entry.get("name"))])
            team = self.matched.get(other)
            if team is not None:
                keys.add(team.slug.lower())
            if key in keys:
                return self.team_of(other)
        if key in self.live:
            return self.live[key]
        self.fail("%s: team %r is neither listed in %s nor a team of %s"
                  % (self.where(index, "parent_team"), raw, self.e.names.teams, self.e.org))

    def team_of(self, index):
        """The Team entry ``index`` manages; a new one (created by this run) when no live team matched."""
        if index not in self.matched:
            entry = self.entries[index]
            slug = slug_of(entry.get("name"))
            team = Team(slug, entry.get("name"), id=NewTeamId(slug), new=True,
                        fields=dict((f, entry.get(f)) for f in TEAM_FIELDS))
            team.entry = entry
            team.shown = {}
            me = self.e.me()
            if me:
                team.shown[login_key(me)] = (me, "maintainer")  # GitHub makes the creator a maintainer
            self.matched[index] = team
        return self.matched[index]

    def settle_tree(self):
        """Parents after the run, names after renames, deletions; every tree error before any write."""
        self.parent_after = dict((id(t), t.parent) for t in self.live.values())
        self.present = []
        for index, entry in enumerate(self.entries):
            if _state(entry) != "present":
                continue
            team = self.team_of(index)
            self.present.append((index, team))
            if "parent_team" in entry or team.new:
                raw = entry.get("parent_team")
                self.parent_after[id(team)] = self.resolve_parent(index, raw) if raw else None
        everyone = list(self.live.values()) + [t for _i, t in self.present if t.new]
        self.everyone = everyone
        by_id = dict((id(t), t) for t in everyone)
        for index, team in self.present:
            chain, node = [team], self.parent_after.get(id(team))
            while node is not None:
                if node is team:
                    self.fail("%s: the parent teams make a cycle (%s)" % (
                        self.where(index, "parent_team"),
                        " -> ".join([t.slug for t in chain] + [team.slug])))
                chain.append(node)
                node = self.parent_after.get(id(node))
                if len(chain) > len(by_id) + 1:
                    break
        # names after renames: unique, case-insensitively
        names_after = dict(((t.name or "").lower(), t) for t in self.live.values())
        for index, team in self.present:
            name = (self.entries[index].get("name") or "").strip()
            if team.new or name.lower() != (team.name or "").lower():
                other = names_after.get(name.lower()) or self.live.get(slug_of(name))
                if other is not None and other is not team:
                    self.fail("%s: team %s (%s) already has this name or its slug %s; team names are unique in an "
                              "organization" % (self.where(index, "name"), other.slug, other.name, slug_of(name)))
                names_after[name.lower()] = team
        # privacy: secret teams cannot be nested
        for index, team in self.present:
            parent = self.parent_after.get(id(team))
            privacy = self.entries[index].get("privacy") or (None if team.new else team.fields.get("privacy"))
            if parent is not None and privacy == "secret":
                self.fail("%s: a secret team cannot have a parent team (%s); make it closed or give parent_team: null"
                          % (self.where(index, "privacy"), parent.slug))
            if parent is not None and self.privacy_after(parent) == "secret":
                self.fail("%s: team %s is secret; secret teams cannot be nested (make it closed)"
                          % (self.where(index, "parent_team"), parent.slug))
        # deletions
        listed = set(id(t) for t in self.matched.values())
        doomed = []
        for index, entry in enumerate(self.entries):
            if _state(entry) == "absent" and index in self.matched:
                doomed.append(self.matched[index])
        if "teams" in self.e.authoritative:
            by_slug = dict((t.slug.lower(), t) for t in self.live.values())
            kept = dict((t.slug.lower(), t) for t in self.live.values() if id(t) in listed)
            doomed += [by_slug[slug] for slug in compare(by_slug, kept)[2]]
        self.doomed = doomed
        doomed_ids = set(id(t) for t in doomed)
        present_ids = dict((id(t), i) for i, t in self.present)
        for team in everyone:
            node = self.parent_after.get(id(team))
            while node is not None:
                if id(node) in doomed_ids:
                    if id(team) in present_ids:
                        self.fail("%s: team %s would be deleted with its parent %s (GitHub deletes child teams with "
                                  "their parent); detach it with parent_team: null, move it, or delete it too"
                                  % (self.where(present_ids[id(team)]), team.slug, node.slug))
                    team.deleted = True
                    break
                node = self.parent_after.get(id(node))
        for team in doomed:
            team.deleted = True

    def privacy_after(self, team):
        for index, other in self.present:
            if other is team:
                return self.entries[index].get("privacy") or (None if team.new else team.fields.get("privacy"))
        return team.fields.get("privacy")

    def children_after(self, team):
        return [t for t in self.everyone if self.parent_after.get(id(t)) is team and not t.deleted]

    def descendants_after(self, team):
        found, todo = [], [team]
        while todo:
            for child in self.children_after(todo.pop()):
                found.append(child)
                todo.append(child)
        return found

    def live_children(self, team):
        return [child for child in self.live.values() if child.parent is team]

    def static(self, team):
        """True when the run changes neither ``team``'s member list nor its subtree: what it shows now it shows
        after (less the members converted)."""
        if getattr(team, "_static", None) is None:
            managed = team.entry is not None and team.entry.get("members") is not None
            children = self.children_after(team)
            team._static = not team.new and not managed and set(map(id, children)) == set(
                map(id, self.live_children(team))) and all(self.static(child) for child in children)
        return team._static

    def shown_after(self, team):
        """``{key: (login, role)}``: who ``team`` lists after the run (its members and its child teams'), as far as
        the run knows; a team the run does not change costs no read beyond its own list."""
        if self.static(team):
            return dict((k, v) for k, v in self.e.team_shown(team).items() if k not in self.e.converted)
        found = dict(self.known_direct_after(team))
        for child in self.children_after(team):
            for key, value in self.shown_after(child).items():
                found.setdefault(key, (value[0], "member"))
        return found

    def depth(self, team):
        depth, node = 0, self.parent_after.get(id(team))
        while node is not None and depth < 1000:
            depth, node = depth + 1, self.parent_after.get(id(node))
        return depth

    # -- members ---------------------------------------------------------------------------------------

    def surely_direct(self, team):
        """``{key: (login, role)}``: the members ``team`` lists that none of its (live) child teams lists (a child
        team's list holds its own child teams' members)."""
        shown = self.e.team_shown(team)
        through = set()
        for child in self.live_children(team) if not team.new else []:
            through |= set(self.e.team_shown(child))
        return dict((k, v) for k, v in shown.items() if k not in through), through

    def known_direct_after(self, team):
        """The members the run leaves ``team`` for sure (``{key: (login, role)}``)."""
        if team.direct_after is None:
            direct, _through = self.surely_direct(team)
            team.direct_after = dict((k, v) for k, v in direct.items() if k not in self.e.converted)
        return team.direct_after

    def plan_members(self, index, team, wanted):
        e = self.e
        exclusive = self.lists_authoritative
        direct, through = self.surely_direct(team)
        shown = e.team_shown(team)
        after = dict((k, v) for k, v in direct.items() if k not in e.converted)
        desired = dict((login_key(m["login"]), m) for m in wanted)
        owners = e._owners_after()
        for key, member in sorted(desired.items()):
            login, role = member["login"].strip().lstrip("@"), member.get("role") or "member"
            if key in direct:
                have = direct[key][1]
                after[key] = (direct[key][0], role if have != role else have)
                if have == role or (have == "maintainer" and role == "member" and key in owners):
                    after[key] = direct[key]
                    continue
                self.member_write(team, direct[key][0], role, "change", "role", have, role)
                continue
            shown_below = any(key in self.shown_after(child) for child in self.children_after(team))
            if key in shown and shown_below:
                have = shown[key][1]
                if have == role or role == "member":
                    continue
                after[key] = (shown[key][0], role)
                self.member_write(team, shown[key][0], role, "change", "role", have, role)
                continue
            name = (e.members.get(key) or {}).get("login") if e.members else None
            if key not in e.member_after and (key in e.pending_after or e.ghes) and self.pending_for(team, key, login):
                continue  # its membership of the team already waits for its organization invitation
            if key not in e.member_after and key not in e.pending_after:
                name = e.user(login)
                if name is None:
                    self.fail("%s: GitHub user %r does not exist" % (self.member_where(index, key), login))
                verb = "invite to the organization and the team"
                e.pending_after[key] = "direct_member"
            elif key in e.pending_after:
                verb = "add (pending: invited to the organization)"
            else:
                verb = "add"
            after[key] = (name or login, role)
            self.member_write(team, name or login, role, "add", verb, None, role)
        if exclusive:
            for key in compare(direct, desired)[2]:
                login, role = direct[key]
                if key in e.converted:
                    continue
                # the token's own user (a team's creator is its maintainer) is kept; GET /user only for a removal
                if key == login_key(e.me() or ""):
                    e.notes.append("team %s: kept %s, the token's own user" % (team.slug, login))
                    continue
                after.pop(key, None)
                e.removal("team member %s/%s" % (team.slug, login))
                w = Write("teams", "DELETE", "/orgs/%s/teams/{slug}/memberships/%s" % (e.org, login),
                          kind="team_member", scope=team.slug, name=login, action="remove", verb="remove", old=role,
                          header="team %s: member %s" % (team.slug, login), before=dict(role=role),
                          after=dict(state="absent"))
                w.slug_of_team = team
                e.add(w)
            ambiguous = sorted(k for k in shown if k in through and k not in desired)
            if ambiguous and team.entry is not None:
                e.notes.append("team %s: kept %s, shown through a child team (the REST API cannot tell whether the "
                               "membership is direct too)" % (team.slug, ", ".join(shown[k][0] for k in ambiguous)))
        team.direct_after = after

    def member_where(self, index, key):
        for m_index, member in enumerate(self.entries[index].get("members") or []):
            if login_key(member.get("login")) == key:
                return self.where(index, "members[%d].login" % m_index)
        return self.where(index, "members")

    def pending_for(self, team, key, login):
        """True when ``key`` has a pending membership of ``team``: ``GET .../invitations`` (read once per team), or on
        GitHub Enterprise Server, which has no invitation lists, ``GET .../memberships/{username}``."""
        if team.new:
            return False
        if self.e.ghes:
            membership = self.gh.client.get_or_none("/orgs/%s/teams/%s/memberships/%s"
                                                    % (self.e.org, team.live_slug, login))
            return bool(membership) and membership.get("state") == "pending"
        if getattr(team, "invitations", None) is None:
            team.invitations = set(login_key(i.get("login")) for i in self.gh.client.iterate(
                "/orgs/%s/teams/%s/invitations" % (self.e.org, team.live_slug)) if i.get("login"))
        return key in team.invitations

    def member_write(self, team, login, role, action, verb, old, new):
        w = Write("teams", "PUT", "/orgs/%s/teams/{slug}/memberships/%s" % (self.e.org, login), dict(role=role),
                  kind="team_member", scope=team.slug, name=login, action=action, verb=verb, old=old, new=new,
                  header="team %s: member %s" % (team.slug, login),
                  before=dict(role=old) if old else dict(state="absent"), after=dict(role=new))
        w.slug_of_team = team
        self.e.add(w)

    # -- repositories ----------------------------------------------------------------------------------

    def repo_exists(self, name):
        key = name.lower()
        if key not in self._repos:
            self._repos[key] = self.gh.client.get_or_none("/repos/%s/%s" % (self.e.org, name)) is not None
        return self._repos[key]

    def plan_repositories(self, index, team, wanted):
        e = self.e
        grants = e.team_grants(team)
        desired, places = {}, {}
        for r_index, item in enumerate(wanted):
            where = self.where(index, "repositories[%d]" % r_index)
            name = item["name"].split("/")[-1]
            desired[name.lower()] = (name, e.role_name(where + ".permission", item.get("permission") or "push"))
            places[name.lower()] = where
        add, change, unlisted = compare(grants, desired, lambda have, want: have[1].lower() == want[1].lower())
        for key in [key for key in desired if key in set(add + change)]:  # in the order of the description
            (name, role), have, where = desired[key], grants.get(key), places[key]
            if have is None and not self.repo_exists(name):
                self.fail("%s.name: repository %s/%s was not found, or the token cannot see it" % (where, e.org, name))
            w = Write("teams", "PUT", "/orgs/%s/teams/{slug}/repos/%s/%s" % (e.org, e.org, name),
                      dict(permission=PUT_NAMES.get(role, role)), kind="team_repository", scope=team.slug,
                      name=name, action="change" if have else "add", verb="role" if have else "grant",
                      old=have[1] if have else None, new=role, header="team %s: repository %s" % (team.slug, name),
                      before=dict(role=have[1]) if have else dict(state="absent"), after=dict(role=role))
            w.slug_of_team = team
            e.add(w)
        team.grants_after = dict(desired)
        if self.lists_authoritative:
            for key in unlisted:
                name, role = grants[key]
                e.removal("team grant %s/%s" % (team.slug, name))
                w = Write("teams", "DELETE", "/orgs/%s/teams/{slug}/repos/%s/%s" % (e.org, e.org, name),
                          kind="team_repository", scope=team.slug, name=name, action="remove", verb="remove",
                          old=role, header="team %s: repository %s" % (team.slug, name), before=dict(role=role),
                          after=dict(state="absent"))
                w.slug_of_team = team
                e.add(w)
        else:
            for key, value in grants.items():
                team.grants_after.setdefault(key, value)

    # -- the plan --------------------------------------------------------------------------------------

    def plan(self):
        self.match()
        self.settle_tree()
        e = self.e
        order = sorted(self.present, key=lambda item: (self.depth(item[1]), item[0]))
        # read what the members plan needs first (every team with members listed, and its live child teams)
        for index, team in order:
            if self.entries[index].get("members") is not None and not team.new:
                e.team_shown(team)
                for child in self.live_children(team):
                    e.team_shown(child)
        exclusive = self.lists_authoritative
        for index, team in order:  # what each team's members will be, before any team plans against it
            members = self.entries[index].get("members")
            if members is not None:
                direct, _through = self.surely_direct(team)
                after = {} if exclusive else dict(direct)
                after.update((login_key(m["login"]), (m["login"], m.get("role") or "member")) for m in members)
                team.direct_after = dict((k, v) for k, v in after.items() if k not in e.converted)
        for index, team in order:
            self.plan_team(index, team)
            entry = self.entries[index]
            if entry.get("members") is not None:
                self.plan_members(index, team, entry["members"])
            if entry.get("repositories") is not None:
                self.plan_repositories(index, team, entry["repositories"])

    def plan_team(self, index, team):
        e, entry = self.e, self.entries[index]
        name = (entry.get("name") or "").strip()
        parent = self.parent_after.get(id(team))
        if team.new:
            body = dict(name=name)
            for field in TEAM_FIELDS:
                if entry.get(field) is not None:
                    body[field] = entry[field]
            if parent is not None:
                body["parent_team_id"] = parent.id
            me = e.me()
            w = Write("teams", "POST", "/orgs/%s/teams" % e.org, body, kind="team", scope=e.org, name=team.slug,
                      action="add", verb="create", header="team %s" % team.slug, before=dict(state="absent"),
                      after=dict(dict((k, v) for k, v in body.items() if k != "parent_team_id"), slug=team.slug,
                                 parent=parent.slug if parent else None,
                                 maintainers=[me] if me else [], state="present"))
            w.team = team
            e.add(w)
            return
        body, before, after = {}, {}, {}
        if name and name != team.name:
            body["name"] = name
            before.update(name=team.name, slug=team.slug)
            after.update(name=name, slug=slug_of(name))
        for field in TEAM_FIELDS:
            if entry.get(field) is not None and entry[field] != team.fields.get(field):
                body[field] = entry[field]
                before[field], after[field] = team.fields.get(field), entry[field]
        if parent is not team.parent:
            body["parent_team_id"] = parent.id if parent is not None else None
            before["parent"] = team.parent.slug if team.parent else None
            after["parent"] = parent.slug if parent else None
        if not body:
            return
        old_slug = team.slug
        w = Write("teams", "PATCH", "/orgs/%s/teams/%s" % (e.org, old_slug), body, kind="team", scope=e.org,
                  name=old_slug, action="change", verb="rename" if "name" in body else "update",
                  fields=[("parent" if k == "parent_team_id" else k) for k in body], header="team %s" % old_slug,
                  before=before, after=after)
        if "name" in body:
            w.action_entry.update({"from": old_slug, "to": slug_of(name)})
            team.slug = slug_of(name)
        w.team = team
        e.add(w)

    def plan_deletions(self):
        e = self.e
        doomed = set(id(t) for t in self.doomed)
        for team in self.doomed:
            node, covered = self.parent_after.get(id(team)), False
            while node is not None:
                if id(node) in doomed:
                    covered = True
                    break
                node = self.parent_after.get(id(node))
            if covered:
                continue
            gone = self.descendants_after(team) + [t for t in self.everyone
                                                   if t.deleted and t is not team and self.below(t, team)]
            gone = sorted(set(t.slug for t in gone))
            e.removal("team " + team.slug)
            w = Write("deletions", "DELETE", "/orgs/%s/teams/%s" % (e.org, team.slug), kind="team", scope=e.org,
                      name=team.slug, action="remove",
                      verb="delete" + (" with its child teams %s" % ", ".join(gone) if gone else ""),
                      header="team %s" % team.slug, before=dict(state="present", child_teams=gone),
                      after=dict(state="absent"))
            for slug in gone:  # GitHub deletes them with their parent: each is a removal of its own
                e.removal("team %s (child of %s)" % (slug, team.slug))
                w.extra.append((dict(kind="team", scope=e.org, id=slug, action="remove",
                                     verb="deleted with its parent %s" % team.slug),
                                "team %s" % slug, dict(state="present", parent=team.slug), dict(state="absent")))
            e.add(w)

    def below(self, team, ancestor):
        node = self.parent_after.get(id(team))
        while node is not None:
            if node is ancestor:
                return True
            node = self.parent_after.get(id(node))
        return False
