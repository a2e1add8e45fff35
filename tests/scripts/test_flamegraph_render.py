"""The SVG renderer: valid XML, one rectangle per frame node, widths proportional to counts,
nothing fetched from a network."""

import re
import unittest
import xml.etree.ElementTree as ET
from collections import Counter

from flamegraph_test_support import data_path
from flamegraph_lib import folding
from flamegraph_lib.flame_tree import build_tree, count_nodes, walk
from flamegraph_lib.svg_render import SVG_NS, render_flamegraph

NS = {"svg": SVG_NS}

# 10 samples: main (2 self) -> parse (3) and -> run (5: 1 self, 4 in sg::step)
SMALL = Counter({
    ("main",): 2,
    ("main", "parse"): 3,
    ("main", "run"): 1,
    ("main", "run", "sg::step"): 4,
})


def frames(svg_text):
    """(tooltip's first line, x, width) of every frame rectangle."""
    root = ET.fromstring(svg_text)
    out = []
    for g in root.iter(f"{{{SVG_NS}}}g"):
        if g.get("class") != "frame":
            continue
        title = g.find("svg:title", NS).text.split("\n")[0]
        rect = g.find("svg:rect", NS)
        out.append((title, float(rect.get("x")), float(rect.get("width"))))
    return out


class Renderer(unittest.TestCase):
    def render(self, folded, **kwargs):
        return render_flamegraph(build_tree(folded), "title <&> test", ["info line"], **kwargs)

    def test_valid_svg_with_one_rectangle_per_frame_node(self):
        svg = self.render(SMALL)
        root = ET.fromstring(svg)  # raises on malformed XML
        self.assertEqual(root.tag, f"{{{SVG_NS}}}svg")
        frame_rects = [r for r in root.iter(f"{{{SVG_NS}}}rect") if r.get("class") == "frame"]
        # all, main, parse, run, sg::step
        self.assertEqual(len(frame_rects), 5)
        self.assertEqual(len(frame_rects), count_nodes(build_tree(SMALL)))

    def test_widths_are_proportional_to_inclusive_counts(self):
        drawn = {name: (x, w) for name, x, w in frames(self.render(SMALL, width=1020))}
        per_sample = drawn["all"][1] / 10
        self.assertAlmostEqual(per_sample, 100.0, places=1)  # 1000 usable pixels / 10 samples
        for name, count in (("main", 10), ("parse", 3), ("run", 5), ("sg::step", 4)):
            self.assertAlmostEqual(drawn[name][1], count * per_sample, places=1, msg=name)
        # Children sit side by side inside their parent, in name order.
        self.assertAlmostEqual(drawn["parse"][0], drawn["main"][0], places=1)
        self.assertAlmostEqual(drawn["run"][0], drawn["parse"][0] + drawn["parse"][1], places=1)

    def test_saved_perf_profile_renders_every_node(self):
        with open(data_path("perf_script_small.txt")) as f:
            folded = folding.fold_perf_script(f)
        tree = build_tree(folded)
        drawn = frames(self.render(folded))
        self.assertEqual(len(drawn), count_nodes(tree))
        self.assertEqual(sorted(n for n, _, _ in drawn),
                         sorted(node.name for _, node, _ in walk(tree)))

    def test_no_external_references(self):
        svg = self.render(SMALL)
        urls = re.findall(r"https?://[^\s\"'<>]+", svg)
        self.assertEqual(set(urls), {SVG_NS})
        self.assertNotIn("<script", svg)
        self.assertNotIn("href", svg)
        self.assertNotIn("@import", svg)

    def test_names_are_escaped(self):
        folded = Counter({("std::vector<int>::push_back", "a&b"): 1})
        root = ET.fromstring(self.render(folded))
        titles = [t.text for t in root.iter(f"{{{SVG_NS}}}title")]
        self.assertIn("title <&> test", titles)
        self.assertTrue(any(t.startswith("std::vector<int>::push_back") for t in titles))

    def test_colours_are_deterministic(self):
        self.assertEqual(self.render(SMALL), self.render(SMALL))

    def test_frames_too_narrow_to_see_are_left_out(self):
        folded = Counter({("main", "big"): 100000, ("main", "tiny", "tinier"): 1})
        names = [n for n, _, _ in frames(self.render(folded))]
        self.assertNotIn("tiny", names)
        self.assertNotIn("tinier", names)
        self.assertIn("big", names)


if __name__ == "__main__":
    unittest.main()
