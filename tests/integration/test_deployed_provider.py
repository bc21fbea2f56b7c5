"""Against a deployed provider stack, named by AWS_SAM_STACK_NAME; skipped everywhere else."""

from __future__ import annotations

import os

import boto3
import pytest

STACK_NAME = os.environ.get("AWS_SAM_STACK_NAME")
pytestmark = pytest.mark.skipif(not STACK_NAME, reason="AWS_SAM_STACK_NAME names no deployed stack")


def test_the_stack_exports_a_service_token_of_the_deployed_function() -> None:
    stack = boto3.client("cloudformation").describe_stacks(StackName=STACK_NAME)["Stacks"][0]
    outputs = {output["OutputKey"]: output for output in stack.get("Outputs", [])}

    token = outputs["ServiceToken"]
    assert token["ExportName"] == f"{STACK_NAME}-ServiceToken"
    function = boto3.client("lambda").get_function_configuration(FunctionName=token["OutputValue"])
    assert function["Handler"] == "lens_share.app.handler"
    assert function["Architectures"] == ["arm64"]
