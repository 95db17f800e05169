#include "tracekit/codec.h"

#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <cstdio>
#include <random>

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

std::vector<Row> read_back(const std::string& text, std::vector<std::string>* errors = nullptr,
                           std::vector<uint64_t>* lines = nullptr) {
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
    if (lines) lines->push_back(reader.record_line());
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

TEST_CASE("codec: a NUL byte in a field is written as \\0 and read back", "[codec]") {
  // Raw evidence from a damaged log may hold NULs: written as they are, they
  // end the line for awk, cut and grep.
  Row in = Row::object();
  in["raw"] = std::string("before\0after", 12);
  std::string tsv = written(OutputFormat::tsv, {in});
  CHECK(tsv.find('\0') == std::string::npos);
  CHECK(tsv.find("before\\0after") != std::string::npos);
  auto rows = read_back(tsv);
  REQUIRE(rows.size() == 1);
  CHECK(get_text(rows[0], "raw") == std::string("before\0after", 12));
}

TEST_CASE("codec: TSV escaping byte by byte, and undone", "[codec]") {
  // Strings of plain bytes and every byte escaped, in runs and alone, at the
  // start, the end and side by side.
  const char alphabet[] = {'a', 'Z', ' ', '\t', '\n', '\r', '\\', '\0', 't', '0'};
  std::mt19937 rng(11);
  for (int i = 0; i < 3000; ++i) {
    std::string s(rng() % 12, ' ');
    for (char& c : s) c = alphabet[rng() % sizeof alphabet];
    std::string want;
    for (char c : s) {
      switch (c) {
        case '\t':
          want += "\\t";
          break;
        case '\n':
          want += "\\n";
          break;
        case '\r':
          want += "\\r";
          break;
        case '\\':
          want += "\\\\";
          break;
        case '\0':
          want += "\\0";
          break;
        default:
          want += c;
      }
    }
    std::string out = "prefix";
    append_tsv_escaped(out, s);
    INFO(i);
    CHECK(out == "prefix" + want);
    CHECK(tsv_unescape(tsv_escape(s)) == s);
  }
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

namespace {
// Every TSV cell of `rows` written is what get_text finds there; the header
// is `want_cols`.
void check_cells(const std::vector<Row>& rows, const std::vector<std::string>& want_cols) {
  std::string out = written(OutputFormat::tsv, rows);
  std::vector<std::string> lines;
  for (size_t at = 0, nl; (nl = out.find('\n', at)) != std::string::npos; at = nl + 1)
    lines.push_back(out.substr(at, nl - at));
  REQUIRE(lines.size() == rows.size() + 1);
  auto split = [](const std::string& l) {
    std::vector<std::string> f;
    size_t at = 0;
    for (size_t tab; (tab = l.find('\t', at)) != std::string::npos; at = tab + 1)
      f.push_back(l.substr(at, tab - at));
    f.push_back(l.substr(at));
    return f;
  };
  std::vector<std::string> cols = split(lines[0]);
  CHECK(cols == want_cols);
  for (size_t r = 0; r < rows.size(); ++r) {
    std::vector<std::string> cells = split(lines[r + 1]);
    REQUIRE(cells.size() == cols.size());
    for (size_t k = 0; k < cols.size(); ++k) {
      INFO("row " << r << ", column " << cols[k]);
      CHECK(cells[k] == tsv_escape(get_text(rows[r], cols[k])));
    }
  }
}
}  // namespace

TEST_CASE("codec: each TSV cell is what get_field finds, whatever the rows' field order",
          "[codec]") {
  // Rows as tools write them (the same fields in the same order), then rows
  // whose fields come in another order, skip some, add others, hold an
  // object where another row has a value, or a field whose name has a dot
  // (read by get_field as a hop's field): every cell must be get_text's.
  auto row = [](const char* text) { return Row::parse(text); };
  check_cells(
      {
          row(R"({"ip":"1.1.1.1","nat":{"match":"exact","ip":"10.0.0.1"},"note":"a\tb"})"),
          row(R"({"ip":"1.1.1.2","nat":{"match":"none","ip":""},"note":""})"),
          row(R"({"nat":{"ip":"10.0.0.3","match":"exact"},"ip":"1.1.1.3"})"),
          row(R"({"ip":"1.1.1.4","lease":{"mac":"aa"},"nat":{"match":"gap"}})"),
          row(R"({"ip":"1.1.1.5","note":{"deep":"x"},"nat":null})"),
          row(R"({"nat.ip":"dotted","ip":"1.1.1.6","nat":{"match":"exact"},"port":7})"),
          row(R"({"ip":"1.1.1.7","nat":{"match":"exact","ip":"10.0.0.7"},"note":"last"})"),
      },
      {"ip", "nat.match", "nat.ip", "note", "lease.mac", "note.deep", "nat", "port"});
  // No column named like a hop: rows whose fields are the columns so far,
  // in order, are read in order (the second and the fourth), the others
  // field by field.
  check_cells(
      {
          row(R"({"ip":"1.1.1.1","nat":{"match":"exact","ip":"10.0.0.1"},"note":"a"})"),
          row(R"({"ip":"1.1.1.2","nat":{"match":"none","ip":""},"note":null})"),
          row(R"({"nat":{"ip":"10.0.0.3","match":"exact"},"ip":"1.1.1.3"})"),
          row(R"({"ip":"1.1.1.4","nat":{"match":"gap","ip":"10.0.0.4"}})"),
          row(R"({"ip":"1.1.1.5","lease":{"mac":"aa"},"port":5})"),
      },
      {"ip", "nat.match", "nat.ip", "note", "lease.mac", "port"});
  // A row in column order with an empty object, under a column of its name
  // that a later row adds; rows with a dotted name that is a column.
  check_cells(
      {
          row(R"({"ip":"1.1.1.0"})"),
          row(R"({"ip":"1.1.1.1","lease":{}})"),
          row(R"({"ip":"1.1.1.2","lease":"x"})"),
      },
      {"ip", "lease"});
  check_cells(
      {
          row(R"({"nat.ip":"dotted","ip":"1.1.1.1"})"),
          row(R"({"nat.ip":"dotted","ip":"1.1.1.2"})"),
          row(R"({"nat.ip":"dotted","ip":"1.1.1.3","nat":{"port":"9"}})"),
      },
      {"nat.ip", "ip", "nat.port"});
}

TEST_CASE("codec: a batch's thousands of TSV rows, written in chunks and halves, stay in order",
          "[codec]") {
  // Many chunks of rows (2048 each), the last still split in two: each
  // row's cells in its own line, in order. Now and then a row adds a column
  // or has its fields in another order, in either half of a chunk.
  std::vector<Row> rows;
  for (int i = 0; i < 20000; ++i) {
    Row r = Row::object();
    if (i % 4999 == 7) r["port"] = i;  // (out of order: before ip)
    r["ip"] = fmt::format("10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255);
    if (i % 4999 != 7) r["port"] = i;
    Row nat = Row::object();
    nat["match"] = i % 3 ? "exact" : "none";
    nat["ip"] = fmt::format("192.0.2.{}", i % 250);
    if (i == 12345) nat["note"] = "a new column, late";
    r["nat"] = std::move(nat);
    if (i == 5000) r["extra"] = "tab\there";
    rows.push_back(std::move(r));
  }
  check_cells(rows, {"ip", "port", "nat.match", "nat.ip", "extra", "nat.note"});
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

TEST_CASE("codec: TSV queries: fields unescaped, hops nested, bad rows reported", "[codec]") {
  std::vector<std::string> errors;
  auto rows = read_back(
      "ip\tport\tnat.ip\tnat.note\n"
      "192.0.2.7\t40123\t10.0.0.5\tone\\ttab, a\\\\ and\\nline\n"
      "192.0.2.8\t1\t10.0.0.6\n"
      "192.0.2.9\t2\t10.0.0.7\tx\textra\n"
      "192.0.2.10\t3\t\tplain\n",
      &errors);
  REQUIRE(rows.size() == 2);
  CHECK(
      rows[0].dump() ==
      R"({"ip":"192.0.2.7","port":"40123","nat":{"ip":"10.0.0.5","note":"one\ttab, a\\ and\nline"}})");
  CHECK(get_text(rows[1], "ip") == "192.0.2.10");
  CHECK(get_text(rows[1], "nat.note") == "plain");
  CHECK(get_field(rows[1], "nat.ip") == nullptr);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0] == "stdin:3: 3 fields where the header has 4");
  CHECK(errors[1] == "stdin:4: 5 fields where the header has 4");
}

TEST_CASE("codec: JSON Lines that are not objects are reported", "[codec]") {
  std::vector<std::string> errors;
  auto rows = read_back("{\"ip\":\"10.0.0.1\"}\n[1,{\"ip\":\"10.0.0.2\"}]\n{broken\n", &errors);
  CHECK(rows.size() == 2);
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

// Shadowserver scan reports: every name quoted, numbers not, commas and
// doubled quotes inside quoted fields; times UTC without an offset.
TEST_CASE("codec: Shadowserver scan CSV gets time and proto; columns kept", "[codec]") {
  std::vector<std::string> errors;
  std::vector<uint64_t> lines;
  auto rows = read_back(
      "\xEF\xBB\xBF\"timestamp\",\"ip\",\"protocol\",\"port\",\"hostname\",\"tag\",\"sector\"\r\n"
      "\"2026-10-24 09:00:30\",\"192.0.2.7\",\"TCP\",40123,,\"basic-auth,http\","
      "\"Say \"\"hi\"\"\"\r\n"
      "\"24/10/2026 09:00\",\"192.0.2.7\",\"tcp\",40123,,,\r\n"
      "\"2026-10-24 09:00:30.25\",\"192.0.2.8\",\"sctp\",80,\"h.example\",,\r\n",
      &errors, &lines);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].dump() ==
        R"({"timestamp":"2026-10-24 09:00:30","ip":"192.0.2.7","protocol":"TCP","port":"40123",)"
        R"("hostname":"","tag":"basic-auth,http","sector":"Say \"hi\"",)"
        R"("time":"2026-10-24T09:00:30Z","proto":"tcp"})");
  CHECK(get_text(rows[1], "time") == "2026-10-24T09:00:30.250Z");
  CHECK(get_field(rows[1], "proto") == nullptr);
  CHECK(lines == std::vector<uint64_t>{2, 4});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] ==
        "stdin:3: field timestamp: '24/10/2026 09:00' is not a time: expected RFC 3339, "
        "'YYYY-MM-DD HH:MM:SS[.frac] [+HH:MM|Z|ZONE]' or @EPOCH");
}

