"""coordination-overhead.md (seed 001): passthrough vs engine per strategy, the phases of each
run, the component microbenches, and the overhead model's breakdown (parts + remainder =
measured total)."""

from . import charts
from . import common
from . import findings_coordination
from . import markdown as md
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
               "[range over extreme pairs]).\n")
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


def _pct(x):
    return "—" if x is None else f"{x:.1f}%"


def _explain(report, data):
    report.add("## Overhead breakdown (the overhead model, `streamgauge explain`)\n")
    ex = data.explain
    if ex is None:
        report.add(md.missing_section("Overhead breakdown", data.missing_reason("explain"),
                                      "The model's components, their predicted share and the "
                                      "unexplained remainder come from it."))
        return
    report.add(f"Method of the model: {ex.get('method', '(not stated)')}\n\n"
               "Measured = the cell's overhead over its direct baseline, ns per record. "
               "Predicted = count per record x microbenched unit cost, summed over components "
               "(a negative component is work parallelism took off the critical path). Measured - "
               "predicted = unexplained, shown, never hidden; the `adds up` column checks "
               "predicted + unexplained = measured.\n")
    rows = []
    all_rows = ex.get("rows", [])
    for row in all_rows:
        parts = row.get("components", [])
        predicted = sum(c.get("predicted_ns_per_record", 0) for c in parts)
        measured = row.get("measured_ns_per_record", 0)
        unexplained = row.get("unexplained_ns_per_record", measured - predicted)
        adds_up = abs(predicted + unexplained - measured) <= max(0.01, 1e-6 * abs(measured))
        rows.append([f"`{row.get('cell', '?')}`", f"{measured:.1f}",
                     "; ".join(f"{c.get('name')} {c.get('count_per_record', 0):.3g} x "
                               f"{c.get('unit_cost_ns', 0):.1f} = "
                               f"{c.get('predicted_ns_per_record', 0):.1f}" for c in parts) or "—",
                     f"{predicted:.1f}", f"{unexplained:.1f}",
                     _pct(row.get("explained_pct")), "yes" if adds_up else "**NO**"])
    # The chart: the first rows (a chart of every cell would be unreadable), one colour per
    # component, the unexplained remainder on top.
    charted = all_rows[:16]
    cats = [f"{r.get('scenario', '')}/{r.get('strategy', '')}/{r.get('engine', '')}/"
            f"p{r.get('partitions', '')}" for r in charted]
    names = []
    for r in charted:
        for c in r.get("components", []):
            if c.get("name") not in names:
                names.append(c.get("name"))
    comps = {name: [sum(c.get("predicted_ns_per_record", 0) for c in r.get("components", [])
                        if c.get("name") == name) for r in charted] for name in names}
    comps["unexplained"] = [r.get("unexplained_ns_per_record", 0) for r in charted]
    report.add(md.table(["cell", "measured overhead ns/rec", "components (count x unit ns = ns/rec)",
                         "predicted", "unexplained", "explained", "adds up"], rows, align="lrlrrrl"))
    if cats:
        path, rel = report.chart_path("model")
        charts.stacked_bars(path, "Overhead model: predicted components + unexplained", cats,
                            comps, "ns per record")
        report.add(md.chart(rel, "overhead by component"))
    report.add(md.seed_claim("the microbenched components explain ~1.05 µs of 60.45 µs per record; "
                             "~54 µs is unaccounted", f"{SEED}, 'Overhead Breakdown'"))
    coordinated = [r for r in all_rows if r.get("strategy") != "direct"]
    if not coordinated:
        report.add(md.verdict("not measurable here", "the model has no coordinated cell.",
                              "needs model rows for strategies other than direct."))
        return
    pcts = [r["explained_pct"] for r in coordinated if r.get("explained_pct") is not None]
    if not pcts:
        report.add(md.verdict("not measurable here", "no coordinated cell has a positive measured "
                              "overhead to explain.", "needs one."))
        return
    outcome = (md.REPRODUCED if all(p < 10 for p in pcts) else
               md.NOT_REPRODUCED if all(p > 50 for p in pcts) else "inconclusive")
    report.add(md.verdict(
        outcome,
        f"our model explains {min(pcts):.1f}% to {max(pcts):.1f}% of the measured time across "
        f"{len(coordinated)} coordinated cells.",
        "reproduced when the model explains under 10% of every coordinated cell (as the seed's "
        "~2%), not reproduced here when it explains over 50% of every one, inconclusive otherwise."))


def build(data, out_dir):
    report = common.Report(out_dir, "coordination-overhead.md", "Coordination overhead",
                           "How much of a pipeline's time is SQL work and how much is "
                           "coordination, strategy by strategy, and which components explain it?")
    report.set_method(md.method_block(data, ["default"], microbench=[b for b in COMPONENT_BINARIES
                                                               if data.benches(b)]))
    findings_coordination.add(report, data)
    m = data.matrix("default")
    if m is None:
        report.add(md.missing_section("Passthrough vs engine", data.missing_reason("default"),
                                      "The strategy table and the phases need it."))
    else:
        scenario, batch, n = _passthrough_vs_engine(report, data, m)
        _phases(report, m, scenario, batch, n)
    _components(report, data)
    _explain(report, data)
    return report
