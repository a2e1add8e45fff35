#include "harness/matrix/pass_schedule.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <random>

#include <fmt/format.h>

namespace sg {
namespace {

constexpr uint64_t kOrderSeed = 0x6f72646572;         // "order": the headline rounds' shuffle
constexpr uint64_t kInstrumentedSeed = 0x696e737472;  // "instr"

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Slot {
  PreparedCell* cell = nullptr;
  PreparedCell* baseline = nullptr;  // set for a paired cell
  std::optional<PairedSchedule> pairs;
  int passes = 0;
  bool open = true;
};

bool ok(const PreparedCell* pc) {
  return pc->result->status == CellStatus::Ok;
}

// Runs one pass; on a failed check fails the cell, naming the repetition for timed passes.
bool run_one(PreparedCell& pc, PassKind kind, int repetition, RunResult& out,
             const PassScheduleHooks& hooks) {
  if (kind == PassKind::Timed && hooks.around_timed) hooks.around_timed();
  Verdict v = pc.runner->run_pass(*pc.result, out, kind);
  if (kind == PassKind::Timed && hooks.around_timed) hooks.around_timed();
  if (v.status == CellStatus::Failed && repetition > 0)
    v.reason = fmt::format("{} pass {}: {}", kind == PassKind::Timed ? "timed" : "instrumented",
                           repetition, v.reason);
  if (v.status != CellStatus::Ok) fail_cell(*pc.result, std::move(v));
  if (hooks.after_pass) {
    hooks.after_pass(pc, kind == PassKind::Checked ? "checked"
                         : kind == PassKind::Timed ? "timed"
                                                   : "instrumented");
  }
  return ok(&pc);
}

void run_pair(Slot& s, const PassScheduleHooks& hooks, const std::function<double()>& now) {
  const int rep = static_cast<int>(s.pairs->pairs()) + 1;
  RunResult cell_run, base_run;
  const double t0 = now();
  bool good;
  if (s.pairs->cell_first()) {
    good = run_one(*s.cell, PassKind::Timed, rep, cell_run, hooks) &&
           run_one(*s.baseline, PassKind::Timed, rep, base_run, hooks);
  } else {
    good = run_one(*s.baseline, PassKind::Timed, rep, base_run, hooks) &&
           run_one(*s.cell, PassKind::Timed, rep, cell_run, hooks);
  }
  if (!good) {
    s.open = false;
    return;
  }
  s.pairs->add(double(cell_run.wall_ns), double(base_run.wall_ns), now() - t0);
  s.cell->result->samples.push_back(std::move(cell_run));
  if (s.pairs->done()) s.open = false;
}

void keep_pairs(const Slot& s) {
  if (!s.pairs || s.pairs->pairs() == 0 || !ok(s.cell)) return;
  PairedFigures f;
  f.baseline_id = s.baseline->result->cell.id();
  f.cell_ns = s.pairs->cell_ns();
  f.baseline_ns = s.pairs->baseline_ns();
  f.ratio = s.pairs->ratio();
  f.stop = s.pairs->done() ? paired_stop_name(s.pairs->stop()) : "baseline failed";
  f.spent_s = s.pairs->spent_s();
  s.cell->result->paired = std::move(f);
}

}  // namespace

PairedScheduleOptions paired_options(const MatrixSpec& spec, bool fixed_repetitions) {
  PairedScheduleOptions o;
  o.min_pairs = spec.repetitions;
  o.target_half_width = fixed_repetitions ? -1 : spec.target_half_width;
  o.budget_s = fixed_repetitions ? 0 : spec.cell_budget_s;
  o.max_pairs = std::max(o.max_pairs, spec.repetitions);
  return o;
}

void run_group_passes(const std::vector<PreparedCell*>& group, const MatrixSpec& spec,
                      const Calibration& calibration, const PassScheduleHooks& hooks) {
  const std::function<double()> now = hooks.seconds_now ? hooks.seconds_now : steady_seconds;
  // 1. Checked passes.
  for (int w = 0; w < std::max(spec.warmup, 1); ++w) {
    for (PreparedCell* pc : group) {
      RunResult r;
      if (ok(pc)) run_one(*pc, PassKind::Checked, 0, r, hooks);
    }
  }
  // 2. Headline rounds.
  std::vector<Slot> slots;
  for (PreparedCell* pc : group) {
    Slot s;
    s.cell = pc;
    const Cell& cell = pc->result->cell;
    if (!cell.is_peer()) {
      for (PreparedCell* other : group) {
        if (other != pc && other->result->cell.id() == cell.baseline_id()) s.baseline = other;
      }
    }
    if (s.baseline) s.pairs.emplace(paired_options(spec, hooks.fixed_repetitions));
    slots.push_back(std::move(s));
  }
  std::vector<Slot*> order;
  for (Slot& s : slots) order.push_back(&s);
  for (uint64_t round = 0;; ++round) {
    std::mt19937_64 shuffle_rng(kOrderSeed + round);
    std::shuffle(order.begin(), order.end(), shuffle_rng);
    bool any = false;
    for (Slot* s : order) {
      if (s->open && (!ok(s->cell) || (s->baseline && !ok(s->baseline)))) s->open = false;
      if (!s->open) continue;
      any = true;
      if (s->pairs) {
        run_pair(*s, hooks, now);
      } else {
        RunResult r;
        if (run_one(*s->cell, PassKind::Timed, s->passes + 1, r, hooks))
          s->cell->result->samples.push_back(std::move(r));
        if (++s->passes >= spec.repetitions) s->open = false;
      }
    }
    if (!any) break;
  }
  for (const Slot& s : slots) keep_pairs(s);
  // 3. Instrumented passes.
  std::vector<PreparedCell*> instrumented;
  for (PreparedCell* pc : group)
    if (!pc->result->cell.is_peer() && pc->result->cell.config.phase_timing)
      instrumented.push_back(pc);
  for (int rep = 0; rep < spec.instrumented_repetitions; ++rep) {
    std::mt19937_64 shuffle_rng(kInstrumentedSeed + static_cast<uint64_t>(rep));
    std::shuffle(instrumented.begin(), instrumented.end(), shuffle_rng);
    for (PreparedCell* pc : instrumented) {
      RunResult r;
      if (!ok(pc) || !run_one(*pc, PassKind::Instrumented, rep + 1, r, hooks)) continue;
      for (ThreadReport& t : r.threads)
        apply_instrumentation(t, calibration.ns_per_charge, calibration.ns_per_cpu_read);
      pc->result->instrumented.push_back(std::move(r));
    }
  }
}

}  // namespace sg
