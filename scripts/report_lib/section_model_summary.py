"""coordination-overhead.md, right after its findings: how much of each strategy's overhead the
overhead model explains (issue 19's bar: 90-110% of the overhead summed over the cells above the
noise floor), then the unit costs the model had to price at 0."""

from . import markdown as md
from . import model_summary
from . import section_held_out
from .model_summary import share_text


NOTES = "docs/design-notes.md"


def lead_line(leads, group):
    """'What the data points to: ...' for `group` from `leads`, (group prefix, text, design-notes
    anchor) tuples, the first matching prefix winning; None when none matches."""
    for prefix, text, anchor in leads:
        if group.startswith(prefix):
            return (f"What the data points to: {text} (tried so far, with the numbers: "
                    f"[{NOTES}#{anchor}](../{NOTES}#{anchor})).")
    return None

# What the data points to where an injected-work cell misses, by (strategy, partitions): terms
# and mechanisms only; the figures are the run's, in the table above.
INJECTED_LEADS = {
    # Under-predicted: the cells cost more than the model says.
    ("adaptive", 2, "under"):
        "pinned, the reader shares CPU slot 0 with worker 0; with this much work a record the "
        "workers fall behind, the reader runs ahead by up to the queue's capacity and, beyond "
        "about 16 batches, its own CPU time per record grows, which no term prices yet (the "
        "default queue has been 16,384 records deep since this was found; the matrix "
        "`queue_capacity` shows the deeper queues' cost). The growth is the allocator's "
        "free-list load missing the cache. No microbench reproduces it yet: not two threads "
        "taking turns, whatever the records in flight, the CPU they share or the frees' bursts, "
        "nor a maker beside a worker slowed by the same rounds over a real queue, nor a maker "
        "whose records two threads free, one at once and one a queue's worth later",
    # Over-predicted: the cells cost less than the model says.
    ("adaptive", 2, "over"):
        "the cells came out below the prediction. Most of the gap is `parallel_work`: the "
        "prediction slows the busiest CPU (the reader and worker 0) by the other CPU's injected "
        "rounds running beside it, at the capacity `machine/parallel_injected` read in this run, "
        "and the cells did not slow by that much. That capacity moves by several percent from "
        "one reading to the next on this VM, and the prediction with it",
}


def meets_text(s):
    if s.meets is None:
        return "— (all within noise)"
    return "yes" if s.meets else "**no**"


def _noise_text(s):
    between = f" ({s.within_process_floor} between processes)" if s.within_process_floor else ""
    return f"{s.within_noise}{between}"


def _row(s):
    return [s.group, str(s.cells), _noise_text(s), str(s.artifacts), str(s.above_noise),
            f"{s.within_20pct} of {s.above_noise}", f"{s.measured_ns:.1f}",
            f"{s.predicted_ns:.1f}", share_text(s.explained_share), meets_text(s)]


def table(summary):
    return md.table(["strategy", "cells", "within noise", "artifacts", "above noise",
                     "within +-20%", "measured ns/rec", "predicted ns/rec", "explained share",
                     "meets the bar"], [_row(s) for s in summary],
                    align="lrrrrrrrrl")


def regime_paragraph(regime):
    """What the cross-core probe before each pair said, and what the model left out for it; None
    for a run without probes (older results, --no-line-probe)."""
    if not regime:
        return None
    pairs, outside = regime.get("pairs", 0), regime.get("pairs_outside", 0)
    share = f" ({100 * outside / pairs:.0f}%)" if pairs else ""
    probes = regime.get("microbench_probes", 0)
    pooled = f" and {probes} probes around microbench repetitions" if probes else ""
    text = (f"Cross-core regime: before each pair the matrix timed a cache line's round trip "
            f"between CPU slots 0 and 1, and so did the probed microbenches around each "
            f"repetition; the median was {regime.get('line_round_trip_ns', 0):.0f} ns over "
            f"{pairs} pairs{pooled}. The host moves this VM's vCPUs, and every cost of "
            f"crossing cores moves with it, so the {outside} pairs{share} probed outside "
            f"{regime.get('low_ns', 0):.0f}-{regime.get('high_ns', 0):.0f} ns are left out of the "
            f"measured overheads above, and microbench repetitions probed outside that band "
            f"(before or after their timed loop) out of the unit costs (the headline ratios "
            f"elsewhere keep every pair).\n")
    notes = regime.get("notes", [])
    if notes:
        text += "\n" + "\n".join(f"- {n}" for n in notes) + "\n"
    return text


def _kind_of(floor, calling_thread):
    """The readings of one kind of A/A pair, and the share of direct's time explain took from
    them (results from before the calling-thread pair: every reading is of threads of their
    own)."""
    readings = [r for r in floor.get("readings") or []
                if bool(r.get("calling_thread")) == calling_thread]
    key = "calling_thread_fraction" if calling_thread else "fraction"
    return readings, floor.get(key, 0.0)


