"""Local Lambda functions (own warm processes, the template's environment and timeout, the function's ARN) and
nested stacks from a local TemplateURL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from local.cloud import LocalCloud
from local.errors import TemplateError
from tests.local.cloud_helpers import OWNER, write

# A custom-resource provider of a few lines: it answers with what its process and context hold.
ECHO = """
import json
import os
import ssl
import sys
import urllib.request

import boto3

calls = 0


def handler(event, context):
    global calls
    calls += 1
    data = {
        "Pid": str(os.getpid()),
        "Calls": str(calls),
        "Greeting": os.environ.get("GREETING", ""),
        "Leaked": os.environ.get("ONLY_IN_THE_TEST", ""),
        "Path": sys.path[0],
        "Cwd": os.getcwd(),
        "Arn": context.invoked_function_arn,
        "RemainingMs": str(context.get_remaining_time_in_millis()),
    }
    client = boto3.client("wellarchitected")
    keys = boto3.DEFAULT_SESSION.get_credentials().access_key
    data["Client"] = " ".join([client.meta.region_name, client.meta.endpoint_url, keys])
    answer = {
        "Status": "SUCCESS",
        "PhysicalResourceId": event.get("PhysicalResourceId") or event["LogicalResourceId"],
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"],
        "Data": data,
    }
    request = urllib.request.Request(event["ResponseURL"], json.dumps(answer).encode(), method="PUT")
    urllib.request.urlopen(request, context=ssl.create_default_context(), timeout=10).close()
