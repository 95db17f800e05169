#include "tracekit/config.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cstdlib>
#include <toml++/toml.h>

#include "tracekit/format.h"

namespace tracekit {

namespace {

bool file_exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

std::string where(const std::string& path, const toml::node& n) {
  return fmt::format("{}:{}", path, n.source().begin.line);
}

std::string dir_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

bool read_duration(const std::string& path, const toml::node& n, const char* key, Micros& out,
                   std::string& error) {
  if (auto s = n.value<std::string>()) {
    if (parse_duration(*s, out)) return true;
  } else if (auto i = n.value<int64_t>()) {
    out = Micros(*i * 1000000);
    return true;
  }
  error = fmt::format("{}: {} must be a duration such as \"10s\", \"2m\" or \"12h\"",
                      where(path, n), key);
  return false;
}

}  // namespace

bool load_config(const std::string& path, SiteConfig& out, std::string& error) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    error = fmt::format("{}:{}: {}", path, e.source().begin.line, e.description());
    return false;
  }
  out.path = path;
  std::string base = dir_of(path);
  auto resolve = [&](const std::string& p) {
    return (p.empty() || p[0] == '/' || base.empty()) ? p : base + p;
  };
  for (auto&& [key, node] : root) {
    if (key == "source") {
      auto* arr = node.as_array();
      if (!arr) {
        error = fmt::format("{}: 'source' must be an array of tables ([[source]])",
                            where(path, node));
        return false;
      }
      for (auto& item : *arr) {
        auto* t = item.as_table();
        if (!t) {
          error = fmt::format("{}: each [[source]] must be a table", where(path, item));
          return false;
        }
        SourceSpec s;
        s.origin = where(path, item);
        for (auto&& [k, v] : *t) {
          std::string_view name = k.str();
          if (name == "name") {
            s.name = v.value_or(std::string());
          } else if (name == "format") {
            s.format = v.value_or(std::string("auto"));
            if (s.format != "auto" && !find_format(s.format)) {
              error = fmt::format("{}: unknown format '{}' (see trace-cat --formats)",
                                  where(path, v), s.format);
              return false;
            }
          } else if (name == "files") {
            if (auto str = v.value<std::string>()) {
              s.patterns.push_back(resolve(*str));
            } else if (auto* a = v.as_array()) {
              for (auto& e : *a)
                if (auto es = e.value<std::string>()) s.patterns.push_back(resolve(*es));
            } else {
              error = fmt::format("{}: files must be a string or an array of strings",
                                  where(path, v));
              return false;
            }
          } else if (name == "tz") {
            s.tz = v.value_or(std::string());
            if (!find_zone(s.tz)) {
              error = fmt::format("{}: unknown time zone '{}'", where(path, v), s.tz);
              return false;
            }
          } else if (name == "skew") {
            if (!read_duration(path, v, "skew", s.skew, error)) return false;
          } else if (name == "year") {
            s.year = int(v.value_or(int64_t(0)));
          } else if (name == "host") {
            s.host = v.value_or(std::string());
          } else if (name == "lease_time") {
            Micros d;
            if (!read_duration(path, v, "lease_time", d, error)) return false;
            s.lease_time = d;
          } else if (name == "max_silence") {
            Micros d;
            if (!read_duration(path, v, "max_silence", d, error)) return false;
            s.max_silence = d;
          } else {
            error = fmt::format("{}: unknown key '{}' in [[source]]", where(path, v), name);
            return false;
          }
        }
        if (s.patterns.empty()) {
          error = fmt::format("{}: [[source]] '{}' has no files", s.origin, s.name);
          return false;
        }
        if (s.name.empty()) s.name = s.patterns.front();
        out.sources.push_back(std::move(s));
      }
    } else if (key == "directory") {
      auto* t = node.as_table();
      if (!t) {
        error = fmt::format("{}: [directory] must be a table", where(path, node));
        return false;
      }
      if (auto* f = t->get("files")) {
        if (auto str = f->value<std::string>()) out.directory_files.push_back(resolve(*str));
        if (auto* a = f->as_array())
          for (auto& e : *a)
            if (auto es = e.value<std::string>()) out.directory_files.push_back(resolve(*es));
      }
    } else {
      error = fmt::format("{}: unknown section '{}'", where(path, node), key.str());
      return false;
    }
  }
  return true;
}

std::string find_config(const std::string& explicit_path) {
  if (!explicit_path.empty()) return explicit_path;
  if (const char* env = std::getenv("TRACEKIT_CONFIG"); env && *env) return env;
  if (const char* home = std::getenv("HOME"); home && *home) {
    std::string p = std::string(home) + "/.config/tracekit/sources.toml";
    if (file_exists(p)) return p;
  }
  if (file_exists("/etc/tracekit/sources.toml")) return "/etc/tracekit/sources.toml";
  return {};
}

SourceSpec source_from_log_arg(const std::string& arg) {
  SourceSpec s;
  s.origin = "--log";
  size_t colon = arg.find(':');
  if (colon != std::string::npos && find_format(std::string_view(arg).substr(0, colon))) {
    s.format = arg.substr(0, colon);
    s.patterns.push_back(arg.substr(colon + 1));
  } else {
    s.patterns.push_back(arg);
  }
  s.name = s.patterns.front();
  return s;
}

}  // namespace tracekit
