// The Embind surface of the digitlab module: declarations only. Raw names start with "_";
// web/digitlab.js wraps them in the friendly API of web/digitlab.d.ts and owns .delete().
#include <emscripten/bind.h>

#include "wasm/ensemble_handle.h"
#include "wasm/facade.h"
#include "wasm/inside_views.h"
#include "wasm/lesson.h"
#include "wasm/fine_tune_js.h"
#include "wasm/model_link_js.h"

using namespace emscripten;
using namespace digitlab_wasm;

EMSCRIPTEN_BINDINGS(digitlab) {
  class_<ModelApi>("_ModelApi")
      .function("predict", &ModelApi::predict)
      .function("evaluate", &ModelApi::evaluate)
      .function("summary", &ModelApi::summary)
      .function("architecture", &ModelApi::architecture)
      .function("layerWeights", &ModelApi::layer_weights)
      .function("firstWeights", &ModelApi::first_weights)
      .function("save", &ModelApi::save)
      .function("testFeatures", &ModelApi::test_features)
      .function("testLabels", &ModelApi::test_labels)
      .function("occlusion", &ModelApi::occlusion)
      .function("confidenceCurves", &ModelApi::confidence_curves)
      .function("traceForward", &ModelApi::trace_forward);

  class_<TrainerHandle, base<ModelApi>>("_Trainer")
      .constructor(&TrainerHandle::create, allow_raw_pointers())
      .function("train", &TrainerHandle::train)
      .function("progress", &TrainerHandle::progress)
      .function("epochEvaluation", &TrainerHandle::epoch_evaluation)
      .function("step", &TrainerHandle::step)
      .function("stepSample", &TrainerHandle::step_sample)
      .function("stepWeight", &TrainerHandle::step_weight)
      .function("gradientCheck", &TrainerHandle::gradient_check);

  class_<ModelHandle, base<ModelApi>>("_Model").constructor(&ModelHandle::create, allow_raw_pointers());

  class_<EnsembleHandle>("_Ensemble")
      .constructor(&EnsembleHandle::create, allow_raw_pointers())
      .function("add", &EnsembleHandle::add)
      .function("remove", &EnsembleHandle::remove)
      .function("setVariants", &EnsembleHandle::set_variants)
      .function("variants", &EnsembleHandle::variants)
      .function("size", &EnsembleHandle::size)
      .function("predict", &EnsembleHandle::predict)
      .function("evaluate", &EnsembleHandle::evaluate)
      .function("prepareTest", &EnsembleHandle::prepare_test)
      .function("testFeatures", &EnsembleHandle::test_features)
      .function("occlusion", &EnsembleHandle::occlusion)
      .function("confidenceCurves", &EnsembleHandle::confidence_curves)
      .function("traceForward", &EnsembleHandle::trace_forward);

  function("_loadDigits", &load_digits_js);
  function("_loadFontDigits", &load_font_digits_js);
  function("_loadStrokeDigits", &load_stroke_digits_js);
  function("_presets", &presets_js);
  function("_settingsSchema", &settings_schema_js);
  function("_presetArchitecture", &preset_architecture_js);
  function("_checkArchitecture", &check_architecture_js);
  function("_preprocess", &preprocess_js);
  function("_preprocessStages", &preprocess_stages_js);
  function("_heapBytes", &heap_bytes_js);
  function("_gemmGflops", &gemm_gflops_js);
  function("_benchTraining", &bench_training_js);
  function("_benchAugment", &bench_augment_js);
  function("_splitIndices", &split_indices_js);
  // The lesson widgets (engine/lesson.h).
  function("_lessonNeuron", &lesson_neuron_js);
  function("_lessonActivation", &lesson_activation_js);
  function("_lessonLoss", &lesson_loss_js);
  function("_lessonLayer", &lesson_layer_js);
  function("_lessonPreactivations", &lesson_preactivations_js);
  function("_lessonLossComparison", &lesson_loss_comparison_js);
  function("_lessonLoopVersusBatch", &lesson_loop_versus_batch_js);
  function("_fineTune", &fine_tune_js);
  function("_personalScores", &personal_scores_js);
  function("_shareModel", &share_model_js);
  function("_openModelLink", &open_model_link_js);
}
