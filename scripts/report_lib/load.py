"""Reading a run folder: matrix results, microbench JSON, the overhead model, seed figures.

Nothing here computes a figure for a report; it only reads what was measured and remembers what
is missing (and why) so that each report can say so instead of inventing numbers.
"""

import glob
import json
import os
import statistics
import tomllib
from dataclasses import dataclass, field
from typing import Optional

from . import host_speed

MATRIX_FORMAT = "streamgauge-matrix-result/1"
# /2 adds the noise floor per row (group, paired, measured interval, within_noise), the
# per-strategy summary, unit_cost_problems and not_explained; /1 has rows only; /3 sums the
# summary by magnitude (model_summary.py says how).
EXPLAIN_FORMATS = ("streamgauge-explain/1", "streamgauge-explain/2", "streamgauge-explain/3")
# When scripts/run probed the CPUs (cpu_speed.txt), in run order.
CPU_PROBE_WHEN = ("start", "scaling", "scaling-parallel", "targets", "targets-parallel",
                  "queue_capacity", "sources", "handoff", "engine", "end", "reread")
MATRIX_NAMES = ("default", "batch_sweep", "partition_scaling", "queues", "startup", "targets",
                "queue_capacity", "end_of_stream", "sources", "handoff")
# What every cell and sample of a matrix result must carry for the reports to read it.
CELL_KEYS = ("id", "scenario", "strategy", "records", "status")
SAMPLE_KEYS = ("wall_ns",)
PHASES = ("setup", "read", "engine", "write", "coordination", "waiting", "teardown",
          "instrumentation", "unattributed")


class InputError(Exception):
    """A file is present but unreadable: the message names the file and what is wrong."""


# ---------------------------------------------------------------------------------------------
# Matrix results


