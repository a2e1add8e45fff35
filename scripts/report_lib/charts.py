"""SVG charts with matplotlib's "svg" backend: text stays text, no external references, and the
same data gives the same bytes (fixed hash salt, no date). The RDF metadata block and the
DOCTYPE are removed: they carry the only http references besides the SVG namespaces."""

import os
import re

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

matplotlib.rcParams.update({
    "svg.fonttype": "none",
    "svg.hashsalt": "streamgauge",
    "font.size": 9,
    "axes.titlesize": 10,
    "figure.dpi": 72,
    "path.simplify": True,
})

_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_DOCTYPE = re.compile(r"<!DOCTYPE svg[^>]*>\s*", re.S)  # points at the W3C's DTD online
# Muted, distinguishable colours, fixed so that a strategy keeps its colour across charts.
PALETTE = ["#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#bbbbbb",
           "#222222", "#997700", "#994455"]


def _save(fig, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fig.savefig(path, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(fig)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = _DOCTYPE.sub("", _METADATA.sub("", text, count=1), count=1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def grouped_bars(path, title, categories, series, ylabel, log=False, hatched=()):
    """Bars per category, one per series; None values leave a gap. `hatched` names the series
    drawn hatched (the seed's figures, so they never pass for ours)."""
    labels = list(series)
    n = max(1, len(labels))
    width = 0.8 / n
    fig, ax = plt.subplots(figsize=(max(5.0, 0.9 * len(categories) + 2.5), 3.4))
    for i, label in enumerate(labels):
        xs, ys = [], []
        for j, v in enumerate(series[label]):
            if v is not None and v > 0:
                xs.append(j - 0.4 + width * (i + 0.5))
                ys.append(v)
        ax.bar(xs, ys, width=width * 0.95, label=label, color=PALETTE[i % len(PALETTE)],
               hatch="//" if label in hatched else None,
               edgecolor="white" if label not in hatched else "#333333", linewidth=0.5)
    ax.set_xticks(range(len(categories)))
    ax.set_xticklabels(categories, rotation=20, ha="right")
    ax.set_ylabel(ylabel)
    if log:
        ax.set_yscale("log")
    ax.set_title(title)
    ax.legend(fontsize=7, ncol=min(3, n), frameon=False)
    ax.grid(axis="y", linewidth=0.3)
    _save(fig, path)


def stacked_bars(path, title, categories, components, ylabel):
    """One bar per category, stacked by component (dict name -> values per category). Negative
    values stack downwards from zero, so a bar's parts still add up to its total."""
    fig, ax = plt.subplots(figsize=(max(5.0, 0.8 * len(categories) + 2.5), 3.6))
    up = [0.0] * len(categories)
    down = [0.0] * len(categories)
    for i, (name, values) in enumerate(components.items()):
        vals = [v or 0.0 for v in values]
        bottoms = [u if v >= 0 else d for v, u, d in zip(vals, up, down)]
        ax.bar(range(len(categories)), vals, bottom=bottoms, label=name,
               color=PALETTE[i % len(PALETTE)], edgecolor="white", linewidth=0.5)
        up = [u + max(v, 0.0) for u, v in zip(up, vals)]
        down = [d + min(v, 0.0) for d, v in zip(down, vals)]
    ax.axhline(0, color="#333333", linewidth=0.6)
    ax.set_xticks(range(len(categories)))
    ax.set_xticklabels(categories, rotation=20, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=7, ncol=2, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.grid(axis="y", linewidth=0.3)
    _save(fig, path)


def line_chart(path, title, series, xlabel, ylabel, logx=False, logy=False, ideal=None,
               marks=None):
    """series: label -> [(x, y, y_low, y_high)]; the range is drawn as an error bar. `ideal`,
    if given, is a list of (x, y) drawn dashed (e.g. linear scaling). `marks`, if given, is a
    list of (x, short label): vertical lines where something other than the code changed."""
    fig, ax = plt.subplots(figsize=(5.6, 3.4))
    for i, (label, points) in enumerate(series.items()):
        points = sorted(p for p in points if p[1] is not None)
        if not points:
            continue
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        lo = [max(0.0, p[1] - p[2]) for p in points]
        hi = [max(0.0, p[3] - p[1]) for p in points]
        ax.errorbar(xs, ys, yerr=[lo, hi], label=label, color=PALETTE[i % len(PALETTE)],
                    marker="o", markersize=3, linewidth=1, capsize=2)
    if ideal:
        ax.plot([p[0] for p in ideal], [p[1] for p in ideal], linestyle="--", color="#888888",
                linewidth=0.8, label="linear (ideal)")
    for x, label in marks or ():
        ax.axvline(x, linestyle=":", color="#b22222", linewidth=0.9)
        ax.annotate(label, (x, 1.0), xycoords=("data", "axes fraction"), fontsize=6,
                    color="#b22222", rotation=90, va="top", ha="right")
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=7, frameon=False)
    ax.grid(linewidth=0.3)
    _save(fig, path)


# Past the palette's ten colours a group changes marker too, so that no two groups look alike.
MARKERS = "os^Dv<>P"


def predicted_vs_measured(path, title, groups, linear_ns=1.0, tolerance=0.2):
    """Every cell's predicted against its measured value, both axes symlog (linear within
    +-linear_ns, so that zero and negative values still show), with the y = x line and a
    +-tolerance band around it. groups: name -> [(measured, predicted, low, high, hollow)], one
    colour per group; `hollow` cells (within noise) are drawn unfilled; low/high, when not None,
    are the measured value's interval, drawn as a horizontal bar."""
    import numpy as np

    values = [v for points in groups.values() for p in points for v in p[:4] if v is not None]
    top = max([abs(v) for v in values] + [10 * linear_ns]) * 1.5
    bottom = min(min(values + [0.0]) * 1.5, -linear_ns)
    fig, ax = plt.subplots(figsize=(5.6, 5.0))
    pos = np.geomspace(linear_ns / 100, top, 200)  # dense, so the band's edges stay smooth
    xs = np.concatenate([-pos[::-1], [0.0], pos])
    ax.fill_between(xs, xs * (1 - tolerance), xs * (1 + tolerance), color="#dddddd",
                    linewidth=0, label=f"within +-{tolerance:.0%}")
    ax.plot(xs, xs, color="#555555", linewidth=0.8, linestyle="--", label="predicted = measured")
    for i, (name, points) in enumerate(groups.items()):
        colour = PALETTE[i % len(PALETTE)]
        marker = MARKERS[(i // len(PALETTE)) % len(MARKERS)]
        for p in points:
            if p[2] is not None and p[3] is not None:
                ax.errorbar([p[0]], [p[1]], xerr=[[max(0.0, p[0] - p[2])], [max(0.0, p[3] - p[0])]],
                            fmt="none", ecolor=colour, elinewidth=0.5, alpha=0.7)
        filled = [p for p in points if not p[4]]
        hollow = [p for p in points if p[4]]
        if filled:
            ax.scatter([p[0] for p in filled], [p[1] for p in filled], s=16, marker=marker,
                       color=colour, label=name, zorder=3)
        if hollow:
            ax.scatter([p[0] for p in hollow], [p[1] for p in hollow], s=16, marker=marker,
                       facecolors="none", edgecolors=colour, linewidths=0.8, zorder=3,
                       label=None if filled else name)
    if any(p[4] for points in groups.values() for p in points):
        ax.scatter([], [], s=16, facecolors="none", edgecolors="#333333",
                   label="hollow: within noise")
    for axis in (ax.set_xscale, ax.set_yscale):
        axis("symlog", linthresh=linear_ns)
    ax.set_xlim(bottom, top)
    ax.set_ylim(bottom, top)
    ax.axhline(0, color="#999999", linewidth=0.4)
    ax.axvline(0, color="#999999", linewidth=0.4)
    ax.set_xlabel(f"measured, ns per record (symlog, linear within +-{linear_ns:g})")
    ax.set_ylabel(f"predicted, ns per record (symlog, linear within +-{linear_ns:g})")
    ax.set_title(title)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.grid(linewidth=0.3)
    _save(fig, path)
