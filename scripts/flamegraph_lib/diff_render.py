"""Differential flamegraph: B's flamegraph, each frame coloured by how its share changed from A.

Counts are normalised by each profile's total before comparing, so a longer or more densely
sampled run is not "hotter" everywhere: a frame's share is its inclusive samples divided by all
samples of its profile, and its colour is share_B - share_A. Red: the frame (with what it calls)
takes a bigger share of B than of A; blue: smaller; white: the same share. Full colour is the
biggest change in the graph (at least MIN_SCALE), so the colours are relative to each other.

Widths are B's samples, so frames that exist only in A are not drawn; the info line says how
much of A that is (swap A and B to see them).
"""

from collections import Counter
from typing import Dict, Sequence, Tuple

from .flame_tree import build_tree, inclusive_counts, walk
from .svg_render import Style, render_svg

NEUTRAL_FILL = "rgb(255,255,255)"
MIN_SCALE = 0.005  # half a percentage point: smaller changes never get full colour
EPSILON = 1e-12  # shares equal up to rounding are equal


def share_deltas(folded_a: Counter, folded_b: Counter) -> Dict[Tuple[str, ...], float]:
    """share_B - share_A of every path in B (the key () is the root, always 0)."""
    total_a, total_b = sum(folded_a.values()), sum(folded_b.values())
    assert total_a > 0 and total_b > 0, "both profiles need samples to be compared"
    incl_a, incl_b = inclusive_counts(folded_a), inclusive_counts(folded_b)
    deltas = {(): 0.0}
    for path, count in incl_b.items():
        delta = count / total_b - incl_a.get(path, 0) / total_a
        deltas[path] = 0.0 if abs(delta) < EPSILON else delta
    return deltas


def diff_fill(delta: float, scale: float) -> str:
    """White for no change, towards red for hotter, towards blue for cooler."""
    assert scale > 0, "the colour scale must be positive"
    if delta == 0:
        return NEUTRAL_FILL
    t = min(1.0, abs(delta) / scale)
    fade = int(round(255 - 205 * t))
    return f"rgb(255,{fade},{fade})" if delta > 0 else f"rgb({fade},{fade},255)"


def only_in_a_share(folded_a: Counter, folded_b: Counter) -> float:
    """The share of A's samples whose stack is not in B's graph at all."""
    incl_b = inclusive_counts(folded_b)
    missing = sum(c for stack, c in folded_a.items() if stack not in incl_b)
    return missing / sum(folded_a.values())


def render_diff(folded_a: Counter, folded_b: Counter, title: str, label_a: str, label_b: str,
                info_lines: Sequence[str] = (), width: int = 1200,
                min_width: float = 0.1) -> str:
    total_a, total_b = sum(folded_a.values()), sum(folded_b.values())
    deltas = share_deltas(folded_a, folded_b)
    incl_a = inclusive_counts(folded_a)
    scale = max([MIN_SCALE] + [abs(d) for d in deltas.values()])
    root = build_tree(folded_b)

    def fill(path, node):
        return diff_fill(deltas.get(path, 0.0), scale)

    def tooltip(path, node):
        share_b = node.total / total_b
        share_a = (incl_a.get(path, 0) / total_a) if path else 1.0
        delta_pp = 100.0 * deltas.get(path, 0.0)
        return (f"{node.name}\n{label_a}: {100 * share_a:.2f}% of samples, "
                f"{label_b}: {100 * share_b:.2f}% ({node.total} samples), "
                f"change {delta_pp:+.2f} percentage points")

    legend = [
        (diff_fill(scale, scale), f"hotter in {label_b} (+{100 * scale:.2f} pp or more)"),
        (NEUTRAL_FILL, "same share"),
        (diff_fill(-scale, scale), f"cooler in {label_b} (-{100 * scale:.2f} pp or more)"),
    ]
    lines = list(info_lines) + [
        f"A = {label_a}: {total_a} samples; B = {label_b}: {total_b} samples. Widths: B's "
        "samples. Colour: change of each frame's share of its profile's samples (inclusive, "
        "normalised by each profile's total) from A to B; red = hotter in B, blue = cooler.",
        f"Frames only in A are not drawn: {100 * only_in_a_share(folded_a, folded_b):.1f}% of "
        f"A's samples (swap A and B to see them).",
    ]
    style = Style(fill=fill, tooltip=tooltip, legend=legend)
    return render_svg(root, title, lines, style, width, min_width)
