#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include <fmt/format.h>

#include "harness/io/materializing_reader.h"
#include "harness/io/record_log.h"
#include "strategy_test_support.h"

using namespace sg;
using namespace sg::test;

namespace {

// Equal values, equal types (compare() calls Integer 3 and Float 3.0 equal), and floats bit for
// bit (NaN, -0.0).
void require_same(const Record& a, const Record& b) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    INFO("value " << i);
    REQUIRE(a[i].type() == b[i].type());
    if (a[i].type() == Type::Float) {
      uint64_t x, y;
      const double fa = a[i].as_float(), fb = b[i].as_float();
      std::memcpy(&x, &fa, 8);
      std::memcpy(&y, &fb, 8);
      REQUIRE(x == y);
    } else {
      REQUIRE(compare(a[i], b[i]) == 0);
    }
  }
  REQUIRE(a.event_time() == b.event_time());
  REQUIRE(a.offset() == b.offset());
  REQUIRE(a.partition() == b.partition());
  REQUIRE(a.key_hash() == b.key_hash());
  REQUIRE(a.headers() == b.headers());
}

RecordPtr every_kind() {
  RecordMeta meta;
  meta.event_time = std::numeric_limits<int64_t>::min();
  meta.offset = std::numeric_limits<int64_t>::max();
  meta.partition = -7;
  meta.key_hash = ~uint64_t{0};
  return RecordPtr::make(
      {Value::null(), Value::integer(std::numeric_limits<int64_t>::min()),
       Value::integer(std::numeric_limits<int64_t>::max()), Value::integer(0), Value::timestamp(-1),
       Value::floating(std::numeric_limits<double>::max()),
       Value::floating(std::numeric_limits<double>::denorm_min()), Value::floating(-0.0),
       Value::floating(std::numeric_limits<double>::infinity()),
       Value::floating(std::numeric_limits<double>::quiet_NaN()), Value::boolean(true),
       Value::boolean(false), Value::string(""), Value::string("fourteen bytes"),
       Value::string("fifteen bytes.."), Value::string(std::string(100'000, 'x')),
       Value::string(std::string("nul\0inside", 10))},
      meta);
}

std::vector<uint8_t> bytes_of(const RecordLog& log) {
  return {log.bytes().begin(), log.bytes().end()};
}

std::string decode_error(std::vector<uint8_t> bytes,
                         const LogSchema& schema = LogSchema::general()) {
  MaterializingReader reader(std::make_shared<RecordLog>(std::move(bytes), schema));
  Batch out;
  try {
    while (!reader.read(16, out).end_of_stream) {
    }
  } catch (const SourceError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("record log: every value type, its extremes and the metadata come back as they were") {
  const RecordPtr original = every_kind();
  RecordLog log;
  log.append(*original);
  RecordPtr copy;
  REQUIRE(log.decode(0, copy) == log.size());
  require_same(*copy, *original);
  REQUIRE(copy.get() != original.get());
  REQUIRE(copy->use_count() == 1);  // fresh: one owner
}

TEST_CASE("record log: headers and an empty record come back") {
  RecordPtr with = RecordPtr::make({Value::integer(1)});
  with = std::move(with).with_header("trace", "abc");
  with = std::move(with).with_header("", std::string(300, 'h'));
  const RecordPtr empty = RecordPtr::make(std::span<const Value>{});
  const RecordLog log = RecordLog::encode(std::vector<RecordPtr>{with, empty});
  RecordPtr a, b;
  const size_t next = log.decode(0, a);
  REQUIRE(log.decode(next, b) == log.size());
  require_same(*a, *with);
  require_same(*b, *empty);
}

TEST_CASE("record log: a reader decodes a dataset in order and ends with the last batch") {
  const SharedDataset data = make_trades(1000);
  auto log = std::make_shared<RecordLog>(RecordLog::encode(data->records));
  MaterializingReader reader(log);
  REQUIRE_FALSE(reader.read_view(10));  // never lends
  Batch out;
  ReadResult r;
  size_t reads = 0;
  do {
    r = reader.read(64, out);
    ++reads;
  } while (!r.end_of_stream);
  REQUIRE(reads == 16);  // 15 full reads and 40 records: the end comes with them
  REQUIRE(r.count == 1000 % 64);
  REQUIRE(out.size() == 1000);
  REQUIRE(reader.records_read() == 1000);
  for (size_t i = 0; i < out.size(); ++i) require_same(*out[i], *data->records[i]);
  REQUIRE(reader.records_committed() == 0);
  reader.commit();
  REQUIRE(reader.records_committed() == 1000);
  r = reader.read(64, out);
  REQUIRE(r.count == 0);
  REQUIRE(r.end_of_stream);
}

TEST_CASE("record log: an empty log ends on the first read") {
  MaterializingReader reader(std::make_shared<RecordLog>());
  Batch out;
  const ReadResult r = reader.read(8, out);
  REQUIRE(r.count == 0);
  REQUIRE(r.end_of_stream);
}

TEST_CASE("record log: a cut-off log is a source error naming the message's offset") {
  const SharedDataset data = make_trades(3);
  const RecordLog log = RecordLog::encode(data->records);
  RecordPtr first;
  const size_t second = log.decode(0, first);
  std::vector<uint8_t> bytes = bytes_of(log);

  SECTION("inside the last message's body") {
    bytes.pop_back();
    const size_t third = RecordLog(bytes, log.schema()).decode(second, first);
    REQUIRE_THAT(decode_error(bytes, log.schema()),
                 Catch::Contains(fmt::format("message at byte {}: cut off", third)));
  }
  SECTION("inside a length field") {
    bytes.resize(second + 2);
    REQUIRE_THAT(decode_error(bytes, log.schema()),
                 Catch::Contains(fmt::format("message at byte {}: cut off: a message length "
                                             "needs 4 bytes, the log has 2 left",
                                             second)));
  }
  SECTION("the records before the cut are read and counted") {
    bytes.resize(second + 2);
    MaterializingReader reader(std::make_shared<RecordLog>(bytes, log.schema()));
    Batch out;
    REQUIRE_THROWS_AS(reader.read(16, out), SourceError);
    REQUIRE(out.size() == 1);
    REQUIRE(reader.records_read() == 1);
  }
}

TEST_CASE("record log: a corrupt message is a source error naming where") {
  RecordLog log;
  log.append(*RecordPtr::make({Value::integer(5), Value::boolean(true), Value::string("abc")}));
  const std::vector<uint8_t> good = bytes_of(log);
  const size_t values = 4 + 28 + 4;  // length, metadata, value count
  const size_t bool_byte = values + 1 + 8 + 1;
  const size_t string_length = bool_byte + 1 + 1;

  SECTION("an unknown type tag") {
    std::vector<uint8_t> bad = good;
    bad[values] = 42;
    REQUIRE_THAT(decode_error(bad),
                 Catch::Contains("message at byte 0: value 0: unknown type tag 42 (at byte 37)"));
  }
  SECTION("a boolean byte that is not 0 or 1") {
    std::vector<uint8_t> bad = good;
    bad[bool_byte] = 2;
    REQUIRE_THAT(decode_error(bad), Catch::Contains("boolean byte 2 is neither 0 nor 1"));
  }
  SECTION("a string longer than its message") {
    std::vector<uint8_t> bad = good;
    bad[string_length] = 200;
    REQUIRE_THAT(decode_error(bad), Catch::Contains("message at byte 0: a string needs 200 bytes"));
  }
  SECTION("a value count the message cannot hold") {
    std::vector<uint8_t> bad = good;
    bad[values - 4] = 0xff;
    REQUIRE_THAT(decode_error(bad), Catch::Contains("values cannot fit in"));
  }
  SECTION("bytes left over after the record") {
    std::vector<uint8_t> bad = good;
    bad.push_back(0);  // one byte more, and a length that claims it
    const uint32_t body = static_cast<uint32_t>(bad.size() - 4);
    std::memcpy(bad.data(), &body, 4);
    REQUIRE_THAT(decode_error(bad), Catch::Contains("left unread"));
  }
}

TEST_CASE("record log schema: fields of one type are typed, with NULLs nullable, mixed tagged") {
  const std::vector<RecordPtr> records{
      RecordPtr::make({Value::integer(1), Value::null(), Value::string("a"), Value::null(),
                       Value::floating(1.5)}),
      RecordPtr::make({Value::integer(2), Value::boolean(true), Value::integer(7), Value::null(),
                       Value::floating(2.5)})};
  const LogSchema schema = LogSchema::of(records);
  REQUIRE(schema.fixed_width);
  REQUIRE_FALSE(schema.headers);
  REQUIRE(schema.fixed_body == 0);  // a nullable and a tagged field: lengths vary
  using C = LogSchema::Coding;
  REQUIRE(schema.fields.size() == 5);
  CHECK((schema.fields[0].coding == C::Typed && schema.fields[0].type == Type::Integer));
  CHECK((schema.fields[1].coding == C::Nullable && schema.fields[1].type == Type::Boolean));
  CHECK(schema.fields[2].coding == C::Tagged);
  CHECK((schema.fields[3].coding == C::Typed && schema.fields[3].type == Type::Null));
  CHECK((schema.fields[4].coding == C::Typed && schema.fields[4].type == Type::Float));

  const RecordLog log = RecordLog::encode(records);
  RecordPtr a, b;
  REQUIRE(log.decode(log.decode(0, a), b) == log.size());
  require_same(*a, *records[0]);
  require_same(*b, *records[1]);
}

TEST_CASE("record log schema: numbers only and no headers give messages of one length") {
  std::vector<RecordPtr> numbers;
  for (uint64_t i = 0; i < 50; ++i) {
    RecordMeta meta;
    meta.offset = static_cast<int64_t>(i);
    numbers.push_back(RecordPtr::make({Value::integer(static_cast<int64_t>(i)),
                                       Value::timestamp(1000), Value::floating(0.5),
                                       Value::boolean(i % 2 == 0), Value::null()},
                                      meta));
  }
  const RecordLog log = RecordLog::encode(numbers);
  REQUIRE(log.schema().fixed_body == 28 + 8 + 8 + 8 + 1);
  REQUIRE(log.size() == 50 * (4 + log.schema().fixed_body));
  size_t at = 0;
  for (const RecordPtr& r : numbers) {
    RecordPtr copy;
    at = log.decode(at, copy);
    require_same(*copy, *r);
  }

  SECTION("a boolean byte that is not 0 or 1 is corrupt even in a message checked by length") {
    RecordLog one(log.schema());
    one.append(*numbers[0]);
    std::vector<uint8_t> bytes = bytes_of(one);
    bytes[4 + 28 + 24] = 9;
    REQUIRE_THAT(decode_error(bytes, log.schema()),
                 Catch::Contains("value 3: boolean byte 9 is neither 0 nor 1"));
  }
  SECTION("a length other than the schema's is corrupt") {
    RecordLog one(log.schema());
    one.append(*numbers[0]);
    std::vector<uint8_t> bytes = bytes_of(one);
    bytes.pop_back();
    const uint32_t body = static_cast<uint32_t>(bytes.size() - 4);
    std::memcpy(bytes.data(), &body, 4);
    REQUIRE_THAT(decode_error(bytes, log.schema()),
                 Catch::Contains("it declares 52 bytes, every message of this log has 53"));
  }
}

TEST_CASE("record log schema: a record that does not fit is refused and leaves the log as it was") {
  RecordLog log(LogSchema::of(std::vector<RecordPtr>{RecordPtr::make({Value::integer(1)})}));
  log.append(*RecordPtr::make({Value::integer(2)}));
  const size_t size = log.size();
  REQUIRE_THROWS_WITH(log.append(*RecordPtr::make({Value::string("x")})),
                      Catch::Contains("value 0 is STRING, the log's schema says INTEGER"));
  REQUIRE_THROWS_WITH(
      log.append(*RecordPtr::make({Value::integer(1), Value::integer(2)})),
      Catch::Contains("a record of 2 values does not fit the log's schema of 1 fields"));
  RecordPtr with_header = RecordPtr::make({Value::integer(3)});
  with_header = std::move(with_header).with_header("trace", "abc");
  REQUIRE_THROWS_WITH(log.append(*with_header),
                      Catch::Contains("a record with 1 header(s) does not fit the log's schema"));
  REQUIRE(log.size() == size);
}

TEST_CASE("record log schema: records of different widths fall back to the general form") {
  const std::vector<RecordPtr> records{RecordPtr::make({Value::integer(1)}),
                                       RecordPtr::make({Value::integer(1), Value::string("b")})};
  const RecordLog log = RecordLog::encode(records);
  REQUIRE_FALSE(log.schema().fixed_width);
  RecordPtr a, b;
  REQUIRE(log.decode(log.decode(0, a), b) == log.size());
  require_same(*b, *records[1]);
}

TEST_CASE("record log schema: a NULL flag that is not 0 or 1 is corrupt") {
  const std::vector<RecordPtr> records{RecordPtr::make({Value::null()}),
                                       RecordPtr::make({Value::integer(3)})};
  const RecordLog log = RecordLog::encode(records);
  REQUIRE(log.schema().fields[0].coding == LogSchema::Coding::Nullable);
  std::vector<uint8_t> bytes = bytes_of(log);
  bytes[4 + 28] = 5;
  REQUIRE_THAT(decode_error(bytes, log.schema()),
               Catch::Contains("message at byte 0: value 0: NULL flag 5 is neither 0 nor 1"));
}

TEST_CASE("record log schema: a fixed body that is not the fields' is refused") {
  LogSchema schema = LogSchema::of(std::vector<RecordPtr>{RecordPtr::make({Value::integer(1)})});
  REQUIRE(schema.fixed_body == 28 + 8);
  schema.fixed_body = 28;  // would let the decoder read 8 bytes past every message
  REQUIRE_THROWS_WITH(RecordLog(schema), Catch::Contains("fixed body of 28 bytes is not its fields' 36"));
  REQUIRE_THROWS_AS(RecordLog(std::vector<uint8_t>(40), schema), std::invalid_argument);
}