TEST_CASE("codec: Shadowserver sinkhole CSV: ip and port from src_ip and src_port", "[codec]") {
  auto rows = read_back(
      "\"timestamp\",\"protocol\",\"src_ip\",\"src_port\",\"src_asn\",\"dst_ip\",\"dst_port\"\n"
      "\"2026-10-24 09:00:30\",\"udp\",\"192.0.2.7\",40123,64500,\"198.51.100.9\",53\n");
  REQUIRE(rows.size() == 1);
  CHECK(get_text(rows[0], "time") == "2026-10-24T09:00:30Z");
  CHECK(get_text(rows[0], "ip") == "192.0.2.7");
  CHECK(get_text(rows[0], "port") == "40123");
  CHECK(get_text(rows[0], "dst_ip") == "198.51.100.9");
  CHECK(get_text(rows[0], "dst_port") == "53");
  CHECK(get_text(rows[0], "proto") == "udp");
  CHECK(get_text(rows[0], "src_ip") == "192.0.2.7");
}

TEST_CASE("codec: a CSV that is not a Shadowserver report keeps its times as given", "[codec]") {
  // No port column: not recognised, so a zone-less timestamp is not taken as UTC.
  auto rows = read_back("timestamp,ip,ticket\n2026-10-24 10:00:30,192.0.2.7,T-1\n");
  REQUIRE(rows.size() == 1);
  CHECK(get_field(rows[0], "time") == nullptr);
  // A time column wins over timestamp.
  rows = read_back(
      "time,timestamp,ip,port\n2026-10-24 10:00:30 +01:00,2026-10-24 09:00:30,192.0.2.7,1\n");
  REQUIRE(rows.size() == 1);
  CHECK(get_text(rows[0], "time") == "2026-10-24 10:00:30 +01:00");
}