@dataclass
class Cell:
    raw: dict

    @property
    def id(self):
        return self.raw["id"]

    @property
    def scenario(self):
        return self.raw["scenario"]

    @property
    def strategy(self):
        return self.raw["strategy"]

    @property
    def peer(self):
        return bool(self.raw.get("peer", False))

    @property
    def peer_work(self):
        """'' when a peer cell did our work, else the label of what it left out ("less work:
        final rows only (N rows vs M)"). Results from before the peer modes have no label: a
        check against our final rows per group marks one of those as less work too."""
        if not self.peer:
            return ""
        if "peer_work" in self.raw:
            return self.raw["peer_work"]
        if "final row per group" in self.raw.get("peer_check", ""):
            return "less work: final rows only"
        return ""

    @property
    def records(self):
        return int(self.raw["records"])

    @property
    def config(self):
        return self.raw.get("config", {})

    @property
    def engine(self):
        return "batch-sql" if self.peer else self.config.get("engine", "?")

    @property
    def phase_timing(self):
        # Cells with phase timing off exist to measure what the timing costs; they have no phases.
        return bool(self.config.get("phase_timing", True))

    @property
    def batch_size(self):
        return int(self.config.get("batch_size", 0))

    @property
    def partitions(self):
        return int(self.config.get("partitions", 1))

    @property
    def queue(self):
        return self.config.get("queue", "")

    @property
    def end_of_stream(self):
        """'marker', or 'empty-reads:N/MSms' for seed 002's rule (config.end_of_stream)."""
        rule = self.config.get("end_of_stream")
        return f"empty-reads:{rule['empty_reads']}/{rule['sleep_ms']}ms" if rule else "marker"

    @property
    def source(self):
        """Where the cell's records came from: lent, shared or materialized (issue 18)."""
        return self.config.get("source", "lent")

    @property
    def injected_work(self):
        """Rounds of injected work per record (--inject-work; 0 in ordinary cells)."""
        return int(self.config.get("injected_work", 0))

    @property
    def handoff(self):
        """How adaptive's reader hands a record to a worker: move, share or deep-copy."""
        return self.config.get("handoff", "move")

    def line_round_trips(self):
        """The cross-core probe before each of the cell's pairs, ns (harness/job/line_round_trip.h);
        empty where the matrix did not probe."""
        p = self.raw.get("summary", {}).get("paired") if self.ok else None
        return [ns for ns in (p or {}).get("line_round_trip_ns", []) if ns > 0]

    def paired(self):
        """(low, median, high) of the cell's time over its baseline from passes run back to back
        with it: the median of the paired ratios and its 95% interval; None without pairs."""
        p = self.raw.get("summary", {}).get("paired") if self.ok else None
        if not p or "ratio" not in p:
            return None
        return (p.get("low", p["ratio"]), p["ratio"], p.get("high", p["ratio"]))

    def phase_ns_per_record(self, phase):
        """The job thread's `phase` per record, median over the instrumented passes (or the
        samples, in results from before them); None when no pass timed its phases."""
        passes = self.raw.get("instrumented_samples") or self.samples
        values = sorted(s["threads"][0]["phase_ns"].get(phase, 0) for s in passes
                        if s.get("threads") and "phase_ns" in s["threads"][0])
        if not values or not self.records:
            return None
        return values[len(values) // 2] / self.records

    @property
    def queue_capacity(self):
        return int(self.config.get("queue_capacity", 0))

    @property
    def status(self):
        return self.raw.get("status", "?")

    @property
    def reason(self):
        return self.raw.get("reason", "")

    @property
    def ok(self):
        return self.status == "ok" and bool(self.raw.get("samples"))

    @property
    def samples(self):
        return self.raw.get("samples", [])

    def rate(self):
        """records_per_second summary {n, median, min, max, cv}, or None when not measured."""
        return self.raw.get("summary", {}).get("records_per_second") if self.ok else None

    def us_per_record(self):
        return self.raw.get("summary", {}).get("us_per_record") if self.ok else None

    def wall_ns(self):
        """Every repetition's wall time, in the order they ran."""
        return [int(s["wall_ns"]) for s in self.samples]

    def median_sample(self):
        """The repetition whose wall time is the median (the lower middle one for an even count),
        so that its phases are one real run's phases and add up to its wall time."""
        if not self.ok:
            return None
        # Phases come from the instrumented passes where the result has them: the timed passes
        # read no phase clock.
        runs = self.raw.get("instrumented_samples") or self.samples
        ordered = sorted(runs, key=lambda s: int(s["wall_ns"]))
        return ordered[(len(ordered) - 1) // 2]


@dataclass
class Matrix:
    name: str
    path: str
    raw: dict
    cells: list

    @property
    def environment(self):
        return self.raw.get("environment", {})

    @property
    def spec(self):
        return self.raw.get("matrix", {})

    def find(self, **want):
        """Cells whose attributes equal every given value (scenario="s0", strategy="direct", ...).
        Cells run with phase timing off are only found when asked for (phase_timing=False)."""
        want.setdefault("phase_timing", True)
        out = []
        for c in self.cells:
            if all(getattr(c, k) == v for k, v in want.items()):
                out.append(c)
        return out

    def one(self, **want):
        found = self.find(**want)
        return found[0] if found else None

    def scenarios(self):
        return sorted({c.scenario for c in self.cells})

    def strategies(self):
        # The matrix's own order (the strategy table's order), peers last.
        seen = []
        for c in self.cells:
            if c.strategy not in seen and not c.peer:
                seen.append(c.strategy)
        return seen


def load_matrix(path):
    try:
        with open(path, encoding="utf-8") as f:
            raw = json.load(f)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: not valid JSON (line {e.lineno}, column {e.colno}): {e.msg}")
    if raw.get("format") != MATRIX_FORMAT:
        raise InputError(f"{path}: format is {raw.get('format')!r}, expected {MATRIX_FORMAT!r}: "
                         "a run format this scripts/report does not know (redraw it with the "
                         "scripts/report of the commit that made it)")
    for i, c in enumerate(raw.get("cells", [])):
        missing = [k for k in CELL_KEYS if k not in c]
        missing += [f"samples[{j}].{k}" for j, smp in enumerate(c.get("samples", []))
                    for k in SAMPLE_KEYS if k not in smp]
        if missing:
            raise InputError(f"{path}: cell {i + 1} ({c.get('id', 'no id')}) lacks "
                             f"{', '.join(missing[:3])}: not the {MATRIX_FORMAT} this "
                             "scripts/report knows")
    cells = [Cell(c) for c in raw.get("cells", [])]
    name = raw.get("matrix", {}).get("name", os.path.splitext(os.path.basename(path))[0])
    return Matrix(name=name, path=path, raw=raw, cells=cells)


# ---------------------------------------------------------------------------------------------
# Google Benchmark JSON

_TO_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


@dataclass
class Bench:
    """One benchmark's repetitions: wall time per iteration (real_time), in ns."""
    binary: str
    name: str
    times_ns: list
    cv: float = None
    counters: dict = field(default_factory=dict)

    @property
    def n(self):
        return len(self.times_ns)

    @property
    def median_ns(self):
        return statistics.median(self.times_ns)

    @property
    def min_ns(self):
        return min(self.times_ns)

    @property
    def max_ns(self):
        return max(self.times_ns)


_STANDARD_KEYS = {"name", "family_index", "per_family_instance_index", "run_name", "run_type",
                  "repetitions", "repetition_index", "threads", "iterations", "real_time",
                  "cpu_time", "time_unit", "aggregate_name", "aggregate_unit", "label",
                  "error_occurred", "error_message"}


def load_benchmarks(path):
    binary = os.path.splitext(os.path.basename(path))[0]
    try:
        with open(path, encoding="utf-8") as f:
            raw = json.load(f)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: not valid JSON (line {e.lineno}, column {e.colno}): {e.msg}")
    benches = {}
    cvs = {}
    for b in raw.get("benchmarks", []):
        if b.get("error_occurred"):
            continue
        run = b.get("run_name", b["name"])
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "cv":
                cvs[run] = float(b["real_time"])
            continue
        t = float(b["real_time"]) * _TO_NS.get(b.get("time_unit", "ns"), 1.0)
        entry = benches.setdefault(run, Bench(binary=binary, name=run, times_ns=[]))
        entry.times_ns.append(t)
        for k, v in b.items():
            if k not in _STANDARD_KEYS and isinstance(v, (int, float)):
                entry.counters.setdefault(k, []).append(float(v))
    for run, bench in benches.items():
        bench.cv = cvs.get(run)
    return raw.get("context", {}), benches


# ---------------------------------------------------------------------------------------------
# The run folder


@dataclass
class RunData:
    folder: str
    matrices: dict = field(default_factory=dict)   # name -> Matrix
    missing: dict = field(default_factory=dict)    # input name -> why it is missing
    microbench: dict = field(default_factory=dict)  # binary -> {benchmark name -> Bench}
    microbench_context: dict = field(default_factory=dict)  # binary -> Google Benchmark context
    explain: dict = None
    explain_validation: dict = None  # explain_validation.json: the held-out matrix
    explain_sources: dict = None  # explain_sources.json: the model over the sources matrix
    explain_handoff: dict = None  # explain_handoff.json: the model over the handoff matrix
    explain_queues: dict = None  # explain_queues.json: the model over each queue kind
    explain_startup: dict = None  # explain_startup.json: the model over every streaming mode
    explain_drops: dict = field(default_factory=dict)  # term -> explain_drop_TERM.json
    seed_figures: dict = field(default_factory=dict)  # scenario -> [{label, rps, source}]
    loadavg: dict = field(default_factory=dict)       # "start"/"end" -> "/proc/loadavg" text
    cpu_speed: dict = field(default_factory=dict)     # "start"/"engine"/"end" -> {cpu: M records/s}
    engine_cpu: Optional[int] = None                  # the CPU bench_engine was pinned to
    slowed_readings: list = field(default_factory=list)  # microbench readings read again

    def matrix(self, name):
        return self.matrices.get(name)

    def bench(self, binary, name):
        return self.microbench.get(binary, {}).get(name)

    def benches(self, binary):
        return self.microbench.get(binary, {})

    def missing_reason(self, name):
        return self.missing.get(name, f"{name} was not loaded")


def load_seed_figures(scenario_dir):
    figures = {}
    for path in sorted(glob.glob(os.path.join(scenario_dir, "*.toml"))):
        try:
            with open(path, "rb") as f:
                doc = tomllib.load(f)
        except tomllib.TOMLDecodeError as e:
            raise InputError(f"{path}: not valid TOML: {e}")
        name = doc.get("name", os.path.splitext(os.path.basename(path))[0])
        for fig in doc.get("seed_figures", []):
            figures.setdefault(name, []).append({
                "label": str(fig.get("label", "")),
                "records_per_second": float(fig.get("records_per_second", 0)),
                "source": str(fig.get("source", os.path.basename(path))),
            })
    return figures


def check_known_layout(folder):
    """A folder with JSON files but none this report reads is a run of another format: say so
    rather than draw every report as missing."""
    known = {f"{n}.json" for n in MATRIX_NAMES} | {"explain.json", "explain_validation.json",
                                                    "latency.json"}
    present = sorted(f for f in os.listdir(folder) if f.endswith(".json"))
    if present and not known & set(present) and not os.path.isdir(os.path.join(folder,
                                                                               "microbench")):
        raise InputError(f"{folder}: holds {', '.join(present[:5])} but none of the files this "
                         f"scripts/report reads ({', '.join(sorted(known))}, microbench/): a run "
                         "format it does not know")


def _load_explain(path):
    """An overhead-model result, or None when the file is absent; InputError when unreadable."""
    if not os.path.exists(path):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            explain = json.load(f)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: not valid JSON (line {e.lineno}): {e.msg}")
    known = " or ".join(repr(f) for f in EXPLAIN_FORMATS)
    if not isinstance(explain, dict) or explain.get("format") not in EXPLAIN_FORMATS:
        found = explain.get("format") if isinstance(explain, dict) else None
        raise InputError(f"{path}: format is {found!r}, expected {known}: an "
                         "overhead-model format this scripts/report does not know")
    if not isinstance(explain.get("rows", []), list):
        raise InputError(f"{path}: `rows` is not a list: not the {known} this "
                         "scripts/report knows")
    return explain


def load_run(folder, scenario_dir):
    check_known_layout(folder)
    data = RunData(folder=folder)
    for name in MATRIX_NAMES:
        path = os.path.join(folder, f"{name}.json")
        if not os.path.exists(path):
            data.missing[name] = f"`{name}.json` is not in the run folder"
            continue
        data.matrices[name] = load_matrix(path)

    mb_dir = os.path.join(folder, "microbench")
    files = sorted(glob.glob(os.path.join(mb_dir, "bench_*.json")))
    if not files:
        data.missing["microbench"] = "no `microbench/bench_*.json` in the run folder"
    for path in files:
        context, benches = load_benchmarks(path)
        binary = os.path.splitext(os.path.basename(path))[0]
        data.microbench[binary] = benches
        data.microbench_context[binary] = context

    data.explain = _load_explain(os.path.join(folder, "explain.json"))
    if data.explain is None:
        data.missing["explain"] = ("`explain.json` is not in the run folder (made by `streamgauge "
                                   "explain default.json --microbench microbench --json "
                                   "explain.json`)")
    # The mutation check: the model with one term left out (scripts/run, explain --drop TERM).
    for path in sorted(glob.glob(os.path.join(folder, "explain_drop_*.json"))):
        term = os.path.basename(path)[len("explain_drop_"):-len(".json")]
        data.explain_drops[term] = _load_explain(path)
    # The model's held-out prediction of a second matrix, with injected-work cells (scripts/run).
    data.explain_validation = _load_explain(os.path.join(folder, "explain_validation.json"))
    if data.explain_validation is None:
        data.missing["explain_validation"] = (
            "`explain_validation.json` is not in the run folder (made by `streamgauge explain "
            "model_validation.json --microbench microbench --json explain_validation.json`)")

    # The model over the matrices that scripts/run explains on their own.
    for name in ("sources", "handoff", "queues", "startup"):
        explained = _load_explain(os.path.join(folder, f"explain_{name}.json"))
        setattr(data, f"explain_{name}", explained)
        if explained is None:
            data.missing[f"explain_{name}"] = (
                f"`explain_{name}.json` is not in the run folder (made by `streamgauge explain "
                f"{name}.json --microbench microbench --json explain_{name}.json`)")

    load_path = os.path.join(folder, "loadavg.txt")
    if os.path.exists(load_path):
        with open(load_path, encoding="utf-8") as f:
            for line in f:
                when, _, text = line.strip().partition(" ")
                if when in ("start", "end"):
                    data.loadavg[when] = text.strip()

    # scripts/run's per-CPU probe: lines "WHEN CPU RATE" (bench_engine pinned to each CPU in turn
    # at the start, before the scaling matrix, before the microbenches and at the end; and
    # "scaling-parallel": on every CPU at once, one process each, before the scaling matrix).
    speed_path = os.path.join(folder, "cpu_speed.txt")
    if os.path.exists(speed_path):
        data.cpu_speed = host_speed.read_cpu_speed(speed_path, CPU_PROBE_WHEN)
    # The microbench readings scripts/run read again because the host slowed the VM during them
    # (the slowed ones moved to microbench-slowed/READING/).
    slowed_dir = os.path.join(folder, "microbench-slowed")
    if os.path.isdir(slowed_dir):
        data.slowed_readings = sorted(name for name in os.listdir(slowed_dir)
                                      if os.path.isdir(os.path.join(slowed_dir, name)))

    pin_path = os.path.join(folder, "microbench", "bench_engine.cpu.txt")
    if os.path.exists(pin_path):
        with open(pin_path, encoding="utf-8") as f:
            text = f.read().strip()
        data.engine_cpu = int(text) if text.isdigit() else None

    data.seed_figures = load_seed_figures(scenario_dir)
    return data
