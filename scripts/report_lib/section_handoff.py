"""The hand-off section of zero-copy.md: seed 002's Arc<StreamRecord> change run end to end
(matrix `handoff`, issue 24). adaptive's reader decodes each record (materialized source) and
hands it to a worker by move, share or deep-copy; each cell against direct on the same source,
the copy's cost against the share's, the seed's 287K -> 369K beside ours, and what the overhead
model (explain_handoff.json) puts on the copies. Plus the finding it gives."""

from . import common
from . import markdown as md

MATRIX = "handoff"
HANDOFFS = ("move", "share", "deep-copy")
HANDOFF_WORDS = {
    "move": "the record's one owner passes it on (nothing touched per record)",
    "share": "the worker gets a new reference and the reader drops its own (one atomic increment "
             "and one decrement per record: seed 002's `Arc<StreamRecord>`)",
    "deep-copy": "the worker gets a fresh copy and the reader frees the original (one allocation "
                 "and the values copied per record: seed 002's `clone()` before its change)",
}
SEED_002 = "seed 002, `002_b6628579865f379b.txt`"
# Seed 002's own figures (its 'Executive Summary' table), not ours.
SEED_BEFORE, SEED_SHARED, SEED_FINAL = 287_000, 368_890, 399_970
SEED_GAIN = SEED_SHARED / SEED_BEFORE  # 1.285: its clones removed, before its async-boundary step
GAIN_BAND = (1 + (SEED_GAIN - 1) / 2, 1 + (SEED_GAIN - 1) * 2)  # half to twice the seed's gain
SEED_SAVED_NS = 1e9 / SEED_BEFORE - 1e9 / SEED_SHARED  # 774 ns a record, by the seed's figures


def _adaptive(m, scenario, partitions, handoff):
    cells = [c for c in m.find(scenario=scenario, strategy="adaptive", partitions=partitions)
             if c.handoff == handoff]
    return cells[0] if cells else None


def _gain(deep, cheaper):
    """How many times the time of `cheaper` the deep-copy (or share) cell took: the ratio of
    their paired ratios over direct (both ran paired with the same direct), with the interval
    from the ends of their two 95% intervals (wider than either); None unless both have pairs."""
    a = deep.paired() if deep is not None else None
    b = cheaper.paired() if cheaper is not None else None
    if a is None or b is None:
        return None
    return (a[0] / b[2], a[1] / b[1], a[2] / b[0])


