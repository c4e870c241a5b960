// The memory budget: exact estimates for a known model, and the inputs that used to wrap
// 32-bit sizes in the wasm build (refused here natively, under the same 1 GiB limit, before
// anything is allocated).
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "engine/architecture.h"
#include "engine/error.h"
#include "engine/memory_budget.h"
#include "engine/trainer.h"

using namespace nn;

namespace {

Dataset zeros(Index n) {
  Dataset d;
  d.x = Matrix::Zero(n, 64);
  d.y.assign(static_cast<size_t>(n), 0);
  return d;
}

TrainConfig config_with_batch(int batch) {
  TrainConfig c;
  c.epochs = 1;
  c.batch_size = batch;
  return c;
}

// The page's layer editor case: three padded 1-filter convs grow 8x8 to 56x56, then 512
// filters make 2,097,152 values per sample; a batch of 2048 is 2^32 floats.
const char* const kEditorCase = R"({"input": [1, 8, 8], "layers": [
  {"type": "conv2d", "filters": 1, "kernel": 1, "padding": 8},
  {"type": "conv2d", "filters": 1, "kernel": 1, "padding": 8},
  {"type": "conv2d", "filters": 1, "kernel": 1, "padding": 8},
  {"type": "conv2d", "filters": 512, "kernel": 1, "padding": 4},
  {"type": "maxpool2d", "size": 8}, {"type": "flatten"}, {"type": "dense", "units": 10}]})";

// createTrainer's case: 65536 filters on 8x8 are 4,194,304 values per sample.
const char* const kWideConv = R"({"input": [1, 8, 8], "layers": [
  {"type": "conv2d", "filters": 65536, "kernel": 1},
  {"type": "maxpool2d", "size": 8}, {"type": "flatten"}, {"type": "dense", "units": 10}]})";

}  // namespace

TEST_CASE("a Buffer refuses sizes that wrap or pass the budget", "[memory]") {
  Buffer b;
  // 65536 x 65536 floats: 2^32 elements, 0 in a 32-bit size_t.
  CHECK_THROWS_WITH(b.resize(65536, 65536), "buffer of 65536 x 65536 floats needs 16 GiB; the limit is 1 GiB");
  CHECK_THROWS_WITH(b.resize(-2, 3), "buffer size -2 x 3 is negative: a size computation overflowed");
  CHECK(b.resize(16384, 16384).size() == 16384 * 16384);  // exactly 1 GiB: allowed
}

TEST_CASE("saturating arithmetic never wraps", "[memory]") {
  CHECK(saturating_mul(uint64_t(1) << 32, uint64_t(1) << 32) == UINT64_MAX);
  CHECK(saturating_mul(uint64_t(1) << 31, 4) == uint64_t(1) << 33);
  CHECK(saturating_add(UINT64_MAX - 1, 2) == UINT64_MAX);
  CHECK(format_bytes(UINT64_MAX) == "more than 16 EiB");
  CHECK(format_bytes(1536) == "1.5 KiB");
  CHECK(format_bytes(uint64_t(1) << 30) == "1 GiB");
}

TEST_CASE("the training estimate counts every buffer of the mlp", "[memory]") {
  Sequential mlp = parse_architecture(preset_architecture("mlp"));
  OptimizerConfig adam;
  // 9,610 params x (value, gradient, Adam's 2 moments, last good copy) x 4 bytes = 192,200;
  // dense 1: output 32x128, d_input 32x64; relu: output and d_input 32x128; dense 2:
  // output 32x10, d_input 32x128; the batch 32x64, its targets and dLoss/dOutput 32x10 each.
  const uint64_t expected = 192200 + 4 * (32 * 128 + 32 * 64) + 4 * (2 * 32 * 128) + 4 * (32 * 10 + 32 * 128) +
                            4 * (32 * 64 + 2 * 32 * 10);
  CHECK(training_bytes(mlp, 32, adam) == expected);
  OptimizerConfig sgd;
  sgd.type = nn::OptimizerType::kSgd;
  CHECK(training_bytes(mlp, 32, sgd) == expected - 2 * 9610 * 4);
  // Inference: value and gradient of each param, the outputs, the probabilities.
  CHECK(inference_bytes(mlp, 1) == 9610 * 2 * 4 + 4 * (128 + 128 + 10) + 4 * 10);
}

