"""latency.md: per-row latency under offered load, from the run folder's `latency.json` (each
strategy at shares of its own peak: scenarios/matrix/latency.toml) and `latency_linger.json`
(batch size x linger at fixed shares: latency_linger.toml), both written by `streamgauge latency
--matrix` in scripts/run.

Opens with its findings (at most five, each computed from the data), then the evidence: p50/p99/
p99.9 against the offered rate per strategy, batch size x linger, the percentile spectrum, the
seeds' latency claims; the method comes last. A missing input gives a section that says so."""

import json
import os
import statistics

from . import charts
from . import common
from . import markdown as md

FORMAT = "streamgauge-latency/1"
QUESTION = ("What latency does each strategy give a record at a given offered rate, how far can "
            "the rate go before p99 breaks its bound, and what do batch size and linger cost?")


class LatencyInputError(Exception):
    pass


def _load(folder, name):
    """The latency result `name`.json of the run folder, or None when it is not there."""
    path = os.path.join(folder, f"{name}.json")
    if not os.path.exists(path):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except json.JSONDecodeError as e:
        raise LatencyInputError(f"`{name}.json` is not valid JSON (line {e.lineno}): {e.msg}")
    if doc.get("format") != FORMAT:
        raise LatencyInputError(f"`{name}.json` has format {doc.get('format')!r}, expected "
                                f"{FORMAT!r}")
    return doc


# ---------------------------------------------------------------------------------------------
# Cells and rates


def _label(cell):
    config = cell["config"]
    label = cell["strategy"]
    if cell["strategy"] == "streaming":
        label += f" {config.get('streaming', 'eager')}"
    if config.get("partitions", 1) > 1:
        label += f" p{config['partitions']}"
    return label


def _full_label(cell):
    """The label with the settings a latency matrix may vary, for cells that share a label."""
    return (f"{cell['scenario']} {_label(cell)} b{cell['config']['batch_size']} linger "
            f"{_linger_text(cell.get('linger_ns', 0))}")


def _labels(cells):
    """A label per cell: the short one, or the full one where two cells share the short one."""
    short = [_label(c) for c in cells]
    return [s if short.count(s) == 1 else _full_label(c) for s, c in zip(short, cells)]


def _linger_text(ns):
    if ns == 0:
        return "0"
    return md.fmt_ns(ns).replace(".00 ", " ")


def _share(cell, rate):
    """The offered rate as a share of the cell's own peak, in %."""
    peak = cell["peak"]["median_records_per_s"]
    return 100.0 * rate["offered_rate"] / peak if peak > 0 else None


def _ok_rates(cell):
    return [r for r in cell["rates"] if r.get("ok")]


def _rate(cell, text):
    return next((r for r in _ok_rates(cell) if r["rate"] == text), None)


def _percentile_from_buckets(hist, q):
    """The lowest value of the bucket holding percentile q (HdrHistogram's layout: the bucket is
    at most 0.79% wide), from the histogram's saved non-empty buckets."""
    count = hist.get("count", 0)
    if not count:
        return None
    need = q / 100.0 * count
    seen = 0
    for lowest, n in hist.get("buckets", []):
        seen += n
        if seen >= need:
            return lowest
    return hist.get("max")


# ---------------------------------------------------------------------------------------------
# Findings


