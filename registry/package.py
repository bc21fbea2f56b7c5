"""Each registry type's handler package, as `cfn submit --dry-run` builds it with no Docker: the share core goes in
as a wheel built here from functions/provider/lens_share and registry/lens_share_types, and pip is told the
Lambda's platform, so that no host-built binary lands in a python3.12 package. The types' other requirements are
fetched once, by make install (--fetch), into a wheelhouse that packaging then reads alone: no registry is reached.

    python registry/package.py [--cfn .venv-cfn/bin/python] [--source registry] [--output build/registry]
    python registry/package.py --fetch [--cfn .venv-cfn/bin/python]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

REGISTRY = Path(__file__).resolve().parent
ROOT = REGISTRY.parent
sys.path[:0] = [str(REGISTRY), str(ROOT / "functions" / "provider")]

from lens_share import __version__  # noqa: E402
from lens_share_types.kinds import BY_NAME, TYPES  # noqa: E402

WHEEL_NAME = "lens_share_core"
# The packages the wheel carries: the provider's core, and the handlers every type binds.
PACKAGES = (ROOT / "functions" / "provider" / "lens_share", REGISTRY / "lens_share_types")
# What pip builds for: the handlers' Lambda runtime, whatever the host runs.
PIP_TARGET = {"PIP_PYTHON_VERSION": "3.12", "PIP_PLATFORM": "manylinux2014_x86_64", "PIP_ONLY_BINARY": ":all:"}
BUILD_TIMEOUT_S = 300
# The wheels of every requirement but the core, beside the CloudFormation CLI that installs them.
FETCHED = ROOT / ".venv-cfn" / "wheels"


def _sources() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix in {".py", ".json"}:
                yield f"{package.name}/{path.relative_to(package).as_posix()}", path


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_wheel(directory: Path) -> Path:
    """A pure-Python wheel of the core: what pip installs into every type's package."""
    directory.mkdir(parents=True, exist_ok=True)
    wheel = directory / f"{WHEEL_NAME}-{__version__}-py3-none-any.whl"
    info = f"{WHEEL_NAME}-{__version__}.dist-info"
    metadata = {
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {WHEEL_NAME}\nVersion: {__version__}\n",
        f"{info}/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: registry/package.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ),
    }
    records = []
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in _sources():
            data = path.read_bytes()
            archive.writestr(name, data)
            records.append(_record_line(name, data))
        for name, text in metadata.items():
            archive.writestr(name, text)
            records.append(_record_line(name, text.encode()))
        archive.writestr(f"{info}/RECORD", "\n".join([*records, f"{info}/RECORD,,"]) + "\n")
    return wheel


def third_party(folder: Path) -> list[str]:
    """A type's requirements without the core's: those lines name the wheel package() builds."""
    lines = (folder / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith(("-r", "#"))]


def fetch(source: Path, cfn_python: Path, wheelhouse: Path) -> None:
    """Every wheel the types require besides the core, for the Lambda's platform: the one step that needs a registry."""
    requirements = sorted({line for share_type in TYPES for line in third_party(source / share_type.folder)})
    subprocess.run(  # noqa: S603 - our own interpreter's pip
        [str(cfn_python), "-m", "pip", "download", "--quiet", "--dest", str(wheelhouse), *requirements],
        env={**os.environ, **PIP_TARGET},
        check=True,
        capture_output=True,
        timeout=BUILD_TIMEOUT_S,
    )


def submit_dry_run(folder: Path, cfn_python: Path, wheelhouses: list[Path], output: Path) -> Path:
    """`cfn submit --dry-run` in a type's folder, its pip reading only the wheelhouses; the zip it leaves there is
    moved to output."""
    environment = {
        **os.environ,
        **PIP_TARGET,
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": " ".join(str(wheelhouse) for wheelhouse in wheelhouses),
        "PATH": f"{cfn_python.parent}{os.pathsep}{os.environ['PATH']}",
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and the CLI it has installed
        [str(cfn_python.parent / "cfn"), "submit", "--dry-run"],
        cwd=folder,
        env=environment,
        check=False,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
    )
    if done.returncode != 0:
        raise SystemExit(f"cfn submit --dry-run failed in {folder}:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    [made] = folder.glob("*.zip")
    output.mkdir(parents=True, exist_ok=True)
    target = output / f"{folder.name}.zip"
    shutil.move(made, target)
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cfn", type=Path, default=ROOT / ".venv-cfn" / "bin" / "python", help="the CLI's Python")
    parser.add_argument("--source", type=Path, default=REGISTRY, help="where the types' folders are")
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "registry")
    parser.add_argument("--wheels", type=Path, default=FETCHED, help="the wheelhouse --fetch fills")
    parser.add_argument("--fetch", action="store_true", help="fill the wheelhouse, and package nothing")
    parser.add_argument("types", nargs="*", choices=[[], *BY_NAME], default=[])
    arguments = parser.parse_args(argv)
    if arguments.fetch:
        fetch(arguments.source.resolve(), arguments.cfn.absolute(), arguments.wheels.resolve())
        return
    for path in package(
        arguments.source.resolve(),
        arguments.cfn.absolute(),
        arguments.output.resolve(),
        arguments.types,
        arguments.wheels.resolve(),
    ):
        print(path)


def package(source: Path, cfn_python: Path, output: Path, names: list[str], fetched: Path = FETCHED) -> list[Path]:
    """The zip of each type named (every type when none is), in output, from the fetched wheels and the core's.
    Each type's folder is copied to a staging directory first: `cfn submit` writes its build beside the
    sources, and a linter reading the source tree meanwhile would read that build too."""
    if not fetched.is_dir():
        raise SystemExit(f"no wheelhouse at {fetched}: make install fetches it (registry/package.py --fetch)")
    wheelhouse = output / "wheels"
    wheel = build_wheel(wheelhouse)
    chosen = [BY_NAME[name] for name in names] or list(TYPES)
    with tempfile.TemporaryDirectory(prefix="registry-package-") as staging:
        staged = Path(staging)
        # Each type's requirements.txt reads ../build/core-requirements.txt: the wheel just built.
        (staged / "build").mkdir()
        (staged / "build" / "core-requirements.txt").write_text(f"{wheel}\n", encoding="utf-8")
        leftovers = shutil.ignore_patterns("build", "*.zip", "rpdk.log")
        for share_type in chosen:
            shutil.copytree(source / share_type.folder, staged / share_type.folder, ignore=leftovers)
        return [
            submit_dry_run(staged / share_type.folder, cfn_python, [wheelhouse, fetched], output)
            for share_type in chosen
        ]


if __name__ == "__main__":
    main()
