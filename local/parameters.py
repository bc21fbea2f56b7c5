"""Parameter values as CloudFormation takes them: the override, the stack's previous value or the default, then
every constraint it checks before a resource is touched, in CloudFormation's words.

cfn-lint checks a template's own defaults against nothing at deploy time (it never sees the values given), so these
checks are ours. AllowedPattern is a Java regular expression matched against the whole value; the few Java
forms Python's `re` refuses are translated first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from local.errors import TemplateError


class ParameterError(TemplateError):
    """A value CloudFormation refuses; the message is CloudFormation's sentence."""


# The shapes of AWS-specific parameter types whose values can be checked without the account: AWS also checks
# that the resource exists, which a local account cannot.
AWS_TYPE_PATTERNS = {
    "AWS::EC2::AvailabilityZone::Name": r"[a-z]{2}(-[a-z]+)+-\d[a-z]",
    "AWS::EC2::Image::Id": r"ami-[0-9a-f]{8,17}",
    "AWS::EC2::Instance::Id": r"i-[0-9a-f]{8,17}",
    "AWS::EC2::KeyPair::KeyName": r".{1,255}",
    "AWS::EC2::SecurityGroup::GroupName": r".{1,255}",
    "AWS::EC2::SecurityGroup::Id": r"sg-[0-9a-f]{8,17}",
    "AWS::EC2::Subnet::Id": r"subnet-[0-9a-f]{8,17}",
    "AWS::EC2::Volume::Id": r"vol-[0-9a-f]{8,17}",
    "AWS::EC2::VPC::Id": r"vpc-[0-9a-f]{8,17}",
    "AWS::Route53::HostedZone::Id": r"Z[0-9A-Z]{1,32}",
}
_PLAIN_TYPES = ("String", "Number", "CommaDelimitedList", "List<Number>")
_CLASS_ESCAPE = re.compile(r"\\[wdsWDS]")


def is_list(spec: Mapping[str, Any]) -> bool:
    kind = str(spec.get("Type", "String"))
    return kind == "CommaDelimitedList" or kind.startswith("List<")


def typed(spec: Mapping[str, Any], value: str) -> Any:
    """The value templates see: a list for list types, the string otherwise."""
    if is_list(spec):
        return [item.strip() for item in value.split(",")] if value else []
    return value


def scalar(value: Any) -> str:
    """A default or allowed value as the string CloudFormation compares."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(scalar(item) for item in value)
    return str(value)


def parameter_strings(
    declared: Mapping[str, Any], overrides: Mapping[str, str], previous: Mapping[str, str]
) -> dict[str, str]:
    """Each parameter's value: the override, else the stack's previous value, else the default; then its checks."""
    unknown = [name for name in overrides if name not in declared]
    if unknown:
        raise ParameterError(f"Parameters: [{', '.join(unknown)}] do not exist in the template")
    values: dict[str, str] = {}
    missing: list[str] = []
    for name, spec in declared.items():
        if name in overrides:
            values[name] = overrides[name]
        elif name in previous:
            values[name] = previous[name]
        elif "Default" in spec:
            values[name] = scalar(spec["Default"])
        else:
            missing.append(name)
    if missing:
        raise ParameterError(f"Parameters: [{', '.join(missing)}] must have values")
    for name, value in values.items():
        check(name, declared[name], value)
    return values


def check(name: str, spec: Mapping[str, Any], value: str) -> None:
    """Refuse `value` as CloudFormation would; one item at a time for list types."""
    kind = str(spec.get("Type", "String"))
    element = kind[5:-1] if kind.startswith("List<") else kind
    # Systems Manager is not emulated: an AWS::SSM::Parameter::* value is taken as given (the parameter's name)
    known = element in _PLAIN_TYPES or element in AWS_TYPE_PATTERNS or kind.startswith("AWS::SSM::Parameter::")
    if not known:
        raise ParameterError(f"Parameter '{name}': type {kind} is not supported")
    failed = " ".join(str(spec["ConstraintDescription"]).split()) if "ConstraintDescription" in spec else None
    for item in typed(spec, value) if is_list(spec) else [value]:
        problem = _problem(name, spec, element, item)
        if problem is not None:
            raise ParameterError(f"Parameter '{name}' failed to satisfy constraint: {failed}" if failed else problem)


def _problem(name: str, spec: Mapping[str, Any], element: str, item: str) -> str | None:
    return next(_problems(name, spec, element, item), None)


def _problems(name: str, spec: Mapping[str, Any], element: str, item: str) -> Iterator[str]:
    """What is wrong with one value, in the order CloudFormation checks."""
    allowed = [scalar(value) for value in spec.get("AllowedValues", [])]
    if allowed and item not in allowed:
        yield f"Parameter '{name}' must be one of AllowedValues"
    if element in AWS_TYPE_PATTERNS and not re.fullmatch(AWS_TYPE_PATTERNS[element], item):
        yield f"Parameter value {item} for parameter name {name} is not a valid {element}"
    if "AllowedPattern" in spec and not re.fullmatch(python_pattern(str(spec["AllowedPattern"])), item):
        yield f"Parameter '{name}' must match pattern {spec['AllowedPattern']}"
    if "MinLength" in spec and len(item) < int(spec["MinLength"]):
        yield f"Parameter '{name}' must contain at least {spec['MinLength']} characters"
    if "MaxLength" in spec and len(item) > int(spec["MaxLength"]):
        yield f"Parameter '{name}' must contain at most {spec['MaxLength']} characters"
    if element != "Number":
        return
    try:
        number = float(item)
    except ValueError:
        yield f"Parameter '{name}' must be a number"
        return
    if "MinValue" in spec and number < float(spec["MinValue"]):
        yield f"Parameter '{name}' must be a number not less than {spec['MinValue']}"
    if "MaxValue" in spec and number > float(spec["MaxValue"]):
        yield f"Parameter '{name}' must be a number not greater than {spec['MaxValue']}"


def python_pattern(pattern: str) -> str:
    """A Java pattern as Python's `re` reads it: in a character class, a `-` beside a class escape such as `\\w`
    is a literal (Java), where Python refuses the range."""
    try:
        re.compile(pattern)
    except re.error:
        pass
    else:
        return pattern
    out: list[str] = []
    in_class, index = False, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        elif char == "-" and in_class:
            before = "".join(out[-1:])
            after = pattern[index + 1 : index + 3]
            if _CLASS_ESCAPE.fullmatch(before) or _CLASS_ESCAPE.fullmatch(after):
                char = r"\-"
        out.append(char)
        index += 1
    translated = "".join(out)
    try:
        re.compile(translated)
    except re.error as error:
        raise ParameterError(f"AllowedPattern {pattern} cannot be read locally: {error}") from None
    return translated
