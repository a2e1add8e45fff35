"""architecture-comparison.md (seed 003): the scenario x strategy table, partition scaling of
the lockless pipeline, and the engine -> batch -> STP chain."""

from statistics import median

from . import charts
from . import common
from . import section_lock_pathology
from . import section_queues
from . import findings_architecture
from . import markdown as md

SEED = "seed 003, `003_f466c4472cae4ae3.txt`"
SCENARIOS_003 = ("s0_pure_select", "s1_rows_window", "s2_group_by", "s3a_tumbling",
                 "s3b_tumbling_emit_changes")


# The strategies' speed targets: (what, scenario, strategy, partitions, target, kind).
# "slowdown": the cell's wall time over direct's, at most `target`; "speed-up": direct's wall time
# over the cell's, at least `target`.
MATRIX_TARGETS = (
    ("batch_lock, batch 1000, against direct", "s0_pure_select", "batch_lock", 1, 1.03,
     "slowdown"),
    ("adaptive, 1 partition, moodycamel, against direct", "s0_pure_select", "adaptive", 1, 1.25,
     "slowdown"),
    ("lockless_stp, 2 partitions, against direct", "s2_group_by", "lockless_stp", 2, 1.7,
     "speed-up"),
)
# (what, bench_startup benchmark, at most ns). The eager target is shown for each way of getting
# the producer thread: started per query (the issue's own reckoning: a thread start plus a little),
# or taken from a pool of parked threads, blocking or spinning while it waits (producer_pool.h).
POOLED = "startup/whole/pooled/records:1/spin_us:{}/real_time"
STARTUP_TARGETS = (
    ("streaming spawn-less start-up (whole one-record stream)",
     "startup/whole/spawnless/records:1/real_time", 2_000),
    ("streaming eager start-up (whole one-record stream), a thread started per query",
     "startup/whole/eager/records:1/real_time", 40_000),
    ("the same, its producer a parked pool thread (pooled, blocking waits)",
     POOLED.format(0), 40_000),
    ("the same, its producer a pool thread spinning up to 100 µs before it blocks",
     POOLED.format(100), 40_000),
)


def _targets(report, data):
    report.add("## The strategies' speed targets\n")
    m = data.matrix("targets")
    rows = []
    speedups = []  # (strategy, partitions, median speed-up) of the speed-up targets
    if m is None:
        report.add(md.missing_section("Matrix targets", data.missing_reason("targets"),
                                      "The ratio targets against direct need it."))
    else:
        for what, sc, strategy, parts, target, kind in MATRIX_TARGETS:
            n = common.main_records(m, sc)
            direct = m.one(scenario=sc, strategy="direct", partitions=1, records=n)
            cell = m.one(scenario=sc, strategy=strategy, partitions=parts, records=n)
            _, r = (common.compare(cell, direct) if kind == "slowdown"
                    else common.compare(direct, cell))
            if r is None:
                measured, verdict = md.cell_text(cell if cell and not cell.ok else direct), "—"
            else:
                met = r[1] <= target if kind == "slowdown" else r[1] >= target
                measured = md.ratio_text(r)
                if kind == "speed-up":
                    speedups.append((strategy, parts, r[1]))
                verdict = "**met**" if met else "**not met**"
            rule = (f"{kind} at most {target:.2f}x" if kind == "slowdown"
                    else f"{kind} at least {target:.2f}x")
            rows.append([what, f"`{sc}`", rule, measured, verdict])
    benches = data.benches("bench_startup")
    for what, name, limit in STARTUP_TARGETS:
        b = benches.get(name)
        if b is None:
            rows.append([what, "—", f"under {md.fmt_ns(limit)}", "not in this run", "—"])
            continue
        met = b.median_ns < limit
        rows.append([what, f"`{name}`", f"under {md.fmt_ns(limit)}",
                     f"{md.fmt_ns(b.median_ns)} [{md.fmt_ns(b.min_ns)}–{md.fmt_ns(b.max_ns)}]",
                     "**met**" if met else "**not met**"])
    report.add(md.table(["target", "where", "rule", "measured: median [range]", "verdict"],
                        rows))
    thread = benches.get("startup/step/thread_start_join/real_time")
    sources = sorted({c.source for c in m.cells}) if m is not None else []
    notes = ["A target is met when the median meets it; the range shows how far to trust that. "
             "The ratios come from matrix `targets` (threads pinned by role, so that `direct` "
             "and the strategy do their SQL work on the same CPU"
             + (f"; records from the {', '.join(f'`{x}`' for x in sources)} source, on which the "
                "targets were set" if sources else "")
             + "); the start-up figures from `bench_startup`."]
    slots = m.environment.get("slot_cpus") if m is not None else None
    if slots:
        notes.append(f"Pinned slots 0, 1, ... ran on CPUs {slots.replace(',', ', ')} in that "
                     "order (`scripts/run` puts the CPU its probe just before found faster "
                     "first): `direct` and the one-partition cells ran on the first.")
    if thread is not None:
        notes.append(f"A bare thread start and join took {md.fmt_ns(thread.median_ns)} "
                     f"[{md.fmt_ns(thread.min_ns)}–{md.fmt_ns(thread.max_ns)}] in the same "
                     "microbench: an eager stream starts one; a pooled stream starts one only "
                     "for its pool's first query (not timed).")
    spinning = benches.get(POOLED.format(100))
    spun = spinning.counters.get("spin_ns_per_query") if spinning is not None else None
    if spun:
        notes.append(f"The spinning pool busy-waited {md.fmt_ns(median(spun))} per query "
                     "(counter `spin_ns_per_query`): CPU it spends that the wall time above "
                     "does not show.")
    just_before = md.machine_ceiling(data, "targets")
    if just_before is not None:
        shares = "; ".join(f"{strategy} p{parts}'s {speedup:.2f}x is {speedup / just_before[0]:.0%} "
                           "of it" for strategy, parts, speedup in speedups)
        notes.append(f"Just before this matrix, the engine probe on all {len(just_before[2])} "
                     "CPUs at once (one process each, nothing shared) summed to "
                     f"{just_before[0]:.2f}x the best CPU alone: the most a partitioned strategy "
                     "could reach at that moment" + (f" ({shares})." if shares else "."))
    ceiling = md.machine_ceiling(data)
    if ceiling is not None:
        notes.append(f"The machine's own ceiling for {len(ceiling[2])} independent engines "
                     f"was {ceiling[0]:.2f}x in this run (partition scaling, below).")
    report.add(" ".join(notes) + "\n")


