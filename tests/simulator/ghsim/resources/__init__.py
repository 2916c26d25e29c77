"""One module per resource family; each defines ``ROUTES``: (method, template, handler, is_list) tuples.

To add a resource family (e.g. teams): write ``resources/teams.py`` with its handlers and ``ROUTES``,
and list it in ``RESOURCES`` below.
"""

from __future__ import annotations

from . import apps, hooks, members, orgs, outside, repos, users

RESOURCES = (users, orgs, members, outside, hooks, repos, apps)
