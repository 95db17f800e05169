// The manifest of a run (DESIGN.md "Evidence rules"): which tool and version
// ran, with which command line, when, under which tz database, and what it
// read: each input file's path, size, modification time and SHA-256.
//
// The manifest is line-oriented text, "key: value" one to a line, so that it
// reads on paper, diffs line by line and is taken apart by grep and sed; a
// record of one input is a block of lines begun by "input:". Paths and the
// command line are shell-quoted where needed (bash $'...' for control
// characters), so that no value spans two lines and each can be pasted back.
// Keys and their order are fixed; a new key is added at the end of its block,
// and the first line names the format's version.
//
// Inputs are hashed as they are on disk (a compressed log compressed) when
// the manifest is written, at the end of the run; one that has changed since
// the run opened it is said to have. They are opened read-only, without
// updating their access time where the system allows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tracekit/cli.h"

namespace tracekit {

struct InputFileInfo {
  std::string path;      // as given ("-": stdin)
  std::string absolute;  // made absolute against the working directory
  uint64_t size = 0;
  std::string mtime;   // RFC 3339 UTC with Z, nanoseconds when the filesystem has a fraction
  std::string sha256;  // lowercase hex
  // Non-empty when it could not be read (then sha256 is empty), or when it
  // changed after the run read it (then size, mtime and sha256 are of it now).
  std::string error;
  bool is_stdin = false;  // stdin: not hashed, no size, no mtime
};

// Describes one file as it is on disk now, reading it to its end in large
// blocks. Never throws; a file that cannot be opened or read, is not a
// regular file, or changes while it is read gets `error`.
InputFileInfo describe_input(const std::string& path);

// The run's inputs, described in the order they were first opened: the
// sources file (if one was read), then run.inputs. A file whose size or
// mtime differs from when the run opened it gets `error` too.
std::vector<InputFileInfo> describe_inputs(const ToolRun& run);

// SHA-256 of `data` as lowercase hex.
std::string sha256_hex(std::string_view data);

// `s` as one word for a POSIX shell: as it is when it needs no quoting,
// else '...', else (control characters) bash's $'...'.
std::string shell_quote(std::string_view s);

// The manifest text of a run ending with exit status `status`.
std::string format_manifest(const ToolRun& run, int status,
                            const std::vector<InputFileInfo>& inputs);

// Refuses (an error through run.diag, false) a --manifest that is the sources
// file or one of the files the sources name. setup_run() calls it.
bool check_manifest_path(ToolRun& run);

// Whether `manifest` names the same file as `path` (through links too; "-":
// stdin when it is a regular file). False when either does not exist.
bool same_file(const std::string& manifest, const std::string& path);

}  // namespace tracekit
