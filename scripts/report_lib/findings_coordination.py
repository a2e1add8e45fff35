"""coordination-overhead.md's findings (seed 001): pure coordination (passthrough) against the SQL
engine run directly."""

from . import common
from . import findings as f


def _passthrough(m):
    scenarios = [s for s in m.scenarios() if m.find(scenario=s, engine="passthrough")]
    ratios = f.cell_ratios(m, scenarios, "adaptive", "direct", engine="passthrough")
    if not ratios:
        return None
    worst = max(r[1] for _, r in ratios)
    meaning = ("the coordination alone is not the seed's 11x" if worst < 5.5 else
               "coordination alone costs multiples here too")
    return (f"With no SQL work (passthrough engine) the adaptive processor at 1 partition took "
            f"{f.spread_text(ratios)} the time of direct passthrough (batch "
            f"{common.main_batch(m)}): {meaning}.")


def add(report, data):
    m = data.matrix("default")
    if m is not None:
        report.finding(_passthrough(m))