TEST_CASE("the layer editor's padded convs with batch 2048 are refused before building", "[memory]") {
  Sequential model = parse_architecture(kEditorCase);
  CHECK(training_bytes(model, 2048, OptimizerConfig{}) > (uint64_t(1) << 32));
  try {
    Trainer t(std::move(model), zeros(2048), Dataset{}, config_with_batch(2048));
    FAIL("the trainer was created");
  } catch (const Error& e) {
    const std::string what = e.what();
    INFO(what);
    CHECK(what.rfind("trainer: the model (input (1, 8, 8), 7 layers, 10 outputs) needs ", 0) == 0);
    CHECK(what.find(" for training with a batch of 2048 rows; the limit is 1 GiB (layer 4 (conv2d) alone needs ") !=
          std::string::npos);
  }
}

TEST_CASE("a 65536-filter conv with batch 1024 is refused, and infers in batches that fit", "[memory]") {
  Sequential model = parse_architecture(kWideConv);
  CHECK_THROWS_WITH(Trainer(parse_architecture(kWideConv), zeros(1024), Dataset{}, config_with_batch(1024)),
                    Catch::StartsWith("trainer: the model (input (1, 8, 8), 4 layers, 10 outputs) needs ") &&
                        Catch::Contains("for training with a batch of 1024 rows; the limit is 1 GiB"));
  // Inference at 256 rows would need 8.1 GiB; predict and evaluate take fewer rows at once.
  CHECK(inference_bytes(model, 256) > (uint64_t(8) << 30));
  const int64_t rows = inference_batch_rows(model, "predict");
  CHECK(rows == 16);
  CHECK(inference_bytes(model, rows) <= kMemoryBudgetBytes);
  CHECK(inference_bytes(model, rows * 2) > kMemoryBudgetBytes);
}

TEST_CASE("an im2col table of 58 MiB per sample infers a few rows at a time", "[memory]") {
  // 64x64 kernels with padding 30: 3,721 positions x 4,096 values of im2col per sample;
  // 256 rows would be 14.7 GiB, a wrapped size_t in wasm.
  Sequential model = parse_architecture(R"({"input": [1, 64, 64], "layers": [
    {"type": "conv2d", "filters": 16, "kernel": 64, "padding": 30}, {"type": "flatten"},
    {"type": "dense", "units": 10}]})");
  CHECK(inference_bytes(model, 256) > (uint64_t(14) << 30));
  const int64_t rows = inference_batch_rows(model, "predict");
  CHECK(rows < 256);
  CHECK(inference_bytes(model, rows) <= kMemoryBudgetBytes);
}

TEST_CASE("evaluate refuses a confusion matrix over the budget", "[memory]") {
  // 20,000 outputs: a 20,000 x 20,000 confusion matrix is 1.6 GB of counts.
  Sequential model = parse_architecture(R"({"input": 64, "layers": [{"type": "dense", "units": 20000}]})");
  Rng rng(1);
  model.build(rng);
  CHECK_THROWS_WITH(model.evaluate(zeros(4)),
                    Catch::StartsWith("evaluate: the model (input (64), 1 layers, 20000 outputs) needs ") &&
                        Catch::Contains("the limit is 1 GiB") && Catch::Contains("for its results"));
}

TEST_CASE("conv2d refuses a batch whose im2col row count would wrap 32 bits", "[memory]") {
  // 65536 rows of a 256x256 output: 2^32 im2col rows, 0 as a 32-bit Index (wasm); the
  // layer checks the 64-bit product before it forms the 32-bit one.
  Sequential model = parse_architecture(R"({"input": [1, 256, 256], "layers": [
    {"type": "conv2d", "filters": 1, "kernel": 1}, {"type": "flatten"}, {"type": "dense", "units": 10}]})");
  Rng rng(1);
  model.build(rng);
  float x = 0;
  // Only the shape matters: the check comes before any input is read.
  CHECK_THROWS_WITH(model.layer(0).forward(ConstMatrixView(&x, 65536, 256 * 256), Mode::kInfer, rng),
                    "buffer of 4294967296 x 1 floats needs 16 GiB; the limit is 1 GiB");
}
