"""ghsim: a stateful GitHub REST API simulator for the orgcode.github collection tests.

Run::

    python tests/simulator/ghsim.py --state STATE.yml [--host 127.0.0.1] [--port 0]
        [--port-file PATH] [--latency-ms 0] [--flavour github.com|ghes]

(or ``python -m ghsim ...`` with ``tests/simulator`` on ``sys.path``).  It prints
``ghsim listening on http://HOST:PORT`` once ready and serves until SIGTERM/SIGINT.

Layout (see README.md):

- ``common``      constants, ``ApiError``, ``Response``, ``Urls``, small helpers
- ``orgfields``   the organization object's fields (writable, owner-only, defaults)
- ``state``       ``State``: users, tokens, organizations, repositories, Apps
- ``render``      representations shared by several resources (users, organizations, repositories)
- ``permissions`` repository role computation
- ``context``     ``Ctx``: what a handler gets (body, authorization checks, lookups, pagination)
- ``appauth``     GitHub App registry, JWT (RS256 on ``cryptography``) and installation tokens
- ``resources/``  one module per resource family, each with its handlers and ``ROUTES``
- ``routing``     the route table and matcher
- ``server``      HTTP server, dispatch, rate limits, faults, ``/_sim/`` control, command line
"""

from __future__ import annotations

from .common import DEFAULT_API_VERSION, SUPPORTED_API_VERSIONS, ApiError, Response  # noqa: F401
from .routing import ROUTES, match_route  # noqa: F401
from .server import Handler, Simulator, control_accept, fault_response, load_state_file, main, make_server  # noqa: F401
from .state import State  # noqa: F401
