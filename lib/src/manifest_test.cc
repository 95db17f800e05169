#include "tracekit/manifest.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "parse_harness.h"

using namespace tracekit;

namespace {

std::string scratch_file(const std::string& name, const std::string& content) {
  auto dir = test::scratch_dir("manifest-test");
  auto p = (dir / name).string();
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

}  // namespace

TEST_CASE("sha256_hex gives the FIPS 180-2 test vectors") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("describe_input hashes a file of a million 'a' across read blocks") {
  std::string path = scratch_file("million-a", std::string(1000000, 'a'));
  InputFileInfo info = describe_input(path);
  CHECK(info.error.empty());
  CHECK(info.size == 1000000);
  CHECK(info.sha256 == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  CHECK(info.path == path);
  CHECK(info.absolute == path);
  CHECK_FALSE(info.is_stdin);
  // RFC 3339 UTC: 2026-04-23T15:19:00Z, with a fraction where the filesystem has one.
  REQUIRE(info.mtime.size() >= 20);
  CHECK(info.mtime[10] == 'T');
  CHECK(info.mtime.back() == 'Z');
}

TEST_CASE("describe_input of an empty file") {
  InputFileInfo info = describe_input(scratch_file("empty", ""));
  CHECK(info.error.empty());
  CHECK(info.size == 0);
  CHECK(info.sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("describe_input of a missing file says so and hashes nothing") {
  InputFileInfo info = describe_input("/nonexistent/tracekit/dhcpd.log");
  CHECK(info.error == "cannot open /nonexistent/tracekit/dhcpd.log: No such file or directory");
  CHECK(info.sha256.empty());
  CHECK(info.mtime.empty());
}

TEST_CASE("describe_input of a directory or stdin hashes nothing") {
  CHECK(describe_input("/").error == "/ is not a regular file: not hashed");
  InputFileInfo in = describe_input("-");
  CHECK(in.is_stdin);
  CHECK(in.error.empty());
  CHECK(in.sha256.empty());
}

TEST_CASE("shell_quote quotes only what a shell would split or expand") {
  CHECK(shell_quote("trace-lease") == "trace-lease");
  CHECK(shell_quote("--log=dhcp/dhcpd.log.1,x:y@z%+") == "--log=dhcp/dhcpd.log.1,x:y@z%+");
  CHECK(shell_quote("") == "''");
  CHECK(shell_quote("2026-04-23 16:19:00 +01:00") == "'2026-04-23 16:19:00 +01:00'");
  CHECK(shell_quote("dhcpd.log*") == "'dhcpd.log*'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("a\nb\\c'\x01") == "$'a\\nb\\\\c\\'\\x01'");
  CHECK(shell_quote(std::string_view("a\0b", 3)) == "$'a\\x00b'");
  CHECK(shell_quote("caf\xc3\xa9") == "'caf\xc3\xa9'");
}

TEST_CASE("describe_inputs lists the sources file first and each file once") {
  std::string a = scratch_file("a.log", "a\n"), cfg = scratch_file("sources.toml", "");
  ToolRun run("trace-lease");
  run.config_path = cfg;
  note_input(run, "-");
  note_input(run, a);
  note_input(run, a);
  note_input(run, cfg);
  auto inputs = describe_inputs(run);
  REQUIRE(inputs.size() == 3);
  CHECK(inputs[0].path == cfg);
  CHECK(inputs[1].is_stdin);
  CHECK(inputs[2].path == a);
}

TEST_CASE("a manifest names the tool, its command line and each input") {
  std::string a = scratch_file("b.log", "abc");
  char arg0[] = "trace-lease", arg1[] = "--log", arg3[] = "2026-04-23 16:19:00 +01:00";
  std::string log = a;
  char* argv[] = {arg0, arg1, log.data(), arg3, nullptr};
  ToolRun run("trace-lease", 4, argv);
  note_input(run, a);
  std::string text = format_manifest(run, 1, describe_inputs(run));
  CHECK(text.rfind("tracekit-manifest: 1\ntool: trace-lease\nversion: ", 0) == 0);
  CHECK(text.find("\ncommand: trace-lease --log " + a + " '2026-04-23 16:19:00 +01:00'\n") !=
        std::string::npos);
  CHECK(text.find("\nstatus: 1\n") != std::string::npos);
  CHECK(text.find("\ninputs: 1\n\ninput: " + a + "\nabsolute: " + a + "\nsize: 3\nmtime: ") !=
        std::string::npos);
  CHECK(text.find("\nsha256: ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n") !=
        std::string::npos);
}

TEST_CASE("same_file sees through another name of the file") {
  std::string a = scratch_file("c.log", "c");
  auto link = std::filesystem::path(a).parent_path() / "c-link.log";
  std::filesystem::remove(link);
  std::filesystem::create_symlink(a, link);
  CHECK(same_file(link.string(), a));
  CHECK_FALSE(same_file(a, scratch_file("d.log", "d")));
  CHECK_FALSE(same_file("/nonexistent/tracekit/m", a));
}

TEST_CASE("describe_inputs says when a file changed after the run read it") {
  std::string a = scratch_file("e.log", "abc");
  ToolRun run("trace-lease");
  InputFile then;
  then.path = a;
  then.size = 2;
  then.mtime = Instant(Micros(1776957540000000));  // 2026-04-23T15:19:00Z
  note_input(run, then);
  auto inputs = describe_inputs(run);
  REQUIRE(inputs.size() == 1);
  CHECK(inputs[0].sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(inputs[0].error == a + " changed after this run read it (then 2 bytes, modified "
                               "2026-04-23T15:19:00.000Z): the hash is of the file as it is now");
}
