"""A cfn-lint rule that checks this provider's Custom:: resources against their schemas, the same files the
provider validates with (functions/provider/lens_share/schemas):

    cfn-lint your-template.yaml --append-rules cfn-lint-rules
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from typing import Any, ClassVar

from cfnlint.rules import CloudFormationLintRule, RuleMatch

SCHEMAS = Path(__file__).resolve().parent.parent / "functions" / "provider" / "lens_share" / "schemas"
# CloudFormation's own properties of every custom resource.
CLOUDFORMATION = ("ServiceToken", "ServiceTimeout")


def _schemas() -> dict[str, dict[str, Any]]:
    documents = (json.loads(path.read_text(encoding="utf-8")) for path in sorted(SCHEMAS.glob("*.json")))
    return {document["typeName"]: document for document in documents}


def _inputs(schema: dict[str, Any]) -> list[str]:
    read_only = set(schema.get("readOnlyProperties", []))
    return [name for name in schema["properties"] if f"/properties/{name}" not in read_only]


# cfn-lint ships no type hints, so its base class is Any to mypy.
class ShareTypeProperties(CloudFormationLintRule):  # type: ignore[misc]
    id = "E9101"
    shortdesc = "Well-Architected share resource properties"
    description = "Properties of the lens share provider's Custom:: types match the provider's schemas"
    source_url = "https://github.com/lens-share-provider/lens-share-provider/tree/main/docs/resources"
    tags: ClassVar[list[str]] = ["resources", "custom", "well-architected"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        schemas = _schemas()
        matches: list[RuleMatch] = []
        for name, resource in cfn.get_resources(list(schemas)).items():
            properties = resource.get("Properties", {})
            if isinstance(properties, dict):
                matches += self._check(["Resources", name, "Properties"], schemas[resource["Type"]], properties)
        return matches

    def _check(self, path: list[Any], schema: dict[str, Any], properties: dict[str, Any]) -> list[RuleMatch]:
        type_name, inputs = schema["typeName"], _inputs(schema)
        found: list[RuleMatch] = []
        for key in properties:
            if key not in inputs and key not in CLOUDFORMATION:
                close = difflib.get_close_matches(key, inputs, n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                found.append(
                    RuleMatch([*path, key], f"{type_name} has no property {key!r}{hint}; it takes {', '.join(inputs)}")
                )
        missing = [key for key in ("ServiceToken", *schema.get("required", [])) if key not in properties]
        found += [RuleMatch(path, f"{type_name} needs the property {key!r}") for key in missing]
        choices = [option["required"][0] for option in schema.get("oneOf", [])]
        if choices and sum(key in properties for key in choices) != 1:
            found.append(RuleMatch(path, f"{type_name} needs exactly one of {', '.join(choices)}"))
        for key, value in properties.items():
            described = schema["properties"].get(key)
            if described is None or not isinstance(value, str):
                continue  # an intrinsic function is resolved at deploy time
            enum = described.get("enum")
            if enum and value.lower() not in [str(each).lower() for each in enum]:
                found.append(RuleMatch([*path, key], f"{type_name} {key} must be one of {', '.join(enum)}"))
            pattern = described.get("pattern")
            if pattern and not re.match(pattern, value):
                found.append(RuleMatch([*path, key], f"{type_name} {key} {value!r} does not match {pattern}"))
        return found
