"""Stack folding: profiler text output -> folded stacks.

A folded profile is a Counter mapping a stack (a tuple of frame names, root first) to its number
of samples. On disk it is the usual "folded" text format, one stack per line:
    main;sg::run_matrix;sg::BatchLockStrategy::run 42
Frame names never contain ';' (it is the separator), so it is replaced on the way in.

Readers here: `perf script` output (perf record -g) and `google-pprof --collapsed` output.
"""

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Optional, TextIO

Stack = tuple  # of str, root first

KERNEL_SUFFIX = "_[k]"  # marks kernel frames, the same convention as Brendan Gregg's scripts

# The sample header of `perf script`: "comm pid[/tid] [cpu] time: [period] event:". The command
# name may contain spaces, hence the lazy match up to the first number that is followed by the
# rest of a header.
_PERF_HEADER = re.compile(
    r"^(?P<comm>\S.*?)\s+(?P<pid>\d+)(?:/(?P<tid>\d+))?\s+"
    r"(?:\[\d+\]\s+)?(?:\d+\.\d+:\s+)?(?:(?P<period>\d+)\s+)?(?P<event>[\w.\-]+(?::\w+)?):")
_OFFSET = re.compile(r"\+0x[0-9a-fA-F]+$")
_CLONE_SUFFIX = re.compile(r"(\s*\[clone [^\]]*\])+$")  # 'f() [clone .cold]', GCC's copies of f
_TRAILING_QUALIFIERS = re.compile(r"(\s*(const|volatile|&|&&|noexcept))+$")


class FoldError(ValueError):
    """Input that is not what the reader expects; the message names the line."""


def clean_frame(name: str) -> str:
    """Makes a frame name safe for the folded format (no ';', no newlines, not empty)."""
    name = name.replace(";", ":").replace("\n", " ").strip()
    return name or "[unknown]"


def tidy_cpp_name(name: str) -> str:
    """Drops a C++ function's parameter list and trailing qualifiers so overloads and long
    signatures do not drown the name: 'sg::f(int, std::string const&) const' -> 'sg::f'.
    '(anonymous namespace)' inside a name is kept; 'operator()' keeps its own parentheses.
    GCC's clones ('[clone .cold]', '[clone .isra.0]') are named after the function they copy."""
    name = _CLONE_SUFFIX.sub("", name)
    stripped = _TRAILING_QUALIFIERS.sub("", name)
    if not stripped.endswith(")"):
        return name
    depth = 0
    for i in range(len(stripped) - 1, -1, -1):
        c = stripped[i]
        if c == ")":
            depth += 1
        elif c == "(":
            depth -= 1
            if depth == 0:
                head = stripped[:i]
                # "(anonymous namespace)" alone, or "operator()" itself: leave it as it is.
                if not head or head.endswith(("::", " ", "operator")):
                    return name
                return head
    return name


def strip_return_type(name: str) -> str:
    """'void std::f<int>' -> 'std::f<int>': pprof prints template functions' return types,
    perf does not; without them the two profilers name frames alike. A space inside <>, (),
    {} or [] is part of a name, and so is the one in 'operator new'."""
    depth = 0
    cut = -1
    for i, c in enumerate(name):
        if c in "<({[":
            depth += 1
        elif c in ">)}]":
            depth = max(0, depth - 1)
        elif c == " " and depth == 0 and not name[:i].endswith("operator"):
            cut = i
    return name[cut + 1:] if cut >= 0 else name


def _split_perf_frame(line: str):
    """'<addr> <symbol>+0x1f (<dso>)' -> (symbol, dso). The dso is the last parenthesised group
    (found from the end, since C++ symbols contain parentheses too)."""
    body = line.strip()
    parts = body.split(None, 1)
    if len(parts) < 2:
        return None
    rest = parts[1]
    if not rest.endswith(")"):
        return rest, ""
    depth = 0
    for i in range(len(rest) - 1, -1, -1):
        if rest[i] == ")":
            depth += 1
        elif rest[i] == "(":
            depth -= 1
            if depth == 0:
                return rest[:i].rstrip(), rest[i + 1:-1]
    return rest, ""


def _perf_frame_name(symbol: str, dso: str, tidy: bool) -> str:
    symbol = _OFFSET.sub("", symbol)
    if symbol in ("", "[unknown]"):
        # Without a symbol, the library it is in is the most useful thing to show.
        base = dso.rsplit("/", 1)[-1] if dso and dso != "[unknown]" else ""
        return f"[{base}]" if base else "[unknown]"
    if tidy:
        symbol = tidy_cpp_name(symbol)
    name = clean_frame(symbol)
    if dso.startswith("[kernel") or dso.startswith("[guest.kernel"):
        name += KERNEL_SUFFIX
    return name


@dataclass
class PerfSample:
    comm: str  # the thread's command name
    pid: Optional[int]  # None when perf script was not asked for it (-F pid)
    tid: int
    frames: Stack  # root first


