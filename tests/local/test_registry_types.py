"""The registry types in the local CloudFormation and its Cloud Control API: stacks deploy, update, replace and
delete shares through the types' handlers, detect-drift and import read them, and boto3's cloudcontrol client
drives them; every test asserts on what the emulator holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import WaiterError

from local.cloud import LocalCloud
from local.demo import INVITATION_LIFETIME_S
from local.drift import resource_drift
from local.stack import Resource
from tests.local.cloud_helpers import EXAMPLES, MEMBER, OWNER, position, run, write

TYPE = "LensShareProvider::WellArchitected::WorkloadShare"
OTHER = "333333333333"
TEMPLATE = f"""\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  WorkloadId:
    Type: String
  SharedWith:
    Type: String
    Default: "{MEMBER}"
  Permission:
    Type: String
    Default: READONLY
  Round:
    Type: String
    Default: "1"
Resources:
  Share:
    Type: {TYPE}
    Properties:
      WorkloadId: !Ref WorkloadId
      SharedWith: !Ref SharedWith
      PermissionType: !Ref Permission
      InvitationRound: !Ref Round
Outputs:
  Identifier:
    Value: !Ref Share
  ShareId:
    Value: !GetAtt Share.ShareId
"""
# boto3's own waiter, as clients of Cloud Control use it, looking every tenth of a second rather than every second.
QUICK_POLL = {"Delay": 0.1, "MaxAttempts": 300}


def shares(cloud: LocalCloud, workload_id: str) -> dict[str, dict[str, Any]]:
    """What the emulator holds: principal -> share."""
    return {share["SharedWith"]: share for share in cloud.emulator.shares(workload_id)}


def test_a_stack_deploys_updates_replaces_and_deletes_shares_through_the_handlers(
    cloud: LocalCloud, tmp_path: Path
) -> None:
    workload = cloud.emulator.create_workload(account=OWNER)
    path = write(tmp_path, "shares.yaml", TEMPLATE)

    stack = cloud.deploy("shares", path, {"WorkloadId": workload})
    created = shares(cloud, workload)[MEMBER]
    assert stack.status == "CREATE_COMPLETE", stack.events_table()
    assert stack.outputs["Identifier"]["value"] == f"{workload}|{MEMBER}"
    assert stack.outputs["ShareId"]["value"] == created["ShareId"]
    assert created["PermissionType"] == "READONLY"

    stack = cloud.deploy("shares", path, {"Permission": "CONTRIBUTOR"})
    assert stack.status == "UPDATE_COMPLETE", stack.events_table()
    assert shares(cloud, workload)[MEMBER] | {"StatusMessage": None} == created | {
        "PermissionType": "CONTRIBUTOR",
        "StatusMessage": None,
    }

    cloud.emulator.advance_clock(INVITATION_LIFETIME_S + 1)
    assert shares(cloud, workload)[MEMBER]["Status"] == "EXPIRED"
    stack = cloud.deploy("shares", path, {"Round": "2"})
    assert stack.status == "UPDATE_COMPLETE", stack.events_table()
    assert shares(cloud, workload)[MEMBER]["Status"] == "PENDING"  # invited again

    mark = len(stack.events)
    stack = cloud.deploy("shares", path, {"SharedWith": OTHER})
    assert stack.status == "UPDATE_COMPLETE", stack.events_table()
    assert set(shares(cloud, workload)) == {OTHER}
    assert stack.resources["Share"].physical_id == f"{workload}|{OTHER}"
    # the new share first, the old one deleted in clean-up
    assert position(stack, "Share", "UPDATE_COMPLETE", mark) < position(stack, "Share", "DELETE_COMPLETE", mark)
    assert position(stack, "shares", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", mark) < position(
        stack, "Share", "DELETE_IN_PROGRESS", mark
    )

    cloud.delete("shares")
    assert shares(cloud, workload) == {}


def test_detect_drift_reports_a_share_deleted_or_changed_by_hand(state: Path, tmp_path: Path) -> None:
    two = TEMPLATE.replace(
        "Resources:\n",
        f"Resources:\n  Other:\n    Type: {TYPE}\n    Properties:\n"
        f'      WorkloadId: !Ref WorkloadId\n      SharedWith: "{OTHER}"\n',
    )
    with LocalCloud(state) as cloud:
        workload = cloud.emulator.create_workload(account=OWNER)
        assert cloud.deploy("shares", write(tmp_path, "two.yaml", two), {"WorkloadId": workload}).status == (
            "CREATE_COMPLETE"
        )
        cloud.emulator.delete_share(shares(cloud, workload)[OTHER]["ShareId"])
        client = cloud.client("wellarchitected", OWNER)
        share_id = shares(cloud, workload)[MEMBER]["ShareId"]
        client.update_workload_share(WorkloadId=workload, ShareId=share_id, PermissionType="CONTRIBUTOR")

    detected = run(state, "detect-drift", "--stack-name", "shares")

    assert detected.returncode == 0, detected.stderr
    drifts = {drift["LogicalResourceId"]: drift for drift in json.loads(detected.stdout)["StackResourceDrifts"]}
    assert drifts["Other"]["StackResourceDriftStatus"] == "DELETED"
    assert drifts["Share"]["StackResourceDriftStatus"] == "MODIFIED"
    assert drifts["Share"]["PropertyDifferences"] == [
        {
            "PropertyPath": "/PermissionType",
            "ExpectedValue": "READONLY",
            "ActualValue": "CONTRIBUTOR",
            "DifferenceType": "NOT_EQUAL",
        }
    ]


def test_a_custom_resource_is_not_checked_for_drift(cloud: LocalCloud) -> None:
    custom = Resource("Share", "Custom::LensShare", "share-1", {"ServiceToken": "arn"}, "CREATE_COMPLETE")

    drift = resource_drift(cloud.handlers, "stack-id", OWNER, custom)

    assert drift["StackResourceDriftStatus"] == "NOT_CHECKED"


def test_import_brings_a_share_made_by_hand_under_a_stack(state: Path, tmp_path: Path) -> None:
    with LocalCloud(state) as cloud:
        workload = cloud.emulator.create_workload(account=OWNER)
        client = cloud.client("wellarchitected", OWNER)
        made = client.create_workload_share(
            WorkloadId=workload, SharedWith=MEMBER, PermissionType="READONLY", ClientRequestToken="by-hand"
        )
    path = write(
        tmp_path, "shares.yaml", TEMPLATE.replace("    Properties:\n", "    DeletionPolicy: Retain\n    Properties:\n")
    )
    to_import = [{"ResourceType": TYPE, "LogicalResourceId": "Share", "ResourceIdentifier": {
        "WorkloadId": workload, "SharedWith": MEMBER}}]  # fmt: skip

    without_policy = write(tmp_path, "no-policy.yaml", TEMPLATE)
    options = ("--resources-to-import", json.dumps(to_import), "--parameter-overrides", f"WorkloadId={workload}")
    refused = run(state, "import", "--stack-name", "shares", "--template-file", str(without_policy), *options)
    imported = run(state, "import", "--stack-name", "shares", "--template-file", str(path), *options)

    assert refused.returncode == 1
    assert "must have a DeletionPolicy" in refused.stderr
    assert imported.returncode == 0, imported.stdout + imported.stderr
    with LocalCloud(state) as cloud:
        stack = cloud.stack("shares")
        assert stack is not None
        assert stack.status == "IMPORT_COMPLETE"
        assert stack.resources["Share"].physical_id == f"{workload}|{MEMBER}"
        assert stack.outputs["ShareId"]["value"] == made["ShareId"]
        assert [share["ShareId"] for share in cloud.emulator.shares(workload)] == [made["ShareId"]]  # adopted
        cloud.delete("shares")
        assert [share["ShareId"] for share in cloud.emulator.shares(workload)] == [made["ShareId"]]  # retained


def test_cloud_control_creates_gets_updates_lists_and_deletes_a_share(cloud: LocalCloud) -> None:
    workload = cloud.emulator.create_workload(account=OWNER)
    client = boto3.client(
        "cloudcontrol",
        endpoint_url=cloud.cloudcontrol_url(),
        region_name=cloud.region,
        aws_access_key_id=f"AKIDLOCAL{OWNER}",
        aws_secret_access_key="local",
    )
    waiter = client.get_waiter("resource_request_success")

    def finished(event: dict[str, Any]) -> dict[str, Any]:
        waiter.wait(RequestToken=event["RequestToken"], WaiterConfig=QUICK_POLL)
        status = client.get_resource_request_status(RequestToken=event["RequestToken"])
        return dict(status["ProgressEvent"])

    desired = json.dumps({"WorkloadId": workload, "SharedWith": MEMBER})
    created = finished(client.create_resource(TypeName=TYPE, DesiredState=desired)["ProgressEvent"])
    identifier = f"{workload}|{MEMBER}"
    assert (created["OperationStatus"], created["Operation"], created["Identifier"]) == (
        "SUCCESS",
        "CREATE",
        identifier,
    )
    assert shares(cloud, workload)[MEMBER]["ShareId"] == json.loads(created["ResourceModel"])["ShareId"]

    got = json.loads(client.get_resource(TypeName=TYPE, Identifier=identifier)["ResourceDescription"]["Properties"])
    assert got["Status"] == "PENDING"

    patch = json.dumps([{"op": "replace", "path": "/PermissionType", "value": "CONTRIBUTOR"}])
    updated = finished(
        client.update_resource(TypeName=TYPE, Identifier=identifier, PatchDocument=patch)["ProgressEvent"]
    )
    assert updated["OperationStatus"] == "SUCCESS"
    assert shares(cloud, workload)[MEMBER]["PermissionType"] == "CONTRIBUTOR"

    listed = client.list_resources(TypeName=TYPE, ResourceModel=json.dumps({"WorkloadId": workload}))
    assert [found["Identifier"] for found in listed["ResourceDescriptions"]] == [identifier]

    again = client.create_resource(TypeName=TYPE, DesiredState=desired)["ProgressEvent"]
    with pytest.raises(WaiterError):  # the waiter stops at FAILED
        waiter.wait(RequestToken=again["RequestToken"], WaiterConfig=QUICK_POLL)
    assert client.get_resource_request_status(RequestToken=again["RequestToken"])["ProgressEvent"]["ErrorCode"] == (
        "AlreadyExists"
    )

    deleted = finished(client.delete_resource(TypeName=TYPE, Identifier=identifier)["ProgressEvent"])
    assert deleted["OperationStatus"] == "SUCCESS"
    assert shares(cloud, workload) == {}
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_resource(TypeName=TYPE, Identifier=identifier)


def test_the_registry_types_example_deploys_every_kind_of_share_and_deletes_them(cloud: LocalCloud) -> None:
    parameters = {
        "MemberAccountId": MEMBER,
        "ProfileArn": cloud.emulator.create_profile(account=OWNER),
        "TemplateArn": cloud.emulator.create_review_template(account=OWNER),
    }

    stack = cloud.deploy("registry-types", EXAMPLES / "registry-types.yaml", parameters)
    held = sorted(share["Kind"] for share in cloud.emulator.shares() if share["SharedWith"] == MEMBER)
    cloud.delete("registry-types")

    assert stack.status == "DELETE_COMPLETE"
    assert held == ["LENS", "PROFILE", "TEMPLATE", "WORKLOAD"]
    assert cloud.emulator.shares() == []