def _findings(doc, linger_doc):
    found = []
    cells = doc["cells"] if doc else []
    name = dict(zip(map(id, cells), _labels(cells)))
    bound = cells[0].get("p99_bound_ms", 10) if cells else 10
    sustained = []
    for c in cells:
        s = c.get("sustainable_rate")
        peak = c["peak"]["median_records_per_s"]
        if s:
            sustained.append(f"{name[id(c)]} {md.fmt_rate(s)}/s ({100 * s / peak:.0f}% of its "
                             f"peak {md.fmt_rate(peak)}/s)")
        else:
            sustained.append(f"{name[id(c)]} none of the rates tried")
    if sustained:
        found.append(f"**Sustainable throughput** (the highest offered rate whose p99 stayed at "
                     f"or under {bound:g} ms): " + "; ".join(sustained) + ".")
    direct = next((c for c in cells if c["strategy"] == "direct"), None)
    half = []
    for c in cells:
        r = _rate(c, "50%")
        if r:
            half.append((c, r))
    d50 = _rate(direct, "50%") if direct else None
    if half:
        parts = []
        for c, r in half:
            text = f"{name[id(c)]} {md.fmt_ns(r['latency_ns']['p99'])}"
            if d50 and c is not direct and d50["latency_ns"]["p99"] > 0:
                ratio = r["latency_ns"]["p99"] / d50["latency_ns"]["p99"]
                text += f" ({ratio:.2g}x direct's)" if ratio < 10 else f" ({ratio:.0f}x direct's)"
            parts.append(text)
        found.append("**At 50% of each cell's peak**, p99 per output row: " + "; ".join(parts) +
                     ".")
    over = []
    for c in cells:
        top = max(_ok_rates(c), key=lambda r: r["offered_rate"], default=None)
        share = _share(c, top) if top else None
        if top and share and share > 100:
            over.append(f"{name[id(c)]} p99 {md.fmt_ns(top['latency_ns']['p99'])} with a "
                        f"backlog of {md.fmt_count(top['max_backlog'])} records")
    if over:
        found.append("**Past the peak** (the highest rate offered, above 100% of the cell's "
                     "peak): " + "; ".join(over) + ". Latency is measured from each record's "
                     "intended release, so the records waiting in a backlog count in full.")
    if linger_doc:
        low = _linger_medians(linger_doc, lambda c: c["rates"][0]["rate"] if c["rates"] else None,
                              "p50")
        if low:
            rate_text, medians = low
            found.append(f"**Linger** (a read waits up to that long for a full batch): at "
                         f"{rate_text} of peak the median p50 over the batching cells is " +
                         ", ".join(f"{md.fmt_ns(v)} at linger {_linger_text(l)}"
                                   for l, v in medians) +
                         ": at low rates a linger is paid in full, which is why the default "
                         "linger is 0 ([design-notes](../docs/design-notes.md#linger-default)).")
    if doc:
        adaptive = next((c for c in cells if c["strategy"] == "adaptive"), None)
        low_rate = min(_ok_rates(adaptive), key=lambda r: r["offered_rate"], default=None) \
            if adaptive else None
        if low_rate:
            per_record = 1e9 / adaptive["peak"]["median_records_per_s"]
            found.append(f"**Seed 001's \"per-record latency\" (60.42 µs) is time per record.** "
                         f"Here adaptive's time per record is {md.fmt_ns(per_record)} "
                         f"(1 / its peak), while a record offered at {low_rate['rate']} of that "
                         f"peak waits p50 {md.fmt_ns(low_rate['latency_ns']['p50'])}, p99 "
                         f"{md.fmt_ns(low_rate['latency_ns']['p99'])} for its row: the two "
                         "measure different things and neither predicts the other.")
    return found[:5]


def _linger_medians(doc, pick_rate, key):
    """(rate text, [(linger_ns, median of `key` over the cells at that linger)]) at the rate
    `pick_rate` picks from the first cell."""
    cells = doc["cells"]
    if not cells:
        return None
    rate_text = pick_rate(cells[0])
    by_linger = {}
    for c in cells:
        r = _rate(c, rate_text)
        if r:
            by_linger.setdefault(c.get("linger_ns", 0), []).append(r["latency_ns"][key])
    if not by_linger:
        return None
    return rate_text, [(l, statistics.median(v)) for l, v in sorted(by_linger.items())]


# ---------------------------------------------------------------------------------------------
# Evidence


