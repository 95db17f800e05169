#include "tracekit/config.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <toml++/toml.h>
#include <cstdlib>
#include <functional>

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
  } else if (auto i = n.value<int64_t>(); i && log_seconds_ok(*i)) {
    out = Micros(*i * 1000000);
    return true;
  }
  error = fmt::format("{}: {} must be a duration such as \"10s\", \"2m\" or \"12h\"",
                      where(path, n), key);
  return false;
}

bool read_string(const std::string& path, const toml::node& n, const char* key, std::string& out,
                 std::string& error) {
  if (auto v = n.value_exact<std::string>()) {
    out = *v;
    return true;
  }
  error = fmt::format("{}: {} must be a string", where(path, n), key);
  return false;
}

// A string or an array of strings, each resolved against the file's folder.
bool read_paths(const std::string& path, const toml::node& n, const char* key,
                const std::function<std::string(const std::string&)>& resolve,
                std::vector<std::string>& out, std::string& error) {
  if (auto v = n.value_exact<std::string>()) {
    out.push_back(resolve(*v));
    return true;
  }
  if (auto* a = n.as_array()) {
    for (auto& e : *a) {
      auto v = e.value_exact<std::string>();
      if (!v) break;
      out.push_back(resolve(*v));
    }
    if (out.size() == a->size() && !a->empty()) return true;
  }
  error = fmt::format("{}: {} must be a string or an array of strings", where(path, n), key);
  return false;
}

bool read_bool(const std::string& path, const toml::node& n, const char* key, bool& out,
               std::string& error) {
  if (auto v = n.value_exact<bool>()) {
    out = *v;
    return true;
  }
  error = fmt::format("{}: {} must be true or false", where(path, n), key);
  return false;
}

// A [directory] or [[directory]] table: a directory of people or a register of
// addresses or devices.
bool read_directory(const std::string& path, const toml::node& node,
                    const std::function<std::string(const std::string&)>& resolve, SourceSpec& d,
                    std::string& error) {
  auto* t = node.as_table();
  if (!t) {
    error = fmt::format("{}: [directory] must be a table", where(path, node));
    return false;
  }
  d.origin = where(path, node);
  for (auto&& [k, v] : *t) {
    std::string_view name = k.str();
    if (name == "files") {
      if (!read_paths(path, v, "files", resolve, d.patterns, error)) return false;
    } else if (name == "name") {
      if (!read_string(path, v, "name", d.name, error)) return false;
    } else if (name == "format") {
      if (!read_string(path, v, "format", d.format, error)) return false;
      if (d.format != "auto") {
        const FormatInfo* f = find_format(d.format);
        if (!f) {
          error = fmt::format("{}: unknown format '{}' (trace-cat --formats lists them)",
                              where(path, v), d.format);
          return false;
        }
        if (f->family != Family::owner) {
          error = fmt::format("{}: format '{}' is a {} format, not a directory", where(path, v),
                              d.format, family_name(f->family));
          return false;
        }
      }
    } else if (name == "tz") {
      if (!read_string(path, v, "tz", d.tz, error)) return false;
      if (!find_zone(d.tz)) {
        error = fmt::format("{}: unknown time zone '{}'", where(path, v), d.tz);
        return false;
      }
    } else if (name == "strip_domain") {
      if (!read_bool(path, v, "strip_domain", d.directory.strip_domain, error)) return false;
    } else if (name == "strip_realm") {
      if (!read_bool(path, v, "strip_realm", d.directory.strip_realm, error)) return false;
    } else if (name == "fold_case") {
      if (!read_bool(path, v, "fold_case", d.directory.fold_case, error)) return false;
    } else if (name == "columns") {
      auto* cols = v.as_table();
      if (!cols) {
        error = fmt::format("{}: columns must be a table ([directory.columns])", where(path, v));
        return false;
      }
      for (auto&& [field, column] : *cols) {
        if (!is_directory_field(field.str())) {
          error = fmt::format(
              "{}: unknown field '{}' in [directory.columns] (expected login, name, email, id, "
              "unit, valid_from, valid_to, host, ip or mac)",
              where(path, column), field.str());
          return false;
        }
        auto c = column.value_exact<std::string>();
        if (!c || c->empty()) {
          error = fmt::format("{}: columns.{} must be a column name (a non-empty string)",
                              where(path, column), field.str());
          return false;
        }
        d.directory.columns.emplace_back(std::string(field.str()), *c);
      }
    } else {
      error = fmt::format("{}: unknown key '{}' in [directory]", where(path, v), name);
      return false;
    }
  }
  if (d.patterns.empty()) {
    error = fmt::format("{}: [directory] has no files", d.origin);
    return false;
  }
  if (d.name.empty()) d.name = d.patterns.front();
  return true;
}

}  // namespace

