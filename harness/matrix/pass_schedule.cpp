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
  std::vector<double> line_rt_ns;  // one per pair, as before_pair measured it
  size_t passes = 0;  // timed alone (an unpaired cell)
  bool open = true;
};

bool ok(const PreparedCell* pc) {
  return pc->result->status == CellStatus::Ok;
}

class Schedule {
 public:
  Schedule(const MatrixSpec& spec, const Calibration& calibration, const PassScheduleHooks& hooks)
      : spec_(spec),
        calibration_(calibration),
        hooks_(hooks),
        now_(hooks.seconds_now ? hooks.seconds_now : steady_seconds) {}

  void run(const std::vector<PreparedCell*>& group) {
    std::vector<Slot> slots = make_slots(group);
    if (hooks_.pairing_started) {
      for (const Slot& s : slots)
        if (s.pairs && s.open)
          hooks_.pairing_started(*s.cell, paired_options(spec_, hooks_.fixed_repetitions).budget_s,
                                 s.pairs->spent_s());
    }
    checked_passes(group, slots);
    headline_rounds(slots);
    for (const Slot& s : slots) keep_pairs(s);
    instrumented_passes(group);
  }

 private:
  bool stopping() const { return hooks_.stop_requested && hooks_.stop_requested(); }

  RestoredPasses restored(const PreparedCell& pc) const {
    return hooks_.restored ? hooks_.restored(*pc.result) : RestoredPasses{};
  }

  // Runs one pass; on a failed check fails the cell, naming the pass for timed and instrumented
  // ones. The sample is the caller's to keep; after_pass sees it only once it is final.
  bool run_one(PreparedCell& pc, PassKind kind, int repetition, RunResult& out, bool in_pair) {
    const double t0 = now_();
    if (kind == PassKind::Timed && hooks_.around_timed) hooks_.around_timed();
    PassVerdict v = pc.runner->run_pass(*pc.result, out, kind);
    if (kind == PassKind::Timed && hooks_.around_timed) hooks_.around_timed();
    if (v.status == CellStatus::Failed && kind != PassKind::Checked)
      v.reason = fmt::format("{} pass {}: {}", pass_kind_name(kind), repetition + 1, v.reason);
    if (kind == PassKind::Instrumented && v.status == CellStatus::Ok) {
      for (ThreadReport& t : out.threads)
        apply_instrumentation(t, calibration_.ns_per_charge, calibration_.ns_per_cpu_read);
    }
    if (hooks_.after_pass) {
      PassDone done;
      done.cell = &pc;
      done.kind = kind;
      done.repetition = repetition;
      done.in_pair = in_pair;
      done.verdict = &v;
      done.sample = v.status == CellStatus::Ok ? &out : nullptr;
      done.seconds = now_() - t0;
      hooks_.after_pass(done);
    }
    if (v.status != CellStatus::Ok) fail_cell(*pc.result, std::move(v));
    return ok(&pc);
  }

