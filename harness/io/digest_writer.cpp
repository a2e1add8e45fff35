#include "harness/io/digest_writer.h"

namespace sg {

void DigestWriter::write(std::span<const RecordPtr> rows) {
  for (const RecordPtr& row : rows) digest_.add(*row);
}

}  // namespace sg
