"""Markdown building blocks shared by every report: fixed number formats, tables, the method
block every report opens with, verdicts on seed claims, and "missing input" sections.

Fixed formats (never repr of a float) keep the output identical when the same JSON is rendered
twice.
"""

from .host_speed import CPU_SPEED_SPREAD, host_slowdown

SEED_LABEL = "seed's figure (Rust engine, another machine; not measured here)"
METHOD_PAGE = "method.md"
# What the reading thread does per record on each source (harness/job/source_kind.h).
SOURCE_WORDS = {
    "lent": "nothing: the dataset's records are lent in place, no count touched (the pure "
            "pointer-moving cost of a strategy)",
    "shared": "takes one reference count on a dataset record",
    "materialized": "decodes a length-prefixed message from an encoded in-memory log (a schema "
                    "fixed before timing, no type tag per value) into a fresh record, as a real source's reader does; the record is freed where its "
                    "last user drops it",
}

# The verdict words, defined once (method.md#verdicts says each one's rule).
REPRODUCED = "reproduced"
NOT_REPRODUCED = "not reproduced here"
INCONCLUSIVE = "inconclusive"
NOT_MEASURED = "not measurable here"
VERDICTS = (REPRODUCED, NOT_REPRODUCED, INCONCLUSIVE, NOT_MEASURED)
VERDICT_RULES = {
    REPRODUCED: "our measurement agrees with the seed's claim by the claim's own rule (stated "
                "beside the verdict), at every case measured, with ranges that do not straddle "
                "the threshold.",
    NOT_REPRODUCED: "our measurement contradicts the claim at every case measured, outside the "
                    "range of its repetitions. It says what happened on this engine, machine and "
                    "data: a C++ re-creation, not the seed's Rust system, so it never refutes the "
                    "seed's own figure; the reason it may differ is given beside it.",
    INCONCLUSIVE: "the cases disagree, or a range straddles the threshold: the run cannot tell.",
    NOT_MEASURED: "this run lacks the input the claim needs (the section says which).",
}


# ---------------------------------------------------------------------------------------------
# Numbers


def fmt_rate(rps):
    """records/s with a unit suffix: 12.34M, 178.0K, 950."""
    if rps is None:
        return "—"
    if rps >= 1e6:
        return f"{rps / 1e6:.2f}M"
    if rps >= 1e3:
        return f"{rps / 1e3:.1f}K"
    return f"{rps:.0f}"


def fmt_ns(ns):
    if ns is None:
        return "—"
    if abs(ns) >= 1e9:
        return f"{ns / 1e9:.2f} s"
    if abs(ns) >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if abs(ns) >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.1f} ns"


def fmt_ratio(x):
    return "—" if x is None else f"{x:.2f}x"


def fmt_pct(x):
    return "—" if x is None else f"{x:.1f}%"


def fmt_count(n):
    return f"{int(n):,}"


def rate_text(summary):
    """'12.34M [11.00M–13.10M]' from a {median, min, max} summary."""
    if not summary:
        return "—"
    return f"{fmt_rate(summary['median'])} [{fmt_rate(summary['min'])}–{fmt_rate(summary['max'])}]"


def cell_text(cell, what="rate"):
    """A cell's figure, or why there is none: failed and skipped cells are shown, never hidden."""
    if cell is None:
        return "not in this run"
    if cell.status == "failed":
        return f"FAILED: {cell.reason}" if cell.reason else "FAILED"
    if cell.status == "skipped":
        return "skipped"
    if cell.status == "not_run":
        return "not run (interrupted)"
    if not cell.ok:
        return "no samples"
    if what == "rate":
        return rate_text(cell.rate())
    if what == "us":
        s = cell.us_per_record()
        return f"{s['median']:.3f} [{s['min']:.3f}–{s['max']:.3f}]"
    raise ValueError(what)


