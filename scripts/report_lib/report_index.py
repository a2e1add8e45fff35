"""README.md of a report folder: what each report answers, how the set was made, the command."""

from . import common
from . import markdown as md

ANSWERS = {
    "startup.md": "Seed 000: what does a streaming result pipeline cost to start, eager vs lazy "
                  "vs spawn-less vs pooled, how large is the latency gap to direct at 10K, 100K and "
                  "1M rows, what do lazy and spawn-less save, and its anomalies checked.",
    "coordination-overhead.md": "Seed 001: passthrough vs engine per strategy, the component "
                                "microbenches, and the overhead model's breakdown (parts add up "
                                "to the measured total, the remainder shown).",
    "zero-copy.md": "Seed 002: deep copies vs shared records, the batch-size sweep measured "
                    "from 1 to 10,000, GROUP BY + 5 aggregates beside the passthrough, end of "
                    "stream by empty reads vs the end marker, records born on the reader (lent, "
                    "shared, materialized) and the pipeline's hand-off by move, share or deep "
                    "copy run end to end.",
    "architecture-comparison.md": "Seed 003: the scenario x strategy table, partition scaling "
                                  "of the lockless pipeline, engine -> batch -> STP, the 750x "
                                  "per-record-lock figure, the five queues.",
    "gap-analysis.md": "Seed 004: each hypothesis for the gap between direct and coordinated "
                       "batches (locks, reader clones, channels, metrics, hand-offs, record "
                       "clones) with its measured share of the gap; its three gaps judged and "
                       "its questions answered.",
    "peers.md": ("Our engine beside SQLite and DuckDB on the same scenarios, and the engine alone "
                 "(no coordination) per seed query."),
    "latency.md": "Per-row latency under offered load: p50/p99/p99.9 per strategy against the "
                  "offered rate, the sustainable throughput, batch size x linger, and the seeds' "
                  "'per-record latency' (seed 001) and start-up (seed 000) claims answered.",
    "history.md": "Each cell of the default matrix, and each latency cell's p99, across the "
                  "runs kept in the history database: has it got faster or slower from one run "
                  "to the next?",
}


def build(data, out_dir, reports, command):
    index = common.Report(out_dir, "README.md", "Reports",
                          "Regenerated from measurements: every figure below comes from the "
                          "saved JSON of one run; seed figures are labelled as the seed's.",
                          with_findings=False)
    rows = [[f"[{r.filename}]({r.filename})", ANSWERS.get(r.filename, "")] for r in reports]
    rows.append([f"[{md.METHOD_PAGE}]({md.METHOD_PAGE})", "How every figure was measured (machine, "
                 "build, load, probes, statistics) and what each verdict word means."])
    index.add(md.table(["report", "what it answers"], rows, align="ll"))
    m = data.matrix("default") or next(iter(data.matrices.values()), None)
    env = m.environment if m else {}
    lines = ["## How this set was made", ""]
    if env:
        lines.append(f"- Commit `{env.get('commit', '?')}`, measured {env.get('date_utc', '?')} on "
                     f"{env.get('cpu_model', '?')} ({env.get('cores', '?')} cores), "
                     f"{env.get('compiler', '?')} `{env.get('cxx_flags', '')}`, allocator "
                     f"{env.get('allocator', 'not recorded')}.")
    for name, matrix in sorted(data.matrices.items()):
        quick = " (quick)" if matrix.spec.get("quick") else ""
        lines.append(f"- `{name}.json`{quick}: {len(matrix.cells)} cells "
                     f"({sum(c.status == 'ok' for c in matrix.cells)} ok, "
                     f"{sum(c.status == 'failed' for c in matrix.cells)} failed, "
                     f"{sum(c.status == 'skipped' for c in matrix.cells)} skipped).")
    if data.microbench:
        lines.append(f"- Microbenches: {', '.join(f'`{b}`' for b in sorted(data.microbench))}.")
    lines.append("- Overhead model: " + ("`explain.json`." if data.explain is not None
                                         else "**missing**."))
    for name, why in sorted(data.missing.items()):
        lines.append(f"- **Missing input** `{name}`: {why}.")
    if data.loadavg:
        lines.append(f"- Load average at start `{data.loadavg.get('start', '?')}`, at end "
                     f"`{data.loadavg.get('end', '?')}`.")
    index.add("\n".join(lines) + "\n")
    index.add("## The commands\n\n"
              "```sh\n"
              "scripts/run                          # set-up, build, matrices, microbenches, "
              "explain, these reports\n"
              "scripts/report RUN_DIR --out reports # the reports again, from the saved JSON "
              "alone\n"
              "```\n" + (f"\nThis set: `{command}`\n" if command else ""))
    return index
