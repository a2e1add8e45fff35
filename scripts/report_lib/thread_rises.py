"""By thread, from the matrix's instrumented passes, how much more CPU a strategy's own reading
thread spends than the cell it is priced against, where the model prices that work alike in both:

- adaptive at one partition: its reader's read phase against direct's (its baseline), which
  `reused_blocks` prices (decoding into blocks the worker freed, less direct's own freeing and
  decoding) in the cells whose critical path is the reader's;
- adaptive above one partition: its reader's read phase against the same scenario and engine's
  cell at one partition (`reused_blocks` prices the reading alike at any partition count);
- streaming: its producer's read and engine phases against direct's (its baseline), the part of
  which `produced_rows` (sql) or `reused_blocks` (passthrough) prices; and its job thread's write
  phase (writing and freeing the rows) against direct's, which `record_lines` and `remote_frees`
  price where the producer built the rows and the job thread's path is the critical one.

A cell's reading of a phase is the median over its instrumented passes of the thread's CPU time
in it (phase_cpu_ns), per record read; cells without instrumented passes give none."""

import statistics

PHASES = ("read", "engine")


def phase_cpu_ns(cell, role, phase):
    """The `role` thread's CPU time in `phase` per record, median over the cell's instrumented
    passes; None without them."""
    values = []
    for s in (cell.raw.get("instrumented_samples") or []) if cell else []:
        records = s.get("records_read") or 0
        for t in s.get("threads", []):
            cpu = (t.get("phase_cpu_ns") or {}).get(phase)
            if t.get("role") == role and cpu is not None and records:
                values.append(cpu / records)
    return statistics.median(values) if values else None


def _difference(cell, role, other, other_role, phase):
    here, there = phase_cpu_ns(cell, role, phase), phase_cpu_ns(other, other_role, phase)
    return None if here is None or there is None else here - there


def rises(matrix):
    """{cell id: {phase: ns a record}}: adaptive cells at one partition, their reader's read phase
    less their baseline's (direct's job thread), as "read_over_direct"; above one partition, less
    their one-partition twin's (the same id with /p1/); streaming cells, their
    producer's read and engine phases and their job thread's write phase less their baseline's
    (direct's job thread). Cells missing either side's reading are left out."""
    if matrix is None:
        return {}
    by_id = {c.id: c for c in matrix.cells}
    out = {}
    for cid, cell in by_id.items():
        base = by_id.get((cell.raw.get("summary") or {}).get("baseline"))
        if cell.strategy == "adaptive" and cell.partitions == 1:
            found = {"read_over_direct": _difference(cell, "reader", base, "job", "read")}
        elif cell.strategy == "adaptive" and cell.partitions > 1:
            twin = by_id.get(cid.replace(f"/p{cell.partitions}/", "/p1/", 1))
            found = {"read": _difference(cell, "reader", twin, "reader", "read")}
        elif cell.strategy == "streaming":
            found = {p: _difference(cell, "producer", base, "job", p) for p in PHASES}
            write = _difference(cell, "job", base, "job", "write")
            if write is not None:  # the job thread's, where both cells timed its phases
                found["write"] = write
        else:
            continue
        if all(v is not None for v in found.values()):
            out[cid] = found
    return out


def _short(row):
    return row.get("measured_ns_per_record", 0.0) - row.get("predicted_ns_per_record", 0.0)


def _priced(row, names):
    return sum(c.get("predicted_ns_per_record", 0.0) for c in row.get("components", [])
               if c.get("name") in names)


def _reader_text(rows, found, worst):
    values = sorted(v["read"] for v in found.values())
    short = sum(_short(r) for r in rows if r.get("cell") in found)
    pairs = "; ".join(f"`{r['cell']}` {found[r['cell']]['read']:+.1f} beside {_short(r):+.1f}"
                      for r in worst if r.get("cell") in found)
    return (f"- The reader's reading, from this run's instrumented passes (the median over a cell's "
            f"passes of its read phase's CPU time a record, less that of the same scenario and engine's cell at one partition, "
            f"which `reused_blocks` prices alike): {values[0]:+.1f} to {values[-1]:+.1f} ns a "
            f"record (median {statistics.median(values):+.1f}, over {len(values)} cells; summed, "
            f"{sum(values):+.1f}, where the same cells' measured less predicted sums to "
            f"{short:+.1f})"
            + (f"; over the cells furthest off, the rise beside measured less predicted: {pairs}"
               if pairs else "") + ".")


def _beside(priced_rows, rise, terms, pricing, worst):
    """Each priced row's rise (rise(row)) and what `terms` price it, and the text setting the two
    side by side for those of `worst` among them."""
    rises_ = [rise(r) for r in priced_rows]
    prices = [_priced(r, terms) for r in priced_rows]
    pairs = "; ".join(
        f"`{r['cell']}` {rise(r):+.1f} where {pricing} {_priced(r, terms):+.1f}, beside measured "
        f"less predicted of {_short(r):+.1f}" for r in worst if r in priced_rows)
    return rises_, prices, pairs