def _vs_rate(report, doc):
    report.add("## Latency against the offered rate\n\n"
               "Each strategy at shares of its own closed-loop peak: the point is p99 of every "
               "output row over the passes, the bar runs from p50 to p99.9 (log scale). `lag "
               "p99` is how late the source released records (its pacing; read it first: a "
               "large lag means the machine, not the pipeline, held records back).\n")
    cells = doc["cells"]
    used = set()
    for c, label in zip(cells, _labels(cells)):
        series = {"p50": [], "p99": [], "p99.9": []}
        rows = []
        for r in c["rates"]:
            share = _share(c, r)
            if not r.get("ok"):
                rows.append([r["rate"], md.fmt_rate(r["offered_rate"]), "—", "—", "—",
                             f"failed: {r.get('error', '')}", "", "", ""])
                continue
            h = r["latency_ns"]
            for key, name in (("p50", "p50"), ("p99", "p99"), ("p99_9", "p99.9")):
                series[name].append((share, h[key] / 1e6, h[key] / 1e6, h[key] / 1e6))
            rows.append([r["rate"], md.fmt_rate(r["offered_rate"]), md.fmt_rate(r["achieved_rate"]),
                         md.fmt_count(r["max_backlog"]), md.fmt_ns(r["release_lag_ns"]["p99"]),
                         md.fmt_ns(h["p50"]), md.fmt_ns(h["p99"]), md.fmt_ns(h["p99_9"]),
                         md.fmt_ns(h["max"])])
        peak = c["peak"]
        report.add(f"### {label} (batch {c['config']['batch_size']}, linger "
                   f"{_linger_text(c.get('linger_ns', 0))})\n")
        report.add(f"Peak: {md.fmt_rate(peak['median_records_per_s'])} records/s, the median of "
                   f"{len(peak['samples_records_per_s'])} closed-loop passes of "
                   f"{md.fmt_count(peak['records'])} records "
                   f"[{md.fmt_rate(min(peak['samples_records_per_s'], default=0))}–"
                   f"{md.fmt_rate(max(peak['samples_records_per_s'], default=0))}].\n")
        if any(series.values()):
            name = f"rate-{c['strategy']}"
            if c["strategy"] == "streaming":
                name += f"-{c['config'].get('streaming', 'eager')}"
            while name in used:
                name += "-2"
            used.add(name)
            abs_path, rel = report.chart_path(name)
            charts.line_chart(abs_path, f"{c['scenario']} x {label}: latency per row",
                              series, "offered rate (% of the cell's peak)",
                              "latency (ms, log)", logy=True)
            report.add(md.chart(rel, f"{label}: p50, p99, p99.9 against the offered rate"))
        report.add(md.table(["rate", "offered/s", "achieved/s", "backlog", "lag p99", "p50",
                             "p99", "p99.9", "max"], rows))


def _linger(report, doc):
    report.add("## Batch size x linger at fixed rates\n\n"
               "Each batching strategy at fixed shares of its own peak, with reads that wait up "
               "to the linger for a full batch (0: a read takes whatever is due once its first "
               "record is). Bars are p99 over every output row of the passes (log scale).\n")
    cells = doc["cells"]
    rate_texts = []
    for c in cells:
        for r in c["rates"]:
            if r["rate"] not in rate_texts:
                rate_texts.append(r["rate"])
    lingers = sorted({c.get("linger_ns", 0) for c in cells})
    for rate_text in rate_texts:
        series = {}
        rows = []
        for c in cells:
            name = f"{_label(c)} b{c['config']['batch_size']}"
            r = _rate(c, rate_text)
            values = series.setdefault(name, [None] * len(lingers))
            if r:
                values[lingers.index(c.get("linger_ns", 0))] = r["latency_ns"]["p99"] / 1e6
                rows.append([name, _linger_text(c.get("linger_ns", 0)),
                             md.fmt_rate(r["offered_rate"]), md.fmt_rate(r["achieved_rate"]),
                             md.fmt_ns(r["latency_ns"]["p50"]), md.fmt_ns(r["latency_ns"]["p99"]),
                             md.fmt_ns(r["latency_ns"]["p99_9"])])
            else:
                rows.append([name, _linger_text(c.get("linger_ns", 0)), "—", "—", "failed or "
                             "not run", "", ""])
        report.add(f"### At {rate_text} of peak\n")
        safe = "".join(ch if ch.isalnum() else "_" for ch in rate_text)
        abs_path, rel = report.chart_path(f"linger-{safe}")
        charts.grouped_bars(abs_path, f"p99 at {rate_text} of peak, by linger",
                            [f"linger {_linger_text(l)}" for l in lingers], series,
                            "p99 latency (ms, log)", log=True)
        report.add(md.chart(rel, f"p99 at {rate_text} of peak by batch size and linger"))
        report.add(md.table(["cell", "linger", "offered/s", "achieved/s", "p50", "p99", "p99.9"],
                            rows))


