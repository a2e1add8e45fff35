"""The shape every report shares (scripts/report_lib/common.Report): title, question, at most five
findings, the evidence, then the method; and the verdict words with a link to their rules."""

import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "scripts"))

from report_lib import common  # noqa: E402
from report_lib import markdown as md  # noqa: E402


class ReportShape(unittest.TestCase):
    def make(self):
        return common.Report(tempfile.gettempdir(), "x.md", "Title", "Question?")

    def test_findings_come_first_and_the_method_last(self):
        r = self.make()
        r.set_method("## Method\n\nmine\n")
        r.add("## Evidence\n")
        r.finding("Figure 1.5x against direct: it matters.")
        text = r.text()
        self.assertLess(text.index("## Findings"), text.index("## Evidence"))
        self.assertLess(text.index("## Evidence"), text.index("## Method"))
        self.assertIn("- Figure 1.5x against direct: it matters.", text)

    def test_at_most_five_findings_are_shown_and_missing_ones_skipped(self):
        r = self.make()
        for i in range(7):
            r.finding(f"finding {i}" if i != 2 else None)
        block = r.text().split("## Findings", 1)[1]
        self.assertEqual(block.count("\n- "), 5)
        self.assertIn("finding 5", block)
        self.assertNotIn("finding 6", block)

    def test_verdicts_use_the_three_words_and_link_their_rules(self):
        self.assertEqual(md.VERDICTS[:3], ("reproduced", "not reproduced here", "inconclusive"))
        text = md.verdict(md.NOT_REPRODUCED, "here 1.0x.", "band 2x-4x.")
        self.assertIn("**Verdict: not reproduced here.**", text)
        self.assertIn("(method.md#verdicts)", text)
        with self.assertRaises(AssertionError):
            md.verdict("refuted", "x", "y")
        self.assertEqual(common.band_verdict((0.9, 1.0, 1.1), 2.0, 4.0), md.NOT_REPRODUCED)
        self.assertEqual(common.band_verdict((2.5, 3.0, 3.5), 2.0, 4.0), md.REPRODUCED)
        self.assertEqual(common.band_verdict((1.0, 1.9, 3.0), 2.0, 4.0), md.INCONCLUSIVE)


if __name__ == "__main__":
    unittest.main()
