"""One event file through the real handler on the embedded emulator; prints the answer the handler sent.

    python -m local.invoke events/create.json [--verbose]

The event's ResponseURL is replaced by one of the local receiver's, and a LensAlias or LensArn ARN by a
custom lens published on the emulator (which starts empty), so that your own properties can be tried as they are.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from local.events import LambdaContext
from local.session import session


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("event", type=Path, help="a CloudFormation custom-resource event, e.g. events/create.json")
    parser.add_argument("--verbose", action="store_true", help="also print the handler's JSON log lines")
    options = parser.parse_args()
    try:
        event = json.loads(options.event.read_text())
    except (OSError, ValueError) as error:
        print(f"Error: {options.event}: {' '.join(str(error).split())}", file=sys.stderr)
        return 1
    with session(quiet=not options.verbose) as current:
        properties = event.get("ResourceProperties") or {}
        for name in ("LensAlias", "LensArn"):
            if isinstance(properties.get(name), str) and properties[name].startswith("arn:"):
                properties[name] = current.publish_sample_lens()
                print(f"{name} now names the emulator's published lens {properties[name]}", file=sys.stderr)
        event["ResponseURL"] = current.receiver.new_url(
            event["StackId"], event["LogicalResourceId"], event["RequestId"]
        )
        current.provider.handler(event, LambdaContext(timeout_s=300))
        answers = current.receiver.answers(event["RequestId"])
    if not answers:
        print("The handler sent no answer: CloudFormation would wait until ServiceTimeout.", file=sys.stderr)
        return 1
    print(json.dumps(dict(answers[0]), indent=2))
    for problem in answers[0].problems:
        print(f"CloudFormation would reject this answer: {problem}", file=sys.stderr)
    return 1 if answers[0].problems else 0


if __name__ == "__main__":
    sys.exit(main())
