#include "measures.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "cli/files.h"
#include "engine/digits_file.h"
#include "engine/preprocess.h"
#include "strokes.h"

namespace handwriting {
namespace {

nn::Dataset rows_of(const nn::Dataset& data, nn::Index begin, nn::Index end, bool inside) {
  std::vector<int> idx;
  for (nn::Index i = 0; i < data.size(); ++i)
    if ((i >= begin && i < end) == inside) idx.push_back(int(i));
  return nn::subset(data, idx);
}

std::string source_path(const char* file) { return std::string(DIGITLAB_SOURCE_DIR) + "/data/" + file; }

// Accuracy of the ensemble's first `members` members on data, per class optional.
struct Scores {
  float accuracy = 0;
  float per_class[10] = {};
};

Scores score(nn::Ensemble& all, size_t members, const std::vector<nn::InputVariant>& variants,
             const nn::Dataset& data) {
  nn::Ensemble e;
  // Members are borrowed: moved in and back out, so no copy of the weights is needed.
  for (size_t m = 0; m < members; ++m) e.add(std::move(all.member(m)));
  e.set_variants(variants);
  const nn::Evaluation ev = e.evaluate(data);
  for (size_t m = 0; m < members; ++m) all.member(m) = std::move(e.member(m));
  Scores s;
  s.accuracy = ev.accuracy;
  for (int c = 0; c < 10; ++c) {
    int total = 0;
    for (int p = 0; p < 10; ++p) total += ev.confusion[c][p];
    s.per_class[c] = total ? float(ev.confusion[c][c]) / total : 0;
  }
  return s;
}

}  // namespace

Fold contiguous_fold(const nn::Dataset& data, int k, int unit) {
  const nn::Index units = data.size() / unit;
  const nn::Index begin = units * k / kFolds * unit, end = units * (k + 1) / kFolds * unit;
  return {rows_of(data, begin, end, false), rows_of(data, begin, end, true)};
}

nn::Dataset pen_set(int per_class, uint64_t seed, bool hard, int parity) {
  nn::Rng rng(seed);
  nn::Dataset set;
  set.x.resize(per_class * 10, nn::kDigitFeatures);
  int row = 0;
  for (int i = 0; i < per_class; ++i)
    for (int label = 0; label < 10; ++label) {
      Digit d = make_digit(label, rng, hard);
      while (parity >= 0 && d.style % 2 != parity) d = make_digit(label, rng, hard);
      const auto ink = render(d);
      const auto p = nn::preprocess_drawing(ink.data(), kCanvas, kCanvas);
      for (int f = 0; f < nn::kDigitFeatures; ++f) set.x(row, f) = p.features[f];  // a blank reads as zeros
      set.y.push_back(label);
      ++row;
    }
  return set;
}

void report(const Recipe& r, int folds) {
  const nn::Dataset digits = cli::read_digits_file(source_path("digits.bin"));
  const nn::Dataset fonts = cli::read_digits_file(source_path("font-digits.bin"));
  const nn::Dataset strokes = r.strokes > 0 ? pen_set(r.strokes, r.seed * 104729 + 3, r.stroke_hard, r.stroke_parity)
                                            : cli::read_digits_file(source_path("stroke-digits.bin"));
  const nn::Dataset pen = pen_set(100, 7, false), hard = pen_set(100, 11, true);
  // The hard styles split by parity: a recipe trained on strokes of one parity (stroke_styles)
  // is read on shapes it never saw in the other.
  const nn::Dataset hard_even = pen_set(100, 13, true, 0), hard_odd = pen_set(100, 17, true, 1);
  // "off" and every '/'-separated list of r.variants.
  std::vector<std::string> lists{"identity"};
  for (size_t start = 0; start <= r.variants.size();) {
    const size_t end = std::min(r.variants.find('/', start), r.variants.size());
    const std::string list = r.variants.substr(start, end - start);
    if (list != "identity" && !list.empty()) lists.push_back(list);
    start = end + 1;
  }
  const int t_count = int(lists.size());
  std::vector<std::vector<nn::InputVariant>> variant_lists;
  for (const auto& l : lists) variant_lists.push_back(nn::parse_variants(l));
  const size_t m_count = r.members.size();
  // [prefix][variant list] running sums: random, writers, fonts, pen, hard; and per class.
  using Row = std::array<double, 10>;  // 0-4 the measures, 5-6 hard even / odd
  std::vector<std::vector<Row>> sums(m_count, std::vector<Row>(t_count, Row{})),
      hard_class = sums, writer_class = sums;
  Cost cost;
  nn::Index train_digits = 0;
  int models = 0;

  // The random split: all fonts join the training part.
  {
    const nn::Split split = nn::stratified_split(digits, 0.2f, 0.0f, 42);
    Cost c;
    nn::Ensemble e = train_recipe(r, split.train, fonts, strokes, c);
    cost = c;  // the cost quoted is one training on the random split's training part
    train_digits = split.train.size();
    std::printf("members alone (random split / hard, no variants):");
    for (size_t m = 0; m < m_count; ++m) {
      nn::Ensemble one;
      one.add(std::move(e.member(m)));
      std::printf(" %s %.1f / %.1f", r.members[m].c_str(), 100 * one.evaluate(split.test).accuracy,
                  100 * one.evaluate(hard).accuracy);
      e.member(m) = std::move(one.member(0));
    }
    std::printf("\n");
    // The commonest misreadings of the whole ensemble (no variants) on the hard set.
    const nn::Evaluation ev = e.evaluate(hard);
    std::vector<std::array<int, 3>> errors;
    for (int t = 0; t < 10; ++t)
      for (int p = 0; p < 10; ++p)
        if (t != p && ev.confusion[t][p] > 0) errors.push_back({ev.confusion[t][p], t, p});
    std::sort(errors.rbegin(), errors.rend());
    std::printf("hard set, commonest misreadings (true as read, of 100):");
    for (size_t i = 0; i < std::min<size_t>(8, errors.size()); ++i)
      std::printf(" %d as %d: %d%s", errors[i][1], errors[i][2], errors[i][0], i + 1 < std::min<size_t>(8, errors.size()) ? "," : "");
    std::printf("\n");
    for (size_t m = 1; m <= m_count; ++m)
      for (int t = 0; t < t_count; ++t) {
        const auto& variants = variant_lists[t];
        sums[m - 1][t][0] += score(e, m, variants, split.test).accuracy;
        const Scores p = score(e, m, variants, pen), h = score(e, m, variants, hard);
        sums[m - 1][t][3] += p.accuracy;
        sums[m - 1][t][4] += h.accuracy;
        sums[m - 1][t][5] += score(e, m, variants, hard_even).accuracy;
        sums[m - 1][t][6] += score(e, m, variants, hard_odd).accuracy;
        for (int k = 0; k < 10; ++k) hard_class[m - 1][t][k] += h.per_class[k];
      }
    ++models;
  }
  for (int k = 0; k < folds; ++k) {
    const Fold dw = contiguous_fold(digits, k), fw = contiguous_fold(fonts, k, kDigitsPerFace);
    Cost c;
    Recipe rk = r;
    rk.seed = r.seed + 17 * (k + 1);
    nn::Ensemble e = train_recipe(rk, dw.train, fw.train, strokes, c);
    for (size_t m = 1; m <= m_count; ++m)
      for (int t = 0; t < t_count; ++t) {
        const auto& variants = variant_lists[t];
        const Scores w = score(e, m, variants, dw.test);
        sums[m - 1][t][1] += w.accuracy;
        for (int c2 = 0; c2 < 10; ++c2) writer_class[m - 1][t][c2] += w.per_class[c2];
        sums[m - 1][t][2] += score(e, m, variants, fw.test).accuracy;
        const Scores p = score(e, m, variants, pen), h = score(e, m, variants, hard);
        sums[m - 1][t][3] += p.accuracy;
        sums[m - 1][t][4] += h.accuracy;
        sums[m - 1][t][5] += score(e, m, variants, hard_even).accuracy;
        sums[m - 1][t][6] += score(e, m, variants, hard_odd).accuracy;
        for (int c2 = 0; c2 < 10; ++c2) hard_class[m - 1][t][c2] += h.per_class[c2];
      }
    ++models;
    std::fflush(stdout);
  }
  std::printf("recipe: %s | tta=%s | writer/font folds: %d of %d\n", describe(r).c_str(), r.variants.c_str(), folds,
              kFolds);
  std::printf("cost (random split, %ld digits + %ld fonts + %ld strokes): %ld distortions, %ld samples trained, %.1f s native CPU\n",
              long(train_digits), long(fonts.size()), long(strokes.size()), cost.distortions, cost.samples_trained, cost.seconds);
  std::printf("wasm estimate (serial, distortions at %.0f/s, mlp %.0f/s, cnn %.0f/s, others half native): %.1f s; "
              "members:", kWasmDistortionsPerSec, kWasmMlpSamplesPerSec, kWasmCnnSamplesPerSec, cost.wasm_seconds());
  for (const MemberCost& m : cost.members)
    std::printf(" %s %ld samples %.2f s CPU (%.0f/s)", m.name.c_str(), m.samples, m.seconds, m.samples / m.seconds);
  std::printf("\n");
  std::printf("| members | tta | random | writers | fonts | pen | hard | hard even/odd styles | hard by class 0-9 | writers by class 0-9 |\n");
  for (size_t m = 1; m <= m_count; ++m)
    for (int t = 0; t < t_count; ++t) {
      const auto& s = sums[m - 1][t];
      std::string names;
      for (size_t i = 0; i < m; ++i) {
        names += (i ? "+" : "") + r.members[i];
        if (i < r.member_epochs.size() && r.member_epochs[i] > 0) names += ":" + std::to_string(r.member_epochs[i]);
      }
      std::printf("| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f |", names.c_str(), t ? lists[t].c_str() : "off",
                  100 * s[0], folds ? 100 * s[1] / folds : 0.0, folds ? 100 * s[2] / folds : 0.0,
                  100 * s[3] / models, 100 * s[4] / models);
      std::printf(" %.1f / %.1f |", 100 * s[5] / models, 100 * s[6] / models);
      for (int c = 0; c < 10; ++c) std::printf(" %.0f", 100 * hard_class[m - 1][t][c] / models);
      std::printf(" |");
      for (int c = 0; c < 10; ++c) std::printf(" %.0f", folds ? 100 * writer_class[m - 1][t][c] / folds : 0.0);
      std::printf(" |\n");
    }
}

}  // namespace handwriting