def _saved_ns(m, scenario, deep, share):
    """ns a record that sharing saved against deep copies: the difference of their paired ratios
    times direct's median wall time per record; None without direct or pairs."""
    direct = next((c for c in m.find(scenario=scenario, strategy="direct") if c.ok), None)
    a, b = deep.paired(), share.paired()
    if direct is None or a is None or b is None or not direct.records:
        return None
    walls = sorted(direct.wall_ns())
    return (a[1] - b[1]) * walls[len(walls) // 2] / direct.records


def _table(report, m):
    rows = []
    for scenario in m.scenarios():
        direct = next((c for c in m.find(scenario=scenario, strategy="direct")), None)
        if direct is not None:
            rows.append([f"`{scenario}`", "direct", "—", md.cell_text(direct), "1.00x", "—"])
        for partitions in sorted({c.partitions for c in m.find(scenario=scenario,
                                                                 strategy="adaptive")}):
            move = _adaptive(m, scenario, partitions, "move")
            for handoff in HANDOFFS:
                cell = _adaptive(m, scenario, partitions, handoff)
                if cell is None:
                    continue
                paired = cell.paired() if cell.ok else None
                rows.append([f"`{scenario}`", f"adaptive p{partitions}", f"`{handoff}`",
                             md.cell_text(cell), md.ratio_text(paired) if paired else "no pairs",
                             "—" if handoff == "move" else md.ratio_text(_gain(cell, move))])
    report.add("records/s (median [range] of the uninstrumented passes); time against direct on "
               "the same scenario and source (median of the passes paired back to back with "
               "direct, 95% interval); time against the same pipeline with `move` (the ratio of "
               "the two cells' paired ratios over direct, its interval from the ends of theirs).\n")
    report.add(md.table(["scenario", "strategy", "hand-off", "records/s", "time vs direct",
                         "time vs move"], rows))


def _verdict(report, m):
    report.add(md.seed_claim(
        "handing records on as `Arc<StreamRecord>` instead of cloning them took the pipeline from "
        "287K to 369K records/s (+28.5%), and to 400K (+39.3%) with one async boundary removed "
        "too", f"{SEED_002}, 'Executive Summary'"))
    scenario = "s0_pure_select"  # the seed's passthrough query
    deep, share = _adaptive(m, scenario, 1, "deep-copy"), _adaptive(m, scenario, 1, "share")
    r = _gain(deep, share)
    if r is None:
        report.add(md.verdict("not measurable here", f"adaptive p1 on `{scenario}` with `share` "
                              "and `deep-copy` is not in this run.", "needs both."))
        return
    saved = _saved_ns(m, scenario, deep, share)
    absolute = "" if saved is None else (
        f" That is {md.fmt_ns(saved)} a record against the seed's {md.fmt_ns(SEED_SAVED_NS)} "
        f"(1/287K - 1/369K), out of a record's {md.fmt_ns(1e9 / deep.rate()['median'])} here "
        f"before the change and {md.fmt_ns(1e9 / SEED_BEFORE)} in the seed's pipeline.")
    report.add(md.verdict(
        common.band_verdict(r, *GAIN_BAND),
        f"on `{scenario}` (the seed's passthrough), adaptive p1 with deep copies took "
        f"{md.ratio_text(r)} the time of the same pipeline sharing its records: "
        f"{(r[1] - 1) * 100:+.1f}% throughput from sharing, against the seed's "
        f"{(SEED_GAIN - 1) * 100:+.1f}%." + absolute,
        f"band {GAIN_BAND[0]:.3f}x-{GAIN_BAND[1]:.3f}x (half to twice the seed's gain, as a "
        "ratio: the two pipelines' costs per record differ too much to compare in ns); "
        + common.BAND_RULE + "."))


def _short(cell_id):
    """'`s0_pure_select` p2 `share`' from a handoff cell's id."""
    parts = cell_id.split("/")
    p = next((x for x in parts if x[:1] == "p" and x[1:].isdigit()), "p?")
    h = next((x[2:] for x in parts if x.startswith("h-")), "move")
    return f"`{parts[0]}` adaptive {p} `{h}`"


def _model_table(report, data):
    common.add_model_table(
        report, data, MATRIX, "The model over the hand-offs", "The predicted copy costs need it.",
        "The overhead model over the same cells (`streamgauge explain handoff.json`): the "
        "measured overhead over direct per record with its 95% interval, the prediction, and its "
        "`record_copies` term (`copy/record/share` or `copy/record/deep_copy` from "
        "`bench_record_copies` per record handed off, where the reader is the critical path).\n",
        ("record_copies",), "of which copies", _short)


def add(report, data):
    report.add(f"## Seed 002's pipeline end to end: move, share or deep-copy at the hand-off "
               f"(matrix `{MATRIX}`)\n")
    report.add("adaptive's reader decodes each record from an encoded log (the `materialized` "
               "source) and hands it to a worker: " +
               "; ".join(f"`{h}`: {w}" for h, w in HANDOFF_WORDS.items()) +
               ". The seed's pipeline also cloned on the way to its writer; ours hands the "
               "output rows over without a copy, so this is one hand-off per record.\n")
    m = data.matrix(MATRIX)
    if m is None:
        report.add(md.missing_section("Hand-offs", data.missing_reason(MATRIX),
                                      "The move/share/deep-copy pipeline needs it."))
        return
    _table(report, m)
    _verdict(report, m)
    _model_table(report, data)


def finding(data):
    m = data.matrix(MATRIX)
    if m is None:
        return None
    scenario = "s0_pure_select"
    cells = {h: _adaptive(m, scenario, 1, h) for h in HANDOFFS}
    if any(c is None or not c.ok for c in cells.values()):
        return None
    share, move = _gain(cells["deep-copy"], cells["share"]), _gain(cells["deep-copy"], cells["move"])
    if share is None or move is None:
        return None
    rates = ", ".join(f"{md.fmt_rate(cells[h].rate()['median'])} records/s with `{h}`"
                      for h in HANDOFFS)
    if share[0] > 1.0:
        meaning = "copying at the hand-off is a cost worth removing in a pipeline like the seed's"
    elif GAIN_BAND[0] <= share[1] <= GAIN_BAND[1]:
        meaning = ("the median gain is the seed's order, but the interval reaches no gain at all: "
                   "more pairs would settle whether sharing pays here")
    else:
        meaning = "sharing instead of copying made no difference beyond the passes' spread here"
    return (f"Run end to end on the seed's passthrough with records decoded by the reader, "
            f"adaptive p1 ran {rates}: a deep copy at the hand-off took {md.ratio_text(share)} "
            f"the time of sharing the record ({(share[1] - 1) * 100:+.1f}% throughput from "
            f"sharing; seed 002: {(SEED_GAIN - 1) * 100:+.1f}% from 287K to 369K) and "
            f"{md.ratio_text(move)} that of moving it: {meaning}.")
