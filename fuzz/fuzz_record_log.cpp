// libFuzzer target: any bytes as a record log (harness/io/record_log.h) under one of four schemas,
// the first byte picking which: the general form, numbers of fixed width (messages checked by
// length alone, the decoder's unchecked path), typed, nullable, tagged and string fields, and the
// same with headers. Acceptable: a SourceError, or records that encode back to exactly the bytes
// they were decoded from. Seeds: tests/harness/fuzz_corpus/record_log. Run with scripts/fuzz.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "harness/io/record_log.h"

namespace {

sg::LogSchema schema_for(uint8_t which) {
  using sg::RecordPtr;
  using sg::Value;
  const std::vector<RecordPtr> numbers{RecordPtr::make(
      {Value::integer(1), Value::integer(2), Value::timestamp(3), Value::floating(4)})};
  std::vector<RecordPtr> mixed{
      RecordPtr::make({Value::integer(1), Value::null(), Value::string("a"), Value::null(),
                       Value::string("b")}),
      RecordPtr::make({Value::integer(2), Value::boolean(true), Value::integer(7), Value::null(),
                       Value::string("c")})};
  switch (which % 4) {
    case 0:
      return sg::LogSchema::general();
    case 1:
      return sg::LogSchema::of(numbers);
    case 2:
      return sg::LogSchema::of(mixed);
    default:
      mixed[0] = std::move(mixed[0]).with_header("k", "v");
      return sg::LogSchema::of(mixed);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const sg::LogSchema schemas[4] = {schema_for(0), schema_for(1), schema_for(2),
                                           schema_for(3)};
  const sg::LogSchema& schema = schemas[data[0] % 4];
  const sg::RecordLog log(std::vector<uint8_t>(data + 1, data + size), schema);
  size_t at = 0;
  try {
    while (at < log.size()) {
      sg::RecordPtr record;
      const size_t next = log.decode(at, record);
      // The oracle: a decoded message encodes back to its own bytes.
      sg::RecordLog again(schema);
      again.append(*record);
      if (again.size() != next - at ||
          std::memcmp(again.bytes().data(), log.bytes().data() + at, again.size()) != 0) {
        std::abort();
      }
      at = next;
    }
  } catch (const sg::SourceError&) {
  }
  return 0;
}
