"""The project's registry types (local.registry): each operation goes to the type's handlers as CloudFormation
sends it. Ref is the registry identifier, Fn::GetAtt gives the read-only properties, and a changed createOnly
property is a replacement: the new resource is created first, the old one deleted at clean-up."""

from __future__ import annotations

from local.handler_calls import Call
from local.records import Failed, Outcome, Request
from local.registry import TYPES
from local.types.base import Host


class RegistryResource:
    type_names = tuple(TYPES)

    def act(self, request: Request, host: Host) -> Outcome:
        kind = TYPES[request.resource_type]
        old, new = request.old_properties or {}, request.properties
        physical_id = request.physical_id or ""
        if request.request_type == "Delete":
            model = {**new, **kind.identifying_model(physical_id)}
            call = Call("DELETE", model, logical_id=request.logical_id, stack_id=host.stack_id)
        elif request.request_type == "Create" or kind.replaces(old, new):
            call = Call("CREATE", new, logical_id=request.logical_id, stack_id=host.stack_id)
        else:
            call = Call("UPDATE", new, old, logical_id=request.logical_id, stack_id=host.stack_id)
        progress = host.cloud.handlers.run(kind, host.account, call)
        if call.action == "DELETE" and (progress.succeeded or progress.not_found):
            return Outcome(True, physical_id)  # CloudFormation counts a resource already gone as deleted
        if not progress.succeeded:
            raise Failed(progress.reason)
        model = {**new, **progress.model}
        data = {name: model[name] for name in kind.read_only if name in model}
        return Outcome(True, kind.identifier(model), data)


TYPE = RegistryResource()
