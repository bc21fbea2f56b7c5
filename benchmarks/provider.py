"""Cold start, warm overhead, package size and memory of the provider, each beside a bare baseline.

Run with `make bench` (or `python -m benchmarks.provider`); the figures go into the README.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from emulator import WellArchitectedEmulator
from local.cloudformation import LambdaContext, ResponseReceiver, make_event

ROOT = Path(__file__).resolve().parent.parent
CODE = ROOT / "functions" / "provider"
PROVIDER, BASELINE = "lens_share.app", "benchmarks.baseline"
STACK_ID = "arn:aws:cloudformation:us-east-1:111111111111:stack/bench/5b4f6a10-8c2e-11ef-9a1b-0affe3c2d4e1"


def lifecycle_events(receiver: ResponseReceiver, lens: str, count: int, tag: str) -> list[dict[str, Any]]:
    """count Create/Delete pairs, the Delete carrying the physical ID a Create of that share answers."""
    events: list[dict[str, Any]] = []
    for number in range(count):
        principal = f"{200000000000 + number:012d}"
        create_id, delete_id = f"{tag}-create-{number}", f"{tag}-delete-{number}"
        properties = {"LensAlias": lens, "SharedWith": principal}
        events.append(
            make_event(
                "Create",
                logical_id="Share",
                properties=properties,
                request_id=create_id,
                stack_id=STACK_ID,
                response_url=receiver.new_url(STACK_ID, "Share", create_id),
            )
        )
        events.append(
            make_event(
                "Delete",
                logical_id="Share",
                properties=properties,
                physical_id="",
                request_id=delete_id,
                stack_id=STACK_ID,
                response_url=receiver.new_url(STACK_ID, "Share", delete_id),
            )
        )
    return events


def child_environment(
    emulator: WellArchitectedEmulator, receiver: ResponseReceiver, code: Path = CODE
) -> dict[str, str]:
    environment = dict(os.environ)
    environment.update(
        {
            "PYTHONPATH": os.pathsep.join([str(code), str(ROOT)]),
            "AWS_ENDPOINT_URL_WELLARCHITECTED": emulator.url,
            "SSL_CERT_FILE": receiver.ca_file,
            "AWS_ACCESS_KEY_ID": "AKIDBENCH111111111111",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "POWERTOOLS_SERVICE_NAME": "lens-share-provider",
            "POWERTOOLS_METRICS_NAMESPACE": "LensShareProvider",
        }
    )
    return environment


def run_child(module: str, events: list[dict[str, Any]], environment: dict[str, str]) -> tuple[float, dict[str, Any]]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(events, file)
    try:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.child", module, file.name],
            env=environment,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        elapsed = time.perf_counter() - started
    finally:
        os.unlink(file.name)
    return elapsed, json.loads(done.stdout.strip().splitlines()[-1])


def cold_start(
    emulator: WellArchitectedEmulator, receiver: ResponseReceiver, rounds: int, against: dict[str, Path]
) -> dict[str, Any]:
    """Each round starts the baseline, this provider and every other version's in turn, so that their ratios
    hold however the machine's speed drifts."""
    environments = {
        BASELINE: child_environment(emulator, receiver),
        PROVIDER: child_environment(emulator, receiver),
        **{
            name: child_environment(emulator, receiver, root / "functions" / "provider")
            for name, root in against.items()
        },
    }
    timings: dict[str, list[float]] = {name: [] for name in environments}
    for number in range(rounds):
        for name, environment in environments.items():
            emulator.reset()
            fresh = emulator.create_lens(name="Bench lens")
            event = lifecycle_events(receiver, fresh, 1, f"cold-{name}-{number}")[0]
            elapsed, _ = run_child(BASELINE if name == BASELINE else PROVIDER, [event], environment)
            answer = receiver.wait_for(event["RequestId"], timeout=10)
            assert answer["Status"] == "SUCCESS", answer
            timings[name].append(elapsed * 1000)
    figures = summarise(timings, "ms")
    baseline = statistics.median(timings[BASELINE])
    for name in against:
        figures[f"{name}_median"] = round(statistics.median(timings[name]), 1)
        figures[f"{name}_ratio"] = round(statistics.median(timings[name]) / baseline, 3)
    return figures


