// Runs a bound call and turns any C++ exception into a JS Error carrying its message.
// Emscripten 3.1.6 would otherwise hand JS a bare number (the exception's address). The
// C++ exception is fully handled (and freed) before the JS throw, because a JS throw skips
// the destructors of every C++ frame it crosses.
#pragma once

#include <emscripten/val.h>

#include <exception>
#include <new>
#include <stdexcept>
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
  } catch (const std::bad_alloc&) {
    // The budget checks should make these unreachable; if not, say what happened in words
    // rather than "std::bad_alloc" or "vector".
    message = "out of memory: the wasm heap could not grow (the module's maximum is 2 GiB)";
  } catch (const std::length_error&) {
    message = "out of memory: a size was too large to allocate";
  } catch (const std::exception& e) {
    message = e.what();
  } catch (...) {
    message = "digitlab: unknown C++ exception";
  }
  throw_js_error(message);
}

}  // namespace digitlab_wasm
