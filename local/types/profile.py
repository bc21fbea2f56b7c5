"""AWS::WellArchitected::Profile on the Well-Architected emulator; Ref and Fn::GetAtt as its schema defines them
(Ref is the ProfileArn). A new ProfileName replaces the profile (createOnly)."""

from __future__ import annotations

from typing import Any

from local.records import Outcome, Request
from local.types.base import Host
from local.types.wellarchitected import WellArchitectedType, call, delete_quietly, replaced, stamp, tags


def delete(client: Any, physical_id: str, token: str) -> None:
    delete_quietly(client.delete_profile, ProfileArn=physical_id, ClientRequestToken=token)


def put(client: Any, request: Request, host: Host, token: str) -> Outcome:
    properties = request.properties
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


TYPE = WellArchitectedType(("AWS::WellArchitected::Profile",), delete, put)
