"""github_org_membership's authoritative list mode (members, exclusive, guards).

The end-to-end cases (what ansible-playbook shows, real pacing, the environment); the module's
behaviour is tested in-process in tests/unit/plugins/modules/test_github_org_membership_list.py."""


BASE = [
    {"login": "octo-admin", "role": "admin"},
    {"login": "alice"},
    {"login": "bob"},
    {"login": "dave"},
    {"login": "read-only-rita"},
    {"login": "carol"},  # pending invitation in the base state
]


def members_task(members, **options):
    options.setdefault("write_delay", 0)
    return {"name": "members",
            "orgcode.github.github_org_membership": dict({"org": "acme", "members": members}, **options)}


def acme(sim):
    return next(o for o in sim.state()["orgs"] if o["login"] == "acme")


def test_write_delay_spaces_writes(ansible, sim):
    wanted = BASE + [{"login": "erin"}, {"login": "frank"}, {"login": "mallory"}]
    run = ansible.play([members_task(wanted, write_delay=0.5)])
    assert run.rc == 0 and run.changed == 1
    times = [w["at"] for w in sim.writes()]
    assert len(times) == 3
    assert all(later - earlier >= 0.45 for earlier, later in zip(times, times[1:], strict=False)), times
