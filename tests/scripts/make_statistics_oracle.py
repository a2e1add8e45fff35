#!/usr/bin/env python3
"""Writes the reference tables the statistics are tested against, from SciPy and numpy.

  tests/harness/job/data/statistics_oracle.json       median, quantile, summary (numpy)
  tests/harness/analysis/data/significance_oracle.json
      mann_whitney    U and two-sided p: scipy.stats.mannwhitneyu with the method our
                      mann_whitney uses in each regime: method="exact" without ties and up to 30
                      a side, method="asymptotic" (tie and continuity corrections) otherwise
      ratio_interval  Hodges-Lehmann ratio and interval (method below)
      step_changes    histories and the steps `compare`'s rule flags, with SciPy's p-values

Run with Debian's python3 and python3-scipy (scripts/setup installs it), then commit the tables:
  /usr/bin/python3 tests/scripts/make_statistics_oracle.py
The samples are seeded, so a rerun with the same numpy/SciPy rewrites the same tables.

Reference for ratio_interval (R's wilcox.test(conf.int = TRUE) rule, Bauer 1972): D = sorted
pairwise differences log(current_j) - log(baseline_i) (numpy); ratio = exp(median(D)); interval
[exp(D[k]), exp(D[mn+1-k])] (1-based). Without ties and up to 30 a side, k = qwilcox(alpha/2, m,
n) (the smallest q with P(U <= q) >= alpha/2), at least 1, where P(U <= q) comes from
scipy.stats.mannwhitneyu(method="exact", alternative="less") on two samples built to have U = q;
coverage = 1 - 2 P(U <= k-1). Otherwise k = ceil(mn/2 - 1/2 - z sigma) with z =
scipy.stats.norm.ppf(1 - alpha/2), sigma^2 = mn(m+n+1)/12 * scipy.stats.tiecorrect(ranks);
coverage = the requested confidence.

Cases whose outcome hangs on a comparison within rounding of its threshold (p at alpha, a ratio
at the 10% threshold, P(U <= q) at alpha/2) are drawn again, so the tables pin behaviour, not
rounding.
"""
import itertools
import json
import math
import pathlib

import numpy as np
from scipy import stats

ROOT = pathlib.Path(__file__).resolve().parents[2]
QS = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1]
ALPHA, THRESHOLD, MIN_SAMPLES = 0.05, 0.10, 4  # compare's wall-time defaults (compare.h)
rng = np.random.default_rng(20261202)


def timings(n, center=1e5, cv=0.05, grid=1.0):
    """Skewed, timing-like positive samples, rounded to `grid` (a coarse grid makes ties)."""
    v = center * rng.lognormal(0, cv, n) + rng.exponential(center * cv / 2, n)
    return [float(x) for x in np.maximum(grid, np.round(v / grid) * grid)]


def has_ties(a, b):
    return len(set(a) | set(b)) < len(a) + len(b)


def exact_regime(a, b):
    return not has_ties(a, b) and len(a) <= 30 and len(b) <= 30


def mwu(a, b, alternative="two-sided"):
    method = "exact" if exact_regime(a, b) else "asymptotic"
    return stats.mannwhitneyu(a, b, alternative=alternative, method=method)


def job_table():
    cases = []
    for i in range(300):
        n = 1 + i % 2 + 2 * int(rng.integers(0, 30))  # odd and even lengths, alternately
        kind = i % 3
        if kind == 0:
            v = timings(n)
        elif kind == 1:
            v = [float(x) for x in rng.integers(-5, 6, n)]  # ties, negatives
        else:
            v = [float(x) for x in rng.normal(0, 1e3, n)]
        a = np.array(v)
        cases.append({"values": v, "median": float(np.median(a)),
                      "quantiles": [float(np.quantile(a, q)) for q in QS],
                      "mean": float(np.mean(a)), "stddev": float(np.std(a, ddof=1)) if n > 1 else 0.0,
                      "min": float(a.min()), "max": float(a.max())})
    return {"quantile_probabilities": QS, "samples": cases}


