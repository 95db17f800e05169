// The public corpus holds no directory exports (real ones are personal data),
// so its use for the owner formats is the other way round: no log of another
// family may be taken for a directory or register when trace-cat sniffs every
// family. CSV logs, access logs that start with an address, and colon-separated
// lines are the near misses this guards.
#include <catch2/catch.hpp>
#include <filesystem>

#include "format_list.h"
#include "parse_harness.h"
#include "tracekit/input.h"

using namespace tracekit;
namespace fs = std::filesystem;

TEST_CASE("owner formats claim no log of the public corpus", "[owner][corpus]") {
  auto root = test::find_corpus();
  if (!root) return;
  const FormatInfo* owner[] = {&formats::directory_csv_format(), &formats::passwd_format(),
                               &formats::ldif_format(), &formats::address_register_format(),
                               &formats::device_register_format()};
  size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(*root)) {
    if (!entry.is_regular_file()) continue;
    std::string path = entry.path().string();
    if (path.ends_with(".md") || path.ends_with("SOURCES.tsv")) continue;
    std::string error;
    auto bytes = open_input(path, error);
    if (!bytes) continue;
    LineReader reader(*bytes);
    std::string_view head = reader.head();
    ++files;
    for (const FormatInfo* f : owner) {
      const char* why = "";
      int score = f->sniff(head, &why);
      INFO(path << ": " << f->name << ": " << why);
      CHECK(score == 0);
    }
  }
  WARN("owner sniffers checked against " << files << " corpus files");
  CHECK(files > 100);
}
