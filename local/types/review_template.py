"""AWS::WellArchitected::ReviewTemplate on the Well-Architected emulator; Ref and Fn::GetAtt as its schema
defines them (Ref is the TemplateArn). A new Lenses list replaces the template (createOnly)."""

from __future__ import annotations

import uuid

from local.stack import Request
from local.types.base import Host, Outcome
from local.types.wellarchitected import call, delete_quietly, replaced, stamp, tags


class ReviewTemplate:
    type_names = ("AWS::WellArchitected::ReviewTemplate",)
    records_events = False

    def act(self, request: Request, host: Host) -> Outcome:
        client = host.cloud.client("wellarchitected", host.account)
        token = str(uuid.uuid4())
        properties = request.properties
        if request.request_type == "Delete":
            delete_quietly(client.delete_review_template, TemplateArn=request.physical_id, ClientRequestToken=token)
            return Outcome(True, request.physical_id or "")
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


TYPE = ReviewTemplate()
