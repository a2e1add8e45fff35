"""architecture-comparison.md's findings (seed 003): what locking per record and per batch cost
against direct, and what the lockless pipeline gains from a second partition."""

from . import common
from . import findings as f

SCENARIOS_003 = ("s0_pure_select", "s1_rows_window", "s2_group_by", "s3a_tumbling",
                 "s3b_tumbling_emit_changes")


def _locking(m, strategy, meaning):
    ratios = f.cell_ratios(m, [s for s in SCENARIOS_003 if m.find(scenario=s)], strategy,
                           "direct")
    if not ratios:
        return None
    slower = sum(r[0] > 1.0 for _, r in ratios)
    faster = sum(r[2] < 1.0 for _, r in ratios)
    if faster:
        meaning = (f"faster than direct in {faster}, which needs explaining before a pipeline "
                   "relies on it.")
    elif not slower:
        meaning = ("within the noise of direct everywhere: one lock per batch is not where a "
                   "pipeline's time goes.")
    return (f"`{strategy}` took {f.spread_text(ratios)} the time of direct across "
            f"{len(ratios)} of seed 003's scenarios (batch {common.main_batch(m)}, largest "
            f"count); slower in every repetition in {slower} of them: {meaning}")


def _scaling(data):
    m = data.matrix("partition_scaling")
    if m is None:
        return None
    cores = int(m.environment.get("cores", 0) or 0)
    best = None
    for sc in m.scenarios():
        n = common.main_records(m, sc)
        one = m.one(scenario=sc, strategy="lockless_stp", partitions=1, records=n)
        at = m.one(scenario=sc, strategy="lockless_stp", partitions=cores, records=n)
        _, r = common.compare(one, at)
        if r and (best is None or r[1] > best[1][1]):
            best = (sc, r)
    if best is None or cores < 2:
        return None
    return (f"The lockless per-partition pipeline at {cores} partitions ran "
            f"{best[1][1]:.2f}x [{best[1][0]:.2f}–{best[1][2]:.2f}] as fast as at 1 on "
            f"`{best[0]}` (its best scenario, {cores} cores): partitioning pays only while each "
            "partition has a core of its own.")


def add(report, data):
    m = data.matrix("default")
    if m is not None:
        report.finding(_locking(m, "per_record_lock", "locking once per record is never the "
                                "speed-up seed 003 reports."))
        report.finding(_locking(m, "batch_lock", "one lock per batch is a cost, never a "
                                "speed-up."))
    report.finding(_scaling(data))
