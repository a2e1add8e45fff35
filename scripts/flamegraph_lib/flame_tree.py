"""Folded stacks -> a tree of frames, the shape a flamegraph draws.

Each node is one frame reached by one path from the root; its `total` counts the samples whose
stack passes through it (inclusive), `self_count` those that end in it. Children are laid out
in name order (not time order): a flamegraph shows where time goes, not when.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, Iterator, Tuple

ROOT_NAME = "all"


@dataclass
class Node:
    name: str
    total: int = 0
    self_count: int = 0
    children: Dict[str, "Node"] = field(default_factory=dict)

    def child(self, name: str) -> "Node":
        node = self.children.get(name)
        if node is None:
            node = self.children[name] = Node(name)
        return node

    def sorted_children(self):
        return [self.children[k] for k in sorted(self.children)]


def build_tree(folded: Counter) -> Node:
    """The tree under a synthetic root named 'all' that holds every sample."""
    root = Node(ROOT_NAME)
    for stack, count in folded.items():
        assert count >= 0, "sample counts are never negative"
        root.total += count
        node = root
        for frame in stack:
            node = node.child(frame)
            node.total += count
        node.self_count += count
    return root


def walk(root: Node) -> Iterator[Tuple[Tuple[str, ...], Node, int]]:
    """Every node with its path (frame names from below the root down to it) and its depth
    (the root is depth 0), parents before children, children in name order."""
    pending = [((), root, 0)]
    while pending:
        path, node, depth = pending.pop()
        yield path, node, depth
        for child in reversed(node.sorted_children()):
            pending.append((path + (child.name,), child, depth + 1))


def count_nodes(root: Node) -> int:
    return sum(1 for _ in walk(root))


def inclusive_counts(folded: Counter) -> Dict[Tuple[str, ...], int]:
    """Samples through each path (the same numbers as the tree's totals, keyed by path)."""
    counts: Dict[Tuple[str, ...], int] = Counter()
    for stack, count in folded.items():
        for i in range(1, len(stack) + 1):
            counts[stack[:i]] += count
    return counts
