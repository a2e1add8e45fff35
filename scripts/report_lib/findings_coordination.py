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
    # A strategy short of the bar whose every cell lies within the artifacts' reach is at the
    # method's resolution: named apart, not as the model's furthest miss.
    rows = explain.get("rows", [])
    floor = model_summary.artifact_floor(rows)
    resolved = [s for s in judged if not s.meets and
                model_summary.largest_within(model_summary.above_noise(rows, s.group), floor)
                is not None]
    no_floor = computed and "summary" not in explain  # format /1
    text = (f"The overhead model meets the bar (90-110% of the overhead above noise explained, "
            f"{model_summary.CELLS_REQUIRE:.0%} of the cells within +-20%) for {len(met)} of "
            f"{len(judged)} strategies{' (format /1: no noise floor)' if no_floor else ''}")
    if resolved:
        text += (f"; {', '.join(s.group for s in resolved)} "
                 f"{'is' if len(resolved) == 1 else 'are'} short of it at the resolution of "
                 f"pairing (every cell within the {100 * floor:.1f}% that this matrix's artifacts "
                 f"reach)")
    missed = [s for s in judged if not s.meets and s not in resolved]
    if not missed:
        return text + ("." if resolved else
                       ": counted operations x microbenched unit costs regenerate every "
                       "strategy's overhead.")
    worst = max(missed, key=lambda s: float("inf") if s.explained_share is None
                else abs(s.explained_share - 1))
    share = "no share" if worst.explained_share is None else f"{100 * worst.explained_share:.1f}%"
    return (text + f"; furthest off: {worst.group} at {share}: the microbenches do not yet "
            f"account for what the others cost.")


def add(report, data):
    m = data.matrix("default")
    if m is not None:
        report.finding(_passthrough(m))
    if data.explain is not None:
        report.finding(_model(data.explain))
