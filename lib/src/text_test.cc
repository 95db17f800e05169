#include "tracekit/text.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace tracekit;

TEST_CASE("iequals folds ASCII letters only", "[text]") {
  CHECK(iequals("Host Name", "host name"));
  CHECK(iequals("MAC Address", "mac address"));
  CHECK(iequals("", ""));
  CHECK_FALSE(iequals("ID", "IDs"));
  CHECK_FALSE(iequals("a", "b"));
  CHECK_FALSE(iequals("[", "{"));  // 0x5b and 0x7b differ by the case bit but are not letters
  CHECK_FALSE(iequals("\xc3\x89", "\xc3\xa9"));  // É, é: not folded
}

TEST_CASE("next_token splits at a separator and advances", "[text]") {
  std::string_view s = "DHCPACK on 10.0.0.5";
  CHECK(next_token(s) == "DHCPACK");
  CHECK(s == "on 10.0.0.5");
  CHECK(next_token(s) == "on");
  CHECK(next_token(s) == "10.0.0.5");
  CHECK(s.empty());
  CHECK(next_token(s).empty());

  std::string_view t = "a,,b,";
  CHECK(next_token(t, ',') == "a");
  CHECK(next_token(t, ',').empty());  // separators in a row: an empty token
  CHECK(next_token(t, ',') == "b");
  CHECK(t.empty());  // the trailing separator is consumed

  const std::string backing = "x y";
  std::string_view u = backing;
  std::string_view tok = next_token(u);
  CHECK(tok.data() == backing.data());  // a view into the input
  CHECK(u.data() == backing.data() + 2);
}

TEST_CASE("find_byte and find_either find the first match, word by word or not", "[text]") {
  // Every length up to past two words and every start, the bytes to find
  // at every place, next to bytes that trip word-at-a-time tricks (NUL,
  // 0x01 after a match, 0x80 and above): the same index as a plain loop.
  uint32_t x = 7;
  auto rnd = [&x](uint32_t n) {
    x = x * 1103515245u + 12345u;
    return (x >> 8) % n;
  };
  const char alphabet[] = {' ', ':', '\0', '\x01', '\x80', '\xff', 'a', ']', '\x21', '\x3b'};
  for (int round = 0; round < 4000; ++round) {
    std::string text(rnd(24), 'x');
    for (auto& c : text)
      if (rnd(3) == 0) c = alphabet[rnd(sizeof alphabet)];
    const size_t from = rnd(uint32_t(text.size()) + 1);
    const char a = alphabet[rnd(sizeof alphabet)], b = alphabet[rnd(sizeof alphabet)];
    size_t want_one = from, want_two = from;
    while (want_one < text.size() && text[want_one] != a) ++want_one;
    while (want_two < text.size() && text[want_two] != a && text[want_two] != b) ++want_two;
    INFO("text of " << text.size() << " bytes from " << from << ", a " << int(a) << ", b "
                    << int(b));
    CHECK(find_byte(text, a, from) == want_one);
    CHECK(find_either(text, a, b, from) == want_two);
    // The same string at the end of a longer text whose bytes in front of
    // it may be read (they are the bytes looked for: none may count).
    const size_t before = rnd(10);
    const std::string whole = std::string(before, rnd(2) ? a : b) + text;
    INFO("after " << before << " bytes");
    CHECK(find_either_with_room(std::string_view(whole).substr(before), before, a, b, from) ==
          want_two);
  }
  CHECK(find_byte("", ' ') == 0);
  CHECK(find_byte("dhcp1 dhcpd[812]:", ' ') == 5);
  CHECK(find_either("eth0: no free leases", ' ', ':') == 4);
  CHECK(find_either("10.20.3.1 via", ' ', ':', 9) == 9);
}

TEST_CASE("trim drops spaces and tabs at both ends", "[text]") {
  CHECK(trim("  a b \t") == "a b");
  CHECK(trim("\t\t") == "");
  CHECK(trim("") == "");
  CHECK(trim("x") == "x");
  CHECK(trim(" \r\n") == "\r\n");  // only spaces and tabs
  std::string_view s = "  ab  ";
  CHECK(trim(s).data() == s.data() + 2);
}

TEST_CASE("hex_value", "[text]") {
  CHECK(hex_value('0') == 0);
  CHECK(hex_value('9') == 9);
  CHECK(hex_value('a') == 10);
  CHECK(hex_value('F') == 15);
  CHECK(hex_value('g') == -1);
  CHECK(hex_value(':') == -1);
  CHECK(hex_value('\0') == -1);
  CHECK(hex_value('\xff') == -1);
  static_assert(hex_value('c') == 12);
}

namespace {
std::vector<std::string> head_lines(std::string_view head, size_t max_lines,
                                    size_t* seen = nullptr) {
  std::vector<std::string> out;
  size_t n =
      for_each_head_line(head, max_lines, [&](std::string_view line) { out.emplace_back(line); });
  if (seen) *seen = n;
  return out;
}
}  // namespace

TEST_CASE("for_each_head_line walks the first lines of a block", "[text]") {
  using V = std::vector<std::string>;
  CHECK(head_lines("a\nb\nc\n", 10) == V{"a", "b", "c"});  // no line after the last '\n'
  CHECK(head_lines("a\nb\nc", 10) == V{"a", "b", "c"});    // the last may be cut short
  CHECK(head_lines("a\n\nb\n", 10) == V{"a", "", "b"});    // empty lines count
  CHECK(head_lines("\n", 10) == V{""});
  CHECK(head_lines("", 10).empty());
  CHECK(head_lines("a\r\nb\r\n", 10) == V{"a\r", "b\r"});  // '\r' is the caller's
  size_t seen = 0;
  CHECK(head_lines("a\nb\nc\nd\n", 2, &seen) == V{"a", "b"});
  CHECK(seen == 2);
  CHECK(head_lines("a\nb\n", 0, &seen).empty());
  CHECK(seen == 0);
  head_lines("a\nb\n", 5, &seen);
  CHECK(seen == 2);
}

TEST_CASE("for_each_head_line stops when the callback returns false", "[text]") {
  std::vector<std::string_view> got;
  const std::string_view head = "one\ntwo\nstop\nfour\n";
  size_t n = for_each_head_line(head, 100, [&](std::string_view line) {
    got.push_back(line);
    return line != "stop";
  });
  CHECK(n == 3);  // the line that stopped it is counted
  REQUIRE(got.size() == 3);
  CHECK(got[2] == "stop");
  CHECK(got[0].data() == head.data());  // views into the head
  CHECK(got[1].data() == head.data() + 4);
}

TEST_CASE("text: ascii_lower folds A-Z only", "[text]") {
  std::string s = "CORP\\JDoe-\xc3\x89";
  ascii_lower_in_place(s);
  CHECK(s == "corp\\jdoe-\xc3\x89");
  CHECK(ascii_lower('Z') == 'z');
  CHECK(ascii_lower('@') == '@');
}
