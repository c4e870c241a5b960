// libFuzzer target: arbitrary text into nn::parse_architecture. Accepted descriptions must
// round-trip: to_json() of the parsed model parses again to the same JSON. The model is not
// built, since a valid description may legitimately ask for a lot of memory.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "engine/architecture.h"
#include "engine/error.h"

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
  return 0;
}