SPECTRUM = (0.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.5, 99.9, 99.95, 99.99, 99.995, 99.999)


def _spectrum(report, doc):
    report.add("## Percentile spectrum\n\n"
               "The whole distribution at one rate: x is 1/(1 - q) on a log scale (10 is p90, "
               "100 is p99, 1,000 is p99.9), y the latency at that percentile (log scale), read "
               "from the saved histogram (the lowest value of each bucket, buckets at most 0.79% "
               "wide). A flat line is a tight distribution; a knee is where a second cause "
               "(a wake-up, a descheduled thread, a full queue) takes over.\n")
    shares = []
    for c in doc["cells"]:
        for r in _ok_rates(c):
            if r["rate"] not in shares and r["rate"].endswith("%") and \
                    float(r["rate"][:-1]) < 100:
                shares.append(r["rate"])
    for rate_text in [s for s in ("50%", "90%") if s in shares] or shares[:1]:
        series = {}
        for c, label in zip(doc["cells"], _labels(doc["cells"])):
            r = _rate(c, rate_text)
            if not r:
                continue
            points = []
            for q in SPECTRUM:
                v = _percentile_from_buckets(r["latency_ns"], q) if q > 0 else \
                    r["latency_ns"].get("min")
                if v is not None and v > 0:
                    x = 1.0 / (1.0 - q / 100.0)
                    points.append((x, v / 1e6, v / 1e6, v / 1e6))
            series[label] = points
        if not series:
            continue
        safe = "".join(ch if ch.isalnum() else "_" for ch in rate_text)
        abs_path, rel = report.chart_path(f"spectrum-{safe}")
        charts.line_chart(abs_path, f"latency spectrum at {rate_text} of peak", series,
                          "1 / (1 - percentile)", "latency (ms, log)", logx=True, logy=True)
        report.add(f"### At {rate_text} of peak\n")
        report.add(md.chart(rel, f"percentile spectrum at {rate_text} of peak"))


def _seeds(report, doc):
    report.add("## The seeds' latency claims, with real latencies\n")
    report.add(md.seed_claim("\"Per-record latency: 60.45µs\" for the passthrough engine, and "
                             "60.42 µs at batches of 10 (10,000 records, AdaptiveJobProcessor, "
                             "1 partition)", "seed 001, `001_e51e90eaab9c1541.txt`, 'Key "
                             "Findings' and 'Batch Size Impact'"))
    rows = []
    for c, label in zip(doc["cells"], _labels(doc["cells"])):
        peak = c["peak"]["median_records_per_s"]
        low = min(_ok_rates(c), key=lambda r: r["offered_rate"], default=None)
        if not low or peak <= 0:
            continue
        h = low["latency_ns"]
        rows.append([label, md.fmt_ns(1e9 / peak), low["rate"], md.fmt_ns(h["p50"]),
                     md.fmt_ns(h["p99"]), md.fmt_ns(h["max"])])
    report.add("That figure is total time divided by records: the inverse of throughput. A "
               "record's latency is the time from its release to its output row. Both, measured "
               "here for each strategy (time per record = 1 / the cell's closed-loop peak; "
               "latency at the lowest rate offered):\n")
    report.add(md.table(["strategy", "time per record", "rate", "latency p50", "latency p99",
                         "latency max"], rows))
    report.add(md.seed_claim("a fixed ~15-20 ms overhead spinning up the streaming pipeline "
                             "before results flow (the 10K-row latency gap)",
                             "seed 000, `000_e8e430edba0962a6.txt`, summary"))
    report.add("The seed's figure is one number per query. Under a steady offered load the "
               "pipeline is already running, so every row's latency is the figure that matters: "
               "the `max` column above bounds the first row of each pass as well as every later "
               "one (a pass's clock starts at its first read, so thread start-up before it is not "
               "included; [startup.md](startup.md) measures the time to the first row of a fresh "
               "stream directly).\n")


