"""coordination-overhead.md, right after its findings: how much of each strategy's overhead the
overhead model explains (issue 19's bar: 90-110% of the overhead summed over the cells above the
noise floor), then the unit costs the model had to price at 0."""

from . import markdown as md
from . import model_summary


def share_text(share):
    return "—" if share is None else f"{100 * share:.1f}%"


def meets_text(s):
    if s.meets is None:
        return "— (all within noise)"
    return "yes" if s.meets else "**no**"


def _row(s):
    return [s.group, str(s.cells), str(s.within_noise), str(s.above_noise),
            f"{s.within_20pct} of {s.above_noise}", f"{s.measured_ns:.1f}",
            f"{s.predicted_ns:.1f}", share_text(s.explained_share), meets_text(s)]


def add(report, data):
    ex = data.explain
    report.add("## How much of each strategy's overhead the model explains\n")
    if ex is None:
        report.add(md.missing_section("Explained share per strategy",
                                      data.missing_reason("explain"),
                                      "The per-strategy shares come from the overhead model."))
        return
    summary, computed = model_summary.summary_of(ex)
    low, high = model_summary.REQUIRE, 2 - model_summary.REQUIRE
    report.add("Per strategy over every scenario: the cells whose measured overhead's 95% interval "
               "contains 0 are within noise and left out; over the others, measured and predicted "
               "are ns per record summed over the cells, explained share = predicted / measured, "
               f"which meets the bar inside {low:.0%}-{high:.0%}. Within +-20% counts the cells "
               "above noise predicted within 20% of their measured overhead "
               "(`streamgauge explain --require 0.9` gates on the same shares).\n")
    if computed:
        report.add(f"This `explain.json` is in format `{ex.get('format')}`, which has no noise "
                   "floor and no summary: the table is computed here from its rows, every cell "
                   "counted as above noise.\n")
    if not summary:
        report.add("The model explained no cell (no row in `explain.json`).\n")
    else:
        report.add(md.table(["strategy", "cells", "within noise", "above noise", "within +-20%",
                             "measured ns/rec", "predicted ns/rec", "explained share",
                             f"meets {low:.0%}-{high:.0%}"], [_row(s) for s in summary],
                            align="lrrrrrrrl"))
    problems = ex.get("unit_cost_problems", [])
    if problems:
        report.add("Unit-cost problems (a component whose microbench difference came out "
                   "negative, priced at 0 rather than counted as a saving):\n\n" +
                   "\n".join(f"- {p}" for p in problems) + "\n")
