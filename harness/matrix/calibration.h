// What the instruments cost, measured at the start of every matrix run: a phase charge (one wall
// and one CPU clock read, ThreadMeter::charge), and a row written to the timed passes' sink
// (FingerprintWriter) and to the checked passes' sink (DigestWriter). The instrumentation row of
// a phase breakdown is charges x ns_per_charge; the method block states the sinks' costs.
#pragma once

#include <nlohmann/json_fwd.hpp>

namespace sg {

struct Calibration {
  double ns_per_charge = 0;
  double fingerprint_ns_per_row = 0;
  double digest_ns_per_row = 0;
  nlohmann::json to_json() const;
};

// Medians of a few short rounds each (well under a second in all), on the calling thread.
Calibration calibrate_instruments();

}  // namespace sg
