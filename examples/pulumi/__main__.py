"""Well-Architected shares from Pulumi: one aws-native ExtensionResource per kind of share, driving the
lens-share-provider registry types through the Cloud Control API. Register the types in the account and Region
first (examples/registry-types-registration.yaml); docs/registry-types.md says how.

    pulumi config set memberAccountId 222222222222
    pulumi config set lensArn arn:aws:wellarchitected:us-east-1:111111111111:lens/...
    pulumi up
"""

import pulumi
import pulumi_aws_native as aws_native

config = pulumi.Config()
namespace = config.get("namespace") or "LensShareProvider"
member = config.require("memberAccountId")


def share(name: str, shared: dict[str, str]) -> aws_native.ExtensionResource:
    """One share of the registry type `name`; what is shared and with whom is its identity, so both are create-only."""
    identity = next(iter(shared))
    return aws_native.ExtensionResource(
        name,
        type=f"{namespace}::WellArchitected::{name}",
        properties={**shared, "SharedWith": member},
        create_only=[identity, "SharedWith"],
    )


invitation_round = config.get("invitationRound") or "1"
lens = share("LensShare", {"LensArn": config.require("lensArn"), "InvitationRound": invitation_round})
share("ProfileShare", {"ProfileArn": config.require("profileArn")})
share("ReviewTemplateShare", {"TemplateArn": config.require("templateArn")})
share("WorkloadShare", {"WorkloadId": config.require("workloadId"), "PermissionType": "CONTRIBUTOR"})

pulumi.export("lensShareId", lens.outputs.apply(lambda outputs: outputs["ShareId"]))
