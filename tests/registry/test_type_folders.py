"""Each type's folder is what registry/build_types.py writes from the Custom:: schemas: a schema cannot drift."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from build_types import files, schema
from lens_share_types.kinds import DEFAULT_NAMESPACE, TYPES, ShareType, check_namespace

REGISTRY = Path(__file__).resolve().parents[2] / "registry"


def by_name(share_type: ShareType) -> str:
    return share_type.name


@pytest.mark.parametrize("share_type", TYPES, ids=by_name)
def test_the_committed_folder_is_what_the_generator_writes(share_type: ShareType) -> None:
    for relative, content in files(share_type, DEFAULT_NAMESPACE):
        path = REGISTRY / share_type.folder / relative
        assert path.read_text(encoding="utf-8") == content, f"{path} drifted: run make registry"


@pytest.mark.parametrize("share_type", TYPES, ids=by_name)
def test_the_schema_keys_a_share_by_resource_and_principal(share_type: ShareType) -> None:
    document = schema(share_type, DEFAULT_NAMESPACE)
    prop = share_type.prop
    identifiers = [f"/properties/{prop}", "/properties/SharedWith"]

    assert document["primaryIdentifier"] == identifiers
    assert document["createOnlyProperties"] == identifiers
    assert document["readOnlyProperties"] == ["/properties/ShareId", "/properties/Status"]
    assert document["writeOnlyProperties"] == ["/properties/InvitationRound"]
    assert document["handlers"]["list"]["handlerSchema"]["required"] == [prop]
    assert "AllowedPrincipals" in document["typeConfiguration"]["properties"]
    assert ("PermissionType" in document["properties"]) is share_type.kind.permission


@pytest.mark.parametrize("share_type", TYPES, ids=by_name)
def test_the_generated_models_carry_every_property_of_the_schema(share_type: ShareType) -> None:
    models = (REGISTRY / share_type.folder / "src" / share_type.package() / "models.py").read_text(encoding="utf-8")
    model = models.split("class ResourceModel(BaseModel):", 1)[1].split("@classmethod", 1)[0]

    assert re.findall(r"^    (\w+): ", model, re.MULTILINE) == list(schema(share_type, DEFAULT_NAMESPACE)["properties"])


@pytest.mark.parametrize("share_type", TYPES, ids=by_name)
def test_the_handlers_call_exactly_what_the_schema_permits(share_type: ShareType) -> None:
    granted = schema(share_type, DEFAULT_NAMESPACE)["handlers"]
    operations = (REGISTRY / "lens_share_types" / "operations.py").read_text(encoding="utf-8")

    assert (
        granted["read"]["permissions"]
        == granted["list"]["permissions"]
        == [f"wellarchitected:{share_type.kind.listing}"]
    )
    assert "update_workload_share" in operations
    assert any("UpdateWorkloadShare" in p for p in granted["update"]["permissions"]) is share_type.kind.permission


def test_a_namespace_the_registry_reserves_is_refused() -> None:
    assert check_namespace("Acme") == "Acme"
    for reserved in ("AWS", "Custom", "Dev", "a"):
        with pytest.raises(ValueError, match="reserves"):
            check_namespace(reserved)


def test_another_namespace_renames_type_package_and_entrypoint() -> None:
    [lens] = [share_type for share_type in TYPES if share_type.name == "LensShare"]
    written = dict(files(lens, "Acme"))

    assert json.loads(written["acme-wellarchitected-lensshare.json"])["typeName"] == "Acme::WellArchitected::LensShare"
    assert json.loads(written[".rpdk-config"])["entrypoint"] == "acme_wellarchitected_lensshare.handlers.resource"
    assert 'bind(resource, "LensShare", ResourceModel)' in written["src/acme_wellarchitected_lensshare/handlers.py"]
