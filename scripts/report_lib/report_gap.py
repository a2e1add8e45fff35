"""gap-analysis.md (seed 004): the seed's hypotheses for the gap between direct execution and
coordinated batches, each measured, with its measured share of the gap.

The gap is split phase by phase: every thread's phases plus `unattributed` add up to its
lifetime, so (phase time of the coordinated run - phase time of direct), summed over phases, is
exactly the extra thread time. Each hypothesis is then read off the phase that contains it.
"""

from . import charts
from . import common
from . import findings_gap
from . import section_seed004
from . import markdown as md
from .load import PHASES

SEED = "seed 004, `004_15946863b99488ad.txt`"
PREFERRED = "s2_group_by"  # the seed's worst case (47.5x)

# (hypothesis, seed's estimated share in %, seed section)
SEED_SHARES = {
    "locks": (1.0, "'Root Cause Analysis Summary': Arc<Mutex> locks <1%"),
    "reader clones": (5.0, "'Root Cause Analysis Summary': DataReader clone 5%"),
    "channels": (30.0, "'Root Cause Analysis Summary': channel overhead 30%"),
    "metrics": (5.0, "'Root Cause Analysis Summary': metrics collection 5%"),
    "hand-offs": (40.0, "'Root Cause Analysis Summary': async context switches 40%"),
    "record clones": (15.0, "'Root Cause Analysis Summary': record cloning 15%"),
}


def _phase_delta(cell, direct, n):
    """Per phase: (thread time of cell's median repetition - direct's) per record, in ns.
    For multi-threaded cells the job thread's `waiting` (joining the workers) is left out of both
    the phases and the total: it is the wall-clock shadow of the other threads' work."""
    s, d = cell.median_sample(), direct.median_sample()

    def per_phase(sample):
        out = {p: 0.0 for p in PHASES}
        threads = sample["threads"]
        for i, t in enumerate(threads):
            for p in PHASES:
                if i == 0 and p == "waiting" and len(threads) > 1:
                    continue
                out[p] += t["phase_ns"].get(p, 0)
        return out

    a, b = per_phase(s), per_phase(d)
    return {p: (a[p] - b[p]) / n for p in PHASES}


def _split_table(report, m, scenario, batch, n):
    direct = m.one(scenario=scenario, strategy="direct", engine="sql", batch_size=batch, records=n)
    cells = {}
    for strategy, parts in (("per_record_lock", 1), ("batch_lock", 1), ("adaptive", 1),
                            ("lockless_stp", 1)):
        cells[strategy] = m.one(scenario=scenario, strategy=strategy, engine="sql",
                                batch_size=batch, partitions=parts, records=n)
    if direct is None or not direct.ok:
        report.add(md.verdict("not measurable here", f"direct/sql of `{scenario}` was not "
                              f"measured ({md.cell_text(direct)}).", "every share needs it."))
        return None, {}
    rows, deltas = [], {}
    for strategy, cell in cells.items():
        if cell is None or not cell.ok:
            rows.append([strategy, md.cell_text(cell)] + [""] * (len(PHASES) + 1))
            continue
        delta = _phase_delta(cell, direct, n)
        deltas[strategy] = (cell, delta)
        total = sum(delta.values())
        rows.append([strategy, f"{total:.1f}"] + [f"{delta[p]:.1f}" for p in PHASES] +
                    [f"{sum(delta.values()):.1f}"])
    report.add(f"## The gap, phase by phase (`{scenario}`, engine `sql`, batch {batch}, "
               f"{md.fmt_count(n)} records)\n\n"
               "Extra thread time over direct, ns per record, from each cell's median repetition. "
               "The phase columns add up to the total (the `sum` column repeats it as a check); "
               "negative means less than direct spent in that phase.\n")
    report.add(md.table(["strategy", "extra ns/record"] + list(PHASES) + ["sum"], rows))
    return direct, deltas


def _share(deltas, strategy, phases):
    if strategy not in deltas:
        return None, None
    cell, delta = deltas[strategy]
    total = sum(delta.values())
    part = sum(delta[p] for p in phases)
    return part, (part / total * 100 if total > 0 else None)


# Hypothesis -> (the cell it is read from, the overhead model's components that price it).
MODEL_COMPONENTS = {
    "locks": ("batch_lock", ("locks",)),
    "reader clones": ("batch_lock", ("record_copies",)),
    "channels": ("adaptive", ("queue_push", "queue_pop", "channel")),
    "metrics": ("batch_lock", ("clock_reads",)),
    "hand-offs": ("adaptive", ("handoffs", "threads")),
    "record clones": (None, ()),
}


