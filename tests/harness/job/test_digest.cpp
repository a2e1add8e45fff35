#include <catch2/catch.hpp>

#include "harness/io/collecting_writer.h"
#include "harness/io/digest_writer.h"
#include "harness/io/null_writer.h"
#include "harness/job/digest.h"

using namespace sg;

namespace {

RecordPtr row(int64_t a, uint64_t key = 0) {
  RecordMeta meta;
  meta.key_hash = key;
  return RecordPtr::make({Value::integer(a), Value::string("x")}, meta);
}

Digest digest_of(const Batch& rows) {
  Digest d;
  for (const RecordPtr& r : rows) d.add(*r);
  return d;
}

}  // namespace

TEST_CASE("digest: stateless rows may come in any order") {
  const Digest a = digest_of({row(1), row(2), row(3)});
  const Digest b = digest_of({row(3), row(1), row(2)});
  REQUIRE(a == b);
  REQUIRE(a.count() == 3);
  REQUIRE_FALSE(a == digest_of({row(1), row(2), row(4)}));
  REQUIRE_FALSE(a == digest_of({row(1), row(2)}));
  // Multisets, not sets: a duplicated row is a different output.
  REQUIRE_FALSE(digest_of({row(1), row(1), row(2)}) == digest_of({row(1), row(2), row(2)}));
}

TEST_CASE("digest: order matters within a key, not between keys") {
  const Digest base = digest_of({row(1, 10), row(2, 20), row(3, 10), row(4, 20)});
  // Keys interleaved differently, each key's order kept: equal.
  REQUIRE(base == digest_of({row(2, 20), row(4, 20), row(1, 10), row(3, 10)}));
  // Same multiset, key 10's rows swapped: the unordered checksum agrees, the digest does not.
  const Digest swapped = digest_of({row(3, 10), row(2, 20), row(1, 10), row(4, 20)});
  REQUIRE(base.unordered_checksum() == swapped.unordered_checksum());
  REQUIRE_FALSE(base == swapped);
  // The same rows under another key are another output.
  REQUIRE_FALSE(base == digest_of({row(1, 11), row(2, 20), row(3, 11), row(4, 20)}));
}

TEST_CASE("digest: merging per-partition digests equals digesting everything") {
  const Digest whole = digest_of({row(1, 10), row(2, 20), row(3, 10), row(4, 0), row(5, 20)});
  Digest p0 = digest_of({row(1, 10), row(3, 10), row(4, 0)});
  const Digest p1 = digest_of({row(2, 20), row(5, 20)});
  p0.merge(p1);
  REQUIRE(p0 == whole);
  // A key split across two digests concatenates in merge order.
  Digest first = digest_of({row(1, 10)});
  first.merge(digest_of({row(3, 10)}));
  REQUIRE(first == digest_of({row(1, 10), row(3, 10)}));
  REQUIRE_FALSE(first == digest_of({row(3, 10), row(1, 10)}));
}

TEST_CASE("digest writers count, commit and fingerprint") {
  DigestWriter digest_writer;
  CollectingWriter collecting;
  NullWriter null_writer;
  const Batch rows = {row(1, 7), row(2, 7), row(3)};
  for (DataWriter* w :
       std::initializer_list<DataWriter*>{&digest_writer, &collecting, &null_writer}) {
    w->write(std::span(rows).first(2));
    REQUIRE(w->rows_written() == 2);
    REQUIRE(w->rows_committed() == 0);
    w->commit();
    w->write(std::span(rows).subspan(2));
    REQUIRE(w->rows_written() == 3);
    REQUIRE(w->rows_committed() == 2);
  }
  REQUIRE(digest_writer.digest() == digest_of(rows));
  REQUIRE(collecting.digest() == digest_of(rows));
  REQUIRE(collecting.rows().size() == 3);
  REQUIRE(collecting.rows()[0].get() == rows[0].get());  // shared, not copied
  REQUIRE(digest_writer.digest().to_string().find("count=3") == 0);
}

namespace {

// A row of every column type; `alter` changes column `alter` only (none when out of range).
RecordPtr wide_row(int64_t id, uint64_t key, size_t alter = 99) {
  std::vector<Value> v{Value::integer(id), Value::string("symbol"), Value::floating(1.5),
                       Value::boolean(false), Value::string("a string longer than inline"),
                       Value::timestamp(1000), Value::integer(7)};
  const Value changed[] = {Value::integer(id + 1000), Value::string("symbol2"), Value::floating(2.5),
                           Value::boolean(true), Value::string("a string longer than inline!"),
                           Value::timestamp(1001), Value::integer(8)};
  if (alter < v.size()) v[alter] = changed[alter];
  RecordMeta meta;
  meta.key_hash = key;
  return RecordPtr::make(v, meta);
}
constexpr size_t kWideColumns = 7;

}  // namespace

TEST_CASE("digest: rows that differ in one column only, at every position, differ") {
  for (uint64_t key : {uint64_t(0), uint64_t(42)}) {
    const Digest base = digest_of({wide_row(1, key), wide_row(2, key), wide_row(3, key)});
    for (size_t col = 0; col < kWideColumns; ++col) {
      INFO("key " << key << ", column " << col << " of " << kWideColumns);
      const Digest other = digest_of({wide_row(1, key), wide_row(2, key, col), wide_row(3, key)});
      REQUIRE(base.unordered_checksum() != other.unordered_checksum());
      REQUIRE(base.keyed_checksum() != other.keyed_checksum());
      REQUIRE_FALSE(base == other);
    }
  }
}

TEST_CASE("digest: rows that differ in order only within a key: same unordered, different keyed") {
  for (size_t col = 0; col < kWideColumns; ++col) {
    INFO("the two rows differ in column " << col << " only");
    // Two rows of key 5 that differ in one column, in both orders, with key 6 around them.
    const Digest ab = digest_of({wide_row(1, 5), wide_row(9, 6), wide_row(1, 5, col)});
    const Digest ba = digest_of({wide_row(1, 5, col), wide_row(9, 6), wide_row(1, 5)});
    REQUIRE(ab.unordered_checksum() == ba.unordered_checksum());
    REQUIRE(ab.keyed_checksum() != ba.keyed_checksum());
    REQUIRE_FALSE(ab == ba);
    // Stateless rows (key 0) are their own keys: their order never matters.
    REQUIRE(digest_of({wide_row(1, 0), wide_row(1, 0, col)}) == digest_of({wide_row(1, 0, col), wide_row(1, 0)}));
  }
}
