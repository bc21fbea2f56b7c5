"""AWS::WellArchitected::Profile on the Well-Architected emulator; Ref and Fn::GetAtt as its schema defines them
(Ref is the ProfileArn). A new ProfileName replaces the profile (createOnly)."""

from __future__ import annotations

import uuid

from local.stack import Request
from local.types.base import Host, Outcome
from local.types.wellarchitected import call, delete_quietly, replaced, stamp, tags


class Profile:
    type_names = ("AWS::WellArchitected::Profile",)
    records_events = False

    def act(self, request: Request, host: Host) -> Outcome:
        client = host.cloud.client("wellarchitected", host.account)
        token = str(uuid.uuid4())
        properties = request.properties
        if request.request_type == "Delete":
            delete_quietly(client.delete_profile, ProfileArn=request.physical_id, ClientRequestToken=token)
            return Outcome(True, request.physical_id or "")
        arn = request.physical_id or ""
        questions = properties.get("ProfileQuestions") or []
        if replaced(request, ("ProfileName",)):
            arn = call(
                client.create_profile,
                ProfileName=properties.get("ProfileName"),
                ProfileDescription=properties.get("ProfileDescription"),
                ProfileQuestions=questions,
                ClientRequestToken=token,
                Tags=tags(properties),
            )["ProfileArn"]
        else:
            call(
                client.update_profile,
                ProfileArn=arn,
                ProfileDescription=properties.get("ProfileDescription"),
                ProfileQuestions=questions,
            )
        profile = call(client.get_profile, ProfileArn=arn)["Profile"]
        data = {
            "ProfileArn": arn,
            "ProfileVersion": str(profile.get("ProfileVersion", "")),
            "Owner": str(profile.get("Owner", host.account)),
            "CreatedAt": stamp(profile.get("CreatedAt", "")),
            "UpdatedAt": stamp(profile.get("UpdatedAt", "")),
        }
        return Outcome(True, arn, data)


TYPE = Profile()
