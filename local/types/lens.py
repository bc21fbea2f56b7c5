"""AWS::WellArchitected::Lens on the Well-Architected emulator: ImportLens (and CreateLensVersion for LensVersion);
a new JSONString or LensVersion replaces the lens, as the schema's createOnlyProperties say."""

from __future__ import annotations

import json
from typing import Any

from local.records import Outcome, Request
from local.types.base import Host
from local.types.wellarchitected import WellArchitectedType, call, delete_quietly, replaced, tags


def delete(client: Any, physical_id: str, token: str) -> None:
    delete_quietly(client.delete_lens, LensAlias=physical_id, ClientRequestToken=token, LensStatus="ALL")


def put(client: Any, request: Request, host: Host, token: str) -> Outcome:
    properties = request.properties
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


TYPE = WellArchitectedType(("AWS::WellArchitected::Lens",), delete, put)
