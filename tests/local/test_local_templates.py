"""The local CloudFormation's rules on small templates: intrinsic functions, order, concurrency, updates with
replacement and clean-up, rollbacks, DeletionPolicy, state kept between commands, and templates refused up front."""

from __future__ import annotations

from pathlib import Path

import pytest

from local.cloud import LocalCloud
from local.errors import TemplateError
from local.template_stack import RollbackOrder
from tests.local.cloud_helpers import OWNER, deploy_provider, position, principals, resource_statuses, statuses, write

TOKEN = "ServiceToken: !ImportValue lens-share-provider-ServiceToken"


@pytest.fixture
def lens(cloud: LocalCloud) -> str:
    deploy_provider(cloud)
    return cloud.emulator.create_lens()


def shares_template(tmp_path: Path, *, third: bool = True, extra: str = "") -> Path:
    """Two or three shares of one lens, the first to the Principal parameter."""
    text = f"""
        Parameters:
          LensArn: {{Type: String}}
          Principal: {{Type: String}}
          Timeout: {{Type: String, Default: "900"}}
        Resources:
          First:
            Type: Custom::LensShare
            Properties:
              {TOKEN}
              ServiceTimeout: !Ref Timeout
              LensAlias: !Ref LensArn
              SharedWith: !Ref Principal
          Second:
            Type: Custom::LensShare
            Properties:
              {TOKEN}
              LensAlias: !Ref LensArn
              SharedWith: "444444444444"
        """
    if third:
        text += f"""
          Third:
            Type: Custom::LensShare
            Properties:
              {TOKEN}
              LensAlias: !Ref LensArn
              SharedWith: "555555555555"
        """
    return write(tmp_path, "shares.yaml", text + extra)


# --- intrinsic functions ----------------------------------------------------------------------------------------

INTRINSICS = """
    AWSTemplateFormatVersion: "2010-09-09"
    Transform: AWS::LanguageExtensions
    Parameters:
      Env: {Type: String, AllowedValues: [dev, prod], Default: dev}
      Names: {Type: CommaDelimitedList, Default: "a,b,c"}
      Count: {Type: Number, Default: 3}
    Mappings:
      Sizes: {dev: {Memory: "128"}, prod: {Memory: "1024"}}
    Conditions:
      IsProd: !Equals [!Ref Env, prod]
      IsDev: !Not [!Condition IsProd]
      DevAndThree: !And [!Condition IsDev, !Equals [!Ref Count, "3"]]
      ProdOrThree: !Or [!Condition IsProd, !Equals [!Ref Count, "4"]]
    Resources:
      Lens:
        Type: AWS::WellArchitected::Lens
        Properties:
          LensVersion: "1.0"
          JSONString:
            Fn::ToJsonString:
              schemaVersion: "2021-11-01"
              name: !Sub "${AWS::StackName} lens"
              pillars: []
      Topic:
        Type: AWS::SNS::Topic
        Condition: IsProd
      Queue:
        Type: AWS::SQS::Queue
        Properties:
          QueueName: !Join ["-", !Ref Names]
          Tags: !If [IsProd, [{Key: env, Value: prod}], !Ref AWS::NoValue]
    Outputs:
      RefParameter: {Value: !Ref Env}
      RefList: {Value: !Join ["+", !Ref Names]}
      Pseudo: {Value: !Sub "${AWS::AccountId}/${AWS::Region}/${AWS::StackName}/${AWS::Partition}"}
      RefResource: {Value: !Ref Lens}
      GetAtt: {Value: !GetAtt Lens.LensArn}
      GetAttList: {Value: !GetAtt [Lens, Name]}
      SubWithVariables: {Value: !Sub ["${Greeting} ${Lens.Owner} ${!Literal}", {Greeting: hello}]}
      Select: {Value: !Select [2, !Ref Names]}
      Split: {Value: !Select [1, !Split [",", "x,y,z"]]}
      If: {Value: !If [IsProd, big, small]}
      AndOr: {Value: !Join [",", [!If [DevAndThree, "yes", "no"], !If [ProdOrThree, "yes", "no"]]]}
      Length: {Value: {"Fn::Length": !Ref Names}}
      FindInMap: {Value: !FindInMap [Sizes, !Ref Env, Memory]}
      Recorded: {Value: !GetAtt Queue.Arn}
      Shared:
        Value: shared-value
        Export: {Name: !Sub "${AWS::StackName}-Shared"}
      OnlyInProd: {Value: prod, Condition: IsProd}
    """