bool is_directory_field(std::string_view field) {
  for (std::string_view f :
       {"login", "name", "email", "id", "unit", "valid_from", "valid_to", "host", "ip", "mac"})
    if (field == f) return true;
  return false;
}

const std::string* DirectorySettings::column_for(std::string_view field) const {
  for (const auto& [f, c] : columns)
    if (f == field) return &c;
  return nullptr;
}

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
  std::function<std::string(const std::string&)> resolve = [&](const std::string& p) {
    return (p.empty() || p[0] == '/' || base.empty()) ? p : base + p;
  };
  for (auto&& [key, node] : root) {
    if (key == "source") {
      auto* arr = node.as_array();
      if (!arr) {
        error =
            fmt::format("{}: 'source' must be an array of tables ([[source]])", where(path, node));
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
            if (!read_string(path, v, "name", s.name, error)) return false;
          } else if (name == "format") {
            if (!read_string(path, v, "format", s.format, error)) return false;
            if (s.format != "auto" && !find_format(s.format)) {
              error = fmt::format("{}: unknown format '{}' (trace-cat --formats lists them)",
                                  where(path, v), s.format);
              return false;
            }
          } else if (name == "files") {
            if (!read_paths(path, v, "files", resolve, s.patterns, error)) return false;
          } else if (name == "tz") {
            if (!read_string(path, v, "tz", s.tz, error)) return false;
            if (!find_zone(s.tz)) {
              error = fmt::format("{}: unknown time zone '{}'", where(path, v), s.tz);
              return false;
            }
          } else if (name == "skew") {
            if (!read_duration(path, v, "skew", s.skew, error)) return false;
          } else if (name == "year") {
            auto y = v.value_exact<int64_t>();
            if (!y || *y < 1970 || *y > 9999) {
              error = fmt::format("{}: year must be a number such as 2026", where(path, v));
              return false;
            }
            s.year = int(*y);
          } else if (name == "host") {
            if (!read_string(path, v, "host", s.host, error)) return false;
          } else if (name == "lease_time") {
            Micros d;
            if (!read_duration(path, v, "lease_time", d, error)) return false;
            s.lease_time = d;
          } else if (name == "tcp_timeout" || name == "udp_timeout" || name == "icmp_timeout" ||
                     name == "other_timeout") {
            Micros d;
            if (!read_duration(path, v, std::string(name).c_str(), d, error)) return false;
            auto& slot = name == "tcp_timeout"    ? s.nat_timeouts.tcp
                         : name == "udp_timeout"  ? s.nat_timeouts.udp
                         : name == "icmp_timeout" ? s.nat_timeouts.icmp
                                                  : s.nat_timeouts.other;
            slot = d;
          } else if (name == "max_silence") {
            Micros d;
            if (!read_duration(path, v, "max_silence", d, error)) return false;
            s.max_silence = d;
          } else if (name == "public") {
            std::vector<std::string> texts;
            if (!read_paths(
                    path, v, "public", [](const std::string& x) { return x; }, texts, error))
              return false;
            for (const auto& t : texts) {
              IpPrefix p;
              if (!parse_ip_prefix(t, p)) {
                error =
                    fmt::format("{}: public: '{}' is not an address or prefix (e.g. 192.0.2.0/28)",
                                where(path, v), t);
                return false;
              }
              s.nat_public.push_back(p);
            }
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
      // One [directory] table, or an array of them ([[directory]]).
      std::vector<const toml::node*> tables;
      if (auto* arr = node.as_array()) {
        for (auto& item : *arr) tables.push_back(&item);
      } else {
        tables.push_back(&node);
      }
      for (const toml::node* item : tables) {
        SourceSpec d;
        if (!read_directory(path, *item, resolve, d, error)) return false;
        out.directory_files.insert(out.directory_files.end(), d.patterns.begin(), d.patterns.end());
        out.directories.push_back(std::move(d));
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

bool source_from_log_arg(const std::string& arg, SourceSpec& s, std::string& error) {
  s = SourceSpec{};
  s.origin = "--log";
  size_t colon = arg.find(':');
  if (colon != std::string::npos && colon > 0) {
    std::string_view prefix = std::string_view(arg).substr(0, colon);
    if (find_format(prefix)) {
      s.format = std::string(prefix);
      s.patterns.push_back(arg.substr(colon + 1));
      s.name = s.patterns.front();
      return true;
    }
    bool looks_like_format =
        prefix.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string_view::npos;
    if (looks_like_format && !file_exists(arg)) {
      std::string names;
      for (const auto& f : format_table())
        names += (names.empty() ? "" : ", ") + std::string(f.name);
      error = fmt::format("--log {}: unknown format '{}' (known: {})", arg, prefix, names);
      return false;
    }
  }
  s.patterns.push_back(arg);
  s.name = arg;
  return true;
}

}  // namespace tracekit
