"""template.yaml's function, parameters, outputs and Serverless Application Repository metadata."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

from lens_share.resources import REGISTRY

Template = dict[str, Any]

ROOT = Path(__file__).resolve().parents[2]
FUNCTION = "LensShareFunction"
PACKAGE_INIT = ROOT / "functions" / "provider" / "lens_share" / "__init__.py"
# The public Powertools layer version that carries each aws-lambda-powertools release (3.32.0 and
# 3.33.0 were never published, so 3.31.1 is layer 36 and 3.34.0 layer 37). Bump both together.
POWERTOOLS_LAYER_VERSIONS = {"3.37.0": 40}
LAYER = re.compile(
    r"^arn:\$\{AWS::Partition\}:lambda:\$\{AWS::Region\}:017000801446:layer:"
    r"AWSLambdaPowertoolsPythonV3-python(?P<python>\d+)-(?P<arch>arm64|x86_64):(?P<version>\d+)$"
)
RETENTION_DAYS = {1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922}
RETENTION_DAYS |= {3288, 3653}
SEMANTIC_VERSION = re.compile(r"^\d+\.\d+\.\d+$")


def function_properties(template: Template) -> dict[str, Any]:
    properties: dict[str, Any] = template["Resources"][FUNCTION]["Properties"]
    return properties


def pinned_powertools() -> str:
    for line in (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("aws-lambda-powertools=="):
            return line.split("==", 1)[1].strip()
    raise AssertionError("requirements-dev.txt pins no aws-lambda-powertools")


def test_function_runs_a_current_python_on_arm64_with_small_memory(template: Template) -> None:
    properties = function_properties(template)
    runtime = re.fullmatch(r"python3\.(\d+)", properties["Runtime"])
    assert runtime is not None
    assert int(runtime.group(1)) >= 12
    assert properties["Architectures"] == ["arm64"]
    assert properties["MemorySize"] == 128
    # Paced retries under throttling and the wait for an invitation need minutes, not seconds.
    assert properties["Timeout"] == 300


def test_powertools_comes_from_the_public_layer_matching_runtime_architecture_and_pin(template: Template) -> None:
    properties = function_properties(template)
    (layer,) = properties["Layers"]
    match = LAYER.match(layer["Fn::Sub"])
    assert match is not None, layer
    assert match["python"] == properties["Runtime"].removeprefix("python").replace(".", "")
    assert [match["arch"]] == properties["Architectures"]
    assert int(match["version"]) == POWERTOOLS_LAYER_VERSIONS[pinned_powertools()]


def test_code_location_and_handler_point_into_the_repository(template: Template) -> None:
    properties = function_properties(template)
    code = ROOT / properties["CodeUri"]
    assert properties["CodeUri"] == "functions/provider/"
    assert (code / "requirements.txt").is_file()
    module, function = properties["Handler"].rsplit(".", 1)
    handler_file = code / (module.replace(".", "/") + ".py")
    assert handler_file == ROOT / "functions" / "provider" / "lens_share" / "app.py"
    assert function == "handler"
    if not handler_file.is_file():
        pytest.skip(f"{handler_file.relative_to(ROOT)} is not written yet")
    module_body = ast.parse(handler_file.read_text(encoding="utf-8")).body
    defined = {node.name for node in module_body if isinstance(node, ast.FunctionDef)}
    assigned = {
        target.id
        for node in module_body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert function in defined | assigned


def test_environment_is_what_the_provider_reads(template: Template) -> None:
    assert function_properties(template)["Environment"]["Variables"] == {
        "POWERTOOLS_SERVICE_NAME": "lens-share-provider",
        "POWERTOOLS_LOG_LEVEL": "INFO",
        "POWERTOOLS_METRICS_NAMESPACE": "LensShareProvider",
        "ALLOWED_PRINCIPALS": {"Ref": "AllowedPrincipals"},
        "ORGANIZATION_SHARING": {"Ref": "OrganizationSharing"},
    }


def test_logs_go_to_a_log_group_with_retention(template: Template) -> None:
    log_group = function_properties(template)["LoggingConfig"]["LogGroup"]["Ref"]
    resource = template["Resources"][log_group]
    assert resource["Type"] == "AWS::Logs::LogGroup"
    assert resource["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionInDays"}
    parameter = template["Parameters"]["LogRetentionInDays"]
    assert set(parameter["AllowedValues"]) <= RETENTION_DAYS
    assert parameter["Default"] in parameter["AllowedValues"]


@pytest.mark.parametrize(
    "value",
    [
        "ANY",
        "ORGANIZATION",
        "111111111111",
        "o-abcd123456",
        "ou-ab12-abcd1234",
        "111111111111,o-abcd123456,ou-ab12-abcd1234",
    ],
)
def test_allowed_principals_accepts_its_documented_forms(template: Template, value: str) -> None:
    assert re.fullmatch(template["Parameters"]["AllowedPrincipals"]["AllowedPattern"], value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "any",
        "ALL",
        "11111111111",
        "111111111111,",
        ",111111111111",
        "111111111111, 222222222222",
        "o-abc",
        "ou-ab12",
        "arn:aws:iam::111111111111:user/alice",
        "ANY,111111111111",
    ],
)
def test_allowed_principals_refuses_anything_else(template: Template, value: str) -> None:
    assert not re.fullmatch(template["Parameters"]["AllowedPrincipals"]["AllowedPattern"], value)


def test_allowed_principals_defaults_to_any(template: Template) -> None:
    assert template["Parameters"]["AllowedPrincipals"]["Default"] == "ANY"


def test_service_token_is_exported_under_the_stack_name(template: Template) -> None:
    output = template["Outputs"]["ServiceToken"]
    assert output["Value"] == {"Fn::GetAtt": [FUNCTION, "Arn"]}
    assert output["Export"] == {"Name": {"Fn::Sub": "${AWS::StackName}-ServiceToken"}}


def test_every_output_is_described(template: Template) -> None:
    for name, output in template["Outputs"].items():
        description = output.get("Description")
        assert isinstance(description, str), name
        assert description.strip(), name


def test_serverless_repo_metadata_is_complete(template: Template) -> None:
    application = template["Metadata"]["AWS::ServerlessRepo::Application"]
    assert re.fullmatch(r"[a-zA-Z0-9-]{1,140}", application["Name"])
    assert application["Name"] == "lens-share-provider"
    assert 1 <= len(application["Description"]) <= 256
    assert re.fullmatch(r"[a-z0-9](([a-z0-9]|-(?!-))*[a-z0-9])?", application["Author"])
    assert application["SpdxLicenseId"] == "Apache-2.0"
    assert application["LicenseUrl"] == "LICENSE"
    assert (ROOT / "LICENSE").is_file()
    assert application["ReadmeUrl"] == "docs/serverless-application-repository.md"
    assert 1 <= len(application["Labels"]) <= 10
    assert all(re.fullmatch(r"[a-zA-Z0-9+\-_:/@]{1,127}", label) for label in application["Labels"])
    for url in ("HomePageUrl", "SourceCodeUrl"):
        assert application[url].startswith("https://"), url
    assert isinstance(application["SemanticVersion"], str)
    assert SEMANTIC_VERSION.fullmatch(application["SemanticVersion"])


def test_semantic_version_is_the_package_version(template: Template) -> None:
    if not PACKAGE_INIT.is_file():
        pytest.skip(f"{PACKAGE_INIT.relative_to(ROOT)} is not written yet")
    versions = [
        node.value.value
        for node in ast.parse(PACKAGE_INIT.read_text(encoding="utf-8")).body
        if isinstance(node, ast.Assign)
        and any(isinstance(target, ast.Name) and target.id == "__version__" for target in node.targets)
        and isinstance(node.value, ast.Constant)
    ]
    assert versions, f"{PACKAGE_INIT.relative_to(ROOT)} sets no literal __version__"
    assert template["Metadata"]["AWS::ServerlessRepo::Application"]["SemanticVersion"] == versions[-1]


def test_organizations_guard_condition_follows_allowed_principals(template: Template) -> None:
    assert template["Conditions"]["GuardWithOrganizations"] == {
        "Fn::Equals": [{"Ref": "AllowedPrincipals"}, "ORGANIZATION"]
    }


def test_descriptions_name_every_type_the_provider_serves(template: Template) -> None:
    served = sorted(name for name in REGISTRY if name.startswith("Custom::"))
    assert len(served) == 7
    texts = {
        "Description": template["Description"],
        "function": function_properties(template)["Description"],
        "ServiceToken": template["Outputs"]["ServiceToken"]["Description"],
    }
    for where, text in texts.items():
        named = sorted(set(re.findall(r"Custom::\w+", text)))
        assert named == served, where
