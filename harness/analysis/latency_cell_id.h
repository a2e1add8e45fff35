// The id of one offered rate of one latency cell, as `compare` and `history` key it:
// "SCENARIO/STRATEGY/ENGINE/bBATCH/pPARTITIONS/lingerLus/rate RATE" (RATE as given: "50%").
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace sg {

// `cell`: one entry of a streamgauge-latency/1 result's "cells"; `rate`: one of its "rates".
std::string latency_cell_id(const nlohmann::json& cell, const nlohmann::json& rate);

}  // namespace sg