def _queue_capacity(report, data):
    report.add("## Queue capacity (matrix `queue_capacity`)\n")
    m = data.matrix("queue_capacity")
    if m is None:
        report.add(md.missing_section("Queue capacity", data.missing_reason("queue_capacity"),
                                      "The capacity table needs it."))
        return
    sc = "s0_pure_select"
    n = common.main_records(m, sc)
    direct = m.one(scenario=sc, strategy="direct", partitions=1, records=n)
    rows = []
    # One block of rows per partitions x injected rounds, each cell against its baseline.
    for p, w in sorted({(c.partitions, c.injected_work)
                        for c in m.find(scenario=sc, strategy="adaptive", records=n)}):
        for cell in sorted(m.find(scenario=sc, strategy="adaptive", partitions=p, records=n,
                                  injected_work=w), key=lambda c: c.queue_capacity):
            _, r = common.compare(cell, direct)
            sample = cell.median_sample()
            waits = "—"
            if sample is not None and n:
                q = sample.get("queue", {})
                per_m = 1e6 / n
                waits = (f"{q.get('producer_waits', 0) * per_m:,.0f} / "
                         f"{q.get('consumer_waits', 0) * per_m:,.0f}")
            rows.append([str(p), f"{w:,}", f"{cell.queue_capacity:,}", md.cell_text(cell),
                         md.ratio_text(r), waits])
    if not rows:
        report.add(f"No `adaptive` cell of `{sc}` in this run.\n")
        return
    pinned = ("threads pinned" if direct is not None and direct.config.get("pin_threads")
              else "threads not pinned")
    report.add(f"`adaptive`, moodycamel queue, on `{sc}` ({md.fmt_count(n)} records), {pinned}, "
               f"against `direct` ({md.cell_text(direct)}). Injected rounds: 400 is "
               "`--inject-work`'s added work per record in the workers' engine, which makes them "
               "slower than the reader; `direct` runs none, so those rows are slower by the "
               "rounds themselves, and what tells is how they differ from one capacity to the "
               "next. Slowdown = the cell's wall time "
               "/ direct's, the median of paired passes [95% interval]. Waits are those of the "
               "median repetition, per 1M records: the reader blocked on a full queue / the "
               "worker blocked on an empty one. Each wait ends in a wake-up of the other "
               "thread. With 2 partitions on 2 CPUs the reader shares a CPU with worker 0 "
               "([queue-capacity](../docs/design-notes.md#queue-capacity)).\n")
    report.add(md.table(["partitions", "injected rounds", "capacity (records)",
                         "adaptive records/s", "slowdown vs direct",
                         "reader / worker waits per 1M"], rows))


