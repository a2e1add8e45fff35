"""The queues section of architecture-comparison.md: the adaptive processor with each of the
five queue implementations, per partition count and batch size, against direct (matrix
`queues`, which every scripts/run measures); and the finding it gives."""

from . import common
from . import markdown as md

MATRIX = "queues"


def _ratio(m, cell):
    direct = m.one(scenario=cell.scenario, strategy="direct", engine=cell.engine,
                   batch_size=cell.batch_size, records=cell.records)
    return common.compare(cell, direct)[1]


def _grid(m):
    """{(engine, partitions, batch): {queue: cell}} over the adaptive cells."""
    grid = {}
    for c in m.cells:
        if c.strategy != "adaptive" or c.peer:
            continue
        grid.setdefault((c.engine, c.partitions, c.batch_size), {})[c.queue] = c
    return grid


def add(report, data):
    report.add(f"## The five queues per partition count (matrix `{MATRIX}`)\n")
    m = data.matrix(MATRIX)
    if m is None:
        report.add(md.missing_section("Queues", data.missing_reason(MATRIX),
                                      "The queue comparison needs it."))
        return
    grid = _grid(m)
    queues = sorted({q for cells in grid.values() for q in cells})
    scenarios = ", ".join(f"`{s}`" for s in m.scenarios())
    report.add(f"`adaptive` with each queue between the reader and its partitions, {scenarios}, "
               f"{', '.join(md.fmt_count(n) for n in sorted({c.records for c in m.cells}))} "
               "records. Each entry: median records/s [range], then the time against `direct` on "
               "the same engine, batch size and records (1.00x = as fast).\n")
    for engine in ("sql", "passthrough"):
        for parts in sorted({p for e, p, _ in grid if e == engine}):
            rows = []
            for batch in sorted({b for e, p, b in grid if e == engine and p == parts}):
                cells = grid[(engine, parts, batch)]
                row = [md.fmt_count(batch)]
                for q in queues:
                    c = cells.get(q)
                    r = _ratio(m, c) if c is not None and c.ok else None
                    row.append(f"{md.cell_text(c)}; {md.fmt_ratio(r[1]) if r else '—'}")
                rows.append(row)
            report.add(f"### Engine `{engine}`, {parts} partition{'s' if parts > 1 else ''}\n")
            report.add(md.table(["batch"] + [f"`{q}`" for q in queues], rows))


def _ranked(m, cells):
    out = sorted((r[1], q) for q, c in cells.items() if c.ok for r in [_ratio(m, c)] if r)
    return out if len(out) >= 2 else None


def finding(data):
    m = data.matrix(MATRIX)
    if m is None:
        return None
    grid = _grid(m)
    keys = [k for k in grid if k[0] == "sql" and k[1] == 1]
    if not keys:
        return None
    small, large = min(k[2] for k in keys), max(k[2] for k in keys)
    lo, hi = _ranked(m, grid[("sql", 1, small)]), _ranked(m, grid[("sql", 1, large)])
    if not lo or not hi:
        return None
    text = (f"With one partition (engine sql) adaptive took {lo[0][0]:.2f}x (`{lo[0][1]}`) to "
            f"{lo[-1][0]:.2f}x (`{lo[-1][1]}`) the time of direct at batch {small:,}, and "
            f"{hi[0][0]:.2f}x (`{hi[0][1]}`) to {hi[-1][0]:.2f}x (`{hi[-1][1]}`) at batch "
            f"{large:,}, across the {len(hi)} queues: ")
    if hi[-1][0] / hi[0][0] > 1.5:
        return text + (f"`{hi[-1][1]}` stays slow even in large batches, so the queue choice "
                       "matters to a pipeline like the seeds' at any batch size.")
    return text + "the queue choice matters to a pipeline like the seeds' only in tiny batches."
