"""CloudFormation's side of the custom-resource protocol, played locally: see local.cloudformation."""
