"""How much more CPU adaptive's reader spends reading a record at more than one partition than the
same scenario and engine's cell does at one, from the matrix's instrumented passes: the reader
decodes and allocates every record in both, `reused_blocks` prices that alike at any partition
count, so a rise here is what the model leaves out of the cells above one partition.

A cell's reading is the median over its instrumented passes of the reader thread's `read` phase
CPU time (phase_cpu_ns), per record read; cells without instrumented passes or a reader give
none."""

import statistics


def read_cpu_ns(cell):
    """The reader's read phase CPU time per record, median over the cell's instrumented passes;
    None without them."""
    values = []
    for s in cell.raw.get("instrumented_samples") or []:
        records = s.get("records_read") or 0
        for t in s.get("threads", []):
            cpu = (t.get("phase_cpu_ns") or {}).get("read")
            if t.get("role") == "reader" and cpu is not None and records:
                values.append(cpu / records)
    return statistics.median(values) if values else None


def rises(matrix):
    """{cell id: its reader's read CPU per record less the one-partition cell's, in ns} for the
    adaptive cells above one partition whose twin at one partition (the same id with /p1/) has a
    reading too."""
    if matrix is None:
        return {}
    by_id = {c.id: c for c in matrix.cells}
    out = {}
    for cid, cell in by_id.items():
        if cell.strategy != "adaptive" or cell.partitions < 2:
            continue
        twin = by_id.get(cid.replace(f"/p{cell.partitions}/", "/p1/", 1))
        here, one = read_cpu_ns(cell), read_cpu_ns(twin) if twin else None
        if here is not None and one is not None:
            out[cid] = here - one
    return out


def text(rows, rise_of, worst):
    """The shortfall section's line for a group of cells above one partition: the range of its
    cells' rises, then each cell furthest off with its rise beside its shortfall (measured less
    predicted). None when no cell of the group has a rise."""
    found = {r["cell"]: rise_of[r["cell"]] for r in rows if r.get("cell") in rise_of}
    if not found:
        return None
    values = sorted(found.values())
    short = sum(r.get("measured_ns_per_record", 0.0) - r.get("predicted_ns_per_record", 0.0)
                for r in rows if r.get("cell") in found)
    pairs = "; ".join(
        f"`{r['cell']}` {found[r['cell']]:+.1f} against "
        f"{r.get('measured_ns_per_record', 0.0) - r.get('predicted_ns_per_record', 0.0):+.1f}"
        for r in worst if r.get("cell") in found)
    return (f"- The reader's reading, from this run's instrumented passes (its read phase's CPU "
            f"time a record, less that of the same scenario and engine's cell at one partition, "
            f"which `reused_blocks` prices alike): {values[0]:+.1f} to {values[-1]:+.1f} ns a "
            f"record (median {statistics.median(values):+.1f}, over {len(values)} cells; summed, "
            f"{sum(values):+.1f} against the same cells' summed shortfall, measured less "
            f"predicted, of {short:+.1f})"
            + (f"; over the cells furthest off, the rise against the cell's shortfall: {pairs}"
               if pairs else "") + ".")
