"""Every flavour end to end: github.com, GHES 3.17+ and API version 2026-03-10 through ansible-playbook.

One multi-module play per flavour (tests/flavours.py): the play's ``module_defaults`` for the collection's
action group carry the flavour's API root (``/api/v3`` on GHES) and its ``api_version`` to every module, and
the simulator sees each request at that root and with that version. The core scenarios of every module on
each flavour (check mode, idempotence, what differs on a flavour) run in-process in
tests/unit/plugins/modules/test_flavours.py.
"""

from flavours import EACH_FLAVOUR
from helpers import acme, lower, repo, task


@EACH_FLAVOUR
def test_a_play_of_several_modules_speaks_to_the_flavours_root_with_its_version(ansible, sim, state, flavour):
    state["users"].append({"login": "restricted-rita", "trade_restricted": True})
    sim.reset(state)
    tasks = [
        task("org", "github_org", org="acme", description="Flavoured"),
        task("invite", "github_org_membership", org="acme", username="erin"),
        task("collaborator", "github_repo_collaborator", owner="acme", repo="gadgets", username="outsider-oscar",
             permission="maintain"),
        task("info", "github_org_info", org="acme"),
    ]
    if flavour != "ghes":  # the API version shows in GitHub's answer: 451 from 2026-03-10 on, 422 before
        tasks.append(dict(task("restricted", "github_org_membership", org="acme", username="restricted-rita"),
                          ignore_errors=True))
    run = ansible.play(tasks, diff=True)
    assert run.rc == 0 and run.changed == 3, run
    assert "Traceback" not in run.output

    assert sim.flavour == ("ghes" if flavour == "ghes" else "github.com")
    assert {r.get("api_prefix") for r in sim.requests()} == ({"/api/v3"} if flavour == "ghes" else {None})
    assert run.task("org")["organization"]["description"] == "Flavoured"
    assert acme(sim)["settings"]["description"] == "Flavoured"
    assert run.task("invite")["membership"]["state"] == "pending"
    assert lower(repo(sim, "gadgets")["collaborators"])["outsider-oscar"] == "maintain"
    info = run.task("info")
    assert info["settings"]["description"] == "Flavoured"
    if flavour == "ghes":
        assert "invitations" not in info and set(info["skipped_parts"]) == {"invitations"}
    else:
        assert {i["login"].lower() for i in info["invitations"]} == {"carol", "erin"}
        assert [r["status"] for r in run.results if r["task"] == "restricted"] == ["failed"]  # and ignored
        refused = run.task("restricted")
        status = 451 if flavour == "2026-03-10" else 422
        assert refused["status"] == status and str(status) in refused["msg"], refused
