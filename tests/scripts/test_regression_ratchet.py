"""scripts/check-regression's ratchet, on fabricated instruction-count files (no valgrind): a cell
more than 0.5% cheaper than its baseline fails the gate, naming the cell, until the baseline is
refreshed; a slowdown past 2% fails it as a regression; anything between passes.
Needs BUILD_DIR (the build with cli/streamgauge), which ctest sets."""
import json
import os
import pathlib
import subprocess
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BASELINE = {"a": 1_000_000, "b": 2_000_000, "c": 3_000_000}


class Ratchet(unittest.TestCase):
    def gate(self, cells):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = pathlib.Path(tmp)
            for name, counts in (("baseline", BASELINE), ("counts", cells)):
                (tmp / f"{name}.json").write_text(
                    json.dumps({"format": "streamgauge-instructions/1", "cells": counts}))
            return subprocess.run(
                [ROOT / "scripts/check-regression", "--baseline", tmp / "baseline.json",
                 "--counts", tmp / "counts.json", tmp / "out/current.json"],
                capture_output=True, text=True, env={**os.environ, "BUILD_DIR": os.environ["BUILD_DIR"]})

    def test_counts_within_the_ratchet_pass(self):
        r = self.gate({"a": 1_000_000, "b": 1_991_000, "c": 3_030_000})  # -0.45%, +1%
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("stale", r.stdout + r.stderr)

    def test_a_cheaper_cell_makes_the_baseline_stale(self):
        r = self.gate({"a": 1_000_000, "b": 1_989_000, "c": 2_900_000})  # -0.55%, -3.3%
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("baseline is stale", r.stderr)
        self.assertIn("stale: b", r.stderr)
        self.assertIn("stale: c", r.stderr)
        self.assertNotIn("stale: a", r.stderr)
        self.assertIn("scripts/instructions --out", r.stderr)

    def test_a_slowdown_past_the_threshold_is_a_regression(self):
        r = self.gate({"a": 1_021_000, "b": 2_000_000, "c": 3_000_000})
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("slower", r.stdout)
        self.assertIn("regression", r.stderr)


if __name__ == "__main__":
    unittest.main()