def test_each_intrinsic_function_resolves_as_cloudformation_does(cloud: LocalCloud, tmp_path: Path) -> None:
    stack = cloud.deploy("intrinsics", write(tmp_path, "intrinsics.yaml", INTRINSICS), {})

    assert stack.status == "CREATE_COMPLETE", stack.events_table()
    values = {name: output["value"] for name, output in stack.outputs.items()}
    lens = stack.resources["Lens"].physical_id
    assert values == {
        "RefParameter": "dev",
        "RefList": "a+b+c",
        "Pseudo": f"{OWNER}/us-east-1/intrinsics/aws",
        "RefResource": lens,
        "GetAtt": lens,
        "GetAttList": "intrinsics lens",  # Fn::ToJsonString and Fn::Sub made the lens document's name
        "SubWithVariables": f"hello {OWNER} ${{Literal}}",
        "Select": "c",
        "Split": "y",
        "If": "small",
        "AndOr": "yes,no",
        "Length": "3",
        "FindInMap": "128",
        "Recorded": f"arn:aws:sqs:us-east-1:{OWNER}:a-b-c",  # the ARN AWS gives the queue its template names
        "Shared": "shared-value",
    }
    assert "Topic" not in stack.resources  # its condition is false
    assert stack.resources["Queue"].properties == {"QueueName": "a-b-c"}  # AWS::NoValue leaves Tags out
    assert cloud.emulator.dump()["lenses"][0]["name"] == "intrinsics lens"

    importer = write(
        tmp_path,
        "importer.yaml",
        """
        Resources:
          Bucket: {Type: AWS::S3::Bucket}
        Outputs:
          Imported: {Value: !ImportValue intrinsics-Shared}
        """,
    )
    other = cloud.deploy("importer", importer, {})
    assert other.outputs["Imported"]["value"] == "shared-value"
    with pytest.raises(TemplateError, match="Export intrinsics-Shared cannot be deleted as it is in use by importer"):
        cloud.delete("intrinsics")


CDK_SYNTH = """
    {
      "Parameters": {
        "BootstrapVersion": {
          "Type": "AWS::SSM::Parameter::Value<String>",
          "Default": "/cdk-bootstrap/hnb659fds/version"
        }
      },
      "Conditions": {
        "CDKMetadataAvailable": {
          "Fn::Or": [
            {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]},
            {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-1"]}
          ]
        }
      },
      "Resources": {
        "ShareWithAccount1A2B3C4D": {
          "Type": "Custom::LensShare",
          "Properties": {
            "ServiceToken": {"Fn::ImportValue": "lens-share-provider-ServiceToken"},
            "LensAlias": "%s",
            "SharedWith": "123456789012"
          },
          "UpdateReplacePolicy": "Delete",
          "DeletionPolicy": "Delete",
          "Metadata": {"aws:cdk:path": "Lenses/ShareWithAccount/Default"}
        },
        "CDKMetadata": {
          "Type": "AWS::CDK::Metadata",
          "Properties": {"Analytics": "v2:deflate64:H4sIAAAAAAAA"},
          "Condition": "CDKMetadataAvailable"
        }
      },
      "Outputs": {"ShareId": {"Value": {"Fn::GetAtt": ["ShareWithAccount1A2B3C4D", "ShareId"]}}},
      "Rules": {
        "CheckBootstrapVersion": {
          "Assertions": [{"Assert": {"Fn::Not": [{"Fn::Contains": [["1", "2"], {"Ref": "BootstrapVersion"}]}]}}]
        }
      }
    }
    """


