"""`cfn submit --dry-run` builds a type's handler package with no Docker: the share core is in it, built for the
Lambda's python3.12, and nothing of the project's tests or test bed is."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CFN_PYTHON = ROOT / ".venv-cfn" / "bin" / "python"
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
def package(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    if not CFN_PYTHON.exists():
        pytest.skip("the CloudFormation CLI's venv is made by make test")
    output = tmp_path_factory.mktemp("registry")
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "registry" / "package.py"),
            "--cfn",
            str(CFN_PYTHON),
            "--output",
            str(output),
            "LensShare",
        ],
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return zipfile.ZipFile(output / "lens-share.zip")


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
