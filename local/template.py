"""A template as CloudFormation reads it once cfn-lint passed it (local.preflight): decoded, its parameters
checked, transformed, its conditions evaluated, its resources put in dependency order, and its intrinsic
functions resolved.

cfn-lint decodes YAML (short-form tags) and JSON, expands `Fn::ForEach` (AWS::LanguageExtensions, fed the
stack's parameter values as defaults) and gives the dependency graph; aws-sam-translator expands
AWS::Serverless-2016-10-31 offline. What this module adds itself: conditions, mappings checked with the stack's
values, `Fn::Length`, `Fn::ToJsonString` and the resolution of every intrinsic function against the stack's
resources, which neither tool does.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

import boto3
from cfnlint.decode import decode
from cfnlint.template import Template as LintTemplate
from cfnlint.template.transforms._language_extensions import language_extension
from samtranslator.metrics.metrics import DummyMetricsPublisher, Metrics
from samtranslator.model.exceptions import InvalidDocumentException
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator
from samtranslator.utils.py27hash_fix import to_py27_compatible_template, undo_mark_unicode_str_in_template

from local import assets
from local.errors import ResolveError, TemplateError
from local.parameters import parameter_strings, scalar, typed

LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"
SERVERLESS = "AWS::Serverless-2016-10-31"
# The Serverless Application Repository applications a local AWS::Serverless::Application can name, by name
SERVERLESS_APPLICATIONS = {"lens-share-provider": Path(__file__).resolve().parent.parent / "template.yaml"}
PROVIDER_PACKAGE = Path(__file__).resolve().parent.parent / "functions" / "provider" / "lens_share" / "__init__.py"
_VERSION = re.compile(r"""^__version__ = ["']([^"']+)["']""", re.MULTILINE)
_HIDDEN_FIND_IN_MAP = "Local::FindInMap"
_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")
# SAM refuses a local CodeUri; it is swapped for this placeholder and put back after the transform.
_LOCAL_CODE_BUCKET = "local-code"


class MappingError(ResolveError):
    """A Fn::FindInMap that finds nothing and has no DefaultValue."""


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = _NoValue()
NO_VALUE_REF = {"Ref": "AWS::NoValue"}


@dataclass
class Template:
    """A processed template: plain dicts, transforms applied, resources and outputs of false conditions gone."""

    path: Path
    resources: dict[str, dict[str, Any]]
    outputs: dict[str, dict[str, Any]]
    parameters: dict[str, Any]  # typed values: a list for list types
    parameter_strings: dict[str, str]  # as given, for the next deployment's previous values
    conditions: dict[str, bool]
    mappings: dict[str, Any]
    code_dirs: dict[str, Path] = field(default_factory=dict)  # local function code by logical ID
    dependencies: dict[str, set[str]] = field(default_factory=dict)

    def order(self) -> list[str]:
        """Logical IDs, each after everything it depends on."""
        return topological_order(self.dependencies)


@dataclass(frozen=True)
class Transformed:
    """A template after its transforms and before its conditions remove anything: what cfn-lint and a review of
    its IAM roles read, and what read() deploys from."""

    body: dict[str, Any]
    parameter_strings: dict[str, str]
    parameters: dict[str, Any]
    conditions: dict[str, bool]
    code_dirs: dict[str, Path]


def transform(
    path: Path, overrides: Mapping[str, str], pseudo: Mapping[str, Any], previous: Mapping[str, str] | None = None
) -> Transformed:
    """The template's transforms run for these parameter values (the SAM transform offline, with the local code
    of its functions noted); TemplateError says what is wrong."""
    raw = decoded(path)
    declared = raw.get("Parameters") or {}
    strings = parameter_strings(declared, overrides, previous or {})
    values = {name: typed(declared[name], value) for name, value in strings.items()}
    transforms = raw.get("Transform") or []
    transforms = [transforms] if isinstance(transforms, str) else list(transforms)
    # cfn-lint accepts any macro name (it cannot know the account's macros); the local cloud runs none
    unknown = [str(name) for name in transforms if name not in (LANGUAGE_EXTENSIONS, SERVERLESS)]
    if unknown:
        raise TemplateError(f"{path}: Transform {', '.join(unknown)} is not available locally (macros are not run)")
    code_dirs: dict[str, Path] = {}
    if LANGUAGE_EXTENSIONS in transforms:
        raw = _language_extensions(
            path,
            _without_empty_loops(raw, values),
            strings,
            Context(values, dict(pseudo), {}, raw.get("Mappings") or {}),
        )
    body: dict[str, Any] = json.loads(json.dumps(raw))
    if SERVERLESS in transforms:
        body, code_dirs = _serverless(path, body, strings, pseudo)
    body.pop("Transform", None)
    return Transformed(body, strings, values, conditions(body, values, pseudo), code_dirs)


def read(path: Path, overrides: Mapping[str, str], previous: Mapping[str, str], pseudo: Mapping[str, Any]) -> Template:
    """Everything CloudFormation checks before the first resource is touched; TemplateError says what is wrong."""
    done = transform(path, overrides, pseudo, previous)
    body, truth, code_dirs = done.body, done.conditions, dict(done.code_dirs)
    for logical_id, resource in (body.get("Resources") or {}).items():
        if resource.get("Type") == "AWS::Lambda::Function" and logical_id not in code_dirs:
            local = _local_code(path, resource)
            if local is not None:
                code_dirs[logical_id] = local
    resources = {
        logical_id: resource
        for logical_id, resource in (body.get("Resources") or {}).items()
        if truth.get(resource.get("Condition", ""), True)
    }
    outputs = {
        name: output
        for name, output in (body.get("Outputs") or {}).items()
        if truth.get(output.get("Condition", ""), True)
    }
    template = Template(
        path,
        resources,
        outputs,
        done.parameters,
        done.parameter_strings,
        truth,
        body.get("Mappings") or {},
        code_dirs=code_dirs,
    )
    template.dependencies = _dependencies(body, template, str(pseudo["AWS::Region"]))
    _check_mappings(template, pseudo)
    template.order()  # a circular dependency is refused here, before anything runs
    return template


# --- decoding and transforms ---------------------------------------------------------------------------------


def decoded(path: Path) -> dict[str, Any]:
    """The template file as plain JSON values, short forms (!Sub, !If...) read as their long forms."""
    if not path.is_file():
        raise TemplateError(f"{path}: no such template file")
    decoded, matches = decode(str(path))
    if matches:
        first = matches[0]
        raise TemplateError(f"{path}:{first.linenumber}:{first.columnnumber}: {' '.join(first.message.split())}")
    if not isinstance(decoded, dict) or not isinstance(decoded.get("Resources"), dict) or not decoded["Resources"]:
        raise TemplateError(f"{path}: Template format error: At least one Resources member must be defined")
    # YAML reads an unquoted 2010-09-09 as a date; CloudFormation reads it as the string
    plain: dict[str, Any] = json.loads(json.dumps(decoded, default=_as_text))
    return plain


def _as_text(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"Template format error: {type(value).__name__} values are not supported")


def _without_empty_loops(node: Any, values: Mapping[str, Any]) -> Any:
    """Fn::ForEach over an empty list makes nothing; cfn-lint would loop over made-up values instead."""
    if isinstance(node, dict):
        for key in [key for key in node if str(key).startswith("Fn::ForEach::")]:
            collection = node[key][1] if isinstance(node[key], list) and len(node[key]) == 3 else None
            if isinstance(collection, dict) and values.get(str(collection.get("Ref"))) == []:
                del node[key]
        for value in node.values():
            _without_empty_loops(value, values)
    elif isinstance(node, list):
        for item in node:
            _without_empty_loops(item, values)
    return node


def _language_extensions(
    path: Path, raw: dict[str, Any], strings: Mapping[str, str], context: Context
) -> dict[str, Any]:
    """cfn-lint expands Fn::ForEach over a parameter from its Default: give it the stack's own values."""
    for name, value in strings.items():
        raw["Parameters"][name]["Default"] = value
    # cfn-lint resolves Fn::FindInMap with guessed pseudo parameters: a loop's collection is resolved here with the
    # stack's values, and every other Fn::FindInMap is hidden from it and resolved later
    raw = _hide_find_in_map(_collections_resolved(raw, context))
    matches, transformed = language_extension(LintTemplate(str(path), raw, [context.pseudo["AWS::Region"]]))
    if matches or transformed is None:
        message = matches[0].message if matches else "the AWS::LanguageExtensions transform failed"
        line = f":{matches[0].linenumber}" if matches else ""
        raise TemplateError(f"{path}{line}: {message}")
    result: dict[str, Any] = _renamed(transformed, _HIDDEN_FIND_IN_MAP, "Fn::FindInMap")
    return result


