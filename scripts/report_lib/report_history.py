"""history.md: the trend of each cell across the runs appended to the SQLite history
(`streamgauge matrix ... --history results/history.sqlite`, which scripts/run does).

Plots the median throughput of every cell of the default matrix over the runs recorded, one chart
per scenario. The step changes themselves are judged by `streamgauge history`, which applies the
same test as `streamgauge compare` (>= 10% and Mann-Whitney p < 0.05); this report only draws.
Latency runs (`streamgauge latency --history`, which scripts/run does) are drawn too: p99 of
each strategy by run, one chart per scenario and offered rate, with p50 and p99.9 as the bar."""

import os
import sqlite3

from . import charts
from . import common
from . import history_marks
from . import markdown as md

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _rows(path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(
            "SELECT r.id, r.date_utc, r.commit_id, c.scenario, c.strategy, c.engine, c.batch_size, "
            "c.partitions, c.records, c.median_records_per_s, c.cv, c.cell_id FROM cells c "
            "JOIN runs r ON r.id = c.run_id WHERE r.matrix = 'default' AND r.quick = 0 "
            "AND c.status = 'ok' AND c.engine = 'sql' ORDER BY r.id").fetchall()
    finally:
        con.close()


def _source(cell_id):
    """The source a cell read (its id's '/src-NAME' part; none is `lent`)."""
    part = next((p for p in cell_id.split("/") if p.startswith("src-")), None)
    return part[len("src-"):] if part else "lent"


def _latency_rows(path):
    """The ok latency rows of every full (not --quick) run of the `latency` matrix; none when the
    database predates latency history."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'latency_cells'").fetchall():
            return []
        return con.execute(
            "SELECT r.id, r.date_utc, r.commit_id, c.scenario, c.strategy, c.batch_size, "
            "c.partitions, c.linger_ns, c.rate, c.p50_ns, c.p99_ns, c.p99_9_ns "
            "FROM latency_cells c JOIN runs r ON r.id = c.run_id "
            "WHERE r.matrix = 'latency' AND r.quick = 0 AND c.status = 'ok' "
            "ORDER BY r.id").fetchall()
    finally:
        con.close()


def _runs(path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT id, commit_id, environment FROM runs WHERE matrix = 'default' "
                           "AND quick = 0 ORDER BY id").fetchall()
    finally:
        con.close()


def _latency(report, path):
    report.add("## Latency across runs\n\nEvery full run of `scenarios/matrix/latency.toml` "
               "appended by `streamgauge latency --history` (scripts/run's latency step): a "
               "point is a run's p99 of every output row at an offered rate (the rate as given, "
               "e.g. a share of that run's own peak), the bar its p50 to p99.9; `streamgauge "
               "history` lists every latency run, the linger sweep's too, with p99 step changes "
               "judged on each pass's p99.\n")
    try:
        rows = _latency_rows(path)
    except sqlite3.Error as e:
        report.add(f"The latency history in `{path}` could not be read: {e}. Nothing is plotted.\n")
        return
    runs = sorted({r[0] for r in rows})
    if len(runs) < 2:
        report.add(f"Only {len(runs)} full latency run(s) recorded: a trend needs at least two.\n")
        return
    for scenario, rate in sorted({(r[3], r[8]) for r in rows}):
        series = {}
        for r in rows:
            if (r[3], r[8]) != (scenario, rate):
                continue
            label = r[4] if r[6] == 1 else f"{r[4]} p{r[6]}"
            label += f" b{r[5]} linger {r[7] // 1000} us"
            series.setdefault(label, []).append((r[0], r[10] / 1e6, r[9] / 1e6, r[11] / 1e6))
        name = f"latency-{scenario}-" + "".join(ch if ch.isalnum() else "_" for ch in rate)
        abs_path, rel = report.chart_path(name)
        charts.line_chart(abs_path, f"{scenario} at {rate}: p99 by run", series, "run id",
                          "p99 latency (ms, log)", logy=True)
        report.add(f"### `{scenario}` at {rate}\n")
        report.add(md.chart(rel, f"{scenario} p99 latency at {rate} by run"))


def _short(what):
    """A chart label: the first change, shortened ('allocator tcmalloc 2.10 -> mimalloc 2.0.9')."""
    text = what[0] if len(what) == 1 else f"{what[0]} (+{len(what) - 1})"
    return text if len(text) <= 48 else text[:45] + "..."


def build(data, out_dir):
    report = common.Report(out_dir, "history.md", "History: each cell across runs",
                           "Has a cell got faster or slower from one run of the default matrix "
                           "to the next?")
    path = getattr(data, "history_path", None)
    report.set_method("## Method\n\nMachine, build and statistics of the latest run: "
                      f"[{md.METHOD_PAGE}]({md.METHOD_PAGE}). Source: the SQLite history database "
               f"`{os.path.basename(path) if path else 'results/history.sqlite'}`, every full "
               "(not `--quick`) run of the `default` matrix, engine `sql`. Each point is a run's "
               "median records/s of a cell; the bar is not drawn (the history keeps the samples: "
               "`streamgauge history --scenario S --strategy X` lists them with step changes "
               "judged by a Mann-Whitney U test and a 10% threshold).\n")
    if not path or not os.path.exists(path):
        report.add(md.missing_section("History", "no history database was found",
                                      "Run the default matrix with `--history "
                                      "results/history.sqlite` (scripts/run does) at least twice."))
        return report
    _throughput(report, path)
    _latency(report, path)
    return report


def _throughput(report, path):
    try:
        rows = _rows(path)
    except sqlite3.Error as e:
        report.add(md.missing_section("History", f"`{path}` could not be read: {e}",
                                      "Nothing is plotted."))
        return
    runs = sorted({r[0] for r in rows})
    if len(runs) < 2:
        report.add(md.missing_section("History", f"only {len(runs)} full default run(s) recorded",
                                      "A trend needs at least two runs."))
        return
    run_meta = {r[0]: (r[1], r[2]) for r in rows}
    sources = {}
    for r in rows:
        sources.setdefault(r[0], set()).add(_source(r[11]))
    marks = history_marks.changes([r for r in _runs(path) if r[0] in runs], REPO,
                                  {run: ", ".join(sorted(s)) for run, s in sources.items()})
    report.add("Configuration changes (allocator, compiler, flags, build type; the source the "
               "cells read; instruction baseline refreshes, from git) are marked on every chart as a dotted red line at "
               "the first run after them: a step there may be the configuration, not the code.\n")
    report.finding(
        f"{len(runs)} full runs of the default matrix from {run_meta[runs[0]][0]} to "
        f"{run_meta[runs[-1]][0]}, with {len(marks)} configuration change(s) marked"
        + (f" (first at run {min(marks)}: {marks[min(marks)][0]})" if marks else "")
        + ": read a step at a mark as possibly the configuration, not the code.")
    report.add(md.table(["run", "date (UTC)", "commit", "changed since the run before"],
                        [[str(i), run_meta[i][0], f"`{run_meta[i][1]}`",
                          "; ".join(marks.get(i, [])) or "—"] for i in runs]))
    for scenario in sorted({r[3] for r in rows}):
        series = {}
        for r in rows:
            if r[3] != scenario:
                continue
            label = r[4] if r[7] == 1 else f"{r[4]} p{r[7]}"
            label += f" b{r[6]} n{r[8]}"
            if _source(r[11]) != "lent":  # a different read per record: its own line
                label += f" {_source(r[11])}"
            series.setdefault(label, []).append((r[0], r[9], r[9], r[9]))
        abs_path, rel = report.chart_path(scenario)
        charts.line_chart(abs_path, f"{scenario}: median records/s by run", series, "run id",
                          "records/s", marks=[(run, _short(what)) for run, what in
                                              sorted(marks.items())])
        report.add(f"## `{scenario}`\n")
        report.add(md.chart(rel, f"{scenario} throughput by run"))
