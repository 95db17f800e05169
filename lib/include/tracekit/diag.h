// Diagnostics: what went wrong with the input, said once and clearly.
// Malformed lines are counted per file; the first few are shown with file:line
// and reason as they occur, and a one-line summary per file comes at the end.
// With strict, the first malformed line is an error.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace tracekit {

class Diagnostics {
 public:
  // err null: count, print nothing.
  explicit Diagnostics(std::string tool, bool strict = false, FILE* err = stderr,
                       int show_first = 3);

  // Counts a malformed line of `file`; prints it if among the first few.
  // Returns false when strict: the caller stops reading and the run fails.
  bool malformed(std::string_view file, uint64_t line, std::string_view reason);
  // An error that does not stop the run (a damaged file, an unreadable one):
  // printed at once; the exit status becomes 2.
  void error(std::string_view message);
  void warning(std::string_view message);
  // A fatal error about the command line or a query: printed at once.
  void usage_error(std::string_view message);
  // Prints the per-file summaries of malformed lines.
  void finish();

  bool had_error() const { return errors_ > 0; }
  bool strict() const { return strict_; }
  void set_strict(bool strict) { strict_ = strict; }
  const std::string& tool() const { return tool_; }
  uint64_t malformed_total() const;

 private:
  struct FileCount {
    std::string file;
    uint64_t count = 0;
    uint64_t first_line = 0;
    std::string first_reason;
  };
  std::string tool_;
  bool strict_;
  FILE* err_;
  int show_first_;
  int errors_ = 0;
  std::vector<FileCount> files_;
};

}  // namespace tracekit