"""

FUNCTIONS = """
    Resources:
      First:
        Type: AWS::Lambda::Function
        Properties:
          Code: ./code
          Handler: echo.handler
          Runtime: python3.13
          Role: arn:aws:iam::111111111111:role/echo
          Timeout: 30
          Environment: {Variables: {GREETING: hello}}
      Second:
        Type: AWS::Lambda::Function
        Properties:
          Code: ./code
          Handler: echo.handler
          Runtime: python3.13
          Role: arn:aws:iam::111111111111:role/echo
          Timeout: 60
          Environment: {Variables: {GREETING: !Sub "hi from ${AWS::StackName}"}}
      A1: {Type: Custom::Echo, Properties: {ServiceToken: !GetAtt First.Arn, N: "1"}}
      A2: {Type: Custom::Echo, DependsOn: A1, Properties: {ServiceToken: !GetAtt First.Arn, N: "2"}}
      B1: {Type: Custom::Echo, DependsOn: A2, Properties: {ServiceToken: !GetAtt Second.Arn}}
    """


def test_each_function_runs_warm_in_its_own_process_with_its_environment(
    cloud: LocalCloud, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONLY_IN_THE_TEST", "leaked")
    (tmp_path / "code").mkdir()
    write(tmp_path / "code", "echo.py", ECHO)

    stack = cloud.deploy("fns", write(tmp_path, "functions.yaml", FUNCTIONS), {})

    assert stack.status == "CREATE_COMPLETE", stack.events_table()
    a1, a2, b1 = (stack.resources[name].data for name in ("A1", "A2", "B1"))
    assert (a1["Calls"], a2["Calls"], b1["Calls"]) == ("1", "2", "1")  # warm, and no state shared between functions
    assert a1["Pid"] == a2["Pid"] != b1["Pid"]
    assert (a1["Greeting"], b1["Greeting"]) == ("hello", "hi from fns")
    first_arn = stack.resources["First"].data["Arn"]
    assert first_arn == f"arn:aws:lambda:us-east-1:{OWNER}:function:{stack.resources['First'].physical_id}"
    assert a1["Arn"] == first_arn
    assert b1["Arn"] == stack.resources["Second"].data["Arn"]
    assert 20_000 < int(a1["RemainingMs"]) <= 30_000
    assert 30_000 < int(b1["RemainingMs"]) <= 60_000
    assert (cloud.state_dir / "logs" / f"{stack.resources['First'].physical_id}.log").is_file()
    code = str(tmp_path / "code")
    assert {(data["Leaked"], data["Path"], data["Cwd"]) for data in (a1, b1)} == {("", code, code)}
    # The zygote's warm session holds only models: Region, endpoint and keys are each function's own.
    assert a1["Client"] == f"us-east-1 {cloud.emulator.url} AKIDLOCAL{OWNER}"


def test_stopped_functions_leave_no_process_behind(cloud: LocalCloud, tmp_path: Path) -> None:
    (tmp_path / "code").mkdir()
    write(tmp_path / "code", "echo.py", ECHO)
    stack = cloud.deploy("fns", write(tmp_path, "functions.yaml", FUNCTIONS), {})
    pids = {int(stack.resources[name].data["Pid"]) for name in ("A1", "B1")}

    cloud.functions.stop()

    assert len(pids) == 2
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_a_function_that_cannot_start_fails_its_resources_with_the_reason(cloud: LocalCloud, tmp_path: Path) -> None:
    (tmp_path / "code").mkdir()
    template = FUNCTIONS.replace("Handler: echo.handler", "Handler: missing.handler", 1)  # First's only

    stack = cloud.deploy("broken", write(tmp_path, "broken.yaml", template), {})

    # As in AWS: the rollback's Delete reaches the same broken function, so the rollback fails too
    assert stack.status == "ROLLBACK_FAILED", stack.events_table()
    failed = [e for e in stack.events if e.logical_id == "A1" and e.status in ("CREATE_FAILED", "DELETE_FAILED")]
    assert len(failed) == 2
    assert all("the function failed: Runtime.ImportModuleError: ModuleNotFoundError" in e.reason for e in failed)
    assert ("Second", "DELETE_COMPLETE") in [(e.logical_id, e.status) for e in stack.events]
    with pytest.raises(TemplateError, match="can be retained only after DELETE_FAILED"):
        cloud.delete("broken", ("A1",))

    cloud.delete("broken")
    assert stack.status == "DELETE_FAILED"  # the broken function still cannot delete A1
    cloud.delete("broken", ("A1",))  # delete-stack --retain-resources A1
    assert stack.status == "DELETE_COMPLETE"
    assert ("A1", "DELETE_SKIPPED") in [(e.logical_id, e.status) for e in stack.events]
    assert cloud.functions.configs() == []


CHILD = """
    Parameters:
      Name: {Type: String}
    Resources:
      Topic: {Type: AWS::SNS::Topic, Properties: {TopicName: !Ref Name}}
    Outputs:
      TopicName: {Value: !GetAtt Topic.TopicName}
      Upper: {Value: !Join ["-", [!Ref Name, nested]]}
    """


@pytest.mark.parametrize("how", ["relative path", "file URL"])
def test_a_nested_stack_from_a_local_template_url(cloud: LocalCloud, tmp_path: Path, how: str) -> None:
    child = write(tmp_path, "child.yaml", CHILD)
    url = "child.yaml" if how == "relative path" else child.as_uri()
    parent = write(
        tmp_path,
        "parent.yaml",
        f"""
        Parameters:
          Name: {{Type: String}}
        Resources:
          Child:
            Type: AWS::CloudFormation::Stack
            Properties:
              TemplateURL: {url}
              Parameters: {{Name: !Ref Name}}
        Outputs:
          FromChild: {{Value: !GetAtt Child.Outputs.Upper}}
        """,
    )

    stack = cloud.deploy("parent", parent, {"Name": "first"})

    assert stack.status == "CREATE_COMPLETE", stack.events_table()
    assert stack.outputs["FromChild"]["value"] == "first-nested"
    (nested,) = cloud.nested(stack)
    assert nested.parent == stack.stack_id
    assert stack.resources["Child"].physical_id == nested.stack_id

    cloud.deploy("parent", parent, {"Name": "second"})

    assert stack.status == "UPDATE_COMPLETE", stack.events_table()
    assert nested.status == "UPDATE_COMPLETE"
    assert stack.outputs["FromChild"]["value"] == "second-nested"

    cloud.delete("parent")

    assert nested.status == "DELETE_COMPLETE"
    assert cloud.stacks() == []
