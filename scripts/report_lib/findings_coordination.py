"""coordination-overhead.md's findings (seed 001): pure coordination (passthrough) against the SQL
engine run directly, and how many strategies the overhead model explains."""

from . import common
from . import findings as f
from . import model_summary


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


def _model(explain):
    summary, computed = model_summary.summary_of(explain)
    judged = [s for s in summary if s.meets is not None]
    if not judged:
        return None
    met = [s for s in judged if s.meets]
    worst = max(judged, key=lambda s: float("inf") if s.explained_share is None
                else abs(s.explained_share - 1))
    share = "no share" if worst.explained_share is None else f"{100 * worst.explained_share:.1f}%"
    meaning = ("counted operations x microbenched unit costs regenerate every strategy's overhead"
               if len(met) == len(judged) else
               "the microbenches do not yet account for what the others cost")
    return (f"The overhead model meets the bar (90-110% of the overhead above noise explained, "
            f"{model_summary.CELLS_REQUIRE:.0%} of the cells within +-20%) for {len(met)} of "
            f"{len(judged)} strategies{' (format /1: no noise floor)' if computed else ''}; "
            f"furthest off: {worst.group} at {share}: {meaning}.")


def add(report, data):
    m = data.matrix("default")
    if m is not None:
        report.finding(_passthrough(m))
    if data.explain is not None:
        report.finding(_model(data.explain))