def ratio_range(slow, fast):
    """How many times slower `slow` is than `fast`, from their wall times per repetition:
    (lowest, median, highest) over the extreme pairs, so overlap is visible."""
    a, b = slow.wall_ns(), fast.wall_ns()
    if not a or not b:
        return None
    from statistics import median
    return (min(a) / max(b), median(a) / median(b), max(a) / min(b))


def ratio_text(r):
    if r is None:
        return "—"
    return f"{r[1]:.2f}x [{r[0]:.2f}–{r[2]:.2f}]"


# ---------------------------------------------------------------------------------------------
# Tables and sections


def table(headers, rows, align=None):
    """A Markdown table; `align` is a string of 'l'/'r' per column (default: first l, rest r)."""
    if align is None:
        align = "l" + "r" * (len(headers) - 1)
    marks = {"l": "---", "r": "---:", "c": ":---:"}
    out = ["| " + " | ".join(headers) + " |",
           "|" + "|".join(marks[a] for a in align) + "|"]
    for row in rows:
        out.append("| " + " | ".join(str(x).replace("|", "\\|") for x in row) + " |")
    return "\n".join(out) + "\n"


def missing_section(title, what_is_missing, consequence):
    return (f"### {title}: missing input\n\n"
            f"**Missing:** {what_is_missing}. {consequence} No figure is shown in its place.\n")


def verdict(outcome, finding, rule):
    """outcome: one of VERDICTS; the word links its definition on the method page."""
    assert outcome in VERDICTS, outcome
    return (f"**Verdict: {outcome}.** {finding}\n\n*Rule:* {rule} "
            f"([verdict words]({METHOD_PAGE}#verdicts))\n")


def seed_claim(text, source):
    return f"> **Seed's claim** ({source}): {text}\n"


def chart(path, alt):
    return f"![{alt}]({path})\n"


# ---------------------------------------------------------------------------------------------
# The method block

def host_slowdown_text(data):
    """A sentence for a run whose host slowed it (host_speed.host_slowdown), or ""; it names the
    microbench readings that scripts/run read again for it."""
    slowed = host_slowdown(data.cpu_speed)
    if slowed is None:
        return ""
    cpu, low, high = slowed
    text = (f"**The host slowed this VM during the run**: alone on cpu{cpu} the probe read "
            f"{low:.2f} M records/s at its slowest and {high:.2f} at its fastest "
            f"({100 * (1 - low / high):.0f}% slower): figures taken in different minutes of this "
            "run are not comparable, nor are they with another run's.")
    if data.slowed_readings:
        text += (" The microbench readings taken while it did (" +
                 ", ".join(f"`{name}/`" for name in data.slowed_readings) +
                 ") were read again at the end of the run and the model prices from those; the "
                 "slowed ones are kept in `microbench-slowed/`.")
    return text


def _cpu_speed_line(data):
    """The per-CPU probe of scripts/run, or None when the run has none."""
    if not data.cpu_speed:
        return None
    parts = []
    uneven = False
    labels = {"start": "start", "scaling": "before the scaling matrix",
              "scaling-parallel": "then on all CPUs at once",
              "targets": "before the targets matrix",
              "targets-parallel": "then on all CPUs at once",
              "queue_capacity": "before the queue-capacity matrix",
              "sources": "before the sources matrix", "handoff": "before the hand-off matrix",
              "engine": "before the microbenches", "end": "end",
              "reread": "before reading slowed microbenches again"}
    for when, label in labels.items():
        rates = data.cpu_speed.get(when)
        if not rates:
            continue
        parts.append(f"{label} " + ", ".join(f"cpu{c} {r:.2f}" for c, r in sorted(rates.items())))
        # All CPUs at once is expected to be slower than alone: not a sign of uneven cores.
        if not when.endswith("-parallel") and len(rates) > 1 and min(rates.values()) > 0:
            uneven = uneven or max(rates.values()) / min(rates.values()) > CPU_SPEED_SPREAD
    line = ("- Per-CPU probe (`bench_engine` scenario 2 on 200,000 records, one Google Benchmark "
            "run of at least 0.3 s pinned to each CPU in turn by `scripts/run`; M records/s of "
            "CPU time; 'all CPUs at once' runs one process per CPU at the same time): " +
            "; ".join(parts) + ".")
    if data.engine_cpu is not None:
        line += (f" `bench_engine` (single-threaded) ran pinned to cpu{data.engine_cpu}, the "
                 "faster just before the microbenches.")
    if uneven:
        line += (" **The CPUs ran at different speeds** (more than "
                 f"{(CPU_SPEED_SPREAD - 1) * 100:.0f}% apart): a single-threaded cell's figure "
                 "depends on which CPU it ran on, and a cell using both is held back by the "
                 "slower one.")
    slowed = host_slowdown_text(data)
    if slowed:
        line += " " + slowed
    return line


