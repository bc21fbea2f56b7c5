"""answer.Helper uses crhelper through its public API, but for one seam: `_send`. A crhelper upgrade that
renames it, changes its parameters or stops answering through it must fail here, not in production."""

from __future__ import annotations

import ast
import inspect
import textwrap
from pathlib import Path

from crhelper import CfnResource

from lens_share import answer
from lens_share.answer import CRHELPER_TIMER_S, EARLIER_S, TIMER_MARGIN_S, Helper
from lens_share.aws import retry

PACKAGE = Path(answer.__file__).parent
SEAM = "_send"
REVIEW = "crhelper changed under answer.Helper; review answer.py against the new crhelper before upgrading"


def _calls_of_self(function: object) -> set[str]:
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))  # type: ignore[arg-type]
    return {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "self"
    }


def test_the_one_private_method_replaced_is_the_seam() -> None:
    private = sorted(name for name in vars(Helper) if name.startswith("_") and not name.startswith("__"))
    assert private == [SEAM]


def test_no_module_reaches_into_a_private_attribute_of_crhelper() -> None:
    """`helper._x` or `self._x` on the helper appears nowhere but in the seam's own definition."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                owner = node.value.id if isinstance(node.value, ast.Name) else ""
                if owner in {"helper", "CfnResource"} or (path.name == "answer.py" and owner == "self"):
                    offenders.append(f"{path.name}:{node.lineno} {owner}.{node.attr}")
    # Earlier keeps the context it wraps in an attribute of its own.
    assert [each for each in offenders if not each.endswith("self._context")] == []


def test_the_seam_still_exists_with_the_same_parameters_and_crhelper_answers_through_it() -> None:
    original = getattr(CfnResource, SEAM, None)
    assert original is not None, f"{REVIEW}: CfnResource.{SEAM} is gone"
    ours = list(inspect.signature(getattr(Helper, SEAM)).parameters)
    theirs = list(inspect.signature(original).parameters)
    assert ours == theirs, f"{REVIEW}: CfnResource.{SEAM}{inspect.signature(original)}"
    for caller in ("__call__", "_cfn_response", "_timeout"):
        assert SEAM in _calls_of_self(getattr(CfnResource, caller)), f"{REVIEW}: {caller} no longer calls {SEAM}"


def test_crhelpers_timer_still_fires_half_a_second_before_its_context_says() -> None:
    source = inspect.getsource(vars(CfnResource)["_set_timeout"])
    assert f"- {CRHELPER_TIMER_S}" in source, f"{REVIEW}: its timer no longer fires {CRHELPER_TIMER_S} s early"


def test_the_safety_timer_answers_inside_the_time_the_retries_keep_back() -> None:
    # A timer that fired before the retries' reserve would cut off a call the retries still let start.
    assert 0 < TIMER_MARGIN_S < EARLIER_S + retry.ANSWER_RESERVE_S


def test_crhelper_still_skips_its_polling_clients_when_aws_sam_local_is_set() -> None:
    source = inspect.getsource(vars(CfnResource)["__init__"])
    guarded = source.split("if not self._sam_local:", 1)
    assert len(guarded) == 2, f"{REVIEW}: its polling clients no longer depend on AWS_SAM_LOCAL"
    assert "boto3.client('lambda'" in guarded[1].split("except", 1)[0], f"{REVIEW}: its clients moved"
    assert "os.getenv('AWS_SAM_LOCAL')" in source


def test_crhelpers_timer_answers_from_a_thread_of_its_own() -> None:
    """answer.Invocation knows the timer's answer by the thread that sends it."""
    source = inspect.getsource(vars(CfnResource)["_set_timeout"])
    assert "threading.Timer(" in source, f"{REVIEW}: its timer no longer runs in a thread of its own"
