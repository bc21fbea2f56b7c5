"""The local CloudFormation's own corpus (tests/local/corpus): templates written on this project, one per pattern
users bring, each deployed, updated where it makes sense, and deleted; and every malformed intrinsic refused in
one line before anything is touched."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from local.cli import main
from local.cloud import LocalCloud
from local.errors import TemplateError
from tests.local.cloud_helpers import EXAMPLES, OWNER, write

CORPUS = Path(__file__).resolve().parent / "corpus"


def outputs(cloud: LocalCloud, name: str) -> dict[str, str]:
    stack = cloud.stack(name)
    assert stack is not None
    return {key: output["value"] for key, output in stack.outputs.items()}


def test_foreach_over_findinmap_with_parameters_account_ids_and_nested_loops(cloud: LocalCloud) -> None:
    stack = cloud.deploy("loops", CORPUS / "foreach-findinmap.yaml", {})

    assert stack.status == "CREATE_COMPLETE", stack.events_table()
    assert set(stack.resources) == {"Queueorders", "Queueinvoices", "alertsLow", "alertsHigh"}
    assert outputs(cloud, "loops") == {
        "OrdersArn": f"arn:aws:sqs:us-east-1:{OWNER}:dev-orders",
        "OrdersUrl": f"https://sqs.us-east-1.amazonaws.com/{OWNER}/dev-orders",
        "AlertsHigh": f"arn:aws:sns:us-east-1:{OWNER}:alerts-High",
    }

    cloud.deploy("loops", CORPUS / "foreach-findinmap.yaml", {"Environment": "prod"})

    assert stack.status == "UPDATE_COMPLETE", stack.events_table()
    assert stack.resources["Queuerefunds"].physical_id.endswith("/prod-refunds")
    assert stack.resources["Queueorders"].physical_id.endswith("/prod-orders")  # a new name replaced it

    cloud.delete("loops")
    assert stack.status == "DELETE_COMPLETE"


def test_an_unquoted_version_date_reads_as_cloudformation_reads_it(tmp_path: Path) -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    template = str(CORPUS / "foreach-findinmap.yaml")
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        deployed = main(["--state-dir", str(tmp_path), "deploy", "-t", template, "--stack-name", "dated"])
        described = main(["--state-dir", str(tmp_path), "describe", "--stack-name", "dated"])

    assert (deployed, described) == (0, 0), stderr.getvalue()
    assert "Stack dated: CREATE_COMPLETE" in stdout.getvalue()


def test_inline_python_functions_serve_the_templates_own_custom_resources(cloud: LocalCloud) -> None:
    stack = cloud.deploy("inline", CORPUS / "inline-functions.yaml", {})

    assert stack.status == "CREATE_COMPLETE", stack.events_table()
    assert outputs(cloud, "inline") == {
        "GreeterName": "inline-greeter",
        "GreeterArn": f"arn:aws:lambda:us-east-1:{OWNER}:function:inline-greeter",
        "Text": "hello, world",
        "Echo": "hello, world",
    }
    assert stack.resources["Greeting"].physical_id == "greeting-world"
    assert f"arn:aws:lambda:us-east-1:{OWNER}:function:inline-greeter" in cloud.functions

    cloud.deploy("inline", CORPUS / "inline-functions.yaml", {"Salutation": "hi"})

    assert stack.status == "UPDATE_COMPLETE", stack.events_table()
    assert outputs(cloud, "inline")["Echo"] == "hi, world"
    assert stack.resources["Greeting"].physical_id == "greeting-world"  # updated in place

    assert (cloud.state_dir / "code" / "inline-greeter" / "cfnresponse.py").is_file()

    cloud.delete("inline")
    assert stack.status == "DELETE_COMPLETE", stack.events_table()
    assert cloud.functions.configs() == []
    assert not (cloud.state_dir / "code" / "inline-greeter").exists()


def test_inline_code_of_another_runtime_is_refused_with_its_reason(cloud: LocalCloud) -> None:
    stack = cloud.deploy("node", CORPUS / "inline-node.yaml", {})

    assert stack.status == "ROLLBACK_COMPLETE"
    (failed,) = [event for event in stack.events if event.status == "CREATE_FAILED"]
    assert failed.reason == "Inline code of runtime nodejs20.x is not run locally: only Python is"


def test_recorded_resources_take_the_names_and_shapes_aws_gives(cloud: LocalCloud) -> None:
    stack = cloud.deploy("names", CORPUS / "names.yaml", {})

    assert stack.status == "CREATE_COMPLETE", stack.events_table()
    values = outputs(cloud, "names")
    certificate = stack.resources["Certificate"].physical_id
    unnamed = stack.resources["Unnamed"].physical_id
    assert values == {
        "BucketName": f"corpus-{OWNER}-data",
        "BucketArn": f"arn:aws:s3:::corpus-{OWNER}-data",
        "BucketDomain": f"corpus-{OWNER}-data.s3.us-east-1.amazonaws.com",
        "UnnamedArn": f"arn:aws:s3:::{unnamed}",
        "UnnamedName": unnamed,
        "TableName": "corpus-table",
        "TableArn": f"arn:aws:dynamodb:us-east-1:{OWNER}:table/corpus-table",
        "TopicArn": f"arn:aws:sns:us-east-1:{OWNER}:corpus-topic",
        "TopicName": "corpus-topic",
        "TopicDisplayName": "Corpus",
        "FunctionName": "corpus-function",
        "FunctionArn": f"arn:aws:lambda:us-east-1:{OWNER}:function:corpus-function",
        "CertificateId": certificate.rsplit("/", 1)[1],
        "BucketFromArn": f"corpus-{OWNER}-data",
    }
    assert unnamed == unnamed.lower()
    assert certificate.startswith(f"arn:aws:acm:us-east-1:{OWNER}:certificate/")
    # every attribute the schema defines, and no other
    assert set(stack.resources["Table"].data) - {"_name", "_id"} == {"Arn", "StreamArn"}

    mark = len(stack.events)
    cloud.deploy("names", CORPUS / "names.yaml", {"Prefix": "renamed"})

    assert stack.status == "UPDATE_COMPLETE", stack.events_table()
    assert outputs(cloud, "names")["BucketArn"] == f"arn:aws:s3:::renamed-{OWNER}-data"
    assert outputs(cloud, "names")["UnnamedArn"] == values["UnnamedArn"]  # no new name: the same bucket
    deleted = [e.physical_id for e in stack.events[mark:] if e.status == "DELETE_COMPLETE"]
    assert f"corpus-{OWNER}-data" in deleted  # the renamed bucket was replaced and cleaned up

    cloud.delete("names")
    assert stack.status == "DELETE_COMPLETE"


def test_conditional_outputs_exports_and_cross_stack_imports(cloud: LocalCloud) -> None:
    exporter = cloud.deploy("corpus-exports", CORPUS / "exports.yaml", {})

    assert exporter.status == "CREATE_COMPLETE", exporter.events_table()
    assert set(outputs(cloud, "corpus-exports")) == {"TopicArn", "Private"}
    assert "SharedQueue" not in exporter.resources
    with pytest.raises(TemplateError, match="No export named corpus-exports-SharedQueueArn found"):
        cloud.deploy("importer", CORPUS / "importer.yaml", {})

    cloud.deploy("corpus-exports", CORPUS / "exports.yaml", {"Share": "yes"})

    assert exporter.status == "UPDATE_COMPLETE", exporter.events_table()
    assert set(outputs(cloud, "corpus-exports")) == {"TopicArn", "SharedQueueArn"}
    importer = cloud.deploy("importer", CORPUS / "importer.yaml", {})
    assert importer.status == "CREATE_COMPLETE", importer.events_table()
    assert outputs(cloud, "importer") == {"Topic": f"arn:aws:sns:us-east-1:{OWNER}:dev-events"}
    with pytest.raises(TemplateError, match="cannot be deleted as it is in use by importer"):
        cloud.delete("corpus-exports")

    cloud.delete("importer")
    cloud.delete("corpus-exports")
    assert cloud.stacks() == []


def test_every_parameter_constraint_is_checked_as_cloudformation_checks_it(cloud: LocalCloud) -> None:
    stack = cloud.deploy("parameters", CORPUS / "parameters.yaml", {"Name": "a+b-c_d"})  # [\w-\+] as Java reads it

    assert stack.status == "CREATE_COMPLETE", stack.events_table()
    assert outputs(cloud, "parameters")["Queue"] == "a+b-c_d-2-small-42"
    cloud.delete("parameters")


REFUSED_PARAMETERS = {
    "Name=ab": "Parameter 'Name' must contain at least 3 characters",
    "Name=abcdefghijklm": "Parameter 'Name' must contain at most 12 characters",
    "Name=a b c": r"Parameter 'Name' must match pattern \[\\w-\\\+\]\+",
    "Count=0": "Parameter 'Count' must be a number not less than 1",
    "Count=9": "Parameter 'Count' must be a number not greater than 5",
    "Count=two": "Parameter 'Count' must be a number",
    "Size=medium": "Parameter 'Size' must be one of AllowedValues",
    "Vpc=vpc-nope": "Parameter value vpc-nope for parameter name Vpc is not a valid AWS::EC2::VPC::Id",
    "Zones=us-east-1a,atlantis": "Parameter value atlantis for parameter name Zones is not a valid",
    "Described=abc": "Parameter 'Described' failed to satisfy constraint: must be digits only",
}


@pytest.mark.parametrize("override", list(REFUSED_PARAMETERS))
def test_a_parameter_value_cloudformation_refuses_is_refused(cloud: LocalCloud, override: str) -> None:
    name, _, value = override.partition("=")

    with pytest.raises(TemplateError, match=REFUSED_PARAMETERS[override]):
        cloud.deploy("parameters", CORPUS / "parameters.yaml", {name: value})

    assert cloud.stacks() == []


def test_a_serverless_application_pinned_to_another_version_is_refused(cloud: LocalCloud, tmp_path: Path) -> None:
    text = (EXAMPLES / "nested-application.yaml").read_text(encoding="utf-8")
    pinned = write(tmp_path, "old.yaml", re.sub(r"SemanticVersion: \S+", "SemanticVersion: 1.0.0", text))
    application = "arn:aws:serverlessrepo:us-east-1:123456789012:applications/lens-share-provider"
    parameters = {
        "ProviderApplicationId": application,
        "LensArn": f"arn:aws:wellarchitected:us-east-1:{OWNER}:lens/{'0' * 32}",
        "SharedWith": "222222222222",
    }

    with pytest.raises(TemplateError, match=r"SemanticVersion 1\.0\.0 of lens-share-provider is not available locally"):
        cloud.deploy("old", pinned, parameters)


# --- malformed intrinsics: cfn-lint's word, or CloudFormation's own where cfn-lint has none ------------------------

_HEAD = """
Parameters:
  P: {Type: String, Default: a}
