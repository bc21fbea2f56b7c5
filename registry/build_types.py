"""Writes each registry type's project folder from the matching Custom:: schema and the share core's kinds: its
schema, .rpdk-config, thin handlers.py, requirements and contract-test inputs. `cfn generate` then adds models.py
and docs. Run with --namespace to build the types under your own organization's name, into another folder.

    python registry/build_types.py [--namespace LensShareProvider] [--output registry]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT.parent / "functions" / "provider")]

from lens_share_types.core import rules  # noqa: E402
from lens_share_types.kinds import DEFAULT_NAMESPACE, TYPES, ShareType, check_namespace  # noqa: E402

CUSTOM_SCHEMAS = ROOT.parent / "functions" / "provider" / "lens_share" / "schemas"
DOCUMENTATION = "https://github.com/lens-share-provider/lens-share-provider/blob/main/docs/registry-types.md"
STATUSES = ["PENDING", "ACCEPTED", "REJECTED", "REVOKED", "EXPIRED", "ASSOCIATING", "ASSOCIATED", "FAILED"]
# The account the contract suite's credentials belong to (moto's), and what the inputs share: the contract-test
# harness seeds the emulator with exactly these resources.
TEST_ACCOUNT = "123456789012"
TEST_RESOURCES = {
    "LensShare": f"arn:aws:wellarchitected:us-east-1:{TEST_ACCOUNT}:lens/{'1' * 32}",
    "ProfileShare": f"arn:aws:wellarchitected:us-east-1:{TEST_ACCOUNT}:profile/{'2' * 32}",
    "ReviewTemplateShare": f"arn:aws:wellarchitected:us-east-1:{TEST_ACCOUNT}:review-template/{'3' * 32}",
    "WorkloadShare": "4" * 32,
}
TEST_PRINCIPAL = "210000000001"
PYTHON_LIB = "cloudformation-cli-python-lib==2.1.20"
GUARD_PERMISSIONS = [
    "organizations:DescribeOrganization",
    "organizations:DescribeAccount",
    "organizations:DescribeOrganizationalUnit",
]
# A refused create asks whether organization sharing is off, to say so (rules.Shares.explain).
EXPLAIN_PERMISSIONS = ["wellarchitected:GetGlobalSettings"]


def custom_schema(share_type: ShareType) -> dict[str, Any]:
    name = share_type.kind.resource_type.replace("::", "-").lower() + ".json"
    document: dict[str, Any] = json.loads((CUSTOM_SCHEMAS / name).read_text(encoding="utf-8"))
    return document


def permissions(share_type: ShareType) -> dict[str, list[str]]:
    """Exactly the calls each handler makes (operations.py), and the guard's for those that share."""
    kind = share_type.kind
    listing = f"wellarchitected:{kind.listing}"
    create, delete = (f"wellarchitected:{verb}{kind.noun_in_api}Share" for verb in ("Create", "Delete"))
    update = [f"wellarchitected:Update{kind.noun_in_api}Share"] if kind.permission else []
    return {
        "create": sorted([create, listing, *GUARD_PERMISSIONS, *EXPLAIN_PERMISSIONS]),
        "read": [listing],
        "update": sorted([create, delete, listing, *update, *GUARD_PERMISSIONS, *EXPLAIN_PERMISSIONS]),
        "delete": sorted([delete, listing]),
        "list": [listing],
    }


def schema(share_type: ShareType, namespace: str) -> dict[str, Any]:
    """The registry schema: the Custom:: schema's properties, keyed by the shared resource and the principal."""
    custom = custom_schema(share_type)
    kind, prop = share_type.kind, share_type.prop
    given = custom["properties"]
    properties = {prop: dict(given[kind.prop])}
    properties[prop]["description"] = given[kind.prop]["description"]
    for name in ("SharedWith", "PermissionType", "InvitationRound", "ShareId"):
        if name in given:
            properties[name] = dict(given[name])
    properties["InvitationRound"]["description"] = invitation_round()
    properties["Status"] = {
        "type": "string",
        "description": "The share's status: PENDING until the recipient accepts an account or user share.",
        "enum": STATUSES,
    }
    if "PermissionType" in properties:
        properties["PermissionType"] = {k: v for k, v in properties["PermissionType"].items() if k != "default"}
        properties["PermissionType"]["description"] += " Defaults to READONLY."
    handlers: dict[str, Any] = {action: {"permissions": granted} for action, granted in permissions(share_type).items()}
    handlers["list"]["handlerSchema"] = {
        "properties": {prop: {"$ref": f"resource-schema.json#/properties/{prop}"}},
        "required": [prop],
    }
    identifiers = [f"/properties/{prop}", "/properties/SharedWith"]
    return {
        "typeName": share_type.type_name(namespace),
        "description": custom["description"] + " Keyed by what is shared and with whom.",
        "sourceUrl": custom["sourceUrl"],
        "documentationUrl": DOCUMENTATION,
        "typeConfiguration": {
            "properties": {
                "AllowedPrincipals": {
                    "type": "string",
                    "description": "Whom shares may name: ANY, ORGANIZATION (this account's organization only) or "
                    "a comma-separated list of account, organization and OU IDs. Default ANY.",
                }
            },
            "additionalProperties": False,
        },
        "properties": properties,
        "required": [prop, "SharedWith"],
        "readOnlyProperties": ["/properties/ShareId", "/properties/Status"],
        "writeOnlyProperties": ["/properties/InvitationRound"],
        "createOnlyProperties": identifiers,
        "primaryIdentifier": identifiers,
        "tagging": {"taggable": False},
        "handlers": handlers,
        "additionalProperties": False,
    }


