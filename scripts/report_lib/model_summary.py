"""The overhead model's per-strategy summary: read from a streamgauge-explain/3 file, or computed
from an older file's rows by the same rule (harness/analysis/overhead_model.cpp, summarize()).

The sums are by magnitude: a cell faster than direct (negative overhead) adds -measured and
-predicted, so that a group's costs and savings add up instead of cancelling. A /2 file's summary
summed them with their signs, so it is computed again here; a /1 file has no noise floor, so every
one of its rows counts as above noise."""

from dataclasses import dataclass
from typing import Optional

# A strategy's share of overhead explained meets the bar inside [REQUIRE, 2 - REQUIRE].
REQUIRE = 0.9
# A cell is predicted well when predicted / measured lies within 1 +- this.
CELL_TOLERANCE = 0.2
# ... and the bar needs at least this share of a strategy's cells above noise predicted well.
CELLS_REQUIRE = 0.8


@dataclass
class GroupSummary:
    group: str
    cells: int = 0
    within_noise: int = 0
    within_process_floor: int = 0  # of which within the noise floor between processes only
    artifacts: int = 0         # cells the matrix flagged as faster than direct though doing more
    above_noise: int = 0
    within_20pct: int = 0
    measured_ns: float = 0.0   # summed over the above-noise cells, ns per record
    predicted_ns: float = 0.0  # the same cells' predictions
    explained_share: Optional[float] = None  # predicted / measured; None: nothing to explain

    @property
    def meets(self):
        """True/False against the bar: a share inside [REQUIRE, 2 - REQUIRE] and at least
        CELLS_REQUIRE of the cells above noise within CELL_TOLERANCE; None when every cell is
        within noise (the group has nothing to explain, as `streamgauge explain --require` lets
        it pass)."""
        if self.above_noise == 0:
            return None
        share = self.explained_share
        return (share is not None and not (share < REQUIRE or share > 2 - REQUIRE) and
                self.within_20pct >= CELLS_REQUIRE * self.above_noise)


def share_text(share):
    return "—" if share is None else f"{100 * share:.1f}%"


def _relative(row):
    base = row.get("baseline_ns_per_record") or 0.0
    return row.get("measured_ns_per_record", 0.0) / base if base > 0 else None


def artifact_floor(rows):
    """The largest |overhead| / direct's time among the matrix's artifacts (cells that read
    faster than direct though they do more): how far pairing two code paths can be off."""
    floors = [abs(r) for r in (_relative(row) for row in rows if row.get("artifact"))
              if r is not None]
    return max(floors) if floors else None


def above_noise(rows, group):
    """The group's rows that count towards its share: neither within noise nor artifacts."""
    return [r for r in rows if group_of(r) == group and not r.get("within_noise")
            and not r.get("artifact")]


def largest_within(rows, floor):
    """The largest |overhead| / direct's time of `rows` when every one of them lies within
    `floor` (the artifacts' reach: the method's resolution), else None."""
    relative = [x for x in (_relative(r) for r in rows) if x is not None]
    largest = max((abs(x) for x in relative), default=None)
    if floor is None or largest is None or largest > floor:
        return None
    return largest


def _id_token(cell_id, prefix):
    """The value of a cell id's '/<prefix><value>' segment ('/qmoodycamel' -> 'moodycamel')."""
    for part in cell_id.split("/")[6:]:
        if part.startswith("src-") and prefix != "src-":
            continue  # '/src-shared' is a source, not a streaming mode '/s<mode>'
        if part.startswith(prefix):
            return part[len(prefix):]
    return ""


def group_of(row):
    """The row's summary key: its own `group` (/2), else built from its fields and cell id as the
    model builds it: strategy, streaming mode, partitions, queue, source, hand-off."""
    if row.get("group"):
        return row["group"]
    strategy = row.get("strategy", "?")
    cell_id = row.get("cell", "")
    group = strategy
    if strategy == "streaming" and _id_token(cell_id, "s"):
        group += " " + _id_token(cell_id, "s")
    if strategy in ("adaptive", "lockless_stp"):
        group += f" p{row.get('partitions', 1)}"
    if strategy == "adaptive" and _id_token(cell_id, "q"):
        group += " " + _id_token(cell_id, "q")
    if _id_token(cell_id, "src-"):
        group += " src-" + _id_token(cell_id, "src-")
    if _id_token(cell_id, "h-"):
        group += " " + _id_token(cell_id, "h-")
    return group


def summarize(rows):
    """GroupSummary per group, in the order the groups first appear."""
    out = {}
    for row in rows:
        s = out.setdefault(group_of(row), GroupSummary(group_of(row)))
        s.cells += 1
        if row.get("artifact"):
            s.artifacts += 1
            continue
        if row.get("within_noise", False):
            s.within_noise += 1
            s.within_process_floor += bool(row.get("within_process_floor"))
            continue
        s.above_noise += 1
        measured = row.get("measured_ns_per_record", 0.0)
        predicted = row.get("predicted_ns_per_record", 0.0)
        sign = -1.0 if measured < 0 else 1.0
        s.measured_ns += sign * measured
        s.predicted_ns += sign * predicted
        if measured != 0 and abs(predicted / measured - 1) <= CELL_TOLERANCE:
            s.within_20pct += 1
    for s in out.values():
        if s.above_noise > 0 and s.measured_ns != 0:
            s.explained_share = s.predicted_ns / s.measured_ns
    return list(out.values())


def _from_json(entry):
    share = entry.get("explained_share")
    return GroupSummary(group=str(entry.get("group", "?")), cells=int(entry.get("cells", 0)),
                        within_noise=int(entry.get("within_noise", 0)),
                        within_process_floor=int(entry.get("within_process_floor", 0)),
                        artifacts=int(entry.get("artifacts", 0)),
                        above_noise=int(entry.get("above_noise", 0)),
                        within_20pct=int(entry.get("within_20pct", 0)),
                        measured_ns=float(entry.get("measured_ns_per_record", 0.0)),
                        predicted_ns=float(entry.get("predicted_ns_per_record", 0.0)),
                        explained_share=None if share is None else float(share))


SUMMED_BY_MAGNITUDE = "streamgauge-explain/3"


def summary_of(explain):
    """(the GroupSummary list, True when it was computed here from the rows of an older file)."""
    if "summary" in explain and explain.get("format") == SUMMED_BY_MAGNITUDE:
        return [_from_json(e) for e in explain["summary"]], False
    return summarize(explain.get("rows", [])), True


def computed_text(explain):
    """Why the summary was computed from the rows, for a file that summary_of computed."""
    if "summary" in explain:
        return (f"This `explain.json` is in format `{explain.get('format')}`, whose summary sums "
                f"the cells' overheads with their signs: the table is computed here from its "
                f"rows, by magnitude.")
    return (f"This `explain.json` is in format `{explain.get('format')}`, which has no noise "
            f"floor and no summary: the table is computed here from its rows, every cell counted "
            f"as above noise.")