def _over_direct_text(rows, found, worst):
    """adaptive at one partition: over the cells that price `reused_blocks` (the reader's path
    critical), the reader's rise over direct beside that term's price."""
    priced_rows = [r for r in rows
                   if r.get("cell") in found and _priced(r, ("reused_blocks",)) > 0]
    if not priced_rows:
        return None
    rises_, prices, pairs = _beside(priced_rows, lambda r: found[r["cell"]]["read_over_direct"],
                                    ("reused_blocks",), "`reused_blocks` prices", worst)
    short = sum(_short(r) for r in priced_rows)
    return (f"- The reader's reading over direct's, from this run's instrumented passes (the "
            f"median over a cell's passes of the reader's read phase CPU time a record, less "
            f"direct's job thread's in the same scenario and engine: what `reused_blocks` prices, "
            f"decoding into blocks the worker freed less direct's freeing and decoding), over the "
            f"{len(priced_rows)} cells whose critical path is the reader's: {min(rises_):+.1f} to "
            f"{max(rises_):+.1f} ns a record (median {statistics.median(rises_):+.1f}), where "
            f"`reused_blocks` prices {min(prices):+.1f} to {max(prices):+.1f}; summed, "
            f"{sum(rises_):+.1f} against {sum(prices):+.1f} priced, where the same cells' measured "
            f"less predicted sums to {short:+.1f}"
            + (f"; over the cells furthest off: {pairs}" if pairs else "") + ".")


PRODUCER_TERMS = ("produced_rows", "reused_blocks")


def _producer_text(found, worst):
    parts = []
    for r in worst:
        f = found.get(r.get("cell"))
        # Only where a term prices the producer's making (not over lent records it hands on).
        if f is None or _priced(r, PRODUCER_TERMS) <= 0:
            continue
        parts.append(f"`{r['cell']}` read {f['read']:+.1f} and engine {f['engine']:+.1f}, "
                     f"which the terms price at {_priced(r, PRODUCER_TERMS):+.1f} together, "
                     f"beside its measured less predicted of {_short(r):+.1f}")
    if not parts:
        return None
    return ("- The producer's work, from this run's instrumented passes (the median over a "
            "cell's passes of its read and engine phases' CPU time a record, less direct's in the same scenario and engine; "
            "`produced_rows` or `reused_blocks` price what the producer's making costs beyond "
            "direct's), over the cells furthest off: " + "; ".join(parts) + ".")


def _span(values):
    low, high = min(values), max(values)
    return f"{low:+.1f}" if f"{low:.1f}" == f"{high:.1f}" else f"{low:+.1f} to {high:+.1f}"


JOB_THREAD_TERMS = ("record_lines", "remote_frees")
# Batches a stream must carry for its write phase to be the rows' reading and freeing rather than
# its first batch's.
STEADY_BATCHES = 10


def job_thread_text(rows, rise_of, worst):
    """streaming: over the cells that price the job thread's reading and freeing of rows the
    producer built (its path critical), the job thread's write phase over direct's beside those
    terms' price. None where no such cell has instrumented passes."""
    priced = [r for r in rows
              if r.get("cell") in rise_of and "write" in rise_of[r["cell"]]
              and _priced(r, JOB_THREAD_TERMS) > 0
              and r.get("records", 0) >= STEADY_BATCHES * r.get("batch_size", 1)]
    if not priced:
        return None
    rises_, prices, pairs = _beside(priced, lambda r: rise_of[r["cell"]]["write"],
                                    JOB_THREAD_TERMS, "they price", worst)
    return (f"- The job thread's writing over direct's, from this run's instrumented passes (the "
            f"median over a cell's passes of the job thread's write phase CPU time a record, "
            f"reading and freeing the rows, less direct's: what `record_lines` and `remote_frees` "
            f"price for rows the producer built), over the {len(priced)} cells of "
            f"{STEADY_BATCHES} batches or more whose critical path is the job thread's: {min(rises_):+.1f} to {max(rises_):+.1f} ns a record, "
            f"where the two terms price {_span(prices)}; summed, "
            f"{sum(rises_):+.1f} against {sum(prices):+.1f} priced, where the same cells' "
            f"measured less predicted sums to {sum(_short(r) for r in priced):+.1f}"
            + (f"; over the cells furthest off: {pairs}" if pairs else "") + ".")


def text(rows, rise_of, worst):
    """The shortfall section's by-thread line for a group: the reader's rise for adaptive (over
    direct at one partition, over one partition above it), the producer's for streaming. None
    when no cell of the group has one."""
    found = {r["cell"]: rise_of[r["cell"]] for r in rows if r.get("cell") in rise_of}
    if not found:
        return None
    if all(set(v) == {"read_over_direct"} for v in found.values()):
        return _over_direct_text(rows, found, worst)
    if all(set(v) == {"read"} for v in found.values()):
        return _reader_text(rows, found, worst)
    lines = [t for t in (_producer_text(found, worst), job_thread_text(rows, found, worst)) if t]
    return "\n".join(lines) or None
