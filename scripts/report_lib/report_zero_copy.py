"""zero-copy.md (seed 002): deep copies vs shared records, the batch-size sweep (measured, not
estimated), GROUP BY + 5 aggregates beside the passthrough, end of stream, and records born on
the reader (the sources matrix), and seed 002's hand-off by move, share or deep-copy run end to end
(the handoff matrix)."""

from . import charts
from . import common
from . import section_end_of_stream
from . import section_handoff
from . import section_sources
from . import findings_zero_copy
from . import markdown as md

SEED_001 = "seed 001, `001_e51e90eaab9c1541.txt`"
SEED_002 = "seed 002, `002_b6628579865f379b.txt`"
GROUP_BY = "group_by_5_aggs"


def _range_ratio(slow, fast):
    """(lowest, median, highest) of slow/fast over the microbench repetitions."""
    return (slow.min_ns / fast.max_ns, slow.median_ns / fast.median_ns,
            slow.max_ns / fast.min_ns)


def _copies(report, data):
    report.add("## Deep copies vs shared records (microbench `bench_record_copies`)\n")
    benches = data.benches("bench_record_copies")
    if not benches:
        report.add(md.missing_section("Copies", "`microbench/bench_record_copies.json` is not in "
                                      "the run folder", "The copy-vs-share table needs it."))
        return
    rows = [[f"`{name}`", md.fmt_ns(b.median_ns), f"[{md.fmt_ns(b.min_ns)}–{md.fmt_ns(b.max_ns)}]",
             str(b.n)] for name, b in sorted(benches.items())]
    report.add(md.table(["benchmark", "median wall / iteration", "range", "reps"], rows))
    deep, share = benches.get("copy/record/deep_copy"), benches.get("copy/record/share")
    report.add(md.seed_claim("`record.clone()` is 30.7x slower than `Arc::clone()`",
                             f"{SEED_001}, 'Component Analysis' 1"))
    if not deep or not share:
        report.add(md.verdict("not measurable here", "`copy/record/deep_copy` or "
                              "`copy/record/share` is not in this run.", "needs both."))
        return
    r = _range_ratio(deep, share)
    outcome = common.band_verdict(r, 15.35, 61.4)
    report.add(md.verdict(
        outcome,
        f"a deep copy of our record takes {md.ratio_text(r)} the time of sharing it "
        f"({md.fmt_ns(deep.median_ns)} vs {md.fmt_ns(share.median_ns)}).",
        "band 15x-61x (a factor of 2 around the seed's 30.7x); " + common.BAND_RULE + "."))


def _zero_phases(report, data):
    m = data.matrix("default")
    report.add(md.seed_claim("with clones removed, READ, PROCESS and WRITE measure 0.000 s and the "
                             "framework is 100% of a 2.5 s run", f"{SEED_002}, 'Phase 3 "
                             "Performance Results'"))
    if m is None:
        report.add(md.verdict("not measurable here", "the `default` matrix is missing.",
                              "needs a batch_lock cell."))
        return
    batch = common.main_batch(m)
    cells = [c for c in m.find(strategy="batch_lock", engine="passthrough", batch_size=batch)
             if c.ok]
    if not cells:
        report.add(md.verdict("not measurable here", "no measured batch_lock/passthrough cell.",
                              "needs one."))
        return
    cell = max(cells, key=lambda c: (c.scenario == "s0_pure_select", c.records))
    s = cell.median_sample()
    job = s["threads"][0]
    ph = job["phase_ns"]
    core = ph.get("read", 0) + ph.get("engine", 0) + ph.get("write", 0)
    share = core / job["lifetime_ns"] * 100 if job["lifetime_ns"] else 0
    outcome = md.NOT_REPRODUCED if share > 10 else md.REPRODUCED
    report.add(md.verdict(
        outcome,
        f"in `{cell.id}` (median repetition, job thread) read {md.fmt_ns(ph.get('read', 0))}, "
        f"engine {md.fmt_ns(ph.get('engine', 0))}, write {md.fmt_ns(ph.get('write', 0))}: "
        f"{share:.1f}% of the {md.fmt_ns(job['lifetime_ns'])} lifetime; coordination "
        f"{md.fmt_ns(ph.get('coordination', 0))}, unattributed {md.fmt_ns(ph.get('unattributed', 0))}.",
        "every phase here is a consecutive interval of the thread's lifetime, so a phase cannot "
        "read 0 while it does work; the claim is not reproduced here when read + engine + write exceed 10% of "
        "the lifetime."))


