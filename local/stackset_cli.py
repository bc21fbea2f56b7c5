"""python -m local organization … and python -m local stackset …: the local organization and service-managed
StackSets, with the flags of `aws organizations` and `aws cloudformation` where they have one.

    python -m local organization create-organizational-unit --name Members
    python -m local organization create-account --account-name member-1 --parent-id ou-...
    python -m local organization move-account --account-id 123456789012 --destination-parent-id ou-...
    python -m local stackset create --stack-set-name members --template-file member.yaml \\
        --parameter-overrides AllowedOwners=111111111111 --deployment-targets OrganizationalUnitIds=ou-... \\
        --regions us-east-1 eu-west-1 --auto-deployment Enabled=true,RetainStacksOnAccountRemoval=false \\
        --operation-preferences MaxConcurrentCount=1,FailureToleranceCount=0
    python -m local stackset list-stack-instances --stack-set-name members

A command that runs an operation prints each instance's result and exits 1 when the operation failed. Moving an
account runs the automatic deployments it sets off.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from local.cloud import LocalCloud
from local.errors import TemplateError
from local.organization import Organization, local_organization
from local.stacksets import Operation, Preferences, StackSets, Targets, as_json


def parse_targets(text: str) -> Targets:
    """OrganizationalUnitIds=ou-a,ou-b or Accounts=1111,2222 (both may be given, separated by a space)."""
    units: list[str] = []
    accounts: list[str] = []
    for part in text.split():
        key, _, values = part.partition("=")
        if key == "OrganizationalUnitIds":
            units += values.split(",")
        elif key == "Accounts":
            accounts += values.split(",")
        else:
            raise TemplateError(f"--deployment-targets: '{part}' is not OrganizationalUnitIds=… or Accounts=…")
    return Targets(tuple(units), tuple(accounts))


def parse_flags(text: str) -> dict[str, bool]:
    return {key: value.lower() == "true" for key, _, value in (item.partition("=") for item in text.split(",") if item)}


def overrides(items: list[str]) -> dict[str, str]:
    pairs = [item.partition("=") for item in items]
    if any(not separator for _, separator, _ in pairs):
        raise TemplateError("--parameter-overrides takes Key=Value pairs")
    return {key: value for key, _, value in pairs}


def report(operations: list[Operation]) -> int:
    for operation in operations:
        print(operation.table())
    return 1 if any(operation.failed for operation in operations) else 0


def stackset(cloud: LocalCloud, options: argparse.Namespace) -> int:
    with local_organization(cloud.state_dir) as organization:
        sets = StackSets(cloud, organization)
        try:
            return STACKSET_ACTIONS[options.action](sets, options)
        finally:
            sets.save()


def organization(cloud: LocalCloud, options: argparse.Namespace) -> int:
    with local_organization(cloud.state_dir) as held:
        sets = StackSets(cloud, held)
        try:
            return ORGANIZATION_ACTIONS[options.action](held, sets, options)
        finally:
            sets.save()


def _create(sets: StackSets, options: argparse.Namespace) -> int:
    flags = parse_flags(options.auto_deployment)
    operation = sets.create(
        options.stack_set_name,
        Path(options.template_file),
        overrides(options.parameter_overrides),
        parse_targets(options.deployment_targets),
        options.regions,
        auto_deployment=flags.get("Enabled", True),
        retain_stacks_on_account_removal=flags.get("RetainStacksOnAccountRemoval", False),
        preferences=Preferences.parse(options.operation_preferences),
    )
    return report([operation])


def _update(sets: StackSets, options: argparse.Namespace) -> int:
    template = Path(options.template_file) if options.template_file else None
    preferences = Preferences.parse(options.operation_preferences)
    return report([sets.update(options.stack_set_name, template, overrides(options.parameter_overrides), preferences)])


def _delete_instances(sets: StackSets, options: argparse.Namespace) -> int:
    targets = parse_targets(options.deployment_targets)
    return report(
        [sets.delete_instances(options.stack_set_name, targets, options.regions, retain_stacks=options.retain_stacks)]
    )


def _delete(sets: StackSets, options: argparse.Namespace) -> int:
    sets.delete(options.stack_set_name)
    print(f"StackSet {options.stack_set_name} deleted")
    return 0


def _list_instances(sets: StackSets, options: argparse.Namespace) -> int:
    print(json.dumps({"Summaries": as_json(sets.get(options.stack_set_name).instances)}, indent=2))
    return 0


def _create_unit(held: Organization, _sets: StackSets, options: argparse.Namespace) -> int:
    print(held.create_unit(options.name, options.parent_id))
    return 0


def _create_account(held: Organization, sets: StackSets, options: argparse.Namespace) -> int:
    print(held.create_account(options.account_name, options.parent_id))
    return report(sets.follow_organization())


def _move_account(held: Organization, sets: StackSets, options: argparse.Namespace) -> int:
    held.move(options.account_id, options.destination_parent_id)
    return report(sets.follow_organization())


def _describe(held: Organization, _sets: StackSets, _options: argparse.Namespace) -> int:
    print(json.dumps({"ManagementAccount": held.management_account, "Root": held.root, "Accounts": held.accounts()}))
    return 0


STACKSET_ACTIONS: dict[str, Callable[[StackSets, argparse.Namespace], int]] = {
    "create": _create,
    "update": _update,
    "delete-stack-instances": _delete_instances,
    "delete": _delete,
    "list-stack-instances": _list_instances,
}
ORGANIZATION_ACTIONS: dict[str, Callable[[Organization, StackSets, argparse.Namespace], int]] = {
    "create-organizational-unit": _create_unit,
    "create-account": _create_account,
    "move-account": _move_account,
    "describe": _describe,
}


def add_commands(commands: Any) -> None:
    """The organization and stackset commands, beside the stack commands of local.cli."""
    held = commands.add_parser("organization", help="the local organization's accounts and OUs (moto's Organizations)")
    actions = held.add_subparsers(dest="action", required=True)
    unit = actions.add_parser("create-organizational-unit")
    unit.add_argument("--name", required=True)
    unit.add_argument("--parent-id", help="default: the root")
    account = actions.add_parser("create-account")
    account.add_argument("--account-name", required=True)
    account.add_argument("--parent-id", help="an OU to move it into (default: the root)")
    move = actions.add_parser("move-account")
    move.add_argument("--account-id", required=True)
    move.add_argument("--destination-parent-id", required=True)
    actions.add_parser("describe")

    sets = commands.add_parser("stackset", help="service-managed StackSets over the local organization")
    actions = sets.add_subparsers(dest="action", required=True)
    for name in STACKSET_ACTIONS:
        action = actions.add_parser(name)
        action.add_argument("--stack-set-name", required=True)
        if name in ("create", "update"):
            action.add_argument("--template-file", required=name == "create")
            action.add_argument("--parameter-overrides", nargs="*", default=[], metavar="Key=Value")
            action.add_argument("--operation-preferences", default="", metavar="MaxConcurrentCount=1,...")
        if name in ("create", "delete-stack-instances"):
            action.add_argument("--deployment-targets", required=True, metavar="OrganizationalUnitIds=ou-...")
            action.add_argument("--regions", nargs="+", required=True)
        if name == "create":
            action.add_argument("--auto-deployment", default="Enabled=true", metavar="Enabled=true,...")
            action.add_argument("--permission-model", default="SERVICE_MANAGED", choices=["SERVICE_MANAGED"])
            action.add_argument("--capabilities", nargs="*", default=[], help="accepted, as AWS needs them")
        if name == "delete-stack-instances":
            action.add_argument("--retain-stacks", action="store_true")


COMMANDS = {"organization": organization, "stackset": stackset}
