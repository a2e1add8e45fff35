"""gap-analysis.md's findings (seed 004): the gap between coordinated batches and direct per
scenario, beside the seed's 2.58x, 47.5x and 12.7x."""

from . import common
from . import findings as f

# Seed 004, 'Measured Performance': coordinated batches over direct, per scenario.
SEED_GAPS = (("s1_rows_window", "S1", 2.58), ("s2_group_by", "S2", 47.5),
             ("s3a_tumbling", "S3a", 12.7))


def _gaps(m):
    ratios = dict(f.cell_ratios(m, [s for s, _, _ in SEED_GAPS if m.find(scenario=s)],
                                "batch_lock", "direct"))
    parts = [f"{label} {ratios[sc][1]:.2f}x [{ratios[sc][0]:.2f}–{ratios[sc][2]:.2f}] (seed "
             f"{seed}x)" for sc, label, seed in SEED_GAPS if sc in ratios]
    if not parts:
        return None
    worst = max(ratios.values(), key=lambda r: r[1])
    meaning = ("coordinating batches as such does not make the seed's multiples; they come from "
               "what else its pipeline does per batch" if worst[1] < 2 else
               "coordination does cost multiples here too")
    return (f"Coordinated batches (`batch_lock`) over direct, per seed 004 scenario: "
            f"{'; '.join(parts)}; the largest gap here is {worst[1]:.2f}x: {meaning}.")


def _adaptive(m):
    ratios = f.cell_ratios(m, [s for s, _, _ in SEED_GAPS if m.find(scenario=s)], "adaptive",
                           "direct")
    if not ratios:
        return None
    worst = max(r[1] for _, r in ratios)
    meaning = ("a queue hand-off per batch costs a fraction, not multiples" if worst < 2 else
               "the queued processor costs multiples here")
    return (f"The adaptive (queued, partitioned) processor at 1 partition took "
            f"{f.spread_text(ratios)} the time of direct on the same scenarios (batch "
            f"{common.main_batch(m)}): {meaning}.")


def add(report, data):
    m = data.matrix("default")
    if m is None:
        return
    report.finding(_gaps(m))
    report.finding(_adaptive(m))
