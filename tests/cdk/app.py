"""A Python CDK app of the construct library: a lens, a profile and a workload and their shares, held to cdk-nag's
AwsSolutions rules. The test runs it in the CDK's own environment (.venv-cdk) and deploys what it synthesizes.

    python tests/cdk/app.py OUTDIR      (prints the templates of FIRST and SECOND, where the rollout's accounts and
                                         the workload share's permission change, then NESTED's and BUNDLED's)
"""

from __future__ import annotations

import json
import sys

import aws_cdk as cdk
from aws_cdk import aws_wellarchitected as wellarchitected
from cdk_nag import AwsSolutionsChecks
from cdk_wellarchitected_shares import (
    LensRollout,
    LensShare,
    OrganizationSharing,
    ProfileShare,
    ShareProvider,
    WorkloadShare,
)

MEMBER, REVIEWER, OU = "222222222222", "333333333333", "ou-ab12-cd34ef56"
ROLLOUT = {"FIRST": ["555555555555", "666666666666"], "SECOND": ["555555555555", "777777777777"]}
PERMISSION = {"FIRST": "CONTRIBUTOR", "SECOND": "READONLY"}
# The local Serverless Application Repository knows the application by its name alone.
APPLICATION = "arn:aws:serverlessrepo:us-east-1:123456789012:applications/lens-share-provider"
LENS = {
    "schemaVersion": "2021-11-01",
    "name": "Platform lens",
    "description": "Practices our platform team asks every workload to follow.",
    "pillars": [
        {
            "id": "operations",
            "name": "Operations",
            "questions": [
                {
                    "id": "runbooks",
                    "title": "How are operational procedures kept current?",
                    "choices": [{"id": "runbooks_versioned", "title": "Runbooks are versioned with the code"}],
                    "riskRules": [
                        {"condition": "runbooks_versioned", "risk": "NO_RISK"},
                        {"condition": "default", "risk": "HIGH_RISK"},
                    ],
                }
            ],
        }
    ],
}


def production_workload(stack: cdk.Stack, name: str) -> wellarchitected.CfnWorkload:
    return wellarchitected.CfnWorkload(
        stack,
        "Workload",
        workload_name=name,
        description=f"The {name} service.",
        environment="PRODUCTION",
        lenses=["wellarchitected"],
        aws_regions=[stack.region],
    )


def published_lens(stack: cdk.Stack) -> wellarchitected.CfnLens:
    return wellarchitected.CfnLens(stack, "Lens", json_string=json.dumps(LENS), lens_version="1.0")


def program(app: cdk.App, variant: str) -> cdk.Stack:
    stack = cdk.Stack(app, "Program")
    provider = ShareProvider.from_stack_export(stack, "Provider")
    lens = published_lens(stack)
    profile = wellarchitected.CfnProfile(
        stack,
        "Profile",
        profile_name="Platform workloads",
        profile_description="The business context of workloads that run on the platform.",
        profile_questions=[
            wellarchitected.CfnProfile.ProfileQuestionUpdateProperty(
                question_id="cost_budget", selected_choice_ids=["cost_budget_b"]
            )
        ],
    )
    workload = production_workload(stack, "payments")
    OrganizationSharing(stack, "OrganizationSharing", provider=provider)
    member = LensShare(stack, "LensToMember", provider=provider, lens_arn=lens.attr_lens_arn, shared_with=MEMBER)
    LensRollout(
        stack,
        "Rollout",
        provider=provider,
        lens_arn=lens.attr_lens_arn,
        accounts=ROLLOUT[variant],
        organizational_units=[OU],
        invitation_round="1",
    )
    ProfileShare(stack, "ProfileToOu", provider=provider, profile_arn=profile.attr_profile_arn, shared_with=OU)
    reviewers = WorkloadShare(
        stack,
        "WorkloadToReviewers",
        provider=provider,
        workload_id=workload.attr_workload_id,
        shared_with=REVIEWER,
        permission_type=PERMISSION[variant],
    )
    cdk.CfnOutput(stack, "MemberShareId", value=member.share_id)
    cdk.CfnOutput(stack, "ReviewerShareId", value=reviewers.share_id)
    return stack


def nested(app: cdk.App) -> cdk.Stack:
    """The provider nested from the Serverless Application Repository, and a share it serves."""
    stack = cdk.Stack(app, "Nested")
    provider = ShareProvider(stack, "Provider", application_id=APPLICATION, allowed_principals=[MEMBER])
    LensShare(
        stack, "LensToMember", provider=provider, lens_arn=published_lens(stack).attr_lens_arn, shared_with=MEMBER
    )
    return stack


def bundled(app: cdk.App) -> cdk.Stack:
    """A stack that names no provider: its shares are served by the provider the library ships."""
    stack = cdk.Stack(app, "Bundled")
    workload = production_workload(stack, "checkout")
    LensShare(stack, "LensToMember", lens_arn=published_lens(stack).attr_lens_arn, shared_with=MEMBER)
    WorkloadShare(stack, "WorkloadToReviewer", workload_id=workload.attr_workload_id, shared_with=REVIEWER)
    return stack


def main(outdir: str) -> None:
    # Every app in one process: each start of the jsii runtime costs seconds.
    programs = [(variant, lambda app, variant=variant: program(app, variant)) for variant in ROLLOUT]
    apps = [*programs, ("NESTED", nested), ("BUNDLED", bundled)]
    for name, build in apps:
        app = cdk.App(outdir=f"{outdir}/{name.lower()}")
        stack = build(app)
        # cdk-nag's AwsSolutions rules: a finding fails the synthesis.
        cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
        print(app.synth().get_stack_by_name(stack.stack_name).template_full_path)


if __name__ == "__main__":
    main(*sys.argv[1:])