def _sweep(report, data):
    report.add("## Batch-size sweep (matrix `batch_sweep`, measured)\n")
    m = data.matrix("batch_sweep")
    if m is None:
        report.add(md.missing_section("Batch-size sweep", data.missing_reason("batch_sweep"),
                                      "The sweep table and chart need it."))
        return
    sizes = sorted({c.batch_size for c in m.cells})
    report.add(f"Median records/s [range] per batch size; {', '.join(md.fmt_count(b) for b in sizes)} "
               "records per batch.\n")
    claim_rows = []
    for sc in m.scenarios():
        for engine in ("passthrough", "sql"):
            cells = [c for c in m.find(scenario=sc, engine=engine) if not c.peer]
            if not cells:
                continue
            n = max(c.records for c in cells)
            keys = []
            for c in cells:
                if c.status != "skipped" and (c.strategy, c.partitions) not in keys:
                    keys.append((c.strategy, c.partitions))
            rows, series = [], {}
            for strategy, parts in keys:
                row = [common.column_name(strategy, parts)]
                points = []
                by_size = {}
                for b in sizes:
                    cell = m.one(scenario=sc, strategy=strategy, engine=engine, batch_size=b,
                                 partitions=parts, records=n)
                    by_size[b] = cell
                    row.append(md.cell_text(cell))
                    r = cell.rate() if cell else None
                    if r:
                        points.append((b, r["median"], r["min"], r["max"]))
                rows.append(row)
                series[common.column_name(strategy, parts)] = points
                if strategy != "direct":
                    claim_rows.append((f"{sc}/{strategy}/{engine}", by_size))
            report.add(f"### `{sc}`, engine `{engine}`, {md.fmt_count(n)} records\n")
            report.add(md.table(["strategy"] + [f"batch {md.fmt_count(b)}" for b in sizes], rows))
            path, rel = report.chart_path(f"sweep-{sc}-{engine}")
            charts.line_chart(path, f"{sc} ({engine}): throughput by batch size", series,
                              "records per batch", "records/s (median)", logx=True, logy=True)
            report.add(md.chart(rel, f"batch-size sweep, {sc}, {engine}"))
    _sweep_verdicts(report, claim_rows)


def _speedups(claim_rows, small, large):
    out = []
    for name, by_size in claim_rows:
        rel, r = common.compare(by_size.get(small), by_size.get(large))
        if r:
            out.append((name, r))
    return out


def _sweep_verdicts(report, claim_rows):
    report.add("### The seeds' claims about batch size\n")
    report.add(md.seed_claim("throughput grows with batch size: ~400K rec/s at 1,000 to ~4,000K "
                             "rec/s at 10,000 (the seed's table is marked \"theoretical "
                             "estimates\")", f"{SEED_002}, 'Batch Size Tuning'"))
    ups = _speedups(claim_rows, 1000, 10000)
    if not ups:
        report.add(md.verdict("not measurable here", "this sweep lacks batch 1,000 or 10,000 for "
                              "the coordinated strategies.", "needs both batch sizes."))
    else:
        rel = ["linear" if r[0] >= 5 else "sublinear" if r[2] < 2 else "overlap" for _, r in ups]
        outcome = common.overall(rel, "linear")
        report.add(md.verdict(
            outcome,
            "speed-up from batch 1,000 to 10,000: " +
            ", ".join(f"{name} {md.ratio_text(r)}" for name, r in ups) + ".",
            "the seed's table implies 10x; a case agrees when its lowest speed-up is at least 5x, "
            "contradicts when its highest is under 2x; reproduced / not reproduced here only when all cases "
            "agree/contradict."))
    report.add(md.seed_claim("batch size has minimal impact on per-record latency (60.42 µs at "
                             "batch 10 vs 60.49 µs at 1,000)",
                             f"{SEED_001}, 'Performance Characteristics'"))
    sizes = sorted({b for _, by in claim_rows for b in by})
    small = next((b for b in sizes if b >= 10), None)
    large = max((b for b in sizes if b <= 1000), default=None)
    ups = _speedups(claim_rows, small, large) if small and large and small < large else []
    if not ups:
        report.add(md.verdict("not measurable here", "this sweep has no two batch sizes between "
                              "10 and 1,000.", "needs two."))
        return
    rel = ["flat" if 0.8 <= r[0] and r[2] <= 1.25 else "batch-sensitive" if r[0] > 1.25
           else "overlap" for _, r in ups]
    outcome = common.overall(rel, "flat")
    report.add(md.verdict(
        outcome,
        f"time at batch {md.fmt_count(small)} / time at batch {md.fmt_count(large)}: " +
        ", ".join(f"{name} {md.ratio_text(r)}" for name, r in ups) + ".",
        "a case is flat when its whole range lies within 0.8x-1.25x, batch-sensitive when its "
        "lowest ratio exceeds 1.25x; reproduced / not reproduced here only when all cases agree."))


