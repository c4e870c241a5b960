// The shipped digits file (data/digits.bin, also served to the page): a compact, validated
// binary form of the 1797 digits. The loader checks everything it reads (magic, count,
// values 0..16, labels 0..9) and throws nn::Error with the reason otherwise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/dataset.h"

namespace nn {

// bytes of a digits file -> Dataset (x scaled to [0, 1]).
// The most digits a file may hold, and so the largest digits file (header + 65 bytes each).
constexpr uint32_t kMaxDigitsCount = 100000;
constexpr size_t kMaxDigitsFileBytes = 16 + size_t(kMaxDigitsCount) * 65;

Dataset load_digits(const uint8_t* bytes, size_t size);
// Dataset (x must be multiples of 1/16 in [0, 1]) -> bytes of a digits file.
std::vector<uint8_t> encode_digits(const Dataset& data);
// The CSV form, data/digits.csv.gz (64 values 0..16 then the label per line) -> Dataset.
Dataset parse_digits_csv(const std::string& text);

}  // namespace nn
