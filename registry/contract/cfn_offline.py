"""The CloudFormation CLI, with its STS calls sent to a local STS (moto): `cfn test` asks STS for the suite's
temporary credentials and account at an endpoint that rpdk.core.boto_helpers.get_service_endpoint builds itself,
so AWS_ENDPOINT_URL_STS is ignored and that one function is replaced.

    CFN_STS_ENDPOINT=http://127.0.0.1:5000 python registry/contract/cfn_offline.py test --endpoint ...
    CFN_STS_ENDPOINT=... python registry/contract/cfn_offline.py --in FOLDER=URL [--in FOLDER=URL ...] test ...

With --in, the command runs in each type's FOLDER in turn, with `--endpoint URL` added, in this one process: the
CLI's imports are most of a type's suite, and it runs pytest again and again itself, once per inputs file. Each
run's output ends with the line `=== FOLDER exit CODE`.
"""

from __future__ import annotations

import gc
import os
import sys

from rpdk.core import boto_helpers
from rpdk.core.cli import main


def local_endpoint(service: str, region: str) -> str:
    if service != "sts":
        raise ValueError(f"offline, the CloudFormation CLI may only call STS, not {service} in {region}")
    return os.environ["CFN_STS_ENDPOINT"]


def split(argv: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """The (folder, endpoint) pairs of the leading `--in FOLDER=URL` options, and the CLI's own arguments."""
    runs: list[tuple[str, str]] = []
    while len(argv) >= 2 and argv[0] == "--in":
        folder, _, url = argv[1].partition("=")
        runs.append((folder, url))
        argv = argv[2:]
    return runs, argv


def run_each(runs: list[tuple[str, str]], arguments: list[str]) -> int:
    failed = 0
    for folder, url in runs:
        os.chdir(folder)
        try:
            main([*arguments, "--endpoint", url])
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        sys.stderr.flush()
        print(f"=== {folder} exit {code}", flush=True)
        gc.freeze()  # what this type's suite imported lives on: the next type's collections skip it
        failed = failed or code
    return failed


if __name__ == "__main__":
    # The CLI's imports live for the whole run: frozen, the collector stops walking them (a fifth of its CPU)
    gc.freeze()
    boto_helpers.get_service_endpoint = local_endpoint
    each, rest = split(sys.argv[1:])
    if each:
        sys.exit(run_each(each, rest))
    main(rest)
