"""Differential flamegraph: B's flamegraph, each frame coloured by how its share changed from A.

Counts are normalised by each profile's total before comparing, so a longer or more densely
sampled run is not "hotter" everywhere: a share is samples divided by all samples of its
profile, and a frame's colour is share_B - share_A. Red: a bigger share of B than of A; blue:
smaller; white: the same share. Full colour is the biggest change in the graph (at least
MIN_SCALE), so the colours are relative to each other.

What a frame's share is depends on the mode (share_deltas): by function (the default: works
across strategies whose threads start in different places) or by exact call path (two builds
of one cell). Widths are B's samples, so what exists only in A is not drawn; an info line says
what that is (swap A and B to see it).
"""

from collections import Counter
from typing import Dict, Sequence, Tuple

from .flame_tree import build_tree, inclusive_counts
from .svg_render import Style, render_svg

NEUTRAL_FILL = "rgb(255,255,255)"
MIN_SCALE = 0.005  # half a percentage point: smaller changes never get full colour
EPSILON = 1e-12  # shares equal up to rounding are equal
DIFF_MODES = ("function", "path")


def function_shares(folded: Counter) -> Dict[str, float]:
    """Each function's share of the samples whose stack holds it (once per sample, wherever it
    is and however often it recurs)."""
    total = sum(folded.values())
    assert total > 0, "a profile needs samples to have shares"
    counts: Counter = Counter()
    for stack, count in folded.items():
        for name in set(stack):
            counts[name] += count
    return {name: c / total for name, c in counts.items()}


def path_shares(folded: Counter) -> Dict[Tuple[str, ...], float]:
    """Each path's (call stack prefix's) share of the samples."""
    total = sum(folded.values())
    assert total > 0, "a profile needs samples to have shares"
    return {path: c / total for path, c in inclusive_counts(folded).items()}


def share_deltas(folded_a: Counter, folded_b: Counter,
                 by: str = "function") -> Dict[Tuple[str, ...], float]:
    """share_B - share_A for every path of B (the key () is the root, always 0).

    by="function": a frame's share is its function's share anywhere in the profile, so two
    strategies whose threads start in different places still compare (the engine's
    process_batch is the same function under main or under a worker thread).
    by="path": the share of that exact call path, for two profiles of the same shape (two
    builds of one cell)."""
    assert by in DIFF_MODES, f"diff by one of {DIFF_MODES}"
    paths_b = path_shares(folded_b)
    if by == "path":
        shares_a = path_shares(folded_a)
        deltas = {p: s - shares_a.get(p, 0.0) for p, s in paths_b.items()}
    else:
        fa, fb = function_shares(folded_a), function_shares(folded_b)
        deltas = {p: fb[p[-1]] - fa.get(p[-1], 0.0) for p in paths_b}
    deltas = {p: 0.0 if abs(d) < EPSILON else d for p, d in deltas.items()}
    deltas[()] = 0.0
    return deltas


def diff_fill(delta: float, scale: float) -> str:
    """White for no change, towards red for hotter, towards blue for cooler."""
    assert scale > 0, "the colour scale must be positive"
    if delta == 0:
        return NEUTRAL_FILL
    t = min(1.0, abs(delta) / scale)
    fade = int(round(255 - 170 * t))  # stops at 85: black labels stay readable
    return f"rgb(255,{fade},{fade})" if delta > 0 else f"rgb({fade},{fade},255)"


def only_in_a(folded_a: Counter, folded_b: Counter, by: str) -> str:
    """What of A the graph of B cannot show, in words."""
    if by == "path":
        incl_b = inclusive_counts(folded_b)
        missing = sum(c for stack, c in folded_a.items() if stack not in incl_b)
        return (f"Stacks only in A are not drawn: {100 * missing / sum(folded_a.values()):.1f}% "
                "of A's samples (swap A and B to see them).")
    # Each A sample is put on the innermost function of its stack that B lacks: for
    # main;...;BatchLock::process;Engine::process_batch (the engine in both) that is
    # BatchLock::process, not main, which B lacks too but says nothing.
    names_b = {name for stack in folded_b for name in stack}
    innermost: Counter = Counter()
    for stack, count in folded_a.items():
        gone = [name for name in stack if name not in names_b]
        if gone:
            innermost[gone[-1]] += count
    if not innermost:
        return "Every function of A is also in B."
    total_a = sum(folded_a.values())
    listed = ", ".join(f"{n[:70]} ({100 * c / total_a:.1f}%)" for n, c in innermost.most_common(4))
    more = f" and {len(innermost) - 4} more" if len(innermost) > 4 else ""
    return (f"Functions only in A are not drawn (swap A and B to see them); A's samples by the "
            f"innermost such function on their stack: {listed}{more}.")


def render_diff(folded_a: Counter, folded_b: Counter, title: str, label_a: str, label_b: str,
                info_lines: Sequence[str] = (), width: int = 1200, min_width: float = 0.1,
                by: str = "function") -> str:
    total_a, total_b = sum(folded_a.values()), sum(folded_b.values())
    deltas = share_deltas(folded_a, folded_b, by)
    # The scale comes from frames in both profiles: frames new in B (a strategy's own threads)
    # would otherwise take the whole range and leave the comparable frames pale. New frames are
    # drawn at full red.
    in_a = (lambda p: p[-1] in names_a) if by == "function" else (lambda p: p in paths_a)
    names_a = {name for stack in folded_a for name in stack}
    paths_a = inclusive_counts(folded_a)
    scale = max([MIN_SCALE] + [abs(d) for p, d in deltas.items() if not p or in_a(p)])
    root = build_tree(folded_b)

    def fill(path, node):
        return diff_fill(deltas.get(path, 0.0), scale)

    what = "its function's share" if by == "function" else "this call path's share"

    def tooltip(path, node):
        delta = deltas.get(path, 0.0)
        return (f"{node.name}\n{node.total} samples of {label_b} here; {what}: "
                f"{delta * 100:+.2f} percentage points from {label_a} to {label_b}")

    legend = [
        (diff_fill(scale, scale),
         f"hotter in {label_b} (+{100 * scale:.2f} pp or more, or not in {label_a})"),
        (NEUTRAL_FILL, "same share"),
        (diff_fill(-scale, scale), f"cooler in {label_b} (-{100 * scale:.2f} pp or more)"),
    ]
    basis = ("of all samples holding the frame's function anywhere in their stack"
             if by == "function" else "of all samples through the frame's exact call path")
    lines = list(info_lines) + [
        f"A = {label_a}: {total_a} samples; B = {label_b}: {total_b} samples. Widths: B's "
        f"samples. Colour (--diff-by {by}): change of the share {basis}, each profile "
        "normalised by its own total, from A to B; red = hotter in B, blue = cooler.",
        only_in_a(folded_a, folded_b, by),
    ]
    style = Style(fill=fill, tooltip=tooltip, legend=legend)
    return render_svg(root, title, lines, style, width, min_width)
