"""300 shares of one lens at once from 25 warm handler processes, against an emulator throttled to 10 requests/s.

Run with `make bench` (or `python -m benchmarks.rollout --runs 3`). The bare baseline provider (boto3's default
retries) runs the same rollout in the same run, for comparison.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.provider import BASELINE, CODE, PROVIDER, STACK_ID, child_environment
from emulator import WellArchitectedEmulator
from local.cloudformation import ResponseReceiver, make_event

SHARES = 300
RATE = 10.0


def _start_worker(module: str, environment: dict[str, str]) -> None:
    os.environ.update(environment)
    sys.path[:0] = [str(CODE), str(Path(__file__).resolve().parent.parent)]
    global HANDLER  # noqa: PLW0603 - one warm handler per worker process, as in a Lambda environment
    import importlib

    HANDLER = importlib.import_module(module).handler


HANDLER: Any = None


def _invoke(event: dict[str, Any]) -> str:
    from benchmarks.child import Context

    try:
        HANDLER(event, Context(timeout_s=300))
    except Exception as error:  # noqa: BLE001 - the bare baseline raises when boto3 gives up: that share is lost
        return type(error).__name__
    return ""


def _events(receiver: ResponseReceiver, kind: str, items: list[dict[str, str]], tag: str) -> list[dict[str, Any]]:
    events = []
    for number, item in enumerate(items):
        request_id = f"{tag}-{kind.lower()}-{number}"
        logical_id = f"Share{number}"
        events.append(
            make_event(
                kind,
                logical_id=logical_id,
                properties={"LensAlias": item["lens"], "SharedWith": item["principal"]},
                physical_id=item.get("physical_id"),
                request_id=request_id,
                stack_id=STACK_ID,
                response_url=receiver.new_url(STACK_ID, logical_id, request_id),
            )
        )
    return events


def _wave(pool: Any, receiver: ResponseReceiver, events: list[dict[str, Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    errors = pool.map(_invoke, events, chunksize=1)
    answers = [receiver.answers(event["RequestId"]) for event in events]
    elapsed = time.perf_counter() - started
    succeeded = sum(1 for each in answers if each and each[0].get("Status") == "SUCCESS")
    return {
        "succeeded": succeeded,
        "failed_or_unanswered": len(events) - succeeded,
        "exceptions": sum(1 for error in errors if error),
        "wall_s": round(elapsed, 2),
        "ideal_s": round(len(events) / RATE, 2),
        "ratio_to_ideal": round(elapsed / (len(events) / RATE), 3),
        "physical_ids": [each[0].get("PhysicalResourceId", "") if each else "" for each in answers],
    }


def rollout(module: str, processes: int, tag: str) -> dict[str, Any]:
    with WellArchitectedEmulator() as emulator, ResponseReceiver() as receiver:
        # 600 answers' log lines would bury the figures; logging costs nothing next to a 10 requests/s limit.
        environment = {**child_environment(emulator, receiver), "POWERTOOLS_LOG_LEVEL": "WARNING"}
        lens = emulator.create_lens(name="Rollout lens")
        items = [{"lens": lens, "principal": f"{300000000000 + number:012d}"} for number in range(SHARES)]
        context = multiprocessing.get_context("spawn")
        with context.Pool(processes, initializer=_start_worker, initargs=(module, environment)) as pool:
            pool.map(abs, range(processes * 4), chunksize=1)
            emulator.set_rate_limit(RATE, burst=int(RATE))
            created = _wave(pool, receiver, _events(receiver, "Create", items, tag))
            shares_after_create = len(emulator.shares(lens))
            made = [
                {**item, "physical_id": physical_id}
                for item, physical_id in zip(items, created.pop("physical_ids"), strict=True)
                if "/shares/" in physical_id
            ]
            deleted = _wave(pool, receiver, _events(receiver, "Delete", made, tag))
            deleted.pop("physical_ids")
            shares_left = len(emulator.shares(lens))
            throttled = sum(1 for _, status, _ in emulator.calls() if status == 429)
    return {
        "create": {**created, "shares_in_emulator": shares_after_create},
        "delete": {**deleted, "shares_left": shares_left},
        "throttled_requests": throttled,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--processes", type=int, default=25)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--output", help="also write the figures to this JSON file")
    options = parser.parse_args()
    results: dict[str, Any] = {"shares": SHARES, "rate_limit_rps": RATE, "processes": options.processes}
    results["provider"] = [rollout(PROVIDER, options.processes, f"run{run}") for run in range(options.runs)]
    if not options.skip_baseline:
        results["baseline"] = rollout(BASELINE, options.processes, "baseline")
    print(json.dumps(results, indent=2))
    if options.output:
        Path(options.output).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
