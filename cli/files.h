// File access for the CLI, the handwriting tool and the tests (the engine itself reads no
// files): whole-file reads with a size
// cap checked before and while reading, a save that never leaves a torn or truncated file
// behind, and the --predict CSV of pixel counts. Errors name the path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/dataset.h"
#include "engine/tensor.h"

namespace cli {

// Throws nn::Error("cannot read PATH: reason"), also for a file over max_bytes (found from
// its size before reading, or while reading for a device or pipe such as /dev/zero).
std::vector<uint8_t> read_file(const std::string& path, size_t max_bytes);
std::string read_text_file(const std::string& path, size_t max_bytes);
// A digits file (data/digits.bin, data/font-digits.bin): read_file capped at
// nn::kMaxDigitsFileBytes, then nn::load_digits (its reason when malformed).
nn::Dataset read_digits_file(const std::string& path);

// Throws nn::Error unless a file can be created at `path`: an empty path, a directory, a
// missing or read-only folder are refused here, before any training is spent on a save.
void check_writable(const std::string& path);
// Writes to a temporary file in the same folder, flushes it to disk, and renames it over
// `path`: a full disk or a kill during the save leaves the old file as it was.
// Throws nn::Error("cannot write PATH: reason; PATH is unchanged").
void write_file(const std::string& path, const std::vector<uint8_t>& bytes);

// CSV text with 64 pixel counts (finite numbers in 0..16) per line -> (N, 64) scaled to
// [0, 1]. Blank lines are skipped; errors name the line and field.
nn::Matrix parse_pixel_rows(const std::string& text);

}  // namespace cli
