"""The differential flamegraph: shares normalised by each profile's total, red hotter in B,
blue cooler, white unchanged."""

import unittest
import xml.etree.ElementTree as ET
from collections import Counter

from flamegraph_test_support import data_path
from flamegraph_lib import diff_render, folding
from flamegraph_lib.svg_render import SVG_NS

NS = {"svg": SVG_NS}

# A has 10 samples, B 100: B is 10x longer, so raw counts all grow; shares tell the change.
A = Counter({("main", "lock"): 2, ("main", "sql"): 5, ("main", "copy"): 3})
B = Counter({("main", "lock"): 40, ("main", "sql"): 50, ("main", "copy"): 10})


def fills(svg_text):
    root = ET.fromstring(svg_text)
    out = {}
    for g in root.iter(f"{{{SVG_NS}}}g"):
        if g.get("class") == "frame":
            name = g.find("svg:title", NS).text.split("\n")[0]
            out[name] = g.find("svg:rect", NS).get("fill")
    return out


def rgb(fill):
    return tuple(int(v) for v in fill[4:-1].split(","))


class Deltas(unittest.TestCase):
    def test_counts_are_normalised_by_each_total(self):
        d = diff_render.share_deltas(A, B)
        self.assertAlmostEqual(d[("main", "lock")], 0.40 - 0.20)
        self.assertAlmostEqual(d[("main", "copy")], 0.10 - 0.30)
        self.assertEqual(d[("main", "sql")], 0.0)  # 50% of both: no change
        self.assertEqual(d[("main",)], 0.0)

    def test_same_profile_scaled_is_neutral_everywhere(self):
        scaled = Counter({s: 7 * c for s, c in A.items()})
        self.assertTrue(all(v == 0.0 for v in diff_render.share_deltas(A, scaled).values()))

    def test_frame_only_in_b_is_its_whole_share(self):
        b = Counter({("main", "sql"): 3, ("main", "new"): 1})
        for by in diff_render.DIFF_MODES:
            self.assertAlmostEqual(diff_render.share_deltas(A, b, by)[("main", "new")], 0.25)
        self.assertIn("50.0% of A's samples", diff_render.only_in_a(A, b, "path"))
        said = diff_render.only_in_a(A, b, "function")
        self.assertIn("copy (30.0%)", said)
        self.assertIn("lock (20.0%)", said)

    def test_functions_only_in_a_are_named_by_the_innermost(self):
        a = Counter({("main", "batch", "engine"): 3, ("main", "batch", "mutex"): 1})
        b = Counter({("thread", "engine"): 1})
        said = diff_render.only_in_a(a, b, "function")
        self.assertIn("batch (75.0%), mutex (25.0%)", said)
        self.assertNotIn("main", said)

    def test_by_function_compares_trees_with_different_roots(self):
        # One strategy works on the main thread, the other on a worker thread.
        a = Counter({("main", "run", "engine"): 6, ("main", "run", "lock"): 4})
        b = Counter({("thread", "worker", "engine"): 6, ("thread", "worker", "queue"): 2,
                     ("main", "join"): 2})
        by_function = diff_render.share_deltas(a, b, "function")
        self.assertEqual(by_function[("thread", "worker", "engine")], 0.0)  # 60% in both
        self.assertAlmostEqual(by_function[("thread", "worker", "queue")], 0.2)
        self.assertAlmostEqual(by_function[("main",)], 0.2 - 1.0)
        by_path = diff_render.share_deltas(a, b, "path")
        self.assertAlmostEqual(by_path[("thread", "worker", "engine")], 0.6)  # new path

    def test_by_function_counts_a_recursive_function_once_per_sample(self):
        a = Counter({("f", "f", "f"): 1, ("g",): 1})
        self.assertEqual(diff_render.function_shares(a), {"f": 0.5, "g": 0.5})

    def test_by_path_same_shape_same_shares_is_neutral(self):
        scaled = Counter({s: 3 * c for s, c in A.items()})
        self.assertTrue(all(v == 0.0 for v in diff_render.share_deltas(A, scaled, "path").values()))


class Colours(unittest.TestCase):
    def test_hotter_red_cooler_blue_same_neutral(self):
        colours = fills(diff_render.render_diff(A, B, "t", "before", "after"))
        self.assertEqual(colours["sql"], diff_render.NEUTRAL_FILL)
        self.assertEqual(colours["main"], diff_render.NEUTRAL_FILL)
        self.assertEqual(colours["all"], diff_render.NEUTRAL_FILL)
        r, g, b = rgb(colours["lock"])
        self.assertTrue(r == 255 and g < 255 and b < 255, colours["lock"])
        r, g, b = rgb(colours["copy"])
        self.assertTrue(b == 255 and r < 255 and g < 255, colours["copy"])

    def test_scale_comes_from_frames_in_both(self):
        a = Counter({("main", "engine"): 5, ("main", "lock"): 5})
        b = Counter({("thread", "engine"): 4, ("thread", "queue"): 6})  # thread: +100 pp
        colours = fills(diff_render.render_diff(a, b, "t", "a", "b"))
        # engine went from 50% to 40%: the biggest change among shared frames, full blue.
        self.assertEqual(colours["engine"], diff_render.diff_fill(-1, 1))
        self.assertEqual(colours["thread"], diff_render.diff_fill(1, 1))  # new: full red

    def test_bigger_change_is_more_saturated(self):
        scale = 0.2
        self.assertLess(rgb(diff_render.diff_fill(0.2, scale))[1],
                        rgb(diff_render.diff_fill(0.05, scale))[1])
        self.assertEqual(diff_render.diff_fill(0.0, scale), diff_render.NEUTRAL_FILL)

    def test_legend_says_which_colour_is_which(self):
        svg = diff_render.render_diff(A, B, "t", "batch_lock", "adaptive")
        self.assertIn("hotter in adaptive", svg)
        self.assertIn("cooler in adaptive", svg)
        ET.fromstring(svg)

    def test_profile_against_itself_is_all_neutral(self):
        with open(data_path("perf_script_small.txt")) as f:
            folded = folding.fold_perf_script(f)
        for by in diff_render.DIFF_MODES:
            colours = fills(diff_render.render_diff(folded, folded, "t", "a", "b", by=by))
            self.assertEqual(set(colours.values()), {diff_render.NEUTRAL_FILL}, by)


if __name__ == "__main__":
    unittest.main()
