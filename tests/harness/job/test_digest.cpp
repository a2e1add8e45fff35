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
