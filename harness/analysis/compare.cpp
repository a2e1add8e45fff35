#include "harness/analysis/compare.h"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "harness/analysis/latency_cell_id.h"
#include "harness/job/statistics.h"

namespace sg {

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Faster: return "faster";
    case Verdict::Slower: return "slower";
    case Verdict::Same: return "same";
    case Verdict::Unstable: return "unstable";
    case Verdict::OnlyBaseline: return "only in baseline";
    case Verdict::OnlyCurrent: return "only in current";
  }
  return "?";
}

SampleSet load_sample_set(const nlohmann::json& doc, const std::string& name) {
  SampleSet set;
  const std::string format = doc.is_object() ? doc.value("format", "") : "";
  if (format == "streamgauge-matrix-result/1") {
    set.kind = "wall_ns";
    set.source = "matrix result";
    for (const auto& cell : doc.at("cells")) {
      if (cell.value("status", "") != "ok" || !cell.contains("samples")) continue;
      auto& v = set.cells[cell.at("id").get<std::string>()];
      for (const auto& s : cell.at("samples")) v.push_back(s.at("wall_ns").get<double>());
    }
    return set;
  }
  if (format == "streamgauge-latency/1") {
    // One cell per (scenario, strategy, settings, offered rate); each pass's p99 is a sample,
    // judged like the repetitions of a timed cell.
    set.kind = "p99_ns";
    for (const auto& cell : doc.at("cells")) {
      for (const auto& rate : cell.at("rates")) {
        if (!rate.at("ok").get<bool>()) continue;
        auto& v = set.cells[latency_cell_id(cell, rate)];
        for (const auto& pass : rate.at("passes"))
          v.push_back(pass.at("latency_ns").at("p99").get<double>());
      }
    }
    return set;
  }
  if (format == "streamgauge-instructions/1") {
    set.kind = "instructions";
    set.source = "instruction counts";
    for (const auto& [id, count] : doc.at("cells").items()) set.cells[id].push_back(count.get<double>());
    return set;
  }
  if (doc.is_object() && doc.contains("benchmarks") && doc.contains("context")) {
    set.kind = "wall_ns";
    set.source = "Google Benchmark JSON";
    for (const auto& b : doc.at("benchmarks")) {
      // Repetitions are the "iteration" entries; aggregates (mean, median, stddev) are derived.
      if (b.value("run_type", "iteration") != "iteration") continue;
      const std::string unit = b.value("time_unit", "ns");
      const double scale = unit == "s" ? 1e9 : unit == "ms" ? 1e6 : unit == "us" ? 1e3 : 1.0;
      set.cells[b.value("run_name", b.value("name", ""))].push_back(b.at("real_time").get<double>() * scale);
    }
    return set;
  }
  throw std::runtime_error(name + ": not a streamgauge matrix or latency result, instruction-count "
                                  "file or Google Benchmark JSON");
}

size_t Comparison::count(Verdict v) const {
  size_t n = 0;
  for (const CellComparison& c : cells) n += c.verdict == v;
  return n;
}

std::vector<std::string> Comparison::stale_cells() const {
  std::vector<std::string> out;
  for (const CellComparison& c : cells)
    if (c.stale) out.push_back(c.id);
  return out;
}

static CellComparison judge(const std::string& id, const std::vector<double>& base,
                            const std::vector<double>& cur, bool deterministic,
                            const CompareOptions& o, double threshold, double stale) {
  CellComparison c;
  c.id = id;
  Summary sb = summarize(base), sc = summarize(cur);
  c.baseline_median = sb.median;
  c.current_median = sc.median;
  c.ratio = sb.median > 0 ? sc.median / sb.median : 0;
  c.spread = std::max(sb.cv, sc.cv);
  const bool big = std::fabs(c.ratio - 1) >= threshold;
  const Verdict change = c.ratio > 1 ? Verdict::Slower : Verdict::Faster;
  c.stale = stale > 0 && c.ratio > 0 && c.ratio < 1 - stale;
  if (c.stale) c.note = "stale baseline";
  if (deterministic) {
    // The same binary on the same fixed workload gives the same count: any difference is real.
    c.verdict = big ? change : Verdict::Same;
    return c;
  }
  c.test = mann_whitney(base, cur);
  if (base.size() < o.min_samples || cur.size() < o.min_samples) {
    c.verdict = Verdict::Unstable;
    c.note = fmt::format("{} vs {} repetitions: at least {} a side are needed to judge",
                         base.size(), cur.size(), o.min_samples);
  } else if (big && c.test.p_value < o.alpha) {
    c.verdict = change;
  } else if (c.spread > threshold) {
    c.verdict = Verdict::Unstable;
    c.note = fmt::format("spread (cv {:.1f}%) wider than the {:.0f}% threshold", c.spread * 100,
                         threshold * 100);
  } else if (big) {
    c.verdict = Verdict::Unstable;
    c.note = fmt::format("moved {:+.1f}% but not significantly (p = {:.3f})", (c.ratio - 1) * 100,
                         c.test.p_value);
  } else {
    c.verdict = Verdict::Same;
  }
  return c;
}

