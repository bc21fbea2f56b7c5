"""The commands that only registry types make possible: detect-drift, which prints what
`aws cloudformation describe-stack-resource-drifts` gives after `detect-stack-drift`, and import, which runs
`create-change-set --change-set-type IMPORT` and its execution in one step."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from local.cloud import ACCOUNT, LocalCloud, ended_badly
from local.drift import resource_drift
from local.errors import TemplateError
from local.importing import parse


def detect_drift(cloud: LocalCloud, options: argparse.Namespace) -> int:
    stack = cloud.stack(options.stack_name)
    if stack is None:
        raise TemplateError(f"Stack with id {options.stack_name} does not exist")
    drifts = [
        resource_drift(cloud.handlers, stack.stack_id, stack.account, resource)
        for resource in list(stack.resources.values())
    ]
    print(json.dumps({"StackResourceDrifts": drifts}, indent=2))
    return 0


def import_resources(cloud: LocalCloud, options: argparse.Namespace, overrides: dict[str, str]) -> int:
    to_import: Any = parse(options.resources_to_import)
    marks = len(stack.events) if (stack := cloud.stack(options.stack_name)) else 0
    stack = cloud.import_resources(
        options.stack_name, Path(options.template_file), overrides, to_import, options.account
    )
    print(f"Stack events of {stack.name} (oldest first)")
    print(stack.events_table(newest_first=False, since=marks))
    print(f"\nStack {stack.name}: {stack.status}")
    return 1 if ended_badly(stack.status) else 0


def add_parsers(commands: Any) -> None:
    """The two commands' options, as the AWS CLI names them."""
    drifting = commands.add_parser("detect-drift", help="each resource's drift, as describe-stack-resource-drifts")
    drifting.add_argument("--stack-name", required=True)
    importing = commands.add_parser("import", help="bring existing registry-type resources under a stack")
    importing.add_argument("--stack-name", required=True)
    importing.add_argument("--template-file", "--template", "-t", required=True)
    importing.add_argument(
        "--resources-to-import",
        required=True,
        help='JSON (or file://path) as create-change-set takes it: [{"ResourceType", "LogicalResourceId", '
        '"ResourceIdentifier": {...}}]',
    )
    importing.add_argument("--parameter-overrides", nargs="*", default=[], metavar="Key=Value")
    importing.add_argument("--account", default=ACCOUNT, help=f"the local account of the stack (default {ACCOUNT})")
