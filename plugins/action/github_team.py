# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of orgcode.github.github_team: an explicit ``parent_team: null`` detaches the team.

A module's argument spec cannot tell ``parent_team: null`` from an option that is not set (both arrive as
None), and "not set" must leave the parent as it is. This plugin sees the task's arguments (module_defaults
already merged, templates resolved, omitted options gone) and hands an explicit null to the module as ``''``,
which the module reads as "detach". Everything else is the module's: check mode, diff, async.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash

MODULE = "orgcode.github.github_team"


def module_args(task_args):
    """The module's arguments: ``parent_team`` given as null becomes ``''`` (detach); the rest as given."""
    args = dict(task_args or {})
    if "parent_team" in args and args["parent_team"] is None:
        args["parent_team"] = ""
    return args


class ActionModule(ActionBase):

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp  # tmp no longer has any effect
        wrap_async = self._task.async_val and not self._connection.has_native_async
        name = getattr(self._task, "resolved_action", None) or MODULE
        result = merge_hash(result, self._execute_module(module_name=name, module_args=module_args(self._task.args),
                                                         task_vars=task_vars, wrap_async=wrap_async))
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result
