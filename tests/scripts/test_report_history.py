"""history.md: plots the trend of cells from a SQLite history (the schema harness/analysis/history.cpp
writes), and says so plainly when there is no history or too little of it."""

import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SCRIPT = os.path.join(REPO, "scripts", "report")
RUN = os.path.join(HERE, "data", "report", "run")


def make_history(path, runs, environments=None, materialized_from=None):
    """`runs` runs of the default matrix; from run `materialized_from` on, the cells read the
    materialized source (their ids end in /src-materialized)."""
    con = sqlite3.connect(path)
    con.executescript("""
      CREATE TABLE runs (id INTEGER PRIMARY KEY, date_utc TEXT, commit_id TEXT, matrix TEXT,
                         quick INTEGER, command TEXT, environment TEXT);
      CREATE TABLE cells (run_id INTEGER, cell_id TEXT, scenario TEXT, strategy TEXT, engine TEXT,
                          batch_size INTEGER, partitions INTEGER, queue TEXT, records INTEGER,
                          status TEXT, median_records_per_s REAL, cv REAL, wall_ns TEXT);""")
    for i in range(1, runs + 1):
        env = (environments or {}).get(i, "{}")
        con.execute("INSERT INTO runs VALUES (?, ?, ?, 'default', 0, 'cmd', ?)",
                    (i, f"2026-11-2{i}T00:00:00Z", f"c{i}", env))
        source = "/src-materialized" if materialized_from and i >= materialized_from else ""
        for strategy, rate in (("direct", 10e6), ("batch_lock", 9e6 - i * 1e6)):
            con.execute("INSERT INTO cells VALUES (?, ?, 's0', ?, 'sql', 1000, 1, 'moodycamel', "
                        "1000, 'ok', ?, 0.01, '[1,2,3]')",
                        (i, f"s0/{strategy}{source}", strategy, rate))
    con.commit()
    con.close()


def add_latency_runs(path, runs, first_id):
    """Latency runs as `streamgauge latency --history` appends them (latency_history.cpp)."""
    con = sqlite3.connect(path)
    con.executescript("""
      CREATE TABLE IF NOT EXISTS latency_cells (run_id INTEGER, cell_id TEXT, scenario TEXT,
        strategy TEXT, engine TEXT, batch_size INTEGER, partitions INTEGER, linger_ns INTEGER,
        rate TEXT, offered_rate REAL, achieved_rate REAL, peak_records_per_s REAL, status TEXT,
        p50_ns REAL, p99_ns REAL, p99_9_ns REAL, max_backlog INTEGER, p99_ns_passes TEXT);""")
    for i in range(first_id, first_id + runs):
        con.execute("INSERT INTO runs VALUES (?, ?, ?, 'latency', 0, 'cmd', '{}')",
                    (i, f"2026-12-0{i % 9}T00:00:00Z", f"l{i}"))
        con.execute("INSERT INTO latency_cells VALUES (?, 'id', 's2', 'adaptive', 'sql', 100, 2, "
                    "0, '50%', 2e6, 2e6, 4e6, 'ok', 2e4, ?, 3e6, 10, '[1]')", (i, 1e6 * i))
    con.commit()
    con.close()


