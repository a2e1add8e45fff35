"""latency.md from a run folder's latency.json and latency_linger.json (streamgauge-latency/1, as
`streamgauge latency --matrix` writes them): it opens with at most five findings computed from the
data, draws p50/p99/p99.9 against the offered rate, batch size x linger and the percentile
spectrum as valid SVG, answers the seeds' latency claims, shows a failed rate as failed, ends with
its method, and says so when an input is missing.

The run folder is synthetic (small, with known figures); scripts/report runs as a program (its
#!/usr/bin/python3 has matplotlib), so these tests need only the standard library."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SCRIPT = os.path.join(REPO, "scripts", "report")
ENV = {"commit": "abc1234", "cpu_model": "Test CPU", "cores": 2, "kernel": "Linux 6",
       "governor": "performance", "compiler": "GNU 12", "cxx_flags": "-O2",
       "build_type": "RelWithDebInfo", "allocator": "mimalloc", "date_utc": "2026-12-03T04:00:00Z"}


def histogram(p50, p99, p99_9, top):
    """A histogram whose saved buckets put 50% at p50, 49% at p99, 0.9% at p99.9, 0.1% at top."""
    buckets = [[p50, 500], [p99, 490], [p99_9, 9], [top, 1]]
    return {"count": 1000, "min": p50, "max": top, "mean": p50, "clamped": 0, "p50": p50,
            "p90": p99, "p99": p99, "p99_9": p99_9, "p99_99": top, "buckets": buckets}


def rate(text, offered, p50, p99, backlog=10, ok=True, records=1000):
    r = {"rate": text, "offered_rate": offered, "records": records, "ok": ok,
         "error": "" if ok else "the output differs from direct's on the same data",
         "achieved_rate": offered if ok else 0.0, "max_backlog": backlog,
         "latency_ns": histogram(p50, p99, p99 * 2, p99 * 3) if ok else {"count": 0},
         "release_lag_ns": histogram(1000, 2000, 3000, 4000),
         "passes": [{"latency_ns": {"p99": p99}}, {"latency_ns": {"p99": p99}}] if ok else []}
    return r


def cell(strategy, peak, rates, partitions=1, batch=100, linger_ns=0, sustainable=None):
    return {"scenario": "s2_group_by", "strategy": strategy, "arrival": "constant",
            "linger_ns": linger_ns, "repetitions": 2, "duration_s": 1.0, "p99_bound_ms": 10,
            "config": {"engine": "sql", "batch_size": batch, "partitions": partitions},
            "peak": {"records": 1000000, "repetitions": 3, "median_records_per_s": peak,
                     "samples_records_per_s": [peak * 0.9, peak, peak * 1.1]},
            "rates": rates, "sustainable_rate": sustainable}


def latency_result():
    cells = [
        cell("direct", 4e6, [rate("10%", 4e5, 5e3, 2e5), rate("50%", 2e6, 8e3, 1e6),
                             rate("120%", 4.8e6, 2e8, 4e8, backlog=900000)], sustainable=2e6),
        cell("adaptive", 4e6, [rate("10%", 4e5, 16e3, 3e6), rate("50%", 2e6, 20e3, 3e6),
                               rate("120%", 4.8e6, 1e8, 3e8, backlog=1500000, ok=False)],
             partitions=2, sustainable=2e6),
    ]
    return {"format": "streamgauge-latency/1", "name": "latency", "quick": False,
            "environment": ENV, "cells": cells}


def linger_result():
    cells = []
    for batch in (100, 1000):
        for linger in (0, 100000, 10000000):
            p50 = 8000 + linger // 2
            cells.append(cell("batch_lock", 3e6, [rate("1%", 3e4, p50, p50 * 3),
                                                  rate("50%", 1.5e6, 9000, 900000)],
                              batch=batch, linger_ns=linger))
    return {"format": "streamgauge-latency/1", "name": "latency_linger", "quick": False,
            "environment": ENV, "cells": cells}


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


class LatencyReport(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="report-latency-")
        self.run_dir = os.path.join(self.tmp, "run")
        os.makedirs(self.run_dir)
        with open(os.path.join(self.run_dir, "loadavg.txt"), "w") as f:
            f.write("start 0.50 0.40 0.30 1/100 1\nend 0.60 0.50 0.40 1/100 2\n")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, name, doc):
        with open(os.path.join(self.run_dir, name), "w", encoding="utf-8") as f:
            json.dump(doc, f)

    def report(self):
        out = os.path.join(self.tmp, "reports")
        r = subprocess.run([SCRIPT, self.run_dir, "--out", out], capture_output=True, text=True,
                           timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        return out, read(os.path.join(out, "latency.md"))

    def test_findings_first_then_evidence_then_method(self):
        self.write("latency.json", latency_result())
        self.write("latency_linger.json", linger_result())
        out, text = self.report()
        self.assertIn("](latency.md)", read(os.path.join(out, "README.md")))
        headings = re.findall(r"^## .*$", text, re.M)
        self.assertEqual(headings[0], "## Findings")
        self.assertEqual(headings[-1], "## Method")
        findings = text.split("## Findings", 1)[1].split("\n## ", 1)[0]
        numbered = re.findall(r"^- ", findings, re.M)
        self.assertTrue(1 <= len(numbered) <= 5, findings)
        # Each computed from the data: the sustainable rate as a share of the peak, p99 at 50%
        # beside direct's, the backlog past the peak, linger's cost at 1%, time per record.
        self.assertIn("adaptive p2 2.00M/s (50% of its peak 4.00M/s)", findings)
        self.assertIn("adaptive p2 3.00 ms (3x direct's)", findings)
        self.assertIn("direct p99 400.00 ms with a backlog of 900,000 records", findings)
        self.assertIn("8.00 µs at linger 0", findings)
        self.assertIn("5.01 ms at linger 10 ms", findings)
        self.assertIn("time per record is 250.0 ns", findings)
        method = text.split("## Method", 1)[1]
        for needed in ("Machine:", "commit", "repetitions", "warm-up", "median", "Load average"):
            self.assertIn(needed, method)
        self.assertIn("`abc1234`", method)
        self.assertIn("3 closed-loop passes of 1,000,000 records after 1 warm-up", method)

    def test_charts_are_valid_svg_and_the_tables_keep_failures(self):
        self.write("latency.json", latency_result())
        self.write("latency_linger.json", linger_result())
        out, text = self.report()
        linked = re.findall(r"!\[[^\]]*\]\(([^)]+\.svg)\)", text)
        for name in ("latency-rate-direct.svg", "latency-rate-adaptive.svg",
                     "latency-linger-1_.svg", "latency-linger-50_.svg",
                     "latency-spectrum-50_.svg"):
            self.assertIn(f"charts/{name}", linked)
        for rel in linked:
            root = ET.fromstring(read(os.path.join(out, rel)))
            self.assertEqual(root.tag, "{http://www.w3.org/2000/svg}svg", rel)
        self.assertIn("batch_lock b1000", read(os.path.join(out, "charts",
                                                            "latency-linger-1_.svg")))
        # The failed rate is shown as failed, never as a figure.
        self.assertIn("| 120% | 4.80M | — | — | — | failed: the output differs", text)
        # Seed 001's time per record beside real latencies; seed 000's claim answered.
        self.assertIn("60.42 µs", text)
        self.assertIn("| adaptive p2 | 250.0 ns | 10% | 16.00 µs | 3.00 ms |", text)
        self.assertIn("seed 000", text)

    def test_cells_sharing_a_strategy_keep_their_own_charts_and_labels(self):
        doc = latency_result()
        doc["cells"].append(cell("direct", 4e6, [rate("50%", 2e6, 9e3, 7e6)], linger_ns=1000000))
        doc["cells"].append(cell("streaming", 3e6, [rate("50%", 1.5e6, 9e3, 2e6)]))
        self.write("latency.json", doc)
        out, text = self.report()
        for name in ("latency-rate-direct.svg", "latency-rate-direct-2.svg",
                     "latency-rate-streaming-eager.svg"):
            self.assertTrue(os.path.isfile(os.path.join(out, "charts", name)), name)
        self.assertIn("s2_group_by direct b100 linger 1 ms 7.00 ms", text)
        self.assertIn("### streaming eager (batch 100, linger 0)", text)

    def test_missing_inputs_are_said(self):
        _, text = self.report()
        self.assertIn("`latency.json` is not in the run folder", text)
        self.assertIn("`latency_linger.json` is not in the run folder", text)
        self.assertNotIn(".svg", text)
        self.write("latency.json", {"format": "streamgauge-matrix-result/1", "cells": []})
        _, text = self.report()
        self.assertIn("expected 'streamgauge-latency/1'", text)


if __name__ == "__main__":
    unittest.main()