def mann_whitney_cases():
    cases = [([1, 1, 2, 2], [3, 3, 4, 4]), ([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]), ([5.0], [7.0])]
    while len(cases) < 3 + 3 * 210:
        regime = len(cases) % 3  # exact, normal without ties, normal with ties
        shift = float(rng.choice([1, 1, 1.01, 1.03, 1.1, 0.95, 1.5]))
        if regime == 0:
            n1, n2 = rng.integers(1, 31, 2)
            a, b = timings(n1), timings(n2, 1e5 * shift)
        elif regime == 1:
            n1, n2 = rng.integers(31, 61), rng.integers(1, 61)
            a, b = timings(n1), timings(n2, 1e5 * shift)
            if rng.random() < 0.5:
                a, b = b, a
        else:
            n1, n2 = rng.integers(2, 45, 2)
            grid = float(rng.choice([1e3, 3e3, 1e4]))
            a, b = timings(n1, grid=grid), timings(n2, 1e5 * shift, grid=grid)
            if not has_ties(a, b) or len(set(a + b)) == 1:
                continue
        if (regime == 0) != exact_regime(a, b) or (regime == 1 and has_ties(a, b)):
            continue
        cases.append((a, b))
    out = []
    for a, b in cases:
        r = mwu(a, b)
        out.append({"a": a, "b": b, "exact": exact_regime(a, b), "u": float(r.statistic),
                    "p": float(r.pvalue)})
    return out


def u_cdf(q, m, n):
    """P(U <= q) under the null, m and n without ties, from SciPy's exact distribution: x gets
    m distinct values with q values of y = 0..n-1 below them in all, so U(x, y) = q."""
    x, left = [], q
    for i in range(m):
        c = min(n, left)
        left -= c
        x.append(c - 0.5 + i * 1e-4)
    return stats.mannwhitneyu(x, list(range(n)), method="exact", alternative="less").pvalue


def qwilcox(p, m, n):
    lo, hi = 0, m * n  # the smallest q with u_cdf(q) >= p
    while lo < hi:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if u_cdf(mid, m, n) >= p else (mid + 1, hi)
    return lo


def check_u_cdf():
    for m, n in [(1, 1), (2, 3), (3, 3), (4, 2), (3, 5)]:
        # x takes ranks s of 0..m+n-1, y the others; U counts the pairs with x > y
        us = []
        for s in itertools.combinations(range(m + n), m):
            ys = [r for r in range(m + n) if r not in s]
            us.append(sum(x > y for x in s for y in ys))
        for q in range(m * n + 1):
            assert abs(u_cdf(q, m, n) - sum(u <= q for u in us) / len(us)) < 1e-12, (m, n, q)


