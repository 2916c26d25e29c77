"""Print the requirements of one `make test-matrix` virtual environment.

    python tools/matrix_requirements.py 2.16 > .venv-2.16/requirements.txt

That is ``tests/matrix/ansible-core-<version>.txt`` (ansible-core and its dependencies, pinned) plus the
test tools of ``tests/requirements.txt``, leaving out the packages the matrix file pins itself (its pin wins)
and the linters, which run once in `make lint` (ansible-lint also requires a recent ansible-core).
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINTERS = {"ansible-lint", "antsibull-docs", "ruff"}


def package(line):
    """The normalized package name a requirement line pins, or None for comments and blank lines."""
    match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line)
    return re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else None


def merged(version):
    matrix = (ROOT / "tests" / "matrix" / ("ansible-core-%s.txt" % version)).read_text().splitlines()
    pinned = {package(line) for line in matrix} - {None}
    tools = [line for line in (ROOT / "tests" / "requirements.txt").read_text().splitlines()
             if package(line) and package(line) not in pinned | LINTERS]
    return matrix + ["# from tests/requirements.txt"] + tools


if __name__ == "__main__":
    print("\n".join(merged(sys.argv[1])))
