// CRC-32 (IEEE 802.3, zlib's reflected polynomial 0xEDB88320), table-driven. Used by the
// model file to detect corruption; it is not a cryptographic hash and does not try to be.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nn {

// The CRC-32 of data[0, size). Pass a previous result as `crc` to continue over more bytes:
// crc32(b, n2, crc32(a, n1)) == crc32 of a followed by b. crc32("123456789") == 0xCBF43926.
uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc = 0);

}  // namespace nn
