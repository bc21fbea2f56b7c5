"""`python -m lens_share.health`: the health check's report as a table or JSON, with the caller's credentials,
in the caller's Region or each of the Regions given (and the endpoints AWS_ENDPOINT_URL_* name)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from collections.abc import Mapping
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from lens_share.aws import clients
from lens_share.health.check import check, reader
from lens_share.health.model import ALARMED, problems
from lens_share.health.table import table
from lens_share.services import Environment


def exit_code(result: Mapping[str, Any]) -> int:
    """0 healthy; 1 expired, rejected, failed or missing shares; 3 nothing wrong found but the check is partial."""
    if any(problem["Kind"] in ALARMED for problem in problems(result)):
        return 1
    return 3 if result["Partial"] else 0


def worst(codes: list[int]) -> int:
    """Problems anywhere outrank a partial check, which outranks healthy."""
    return next((code for code in (1, 3) if code in codes), 0)


def in_region(environment: Environment, region: str) -> Environment:
    client = boto3.client("wellarchitected", region_name=region, config=clients.CLIENT_CONFIG)
    return dataclasses.replace(environment, wellarchitected=client, region=region)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lens_share.health",
        description="Check every share of this account's lenses, profiles, review templates and workloads in the "
        "Region against the stacks.",
        epilog="Exit status: 0 healthy, 1 problems found (EXPIRED, REJECTED, FAILED, MISSING), 2 the check "
        "could not run, 3 no problem found but the check ran out of time.",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON instead of a table")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds the check may take (default 300)")
    parser.add_argument(
        "--account",
        default=os.environ.get("AWS_ACCOUNT_ID"),
        help="this account's ID (default: AWS_ACCOUNT_ID), so that review templates and workloads other accounts "
        "shared with it are left out; without it every one listed is checked",
    )
    parser.add_argument(
        "--regions",
        default=os.environ.get("HEALTH_CHECK_REGIONS", ""),
        help="comma-separated Regions to check, one report each (default: HEALTH_CHECK_REGIONS, else the caller's "
        "Region); a share lives in one Region",
    )
    args = parser.parse_args(argv)
    end = time.monotonic() + args.timeout
    results: dict[str, dict[str, Any]] = {}
    try:
        environment = Environment.load()
        for region in [name for name in args.regions.split(",") if name] or [environment.region]:
            regional = in_region(environment, region)
            wellarchitected = reader(regional, lambda: int((end - time.monotonic()) * 1000))
            results[region] = check(wellarchitected, clients.cloudformation(region), args.account).as_dict()
    except (BotoCoreError, ClientError) as error:
        print(f"The health check could not run: {error}", file=sys.stderr)
        return 2
    if len(results) == 1:
        [result] = results.values()
        print(json.dumps(result, indent=2) if args.json else table(result))
    elif args.json:
        print(json.dumps({"Regions": results}, indent=2))
    else:
        print("\n\n".join(f"Region {region}\n{table(result)}" for region, result in results.items()))
    return worst([exit_code(result) for result in results.values()])


if __name__ == "__main__":
    raise SystemExit(main())
