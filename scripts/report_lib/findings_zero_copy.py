"""zero-copy.md's findings (seed 002): a deep copy against sharing a record, the batch size, and
GROUP BY against the passthrough."""

from . import common
from . import findings as f

GROUP_BY = "group_by_5_aggs"
SEED_002_RATE = 287_000  # seed 002's records/s before sharing records (its figure, not ours)


def copies(data):
    deep = data.bench("bench_record_copies", "copy/record/deep_copy")
    share = data.bench("bench_record_copies", "copy/record/share")
    if not deep or not share:
        return None
    r = f.bench_ratio(deep, share)
    extra = deep.median_ns - share.median_ns
    per_record_at_seed = 1e9 / SEED_002_RATE
    return (f"A deep copy of a record took {f.ns(deep.median_ns)} against {f.ns(share.median_ns)} "
            f"to share it ({r[1]:.2f}x; seed 001 says 30.7x): {f.ns(extra)} more per record and "
            f"hand-off, {extra / per_record_at_seed * 100:.2f}% of a record's "
            f"{f.ns(per_record_at_seed)} at seed 002's 287K records/s, so sharing instead of "
            "copying cannot by itself give a pipeline like seed 002's its 287K -> 400K.")


def _group_by(data):
    m = data.matrix("default")
    if m is None:
        return None
    batch = common.main_batch(m)
    n = common.main_records(m, GROUP_BY)
    sql = m.one(scenario=GROUP_BY, strategy="direct", engine="sql", batch_size=batch, records=n)
    pt = m.one(scenario=GROUP_BY, strategy="direct", engine="passthrough", batch_size=batch,
               records=n)
    _, r = common.compare(sql, pt)
    if not r:
        return None
    meaning = ("the aggregation itself is not a pipeline's bottleneck here" if r[1] < 2 else
               "the aggregation is where such a pipeline's time goes")
    return (f"GROUP BY with 5 aggregates took {r[1]:.2f}x [{r[0]:.2f}–{r[2]:.2f}] the time of the "
            f"passthrough engine on the same {n:,} records (seed 002: 111x): {meaning}.")


def _sweep(data):
    m = data.matrix("batch_sweep")
    if m is None:
        return None
    sizes = sorted({c.batch_size for c in m.cells if c.batch_size > 0})
    if len(sizes) < 2:
        return None
    small, large = sizes[0], sizes[-1]
    worst = None
    for c in m.find(batch_size=small):
        if c.strategy == "direct" or c.peer:
            continue
        big = m.one(scenario=c.scenario, strategy=c.strategy, engine=c.engine,
                    partitions=c.partitions, batch_size=large, records=c.records)
        _, r = common.compare(c, big)
        if r and (worst is None or r[1] > worst[1][1]):
            worst = (f"{c.strategy}/{c.engine} on `{c.scenario}`", r)
    if worst is None:
        return None
    meaning = ("batch size barely matters to such a pipeline" if worst[1][1] < 1.25 else
               "small batches cost a pipeline like the seeds' real time: keep them large")
    return (f"Batch {small} took up to {worst[1][1]:.2f}x [{worst[1][0]:.2f}–{worst[1][2]:.2f}] "
            f"the time of batch {large:,} ({worst[0]}, the worst case of the sweep): {meaning}.")


def add(report, data):
    """The findings after the copies one (report_zero_copy puts that one first)."""
    report.finding(_group_by(data))
    report.finding(_sweep(data))
