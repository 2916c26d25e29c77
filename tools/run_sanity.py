"""Run ``ansible-test sanity`` on this checkout with the ansible-core of the interpreter running this script.

    .venv/bin/python tools/run_sanity.py                 # what `make sanity` runs (ansible-core of .venv)
    .venv-2.16/bin/python tools/run_sanity.py --test pylint

ansible-test wants the collection at ``ansible_collections/orgcode/github`` inside a git work tree, so the
files git knows of (tracked, and untracked ones that are not ignored) are copied to
``build/sanity-<ansible-core version>/ansible_collections/orgcode/github`` first.

ansible-test bootstraps pip into each sanity test's virtual environment with a get-pip script that it
downloads from its own file host, which this project's machines cannot reach. It uses a cached copy when
there is one, so ``tools/get_pip_offline.py`` is put at the cache path of the pip version this ansible-test
asks for; that stand-in installs the interpreter's bundled pip and then the pinned packages from the package
index as usual. Every other argument goes to ``ansible-test sanity``.
"""

import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def ansible_core_version():
    from ansible.release import __version__

    return __version__


def install_get_pip_stand_in(python_version):
    """Put the stand-in where ansible-test looks for its cached get-pip script; return that path."""
    from ansible_test._internal.python_requirements import get_venv_packages

    pip_version = get_venv_packages(types.SimpleNamespace(version=python_version))["pip"]
    cache = Path.home() / ".ansible" / "test" / "cache" / ("get_pip_%s.py" % pip_version.replace(".", "_"))
    cache.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "tools" / "get_pip_offline.py", cache)
    return cache


def copy_collection(target):
    """Copy the files git knows of to ``target`` and make it a git work tree of its own."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=str(ROOT), check=True, capture_output=True).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"]):
        subprocess.run(cmd, cwd=str(target), check=True)


def main(argv):
    python_version = "%d.%d" % sys.version_info[:2]
    install_get_pip_stand_in(python_version)
    target = ROOT / "build" / ("sanity-%s" % ansible_core_version()) / "ansible_collections" / "orgcode" / "github"
    copy_collection(target)
    cmd = [str(BIN / "ansible-test"), "sanity", "--python", python_version, "--color", "no"]
    cmd.extend(argv)
    print("$ " + " ".join(cmd), flush=True)
    env = dict(os.environ, PATH="%s%s%s" % (BIN, os.pathsep, os.environ.get("PATH", "")))
    return subprocess.run(cmd, cwd=str(target), env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
