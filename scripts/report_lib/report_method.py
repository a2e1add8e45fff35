"""method.md: what every report of a run shares, written once: the machine and build, the load and
the per-CPU probes, every matrix's records, repetitions and warm-up, the statistics, and the
verdict words with their rules. Each report links it and states only what it adds."""

from . import common
from . import markdown as md


def build(data, out_dir):
    page = common.Report(out_dir, md.METHOD_PAGE, "Method",
                         "How every figure in these reports was measured, and what the verdict "
                         "words mean.", with_findings=False)
    page.add("## Machine and build\n\n" + "\n".join(md.machine_lines(data)) + "\n")
    lines = ["## Matrices and microbenches", ""]
    for name in sorted(data.matrices):
        lines.append(md.matrix_line(data, name))
    for binary in sorted(data.microbench):
        reps = sorted({b.n for b in data.benches(binary).values()})
        lines.append(f"- Microbench `{binary}`: {'/'.join(str(r) for r in reps) or '0'} "
                     "repetition(s) per benchmark.")
    if not data.matrices and not data.microbench:
        lines.append("- None: this run folder has no matrix result and no microbench.")
    page.add("\n".join(lines) + "\n")
    page.add('<a id="sources"></a>\n\n## Sources\n\n'
             "Where a matrix's passes read their records (a matrix's `sources`, `streamgauge "
             "matrix --source`; in each cell's id as `/src-NAME` unless `lent`). `direct` reads "
             "the same source, so a ratio over direct compares coordination on equal reads.\n\n"
             + md.table(["source", "what the reading thread does per record"],
                        [[f"`{name}`", words] for name, words in md.SOURCE_WORDS.items()],
                        align="ll"))
    page.add("## Statistics\n\n" + md.STATISTIC_LINE + "\n" + md.MICROBENCH_LINE + "\n"
             "- Every timed pass's output is checked against a reference (direct's rows, or the "
             "scenario's digest); a pass that differs fails its cell, and a failed cell is shown "
             "as FAILED, never dropped.\n"
             "- Phases add up to the wall time; what no phase timed is shown as `unattributed`.\n"
             f"- Seed figures, where shown, are labelled as the {md.SEED_LABEL}.\n")
    rows = [[f"**{word}**", rule] for word, rule in md.VERDICT_RULES.items()]
    page.add('<a id="verdicts"></a>\n\n## Verdicts\n\n'
             "A seed's claim is judged with one of these words; each verdict also states the "
             "claim's own rule (its threshold or band).\n\n" + md.table(["verdict", "rule"], rows,
                                                                       align="ll"))
    return page
