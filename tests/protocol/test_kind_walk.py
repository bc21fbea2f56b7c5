"""Every kind in the product's own list, through every use of its description: a kind that one of them misses
fails here by name. The contract itself runs per kind in test_share_kinds.py, over the same list."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from emulator import WellArchitectedEmulator
from emulator.controls import MAKERS
from lens_share import answer, schema
from lens_share.health.model import SECTIONS, Report
from lens_share.kinds import KINDS, SHARED_RESOURCE_PROPERTIES, ShareKind
from lens_share.physical_ids import ShareRef
from lens_share.properties import Place, PropertyError
from lens_share.resources import REGISTRY, SHARE_KINDS
from lens_share.resources.invitations import SHARE_INVITATION
from lens_share.resources.shares import ShareResource
from lens_share.services import Environment
from tests.docs.pages import reference_pages
from tests.protocol.harness import OWNER, LambdaFunction, calls_of

PLACE = Place("us-east-1", "111111111111")
SHARE_ID = "0" * 32
PACKAGE = Path(answer.__file__).parent


def by_key(kind: ShareKind) -> str:
    return kind.key


@pytest.mark.parametrize("kind", KINDS, ids=by_key)
def test_the_kind_is_served_with_its_schema_and_documented(kind: ShareKind) -> None:
    assert isinstance(REGISTRY[kind.resource_type], ShareResource)
    assert SHARE_KINDS[kind.resource_type] is kind
    described = schema.load(kind.resource_type)
    assert kind.prop in described.required
    assert {"ShareId", kind.attribute, "SharedWith"} <= set(described.attributes)
    assert ("PermissionType" in described.properties) == kind.permission
    assert kind.resource_type in reference_pages()
    assert kind in SHARE_INVITATION.kinds
    assert kind.attribute in schema.load(SHARE_INVITATION.resource_type).properties
    assert kind.prop in SHARED_RESOURCE_PROPERTIES


@pytest.mark.parametrize("kind", KINDS, ids=by_key)
def test_its_identifier_is_checked_and_read_back_out_of_every_physical_id(kind: ShareKind) -> None:
    assert kind.check(kind.example, PLACE) == kind.example
    with pytest.raises(PropertyError, match=kind.prop):
        kind.check("not-" + kind.example + "/x", PLACE)
    ref = ShareRef.parse(ShareRef(kind.physical_name(kind.example), SHARE_ID, "1" * 32).physical_id)
    assert ref is not None, f"physical_ids does not read {kind.key}'s physical IDs: its Delete would skip them"
    assert kind.identifier_in(ref.resource) == kind.example
    assert [other.key for other in KINDS if other.identifier_in(ref.resource)] == [kind.key]


@pytest.mark.parametrize("kind", KINDS, ids=by_key)
def test_the_health_report_has_its_section(kind: ShareKind) -> None:
    assert SECTIONS[kind] is kind.section
    report = Report().as_dict()
    assert report[kind.section.key] == []
    assert Report().alarmed_by_kind()[kind.key] == 0


@pytest.mark.parametrize("kind", KINDS, ids=by_key)
def test_each_of_its_calls_is_served_by_the_emulator(
    kind: ShareKind, app: LambdaFunction, emu: WellArchitectedEmulator
) -> None:
    environment: Environment = app.environment
    aws = calls_of(environment.wellarchitected)
    resource = MAKERS[kind.key](emu)

    assert resource in list(aws.owned(kind, OWNER))
    share_id = aws.create_share(kind, resource, "222222222222", "walk-create", "READONLY" if kind.permission else "")
    assert [share["ShareId"] for share in aws.shares(kind, resource, "2222")] == [share_id]
    aws.delete_share(kind, resource, share_id, "walk-delete")
    assert list(aws.shares(kind, resource)) == []
    aws.read(kind, resource)
    assert [call[0] for call in emu.calls() if call[1] != 200] == []


def test_no_call_is_built_from_a_string() -> None:
    """Calls name their boto3 method, so that mypy checks each one's parameters: no getattr of a computed
    name on a client, no operation name turned into a method name."""
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        assert "xform_name" not in names, path.name
        dynamic = [
            node.lineno
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "getattr"
            and "client" in ast.unparse(node.args[0])
            and not isinstance(node.args[1], ast.Constant)
        ]
        assert dynamic == [], f"{path.name}: a client method by computed name at lines {dynamic}"
