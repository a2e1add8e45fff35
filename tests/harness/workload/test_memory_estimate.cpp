// The memory estimate against the bytes really kept: this file replaces the global operator
// new/delete of test_harness with malloc/free around a size prefix, and counts, while switched on
// around the allocation measured, the bytes allocated less the bytes freed (temporaries cancel).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <new>
#include <string>

#include <fmt/format.h>

#include "harness/workload/memory_estimate.h"
#include "temp_dir.h"

namespace {

thread_local bool counting = false;
thread_local int64_t kept_bytes = 0;
constexpr size_t kPrefix = 16;  // keeps malloc's 16-byte alignment

void* counted_new(std::size_t size) noexcept {
  char* block = static_cast<char*>(std::malloc(size + kPrefix));
  if (!block) return nullptr;
  *reinterpret_cast<std::size_t*>(block) = size;
  if (counting) kept_bytes += static_cast<int64_t>(size);
  return block + kPrefix;
}

// Not inlined: at a delete site GCC would see `p - kPrefix` of an object it knows and warn
// (-Warray-bounds, -Wmismatched-new-delete) about this file's own prefix, a false positive.
[[gnu::noinline]] void counted_delete(void* p) noexcept {
  if (!p) return;
  char* block = static_cast<char*>(p) - kPrefix;
  if (counting) kept_bytes -= static_cast<int64_t>(*reinterpret_cast<std::size_t*>(block));
  std::free(block);
}

}  // namespace

void* operator new(std::size_t size) {
  if (void* p = counted_new(size)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return counted_new(size);
}
void operator delete(void* p) noexcept {
  counted_delete(p);
}
void operator delete(void* p, std::size_t) noexcept {
  counted_delete(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  counted_delete(p);
}

using namespace sg;
using sg::test::TempDir;

namespace {

FieldSpec field(const std::string& name, Type type, const std::string& distribution) {
  FieldSpec f;
  f.name = name;
  f.type = type;
  f.distribution = distribution;
  return f;
}

// Numbers, NULLs, inline strings, long strings of varying length owned by each record, and
// long strings shared by all (a choice).
GeneratorSpec mixed_spec() {
  GeneratorSpec spec;
  spec.seed = 7;
  spec.fields.push_back(field("id", Type::Integer, "sequence"));
  FieldSpec price = field("price", Type::Float, "uniform");
  price.null_fraction = 0.2;
  spec.fields.push_back(price);
  FieldSpec sym = field("sym", Type::String, "pattern");
  sym.pattern = "S{i%10}";
  spec.fields.push_back(sym);
  FieldSpec note = field("note", Type::String, "pattern");
  note.pattern = "a longer note number {r%100000} for row {i}";
  note.null_fraction = 0.1;
  spec.fields.push_back(note);
  FieldSpec region = field("region", Type::String, "choice");
  region.choices = {Value::string("north-north-east region"), Value::string("south-west region x")};
  spec.fields.push_back(region);
  return spec;
}

}  // namespace

TEST_CASE("memory estimate: bytes per record match what the dataset really allocates") {
  for (uint64_t n : {uint64_t{1000}, uint64_t{20000}}) {
    INFO(n << " records");
    const Generator generator(mixed_spec());
    const DatasetFootprint f = measure_footprint(generator, n);
    CHECK(f.sampled == std::min<uint64_t>(n, 1024));
    kept_bytes = 0;
    counting = true;
    Dataset d = generator.dataset(n);
    counting = false;
    REQUIRE(d.records.size() == n);
    const double real = double(kept_bytes) / double(n);
    INFO("estimate " << f.bytes_per_record << " bytes per record, allocated " << real);
    // The estimate leaves out only the dataset's schema (a few hundred bytes in all).
    CHECK(f.bytes_per_record == Approx(real).epsilon(0.02));
  }
}

TEST_CASE("memory estimate: available memory is MemAvailable or a lower cgroup limit") {
  TempDir dir;
  const std::string meminfo =
      dir.write("meminfo", "MemTotal:       1000 kB\nMemAvailable:     800 kB\n");
  const std::string no_cgroup = dir.write("cgroup", "0::/\n");
  AvailableMemory m = available_memory(meminfo, dir.file("none"), no_cgroup);
  CHECK(m.bytes == 800 * 1024);
  CHECK(m.source == "MemAvailable");

  // cgroup v2 below the process's own path: limit 500000, using 100000.
  std::filesystem::create_directories(dir.file("fs/job/x"));
  dir.write("fs/job/x/memory.max", "500000\n");
  dir.write("fs/job/x/memory.current", "100000\n");
  const std::string v2 = dir.write("cgroup2", "0::/job/x\n");
  m = available_memory(meminfo, dir.file("fs"), v2);
  CHECK(m.bytes == 400000);
  CHECK(m.source == "cgroup limit");
  // "max" is no limit.
  dir.write("fs/job/x/memory.max", "max\n");
  CHECK(available_memory(meminfo, dir.file("fs"), v2).source == "MemAvailable");

  // cgroup v1, limit above MemAvailable: MemAvailable is the lower figure.
  std::filesystem::create_directories(dir.file("v1/memory/p"));
  dir.write("v1/memory/p/memory.limit_in_bytes", "900000000\n");
  dir.write("v1/memory/p/memory.usage_in_bytes", "1000\n");
  const std::string v1 = dir.write("cgroup1", "4:memory:/p\n0::/\n");
  CHECK(available_memory(meminfo, dir.file("v1"), v1).bytes == 800 * 1024);
  dir.write("v1/memory/p/memory.limit_in_bytes", "300000\n");
  CHECK(available_memory(meminfo, dir.file("v1"), v1).bytes == 299000);

  REQUIRE_THROWS_WITH(available_memory(dir.file("none"), dir.file("none"), no_cgroup),
                      Catch::Contains("cannot tell the available memory"));
}

TEST_CASE("memory estimate: data past the available memory is refused with its figures") {
  const GeneratorSpec spec = mixed_spec();
  const double per_record = measure_footprint(Generator(spec), 1'000'000'000'000).bytes_per_record;
  const AvailableMemory available{uint64_t{16} << 30, "MemAvailable"};
  CHECK_NOTHROW(check_datasets_fit({{"small", &spec, 1000}}, available));
  try {
    check_datasets_fit({{"small", &spec, 1000}, {"huge", &spec, 1'000'000'000'000}}, available);
    FAIL("no error");
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    INFO(message);
    CHECK(message.rfind("the generated data needs about ", 0) == 0);
    CHECK(message.find("more than the 16.0 GiB available (MemAvailable); use fewer records:") !=
          std::string::npos);
    CHECK(message.find(fmt::format("\n  huge: 1000000000000 records x {:.0f} bytes per record "
                                   "(measured on 1024 of its records) = ",
                                   per_record)) != std::string::npos);
    CHECK(message.find("\n  small: 1000 records x ") != std::string::npos);
  }
}
