"""AWS::CloudFormation::CustomResource and Custom::*: the request goes to the local function its ServiceToken
names, by CloudFormation's protocol (local.stack), and the answer it PUTs is the outcome."""

from __future__ import annotations

from local.stack import Request
from local.types.base import Failed, Host, Outcome


class CustomResource:
    type_names = ("AWS::CloudFormation::CustomResource",)
    records_events = True

    def act(self, request: Request, host: Host) -> Outcome:
        token = str(request.properties.get("ServiceToken", ""))
        if token not in host.cloud.functions:
            raise Failed(f"ServiceToken {token or '(missing)'} names no local function")
        answer = host.step(request)
        if answer.succeeded:
            physical_id = request.physical_id if request.request_type == "Delete" else answer.physical_id
            return Outcome(True, physical_id or "", answer.data)
        # CloudFormation makes up an ID when a failed Create gave none it could use; the rollback Delete carries it
        physical_id = (
            answer.physical_id if answer.valid else (request.physical_id or host.made_up_id(request.logical_id))
        )
        return Outcome(False, physical_id, reason=answer.failure_reason)


TYPE = CustomResource()
