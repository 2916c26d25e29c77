# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: appends every task result as one JSON line to $ORGCODE_RESULT_LOG.

The default stdout callback stays on, so tests check both what a user sees and the
structured results (the json callback lives in ansible.posix, which the suite does not need).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r'''
name: orgcode_result_log
type: aggregate
short_description: write task results as JSON lines (tests only)
description: Appends each task result to the file named by ORGCODE_RESULT_LOG.
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "orgcode_result_log"
    CALLBACK_NEEDS_ENABLED = True

    _play = None

    def v2_playbook_on_play_start(self, play):
        self._play = play.get_name()

    def _log(self, result, status):
        path = os.environ.get("ORGCODE_RESULT_LOG")
        if not path:
            return
        entry = dict(task=result._task.get_name(), action=result._task.action, status=status,
                     host=result._host.get_name(), play=self._play, result=result._result)
        with open(path, "a") as handle:
            handle.write(json.dumps(entry, default=str) + "\n")

    def v2_runner_on_ok(self, result):
        self._log(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._log(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._log(result, "skipped")

    def v2_runner_item_on_ok(self, result):
        self._log(result, "item_ok")

    def v2_runner_item_on_failed(self, result):
        self._log(result, "item_failed")
