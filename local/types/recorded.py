"""Any type without a module of its own is recorded, not made: it gets the Ref and Fn::GetAtt values its
CloudFormation schema (as cfn-lint ships it) defines, every attribute and no other, in the shapes AWS gives them,
and honours the name a template gives it (BucketName, TableName, FunctionName, TopicName...)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

from local.records import Outcome, Request
from local.types.base import Host, generated_name

# Where AWS puts a name in a type's ARN; any other type gets arn:aws:<service>:<region>:<account>:<kind>/<name>
ARN_SHAPES = {
    "AWS::S3::Bucket": "arn:{partition}:s3:::{name}",
    "AWS::Lambda::Function": "arn:{partition}:lambda:{region}:{account}:function:{name}",
    "AWS::SNS::Topic": "arn:{partition}:sns:{region}:{account}:{name}",
    "AWS::SQS::Queue": "arn:{partition}:sqs:{region}:{account}:{name}",
    "AWS::DynamoDB::Table": "arn:{partition}:dynamodb:{region}:{account}:table/{name}",
    "AWS::IAM::Role": "arn:{partition}:iam::{account}:role/{name}",
    "AWS::IAM::User": "arn:{partition}:iam::{account}:user/{name}",
    "AWS::IAM::ManagedPolicy": "arn:{partition}:iam::{account}:policy/{name}",
    "AWS::Logs::LogGroup": "arn:{partition}:logs:{region}:{account}:log-group:{name}:*",
    "AWS::CertificateManager::Certificate": "arn:{partition}:acm:{region}:{account}:certificate/{id}",
    "AWS::KMS::Key": "arn:{partition}:kms:{region}:{account}:key/{id}",
    "AWS::SecretsManager::Secret": "arn:{partition}:secretsmanager:{region}:{account}:secret:{name}-{short}",
    "AWS::StepFunctions::StateMachine": "arn:{partition}:states:{region}:{account}:stateMachine:{name}",
    "AWS::Events::Rule": "arn:{partition}:events:{region}:{account}:rule/{name}",
}
HIDDEN_NAME, HIDDEN_ID = "_name", "_id"  # data keys Fn::GetAtt never reads (they start with "_")
# Name limits and case where AWS is stricter than a generated name
_LOWERCASE = frozenset({"AWS::S3::Bucket"})
_LIMITS = {"AWS::S3::Bucket": 63, "AWS::IAM::Role": 64, "AWS::SQS::Queue": 80, "AWS::SNS::Topic": 256}


def schema(resource_type: str, region: str) -> dict[str, Any] | None:
    """The type's CloudFormation schema as cfn-lint ships it; None for a type cfn-lint does not know."""
    try:
        found: dict[str, Any] = PROVIDER_SCHEMA_MANAGER.get_resource_schema(region, resource_type).schema
    except Exception:  # noqa: BLE001 - cfn-lint raises its own not-found error, whose module is private
        return None
    return found


def attributes(resource_type: str, region: str) -> list[str]:
    """Every attribute Fn::GetAtt can read of the type, as its schema defines them."""
    try:
        return list(PROVIDER_SCHEMA_MANAGER.get_resource_schema(region, resource_type).get_atts)
    except Exception:  # noqa: BLE001 - as in schema()
        return []


def _last(pointer: str) -> str:
    return pointer.rsplit("/", 1)[-1]


def name_property(resource_type: str, definition: Mapping[str, Any]) -> str | None:
    """The property that names the resource: <Kind>Name or Name, when it is part of the resource's identity."""
    identity = {
        _last(p) for p in [*definition.get("createOnlyProperties", []), *definition.get("primaryIdentifier", [])]
    }
    kind = resource_type.rsplit("::", 1)[-1]
    return next((name for name in (f"{kind}Name", "Name") if name in identity), None)


class Recorded:
    type_names: tuple[str, ...] = ()

    def act(self, request: Request, host: Host) -> Outcome:
        note = f"{request.resource_type} is not emulated locally: recorded only"
        if request.request_type == "Delete":
            return Outcome(True, request.physical_id or "", note=note)
        current = host.resources.get(request.logical_id)
        physical_id, data = self.values(request, host, current.data if current else {})
        return Outcome(True, physical_id, data, note=note)

    def values(self, request: Request, host: Host, before: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """The Ref value (the physical ID) and the attributes; a resource keeps its made-up ID across updates."""
        resource_type, properties, region = request.resource_type, request.properties, host.region
        definition = schema(resource_type, region) or {}
        naming = name_property(resource_type, definition)
        given = properties.get(naming) if naming else None
        name = str(given) if isinstance(given, str) else str(before.get(HIDDEN_NAME) or self._new_name(request, host))
        made_up = str(before.get(HIDDEN_ID) or uuid.uuid4())
        arn = self.arn(resource_type, name, made_up, host)
        primary = [_last(pointer) for pointer in definition.get("primaryIdentifier", [])]
        values: dict[str, Any] = {"Arn": arn, f"{resource_type.rsplit('::', 1)[-1]}Arn": arn, "Id": made_up}
        if naming:
            values[naming] = name
        if resource_type == "AWS::SQS::Queue":
            values["QueueUrl"] = f"https://sqs.{region}.amazonaws.com/{host.account}/{name}"
        if resource_type == "AWS::DynamoDB::Table":
            values["StreamArn"] = f"{arn}/stream/{made_up[:8]}"
        if resource_type == "AWS::S3::Bucket":
            values |= {
                "DomainName": f"{name}.s3.amazonaws.com",
                "RegionalDomainName": f"{name}.s3.{region}.amazonaws.com",
                "DualStackDomainName": f"{name}.s3.dualstack.{region}.amazonaws.com",
                "WebsiteURL": f"http://{name}.s3-website-{region}.amazonaws.com",
            }
        data: dict[str, Any] = {HIDDEN_NAME: name, HIDDEN_ID: made_up}  # kept for the next update, not attributes
        read_only = {
            pointer.removeprefix("/properties/").replace("/", ".")
            for pointer in definition.get("readOnlyProperties", [])
        }
        for attribute in attributes(resource_type, region):
            if attribute in values:
                data[attribute] = values[attribute]
            elif attribute in read_only:
                data[attribute] = self._made_up(attribute, name)
            else:  # an attribute that echoes a property: what the template gave, else AWS's empty default
                data[attribute] = properties.get(attribute, "")
        ref = values.get(primary[0], name) if len(primary) == 1 else made_up
        return str(ref), data

    @staticmethod
    def arn(resource_type: str, name: str, made_up: str, host: Host) -> str:
        service = resource_type.split("::")[1].lower()
        kind = resource_type.rsplit("::", 1)[-1].lower()
        shape = ARN_SHAPES.get(resource_type, "arn:{partition}:{service}:{region}:{account}:{kind}/{name}")
        return shape.format(
            partition="aws",
            service=service,
            kind=kind,
            region=host.region,
            account=host.account,
            name=name,
            id=made_up,
            short=made_up[:6],
        )

    @staticmethod
    def _new_name(request: Request, host: Host) -> str:
        name = generated_name(host, request.logical_id, _LIMITS.get(request.resource_type, 128))
        return name.lower() if request.resource_type in _LOWERCASE else name

    @staticmethod
    def _made_up(attribute: str, name: str) -> str:
        return f"{name}-{attribute.replace('.', '-').lower()}"


RECORDED = Recorded()
