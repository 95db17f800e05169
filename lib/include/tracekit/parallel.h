// Work split over the two cores tracekit counts on: a batch's answers, once
// its logs are read, each query's its own and the hop read-only.
#pragma once

#include <cstddef>
#include <exception>
#include <thread>

#include "tracekit/input.h"  // one_thread

namespace tracekit {

// A hop's answer takes about ten microseconds: fewer queries than this are
// not worth a thread.
constexpr size_t kSplitAnswers = 256;

// Calls work(from, to) on ranges that cover [0, n) between them: [n/2, n) on
// a second thread while [0, n/2) runs here, when n >= min_split and a second
// thread is allowed (TRACEKIT_THREADS); else [0, n) here. Returns when both
// are done. What either threw is thrown here (the first range's first).
template <class Work>
void split_in_two(size_t n, size_t min_split, Work&& work) {
  if (n < min_split || n < 2 || one_thread()) {
    work(size_t(0), n);
    return;
  }
  const size_t half = n / 2;
  std::exception_ptr second_error;
  std::thread second([&] {
    try {
      work(half, n);
    } catch (...) {
      second_error = std::current_exception();
    }
  });
  std::exception_ptr first_error;
  try {
    work(size_t(0), half);
  } catch (...) {
    first_error = std::current_exception();
  }
  second.join();
  if (first_error) std::rethrow_exception(first_error);
  if (second_error) std::rethrow_exception(second_error);
}

}  // namespace tracekit
