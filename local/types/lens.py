"""AWS::WellArchitected::Lens on the Well-Architected emulator: ImportLens (and CreateLensVersion for LensVersion);
a new JSONString or LensVersion replaces the lens, as the schema's createOnlyProperties say."""

from __future__ import annotations

import json
import uuid
from typing import Any

from local.stack import Request
from local.types.base import Host, Outcome
from local.types.wellarchitected import call, delete_quietly, replaced, tags


class Lens:
    type_names = ("AWS::WellArchitected::Lens",)
    records_events = False

    def act(self, request: Request, host: Host) -> Outcome:
        client = host.cloud.client("wellarchitected", host.account)
        token = str(uuid.uuid4())
        properties = request.properties
        if request.request_type == "Delete":
            delete_quietly(
                client.delete_lens, LensAlias=request.physical_id, ClientRequestToken=token, LensStatus="ALL"
            )
            return Outcome(True, request.physical_id or "")
        arn = request.physical_id or ""
        if replaced(request, ("JSONString", "LensVersion")):
            document = properties.get("JSONString")
            text = document if isinstance(document, str) else json.dumps(document)
            extra: dict[str, Any] = {"Tags": tags(properties)} if properties.get("Tags") else {}
            arn = call(client.import_lens, JSONString=text, ClientRequestToken=token, **extra)["LensArn"]
            if "LensVersion" in properties:
                call(
                    client.create_lens_version,
                    LensAlias=arn,
                    LensVersion=str(properties["LensVersion"]),
                    IsMajorVersion=True,
                    ClientRequestToken=token,
                )
        lens = call(client.get_lens, LensAlias=arn)["Lens"]
        data = {
            "LensArn": arn,
            "LensId": arn.rsplit("/", 1)[1],
            "Name": lens.get("Name", ""),
            "Description": lens.get("Description", ""),
            "Owner": host.account,
        }
        return Outcome(True, arn, data)


TYPE = Lens()
