"""AWS::CloudFormation::Stack: the TemplateURL's template deployed as a stack of its own, in the same account;
Fn::GetAtt Outputs.Name gives its outputs."""

from __future__ import annotations

from typing import Any

from local.errors import TemplateError
from local.events import stringify
from local.records import Failed, Outcome, Request
from local.types.base import Host, random_suffix, template_folder


def joined(value: Any) -> str:
    """A value where CloudFormation wants a string: a list becomes its comma-separated form."""
    if isinstance(value, list):
        return ",".join(str(stringify(item)) for item in value)
    result: str = stringify(value)
    return result


class NestedStack:
    type_names = ("AWS::CloudFormation::Stack",)

    def act(self, request: Request, host: Host) -> Outcome:
        cloud = host.cloud
        if request.request_type == "Delete":
            child = cloud.stack_by_id(request.physical_id or "")
            if child is not None:
                cloud.delete(child.name)
                if child.status != "DELETE_COMPLETE":
                    raise Failed(f"Nested stack {child.name} ended {child.status}")
            return Outcome(True, request.physical_id or "")
        url = str(request.properties.get("TemplateURL", ""))
        parameters = {str(key): joined(value) for key, value in (request.properties.get("Parameters") or {}).items()}
        existing = cloud.stack_by_id(request.physical_id or "")
        name = existing.name if existing else f"{host.name}-{request.logical_id}-{random_suffix()}"
        try:
            path = cloud.template_file(url, template_folder(host))
            child = cloud.deploy(name, path, parameters, host.account, host.stack_id, region=host.region)
        except TemplateError as error:
            raise Failed(f"Nested stack {name}: {error}") from None
        if child.status == "ROLLBACK_COMPLETE":
            cloud.delete(child.name)  # a nested stack whose creation rolled back goes with it
        if child.status not in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
            done = "created" if existing is None else "updated"
            raise Failed(f"Embedded stack {child.stack_id} was not successfully {done}: {child.status}")
        data = {f"Outputs.{key}": output["value"] for key, output in child.outputs.items()}
        return Outcome(True, child.stack_id, data)


TYPE = NestedStack()