def warm_overhead(emulator: WellArchitectedEmulator, receiver: ResponseReceiver, cycles: int) -> dict[str, Any]:
    """Median Create+Delete cycle of a warm handler in this process, provider and baseline interleaved."""
    os.environ.update(child_environment(emulator, receiver))
    sys.path[:0] = [str(CODE)]
    import importlib

    handlers: dict[str, Callable[[dict[str, Any], Any], None]] = {
        module: importlib.import_module(module).handler for module in (PROVIDER, BASELINE)
    }
    timings: dict[str, list[float]] = {PROVIDER: [], BASELINE: []}
    lens = emulator.create_lens(name="Warm lens")
    for number in range(cycles):
        for module, handler in handlers.items():
            create, delete = lifecycle_events(receiver, lens, 1, f"warm-{module}-{number}")
            started = time.perf_counter()
            handler(create, LambdaContext(timeout_s=300))
            answer = receiver.wait_for(create["RequestId"], timeout=10)
            delete["PhysicalResourceId"] = answer["PhysicalResourceId"]
            handler(delete, LambdaContext(timeout_s=300))
            receiver.wait_for(delete["RequestId"], timeout=10)
            timings[module].append((time.perf_counter() - started) * 1000)
    return summarise(timings, "ms")


def package_size() -> dict[str, Any]:
    """What `sam build` puts in the function: its code and requirements; boto3 and Powertools come from Lambda."""
    # The project's virtual environments are uv's, which have no pip of their own.
    uv = Path(".uv/bin/uv")
    installer = [str(uv), "pip"] if uv.exists() else [sys.executable, "-m", "pip"]
    with tempfile.TemporaryDirectory() as build:
        subprocess.run(
            [
                *installer,
                "install",
                "--quiet",
                "--no-deps",
                "--target",
                build,
                "-r",
                str(CODE / "requirements.txt"),
            ],
            check=True,
        )
        shutil.copytree(CODE / "lens_share", Path(build) / "lens_share", ignore=shutil.ignore_patterns("__pycache__"))
        files = [path for path in Path(build).rglob("*") if path.is_file() and "__pycache__" not in path.parts]
        total = sum(path.stat().st_size for path in files)
    return {"bytes": total, "kib": round(total / 1024, 1), "files": len(files)}


def memory(emulator: WellArchitectedEmulator, receiver: ResponseReceiver, events_count: int) -> dict[str, Any]:
    environment = child_environment(emulator, receiver)
    figures: dict[str, Any] = {}
    for module in (BASELINE, PROVIDER):
        emulator.reset()
        lens = emulator.create_lens(name="Memory lens")
        # Creates only: each its own principal, well under the per-lens quota once the emulator's is raised.
        emulator.set_share_quota(events_count + 10)
        events = [
            event
            for event in lifecycle_events(receiver, lens, events_count, f"mem-{module}")
            if event["RequestType"] == "Create"
        ]
        _, result = run_child(module, events, environment)
        samples = result["rss_kib"]
        figures[module] = {
            "peak_mib": round(result["peak_kib"] / 1024, 1),
            "rss_after_100_mib": round(samples[0] / 1024, 1),
            "rss_after_last_mib": round(samples[-1] / 1024, 1),
            "growth_mib": round((samples[-1] - samples[0]) / 1024, 2),
        }
    return figures


def summarise(timings: dict[str, list[float]], unit: str) -> dict[str, Any]:
    provider, baseline = statistics.median(timings[PROVIDER]), statistics.median(timings[BASELINE])
    return {
        "provider_median": round(provider, 1),
        "baseline_median": round(baseline, 1),
        "ratio": round(provider / baseline, 3),
        "unit": unit,
        "samples": len(timings[PROVIDER]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cold-rounds", type=int, default=15)
    parser.add_argument("--warm-cycles", type=int, default=200)
    parser.add_argument("--memory-events", type=int, default=1000)
    parser.add_argument("--output", help="also write the figures to this JSON file")
    parser.add_argument(
        "--against",
        action="append",
        default=[],
        metavar="NAME=CHECKOUT",
        help="also time the cold start of another version's provider (a checkout of it), in the same rounds",
    )
    options = parser.parse_args()
    against = {name: Path(path) for name, _, path in (each.partition("=") for each in options.against)}
    with WellArchitectedEmulator() as emulator, ResponseReceiver() as receiver:
        results = {
            "cold_start": cold_start(emulator, receiver, options.cold_rounds, against),
            "package": package_size(),
            "memory": memory(emulator, receiver, options.memory_events),
            "warm_cycle": warm_overhead(emulator, receiver, options.warm_cycles),
        }
    print(json.dumps(results, indent=2))
    if options.output:
        Path(options.output).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
