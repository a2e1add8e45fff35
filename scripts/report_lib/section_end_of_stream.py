"""The end-of-stream section of zero-copy.md (seed 002): the reader's explicit end marker against
the seed's rule (N empty reads with a sleep after each but the last), per strategy and input
size, from matrix `end_of_stream`; and the finding it gives."""

from statistics import median

from . import common
from . import markdown as md

MATRIX = "end_of_stream"
SEED_002 = "seed 002, `002_b6628579865f379b.txt`"


def _pairs(m):
    """[(strategy, records, marker cell, empty-reads cell)] of every measured pair."""
    out = []
    for c in m.cells:
        if c.peer or c.end_of_stream == "marker" or c.strategy == "direct":
            continue
        marker = next((x for x in m.cells if x.strategy == c.strategy and x.records == c.records
                       and x.scenario == c.scenario and x.partitions == c.partitions
                       and x.batch_size == c.batch_size and x.end_of_stream == "marker"), None)
        out.append((c.strategy, c.records, marker, c))
    return sorted(out, key=lambda p: (p[0], p[1]))


def _sleeps_ns(cell):
    rule = cell.config.get("end_of_stream") or {}
    return (int(rule.get("empty_reads", 1)) - 1) * int(rule.get("sleep_ms", 0)) * 1_000_000


def _added(marker, empty):
    """(median wall difference in ns, time ratio range) or None when either is not measured."""
    if not marker or not marker.ok or not empty.ok:
        return None
    return median(empty.wall_ns()) - median(marker.wall_ns()), md.ratio_range(empty, marker)


def add(report, data):
    report.add(f"## End of stream: end marker vs empty reads (matrix `{MATRIX}`)\n")
    m = data.matrix(MATRIX)
    if m is None:
        report.add(md.missing_section("End of stream", data.missing_reason(MATRIX),
                                      "The marker vs empty-reads comparison needs it."))
        return
    report.add(md.seed_claim("the job server ends a stream after 3 consecutive empty batches, "
                             "waiting 100 ms after each", f"{SEED_002}, 'Phase 3A'"))
    report.add("Each pair is the same job ending its stream two ways: the reader's explicit end "
               "marker (announced with the last records), or the seed's rule (the marker hidden; "
               "empty reads after the data, a sleep after each but the last). Added = median wall "
               "time of the empty-reads cell - the marker cell's; the sleeps alone are (N-1) x "
               "the sleep.\n")
    rows = []
    for strategy, n, marker, empty in _pairs(m):
        added = _added(marker, empty)
        rows.append([strategy, md.fmt_count(n), empty.end_of_stream, md.cell_text(marker),
                     md.cell_text(empty),
                     md.fmt_ns(added[0]) if added else "—",
                     md.fmt_ns(_sleeps_ns(empty)),
                     md.ratio_text(added[1]) if added else "—"])
    report.add(md.table(["strategy", "records", "rule", "marker records/s",
                         "empty reads records/s", "added (median)", "sleeps alone",
                         "empty reads / marker (time)"], rows))


def finding(data):
    m = data.matrix(MATRIX)
    if m is None:
        return None
    measured = [(s, n, _added(mk, e), e) for s, n, mk, e in _pairs(m) if _added(mk, e)]
    if not measured:
        return None
    small = min(measured, key=lambda p: p[1])
    large = max(measured, key=lambda p: p[1])
    rule = small[3].config["end_of_stream"]
    text = (f"Ending the stream by {rule['empty_reads']} empty reads {rule['sleep_ms']} ms apart "
            f"(seed 002's rule) added "
            f"{md.fmt_ns(small[2][0])} to a {md.fmt_count(small[1])}-record `{small[0]}` job "
            f"({small[2][1][1]:.1f}x its time with the end marker)")
    if large[1] != small[1]:
        text += (f" and {md.fmt_ns(large[2][0])} to a {md.fmt_count(large[1])}-record one "
                 f"({(large[2][1][1] - 1) * 100:.1f}% more)")
    return (text + ": a fixed wait on every job that the reader's own end marker avoids; a "
            "pipeline like seed 002's pays it however small the job.")
