"""Command line of the GitHub REST API simulator (the code is the ``ghsim`` package next to this file).

Run::

    python tests/simulator/ghsim.py --state STATE.yml [--host 127.0.0.1] [--port 0]
        [--port-file PATH] [--latency-ms 0] [--flavour github.com|ghes]

Run as a script, this file's directory is ``sys.path[0]``, so ``import ghsim`` below finds the
package ``ghsim/`` (a package directory wins over a module of the same name).
"""

import sys

if __name__ == "__main__":
    from ghsim.server import main

    sys.exit(main())
