// Formatting of the CLI's progress, metrics and confusion matrix (see report.h). Fixed-width
// columns so successive epoch lines line up and scripts can read them.
#include "cli/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cli {

namespace {

std::string printf_string(const char* format, double a, double b = 0, double c = 0) {
  char buf[128];
  std::snprintf(buf, sizeof buf, format, a, b, c);
  return buf;
}

// 52310.4 -> "52,310": readable rates.
std::string with_thousands(double value) {
  std::string digits = std::to_string(static_cast<long long>(std::llround(std::max(0.0, value))));
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<size_t>(i), ",");
  return digits;
}

}  // namespace

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--";
  const long total = static_cast<long>(std::llround(seconds));
  char buf[32];
  if (total >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", total / 3600, (total / 60) % 60, total % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ld:%02ld", total / 60, total % 60);
  }
  return buf;
}

std::string format_progress_line(const nn::Progress& p, long total_batches, long done_batches, int bar_width) {
  const double fraction = total_batches > 0 ? std::min(1.0, static_cast<double>(done_batches) / total_batches) : 0.0;
  const int filled = static_cast<int>(fraction * bar_width);
  const int epoch = std::min(p.epoch + 1, std::max(p.epochs, 1));
  std::string line = "epoch " + std::to_string(epoch) + "/" + std::to_string(p.epochs) + " [" +
                     std::string(static_cast<size_t>(filled), '#') +
                     std::string(static_cast<size_t>(bar_width - filled), '-') + "] " +
                     printf_string("%3.0f%%", fraction * 100.0);
  if (p.train_seconds > 0 && done_batches > 0) {
    const double rate = static_cast<double>(p.samples_seen) / p.train_seconds;
    const double eta = p.train_seconds / done_batches * static_cast<double>(total_batches - done_batches);
    line += "  " + with_thousands(rate) + " samples/s  ETA " + format_duration(eta);
  }
  return line;
}

std::string format_epoch_line(const nn::EpochMetrics& m, int epochs, bool has_validation) {
  const int width = static_cast<int>(std::to_string(epochs).size());
  char head[64];
  std::snprintf(head, sizeof head, "epoch %*d/%d", width, m.epoch, epochs);
  std::string line = std::string(head) +
                     printf_string("  train loss %.4f acc %6.2f%%", m.train_loss, m.train_accuracy * 100.0);
  if (has_validation) {
    line += printf_string("  val loss %.4f acc %6.2f%%", m.validation_loss, m.validation_accuracy * 100.0);
  }
  line += "  " + with_thousands(m.samples_per_sec) + " samples/s";
  return line;
}

std::string format_test_line(const nn::Evaluation& e, long samples) {
  long correct = 0;
  for (size_t k = 0; k < e.confusion.size(); ++k) correct += e.confusion[k][k];
  return printf_string("test: loss %.4f  accuracy %.2f%%", e.loss, e.accuracy * 100.0) + " (" +
         std::to_string(correct) + "/" + std::to_string(samples) + ")";
}

std::string format_confusion(const std::vector<std::vector<int>>& confusion) {
  const size_t k = confusion.size();
  std::string out = "confusion matrix (rows: true digit, columns: predicted)\n      ";
  for (size_t j = 0; j < k; ++j) out += printf_string("%5.0f", static_cast<double>(j));
  out += "  total\n";
  for (size_t i = 0; i < k; ++i) {
    out += printf_string("%5.0f ", static_cast<double>(i));
    long total = 0;
    for (size_t j = 0; j < confusion[i].size(); ++j) {
      // Dots for zeros so the diagonal and the mistakes stand out.
      out += confusion[i][j] == 0 ? std::string("    .") : printf_string("%5.0f", confusion[i][j]);
      total += confusion[i][j];
    }
    out += printf_string("  %5.0f\n", static_cast<double>(total));
  }
  return out;
}

}  // namespace cli
