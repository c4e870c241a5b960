// Drawing -> 8x8 features in the digits dataset's style. Steps (see preprocess.h): threshold
// and find the ink, reject blanks, crop into a small working raster, deskew from second
// moments, then sample a signed distance field of the ink into the 32x32 box: thresholding
// the field at r grows or shrinks every stroke by r, and r is chosen so the ink covers the
// target share of the box. The result is binary (like NIST's bitmaps); 4x4 blocks are counted.
#include "engine/preprocess.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "engine/error.h"
#include "engine/image/bitmap32.h"
#include "engine/image/distance.h"
#include "engine/simd.h"

namespace nn {
namespace {

constexpr int kInkThreshold = 128;   // canvas strokes are anti-aliased: their edge is at half ink
static_assert(kInkThreshold == 128, "the ink scans test the top bit");
constexpr int kMaxSide = kMaxDrawingSide;
constexpr int kWorkSide = 96;        // the crop is box-averaged down to at most about this side
constexpr float kBlankExtent = 0.1f; // ink spanning less than this share of the raster: a speck
constexpr int kMinInkPixels = 6;
constexpr float kMaxShear = 0.8f;
constexpr int kSide = image::kBitmapSide;

// Reused between calls so the augmentation loop does not allocate once warm.
struct Scratch {
  std::vector<uint8_t> work;  // (H, W) binary working raster
  std::vector<int> block_sums;           // (crop W) ink summed over one row of blocks
  std::vector<int> row_first, row_last;  // (H) each row's first and last ink column
  std::vector<float> sdf;     // (H, W) signed distance field
  // (H, W + 1, 2): row y interleaved with the row below it (the last column repeated), so one
  // 16-byte read holds a bilinear sample's four field values; built when first sampled.
  std::vector<float> pairs;
  std::vector<uint8_t> pair_done;  // (H)
  image::DistanceScratch distance;
  std::array<float, kSide * kSide> samples;  // (32, 32) field values at the box's pixels
  std::array<float, kSide * kSide> sorted;  // one bucket's samples, ranked in place
  std::array<uint8_t, kSide * kSide> bucket;  // each sample's value bucket
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

// Where the box's pixels come from: deskewed, cropped coordinates of the working raster.
struct Geometry {
  float shear = 0, centre_y = 0;      // x_work = x_deskewed + shear * (y - centre_y)
  float x_min = 0, x_max = 0;         // ink extent, deskewed, pixel edges
  float y_min = 0, y_max = 0;
};

// Row y0 of s.pairs, interleaving field rows y0 and y1 (computing them if need be).
const float* pair_row(Scratch& s, int y0, int y1, int w) {
  float* pair = s.pairs.data() + size_t(y0) * 2 * (w + 1);
  if (!s.pair_done[y0]) {
    const float* row0 = image::signed_distance_row(y0, s.distance, s.sdf);
    const float* row1 = image::signed_distance_row(y1, s.distance, s.sdf);
    for (int x = 0; x < w; ++x) {
      pair[2 * x] = row0[x];
      pair[2 * x + 1] = row1[x];
    }
    pair[2 * w] = row0[w - 1];  // read only as x0 + 1 when w is 1, where x1 = x0
    pair[2 * w + 1] = row1[w - 1];
    s.pair_done[y0] = 1;
  }
  return pair;
}

// Samples the distance field at the 32x32 box's pixel centres for strokes grown by r
// (bilinear, clamped to the raster's edge). Computes the field's rows it reads on demand.
// half: only the box pixels (u, v) with u + v even, a checkerboard, 16 a row from out[0].
void sample_box(Scratch& s, int w, int h, const Geometry& g, float r,
                const PreprocessOptions& options, std::array<float, kSide * kSide>& out, bool half = false) {
  const float height = std::max(g.y_max - g.y_min + 2 * r, 1.0f);
  const float width = std::max(g.x_max - g.x_min + 2 * r, 1.0f);
  float scale_y, scale_x;
  if (options.fill_height) {
    scale_y = kSide / height;
    scale_x = std::min(scale_y, options.width_cap / width);
  } else {
    scale_y = scale_x = kSide / std::max(height, width);
  }
  const float centre_x = 0.5f * (g.x_min + g.x_max);
  const float centre_y = 0.5f * (g.y_min + g.y_max);
  const int n = half ? kSide / 2 : kSide;  // samples a row
  // x of each box column before the row's skew; half: the even columns (read by even rows),
  // then the odd ones, so each row's run is contiguous.
  std::array<float, kSide> column_x;
  for (int k = 0; k < kSide; ++k) {
    const int u = half ? (k % n) * 2 + k / n : k;
    column_x[k] = centre_x + (u + 0.5f - kSide / 2) / scale_x;
  }
  const float x_hi = float(w - 1), y_hi = float(h - 1);
  const int x0_max = std::max(w - 2, 0), y0_max = std::max(h - 2, 0);
  // Four box pixels at a time, each lane with exactly the scalar formula's operations (the
  // same clamps, truncation and bilinear order), so the samples keep their bits.
  using V = simd::Vec<4>;
  using VI = simd::IntVec<4>;
  const V zero = V{} + 0.0f, hi = V{} + x_hi;
  const VI x0_cap = VI{} + x0_max;
  for (int v = 0; v < kSide; ++v) {
    float y = centre_y + (v + 0.5f - kSide / 2) / scale_y;
    const float skew = g.shear * (y - g.centre_y);
    y = std::clamp(y, 0.0f, y_hi);
    const int y0 = std::min(int(y), y0_max), y1 = std::min(y0 + 1, h - 1);
    const float ty = y - y0;
    const float* pair = pair_row(s, y0, y1, w);
    float* dst = out.data() + v * n;
    const float* row_x = column_x.data() + (half ? (v & 1) * n : 0);
    for (int u = 0; u < n; u += 4) {
      V x = simd::load<4>(row_x + u) + skew;
      x = x < zero ? zero : x;
      x = hi < x ? hi : x;
      VI x0 = __builtin_convertvector(x, VI);
      x0 = x0 < x0_cap ? x0 : x0_cap;
      const V tx = x - __builtin_convertvector(x0, V);
      // Lane k's read is (a, c, b, d) of its sample (with w = 1, x1 = x0 and its copy is
      // read); a 4x4 transpose makes the a, b, c and d vectors.
      const V l0 = simd::load<4>(pair + 2 * x0[0]), l1 = simd::load<4>(pair + 2 * x0[1]);
      const V l2 = simd::load<4>(pair + 2 * x0[2]), l3 = simd::load<4>(pair + 2 * x0[3]);
      const V ac01 = __builtin_shufflevector(l0, l1, 0, 4, 1, 5), ac23 = __builtin_shufflevector(l2, l3, 0, 4, 1, 5);
      const V bd01 = __builtin_shufflevector(l0, l1, 2, 6, 3, 7), bd23 = __builtin_shufflevector(l2, l3, 2, 6, 3, 7);
      const V a = __builtin_shufflevector(ac01, ac23, 0, 1, 4, 5), c = __builtin_shufflevector(ac01, ac23, 2, 3, 6, 7);
      const V b = __builtin_shufflevector(bd01, bd23, 0, 1, 4, 5), d = __builtin_shufflevector(bd01, bd23, 2, 3, 6, 7);
      simd::store<4>(dst + u, (1 - ty) * ((1 - tx) * a + tx * b) + ty * ((1 - tx) * c + tx * d));
    }
  }
}

// The (target-1)-th and target-th smallest of the samples (0-based; both the target-th when
// target is 0), exactly as sorting would give them. Bucketing by value is monotone, so the
// ranks are found in a histogram and only one small bucket is ranked in full: several times
// cheaper than nth_element over all 1024 samples, and this runs every thickness round.
// Of the first `count` samples (a multiple of 8, above target).
void select_ranks(const std::array<float, kSide * kSide>& samples, int count, int target, Scratch& s,
                  float& below, float& above) {
  // Fixed buckets 1/8 px wide over [-8, 24) px, the ends open: field values cluster in the
  // middle, and clamping keeps the bucketing monotone.
  constexpr int kBuckets = 256;
  constexpr float kLow = -8.0f, kPerPx = 8.0f;
  std::array<int, kBuckets> counts{};
  // Buckets four at a time (a vector clamp and truncation, the scalar formula's operations,
  // stored as four bytes at once), counted one by one: Emscripten 3.1.6's clang 14
  // miscompiles the scalar loop when it vectorises it itself with -msimd128 (wrong buckets,
  // so wrong coverage in wasm only), and in wasm a scalar float-to-int conversion costs a
  // range check and a lane-by-lane store an extract per byte.
  using V = simd::Vec<4>;
  using VI = simd::IntVec<4>;
  const V low = V{} + kLow, zero = V{} + 0.0f, top = V{} + float(kBuckets - 1);
  for (int i = 0; i < count; i += 4) {
    V t = (simd::load<4>(samples.data() + i) - low) * kPerPx;
    t = t < zero ? zero : t;
    t = top < t ? top : t;
    const VI b = __builtin_convertvector(t, VI);
    typedef uint8_t Bytes __attribute__((vector_size(4)));
    const Bytes bytes = __builtin_convertvector(b, Bytes);
    __builtin_memcpy(s.bucket.data() + i, &bytes, sizeof bytes);
    ++counts[b[0]];
    ++counts[b[1]];
    ++counts[b[2]];
    ++counts[b[3]];
  }
  int bucket = 0, before = 0;  // the bucket holding rank `target`, and how many precede it
  while (before + counts[bucket] <= target) before += counts[bucket++];
  // Gather the bucket's samples. Few are in it (it is 1/8 px wide), so eight bucket bytes at
  // a time are tested for a match (a zero byte of bucket ^ wanted) and skipped when none is.
  const uint64_t wanted = 0x0101010101010101ull * uint64_t(bucket);
  int m = 0;
  for (int i = 0; i < count; i += 8) {
    uint64_t chunk;
    std::memcpy(&chunk, s.bucket.data() + i, 8);
    const uint64_t x = chunk ^ wanted;
    if (((x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull) == 0) continue;
    for (int k = i; k < i + 8; ++k) {
      s.sorted[m] = samples[k];
      m += s.bucket[k] == bucket;
    }
  }
  const int rank = target - before;
  std::nth_element(s.sorted.begin(), s.sorted.begin() + rank, s.sorted.begin() + m);
  above = s.sorted[rank];
  if (rank > 0) {
    below = *std::max_element(s.sorted.begin(), s.sorted.begin() + rank);
  } else if (target > 0) {  // the largest value in the lower buckets
    below = -std::numeric_limits<float>::infinity();
    for (int i = 0; i < count; ++i)
      if (s.bucket[i] < bucket) below = std::max(below, samples[i]);
  } else {
    below = above;
  }
}

void check_size(const void* data, int width, int height, const char* what) {
  if (data == nullptr) throw Error(std::string(what) + ": the raster is null");
  if (width <= 0 || height <= 0 || width > kMaxSide || height > kMaxSide)
    throw Error(std::string(what) + ": raster size " + std::to_string(width) + "x" +
                std::to_string(height) + " is outside 1..4096 pixels per side");
}

// (out_h, out_w) exact area averages of the raster, 0..1: pixel x spans [x, x + 1), output
// column j spans [j * width / out_w, (j + 1) * width / out_w); in units of 1 / (out_w)
// pixel both are whole numbers, so every overlap is an integer and the sums are exact.
std::vector<float> area_average(const uint8_t* ink, int width, int height, int out_w, int out_h) {
  std::vector<int64_t> sums(size_t(out_w) * out_h, 0);
  std::vector<int64_t> row_sums(out_w);
  for (int y = 0; y < height; ++y) {
    std::fill(row_sums.begin(), row_sums.end(), 0);
    const uint8_t* row = ink + size_t(y) * width;
    for (int x = 0; x < width; ++x) {
      const int64_t lo = int64_t(x) * out_w, hi = lo + out_w;
      for (int j = int(lo / width); j < out_w && int64_t(j) * width < hi; ++j)
        row_sums[j] += row[x] * (std::min(hi, int64_t(j + 1) * width) - std::max(lo, int64_t(j) * width));
    }
    const int64_t lo = int64_t(y) * out_h, hi = lo + out_h;
    for (int i = int(lo / height); i < out_h && int64_t(i) * height < hi; ++i) {
      const int64_t overlap = std::min(hi, int64_t(i + 1) * height) - std::max(lo, int64_t(i) * height);
      for (int j = 0; j < out_w; ++j) sums[size_t(i) * out_w + j] += row_sums[j] * overlap;
    }
  }
  std::vector<float> out(sums.size());
  const double whole = 255.0 * double(width) * double(height);  // every cell's total weight times full ink
  for (size_t k = 0; k < sums.size(); ++k) out[k] = float(double(sums[k]) / whole);
  return out;
}

void add_stage(PreprocessTrace* trace, const char* name, int width, int height, std::vector<float> pixels) {
  trace->stages.push_back(PreprocessStage{name, width, height, std::move(pixels)});
}

// The working raster (h, w) as an image; x_of(x, y) says where deskewed pixel (x, y) reads it.
template <class XOf, class Value>
std::vector<float> working_image(int w, int h, XOf x_of, Value value) {
  std::vector<float> out(size_t(w) * h, 0.0f);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) out[size_t(y) * w + x] = value(x_of(x, y), y);
  return out;
}

// The steps' images after the pipeline has run (only when traced): the working raster
// deskewed, and thresholded at the chosen growth r, which reads the whole distance field.
void add_working_stages(PreprocessTrace* trace, Scratch& s, int w, int h, const Geometry& g, float r) {
  const auto deskewed_x = [&](int x, int y) { return x + g.shear * (y - g.centre_y); };
  add_stage(trace, "deskewed", w, h, working_image(w, h, deskewed_x, [&](float xf, int y) {
              const int x = int(std::lround(xf));
              return x >= 0 && x < w ? float(s.work[size_t(y) * w + x]) : 0.0f;
            }));
  for (int y = 0; y < h; ++y) image::signed_distance_row(y, s.distance, s.sdf);
  add_stage(trace, "thickness", w, h, working_image(w, h, deskewed_x, [&](float xf, int y) {
              // The box's own bilinear rule along x, clamped at the raster's edge.
              const float x = std::clamp(xf, 0.0f, float(w - 1));
              const int x0 = std::min(int(x), std::max(w - 2, 0)), x1 = std::min(x0 + 1, w - 1);
              const float t = x - x0;
              const float* row = s.sdf.data() + size_t(y) * w;
              return (1 - t) * row[x0] + t * row[x1] < r ? 1.0f : 0.0f;
            }));
}

// The whole pipeline; `trace`, when given, also receives the images of its steps.
Preprocessed run_pipeline(const uint8_t* ink, int width, int height, const PreprocessOptions& options,
                          PreprocessTrace* trace) {
  check_size(ink, width, height, "preprocess_drawing");
  if (!(options.width_cap >= 1.0f && options.width_cap <= 32.0f))
    throw Error("preprocess_drawing: width_cap " + std::to_string(options.width_cap) +
                " must be within 1..32 pixels");
  if (!(options.target_coverage < 0.9f))
    throw Error("preprocess_drawing: target_coverage must be below 0.9 (<= 0 turns it off)");
  check_in_range("preprocess_drawing", "thickness_rounds", options.thickness_rounds, 1, 16);
  check_in_range("preprocess_drawing", "last_round_gain", options.last_round_gain, 0.5, 2);
  check_in_range("preprocess_drawing", "pad_share", options.pad_share, 0, 1);
  Preprocessed result;
  result.features.fill(0.0f);
  if (trace) {
    const float scale = std::min(1.0f, float(kStageSide) / float(std::max(width, height)));
    const int out_w = std::max(1, int(std::lround(width * scale))), out_h = std::max(1, int(std::lround(height * scale)));
    add_stage(trace, "ink", out_w, out_h, area_average(ink, width, height, out_w, out_h));
  }

  // ---- find the ink ---------------------------------------------------------------
  int x_lo = width, x_hi = -1, y_lo = height, y_hi = -1, ink_pixels = 0;
  for (int y = 0; y < height; ++y) {
    const uint8_t* row = ink + size_t(y) * width;
    // Branch-free so the compiler can vectorise the scan; ink is the top bit (>= 128).
    int count = 0;
    for (int x = 0; x < width; ++x) count += row[x] >> 7;
    if (count == 0) continue;
    ink_pixels += count;
    int first = 0, last = width - 1;
    while (row[first] < kInkThreshold) ++first;
    while (row[last] < kInkThreshold) --last;
    x_lo = std::min(x_lo, first);
    x_hi = std::max(x_hi, last);
    y_lo = std::min(y_lo, y);
    y_hi = y;
  }
  if (trace && x_hi >= 0) {
    trace->ink_x0 = x_lo;
    trace->ink_x1 = x_hi;
    trace->ink_y0 = y_lo;
    trace->ink_y1 = y_hi;
  }
  const int extent = std::max(x_hi - x_lo + 1, y_hi - y_lo + 1);
  const float min_extent = std::max(3.0f, kBlankExtent * std::max(width, height));
  if (ink_pixels < kMinInkPixels || extent < min_extent) return result;
  result.blank = false;

  // ---- crop into a small working raster with room to grow strokes ----------------------
  const int factor = (extent + kWorkSide - 1) / kWorkSide;
  const int crop_w = (x_hi - x_lo + factor) / factor, crop_h = (y_hi - y_lo + factor) / factor;
  const int pad = int(options.pad_share * std::max(crop_w, crop_h)) + 3;
  const int w = crop_w + 2 * pad, h = crop_h + 2 * pad;
  Scratch& s = scratch();
  s.work.assign(size_t(w) * h, 0);
  s.block_sums.resize(crop_w);
  const int block_threshold = kInkThreshold * factor * factor;
  for (int j = 0; j < crop_h; ++j) {
    uint8_t* out = s.work.data() + size_t(j + pad) * w + pad;
    if (factor == 1) {  // small rasters (the augmentation's 48x48): a plain threshold
      const uint8_t* row = ink + size_t(y_lo + j) * width + x_lo;
      for (int i = 0; i < crop_w; ++i) out[i] = row[i] >> 7;  // row[i] >= kInkThreshold
      continue;
    }
    std::fill(s.block_sums.begin(), s.block_sums.end(), 0);
    for (int y = y_lo + j * factor; y < std::min(y_lo + (j + 1) * factor, y_hi + 1); ++y) {
      const uint8_t* row = ink + size_t(y) * width;
      for (int i = 0; i < crop_w; ++i) {
        const int x0 = x_lo + i * factor, x1 = std::min(x0 + factor, x_hi + 1);
        int sum = 0;
        for (int x = x0; x < x1; ++x) sum += row[x];
        s.block_sums[i] += sum;
      }
    }
    for (int i = 0; i < crop_w; ++i) out[i] = s.block_sums[i] >= block_threshold;
  }

  if (trace) add_stage(trace, "crop", w, h, std::vector<float>(s.work.begin(), s.work.end()));

  // ---- deskew: the slant is the regression of x on y over the ink ----------------------
  // Row by row (the padding is empty); every sum is of whole numbers, so exact in double.
  double n = 0, sx = 0, sy = 0, sxy = 0, syy = 0;
  s.row_first.assign(h, -1);  // (H) first and last ink column of each row, -1: none
  s.row_last.assign(h, -1);
  for (int y = pad; y < pad + crop_h; ++y) {
    const uint8_t* row = s.work.data() + size_t(y) * w;
    int count = 0, sum_x = 0;
    for (int x = pad; x < pad + crop_w; ++x) {
      count += row[x];
      sum_x += row[x] * x;
    }
    if (count == 0) continue;
    int first = pad, last = pad + crop_w - 1;
    while (!row[first]) ++first;
    while (!row[last]) --last;
    s.row_first[y] = first;
    s.row_last[y] = last;
    n += count;
    sx += sum_x;
    sy += double(count) * y;
    sxy += double(sum_x) * y;
    syy += double(count) * y * y;
  }
  if (n < 1) {  // the box averaging thinned a faint drawing away
    result.blank = true;
    return result;
  }
  Geometry g;
  const double mean_x = sx / n, mean_y = sy / n;
  const double mu02 = syy / n - mean_y * mean_y, mu11 = sxy / n - mean_x * mean_y;
  g.centre_y = float(mean_y);
  if (options.deskew && mu02 > 1e-6)
    g.shear = std::clamp(float(mu11 / mu02), -kMaxShear, kMaxShear);
  g.x_min = g.y_min = 1e30f;
  g.x_max = g.y_max = -1e30f;
  for (int y = 0; y < h; ++y) {
    if (s.row_first[y] < 0) continue;
    // Deskewing shifts a whole row, so its extremes are its first and last ink pixels.
    const float shift = g.shear * (y - g.centre_y);
    g.x_min = std::min(g.x_min, (s.row_first[y] - shift) - 0.5f);
    g.x_max = std::max(g.x_max, (s.row_last[y] - shift) + 0.5f);
    g.y_min = std::min(g.y_min, y - 0.5f);
    g.y_max = std::max(g.y_max, y + 0.5f);
  }

  // ---- thickness: pick the growth r that gives the target coverage ---------------------
  const float deepest = image::signed_distance_begin(s.work.data(), w, h, s.distance, s.sdf);
  s.pairs.resize(size_t(h) * 2 * (w + 1));
  s.pair_done.assign(h, 0);
  const float r_min = 0.6f * deepest, r_max = float(pad) - 1.0f;
  float r = 0.0f;
  const int target = int(std::lround(options.target_coverage * kSide * kSide));
  bool sampled = false;  // s.samples already holds the box for the current r
  if (options.target_coverage > 0) {
    for (int it = 0; it < options.thickness_rounds; ++it) {
      const bool coarse = it == 0 && options.coarse_first_round;
      const int count = coarse ? kSide * kSide / 2 : kSide * kSide;
      sample_box(s, w, h, g, r, options, s.samples, coarse);
      // The target-th smallest field value is the threshold that inks exactly `target` pixels.
      float below, above;
      select_ranks(s.samples, count, coarse ? int(std::lround(options.target_coverage * count)) : target, s, below,
                   above);
      const float gain = it + 1 == options.thickness_rounds ? options.last_round_gain : 1.0f;
      const float next = std::clamp(0.5f * (above + below) * gain, r_min, r_max);
      // A fixed point: further rounds would sample the same box and pick the same r.
      sampled = !coarse && next == r;
      r = next;
      if (sampled) break;
    }
  }
  if (!sampled) sample_box(s, w, h, g, r, options, s.samples);

  // ---- binarise and count the 4x4 blocks -----------------------------------------------
  image::Bitmap32 bitmap;
  for (int i = 0; i < kSide * kSide; ++i) bitmap[i] = s.samples[i] < r ? 1 : 0;
  const image::BlockCounts counts = image::count_blocks(bitmap);
  for (int i = 0; i < kDigitFeatures; ++i) result.features[i] = counts[i] / 16.0f;
  if (trace) {
    trace->shear = g.shear;
    trace->growth = r;
    add_working_stages(trace, s, w, h, g, r);
    add_stage(trace, "box", kSide, kSide, std::vector<float>(bitmap.begin(), bitmap.end()));
    add_stage(trace, "blocks", 8, 8, std::vector<float>(result.features.begin(), result.features.end()));
  }
  return result;
}

}  // namespace

Preprocessed preprocess_drawing(const uint8_t* ink, int width, int height) {
  return run_pipeline(ink, width, height, PreprocessOptions{}, nullptr);
}

Preprocessed preprocess_drawing(const uint8_t* ink, int width, int height,
                                const PreprocessOptions& options) {
  return run_pipeline(ink, width, height, options, nullptr);
}

PreprocessTrace trace_preprocess(const uint8_t* ink, int width, int height, const PreprocessOptions& options) {
  PreprocessTrace trace;
  trace.result = run_pipeline(ink, width, height, options, &trace);
  return trace;
}

std::array<float, kDigitFeatures> naive_downscale(const uint8_t* ink, int width, int height) {
  check_size(ink, width, height, "naive_downscale");
  const std::vector<float> cells = area_average(ink, width, height, 8, 8);
  std::array<float, kDigitFeatures> out;
  std::copy(cells.begin(), cells.end(), out.begin());
  return out;
}

std::vector<uint8_t> ink_from_rgba(const uint8_t* rgba, int width, int height) {
  check_size(rgba, width, height, "ink_from_rgba");
  const size_t n = size_t(width) * height;
  std::vector<uint8_t> ink(n);
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* p = rgba + 4 * i;
    // Rec. 601 luma in fixed point; ink = alpha * darkness, so transparent and white are 0.
    const int luma = (299 * p[0] + 587 * p[1] + 114 * p[2] + 500) / 1000;
    ink[i] = uint8_t((p[3] * (255 - luma) + 127) / 255);
  }
  return ink;
}

}  // namespace nn
