"""peers.md's findings: each peer's query time against our direct run, over the scenarios where it
did our work."""

from . import common
from . import findings as f

PEERS = ("sqlite", "duckdb")


def _peer(m, peer):
    batch = common.main_batch(m)
    ratios, sources = [], set()
    for sc in m.scenarios():
        n = common.main_records(m, sc)
        direct = m.one(scenario=sc, strategy="direct", engine="sql", batch_size=batch, records=n)
        cell = next((c for c in m.cells if c.peer and c.strategy == peer and c.scenario == sc
                     and c.records == n and not c.peer_work), None)
        _, r = common.compare(cell, direct)
        if r:
            ratios.append((sc, r))
            sources.add(direct.source)
    if not ratios:
        return None
    slower = sum(r[0] > 1.0 for _, r in ratios)
    reads = sorted(sources - {"lent"})
    decode = (f", ours including reading the `{'`, `'.join(reads)}` source, which the peer's time "
              "does not (its loading is excluded)" if reads else "")
    return (f"{peer} took {f.spread_text(ratios)} the time of our direct run on the same records "
            f"({len(ratios)} scenarios where it did our work; slower in every repetition in "
            f"{slower}{decode}): a measure of how fast the SQL work alone can be, before any "
            "coordination a seed pipeline adds.")


def add(report, data):
    m = data.matrix("default")
    if m is None:
        return
    for peer in PEERS:
        report.finding(_peer(m, peer))
