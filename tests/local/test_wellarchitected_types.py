"""AWS::WellArchitected::Profile, ::ReviewTemplate and ::Workload as local types, against botocore's Stubber (the
emulator serves no Update operation; test_corpus deploys them on it): the calls each makes, Ref and Fn::GetAtt as
the schema defines them, replacement on a createOnly property, and a delete that accepts a resource already gone."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

import boto3
import pytest
from botocore.stub import ANY, Stubber

from local.registry import TYPES as REGISTRY_TYPES
from local.stack import Request, Resource
from local.types import REGISTRY, Host, Outcome
from local.types.recorded import attributes

ACCOUNT = "111111111111"
PROFILE_ARN = f"arn:aws:wellarchitected:us-east-1:{ACCOUNT}:profile/{'a' * 32}"
TEMPLATE_ARN = f"arn:aws:wellarchitected:us-east-1:{ACCOUNT}:review-template/{'b' * 32}"
WORKLOAD_ID = "c" * 32
WORKLOAD_ARN = f"arn:aws:wellarchitected:us-east-1:{ACCOUNT}:workload/{WORKLOAD_ID}"
WHEN = datetime(2026, 11, 30, tzinfo=UTC)


@dataclass
class StubCloud:
    client_: Any
    region: str = "us-east-1"

    def client(self, service: str, account: str, region: str | None = None) -> Any:
        return self.client_


@dataclass
class StubHost:
    cloud: StubCloud
    name: str = "wa"
    stack_id: str = f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/wa/1"
    account: str = ACCOUNT
    region: str = "us-east-1"
    template_path: str = ""
    template: None = None
    resources: dict[str, Resource] = field(default_factory=dict)


@pytest.fixture
def stubbed() -> Iterator[tuple[Stubber, Host]]:
    client = boto3.client(
        "wellarchitected", region_name="us-east-1", aws_access_key_id="local", aws_secret_access_key="local"
    )
    with Stubber(client) as stubber:
        yield stubber, cast(Host, StubHost(StubCloud(client)))
        stubber.assert_no_pending_responses()


def act(host: Host, request: Request) -> Outcome:
    return REGISTRY[request.resource_type].act(request, host)


PROFILE = {
    "ProfileName": "baseline",
    "ProfileDescription": "Our baseline",
    "ProfileQuestions": [{"QuestionId": "q1", "SelectedChoiceIds": ["c1"]}],
}


def test_a_profile_is_created_updated_replaced_and_deleted(stubbed: tuple[Stubber, Host]) -> None:
    stubber, host = stubbed
    got = {"Profile": {"ProfileArn": PROFILE_ARN, "ProfileVersion": "1", "Owner": ACCOUNT, "CreatedAt": WHEN}}
    stubber.add_response(
        "create_profile",
        {"ProfileArn": PROFILE_ARN, "ProfileVersion": "1"},
        {**PROFILE, "ClientRequestToken": ANY},
    )
    stubber.add_response("get_profile", got, {"ProfileArn": PROFILE_ARN})

    created = act(host, Request("Create", "Profile", "AWS::WellArchitected::Profile", None, PROFILE))

    assert created.physical_id == PROFILE_ARN  # Ref: the schema's primaryIdentifier
    assert set(created.data) == set(attributes("AWS::WellArchitected::Profile", "us-east-1"))
    assert created.data["CreatedAt"] == WHEN.isoformat()

    described = {**PROFILE, "ProfileDescription": "Revised"}
    stubber.add_response(
        "update_profile",
        {},
        {
            "ProfileArn": PROFILE_ARN,
            "ProfileDescription": "Revised",
            "ProfileQuestions": PROFILE["ProfileQuestions"],
        },
    )
    stubber.add_response("get_profile", got, {"ProfileArn": PROFILE_ARN})
    updated = act(host, Request("Update", "Profile", "AWS::WellArchitected::Profile", PROFILE_ARN, described, PROFILE))
    assert updated.physical_id == PROFILE_ARN  # in place

    renamed = {**PROFILE, "ProfileName": "other"}
    other = PROFILE_ARN.replace("a" * 32, "d" * 32)
    stubber.add_response("create_profile", {"ProfileArn": other, "ProfileVersion": "1"})
    stubber.add_response("get_profile", {"Profile": {"ProfileArn": other}}, {"ProfileArn": other})
    replaced = act(host, Request("Update", "Profile", "AWS::WellArchitected::Profile", PROFILE_ARN, renamed, PROFILE))
    assert replaced.physical_id == other  # ProfileName is createOnly: a new profile

    stubber.add_client_error("delete_profile", "ResourceNotFoundException", "No profile", 404)
    gone = act(host, Request("Delete", "Profile", "AWS::WellArchitected::Profile", PROFILE_ARN, PROFILE))
    assert gone.succeeded


def test_a_review_template_is_created_and_replaced_when_its_lenses_change(stubbed: tuple[Stubber, Host]) -> None:
    stubber, host = stubbed
    properties = {"TemplateName": "review", "Description": "Reviews", "Lenses": ["wellarchitected"]}
    stubber.add_response(
        "create_review_template", {"TemplateArn": TEMPLATE_ARN}, {**properties, "ClientRequestToken": ANY}
    )
    stubber.add_response(
        "get_review_template",
        {"ReviewTemplate": {"TemplateArn": TEMPLATE_ARN, "Owner": ACCOUNT, "UpdatedAt": WHEN}},
        {"TemplateArn": TEMPLATE_ARN},
    )

    created = act(host, Request("Create", "Review", "AWS::WellArchitected::ReviewTemplate", None, properties))

    assert created.physical_id == TEMPLATE_ARN
    assert set(created.data) == set(attributes("AWS::WellArchitected::ReviewTemplate", "us-east-1"))

    wider = {**properties, "Lenses": ["wellarchitected", "serverless"]}
    stubber.add_response("create_review_template", {"TemplateArn": TEMPLATE_ARN.replace("b", "e")})
    stubber.add_response("get_review_template", {"ReviewTemplate": {}})
    replaced = act(
        host, Request("Update", "Review", "AWS::WellArchitected::ReviewTemplate", TEMPLATE_ARN, wider, properties)
    )
    assert replaced.physical_id != TEMPLATE_ARN

    stubber.add_response("delete_review_template", {}, {"TemplateArn": TEMPLATE_ARN, "ClientRequestToken": ANY})
    assert act(host, Request("Delete", "Review", "AWS::WellArchitected::ReviewTemplate", TEMPLATE_ARN, wider)).succeeded


def test_a_workload_is_created_updated_and_deleted_by_its_id(stubbed: tuple[Stubber, Host]) -> None:
    stubber, host = stubbed
    properties = {
        "WorkloadName": "shop",
        "Description": "The shop",
        "Environment": "PRODUCTION",
        "Lenses": ["wellarchitected"],
        "AwsRegions": ["us-east-1"],
    }
    stubber.add_response(
        "create_workload",
        {"WorkloadId": WORKLOAD_ID, "WorkloadArn": WORKLOAD_ARN},
        {**properties, "ClientRequestToken": ANY},
    )
    stubber.add_response(
        "get_workload", {"Workload": {"ImprovementStatus": "NOT_STARTED"}}, {"WorkloadId": WORKLOAD_ID}
    )

    created = act(host, Request("Create", "Shop", "AWS::WellArchitected::Workload", None, properties))

    assert created.physical_id == WORKLOAD_ARN  # the schema's primaryIdentifier is the ARN
    assert created.data == {"WorkloadArn": WORKLOAD_ARN, "WorkloadId": WORKLOAD_ID, "ImprovementStatus": "NOT_STARTED"}
    assert set(created.data) == set(attributes("AWS::WellArchitected::Workload", "us-east-1"))

    renamed = {**properties, "WorkloadName": "store"}
    stubber.add_response(
        "update_workload",
        {},
        {key: value for key, value in renamed.items() if key != "Lenses"} | {"WorkloadId": WORKLOAD_ID},
    )
    stubber.add_response("get_workload", {"Workload": {}}, {"WorkloadId": WORKLOAD_ID})
    updated = act(host, Request("Update", "Shop", "AWS::WellArchitected::Workload", WORKLOAD_ARN, renamed, properties))
    assert updated.physical_id == WORKLOAD_ARN

    stubber.add_response("delete_workload", {}, {"WorkloadId": WORKLOAD_ID, "ClientRequestToken": ANY})
    assert act(host, Request("Delete", "Shop", "AWS::WellArchitected::Workload", WORKLOAD_ARN, renamed)).succeeded


def test_a_refused_call_fails_the_resource_with_the_services_words(stubbed: tuple[Stubber, Host]) -> None:
    stubber, host = stubbed
    stubber.add_client_error("create_profile", "ValidationException", "[Validation] ProfileName is too long", 400)

    with pytest.raises(Exception, match=r"ValidationException: \[Validation\] ProfileName is too long"):
        act(host, Request("Create", "Profile", "AWS::WellArchitected::Profile", None, PROFILE))


def test_every_local_type_is_in_the_registry() -> None:
    assert {
        "AWS::CloudFormation::CustomResource",
        "AWS::CloudFormation::Stack",
        "AWS::Lambda::Function",
        "AWS::WellArchitected::Lens",
        "AWS::WellArchitected::Profile",
        "AWS::WellArchitected::ReviewTemplate",
        "AWS::WellArchitected::Workload",
        *REGISTRY_TYPES,  # the project's own registry types (registry/), one local type for all four
    } == set(REGISTRY)
