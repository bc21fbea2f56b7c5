"""python -m local as a user runs it: successive commands on one state directory, each with a fresh LocalCloud
(in this process: the entry point's own process is tested once, in test_local_cloudformation_api)."""

from __future__ import annotations

import graphlib
import re
from pathlib import Path

from tests.imports import import_graph
from tests.local.cloud_helpers import run, write

ROLLOUT = """
    Transform: AWS::LanguageExtensions
    Parameters:
      Accounts: {Type: CommaDelimitedList}
    Resources:
      Lens:
        Type: AWS::WellArchitected::Lens
        Properties:
          LensVersion: "1.0"
          JSONString: '{"schemaVersion": "2021-11-01", "name": "Rollout lens", "pillars": []}'
      Fn::ForEach::Shares:
        - Account
        - !Ref Accounts
        - Share${Account}:
            Type: Custom::LensShare
            Properties:
              ServiceToken: !ImportValue lens-share-provider-ServiceToken
              LensAlias: !GetAtt Lens.LensArn
              SharedWith: !Ref Account
    Outputs:
      LensArn: {Value: !Ref Lens}
    """


def test_deploy_update_describe_delete_and_reset_across_commands(tmp_path: Path) -> None:
    state = tmp_path / "state"
    template = write(tmp_path, "rollout.yaml", ROLLOUT)

    provider = run(state, "deploy", "--template-file", "template.yaml", "--stack-name", "lens-share-provider")
    assert provider.returncode == 0, provider.stdout + provider.stderr
    assert "Successfully deployed stack lens-share-provider: CREATE_COMPLETE" in provider.stdout

    rollout = ("deploy", "-t", str(template), "--stack-name", "rollout")
    created = run(state, *rollout, "--parameter-overrides", "Accounts=111122223333,444455556666")
    assert created.returncode == 0, created.stdout + created.stderr
    assert re.search(r"Share111122223333 +CREATE_COMPLETE", created.stdout)

    updated = run(state, *rollout, "--parameter-overrides", "Accounts=111122223333,777788889999")
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS" in updated.stdout
    assert re.search(r"Share444455556666 +DELETE_COMPLETE", updated.stdout)

    unchanged = run(state, *rollout)
    assert unchanged.returncode == 0
    assert "No changes to deploy. Stack rollout is up to date" in unchanged.stdout

    described = run(state, "describe", "--stack-name", "rollout")
    assert described.returncode == 0, described.stderr
    assert "Stack rollout: UPDATE_COMPLETE" in described.stdout
    assert ": 2 share(s)" in described.stdout
    assert "777788889999" in described.stdout
    assert "444455556666" not in described.stdout

    deleted = run(state, "delete", "--stack-name", "rollout")
    assert deleted.returncode == 0, deleted.stdout + deleted.stderr
    assert "Stack rollout: DELETE_COMPLETE" in deleted.stdout

    assert run(state, "reset").returncode == 0
    gone = run(state, "describe", "--stack-name", "lens-share-provider")
    assert gone.returncode == 1
    assert gone.stderr == "Error: Stack with id lens-share-provider does not exist\n"


def test_a_failed_stack_and_a_refused_template_exit_non_zero(tmp_path: Path) -> None:
    state = tmp_path / "state"
    template = write(tmp_path, "rollout.yaml", ROLLOUT)
    provider = run(state, "deploy", "--template-file", "template.yaml", "--stack-name", "lens-share-provider")
    assert provider.returncode == 0

    failed = run(state, "deploy", "-t", str(template), "--stack-name", "bad", "--parameter-overrides", "Accounts=bad")

    assert failed.returncode == 1
    assert re.search(r"Sharebad +CREATE_FAILED +SharedWith 'bad' is not a principal", failed.stdout)
    assert "Failed to deploy stack bad: ROLLBACK_COMPLETE" in failed.stdout

    refused = run(state, "deploy", "-t", str(template), "--stack-name", "other", "--parameter-overrides", "Acounts=1")

    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr == "Error: Parameters: [Acounts] do not exist in the template\n"


def test_local_modules_import_one_another_without_a_circle() -> None:
    graphlib.TopologicalSorter(import_graph("local")).prepare()  # raises CycleError, naming the circle