def test_a_cdk_synth_template_deploys(cloud: LocalCloud, lens: str, tmp_path: Path) -> None:
    stack = cloud.deploy("Lenses", write(tmp_path, "Lenses.template.json", CDK_SYNTH % lens), {})

    assert stack.status == "CREATE_COMPLETE", stack.events_table()
    assert principals(cloud, lens) == {"123456789012": "PENDING"}
    assert stack.outputs["ShareId"]["value"] == cloud.emulator.shares(lens)[0]["ShareId"]
    assert stack.resources["CDKMetadata"].resource_type == "AWS::CDK::Metadata"  # recorded, not emulated


def test_a_type_not_emulated_is_recorded_with_a_note(cloud: LocalCloud, tmp_path: Path) -> None:
    template = write(
        tmp_path,
        "role.yaml",
        """
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
        """,
    )

    stack = cloud.deploy("roles", template, {})

    assert stack.status == "CREATE_COMPLETE"
    (complete,) = [e for e in stack.events if e.logical_id == "Role" and e.status == "CREATE_COMPLETE"]
    assert complete.reason == "AWS::IAM::Role is not emulated locally: recorded only"
    assert complete.physical_id.startswith("roles-Role-")


# --- order and concurrency --------------------------------------------------------------------------------------


def test_creates_follow_dependencies_and_deletes_go_in_reverse(cloud: LocalCloud, tmp_path: Path) -> None:
    template = write(
        tmp_path,
        "chain.yaml",
        """
        Resources:
          A: {Type: AWS::SNS::Topic}
          B: {Type: AWS::SQS::Queue, DependsOn: A}
          C: {Type: AWS::SQS::Queue, Properties: {QueueName: !GetAtt B.QueueName}}
          D: {Type: AWS::SQS::Queue, Properties: {QueueName: !Sub "${C}-d"}}
        """,
    )

    stack = cloud.deploy("chain", template, {})
    mark = len(stack.events)
    cloud.delete("chain")

    for first, then in (("A", "B"), ("B", "C"), ("C", "D")):
        assert position(stack, first, "CREATE_COMPLETE") < position(stack, then, "CREATE_IN_PROGRESS")
        assert position(stack, then, "DELETE_COMPLETE", mark) < position(stack, first, "DELETE_IN_PROGRESS", mark)


def test_independent_custom_resources_are_created_at_once(cloud: LocalCloud, lens: str, tmp_path: Path) -> None:
    resources = "".join(
        f"""
          Share{index}:
            Type: Custom::LensShare
            Properties:
              {TOKEN}
              LensAlias: !Ref Lens
              SharedWith: "66666666666{index}"
        """
        for index in range(5)
    )
    # The lens is a parameter, so the template's text is the same every run and cfn-lint judges it once.
    text = "Parameters:\n  Lens: {Type: String}\nResources:" + resources
    stack = cloud.deploy("parallel", write(tmp_path, "parallel.yaml", text), {"Lens": lens})

    assert stack.status == "CREATE_COMPLETE", stack.events_table()
    first_complete = min(position(stack, f"Share{index}", "CREATE_COMPLETE") for index in range(5))
    in_progress = [name for name, status in statuses(stack)[:first_complete] if status == "CREATE_IN_PROGRESS"]
    assert len(in_progress) >= 2  # the events overlap: another create started before the first one ended
    assert len(principals(cloud, lens)) == 5


# --- updates ------------------------------------------------------------------------------------------------------


