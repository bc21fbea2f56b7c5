"""AWS::CloudFormation::CustomResource and Custom::*: the request goes to the local function its ServiceToken
names, by CloudFormation's protocol (local.transport), and the answer it PUTs is the outcome."""

from __future__ import annotations

from local.records import Failed, Outcome, Request
from local.types.base import Host


class CustomResource:
    type_names = ("AWS::CloudFormation::CustomResource",)

    def act(self, request: Request, host: Host) -> Outcome:
        token = str(request.properties.get("ServiceToken", ""))
        if token not in host.cloud.functions:
            raise Failed(f"ServiceToken {token or '(missing)'} names no local function")
        return host.transport.perform(request)


TYPE = CustomResource()
