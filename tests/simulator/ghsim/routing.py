"""The route table (every resource module's ``ROUTES``) and the path matcher."""

from __future__ import annotations

import re
from urllib.parse import unquote

from .resources import RESOURCES

SEG = r"[^/]+"
ROUTES: list[tuple[str, str, object, bool]] = [route for module in RESOURCES for route in module.ROUTES]


def _compile(template: str):
    pattern = re.sub(r"\{(\w+)\}", lambda m: f"(?P<{m.group(1)}>{SEG})", template)
    return re.compile(f"^{pattern}$")


COMPILED = [(m, _compile(t), t, h, is_list) for (m, t, h, is_list) in ROUTES]


def match_route(method: str, path: str):
    """Return (template, handler, params, is_list) or None.  HEAD is served like GET."""
    if method == "HEAD":
        method = "GET"
    for m, rx, template, handler, is_list in COMPILED:
        if m != method:
            continue
        mt = rx.match(path)
        if mt:
            return template, handler, {k: unquote(v) for k, v in mt.groupdict().items()}, is_list
    return None
