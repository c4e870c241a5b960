// A sequential model: an input shape, a stack of layers and a loss. Shapes are inferred as
// layers are added (a layer that does not fit throws, naming it and the shapes). Built from
// code with add(), or from a JSON architecture description (architecture.h).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/dataset.h"
#include "engine/layer.h"
#include "engine/losses.h"

namespace nn {

struct LayerSummary {
  std::string name;   // "dense_1"
  std::string type;   // "dense"
  Shape output;
  Index params;
};

struct Evaluation {
  float loss = 0;
  float accuracy = 0;
  std::vector<std::vector<int>> confusion;  // [true class][predicted class], K x K
  std::vector<int> predicted;               // predicted class per sample
};

// Sees a pass layer by layer (engine/inspect.h records a training step with it): after
// layer i's forward, its output (N, F_out_i); before layer i's backward, dLoss/dOutput of
// layer i (N, F_out_i). The views are valid only during the call.
class PassObserver {
 public:
  virtual ~PassObserver() = default;
  virtual void forward_output(size_t /*layer*/, ConstMatrixView /*output*/) {}
  virtual void backward_d_output(size_t /*layer*/, ConstMatrixView /*d_output*/) {}
};

class Sequential {
 public:
  // input: the shape of one sample; loss: see make_loss().
  explicit Sequential(Shape input, const std::string& loss = "softmax_cross_entropy");
  Sequential(Sequential&&) = default;
  Sequential& operator=(Sequential&&) = default;

  // Appends a layer; throws nn::Error if it does not fit the current output shape.
  void add(LayerPtr layer);
  // Allocates and initialises every layer's parameters from rng. Called once.
  void build(Rng& rng);
  bool built() const { return built_; }

  // x: (N, F_in) -> outputs (N, K) before the loss's transform (logits for cross-entropy).
  ConstMatrixView forward(ConstMatrixView x, Mode mode, Rng& rng, PassObserver* observer = nullptr);
  // d_output: dLoss/dOutput of the last forward; adds into every parameter gradient.
  void backward(ConstMatrixView d_output, PassObserver* observer = nullptr);
  void zero_grad();
  // The next backward writes every parameter gradient instead of adding to it (what
  // zero_grad() then backward gives, minus a pass over the gradients): the trainer's step.
  void overwrite_gradients_next();
  // Every layer's params in order. The pointers stay valid for the model's lifetime.
  std::vector<Param> params();
  Index param_count();

  // Class probabilities (N, K) in inference mode, computed in batches.
  Matrix predict(ConstMatrixView x);
  // Loss, accuracy and confusion matrix on labelled data, in inference mode.
  Evaluation evaluate(const Dataset& data);

  std::vector<LayerSummary> summary_rows();
  // A printable table: layer, output shape, parameter count, and the total.
  std::string summary();
  // The architecture description (what parse_architecture reads back).
  nlohmann::json to_json() const;

  const Shape& input_shape() const { return input_; }
  Shape output_shape() const;
  size_t layer_count() const { return layers_.size(); }
  // Where backward() stops: the first layer with parameters (the last layer if none has
  // any). That layer computes no input gradient and the layers before it run no backward.
  // Built or not (an unbuilt model counts the parameters it will have).
  size_t first_trained_layer();
  Layer& layer(size_t i) { return *layers_.at(i); }
  Loss& loss() { return *loss_; }

 private:
  Shape input_;
  std::vector<LayerPtr> layers_;
  std::vector<Shape> shapes_;  // output shape after each layer
  std::unique_ptr<Loss> loss_;
  bool built_ = false;
  // backward() stops at this layer (the first with parameters), found on its first call.
  size_t backward_stop_ = 0;
  bool backward_stop_known_ = false;
  Rng infer_rng_{0};  // unused by inference-mode layers; keeps predict() const-free
};

}  // namespace nn
