"""local.assets: a function's code found as `cdk deploy` finds it, through the manifest beside the template."""

from __future__ import annotations

import json
from pathlib import Path

from local import assets

KEY = "0f1e2d.zip"


def cdk_out(tmp_path: Path, packaging: str = "zip") -> Path:
    """A cdk.out with one stack whose file asset asset.0f1e2d is published as KEY."""
    (tmp_path / "asset.0f1e2d").mkdir()
    template = tmp_path / "Stack.template.json"
    template.write_text("{}", encoding="utf-8")
    destination = {"bucketName": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}", "objectKey": KEY}
    source = {"path": "asset.0f1e2d", "packaging": packaging}
    manifest = {"files": {"0f1e2d": {"source": source, "destinations": {"current": destination}}}}
    (tmp_path / "Stack.assets.json").write_text(json.dumps(manifest), encoding="utf-8")
    return template


def test_the_code_an_s3_key_names_is_the_asset_directory_the_manifest_gives(tmp_path: Path) -> None:
    template = cdk_out(tmp_path)

    found = assets.code_directory(template, {"S3Bucket": {"Fn::Sub": "cdk-${AWS::Region}"}, "S3Key": KEY})

    assert found == (tmp_path / "asset.0f1e2d").resolve()


def test_a_key_no_asset_has_or_a_template_without_a_manifest_finds_nothing(tmp_path: Path) -> None:
    template = cdk_out(tmp_path)

    assert assets.code_directory(template, {"S3Bucket": "b", "S3Key": "other.zip"}) is None
    assert assets.code_directory(template, {"ZipFile": "def handler(event, context): pass"}) is None
    assert assets.code_directory(tmp_path / "elsewhere.template.json", {"S3Key": KEY}) is None


def test_an_asset_that_is_a_file_is_no_code_directory(tmp_path: Path) -> None:
    template = cdk_out(tmp_path, packaging="file")

    assert assets.code_directory(template, {"S3Key": KEY}) is None
