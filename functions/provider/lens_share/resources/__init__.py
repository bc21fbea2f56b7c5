"""Every resource type the provider serves, by the type name a template declares: adding one touches this file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from lens_share.kinds import KINDS, LENS
from lens_share.resources import invitations, organization_sharing
from lens_share.resources.shares import ShareResource

if TYPE_CHECKING:
    from lens_share.outcome import Outcome
    from lens_share.request import Request
    from lens_share.services import Services


class Resource(Protocol):
    def create(self, request: Request, services: Services) -> Outcome: ...
    def update(self, request: Request, services: Services) -> Outcome: ...
    def delete(self, request: Request, services: Services) -> Outcome: ...


REGISTRY: dict[str, Resource] = {
    **{kind.resource_type: ShareResource(kind) for kind in KINDS},
    invitations.SHARE_INVITATION.resource_type: invitations.SHARE_INVITATION,
    invitations.LENS_SHARE_INVITATION.resource_type: invitations.LENS_SHARE_INVITATION,
    organization_sharing.RESOURCE_TYPE: organization_sharing,
    # A template may also declare a lens share with CloudFormation's generic type, as 1.x allowed.
    "AWS::CloudFormation::CustomResource": ShareResource(LENS),
}
# The share resource types, each with the kind it shares; the generic type is a lens share.
SHARE_KINDS = {name: resource.kind for name, resource in REGISTRY.items() if isinstance(resource, ShareResource)}
