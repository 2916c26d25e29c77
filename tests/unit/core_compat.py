"""What the in-process tests need from ansible-core, on 2.16 to 2.19 (`make test-matrix`)."""

import contextlib
import json

try:
    from ansible.module_utils.testing import patch_module_args  # noqa: F401  pylint: disable=unused-import
except ImportError:
    from ansible.module_utils import basic

    @contextlib.contextmanager
    def patch_module_args(args):
        """The arguments as AnsibleModule reads them before 2.19 (``basic._ANSIBLE_ARGS``)."""
        previous = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = previous


def act_as_target(monkeypatch):
    """Warnings go into the module's result as on a target host (2.19 sends them to the controller's display)."""
    try:
        from ansible.module_utils import _internal
    except ImportError:  # before 2.18 there is no _internal
        return
    if hasattr(_internal, "is_controller"):  # 2.18 has _internal, but module warnings always go into the result
        monkeypatch.setattr(_internal, "is_controller", False)
