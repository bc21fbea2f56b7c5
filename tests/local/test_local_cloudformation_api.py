"""ListStacks and ListStackResources of the local cloud's stacks (emulator/cloudformation.py, one endpoint per
account, fed by the local cloud), read by an unmodified boto3 CloudFormation client."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from local.cloud import LocalCloud
from tests.local.cloud_helpers import MEMBER, OWNER, ROOT, deploy_provider


def client(url: str, account: str = OWNER) -> Any:
    return boto3.client(
        "cloudformation",
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id=f"AKIDLOCAL{account}",
        aws_secret_access_key="local",
    )


def test_list_stacks_and_their_resources_per_account(cloud: LocalCloud) -> None:
    owner = deploy_provider(cloud)
    member = deploy_provider(cloud, MEMBER, name="member-provider")

    summaries = client(cloud.cloudformation_url(OWNER)).list_stacks()["StackSummaries"]

    assert [(s["StackName"], s["StackId"], s["StackStatus"]) for s in summaries] == [
        ("lens-share-provider", owner.stack_id, "CREATE_COMPLETE")
    ]
    resources = client(cloud.cloudformation_url(OWNER)).list_stack_resources(StackName="lens-share-provider")
    listed = {r["LogicalResourceId"]: r for r in resources["StackResourceSummaries"]}
    function = listed["LensShareFunction"]
    assert function["ResourceType"] == "AWS::Lambda::Function"
    assert function["ResourceStatus"] == "CREATE_COMPLETE"
    assert function["PhysicalResourceId"] == owner.resources["LensShareFunction"].physical_id
    assert set(listed) == set(owner.resources)

    as_member = client(cloud.cloudformation_url(MEMBER), MEMBER)
    assert [s["StackName"] for s in as_member.list_stacks()["StackSummaries"]] == ["member-provider"]
    by_id = as_member.list_stack_resources(StackName=member.stack_id)["StackResourceSummaries"]
    assert {r["LogicalResourceId"] for r in by_id} == set(member.resources)
    with pytest.raises(ClientError, match="Stack with id lens-share-provider does not exist"):
        as_member.list_stack_resources(StackName="lens-share-provider")


def test_local_functions_are_pointed_at_it(cloud: LocalCloud) -> None:
    deploy_provider(cloud)

    configs = cloud.functions.configs()

    assert len(configs) == 2  # the custom resources' function and the health check's
    for config in configs:
        assert config.environment["AWS_ENDPOINT_URL_CLOUDFORMATION"] == cloud.cloudformation_url(OWNER)
        assert config.environment["AWS_ACCESS_KEY_ID"].endswith(OWNER)


def test_serve_keeps_it_up_for_other_processes(tmp_path: Path) -> None:
    """The smoke test of `python -m local` in a process of its own: serve what an earlier command deployed."""
    environment = {**os.environ, "LOCAL_CLOUD_DIR": str(tmp_path / "state")}
    with LocalCloud(tmp_path / "state") as cloud:
        deploy_provider(cloud)
    server = subprocess.Popen(
        [sys.executable, "-m", "local", "serve"], cwd=ROOT, env=environment, stdout=subprocess.PIPE, text=True
    )
    try:
        stdout = server.stdout
        assert stdout is not None
        printed: list[str] = []
        reader = threading.Thread(target=lambda: printed.extend(stdout.readline() for _ in range(3)), daemon=True)
        reader.start()
        reader.join(timeout=60)  # the server is killed below if it printed nothing by then
        endpoints = dict(line.split()[0].split("=", 1) for line in printed)

        summaries = client(endpoints["AWS_ENDPOINT_URL_CLOUDFORMATION"]).list_stacks()["StackSummaries"]

        assert [s["StackName"] for s in summaries] == ["lens-share-provider"]
        cloudcontrol = boto3.client(
            "cloudcontrol",
            region_name="us-east-1",
            endpoint_url=endpoints["AWS_ENDPOINT_URL_CLOUDCONTROL"],
            aws_access_key_id=f"AKIDLOCAL{OWNER}",
            aws_secret_access_key="local",
        )
        with pytest.raises(cloudcontrol.exceptions.RequestTokenNotFoundException):
            cloudcontrol.get_resource_request_status(RequestToken="never-issued")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            assert server.wait(timeout=30) == 0
        finally:
            server.kill()
            if server.stdout is not None:
                server.stdout.close()
