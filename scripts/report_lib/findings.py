"""Helpers for the findings each report opens with: every figure comes from the run's cells or
microbenches; a finding whose input is missing is None (the report skips it)."""

from statistics import median

from . import common
from . import markdown as md


def pct(r):
    """'13.8% [-25.3%–34.9%]' from a (lowest, median, highest) time ratio."""
    return f"{(r[1] - 1) * 100:.1f}% [{(r[0] - 1) * 100:.1f}%–{(r[2] - 1) * 100:.1f}%]"


def longer_text(r, what):
    """'took 13.8% [..] longer than WHAT' or, when the median is below 1, 'took 13.4% [..] less
    time than WHAT' (the range is then given as less-time percentages too)."""
    if r[1] >= 1.0:
        return f"took {pct(r)} longer than {what}"
    less = ((1 - r[2]) * 100, (1 - r[1]) * 100, (1 - r[0]) * 100)
    return f"took {less[1]:.1f}% [{less[0]:.1f}%–{less[2]:.1f}%] less time than {what}"


def relation_words(r):
    """How a time ratio's range reads: clearly slower, clearly faster, or within the noise."""
    if r[0] > 1.0:
        return "slower in every repetition"
    if r[2] < 1.0:
        return "faster in every repetition"
    return "within the spread of the repetitions"


def cell_ratios(m, scenarios, slow_strategy, fast_strategy, engine="sql", batch=None,
                partitions=1):
    """[(scenario, (lowest, median, highest))] of slow/fast at each scenario's largest count."""
    batch = batch if batch is not None else common.main_batch(m)
    out = []
    for sc in scenarios:
        n = common.main_records(m, sc)
        slow = m.one(scenario=sc, strategy=slow_strategy, engine=engine, batch_size=batch,
                     partitions=partitions, records=n)
        fast = m.one(scenario=sc, strategy=fast_strategy, engine=engine, batch_size=batch,
                     partitions=1, records=n)
        _, r = common.compare(slow, fast)
        if r:
            out.append((sc, r))
    return out


def spread_text(ratios):
    """'1.02x (s0) to 1.51x (s2)' over [(name, ratio)]: the lowest and highest median."""
    lo = min(ratios, key=lambda x: x[1][1])
    hi = max(ratios, key=lambda x: x[1][1])
    if lo is hi:
        return f"{lo[1][1]:.2f}x ({lo[0]})"
    return f"{lo[1][1]:.2f}x (`{lo[0]}`) to {hi[1][1]:.2f}x (`{hi[0]}`)"


def median_wall_difference_ns(slow, fast):
    return median(slow.wall_ns()) - median(fast.wall_ns())


def bench_ratio(slow, fast):
    return (slow.min_ns / fast.max_ns, slow.median_ns / fast.median_ns, slow.max_ns / fast.min_ns)


def ns(x):
    return md.fmt_ns(x)
