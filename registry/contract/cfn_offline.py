"""The CloudFormation CLI, with its STS calls sent to a local STS (moto): `cfn test` asks STS for the suite's
temporary credentials and account at an endpoint that rpdk.core.boto_helpers.get_service_endpoint builds itself,
so AWS_ENDPOINT_URL_STS is ignored and that one function is replaced.

    CFN_STS_ENDPOINT=http://127.0.0.1:5000 python registry/contract/cfn_offline.py test --endpoint ...
"""

from __future__ import annotations

import os
import sys

from rpdk.core import boto_helpers
from rpdk.core.cli import main


def local_endpoint(service: str, region: str) -> str:
    if service != "sts":
        raise ValueError(f"offline, the CloudFormation CLI may only call STS, not {service} in {region}")
    return os.environ["CFN_STS_ENDPOINT"]


if __name__ == "__main__":
    boto_helpers.get_service_endpoint = local_endpoint
    main(sys.argv[1:])