def process_floor_paragraph(floor):
    """What the A/A pairs read in separate processes, and the noise floor explain took from each
    kind; None for a run that did not measure it (scripts/run before it did)."""
    if not floor or not floor.get("readings"):
        return None
    widths = [max(r.get("high", 1.0) - r.get("ratio", 1.0), r.get("ratio", 1.0) - r.get("low", 1.0))
              for r in floor["readings"]]
    slowed = floor.get("left_out_slowed_host") or []
    left = ""
    if slowed:
        left = (f" Left out: {len(slowed)} reading(s) taken while the host slowed the VM, where "
                f"direct itself ran more than 15% over its median across the processes (" +
                "; ".join(f"{r.get('ratio', 1.0):.3f}x, direct at {r.get('direct_ns', 0.0):.1f} "
                          f"ns a record" for r in slowed) + ").")
    kinds = []
    for calling_thread, pair, cells in (
            (False, "direct's loop on a thread of its own, lockless_stp at one partition",
             "the cells that run threads of their own"),
            (True, "direct's loop on the calling thread with one uncontended lock a batch more, "
                   "batch_lock", "per_record_lock's and batch_lock's, which run on the calling "
                                 "thread")):
        readings, fraction = _kind_of(floor, calling_thread)
        if not readings:
            if calling_thread:
                kinds.append("this run has no calling-thread pair, so per_record_lock's and "
                             "batch_lock's cells get no floor from it")
            continue
        ratios = [r.get("ratio", 1.0) for r in readings]
        kinds.append(f"{pair}, read {min(ratios):.3f}x to {max(ratios):.3f}x of direct over "
                     f"{len(ratios)} cells, and an overhead no more than {100 * fraction:.1f}% of "
                     f"direct's time, the furthest it read from 1, is within noise for {cells}")
    return (f"Noise floor between processes: a cell's pairs all run in one process, so its "
            f"interval holds how its passes vary, not how the process does. A/A pairs, the same "
            f"work on both sides against direct (`scenarios/matrix/between_processes.toml`), ran "
            f"in {floor.get('processes', 0)} separate processes, each within "
            f"+-{100 * max(widths):.1f}% or less in its own process: " + "; ".join(kinds) +
            f" (\"between processes\" in the table); an artifact further off than that stays an "
            f"artifact ([{NOTES}#layout-between-processes](../{NOTES}#layout-between-processes))."
            f"{left}\n")


def add(report, data):
    ex = data.explain
    report.add("## How much of each strategy's overhead the model explains\n")
    if ex is None:
        report.add(md.missing_section("Explained share per strategy",
                                      data.missing_reason("explain"),
                                      "The per-strategy shares come from the overhead model."))
        return
    summary, computed = model_summary.summary_of(ex)
    low, high = model_summary.REQUIRE, 2 - model_summary.REQUIRE
    report.add("Per strategy over every scenario: the cells whose measured overhead's 95% interval "
               "contains 0, or that lie within the noise floor between processes (below the "
               "table), are within noise and left out, and so are the artifacts: cells of a "
               "strategy that does direct's work plus more which the pairs read as faster than "
               "direct beyond their interval (the matrix flags them: the method's own error, not "
               "a cost); over the others, measured and predicted "
               "are ns per record summed over the cells, a cell faster than direct by its saving "
               "and its prediction sign flipped (so that costs and savings add up rather than "
               "cancel), explained share = predicted / measured, "
               f"and the bar is a share inside {low:.0%}-{high:.0%} with at least "
               f"{model_summary.CELLS_REQUIRE:.0%} of the cells above noise predicted within "
               "+-20% of their measured overhead (`streamgauge explain --require 0.9` gates on "
               "the same bar).\n")
    if computed:
        report.add(model_summary.computed_text(ex) + "\n")
    if not summary:
        report.add("The model explained no cell (no row in `explain.json`).\n")
    else:
        report.add(table(summary))
    for text in (process_floor_paragraph(ex.get("process_floor")),
                 regime_paragraph(ex.get("regime"))):
        if text:
            report.add(text)
    slowed = md.host_slowdown_text(data)
    if slowed:
        report.add(f"{slowed} The microbenches that price the model and the cells it predicts "
                   "ran in different minutes ([method](method.md)), so the shares above move with "
                   "the host as much as with the model.\n")
    problems = ex.get("unit_cost_problems", [])
    if problems:
        report.add("Unit-cost problems (a component whose microbench difference came out "
                   "negative, priced at 0 rather than counted as a saving):\n\n" +
                   "\n".join(f"- {p}" for p in problems) + "\n")


