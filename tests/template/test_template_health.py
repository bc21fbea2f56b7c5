"""template.yaml's rollout health check: its own function, the schedule, its role, the alarm and its topic."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from lens_share import telemetry
from tests.template.harness import FUNCTION, HEALTH_FUNCTION, ROOT, TEMPLATE_PATH, Template, deployed, transformed

FUNCTION_ARN = {"Fn::GetAtt": [HEALTH_FUNCTION, "Arn"]}
HEALTH_RESOURCES = {
    "HealthCheckFunction",
    "HealthCheckSchedulerRole",
    "HealthCheck",
    "ShareProblemsTopic",
    "ShareProblemsAlarm",
}


def created(**overrides: str) -> dict[str, Any]:
    """The resources CloudFormation creates for these parameter values, each Fn::If resolved."""
    return deployed(transformed(TEMPLATE_PATH, **overrides))


def test_the_check_runs_daily_by_default_and_needs_no_input(template: Template) -> None:
    resources = created()
    schedule = resources["HealthCheck"]

    assert template["Parameters"]["HealthCheckSchedule"]["Default"] == "rate(1 day)"
    assert schedule["Type"] == "AWS::Scheduler::Schedule"
    assert schedule["Properties"]["ScheduleExpression"] == {"Ref": "HealthCheckSchedule"}
    target = schedule["Properties"]["Target"]
    assert target["Arn"] == FUNCTION_ARN
    assert target["RoleArn"] == {"Fn::GetAtt": ["HealthCheckSchedulerRole", "Arn"]}
    assert "Input" not in target  # the health check's function checks whatever it is sent
    assert set(resources) >= HEALTH_RESOURCES


def test_off_creates_no_schedule_and_no_role_for_it(template: Template) -> None:
    resources = created(HealthCheckSchedule="off")

    assert "HealthCheck" not in resources
    assert "HealthCheckSchedulerRole" not in resources
    # The function stays, to be invoked on demand.
    assert {"HealthCheckFunction", "ShareProblemsTopic", "ShareProblemsAlarm"} <= set(resources)


@pytest.mark.parametrize("value", ["off", "rate(1 day)", "rate(6 hours)", "cron(0 6 * * ? *)"])
def test_the_schedule_parameter_takes_off_or_a_scheduler_expression(template: Template, value: str) -> None:
    assert re.fullmatch(template["Parameters"]["HealthCheckSchedule"]["AllowedPattern"], value)


@pytest.mark.parametrize("value", ["", "Off", "daily", "1 day", "rate 1 day"])
def test_the_schedule_parameter_refuses_anything_else(template: Template, value: str) -> None:
    assert not re.fullmatch(template["Parameters"]["HealthCheckSchedule"]["AllowedPattern"], value)


def test_the_scheduler_role_may_only_invoke_the_function_for_this_account(template: Template) -> None:
    role = created()["HealthCheckSchedulerRole"]["Properties"]

    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "scheduler.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
        }
    ]
    [policy] = role["Policies"]
    assert policy["PolicyDocument"]["Statement"] == [
        {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": FUNCTION_ARN}
    ]
    assert "ManagedPolicyArns" not in role


def test_the_alarm_watches_the_total_the_check_emits_not_the_count_per_kind(
    template: Template, capsys: pytest.CaptureFixture[str]
) -> None:
    alarm = created()["ShareProblemsAlarm"]["Properties"]
    variables = template["Resources"][HEALTH_FUNCTION]["Properties"]["Environment"]["Variables"]
    capsys.readouterr()
    telemetry.record_share_problems(3, {"LENS": 1, "PROFILE": 0, "TEMPLATE": 0, "WORKLOAD": 2})
    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    [blob] = [each for each in blobs if "Kind" not in each]
    directive = blob["_aws"]["CloudWatchMetrics"][0]
    # CloudWatch tells metrics apart by their whole set of dimensions: the per-kind lines are other metrics.
    per_kind = {each["Kind"]: each["_aws"]["CloudWatchMetrics"][0]["Dimensions"] for each in blobs if "Kind" in each}
    assert per_kind == {kind: [["Kind", "service"]] for kind in ("LENS", "PROFILE", "TEMPLATE", "WORKLOAD")}
    assert value(blob) == 3

    assert [metric["Name"] for metric in directive["Metrics"]] == [alarm["MetricName"]] == ["ShareProblems"]
    assert directive["Namespace"] == alarm["Namespace"] == variables["POWERTOOLS_METRICS_NAMESPACE"]
    assert directive["Dimensions"] == [[dimension["Name"] for dimension in alarm["Dimensions"]]]
    assert alarm["Dimensions"] == [{"Name": "service", "Value": variables["POWERTOOLS_SERVICE_NAME"]}]
    assert blob["service"] == variables["POWERTOOLS_SERVICE_NAME"]
    assert (alarm["ComparisonOperator"], alarm["Threshold"], alarm["Statistic"]) == (
        "GreaterThanThreshold",
        0,
        "Maximum",
    )
    assert alarm["TreatMissingData"] == "ignore"
    assert alarm["AlarmActions"] == alarm["OKActions"] == [{"Ref": "ShareProblemsTopic"}]


def test_an_email_subscription_exists_only_with_alarm_email(template: Template) -> None:
    assert "ShareProblemsEmail" not in created()

    subscription = created(AlarmEmail="platform@example.com")["ShareProblemsEmail"]

    assert subscription["Type"] == "AWS::SNS::Subscription"
    assert subscription["Properties"] == {
        "TopicArn": {"Ref": "ShareProblemsTopic"},
        "Protocol": "email",
        "Endpoint": {"Ref": "AlarmEmail"},
    }
    pattern = template["Parameters"]["AlarmEmail"]["AllowedPattern"]
    assert re.fullmatch(pattern, "")
    assert re.fullmatch(pattern, "platform@example.com")
    assert not re.fullmatch(pattern, "platform")


def value(blob: dict[str, Any]) -> float:
    found = blob["ShareProblems"]
    return float(found[0] if isinstance(found, list) else found)


def test_the_check_has_its_own_function_from_the_provider_code(template: Template) -> None:
    provider = template["Resources"][FUNCTION]["Properties"]
    health = template["Resources"][HEALTH_FUNCTION]
    properties = health["Properties"]

    assert health["Type"] == "AWS::Serverless::Function"
    assert "Condition" not in health
    same = ("CodeUri", "Runtime", "Architectures", "Layers", "LoggingConfig")
    assert {key: properties[key] for key in same} == {key: provider[key] for key in same}
    assert properties["Handler"] == "lens_share.health.app.handler"
    module = ROOT / provider["CodeUri"] / "lens_share" / "health" / "app.py"
    assert "\ndef build_handler(" in module.read_text(encoding="utf-8")
    assert "\nhandler = " in module.read_text(encoding="utf-8")
    # The check reads no AllowedPrincipals or OrganizationSharing: only the provider's settings for logs and metrics.
    sharing_settings = {"ALLOWED_PRINCIPALS", "ORGANIZATION_SHARING"}
    assert properties["Environment"]["Variables"] == {
        name: value for name, value in provider["Environment"]["Variables"].items() if name not in sharing_settings
    }
    assert properties["Timeout"] == 300


def test_the_check_s_function_arn_is_an_output(template: Template) -> None:
    assert template["Outputs"]["HealthCheckFunctionArn"]["Value"] == FUNCTION_ARN
