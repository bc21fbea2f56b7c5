# Well-Architected shares from Terraform, through the Cloud Control API: one aws_cloudcontrolapi_resource per
# kind of share, driving the lens-share-provider registry types. Register the types in the account and
# Region first (examples/registry-types-registration.yaml); docs/registry-types.md says how.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

variable "namespace" {
  description = "The organization name the types were registered under."
  type        = string
  default     = "LensShareProvider"
}

variable "member_account_id" {
  description = "Account to share with; it receives an invitation for each share."
  type        = string
}

variable "lens_arn" {
  description = "ARN of a published custom lens of this account and Region."
  type        = string
}

variable "profile_arn" {
  description = "ARN of a profile of this account and Region."
  type        = string
}

variable "template_arn" {
  description = "ARN of a review template of this account and Region."
  type        = string
}

variable "workload_id" {
  description = "ID of a workload of this account and Region."
  type        = string
}

variable "invitation_round" {
  description = "Change it to invite the member again where an invitation expired or was rejected."
  type        = string
  default     = "1"
}

resource "aws_cloudcontrolapi_resource" "lens_share" {
  type_name = "${var.namespace}::WellArchitected::LensShare"
  desired_state = jsonencode({
    LensArn         = var.lens_arn
    SharedWith      = var.member_account_id
    InvitationRound = var.invitation_round
  })
}

resource "aws_cloudcontrolapi_resource" "profile_share" {
  type_name = "${var.namespace}::WellArchitected::ProfileShare"
  desired_state = jsonencode({
    ProfileArn = var.profile_arn
    SharedWith = var.member_account_id
  })
}

resource "aws_cloudcontrolapi_resource" "review_template_share" {
  type_name = "${var.namespace}::WellArchitected::ReviewTemplateShare"
  desired_state = jsonencode({
    TemplateArn = var.template_arn
    SharedWith  = var.member_account_id
  })
}

resource "aws_cloudcontrolapi_resource" "workload_share" {
  type_name = "${var.namespace}::WellArchitected::WorkloadShare"
  desired_state = jsonencode({
    WorkloadId     = var.workload_id
    SharedWith     = var.member_account_id
    PermissionType = "CONTRIBUTOR"
  })
}

output "lens_share_id" {
  description = "The ID Well-Architected gave the lens share."
  value       = jsondecode(aws_cloudcontrolapi_resource.lens_share.properties)["ShareId"]
}