TEST_CASE("codec: quoted CSV fields may span lines; an unclosed quote spoils one line", "[codec]") {
  std::vector<std::string> errors;
  std::vector<uint64_t> lines;
  auto rows = read_back(
      "ip , port, note\n"
      "192.0.2.1, 1 , \"two\n"
      "lines, and a comma\"\n"
      "192.0.2.2,2,\"never closed\n"
      "192.0.2.3,3,  \" padded \" \n"
      "192.0.2.4,4,last\n",
      &errors, &lines);
  REQUIRE(rows.size() == 3);
  CHECK(get_text(rows[0], "note") == "two\nlines, and a comma");
  CHECK(get_text(rows[0], "port") == "1");
  CHECK(get_text(rows[1], "note") == " padded ");
  CHECK(get_text(rows[2], "ip") == "192.0.2.4");
  CHECK(lines == std::vector<uint64_t>{2, 5, 6});
  CHECK(errors == std::vector<std::string>{"stdin:4: unterminated quote"});
}

TEST_CASE("codec: TSV with a byte order mark and CRLF; escapes undone", "[codec]") {
  auto rows = read_back("\xEF\xBB\xBFip\tnote\r\n10.0.0.1\ta\\tb\\\\c\\n\r\n");
  REQUIRE(rows.size() == 1);
  CHECK(get_text(rows[0], "ip") == "10.0.0.1");
  CHECK(get_text(rows[0], "note") == "a\tb\\c\n");
}

