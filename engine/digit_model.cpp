#include "engine/digit_model.h"

#include "engine/dataset.h"
#include "engine/error.h"

namespace nn {

void check_digit_model(const Sequential& model, const std::string& what) {
  const int inputs = model.input_shape().size();
  if (inputs != kDigitFeatures) {
    throw Error(what + ": the model reads " + std::to_string(inputs) + " features per sample (input shape " +
                model.input_shape().str() + "); a digits model reads 64 (8x8)");
  }
  const int outputs = model.output_shape().size();
  if (outputs != kDigitClasses) {
    throw Error(what + ": the model gives " + std::to_string(outputs) + " outputs; a digits model needs " +
                std::to_string(kDigitClasses) + ", one per digit (make the last dense layer 10 units)");
  }
}

}  // namespace nn
