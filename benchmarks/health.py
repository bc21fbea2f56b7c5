"""The health check at the issue's scale: 15 lenses of 300 shares and 500 stacks, Well-Architected throttled to 10/s.

Run on demand: `PYTHONPATH=functions/provider python -m benchmarks.health [--runs N]`. The ideal time is the
pages the check must read divided by the rate: 15 lenses x 30 pages of 10 shares, plus the four listings of
what the account owns (lenses, profiles, review templates, workloads), at 10 requests/s, less the first 10
that the full bucket serves at once: about 44 s. The target is under 60 s. The stacks are served by the local
CloudFormation, unthrottled. The check runs through its own function's handler, as the schedule invokes it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3

from emulator import WellArchitectedEmulator
from emulator.cloudformation import CloudFormationEmulator, StackResource
from local.cloudformation import LambdaContext

LENSES = 15
SHARES = 300
STACKS = 500
RATE = 10.0
OWNER = "111111111111"


def _populate(emulator: WellArchitectedEmulator, cloudformation: CloudFormationEmulator) -> int:
    """Every share made through the API and declared by a stack, then a few changed behind the stacks."""
    client = boto3.client("wellarchitected", endpoint_url=emulator.url, region_name="us-east-1")
    lenses = [emulator.create_lens(name=f"Lens {number}") for number in range(LENSES)]
    wanted = [
        (lens, f"{number + 1:02d}{recipient:010d}") for number, lens in enumerate(lenses) for recipient in range(SHARES)
    ]

    def share(item: tuple[str, str]) -> str:
        lens, account = item
        made = client.create_lens_share(LensAlias=lens, SharedWith=account, ClientRequestToken=account)
        return f"{lens}/shares/{made['ShareId']}"

    with ThreadPoolExecutor(8) as pool:
        physical_ids = list(pool.map(share, wanted))
    per_stack = -(-len(physical_ids) // STACKS)
    for number in range(STACKS):
        mine = physical_ids[number * per_stack : (number + 1) * per_stack]
        resources = [
            StackResource(f"Share{index}", physical_id, "Custom::LensShare") for index, physical_id in enumerate(mine)
        ]
        resources.append(StackResource("Bucket", f"bucket-{number}", "AWS::S3::Bucket"))
        cloudformation.put_stack(f"rollout-{number:03d}", "UPDATE_COMPLETE", resources)
    shares = emulator.shares()
    for each in shares[:: len(shares) // 10]:
        emulator.delete_share(each["ShareId"])  # ten declared shares deleted by hand: MISSING
    emulator.advance_clock(7 * 24 * 3600 + 1)  # every invitation left unanswered expires
    return len(physical_ids)


def _run(
    handler: Callable[..., dict[str, Any]],
    emulator: WellArchitectedEmulator,
    problems_of: Callable[[dict[str, Any]], list[dict[str, str]]],
) -> dict[str, Any]:
    calls_before = len(emulator.calls())
    emulator.set_rate_limit(RATE, burst=int(RATE))
    started = time.perf_counter()
    report = handler({"Action": "HealthCheck"}, LambdaContext(timeout_s=300))
    elapsed = time.perf_counter() - started
    emulator.set_rate_limit(None)
    calls = emulator.calls()[calls_before:]
    problems = [problem["Kind"] for problem in problems_of(report)]
    answered = sum(1 for _operation, status, _account in calls if status == 200)
    ideal = (answered - RATE) / RATE  # the bucket starts full: its first RATE requests wait for nothing
    return {
        "wall_s": round(elapsed, 2),
        "ideal_s": round(ideal, 2),
        "ratio_to_ideal": round(elapsed / ideal, 3),
        "pages_read": answered,
        "throttled_429": sum(1 for _operation, status, _account in calls if status == 429),
        "partial": report["Partial"],
        "lenses": len(report["Lenses"]),
        "shares_counted": sum(sum(lens["Counts"].values()) for lens in report["Lenses"]),
        "problems": {kind: problems.count(kind) for kind in sorted(set(problems))},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.health", description=__doc__)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--output", type=Path, default=None, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    with WellArchitectedEmulator(default_account=OWNER) as emulator, CloudFormationEmulator() as cloudformation:
        os.environ.update(
            {
                "AWS_ENDPOINT_URL_WELLARCHITECTED": emulator.url,
                "AWS_ENDPOINT_URL_CLOUDFORMATION": cloudformation.url,
                "AWS_ACCESS_KEY_ID": f"AKIDBENCH{OWNER}",
                "AWS_SECRET_ACCESS_KEY": "bench",
                "AWS_REGION": "us-east-1",
                "AWS_DEFAULT_REGION": "us-east-1",
                "POWERTOOLS_LOG_LEVEL": "ERROR",  # a line per expired share would bury the figures
                "POWERTOOLS_METRICS_DISABLED": "true",
            }
        )
        declared = _populate(emulator, cloudformation)
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "functions" / "provider"))
        from lens_share.health import app, model
        from lens_share.services import Environment

        handler = app.build_handler(Environment.load())
        runs = [_run(handler, emulator, model.problems) for _ in range(args.runs)]
    figures = {"lenses": LENSES, "shares_per_lens": SHARES, "stacks": STACKS, "declared": declared, "runs": runs}
    text = json.dumps(figures, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