def add_validation(report, data):
    """The model's two checks that it cannot game: a second, independent matrix predicted from the
    same microbenches (held out: nothing is fitted on it), and cells with a known cost added per
    record (inject_work), whose difference from the same cell without it must come out within
    10% of that cost."""
    report.add("## Validation: a held-out matrix and injected work\n")
    ex = data.explain_validation
    if ex is None:
        report.add(md.missing_section("Validation", data.missing_reason("explain_validation"),
                                      "The held-out shares and the injected-work checks come "
                                      "from it."))
        return
    summary, _ = model_summary.summary_of(ex)
    held_out = [s for s in summary if not any(part.startswith("w") and part[1:].isdigit()
                                              for part in s.group.split())]
    report.add("`scenarios/matrix/model_validation.toml` is a second matrix, run apart from the "
               "default one; the model predicts it from the same microbenches, with nothing "
               "fitted on either. Its plain cells:\n")
    if held_out:
        report.add(table(held_out))
    short = [s for s in held_out if s.meets is False]
    if short:
        default_rows = data.explain.get("rows", []) if data.explain else []
        report.add("Held out, short of the bar (each cell predicted outside +-20%, beside the "
                   "default matrix's reading of the same cell):\n\n" +
                   "\n".join(section_held_out.lines(short, ex.get("rows", []), default_rows))
                   + "\n")
    checks = ex.get("injected_checks", [])
    if not checks:
        report.add("No injected-work cell had its twin without injected work in this run.\n")
        return
    passed = sum(1 for c in checks if c.get("within_10pct"))
    report.add(f"Injected work: each cell below does its strategy's work plus N rounds of a "
               f"dependent integer mix per record (priced by the `work/injected` microbench, in "
               f"per_record_lock's cells by its per-record loop under the lock; "
               f"where CPUs run them at once, at `machine/parallel_injected`'s capacity); "
               f"measured = its overhead minus that of the same cell without them; predicted = "
               f"the model's prediction for it minus its prediction for that cell: the rounds on "
               f"the critical path, and what they change in the rest (which path is critical, "
               f"the waits that go, how the CPUs slow each other). "
               f"{passed} of {len(checks)} within 10% of the prediction.\n")
    rows = [[f"`{c.get('cell', '?')}`", str(c.get("rounds", "?")),
             f"{c.get('predicted_ns_per_record', 0):.1f}",
             f"{c.get('measured_ns_per_record', 0):.1f}",
             "yes" if c.get("within_10pct") else "**no**"] for c in checks]
    report.add(md.table(["cell", "rounds", "predicted ns/rec", "measured ns/rec",
                         "within 10%"], rows, align="lrrrl"))
    missed = sorted({(*_strategy_of(c["cell"]), _direction(c)) for c in checks
                     if not c.get("within_10pct") and _strategy_of(c.get("cell", ""))})
    lines = []
    for strategy in missed:
        lead = INJECTED_LEADS.get(strategy)
        lines.append(f"- Missed by {strategy[0]} p{strategy[1]} ({strategy[2]}-predicted): "
                     + (f"{lead} (with the numbers: [{NOTES}#model-shortfalls]"
                        f"(../{NOTES}#model-shortfalls))." if lead else
                        "no lead recorded yet."))
    if lines:
        report.add("\n".join(lines) + "\n")


def _direction(check):
    """'under' where the cell cost more than predicted, 'over' where less."""
    return ("under" if check.get("measured_ns_per_record", 0) >
            check.get("predicted_ns_per_record", 0) else "over")


def _strategy_of(cell_id):
    """(strategy, partitions) from a cell id "scenario/strategy/engine/bB/pN/...", or None."""
    parts = cell_id.split("/")
    partitions = next((p[1:] for p in parts[3:] if p.startswith("p") and p[1:].isdigit()), None)
    return (parts[1], int(partitions)) if len(parts) > 1 and partitions else None


def add_mutations(report, data):
    """Each term left out in turn (explain --drop TERM): the strategies whose share it carries
    must fall; a term whose removal moves nothing does not pull its weight."""
    if not data.explain_drops or data.explain is None:
        return
    full = {s.group: s.explained_share for s in model_summary.summary_of(data.explain)[0]}
    groups = [g for g, share in full.items() if share is not None]
    report.add("## Mutation check: each term left out in turn\n")
    report.add("The explained share of each strategy with the model whole, then with one term "
               "priced at 0 (`streamgauge explain --drop TERM`). A term is needed where its "
               "removal moves a share away from 100%.\n")
    rows = [["(whole model)"] + [share_text(full[g]) for g in groups]]
    for term, ex in sorted(data.explain_drops.items()):
        dropped = {s.group: s.explained_share for s in model_summary.summary_of(ex)[0]}
        rows.append([f"without `{term}`"] + [share_text(dropped.get(g)) for g in groups])
    report.add(md.table(["model"] + groups, rows, align="l" + "r" * len(groups)))