def _collections_resolved(node: Any, context: Context) -> Any:
    """Each Fn::ForEach whose collection is a Fn::FindInMap of known keys gets the list it finds; one that names
    an outer loop's identifier is left to cfn-lint, which substitutes the identifier first."""
    if isinstance(node, list):
        return [_collections_resolved(item, context) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, child in node.items():
        loop = _collections_resolved(child, context)
        if str(key).startswith("Fn::ForEach::") and isinstance(loop, list) and len(loop) == 3:
            collection = loop[1]
            if isinstance(collection, dict) and list(collection) == ["Fn::FindInMap"]:
                with contextlib.suppress(ResolveError, LookupError, TypeError, ValueError):
                    loop = [loop[0], context.resolve(collection, f"Resources.{key}"), loop[2]]
        result[key] = loop
    return result


def _hide_find_in_map(node: Any, collection: bool = False) -> Any:
    if isinstance(node, list):
        return [_hide_find_in_map(item, collection and index == 1) for index, item in enumerate(node)]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        hidden = _HIDDEN_FIND_IN_MAP if key == "Fn::FindInMap" and not collection else key
        result[hidden] = _hide_find_in_map(value, str(key).startswith("Fn::ForEach::"))
    return result


def _renamed(node: Any, old: str, new: str) -> Any:
    if isinstance(node, dict):
        return {(new if key == old else key): _renamed(value, old, new) for key, value in node.items()}
    if isinstance(node, list):
        return [_renamed(item, old, new) for item in node]
    return node


def _serverless(
    path: Path, body: dict[str, Any], strings: Mapping[str, str], pseudo: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Path]]:
    """SAM's own translator, offline: the Region from the stack, no managed policy names looked up in IAM."""
    code_dirs: dict[str, Path] = {}
    _local_applications(path, body, strings)
    global_code = ((body.get("Globals") or {}).get("Function") or {}).get("CodeUri")
    for logical_id, resource in body["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        properties = resource.setdefault("Properties", {})
        code_uri = properties.get("CodeUri", global_code)
        if isinstance(code_uri, str) and not code_uri.startswith("s3://"):
            code_dirs[logical_id] = (path.parent / code_uri).resolve()
            properties["CodeUri"] = f"s3://{_LOCAL_CODE_BUCKET}/{logical_id}.zip"
    values: dict[str, Any] = {**strings, **{k: v for k, v in pseudo.items() if isinstance(v, str)}}
    to_py27_compatible_template(body, values)
    metrics = Metrics("ServerlessTransform", DummyMetricsPublisher())
    translator = Translator(None, Parser(), boto_session=_session(pseudo["AWS::Region"]), metrics=metrics)
    try:
        transformed = translator.translate(body, parameter_values=values, get_managed_policy_map=dict)
    except InvalidDocumentException as error:
        reasons = " ".join(str(getattr(cause, "message", cause)) for cause in error.causes)
        text = " ".join(f"{error.message} {reasons}".split())
        raise TemplateError(f"{path}: Transform {SERVERLESS} failed with: {text}") from None
    finally:
        metrics.publish()  # to nowhere: unpublished metrics would print a warning at exit
    return json.loads(json.dumps(undo_mark_unicode_str_in_template(transformed))), code_dirs


@cache
def _session(region: str) -> boto3.session.Session:
    """The translator reads only its session's Region: one session a Region, rather than 6 ms of CPU a template."""
    return boto3.session.Session(region_name=region)


def _local_applications(path: Path, body: dict[str, Any], strings: Mapping[str, str]) -> None:
    """An AWS::Serverless::Application from the Serverless Application Repository, which has no local stand-in,
    is this project's own template when the application is lens-share-provider; any other is refused."""
    for logical_id, resource in body["Resources"].items():
        location = (resource.get("Properties") or {}).get("Location")
        if resource.get("Type") != "AWS::Serverless::Application" or not isinstance(location, dict):
            continue
        application = location.get("ApplicationId")
        if isinstance(application, dict) and set(application) == {"Ref"}:
            application = strings.get(str(application["Ref"]), application)
        name = application.rsplit("/", 1)[-1] if isinstance(application, str) else None
        if name not in SERVERLESS_APPLICATIONS:
            shown = json.dumps(application)
            raise TemplateError(
                f"{path}: Resources.{logical_id}.Properties.Location: ApplicationId {shown} is not an application "
                f"available locally ({', '.join(SERVERLESS_APPLICATIONS)}); give Location a local template path"
            )
        version = location.get("SemanticVersion")
        if version is not None and str(version) != provider_version():
            raise TemplateError(
                f"{path}: Resources.{logical_id}.Properties.Location: SemanticVersion {version} of {name} is not "
                f"available locally: the local Serverless Application Repository holds {provider_version()} only"
            )
        resource["Properties"]["Location"] = str(SERVERLESS_APPLICATIONS[name])


def provider_version() -> str:
    """The version the local lens-share-provider application deploys: the provider's __version__, read from its
    source (not imported: the provider's modules are not the local cloud's to load)."""
    found = _VERSION.search(PROVIDER_PACKAGE.read_text(encoding="utf-8"))
    return found.group(1) if found else "unknown"


def _local_code(path: Path, resource: dict[str, Any]) -> Path | None:
    """Local code of an AWS::Lambda::Function: a path as `package` takes it, or a CDK asset (cdk synth), named by
    the resource's asset metadata or found through the stack's asset manifest."""
    code = (resource.get("Properties") or {}).get("Code")
    asset = (resource.get("Metadata") or {}).get("aws:asset:path")
    if isinstance(asset, str):
        return (path.parent / asset).resolve()
    if isinstance(code, str):
        return (path.parent / code).resolve()
    return assets.code_directory(path, code)


# --- conditions, references and order -----------------------------------------------------------------------


def conditions(body: Mapping[str, Any], values: Mapping[str, Any], pseudo: Mapping[str, Any]) -> dict[str, bool]:
    """Each declared condition's truth for these parameter values."""
    declared: dict[str, Any] = body.get("Conditions") or {}
    results: dict[str, bool] = {}
    context = Context(dict(values), dict(pseudo), results, body.get("Mappings") or {})

    def evaluate(name: str, seen: tuple[str, ...]) -> bool:
        if name in results:
            return results[name]
        if name in seen:
            raise TemplateError(f"Conditions.{name}: circular condition {' -> '.join([*seen, name])}")
        if name not in declared:
            raise TemplateError(f"Conditions: condition '{name}' is not declared")
        for other in _condition_names(declared[name]):
            evaluate(other, (*seen, name))
        results[name] = bool(context.resolve(declared[name], f"Conditions.{name}"))
        return results[name]

    for name in declared:
        evaluate(name, ())
    return results


def _condition_names(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Condition" and isinstance(value, str):
                yield value
            else:
                yield from _condition_names(value)
    elif isinstance(node, list):
        for item in node:
            yield from _condition_names(item)


def _dependencies(body: dict[str, Any], template: Template, region: str) -> dict[str, set[str]]:
    """The resources' dependency graph, from cfn-lint's (Ref, Fn::GetAtt, Fn::Sub, DependsOn), without the
    resources a false condition removed and the references in a Fn::If branch not taken."""
    deployed = {**body, "Resources": chosen_branches(template.resources, template.conditions)}
    graph = LintTemplate(str(template.path), deployed, [region]).graph.graph
    dependencies: dict[str, set[str]] = {logical_id: set() for logical_id in template.resources}
    for source, target in graph.edges():
        if source in dependencies and target in dependencies:
            dependencies[source].add(target)
    return dependencies


def chosen_branches(node: Any, truth: Mapping[str, bool]) -> Any:
    """What CloudFormation deploys of a node: each Fn::If replaced by the branch its condition takes and
    AWS::NoValue dropped; every other function is left as written, for deploy time."""
    if isinstance(node, dict):
        if set(node) == {"Fn::If"} and isinstance(node["Fn::If"], list) and len(node["Fn::If"]) == 3:
            name, when_true, when_false = node["Fn::If"]
            return chosen_branches(when_true if truth.get(name) else when_false, truth)
        kept = {key: chosen_branches(value, truth) for key, value in node.items()}
        return {key: value for key, value in kept.items() if value != NO_VALUE_REF}
    if isinstance(node, list):
        items = [chosen_branches(item, truth) for item in node]
        return [item for item in items if item != NO_VALUE_REF]
    return node


def _check_mappings(template: Template, pseudo: Mapping[str, Any]) -> None:
    """Every Fn::FindInMap whose keys are known before the stack runs finds its value, as CloudFormation checks
    when it validates the template. cfn-lint has no error for a missing mapping in every position (not in a
    property it resolves as a string), so this check is ours."""
    context = Context(template.parameters, dict(pseudo), template.conditions, template.mappings)

    def visit(node: Any, where: str) -> None:
        if isinstance(node, list):
            for index, item in enumerate(node):
                visit(item, f"{where}[{index}]")
        elif isinstance(node, dict):
            if list(node) == ["Fn::FindInMap"]:
                try:
                    context.resolve(node, where)
                except MappingError as error:
                    raise TemplateError(f"{template.path}: {error}") from None
                except (ResolveError, LookupError, TypeError, ValueError):
                    return  # keys known only once resources exist
            for key, value in node.items():
                visit(value, f"{where}.{key}")

    for logical_id, resource in template.resources.items():
        visit(resource.get("Properties") or {}, f"Resources.{logical_id}.Properties")
    for name, output in template.outputs.items():
        visit(output, f"Outputs.{name}")


def topological_order(dependencies: Mapping[str, set[str]]) -> list[str]:
    """Every resource after those it needs, each rank in name order; a cycle is refused as CloudFormation does."""
    sorter = TopologicalSorter({name: set(needs) & set(dependencies) for name, needs in dependencies.items()})
    try:
        sorter.prepare()
    except CycleError as error:
        cycle = sorted(set(error.args[1]))
        raise TemplateError(f"Circular dependency between resources: [{', '.join(cycle)}]") from None
    order: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        order += ready
        sorter.done(*ready)
    return order


# --- intrinsic functions ------------------------------------------------------------------------------------


def _unavailable(what: str) -> Any:
    raise ResolveError(f"{what} cannot be resolved here")


@dataclass
class Context:
    """What resolution looks values up in; `ref`, `get_att` and `import_value` answer for the running stack."""

    parameters: dict[str, Any]
    pseudo: dict[str, Any]
    conditions: dict[str, bool]
    mappings: dict[str, Any]
    ref: Callable[[str], Any] = _unavailable
    get_att: Callable[[str, str], Any] = lambda name, attribute: _unavailable(f"{name}.{attribute}")
    import_value: Callable[[str], Any] = lambda name: _unavailable(f"export {name}")

    def resolve(self, node: Any, where: str) -> Any:
        """The node's value; AWS::NoValue leaves the key or list item out."""
        if isinstance(node, list):
            items = [self.resolve(item, where) for item in node]
            return [item for item in items if item is not NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            ((function, argument),) = node.items()
            handler = _FUNCTIONS.get(function)
            if handler is not None:
                try:
                    return handler(self, argument, where)
                except ResolveError:
                    raise
                # cfn-lint refuses malformed arguments first; whatever still slips through fails in one line
                except (LookupError, TypeError, ValueError, AttributeError) as error:
                    raise ResolveError(f"{where}: Template error: {function} cannot be resolved: {error!r}") from None
        values = {key: self.resolve(value, f"{where}.{key}") for key, value in node.items()}
        return {key: value for key, value in values.items() if value is not NO_VALUE}

    def lookup(self, name: str) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        return self.ref(name)


def _ref(context: Context, argument: Any, where: str) -> Any:
    return context.lookup(str(context.resolve(argument, where)))


def _get_att(context: Context, argument: Any, where: str) -> Any:
    if isinstance(argument, str):
        name, attribute = argument.split(".", 1)
    else:
        name, attribute = argument[0], str(context.resolve(argument[1], where))
    return context.get_att(name, attribute)


def _sub(context: Context, argument: Any, where: str) -> str:
    text, variables = (argument, {}) if isinstance(argument, str) else (argument[0], argument[1])
    values = {key: context.resolve(value, where) for key, value in variables.items()}

    def value_of(match: re.Match[str]) -> str:
        variable = match.group(1)
        if variable.startswith("!"):
            return "${" + variable[1:] + "}"
        if variable in values:
            return scalar(values[variable])
        name, _, attribute = variable.partition(".")
        return scalar(context.get_att(name, attribute) if attribute else context.lookup(name))

    return _SUB_VARIABLE.sub(value_of, text)


def _join(context: Context, argument: Any, where: str) -> str:
    delimiter, items = argument
    return str(delimiter).join(scalar(item) for item in context.resolve(items, where))


def _select(context: Context, argument: Any, where: str) -> Any:
    index, items = int(context.resolve(argument[0], where)), context.resolve(argument[1], where)
    if not 0 <= index < len(items):
        raise ResolveError(f"{where}: Fn::Select index {index} is out of range for {len(items)} items")
    return items[index]


def _split(context: Context, argument: Any, where: str) -> list[str]:
    delimiter, text = argument
    return str(context.resolve(text, where)).split(str(delimiter))


def _if(context: Context, argument: Any, where: str) -> Any:
    name, when_true, when_false = argument
    return context.resolve(when_true if context.conditions[name] else when_false, where)


def _equals(context: Context, argument: Any, where: str) -> bool:
    left, right = (scalar(context.resolve(item, where)) for item in argument)
    return left == right


def _find_in_map(context: Context, argument: Any, where: str) -> Any:
    keys = [str(context.resolve(item, where)) for item in argument[:3]]
    try:
        return copy.deepcopy(context.mappings[keys[0]][keys[1]][keys[2]])
    except KeyError:
        if len(argument) == 4:
            return context.resolve(argument[3]["DefaultValue"], where)
        raise MappingError(f"{where}: Template error: Unable to get mapping for {'::'.join(keys)}") from None


def _get_azs(context: Context, argument: Any, where: str) -> list[str]:
    region = str(context.resolve(argument, where) or context.pseudo["AWS::Region"])
    return [f"{region}{zone}" for zone in "abc"]


_FUNCTIONS: dict[str, Callable[[Context, Any, str], Any]] = {
    "Ref": _ref,
    "Fn::GetAtt": _get_att,
    "Fn::Sub": _sub,
    "Fn::Join": _join,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::If": _if,
    "Fn::Equals": _equals,
    "Fn::Not": lambda context, argument, where: not context.resolve(argument[0], where),
    "Fn::And": lambda context, argument, where: all(context.resolve(item, where) for item in argument),
    "Fn::Or": lambda context, argument, where: any(context.resolve(item, where) for item in argument),
    "Condition": lambda context, argument, where: context.conditions[argument],
    "Fn::FindInMap": _find_in_map,
    "Fn::GetAZs": _get_azs,
    "Fn::Base64": lambda context, argument, where: base64.b64encode(
        str(context.resolve(argument, where)).encode()
    ).decode(),
    "Fn::ImportValue": lambda context, argument, where: context.import_value(str(context.resolve(argument, where))),
    "Fn::Length": lambda context, argument, where: len(context.resolve(argument, where)),
    "Fn::ToJsonString": lambda context, argument, where: json.dumps(
        context.resolve(argument, where), separators=(",", ":")
    ),
}
