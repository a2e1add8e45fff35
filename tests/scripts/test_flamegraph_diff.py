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
        self.assertAlmostEqual(diff_render.share_deltas(A, b)[("main", "new")], 0.25)
        self.assertAlmostEqual(diff_render.only_in_a_share(A, b), 0.5)  # lock and copy


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
        colours = fills(diff_render.render_diff(folded, folded, "t", "a", "b"))
        self.assertEqual(set(colours.values()), {diff_render.NEUTRAL_FILL})


if __name__ == "__main__":
    unittest.main()