def invitation_round() -> str:
    """What a new InvitationRound does in a registry type, from the share rules: an update never creates a share
    the service no longer holds."""
    *first, last = sorted(rules.LAPSED)
    return (
        f"Any string; changing it asks for a fresh invitation where the share is {', '.join(first)} or {last} "
        f"(it is deleted and shared again), and does nothing otherwise. A share that is {rules.REVOKED} or gone is "
        "not made again: the update fails with NotFound."
    )


def rpdk_config(share_type: ShareType, namespace: str) -> dict[str, Any]:
    package = share_type.package(namespace)
    return {
        "artifact_type": "RESOURCE",
        "typeName": share_type.type_name(namespace),
        "language": "python312",
        "runtime": "python3.12",
        "entrypoint": f"{package}.handlers.resource",
        "testEntrypoint": f"{package}.handlers.test_entrypoint",
        "settings": {
            "version": False,
            "subparser_name": None,
            "verbose": 0,
            "force": False,
            "type_name": None,
            "artifact_type": None,
            "endpoint_url": None,
            "region": None,
            "target_schemas": [],
            "profile": None,
            "use_docker": False,
            "no_docker": True,
            "protocolVersion": "2.0.0",
        },
        "canarySettings": {"contract_test_file_names": ["inputs_1.json"]},
    }


def handlers_module(share_type: ShareType, namespace: str) -> str:
    return f'''"""{share_type.type_name(namespace)}: the share core's handlers, bound to this type's models."""

from cloudformation_cli_python_lib.resource import Resource

from lens_share_types.handlers import bind

from .models import ResourceModel, TypeConfigurationModel

TYPE_NAME = "{share_type.type_name(namespace)}"

resource = Resource(TYPE_NAME, ResourceModel, TypeConfigurationModel)
test_entrypoint = resource.test_entrypoint
bind(resource, "{share_type.name}", ResourceModel)
'''


def inputs(share_type: ShareType) -> dict[str, dict[str, str]]:
    base = {share_type.prop: TEST_RESOURCES[share_type.name], "SharedWith": TEST_PRINCIPAL}
    created = {**base, "InvitationRound": "1"}
    updated = {**base, "InvitationRound": "2"}
    if share_type.kind.permission:
        created["PermissionType"], updated["PermissionType"] = "READONLY", "CONTRIBUTOR"
    return {"create": created, "update": updated, "invalid": {**base, "SharedWith": "not-a-principal"}}


def files(share_type: ShareType, namespace: str) -> Iterator[tuple[str, str]]:
    """(path inside the type's folder, content) of every file written."""

    def dumped(value: Any) -> str:
        return json.dumps(value, indent=4) + "\n"

    schema_file = share_type.type_name(namespace).replace("::", "-").lower() + ".json"
    yield schema_file, dumped(schema(share_type, namespace))
    yield ".rpdk-config", dumped(rpdk_config(share_type, namespace))
    package = f"src/{share_type.package(namespace)}"
    yield f"{package}/__init__.py", ""
    yield f"{package}/handlers.py", handlers_module(share_type, namespace)
    # The share core comes as a wheel that `make registry-package` builds (registry/package.py).
    yield "requirements.txt", f"{PYTHON_LIB}\n-r ../build/core-requirements.txt\n"
    for name, values in inputs(share_type).items():
        yield f"inputs/inputs_1_{name}.json", dumped(values)


def write(namespace: str, output: Path) -> list[Path]:
    written = []
    for share_type in TYPES:
        for relative, content in files(share_type, namespace):
            path = output / share_type.folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--namespace", default=DEFAULT_NAMESPACE, type=check_namespace)
    parser.add_argument("--output", type=Path, default=ROOT)
    arguments = parser.parse_args(argv)
    for path in write(arguments.namespace, arguments.output):
        print(path)


if __name__ == "__main__":
    main()