def _grid(report, data, m):
    batch = common.main_batch(m)
    cols = common.strategy_columns(m, "sql", batch)
    report.add(f"## Scenario x strategy (engine `sql`, batch {batch})\n\n"
               "Median records/s [min–max] of wall time. Seed columns are the "
               f"{md.SEED_LABEL}; the seed ran 5,000 records at batch 100.\n")
    headers = ["scenario", "records"] + [common.column_name(*c) for c in cols] + ["seed's figures"]
    rows, series = [], {common.column_name(*c): [] for c in cols}
    scenarios = m.scenarios()
    for sc in scenarios:
        n = common.main_records(m, sc)
        row = [f"`{sc}`", md.fmt_count(n)]
        for strategy, parts in cols:
            cell = m.one(scenario=sc, strategy=strategy, engine="sql", batch_size=batch,
                         partitions=parts, records=n)
            row.append(md.cell_text(cell))
            rate = cell.rate() if cell else None
            series[common.column_name(strategy, parts)].append(rate["median"] if rate else None)
        row.append(common.seed_figures_text(data, sc) or "—")
        rows.append(row)
    report.add(md.table(headers, rows))
    path, rel = report.chart_path("throughput")
    charts.grouped_bars(path, f"Throughput by scenario and strategy (sql, batch {batch})",
                        scenarios, series, "records/s (median, log scale)", log=True)
    report.add(md.chart(rel, "throughput by scenario and strategy"))
    return batch


def _lock_verdicts(report, m, batch):
    report.add("## The seed's claims about locking\n")
    rows, per_record, per_batch = [], [], []
    for sc in SCENARIOS_003:
        n = common.main_records(m, sc)
        if n is None:
            continue
        direct = m.one(scenario=sc, strategy="direct", engine="sql", batch_size=batch, records=n)
        prl = m.one(scenario=sc, strategy="per_record_lock", engine="sql", batch_size=batch,
                    records=n)
        bl = m.one(scenario=sc, strategy="batch_lock", engine="sql", batch_size=batch, records=n)
        rel1, r1 = common.compare(prl, direct)
        rel2, r2 = common.compare(bl, direct)
        per_record.append(rel1)
        per_batch.append(rel2)
        rows.append([f"`{sc}`", md.ratio_text(r1), rel1 or md.cell_text(prl), md.ratio_text(r2),
                     rel2 or md.cell_text(bl)])
    report.add(md.table(["scenario", "per_record_lock / direct (time)", "relation",
                         "batch_lock / direct (time)", "relation"], rows))
    report.add(md.seed_claim("per-record locking is faster than direct execution in scenarios "
                             "0, 1 and 3a (\"All architectures actually faster with locking\")",
                             f"{SEED}, 'Key Insights' 1, 2 and 4"))
    outcome = common.overall(per_record, "faster")
    report.add(md.verdict(
        outcome,
        f"per_record_lock against direct, per scenario: "
        f"{', '.join(r or 'not measured' for r in per_record) or 'no cells'} (batch {batch}).",
        "a scenario agrees with the claim when every repetition of per_record_lock is faster than "
        "every repetition of direct, contradicts it when every one is slower, and is inconclusive "
        "when the ranges overlap; the verdict is reproduced / not reproduced here only when all scenarios agree."))
    report.add(md.seed_claim("batching (one lock per batch of 100) is faster than direct SQL in "
                             "every scenario, \"zero regressions\"",
                             f"{SEED}, 'V2 Batch Architecture Performance Guarantees'"))
    outcome = common.overall(per_batch, "faster")
    report.add(md.verdict(
        outcome,
        f"batch_lock against direct, per scenario: "
        f"{', '.join(r or 'not measured' for r in per_batch) or 'no cells'} (batch {batch}; the "
        "batch-size report `zero-copy.md` has batch 100).",
        "the same rule as above."))


