"""Configuration changes between consecutive runs of the history, to mark on its charts: the
machine (CPU model, core count), the build's allocator, compiler, flags or build type (from each
run's environment), the source its
cells read, and refreshes of the instruction baseline (commits touching baselines/instructions.json between two runs' commits,
from git when the repository knows both)."""

import json
import subprocess

ENV_KEYS = (("cpu_model", "CPU"), ("cores", "cores"), ("allocator", "allocator"), ("compiler", "compiler"), ("cxx_flags", "flags"),
            ("build_type", "build type"))
BASELINE = "baselines/instructions.json"


def environment(text):
    """A run's environment JSON text as a dict ({} when empty or unreadable)."""
    try:
        return json.loads(text) if text else {}
    except json.JSONDecodeError:
        return {}


def _baseline_refreshes(repo, old, new):
    """Commits that changed the instruction baseline after `old` up to `new`; None when git
    cannot tell (no repository, unknown commit)."""
    old, new = old.removesuffix("-dirty"), new.removesuffix("-dirty")
    if not repo or not old or not new or old == new:
        return None if old != new else 0
    try:
        out = subprocess.run(["git", "-C", repo, "rev-list", "--count", f"{old}..{new}", "--",
                              BASELINE], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return int(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None


def changes(runs, repo, sources=None):
    """runs: [(run id, commit, environment JSON text)] in run order; sources: {run id: the
    source(s) its cells read}, optional. Returns {run id: [what changed since the run before
    it]}; a run with nothing changed has no entry."""
    marks = {}
    sources = sources or {}
    for (old_run, old_commit, old_env), (run, commit, env) in zip(runs, runs[1:]):
        a, b = environment(old_env), environment(env)
        what = [f"{label} {a.get(key, '?')} -> {b.get(key, '?')}" for key, label in ENV_KEYS
                if a.get(key) != b.get(key)]
        if sources.get(old_run, "lent") != sources.get(run, "lent"):
            what.append(f"source {sources.get(old_run, 'lent')} -> {sources.get(run, 'lent')}")
        refreshes = _baseline_refreshes(repo, old_commit or "", commit or "")
        if refreshes:
            what.append(f"instruction baseline refreshed ({refreshes} commit"
                        f"{'s' if refreshes > 1 else ''})")
        if what:
            marks[run] = what
    return marks
