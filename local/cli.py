"""python -m local: deploy, describe and delete stacks from templates in a local account, as `sam deploy` and
`aws cloudformation deploy` would in AWS, with the flags they use.

    python -m local deploy --template-file template.yaml --stack-name lens-share-provider
    python -m local deploy --template-file my-rollout.yaml --stack-name rollout --parameter-overrides A=1 B=x,y
    python -m local describe --stack-name rollout
    python -m local delete --stack-name rollout
    python -m local upload template.yaml s3://bucket/lens-share-provider/packaged.yaml   # for a TemplateURL
    python -m local reset
    python -m local serve    # keeps the emulator and CloudFormation's ListStacks/ListStackResources up
    python -m local stackset create ...   # service-managed StackSets over the local organization (local.stackset_cli)
    python -m local detect-drift --stack-name shares   # registry types, as describe-stack-resource-drifts
    python -m local import --stack-name shares --template-file shares.yaml --resources-to-import file://import.json
    python -m local serve    # keeps the emulator, CloudFormation's ListStacks/ListStackResources and Cloud Control up

Stacks, functions, lenses and shares stay in the state directory (.local-cloud/, or LOCAL_CLOUD_DIR) between
commands. A command exits 1 when its stack ends *_FAILED or *ROLLBACK_COMPLETE, or the template is refused.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from local import stackset_cli
from local.cloud import ACCOUNT, LENS_TYPE, REGION, STATE_DIR, BusyError, LocalCloud, ended_badly
from local.errors import StateError, TemplateError
from local.registry_commands import add_parsers, detect_drift, import_resources
from local.template_stack import TemplateStack
from local.types import is_custom


def parse_overrides(items: Sequence[str]) -> dict[str, str]:
    """Key=Value pairs as --parameter-overrides takes them (a comma-separated value stays one string)."""
    overrides: dict[str, str] = {}
    for item in items:
        key, separator, value = item.partition("=")
        if not separator or not key:
            raise TemplateError(f"--parameter-overrides: '{item}' is not Key=Value")
        overrides[key] = value
    return overrides


def table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    lines = ("  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]]) for row in rows)
    return "\n".join("  " + line.rstrip() for line in lines)


def outputs_table(stack: TemplateStack) -> str:
    if not stack.outputs:
        return "  (no outputs)"
    rows = [("Key", "Value", "Export")]
    rows += [(key, output["value"], output.get("export", "")) for key, output in stack.outputs.items()]
    return table(rows)


def lens_arns(stack: TemplateStack) -> list[str]:
    """The lenses a stack publishes or shares: its AWS::WellArchitected::Lens and the custom resources' lens."""
    found: list[str] = []
    for resource in stack.resources.values():
        candidates = [resource.physical_id] if resource.resource_type == LENS_TYPE else []
        if is_custom(resource.resource_type):
            candidates += [str(resource.properties.get(name, "")) for name in ("LensAlias", "LensArn")]
        found += [arn for arn in candidates if ":lens/" in arn and arn not in found]
    return found


def shares_table(cloud: LocalCloud, stack: TemplateStack) -> str:
    lines: list[str] = []
    for arn in lens_arns(stack):
        shares = cloud.emulator.shares(arn)
        lines.append(f"  {arn}: {len(shares)} share(s)")
        lines += [f"    {share['ShareId']}  {share['SharedWith']:<50} {share['Status']}" for share in shares]
    return "\n".join(lines) or "  (no lens)"


def describe(cloud: LocalCloud, stack: TemplateStack) -> str:
    parts = [f"Stack {stack.name}: {stack.status}", f"  StackId {stack.stack_id}", f"  Account {stack.account}"]
    parts.append(f"  Region {stack.region}")
    if stack.template_path:
        parts.append(f"  Template {stack.template_path}")
    if stack.parameters:
        parts += ["Parameters", table([("Key", "Value"), *stack.parameters.items()])]
    parts += ["Outputs", outputs_table(stack), "Resources"]
    rows = [("Logical ID", "Type", "Status", "Physical ID")]
    rows += [(r.logical_id, r.resource_type, r.status, r.physical_id) for r in stack.resources.values()]
    parts.append(table(rows) if len(rows) > 1 else "  (none)")
    parts += ["Lens shares", shares_table(cloud, stack)]
    for child in cloud.nested(stack):
        parts += ["", f"Nested stack of {stack.name}:", describe(cloud, child)]
    return "\n".join(parts)


def events(cloud: LocalCloud, stack: TemplateStack, marks: dict[str, int]) -> str:
    """The stack's events since `marks` (events count by stack ID before the operation), nested stacks' too."""
    parts = [stack.events_table(newest_first=False, since=marks.get(stack.stack_id, 0))]
    for child in cloud.nested(stack):
        if len(child.events) > marks.get(child.stack_id, 0):
            since = marks.get(child.stack_id, 0)
            parts += [f"\nNested stack {child.name}", child.events_table(newest_first=False, since=since)]
    return "\n".join(parts)


def event_marks(cloud: LocalCloud) -> dict[str, int]:
    return {stack.stack_id: len(stack.events) for stack in cloud.stacks()}


