// Text the CLI prints: the live progress bar line, per-epoch metrics, the test result and
// the confusion matrix. Pure formatting (strings in, strings out), so main() stays short.
#pragma once

#include <string>
#include <vector>

#include "engine/sequential.h"
#include "engine/trainer.h"

namespace cli {

// "epoch 3/20 [#########-----------]  45%  52,310 samples/s  ETA 0:07" (no newline).
// total_batches: batches of the whole run; done_batches: batches finished so far.
std::string format_progress_line(const nn::Progress& p, long total_batches, long done_batches, int bar_width = 24);
// "epoch  3/20  train loss 0.1234 acc 96.52%  val loss 0.1500 acc 95.10%  52,310 samples/s"
std::string format_epoch_line(const nn::EpochMetrics& m, int epochs, bool has_validation);
// "test: loss 0.0912  accuracy 97.49% (350/359)"
std::string format_test_line(const nn::Evaluation& e, long samples);
// A 10x10 table, true class per row, predicted class per column, with row totals.
std::string format_confusion(const std::vector<std::vector<int>>& confusion);
// 83.4 -> "1:23"; 4000 -> "1:06:40".
std::string format_duration(double seconds);

}  // namespace cli
