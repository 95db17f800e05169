// STUB: to be written.
#include "format_list.h"

namespace tracekit::formats {

namespace {
int sniff(std::string_view, const char** why) {
  *why = "not implemented";
  return 0;
}
std::unique_ptr<DhcpParser> make(const ParseContext&) { return nullptr; }
}  // namespace

const FormatInfo& windows_dhcp_format() {
  static const FormatInfo info{"windows-dhcp", Family::dhcp, "(not implemented yet)", sniff, make};
  return info;
}

}  // namespace tracekit::formats
