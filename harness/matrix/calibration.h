// What the instruments cost, measured at the start of every matrix run: a phase charge (a wall
// clock read and its bookkeeping, ThreadMeter::charge), a read of the thread's CPU clock, and a
// row written to the timed passes' sink (FingerprintWriter) and to the checked passes' sink
// (DigestWriter). The instrumentation row of a phase breakdown is charges x ns_per_charge + CPU
// reads x ns_per_cpu_read; the method block states all four.
#pragma once

#include <nlohmann/json_fwd.hpp>

namespace sg {

struct Calibration {
  double ns_per_charge = 0;
  double ns_per_cpu_read = 0;
  double fingerprint_ns_per_row = 0;
  double digest_ns_per_row = 0;
  nlohmann::json to_json() const;
};

// Medians of a few short rounds each (well under a second in all), on the calling thread.
Calibration calibrate_instruments();

}  // namespace sg