Comparison compare(const SampleSet& baseline, const SampleSet& current, CompareOptions o) {
  if (baseline.kind != current.kind || baseline.source != current.source) {
    throw CompareInputError("cannot compare " + baseline.source + " (" + baseline.kind +
                            ") with " + current.source + " (" + current.kind + ")");
  }
  const bool deterministic = baseline.kind == "instructions";
  Comparison out;
  out.kind = baseline.kind;
  out.threshold = o.threshold >= 0 ? o.threshold : (deterministic ? 0.02 : 0.10);
  out.stale_threshold = o.stale >= 0 ? o.stale : (deterministic ? 0.005 : 0.0);
  double log_sum = 0;
  size_t both = 0;
  for (const auto& [id, base] : baseline.cells) {
    auto it = current.cells.find(id);
    if (it == current.cells.end()) {
      CellComparison c;
      c.id = id;
      c.verdict = Verdict::OnlyBaseline;
      out.cells.push_back(c);
      continue;
    }
    out.cells.push_back(judge(id, base, it->second, deterministic, o, out.threshold, out.stale_threshold));
    ++out.common;
    if (out.cells.back().ratio > 0) {
      log_sum += std::log(out.cells.back().ratio);
      ++both;
    }
  }
  for (const auto& [id, cur] : current.cells) {
    if (!baseline.cells.count(id)) {
      CellComparison c;
      c.id = id;
      c.verdict = Verdict::OnlyCurrent;
      out.cells.push_back(c);
    }
  }
  out.geomean_ratio = both ? std::exp(log_sum / double(both)) : 1.0;
  return out;
}

std::string Comparison::to_text() const {
  const bool instr = kind == "instructions";
  std::string s = fmt::format("{:<60} {:>14} {:>14} {:>8} {:>8}  {}\n", "cell",
                              instr ? "baseline Ir" : "baseline ms", instr ? "current Ir" : "current ms",
                              "change", instr ? "" : "p", "verdict");
  auto fmt_value = [&](double v) {
    return instr ? fmt::format("{:.0f}", v) : fmt::format("{:.3f}", v / 1e6);
  };
  for (const CellComparison& c : cells) {
    if (c.verdict == Verdict::OnlyBaseline || c.verdict == Verdict::OnlyCurrent) {
      s += fmt::format("{:<60} {:>14} {:>14} {:>8} {:>8}  {}\n", c.id, "", "", "", "", verdict_name(c.verdict));
      continue;
    }
    s += fmt::format("{:<60} {:>14} {:>14} {:>+7.1f}% {:>8}  {}{}\n", c.id, fmt_value(c.baseline_median),
                     fmt_value(c.current_median), (c.ratio - 1) * 100,
                     instr ? "" : fmt::format("{:.3f}", c.test.p_value), verdict_name(c.verdict),
                     c.note.empty() ? "" : " (" + c.note + ")");
  }
  if (common) {
    s += fmt::format("{:<60} {:>14} {:>14} {:>+7.1f}%\n", "geometric mean", "", "",
                     (geomean_ratio - 1) * 100);
  } else {
    s += fmt::format("{:<60} none: no cell is in both files\n", "geometric mean");
  }
  s += fmt::format("\n{} faster, {} slower, {} same, {} unstable; threshold {:.0f}%{}\n",
                   count(Verdict::Faster), count(Verdict::Slower), count(Verdict::Same),
                   count(Verdict::Unstable), threshold * 100,
                   instr ? " (instruction counts, deterministic)"
                         : ", Mann-Whitney U two-sided p < 0.05 required");
  const std::vector<std::string> stale = stale_cells();
  if (!stale.empty()) {
    s += fmt::format("\nbaseline stale: {} cell(s) count more than {:.1f}% fewer instructions than the "
                     "baseline, which widens the {:.0f}% gate; refresh these cells' baseline:\n",
                     stale.size(), stale_threshold * 100, threshold * 100);
    for (const std::string& id : stale) s += "  " + id + "\n";
  }
  return s;
}

nlohmann::json Comparison::to_json() const {
  nlohmann::json cells_json = nlohmann::json::array();
  for (const CellComparison& c : cells) {
    cells_json.push_back({{"id", c.id},
                          {"baseline_median", c.baseline_median},
                          {"current_median", c.current_median},
                          {"ratio", c.ratio},
                          {"spread_cv", c.spread},
                          {"p_value", c.test.p_value},
                          {"exact_test", c.test.exact},
                          {"verdict", verdict_name(c.verdict)},
                          {"note", c.note},
                          {"stale", c.stale}});
  }
  return {{"kind", kind},           {"threshold", threshold},         {"stale_threshold", stale_threshold},
          {"stale_cells", stale_cells()}, {"geomean_ratio", geomean_ratio}, {"common_cells", common},
          {"cells", cells_json}};
}

}  // namespace sg
