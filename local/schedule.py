"""Work over a dependency graph the way CloudFormation schedules it: each name once everything it needs succeeded,
independent names at once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from graphlib import TopologicalSorter


def run_in_order(
    names: list[str],
    needs: Mapping[str, set[str]],
    action: Callable[[str], bool],
    *,
    parallel: int,
    thread_name: str,
    stop_on_failure: bool = True,
) -> list[str]:
    """Run `action` on each name once everything it needs succeeded, up to `parallel` at once, in the order of
    `names` among those ready; the names whose action failed.

    After a failure nothing new starts when `stop_on_failure` (what is running finishes). A name whose needs
    failed never becomes ready, as CloudFormation never starts it.
    """
    sorter = TopologicalSorter({name: set(needs.get(name, set())) & set(names) for name in names})
    sorter.prepare()
    failed: list[str] = []
    with ThreadPoolExecutor(max_workers=parallel, thread_name_prefix=thread_name) as pool:
        running: dict[Future[bool], str] = {}
        while True:
            if not (failed and stop_on_failure):
                running.update((pool.submit(action, name), name) for name in sorter.get_ready())
            if not running:
                return failed
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in [future for future in running if future in done]:  # in the order they started
                name = running.pop(future)
                if future.result():
                    sorter.done(name)
                else:
                    failed.append(name)
