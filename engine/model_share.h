// Model links: a small trained model carried inside a URL fragment. The link holds the
// architecture description, every parameter tensor quantised to 8 bits with one scale per
// tensor, and a CRC-32; it is written as base64url (engine/base64url.h), so a flipped or
// lost character is always refused (strict base64url, then the checksum).
//
// Payload (integers u32 little-endian, floats IEEE-754 binary32 little-endian):
//   "DLNK" | version (u8, 1) | json length | architecture JSON | tensor count |
//   per tensor: name length | name | rows | cols | scale | rows*cols int8 | CRC-32 of all before.
// A weight w is stored as q = round(w / scale), scale = max|w| / 127, and read back as
// q * scale. Sharing is lossy; what a link promises is the dequantised model, which
// open_model_link rebuilds the same way on every machine: a sender who wants to see what the
// receiver will see predicts with open_model_link(share_model(m)), not with m.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/sequential.h"

namespace nn {

// The longest link text accepted or written: 256 Ki characters (192 KiB of payload, so a
// model of up to about 190,000 parameters; the page's mlp, 9,610, makes a 13 KB link).
// Longer text is refused before it is decoded.
constexpr size_t kMaxModelLinkChars = 256 * 1024;

// The base64url text of the model's link. Throws nn::Error when the model is not built or
// its link would be longer than kMaxModelLinkChars (naming its parameter count), or when a
// weight is not finite.
std::string share_model(Sequential& model);

struct OpenedLink {
  std::vector<uint8_t> model_file;  // the dequantised model as a model file (model_file.h)
  Sequential model;                 // the same, loaded
  std::string architecture;         // the architecture JSON the link carries
  uint32_t checksum = 0;            // the link's CRC-32
  size_t payload_bytes = 0;         // decoded size
};

// Decodes and checks a link's text (what follows "#model=") and rebuilds its model through
// load_model, so a link gets every check a model file gets (architecture limits, the
// memory budget before anything is built, tensor names and shapes). Throws nn::Error saying
// what is wrong: too long, not base64url, not a model link, a newer version, a checksum
// mismatch (a damaged link), truncated, or a model the file loader refuses.
OpenedLink open_model_link(const std::string& text);

}  // namespace nn
