// The drawing path end to end: held-out dataset digits, rendered up to canvas size as a
// person's drawing would arrive, go back through preprocess_drawing and are read by a model
// trained (with augmentation, as the page trains) on the training split only.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "engine/architecture.h"
#include "engine/dataset.h"
#include "engine/preprocess.h"
#include "engine/trainer.h"
#include "tests/engine/pen_raster.h"

TEST_CASE("drawing pipeline: test digits rendered at 280x280 are read by a trained model",
          "[preprocess][training][slow]") {
  const nn::Dataset data = nn::test::load_shipped_digits();
  const nn::Split split = nn::stratified_split(data, 0.2f, 0.0f, 42);
  nn::TrainConfig config;
  config.epochs = 10;
  config.optimizer.learning_rate = 0.003f;
  config.augment = true;
  config.augment_copies = 5;
  nn::Trainer trainer(nn::parse_architecture(nn::preset_architecture("mlp")), split.train, nn::Dataset{}, config);
  while (!trainer.done()) trainer.run(1000);

  // Each test digit: its exact 32x32 bitmap, scaled x8 (nearest) and placed off-centre on a
  // 280x280 canvas, then preprocessed like a drawing.
  const nn::Dataset& test = split.test;
  nn::Matrix drawn(test.size(), nn::kDigitFeatures);
  std::vector<uint8_t> canvas(280 * 280);
  double diff = 0;
  for (nn::Index i = 0; i < test.size(); ++i) {
    nn::test::draw_dataset_digit(&test.x(i, 0), canvas, 280, 8, 20, 12);
    const nn::Preprocessed p = nn::preprocess_drawing(canvas.data(), 280, 280);
    REQUIRE_FALSE(p.blank);
    for (int f = 0; f < 64; ++f) {
      drawn(i, f) = p.features[f];
      diff += std::abs(p.features[f] - test.x(i, f)) * 16;
    }
  }
  const double mean_diff = diff / (64.0 * test.size());
  nn::Dataset drawn_test{drawn, test.y};
  const float direct = trainer.model().evaluate(test).accuracy;
  const float via_drawing = trainer.model().evaluate(drawn_test).accuracy;
  INFO("mean abs diff " << mean_diff << " (0..16 units); accuracy on the 8x8 test split " << direct
                        << ", on the same digits drawn at 280x280 " << via_drawing);
  CHECK(mean_diff < 1.5);
  CHECK(via_drawing >= 0.95f);
  CHECK(via_drawing >= direct - 0.03f);
}