def test_update_replaces_changed_shares_updates_in_place_and_cleans_up(
    cloud: LocalCloud, lens: str, tmp_path: Path
) -> None:
    stack = cloud.deploy("shares", shares_template(tmp_path), {"LensArn": lens, "Principal": "222222222222"})
    assert stack.status == "CREATE_COMPLETE", stack.events_table()
    old_first = stack.resources["First"].physical_id

    mark, calls = len(stack.events), len(stack.invocations)
    cloud.deploy("shares", shares_template(tmp_path, third=False), {"Principal": "333333333333"})

    assert stack.status == "UPDATE_COMPLETE", stack.events_table()
    assert principals(cloud, lens) == {"333333333333": "PENDING", "444444444444": "PENDING"}
    assert stack.resources["First"].physical_id != old_first
    update = next(call.event for call in stack.invocations[calls:] if call.event["RequestType"] == "Update")
    assert update["OldResourceProperties"]["SharedWith"] == "222222222222"
    assert update["ResourceProperties"]["SharedWith"] == "333333333333"
    deletes = [call.event for call in stack.invocations[calls:] if call.event["RequestType"] == "Delete"]
    deleted = {event["LogicalResourceId"]: event["PhysicalResourceId"] for event in deletes}
    assert set(deleted) == {"First", "Third"}
    assert deleted["First"] == old_first  # the replaced share, with its old properties
    cleanup = position(stack, "shares", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", mark)
    assert position(stack, "First", "DELETE_IN_PROGRESS", mark) > cleanup
    assert position(stack, "Third", "DELETE_IN_PROGRESS", mark) > cleanup
    assert resource_statuses(stack, "Second", mark) == []  # unchanged: no event
    assert "Third" not in stack.resources

    calls = len(stack.invocations)
    cloud.deploy("shares", shares_template(tmp_path, third=False), {"Timeout": "1200"})

    (in_place,) = [call.event for call in stack.invocations[calls:]]
    assert in_place["RequestType"] == "Update"
    assert (in_place["OldResourceProperties"]["ServiceTimeout"], in_place["ResourceProperties"]["ServiceTimeout"]) == (
        "900",
        "1200",
    )
    assert stack.resources["First"].physical_id == in_place["PhysicalResourceId"]


# --- rollbacks and deletion policy ------------------------------------------------------------------------------


def test_a_failed_create_rolls_back_what_was_created(cloud: LocalCloud, lens: str, tmp_path: Path) -> None:
    stack = cloud.deploy("bad", shares_template(tmp_path), {"LensArn": lens, "Principal": "everyone"})

    assert stack.status == "ROLLBACK_COMPLETE", stack.events_table()
    assert ("First", "CREATE_FAILED") in statuses(stack)
    failed = next(e for e in stack.events if e.status == "CREATE_FAILED")
    assert "SharedWith 'everyone'" in failed.reason
    rollback = position(stack, "bad", "ROLLBACK_IN_PROGRESS")
    assert all(position(stack, name, "DELETE_COMPLETE") > rollback for name in ("First", "Second", "Third"))
    assert cloud.emulator.shares(lens) == []
    with pytest.raises(TemplateError, match="ROLLBACK_COMPLETE state and can not be updated"):
        cloud.deploy("bad", shares_template(tmp_path), {"LensArn": lens, "Principal": "222222222222"})
    cloud.delete("bad")
    assert cloud.stack("bad") is None


@pytest.mark.parametrize("order", ["update-first", "delete-only"])
def test_a_failed_update_rolls_back_to_the_original_shares(
    cloud: LocalCloud, lens: str, tmp_path: Path, order: RollbackOrder
) -> None:
    stack = cloud.deploy("shares", shares_template(tmp_path), {"LensArn": lens, "Principal": "222222222222"})
    stack.rollback_order = order
    before = principals(cloud, lens)
    physical_ids = {name: resource.physical_id for name, resource in stack.resources.items()}
    failing = shares_template(tmp_path).read_text().replace('SharedWith: "444444444444"', "SharedWith: everyone")

    calls = len(stack.invocations)
    cloud.deploy("shares", write(tmp_path, "failing.yaml", failing), {"Principal": "333333333333"})

    assert stack.status == "UPDATE_ROLLBACK_COMPLETE", stack.events_table()
    assert ("Second", "UPDATE_FAILED") in statuses(stack)
    assert principals(cloud, lens) == before
    assert {name: resource.physical_id for name, resource in stack.resources.items()} == physical_ids
    # First was replaced before Second failed: its new share is undone in the order CloudFormation chose
    first = [call.event for call in stack.invocations[calls:] if call.event["LogicalResourceId"] == "First"]
    assert first[0]["RequestType"] == "Update"  # the replacement
    replacement = first[1]["PhysicalResourceId"]
    assert replacement != physical_ids["First"]
    undo = [(event["RequestType"], event["ResourceProperties"]["SharedWith"]) for event in first[1:]]
    if order == "update-first":
        assert undo == [("Update", "222222222222"), ("Delete", "222222222222")]
    else:
        assert undo == [("Delete", "333333333333")]
    assert all(event["PhysicalResourceId"] == replacement for event in first[1:])


def test_deletion_policy_retain_keeps_the_share(cloud: LocalCloud, lens: str, tmp_path: Path) -> None:
    second = "  Second:\n    Type: Custom::LensShare\n"
    text = shares_template(tmp_path, third=False).read_text().replace(second, f"{second}    DeletionPolicy: Retain\n")
    stack = cloud.deploy("retain", write(tmp_path, "retain.yaml", text), {"LensArn": lens, "Principal": "222222222222"})

    cloud.delete("retain")

    assert stack.status == "DELETE_COMPLETE"
    assert ("Second", "DELETE_SKIPPED") in statuses(stack)
    assert principals(cloud, lens) == {"444444444444": "PENDING"}


def test_stacks_functions_and_shares_survive_between_commands(tmp_path: Path) -> None:
    with LocalCloud(tmp_path / "state") as first:
        deploy_provider(first)
        lens = first.emulator.create_lens()
        first.deploy("shares", shares_template(tmp_path), {"LensArn": lens, "Principal": "222222222222"})

    with LocalCloud(tmp_path / "state") as second:
        stack = second.stack("shares")
        assert stack is not None
        assert stack.status == "CREATE_COMPLETE"
        assert len(principals(second, lens)) == 3
        second.delete("shares")  # the provider runs again from the state: a Delete per share
        assert second.emulator.shares(lens) == []
        second.reset()

    with LocalCloud(tmp_path / "state") as third:
        assert third.stacks() == []
        assert third.emulator.dump()["lenses"] == []


# --- templates refused before anything is touched ---------------------------------------------------------------

BAD_TEMPLATES = {
    "yaml": ("Resources:\n  A: [\n", {}, r"bad\.yaml:3:1: "),
    "circular": (
        "Resources:\n  A: {Type: AWS::SNS::Topic, DependsOn: B}\n"
        "  B: {Type: AWS::SQS::Queue, Properties: {QueueName: !Ref A}}\n",
        {},
        r"bad.yaml:2:3: E3004 Circular Dependencies for resource A\. Circular dependency with \[B\]",
    ),
    "unresolvable Ref": (
        "Resources:\n  A: {Type: AWS::SQS::Queue, Properties: {QueueName: !Ref Missing}}\n",
        {},
        r"bad.yaml:2:43: E1020 'Missing' is not one of \['A', 'AWS::AccountId'",
    ),
    "unresolvable GetAtt": (
        "Resources:\n  A: {Type: AWS::SQS::Queue, Properties: {QueueName: !GetAtt Missing.Arn}}\n",
        {},
        r"bad.yaml:2:43: E1010 'Missing' is not one of \['A'\]",
    ),
    "unresolvable Sub": (
        "Resources:\n  A: {Type: AWS::SQS::Queue, Properties: {QueueName: !Sub '${Missing}-q'}}\n",
        {},
        r"bad.yaml:2:43: E1019 'Missing' is not one of \['A'",
    ),
    "no type": ("Resources:\n  A: {Properties: {}}\n", {}, r"bad.yaml:2:3: E3001 'Type' is a required property"),
    "macro": (
        "Transform: MyMacro\nResources:\n  A: {Type: AWS::SNS::Topic}\n",
        {},
        r"Transform MyMacro is not available locally",
    ),
    "unknown parameter": (
        "Resources:\n  A: {Type: AWS::SNS::Topic}\n",
        {"Nope": "1"},
        r"Parameters: \[Nope\] do not exist in the template",
    ),
    "missing parameter": (
        "Parameters:\n  Principal: {Type: String}\nResources:\n  A: {Type: AWS::SNS::Topic}\n",
        {},
        r"Parameters: \[Principal\] must have values",
    ),
    "disallowed value": (
        "Parameters:\n  Env: {Type: String, AllowedValues: [dev, prod]}\nResources:\n  A: {Type: AWS::SNS::Topic}\n",
        {"Env": "test"},
        r"Parameter 'Env' must be one of AllowedValues",
    ),
    "no local function": (
        "Resources:\n  S:\n    Type: Custom::LensShare\n    Properties:\n"
        "      ServiceToken: arn:aws:lambda:us-east-1:111111111111:function:nothing\n",
        {},
        r"Resources\.S\.Properties\.ServiceToken: "
        r"arn:aws:lambda:us-east-1:111111111111:function:nothing names no local function",
    ),
    "missing export": (
        "Resources:\n  S:\n    Type: Custom::LensShare\n    Properties:\n"
        "      ServiceToken: !ImportValue no-such-export\n",
        {},
        r"Resources\.S\.Properties\.ServiceToken: Fn::ImportValue: No export named no-such-export found",
    ),
}


@pytest.mark.parametrize("case", list(BAD_TEMPLATES))
def test_a_bad_template_is_refused_before_any_resource_is_touched(cloud: LocalCloud, tmp_path: Path, case: str) -> None:
    text, overrides, message = BAD_TEMPLATES[case]
    path = write(tmp_path, "bad.yaml", text)

    with pytest.raises(TemplateError, match=message) as refused:
        cloud.deploy("bad", path, overrides)

    assert "\n" not in str(refused.value)
    assert cloud.stack("bad") is None
    assert cloud.emulator.calls() == []


def test_a_new_lens_version_replaces_the_lens_and_its_shares(cloud: LocalCloud, tmp_path: Path) -> None:
    deploy_provider(cloud)
    template = write(
        tmp_path,
        "lens.yaml",
        f"""
        Parameters:
          Version: {{Type: String, Default: "1.0"}}
        Resources:
          Lens:
            Type: AWS::WellArchitected::Lens
            Properties:
              LensVersion: !Ref Version
              JSONString: '{{"schemaVersion": "2021-11-01", "name": "Versioned lens", "pillars": []}}'
          Share:
            Type: Custom::LensShare
            Properties:
              {TOKEN}
              LensAlias: !GetAtt Lens.LensArn
              SharedWith: "222222222222"
        """,
    )
    stack = cloud.deploy("versioned", template, {})
    old_lens = stack.resources["Lens"].physical_id

    mark = len(stack.events)
    cloud.deploy("versioned", template, {"Version": "2.0"})

    assert stack.status == "UPDATE_COMPLETE", stack.events_table()
    new_lens = stack.resources["Lens"].physical_id
    assert new_lens != old_lens
    assert [lens["arn"] for lens in cloud.emulator.dump()["lenses"]] == [new_lens]
    assert principals(cloud, new_lens) == {"222222222222": "PENDING"}
    # clean-up: the old share goes before the old lens it depends on
    assert position(stack, "Share", "DELETE_COMPLETE", mark) < position(stack, "Lens", "DELETE_IN_PROGRESS", mark)