class HistoryReport(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="report-history-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def report(self, history):
        out = os.path.join(self.tmp, "reports")
        r = subprocess.run([SCRIPT, RUN, "--out", out, "--history", history],
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "history.md"), encoding="utf-8") as f:
            return out, f.read()

    def test_an_allocator_change_is_marked_in_the_table_and_on_the_charts(self):
        db = os.path.join(self.tmp, "h.sqlite")
        tc = '{"allocator": "tcmalloc 2.10", "compiler": "GNU 12.2.0"}'
        mi = '{"allocator": "mimalloc 2.0.9", "compiler": "GNU 12.2.0"}'
        make_history(db, 3, {1: tc, 2: tc, 3: mi})
        out, text = self.report(db)
        self.assertIn("| 3 | 2026-11-23T00:00:00Z | `c3` | allocator tcmalloc 2.10 -> "
                      "mimalloc 2.0.9 |", text)
        self.assertIn("| 2 | 2026-11-22T00:00:00Z | `c2` | — |", text)
        self.assertIn("3 full runs of the default matrix", text)
        self.assertIn("1 configuration change(s) marked (first at run 3", text)
        with open(os.path.join(out, "charts", "history-s0.svg"), encoding="utf-8") as f:
            self.assertIn("allocator tcmalloc 2.10 -&gt; mimalloc 2.0.9", f.read())

    def test_a_change_of_machine_is_marked(self):
        db = os.path.join(self.tmp, "h.sqlite")
        amd = '{"cpu_model": "AMD EPYC", "cores": 2}'
        intel = '{"cpu_model": "Intel(R) Xeon(R) Processor", "cores": 2}'
        make_history(db, 3, {1: amd, 2: intel, 3: intel})
        _, text = self.report(db)
        self.assertIn("| 2 | 2026-11-22T00:00:00Z | `c2` | CPU AMD EPYC -> Intel(R) Xeon(R) "
                      "Processor |", text)
        self.assertIn("| 3 | 2026-11-23T00:00:00Z | `c3` | — |", text)

    def test_a_change_of_source_is_marked_and_gets_its_own_lines(self):
        db = os.path.join(self.tmp, "h.sqlite")
        make_history(db, 3, materialized_from=3)
        out, text = self.report(db)
        self.assertIn("| 3 | 2026-11-23T00:00:00Z | `c3` | source lent -> materialized |", text)
        self.assertIn("| 2 | 2026-11-22T00:00:00Z | `c2` | — |", text)
        with open(os.path.join(out, "charts", "history-s0.svg"), encoding="utf-8") as f:
            chart = f.read()
        self.assertIn("source lent -&gt; materialized", chart)
        self.assertIn("direct b1000 n1000 materialized", chart)
        self.assertIn("direct b1000 n1000<", chart)  # the lent runs' line, apart

    def test_two_runs_are_plotted(self):
        db = os.path.join(self.tmp, "h.sqlite")
        make_history(db, 2)
        out, text = self.report(db)
        self.assertIn("## `s0`", text)
        self.assertIn("`c2`", text)
        chart = os.path.join(out, "charts", "history-s0.svg")
        ET.parse(chart)  # valid XML
        with open(chart, encoding="utf-8") as f:
            self.assertIn("batch_lock", f.read())

    def test_latency_runs_are_plotted_by_rate(self):
        db = os.path.join(self.tmp, "h.sqlite")
        make_history(db, 2)
        add_latency_runs(db, 2, 3)
        out, text = self.report(db)
        self.assertIn("## Latency across runs", text)
        self.assertIn("### `s2` at 50%", text)
        chart = os.path.join(out, "charts", "history-latency-s2-50_.svg")
        ET.parse(chart)
        with open(chart, encoding="utf-8") as f:
            self.assertIn("adaptive p2 b100 linger 0 us", f.read())

    def test_one_latency_run_is_said_not_plotted(self):
        db = os.path.join(self.tmp, "h.sqlite")
        make_history(db, 2)
        add_latency_runs(db, 1, 3)
        out, text = self.report(db)
        self.assertIn("Only 1 full latency run(s) recorded", text)
        self.assertFalse(os.path.exists(os.path.join(out, "charts", "history-latency-s2-50_.svg")))

    def test_missing_or_short_history_is_said(self):
        _, text = self.report(os.path.join(self.tmp, "absent.sqlite"))
        self.assertIn("no history database was found", text)
        db = os.path.join(self.tmp, "one.sqlite")
        make_history(db, 1)
        _, text = self.report(db)
        self.assertIn("only 1 full default run", text)


if __name__ == "__main__":
    unittest.main()
