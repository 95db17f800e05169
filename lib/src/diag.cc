#include "tracekit/diag.h"

#include <fmt/format.h>

namespace tracekit {

Diagnostics::Diagnostics(std::string tool, bool strict, FILE* err, int show_first)
    : tool_(std::move(tool)), strict_(strict), err_(err), show_first_(show_first) {}

bool Diagnostics::malformed(std::string_view file, uint64_t line, std::string_view reason) {
  FileCount* fc = nullptr;
  for (auto& f : files_)
    if (f.file == file) fc = &f;
  if (!fc) {
    files_.push_back(FileCount{std::string(file), 0, line, std::string(reason)});
    fc = &files_.back();
  }
  ++fc->count;
  if (strict_) {
    if (err_) fmt::print(err_, "{}: {}:{}: {} (--strict)\n", tool_, file, line, reason);
    ++errors_;
    return false;
  }
  if (fc->count <= uint64_t(show_first_) && err_)
    fmt::print(err_, "{}: {}:{}: {}\n", tool_, file, line, reason);
  return true;
}

void Diagnostics::error(std::string_view message) {
  ++errors_;
  if (err_) fmt::print(err_, "{}: {}\n", tool_, message);
}

void Diagnostics::warning(std::string_view message) {
  if (err_) fmt::print(err_, "{}: warning: {}\n", tool_, message);
}

void Diagnostics::usage_error(std::string_view message) {
  ++errors_;
  if (err_) fmt::print(err_, "{}: {}\n", tool_, message);
}

void Diagnostics::finish() {
  for (const auto& f : files_) {
    if (f.count <= uint64_t(show_first_) && f.count == 1) continue;  // already said in full
    if (err_)
      fmt::print(err_, "{}: {}: {} malformed line{} skipped (first at line {}: {})\n", tool_,
                 f.file, f.count, f.count == 1 ? "" : "s", f.first_line, f.first_reason);
  }
  if (err_) std::fflush(err_);
}

uint64_t Diagnostics::malformed_total() const {
  uint64_t n = 0;
  for (const auto& f : files_) n += f.count;
  return n;
}

}  // namespace tracekit
