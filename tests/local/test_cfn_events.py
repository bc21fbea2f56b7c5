"""Events are shaped like CloudFormation's recorded ones; the Lambda context counts down like Lambda's."""

from __future__ import annotations

import time
import uuid

import pytest

from local.cloudformation import LambdaContext, load_event, make_event, stringify

URL = "https://127.0.0.1:1/x?X-Amz-Signature=0"


def test_load_event_reads_the_recorded_events() -> None:
    event = load_event("update")

    assert event["RequestType"] == "Update"
    assert event["ResourceProperties"]["SharedWith"] == "333333333333"
    event["RequestType"] = "changed"
    assert load_event("update")["RequestType"] == "Update"  # each call is a fresh copy


@pytest.mark.parametrize("request_type", ["Create", "Update", "Delete"])
def test_make_event_has_exactly_the_recorded_shape(request_type: str) -> None:
    recorded = load_event(request_type.lower())
    physical_id = None if request_type == "Create" else "share-1"
    old = {"SharedWith": "222222222222"} if request_type == "Update" else None

    event = make_event(
        request_type,
        logical_id="Share",
        properties={"SharedWith": "333333333333"},
        physical_id=physical_id,
        old_properties=old,
        response_url=URL,
    )

    assert list(event) == list(recorded)
    assert event["RequestType"] == request_type
    assert (event["StackId"], event["ServiceToken"]) == (recorded["StackId"], recorded["ServiceToken"])
    assert (event["ResponseURL"], event["LogicalResourceId"], event["ResourceType"]) == (
        URL,
        "Share",
        "Custom::LensShare",
    )
    assert uuid.UUID(event["RequestId"]).version == 4
    assert event["ResourceProperties"] == {"ServiceToken": recorded["ServiceToken"], "SharedWith": "333333333333"}
    assert event.get("PhysicalResourceId") == physical_id
    if old is not None:
        assert event["OldResourceProperties"] == {"ServiceToken": recorded["ServiceToken"], **old}


def test_make_event_stringifies_like_cloudformation() -> None:
    properties = {
        "Count": 3,
        "Ratio": 0.5,
        "Enabled": True,
        "Disabled": False,
        "Principals": ["222222222222", 333333333333, None],
        "Tags": {"Team": "platform", "Cost": 42, "Gone": None},
        "Dropped": None,
    }

    event = make_event("Create", logical_id="Share", properties=properties, response_url=URL, service_token="arn:t")

    assert event["ServiceToken"] == "arn:t"
    assert list(event["ResourceProperties"].items()) == [
        ("ServiceToken", "arn:t"),
        ("Count", "3"),
        ("Ratio", "0.5"),
        ("Enabled", "true"),
        ("Disabled", "false"),
        ("Principals", ["222222222222", "333333333333"]),
        ("Tags", {"Team": "platform", "Cost": "42"}),
    ]
    with pytest.raises(TypeError, match="bytes"):
        stringify({"Blob": b"x"})


def test_make_event_raw_sends_values_untouched() -> None:
    event = make_event(
        "Create", logical_id="Share", properties={"Count": 3, "Nothing": None}, response_url=URL, raw=True
    )

    assert event["ResourceProperties"]["Count"] == 3
    assert event["ResourceProperties"]["Nothing"] is None


@pytest.mark.parametrize(
    ("request_type", "physical_id", "old", "message"),
    [
        ("Remove", None, None, "RequestType"),
        ("Create", "share-1", None, "PhysicalResourceId"),
        ("Delete", None, None, "PhysicalResourceId"),
        ("Update", "share-1", None, "OldResourceProperties"),
        ("Delete", "share-1", {}, "OldResourceProperties"),
    ],
)
def test_make_event_refuses_shapes_cloudformation_never_sends(
    request_type: str, physical_id: str | None, old: dict[str, str] | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        make_event(
            request_type,
            logical_id="Share",
            properties={},
            physical_id=physical_id,
            old_properties=old,
            response_url=URL,
        )


def test_context_counts_down_with_its_clock() -> None:
    now = [100.0]
    context = LambdaContext(timeout_s=0.5, clock=lambda: now[0])

    first = context.get_remaining_time_in_millis()
    now[0] += 0.25
    second = context.get_remaining_time_in_millis()
    now[0] += 0.25

    assert (first, second) == (500, 250)
    assert context.get_remaining_time_in_millis() == 0


def test_context_counts_down_in_real_time_by_default() -> None:
    assert LambdaContext().clock is time.monotonic


def test_context_looks_like_lambdas() -> None:
    context = LambdaContext()
    name = load_event("create")["ServiceToken"].rsplit(":", 1)[1]

    assert context.function_name == name
    assert context.invoked_function_arn == f"arn:aws:lambda:us-east-1:111111111111:function:{name}"
    assert context.log_group_name == f"/aws/lambda/{name}"
    assert context.log_stream_name.endswith(f"[$LATEST]{context.log_stream_name[-32:]}")
    assert (context.function_version, context.memory_limit_in_mb) == ("$LATEST", "256")
    assert context.aws_request_id != LambdaContext().aws_request_id
    assert 299_000 < context.get_remaining_time_in_millis() <= 300_000