def deploy(cloud: LocalCloud, options: argparse.Namespace) -> int:
    marks = event_marks(cloud)
    stack = cloud.deploy(
        options.stack_name,
        Path(options.template_file),
        parse_overrides(options.parameter_overrides),
        options.account,
        region=options.region,
    )
    if not stack.changed:
        print(f"No changes to deploy. Stack {stack.name} is up to date ({stack.status})")
        return 0
    print(f"Stack events of {stack.name} (oldest first)")
    print(events(cloud, stack, marks))
    print("\nOutputs")
    print(outputs_table(stack))
    outcome = "Failed to deploy" if ended_badly(stack.status) else "Successfully deployed"
    print(f"\n{outcome} stack {stack.name}: {stack.status}")
    return 1 if ended_badly(stack.status) else 0


def delete(cloud: LocalCloud, options: argparse.Namespace) -> int:
    marks = event_marks(cloud)
    stack = cloud.delete(options.stack_name, tuple(options.retain_resources))
    print(f"Stack events of {stack.name} (oldest first)")
    print(events(cloud, stack, marks))
    print(f"\nStack {stack.name}: {stack.status}")
    return 0 if stack.status == "DELETE_COMPLETE" else 1


def serve(cloud: LocalCloud, options: argparse.Namespace) -> int:
    """Serve the state's emulator and CloudFormation read API until SIGINT or SIGTERM, then keep the state."""
    print(f"AWS_ENDPOINT_URL_WELLARCHITECTED={cloud.emulator.url}")
    accounts = sorted({ACCOUNT, *(stack.account for stack in cloud.stacks())})
    for account in accounts:
        print(f"AWS_ENDPOINT_URL_CLOUDFORMATION={cloud.cloudformation_url(account)}  # account {account}'s stacks")
    print(f"AWS_ENDPOINT_URL_CLOUDCONTROL={cloud.cloudcontrol_url()}  # the registry types")
    print(f"Serving the local cloud in {cloud.state_dir}; an access key ending in an account ID acts as it", flush=True)
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda _signum, _frame: stopping.set())
    stopping.wait()
    return 0


def describe_stack(cloud: LocalCloud, options: argparse.Namespace) -> int:
    stack = cloud.stack(options.stack_name)
    if stack is None:
        raise TemplateError(f"Stack with id {options.stack_name} does not exist")
    print(describe(cloud, stack))
    return 0


def import_stack(cloud: LocalCloud, options: argparse.Namespace) -> int:
    return import_resources(cloud, options, parse_overrides(options.parameter_overrides))


def upload(cloud: LocalCloud, options: argparse.Namespace) -> int:
    print(cloud.upload(options.file, options.url))
    return 0


def reset(cloud: LocalCloud, options: argparse.Namespace) -> int:
    cloud.reset()
    print(f"Local cloud in {cloud.state_dir} reset: no stacks, functions, lenses or shares")
    return 0


COMMANDS = {
    "deploy": deploy,
    "delete": delete,
    "describe": describe_stack,
    "upload": upload,
    "reset": reset,
    "serve": serve,
    **stackset_cli.COMMANDS,
    "detect-drift": detect_drift,
    "import": import_stack,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m local", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=Path(os.environ.get("LOCAL_CLOUD_DIR", STATE_DIR)),
        help="where stacks, functions, lenses and shares are kept (default .local-cloud, or LOCAL_CLOUD_DIR)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    deploying = commands.add_parser("deploy", help="create or update a stack from a template")
    deploying.add_argument("--template-file", "--template", "-t", required=True)
    deploying.add_argument("--stack-name", required=True)
    deploying.add_argument("--parameter-overrides", nargs="*", default=[], metavar="Key=Value")
    deploying.add_argument("--capabilities", nargs="*", default=[], help="accepted, as AWS needs them; not checked")
    deploying.add_argument("--no-fail-on-empty-changeset", action="store_true", help="accepted: no change exits 0")
    deploying.add_argument("--account", default=ACCOUNT, help=f"the local account to deploy in (default {ACCOUNT})")
    deploying.add_argument("--region", default=REGION, help=f"the Region to deploy in (default {REGION})")
    for name, text in (("describe", "outputs, resources and the lens's shares"), ("delete", "delete a stack")):
        command = commands.add_parser(name, help=text)
        command.add_argument("--stack-name", required=True)
        if name == "delete":
            command.add_argument("--no-prompts", action="store_true", help="accepted: nothing is asked")
            command.add_argument(
                "--retain-resources", nargs="*", default=[], metavar="ID", help="after DELETE_FAILED: leave these"
            )
    uploading = commands.add_parser("upload", help="make an S3 URL give a local template (for a TemplateURL)")
    uploading.add_argument("file", type=Path)
    uploading.add_argument("url", help="s3://bucket/key or its https:// form")
    commands.add_parser("reset", help="start afresh: no stacks, functions, lenses or shares")
    commands.add_parser("serve", help="serve the emulator and CloudFormation's ListStacks/ListStackResources")
    stackset_cli.add_commands(commands)
    add_parsers(commands)
    options = parser.parse_args(argv)
    try:
        with LocalCloud(options.state_dir) as cloud:
            return COMMANDS[options.command](cloud, options)
    except (TemplateError, StateError, BusyError) as error:
        print(f"Error: {one_line(str(error))}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - never a traceback: one line saying what went wrong
        print(f"Error: {type(error).__name__}: {one_line(str(error))}", file=sys.stderr)
        return 1


def one_line(text: str) -> str:
    return " ".join(text.split())
