"""Which samples belong to the cell's passes, and which to the set-up around them.

`streamgauge run` generates the data, compiles the query and runs direct once for the reference
digest before any pass; a profile of the whole process mixes that set-up in. The cell's passes
(warm-up and timed) all go through one function, run_pass in harness/matrix/matrix_runner.cpp, on the
main thread; the strategies' worker threads exist only inside a pass. So a sample is the cell's
when it is on the main thread under run_pass, or on any other thread of the process.

Samples whose stack could not be walked up to main (e.g. inside glibc's malloc, which has no
frame pointers) cannot be placed: on the main thread they are left out and counted.
If run_pass is ever renamed or inlined, nothing matches and the command says so (--whole-run
still draws everything).
"""

from collections import Counter
from typing import Tuple

from .folding import PerfSample

PASS_FRAME = "sg::(anonymous namespace)::run_pass"
MAIN_THREAD_FRAMES = frozenset(
    ["main", "_start", "__libc_start_main", "__libc_start_main_impl", "__libc_start_call_main"])
THREAD_START_FRAMES = frozenset(["start_thread", "clone", "clone3"])


def command_name(binary_path: str) -> str:
    """The comm perf records for a program: its file name, cut to 15 characters by Linux."""
    return binary_path.rstrip("/").rsplit("/", 1)[-1][:15]


def perf_sample_in_pass(sample: PerfSample, comm: str) -> bool:
    """For perf samples, which carry thread ids (perf script -F pid,tid)."""
    assert sample.pid is not None, "perf script must print pids (-F pid,tid) to tell threads apart"
    if sample.comm != comm:
        return False  # a child process (e.g. git for the environment line)
    if sample.tid != sample.pid:
        return True  # a worker thread: those live only inside passes
    return PASS_FRAME in sample.frames


def stack_in_pass(stack: Tuple[str, ...]) -> bool:
    """For stacks without thread ids (gperftools): main-thread stacks start at main, worker
    stacks at start_thread/clone; a stack with neither cannot be placed and is left out."""
    if PASS_FRAME in stack:
        return True
    if any(f in MAIN_THREAD_FRAMES for f in stack):
        return False
    return any(f in THREAD_START_FRAMES for f in stack)


def keep_stacks_in_pass(folded: Counter) -> Counter:
    return Counter({s: c for s, c in folded.items() if stack_in_pass(s)})
