"""The sources section of zero-copy.md: direct, adaptive and lockless_stp reading lent, shared
and materialized records (matrix `sources`, issue 18), each against direct on its own source;
the read phase per record; the decode and record-crossing microbenches; and what the overhead
model (explain_sources.json) puts on records crossing cores. Plus the finding it gives."""

import statistics

from . import common
from . import markdown as md

MATRIX = "sources"
SOURCES = ("lent", "shared", "materialized")
CROSSING_TERMS = ("record_lines", "remote_frees", "aged_records", "reused_blocks")


def _column(cell):
    return f"{cell.strategy} p{cell.partitions}"


def _ratio_text(cell):
    """The paired ratio over direct on the same source, with its 95% interval."""
    if cell is None:
        return "not in this run"
    if not cell.ok:
        return md.cell_text(cell)
    r = cell.paired()
    return md.ratio_text(r) if r else "no pairs"


def _strategy_table(report, m):
    rows = []
    for scenario in m.scenarios():
        cells = [c for c in m.find(scenario=scenario) if not c.peer and c.strategy != "direct"]
        for name in sorted({_column(c) for c in cells}):
            row = [f"`{scenario}`", name]
            for source in SOURCES:
                match = [c for c in cells if _column(c) == name and c.source == source]
                row.append(_ratio_text(match[0] if match else None))
            rows.append(row)
    report.add("Time against `direct` on the same scenario and source (direct reads, and "
               "decodes, too): the median of the ratios of passes run back to back with direct, "
               "with its 95% interval.\n")
    report.add(md.table(["scenario", "strategy"] + [f"`{s}`" for s in SOURCES], rows))


def _direct_table(report, m):
    rows = []
    for scenario in m.scenarios():
        for source in SOURCES:
            cell = next((c for c in m.find(scenario=scenario, strategy="direct")
                         if c.source == source), None)
            if cell is None:
                continue
            read = cell.phase_ns_per_record("read") if cell.ok else None
            rows.append([f"`{scenario}`", f"`{source}`", md.cell_text(cell),
                         md.fmt_ns(read) if read is not None else "—"])
    report.add("`direct` per source: records/s (median [range]) and its read phase per record "
               "(reading, and decoding, the source and freeing the last batch's records; median "
               "of the instrumented passes).\n")
    report.add(md.table(["scenario", "source", "direct records/s", "read phase / record"], rows))


def _ns_per_record(bench):
    """Each repetition's wall time per item (the benchmarks count records as items)."""
    return [1e9 / r for r in bench.counters.get("items_per_second", []) if r > 0]


def _microbench_table(report, data):
    names = [("bench_sources", n) for n in sorted(data.benches("bench_sources"))]
    names += [("bench_record_crossing", n) for n in sorted(data.benches("bench_record_crossing"))]
    if not names:
        report.add(md.missing_section("Source microbenches", data.missing_reason("microbench"),
                                      "The per-record read and crossing costs need them."))
        return
    rows = []
    for binary, name in names:
        b = data.bench(binary, name)
        per = _ns_per_record(b)
        if not per:
            continue
        rows.append([f"`{name}`", md.fmt_ns(statistics.median(per)),
                     f"[{md.fmt_ns(min(per))}–{md.fmt_ns(max(per))}]", str(len(per))])
    report.add("Microbenches, per record (`bench_sources`: one thread reads the dataset in "
               "batches of 1,000; `source/decode_general` decodes the same records with a type "
               "tag and a bounds check per value, what the log's schema saves; "
               "`source/allocate_and_free` builds records of the same width from constants and "
               "frees them, no log and no decoding: the floor of any source that hands out a "
               "fresh record per message; `bench_record_crossing`: a batch of fresh records "
               "decoded on one CPU, read, and freed on the same or the other one):\n")
    report.add(md.table(["benchmark", "median / record", "range", "reps"], rows, align="lrrr"))


def _model_table(report, data):
    common.add_model_table(
        report, data, MATRIX, "The model over the sources", "The predicted crossing costs need it.",
        "The overhead model over the same cells (`streamgauge explain sources.json`): the "
        "measured overhead over direct per record with its 95% interval, the prediction, and the "
        "part of it from records crossing cores (`record_lines` + `remote_frees` + "
        "`aged_records` + `reused_blocks`: a record the reader wrote is read and freed on a "
        "worker's core, at `aged_records`' price where the worker's pop found it waiting, and "
        "the reader allocates the next ones in the blocks freed there; only the critical path's "
        "share counts).\n",
        CROSSING_TERMS, "of which crossing")


def add(report, data):
    report.add(f"## Records born on the reader: lent, shared and materialized sources (matrix "
               f"`{MATRIX}`)\n")
    report.add("The seeds' reader turns each message into a fresh record; a lent record costs "
               "nobody a write. Sources: " +
               "; ".join(f"`{s}`: {w}" for s, w in md.SOURCE_WORDS.items()) + ".\n")
    m = data.matrix(MATRIX)
    if m is None:
        report.add(md.missing_section("Sources", data.missing_reason(MATRIX),
                                      "The per-source ratios need it."))
    else:
        _strategy_table(report, m)
        _direct_table(report, m)
    _microbench_table(report, data)
    _model_table(report, data)


def finding(data):
    m = data.matrix(MATRIX)
    if m is None:
        return None
    for scenario in m.scenarios():
        cells = {c.source: c for c in m.find(scenario=scenario, strategy="adaptive", partitions=1)
                 if c.ok and c.paired()}
        if "lent" in cells and "materialized" in cells:
            lent, mat = cells["lent"].paired(), cells["materialized"].paired()
            text = (f"On `{scenario}`, adaptive with one partition took "
                    f"{md.ratio_text(lent)} the time of direct on lent records and "
                    f"{md.ratio_text(mat)} on records decoded by its reader (95% intervals): ")
            if mat[0] > lent[2]:
                return text + ("a pipeline whose reader builds its records pays for them "
                               "crossing to the worker's core, which the lent figures leave out.")
            if mat[2] < lent[0]:
                return text + ("with fresh records the reader's decoding overlaps the worker's "
                               "SQL work, which hides more than the crossing costs.")
            return text + "the intervals overlap: the source does not change this ratio here."
    return None
