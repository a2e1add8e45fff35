"""Keeping only the cell's passes: main-thread samples under run_pass, any other thread of the
process; set-up (data generation, reference pass) and child processes left out."""

import io
import unittest
from collections import Counter

import flamegraph_test_support  # noqa: F401  (import path)
from flamegraph_lib import folding, timed_filter

PASS = timed_filter.PASS_FRAME

# perf script -F comm,pid,tid,...: main thread 100, a worker 101, a child process (git) 200.
PERF_TEXT = f"""\
streamgauge 100/100  1.000001:    1001001 cpu-clock:
\t  10 sg::Digest::add (/b/streamgauge)
\t  20 {PASS} (/b/streamgauge)
\t  30 sg::run_matrix (/b/streamgauge)
\t  40 main (/b/streamgauge)

streamgauge 100/100  1.000002:    1001001 cpu-clock:
\t  10 sg::Generator::generate (/b/streamgauge)
\t  30 sg::run_matrix (/b/streamgauge)
\t  40 main (/b/streamgauge)

streamgauge 100/100  1.000003:    1001001 cpu-clock:
\t  10 _int_malloc (/lib/libc.so.6)
\t  11 [unknown] ([unknown])

streamgauge 100/101  1.000004:    1001001 cpu-clock:
\t  10 sg::worker_thread (/b/streamgauge)
\t  11 [unknown] (/lib/libstdc++.so.6)

streamgauge 100/101  1.000005:    1001001 cpu-clock:
\t  10 _int_malloc (/lib/libc.so.6)

git 200/200  1.000006:    1001001 cpu-clock:
\t  10 main (/usr/bin/git)
"""


class PerfSamples(unittest.TestCase):
    def kept(self):
        return folding.fold_perf_script(
            io.StringIO(PERF_TEXT),
            keep=lambda s: timed_filter.perf_sample_in_pass(s, "streamgauge"))

    def test_main_thread_only_under_run_pass_and_every_worker_sample(self):
        kept = self.kept()
        self.assertEqual(folding.total_samples(kept), 3)
        self.assertEqual(kept[("main", "sg::run_matrix", PASS, "sg::Digest::add")], 1)
        self.assertEqual(kept[("[libstdc++.so.6]", "sg::worker_thread")], 1)
        self.assertEqual(kept[("_int_malloc",)], 1)  # a worker's, though its stack is broken

    def test_pids_and_tids_are_read(self):
        samples = list(folding.iter_perf_samples(io.StringIO(PERF_TEXT)))
        self.assertEqual([(s.pid, s.tid) for s in samples],
                         [(100, 100)] * 3 + [(100, 101)] * 2 + [(200, 200)])
        self.assertEqual(samples[-1].comm, "git")

    def test_command_name_is_cut_like_the_kernel_cuts_it(self):
        self.assertEqual(timed_filter.command_name("/a/b/streamgauge"), "streamgauge")
        self.assertEqual(timed_filter.command_name("/x/a_very_long_program_name"),
                         "a_very_long_pro")


class StacksWithoutThreads(unittest.TestCase):
    def test_gperftools_stacks(self):
        folded = Counter({
            ("_start", "main", "sg::run_matrix", PASS, "sg::Strategy::run"): 5,
            ("_start", "main", "sg::run_matrix", "sg::generate_dataset"): 7,
            ("clone3", "start_thread", "sg::worker_thread"): 3,
            ("[unknown]", "malloc"): 2,
        })
        kept = timed_filter.keep_stacks_in_pass(folded)
        self.assertEqual(kept, Counter({
            ("_start", "main", "sg::run_matrix", PASS, "sg::Strategy::run"): 5,
            ("clone3", "start_thread", "sg::worker_thread"): 3,
        }))


if __name__ == "__main__":
    unittest.main()
