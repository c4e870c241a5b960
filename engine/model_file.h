// Model files (a stable format: the page and the CLI exchange them): magic "DGTLMODL", version, the architecture
// description, every parameter tensor, and a CRC-32 of everything before it. Written by the
// CLI and the page alike. A truncated, corrupt or hostile file throws nn::Error with the
// reason; sizes are checked against the bytes present before anything is allocated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/sequential.h"

namespace nn {

std::vector<uint8_t> save_model(Sequential& model);
Sequential load_model(const uint8_t* bytes, size_t size);

}  // namespace nn
