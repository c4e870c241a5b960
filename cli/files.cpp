// Whole-file I/O and the --predict CSV parser for the CLI (see files.h).
#include "cli/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "engine/csv.h"
#include "engine/dataset.h"
#include "engine/digits_file.h"
#include "engine/error.h"

namespace cli {

namespace {

std::string folder_of(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string name_of(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Creates an empty temporary file next to `path` (mkstemp): returns its fd, sets `temp`.
int create_temp_beside(const std::string& path, std::string& temp) {
  std::string pattern = folder_of(path) + "/." + name_of(path) + ".tmp-XXXXXX";
  const int fd = ::mkstemp(pattern.data());
  if (fd >= 0) temp = pattern;
  return fd;
}

[[noreturn]] void refuse_write(const std::string& path, const std::string& reason, bool existed) {
  throw nn::Error("cannot write " + path + ": " + reason + (existed ? "; " + path + " is unchanged" : ""));
}

}  // namespace

std::vector<uint8_t> read_file(const std::string& path, size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw nn::Error("cannot read " + path + ": " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw nn::Error("cannot read " + path + ": it is a directory");
  }
  const auto too_large = [&](const std::string& size) {
    ::close(fd);
    return nn::Error("cannot read " + path + ": " + size + ", more than the limit of " + std::to_string(max_bytes) +
                     " bytes for this file");
  };
  if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > max_bytes) {
    throw too_large(std::to_string(st.st_size) + " bytes");
  }
  std::vector<uint8_t> bytes;
  uint8_t chunk[65536];
  while (true) {
    const ssize_t got = ::read(fd, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      const int err = errno;
      ::close(fd);
      throw nn::Error("cannot read " + path + ": " + std::strerror(err));
    }
    if (got == 0) break;
    // A device or pipe has no size to check first: stop as soon as it passes the cap.
    if (bytes.size() + static_cast<size_t>(got) > max_bytes) throw too_large("more than " + std::to_string(max_bytes) + " bytes");
    bytes.insert(bytes.end(), chunk, chunk + got);
  }
  ::close(fd);
  return bytes;
}

std::string read_text_file(const std::string& path, size_t max_bytes) {
  const auto bytes = read_file(path, max_bytes);
  return std::string(bytes.begin(), bytes.end());
}

nn::Dataset read_digits_file(const std::string& path) {
  const auto bytes = read_file(path, nn::kMaxDigitsFileBytes);
  return nn::load_digits(bytes.data(), bytes.size());
}

void check_writable(const std::string& path) {
  if (path.empty()) throw nn::Error("cannot write an empty path: give --save a file name");
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) refuse_write(path, "it is a directory", false);
  // The save creates a temporary file in the same folder: try exactly that now.
  std::string temp;
  const int fd = create_temp_beside(path, temp);
  if (fd < 0) refuse_write(path, std::strerror(errno), false);
  ::close(fd);
  ::unlink(temp.c_str());
}

void write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  if (path.empty()) throw nn::Error("cannot write an empty path: give --save a file name");
  struct stat old;
  const bool existed = ::stat(path.c_str(), &old) == 0;
  std::string temp;
  const int fd = create_temp_beside(path, temp);
  if (fd < 0) refuse_write(path, std::strerror(errno), existed);
  const auto fail = [&](const char* step) {
    const int err = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    refuse_write(path, std::string(step) + ": " + std::strerror(err), existed);
  };
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("writing");
    written += static_cast<size_t>(n);
  }
  // mkstemp makes the file 0600: give it what a plain create would (0666 less the umask),
  // or the old file's mode when it replaces one.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(fd, existed ? (old.st_mode & 07777) : (0666 & ~mask)) != 0) fail("setting its mode");
  if (::fsync(fd) != 0) fail("flushing to disk");
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    refuse_write(path, std::string("closing: ") + std::strerror(err), existed);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    refuse_write(path, std::string("renaming the finished file over it: ") + std::strerror(err), existed);
  }
}

nn::Matrix parse_pixel_rows(const std::string& text) {
  std::vector<float> values;  // (N * 64)
  nn::for_each_csv_row(text, "predict CSV", nn::kDigitFeatures, [&](const nn::CsvRow& row) {
    for (size_t f = 0; f < row.values.size(); ++f) {
      const double v = row.values[f];
      const std::string where = "line " + std::to_string(row.line) + ", field " + std::to_string(f + 1);
      if (!std::isfinite(v)) throw nn::Error("predict CSV " + where + ": " + nn::quoted(row.tokens[f]) + " is not a number");
      if (v < 0 || v > 16) throw nn::Error("predict CSV " + where + ": " + nn::quoted(row.tokens[f]) + " is not a pixel count 0..16");
    }
    if (row.values.size() != static_cast<size_t>(nn::kDigitFeatures)) {
      throw nn::Error("predict CSV line " + std::to_string(row.line) + ": " + std::to_string(row.values.size()) +
                      " values, expected 64 pixel counts");
    }
    for (double v : row.values) values.push_back(static_cast<float>(v / 16.0));
  });
  if (values.empty()) throw nn::Error("predict CSV: no rows");
  const nn::Index rows = static_cast<nn::Index>(values.size() / nn::kDigitFeatures);
  return Eigen::Map<nn::Matrix>(values.data(), rows, nn::kDigitFeatures);
}

}  // namespace cli
