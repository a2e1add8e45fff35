"""coordination-overhead.md, after the per-strategy table: for each strategy short of the bar,
this run's numbers (share, cells within +-20%, the cells furthest off and which way the model
errs), whether its overhead is above what pairing can resolve at all, and what the data points
to, with the design-notes section where the attempts are recorded, dated, with their figures.

The leads below name terms and mechanisms only; every figure printed beside them is this run's,
or, beside a cell furthest off, the same cell's reading in the history's earlier full runs on the
same machine and build: a miss those runs read alike is the model's, not this run's."""

import json
import sqlite3
import statistics

from . import history_marks
from . import markdown as md
from . import model_summary
from . import thread_rises
from .model_summary import share_text
from .section_model_summary import NOTES, lead_line

# (group prefix, what the data points to, design-notes anchor). The first matching prefix wins.
LEADS = [
    ("per_record_lock",
     "the lock and the engine calls are priced per scenario, by a locked, an unlocked and a "
     "batched loop of `process` calls over the scenario's own query run side by side in each "
     "iteration (`batch/engine_calls/sql/paired/<scenario>`, its `locks_ns` and `calls_ns`; "
     "older runs: the three loops read apart). Read apart, their difference of a few ns a "
     "record moved by as much from one set of repetitions to the next on this host, over "
     "records made once or decoded batch by batch as a cell's are (tried side by side); "
     "side by side, in the sets tried, it moved by a fraction of that. The cells that still miss are sql cells, "
     "some above their prediction and some below it",
     "model-shortfalls"),
    ("batch_lock",
     "one lock a batch is all batch_lock adds to direct's loop, a small fraction of a ns a record; "
     "where the run measured the calling-thread A/A pair, batch_lock against direct in separate "
     "processes, its cells are judged by that pair's floor, and the cell left above it moves "
     "from one run to the next",
     "layout-between-processes"),
    ("lockless_stp p1",
     "one thread start and join is all a single partition adds to direct's loop, priced where a "
     "pinned cell starts it (`thread/start_join_pinned/same_cpu`); the new thread also sets up "
     "its own allocator heap on its first allocations (`fresh_heaps`, priced only where the run "
     "measured `thread/first_allocations`) and runs its own meter (`thread_meters`, where the "
     "run measured `thread/meter`)",
     "model-shortfalls"),
    ("lockless_stp",
     "the partitions overlap at the machine's parallel capacity (`machine/parallel_engine`: "
     "the job waits for its slowest partition, so the wall-to-wall figure), which moves with "
     "what the host gives each vCPU from one minute to the next; a shorter probe of it before "
     "each pair did not follow the cells' own gain",
     "cross-core-regimes"),
    ("adaptive p1",
     "the reader's path, where the term that misprices is `reused_blocks`: the reader's "
     "decoding into blocks the worker freed, less direct's own freeing and decoding, priced per "
     "scenario with the other thread freeing the last batch while the maker decodes the next, "
     "as the cells' threads run (`records/overlapped_frees/make`, at batch 1000; runs before it, "
     "and other batch sizes: two threads that take turns), each benchmark in a process of its "
     "own; the reader's reading over direct's, where the run has instrumented passes, sets the "
     "cells' reader beside it. The turn-taking reading depends on how the records' blocks lie "
     "and how many a batch holds: padded to whole cache lines, it falls by several ns a record "
     "for the scenarios whose records are not a whole number of lines, where the cells' reader "
     "does not move; a larger batch lowers it per record; a freeing thread that touches more "
     "than its cache holds after its frees takes nearly all of it away. Of the variants tried "
     "before the overlapped one, none ordered the scenarios as the cells do: a freer keeping "
     "pace with the maker (a ring of batches, or at a set pace), the maker one to sixteen "
     "batches ahead, the decoded log at a million records. "
     "The reader's wake-ups cost in the cells what `thread/wake_sleeping` says (traced), and "
     "`aged_records` prices a worker's pops that find its queue not empty (a batch made while it "
     "worked on the last costs it less than one it waited for); with it the sql cells over "
     "stateful queries, where the worker rarely waits, are predicted to save what they do or "
     "more",
     "model-shortfalls"),
    ("adaptive",
     "the reader's path: with a materialized source it decodes and allocates every record, in "
     "blocks the workers freed (`reused_blocks`, priced per scenario by one thread making while "
     "another frees the last batch, `records/overlapped_frees/make`; runs before it: the two "
     "taking turns). Pinned, it shares CPU slot 0 with worker 0: the "
     "reader's wakes of that worker are priced on their one CPU "
     "(`thread/wake_sleeping/event_count/same_cpu`: the switch there and back, the worker's "
     "spin on its empty queue and its wait), and the time that worker waits for the CPU is the "
     "reader's own, not added; the other worker's wakes rouse an idle CPU. What the terms leave "
     "out is the reader's reading (the rise above): at two partitions its blocks come back from "
     "two workers, one on its CPU and one on the other, each freeing its own share of every "
     "batch rather than the batch in the order it was made, and a profile of the reader threads "
     "(by symbol, over every pass) puts the rise where the allocator takes freed blocks back, "
     "as the phase clocks put it in reading; its routing is priced over each batch just "
     "decoded, as the reader routes it (`routing/decoded`; runs before it: `routing/records`). "
     "No microbench reproduces the rise yet: a `reused_blocks` variant whose batches two "
     "threads free, split as the router splits them (one on the maker's CPU, one on the "
     "other), rose about alike for every scenario tried, where the cells' rise "
     "differs by scenario and engine, so it prices nothing",
     "model-shortfalls"),
    ("streaming",
     "the sql cells: the producer frees what its query leaves out itself and the job thread "
     "frees the rows it passes on, so the producer allocates in blocks freed on both cores "
     "(`produced_rows`, per record read over the scenario's own query, where the run measured "
     "it; older runs priced `reused_blocks` over the output rows); the producer runs beside the "
     "job thread on the other CPU, priced at what one CPU loses to the other on average "
     "(`machine/parallel_engine`'s slot benchmarks). By thread (the line above), the "
     "producer's work over direct's splits into its reading and its engine phase, which "
     "allocates the output rows the job thread frees on the other CPU and, for the stateful "
     "queries, updates the query's state between those allocations; `produced_rows` prices "
     "both together, with the job thread freeing the last batch's rows while the producer "
     "makes the next, as in the cells (runs before it measured the two taking turns, which "
     "read far lower for the stateful queries than their producers' rise here)",
     "model-shortfalls"),
]


