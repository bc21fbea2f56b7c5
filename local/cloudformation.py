"""CloudFormation's side of the custom-resource protocol, played locally against the real handler.

`ResponseReceiver` stands in for the S3 bucket behind the pre-signed ResponseURLs (HTTPS, trusted through
its `ca_file`), `make_event` builds the events CloudFormation sends, `LambdaContext` is Lambda's context,
and `Stack` drives create/update/delete, replacement clean-up and rollbacks by CloudFormation's rules.
"""

from local.answers import MAX_BODY_BYTES, MAX_PHYSICAL_ID_BYTES, Answer, check_answer
from local.events import LambdaContext, load_event, make_event, stringify
from local.receiver import ResponseReceiver
from local.stack import Handler, Invocation, Resource, Stack, StackEvent

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_PHYSICAL_ID_BYTES",
    "Answer",
    "Handler",
    "Invocation",
    "LambdaContext",
    "Resource",
    "ResponseReceiver",
    "Stack",
    "StackEvent",
    "check_answer",
    "load_event",
    "make_event",
    "stringify",
]
