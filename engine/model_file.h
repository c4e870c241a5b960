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

// The largest model file: the architecture's 20,000,000 parameters as floats (80 MB), a
// 1 MiB architecture description, and room for the tensors' names. Checked first, so a
// larger upload or file is refused before it is parsed (the CLI checks before reading).
constexpr size_t kMaxModelFileBytes = 96 * 1024 * 1024;

std::vector<uint8_t> save_model(Sequential& model);
Sequential load_model(const uint8_t* bytes, size_t size);

}  // namespace nn
