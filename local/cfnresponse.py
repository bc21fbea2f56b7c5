"""CloudFormation's cfnresponse module, as Lambda provides it to inline (ZipFile) Python code: `send` PUTs the
custom resource's answer to the event's ResponseURL. Written for the local cloud, with the same names and
arguments, on the standard library (the CA of the local receiver comes from SSL_CERT_FILE)."""

import json
import urllib.request
from typing import Any

SUCCESS = "SUCCESS"
FAILED = "FAILED"


def send(  # noqa: PLR0917 - cfnresponse's own signature, positional arguments included
    event: dict[str, Any],
    context: Any,
    responseStatus: str,
    responseData: dict[str, Any] | None,
    physicalResourceId: str | None = None,
    noEcho: bool = False,
    reason: str | None = None,
) -> None:
    response_url = event["ResponseURL"]
    body = {
        "Status": responseStatus,
        "Reason": reason or "See the details in CloudWatch Log Stream: " + context.log_stream_name,
        "PhysicalResourceId": physicalResourceId or context.log_stream_name,
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"],
        "NoEcho": noEcho,
        "Data": responseData,
    }
    data = json.dumps(body).encode()
    print("Response body:")
    print(data.decode())
    request = urllib.request.Request(
        response_url, data=data, method="PUT", headers={"Content-Type": "", "Content-Length": str(len(data))}
    )
    try:
        with urllib.request.urlopen(request) as response:
            print("Status code:", response.status)
    except Exception as error:  # noqa: BLE001 - cfnresponse prints the failure and returns, as AWS's does
        print("send(..) failed executing http.request(..):", error)
