"""peers.md: our engine beside SQLite and DuckDB on the same scenarios and records.

The peers run the scenario's SQL as one batch query over the same records (translated to
standard SQL) and their rows are checked against ours; a peer that is not installed or cannot
express a scenario is a skipped cell, shown with its reason. The main table holds peers doing
our work (one row per input on continuous queries); a final-rows peer (`sqlite-final`,
`duckdb-final`) does less and gets its own table, labelled so."""

import statistics

from . import charts
from . import common
from . import findings_peers
from . import markdown as md

PEERS = ("sqlite", "duckdb")


def _read_note(direct):
    """Beside direct's figure: the read phase per record it pays and a peer's figure does not
    (a peer's time excludes loading), for sources that cost work per record; '' for `lent`."""
    if direct is None or not direct.ok or direct.source == "lent":
        return ""
    read = direct.phase_ns_per_record("read")
    return f" (reads `{direct.source}`: {md.fmt_ns(read)}/record)" if read is not None else (
        f" (reads `{direct.source}`)")


def build(data, out_dir):
    report = common.Report(out_dir, "peers.md", "Peers: SQLite and DuckDB",
                           "How does our engine compare with SQLite and DuckDB on the same "
                           "scenarios and the same records?")
    report.set_method(md.method_block(data, ["default"], notes=[
        "Peers: the scenario's SQL translated to standard SQL, run as one batch query over the "
        "same records; the time is the query alone (loading excluded); rows checked against "
        "direct's. They do our work: on a continuous GROUP BY or EMIT CHANGES, one row per "
        "input (window functions over the arrival order), checked row for row in order. A "
        "final-rows peer computes only each group's final rows: less work, labelled so and "
        "kept out of the main table."]))
    findings_peers.add(report, data)
    m = data.matrix("default")
    if m is None:
        report.add(md.missing_section("Peers", data.missing_reason("default"),
                                      "Peer cells are part of the default matrix."))
        return report
    peer_cells = [c for c in m.cells if c.peer]
    if not peer_cells:
        report.add(md.missing_section("Peers", "the default matrix of this run has no peer cells",
                                      "Add `peers = [\"sqlite\", \"duckdb\"]` to the matrix."))
        return report
    batch = common.main_batch(m)
    rows, series, cats, reasons = [], {"ours: direct": [], "ours: batch_lock": []}, [], {}
    for p in PEERS:
        series[p] = []
    for sc in m.scenarios():
        n = common.main_records(m, sc)
        direct = m.one(scenario=sc, strategy="direct", engine="sql", batch_size=batch, records=n)
        bl = m.one(scenario=sc, strategy="batch_lock", engine="sql", batch_size=batch, records=n)
        row = [f"`{sc}`", md.fmt_count(n), md.cell_text(direct) + _read_note(direct),
               md.cell_text(bl)]
        cats.append(sc)
        for label, cell in (("ours: direct", direct), ("ours: batch_lock", bl)):
            rate = cell.rate() if cell else None
            series[label].append(rate["median"] if rate else None)
        for p in PEERS:
            cell = next((c for c in peer_cells if c.scenario == sc and c.strategy == p
                         and c.records == n), None)
            text = md.cell_text(cell)
            if cell and cell.status == "skipped":
                reasons.setdefault(cell.reason, []).append(f"{sc}/{p}")
            _, r = common.compare(cell, direct)
            work = f" ({cell.peer_work})" if cell and cell.peer_work else ""
            row += [text + work, md.ratio_text(r) + work]
            rate = cell.rate() if cell else None
            series[p].append(rate["median"] if rate else None)
        rows.append(row)
    report.add(f"## Throughput (median records/s [range], engine `sql`, batch {batch})\n\n"
               "`x / direct` is the peer's query time over our direct run's wall time "
               "(above 1: the peer is slower). A peer's time excludes loading its records; "
               "where ours reads a source that costs work per record (not `lent`), our read "
               "phase per record is printed beside direct's figure: that much of our time is "
               "work the peer's figure does not contain.\n")
    report.add(md.table(["scenario", "records", "ours: direct", "ours: batch_lock", "sqlite",
                         "sqlite / direct", "duckdb", "duckdb / direct"], rows))
    less_work = _less_work(peer_cells, m, batch)
    if less_work:
        report.add(less_work)
    if reasons:
        report.add("Skipped peer cells and why:\n\n" + "\n".join(
            f"- {', '.join(sorted(cells))}: {reason}" for reason, cells in sorted(reasons.items()))
            + "\n")
    path, rel = report.chart_path("throughput")
    charts.grouped_bars(path, "Our engine beside SQLite and DuckDB", cats, series,
                        "records/s (median, log)", log=True)
    report.add(md.chart(rel, "throughput of our engine and the peers"))
    report.add(_engine_alone(data))
    report.add("The seeds publish no peer figures; there is no seed claim to judge here.\n")
    return report


def _less_work(peer_cells, m, batch):
    """The final-rows peers (`-final`): their figures beside direct's, each labelled with the
    rows it computed against ours. Empty when the matrix ran none."""
    rows = []
    for cell in peer_cells:
        if cell.strategy in PEERS or cell.status == "skipped":
            continue
        direct = m.one(scenario=cell.scenario, strategy="direct", engine="sql", batch_size=batch,
                       records=cell.records)
        _, r = common.compare(cell, direct)
        label = cell.peer_work or "less work"
        rows.append([f"`{cell.scenario}`", f"`{cell.strategy}`", md.fmt_count(cell.records),
                     md.cell_text(cell), md.ratio_text(r), label])
    if not rows:
        return ""
    return ("## Less work: final rows only\n\n"
            "These peers compute each group's (and window's) final rows where our engine emits "
            "one row per input: not the same work, so not comparable with the table above; "
            "their rows are checked against our last row per group.\n\n"
            + md.table(["scenario", "peer", "records", "records/s", "x / direct", "work"], rows,
                       align="llrrrl"))


def _ratio(x):
    return f"{x:.3f}" if x == 0 or x >= 0.001 else f"{x:.1e}"  # 50 rows of 1M: 5.0e-05


def _engine_alone(data):
    """The engine without any coordination (microbench bench_engine): the ceiling every strategy
    above is measured against."""
    title = "The engine alone (microbench `bench_engine`)"
    benches = data.benches("bench_engine")
    if not benches:
        return md.missing_section(title, "`microbench/bench_engine.json` is not in the run folder",
                                  "The engine's own speed is measured by that microbench.")
    pinned = (f"pinned to cpu{data.engine_cpu}, the faster CPU just before the microbenches"
              if data.engine_cpu is not None else "not pinned to a CPU")
    rows = []
    for name, bench in benches.items():
        rates = bench.counters.get("items_per_second")
        if not rates:
            continue
        out = bench.counters.get("rows_out_per_input")
        rows.append([f"`{name}`", f"{md.fmt_rate(statistics.median(rates))} "
                     f"[{md.fmt_rate(min(rates))}–{md.fmt_rate(max(rates))}]", str(len(rates)),
                     _ratio(statistics.median(out)) if out else "—"])
    return (f"## {title}\n\n"
            "One thread, the records already in memory, batches of 1,000, each output row counted "
            "and released: the SQL work with no reader, queue, lock, thread or digest. Input "
            "records per second of CPU time (Google Benchmark's `items_per_second`), median "
            f"[min–max] over the repetitions; {pinned}. The number in each name is the records "
            "per repetition.\n\n"
            + md.table(["benchmark", "records/s", "repetitions", "output rows per input"], rows))