namespace {

// Written from the X-ARF v4 core schema: the query fields at the top level,
// contacts as objects, evidence as an array of objects with base64 payloads.
const char* const kXarf4 = R"({
  "xarf_version": "4.0.0",
  "report_id": "6f1c0b7e-0000-4000-8000-000000000001",
  "timestamp": "2026-10-24T10:00:30+01:00",
  "reporter": {"org": "Example CSIRT", "contact": "abuse@example.org", "domain": "example.org"},
  "source_identifier": "192.0.2.7",
  "source_port": 40123,
  "category": "connection",
  "type": "login_attack",
  "destination_ip": "198.51.100.22",
  "destination_port": 22,
  "protocol": "tcp",
  "evidence": [{"content_type": "text/plain", "payload": "bG9n"}],
  "tags": ["service:ssh"]
}
)";

}  // namespace

TEST_CASE("codec: a pretty-printed X-ARF v4 report is one query", "[codec]") {
  std::vector<uint64_t> lines;
  auto rows = read_back(kXarf4, nullptr, &lines);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].dump() ==
        R"({"xarf_version":"4.0.0","report_id":"6f1c0b7e-0000-4000-8000-000000000001",)"
        R"("timestamp":"2026-10-24T10:00:30+01:00","reporter_org":"Example CSIRT",)"
        R"("reporter_contact":"abuse@example.org","reporter_domain":"example.org",)"
        R"("source_identifier":"192.0.2.7","source_port":40123,"category":"connection",)"
        R"("type":"login_attack","destination_ip":"198.51.100.22","destination_port":22,)"
        R"("protocol":"tcp","tags":["service:ssh"],"time":"2026-10-24T10:00:30+01:00",)"
        R"("ip":"192.0.2.7","port":40123,"dst_ip":"198.51.100.22","dst_port":22,"proto":"tcp"})");
  CHECK(lines == std::vector<uint64_t>{1});
}

TEST_CASE("codec: X-ARF reports one after another, in an array, or one a line", "[codec]") {
  std::string two = std::string(kXarf4) + kXarf4;
  std::vector<uint64_t> lines;
  CHECK(read_back(two, nullptr, &lines).size() == 2);
  CHECK(lines == std::vector<uint64_t>{1, 16});
  lines.clear();
  std::string array = "[\n" + std::string(kXarf4) + ",\n" + kXarf4 + "]\n";
  CHECK(read_back(array, nullptr, &lines).size() == 2);
  CHECK(lines == std::vector<uint64_t>{2, 18});
  lines.clear();
  std::string jsonl = Row::parse(kXarf4).dump() + "\n" + Row::parse(kXarf4).dump() + "\n";
  auto rows = read_back(jsonl, nullptr, &lines);
  REQUIRE(rows.size() == 2);
  CHECK(lines == std::vector<uint64_t>{1, 2});
  CHECK(get_text(rows[1], "ip") == "192.0.2.7");
}

TEST_CASE("codec: X-ARF v3 reports: the query fields from Report", "[codec]") {
  auto rows = read_back(R"({"Version": "3",
 "ReporterInfo": {"ReporterOrg": "Example", "ReporterOrgEmail": "abuse@example.org"},
 "Report": {"ReportClass": "Activity", "ReportType": "LoginAttack",
            "Date": "2026-10-24T09:00:30Z", "SourceIp": "192.0.2.7", "SourcePort": 40123,
            "DestinationIp": "198.51.100.22", "DestinationPort": 22,
            "Samples": [{"ContentType": "text/plain", "Payload": "log"}]}}
)");
  REQUIRE(rows.size() == 1);
  CHECK(get_text(rows[0], "time") == "2026-10-24T09:00:30Z");
  CHECK(get_text(rows[0], "ip") == "192.0.2.7");
  CHECK(get_text(rows[0], "port") == "40123");
  CHECK(get_text(rows[0], "dst_port") == "22");
  CHECK(get_text(rows[0], "Report_ReportType") == "LoginAttack");
  CHECK(get_text(rows[0], "ReporterInfo_ReporterOrg") == "Example");
  CHECK(!rows[0].contains("Report"));
  CHECK(!rows[0].contains("Report_Samples"));
}

