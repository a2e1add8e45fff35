"""scripts/run's per-CPU probe (cpu_speed.txt): the same single-threaded benchmark pinned to each
CPU in turn, between the run's steps. The same CPU running it slower later in the same run is the
host taking time from this VM; the rules for that live here, for the reports and for scripts/run.

  python3 scripts/report_lib/host_speed.py RUN/cpu_speed.txt WHEN
      exits 0 and prints why when the probe WHEN ran while the host slowed this VM, 1 when it
      did not, 2 (with a message) when the file cannot be read

No imports from the rest of report_lib: scripts/run calls this file on its own.
"""

import statistics
import sys

# Probes of one CPU more than this far apart are a CPU (or a moment) running at another speed.
CPU_SPEED_SPREAD = 1.15


def read_cpu_speed(path, known=None):
    """{when: {cpu: M records/s}} from the "WHEN CPU RATE" lines of cpu_speed.txt, in file order;
    lines that do not parse, or whose WHEN is not in `known` (when given), are skipped."""
    speeds = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if len(fields) != 3 or (known is not None and fields[0] not in known):
                continue
            try:
                speeds.setdefault(fields[0], {})[int(fields[1])] = float(fields[2])
            except ValueError:
                continue
    return speeds


def _alone(cpu_speed, cpu):
    """The CPU's rates from the probes that ran it alone (every CPU at once is slower by design)."""
    return [rates[cpu] for when, rates in cpu_speed.items()
            if not when.endswith("-parallel") and rates.get(cpu, 0) > 0]


def host_slowdown(cpu_speed):
    """(cpu, slowest probe, fastest probe) of the CPU whose rate alone moved the most between the
    run's probes, where it moved more than CPU_SPEED_SPREAD; else None."""
    worst = None
    for cpu in sorted({c for rates in cpu_speed.values() for c in rates}):
        alone = _alone(cpu_speed, cpu)
        if len(alone) < 2:
            continue
        if max(alone) / min(alone) > CPU_SPEED_SPREAD and (
                worst is None or max(alone) / min(alone) > worst[2] / worst[1]):
            worst = (cpu, min(alone), max(alone))
    return worst


def slowed_probe(cpu_speed, when):
    """(cpu, rate at WHEN, the CPU's median alone) where the probe WHEN read some CPU more than
    CPU_SPEED_SPREAD below that CPU's median over the run's probes alone; else None. The median,
    not the fastest: one lucky probe must not make every other moment look slowed. A probe of
    every CPU at once is slower by design, never slowed."""
    if when.endswith("-parallel"):
        return None
    for cpu, rate in sorted(cpu_speed.get(when, {}).items()):
        alone = _alone(cpu_speed, cpu)
        if len(alone) < 3 or rate <= 0:
            continue  # two probes cannot say which of them is the odd one
        typical = statistics.median(alone)
        if typical / rate > CPU_SPEED_SPREAD:
            return cpu, rate, typical
    return None


def main(argv):
    if len(argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        cpu_speed = read_cpu_speed(argv[1])
    except (OSError, UnicodeDecodeError) as error:
        print(f"host_speed: cannot read {argv[1]}: {error}", file=sys.stderr)
        return 2
    slowed = slowed_probe(cpu_speed, argv[2])
    if slowed is None:
        return 1
    cpu, rate, typical = slowed
    print(f"the probe '{argv[2]}' read cpu{cpu} at {rate:.2f} M records/s against a median of "
          f"{typical:.2f} over the run's probes ({100 * (1 - rate / typical):.0f}% slower)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