def ratio_interval(b, c, confidence):
    """The reference (see the module's docstring); None when a threshold is within rounding."""
    alpha, m, n = 1 - confidence, len(b), len(c)
    d = np.sort(np.subtract.outer(np.log(c), np.log(b)).ravel())
    if exact_regime(b, c):
        k = qwilcox(alpha / 2, m, n)
        if any(abs(u_cdf(q, m, n) - alpha / 2) < 1e-9 for q in (k - 1, k) if q >= 0):
            return None
        k = max(k, 1)
        coverage = 1 - 2 * u_cdf(k - 1, m, n)
    else:
        sigma = math.sqrt(m * n * (m + n + 1) / 12 * stats.tiecorrect(stats.rankdata(b + c)))
        x = m * n / 2 - 0.5 - stats.norm.ppf(1 - alpha / 2) * sigma
        if abs(x - round(x)) < 1e-7:
            return None
        k, coverage = max(1, math.ceil(x)), confidence
    k = min(k, (m * n + 1) // 2)
    return {"ratio": math.exp(float(np.median(d))), "low": math.exp(d[k - 1]),
            "high": math.exp(d[m * n - k]), "coverage": float(coverage), "exact": exact_regime(b, c)}


def ratio_interval_cases():
    out = []
    while len(out) < 240:
        normal = len(out) % 3 == 2
        shift = float(rng.choice([1, 1.02, 1.1, 0.9, 1.4]))
        confidence = float(rng.choice([0.95, 0.95, 0.9, 0.99, 0.8]))
        if normal and rng.random() < 0.5:
            m, n = rng.integers(31, 61), rng.integers(2, 61)
            b, c = timings(m), timings(n, 1e5 * shift)
        else:
            m, n = rng.integers(2 if normal else 1, 31, 2)
            grid = 3e3 if normal else 1.0
            b, c = timings(m, grid=grid), timings(n, 1e5 * shift, grid=grid)
        if exact_regime(b, c) == normal:
            continue
        ref = ratio_interval(b, c, confidence)
        if ref:
            out.append({"baseline": b, "current": c, "confidence": confidence, **ref})
    return out


def judge(base, cur):
    """compare's wall-time rule (compare.cpp), with SciPy's p. None: too close to call."""
    mb, mc = float(np.median(base)), float(np.median(cur))
    ratio = mc / mb
    p = float(mwu(base, cur).pvalue)
    if abs(abs(ratio - 1) - THRESHOLD) < 1e-9 or abs(p - ALPHA) < 1e-9:
        return None
    change = "slower" if ratio > 1 else "faster"
    if min(len(base), len(cur)) >= MIN_SAMPLES and abs(ratio - 1) >= THRESHOLD and p < ALPHA:
        return {"verdict": change, "ratio": ratio, "p": p}
    return {"verdict": "not a step", "ratio": ratio, "p": p}


def step_change_cases():
    out = []
    while len(out) < 210:
        cells = ["a", "b"][: int(rng.integers(1, 3))]
        level = {c: 1e5 * float(rng.choice([0.5, 1, 3])) for c in cells}
        entries, steps, previous, ok = [], [], {}, True
        for i in range(int(rng.integers(2, 8))):
            cell = str(rng.choice(cells))
            level[cell] *= float(rng.choice([1, 1, 1.05, 1.12, 1.25, 0.85, 0.7]))
            n = int(rng.choice([0, 3, 4, 5, 7, 10, 31])) if i else 7
            walls = timings(n, level[cell], cv=float(rng.choice([0.01, 0.04, 0.1])), grid=float(rng.choice([1, 1e3])))
            entries.append({"cell": cell, "wall_ns": walls})
            if not walls:
                continue
            if cell in previous:
                j = judge(previous[cell], walls)
                if j is None:
                    ok = False
                    break
                if j["verdict"] != "not a step":
                    steps.append({"index": i, **j})
            previous[cell] = walls
        if ok:
            out.append({"entries": entries, "steps": steps})
    return out


def compact(v):
    """Integral floats as integers: the same doubles, a smaller table."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    if isinstance(v, list):
        return [compact(x) for x in v]
    if isinstance(v, dict):
        return {k: compact(x) for k, x in v.items()}
    return v


def write(path, doc):
    path.parent.mkdir(parents=True, exist_ok=True)
    # One case per line: reviewable diffs, a table a few hundred KB.
    lines = []
    for key, value in doc.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            rows = ",\n".join("  " + json.dumps(compact(v), separators=(",", ":")) for v in value)
            lines.append(f'"{key}": [\n{rows}\n]')
        else:
            lines.append(f'"{key}": {json.dumps(value)}')
    path.write_text("{\n" + ",\n".join(lines) + "\n}\n")


def main():
    check_u_cdf()
    source = f"numpy {np.__version__}, scipy {__import__('scipy').__version__}; tests/scripts/make_statistics_oracle.py"
    write(ROOT / "tests/harness/job/data/statistics_oracle.json", {"source": source, **job_table()})
    write(ROOT / "tests/harness/analysis/data/significance_oracle.json",
          {"source": source, "mann_whitney": mann_whitney_cases(), "ratio_interval": ratio_interval_cases(),
           "step_changes": step_change_cases()})


if __name__ == "__main__":
    main()