def _scaling(report, data):
    m = data.matrix("partition_scaling")
    report.add("## Partition scaling of the lockless pipeline\n")
    if m is None:
        report.add(md.missing_section("Partition scaling", data.missing_reason("partition_scaling"),
                                      "The scaling table and curve need it."))
        return
    cores = int(m.environment.get("cores", 0) or 0)
    parts = sorted({c.partitions for c in m.cells if c.strategy != "direct"})
    report.add(f"Matrix `partition_scaling`; this machine has **{cores} cores**, so only "
               f"partition counts up to {cores} can scale; larger counts show oversubscription. "
               "Speed-up = median wall time at 1 partition / at N, [range over extreme pairs].\n")
    headers = ["scenario", "strategy"] + [f"p{p}" for p in parts] + [f"speed-up at p{p}"
                                                                    for p in parts if p > 1]
    rows, series, at_cores = [], {}, []
    for sc in m.scenarios():
        n = common.main_records(m, sc)
        for strategy in ("lockless_stp", "adaptive"):
            cells = {p: m.one(scenario=sc, strategy=strategy, partitions=p, records=n)
                     for p in parts}
            if not any(cells.values()):
                continue
            row = [f"`{sc}`", strategy] + [md.cell_text(cells[p]) for p in parts]
            points = []
            for p in parts:
                if p == 1:
                    if cells[1] and cells[1].ok:
                        points.append((1, 1.0, 1.0, 1.0))
                    continue
                rel, r = common.compare(cells[1], cells[p])
                row.append(md.ratio_text(r))
                if r:
                    points.append((p, r[1], r[0], r[2]))
                    if p == cores:
                        at_cores.append((f"{sc}/{strategy}", r))
            rows.append(row)
            series[f"{sc}/{strategy}"] = points
    report.add(md.table(headers, rows))
    path, rel = report.chart_path("scaling")
    charts.line_chart(path, "Speed-up over 1 partition", series, "partitions", "speed-up (x)",
                      logx=True, ideal=[(p, float(p)) for p in parts if p <= max(cores, 1)])
    report.add(md.chart(rel, "speed-up by partition count"))
    _ceiling(report, data, m, cores)
    report.add(md.seed_claim("lockless STP per partition scales linearly: \"V2@N (lockless) ≈ N × "
                             "(single partition throughput)\"",
                             f"{SEED}, 'Performance Invariants'"))
    if cores < 2 or not at_cores:
        report.add(md.verdict("not measurable here",
                              f"the run has no scaling cell at {cores} partitions on "
                              f"{cores} cores.", "needs cells at p = cores > 1."))
        return
    relations = []
    for _, r in at_cores:
        if r[0] >= 0.8 * cores:
            relations.append("linear")
        elif r[2] < 0.5 * cores:
            relations.append("sublinear")
        else:
            relations.append("overlap")
    outcome = common.overall(relations, "linear")
    detail = ", ".join(f"{name} {md.ratio_text(r)}" for name, r in at_cores)
    report.add(md.verdict(
        outcome,
        f"speed-up at {cores} partitions on {cores} cores: {detail}. Beyond {cores} partitions the "
        f"claim is not measurable here (only {cores} cores).",
        f"a case is linear when its lowest speed-up is at least 0.8 x {cores}, sub-linear when "
        f"its highest is below 0.5 x {cores}; reproduced only if all cases are linear, not reproduced here "
        "only if all are sub-linear."))