EARLIER_RUNS = 3  # the earlier readings shown beside a cell furthest off


def earlier_readings(history_path, matrix, cell_ids, runs=EARLIER_RUNS):
    """{cell id: [its overhead in ns a record in each of the last `runs` full default runs that
    the history holds before this one, on the same machine and build (history_marks.ENV_KEYS),
    oldest first]}. The history keeps each cell's timed passes, not its pairs, so a reading is the
    median of the cell's passes less the median of its direct's, per record. {} without a
    history or when it cannot be read."""
    if not history_path or matrix is None:
        return {}
    env = matrix.environment
    baselines = {c.id: (c.raw.get("summary") or {}).get("baseline") for c in matrix.cells}
    wanted = {c: baselines.get(c) for c in cell_ids if baselines.get(c)}
    if not wanted:
        return {}
    try:
        con = sqlite3.connect(f"file:{history_path}?mode=ro", uri=True)
        try:
            candidates = con.execute(
                "SELECT id, environment FROM runs WHERE matrix = 'default' AND quick = 0 "
                "AND date_utc < ? ORDER BY id DESC", (env.get("date_utc", ""),)).fetchall()
            same = [rid for rid, text in candidates
                    if all(history_marks.environment(text).get(k) == env.get(k)
                           for k, _ in history_marks.ENV_KEYS)][:runs]
            readings = {c: [] for c in wanted}
            for rid in reversed(same):
                walls = {}
                for cid, records, wall_ns in con.execute(
                        "SELECT cell_id, records, wall_ns FROM cells WHERE run_id = ?", (rid,)):
                    passes = json.loads(wall_ns or "[]")
                    if passes and records:
                        walls[cid] = (statistics.median(passes), records)
                for c, base in wanted.items():
                    if c in walls and base in walls:
                        readings[c].append((walls[c][0] - walls[base][0]) / walls[c][1])
        finally:
            con.close()
    except (sqlite3.Error, json.JSONDecodeError):
        return {}
    return {c: r for c, r in readings.items() if r}


def _cell_text(row, earlier=None):
    text = (f"`{row.get('cell', '?')}` (measured {row.get('measured_ns_per_record', 0.0):.1f}, "
            f"predicted {row.get('predicted_ns_per_record', 0.0):.1f}")
    readings = (earlier or {}).get(row.get("cell"))
    if readings:
        text += (f"; earlier runs here: {', '.join(f'{x:.1f}' for x in readings)}")
    return text + ")"


