// Literal search for prefilters: the first occurrence of a short needle in a
// block of text, without allocation. Uses SSE2 (first/last byte filter, then a
// compare) where available, memmem otherwise.
#pragma once

#include <cstddef>
#include <string_view>

namespace tracekit {

// Returns a pointer to the first occurrence of `needle` in [begin, end), or null.
const char* find_literal(const char* begin, const char* end, std::string_view needle);

// Number of '\n' bytes in [begin, end).
size_t count_newlines(const char* begin, const char* end);

}  // namespace tracekit
