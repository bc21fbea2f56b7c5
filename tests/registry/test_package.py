"""`cfn submit --dry-run` builds a type's handler package with no Docker: the share core is in it, built for the
Lambda's python3.12, and nothing of the project's tests or test bed is."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.make_targets import ROOT, dry_run, made_later, make

CFN_PYTHON = ROOT / ".venv-cfn" / "bin" / "python"
PACKAGE = "build/test-package/lens-share.zip"
pytestmark = pytest.mark.long


@pytest.fixture(scope="module")
def python_312() -> str:
    """The handlers' runtime, as the Makefile finds it: pyenv picks it by PYENV_VERSION."""
    found = shutil.which("python3.12")
    if found is None:
        pytest.skip("needs python3.12, the handlers' runtime")
    done = subprocess.run(
        [found, "-c", "import sys; print(sys.executable)"],
        env={**os.environ, "PYENV_VERSION": "3.12"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("needs python3.12, the handlers' runtime")
    return done.stdout.strip()


@pytest.fixture(scope="module")
def package() -> zipfile.ZipFile:
    """The package as make builds it for these tests: again only when what goes into it has changed."""
    if not CFN_PYTHON.exists():
        pytest.skip("the CloudFormation CLI's venv is made by make test")
    done = make(PACKAGE, timeout_s=280)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return zipfile.ZipFile(ROOT / PACKAGE)


@pytest.mark.timeout(300)
def test_the_package_holds_the_core_and_no_tests(package: zipfile.ZipFile) -> None:
    inner = zipfile.ZipFile(io.BytesIO(package.read("ResourceProvider.zip")))
    names = inner.namelist()
    tops = {name.split("/")[0] for name in names}

    assert {"lens_share", "lens_share_types", "lensshareprovider_wellarchitected_lensshare"} <= tops
    assert "lens_share/kinds.py" in names
    assert "lens_share/schemas/custom-lensshare.json" in names
    assert not tops & {"tests", "emulator", "local", "benchmarks", "registry"}
    assert not any(name.startswith(("lens_share/tests", "lens_share_types/tests")) for name in names)
    binaries = [name for name in names if name.endswith(".so")]
    assert binaries, "charset_normalizer ships compiled modules: pip did build binaries"
    assert all("cpython-312-x86_64-linux-gnu" in name for name in binaries)
    assert "schema.json" in package.namelist()


@pytest.mark.timeout(300)
def test_the_entrypoint_imports_from_the_package_alone_on_python_312(
    package: zipfile.ZipFile, python_312: str, tmp_path: Path
) -> None:
    zipfile.ZipFile(io.BytesIO(package.read("ResourceProvider.zip"))).extractall(tmp_path)

    done = subprocess.run(
        [
            python_312,
            "-S",
            "-c",
            f"import sys; sys.path.insert(0, {str(tmp_path)!r}); "
            "import lensshareprovider_wellarchitected_lensshare.handlers as h; print(h.resource.type_name)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "LensShareProvider::WellArchitected::LensShare"


@pytest.mark.parametrize(
    "changed",
    [
        "registry/package.py",
        "Makefile",
        "registry/lens-share/lensshareprovider-wellarchitected-lensshare.json",
        "registry/lens-share/requirements.txt",
        "registry/lens-share/src/lensshareprovider_wellarchitected_lensshare/handlers.py",
        "registry/lens_share_types/handlers.py",
        "functions/provider/lens_share/rules.py",
        "functions/provider/lens_share/schemas/custom-lensshare.json",
        ".venv-cfn/bin/.installed",
        ".venv-cfn/wheels/.fetched",
    ],
)
def test_the_package_is_built_again_when_what_goes_into_it_changes(changed: str, tmp_path: Path) -> None:
    """Dry runs against a package dated in the future, -W naming the one file taken as changed."""
    built = made_later(tmp_path / "lens-share.zip")

    def builds(*more: str) -> bool:
        return "registry/package.py --cfn" in dry_run(str(built), f"TEST_PACKAGE={built}", *more)

    assert not builds()
    assert not builds("-WREADME.md", "-Wtests/registry/test_package.py", "-Wregistry/lens-share/rpdk.log")
    assert builds(f"-W{changed}")
