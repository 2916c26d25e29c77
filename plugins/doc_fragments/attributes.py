# -*- coding: utf-8 -*-
# Copyright: orgcode.github contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The attributes every orgcode.github module shares (orgcode.github.attributes): a module that
    # changes GitHub supports check mode and diff mode fully and belongs to the action group.
    DOCUMENTATION = r'''
options: {}
attributes:
  action_group:
    description: Use C(group/orgcode.github.github) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - orgcode.github.github
  check_mode:
    description: Can run in check mode and return the changed status and results without changing GitHub;
      nothing is written in check mode.
    support: full
  diff_mode:
    description: Returns details on what changed (or would change in check mode) as C(before) and C(after).
    support: full
'''

    # A read-only module (orgcode.github.attributes.info_module): used together with the fragment above.
    INFO_MODULE = r'''
options: {}
attributes:
  check_mode:
    support: full
    details:
      - This module only reads; it runs the same in check mode.
  diff_mode:
    support: N/A
    details:
      - This module only reads; it has no diff.
'''