  std::vector<Slot> make_slots(const std::vector<PreparedCell*>& group) const {
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
      const RestoredPasses before = restored(*pc);
      if (s.baseline) {
        s.pairs.emplace(paired_options(spec_, hooks_.fixed_repetitions));
        for (const RestoredPasses::Pair& p : before.pairs) {
          s.pairs->add(p.cell_ns, p.baseline_ns, p.spent_s);
          s.line_rt_ns.push_back(p.line_rt_ns);
        }
        s.open = !s.pairs->done();
      } else {
        s.passes = before.timed;
        s.open = s.passes < static_cast<size_t>(spec_.repetitions);
      }
      slots.push_back(std::move(s));
    }
    return slots;
  }

  bool needs_instrumented(const PreparedCell& pc) const {
    return !pc.result->cell.is_peer() && pc.result->cell.config.phase_timing &&
           restored(pc).instrumented < static_cast<size_t>(spec_.instrumented_repetitions);
  }

  // 1. Checked passes, for every cell with a pass left to run (a resumed run's finished cells
  // need none), and for the baselines of those still pairing.
  void checked_passes(const std::vector<PreparedCell*>& group, const std::vector<Slot>& slots) {
    std::vector<PreparedCell*> to_check;
    for (PreparedCell* pc : group) {
      bool needed = needs_instrumented(*pc);
      for (const Slot& s : slots) needed = needed || (s.open && (s.cell == pc || s.baseline == pc));
      if (needed) to_check.push_back(pc);
    }
    for (int w = 0; w < std::max(spec_.warmup, 1); ++w) {
      for (PreparedCell* pc : to_check) {
        if (stopping()) return;
        RunResult r;
        if (ok(pc)) run_one(*pc, PassKind::Checked, w, r, false);
      }
    }
  }

  void close(Slot& s) {
    s.open = false;
    if (s.pairs && hooks_.pairing_ended) hooks_.pairing_ended(*s.cell);
  }

  void run_pair(Slot& s) {
    const int rep = static_cast<int>(s.pairs->pairs());
    RunResult cell_run, base_run;
    const double line_rt_ns = hooks_.before_pair ? hooks_.before_pair() : 0;
    const double t0 = now_();
    bool good;
    if (s.pairs->cell_first()) {
      good = run_one(*s.cell, PassKind::Timed, rep, cell_run, true) &&
             run_one(*s.baseline, PassKind::Timed, rep, base_run, true);
    } else {
      good = run_one(*s.baseline, PassKind::Timed, rep, base_run, true) &&
             run_one(*s.cell, PassKind::Timed, rep, cell_run, true);
    }
    if (!good) {
      close(s);
      return;
    }
    const double spent = now_() - t0;
    s.pairs->add(double(cell_run.wall_ns), double(base_run.wall_ns), spent);
    s.line_rt_ns.push_back(line_rt_ns);
    if (hooks_.after_pair)
      hooks_.after_pair(*s.cell, rep, cell_run, double(base_run.wall_ns), spent, line_rt_ns);
    s.cell->result->samples.push_back(std::move(cell_run));
    if (s.pairs->done()) close(s);
  }

  // 2. Headline rounds.
  void headline_rounds(std::vector<Slot>& slots) {
    std::vector<Slot*> order;
    for (Slot& s : slots) order.push_back(&s);
    for (uint64_t round = 0;; ++round) {
      std::mt19937_64 shuffle_rng(kOrderSeed + round);
      std::shuffle(order.begin(), order.end(), shuffle_rng);
      bool any = false;
      for (Slot* s : order) {
        if (s->open && (!ok(s->cell) || (s->baseline && !ok(s->baseline)))) close(*s);
        if (!s->open) continue;
        if (stopping()) {
          stopped_ = true;
          return;
        }
        any = true;
        if (s->pairs) {
          run_pair(*s);
        } else {
          RunResult r;
          if (run_one(*s->cell, PassKind::Timed, static_cast<int>(s->passes), r, false))
            s->cell->result->samples.push_back(std::move(r));
          if (++s->passes >= static_cast<size_t>(spec_.repetitions)) s->open = false;
        }
      }
      if (!any) break;
    }
  }

  void keep_pairs(const Slot& s) const {
    if (!s.pairs || s.pairs->pairs() == 0 || !ok(s.cell)) return;
    PairedFigures f;
    f.baseline_id = s.baseline->result->cell.id();
    f.cell_ns = s.pairs->cell_ns();
    f.baseline_ns = s.pairs->baseline_ns();
    f.line_rt_ns = s.line_rt_ns;
    f.ratio = s.pairs->ratio();
    f.stop = s.pairs->done() ? paired_stop_name(s.pairs->stop())
             : stopped_      ? "interrupted"
                             : "baseline failed";
    f.spent_s = s.pairs->spent_s();
    s.cell->result->paired = std::move(f);
  }

  // 3. Instrumented passes.
  void instrumented_passes(const std::vector<PreparedCell*>& group) {
    std::vector<PreparedCell*> instrumented;
    for (PreparedCell* pc : group)
      if (needs_instrumented(*pc)) instrumented.push_back(pc);
    for (int rep = 0; rep < spec_.instrumented_repetitions; ++rep) {
      std::mt19937_64 shuffle_rng(kInstrumentedSeed + static_cast<uint64_t>(rep));
      std::shuffle(instrumented.begin(), instrumented.end(), shuffle_rng);
      for (PreparedCell* pc : instrumented) {
        if (!ok(pc) || static_cast<size_t>(rep) < restored(*pc).instrumented) continue;
        if (stopping()) return;
        RunResult r;
        if (run_one(*pc, PassKind::Instrumented, rep, r, false))
          pc->result->instrumented.push_back(std::move(r));
      }
    }
  }

  const MatrixSpec& spec_;
  const Calibration& calibration_;
  const PassScheduleHooks& hooks_;
  std::function<double()> now_;
  bool stopped_ = false;
};

}  // namespace

const char* pass_kind_name(PassKind k) {
  switch (k) {
    case PassKind::Checked:
      return "checked";
    case PassKind::Timed:
      return "timed";
    case PassKind::Instrumented:
      return "instrumented";
  }
  return "?";
}

PairedScheduleOptions paired_options(const MatrixSpec& spec, bool fixed_repetitions) {
  PairedScheduleOptions o;
  o.min_pairs = spec.repetitions;
  o.target_half_width = fixed_repetitions ? -1 : spec.target_half_width;
  o.target_overhead_half_width = fixed_repetitions ? 0 : spec.target_overhead_half_width;
  o.budget_s = fixed_repetitions ? 0 : spec.cell_budget_s;
  o.max_pairs = std::max(o.max_pairs, spec.repetitions);
  return o;
}

void run_group_passes(const std::vector<PreparedCell*>& group, const MatrixSpec& spec,
                      const Calibration& calibration, const PassScheduleHooks& hooks) {
  Schedule(spec, calibration, hooks).run(group);
}

}  // namespace sg
