// Where a timed pass's records come from (JobConfig::source). The records are the same in all
// three; what differs is who pays to make them and what crossing threads costs:
//   lent          the dataset's records, lent without touching their counts (DataReader::
//                 read_view): the pure cost of moving pointers, as before this option existed
//   shared        the same records handed out as shared pointers (one atomic increment each)
//   materialized  a log encoded before timing (harness/io/record_log.h), decoded into fresh
//                 records by the reading thread during the pass, as a real source's would be
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sg {

enum class SourceKind { Lent, Shared, Materialized };

const char* source_kind_name(SourceKind s);  // "lent", "shared", "materialized"
std::optional<SourceKind> parse_source_kind(std::string_view s);
std::string source_kind_names();  // "lent, shared, materialized", for messages

}  // namespace sg
