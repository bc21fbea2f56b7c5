"""The least a lens share provider can be: one client, one call, one PUT. The provider is measured against it."""

from __future__ import annotations

import http.client
import json
import ssl
from typing import Any
from urllib.parse import urlsplit

import boto3

client = boto3.client("wellarchitected")


def answer(event: dict[str, Any], physical_id: str, data: dict[str, str]) -> None:
    body = json.dumps(
        {
            "Status": "SUCCESS",
            "PhysicalResourceId": physical_id,
            "StackId": event["StackId"],
            "RequestId": event["RequestId"],
            "LogicalResourceId": event["LogicalResourceId"],
            "Data": data,
        }
    ).encode()
    parts = urlsplit(event["ResponseURL"])
    connection = http.client.HTTPSConnection(parts.netloc, context=ssl.create_default_context())
    connection.request("PUT", f"{parts.path}?{parts.query}", body=body, headers={"Content-Type": ""})
    connection.getresponse().read()
    connection.close()


def handler(event: dict[str, Any], context: Any) -> None:
    properties = event["ResourceProperties"]
    lens = properties["LensAlias"]
    if event["RequestType"] == "Delete":
        share_id = event["PhysicalResourceId"].rsplit("/", 1)[1]
        client.delete_lens_share(LensAlias=lens, ShareId=share_id, ClientRequestToken=event["RequestId"])
        answer(event, event["PhysicalResourceId"], {})
        return
    share_id = client.create_lens_share(
        LensAlias=lens, SharedWith=properties["SharedWith"], ClientRequestToken=event["RequestId"]
    )["ShareId"]
    answer(event, f"{lens}/shares/{share_id}", {"ShareId": share_id})
