// libFuzzer target: arbitrary text into nn::parse_architecture. Accepted descriptions must
// round-trip: to_json() of the parsed model parses again to the same JSON. Then the memory
// budget is driven with a batch size taken from the input: the estimates must grow with
// the batch, the trainer's check must agree with them, and a model small enough to build
// cheaply is built and run one forward and backward pass, which must stay within them.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string>

#include "engine/architecture.h"
#include "engine/error.h"
#include "engine/memory_budget.h"
#include "engine/optimizers.h"
#include "engine/sequential.h"

namespace {

constexpr uint64_t kRunBytes = 16u << 20;  // build and run models whose estimate is this small

void drive_budget(nn::Sequential& model, int64_t batch) {
  nn::OptimizerConfig adam;
  const uint64_t one = nn::training_bytes(model, 1, adam);
  const uint64_t at_batch = nn::training_bytes(model, batch, adam);
  if (at_batch < one || nn::inference_bytes(model, batch) > at_batch) std::abort();  // not monotonic
  bool refused = false;
  try {
    nn::check_training_memory(model, batch, adam, "fuzz");
  } catch (const nn::Error&) {
    refused = true;
  }
  if (refused != (at_batch > nn::kMemoryBudgetBytes)) std::abort();  // the check disagrees with the estimate
  int64_t rows = 0;
  try {
    rows = nn::inference_batch_rows(model, "fuzz");
  } catch (const nn::Error&) {
    if (nn::inference_bytes(model, 1) <= nn::kMemoryBudgetBytes) std::abort();
    return;
  }
  if (rows < 1 || rows > nn::kInferenceBatchRows || nn::inference_bytes(model, rows) > nn::kMemoryBudgetBytes) std::abort();

  const int64_t run_rows = batch < 3 ? batch : 3;
  if (nn::training_bytes(model, run_rows, adam) > kRunBytes) return;
  nn::Rng rng(1);
  model.build(rng);
  const nn::Matrix x = nn::Matrix::Zero(run_rows, model.input_shape().size());
  nn::ConstMatrixView out = model.forward(nn::view(x), nn::Mode::kTrain, rng);
  const nn::Matrix d_out = nn::Matrix::Ones(out.rows(), out.cols());
  model.backward(nn::view(d_out));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  nlohmann::json described;
  try {
    described = nn::parse_architecture(text).to_json();
  } catch (const nn::Error&) {
    return 0;  // rejected with a message: fine
  }
  try {
    if (nn::parse_architecture(described.dump()).to_json() != described) std::abort();
  } catch (const nn::Error&) {
    std::abort();  // the engine refuses its own description
  }
  nn::Sequential model = nn::parse_architecture(text);
  const int64_t batch = 1 + static_cast<int64_t>(std::hash<std::string>{}(text) % 65536);
  drive_budget(model, batch);
  return 0;
}
