#include "harness/peer.h"

namespace sg {

// Peers are not built yet: every peer cell is reported as skipped with this reason, never as a
// measurement. (Tracked in the runner issue.)
PeerRun run_peer(const std::string& peer, const Scenario&, const CompiledQuery&, const Dataset&,
                 const Digest&) {
  PeerRun run;
  run.available = false;
  run.reason = "peer '" + peer + "' is not implemented yet";
  return run;
}

}  // namespace sg
