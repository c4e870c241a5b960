// The engine's one exception type. Every bad configuration, shape mismatch, invalid
// hyperparameter or malformed file raises nn::Error with a message a user can act on;
// internal invariants use assert instead.
#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>

namespace nn {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// User text quoted in a message: at most `max` bytes of it, control and non-ASCII bytes as
// \xNN (so no escape sequence reaches a terminal), and the full size when it was cut:
// "abc\x1b[2J..." (52428800 bytes)".
inline std::string quoted(const std::string& text, size_t max = 40) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < max; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  if (text.size() > max) return out + "...\" (" + std::to_string(text.size()) + " bytes)";
  return out + "\"";
}

// Refuses a setting outside [lo, hi] (NaN included): "who: what 0 is outside [1, 50]".
// Compared in the setting's own type, so a float at a bound written in decimal (0.1f against
// 0.1) is inside; nothing is built unless it throws (preprocessing checks per drawing).
template <class T>
void check_in_range(std::string_view who, const char* what, T value, double lo, double hi) {
  if (value >= T(lo) && value <= T(hi)) return;
  char text[96];
  std::snprintf(text, sizeof text, " %g is outside [%g, %g]", double(value), lo, hi);
  throw Error(std::string(who) + ": " + what + text);
}

}  // namespace nn
