// The engine's one memory budget. Every size that ends in an allocation (a model's
// parameters, gradients and optimizer state, each layer's activations and backward buffers,
// conv im2col tables, a confusion matrix) is estimated here in 64-bit arithmetic that
// saturates instead of wrapping, and refused with a message naming the model, the estimate
// and the limit BEFORE anything is allocated. The limit is the same on every target, so the
// native tests exercise what the 32-bit wasm build (where size_t is 32 bits) relies on: no
// size that passes can wrap there.
#pragma once

#include <cstdint>
#include <string>

namespace nn {

class Sequential;
struct OptimizerConfig;

// Bytes one model may use for a training batch, or for an inference batch (1 GiB).
constexpr uint64_t kMemoryBudgetBytes = uint64_t(1) << 30;
// Rows predict() and evaluate() run at once, when the budget allows (fewer when not).
constexpr int64_t kInferenceBatchRows = 256;

// a * b and a + b, saturating at UINT64_MAX (which every limit refuses).
uint64_t saturating_mul(uint64_t a, uint64_t b);
uint64_t saturating_add(uint64_t a, uint64_t b);

// "1.5 GiB", "38.2 MiB", "512 bytes".
std::string format_bytes(uint64_t bytes);

// Throws nn::Error unless 0 <= rows, cols and rows * cols floats fit in the budget. The
// storage of every Buffer goes through this, so no caller's size can wrap into a small one.
void check_buffer_size(int64_t rows, int64_t cols);

// What a model needs for batches of `rows` rows, built or not: training counts parameters,
// gradients, optimizer state (slots per parameter: adam 2, momentum/nesterov 1, sgd 0),
// forward and backward buffers and conv im2col; inference counts parameters, gradients
// (built models hold them) and the forward buffers only.
uint64_t training_bytes(Sequential& model, int64_t rows, const OptimizerConfig& optimizer);
uint64_t inference_bytes(Sequential& model, int64_t rows);

// Throw nn::Error("<what>: the model (...) needs 3.2 GiB for a batch of 1024; the limit is
// 1 GiB (...)") when the estimate is over the budget.
void check_training_memory(Sequential& model, int64_t rows, const OptimizerConfig& optimizer,
                           const std::string& what);
void check_inference_memory(Sequential& model, int64_t rows, const std::string& what,
                            uint64_t extra_bytes = 0);

// The rows predict/evaluate run at once: kInferenceBatchRows, or fewer if that many would
// not fit the budget (with extra_bytes more in use). Throws if not even one row fits.
int64_t inference_batch_rows(Sequential& model, const std::string& what, uint64_t extra_bytes = 0);

}  // namespace nn
