"""AWS::WellArchitected::Workload on the Well-Architected emulator; Ref and Fn::GetAtt as its schema defines them
(Ref is the WorkloadArn). A new Lenses list replaces the workload (createOnly)."""

from __future__ import annotations

from typing import Any

from local.records import Outcome, Request
from local.types.base import Host
from local.types.wellarchitected import WellArchitectedType, call, delete_quietly, replaced, tags

# The properties CreateWorkload and UpdateWorkload take as they are
_PASSED = (
    "WorkloadName",
    "Description",
    "Environment",
    "AccountIds",
    "AwsRegions",
    "NonAwsRegions",
    "ArchitecturalDesign",
    "ReviewOwner",
    "IndustryType",
    "Industry",
    "Notes",
    "DiscoveryConfig",
)


def delete(client: Any, physical_id: str, token: str) -> None:
    workload_id = physical_id.rsplit("/", 1)[-1]
    delete_quietly(client.delete_workload, WorkloadId=workload_id, ClientRequestToken=token)


def put(client: Any, request: Request, host: Host, token: str) -> Outcome:
    properties = request.properties
    given: dict[str, Any] = {name: properties.get(name) for name in _PASSED}
    if replaced(request, ("Lenses",)):
        created = call(
            client.create_workload,
            **given,
            Lenses=properties.get("Lenses"),
            Tags=tags(properties),
            ClientRequestToken=token,
        )
        workload_id, arn = created["WorkloadId"], created["WorkloadArn"]
    else:
        arn = request.physical_id or ""
        workload_id = arn.rsplit("/", 1)[-1]
        call(client.update_workload, WorkloadId=workload_id, **given)
    workload = call(client.get_workload, WorkloadId=workload_id)["Workload"]
    data = {
        "WorkloadArn": arn,
        "WorkloadId": workload_id,
        "ImprovementStatus": str(workload.get("ImprovementStatus", "NOT_APPLICABLE")),
    }
    return Outcome(True, arn, data)


TYPE = WellArchitectedType(("AWS::WellArchitected::Workload",), delete, put)
