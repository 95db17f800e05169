#include "tracekit/codec.h"

#include <catch2/catch.hpp>
#include <cstdio>

using namespace tracekit;

namespace {

std::string written(OutputFormat f, const std::vector<Row>& rows) {
  char* buf = nullptr;
  size_t len = 0;
  FILE* mem = open_memstream(&buf, &len);
  {
    RowWriter w(f, mem);
    for (const auto& r : rows) w.write(r);
    w.finish();
  }
  std::fclose(mem);
  std::string s(buf, len);
  free(buf);
  return s;
}

std::vector<Row> read_back(const std::string& text, std::vector<std::string>* errors = nullptr) {
  FILE* in = fmemopen(const_cast<char*>(text.data()), text.size(), "r");
  RowReader reader(in);
  std::vector<Row> rows;
  Row r;
  std::string err;
  while (reader.next(r, err)) {
    if (!err.empty()) {
      if (errors) errors->push_back(err);
      continue;
    }
    rows.push_back(r);
  }
  std::fclose(in);
  return rows;
}

Row answer() {
  Row r = Row::object();
  r["time"] = "2026-04-23T15:19:00Z";
  r["ip"] = "10.20.3.44";
  r["lease"] =
      Row{{"match", "exact"},
          {"mac", "aa:bb:cc:dd:ee:ff"},
          {"evidence",
           Row::array({Row{{"file", "dhcpd.log"},
                           {"line", 12},
                           {"offset", 900},
                           {"raw", "Apr 23 ... DHCPACK\ton x"}},
                       Row{{"file", "dhcpd.log"}, {"line", 40}, {"offset", 3000}, {"raw", "y"}}})},
          {"note", "a\\b"}};
  return r;
}

}  // namespace

TEST_CASE("codec: TSV header uses hop.field names; evidence is FILE:LINE", "[codec]") {
  std::string tsv = written(OutputFormat::tsv, {answer()});
  CHECK(tsv ==
        "time\tip\tlease.match\tlease.mac\tlease.evidence\tlease.note\n"
        "2026-04-23T15:19:00Z\t10.20.3.44\texact\taa:bb:cc:dd:ee:ff\tdhcpd.log:12,dhcpd.log:40\t"
        "a\\\\b\n");
}

TEST_CASE("codec: TSV round trip keeps fields and escapes", "[codec]") {
  Row in = Row::object();
  in["time"] = "2026-04-23T15:19:00Z";
  in["comment"] = "tab\there\nnewline \\ backslash";
  in["nat"] = Row{{"match", "exact"}, {"ip", "10.0.0.1"}};
  auto rows = read_back(written(OutputFormat::tsv, {in}));
  REQUIRE(rows.size() == 1);
  CHECK(get_text(rows[0], "comment") == "tab\there\nnewline \\ backslash");
  CHECK(get_text(rows[0], "nat.ip") == "10.0.0.1");
  CHECK(rows[0]["nat"]["match"] == "exact");
}

TEST_CASE("codec: JSON Lines round trip nests hops and keeps evidence", "[codec]") {
  std::string jl = written(OutputFormat::jsonl, {answer()});
  CHECK(jl.find("\"lease\":{\"match\":\"exact\"") != std::string::npos);
  auto rows = read_back(jl);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0] == answer());
  CHECK(field_text(rows[0]["lease"]["evidence"]) == "dhcpd.log:12,dhcpd.log:40");
}

TEST_CASE("codec: TSV columns are the union of all rows", "[codec]") {
  Row a = Row::object(), b = Row::object();
  a["ip"] = "1.1.1.1";
  b["ip"] = "2.2.2.2";
  b["port"] = "80";
  CHECK(written(OutputFormat::tsv, {a, b}) == "ip\tport\n1.1.1.1\t\n2.2.2.2\t80\n");
}

TEST_CASE("codec: CSV queries with quotes; bad rows are reported with their line", "[codec]") {
  std::vector<std::string> errors;
  auto rows = read_back(
      "timestamp,ip,src_port,note\n"
      "2026-04-23 15:19:00,192.0.2.7,40123,\"a, b\"\n"
      "2026-04-23 15:20:00,192.0.2.8\n"
      "\n"
      "2026-04-23 15:21:00,192.0.2.9,1,\"unterminated\n",
      &errors);
  REQUIRE(rows.size() == 1);
  CHECK(get_text(rows[0], "note") == "a, b");
  REQUIRE(errors.size() == 2);
  CHECK(errors[0] == "stdin:3: 2 fields where the header has 4");
  CHECK(errors[1] == "stdin:5: unterminated quote");
}

TEST_CASE("codec: JSON Lines that are not objects are reported", "[codec]") {
  std::vector<std::string> errors;
  auto rows = read_back("{\"ip\":\"10.0.0.1\"}\n[1,2]\n{broken\n", &errors);
  CHECK(rows.size() == 1);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0] == "stdin:2: not a JSON object");
  CHECK(errors[1].rfind("stdin:3: not a JSON object: ", 0) == 0);
}

TEST_CASE("codec: table aligns columns", "[codec]") {
  Row a = Row::object(), b = Row::object();
  a["ip"] = "1.1.1.1";
  a["host"] = "x";
  b["ip"] = "10.10.10.10";
  b["host"] = "longer";
  CHECK(written(OutputFormat::table, {a, b}) ==
        "ip           host\n1.1.1.1      x\n10.10.10.10  longer\n");
}
