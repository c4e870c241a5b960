// CRC-32 with a 256-entry table built once on first use (byte-at-a-time, which is fast
// enough for model files of a few megabytes and the same on every platform).
#include "engine/crc32.h"

#include <array>

namespace nn {

namespace {

std::array<uint32_t, 256> make_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}

}  // namespace

uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc) {
  static const std::array<uint32_t, 256> table = make_table();
  // The register is kept inverted between calls, so chaining works from the public value.
  uint32_t c = ~crc;
  for (size_t i = 0; i < size; ++i) c = table[(c ^ data[i]) & 0xFFu] ^ (c >> 8);
  return ~c;
}

}  // namespace nn
