"""coordination-overhead.md (seed 001): passthrough vs engine per strategy, the phases of each
run, the component microbenches, and the overhead model: its per-strategy shares first, its
per-cell breakdown last (section_model_summary, section_overhead_model)."""

from . import charts
from . import common
from . import findings_coordination
from . import markdown as md
from . import section_model_coverage
from . import section_model_shortfalls
from . import section_model_summary
from . import section_overhead_model
from .load import PHASES

SEED = "seed 001, `001_e51e90eaab9c1541.txt`"
SCENARIO = "filter_value_gt_50"
COMPONENT_BINARIES = ("bench_locks", "bench_queues", "bench_routing", "bench_record_copies",
                      "bench_threads", "bench_batch_loop")
# Our benchmark -> the seed's figure for the same component (seed 001, 'Component Analysis').
SEED_COMPONENTS = {
    "copy/record/deep_copy": "record.clone(): ~0.34 µs (section 1)",
    "lock/mutex_lock_unlock/uncontended": "uncontended Mutex lock: ~0.06 µs (section 2)",
    "queue/moodycamel/push_pop": "SegQueue push/pop: ~0.1-0.5 µs (section 3)",
    "routing/keyed/string_pair": "route_record(): ~0.2-0.5 µs (section 4)",
    "thread/yield": "yield_now: ~0.1-0.5 µs (section 6)",
}


def _passthrough_vs_engine(report, data, m):
    batch = common.main_batch(m)
    scenario = SCENARIO if m.find(scenario=SCENARIO) else (m.scenarios() or [None])[0]
    n = common.main_records(m, scenario)
    report.add(f"## Passthrough vs engine per strategy (`{scenario}`, batch {batch}, "
               f"{md.fmt_count(n)} records)\n\n"
               "The passthrough engine returns its input: what is left is pure coordination. "
               "Slowdowns are against direct with the same engine (time ratio, median "
               "[95% interval] of passes paired with direct).\n")
    cols = [c for c in common.strategy_columns(m, "sql", batch)]
    for c in common.strategy_columns(m, "passthrough", batch):
        if c not in cols:
            cols.append(c)
    rows, series = [], {"sql": [], "passthrough": []}
    direct = {e: m.one(scenario=scenario, strategy="direct", engine=e, batch_size=batch,
                       records=n) for e in ("sql", "passthrough")}
    cats = []
    for strategy, parts in cols:
        row = [common.column_name(strategy, parts)]
        for engine in ("sql", "passthrough"):
            cell = m.one(scenario=scenario, strategy=strategy, engine=engine, batch_size=batch,
                         partitions=parts, records=n)
            _, r = common.compare(cell, direct[engine])
            row += [md.cell_text(cell), md.cell_text(cell, "us") if cell and cell.ok else "—",
                    md.ratio_text(r)]
            rate = cell.rate() if cell else None
            series[engine].append(rate["median"] if rate else None)
        rows.append(row)
        cats.append(common.column_name(strategy, parts))
    report.add(md.table(["strategy", "sql records/s", "sql µs/record", "sql vs direct",
                         "passthrough records/s", "passthrough µs/record",
                         "passthrough vs direct"], rows))
    figs = data.seed_figures.get(scenario, [])
    if figs:
        report.add(md.table(["seed's figure", "records/s", "source"],
                            [[f"{f['label']} — {md.SEED_LABEL}", md.fmt_rate(f["records_per_second"]),
                              f["source"]] for f in figs], align="lrl"))
        for f in figs:
            series[f"seed: {f['label']}"] = [f["records_per_second"] if i == 0 else None
                                             for i in range(len(cats))]
    path, rel = report.chart_path("engines")
    charts.grouped_bars(path, f"{scenario}: sql vs passthrough engine per strategy", cats, series,
                        "records/s (median, log)", log=True,
                        hatched=[k for k in series if k.startswith("seed: ")])
    report.add(md.chart(rel, "throughput by strategy and engine"))

    prl = m.one(scenario=scenario, strategy="adaptive", engine="passthrough", batch_size=batch,
                partitions=1, records=n)
    _, r = common.compare(prl, direct["sql"])
    report.add(md.seed_claim("pure coordination (passthrough engine through the adaptive "
                             "processor, 1 partition) is 11.08x slower than the SQL engine "
                             "direct: ~55 µs of overhead per record", f"{SEED}, 'Overhead Analysis'"))
    if r is None:
        report.add(md.verdict("not measurable here", "the adaptive/passthrough/p1 or the "
                              f"direct/sql cell of `{scenario}` was not measured.",
                              "needs both cells."))
    else:
        outcome = common.band_verdict(r, 5.54, 22.16)
        report.add(md.verdict(
            outcome,
            f"here adaptive/passthrough/p1 takes {md.ratio_text(r)} the time of direct/sql "
            f"({md.cell_text(prl, 'us')} µs/record).",
            "band 5.5x-22x (a factor of 2 around the seed's 11.08x); " + common.BAND_RULE + "."))
    return scenario, batch, n


