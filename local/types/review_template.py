"""AWS::WellArchitected::ReviewTemplate on the Well-Architected emulator; Ref and Fn::GetAtt as its schema
defines them (Ref is the TemplateArn). A new Lenses list replaces the template (createOnly)."""

from __future__ import annotations

from typing import Any

from local.records import Outcome, Request
from local.types.base import Host
from local.types.wellarchitected import WellArchitectedType, call, delete_quietly, replaced, stamp, tags


def delete(client: Any, physical_id: str, token: str) -> None:
    delete_quietly(client.delete_review_template, TemplateArn=physical_id, ClientRequestToken=token)


def put(client: Any, request: Request, host: Host, token: str) -> Outcome:
    properties = request.properties
    arn = request.physical_id or ""
    if replaced(request, ("Lenses",)):
        arn = call(
            client.create_review_template,
            TemplateName=properties.get("TemplateName"),
            Description=properties.get("Description"),
            Lenses=properties.get("Lenses"),
            Notes=properties.get("Notes"),
            Tags=tags(properties),
            ClientRequestToken=token,
        )["TemplateArn"]
    else:
        call(
            client.update_review_template,
            TemplateArn=arn,
            TemplateName=properties.get("TemplateName"),
            Description=properties.get("Description"),
            Notes=properties.get("Notes"),
        )
    template = call(client.get_review_template, TemplateArn=arn)["ReviewTemplate"]
    data = {
        "TemplateArn": arn,
        "Owner": str(template.get("Owner", host.account)),
        "UpdatedAt": stamp(template.get("UpdatedAt", "")),
        "UpdateStatus": str(template.get("UpdateStatus", "CURRENT")),
    }
    return Outcome(True, arn, data)


TYPE = WellArchitectedType(("AWS::WellArchitected::ReviewTemplate",), delete, put)
