"""A matrix stopped by SIGINT or SIGTERM (sent by this test to a `streamgauge matrix` child once
the journal shows a finished cell) writes every finished cell, marked interrupted, and exits
130/143; `--resume JOURNAL` then runs only what is missing and ends with the same cell ids as a
run never stopped. Needs BUILD_DIR (the build with cli/streamgauge), which ctest sets."""
import json
import os
import pathlib
import signal
import subprocess
import tempfile
import time
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
MATRIX = """name = "tiny"
scenarios = ["s0_pure_select", "s2_group_by"]
strategies = ["direct", "batch_lock", "per_record_lock", "lockless_stp"]
engines = ["sql"]
batch_sizes = [100]
partitions = [1]
records = [3000]
repetitions = 2
warmup = 0
cell_budget_s = 0
"""
CELLS, REPETITIONS = 8, 2  # cell_budget_s = 0: a cell paired with direct stops at 2 pairs too
# Extra work per record (--inject-work) so that a pass lasts tens of milliseconds: the signal,
# sent after the first pass of the last round, lands long before the seven passes after it end.
SLOW = ["--inject-work", "10000"]


class InterruptedMatrix(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = pathlib.Path(self.tmp.name)
        (self.dir / "tiny.toml").write_text(MATRIX)
        self.sg = pathlib.Path(os.environ["BUILD_DIR"]) / "cli" / "streamgauge"

    def tearDown(self):
        self.tmp.cleanup()

    def command(self, out, *extra):
        return [str(self.sg), "matrix", str(self.dir / "tiny.toml"), "--quiet",
                "--scenarios", str(ROOT / "scenarios"), "--out", str(out), *extra]

    def run_stopped_by(self, sig, out):
        """Starts the matrix, waits until the journal holds the first pass of the last round (a
        cell is finished only then: the rounds interleave the cells), sends `sig`; returns the
        exit status."""
        journal = out.with_suffix(".journal.jsonl")
        child = subprocess.Popen(self.command(out, *SLOW), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and child.poll() is None:
            if journal.exists() and len(journal.read_text().splitlines()) >= 1 + CELLS * (REPETITIONS - 1) + 1:
                break
            time.sleep(0.002)
        child.send_signal(sig)
        stdout, stderr = child.communicate(timeout=120)
        self.output = stdout + stderr
        return child.returncode

    def ids(self, result):
        return [c["id"] for c in result["cells"]]

    def test_sigint_keeps_finished_cells_and_resume_completes_the_rest(self):
        out = self.dir / "r.json"
        self.assertEqual(self.run_stopped_by(signal.SIGINT, out), 130, self.output)
        stopped = json.loads(out.read_text())
        self.assertTrue(stopped["interrupted"])
        self.assertEqual(stopped["interrupted_by"], "SIGINT")
        statuses = [c["status"] for c in stopped["cells"]]
        self.assertEqual(len(statuses), CELLS)
        self.assertGreaterEqual(statuses.count("ok"), 1, statuses)
        self.assertGreaterEqual(statuses.count("not_run"), 1, statuses)
        for c in stopped["cells"]:
            if c["status"] == "ok":
                self.assertEqual(len(c["samples"]), REPETITIONS)
        self.assertIn("--resume", self.output)
        journal = out.with_suffix(".journal.jsonl")
        journaled = len(journal.read_text().splitlines()) - 1

        resumed_run = subprocess.run(self.command(out, "--resume", str(journal)),
                                     capture_output=True, text=True, timeout=120)
        self.assertEqual(resumed_run.returncode, 0, resumed_run.stdout + resumed_run.stderr)
        resumed = json.loads(out.read_text())
        self.assertFalse(resumed["interrupted"])
        self.assertEqual(resumed["restored_passes"], journaled)
        self.assertEqual(self.ids(resumed), self.ids(stopped))
        for before, after in zip(stopped["cells"], resumed["cells"]):
            self.assertEqual(after["status"], "ok")
            self.assertEqual(len(after["samples"]), REPETITIONS)
            if before["status"] == "ok":
                self.assertEqual(after["samples"], before["samples"])  # restored, not rerun
        self.assertFalse(journal.exists())  # the complete result holds every pass

        whole = self.dir / "whole.json"
        subprocess.run(self.command(whole), check=True, capture_output=True, timeout=120)
        self.assertEqual(self.ids(json.loads(whole.read_text())), self.ids(resumed))

    def test_sigterm_exits_143_with_the_finished_cells(self):
        out = self.dir / "t.json"
        self.assertEqual(self.run_stopped_by(signal.SIGTERM, out), 143, self.output)
        stopped = json.loads(out.read_text())
        self.assertEqual(stopped["interrupted_by"], "SIGTERM")
        self.assertIn("ok", [c["status"] for c in stopped["cells"]])


if __name__ == "__main__":
    unittest.main()
