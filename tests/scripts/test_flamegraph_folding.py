"""Folding of saved `perf script` and `google-pprof --collapsed` output (no profiler needed).

The saved inputs come from a tiny two-thread program (tests/scripts/data/README.md):
perf_script_small.txt has 6 samples, pprof_collapsed_small.txt 5."""

import io
import unittest
from collections import Counter

from flamegraph_test_support import data_path
from flamegraph_lib import folding

LAMBDA = "main::{lambda()#1}"
WORKER_FRAMES = (
    f"std::thread::_State_impl<std::thread::_Invoker<std::tuple<{LAMBDA}> > >::_M_run",
    f"std::thread::_Invoker<std::tuple<{LAMBDA}> >::operator()",
    f"std::thread::_Invoker<std::tuple<{LAMBDA}> >::_M_invoke<0ul>",
    f"std::__invoke<{LAMBDA}>",
    f"std::__invoke_impl<void, {LAMBDA}>",
    f"{LAMBDA}::operator()",
    "sg::(anonymous namespace)::leaf_work",
)


class PerfScriptFolding(unittest.TestCase):
    def fold(self, **kwargs):
        with open(data_path("perf_script_small.txt")) as f:
            return folding.fold_perf_script(f, **kwargs)

    def test_every_sample_is_counted_once(self):
        self.assertEqual(folding.total_samples(self.fold()), 6)

    def test_stacks_are_root_first_with_offsets_stripped(self):
        folded = self.fold()
        main_stack = ("__libc_start_call_main", "main", "sg::(anonymous namespace)::leaf_work")
        self.assertEqual(folded[main_stack], 2)
        # The worker's root is an unnamed address in libstdc++: named after its library.
        self.assertEqual(folded[("[libstdc++.so.6.0.30]",) + WORKER_FRAMES], 3)

    def test_kernel_frames_are_marked(self):
        folded = self.fold()
        (startup,) = [s for s in folded if s[0] == "_dl_start_user"]
        self.assertEqual(startup[-1], "copy_mc_enhanced_fast_string_[k]")
        self.assertEqual(startup[3], "_dl_relocate_object")  # user space: unmarked
        self.assertTrue(all(f.endswith("_[k]") for f in startup[4:]))

    def test_command_name_as_root_frame_when_asked(self):
        folded = self.fold(include_comm=True)
        self.assertTrue(all(stack[0] == "t" for stack in folded))
        self.assertEqual(folding.total_samples(folded), 6)

    def test_sample_without_frames_counts_under_its_command(self):
        text = "streamgauge 10/11 [001] 5.000001: 1001001 cpu-clock:u: \n\nsg 1 2.5: x:\n"
        folded = folding.fold_perf_script(io.StringIO(text))
        self.assertEqual(folded, Counter({("streamgauge",): 1, ("sg",): 1}))

    def test_frame_before_header_names_the_line(self):
        with self.assertRaisesRegex(folding.FoldError, r"perf script:2: a stack frame before"):
            folding.fold_perf_script(io.StringIO("\n\t  1234 main+0x1 (/bin/x)\n"))

    def test_garbage_header_names_the_line(self):
        with self.assertRaisesRegex(folding.FoldError, r"x.txt:1: expected a sample header"):
            folding.fold_perf_script(io.StringIO("hello\n"), source="x.txt")


class PprofCollapsing(unittest.TestCase):
    def fold(self):
        with open(data_path("pprof_collapsed_small.txt")) as f:
            return folding.fold_pprof_collapsed(f)

    def test_duplicate_lines_are_merged(self):
        folded = self.fold()
        self.assertEqual(folding.total_samples(folded), 5)
        main_stack = ("_start", "__libc_start_main_impl", "__libc_start_call_main", "main",
                      "sg::(anonymous namespace)::leaf_work")
        self.assertEqual(folded[main_stack], 3)  # three lines of 1 in the input
        self.assertEqual(len(folded), 2)

    def test_names_lose_addresses_versions_parameters_and_return_types(self):
        folded = self.fold()
        (worker,) = [s for s in folded if s[0] == "clone3"]
        self.assertEqual(worker[3:], WORKER_FRAMES)  # the same names perf gives
        self.assertEqual(worker[2], "std::error_code::default_error_condition")
        self.assertEqual(folded[worker], 2)

    def test_bad_count_names_the_line(self):
        with self.assertRaisesRegex(folding.FoldError, r"p:2: expected a whole sample count"):
            folding.fold_pprof_collapsed(io.StringIO("a;b 1\na;b x\n"), source="p")


class CppNames(unittest.TestCase):
    def test_parameters_and_qualifiers_go(self):
        self.assertEqual(folding.tidy_cpp_name("sg::f(int, std::string const&) const"), "sg::f")
        self.assertEqual(folding.tidy_cpp_name("sg::X::operator()(int)"), "sg::X::operator()")
        self.assertEqual(folding.tidy_cpp_name("sg::X::operator()"), "sg::X::operator()")
        self.assertEqual(folding.tidy_cpp_name("(anonymous namespace)"), "(anonymous namespace)")

    def test_gcc_clones_are_named_after_their_function(self):
        name = "sg::f()::{lambda()#1}::operator()() const [clone .cold]"
        self.assertEqual(folding.tidy_cpp_name(name), "sg::f()::{lambda()#1}::operator()")

    def test_pprof_inline_marks_and_addresses_go(self):
        self.assertEqual(folding.pprof_frame_name("sg::emit(int)[inline]"), "sg::emit")
        name = "sg::S::run(sg::C const&) const<00000000000e5320>"
        self.assertEqual(folding.pprof_frame_name(name), "sg::S::run")
        self.assertEqual(folding.pprof_frame_name("0x00007f12345678"), "[unknown]")

    def test_return_types_go_but_operator_new_stays(self):
        self.assertEqual(folding.strip_return_type("void std::f<a b>"), "std::f<a b>")
        self.assertEqual(folding.strip_return_type("operator new"), "operator new")


class FoldedFiles(unittest.TestCase):
    def test_round_trip(self):
        folded = Counter({("a", "b"): 3, ("a",): 1, ("c;d",): 2})
        text = io.StringIO()
        folding.write_folded(folded, text)
        back = folding.parse_folded(io.StringIO(text.getvalue()))
        self.assertEqual(back, Counter({("a", "b"): 3, ("a",): 1, ("c:d",): 2}))


if __name__ == "__main__":
    unittest.main()
