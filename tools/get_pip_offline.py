"""Stand-in for the get-pip bootstrap script ansible-test downloads from its own file host.

ansible-test creates a virtual environment per sanity test and bootstraps pip into it with a
get-pip script fetched from a host this project's machines cannot reach. `make sanity` puts this
file where ansible-test caches that script: it installs the interpreter's bundled pip with
ensurepip, then runs the `pip install` ansible-test asked for (from the package index as usual).
"""

import ensurepip
import os
import sys

environment = dict(os.environ)
ensurepip.bootstrap(upgrade=True)
# ensurepip points PIP_CONFIG_FILE at /dev/null; the install below must see the machine's pip config.
os.environ.clear()
os.environ.update(environment)

from pip._internal.cli.main import main  # noqa: E402  (pip exists only after the bootstrap)

# get-pip's own flags, which pip install does not know.
args = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
sys.exit(main(["install", "--upgrade"] + args))