def _group_by(report, data):
    report.add("## GROUP BY + 5 aggregates beside the passthrough (matrix `default`)\n")
    m = data.matrix("default")
    if m is None or not m.find(scenario=GROUP_BY):
        report.add(md.missing_section("GROUP BY + 5 aggregates",
                                      data.missing_reason("default") if m is None else
                                      f"no `{GROUP_BY}` cell in `default.json`",
                                      "The comparison needs it."))
        return
    batch = common.main_batch(m)
    n = common.main_records(m, GROUP_BY)
    rows, relations = [], []
    for strategy, parts in common.strategy_columns(m, "sql", batch):
        sql = m.one(scenario=GROUP_BY, strategy=strategy, engine="sql", batch_size=batch,
                    partitions=parts, records=n)
        pt = m.one(scenario=GROUP_BY, strategy=strategy, engine="passthrough", batch_size=batch,
                   partitions=parts, records=n)
        _, r = common.compare(sql, pt)
        rows.append([common.column_name(strategy, parts), md.cell_text(sql), md.cell_text(pt),
                     md.ratio_text(r)])
        if r and strategy == "direct":
            relations.append(r)
    report.add(f"`{GROUP_BY}` (`GROUP BY category` with COUNT, SUM, AVG, MIN, MAX, 50 groups), "
               f"{md.fmt_count(n)} records, batch {batch}.\n")
    report.add(md.table(["strategy", "GROUP BY (sql) records/s", "passthrough records/s",
                         "GROUP BY / passthrough (time)"], rows))
    figs = data.seed_figures.get(GROUP_BY, [])
    if figs:
        report.add(md.table(["seed's figure", "records/s", "source"],
                            [[f"{f['label']} — {md.SEED_LABEL}", md.fmt_rate(f["records_per_second"]),
                              f["source"]] for f in figs], align="lrl"))
    report.add(md.seed_claim("GROUP BY + 5 aggregations runs at 3.58K rec/s, 111x slower than the "
                             "passthrough's 400K rec/s", f"{SEED_002}, 'Phase 4 Plan'"))
    if not relations:
        report.add(md.verdict("not measurable here", "direct was not measured with both engines.",
                              "needs both."))
        return
    r = relations[0]
    outcome = common.band_verdict(r, 55.5, 222)
    report.add(md.verdict(
        outcome,
        f"direct with the SQL GROUP BY takes {md.ratio_text(r)} the time of direct with the "
        "passthrough engine on the same records.",
        "band 55x-222x (a factor of 2 around the seed's 111x); " + common.BAND_RULE + "."))


def build(data, out_dir):
    report = common.Report(out_dir, "zero-copy.md", "Zero-copy records and batch size",
                           "What do deep copies cost against shared records, how does throughput "
                           "really move with batch size, and how does GROUP BY compare with the "
                           "passthrough?")
    report.set_method(md.method_block(
        data, ["default", "batch_sweep", "end_of_stream", "sources", "handoff"],
        microbench=["bench_record_copies", "bench_sources", "bench_record_crossing"]))
    # The pipeline run end to end answers seed 002 where it ran; the microbench's copy cost
    # stands in for it where it did not.
    report.finding(section_handoff.finding(data) or findings_zero_copy.copies(data))
    findings_zero_copy.add(report, data)
    _copies(report, data)
    _zero_phases(report, data)
    _sweep(report, data)
    _group_by(report, data)
    section_end_of_stream.add(report, data)
    report.finding(section_end_of_stream.finding(data))
    section_sources.add(report, data)
    report.finding(section_sources.finding(data))
    section_handoff.add(report, data)
    return report
