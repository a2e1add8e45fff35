"""startup.md's findings (seed 000): what spawn-less and lazy save, and the gap to direct."""

from statistics import median

from . import findings as f
from . import markdown as md

SCENARIO = "startup_small_results"
EAGER = "startup/whole/eager/records:1/real_time"
LAZY = "startup/whole/lazy/records:1/real_time"
SPAWNLESS = "startup/whole/spawnless/records:1/real_time"


def _spawnless(data):
    eager, spawnless = data.bench("bench_startup", EAGER), data.bench("bench_startup", SPAWNLESS)
    if not eager or not spawnless:
        return None
    return (f"A spawn-less stream started and delivered one row in {f.ns(spawnless.median_ns)} "
            f"against {f.ns(eager.median_ns)} for eager (`bench_startup`, one-row stream): "
            f"spawn-less saves {f.ns(eager.median_ns - spawnless.median_ns)} per query, which a "
            "pipeline running many small queries feels and a 1M-row stream does not.")


def _lazy(data):
    eager = data.bench("bench_startup", "startup/step/pause_state/eager")
    lazy = data.bench("bench_startup", "startup/step/pause_state/lazy")
    whole_e, whole_l = data.bench("bench_startup", EAGER), data.bench("bench_startup", LAZY)
    if not eager or not lazy:
        return None
    text = (f"Lazy pause/resume state saves {f.ns(eager.median_ns - lazy.median_ns)} per query "
            f"({f.ns(eager.median_ns)} eager vs {f.ns(lazy.median_ns)} lazy)")
    if whole_e and whole_l:
        text += (f"; a whole lazy one-row stream took {f.ns(whole_l.median_ns)} against eager's "
                 f"{f.ns(whole_e.median_ns)}, because the thread start dominates both")
    return text + ": lazy alone does not remove a seed pipeline's start-up cost."


def _gap(data, smallest):
    m = data.matrix("startup") or data.matrix("default")
    if m is None:
        return None
    counts = sorted({c.records for c in m.cells if c.scenario == SCENARIO})
    if not counts:
        return None
    n = counts[0] if smallest else counts[-1]
    direct = next((c for c in m.find(scenario=SCENARIO, strategy="direct", engine="sql",
                                     records=n) if c.ok), None)
    eager = next((c for c in m.find(scenario=SCENARIO, strategy="streaming", engine="sql",
                                    records=n, partitions=1)
                  if c.config.get("streaming", "eager") == "eager"), None)
    if not direct or not eager or not direct.ok or not eager.ok:
        return None
    r = md.ratio_range(eager, direct)
    diff = f.median_wall_difference_ns(eager, direct)
    text = (f"At {md.fmt_count(n)} rows eager streaming {f.longer_text(r, 'direct')} "
            f"({f.ns(abs(diff))} per query, {f.relation_words(r)}): ")
    if smallest:
        scale = ("far below" if diff < 1.5e6 else "within reach of" if diff < 15e6 else "above")
        return text + (f"a difference {scale} the seed's 15-20 ms start-up (its 23.5% gap at 10K "
                       "rows): a pipeline built like the seeds' need not pay milliseconds to start "
                       "a stream.")
    if diff < 0:
        return text + ("streaming overlaps producing and consuming on two threads, which direct "
                       "does not; see 'Anomalies' below.")
    share = diff / max(median(direct.wall_ns()), 1) * 100
    return text + (f"{share:.1f}% of direct's query time: at this size start-up is not what a "
                   "seed pipeline should optimise.")


def add(report, data):
    report.finding(_spawnless(data))
    report.finding(_lazy(data))
    report.finding(_gap(data, smallest=True))
    report.finding(_gap(data, smallest=False))