def machine_ceiling(data, when="scaling"):
    """(ceiling, alone, together) from the probe before the scaling matrix (`when` "scaling") or
    the targets matrix ("targets"), or None.

    ceiling = the rates of all CPUs at once, summed, over the best CPU's rate alone: the speed-up
    that N independent single-threaded engines (separate processes, nothing shared) got on this
    machine at that moment, the most a partitioned strategy can expect here.
    """
    alone = data.cpu_speed.get(when) or {}
    together = data.cpu_speed.get(f"{when}-parallel") or {}
    if len(together) < 2 or not alone or max(alone.values()) <= 0:
        return None
    return sum(together.values()) / max(alone.values()), alone, together


def _load_line(data, cores):
    if not data.loadavg:
        return ("- Load average: not recorded by this run (the run folder has no `loadavg.txt`); "
                "the machine may have been shared.")
    parts = []
    loaded = False
    for when in ("start", "end"):
        text = data.loadavg.get(when)
        if text:
            parts.append(f"{when} `{text}`")
            try:
                loaded = loaded or (cores and float(text.split()[0]) > float(cores))
            except ValueError:
                pass
    line = "- Load average (`/proc/loadavg`, 1/5/15 min): " + "; ".join(parts) + "."
    if loaded:
        line += (f" **The machine was loaded** (more runnable work than its {cores} cores): "
                 "absolute figures are lower and spreads wider than on a quiet machine; compare "
                 "cells with each other, and trust only differences whose ranges do not overlap.")
    return line


def environment_lines(env):
    """The machine and build lines of a method block, from a result's environment."""
    return [f"- Machine: {env.get('cpu_model', '?')}, {env.get('cores', '?')} cores, "
            f"{env.get('kernel', '?')}, CPU governor {env.get('governor', '?')}.",
            f"- Build: {env.get('compiler', '?')} `{env.get('cxx_flags', '')}` "
            f"({env.get('build_type', '?')}), allocator "
            f"{env.get('allocator', 'not recorded')}; commit `{env.get('commit', '?')}`; "
            f"measured {env.get('date_utc', '?')}."]



def machine_lines(data):
    """Machine, build, commit, load and the per-CPU probe: the same for every report of a run, so
    written once on method.md."""
    lines = []
    used = list(data.matrices.values())
    env = used[0].environment if used else {}
    if env:
        lines += environment_lines(env)
        commits = sorted({m.environment.get("commit", "?") for m in used})
        if len(commits) > 1:
            lines.append(f"- **Matrices from different commits:** {', '.join(commits)}.")
    else:
        lines.append("- Machine and commit: unknown (no matrix result is in this run).")
    lines.append(_load_line(data, env.get("cores")))
    speed_line = _cpu_speed_line(data)
    if speed_line:
        lines.append(speed_line)
    return lines


STATISTIC_LINE = ("- Statistic: the median of the timed repetitions of a cell, with the range "
                  "[min–max]; throughput = records / wall time of the job thread. A ratio over "
                  "`direct` is the median of the ratios of passes run back to back with direct "
                  "(order alternating), with its 95% interval (sign test) in brackets; a ratio "
                  "between cells that were not paired (peers, two variants of one strategy) is "
                  "median/median with [lowest–highest] over the repetitions' extreme pairs.")
