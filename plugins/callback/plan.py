# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: plan
type: notification
short_description: Print a reviewer's plan of what this collection's tasks change, as text, Markdown and JSON
version_added: 0.1.0
description:
  - Collects the results of the tasks of the C(orgcode.github) modules (and only those) and, at the end of
    the playbook, prints a plan, grouped by resource kind - organization settings, members, outside
    collaborators, webhooks, repository access - with one line per change and the failures at the end.
  - 'The first line sums it up: C(Plan: 3 to add, 2 to change, 1 to remove.) for a check-mode run,
    C(Applied: ...) for a real run, C(No changes.) when nothing differs.'
  - It reads the C(actions) key every module of the collection returns (resource kind, identity, action),
    never the diffs, so it works the same with any stdout callback and any diff setting.
  - Never prints a token or a webhook secret - module results carry neither. Credentials in URLs (the password
    of a URL's user info, credential-like query values such as C(token=)) are shown as C(********) in
    everything it prints or writes, whatever a task returned.
  - A run that fails - a task of any collection, for example the role's validation of the description, or an
    unreachable host - still gets its plan, headed C(Plan failed:) (C(Apply failed:) for a real run) and
    listing each failed task with the first paragraph of its message (the output of a C(no_log) task stays
    hidden), so a pipeline always has a plan file to post. Failures of tasks with C(ignore_errors) are listed
    only for this collection's modules.
  - Enable it with the environment variable E(ANSIBLE_CALLBACKS_ENABLED=orgcode.github.plan) (or
    C(callbacks_enabled) in C(ansible.cfg)).
author:
  - orgcode.github maintainers (@orgcode)
options:
  markdown_file:
    description:
      - Also write the plan as Markdown to this file (for a pull-request comment). Overwritten on each run.
    type: path
    env:
      - name: ORGCODE_PLAN_MARKDOWN
    ini:
      - section: callback_orgcode_plan
        key: markdown_file
  json_file:
    description:
      - Also write the plan as JSON to this file (for tools). Overwritten on each run.
      - 'Keys: C(mode) (C(check) or C(apply)), C(summary) (C(add), C(change), C(remove), C(failed)),
        C(headline), C(failed) (true when a task failed: the run stopped, the plan is incomplete), C(drift)
        (true when a check-mode run would change something), C(changes) (the actions, each with C(task)) and
        C(failures) (C(task), C(msg)).'
    type: path
    env:
      - name: ORGCODE_PLAN_JSON
    ini:
      - section: callback_orgcode_plan
        key: json_file
  drift_exit_code:
    description:
      - When not V(0), a check-mode run that otherwise succeeded but would change something makes
        C(ansible-playbook) exit with this status instead of V(0), after the plan is printed.
      - A pipeline then tells the outcomes apart from one command - V(0) no drift, this value drift, any
        other non-zero status a failure (Ansible's own, for example V(2) when a task failed).
      - Use a value Ansible does not use itself, such as V(3) or V(10).
    type: int
    default: 0
    env:
      - name: ORGCODE_PLAN_DRIFT_EXIT_CODE
    ini:
      - section: callback_orgcode_plan
        key: drift_exit_code
'''

import json

from ansible import context
from ansible.plugins.callback import CallbackBase

from ansible_collections.orgcode.github.plugins.module_utils._rules import redact_text
from ansible_collections.orgcode.github.plugins.plugin_utils._exit_status import exit_with_on_success

COLLECTION = "orgcode.github."

# Resource kinds in the order a reviewer reads them, with their group titles.
KINDS = (
    ("settings", "Organization settings"),
    ("member", "Members"),
    ("outside_collaborator", "Outside collaborators"),
    ("hook", "Webhooks"),
    ("team", "Teams"),
    ("team_member", "Team members"),
    ("team_repository", "Team repository access"),
    ("repo_collaborator", "Repository access"),
    ("other", "Other changes"),
)
TITLES = dict(KINDS)
SYMBOLS = {"add": "+", "change": "~", "remove": "-"}


def _text(value):
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "(none)"
    if value is None:
        return "(unset)"
    return str(value)


def redacted(value):
    """``value`` with every URL in its texts redacted: the plan never shows a URL's credentials (the modules'
    results do not carry them either; this is for any other module, and in depth)."""
    if isinstance(value, dict):
        return dict((key, redacted(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [redacted(item) for item in value]
    return redact_text(value)


def describe(action):
    """One plan line for an action, without its symbol: ``alice: role (member -> admin)``."""
    line = "%s: %s" % (action.get("id"), action.get("verb") or action.get("action"))
    old, new = action.get("from"), action.get("to")
    if action.get("action") == "add" and new is not None:
        line += " (%s)" % _text(new)
    elif action.get("action") == "remove" and old is not None:
        line += " (was %s)" % _text(old)
    elif old is not None or new is not None:
        line += " (%s -> %s)" % (_text(old), _text(new))
    if action.get("fields"):
        line += " [%s]" % ", ".join(action["fields"])
    return line


HIDDEN = "the output of this task is hidden (no_log)"
MESSAGE_LIMIT = 1000


def failure_message(data):
    """What a failed task says, for the plan: the first paragraph of its message, on one line.

    A ``no_log`` task's result is censored by Ansible, and says only that. Ansible's error messages continue,
    after a blank line, with the source lines the error points at (a task file, a variables file): those
    are left out, and the message is cut at MESSAGE_LIMIT characters.
    """
    if data.get("censored") or data.get("_ansible_no_log"):
        return HIDDEN
    msg = data.get("msg") or data.get("message") or data.get("reason")
    if str(msg).startswith("Task failed: Action failed") and data.get("message"):
        msg = data["message"]  # ansible-core 2.19's include_vars: the reason is in "message"
    if not msg and data.get("unreachable"):
        msg = "host unreachable"
    text = str(msg or "failed").strip()
    first = " ".join(text.split("\n\n", 1)[0].split())
    if len(first) > MESSAGE_LIMIT:
        first = first[:MESSAGE_LIMIT - 3].rstrip() + "..."
    return first or "failed"


class Plan:
    """The changes and failures collected from one playbook run."""

    def __init__(self):
        self.changes = []
        self.failures = []
        self.check_runs = 0
        self.real_runs = 0
        self.cli_check = False  # --check: the mode of a run that failed before any task of this collection

    @property
    def mode(self):
        if not (self.check_runs or self.real_runs):
            return "check" if self.cli_check else "apply"
        return "check" if self.check_runs and not self.real_runs else "apply"

    def summary(self):
        counts = dict(add=0, change=0, remove=0)
        for action in self.changes:
            counts[action["action"] if action.get("action") in counts else "change"] += 1
        counts["failed"] = len(self.failures)
        return counts

    def headline(self):
        counts = self.summary()
        if self.failures:
            # The run stopped: say so first, so that nobody reads an incomplete plan as the whole one.
            failed = "%d task%s failed" % (len(self.failures), "" if len(self.failures) == 1 else "s")
            if self.mode == "check":
                done = ("Before the failure: %(add)d to add, %(change)d to change, %(remove)d to remove." % counts
                        if self.changes else "No changes found before the failure.")
                return "Plan failed: %s. %s" % (failed, done)
            done = ("Applied before the failure: %(add)d added, %(change)d changed, %(remove)d removed." % counts
                    if self.changes else "Nothing applied before the failure.")
            return "Apply failed: %s. %s" % (failed, done)
        if not self.changes:
            return "No changes."
        if self.mode == "check":
            return "Plan: %(add)d to add, %(change)d to change, %(remove)d to remove." % counts
        return "Applied: %(add)d added, %(change)d changed, %(remove)d removed." % counts

    def groups(self):
        """``[(title, scope, [action, ...]), ...]`` in reading order."""
        grouped = {}
        for action in self.changes:
            kind = action.get("kind") if action.get("kind") in TITLES else "other"
            grouped.setdefault((kind, action.get("scope") or ""), []).append(action)
        order = [kind for kind, _title in KINDS]
        keys = sorted(grouped, key=lambda key: (order.index(key[0]), key[1]))
        return [(TITLES[kind], scope, grouped[(kind, scope)]) for kind, scope in keys]

    def as_text(self):
        lines = [self.headline()]
        for title, scope, actions in self.groups():
            lines.append("")
            lines.append("%s%s" % (title, " (%s)" % scope if scope else ""))
            lines.extend("  %s %s" % (SYMBOLS.get(a.get("action"), "~"), describe(a)) for a in actions)
        if self.failures:
            lines.append("")
            lines.append("Failures")
            lines.extend("  ! %s: %s" % (f["task"], f["msg"]) for f in self.failures)
        return "\n".join(lines)

    def as_markdown(self):
        title = "plan" if self.mode == "check" else "apply"
        if self.failures:
            title += " failed"
        lines = ["### orgcode.github %s" % title, "", "**%s**" % self.headline()]
        for title, scope, actions in self.groups():
            lines.extend(["", "#### %s%s" % (title, " (`%s`)" % scope if scope else ""), "", "```diff"])
            lines.extend("%s %s" % (SYMBOLS.get(a.get("action"), "~"), describe(a)) for a in actions)
            lines.append("```")
        if self.failures:
            lines.extend(["", "#### Failures", ""])
            lines.extend("- **%s**: %s" % (f["task"], f["msg"].replace("\n", " ")) for f in self.failures)
        return "\n".join(lines) + "\n"

    def as_json(self):
        return dict(mode=self.mode, headline=self.headline(), summary=self.summary(), drift=self.drift,
                    failed=bool(self.failures), changes=self.changes, failures=self.failures)

    @property
    def drift(self):
        return self.mode == "check" and bool(self.changes)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "orgcode.github.plan"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.plan = Plan()

    # -- collecting ------------------------------------------------------------

    @staticmethod
    def _ours(result):
        task = result._task
        action = getattr(task, "resolved_action", None) or task.action or ""
        return action.startswith(COLLECTION)

    @staticmethod
    def _in_check_mode(result):
        task_check = getattr(result._task, "check_mode", None)
        if isinstance(task_check, bool):
            return task_check
        return bool(context.CLIARGS.get("check"))

    def _collect(self, result, failed, ignored=False):
        data = result._result
        if isinstance(data.get("results"), list):
            return  # a loop's summary; its items were collected one by one
        if not self._ours(result):
            # Another collection's task (the role's validation, include_vars of the description...): only its
            # failure matters, as the reason the plan is incomplete.
            if failed and not ignored:
                self.plan.failures.append(dict(task=result._task.get_name(), msg=failure_message(data)))
            return
        if self._in_check_mode(result):
            self.plan.check_runs += 1
        else:
            self.plan.real_runs += 1
        name = redact_text(result._task.get_name())
        actions = data.get("actions")
        if isinstance(actions, list):
            for action in actions:
                if isinstance(action, dict):
                    self.plan.changes.append(redacted(dict(action, task=name)))
        elif data.get("changed") and not failed:
            self.plan.changes.append(dict(kind="other", scope="", id=name, action="change", verb="changed",
                                          task=name))
        if failed:
            self.plan.failures.append(dict(task=name, msg=redact_text(failure_message(data))))

    def v2_runner_on_ok(self, result):
        self._collect(result, failed=False)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._collect(result, failed=True, ignored=ignore_errors)

    def v2_runner_item_on_ok(self, result):
        self._collect(result, failed=False)

    def v2_runner_item_on_failed(self, result):
        self._collect(result, failed=True, ignored=bool(getattr(result._task, "ignore_errors", False)))

    def v2_runner_on_unreachable(self, result):
        self._collect(result, failed=True)

    # -- reporting -------------------------------------------------------------

    def v2_playbook_on_stats(self, stats):
        if not (self.plan.check_runs or self.plan.real_runs or self.plan.failures):
            return
        self.plan.cli_check = bool(context.CLIARGS.get("check"))
        self._display.banner("ORGCODE.GITHUB PLAN")
        self._display.display(self.plan.as_text())
        self._write(self.get_option("markdown_file"), self.plan.as_markdown())
        self._write(self.get_option("json_file"), json.dumps(self.plan.as_json(), indent=2, sort_keys=True) + "\n")
        code = self.get_option("drift_exit_code") or 0
        if code and self.plan.drift and not self.plan.failures:
            self._display.display("Drift: exiting with status %d (drift_exit_code)." % code)
            exit_with_on_success(code)

    def _write(self, path, text):
        if not path:
            return
        try:
            with open(path, "w") as handle:
                handle.write(text)
        except OSError as exc:
            self._display.warning("orgcode.github.plan: cannot write %s: %s" % (path, exc))
