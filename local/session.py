"""An embedded Well-Architected emulator and response receiver, with the provider imported against them."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import boto3

from emulator import WellArchitectedEmulator
from local.receiver import ResponseReceiver

ROOT = Path(__file__).resolve().parent.parent
OWNER = "111111111111"
REGION = "us-east-1"
# A sample lens in the shape ImportLens takes: one pillar, one question, two choices.
SAMPLE_LENS = """{
  "schemaVersion": "2021-11-01",
  "name": "Platform lens",
  "description": "The platform team's own best practices.",
  "pillars": [{"id": "ops", "name": "Operations", "questions": [{
    "id": "ops1", "title": "How do you share lenses?",
    "choices": [{"id": "ops1_a", "title": "From a stack"}, {"id": "ops1_b", "title": "By hand"}],
    "riskRules": [{"condition": "ops1_a", "risk": "NO_RISK"}, {"condition": "default", "risk": "HIGH_RISK"}]
  }]}]
}"""


@dataclass
class Session:
    emulator: WellArchitectedEmulator
    receiver: ResponseReceiver
    provider: ModuleType

    def publish_sample_lens(self) -> str:
        """ImportLens then CreateLensVersion, as a lens owner does it, through the emulator's API."""
        client = boto3.client("wellarchitected", region_name=REGION)
        lens_arn = client.import_lens(JSONString=SAMPLE_LENS, ClientRequestToken="import-sample")["LensArn"]
        client.create_lens_version(
            LensAlias=lens_arn, LensVersion="1.0", IsMajorVersion=True, ClientRequestToken="publish-sample"
        )
        return lens_arn


@contextmanager
def session(*, quiet: bool = True) -> Iterator[Session]:
    """Everything the provider needs, on this machine only; quiet keeps the handler's own log lines out."""
    with WellArchitectedEmulator(default_account=OWNER, region=REGION) as emulator, ResponseReceiver() as receiver:
        os.environ.update(
            {
                "AWS_ENDPOINT_URL_WELLARCHITECTED": emulator.url,
                "SSL_CERT_FILE": receiver.ca_file,
                # The emulator reads the account from the access key's last twelve digits.
                "AWS_ACCESS_KEY_ID": f"AKIDLOCAL{OWNER}",
                "AWS_SECRET_ACCESS_KEY": "local",
                "AWS_REGION": REGION,
                "AWS_DEFAULT_REGION": REGION,
                "POWERTOOLS_SERVICE_NAME": "lens-share-provider",
                "POWERTOOLS_METRICS_NAMESPACE": "LensShareProvider",
            }
        )
        os.environ.pop("AWS_PROFILE", None)
        if quiet:
            os.environ["POWERTOOLS_LOG_LEVEL"] = "WARNING"
            os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
        sys.path.insert(0, str(ROOT / "functions" / "provider"))
        yield Session(emulator, receiver, importlib.import_module("lens_share.app"))
