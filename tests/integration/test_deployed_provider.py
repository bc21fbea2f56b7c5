"""Against a deployed provider, in a real account: the only check that the emulator's rules match AWS.

    make integration AWS_SAM_STACK_NAME=lens-share-provider SHARE_WITH=123456789012

Shares a temporary custom lens through a small stack with one Custom::LensShare, checks the share with
ListLensShares, deletes the stack and checks the share is gone, then deletes the lens. Skipped without
AWS_SAM_STACK_NAME; SHARE_WITH names another account (a lens cannot be shared with its own account).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import boto3
import pytest

if TYPE_CHECKING:
    from mypy_boto3_cloudformation import CloudFormationClient
    from mypy_boto3_wellarchitected import WellArchitectedClient

STACK_NAME = os.environ.get("AWS_SAM_STACK_NAME", "")
SHARE_WITH = os.environ.get("SHARE_WITH", "")
pytestmark = [
    pytest.mark.skipif(not STACK_NAME, reason="AWS_SAM_STACK_NAME names no deployed stack"),
    pytest.mark.skipif(not SHARE_WITH, reason="SHARE_WITH names no account to share a lens with"),
]
LENS = {
    "schemaVersion": "2021-11-01",
    "name": f"lens-share-provider integration {uuid.uuid4().hex[:8]}",
    "description": "Temporary lens of the lens-share-provider integration test; safe to delete.",
    "pillars": [
        {
            "id": "ops",
            "name": "Operations",
            "questions": [
                {
                    "id": "ops1",
                    "title": "Is this lens temporary?",
                    "choices": [{"id": "ops1_a", "title": "Yes"}, {"id": "ops1_b", "title": "No"}],
                    "riskRules": [
                        {"condition": "ops1_a", "risk": "NO_RISK"},
                        {"condition": "default", "risk": "HIGH_RISK"},
                    ],
                }
            ],
        }
    ],
}


@pytest.fixture(scope="module")
def wellarchitected() -> WellArchitectedClient:
    return boto3.client("wellarchitected")


@pytest.fixture(scope="module")
def cloudformation() -> CloudFormationClient:
    return boto3.client("cloudformation")


@pytest.fixture(scope="module")
def service_token(cloudformation: CloudFormationClient) -> str:
    stack = cloudformation.describe_stacks(StackName=STACK_NAME)["Stacks"][0]
    outputs = {output["OutputKey"]: output for output in stack.get("Outputs", [])}
    assert outputs["ServiceToken"]["ExportName"] == f"{STACK_NAME}-ServiceToken"
    return outputs["ServiceToken"]["OutputValue"]


@pytest.fixture(scope="module")
def lens(wellarchitected: WellArchitectedClient) -> Iterator[str]:
    arn = wellarchitected.import_lens(JSONString=json.dumps(LENS), ClientRequestToken=uuid.uuid4().hex)["LensArn"]
    wellarchitected.create_lens_version(
        LensAlias=arn, LensVersion="1.0", IsMajorVersion=True, ClientRequestToken=uuid.uuid4().hex
    )
    yield arn
    wellarchitected.delete_lens(LensAlias=arn, ClientRequestToken=uuid.uuid4().hex, LensStatus="ALL")


def shares(wellarchitected: WellArchitectedClient, lens: str) -> list[Any]:
    return list(wellarchitected.list_lens_shares(LensAlias=lens, MaxResults=10).get("LensShareSummaries", []))


def test_a_stack_shares_the_lens_and_its_deletion_takes_the_share_back(
    cloudformation: CloudFormationClient, wellarchitected: WellArchitectedClient, service_token: str, lens: str
) -> None:
    name = f"lens-share-integration-{uuid.uuid4().hex[:8]}"
    template = {
        "Resources": {
            "Share": {
                "Type": "Custom::LensShare",
                "Properties": {"ServiceToken": service_token, "LensAlias": lens, "SharedWith": SHARE_WITH},
            }
        },
        "Outputs": {"ShareId": {"Value": {"Fn::GetAtt": ["Share", "ShareId"]}}},
    }
    cloudformation.create_stack(StackName=name, TemplateBody=json.dumps(template), OnFailure="DELETE")
    try:
        cloudformation.get_waiter("stack_create_complete").wait(StackName=name)
        outputs = cloudformation.describe_stacks(StackName=name)["Stacks"][0].get("Outputs", [])
        share_id = next(output["OutputValue"] for output in outputs if output["OutputKey"] == "ShareId")
        listed = {share["ShareId"]: share for share in shares(wellarchitected, lens)}
        assert listed[share_id]["SharedWith"] == SHARE_WITH
        assert listed[share_id]["Status"] == "PENDING"
    finally:
        cloudformation.delete_stack(StackName=name)
        cloudformation.get_waiter("stack_delete_complete").wait(StackName=name)
    assert shares(wellarchitected, lens) == []
