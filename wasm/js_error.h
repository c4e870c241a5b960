// Runs a bound call and turns any C++ exception into a JS Error carrying its message.
// Emscripten 3.1.6 would otherwise hand JS a bare number (the exception's address). The
// C++ exception is fully handled (and freed) before the JS throw, because a JS throw skips
// the destructors of every C++ frame it crosses.
#pragma once

#include <emscripten/val.h>

#include <exception>
#include <string>

namespace digitlab_wasm {

[[noreturn]] inline void throw_js_error(const std::string& message) {
  emscripten::val::global("Error").new_(message).throw_();
  __builtin_unreachable();
}

template <class F>
auto guard(F&& call) -> decltype(call()) {
  // Static so that nothing the JS throw skips owns memory; reused, so it never leaks.
  static std::string message;
  try {
    return call();
  } catch (const std::exception& e) {
    message = e.what();
  } catch (...) {
    message = "digitlab: unknown C++ exception";
  }
  throw_js_error(message);
}

}  // namespace digitlab_wasm