TEST_CASE("codec: X-ARF: a domain is no ip; a bad timestamp is an error", "[codec]") {
  std::vector<std::string> errors;
  auto rows = read_back(
      "{\"xarf_version\":\"4.0.0\",\"timestamp\":\"2026-10-24T09:00:30Z\","
      "\"source_identifier\":\"bad.example.com\"}\n"
      "{\"xarf_version\":\"4.0.0\",\"timestamp\":\"yesterday\",\"source_identifier\":\"192.0.2.7\"}"
      "\n"
      "{\"time\":\"2026-10-24T09:00:30Z\",\"source_identifier\":\"192.0.2.9\","
      "\"nat\":{\"match\":\"exact\"}}\n",
      &errors);
  REQUIRE(rows.size() == 2);
  CHECK(get_field(rows[0], "ip") == nullptr);
  CHECK(get_text(rows[0], "source_identifier") == "bad.example.com");
  // A row that has a time already (a tool's output) passes as it is.
  CHECK(rows[1]["nat"]["match"] == "exact");
  CHECK(get_field(rows[1], "ip") == nullptr);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rfind("stdin:2: field timestamp: 'yesterday' is not a time", 0) == 0);
}

TEST_CASE("codec: broken JSON names its line and the records after it are read", "[codec]") {
  std::vector<std::string> errors;
  std::vector<uint64_t> lines;
  auto rows = read_back(
      "{\"ip\":\"10.0.0.1\"}\n"
      "{\"ip\":\"10.0.0.2\"\n"
      "{\"ip\":\"10.0.0.3\"}\n"
      "{\n"
      "  \"ip\": \"10.0.0.4\"\n"
      "  \"port\": 1\n"
      "}\n"
      "{\"ip\":\"10.0.0.5\"}\n",
      &errors, &lines);
  REQUIRE(rows.size() == 3);
  CHECK(lines == std::vector<uint64_t>{1, 3, 8});
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].rfind("stdin:2: not a JSON object: ", 0) == 0);
  CHECK(errors[1].rfind("stdin:6: not a JSON object: syntax error while parsing object", 0) == 0);
}

TEST_CASE("codec: a JSON number too large for a double is reported, not thrown", "[codec]") {
  // Found by fuzzing (tests/fuzz/regressions/rows/json-number-overflow-throws):
  // nlohmann throws out_of_range, not parse_error, and it ended the tool.
  std::vector<std::string> errors;
  std::vector<uint64_t> lines;
  auto rows = read_back(
      "{\"ip\":\"10.0.0.1\",\"port\":66E666666}\n"
      "{\"ip\":\"10.0.0.2\"}\n",
      &errors, &lines);
  REQUIRE(rows.size() == 1);
  CHECK(lines == std::vector<uint64_t>{2});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rfind("stdin:1: not a JSON object: ", 0) == 0);
}

TEST_CASE("codec: X-ARF fields of the report's own win over derived ones", "[codec]") {
  auto rows = read_back(
      "{\"xarf_version\":\"4.0.0\",\"timestamp\":\"2026-10-24T09:00:30Z\",\"port\":\"8080\","
      "\"source_identifier\":\"192.0.2.7\",\"source_port\":40123,"
      "\"reporter\":{\"org\":\"A\"},\"reporter_org\":\"B\"}\n");
  REQUIRE(rows.size() == 1);
  CHECK(get_text(rows[0], "port") == "8080");
  CHECK(get_text(rows[0], "reporter_org") == "B");
  CHECK(get_text(rows[0], "ip") == "192.0.2.7");
}

// Regression (fuzz: rows/field-text-invalid-utf8-throws): a query record's
// values are the user's JSON. Non-UTF-8 bytes inside a nested value, or an
// evidence entry whose file is no string, are shown, not thrown on (an
// uncaught exception ended the tool).
TEST_CASE("codec: field_text of odd query values does not throw", "[codec]") {
  nlohmann::ordered_json v = nlohmann::ordered_json::array();
  v.push_back({{"file", 5}, {"line", 12}});
  v.push_back(nlohmann::ordered_json::object({{"k", std::string("a\xff\xfe")}}));
  std::string text;
  REQUIRE_NOTHROW(text = field_text(v));
  CHECK(text.substr(0, 5) == "5:12,");
  // An evidence item's empty file is still FILE:LINE.
  CHECK(field_text(nlohmann::ordered_json::array({{{"file", ""}, {"line", 3}}})) == ":3");
  CHECK(text.find("\xef\xbf\xbd") != std::string::npos);  // U+FFFD
}
