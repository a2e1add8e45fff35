"""scripts/report on a small saved run (tests/scripts/data/report/run): every report is written,
opens with its findings and links the one method page, links valid self-contained SVG charts, labels the seed's figures, shows
failed cells as failed and missing inputs as missing, and renders the same JSON identically.

scripts/report is run as a program (its #!/usr/bin/python3 has matplotlib); these tests need
only the standard library, whatever python3 runs them."""

import copy
import importlib.util
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
RUN = os.path.join(HERE, "data", "report", "run")
REPORTS = ("startup.md", "coordination-overhead.md", "zero-copy.md",
           "architecture-comparison.md", "gap-analysis.md", "peers.md")
HOST_SPEED_SCRIPT = os.path.join(REPO, "scripts", "report_lib", "host_speed.py")
# The rule's own threshold (standard library only, so these tests may load it).
_spec = importlib.util.spec_from_file_location("host_speed", HOST_SPEED_SCRIPT)
host_speed = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(host_speed)
# Synthetic probe rates, in units of a CPU's usual rate, placed against the rule's threshold: a
# probe is slowed past it, nearly slowed just inside it; all CPUs at once are slower by design.
USUAL = 1.0
SLOWED = USUAL / (host_speed.CPU_SPEED_SPREAD * 1.5)
NEARLY = USUAL / (host_speed.CPU_SPEED_SPREAD * 0.95)
TOGETHER = USUAL / 3
# The SVG and XLink namespaces are the only http references a chart may carry.
ALLOWED_URLS = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink")


def run_report(run_dir, out_dir):
    return subprocess.run([SCRIPT, run_dir, "--out", out_dir], capture_output=True, text=True,
                          timeout=300)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


class ReportOnSavedRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="report-test-")
        cls.out = os.path.join(cls.tmp, "reports")
        cls.result = run_report(RUN, cls.out)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def text(self, name):
        return read(os.path.join(self.out, name))

    def test_runs_and_writes_all_six_reports_and_the_index(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        for name in REPORTS + ("README.md",):
            self.assertTrue(os.path.isfile(os.path.join(self.out, name)), name)
        index = self.text("README.md")
        for name in REPORTS:
            self.assertIn(f"]({name})", index)

    def test_every_report_opens_with_findings_and_ends_with_its_method(self):
        for name in REPORTS:
            text = self.text(name)
            headings = re.findall(r"^## .*$", text, re.M)
            self.assertTrue(headings, name)
            self.assertEqual(headings[0], "## Findings", name)
            self.assertEqual(headings[-1], "## Method", name)
            method = text.split("\n## Method", 1)[1]
            self.assertIn("[method.md](method.md)", method, name)
            for needed in ("repetitions", "warm-up"):
                self.assertIn(needed, method, f"{name}: method block lacks {needed!r}")

    def test_the_method_page_holds_what_every_report_shares_once(self):
        page = self.text("method.md")
        for needed in ("Machine:", "commit", "repetitions", "warm-up", "median",
                       "Load average", '<a id="verdicts"></a>', "**reproduced**",
                       "**not reproduced here**", "**inconclusive**"):
            self.assertIn(needed, page, f"method.md lacks {needed!r}")
        self.assertIn("](method.md)", self.text("README.md"))
        for name in REPORTS:
            self.assertNotIn("Machine:", self.text(name), name)
            self.assertNotIn("Load average", self.text(name), name)

    def test_findings_are_at_most_five_sentences_with_figures(self):
        for name in REPORTS:
            block = self.text(name).split("## Findings", 1)[1].split("\n## ", 1)[0]
            findings = re.findall(r"^- (.*)$", block, re.M)
            self.assertLessEqual(len(findings), 5, name)
            for f in findings:
                self.assertRegex(f, r"\d", f"{name}: a finding without a figure: {f}")

    def test_no_report_and_no_generator_says_refuted(self):
        for name in REPORTS + ("method.md", "README.md"):
            self.assertNotIn("refuted", self.text(name).lower(), name)
            self.assertNotIn("confirmed", self.text(name).lower(), name)
        lib = os.path.join(REPO, "scripts", "report_lib")
        for f in sorted(os.listdir(lib)):
            if f.endswith(".py"):
                self.assertNotIn("refuted", read(os.path.join(lib, f)).lower(), f)

    def test_charts_exist_are_valid_svg_and_self_contained(self):
        linked = []
        for name in REPORTS:
            linked += re.findall(r"!\[[^\]]*\]\(([^)]+\.svg)\)", self.text(name))
        self.assertGreaterEqual(len(linked), 6)
        for rel in linked:
            path = os.path.join(self.out, rel)
            self.assertTrue(os.path.isfile(path), rel)
            svg = read(path)
            root = ET.fromstring(svg)
            self.assertEqual(root.tag, "{http://www.w3.org/2000/svg}svg", rel)
            for url in re.findall(r"https?://[^\s\"'<>)]+", svg):
                self.assertIn(url, ALLOWED_URLS, f"{rel} references {url}")

    def test_seed_figures_are_labelled_as_the_seeds(self):
        arch = self.text("architecture-comparison.md")
        # scenarios/s0_pure_select.toml: the seed's V1 direct SQL, 186,000 records/s.
        lines = [l for l in arch.splitlines() if "186.0K" in l]
        self.assertTrue(lines)
        for line in lines:
            self.assertIn("seed", line.lower())
        self.assertIn("seed's figure (Rust engine, another machine; not measured here)", arch)
        coord = self.text("coordination-overhead.md")
        for line in (l for l in coord.splitlines() if "16.5K" in l):
            self.assertIn("seed's figure", line)

    def test_every_verdict_states_its_rule(self):
        for name in REPORTS:
            text = self.text(name)
            verdicts = text.count("**Verdict:")
            self.assertEqual(verdicts, text.count("*Rule:*"), name)
            self.assertEqual(verdicts, text.count("(method.md#verdicts)"), name)
            for outcome in re.findall(r"\*\*Verdict: ([^.]+)\.\*\*", text):
                self.assertIn(outcome, ("reproduced", "not reproduced here", "inconclusive",
                                        "not measurable here"), name)

    def test_a_failed_cell_is_shown_as_failed(self):
        arch = self.text("architecture-comparison.md")
        self.assertRegex(arch, r"FAILED: repetition 1: output differs from direct's")

    def test_missing_inputs_get_an_explicit_section(self):
        # The saved run has no bench_startup.json and no queues.json.
        startup = self.text("startup.md")
        self.assertIn("Start-up microbench: missing input", startup)
        self.assertIn("`microbench/bench_startup.json` is not in the run folder", startup)
        self.assertIn("queues", self.result.stderr)

    def test_same_json_gives_identical_output(self):
        again = os.path.join(self.tmp, "again")
        result = run_report(RUN, again)
        self.assertEqual(result.returncode, 0, result.stderr)
        for dirpath, _, files in os.walk(self.out):
            for f in files:
                a = os.path.join(dirpath, f)
                b = os.path.join(again, os.path.relpath(a, self.out))
                self.assertEqual(read(a), read(b), os.path.relpath(a, self.out))


class ReportOnIncompleteRun(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="report-test-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_an_empty_run_folder_gives_missing_sections_not_a_crash(self):
        run = os.path.join(self.tmp, "run")
        os.makedirs(run)
        out = os.path.join(self.tmp, "reports")
        result = run_report(run, out)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        for name in REPORTS:
            text = read(os.path.join(out, name))
            self.assertIn("missing input", text, name)
            self.assertIn("## Method", text, name)
            # Nothing measured, so no throughput figure may appear.
            self.assertNotRegex(text, r"\d+\.\d\dM \[", name)

    def test_the_model_names_its_commit_beside_the_measurements(self):
        run = os.path.join(self.tmp, "run")
        shutil.copytree(RUN, run)
        out = os.path.join(self.tmp, "reports")
        self.assertEqual(run_report(run, out).returncode, 0)
        self.assertIn("The model's commit is not recorded in this `explain.json`.",
                      read(os.path.join(out, "coordination-overhead.md")))
        with open(os.path.join(run, "explain.json"), encoding="utf-8") as f:
            explain = json.load(f)
        explain["environment"] = {"commit": "abc1234"}
        with open(os.path.join(run, "explain.json"), "w", encoding="utf-8") as f:
            json.dump(explain, f)
        self.assertEqual(run_report(run, out).returncode, 0)
        self.assertIn("The model was computed at commit `abc1234` from measurements taken at "
                      "`87daa97-dirty`", read(os.path.join(out, "coordination-overhead.md")))

    def test_a_broken_json_file_is_named_in_a_clear_error(self):
        run = os.path.join(self.tmp, "run")
        shutil.copytree(RUN, run)
        with open(os.path.join(run, "default.json"), "w", encoding="utf-8") as f:
            f.write('{"format": "streamgauge-matrix-result/1", "cells": [')
        result = run_report(run, os.path.join(self.tmp, "reports"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("default.json: not valid JSON (line 1", result.stderr)
        self.assertNotIn("Traceback", result.stderr)

    def test_a_run_format_it_does_not_know_is_refused_with_a_clear_message(self):
        run = os.path.join(self.tmp, "run")
        shutil.copytree(RUN, run)
        with open(os.path.join(run, "default.json"), encoding="utf-8") as f:
            result = json.load(f)
        result["format"] = "streamgauge-matrix-result/2"
        with open(os.path.join(run, "default.json"), "w", encoding="utf-8") as f:
            json.dump(result, f)
        r = run_report(run, os.path.join(self.tmp, "reports"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("a run format this scripts/report does not know", r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        # The right format string but cells of another shape: refused, naming what is lacking.
        result["format"] = "streamgauge-matrix-result/1"
        del result["cells"][0]["samples"][0]["wall_ns"]
        with open(os.path.join(run, "default.json"), "w", encoding="utf-8") as f:
            json.dump(result, f)
        r = run_report(run, os.path.join(self.tmp, "reports"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("lacks samples[0].wall_ns", r.stderr)
        self.assertNotIn("Traceback", r.stderr)

    def test_a_folder_of_unknown_files_is_refused(self):
        run = os.path.join(self.tmp, "old-run")
        os.makedirs(run)
        with open(os.path.join(run, "results.json"), "w", encoding="utf-8") as f:
            f.write("{}")
        r = run_report(run, os.path.join(self.tmp, "reports"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("holds results.json but none of the files this scripts/report reads", r.stderr)


class ReportEngineAlone(unittest.TestCase):
    """peers.md shows bench_engine's rates (median [min-max] of items_per_second) and the CPU it
    was pinned to, or a missing section without it."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="report-test-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def peers_of(self, with_engine_bench):
        run = os.path.join(self.tmp, "run")
        shutil.copytree(RUN, run)
        if with_engine_bench:
            reps = [{"name": "Scenario3a_TumblingFinal/1000", "run_name":
                     "Scenario3a_TumblingFinal/1000", "run_type": "iteration", "real_time": t,
                     "cpu_time": t, "time_unit": "ms", "items_per_second": rate,
                     "rows_out_per_input": 0.317} for t, rate in
                    ((50.0, 20.0e6), (48.0, 20.8e6), (55.0, 18.2e6))]
            with open(os.path.join(run, "microbench", "bench_engine.json"), "w",
                      encoding="utf-8") as f:
                json.dump({"context": {}, "benchmarks": reps}, f)
            with open(os.path.join(run, "microbench", "bench_engine.cpu.txt"), "w",
                      encoding="utf-8") as f:
                f.write("1\n")
        out = os.path.join(self.tmp, "reports")
        result = run_report(run, out)
        self.assertEqual(result.returncode, 0, result.stderr)
        return read(os.path.join(out, "peers.md"))

    def test_rates_and_the_pinned_cpu_are_shown(self):
        peers = self.peers_of(True)
        self.assertIn("| `Scenario3a_TumblingFinal/1000` | 20.00M [18.20M–20.80M] | 3 | 0.317 |",
                      peers)
        self.assertIn("pinned to cpu1", peers)

    def test_without_the_microbench_the_section_says_it_is_missing(self):
        peers = self.peers_of(False)
        self.assertIn("The engine alone (microbench `bench_engine`): missing input", peers)


class ReportCpuProbe(unittest.TestCase):
    """scripts/run's per-CPU probe (cpu_speed.txt) reaches the method page (once, not in each
    report), and cores more than 15% apart are flagged."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="report-test-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def method_of(self, probe_lines, engine_cpu=None, slowed_readings=()):
        run = os.path.join(self.tmp, "run")
        shutil.rmtree(run, ignore_errors=True)
        shutil.copytree(RUN, run)
        for reading in slowed_readings:  # as scripts/run leaves a reading it read again
            os.makedirs(os.path.join(run, "microbench-slowed", reading))
            with open(os.path.join(run, "microbench-slowed", f"{reading}.txt"), "w",
                      encoding="utf-8") as f:
                f.write("its console output\n")
        with open(os.path.join(run, "cpu_speed.txt"), "w", encoding="utf-8") as f:
            f.write(probe_lines)
        pin = os.path.join(run, "microbench", "bench_engine.cpu.txt")
        if engine_cpu is not None:
            os.makedirs(os.path.dirname(pin), exist_ok=True)
            with open(pin, "w", encoding="utf-8") as f:
                f.write(f"{engine_cpu}\n")
        elif os.path.exists(pin):
            os.remove(pin)
        out = os.path.join(self.tmp, "reports")
        result = run_report(run, out)
        self.assertEqual(result.returncode, 0, result.stderr)
        for name in REPORTS:  # the probe is said once, on the method page
            self.assertNotIn("Per-CPU probe", read(os.path.join(out, name)), name)
        self.overhead = read(os.path.join(out, "coordination-overhead.md"))
        return [read(os.path.join(out, "method.md"))]

    def test_uneven_cpus_are_flagged_on_the_method_page(self):
        # cpu1 past the threshold below cpu0 at the start; both usual at the end.
        for method in self.method_of(f"start 0 {USUAL}\nstart 1 {SLOWED}\nend 0 {USUAL}\n"
                                     f"end 1 {USUAL}\n"):
            self.assertIn(f"start cpu0 {USUAL:.2f}, cpu1 {SLOWED:.2f}; end cpu0 {USUAL:.2f}, "
                          f"cpu1 {USUAL:.2f}", method)
            self.assertIn("The CPUs ran at different speeds", method)

    def test_the_engine_benchmark_cpu_and_the_probe_before_it_are_shown(self):
        methods = self.method_of(f"start 0 {USUAL}\nstart 1 {USUAL}\nengine 0 {SLOWED}\n"
                                 f"engine 1 {USUAL}\nend 0 {USUAL}\nend 1 {USUAL}\n",
                                 engine_cpu=1)
        for method in methods:
            self.assertIn(f"before the microbenches cpu0 {SLOWED:.2f}, cpu1 {USUAL:.2f}", method)
            self.assertIn("`bench_engine` (single-threaded) ran pinned to cpu1", method)
            self.assertIn("The CPUs ran at different speeds", method)

    def test_even_cpus_are_shown_without_a_flag(self):
        # Every probe within the threshold of every other.
        for method in self.method_of(f"start 0 {USUAL}\nstart 1 {NEARLY}\nend 0 {NEARLY}\n"
                                     f"end 1 {USUAL}\n"):
            self.assertIn("Per-CPU probe", method)
            self.assertNotIn("different speeds", method)
            self.assertNotIn("ran pinned", method)
            self.assertNotIn("host slowed", method)
        self.assertNotIn("host slowed", self.overhead)

    def test_a_host_that_slowed_the_run_is_flagged_where_the_model_is_judged(self):
        # Even CPUs at each probe, both slowed in the middle of the run; the probes of all CPUs
        # at once do not count. cpu1 moved the most (its usual rate is a little lower), so it is
        # the one named, with its own slowest and fastest rates.
        step = USUAL / 100
        probes = (f"start 0 {USUAL + step}\nstart 1 {USUAL}\nscaling 0 {SLOWED + step}\n"
                  f"scaling 1 {SLOWED}\nscaling-parallel 0 {TOGETHER}\n"
                  f"scaling-parallel 1 {TOGETHER}\nend 0 {USUAL}\nend 1 {USUAL - step}\n")
        for method in self.method_of(probes):
            self.assertNotIn("different speeds", method)
            self.assertIn(f"The host slowed this VM during the run**: alone on cpu1 the probe "
                          f"read {SLOWED:.2f} M records/s at its slowest and {USUAL:.2f} at its "
                          f"fastest ({100 * (1 - SLOWED / USUAL):.0f}% slower)", method)
        self.assertIn("The host slowed this VM during the run", self.overhead)
        self.assertIn("the shares above move with the host", self.overhead)
        self.assertNotIn("read again", self.overhead)

    def test_readings_read_again_for_a_slowed_host_are_named(self):
        probes = (f"start 0 {SLOWED}\nstart 1 {SLOWED}\nengine 0 {USUAL}\nengine 1 {USUAL}\n"
                  f"end 0 {USUAL}\nend 1 {USUAL}\nreread 0 {USUAL}\nreread 1 {USUAL}\n")
        for method in self.method_of(probes, slowed_readings=["microbench-earlier"]):
            self.assertIn(f"before reading slowed microbenches again cpu0 {USUAL:.2f}", method)
            self.assertIn("taken while it did (`microbench-earlier/`) were read again at the end "
                          "of the run", method)
        self.assertIn("`microbench-slowed/`", self.overhead)


class HostSpeedRule(unittest.TestCase):
    """scripts/report_lib/host_speed.py PATH WHEN, as scripts/run calls it to decide whether a
    microbench reading is read again: exit 0 (and why) when the probe WHEN read a CPU more than
    CPU_SPEED_SPREAD below that CPU's median over the run's probes alone, 1 when not, 2 (and a
    message naming the file) when it cannot tell."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="host-speed-test-")
        self.path = os.path.join(self.tmp, "cpu_speed.txt")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def call(self, when):
        return subprocess.run(["python3", HOST_SPEED_SCRIPT, self.path, when],
                              capture_output=True, text=True, timeout=60)

    def slowed(self, probes, when):
        with open(self.path, "w", encoding="utf-8") as f:
            f.write("".join(f"{w} {cpu} {rate}\n" for w, cpu, rate in probes))
        result = self.call(when)
        self.assertIn(result.returncode, (0, 1), result.stderr)
        return result.stdout.strip() if result.returncode == 0 else None

    def test_a_slowed_start_is_found_and_the_others_are_not(self):
        probes = [("start", 0, USUAL), ("start", 1, SLOWED), ("engine", 0, USUAL),
                  ("engine", 1, USUAL), ("end", 0, USUAL), ("end", 1, USUAL)]
        why = self.slowed(probes, "start")
        self.assertEqual(why, f"the probe 'start' read cpu1 at {SLOWED:.2f} M records/s "
                              f"against a median of {USUAL:.2f} over the run's probes "
                              f"({100 * (1 - SLOWED / USUAL):.0f}% slower)")
        self.assertIsNone(self.slowed(probes, "engine"))
        self.assertIsNone(self.slowed(probes, "end"))
        self.assertIsNone(self.slowed(probes, "scaling"))  # a probe the run did not take

    def test_a_probe_just_inside_the_threshold_is_not_slowed(self):
        probes = [("start", 0, NEARLY), ("engine", 0, USUAL), ("end", 0, USUAL)]
        self.assertIsNone(self.slowed(probes, "start"))

    def test_all_cpus_at_once_neither_counts_nor_sets_the_median(self):
        probes = [("start", 0, USUAL), ("scaling-parallel", 0, TOGETHER),
                  ("scaling-parallel", 0, TOGETHER), ("engine", 0, USUAL), ("end", 0, USUAL)]
        self.assertIsNone(self.slowed(probes, "start"))
        self.assertIsNone(self.slowed(probes, "scaling-parallel"))

    def test_a_host_slow_for_most_of_the_run_leaves_the_median_slow(self):
        # The median is the run's usual speed: a fast moment is not a slowed one elsewhere.
        probes = [("start", 0, SLOWED), ("engine", 0, SLOWED), ("end", 0, USUAL)]
        self.assertIsNone(self.slowed(probes, "start"))

    def test_two_probes_cannot_say_which_one_is_odd(self):
        self.assertIsNone(self.slowed([("start", 0, SLOWED), ("end", 0, USUAL)], "start"))

    def test_a_missing_file_is_named_not_taken_for_a_normal_probe(self):
        result = self.call("start")  # self.path was never written
        self.assertEqual(result.returncode, 2)
        self.assertIn(f"cannot read {self.path}", result.stderr)
        self.assertEqual(result.stdout, "")


class OnACopyOfTheSavedRun(unittest.TestCase):
    """A fresh copy of the saved run in self.run for each test, which the test may edit."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="report-test-")
        self.run = os.path.join(self.tmp, "run")
        shutil.copytree(RUN, self.run)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def report_text(self, name):
        out = os.path.join(self.tmp, "reports")
        result = run_report(self.run, out)
        self.assertEqual(result.returncode, 0, result.stderr)
        return read(os.path.join(out, name))


class ReportCrossCoreRegime(OnACopyOfTheSavedRun):
    """A matrix probed before each pair says, in its report's method block, what the probe saw
    and how many pairs ran in another cross-core regime; an unprobed one says nothing of it."""

    def test_the_method_block_counts_the_pairs_outside_the_regime(self):
        path = os.path.join(self.run, "default.json")
        with open(path, encoding="utf-8") as f:
            matrix = json.load(f)
        self.assertNotIn("probed before each pair", self.report_text("coordination-overhead.md"))
        # Only the probes: a "paired" without a ratio changes no figure of the saved run.
        probed = 0
        for cell in matrix["cells"]:
            if cell.get("status") == "ok" and cell.get("strategy") != "direct" and probed < 3:
                cell.setdefault("summary", {})["paired"] = {
                    "line_round_trip_ns": [64, 66, 62, 250, 64, 31, 63, 64, 70, 240]}
                probed += 1
        self.assertEqual(probed, 3)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(matrix, f)
        method = self.report_text("coordination-overhead.md").split("## Method", 1)[1]
        # Median 64 over 30 probes; 250, 31 and 240 in each cell fall outside 43-96 ns.
        self.assertIn("probed before each pair: median 64 ns; 9 of 30 pairs (30%) ran in another "
                      "cross-core regime (outside 43-96 ns)", method)


class ReportMachineCeiling(OnACopyOfTheSavedRun):
    """The partition-scaling section sets the speed-ups beside the machine's own ceiling: the
    probe on all CPUs at once (scripts/run, just before the scaling matrix) over the best CPU
    alone."""

    def architecture_of(self, probe_lines):
        with open(os.path.join(self.run, "cpu_speed.txt"), "w", encoding="utf-8") as f:
            f.write(probe_lines)
        return self.report_text("architecture-comparison.md")

    def test_the_ceiling_is_the_summed_parallel_rate_over_the_best_alone(self):
        # Alone 10.0 and 9.6; at once 9.0 and 5.5: (9.0 + 5.5) / 10.0 = 1.45.
        text = self.architecture_of("scaling 0 10.0\nscaling 1 9.6\n"
                                    "scaling-parallel 0 9.0\nscaling-parallel 1 5.5\n")
        self.assertIn("ceiling for 2 independent engines was 1.45x", text)
        self.assertIn("share of the machine's ceiling", text)
        table = text.split("share of the machine's ceiling", 1)[1].split("\n\n", 1)[0]
        self.assertRegex(table, r"lockless_stp p2 \|.*\| \d+% \|")
        method = read(os.path.join(self.tmp, "reports", "method.md"))
        self.assertIn("then on all CPUs at once cpu0 9.00, cpu1 5.50", method)
        # CPUs slower together than alone are expected, not uneven cores.
        self.assertNotIn("different speeds", method)

    def test_without_the_parallel_probe_the_section_says_so(self):
        text = self.architecture_of("start 0 9.6\nstart 1 9.2\n")
        self.assertIn("no all-CPUs-at-once probe", text)
        self.assertRegex(text, r"\| lockless_stp p2 \|.*\| — \|\n")


class ReportTargets(OnACopyOfTheSavedRun):
    """architecture-comparison.md opens with the strategies' speed targets: ratios against direct
    from matrix `targets`, start-up times from bench_startup, each judged by its median."""

    def setUp(self):
        super().setUp()
        # The saved run has no bench_startup (other tests check what a missing one does); these
        # benchmarks come from a full run's, the two pooled ones from a later run of them alone.
        shutil.copy(os.path.join(HERE, "data", "report", "bench_startup.json"),
                    os.path.join(self.run, "microbench", "bench_startup.json"))

    def set_wall(self, walls_by_id_prefix):
        path = os.path.join(self.run, "targets.json")
        with open(path, encoding="utf-8") as f:
            result = json.load(f)
        result["environment"]["slot_cpus"] = "1,0"
        for cell in result["cells"]:
            for prefix, wall in walls_by_id_prefix.items():
                if cell["id"].startswith(prefix):
                    for sample in cell["samples"]:
                        sample["wall_ns"] = wall
        with open(path, "w", encoding="utf-8") as f:
            json.dump(result, f)

    def section(self):
        text = self.report_text("architecture-comparison.md")
        return text.split("## The strategies' speed targets", 1)[1].split("\n## ", 1)[0]

    def test_each_target_is_judged_by_its_median(self):
        self.set_wall({"s0_pure_select/direct/sql/b1000/p1/": 1_000_000,
                       "s0_pure_select/batch_lock/sql/b1000/p1/": 1_020_000,
                       "s0_pure_select/adaptive/sql/b1000/p1/": 1_500_000,
                       "s2_group_by/direct/sql/b1000/p1/": 1_000_000,
                       "s2_group_by/lockless_stp/sql/b1000/p2/": 500_000})
        text = self.section()
        self.assertRegex(text, r"batch_lock, batch 1000.*slowdown at most 1\.03x \| 1\.02x "
                               r"\[1\.02–1\.02\] \| \*\*met\*\*")
        self.assertRegex(text, r"adaptive, 1 partition.*slowdown at most 1\.25x \| 1\.50x "
                               r"\[1\.50–1\.50\] \| \*\*not met\*\*")
        self.assertRegex(text, r"lockless_stp, 2 partitions.*speed-up at least 1\.70x \| 2\.00x "
                               r"\[2\.00–2\.00\] \| \*\*met\*\*")
        # From the fixture's bench_startup: spawn-less 46.6 ns, eager 59.5 us.
        self.assertRegex(text, r"spawn-less start-up.*under 2\.00 µs \| 46\.6 ns .*\*\*met\*\*")
        self.assertRegex(text, r"eager start-up.*started per query.*under 40\.00 µs \| 59\.53 µs "
                               r".*\*\*not met\*\*")
        self.assertRegex(text, r"parked pool thread \(pooled, blocking waits\).*under 40\.00 µs "
                               r"\| 48\.98 µs .*\*\*not met\*\*")
        self.assertRegex(text, r"pool thread spinning up to 100 µs.*under 40\.00 µs \| 21\.33 µs "
                               r".*\*\*met\*\*")
        self.assertIn("The spinning pool busy-waited 13.68 µs per query", text)
        self.assertIn("A bare thread start and join took 67.51 µs", text)
        self.assertIn("Pinned slots 0, 1, ... ran on CPUs 1, 0 in that order", text)

    def test_the_ceiling_just_before_the_matrix_is_set_beside_the_speed_up(self):
        self.set_wall({"s2_group_by/direct/sql/b1000/p1/": 1_000_000,
                       "s2_group_by/lockless_stp/sql/b1000/p2/": 500_000})
        # Alone 10.0 and 9.6; at once 9.0 and 5.5: (9.0 + 5.5) / 10.0 = 1.45.
        with open(os.path.join(self.run, "cpu_speed.txt"), "w", encoding="utf-8") as f:
            f.write("targets 0 10.0\ntargets 1 9.6\n"
                    "targets-parallel 0 9.0\ntargets-parallel 1 5.5\n")
        text = self.section()
        self.assertIn("summed to 1.45x the best CPU alone", text)
        self.assertIn("lockless_stp p2's 2.00x is 138% of it", text)
        os.remove(os.path.join(self.run, "cpu_speed.txt"))
        self.assertNotIn("Just before this matrix", self.section())

    def test_a_missing_matrix_or_microbench_is_said_not_hidden(self):
        os.remove(os.path.join(self.run, "targets.json"))
        os.remove(os.path.join(self.run, "microbench", "bench_startup.json"))
        text = self.section()
        self.assertIn("Matrix targets: missing input", text)
        self.assertEqual(text.count("not in this run"), 4)  # every start-up target
        self.assertNotIn("**met**", text)


class ReportQueueCapacity(OnACopyOfTheSavedRun):
    """architecture-comparison.md has a queue-capacity section: adaptive p1 against direct at each
    capacity of matrix `queue_capacity`, with the waits that cost wake-ups."""

    def section(self):
        text = self.report_text("architecture-comparison.md")
        return text.split("## Queue capacity (matrix `queue_capacity`)", 1)[1].split("\n## ", 1)[0]

    def test_each_capacity_is_a_row_with_its_slowdown_and_waits(self):
        path = os.path.join(self.run, "queue_capacity.json")
        with open(path, encoding="utf-8") as f:
            result = json.load(f)
        walls = {"/direct/": 1_000_000, "/c4096/": 1_300_000, "/c65536/": 1_200_000}
        for cell in result["cells"]:
            for part, wall in walls.items():
                if part in cell["id"]:
                    for sample in cell.get("samples", []):  # the skipped duplicate has none
                        sample["wall_ns"] = wall
        with open(path, "w", encoding="utf-8") as f:
            json.dump(result, f)
        text = self.section()
        # The saved quick run: 20,000 records; at 4,096 the reader waited 4 times and the worker
        # once per repetition, i.e. 200 and 50 per 1M records.
        self.assertRegex(text, r"\| 1 \| 0 \| 4,096 \| .* \| 1\.30x \[1\.30–1\.30\] \| 200 / 50 \|")
        self.assertRegex(text, r"\| 1 \| 0 \| 65,536 \| .* \| 1\.20x \[1\.20–1\.20\] \| 0 / 50 \|")
        self.assertLess(text.index("| 4,096 |"), text.index("| 65,536 |"))
        self.assertIn("threads pinned, against `direct`", text)  # the saved run's cells are

    def test_injected_cells_are_rows_of_their_own_against_plain_direct(self):
        path = os.path.join(self.run, "queue_capacity.json")
        with open(path, encoding="utf-8") as f:
            result = json.load(f)

        def copy_of(part, wall, **config):
            cell = copy.deepcopy(next(c for c in result["cells"]
                                      if part in c["id"] and c.get("samples")))
            cell["id"] += "/w400"
            cell["config"].update(config, injected_work=400)
            cell["summary"].pop("baseline", None)  # no pairs: compared by the walls
            for sample in cell["samples"]:
                sample["wall_ns"] = wall
            return cell

        for cell in result["cells"]:
            if "/direct/" in cell["id"]:
                for sample in cell.get("samples", []):  # the skipped duplicate has none
                    sample["wall_ns"] = 1_000_000
        result["cells"].append(copy_of("/c65536/", 3_000_000, partitions=2))
        with open(path, "w", encoding="utf-8") as f:
            json.dump(result, f)
        text = self.section()
        self.assertRegex(text, r"\| 2 \| 400 \| 65,536 \| .* \| 3\.00x \[3\.00–3\.00\] \|")
        # The block without injected work comes first.
        self.assertLess(text.index("| 1 | 0 | 4,096 |"), text.index("| 2 | 400 | 65,536 |"))

    def test_a_missing_matrix_is_said_not_hidden(self):
        os.remove(os.path.join(self.run, "queue_capacity.json"))
        text = self.section()
        self.assertIn("Queue capacity: missing input", text)
        self.assertNotIn("| 4,096 |", text)


class ReportEndOfStream(OnACopyOfTheSavedRun):
    """zero-copy.md sets the seed's end of stream (empty reads with sleeps) beside the end marker,
    per strategy and record count, from matrix `end_of_stream`, and opens with what it added."""

    def test_each_pair_shows_the_added_time_and_the_finding_says_it(self):
        with open(os.path.join(HERE, "data", "report", "end_of_stream.json"),
                  encoding="utf-8") as f:
            result = json.load(f)
        for cell in result["cells"]:
            wall = 201_000_000 if cell["id"].endswith("/eos-empty3x100ms") else 1_000_000
            for sample in cell.get("samples", []):
                sample["wall_ns"] = wall
        with open(os.path.join(self.run, "end_of_stream.json"), "w", encoding="utf-8") as f:
            json.dump(result, f)
        text = self.report_text("zero-copy.md")
        section = text.split("## End of stream", 1)[1].split("\n## ", 1)[0]
        self.assertRegex(section, r"\| batch_lock \| 10,000 \| empty-reads:3/100ms \| .* \| "
                                  r"200\.00 ms \| 200\.00 ms \| 201\.00x \[201\.00–201\.00\] \|")
        self.assertRegex(section, r"\| lockless_stp \| 10,000 \| empty-reads:3/100ms \|")
        findings = text.split("## Findings", 1)[1].split("\n## ", 1)[0]
        self.assertIn("Ending the stream by 3 empty reads 100 ms apart (seed 002's rule) added "
                      "200.00 ms to a 10,000-record `batch_lock` job (201.0x its time with the "
                      "end marker)", findings)

    def test_without_the_matrix_the_section_says_it_is_missing(self):
        text = self.report_text("zero-copy.md")
        self.assertIn("End of stream: missing input", text)
        self.assertNotIn("Ending the stream by", text)


class ReportSources(OnACopyOfTheSavedRun):
    """zero-copy.md sets adaptive and lockless_stp on the lent, shared and materialized sources
    side by side (matrix `sources`), each by its paired ratio over direct on the same source with
    its interval, with direct's read phase and the model's crossing terms."""

    @staticmethod
    def cell(strategy, source, partitions, paired=None, read_ns=0):
        cell_id = f"s0_pure_select/{strategy}/sql/b1000/p{partitions}/n1000/src-{source}"
        sample = {"wall_ns": 1_000_000,
                  "threads": [{"lifetime_ns": 1_000_000, "phase_ns": {"read": read_ns}}]}
        summary = {"records_per_second": {"n": 1, "median": 1e9, "min": 1e9, "max": 1e9,
                                          "cv": 0}}
        if paired:
            summary["paired"] = {"low": paired[0], "ratio": paired[1], "high": paired[2]}
        return {"id": cell_id, "scenario": "s0_pure_select", "strategy": strategy,
                "records": 1000, "status": "ok",
                "config": {"engine": "sql", "batch_size": 1000, "partitions": partitions,
                           "source": source},
                "samples": [sample], "summary": summary}

    def write_matrix(self):
        cells = []
        for source, read_ns, lent_like in (("lent", 0, (1.10, 1.12, 1.15)),
                                           ("shared", 29_000, (0.95, 0.97, 0.99)),
                                           ("materialized", 50_000, (1.30, 1.35, 1.41))):
            cells.append(self.cell("direct", source, 1, read_ns=read_ns))
            cells.append(self.cell("adaptive", source, 1, lent_like))
        cells.append(self.cell("lockless_stp", "lent", 2, (0.55, 0.60, 0.66)))
        result = {"format": "streamgauge-matrix-result/1",
                  "matrix": {"name": "sources", "repetitions": 7, "warmup": 1},
                  "environment": {"cores": 2}, "cells": cells}
        with open(os.path.join(self.run, "sources.json"), "w", encoding="utf-8") as f:
            json.dump(result, f)
        explain = {"format": "streamgauge-explain/3", "method": "a test fixture", "rows": [
            {"cell": "s0_pure_select/adaptive/sql/b1000/p1/n1000/src-materialized",
             "strategy": "adaptive", "measured_ns_per_record": 40.0, "paired": True,
             "measured_low_ns_per_record": 33.0, "measured_high_ns_per_record": 45.0,
             "predicted_ns_per_record": 36.0, "explained_pct": 90.0, "within_noise": False,
             "components": [{"name": "record_lines", "predicted_ns_per_record": 12.0},
                            {"name": "remote_frees", "predicted_ns_per_record": 8.0},
                            {"name": "queue_pop", "predicted_ns_per_record": 16.0}]}]}
        with open(os.path.join(self.run, "explain_sources.json"), "w", encoding="utf-8") as f:
            json.dump(explain, f)

    def test_each_strategy_is_a_row_with_a_paired_ratio_per_source(self):
        self.write_matrix()
        text = self.report_text("zero-copy.md")
        section = text.split("## Records born on the reader", 1)[1].split("\n## ", 1)[0]
        self.assertIn("| `s0_pure_select` | adaptive p1 | 1.12x [1.10–1.15] | 0.97x [0.95–0.99] | "
                      "1.35x [1.30–1.41] |", section)
        self.assertIn("| `s0_pure_select` | lockless_stp p2 | 0.60x [0.55–0.66] | not in this run "
                      "| not in this run |", section)
        self.assertIn("| `s0_pure_select` | `materialized` | 1000.00M [1000.00M–1000.00M] | "
                      "50.0 ns |", section)
        self.assertIn("| 40.0 ns [33.0 ns to 45.0 ns] | 36.0 ns | 20.0 ns | 90.0% |", section)
        findings = text.split("## Findings", 1)[1].split("\n## ", 1)[0]
        self.assertIn("adaptive with one partition took 1.12x [1.10–1.15] the time of direct on "
                      "lent records and 1.35x [1.30–1.41] on records decoded by its reader",
                      findings)
        self.assertIn("pays for them crossing to the worker's core", findings)

    def test_without_the_matrix_the_section_says_it_is_missing(self):
        text = self.report_text("zero-copy.md")
        self.assertIn("Sources: missing input", text)
        self.assertIn("The model over the sources: missing input", text)


class ReportHandoff(OnACopyOfTheSavedRun):
    """zero-copy.md runs seed 002's Arc<StreamRecord> change end to end (matrix `handoff`):
    adaptive's hand-off by move, share and deep-copy, each against direct, deep-copy against
    share by the ratio of their paired ratios, judged against the seed's +28.5%."""

    @staticmethod
    def cell(strategy, handoff, paired=None, rate=1e6):
        suffix = "" if handoff == "move" else f"/h-{handoff}"
        sample = {"wall_ns": 1_000_000}  # a hand-written fixture: 1,000 ns a record, not measured
        summary = {"records_per_second": {"n": 1, "median": rate, "min": rate, "max": rate,
                                          "cv": 0}}
        if paired:
            summary["paired"] = {"low": paired[0], "ratio": paired[1], "high": paired[2]}
        return {"id": f"s0_pure_select/{strategy}/sql/b1000/p1/n1000/src-materialized{suffix}",
                "scenario": "s0_pure_select", "strategy": strategy, "records": 1000,
                "status": "ok",
                "config": {"engine": "sql", "batch_size": 1000, "partitions": 1,
                           "source": "materialized", "handoff": handoff},
                "samples": [sample], "summary": summary}

    def write_matrix(self, share_paired):
        cells = [self.cell("direct", "move"),
                 self.cell("adaptive", "move", (1.30, 1.35, 1.40), rate=740_000),
                 self.cell("adaptive", "share", share_paired, rate=600_000),
                 self.cell("adaptive", "deep-copy", (2.00, 2.05, 2.10), rate=500_000)]
        result = {"format": "streamgauge-matrix-result/1",
                  "matrix": {"name": "handoff", "repetitions": 7, "warmup": 1},
                  "environment": {"cores": 2}, "cells": cells}
        with open(os.path.join(self.run, "handoff.json"), "w", encoding="utf-8") as f:
            json.dump(result, f)

    def section(self, text):
        return text.split("## Seed 002's pipeline end to end", 1)[1].split("\n## ", 1)[0]

    def test_the_model_table_shows_each_cells_copy_term(self):
        self.write_matrix((1.60, 1.65, 1.70))
        explain = {"format": "streamgauge-explain/3", "method": "a test fixture", "rows": [
            {"cell": "s0_pure_select/adaptive/sql/b1000/p1/n1000/src-materialized/h-deep-copy",
             "strategy": "adaptive", "measured_ns_per_record": 80.0, "paired": True,
             "measured_low_ns_per_record": 70.0, "measured_high_ns_per_record": 90.0,
             "predicted_ns_per_record": 72.0, "explained_pct": 90.0, "within_noise": False,
             "components": [{"name": "record_copies", "predicted_ns_per_record": 58.0},
                            {"name": "queue_pop", "predicted_ns_per_record": 14.0}]}]}
        with open(os.path.join(self.run, "explain_handoff.json"), "w", encoding="utf-8") as f:
            json.dump(explain, f)
        section = self.section(self.report_text("zero-copy.md"))
        self.assertIn("| `s0_pure_select` adaptive p1 `deep-copy` | 80.0 ns [70.0 ns to 90.0 ns] | "
                      "72.0 ns | 58.0 ns | 90.0% |", section)

    def test_a_gain_inside_the_seeds_band_is_reproduced_with_its_ns_beside(self):
        self.write_matrix((1.60, 1.65, 1.70))
        text = self.report_text("zero-copy.md")
        section = self.section(text)
        # deep-copy over share: 2.05 / 1.65 = 1.24 [2.00 / 1.70 = 1.18, 2.10 / 1.60 = 1.31].
        self.assertIn("| `s0_pure_select` | adaptive p1 | `share` | 600.0K [600.0K–600.0K] | "
                      "1.65x [1.60–1.70] | 1.22x [1.14–1.31] |", section)
        self.assertIn("| `s0_pure_select` | adaptive p1 | `deep-copy` | 500.0K [500.0K–500.0K] "
                      "| 2.05x [2.00–2.10] | 1.52x [1.43–1.62] |", section)
        self.assertIn("**Verdict: reproduced.**", section)
        self.assertIn("took 1.24x [1.18–1.31] the time of the same pipeline sharing", section)
        # (2.05 - 1.65) x 1,000 ns of direct per record; the deep-copy cell's 2.00 µs a record.
        self.assertIn("That is 400.0 ns a record against the seed's 773.5 ns", section)
        self.assertIn("out of a record's 2.00 µs here before the change", section)
        findings = self.section(text.replace("## Findings", "## Seed 002's pipeline end to end"))
        self.assertIn("a deep copy at the hand-off took 1.24x [1.18–1.31] the time of sharing",
                      findings)
        self.assertIn("a cost worth removing", findings)
        self.assertIn("The model over the hand-offs: missing input", section)

    def test_a_median_in_the_band_with_an_interval_reaching_no_gain_says_so(self):
        # deep-copy over share: 2.05 / 1.76 = 1.165, inside the band 1.1425-1.57; its interval
        # [2.00 / 2.10 = 0.95, 2.10 / 1.40 = 1.50] reaches below 1.
        self.write_matrix((1.40, 1.76, 2.10))
        text = self.report_text("zero-copy.md")
        self.assertIn("**Verdict: reproduced.**", self.section(text))
        self.assertIn("the median gain is the seed's order, but the interval reaches no gain at "
                      "all", text)

    def test_a_gain_far_below_the_seeds_is_not_reproduced(self):
        # deep-copy over share: 2.05 / 2.00 = 1.025 [2.00 / 2.04 = 0.98, 2.10 / 1.96 = 1.07].
        self.write_matrix((1.96, 2.00, 2.04))
        text = self.report_text("zero-copy.md")
        self.assertIn("**Verdict: not reproduced here.**", self.section(text))
        self.assertIn("made no difference beyond the passes' spread", text)

    def test_without_the_matrix_the_copy_microbench_is_the_finding(self):
        text = self.report_text("zero-copy.md")
        self.assertIn("Hand-offs: missing input", text)
        findings = text.split("## Findings", 1)[1].split("\n## ", 1)[0]
        self.assertIn("A deep copy of a record took", findings)


class ReportQueues(OnACopyOfTheSavedRun):
    """architecture-comparison.md compares the five queues per partition count and batch size
    (matrix `queues`), and opens with the spread they give."""

    def test_each_queue_is_a_column_per_partition_count_and_the_finding_names_the_worst(self):
        with open(os.path.join(HERE, "data", "report", "queues.json"), encoding="utf-8") as f:
            result = json.load(f)
        for cell in result["cells"]:
            wall = 1_000_000
            if cell["strategy"] == "adaptive":
                slow = cell["config"]["queue"] == "boost-mpmc"
                wall = 5_000_000 if slow else 1_200_000
            for sample in cell.get("samples", []):
                sample["wall_ns"] = wall
        with open(os.path.join(self.run, "queues.json"), "w", encoding="utf-8") as f:
            json.dump(result, f)
        text = self.report_text("architecture-comparison.md")
        section = text.split("## The five queues per partition count", 1)[1]
        self.assertIn("### Engine `sql`, 1 partition", section)
        self.assertIn("### Engine `sql`, 2 partitions", section)
        self.assertIn("| batch | `boost-mpmc` | `boost-spsc` | `moodycamel` | `moodycamel-rw` | "
                      "`mutex` |", section)
        self.assertRegex(section, r"\| 1,000 \| [^|]*; 5\.00x \| [^|]*; 1\.20x \|")
        findings = text.split("## Findings", 1)[1].split("\n## ", 1)[0]
        self.assertIn("1.20x (`boost-spsc`) to 5.00x (`boost-mpmc`) at batch 1,000", findings)
        self.assertIn("`boost-mpmc` stays slow even in large batches", findings)

    def test_without_the_matrix_the_section_says_it_is_missing(self):
        text = self.report_text("architecture-comparison.md")
        self.assertIn("Queues: missing input", text)


class ReportLockPathology(OnACopyOfTheSavedRun):
    """architecture-comparison.md judges seed 003's 750x per-record-lock figure from every
    per_record_lock case of the run and the contended locks of bench_locks."""

    def section_and_findings(self, slowdown):
        path = os.path.join(self.run, "default.json")
        with open(path, encoding="utf-8") as f:
            result = json.load(f)
        for cell in result["cells"]:
            if cell["id"].startswith("group_by_5_aggs/") and "/sql/" in cell["id"]:
                wall = {"direct": 1_000_000, "per_record_lock": int(1_000_000 * slowdown)}.get(
                    cell["strategy"])
                for sample in cell.get("samples", []) if wall else []:
                    sample["wall_ns"] = wall
        with open(path, "w", encoding="utf-8") as f:
            json.dump(result, f)
        locks = os.path.join(self.run, "microbench", "bench_locks.json")
        with open(locks, encoding="utf-8") as f:
            benches = json.load(f)
        benches["benchmarks"] = [
            {"name": n, "run_name": n, "run_type": "iteration", "real_time": t, "time_unit": "ns"}
            for n, t in (("lock/mutex_lock_unlock/uncontended", 4.0),
                         ("lock/mutex_lock_unlock/contended/real_time/threads:2", 40.0))]
        with open(locks, "w", encoding="utf-8") as f:
            json.dump(benches, f)
        text = self.report_text("architecture-comparison.md")
        section = text.split("## Per-record locking: when is it pathological?", 1)[1]
        return section.split("\n## ", 1)[0], text.split("## Findings", 1)[1].split("\n## ")[0]

    def test_a_few_times_slower_is_not_the_seeds_pathology(self):
        section, findings = self.section_and_findings(2.0)
        self.assertIn("| `default`: `group_by_5_aggs`, batch 1,000, 20,000 records | 2.00x "
                      "[2.00–2.00] |", section)
        self.assertIn("| `mutex_lock_unlock` | 4.0 ns | 40.0 ns | 36.0 ns |", section)
        self.assertIn("**Verdict: not reproduced here.**", section)
        self.assertIn("nowhere near seed 003's 750x", findings)

    def test_a_case_past_half_the_seeds_figure_reproduces_it(self):
        section, findings = self.section_and_findings(1000.0)
        self.assertIn("**Verdict: reproduced.** The worst of", section)
        self.assertIn("1000.00x [1000.00–1000.00] (`default`: `group_by_5_aggs`", section)
        self.assertIn("the pathology seed 003 reports appears here", findings)


class ReportStartupSavingsAndAnomalies(OnACopyOfTheSavedRun):
    """startup.md says what lazy and spawn-less save per row count, and checks each anomaly
    (streaming faster than direct; lazy slower than eager) against the run's CPU times and
    spreads."""

    def startup_text(self, walls, cpu_per_wall):
        with open(os.path.join(HERE, "data", "report", "startup.json"), encoding="utf-8") as f:
            result = json.load(f)
        for cell in result["cells"]:
            key = cell["strategy"] if cell["strategy"] == "direct" else \
                cell["config"]["streaming"]
            for sample in cell.get("samples", []):
                sample["wall_ns"] = walls[key] * cell["records"] // 10_000
                sample["cpu_ns"] = int(sample["wall_ns"] * cpu_per_wall.get(key, 1.0))
        with open(os.path.join(self.run, "startup.json"), "w", encoding="utf-8") as f:
            json.dump(result, f)
        return self.report_text("startup.md")

    def test_savings_and_anomalies_from_the_cells(self):
        text = self.startup_text({"direct": 1_000_000, "eager": 800_000, "lazy": 900_000,
                                  "spawnless": 700_000, "pooled": 800_000},
                                 {"eager": 1.5, "lazy": 1.5, "pooled": 1.5})
        savings = text.split("## What lazy and spawn-less save", 1)[1].split("\n## ", 1)[0]
        self.assertIn("| 10,000 | 800.00 µs | -100.00 µs (slower) | 100.00 µs (faster) | "
                      "0.0 ns (overlap) |", savings)
        self.assertIn("- At 10,000 rows: lazy costs 100.00 µs more (12.5% of eager's time); "
                      "spawnless saves 100.00 µs (12.5% of eager's time).", savings)
        anomalies = text.split("## Anomalies, checked", 1)[1].split("\n## ", 1)[0]
        self.assertIn("**Streaming faster than direct at 1,000,000 rows** (0.80x [0.80–0.80] of "
                      "direct's time, every repetition faster). Check: CPU time per wall second, "
                      "1.50 for eager streaming against 1.00 for direct: explained", anomalies)
        self.assertIn("**Lazy slower than eager at 10,000 rows** (1.12x [1.12–1.12] of eager's "
                      "time). Check: every repetition slower: unexplained", anomalies)

    def test_faster_without_more_cpu_is_flagged_unexplained(self):
        text = self.startup_text({"direct": 1_000_000, "eager": 800_000, "lazy": 800_000,
                                  "spawnless": 800_000, "pooled": 800_000}, {})
        anomalies = text.split("## Anomalies, checked", 1)[1].split("\n## ", 1)[0]
        self.assertIn("1.00 for eager streaming against 1.00 for direct: unexplained", anomalies)
        self.assertNotIn("Lazy slower", anomalies)


class ReportSeed004(OnACopyOfTheSavedRun):
    """gap-analysis.md judges seed 004's three gaps per scenario and answers its six questions
    from the run's cells, or lists a question as open."""

    def test_gaps_judged_per_scenario_and_questions_answered(self):
        path = os.path.join(self.run, "default.json")
        with open(path, encoding="utf-8") as f:
            result = json.load(f)
        for cell in result["cells"]:
            if cell["id"].startswith("s2_group_by/") and "/sql/" in cell["id"]:
                wall = {"direct": 1_000_000, "batch_lock": 50_000_000}.get(cell["strategy"])
                for sample in cell.get("samples", []) if wall else []:
                    sample["wall_ns"] = wall
        with open(path, "w", encoding="utf-8") as f:
            json.dump(result, f)
        text = self.report_text("gap-analysis.md")
        gaps = text.split("## Seed 004's three gaps, judged", 1)[1].split("\n## ", 1)[0]
        self.assertIn("| S2 `s2_group_by` | 47.5x | 50.00x [50.00–50.00] | reproduced |", gaps)
        self.assertIn("| S1 `s1_rows_window` | 2.58x | — | not measurable here |", gaps)
        self.assertIn("**Verdict: reproduced.** per scenario: S1 not measurable here, S2 "
                      "reproduced, S3a not measurable here.", gaps)
        questions = text.split("questions for investigation, answered", 1)[1]
        questions = questions.split("\n## ", 1)[0]
        self.assertEqual(len(re.findall(r"^\| [1-6] \|", questions, re.M)), 6)
        self.assertRegex(questions, r"\| 2 \| How much time in Mutex lock/unlock\? .*\| "
                                    r"\d+\.\d+% of batch_lock's time \(21 locks x ")
        self.assertRegex(questions, r"\| 6 \| Remaining unaccounted\? .*\| \d+\.\d% of "
                                    r"batch_lock's job thread is unattributed")
        # The saved run has bench_record_copies: question 3 is answered.
        self.assertNotRegex(questions, r"\| 3 \| .*\*\*open\*\*")

    def test_a_question_without_its_input_is_listed_open(self):
        os.remove(os.path.join(self.run, "microbench", "bench_locks.json"))
        text = self.report_text("gap-analysis.md")
        self.assertRegex(text, r"\| 2 \| How much time in Mutex lock/unlock\? .*\| \*\*open\*\*")


if __name__ == "__main__":
    unittest.main()
