#include "tracekit/zeek_log.h"

#include <catch2/catch.hpp>

using namespace tracekit;

TEST_CASE("Zeek log header lines set separators, markers, path and fields", "[zeek]") {
  ZeekLogHeader h;
  std::string_view v;
  CHECK(h.read("#separator \\x7c", v) == ZeekHeaderLine::other);
  CHECK(h.sep == '|');
  CHECK(h.read("#set_separator|;", v) == ZeekHeaderLine::other);
  CHECK(h.set_sep == ';');
  CHECK(h.read("#empty_field|EMPTY", v) == ZeekHeaderLine::other);
  CHECK(h.read("#unset_field|UNSET", v) == ZeekHeaderLine::other);
  CHECK(h.blank("EMPTY"));
  CHECK(h.blank("UNSET"));
  CHECK_FALSE(h.blank("-"));
  CHECK(h.read("#path|http", v) == ZeekHeaderLine::path);
  CHECK(v == "http");
  CHECK(h.read("#fields|ts|uid", v) == ZeekHeaderLine::fields);
  CHECK(v == "ts|uid");
  CHECK(h.read("#types|time|string", v) == ZeekHeaderLine::other);
  CHECK(h.read("#separator \\xZZ", v) == ZeekHeaderLine::other);
  CHECK(h.sep == '|');  // a separator that cannot be read changes nothing
  CHECK(h.read("#path", v) == ZeekHeaderLine::path);
  CHECK(v.empty());
}
