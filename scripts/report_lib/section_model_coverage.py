"""coordination-overhead.md, after the validation: the overhead model over the two matrices that
vary what the default matrix holds fixed, so that every queue kind and every streaming mode is
predicted from the same microbenches (issue 19's "over each queue, every streaming mode"):

- queues.toml: adaptive over each RecordQueue kind, batches of 1, 100 and 1,000, one and two
  partitions (one scenario; whether its threads ran pinned is read from its cells);
- startup.toml: the streaming strategy in each of its modes, 10 records to 1,000,000 (records
  lent, not decoded).

For each: the per-strategy table under the same bar, and for each strategy short of it the cells
furthest off, with their largest terms, the by-thread readings that set a term beside what the
cells' threads did (thread_rises), and what the data points to, linked to the design-notes
section where the attempts are recorded with their figures. The leads name terms and mechanisms
only; the figures beside them are this run's."""

from . import markdown as md
from . import model_summary
from . import section_held_out
from . import section_model_summary
from . import thread_rises
from .section_model_summary import lead_line

# How many of a short group's cells to name, furthest off first.
CELLS_NAMED = 3

MATRICES = [
    ("queues", "Over each queue",
     "`scenarios/matrix/queues.toml`: adaptive over each queue kind at batches of 1, 100 and "
     "1,000 records, one and two partitions, over one scenario"),
    ("startup", "Over every streaming mode",
     "`scenarios/matrix/startup.toml`: the streaming strategy in each of its modes (eager, lazy, "
     "spawnless, pooled) from 10 records to 1,000,000, the records lent rather than decoded"),
]


# (group prefix, what the data points to, design-notes anchor). The first matching prefix wins.
LEADS = [
    ("adaptive p1 boost-mpmc",
     "boost-mpmc's queue is a list of nodes, one pushed and one popped for every item, where the "
     "other queues move an array of pointers; no term prices its per-item cost: "
     "`queue_crossing` prices an array of pointers crossing, the same for every queue, and the "
     "queue's own hand-off microbench (`queue/boost-mpmc/handoff`) reads several times the "
     "others' an item",
     "model-shortfalls"),
    ("adaptive p2 boost-mpmc",
     "as at one partition, boost-mpmc's per-item node push and pop, which no term prices; at "
     "batch 1 `handoffs` and `queue_crossing` both price each record's crossing",
     "model-shortfalls"),
    ("adaptive p1",
     "at batch 1 every record is a batch, and `queue_crossing` prices its pointer's crossing as "
     "if the worker waited for each: where the worker rarely waits (the mutex queue) the cells "
     "measure far less; at batch 100 the reader's decoding into blocks the worker freed "
     "(`reused_blocks` at the cell's batch size, two threads taking turns) reads below the "
     "cells' reader (the line above, where the run has instrumented passes)",
     "model-shortfalls"),
    ("adaptive p2",
     "at batch 1, `handoffs` (half a blocking round trip for each wait) and `queue_crossing` "
     "together price more than the cells measure, and the reader's reading over the same cell "
     "at one partition (the line above) sets what each partition adds to the reader beside them",
     "model-shortfalls"),
    ("streaming spawnless",
     "a spawn-less stream runs in the caller: `stream_startup` prices its one allocation, timed "
     "after the calling thread was busy as the matrix's passes are, and the 10-record cells "
     "cost more than that; what else the pass holds is not yet known. Its larger cells are "
     "within noise",
     "streaming-startup"),
    ("streaming",
     "the 10-record cells are the stream's start-up, which `stream_startup` prices from a stream "
     "started after the calling thread was busy with the other CPU idle, as the cells' passes "
     "are. Beyond them, in the sql cells the job thread reads and frees rows the producer built "
     "up to the channel's depth ahead of it (it rarely waits for one), where `record_lines` and "
     "`remote_frees` price rows read and freed as two threads taking turns make them, or a "
     "batch after; the job thread's writing over direct's (the line above) reads a fraction of "
     "that. The passthrough cells at 100,000 records and more are a few ns a record from direct, "
     "where the model overlaps the producer's work with the job thread's",
     "model-shortfalls"),
]


def _furthest(rows, group):
    above = model_summary.above_noise(rows, group)
    return above, sorted(above, key=lambda r: -abs(r.get("predicted_ns_per_record", 0.0) -
                                                   r.get("measured_ns_per_record", 0.0)))


def _furthest_text(off):
    return "; ".join(
        f"`{r.get('cell', '?')}` (measured {r.get('measured_ns_per_record', 0.0):.1f}, predicted "
        f"{r.get('predicted_ns_per_record', 0.0):.1f}: "
        f"{section_held_out.way_of(r)}-predicted, largest terms "
        f"{section_held_out.terms_text(r) or 'none'})" for r in off[:CELLS_NAMED])


def _short_text(s, rows, rise_of):
    above, off = _furthest(rows, s.group)
    lines = [f"- **{s.group}**: {s.within_20pct} of {s.above_noise} cells above noise within "
             f"+-20%, explains {model_summary.share_text(s.explained_share)}. "
             f"{_furthest_text(off)}."]
    rise = thread_rises.text(above, rise_of, off[:CELLS_NAMED])
    if rise:
        lines += ["  " + line for line in rise.split("\n")]
    lead = lead_line(LEADS, s.group)
    if lead:
        lines.append(f"  - {lead}")
    return "\n".join(lines)


def _placement(matrix):
    """How the matrix placed its threads, as its cells' names say (a pinned cell's id holds
    /pinned): queues.toml ran unpinned before session 36."""
    ids = [c.id for c in matrix.cells] if matrix is not None else []
    if not ids:
        return ""
    pinned = sum(1 for i in ids if "/pinned" in i)
    if pinned == len(ids):
        return " (its threads pinned by role)"
    return " (its threads unpinned)" if pinned == 0 else f" ({pinned} of {len(ids)} cells pinned)"


def _one(report, data, name, title, what):
    ex = getattr(data, f"explain_{name}")
    if ex is None:
        report.add(md.missing_section(title, data.missing_reason(f"explain_{name}"),
                                      "Its per-strategy shares come from it."))
        return
    summary, _ = model_summary.summary_of(ex)
    report.add(f"### {title}\n\n{what}{_placement(data.matrix(name))}; the model predicts it "
               f"from the same microbenches as the default matrix:\n")
    if not summary:
        report.add("The model explained no cell of it.\n")
        return
    report.add(section_model_summary.table(summary))
    short = [s for s in summary if s.meets is False]
    if short:
        rows = ex.get("rows", [])
        rise_of = thread_rises.rises(data.matrix(name))
        report.add("Short of the bar, furthest off first (ns a record), with what the data points "
                   "to:\n\n" + "\n".join(_short_text(s, rows, rise_of) for s in short) + "\n")


def add(report, data):
    report.add("## The model over each queue and every streaming mode\n")
    report.add("The default matrix runs adaptive over one queue kind (moodycamel) and the streaming "
               "strategy in one mode (eager), at one batch size; two more matrices of the run vary "
               "them, and the model predicts those too, with nothing fitted on either.\n")
    for name, title, what in MATRICES:
        _one(report, data, name, title, what)