def _ceiling(report, data, m, cores):
    """The speed-ups at p = cores over direct, beside what the machine itself gave N independent
    engines at once (scripts/run's probe just before this matrix)."""
    report.add("### Against direct, and against the machine's own ceiling\n")
    ceiling = md.machine_ceiling(data)
    if ceiling is None:
        report.add("This run has no all-CPUs-at-once probe (`cpu_speed.txt` from `scripts/run`), "
                   "so there is no machine ceiling to set these speed-ups against.\n")
    else:
        c, alone, together = ceiling
        report.add(
            f"Just before this matrix, `scripts/run` ran the probe (`bench_engine` scenario 2, "
            "single-threaded) on each CPU alone and then on all of them at once, one process per "
            "CPU, nothing shared: alone "
            + ", ".join(f"cpu{k} {v:.2f}" for k, v in sorted(alone.items()))
            + ", at once " + ", ".join(f"cpu{k} {v:.2f}" for k, v in sorted(together.items()))
            + f" M records/s. **The machine's ceiling for {len(together)} independent engines was "
            f"{c:.2f}x** the best single CPU: on a shared VM, cores busy at the same time do not "
            "each keep their solo speed, so that, not "
            f"{len(together)}x, is the most a partitioned strategy could reach here at that "
            "moment.\n")
    rows = []
    for sc in m.scenarios():
        n = common.main_records(m, sc)
        direct = m.one(scenario=sc, strategy="direct", partitions=1, records=n)
        for strategy in ("lockless_stp", "adaptive"):
            cell = m.one(scenario=sc, strategy=strategy, partitions=cores, records=n)
            if cell is None:
                continue
            _, r = common.compare(direct, cell)
            share = f"{r[1] / ceiling[0] * 100:.0f}%" if r and ceiling else "—"
            rows.append([f"`{sc}`", f"{strategy} p{cores}", md.cell_text(direct),
                         md.cell_text(cell), md.ratio_text(r), share])
    if rows:
        report.add(md.table(["scenario", "cell", "direct", "cell records/s",
                             "speed-up over direct", "share of the machine's ceiling"], rows))
    else:
        report.add(f"No cell at {cores} partitions beside direct in this matrix.\n")


def _chain(report, m, batch):
    report.add("## Engine -> batch -> STP\n")
    report.add(md.seed_claim("\"V2 batch architecture adds NO overhead\" over the raw engine, and "
                             "STP adds about 2.5% on one core",
                             f"{SEED}, 'Performance Summary: Engine → V2 → STP'"))
    rows, relations = [], []
    for sc in m.scenarios():
        n = common.main_records(m, sc)
        direct = m.one(scenario=sc, strategy="direct", engine="sql", batch_size=batch, records=n)
        bl = m.one(scenario=sc, strategy="batch_lock", engine="sql", batch_size=batch, records=n)
        stp = [c for c in m.find(scenario=sc, strategy="lockless_stp", engine="sql",
                                 batch_size=batch, records=n)]
        stp1 = next((c for c in stp if c.partitions == 1), None)
        stpn = max((c for c in stp if c.ok), key=lambda c: c.partitions, default=None)
        rel, r = common.compare(bl, direct)
        relations.append(None if rel is None else ("overlap" if rel in ("overlap", "faster")
                                                   else "slower"))
        rows.append([f"`{sc}`", md.cell_text(direct), md.cell_text(bl), md.ratio_text(r),
                     md.cell_text(stp1),
                     f"{md.cell_text(stpn)} (p{stpn.partitions})" if stpn else "—"])
    report.add(md.table(["scenario", "direct", "batch_lock", "batch_lock / direct (time)",
                         "lockless_stp p1", "lockless_stp, most partitions"], rows))
    outcome = common.overall(relations, "overlap")
    report.add(md.verdict(
        outcome,
        f"batch_lock against direct per scenario: "
        f"{', '.join(r or 'not measured' for r in relations)} ('slower' = every repetition "
        "slower).",
        "'adds no overhead' holds in a scenario when batch_lock is not slower than direct in every "
        "repetition pair; reproduced when it holds in all, not reproduced here when it fails in all."))


def build(data, out_dir):
    report = common.Report(out_dir, "architecture-comparison.md",
                           "Architecture comparison: scenarios x strategies, partition scaling",
                           "Which coordination strategy costs what on each of seed 003's scenarios, "
                           "and does the lockless per-partition pipeline scale?")
    report.set_method(md.method_block(data, ["default", "partition_scaling", "targets", "queue_capacity",
                                             "queues", "batch_sweep"],
                               microbench=["bench_startup", "bench_locks"]))
    findings_architecture.add(report, data)
    _targets(report, data)
    _queue_capacity(report, data)
    m = data.matrix("default")
    if m is None:
        report.add(md.missing_section("Scenario x strategy", data.missing_reason("default"),
                                      "The grid, the locking verdicts and the chain need it."))
    else:
        batch = _grid(report, data, m)
        _lock_verdicts(report, m, batch)
    section_lock_pathology.add(report, data)
    report.finding(section_lock_pathology.finding(data))
    if m is not None:
        _chain(report, m, batch)
    _scaling(report, data)
    section_queues.add(report, data)
    report.finding(section_queues.finding(data))
    return report
