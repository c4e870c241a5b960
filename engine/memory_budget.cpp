// Memory estimates and the budget checks (see memory_budget.h). The estimate follows the
// buffers each layer keeps (engine/layers/*.h): it is what the engine allocates, not a
// bound pulled from the air, so a model that passes runs within the budget.
#include "engine/memory_budget.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "engine/error.h"
#include "engine/optimizers.h"
#include "engine/sequential.h"

namespace nn {

namespace {

constexpr uint64_t kFloat = sizeof(float);
constexpr uint64_t kInt32 = sizeof(int32_t);

struct Estimate {
  uint64_t total = 0;
  uint64_t largest = 0;       // the layer that needs the most
  std::string largest_layer;  // "layer 2 (conv2d)"
};

uint64_t mul3(uint64_t a, uint64_t b, uint64_t c) { return saturating_mul(saturating_mul(a, b), c); }

// Bytes of one layer's buffers for `n` rows; in: its input shape, out: its output shape.
uint64_t layer_bytes(Layer& layer, const Shape& in, const Shape& out, uint64_t n, bool training) {
  const std::string type = layer.type_name();
  const uint64_t fi = uint64_t(in.c) * uint64_t(in.h) * uint64_t(in.w);
  const uint64_t fo = uint64_t(out.c) * uint64_t(out.h) * uint64_t(out.w);
  const uint64_t output = mul3(n, fo, kFloat);
  const uint64_t d_input = training ? mul3(n, fi, kFloat) : 0;
  if (type == "flatten") return 0;  // views of its input and its gradient
  if (type == "conv2d") {
    const nlohmann::json j = layer.to_json();
    const uint64_t k = j.at("kernel").get<uint64_t>();
    // A flat input is read as a one-channel square image; its channel count is then 1.
    const uint64_t channels = in.is_flat() ? 1 : uint64_t(in.c);
    const uint64_t ckk = mul3(channels, k, k);
    const uint64_t hw = uint64_t(out.h) * uint64_t(out.w);
    const uint64_t filters = uint64_t(out.c);
    const uint64_t table = mul3(hw, ckk, kInt32);                 // col_index_, per layer
    const uint64_t columns = mul3(saturating_mul(n, hw), ckk, kFloat);  // im2col of the batch
    // scratch_ holds the forward product (N*HW, F) and, in backward, d_columns (N*HW, CKK).
    const uint64_t scratch = mul3(saturating_mul(n, hw), training ? std::max(filters, ckk) : filters, kFloat);
    const uint64_t scratch2 = training ? mul3(saturating_mul(n, hw), filters, kFloat) : 0;  // d_y
    return saturating_add(saturating_add(saturating_add(table, columns), saturating_add(scratch, scratch2)),
                          saturating_add(output, d_input));
  }
  if (type == "maxpool2d") return saturating_add(saturating_add(output, mul3(n, fo, kInt32)), d_input);
  if (type == "dropout") return saturating_add(saturating_add(output, training ? mul3(n, fo, kFloat) : 0), d_input);
  return saturating_add(output, d_input);  // dense and the activations: output and d_input
}

Estimate estimate(Sequential& model, int64_t rows, bool training, uint64_t optimizer_slots) {
  const uint64_t n = rows < 1 ? 1 : uint64_t(rows);
  Estimate e;
  const std::vector<LayerSummary> summary = model.summary_rows();
  uint64_t params = 0;
  Shape in = model.input_shape();
  for (size_t i = 0; i < summary.size(); ++i) {
    const uint64_t layer_params = uint64_t(std::max<Index>(summary[i].params, 0));
    params = saturating_add(params, layer_params);
    // Values and gradients (a built layer holds both), plus training's state per parameter.
    const uint64_t copies = training ? 2 + optimizer_slots + 1 : 2;  // +1: the trainer's last good weights
    const uint64_t bytes = saturating_add(mul3(layer_params, copies, kFloat),
                                          layer_bytes(model.layer(i), in, summary[i].output, n, training));
    e.total = saturating_add(e.total, bytes);
    if (bytes > e.largest) {
      e.largest = bytes;
      e.largest_layer = "layer " + std::to_string(i + 1) + " (" + summary[i].type + ")";
    }
    in = summary[i].output;
  }
  const uint64_t features = uint64_t(model.input_shape().size());
  const uint64_t outputs = uint64_t(model.output_shape().size());
  // Training: the gathered batch, its one-hot targets and dLoss/dOutput; inference: the
  // probabilities of the batch.
  const uint64_t edges = training ? saturating_add(mul3(n, features, kFloat), mul3(n, outputs, 2 * kFloat))
                                  : mul3(n, outputs, kFloat);
  e.total = saturating_add(e.total, edges);
  return e;
}

uint64_t slots_of(const OptimizerConfig& optimizer) {
  switch (optimizer.type) {
    case OptimizerType::kAdam: return 2;
    case OptimizerType::kMomentum:
    case OptimizerType::kNesterov: return 1;
    case OptimizerType::kSgd: return 0;
  }
  return 2;  // unreachable; the most an optimizer keeps
}

std::string describe(Sequential& model) {
  return "the model (input " + model.input_shape().str() + ", " + std::to_string(model.layer_count()) +
         " layers, " + std::to_string(model.output_shape().size()) + " outputs)";
}

[[noreturn]] void refuse(Sequential& model, const Estimate& e, int64_t rows, const std::string& what,
                         const char* purpose, uint64_t extra_bytes) {
  std::string message = what + ": " + describe(model) + " needs " + format_bytes(saturating_add(e.total, extra_bytes)) +
                        " for " + purpose + " of " + std::to_string(rows) + (rows == 1 ? " row" : " rows") +
                        "; the limit is " + format_bytes(kMemoryBudgetBytes) + " (" + e.largest_layer + " alone needs " +
                        format_bytes(e.largest) + ")";
  if (extra_bytes > 0) message += ", with " + format_bytes(extra_bytes) + " for its results";
  throw Error(message + ". Use a smaller batch or fewer filters, units or outputs");
}

}  // namespace

uint64_t saturating_mul(uint64_t a, uint64_t b) {
  uint64_t r;
  return __builtin_mul_overflow(a, b, &r) ? std::numeric_limits<uint64_t>::max() : r;
}

uint64_t saturating_add(uint64_t a, uint64_t b) {
  uint64_t r;
  return __builtin_add_overflow(a, b, &r) ? std::numeric_limits<uint64_t>::max() : r;
}

std::string format_bytes(uint64_t bytes) {
  if (bytes == std::numeric_limits<uint64_t>::max()) return "more than 16 EiB";
  const char* units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  double v = double(bytes) / 1024.0;
  int u = 0;
  while (v >= 1024.0 && u < 5) {
    v /= 1024.0;
    ++u;
  }
  char text[32];
  std::snprintf(text, sizeof text, v == double(uint64_t(v)) ? "%.0f %s" : "%.1f %s", v, units[u]);
  return text;
}

void check_buffer_size(int64_t rows, int64_t cols) {
  if (rows < 0 || cols < 0) {
    throw Error("buffer size " + std::to_string(rows) + " x " + std::to_string(cols) +
                " is negative: a size computation overflowed");
  }
  const uint64_t bytes = mul3(uint64_t(rows), uint64_t(cols), kFloat);
  if (bytes > kMemoryBudgetBytes) {
    throw Error("buffer of " + std::to_string(rows) + " x " + std::to_string(cols) + " floats needs " +
                format_bytes(bytes) + "; the limit is " + format_bytes(kMemoryBudgetBytes));
  }
}

uint64_t training_bytes(Sequential& model, int64_t rows, const OptimizerConfig& optimizer) {
  return estimate(model, rows, true, slots_of(optimizer)).total;
}

uint64_t inference_bytes(Sequential& model, int64_t rows) { return estimate(model, rows, false, 0).total; }

void check_training_memory(Sequential& model, int64_t rows, const OptimizerConfig& optimizer,
                           const std::string& what) {
  const Estimate e = estimate(model, rows, true, slots_of(optimizer));
  if (e.total > kMemoryBudgetBytes) refuse(model, e, rows, what, "training with a batch", 0);
}

void check_inference_memory(Sequential& model, int64_t rows, const std::string& what, uint64_t extra_bytes) {
  const Estimate e = estimate(model, rows, false, 0);
  if (saturating_add(e.total, extra_bytes) > kMemoryBudgetBytes) refuse(model, e, rows, what, "a batch", extra_bytes);
}

int64_t inference_batch_rows(Sequential& model, const std::string& what, uint64_t extra_bytes) {
  check_inference_memory(model, 1, what, extra_bytes);
  // The estimate grows linearly in the rows: halve until it fits (at most 8 steps).
  int64_t rows = kInferenceBatchRows;
  while (rows > 1 && saturating_add(inference_bytes(model, rows), extra_bytes) > kMemoryBudgetBytes) rows /= 2;
  return rows;
}

}  // namespace nn
