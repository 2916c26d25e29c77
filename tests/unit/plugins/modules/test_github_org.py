"""github_org's behaviour against the simulator, in-process.

Each task's module runs in-process (the ``ansible`` fixture of tests/unit/conftest.py); the
end-to-end cases through ansible-playbook are in tests/integration/test_github_org.py.
"""


def org_task(**settings):
    return {"name": "settings", "orgcode.github.github_org": dict({"org": "acme"}, **settings)}


def test_changes_only_the_differing_settings_in_one_patch(ansible, sim):
    task = org_task(description="Widgets since 1949", default_repository_permission="write",
                    members_can_create_repositories=False)
    first = ansible.play([task])
    assert first.rc == 0, first
    assert first.changed == 1
    result = first.task("settings")
    assert result["changed_settings"] == ["default_repository_permission", "members_can_create_repositories"]
    assert result["organization"]["default_repository_permission"] == "write"
    writes = sim.writes()
    assert [(w["method"], w["path"]) for w in writes] == [("PATCH", "/orgs/acme")]
    acme = next(o for o in sim.state()["orgs"] if o["login"] == "acme")
    assert acme["settings"]["default_repository_permission"] == "write"
    assert acme["settings"]["members_can_create_repositories"] is False

    sim.clear_log()
    second = ansible.play([task])
    assert second.rc == 0 and second.changed == 0, second
    assert sim.writes() == []
    assert len(sim.requests()) == 1, "an unchanged run costs exactly one GET"


def test_patch_body_carries_only_changed_fields(ansible, sim, tmp_path):
    # The simulator's log does not keep bodies; the module result names exactly what was sent.
    run = ansible.play([org_task(name="ACME Corp", company="ACME", location="Shelbyville")])
    assert run.rc == 0, run
    assert run.task("settings")["changed_settings"] == ["location"]
    assert run.task("settings")["organization"]["location"] == "Shelbyville"
    assert run.task("settings")["organization"]["company"] == "ACME"


def test_empty_string_matches_a_missing_value(ansible, sim, state):
    state["orgs"][0]["settings"]["location"] = None
    sim.reset(state)
    run = ansible.play([org_task(location="")])
    assert run.rc == 0 and run.changed == 0, run


def test_unknown_org_is_one_readable_message(ansible, sim):
    run = ansible.play([{"name": "settings", "orgcode.github.github_org": {"org": "no-such-org", "name": "x"}}])
    assert run.rc != 0
    result = run.task("settings")
    assert "org: organization 'no-such-org' was not found" in result["msg"]
    assert "Traceback" not in run.output
    assert sim.writes() == []


def test_invalid_choice_fails_before_any_request(ansible, sim):
    run = ansible.play([org_task(default_repository_permission="owner")])
    assert run.rc != 0
    assert "default_repository_permission" in run.task("settings")["msg"]
    assert sim.requests() == []


def test_github_422_comes_back_with_its_errors(ansible, sim):
    sim.fault(method="PATCH", path="^/orgs/acme$", status=422,
              body={"message": "Validation Failed", "errors": [
                  {"resource": "Organization", "field": "billing_email", "code": "invalid"}],
                  "documentation_url": "https://docs.github.com/rest/orgs/orgs#update-an-organization"})
    run = ansible.play([org_task(billing_email="not-an-email")])
    assert run.rc != 0
    msg = run.task("settings")["msg"]
    assert "PATCH /orgs/acme failed: HTTP 422: Validation Failed" in msg
    assert "billing_email invalid" in msg
    assert "docs.github.com" in msg
