#include "engine/made_digits.h"

#include <string>

#include "engine/error.h"

namespace nn {

Dataset made_digits(const Settings& settings, const Dataset& font_digits, const Dataset& stroke_digits,
                    const char* who) {
  if (settings.font_digits && font_digits.size() == 0) {
    throw Error(std::string(who) + ": font_digits is on but no font digits are loaded (data/font-digits.bin)");
  }
  if (settings.stroke_digits && stroke_digits.size() == 0) {
    throw Error(std::string(who) + ": stroke_digits is on but no stroke digits are loaded (data/stroke-digits.bin)");
  }
  if (settings.font_digits && settings.stroke_digits) return concat(font_digits, stroke_digits);
  if (settings.font_digits) return font_digits;
  if (settings.stroke_digits) return stroke_digits;
  return Dataset{};
}

}  // namespace nn