Conditions:
  C: !Equals [!Ref P, a]
Mappings:
  M: {k: {v: x}}
Resources:
  Q: {Type: AWS::SQS::Queue}
"""


def _property(value: str) -> str:
    return _HEAD + f"  R: {{Type: AWS::SQS::Queue, Properties: {{QueueName: {value}}}}}\n"


def _condition(value: str) -> str:
    return f"Conditions:\n  D: {value}\nResources:\n  Q: {{Type: AWS::SQS::Queue, Condition: D}}\n"


MALFORMED = {
    "Fn::If with two arguments": (_property("!If [C, x]"), "E1028"),
    "Fn::If on an undeclared condition": (_property("!If [Nope, x, y]"), "E1028"),
    "Fn::Equals with three arguments": (_condition("!Equals [a, b, c]"), "E8003"),
    "Ref to an undeclared parameter in Conditions": (_condition("!Equals [!Ref Nope, a]"), "E1020"),
    "a condition written as a function": (_condition("!Sub x"), "E8001"),
    "Fn::Not with two conditions": (_condition("!Not [!Equals [a, a], !Equals [a, b]]"), "E8005"),
    "Fn::And with one condition": (_condition("!And [!Equals [a, a]]"), "E8004"),
    "Fn::Or with eleven conditions": (_condition("!Or [" + ", ".join(["!Equals [a, a]"] * 11) + "]"), "E8006"),
    "Condition on an undeclared condition": (_HEAD + "  R: {Type: AWS::SQS::Queue, Condition: Nope}\n", "E3015"),
    "unknown Fn::Bogus": (_property("{'Fn::Bogus': x}"), "E3012"),
    "Ref to an undeclared name": (_property("!Ref Nope"), "E1020"),
    "Ref to a list": (_property("{Ref: [P]}"), "E1020"),
    "Fn::GetAtt of a missing attribute": (_property("!GetAtt Q.Nope"), "E1010"),
    "Fn::GetAtt with one part": (_property("{'Fn::GetAtt': [Q]}"), "E1010"),
    "Fn::GetAtt of a missing resource": (_property("!GetAtt Nope.Arn"), "E1010"),
    "Fn::FindInMap on a missing mapping": (
        _property("!FindInMap [Nope, k, v]"),
        "Template error: Unable to get mapping for Nope::k::v",
    ),
    "Fn::FindInMap on a missing key": (_property("!FindInMap [M, nope, v]"), "Unable to get mapping for M::nope::v"),
    "Fn::FindInMap with two arguments": (_property("!FindInMap [M, k]"), "E1011"),
    "Fn::Sub naming nothing": (_property("!Sub '${Nope}'"), "E1019"),
    "Fn::Sub with three arguments": (_property("{'Fn::Sub': [a, {}, c]}"), "E1019"),
    "Fn::Join without a list": (_property("!Join [',']"), "E1022"),
    "Fn::Select with a word for index": (_property("!Select [x, [a, b]]"), "E1017"),
    "Fn::Select out of range": (_property("!Select [5, [a, b]]"), "E1017"),
    "Fn::Split with one argument": (_property("{'Fn::Select': [0, {'Fn::Split': [',']}]}"), "E1017"),
    "Fn::GetAZs of a number": (_property("!Select [0, !GetAZs [1]]"), "E1017"),
    "Fn::Base64 of a list": (_property("!Base64 [a]"), "E1021"),
    "Fn::ImportValue of a list": (_property("!ImportValue [a]"), "E1016"),
    "Fn::Length without its transform": (_property("{'Fn::Length': [a]}"), "E1030"),
    "Fn::ToJsonString without its transform": (_property("{'Fn::ToJsonString': {a: b}}"), "E1031"),
    "Fn::ForEach with two arguments": (
        "Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Q:\n    - X\n    - [a, b]\n",
        "Fn::ForEach values must be a list of 3 elements",
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_intrinsic_is_refused_in_one_line_before_anything_is_touched(
    cloud: LocalCloud, tmp_path: Path, case: str
) -> None:
    text, expected = MALFORMED[case]
    template = write(tmp_path, "malformed.yaml", text)

    with pytest.raises(TemplateError) as refused:
        cloud.deploy("malformed", template, {})

    assert expected in str(refused.value)
    assert "\n" not in str(refused.value)
    assert cloud.stacks() == []
    assert cloud.emulator.calls() == []


def test_the_command_line_refuses_in_one_line_without_a_traceback(tmp_path: Path) -> None:
    template = write(tmp_path, "malformed.yaml", _condition("!Equals [a, b, c]"))
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["--state-dir", str(tmp_path / "state"), "deploy", "-t", str(template), "--stack-name", "x"])

    assert code == 1
    assert stdout.getvalue() == ""
    (line,) = stderr.getvalue().splitlines()
    assert line.startswith("Error: ")
    assert "E8003 expected maximum item count: 2, found: 3" in line


def test_the_wellarchitected_types_are_made_on_the_emulator(cloud: LocalCloud) -> None:
    client = cloud.client("wellarchitected", OWNER)
    stack = cloud.deploy("wa", CORPUS / "wellarchitected.yaml", {})

    assert stack.status == "CREATE_COMPLETE", stack.events_table()
    values = outputs(cloud, "wa")
    assert values["LensId"] == values["LensArn"].rsplit("/", 1)[1]
    assert values["WorkloadArn"].endswith(f":workload/{values['WorkloadId']}")
    assert values["ProfileVersion"] == "1"
    assert values["TemplateOwner"] == OWNER
    assert [p["ProfileArn"] for p in client.list_profiles()["ProfileSummaries"]] == [values["ProfileArn"]]
    assert [w["WorkloadId"] for w in client.list_workloads()["WorkloadSummaries"]] == [values["WorkloadId"]]

    cloud.deploy("wa", CORPUS / "wellarchitected.yaml", {"TemplateLenses": "wellarchitected,serverless"})

    assert stack.status == "UPDATE_COMPLETE", stack.events_table()
    replaced = outputs(cloud, "wa")["TemplateArn"]
    assert replaced != values["TemplateArn"]  # Lenses is createOnly: a new review template, the old one deleted
    assert [t["TemplateArn"] for t in client.list_review_templates()["ReviewTemplates"]] == [replaced]

    cloud.delete("wa")

    assert stack.status == "DELETE_COMPLETE", stack.events_table()
    assert client.list_profiles().get("ProfileSummaries", []) == []
    assert client.list_review_templates().get("ReviewTemplates", []) == []
    assert client.list_workloads().get("WorkloadSummaries", []) == []


def test_deletion_policies_from_intrinsics_are_honoured(cloud: LocalCloud) -> None:
    stack = cloud.deploy("policies", CORPUS / "policies.yaml", {})
    assert stack.status == "CREATE_COMPLETE", stack.events_table()

    cloud.delete("policies")

    assert stack.status == "DELETE_COMPLETE", stack.events_table()
    skipped = {event.logical_id for event in stack.events if event.status == "DELETE_SKIPPED"}
    assert skipped == {"Logs", "Regional"}