def iter_perf_samples(lines: Iterable[str], tidy: bool = True,
                      source: str = "perf script") -> Iterator[PerfSample]:
    """The samples of `perf script` output (recorded with call graphs).

    perf prints each sample as a header line, then its frames leaf first, one per indented line,
    then a blank line."""
    header = None  # (comm, pid, tid) of the sample being read
    frames: list = []

    def sample():
        return PerfSample(header[0], header[1], header[2], tuple(reversed(frames)))

    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n")
        if not line.strip():
            if header is not None:
                yield sample()
            header, frames = None, []
            continue
        if line.startswith("#"):
            continue  # perf's own comments (--header)
        if line[0] in " \t":
            if header is None:
                raise FoldError(f"{source}:{number}: a stack frame before any sample header: "
                                f"'{line.strip()}'")
            split = _split_perf_frame(line)
            if split is None:
                raise FoldError(f"{source}:{number}: expected '<address> <symbol> (<dso>)', "
                                f"found '{line.strip()}'")
            frames.append(_perf_frame_name(split[0], split[1], tidy))
            continue
        match = _PERF_HEADER.match(line)
        if not match:
            raise FoldError(f"{source}:{number}: expected a sample header "
                            f"'comm pid time: period event:', found '{line}'")
        if header is not None:
            yield sample()
        # Without -F pid, perf prints the thread id alone where the pid would be.
        first, second = int(match.group("pid")), match.group("tid")
        pid, tid = (first, int(second)) if second is not None else (None, first)
        header, frames = (match.group("comm"), pid, tid), []
    if header is not None:
        yield sample()


def fold_perf_script(lines: Iterable[str], tidy: bool = True, include_comm: bool = False,
                     source: str = "perf script",
                     keep: Optional[Callable[[PerfSample], bool]] = None) -> Counter:
    """Folds `perf script` output into stacks, one count per sample (perf's cpu-clock samples
    at a fixed frequency, so samples are time). keep, when given, chooses the samples. A sample
    without frames is counted under its command name alone so that no sample is lost."""
    folded: Counter = Counter()
    for sample in iter_perf_samples(lines, tidy, source):
        if keep is not None and not keep(sample):
            continue
        stack = sample.frames
        if include_comm or not stack:
            stack = (clean_frame(sample.comm),) + stack
        folded[stack] += 1
    return folded


def parse_folded(lines: Iterable[str], tidy: bool = False, source: str = "folded") -> Counter:
    """Reads folded text ('a;b;c 12' per line) and merges equal stacks. This is also what
    `google-pprof --collapsed` prints, so it reads that too (with tidy=True to drop C++
    parameter lists, which pprof keeps)."""
    folded: Counter = Counter()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        stack_text, sep, count_text = line.rpartition(" ")
        if not sep or not stack_text.strip():
            raise FoldError(f"{source}:{number}: expected 'frame;frame;... COUNT', "
                            f"found '{line}'")
        try:
            count = int(count_text)
        except ValueError:
            raise FoldError(f"{source}:{number}: expected a whole sample count at the end, "
                            f"found '{count_text}'") from None
        if count < 0:
            raise FoldError(f"{source}:{number}: negative sample count {count}")
        frames = stack_text.strip().split(";")
        if tidy:
            frames = [tidy_cpp_name(f) for f in frames]
        stack = tuple(clean_frame(f) for f in frames)
        if count:
            folded[stack] += count
    return folded


_PPROF_INLINE = re.compile(r"\[inline\]$")  # a frame inlined into its caller: 'f(int)[inline]'
_PPROF_ADDRESS = re.compile(r"<[0-9a-fA-F]{8,}>$")  # 'main<00000000000013d6>'
_SYMBOL_VERSION = re.compile(r"@@?[A-Za-z_]+[\w.]*$")  # 'f@@GLIBCXX_3.4.11'


def pprof_frame_name(frame: str, tidy: bool = True) -> str:
    """One frame of pprof --collapsed, named as perf would name it. pprof also shows inlined
    functions as frames (marked '[inline]'); they stay, unmarked."""
    name = _PPROF_INLINE.sub("", frame.strip())
    name = _SYMBOL_VERSION.sub("", _PPROF_ADDRESS.sub("", name))
    if re.fullmatch(r"(0x)?[0-9a-fA-F]{6,}", name):
        return "[unknown]"  # an address pprof could not name
    if tidy:
        name = strip_return_type(tidy_cpp_name(name))
    return clean_frame(name)


def fold_pprof_collapsed(lines: Iterable[str], tidy: bool = True,
                         source: str = "pprof --collapsed") -> Counter:
    """Collapses `google-pprof --collapsed` output. pprof prints one line per sampled address
    path, so one stack appears on many lines, and its names carry addresses ('<00..13d6>'),
    symbol versions ('@@GLIBCXX_3.4'), parameter lists and return types; once cleaned, equal
    stacks are merged."""
    raw = parse_folded(lines, tidy=False, source=source)
    folded: Counter = Counter()
    for stack, count in raw.items():
        folded[tuple(pprof_frame_name(f, tidy) for f in stack)] += count
    return folded


def write_folded(folded: Counter, out: TextIO) -> None:
    """Writes stacks sorted by name, so equal profiles give equal files."""
    for stack in sorted(folded):
        out.write(";".join(clean_frame(f) for f in stack) + f" {folded[stack]}\n")


def total_samples(folded: Counter) -> int:
    return sum(folded.values())
