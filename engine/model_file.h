// Model files (a stable format: the page and the CLI exchange them): magic "DGTLMODL", version, the architecture
// description, every parameter tensor, and a CRC-32 of everything before it. Written by the
// CLI and the page alike. A truncated, corrupt or hostile file throws nn::Error with the
// reason; sizes are checked against the bytes present before anything is allocated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/sequential.h"

namespace nn {

// The largest model file: the architecture's 20,000,000 parameters as floats (80 MB), a
// 1 MiB architecture description, and room for the tensors' names. Checked first, so a
// larger upload or file is refused before it is parsed (the CLI checks before reading).
constexpr size_t kMaxModelFileBytes = 96 * 1024 * 1024;

std::vector<uint8_t> save_model(Sequential& model);
Sequential load_model(const uint8_t* bytes, size_t size);

// A model's parameter tensors with the names a model file gives them ("dense_1.weight"), in
// file order. For other formats of the same model (engine/model_share.h).
struct NamedParam {
  std::string name;
  Param param;
};
std::vector<NamedParam> named_parameters(Sequential& model);

// One tensor of a model file being assembled from another format's parts.
struct TensorValues {
  std::string name;
  uint32_t rows = 0, cols = 0;
  std::vector<float> values;  // rows * cols
};
// The model file save_model would write for this architecture JSON and these tensors (not
// checked here: load_model checks it like any file).
std::vector<uint8_t> write_model_file(const std::string& architecture, const std::vector<TensorValues>& tensors);

}  // namespace nn
