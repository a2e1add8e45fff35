"""Sections of startup.md (seed 000): what lazy and spawn-less each save against eager at every
row count of the run, in words and numbers; and the anomalies (streaming faster than direct,
lazy slower than eager) checked against the run's own CPU times and spreads."""

from statistics import median

from . import common
from . import markdown as md

SCENARIO = "startup_small_results"


def cells_by_mode(m, n):
    """{mode: cell} of streaming at n rows (engine sql), and direct's cell, measured ones only."""
    modes = {}
    for c in m.find(scenario=SCENARIO, strategy="streaming", engine="sql", records=n,
                    partitions=1):
        if c.ok:
            modes[c.config.get("streaming", "eager")] = c
    direct = next((c for c in m.find(scenario=SCENARIO, strategy="direct", engine="sql",
                                     records=n) if c.ok), None)
    return modes, direct


def _saving(eager, other):
    """(median saving in ns, relation): 'faster' when every repetition of `other` beat every one
    of eager's, 'slower' for the reverse, 'overlap' otherwise."""
    saving = median(eager.wall_ns()) - median(other.wall_ns())
    relation, _ = common.compare(other, eager)
    return saving, relation


def _words(mode, saving, relation, eager):
    share = saving / median(eager.wall_ns()) * 100
    if relation == "faster":
        return f"{mode} saves {md.fmt_ns(saving)} ({share:.1f}% of eager's time)"
    if relation == "slower":
        return f"{mode} costs {md.fmt_ns(-saving)} more ({-share:.1f}% of eager's time)"
    return (f"{mode} differs by {md.fmt_ns(saving)} ({share:+.1f}%), within the spread of the "
            "repetitions: no saving shown")


def savings(m):
    """[(rows, {mode: (saving, relation)}, eager)] for every row count with an eager cell."""
    out = []
    counts = sorted({c.records for c in m.cells if c.scenario == SCENARIO})
    for n in counts:
        modes, _ = cells_by_mode(m, n)
        eager = modes.get("eager")
        if eager is None:
            continue
        out.append((n, {mode: _saving(eager, c) for mode, c in modes.items() if mode != "eager"},
                    eager))
    return out


def add_savings(report, data):
    m = data.matrix("startup")
    report.add("## What lazy and spawn-less save (seed 000's plan)\n")
    if m is None:
        report.add(md.missing_section("Lazy and spawn-less savings", data.missing_reason("startup"),
                                      "The savings per row count need it."))
        return
    rows, sentences = [], []
    for n, by_mode, eager in savings(m):
        row = [md.fmt_count(n), md.fmt_ns(median(eager.wall_ns()))]
        words = []
        for mode in ("lazy", "spawnless", "pooled"):
            if mode not in by_mode:
                row.append("—")
                continue
            saving, relation = by_mode[mode]
            row.append(f"{md.fmt_ns(saving)} ({relation or '—'})")
            if mode in ("lazy", "spawnless"):
                words.append(_words(mode, saving, relation, eager))
        rows.append(row)
        if words:
            sentences.append(f"- At {md.fmt_count(n)} rows: " + "; ".join(words) + ".")
    report.add("Saving = eager's median wall time - the mode's (positive: the mode is faster); "
               "'faster' / 'slower' when every repetition is, 'overlap' when the ranges overlap "
               "(then the run shows no difference).\n")
    report.add(md.table(["rows", "eager (median wall)", "lazy saves", "spawn-less saves",
                         "pooled saves"], rows))
    if sentences:
        report.add("\n".join(sentences) + "\n")


def _cpu_per_wall(cell):
    return median(s["cpu_ns"] / s["wall_ns"] for s in cell.samples if s.get("wall_ns"))


def add_anomalies(report, data):
    m = data.matrix("startup")
    report.add("## Anomalies, checked\n")
    if m is None:
        report.add(md.missing_section("Anomalies", data.missing_reason("startup"),
                                      "The checks need the streaming and direct cells."))
        return
    lines = []
    for n in sorted({c.records for c in m.cells if c.scenario == SCENARIO}):
        modes, direct = cells_by_mode(m, n)
        eager, lazy = modes.get("eager"), modes.get("lazy")
        if eager and direct and common.compare(eager, direct)[0] == "faster":
            ratio_e, ratio_d = _cpu_per_wall(eager), _cpu_per_wall(direct)
            why = ("explained: the producer thread overlapped the job thread's consuming, which "
                   "direct does in sequence on one thread" if ratio_e > ratio_d * 1.05 else
                   "unexplained: streaming used no more CPU per wall second than direct, so "
                   "overlap of two threads does not explain it")
            lines.append(f"- **Streaming faster than direct at {md.fmt_count(n)} rows** "
                         f"({md.ratio_text(md.ratio_range(eager, direct))} of direct's time, "
                         f"every repetition faster). Check: CPU time per wall second, "
                         f"{ratio_e:.2f} for eager streaming against {ratio_d:.2f} for direct: "
                         f"{why}.")
        if eager and lazy and median(lazy.wall_ns()) > median(eager.wall_ns()):
            relation, r = common.compare(lazy, eager)
            why = ("within the spread of the repetitions (the ranges overlap): not a difference "
                   "this run can show" if relation == "overlap" else
                   "every repetition slower: unexplained; lazy only defers the pause state "
                   "(bench_startup's step), which cannot cost this much")
            lines.append(f"- **Lazy slower than eager at {md.fmt_count(n)} rows** "
                         f"({md.ratio_text(r)} of eager's time). Check: {why}.")
    report.add("\n".join(lines) + "\n" if lines else
               "No streaming cell was faster than direct in every repetition, and lazy was "
               "nowhere slower than eager by its median.\n")
