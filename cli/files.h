// File access for the CLI (the engine itself reads no files): whole-file reads and writes
// with errors that name the path, and the --predict CSV of pixel counts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/tensor.h"

namespace cli {

// Throws nn::Error("cannot read PATH: reason").
std::vector<uint8_t> read_file(const std::string& path);
std::string read_text_file(const std::string& path);
// Throws nn::Error("cannot write PATH: reason").
void write_file(const std::string& path, const std::vector<uint8_t>& bytes);

// CSV text with 64 pixel counts (finite numbers in 0..16) per line -> (N, 64) scaled to
// [0, 1]. Blank lines are skipped; errors name the line and field.
nn::Matrix parse_pixel_rows(const std::string& text);

}  // namespace cli
