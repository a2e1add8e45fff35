#include "harness/job/handoff.h"

#include <array>
#include <utility>

namespace sg {
namespace {

constexpr std::array<std::pair<Handoff, const char*>, 3> kHandoffs{
    {{Handoff::Move, "move"}, {Handoff::Share, "share"}, {Handoff::DeepCopy, "deep-copy"}}};

}  // namespace

const char* handoff_name(Handoff h) {
  for (const auto& [kind, name] : kHandoffs)
    if (kind == h) return name;
  return "?";
}

std::optional<Handoff> parse_handoff(std::string_view s) {
  for (const auto& [kind, name] : kHandoffs)
    if (s == name) return kind;
  return std::nullopt;
}

std::string handoff_names() {
  std::string names;
  for (const auto& [kind, name] : kHandoffs)
    names += (names.empty() ? "" : ", ") + std::string(name);
  return names;
}

}  // namespace sg
