"""The README's demo time, measured on the demo run as a newcomer runs it, in a fresh process.

What is measured is the CPU time of the demo and the processes it starts, not the wall-clock time: the demo
runs its steps one after another, so on an idle machine the two agree, and CPU time does not swell when
other work shares the machine (with the test suite running beside it, the wall-clock time can double).
In a file of its own so that it runs beside the other docs checks rather than after them.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# "About N seconds" holds while the demo takes between half of N and one and a half times N.
LOW, HIGH = 0.5, 1.5


def cpu_seconds_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def test_the_readme_says_how_long_the_demo_takes() -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    stated = re.search(r"it takes about (\d+) seconds", readme)
    assert stated, "README.md should say how long `make demo` takes: 'it takes about N seconds'"
    seconds = int(stated.group(1))

    before = cpu_seconds_of_children()
    done = subprocess.run(
        [sys.executable, "-m", "local.demo"], cwd=ROOT, capture_output=True, text=True, timeout=180, check=False
    )
    took = cpu_seconds_of_children() - before

    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert seconds * LOW <= took <= seconds * HIGH, (
        f"the demo took {took:.1f} s; README.md says about {seconds} seconds: update the figure"
    )
