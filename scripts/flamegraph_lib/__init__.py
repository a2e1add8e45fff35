"""Flamegraphs for streamgauge: stack folding, SVG rendering, differential rendering.

Modules:
  folding        perf script / pprof --collapsed text -> folded stacks (Counter of frame tuples)
  flame_tree     folded stacks -> a tree of frames with inclusive and self counts
  svg_render     a tree -> a self-contained SVG flamegraph
  diff_render    two folded profiles -> a differential SVG (red hotter, blue cooler)
  profiling      running streamgauge under perf or gperftools' CPU profiler
"""
