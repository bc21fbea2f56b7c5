"""Resource import, as `aws cloudformation create-change-set --change-set-type IMPORT --resources-to-import ...`
takes it: a JSON list of {ResourceType, LogicalResourceId, ResourceIdentifier}, checked against the template as
CloudFormation checks it before the change set runs."""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path
from typing import Any

from local.errors import TemplateError
from local.registry import TYPES
from local.template import Template


def parse(text: str) -> Any:
    """The option's value: JSON, or file://path to a JSON file, as the AWS CLI reads it."""
    if text.startswith("file://"):
        text = Path(text.removeprefix("file://")).read_text(encoding="utf-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise TemplateError(f"--resources-to-import is not JSON: {error}") from None


def identifiers(template: Template, to_import: Any, existing: Collection[str]) -> dict[str, dict[str, Any]]:
    """Each imported resource's identifier by logical ID; TemplateError for what CloudFormation would refuse."""
    if not isinstance(to_import, list) or not to_import:
        raise TemplateError(
            "--resources-to-import: give a list of {ResourceType, LogicalResourceId, ResourceIdentifier}"
        )
    found: dict[str, dict[str, Any]] = {}
    for item in to_import:
        logical_id = str(item.get("LogicalResourceId", "")) if isinstance(item, dict) else ""
        spec = template.resources.get(logical_id)
        if spec is None:
            raise TemplateError(f"Resource {logical_id or '(no LogicalResourceId)'} to import is not in the template")
        resource_type = str(spec.get("Type"))
        if item.get("ResourceType") != resource_type:
            raise TemplateError(
                f"Resource {logical_id} is {resource_type} in the template, not {item.get('ResourceType')}"
            )
        kind = TYPES.get(resource_type)
        if kind is None:
            raise TemplateError(f"Resource type {resource_type} does not support import here: only registry types do")
        if "DeletionPolicy" not in spec:
            raise TemplateError(f"Resource {logical_id} to import must have a DeletionPolicy attribute in the template")
        identifier = item.get("ResourceIdentifier")
        if not isinstance(identifier, dict) or set(identifier) != set(kind.primary_identifier):
            raise TemplateError(
                f"ResourceIdentifier of {logical_id} must give exactly {', '.join(kind.primary_identifier)}"
            )
        found[logical_id] = identifier
    unexpected = set(template.resources) - set(existing) - set(found)
    if unexpected:
        raise TemplateError(f"An import adds no other resources: {', '.join(sorted(unexpected))} not imported")
    return found