def _between_processes_text(process_floor):
    """Where a cell's ratio can go from one process to the next: the A/A pair's readings where the
    run measured them, else the design note's account."""
    link = f"[{NOTES}#layout-between-processes](../{NOTES}#layout-between-processes)"
    readings = (process_floor or {}).get("readings") or []
    if not readings:
        return (f"one cell's ratio moves by a few % from one process to the next, more than its "
                f"pairs' interval: {link}")
    ratios = [r.get("ratio", 1.0) for r in readings]
    return (f"the A/A pairs, direct's loop against direct, read {min(ratios):.3f}x to "
            f"{max(ratios):.3f}x over {process_floor.get('processes', 0)} processes: {link}")


def _group_text(s, rows, floor, process_floor=None, earlier_of=None, rise_of=None):
    low, high = model_summary.REQUIRE, 2 - model_summary.REQUIRE
    above = model_summary.above_noise(rows, s.group)
    lines = [f"### {s.group}\n"]
    needs = []
    share = s.explained_share
    if share is None or share < low or share > high:
        needs.append(f"explains {share_text(share)} (needs {low:.0%}-{high:.0%})")
    if s.within_20pct < model_summary.CELLS_REQUIRE * s.above_noise:
        needs.append(f"{s.within_20pct} of {s.above_noise} cells above noise within +-20% "
                     f"(needs {model_summary.CELLS_REQUIRE:.0%})")
    lines.append(f"- Short of the bar: {'; '.join(needs)}.")
    over = sum(1 for r in above
               if r.get("predicted_ns_per_record", 0.0) > r.get("measured_ns_per_record", 0.0))
    lines.append(f"- Measured {s.measured_ns:.1f} ns a record summed over its cells above noise, "
                 f"predicted {s.predicted_ns:.1f}; over-predicted in {over} of {len(above)} "
                 f"cells, under-predicted in {len(above) - over}.")
    worst = sorted(above, key=lambda r: -abs(r.get("measured_ns_per_record", 0.0) -
                                             r.get("predicted_ns_per_record", 0.0)))[:3]
    if worst:
        earlier = earlier_of([r.get("cell") for r in worst]) if earlier_of else {}
        lines.append("- Furthest off (ns a record): " +
                     "; ".join(_cell_text(r, earlier) for r in worst) + ".")
    rise = thread_rises.text(above, rise_of or {}, worst)
    if rise:
        lines.append(rise)
    largest = model_summary.largest_within(above, floor)
    if largest is not None:
        lines.append(f"- Every one of these cells is within {100 * largest:.1f}% "
                     f"of direct's time, and this matrix's artifacts read up to "
                     f"{100 * floor:.1f}% off: these overheads are at the resolution of pairing "
                     f"two code paths, not a cost the microbenches can be expected to find "
                     f"({_between_processes_text(process_floor)}).")
    lead = lead_line(LEADS, s.group)
    if lead:
        lines.append(f"- {lead}")
    return "\n".join(lines) + "\n"


def add(report, data):
    ex = data.explain
    if ex is None:
        return
    summary, _ = model_summary.summary_of(ex)
    short = [s for s in summary if s.meets is False]
    if not short:
        return
    rows = ex.get("rows", [])
    floor = model_summary.artifact_floor(rows)
    history_path = getattr(data, "history_path", None)
    matrix = data.matrix("default")
    rise_of = thread_rises.rises(matrix)
    report.add("## Where the model falls short\n")
    report.add("Each strategy short of the bar, with this run's figures: which way the model errs, "
               "the cells furthest off, and what the data points to."
               + (f" Beside a cell furthest off, \"earlier runs here\" are its readings in the "
                  f"history's latest full runs before this one (up to {EARLIER_RUNS}) on the same "
                  f"machine and build (the median of its timed passes less its direct's, per "
                  f"record; the history keeps passes, not pairs): a miss they read alike is the "
                  f"model's, not this run's." if history_path else "") + "\n")
    for s in short:
        group_rows = [r for r in rows if model_summary.group_of(r) == s.group]
        report.add(_group_text(s, group_rows, floor, ex.get("process_floor"),
                               lambda cells: earlier_readings(history_path, matrix, cells),
                               rise_of))
