"""AWS::Lambda::Function: code in a local directory, or Python inline code (ZipFile, or SAM's InlineCode), runs
in local processes (local.functions); Ref is the function's name and Fn::GetAtt Arn its ARN, as AWS gives them.

Inline code is written to the state directory as index.py, beside CloudFormation's cfnresponse module, as
Lambda lays it out. Inline code of another runtime is refused; code elsewhere (S3) is recorded only.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from local.records import Failed, Outcome, Request
from local.types.base import Host, generated_name
from local.types.recorded import RECORDED

CFNRESPONSE = Path(__file__).resolve().parent.parent / "cfnresponse.py"


def function_name(host: Host, logical_id: str, properties: Mapping[str, Any] | None = None) -> str:
    given = (properties or {}).get("FunctionName")
    if isinstance(given, str):
        return given
    current = host.resources.get(logical_id)
    if current is not None and current.resource_type == "AWS::Lambda::Function":
        return current.physical_id
    return generated_name(host, logical_id)


def function_arn(host: Host, name: str) -> str:
    return f"arn:aws:lambda:{host.region}:{host.account}:function:{name}"


def inline_code(properties: Mapping[str, Any]) -> str | None:
    code = properties.get("Code")
    zip_file = code.get("ZipFile") if isinstance(code, Mapping) else None
    return zip_file if isinstance(zip_file, str) else None


def runs_locally(logical_id: str, resource: Mapping[str, Any], code_dirs: Mapping[str, Path]) -> bool:
    """Whether the template's function runs here: local code, or inline code of a Python runtime."""
    properties = resource.get("Properties") or {}
    python = str(properties.get("Runtime", "")).startswith("python")
    return logical_id in code_dirs or (inline_code(properties) is not None and python)


class Function:
    type_names = ("AWS::Lambda::Function",)

    def act(self, request: Request, host: Host) -> Outcome:
        name = function_name(host, request.logical_id, request.properties)
        if request.request_type == "Delete":
            host.cloud.remove_function(function_arn(host, request.physical_id or name))
            shutil.rmtree(host.cloud.state_dir / "code" / (request.physical_id or name), ignore_errors=True)
            return Outcome(True, request.physical_id or name)
        code_dir = self._code_dir(request, host, name)
        if code_dir is None:
            outcome = RECORDED.act(request, host)
            outcome.note = "Its code is not on this machine (Code is not a local path): recorded only, not run"
            return outcome
        properties = request.properties
        variables = ((properties.get("Environment") or {}).get("Variables")) or {}
        arn = function_arn(host, name)
        host.cloud.deploy_function(
            {
                "arn": arn,
                "name": name,
                "account": host.account,
                "region": host.region,
                "code_dir": str(code_dir),
                "handler": str(properties.get("Handler", "")),
                "variables": {str(key): str(value) for key, value in variables.items()},
                "timeout_s": float(properties.get("Timeout", 3)),
                "memory_mb": int(properties.get("MemorySize", 128)),
            }
        )
        return Outcome(True, name, {"Arn": arn})

    def _code_dir(self, request: Request, host: Host, name: str) -> Path | None:
        template = host.template
        local = template.code_dirs.get(request.logical_id) if template is not None else None
        if local is not None:
            if not local.is_dir():
                raise Failed(f"Code directory {local} does not exist")
            return local
        code = inline_code(request.properties)
        if code is None:
            return None
        runtime = str(request.properties.get("Runtime", ""))
        if not runtime.startswith("python"):
            raise Failed(f"Inline code of runtime {runtime or '(none)'} is not run locally: only Python is")
        folder = host.cloud.state_dir / "code" / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.py").write_text(code, encoding="utf-8")
        shutil.copyfile(CFNRESPONSE, folder / "cfnresponse.py")
        return folder


TYPE = Function()
