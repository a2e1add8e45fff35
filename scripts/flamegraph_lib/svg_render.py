"""A flamegraph tree -> one self-contained SVG file.

Nothing is fetched when the file is opened: no fonts, no scripts, no links (the only URL in it
is the SVG namespace). Each frame is a <g class="frame"> holding a <title> (the tooltip a
browser shows on hover: name, samples, share), a <rect class="frame"> and, when the frame is
wide enough, a <text> label. The root ('all') is at the bottom, callees above their callers,
and every rectangle's width is proportional to its frame's inclusive sample count.
"""

import textwrap
import zlib
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence, Tuple
from xml.sax.saxutils import escape, quoteattr

from .flame_tree import Node, walk

SVG_NS = "http://www.w3.org/2000/svg"

FONT_FAMILY = "DejaVu Sans Mono, Menlo, Consolas, monospace"  # local fonts only
FONT_SIZE = 12
CHAR_WIDTH = FONT_SIZE * 0.6  # a monospace glyph's advance, to fit labels without measuring
FRAME_HEIGHT = 16
PAD_X = 10
INFO_FONT_SIZE = 11


@dataclass
class Style:
    """Colours, tooltip and legend for one kind of flamegraph (plain or differential)."""
    fill: Callable[[Tuple[str, ...], Node], str]
    tooltip: Callable[[Tuple[str, ...], Node], str]
    legend: Sequence[Tuple[str, str]] = field(default_factory=list)  # (fill, label)


def _unit_hash(text: str, salt: str = "") -> float:
    """A deterministic number in [0, 1) from a name: the same frame gets the same colour in
    every graph and on every machine (Python's hash() is randomised per process)."""
    return (zlib.crc32((salt + text).encode("utf-8")) & 0xFFFFFFFF) / 2**32


def frame_category(name: str) -> str:
    if name.endswith("_[k]"):
        return "kernel"
    if name.startswith("[") or name == "[unknown]":
        return "unknown"
    if "sg::" in name:
        return "project"
    return "library"


CATEGORY_LABELS = {
    "project": "streamgauge (sg::)",
    "library": "C++ / C libraries",
    "kernel": "kernel",
    "unknown": "no symbol",
}


def category_fill(name: str) -> str:
    """Warm colours, the hue family by category, the shade by a hash of the name."""
    v1, v2 = _unit_hash(name, "a"), _unit_hash(name, "b")
    category = frame_category(name)
    if category == "project":
        r, g, b = 215 + 40 * v2, 60 + 110 * v1, 30 * v2  # reds to oranges
    elif category == "library":
        r, g, b = 195 + 40 * v1, 195 + 40 * v2, 90 + 50 * v1  # pale yellows
    elif category == "kernel":
        r, g, b = 90 + 40 * v1, 175 + 35 * v2, 200 + 30 * v1  # aquas: apart from user frames
    else:
        r = g = b = 170 + 40 * v1  # greys
    return f"rgb({int(r)},{int(g)},{int(b)})"


def category_legend() -> List[Tuple[str, str]]:
    samples = {"project": "sg::x", "library": "std::x", "kernel": "x_[k]", "unknown": "[x]"}
    return [(category_fill(samples[c]), label) for c, label in CATEGORY_LABELS.items()]


def plain_style(root_total: int) -> Style:
    def tooltip(path, node):
        share = 100.0 * node.total / root_total if root_total else 0.0
        text = f"{node.name}\n{node.total} samples ({share:.2f}%)"
        if node.self_count:
            text += f", {node.self_count} in the frame itself"
        return text

    return Style(fill=lambda path, node: category_fill(node.name), tooltip=tooltip,
                 legend=category_legend())


def _label(name: str, width: float) -> Optional[str]:
    """The frame name cut to fit its rectangle, or None when not even a few letters fit."""
    fits = int((width - 4) / CHAR_WIDTH)
    if fits < 3:
        return None
    return name if len(name) <= fits else name[:fits - 2] + ".."