MICROBENCH_LINE = ("- Microbenches (Google Benchmark): median wall time (real_time) per "
                   "iteration, [min–max] over the repetitions.")


# Probes within this factor of the median are one cross-core regime (kLineRegimeBand in
# harness/job/line_round_trip.h).
LINE_REGIME_BAND = 1.5


def regime_text(matrix):
    """What the cross-core probe before each pair saw, or "" for a matrix without probes."""
    probes = sorted(ns for c in matrix.cells for ns in c.line_round_trips())
    if not probes:
        return ""
    n = len(probes)
    mid = probes[n // 2] if n % 2 else (probes[n // 2 - 1] + probes[n // 2]) / 2
    low, high = mid / LINE_REGIME_BAND, mid * LINE_REGIME_BAND
    outside = sum(1 for ns in probes if ns < low or ns > high)
    return (f" A cache line's round trip between CPU slots 0 and 1, probed before each pair: "
            f"median {mid:.0f} ns; {outside} of {n} pairs ({100 * outside / n:.0f}%) ran in "
            f"another cross-core regime (outside {low:.0f}-{high:.0f} ns). Every pair counts in "
            f"the ratios here; the overhead model sets those apart.")


def pairing_text(spec):
    """When a paired cell stopped adding pairs, from the matrix's own settings (older results
    name none)."""
    if "target_half_width" not in spec or "cell_budget_s" not in spec:
        return ""
    overhead = spec.get("target_overhead_half_width", 0)
    also = f" and +-{100 * overhead:.0f}% of the overhead" if overhead > 0 else ""
    return (f" at least (a paired cell's pairs are added until its ratio's interval is "
            f"+-{100 * spec['target_half_width']:.0f}%{also}, or {spec['cell_budget_s']:g} s "
            f"of passes are spent)")


def matrix_line(data, name):
    m = data.matrix(name)
    if m is None:
        return f"- Matrix `{name}`: **missing** ({data.missing_reason(name)})."
    spec = m.spec
    records = sorted({c.records for c in m.cells})
    quick = " (quick: small data, not for publishing)" if spec.get("quick") else ""
    pinned = (" Threads pinned by role (`pin_threads`: partition p's SQL work on the same "
              "CPU in every cell)." if any(c.config.get("pin_threads") for c in m.cells) else "")
    sources = sorted({c.source for c in m.cells if not c.peer})
    source = (f" Records from the {', '.join(f'`{s}`' for s in sources)} source"
              f"{'s' if len(sources) > 1 else ''} ([sources]({METHOD_PAGE}#sources))."
              if sources else "")
    return (f"- Matrix `{name}`{quick}: records per cell "
            f"{', '.join(fmt_count(r) for r in records)}; "
            f"{spec.get('repetitions', '?')} timed repetitions{pairing_text(spec)} after "
            f"{spec.get('warmup', '?')} warm-up pass(es), interleaved across cells in a "
            f"shuffled order; every pass's output checked against direct's.{pinned}{source}"
            f"{regime_text(m)}")


def method_block(data, matrices, microbench=(), notes=()):
    """A report's own method, last in the report: a link to method.md (machine, build, load,
    probes, statistics, verdict words) and only what this report adds: its matrices' records,
    repetitions and warm-up, its microbenches, its notes."""
    lines = ["## Method", "",
             f"Machine, build, load, per-CPU probes, statistics and the verdict words: "
             f"[method.md]({METHOD_PAGE}). What this report adds:", ""]
    for name in matrices:
        lines.append(matrix_line(data, name))
    for binary in microbench:
        benches = data.benches(binary)
        if not benches:
            lines.append(f"- Microbench `{binary}`: **missing** (no `microbench/{binary}.json`).")
            continue
        reps = sorted({b.n for b in benches.values()})
        lines.append(f"- Microbench `{binary}`: "
                     f"{'/'.join(str(r) for r in reps)} repetition(s) per benchmark.")
    for note in notes:
        lines.append(f"- {note}")
    return "\n".join(lines) + "\n"
