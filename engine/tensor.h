// Eigen aliases and the Shape struct shared by the whole engine.
// Shape letters used throughout: N = batch, C = channels, H/W = height/width,
// F = features (C*H*W). Batches are row-major (N, F) float matrices, one sample per row;
// images are flattened channel-major (C x H x W) inside a row.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/memory_budget.h"

namespace nn {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowVector = Eigen::Matrix<float, 1, Eigen::Dynamic>;
using MatrixView = Eigen::Map<Matrix>;
using ConstMatrixView = Eigen::Map<const Matrix>;
using Index = Eigen::Index;

inline ConstMatrixView view(const Matrix& m) { return ConstMatrixView(m.data(), m.rows(), m.cols()); }

// The shape of one sample: C x H x W. A flat feature vector is {F, 1, 1}.
struct Shape {
  int c = 1;
  int h = 1;
  int w = 1;

  int size() const { return c * h * w; }
  bool is_flat() const { return h == 1 && w == 1; }
  bool operator==(const Shape& o) const { return c == o.c && h == o.h && w == o.w; }
  bool operator!=(const Shape& o) const { return !(*this == o); }
  // "(16, 8, 8)" for images, "(128)" for flat vectors.
  std::string str() const {
    if (is_flat()) return "(" + std::to_string(c) + ")";
    return "(" + std::to_string(c) + ", " + std::to_string(h) + ", " + std::to_string(w) + ")";
  }
};

// A (N, F) matrix whose storage only grows: a smaller last batch reuses the memory of the
// full ones, so the hot loop allocates nothing once the largest batch has been seen. The
// storage is aligned like Eigen's own: Eigen peels unaligned heads off with scalar code,
// and a scalar exp differs from its vector exp in the last bit, so an alignment that varied
// from run to run would make the same seed give different weights.
class Buffer {
 public:
  // Throws nn::Error for a negative size or one over the memory budget: the product is
  // taken in 64 bits, so it cannot wrap to a small size_t on a 32-bit target.
  MatrixView resize(Index rows, Index cols) {
    check_buffer_size(rows, cols);
    const size_t needed = static_cast<size_t>(static_cast<uint64_t>(rows) * static_cast<uint64_t>(cols));
    if (needed > data_.size()) data_.resize(needed);
    rows_ = rows;
    cols_ = cols;
    return view();
  }
  MatrixView view() { return MatrixView(data_.data(), rows_, cols_); }
  ConstMatrixView view() const { return ConstMatrixView(data_.data(), rows_, cols_); }
  Index rows() const { return rows_; }
  Index cols() const { return cols_; }

 private:
  std::vector<float, Eigen::aligned_allocator<float>> data_;
  Index rows_ = 0;
  Index cols_ = 0;
};

}  // namespace nn
