"""The CI workflow parses and keeps its order: check, build, verify, then publish only on push."""

from __future__ import annotations

from pathlib import Path

import yaml

WORKFLOW = Path(__file__).parents[3] / ".github" / "workflows" / "kb.yml"


def test_workflow_verifies_before_it_publishes() -> None:
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = flow[True]  # YAML 1.1 reads the key `on` as True
    assert {"pull_request", "push"} <= set(triggers)
    runs = [step.get("run", "") for step in flow["jobs"]["build"]["steps"]]
    order = [
        next(i for i, r in enumerate(runs) if r.startswith(c)) for c in ("kb check", "kb build", "kb verify")
    ]
    assert order == sorted(order)
    uses = [step.get("uses", "") for step in flow["jobs"]["build"]["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif") for u in uses)
    for job in ("publish-public", "publish-internal"):
        assert flow["jobs"][job]["needs"] == "build"
        assert "github.event_name == 'push'" in flow["jobs"][job]["if"]
    assert flow["jobs"]["publish-internal"]["environment"]["name"] != "github-pages"
