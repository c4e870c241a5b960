// The engine's one exception type. Every bad configuration, shape mismatch, invalid
// hyperparameter or malformed file raises nn::Error with a message a user can act on;
// internal invariants use assert instead.
#pragma once

#include <stdexcept>
#include <string>

namespace nn {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace nn
