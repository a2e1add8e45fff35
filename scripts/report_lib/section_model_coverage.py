"""coordination-overhead.md, after the validation: the overhead model over the two matrices that
vary what the default matrix holds fixed, so that every queue kind and every streaming mode is
predicted from the same microbenches (issue 19's "over each queue, every streaming mode"):

- queues.toml: adaptive over each RecordQueue kind, batches of 1, 100 and 1,000, one and two
  partitions (one scenario, its threads unpinned);
- startup.toml: the streaming strategy in each of its modes, 10 records to 1,000,000 (records
  lent, not decoded).

For each: the per-strategy table under the same bar, and for each strategy short of it the cells
furthest off, with their largest terms."""

from . import markdown as md
from . import model_summary
from . import section_held_out
from . import section_model_summary

# How many of a short group's cells to name, furthest off first.
CELLS_NAMED = 3

MATRICES = [
    ("queues", "Over each queue",
     "`scenarios/matrix/queues.toml`: adaptive over each queue kind at batches of 1, 100 and "
     "1,000 records, one and two partitions, over one scenario (its threads unpinned)"),
    ("startup", "Over every streaming mode",
     "`scenarios/matrix/startup.toml`: the streaming strategy in each of its modes (eager, lazy, "
     "spawnless, pooled) from 10 records to 1,000,000, the records lent rather than decoded"),
]


def _furthest_text(rows, group):
    above = model_summary.above_noise(rows, group)
    off = sorted(above, key=lambda r: -abs(r.get("predicted_ns_per_record", 0.0) -
                                           r.get("measured_ns_per_record", 0.0)))
    return "; ".join(
        f"`{r.get('cell', '?')}` (measured {r.get('measured_ns_per_record', 0.0):.1f}, predicted "
        f"{r.get('predicted_ns_per_record', 0.0):.1f}: "
        f"{section_held_out.way_of(r)}-predicted, largest terms "
        f"{section_held_out.terms_text(r) or 'none'})" for r in off[:CELLS_NAMED])


def _one(report, data, name, title, what):
    ex = getattr(data, f"explain_{name}")
    if ex is None:
        report.add(md.missing_section(title, data.missing_reason(f"explain_{name}"),
                                      "Its per-strategy shares come from it."))
        return
    summary, _ = model_summary.summary_of(ex)
    report.add(f"### {title}\n\n{what}; the model predicts it from the same microbenches as the "
               f"default matrix:\n")
    if not summary:
        report.add("The model explained no cell of it.\n")
        return
    report.add(section_model_summary.table(summary))
    short = [s for s in summary if s.meets is False]
    if short:
        rows = ex.get("rows", [])
        report.add("Short of the bar, furthest off first (ns a record):\n\n" + "\n".join(
            f"- **{s.group}**: {s.within_20pct} of {s.above_noise} cells above noise within "
            f"+-20%, explains {model_summary.share_text(s.explained_share)}. "
            f"{_furthest_text(rows, s.group)}." for s in short) + "\n")


def add(report, data):
    report.add("## The model over each queue and every streaming mode\n")
    report.add("The default matrix runs adaptive over one queue kind (moodycamel) and the streaming "
               "strategy in one mode (eager), at one batch size; two more matrices of the run vary "
               "them, and the model predicts those too, with nothing fitted on either.\n")
    for name, title, what in MATRICES:
        _one(report, data, name, title, what)
