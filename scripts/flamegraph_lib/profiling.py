"""Running a command under a CPU profiler and folding what it sampled.

Two profilers:
  perf        `perf record -e cpu-clock --call-graph fp` (software clock: hardware counters are
              not available on the machines this runs on), folded from `perf script`. Sees
              every thread and the kernel.
  gperftools  libprofiler.so preloaded (CPUPROFILE=...), folded by `google-pprof --collapsed`.
              User space only; needs no permission, so it is the fallback when perf may not
              record (perf_event_paranoid, containers without the perf_event_open syscall).
"""

import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from .folding import clean_frame, fold_pprof_collapsed, iter_perf_samples
from .timed_filter import command_name, keep_stacks_in_pass, perf_sample_in_pass

LIBPROFILER_CANDIDATES = [
    "/usr/lib/x86_64-linux-gnu/libprofiler.so",
    "/usr/lib/aarch64-linux-gnu/libprofiler.so",
    "/usr/lib/libprofiler.so",
    "/usr/local/lib/libprofiler.so",
]


class ProfileError(RuntimeError):
    """A profile that could not be taken; the message says why and what to do."""


class CommandFailed(ProfileError):
    """The profiled command itself failed; its own message is passed through."""

    def __init__(self, returncode: int, stderr: str):
        super().__init__(stderr.strip() or f"the command exited with status {returncode}")
        self.returncode = returncode


@dataclass
class Profile:
    whole_run: Counter  # every sample of the command (child processes under their name)
    cell_passes: Counter  # the samples of the cell's passes only (timed_filter)
    profiler: str  # "perf" or "gperftools"
    event: str  # what a sample is
    frequency: int  # samples per second asked for
    notes: List[str] = field(default_factory=list)


def find_libprofiler() -> Optional[str]:
    for path in LIBPROFILER_CANDIDATES:
        if os.path.exists(path):
            return path
    return None


def perf_permitted() -> Tuple[bool, str]:
    """Whether `perf record` works here, tried on a trivial command (perf_event_paranoid alone
    does not tell: root, capabilities and seccomp filters all matter)."""
    if shutil.which("perf") is None:
        return False, "perf is not installed (Debian package linux-perf)"
    with tempfile.TemporaryDirectory(prefix="sg-perf-probe-") as tmp:
        try:
            probe = subprocess.run(
                ["perf", "record", "-q", "-e", "cpu-clock", "-F", "99", "-g", "-o",
                 os.path.join(tmp, "probe.data"), "--", "true"],
                capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as e:
            return False, f"perf record could not run: {e}"
    if probe.returncode != 0:
        reason = probe.stderr.strip().splitlines()
        paranoid = _read_first_line("/proc/sys/kernel/perf_event_paranoid")
        return False, (f"perf record is not permitted here (perf_event_paranoid={paranoid}): "
                       f"{reason[0] if reason else 'exit status ' + str(probe.returncode)}")
    return True, ""


def _read_first_line(path: str) -> str:
    try:
        with open(path) as f:
            return f.readline().strip()
    except OSError:
        return "?"


def _run_profiled(argv: Sequence[str], env=None) -> subprocess.CompletedProcess:
    """Runs the profiled command with its stderr captured (to pass its errors through) and its
    stdout shown as it goes, on stderr: stdout is kept for the paths of what was written."""
    proc = subprocess.run(list(argv), stdout=sys.stderr, stderr=subprocess.PIPE, text=True,
                          env=env)
    return proc


def profile_with_perf(command: Sequence[str], frequency: int, workdir: str) -> Profile:
    data = os.path.join(workdir, "perf.data")
    argv = ["perf", "record", "-q", "-e", "cpu-clock", "-F", str(frequency), "--call-graph",
            "fp", "-o", data, "--"] + list(command)
    proc = _run_profiled(argv)
    if proc.returncode != 0:
        raise CommandFailed(proc.returncode, _without_perf_lines(proc.stderr))
    script = subprocess.Popen(
        ["perf", "script", "-F", "comm,pid,tid,time,period,event,ip,sym,dso", "-i", data],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace")
    comm = command_name(command[0])
    whole_run, cell_passes = Counter(), Counter()
    for sample in iter_perf_samples(script.stdout, source="perf script"):
        stack = sample.frames
        if sample.comm != comm or not stack:
            stack = (clean_frame(sample.comm),) + stack
        whole_run[stack] += 1
        if perf_sample_in_pass(sample, comm):
            cell_passes[stack] += 1
    _, err = script.communicate()
    if script.returncode != 0:
        raise ProfileError(f"perf script failed: {err.strip()}")
    return Profile(whole_run, cell_passes, "perf",
                   "cpu-clock (software timer), frame-pointer call graphs", frequency)


def _without_perf_lines(stderr: str) -> str:
    """The command's own error text, without perf's '[ perf record: ... ]' lines."""
    return "\n".join(l for l in stderr.splitlines() if not l.startswith("[ perf record:"))


def profile_with_gperftools(command: Sequence[str], frequency: int, workdir: str) -> Profile:
    lib = find_libprofiler()
    if lib is None:
        raise ProfileError("gperftools' libprofiler.so is not installed "
                           "(Debian packages libgoogle-perftools-dev google-perftools)")
    pprof = shutil.which("google-pprof") or shutil.which("pprof")
    if pprof is None:
        raise ProfileError("google-pprof is not installed (Debian package google-perftools)")
    prof = os.path.join(workdir, "cpu.prof")
    env = dict(os.environ, LD_PRELOAD=lib, CPUPROFILE=prof, CPUPROFILE_FREQUENCY=str(frequency))
    proc = _run_profiled(command, env=env)
    if proc.returncode != 0:
        raise CommandFailed(proc.returncode, _without_profiler_lines(proc.stderr))
    if not os.path.exists(prof):
        raise ProfileError(f"gperftools wrote no profile ({prof}): was libprofiler preloaded?")
    collapsed = subprocess.run([pprof, "--collapsed", command[0], prof], capture_output=True,
                               text=True, errors="replace")
    if collapsed.returncode != 0:
        raise ProfileError(f"google-pprof --collapsed failed: {collapsed.stderr.strip()}")
    folded = fold_pprof_collapsed(collapsed.stdout.splitlines(), source="google-pprof --collapsed")
    return Profile(folded, keep_stacks_in_pass(folded), "gperftools",
                   "ITIMER_PROF (process CPU time), user space only",
                   frequency)


def _without_profiler_lines(stderr: str) -> str:
    return "\n".join(l for l in stderr.splitlines() if not l.startswith("PROFILE: "))


def take_profile(command: Sequence[str], profiler: str, frequency: int) -> Profile:
    """profiler: 'perf', 'gperftools' or 'auto' (perf when permitted, else gperftools with a
    note saying so)."""
    assert profiler in ("perf", "gperftools", "auto"), "unknown profiler"
    notes = []
    if profiler in ("perf", "auto"):
        ok, why = perf_permitted()
        if not ok:
            if profiler == "perf":
                raise ProfileError(why + "; use --profiler gperftools")
            notes.append(why + "; falling back to gperftools")
            profiler = "gperftools"
        else:
            profiler = "perf"
    with tempfile.TemporaryDirectory(prefix="sg-flamegraph-") as workdir:
        if profiler == "perf":
            result = profile_with_perf(command, frequency, workdir)
        else:
            result = profile_with_gperftools(command, frequency, workdir)
    result.notes = notes + result.notes
    return result