def render_svg(root: Node, title: str, info_lines: Sequence[str], style: Style,
               width: int = 1200, min_width: float = 0.1) -> str:
    """Draws the tree. Frames narrower than min_width pixels (and all above them) are left out,
    as they would be invisible; their samples still count in their callers' widths."""
    assert width > 2 * PAD_X + 100, "the graph needs room to draw"
    usable = width - 2 * PAD_X
    per_sample = usable / root.total if root.total else 0.0

    chars_per_line = int(usable / (INFO_FONT_SIZE * 0.6))
    wrapped: List[str] = []
    for line in info_lines:
        wrapped.extend(textwrap.wrap(line, chars_per_line, break_on_hyphens=False) or [""])

    # Lay out first (x of every visible node), to know the height before drawing.
    placed = []  # (path, node, depth, x, w)
    x_of = {(): PAD_X}
    for path, node, depth in walk(root):
        if path and path[:-1] not in x_of:
            continue  # an ancestor was too narrow to draw
        w = node.total * per_sample
        if path and w < min_width:
            continue
        x = x_of[path]
        placed.append((path, node, depth, x, w))
        next_x = x
        for child in node.sorted_children():
            x_of[path + (child.name,)] = next_x
            next_x += child.total * per_sample
    depth_count = max(d for _, _, d, _, _ in placed) + 1

    top = 30 + len(wrapped) * (INFO_FONT_SIZE + 3) + 10
    legend_height = 24 if style.legend else 0
    height = top + depth_count * FRAME_HEIGHT + 10 + legend_height
    base_y = top + depth_count * FRAME_HEIGHT  # bottom edge of the root frame

    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
        f'<svg xmlns="{SVG_NS}" version="1.1" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">',
        f"<title>{escape(title)}</title>",
        f'<rect class="background" x="0" y="0" width="{width}" height="{height}" '
        'fill="rgb(248,248,248)"/>',
        f'<g font-family={quoteattr(FONT_FAMILY)} font-size="{FONT_SIZE}">',
        f'<text class="title" x="{width / 2:.1f}" y="22" text-anchor="middle" '
        f'font-size="17">{escape(title)}</text>',
    ]
    for i, line in enumerate(wrapped):
        y = 30 + (i + 1) * (INFO_FONT_SIZE + 3)
        out.append(f'<text class="info" x="{PAD_X}" y="{y}" font-size="{INFO_FONT_SIZE}">'
                   f"{escape(line)}</text>")

    for path, node, depth, x, w in placed:
        y = base_y - (depth + 1) * FRAME_HEIGHT
        out.append('<g class="frame">')
        out.append(f"<title>{escape(style.tooltip(path, node))}</title>")
        out.append(f'<rect class="frame" x="{x:.2f}" y="{y}" width="{w:.2f}" '
                   f'height="{FRAME_HEIGHT - 1}" rx="2" fill="{style.fill(path, node)}"/>')
        label = _label(node.name, w)
        if label:
            out.append(f'<text x="{x + 3:.2f}" y="{y + FRAME_HEIGHT - 4}">{escape(label)}</text>')
        out.append("</g>")

    if style.legend:
        x, y = PAD_X, height - legend_height + 4
        for fill, label in style.legend:
            out.append(f'<rect class="legend" x="{x}" y="{y}" width="14" height="12" '
                       f'fill="{fill}" stroke="rgb(120,120,120)"/>')
            out.append(f'<text x="{x + 18}" y="{y + 10}" font-size="{INFO_FONT_SIZE}">'
                       f"{escape(label)}</text>")
            x += 18 + int(len(label) * INFO_FONT_SIZE * 0.6) + 16
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def render_flamegraph(root: Node, title: str, info_lines: Sequence[str] = (),
                      width: int = 1200, min_width: float = 0.1) -> str:
    """A plain flamegraph: warm colours by kind of frame (project, library, kernel)."""
    return render_svg(root, title, info_lines, plain_style(root.total), width, min_width)
