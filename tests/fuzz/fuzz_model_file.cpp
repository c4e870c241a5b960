// libFuzzer target: arbitrary bytes into nn::load_model. Any outcome but a loaded model or an
// nn::Error (another exception type, a crash, a sanitizer report, a huge allocation) is a bug.
// Each input is tried twice: as given, and with its last 4 bytes replaced by the right CRC-32,
// since random mutations almost never pass the checksum and would leave the parser unexplored.
// A model that loads must save to a file that loads and saves to the very same bytes, and
// must infer in batches the memory budget holds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "engine/crc32.h"
#include "engine/error.h"
#include "engine/memory_budget.h"
#include "engine/model_file.h"

namespace {

void load_and_resave(const uint8_t* data, size_t size) {
  std::vector<uint8_t> saved;
  try {
    nn::Sequential model = nn::load_model(data, size);
    const int64_t rows = nn::inference_batch_rows(model, "fuzz");  // load checked that 1 row fits
    if (rows < 1 || nn::inference_bytes(model, rows) > nn::kMemoryBudgetBytes) std::abort();
    saved = nn::save_model(model);
  } catch (const nn::Error&) {
    return;  // the expected outcome for almost every input
  }
  try {
    nn::Sequential again = nn::load_model(saved.data(), saved.size());
    if (nn::save_model(again) != saved) std::abort();  // save/load is not a fixed point
  } catch (const nn::Error&) {
    std::abort();  // the engine refuses a file it wrote itself
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  load_and_resave(data, size);
  if (size >= 4) {
    std::vector<uint8_t> fixed(data, data + size);
    const uint32_t crc = nn::crc32(fixed.data(), size - 4);
    for (int i = 0; i < 4; ++i) fixed[size - 4 + i] = static_cast<uint8_t>(crc >> (8 * i));
    load_and_resave(fixed.data(), size);
  }
  return 0;
}
