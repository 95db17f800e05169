// Replays the seed corpora and the regression inputs through every fuzz
// target without a fuzzer, so that each CI run (and the sanitizer build)
// checks that none of them crashes, hangs or leaks.
//
//   tracekit-fuzz-replay CORPUS_DIR...  each CORPUS_DIR holds one folder per
//                                       target, named after it; every target
//                                       must have a non-empty folder in the first
//   tracekit-fuzz-replay --list         the targets, one per line
//   tracekit-fuzz-replay TARGET FILE... the given inputs through one target
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_targets.h"

namespace fs = std::filesystem;
using tracekit::fuzz::Target;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The regular files under `dir`, sorted (the order of a run never depends on
// the file system's).
std::vector<fs::path> inputs(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec))
    if (it->is_regular_file()) out.push_back(it->path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 1 && args[0] == "--list") {
    for (const Target& t : tracekit::fuzz::targets())
      std::printf("%-22s %s\n", t.name.c_str(), t.what.c_str());
    return 0;
  }
  if (args.empty()) {
    std::fprintf(stderr, "usage: tracekit-fuzz-replay CORPUS_DIR... | --list | TARGET FILE...\n");
    return 2;
  }
  if (const Target* t = tracekit::fuzz::find_target(args[0]); t && !fs::is_directory(args[0])) {
    for (size_t i = 1; i < args.size(); ++i) t->run(t->name, slurp(args[i]));
    std::printf("%s: %zu inputs replayed\n", t->name.c_str(), args.size() - 1);
    return 0;
  }
  int status = 0;
  size_t total = 0;
  for (size_t d = 0; d < args.size(); ++d) {
    for (const Target& t : tracekit::fuzz::targets()) {
      fs::path dir = fs::path(args[d]) / t.name;
      std::vector<fs::path> files = fs::is_directory(dir) ? inputs(dir) : std::vector<fs::path>{};
      if (files.empty() && d == 0) {
        // A parser added without seeds would go unfuzzed: refuse.
        std::fprintf(stderr, "fuzz-replay: no seed inputs for target %s in %s\n", t.name.c_str(),
                     dir.c_str());
        status = 1;
      }
      for (const fs::path& f : files) t.run(t.name, slurp(f));
      total += files.size();
    }
    // A folder named after no target: a renamed format's seeds left behind.
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(args[d], ec))
      if (e.is_directory() && !tracekit::fuzz::find_target(e.path().filename().string())) {
        std::fprintf(stderr, "fuzz-replay: %s names no target\n", e.path().c_str());
        status = 1;
      }
  }
  std::printf("fuzz-replay: %zu inputs through %zu targets\n", total,
              tracekit::fuzz::targets().size());
  return status;
}