# ---------------------------------------------------------------------------------------------
# Method and the report


def _method(report, data, doc, linger_doc):
    lines = ["## Method", ""]
    env = (doc or linger_doc or {}).get("environment", {})
    if env:
        lines += md.environment_lines(env)
    else:
        lines.append("- Machine: unknown (no latency result in the run folder); commit unknown.")
    lines.append(md._load_line(data, env.get("cores")))
    for name, d in (("latency", doc), ("latency_linger", linger_doc)):
        if not d or not d["cells"]:
            lines.append(f"- `{name}.json`: **missing** (not in the run folder).")
            continue
        c = d["cells"][0]
        records = sorted({r["records"] for cell in d["cells"] for r in cell["rates"]})
        quick = " (quick: small data, not for publishing)" if d.get("quick") else ""
        lines.append(
            f"- `{name}.json`{quick} (`streamgauge latency --matrix "
            f"scenarios/matrix/{name}.toml`): {len(d['cells'])} cells on `{c['scenario']}`, "
            f"{c['arrival']} arrivals. Each cell's peak is the median of "
            f"{c['peak']['repetitions']} closed-loop passes of "
            f"{md.fmt_count(c['peak']['records'])} records after 1 warm-up pass; each offered "
            f"rate then runs {c['repetitions']} open-loop repetitions of rate x "
            f"{c['duration_s']:g} s of records ({md.fmt_count(records[0])} to "
            f"{md.fmt_count(records[-1])} per pass), and every pass's output is checked against "
            "direct's on the same data.")
    lines.append("- Statistic: latency per output row, from the *intended* release time of the "
                 "input record that produced it (for an EMIT FINAL window, the record that closed "
                 "it) to the moment the sink receives the row, so a stalled pipeline cannot hide "
                 "its stall; percentiles of all the rows of all the passes of a rate, merged in "
                 "one histogram (HdrHistogram's layout, buckets at most 0.79% wide). The achieved "
                 "rate is the median over the passes; the backlog the largest over them "
                 "([design-notes.md#latency-measurement](../docs/design-notes.md#"
                 "latency-measurement)).")
    report.add("\n".join(lines) + "\n")


def build(data, out_dir):
    report = common.Report(out_dir, "latency.md", "Latency under offered load", QUESTION)
    try:
        doc = _load(data.folder, "latency")
        linger_doc = _load(data.folder, "latency_linger")
    except LatencyInputError as e:
        report.add(md.missing_section("Latency", str(e), "Nothing is drawn."))
        _method(report, data, None, None)
        return report
    for finding in _findings(doc, linger_doc):
        report.finding(finding)  # common.Report prints them first, at most five
    if doc:
        _vs_rate(report, doc)
    else:
        report.add(md.missing_section("Latency against the offered rate",
                                      "`latency.json` is not in the run folder",
                                      "scripts/run writes it in its latency step."))
    if linger_doc:
        _linger(report, linger_doc)
    else:
        report.add(md.missing_section("Batch size x linger", "`latency_linger.json` is not in "
                                      "the run folder", "scripts/run writes it in its latency "
                                      "step."))
    if doc:
        _spectrum(report, doc)
        _seeds(report, doc)
    _method(report, data, doc, linger_doc)
    return report
