"""300 LensShare registry resources created and deleted at once against an emulator throttled to 10 requests/s,
through the type's real entrypoint, with CloudFormation's callbacks honoured after their delay; paired, in the
same run, with the custom-resource rollout of benchmarks/rollout.py.

Run with `make bench` (or `python -m benchmarks.registry_rollout --runs 1`).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "registry"), str(ROOT / "registry" / "lens-share" / "src")]

from benchmarks import rollout  # noqa: E402
from benchmarks.provider import PROVIDER  # noqa: E402
from emulator import WellArchitectedEmulator  # noqa: E402

SHARES = rollout.SHARES
RATE = rollout.RATE
ACCOUNT = "111111111111"
# CloudFormation runs many handler invocations of one stack operation at once.
CONCURRENCY = 25
CREDENTIALS = {"accessKeyId": f"AKIDTEST{ACCOUNT}", "secretAccessKey": "secret", "sessionToken": "token"}


def _event(action: str, properties: dict[str, str]) -> dict[str, Any]:
    return {
        "action": action,
        "bearerToken": str(uuid.uuid4()),
        "awsAccountId": ACCOUNT,
        "region": "us-east-1",
        "resourceType": "LensShareProvider::WellArchitected::LensShare",
        "stackId": f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/bench/{uuid.uuid4()}",
        "callbackContext": None,
        "requestData": {
            "callerCredentials": CREDENTIALS,
            "resourceProperties": properties,
            "previousResourceProperties": None,
            "logicalResourceId": "Share",
            "typeConfiguration": None,
        },
    }


def _wave(entrypoint: Any, action: str, items: list[dict[str, str]]) -> dict[str, Any]:
    """Every request to its final answer: an IN_PROGRESS answer comes back after its callbackDelaySeconds."""
    answers: dict[int, dict[str, Any]] = {}
    callbacks = [0]
    done = threading.Semaphore(0)
    lock = threading.Lock()
    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:

        def invoke(number: int, event: dict[str, Any]) -> None:
            answer = entrypoint(event, None)
            if answer["status"] != "IN_PROGRESS":
                answers[number] = answer
                done.release()
                return
            with lock:
                callbacks[0] += 1
            again = {**event, "callbackContext": answer.get("callbackContext")}
            timer = threading.Timer(answer.get("callbackDelaySeconds", 0), pool.submit, (invoke, number, again))
            timer.daemon = True
            timer.start()

        for number, item in enumerate(items):
            pool.submit(invoke, number, _event(action, item))
        for _ in items:
            done.acquire()
    elapsed = time.perf_counter() - started
    succeeded = sum(1 for answer in answers.values() if answer["status"] == "SUCCESS")
    return {
        "succeeded": succeeded,
        "failed": len(items) - succeeded,
        "callbacks": callbacks[0],
        "wall_s": round(elapsed, 2),
        "ideal_s": round(len(items) / RATE, 2),
        "ratio_to_ideal": round(elapsed / (len(items) / RATE), 3),
    }


def registry_rollout() -> dict[str, Any]:
    with WellArchitectedEmulator(default_account=ACCOUNT) as emulator:
        os.environ["AWS_ENDPOINT_URL_WELLARCHITECTED"] = emulator.url
        entrypoint = importlib.import_module("lensshareprovider_wellarchitected_lensshare.handlers").resource
        lens = emulator.create_lens(name="Registry rollout lens")
        items = [{"LensArn": lens, "SharedWith": f"{300000000000 + number:012d}"} for number in range(SHARES)]
        emulator.set_rate_limit(RATE, burst=int(RATE))
        created = _wave(entrypoint, "CREATE", items)
        shares_after_create = len(emulator.shares(lens))
        calls_after_create = len(emulator.calls())
        deleted = _wave(entrypoint, "DELETE", items)
        throttled = sum(1 for _, status, _ in emulator.calls() if status == 429)
        return {
            "create": {**created, "shares_in_emulator": shares_after_create, "requests": calls_after_create},
            "delete": {**deleted, "shares_left": len(emulator.shares(lens))},
            "throttled_requests": throttled,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--processes", type=int, default=25, help="warm processes of the paired custom-resource run")
    parser.add_argument("--output", help="also write the figures to this JSON file")
    options = parser.parse_args()
    results: dict[str, Any] = {"shares": SHARES, "rate_limit_rps": RATE, "concurrency": CONCURRENCY}
    results["registry"] = [registry_rollout() for _run in range(options.runs)]
    results["custom_resource"] = rollout.rollout(PROVIDER, options.processes, "paired")
    print(json.dumps(results, indent=2))
    if options.output:
        Path(options.output).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
