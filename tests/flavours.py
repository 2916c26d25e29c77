"""Test flavours: which GitHub the simulator plays for a test and which REST API version the modules send.

A test runs on ``github.com`` unless it asks for another flavour::

    from flavours import EACH_FLAVOUR

    @EACH_FLAVOUR                                    # github.com, ghes and 2026-03-10
    def test_something(ansible, sim, state, flavour): ...

    @pytest.mark.parametrize("flavour", ["ghes"])    # one flavour
    def test_on_ghes(ansible, sim): ...

The ``flavour`` fixture (tests/conftest.py) sets the ``flavor`` of the ``state`` fixture and of the
state ``sim`` is reset to, and ``ansible`` points ``api_url`` at the flavour's API root (``/api/v3`` on
GHES) and sends its ``api_version``.  ``pytest --sim-flavour ghes`` runs every test that does not choose
a flavour on that one instead of github.com.
"""

import pytest

FLAVOURS = {
    # name: (the simulator's flavor, the api_version the modules send; None: the modules' default)
    "github.com": ("github.com", None),
    "ghes": ("ghes", None),
    "2026-03-10": ("github.com", "2026-03-10"),
}
ALL_FLAVOURS = tuple(FLAVOURS)
EACH_FLAVOUR = pytest.mark.parametrize("flavour", ALL_FLAVOURS)


def simulator_flavor(flavour):
    return FLAVOURS[flavour][0]


def api_version(flavour):
    return FLAVOURS[flavour][1]
