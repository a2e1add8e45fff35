#include <catch2/catch.hpp>

#include "harness/job/handoff.h"

using namespace sg;

TEST_CASE("handoff: move passes the one reference, share adds one, deep-copy makes a new record") {
  const auto make = [] {
    return RecordPtr::make({Value::integer(7), Value::string("a string too long to be inline")});
  };
  RecordPtr moved = make();
  const Record* original = moved.get();
  RecordPtr got = hand_off(Handoff::Move, moved);
  REQUIRE(got.get() == original);
  REQUIRE_FALSE(moved);
  REQUIRE(got->use_count() == 1);

  RecordPtr kept = make();
  got = hand_off(Handoff::Share, kept);
  REQUIRE(got.get() == kept.get());
  REQUIRE(kept->use_count() == 2);

  RecordPtr copied = make();
  got = hand_off(Handoff::DeepCopy, copied);
  REQUIRE(got.get() != copied.get());
  REQUIRE(copied->use_count() == 1);
  REQUIRE(got->use_count() == 1);
  REQUIRE(got->row_hash() == copied->row_hash());
}

TEST_CASE("handoff: names parse back, and unknown ones are refused") {
  for (Handoff h : {Handoff::Move, Handoff::Share, Handoff::DeepCopy})
    REQUIRE(parse_handoff(handoff_name(h)) == h);
  REQUIRE_FALSE(parse_handoff("clone"));
  REQUIRE(handoff_names() == "move, share, deep-copy");
}
