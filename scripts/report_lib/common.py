"""What every report needs beyond Markdown: a place to put charts, picking cells out of a matrix,
and comparing two cells by their ranges (the rule behind every verdict)."""

import os
from collections import Counter

from . import markdown as md


MAX_FINDINGS = 5


class Report:
    """Collects a report's Markdown parts and knows where its charts go. The text reads: title,
    question, findings (at most five, computed from the run), the evidence sections in the order
    they were added, then the method (what differs from method.md)."""

    def __init__(self, out_dir, filename, title, question, with_findings=True):
        self.with_findings = with_findings
        self.out_dir = out_dir
        self.filename = filename
        self.head = [f"# {title}\n", f"*{question}*\n"]
        self.parts = []
        self.findings = []
        self.method = None
        self.charts = []

    def add(self, text):
        self.parts.append(text)

    def finding(self, sentence):
        """One finding: the figure, what it is compared with, what it means for a pipeline like
        the seeds'. None (a finding whose input is missing) is skipped."""
        if sentence:
            self.findings.append(sentence)

    def set_method(self, text):
        self.method = text

    def chart_path(self, name):
        """(absolute path to write, relative path for the Markdown link)."""
        rel = f"charts/{os.path.splitext(self.filename)[0]}-{name}.svg"
        self.charts.append(rel)
        return os.path.join(self.out_dir, rel), rel

    def findings_text(self):
        lines = ["## Findings", ""]
        if not self.findings:
            lines.append("No finding: this run lacks the inputs this report needs (see the "
                         "missing-input sections below).")
        for f in self.findings[:MAX_FINDINGS]:
            lines.append(f"- {f}")
        return "\n".join(lines) + "\n"

    def text(self):
        parts = self.head + ([self.findings_text()] if self.with_findings else []) + self.parts
        if self.method:
            parts.append(self.method)
        return "\n".join(p.rstrip("\n") + "\n" for p in parts)

    def write(self):
        path = os.path.join(self.out_dir, self.filename)
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.text())
        return path


def main_batch(matrix):
    """The batch size most non-peer cells use (the matrix's headline batch size)."""
    sizes = Counter(c.batch_size for c in matrix.cells if not c.peer)
    return max(sizes.items(), key=lambda kv: (kv[1], kv[0]))[0] if sizes else None


def main_records(matrix, scenario):
    """A scenario's headline record count: its largest."""
    counts = [c.records for c in matrix.cells if c.scenario == scenario]
    return max(counts) if counts else None


def strategy_columns(matrix, engine, batch):
    """(strategy, partitions) pairs that have at least one cell that is not skipped, in the
    matrix's order: the columns of a scenario x strategy table."""
    cols = []
    for c in matrix.cells:
        if c.peer or c.engine != engine or c.batch_size != batch or c.status == "skipped":
            continue
        key = (c.strategy, c.partitions)
        if key not in cols:
            cols.append(key)
    return cols


def column_name(strategy, partitions):
    return strategy if partitions == 1 else f"{strategy} p{partitions}"


def paired_ratio(slow, fast):
    """slow's paired ratio over fast with its 95% interval, when the matrix ran slow's passes
    back to back with fast (fast is slow's baseline); else None."""
    summary = slow.raw.get("summary", {})
    if summary.get("baseline") != fast.id:
        return None
    return slow.paired()


def compare(slow, fast):
    """Compares two measured cells by wall time. Where the matrix paired slow's passes with fast
    (fast is its baseline), by the median of the paired ratios and its 95% interval; else by the
    repetitions' extreme pairs (md.ratio_range). Returns (relation, (low, median, high)) where
    relation is 'slower' (low > 1: the interval, or every repetition, says slower), 'faster'
    (high < 1), or 'overlap'."""
    if slow is None or fast is None or not slow.ok or not fast.ok:
        return None, None
    r = paired_ratio(slow, fast) or md.ratio_range(slow, fast)
    if r[0] > 1.0:
        return "slower", r
    if r[2] < 1.0:
        return "faster", r
    return "overlap", r


def seed_figures_text(data, scenario):
    figs = data.seed_figures.get(scenario, [])
    return "; ".join(f"{f['label']}: {md.fmt_rate(f['records_per_second'])}/s ({f['source']})"
                     for f in figs)


def overall(relations, claim_holds_when):
    """Folds per-case relations into one verdict: reproduced when every measured case agrees with
    the claim, not reproduced here when every one contradicts it, inconclusive otherwise."""
    measured = [r for r in relations if r is not None]
    if not measured:
        return "not measurable here"
    agree = [r == claim_holds_when for r in measured]
    contradict = [r not in (claim_holds_when, "overlap") for r in measured]
    if all(agree):
        return md.REPRODUCED
    if all(contradict):
        return md.NOT_REPRODUCED
    return "inconclusive"


def band_verdict(r, low, high):
    """A seed figure judged with a tolerance band [low, high] around it, from our
    (lowest, median, highest): reproduced when our median is inside the band, not reproduced here
    when our whole range is outside it, inconclusive otherwise (a wide range straddling it)."""
    if low <= r[1] <= high:
        return md.REPRODUCED
    if r[2] < low or r[0] > high:
        return md.NOT_REPRODUCED
    return "inconclusive"


BAND_RULE = ("reproduced when our median lies in the band, not reproduced here when our whole "
             "range lies outside it, inconclusive otherwise")


def explained_rows(explain, terms, label=lambda cell_id: f"`{cell_id}`"):
    """Rows of the overhead model's table over a matrix's non-direct cells (an explain JSON's
    rows): the cell, its measured overhead per record (with its 95% interval when paired), the
    prediction, the sum of the named `terms`' predictions, and the share explained (or 'within
    noise')."""
    rows = []
    for r in explain.get("rows", []):
        if r.get("strategy") == "direct":
            continue
        part = sum(c.get("predicted_ns_per_record", 0) for c in r.get("components", [])
                   if c.get("name") in terms)
        measured = md.fmt_ns(r.get("measured_ns_per_record"))
        if r.get("paired"):
            measured += (f" [{md.fmt_ns(r.get('measured_low_ns_per_record'))} to "
                         f"{md.fmt_ns(r.get('measured_high_ns_per_record'))}]")
        rows.append([label(r.get("cell", "?")), measured,
                     md.fmt_ns(r.get("predicted_ns_per_record")), md.fmt_ns(part),
                     "within noise" if r.get("within_noise") else
                     md.fmt_pct(r.get("explained_pct"))])
    return rows


def add_model_table(report, data, matrix, title, consequence, intro, terms, term_header,
                    label=lambda cell_id: f"`{cell_id}`"):
    """The overhead model's table over one matrix (explain_<matrix>.json): `intro`, then a row
    per cell from explained_rows with `terms` summed under `term_header`; where the explain
    result is missing, a section titled `title` says so and what it costs (`consequence`)."""
    ex = getattr(data, f"explain_{matrix}")
    if ex is None:
        report.add(md.missing_section(title, data.missing_reason(f"explain_{matrix}"),
                                      consequence))
        return
    report.add(intro)
    report.add(md.table(["cell", "measured / record", "predicted", term_header, "explained"],
                        explained_rows(ex, terms, label)))

