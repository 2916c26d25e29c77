"""GitHub App helpers shared by the in-process and the end-to-end App tests.

A fresh RSA key pair is generated for the test session (no private key is committed); the simulator
state gains an App whose public key it is, installed on organization ``acme`` (fixtures ``app_key``,
``app_state``, ``app_sim`` and ``key_file`` in tests/conftest.py).
"""

import json
import re

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

APP_ID = 1234
INSTALLATION_ID = 55
TOKEN_PATH = "/app/installations/%d/access_tokens" % INSTALLATION_ID
MEMBERSHIP = {"name": "t", "orgcode.github.github_org_membership": {"org": "acme", "username": "erin"}}


def pem_pair():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


def app_state_of(state, public_key):
    """``state`` with the App (public key ``public_key``) installed on ``acme``."""
    state["apps"] = [{
        "id": APP_ID, "slug": "orgcode-app", "client_id": "Iv23liOrgcodeTest", "public_key": public_key,
        "installations": [{"id": INSTALLATION_ID, "account": "acme", "token_ttl": 3600}],
    }]
    return state


def key_lines(pem):
    """The base64 lines of a PEM: none of them may show up in any output."""
    return [line for line in pem.splitlines() if line and not line.startswith("-----")]


def play(ansible, tasks, api_url=None, **connection):
    """One play whose module_defaults carry ``connection`` (App options) for the action group."""
    defaults = {"api_url": api_url or ansible.sim.url}
    defaults.update({k: v for k, v in connection.items() if v is not None})
    return [{"name": "app auth", "hosts": "localhost", "gather_facts": False,
             "module_defaults": {"group/orgcode.github.github": defaults}, "tasks": tasks}]


def app_calls(sim):
    return [(r["method"], r["path"], r["status"]) for r in sim.requests()
            if r["path"].startswith("/app") or r["path"].endswith("/installation")]


def assert_no_secrets(run, *secrets):
    text = run.output + json.dumps(run.results)
    assert "Traceback" not in run.output
    assert not re.search(r"ghs_[0-9a-f]{8}", text), "an installation token was printed"
    assert not re.search(r"eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.", text), "a JSON web token was printed"
    for secret in secrets:
        for line in key_lines(secret) or [secret]:
            assert line not in text, "secret material was printed"