def _model_share(data, deltas, name):
    """The overhead model's predicted share for a hypothesis: its components' predicted ns per
    record / the cell's measured overhead (both from explain.json; unit costs are microbenched,
    counts are the run's own)."""
    strategy, components = MODEL_COMPONENTS[name]
    if data.explain is None:
        return "explain.json missing"
    if not strategy or strategy not in deltas:
        return "—"
    cell_id = deltas[strategy][0].id
    row = next((r for r in data.explain.get("rows", []) if r.get("cell") == cell_id), None)
    if row is None:
        return "no model row"
    predicted = sum(c.get("predicted_ns_per_record", 0) for c in row.get("components", [])
                    if c.get("name") in components)
    measured = row.get("measured_ns_per_record", 0)
    if measured <= 0:
        return f"{predicted:.1f} ns/rec (no positive overhead)"
    return f"{predicted / measured * 100:.1f}% ({predicted:.1f} of {measured:.1f} ns/rec)"


def _hypotheses(report, data, m, deltas, direct):
    rows, ours, theirs, names = [], [], [], []

    def add(name, evidence, share_pct, outcome, why):
        seed_pct, section = SEED_SHARES[name]
        rows.append([name, evidence, md.fmt_pct(share_pct), _model_share(data, deltas, name),
                     f"{'<' if name == 'locks' else ''}{seed_pct:.0f}% ({SEED}, {section})",
                     f"**{outcome}**: {why}"])
        names.append(name)
        ours.append(share_pct)
        theirs.append(seed_pct)

    def judge(share, seed_pct, name):
        if share is None:
            return "not measurable here", "no positive gap to share out"
        if name == "locks":
            ok = share < 2.0
            return (md.REPRODUCED if ok else md.NOT_REPRODUCED), "the seed says under 1%; agreement means under 2%"
        ok = seed_pct / 2 <= share <= seed_pct * 2
        return (md.REPRODUCED if ok else md.NOT_REPRODUCED), "agreement means within a factor of 2 of the seed's share"

    part, share = _share(deltas, "batch_lock", ["coordination"])
    locks = ""
    if "batch_lock" in deltas:
        s = deltas["batch_lock"][0].median_sample()
        locks = f"; {s.get('locks_taken', 0) / direct.records:.4f} locks per record"
    add("locks", f"batch_lock: coordination phase (locks and commits) {md.fmt_ns(part)}/record"
        f"{locks}", share, *judge(share, 1.0, "locks"))

    part, share = _share(deltas, "batch_lock", ["read"])
    add("reader clones", f"batch_lock: read phase {md.fmt_ns(part)}/record (our reader shares "
        "records, it never clones a batch)", share, *judge(share, 5.0, "reader clones"))

    part, share = _share(deltas, "adaptive", ["coordination"])
    q = ""
    if "adaptive" in deltas:
        s = deltas["adaptive"][0].median_sample()
        qs = s.get("queue", {})
        q = (f"; {qs.get('push_calls', 0)} push and {qs.get('pop_calls', 0)} pop calls for "
             f"{md.fmt_count(direct.records)} records")
    add("channels", f"adaptive: non-blocking queue work and routing (coordination phase) "
        f"{md.fmt_ns(part)}/record{q}", share, *judge(share, 30.0, "channels"))

    timing_off = [c for c in m.cells if c.ok and c.config.get("phase_timing") is False]
    instrumented = "batch_lock" in deltas and deltas["batch_lock"][0].raw.get("instrumented_samples")
    if instrumented:
        part, share = _share(deltas, "batch_lock", ["instrumentation"])
        add("metrics", "batch_lock: the phase clock's own reads in the instrumented passes (the "
            "`instrumentation` row, calibrated at run start) "
            f"{md.fmt_ns(part)}/record; the headline figures read no phase clock",
            share, *judge(share, 5.0, "metrics"))
    else:
        add("metrics", "every cell of this run times its phases; no cell runs with phase timing "
            "off, so its cost is not isolated" if not timing_off else
            f"{len(timing_off)} cells with phase timing off: compare them in the matrix table",
            None, "not measurable here",
            "needs matching cells with `phase_timing` off (the JobConfig switch exists)")

    part, share = _share(deltas, "adaptive", ["waiting"])
    sw = ""
    if "adaptive" in deltas:
        s = deltas["adaptive"][0].median_sample()
        sw = (f"; {s.get('voluntary_switches', 0) / direct.records * 1000:.2f} voluntary context "
              "switches per 1,000 records")
    add("hand-offs", f"adaptive: blocked on a full or empty queue (waiting phase of the reader "
        f"and workers) {md.fmt_ns(part)}/record{sw}", share, *judge(share, 40.0, "hand-offs"))

    copies = data.bench("bench_record_copies", "copy/record/deep_copy")
    add("record clones", "no strategy deep-copies a record (refcounted, shared); one deep copy "
        "would cost " + (md.fmt_ns(copies.median_ns) if copies else "(bench_record_copies "
                         "missing)") + " — see zero-copy.md", None, "not measurable here",
        "nothing in our pipelines clones records, so there is no share to measure")

    report.add("## The seed's hypotheses, measured\n\n"
               "Share = the phase's extra time / the cell's total extra time (the table above). "
               f"The seed's shares are its own estimates for its scenario 2, labelled as the "
               f"{md.SEED_LABEL}.\n")
    report.add("The model's share is `streamgauge explain`'s prediction for the same cell "
               "(counted operations x microbenched unit cost, over the cell's measured overhead): "
               "a second, independent reading of the same suspect.\n")
    report.add(md.table(["hypothesis", "what was measured", "measured share of the gap",
                         "model's share", "seed's estimated share", "verdict"], rows,
                        align="llrrll"))
    path, rel = report.chart_path("shares")
    charts.grouped_bars(path, "Share of the gap: measured vs the seed's estimate", names,
                        {"measured here": ours, "seed's estimate (not measured here)": theirs},
                        "% of the gap", hatched=["seed's estimate (not measured here)"])
    report.add(md.chart(rel, "measured share vs seed's estimate"))