def _phases(report, m, scenario, batch, n):
    report.add("## Where the time goes: phases of the median repetition\n\n"
               "Each thread's phases are consecutive intervals of its lifetime; whatever no phase "
               "claimed is `unattributed`, so a row adds up to the lifetime exactly. Job thread: "
               "its lifetime is the wall time. All threads: summed over the run's threads "
               "(reader, workers, producer), ns per record.\n")
    rows, comps, cats = [], {p: [] for p in PHASES}, []
    for engine in ("passthrough", "sql"):
        for cell in m.find(scenario=scenario, engine=engine, batch_size=batch, records=n):
            if cell.peer or not cell.ok:
                continue
            s = cell.median_sample()
            name = f"{common.column_name(cell.strategy, cell.partitions)} ({engine})"
            for view, threads in (("job", s["threads"][:1]), ("all threads", s["threads"])):
                per = {p: sum(t["phase_ns"].get(p, 0) for t in threads) / n for p in PHASES}
                life = sum(t["lifetime_ns"] for t in threads) / n
                if view == "all threads" and len(s["threads"]) == 1:
                    continue  # one thread: the same row again
                rows.append([name, view] + [f"{per[p]:.1f}" for p in PHASES] +
                            [f"{sum(per.values()):.1f}", f"{life:.1f}"])
                if view == "all threads" and engine == "passthrough":
                    cats.append(common.column_name(cell.strategy, cell.partitions))
                    for p in PHASES:
                        comps[p].append(per[p])
    report.add(md.table(["cell", "threads"] + list(PHASES) + ["sum", "lifetime"], rows))
    if cats:
        path, rel = report.chart_path("phases")
        charts.stacked_bars(path, f"{scenario}, passthrough engine: thread time by phase",
                            cats, comps, "ns per record (all threads)")
        report.add(md.chart(rel, "stacked thread time by phase"))


def _components(report, data):
    report.add("## Component microbenches\n")
    present = [b for b in COMPONENT_BINARIES if data.benches(b)]
    if not present:
        report.add(md.missing_section("Component microbenches", data.missing_reason("microbench"),
                                      "The component table needs them."))
        return
    rows = []
    for binary in present:
        for name in sorted(data.benches(binary)):
            b = data.benches(binary)[name]
            rows.append([f"`{name}`", md.fmt_ns(b.median_ns),
                         f"[{md.fmt_ns(b.min_ns)}–{md.fmt_ns(b.max_ns)}]", str(b.n),
                         SEED_COMPONENTS.get(name, "")])
    absent = [b for b in COMPONENT_BINARIES if b not in present]
    report.add("Median wall time per iteration (one operation, or one batch where the name says "
               f"so). The last column is the {md.SEED_LABEL}, from {SEED}, 'Component "
               "Analysis'.\n")
    report.add(md.table(["benchmark", "median", "range", "reps", "seed's figure"], rows,
                        align="lrrrl"))
    if absent:
        report.add(f"Not in this run: {', '.join(f'`{b}`' for b in absent)}.\n")


def build(data, out_dir):
    report = common.Report(out_dir, "coordination-overhead.md", "Coordination overhead",
                           "How much of a pipeline's time is SQL work and how much is "
                           "coordination, strategy by strategy, and which components explain it?")
    report.set_method(md.method_block(data, ["default"], microbench=[b for b in COMPONENT_BINARIES
                                                               if data.benches(b)]))
    findings_coordination.add(report, data)
    section_model_summary.add(report, data)
    section_model_shortfalls.add(report, data)
    section_model_summary.add_validation(report, data)
    section_model_coverage.add(report, data)
    section_model_summary.add_mutations(report, data)
    m = data.matrix("default")
    if m is None:
        report.add(md.missing_section("Passthrough vs engine", data.missing_reason("default"),
                                      "The strategy table and the phases need it."))
    else:
        scenario, batch, n = _passthrough_vs_engine(report, data, m)
        _phases(report, m, scenario, batch, n)
    _components(report, data)
    section_overhead_model.add(report, data)
    return report
