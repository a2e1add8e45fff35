"""peers.md on a saved run with measured peer cells: a peer doing our work sits in the main table
with its ratio over direct; a final-rows peer (`-final`, or an older result checked against our
final rows per group) is labelled "less work" wherever its figure appears.

Needs only the standard library; scripts/report runs as a program (see test_report.py)."""

import copy
import json
import os
import shutil
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SCRIPT = os.path.join(REPO, "scripts", "report")
RUN = os.path.join(HERE, "data", "report", "run")
S2 = "s2_group_by"


def peer_cell(direct, peer, scale, check, work=None):
    """A measured peer cell on direct's records, each repetition `scale` times direct's time."""
    cell = {"id": f"{S2}/{peer}/batch-sql/b1000/p1/n{direct['records']}", "scenario": S2,
            "strategy": peer, "peer": True, "records": direct["records"],
            "config": copy.deepcopy(direct["config"]), "status": "ok", "peer_sql": "SELECT ...",
            "peer_timed": "the query", "peer_check": check}
    if work is not None:
        cell["peer_mode"] = "final-rows" if work else "same-work"
        cell["peer_work"] = work
    cell["samples"] = [{"wall_ns": int(s["wall_ns"] * scale), "ok": True}
                       for s in direct["samples"]]
    rates = sorted(direct["records"] * 1e9 / s["wall_ns"] for s in cell["samples"])
    cell["summary"] = {"records_per_second": {"n": len(rates), "median": rates[len(rates) // 2],
                                              "min": rates[0], "max": rates[-1], "cv": 0.01}}
    return cell


class PeersReport(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="report-peers-test-")
        run = os.path.join(cls.tmp, "run")
        shutil.copytree(RUN, run)
        path = os.path.join(run, "default.json")
        with open(path, encoding="utf-8") as f:
            result = json.load(f)
        cells = result["cells"]
        direct = next(c for c in cells if c["id"].startswith(f"{S2}/direct/sql/"))
        n = direct["records"]
        same = peer_cell(direct, "sqlite", 4.0, f"rows equal to streamgauge's output row for "
                         f"row, in order: {n} rows, ok", work="")
        final = peer_cell(direct, "sqlite-final", 0.5, "less work: final rows only (1000 rows vs "
                          f"{n}); rows equal to streamgauge's final row per group: 1000 rows, ok",
                          work=f"less work: final rows only (1000 rows vs {n})")
        # A result from before the peer modes: no peer_work, checked against final rows.
        legacy = peer_cell(direct, "duckdb", 0.5, "rows equal to streamgauge's final row per "
                           "group: 1000 rows, ok (continuous GROUP BY: the batch peer computes "
                           "each group's final row)")
        replaced = {same["id"]: same, legacy["id"]: legacy}
        result["cells"] = [replaced.get(c["id"], c) for c in cells] + [final]
        with open(path, "w", encoding="utf-8") as f:
            json.dump(result, f)
        out = os.path.join(cls.tmp, "reports")
        cls.result = subprocess.run([SCRIPT, run, "--out", out], capture_output=True, text=True,
                                    timeout=300)
        with open(os.path.join(out, "peers.md"), encoding="utf-8") as f:
            cls.text = f.read()
        cls.records = n

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def s2_row(self):
        return next(line for line in self.text.splitlines() if line.startswith(f"| `{S2}` |"))

    def test_report_runs(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)

    def test_lent_records_print_no_read_phase(self):
        self.assertNotIn("(reads `", self.text)

    def test_a_same_work_peer_shows_its_ratio_unlabelled(self):
        cols = [c.strip() for c in self.s2_row().split("|")[1:-1]]
        # scenario, records, direct, batch_lock, sqlite, sqlite / direct, duckdb, duckdb / direct
        self.assertTrue(cols[5].startswith("4.00x ["), cols)
        self.assertNotIn("less work", cols[4] + cols[5])
        self.assertIn("one row per input", self.text.split("## Method", 1)[1].split("\n## ")[0])

    def test_a_result_checked_against_final_rows_is_labelled_less_work(self):
        cols = [c.strip() for c in self.s2_row().split("|")[1:-1]]
        self.assertTrue(cols[7].startswith("0.50x ["), cols)
        self.assertIn("(less work: final rows only)", cols[6])
        self.assertIn("(less work: final rows only)", cols[7])

    def test_final_rows_peers_have_their_own_labelled_table(self):
        section = self.text.split("## Less work: final rows only", 1)
        self.assertEqual(len(section), 2, "no less-work section")
        row = next(line for line in section[1].splitlines() if line.startswith(f"| `{S2}` |"))
        self.assertIn("`sqlite-final`", row)
        self.assertIn("0.50x [", row)
        self.assertIn(f"less work: final rows only (1000 rows vs {self.records})", row)
        # Never in the main table.
        self.assertNotIn("sqlite-final", section[0])


if __name__ == "__main__":
    unittest.main()


class PeersBesideDecodedRecords(unittest.TestCase):
    """Where our cells read the materialized source, a peer's time (its loading excluded) lacks
    our read phase: the report prints it beside direct's figure and says so in the findings."""

    def test_the_read_phase_is_printed_beside_direct(self):
        tmp = tempfile.mkdtemp(prefix="report-peers-test-")
        self.addCleanup(shutil.rmtree, tmp, ignore_errors=True)
        run = os.path.join(tmp, "run")
        shutil.copytree(RUN, run)
        path = os.path.join(run, "default.json")
        with open(path, encoding="utf-8") as f:
            result = json.load(f)
        for cell in result["cells"]:
            if not cell.get("peer"):
                cell["config"]["source"] = "materialized"
        direct = next(c for c in result["cells"] if c["id"].startswith(f"{S2}/direct/sql/"))
        n = direct["records"]
        # A hand-written read phase of 50 ns a record (not measured): the test checks that the
        # report prints it beside direct, not what decoding costs.
        direct["instrumented_samples"] = [
            {"wall_ns": 1, "threads": [{"lifetime_ns": 1, "phase_ns": {"read": 50 * n}}]}]
        result["cells"] = [c for c in result["cells"] if not c["id"].startswith(f"{S2}/sqlite")]
        result["cells"].append(peer_cell(direct, "sqlite", 4.0, "rows equal, ok", work=""))
        with open(path, "w", encoding="utf-8") as f:
            json.dump(result, f)
        out = os.path.join(tmp, "reports")
        r = subprocess.run([SCRIPT, run, "--out", out], capture_output=True, text=True,
                           timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "peers.md"), encoding="utf-8") as f:
            text = f.read()
        row = next(line for line in text.splitlines() if line.startswith(f"| `{S2}` |"))
        self.assertIn("(reads `materialized`: 50.0 ns/record)", row)
        self.assertIn("ours including reading the `materialized` source, which the peer's time "
                      "does not", text)