def _gap_table(report, data, m, batch):
    rows = []
    for sc in m.scenarios():
        n = common.main_records(m, sc)
        direct = m.one(scenario=sc, strategy="direct", engine="sql", batch_size=batch, records=n)
        row = [f"`{sc}`", md.cell_text(direct)]
        for strategy in ("batch_lock", "adaptive"):
            cell = m.one(scenario=sc, strategy=strategy, engine="sql", batch_size=batch,
                         partitions=1, records=n)
            _, r = common.compare(cell, direct)
            row += [md.cell_text(cell), md.ratio_text(r)]
        rows.append(row)
    report.add(f"## The gap per scenario (engine `sql`, batch {batch})\n")
    report.add(md.table(["scenario", "direct", "batch_lock", "batch_lock / direct (time)",
                         "adaptive p1", "adaptive / direct (time)"], rows))
    report.add(md.seed_claim("coordination makes Scenario 2 (GROUP BY) 47.5x slower, Scenario 1 "
                             "2.58x, Scenario 3a 12.7x", f"{SEED}, 'Measured Performance'"))
    sc = PREFERRED
    n = common.main_records(m, sc)
    direct = m.one(scenario=sc, strategy="direct", engine="sql", batch_size=batch, records=n)
    cell = m.one(scenario=sc, strategy="batch_lock", engine="sql", batch_size=batch, records=n)
    _, r = common.compare(cell, direct)
    if r is None:
        report.add(md.verdict("not measurable here", f"batch_lock or direct of `{sc}` not "
                              "measured.", "needs both."))
    else:
        outcome = common.band_verdict(r, 23.75, 95)
        report.add(md.verdict(outcome, f"here batch_lock takes {md.ratio_text(r)} the time of "
                              f"direct on `{sc}`.",
                              "band 23.75x-95x (a factor of 2 around the seed's 47.5x); " + common.BAND_RULE + "."))


def build(data, out_dir):
    report = common.Report(out_dir, "gap-analysis.md", "Gap analysis: direct vs coordinated",
                           "Which of the seed's suspects (locks, reader clones, channels, "
                           "metrics, hand-offs, record clones) makes coordinated batches slower "
                           "than direct execution, and by how much?")
    report.set_method(md.method_block(data, ["default"], microbench=["bench_record_copies",
                                                                      "bench_locks"]))
    findings_gap.add(report, data)
    m = data.matrix("default")
    if m is None:
        report.add(md.missing_section("Gap analysis", data.missing_reason("default"),
                                      "Every share comes from its cells."))
        return report
    batch = common.main_batch(m)
    _gap_table(report, data, m, batch)
    scenario = PREFERRED if m.find(scenario=PREFERRED) else m.scenarios()[0]
    n = common.main_records(m, scenario)
    direct, deltas = _split_table(report, m, scenario, batch, n)
    if direct is not None:
        _hypotheses(report, data, m, deltas, direct)
    section_seed004.add_gaps(report, data)
    section_seed004.add_questions(report, data)
    return report
