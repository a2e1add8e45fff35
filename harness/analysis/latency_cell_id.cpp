#include "harness/analysis/latency_cell_id.h"

#include <cstdint>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace sg {

std::string latency_cell_id(const nlohmann::json& cell, const nlohmann::json& rate) {
  const auto& config = cell.at("config");
  return fmt::format("{}/{}/{}/b{}/p{}/linger{}us/rate {}", cell.at("scenario").get<std::string>(),
                     cell.at("strategy").get<std::string>(), config.at("engine").get<std::string>(),
                     config.at("batch_size").get<uint64_t>(), config.at("partitions").get<int>(),
                     cell.value("linger_ns", int64_t{0}) / 1000,
                     rate.at("rate").get<std::string>());
}

}  // namespace sg
