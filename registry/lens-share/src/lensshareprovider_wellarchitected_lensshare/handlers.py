"""LensShareProvider::WellArchitected::LensShare: the share core's handlers, bound to this type's models."""

from cloudformation_cli_python_lib.resource import Resource

from lens_share_types.handlers import bind

from .models import ResourceModel, TypeConfigurationModel

TYPE_NAME = "LensShareProvider::WellArchitected::LensShare"

resource = Resource(TYPE_NAME, ResourceModel, TypeConfigurationModel)
test_entrypoint = resource.test_entrypoint
bind(resource, "LensShare", ResourceModel)
