#include "harness/job/source_kind.h"

#include <array>
#include <utility>

namespace sg {
namespace {

constexpr std::array<std::pair<SourceKind, const char*>, 3> kSources{
    {{SourceKind::Lent, "lent"},
     {SourceKind::Shared, "shared"},
     {SourceKind::Materialized, "materialized"}}};

}  // namespace

const char* source_kind_name(SourceKind s) {
  for (const auto& [kind, name] : kSources)
    if (kind == s) return name;
  return "?";
}

std::optional<SourceKind> parse_source_kind(std::string_view s) {
  for (const auto& [kind, name] : kSources)
    if (s == name) return kind;
  return std::nullopt;
}

std::string source_kind_names() {
  std::string names;
  for (const auto& [kind, name] : kSources)
    names += (names.empty() ? "" : ", ") + std::string(name);
  return names;
}

}  // namespace sg
