# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to orgcode.github, not a public API: names and behaviour may change in any release.

"""The drift exit status of the ``orgcode.github.plan`` callback (controller side only)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import sys


def exit_with_on_success(code):
    """Make the coming ``sys.exit(0)`` of ansible-playbook exit with ``code``; other statuses stay.

    A callback cannot return an exit status: ansible-playbook ends with ``sys.exit(exit_code)`` once the
    playbook is done (after the stats callbacks), so the drift status replaces a successful status there,
    and only there: a failure's status (2 for a failed task, ...) is kept.
    """
    original = sys.exit

    def exit_with_drift(status=0):
        original(code if status in (0, None) else status)

    sys.exit = exit_with_drift
