"""Runs inside a fresh Python process: one handler, the events it is given, figures on stdout."""

from __future__ import annotations

import importlib
import json
import resource
import sys
import time
import uuid
from dataclasses import dataclass, field


@dataclass
class Context:
    """Just what a handler reads from Lambda's context."""

    timeout_s: float = 300.0
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:111111111111:function:lens-share-provider"
    function_name: str = "lens-share-provider"
    memory_limit_in_mb: int = 128
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started: float = field(default_factory=time.monotonic)

    def get_remaining_time_in_millis(self) -> int:
        return int((self.timeout_s - (time.monotonic() - self.started)) * 1000)


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main() -> None:
    module_name, events_file = sys.argv[1], sys.argv[2]
    with open(events_file) as source:
        events = json.load(source)
    handler = importlib.import_module(module_name).handler
    samples = []
    for number, event in enumerate(events, 1):
        handler(event, Context())
        if number % 100 == 0:
            samples.append(rss_kib())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rss_kib": samples, "peak_kib": peak}))


if __name__ == "__main__":
    main()
