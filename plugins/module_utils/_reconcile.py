# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to orgcode.github, not a public API: names and behaviour may change in any release.

"""The reconciler every authoritative list mode shares (``members:``, ``collaborators:``, ...); its ``compare``
is also where each section of the organization engine (``_engine*.py``) starts.

A list-mode task goes through the same steps, and never writes before the last of the checks:

1. ``check_options(gh, option)`` and ``entries(gh, option, ...)``: the list mode's options and the
   list itself, checked without a request; a failure names the position the user wrote
   (``members[3].login``).
2. The module reads the current state (its own list reads, 100 per page).
3. ``confirm_logins(gh, entries, known)``: every listed login the reads did not find (not a member,
   invitee or collaborator yet) is confirmed to be a GitHub user; all unknown ones fail the task
   together, before any write, identically in check mode and for real.
4. Guards (``guard_removals``; the module's own: last owner, the token's own user) and the plan, a
   list of ``Step``s in write order.
5. ``apply(gh, steps, done)``: the writes in order, each recorded in ``done`` (the task's
   ``changes``). A failure after a write says what was already done (never in check mode, which sent
   nothing), and the base reports ``changed: true`` with ``writes_done``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.orgcode.github.plugins.module_utils.github_client import GitHubAPIError
from ansible_collections.orgcode.github.plugins.module_utils.github_module import login_key


# The options of every list mode (doc fragment orgcode.github.github.list_mode), checked by check_options().
LIST_MODE_ARGS = dict(
    exclusive=dict(type="bool", default=False),
    max_removals=dict(type="int", default=10),
    write_delay=dict(type="float", default=1.0),
)


class Entry:
    """One entry of a list option: its identity as written (a login; a hook's URL), position and wanted value."""

    def __init__(self, option, index, login, value=None, key=login_key, field="login"):
        self.option = option
        self.index = index
        self.login = login
        self.key = key(login)
        self.value = value
        self.field = field

    def where(self, field=None):
        """The option path the user wrote, e.g. ``members[3].login`` (``field``: another key of the entry)."""
        return "%s[%d].%s" % (self.option, self.index, field or self.field)


class Step:
    """One planned write: recorded under ``kind`` for ``login`` once ``send(gh)`` returns.

    ``send`` sends the write(s) through ``gh.write`` (a no-op in check mode) and returns the value to
    record, or ``(kind, value)`` to record it under another kind than planned (an invitation GitHub sent
    instead of a direct grant). ``entry`` is the list entry it serves, if any, to name it in errors.
    ``plan`` holds the arguments of ``gh.action()`` that describe the step in the result's ``actions``.
    """

    def __init__(self, kind, login, send, entry=None, plan=None):
        self.kind = kind
        self.login = login
        self.send = send
        self.entry = entry
        self.plan = plan


def write_step(kind, login, method, path, body=None, value=None, entry=None, plan=None):
    """A ``Step`` that sends one write and records ``value`` (ignored by a list kind)."""
    def send(gh):
        gh.write(method, path, body=body)
        return value
    return Step(kind, login, send, entry, plan)


def check_options(gh, option):
    """The list-mode options (``exclusive``, ``max_removals``, ``write_delay``), checked before any request.

    With the list ``option`` given, writes are paced ``write_delay`` seconds apart.
    """
    p = gh.params
    if p[option] is None and p["exclusive"]:
        gh.fail("exclusive: only applies to the %s list; use state=absent to remove one user" % option)
    if p["max_removals"] < 0:
        gh.fail("max_removals must be 0 or more, got %d" % p["max_removals"])
    if p["write_delay"] < 0:
        gh.fail("write_delay must be 0 or more seconds, got %s" % p["write_delay"])
    if p[option] is not None:
        gh.write_delay = p["write_delay"]


def entries(gh, option, value=None, what="value", field="login", identity=None, key=login_key):
    """The list in ``option`` as ``{key: Entry}`` (first position kept), checked without a request.

    Each entry is identified by its ``field``: ``identity(gh, where, raw)`` checks it and returns it
    (default: a login, checked by ``gh.login``), ``key`` turns it into the comparison key (default:
    ``login_key``). ``value(entry_dict, index)`` returns what the entry asks for (a role, a permission)
    or fails naming ``option[index].<key>``. An identity listed twice must ask for the same ``what``.
    """
    wanted = {}
    for index, item in enumerate(gh.params[option] or []):
        where = "%s[%d].%s" % (option, index, field)
        raw = item.get(field) or ""
        name = identity(gh, where, raw) if identity else gh.login(where, raw)
        entry = Entry(option, index, name, value(item, index) if value else None, key=key, field=field)
        first = wanted.setdefault(entry.key, entry)
        if first is not entry and first.value != entry.value:
            gh.fail("%s: %s is listed twice with different %ss (%s at %s, %s at %s)" % (
                where, name, what, first.value, first.where(), entry.value, where))
    return wanted


def compare(current, wanted, same=None):
    """``(add, change, unlisted)``: the keys of ``wanted`` that ``current`` lacks, those whose value differs
    (``same(have, want)`` false; default ``==``), and the keys of ``current`` that ``wanted`` does not list,
    each sorted. Both are ``{key: value}`` by identity key: a login, a team slug, a repository name or a hook's
    URL key. Every list reconciliation of the collection starts here: the list modes and the organization engine's
    sections (members, team members and grants, teams, hooks, repository collaborators)."""
    same = same or (lambda have, want: have == want)
    add = sorted(key for key in wanted if key not in current)
    change = sorted(key for key in wanted if key in current and not same(current[key], wanted[key]))
    unlisted = sorted(key for key in current if key not in wanted)
    return add, change, unlisted


def github_user(gh, login):
    """``GET /users/{login}``: the user, or None when no GitHub user (an organization is none) has it."""
    user = gh.client.get_or_none("/users/%s" % login)
    if user is None or user.get("type") == "Organization":
        return None
    return user


def confirm_logins(gh, wanted, known, lookup=github_user):
    """Confirm, before any write, that every entry of ``wanted`` whose key is not in ``known`` is a user.

    ``lookup(gh, login)`` answers None for no such user (default: ``GET /users/{login}``, one request
    per login). Fails naming every unknown login with its position; else returns ``{key: answer}``.
    """
    found, unknown = {}, []
    for entry in sorted(wanted.values(), key=lambda e: e.index):
        if entry.key in known:
            continue
        answer = lookup(gh, entry.login)
        if answer is None:
            unknown.append(entry)
        else:
            found[entry.key] = answer
    if unknown:
        gh.fail("%s: no GitHub user has the login(s) %s; nothing was changed" % (
            unknown[0].option, ", ".join("%s (%s)" % (e.login, e.where()) for e in unknown)),
            unknown_logins=[e.login for e in unknown])
    return found


def guard_removals(gh, remove, cancel):
    """Fail before any write, naming who, when ``exclusive`` would remove more than ``max_removals``."""
    removals = list(remove) + list(cancel)
    if len(removals) > gh.params["max_removals"]:
        gh.fail("exclusive: %d removals needed, more than max_removals=%d; nothing was changed. "
                "Would remove: %s" % (len(removals), gh.params["max_removals"], ", ".join(removals)),
                would_remove=list(remove), would_cancel=list(cancel))


def progress(gh, done):
    """`` Already done: kind: who; ...`` after real writes, for a failure message; empty in check mode."""
    if gh.check_mode or not gh.writes_done:
        return ""
    parts = ["%s: %s" % (kind, ", ".join(sorted(who))) for kind, who in done.items() if who]
    return (" Already done: %s." % "; ".join(parts)) if parts else ""


def record(done, kind, login, value):
    """Note in ``done`` that ``kind`` was done for ``login`` (a dict kind keeps ``value``)."""
    if isinstance(done[kind], dict):
        done[kind][login] = value
    else:
        done[kind].append(login)


def apply(gh, steps, done, on_error=None):
    """Send ``steps`` in order, recording each in ``done`` (``{kind: {login: value}}`` or ``{kind: [login]}``).

    ``done`` is created by the module in write order and is returned as its ``changes``. A GitHub error
    stops the run and fails the task with ``changes`` and, after real writes, what was already done.
    ``on_error(step, err)`` may return ``(message, extra result keys)`` for the failure, else None.
    """
    for step in steps:
        try:
            answer = step.send(gh)
        except GitHubAPIError as err:
            msg, extra = (on_error(step, err) if on_error else None) or (str(err), {})
            raise gh.failure(msg + progress(gh, done), changes=done, **dict(err.to_result(), **extra))
        kind, value = answer if isinstance(answer, tuple) else (step.kind, answer)
        record(done, kind, step.login, value)
        if step.plan:
            gh.action(**step.plan)
    return done
