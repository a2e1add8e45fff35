"""coordination-overhead.md, under the held-out table: for each strategy the held-out matrix finds
short of the bar, its cells predicted outside +-20%, each beside the default matrix's reading of
the same cell. The two matrices run the same cell ids at different minutes, so a miss that repeats
there with the same sign is the model's error for that cell (its largest terms are named), and
one that does not is the measurement moving between the two."""

from . import model_summary

# How many of a missed cell's terms to name, largest |ns a record| first.
TERMS_NAMED = 2


def _off(row):
    """predicted - measured, or None where the cell counts for nothing (noise, artifact)."""
    if row is None or row.get("within_noise") or row.get("artifact"):
        return None
    return row.get("predicted_ns_per_record", 0.0) - row.get("measured_ns_per_record", 0.0)


def _missed(row):
    off = _off(row)
    measured = row.get("measured_ns_per_record", 0.0)
    return off is not None and (measured == 0 or
                                abs(off) > model_summary.CELL_TOLERANCE * abs(measured))


def _way(off):
    return "over" if off > 0 else "under"


def way_of(row):
    """"over" where the model predicted more than the cell measured, "under" where less."""
    return _way(_off(row) or 0.0)


def terms_text(row):
    """The row's largest terms, those that round to 0.0 left out."""
    parts = sorted((c for c in row.get("components", [])
                    if abs(c.get("predicted_ns_per_record", 0.0)) >= 0.05),
                   key=lambda c: -abs(c.get("predicted_ns_per_record", 0.0)))
    return ", ".join(f"`{c.get('name', '?')}` {c.get('predicted_ns_per_record', 0.0):.1f}"
                     for c in parts[:TERMS_NAMED])


def _same_way(row, twin):
    """The default matrix's twin errs with the same sign (counting for something there)."""
    twin_off = _off(twin)
    return twin_off is not None and (twin_off > 0) == (_off(row) > 0)


def _twin_text(row, twin):
    """What the default matrix read for the same cell, and which way it errs there."""
    if twin is None:
        return "not in the default matrix"
    reading = (f"the default matrix: measured {twin.get('measured_ns_per_record', 0.0):.1f}, "
               f"predicted {twin.get('predicted_ns_per_record', 0.0):.1f}")
    twin_off = _off(twin)
    if twin_off is None:
        return f"{reading}, within noise or an artifact there"
    if not _same_way(row, twin):
        return f"{reading}, {_way(twin_off)}-predicted there"
    return f"{reading}, {_way(twin_off)}-predicted the same way" + (
        "" if _missed(twin) else ", within +-20%")


def _moved(row, twin):
    """|measured here - measured there| / |measured here|."""
    here = row.get("measured_ns_per_record", 0.0)
    there = twin.get("measured_ns_per_record", 0.0)
    return abs(here - there) / abs(here) if here else float("inf")


def _verdict(s, rows, missed, twins):
    if not missed:
        above = model_summary.above_noise(rows, s.group)
        below = sum(1 for r in above if r.get("measured_ns_per_record", 0.0) < 0)
        mixed = 0 < below < len(above)
        signs = (f" Its cells' overheads have both signs ({below} below direct's time, "
                 f"{len(above) - below} above)." if mixed else "")
        return (f"No cell is off by more than {100 * model_summary.CELL_TOLERANCE:.0f}%: the "
                f"share is off on the sum." + signs)
    same = [r for r in missed if _same_way(r, twins.get(r.get("cell")))]
    if not any(r.get("cell") in twins for r in missed):
        return "The default matrix has none of these cells to set them beside."
    if not same:
        which = "It does not err" if len(missed) == 1 else f"None of the {len(missed)} errs"
        return (f"{which} the same way in the default matrix: the measurement moved between the "
                f"two.")
    steady = [r for r in same
              if _moved(r, twins[r.get("cell")]) <= model_summary.CELL_TOLERANCE]
    verb = "errs" if len(same) == 1 else "err"
    text = f"{len(same)} of {len(missed)} {verb} the same way in the default matrix"
    if steady:
        moved = max(_moved(r, twins[r.get("cell")]) for r in steady)
        text += (f"; {len(steady)} of them measured there within {100 * moved:.0f}% of these "
                 f"readings: for {'that cell' if len(steady) == 1 else 'those cells'} the error "
                 f"is the model's, not this run's noise")
    if len(steady) < len(same):
        others = len(same) - len(steady)
        which = "each" if not steady else ("the other" if others == 1 else "the others")
        text += (f"; {which} measured more than "
                 f"{100 * model_summary.CELL_TOLERANCE:.0f}% apart in the two matrices")
    return text + "."


def lines(short, rows, default_rows):
    """Markdown bullets for the held-out groups in `short` (GroupSummary, meets is False); `rows`
    are the held-out explain rows, `default_rows` the default matrix's."""
    twins = {r.get("cell"): r for r in default_rows}
    out = []
    for s in short:
        missed = [r for r in model_summary.above_noise(rows, s.group) if _missed(r)]
        cells = "; ".join(
            f"`{r.get('cell', '?')}` (measured {r.get('measured_ns_per_record', 0.0):.1f}, "
            f"predicted {r.get('predicted_ns_per_record', 0.0):.1f}: {_way(_off(r))}-predicted, "
            f"largest terms {terms_text(r) or 'none'}; {_twin_text(r, twins.get(r.get('cell')))})"
            for r in missed)
        out.append(f"- **{s.group}**: {s.within_20pct} of {s.above_noise} cells above noise "
                   f"within +-20%, explains {model_summary.share_text(s.explained_share)}. "
                   + (f"Missed: {cells}. " if cells else "")
                   + _verdict(s, rows, missed, twins))
    return out
