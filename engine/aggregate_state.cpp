#include "engine/aggregate_state.h"

#include <fmt/format.h>

namespace sg {

bool parse_agg_func(std::string_view name, AggFunc& out) {
  if (name == "COUNT")
    out = AggFunc::Count;
  else if (name == "SUM")
    out = AggFunc::Sum;
  else if (name == "AVG")
    out = AggFunc::Avg;
  else if (name == "MIN")
    out = AggFunc::Min;
  else if (name == "MAX")
    out = AggFunc::Max;
  else
    return false;
  return true;
}

const char* agg_func_name(AggFunc f) {
  switch (f) {
    case AggFunc::Count:
      return "COUNT";
    case AggFunc::Sum:
      return "SUM";
    case AggFunc::Avg:
      return "AVG";
    case AggFunc::Min:
      return "MIN";
    case AggFunc::Max:
      return "MAX";
  }
  return "?";
}

bool aggregate_result_type(AggFunc f, Type arg, Type& out, std::string& why) {
  switch (f) {
    case AggFunc::Count:
      out = Type::Integer;
      return true;
    case AggFunc::Sum:
    case AggFunc::Avg:
      // A NULL literal argument sums like an INTEGER column that holds only NULLs.
      if (arg != Type::Integer && arg != Type::Float && arg != Type::Null) {
        why = fmt::format("{} needs a number (INTEGER or FLOAT), got {}", agg_func_name(f),
                          type_name(arg));
        return false;
      }
      out = f == AggFunc::Avg ? Type::Float : (arg == Type::Float ? Type::Float : Type::Integer);
      return true;
    case AggFunc::Min:
    case AggFunc::Max:
      out = arg;
      return true;
  }
  return false;
}

AggKind aggregate_kind(AggFunc f, bool star, Type arg) {
  switch (f) {
    case AggFunc::Count:
      return star ? AggKind::CountStar : AggKind::Count;
    case AggFunc::Sum:
      return arg == Type::Float ? AggKind::SumFloat : AggKind::SumInt;
    case AggFunc::Avg:
      return arg == Type::Float ? AggKind::AvgFloat : AggKind::AvgInt;
    case AggFunc::Min:
      return AggKind::Min;
    case AggFunc::Max:
      return AggKind::Max;
  }
  return AggKind::CountStar;
}

}  // namespace sg
